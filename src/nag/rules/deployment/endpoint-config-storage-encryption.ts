import { expectProperty, isSet, NOT_APPLICABLE, was } from '../../engine/checks';
import { isPlainObject } from '../../engine/values';
import { hasOnlyLocalNvmeStorage } from '../../knowledge/customer-managed-key';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** Whether every production variant runs on an instance type that cannot take an endpoint key. */
function usesLocalNvmeOnly(variants: unknown): boolean {
  if (!Array.isArray(variants) || variants.length === 0) return false;
  return variants.every((v) => isPlainObject(v) && hasOnlyLocalNvmeStorage(v.InstanceType));
}

export const endpointConfigStorageEncryption: RuleDefinition = {
  title: 'Endpoint storage is encrypted with a customer-managed key',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Protect your model continuously',
  quote: 'protect the model and data from direct and indirect access',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  compliantWhen: '`KmsKeyId` is set (instance types whose only storage is local NVMe are exempt: SageMaker rejects a key for them)',
  explanation: 'The ML storage volume attached to an endpoint holds the model weights. Without a customer-managed key, '
    + 'access to the weights is not governed by a key policy you control and cannot be revoked or audited through KMS.',
  fix: 'Set KmsKeyId on the endpoint configuration to a customer-managed KMS key (kmsKeyId in CfnEndpointConfig).',
  peers: 'NAG NIST/HIPAA/PCI SageMakerEndpointConfigurationKMSKeyConfigured; GRR SAGEMAKER_ENDPOINT_CONFIGURATION_KMS_KEY_CONFIGURED; CFG sagemaker-endpoint-configuration-kms-key-configured',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource) {
    if (resource.get('ProductionVariants').every((b) => usesLocalNvmeOnly(b.value))) return NOT_APPLICABLE;
    return expectProperty(resource, 'KmsKeyId', isSet,
      (v) => `KmsKeyId ${was(v)}: the endpoint's storage volume, which holds the model, is not encrypted with a customer-managed key`);
  },
};
