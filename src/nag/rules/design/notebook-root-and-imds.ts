import { Answer, combine, expectProperty, isOneOf, was } from '../../engine/checks';
import { ResourceReference, UnknownValue, unknownOf, Value } from '../../engine/values';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** IMDS version 2: `"2"` or `2`. */
function isVersion2(value: Value): Answer {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (value instanceof ResourceReference) return new UnknownValue('the value is an attribute of another resource');
  return value === 2 || (typeof value === 'string' && value.trim() === '2');
}

export const notebookRootAndImds: RuleDefinition = {
  title: 'Notebook instances deny root access and require IMDSv2',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'you integrate the most secure settings into the system by default',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::SageMaker::NotebookInstance'],
  compliantWhen: '`RootAccess` is `Disabled` (CloudFormation default `Enabled`) and '
    + '`InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion` is `"2"` (CloudFormation default `"1"`), in every '
    + 'form of the template',
  explanation: 'With root access a notebook user, or code they run from a downloaded model or package, can change the instance '
    + 'itself: install persistence, read other users\' files, disable controls. IMDSv1 answers any request from the instance, so a '
    + 'server-side request forgery in notebook code hands out the credentials of the notebook\'s role. Both defaults are insecure.',
  fix: 'Set rootAccess: \'Disabled\' and instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: \'2\' } on the '
    + 'CfnNotebookInstance (use a lifecycle configuration for anything that needs root at start-up).',
  peers: 'CT.SAGEMAKER.PR.3; CKV_AWS_371 (IMDSv2, CFN); CKV_AWS_307 (TF only); CFG sagemaker-notebook-instance-root-access-check; SH SageMaker.3',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource) {
    return combine(
      expectProperty(resource, 'RootAccess', isOneOf('Disabled'),
        (v) => `RootAccess ${was(v)}${v === undefined ? ' (CloudFormation default Enabled)' : ''}: notebook users and the code they run `
          + 'can act as root on the instance that holds the data and the notebook role\'s credentials'),
      expectProperty(resource, 'InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion', isVersion2,
        (v) => `InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion ${was(v)}${v === undefined ? ' (CloudFormation '
          + 'default "1")' : ''}: IMDSv1 hands the notebook role\'s credentials to any request forged from the instance`),
    );
  },
};
