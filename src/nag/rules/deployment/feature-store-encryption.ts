import { Answer, combine, judge, NOT_APPLICABLE, RuleResult } from '../../engine/checks';
import { IndexedResource } from '../../engine/resource-index';
import { describe, readPath, UnknownValue, Value } from '../../engine/values';
import { expectCustomerManagedKey, isCustomerManagedKey, keyProblem } from '../../knowledge/customer-managed-key';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const ONLINE_KEY = 'OnlineStoreConfig.SecurityConfig.KmsKeyId';
const ONLINE_WHY = 'the online store, which serves feature values to models at inference time, is not encrypted with a key you control';

/** Whether an online store block switches the store on (EnableOnlineStore defaults to false); unknown when not known. */
function enablesOnlineStore(config: Value): Answer {
  const flag = readPath(config, ['EnableOnlineStore']);
  if (flag instanceof UnknownValue) return flag;
  if (flag === undefined || flag === false) return false;
  return !(typeof flag === 'string' && flag.toLowerCase() === 'false');
}

function onlineStoreKey(resource: IndexedResource): RuleResult {
  const forms = resource.get('OnlineStoreConfig');
  if (forms.every((b) => enablesOnlineStore(b.value) === false)) return NOT_APPLICABLE;
  return judge(forms, `Properties.${ONLINE_KEY}`, (config) => {
    const enabled = enablesOnlineStore(config);
    if (enabled === false) return true;
    const key = isCustomerManagedKey(readPath(config, ['SecurityConfig', 'KmsKeyId']));
    if (key !== false) return key;
    // A store that may be off needs no key; the key's absence matters only if the store is on.
    return enabled === true ? false : new UnknownValue(`OnlineStoreConfig.EnableOnlineStore is ${describe(readPath(config, ['EnableOnlineStore']))} and ${ONLINE_KEY} is absent`);
  }, (config) => `${keyProblem(ONLINE_KEY, readPath(config, ['SecurityConfig', 'KmsKeyId']))}: ${ONLINE_WHY}`, ONLINE_KEY);
}

function offlineStoreKey(resource: IndexedResource): RuleResult {
  if (resource.get('OfflineStoreConfig').every((b) => b.value === undefined)) return NOT_APPLICABLE;
  return expectCustomerManagedKey(resource, 'OfflineStoreConfig.S3StorageConfig.KmsKeyId',
    'the offline store, the history of feature values that training data is drawn from, is written to S3 without a key you control');
}

export const featureStoreEncryption: RuleDefinition = {
  title: 'Feature store online and offline stores are encrypted with a customer-managed key',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Protect your model continuously',
  quote: 'protect the model and data from direct and indirect access',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::FeatureGroup'],
  compliantWhen: 'a customer-managed `OnlineStoreConfig.SecurityConfig.KmsKeyId` when `EnableOnlineStore` is true, and '
    + '`OfflineStoreConfig.S3StorageConfig.KmsKeyId` when an offline store is configured',
  explanation: 'Feature groups hold the features that models are trained on (offline store) and that they read at inference '
    + 'time (online store). Whoever can read or change them can infer the training data or poison the model; encrypting '
    + 'them with a customer-managed key puts that access under a key policy you control.',
  fix: 'Set OnlineStoreConfig.SecurityConfig.KmsKeyId and OfflineStoreConfig.S3StorageConfig.KmsKeyId to customer-managed KMS '
    + 'keys (onlineStoreConfig / offlineStoreConfig on CfnFeatureGroup; CDK types them loosely, so use the PascalCase keys).',
  peers: 'PRW sagemaker_feature_group_offline_store_encrypted_with_cmk',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource) {
    return combine(onlineStoreKey(resource), offlineStoreKey(resource));
  },
};
