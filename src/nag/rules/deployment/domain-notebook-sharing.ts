import { judge, NOT_APPLICABLE, normaliseEnum } from '../../engine/checks';
import { ResourceIndex } from '../../engine/resource-index';
import { describe, Expression, isPlainObject, ResourceReference, UnknownValue, Value } from '../../engine/values';
import { isCustomerManagedKey, keyProblem } from '../../knowledge/customer-managed-key';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** Where each resource type keeps its sharing settings. */
const SHARING_SETTINGS: Record<string, string> = {
  'AWS::SageMaker::Domain': 'DefaultUserSettings.SharingSettings',
  'AWS::SageMaker::UserProfile': 'UserSettings.SharingSettings',
};

interface Assessment {
  readonly answer: boolean | UnknownValue;
  readonly message: string;
}

const OK: Assessment = { answer: true, message: '' };

/** Whether an `S3OutputPath` names a bucket of the app, whose protection the pack can see and check. */
function assessOutputPath(path: Value, index: ResourceIndex, at: string): Assessment {
  const property = `${at}.S3OutputPath`;
  if (path === undefined || path === '') {
    return { answer: false, message: `${property} is absent: shared notebook snapshots, cell output included, have no bucket of yours to go to` };
  }
  const target = index.resolve(path);
  if (target) {
    if (target.type === 'AWS::S3::Bucket') return OK;
    return { answer: new UnknownValue(`${property} points at ${target.type} ${target.logicalId}, not at a bucket`), message: '' };
  }
  if (path instanceof UnknownValue) return { answer: new UnknownValue(`${property} is ${describe(path)}`), message: '' };
  if (path instanceof ResourceReference || path instanceof Expression) {
    return { answer: new UnknownValue(`${property} is ${describe(path)}, which names no bucket of the app`), message: '' };
  }
  if (typeof path !== 'string' || !/^s3:\/\/[^/]+/i.test(path)) {
    return { answer: false, message: `${property} is ${describe(path)}, which is not an s3:// URI` };
  }
  return {
    answer: new UnknownValue(`${property} is ${describe(path)}, a bucket outside the app: whether it is encrypted and private cannot be seen`),
    message: '',
  };
}

function assess(settings: Value, index: ResourceIndex, at: string): Assessment {
  // Without SharingSettings, Studio does not allow notebook sharing at all.
  if (settings === undefined) return OK;
  if (settings instanceof UnknownValue) return { answer: new UnknownValue(`${at} is ${describe(settings)}`), message: '' };
  if (!isPlainObject(settings)) return { answer: new UnknownValue(`${at} is ${describe(settings)}`), message: '' };
  const option = settings.NotebookOutputOption;
  // NotebookOutputOption defaults to Disabled: shared notebooks carry no cell output.
  if (option === undefined || (typeof option === 'string' && normaliseEnum(option) === 'disabled')) return OK;
  if (typeof option !== 'string') {
    return { answer: new UnknownValue(`${at}.NotebookOutputOption is ${describe(option)}`), message: '' };
  }
  if (isCustomerManagedKey(settings.S3KmsKeyId) === false) {
    return {
      answer: false,
      message: `${at}.NotebookOutputOption is ${describe(option)} and ${keyProblem(`${at}.S3KmsKeyId`, settings.S3KmsKeyId)}: `
        + 'shared notebooks carry their cell output, often samples of sensitive data or model output, into S3 without a key you control',
    };
  }
  const path = assessOutputPath(settings.S3OutputPath, index, at);
  if (path.answer === false) {
    return { answer: false, message: `${at}.NotebookOutputOption is ${describe(option)} and ${path.message}` };
  }
  return path;
}

export const domainNotebookSharing: RuleDefinition = {
  title: 'Studio notebook sharing keeps cell output out, or in an encrypted bucket of the app',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Secure your infrastructure',
  quote: 'appropriate segregation of environments holding sensitive code or data',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::Domain', 'AWS::SageMaker::UserProfile'],
  compliantWhen: '`SharingSettings` absent or `NotebookOutputOption` absent/`Disabled`; or `Allowed` with a customer-managed '
    + '`S3KmsKeyId` and an `S3OutputPath` in a bucket of the app (a user profile without SharingSettings inherits the domain\'s)',
  explanation: 'When notebook sharing includes cell output, Studio copies snapshots of notebooks with their outputs, often '
    + 'samples of sensitive training data or model output, to S3 where other users can open them. That moves data out of '
    + "the user's segregated environment; it must go to a bucket you control (checked by the pack's bucket rules) and be "
    + 'encrypted with your key.',
  fix: 'Set SharingSettings.NotebookOutputOption to "Disabled", or keep "Allowed" with S3KmsKeyId set to a customer-managed '
    + 'key and S3OutputPath in a bucket of the app (defaultUserSettings.sharingSettings on CfnDomain, '
    + 'userSettings.sharingSettings on CfnUserProfile).',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    const at = SHARING_SETTINGS[resource.type];
    if (!at) return NOT_APPLICABLE;
    const branches = resource.get(at);
    // A user profile without its own sharing settings uses the domain's, which the rule judges on the domain.
    if (resource.type === 'AWS::SageMaker::UserProfile' && branches.every((b) => b.value === undefined)) return NOT_APPLICABLE;
    return judge(branches, `Properties.${at}`,
      (v) => assess(v, context.index, at).answer,
      (v) => assess(v, context.index, at).message,
      at);
  },
};
