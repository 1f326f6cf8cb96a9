import { NOT_APPLICABLE } from '../../engine/checks';
import { expectCustomerManagedKey } from '../../knowledge/customer-managed-key';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

export const modelCardEncryption: RuleDefinition = {
  title: 'Model cards are encrypted with a customer-managed key',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Identify, track and protect your assets',
  quote: 'assessments (including information about potentially unsafe capabilities and failure modes)',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::ModelCard', 'AWS::SageMaker::ModelPackage'],
  compliantWhen: '`SecurityConfig.KmsKeyId` is a customer-managed key (not absent, not an `alias/aws/...` AWS-managed key) on every '
    + '`AWS::SageMaker::ModelCard`, and on every `AWS::SageMaker::ModelPackage` that embeds a card (`ModelCard`); packages without a card '
    + 'are not applicable',
  explanation: 'Model cards record evaluation results, risk ratings, failure modes and unsafe capabilities: exactly what an attacker needs '
    + 'to pick an attack. Encrypting them with a customer-managed key puts reading them under a key policy you control and audit.',
  fix: 'Set securityConfig.kmsKeyId on the sagemaker.CfnModelCard (and on the sagemaker.CfnModelPackage that carries a modelCard) to a kms.Key.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource) {
    if (resource.type === 'AWS::SageMaker::ModelPackage' && resource.get('ModelCard').every((b) => b.value === undefined)) return NOT_APPLICABLE;
    return expectCustomerManagedKey(resource, 'SecurityConfig.KmsKeyId',
      'the card\'s evaluation results, risk rating and known failure modes are encrypted with an AWS-owned key, outside a key policy you control');
  },
};
