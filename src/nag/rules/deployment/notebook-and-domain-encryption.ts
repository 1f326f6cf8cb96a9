import { expectProperty } from '../../engine/checks';
import { isCustomerManagedKey, keyProblem } from '../../knowledge/customer-managed-key';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const WHAT: Record<string, string> = {
  'AWS::SageMaker::NotebookInstance': "the notebook's ML storage volume, which holds code, data and model files,",
  'AWS::SageMaker::Domain': "the domain's shared EFS home directories and Studio storage, which hold every user's code and data,",
};

export const notebookAndDomainEncryption: RuleDefinition = {
  title: 'Notebook instances and Studio domains encrypt storage with a customer-managed key',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Secure your infrastructure',
  quote: 'appropriate access controls to your APIs, models and data',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::SageMaker::NotebookInstance', 'AWS::SageMaker::Domain'],
  compliantWhen: '`KmsKeyId` is set to a customer-managed key (not an `alias/aws/...` AWS-managed key)',
  explanation: 'Notebook volumes and Studio home directories hold the code, data and models of development work. Encrypting '
    + 'them with a customer-managed key puts access to that data under a key policy you control, audit and can revoke.',
  fix: 'Set KmsKeyId to a customer-managed KMS key: kmsKeyId on CfnNotebookInstance and on CfnDomain.',
  peers: 'NAG AwsSolutions-SM2 (+ NIST/HIPAA/PCI SageMakerNotebookInstanceKMSKeyConfigured; notebook only); CKV_AWS_187; '
    + 'GRR SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED; CFG sagemaker-notebook-instance-kms-key-configured',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource) {
    const what = WHAT[resource.type] ?? 'its storage';
    return expectProperty(resource, 'KmsKeyId', isCustomerManagedKey,
      (v) => `${keyProblem('KmsKeyId', v)}: ${what} is not encrypted with a key whose policy you control`);
  },
};
