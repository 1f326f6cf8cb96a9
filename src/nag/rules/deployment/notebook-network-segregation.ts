import { combine, expectProperty, isOneOf, isSet, was } from '../../engine/checks';
import { Value } from '../../engine/values';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

function directInternetAccess(value: Value): string {
  const shown = value === undefined ? 'is absent (CloudFormation default Enabled)' : was(value);
  return `DirectInternetAccess ${shown}: the notebook, which holds training code, credentials and data, can reach `
    + 'and be reached from the internet outside any VPC control, and data can leave it unseen';
}

export const notebookNetworkSegregation: RuleDefinition = {
  title: 'Notebook instances run inside a VPC without direct internet access',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Secure your infrastructure',
  quote: 'appropriate segregation of environments holding sensitive code or data',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::SageMaker::NotebookInstance'],
  compliantWhen: '`DirectInternetAccess` is `Disabled` (absent counts as the CloudFormation default `Enabled`), `SubnetId` is set '
    + 'and `SecurityGroupIds` is non-empty',
  explanation: 'A notebook instance is a development environment holding sensitive code, data and the credentials of its '
    + 'execution role. With direct internet access, or outside a VPC, its traffic bypasses the network controls '
    + '(security groups, VPC endpoints, flow logs) that segregate it from other environments and from the internet.',
  fix: 'Set DirectInternetAccess to "Disabled" and place the notebook in a private subnet with security groups: '
    + 'directInternetAccess, subnetId and securityGroupIds on CfnNotebookInstance. Reach AWS services through VPC endpoints.',
  peers: 'NAG AwsSolutions-SM1, SM3 (+ NIST/HIPAA/PCI SageMakerNotebookNoDirectInternetAccess); CT.SAGEMAKER.PR.1, PR.2; '
    + 'GRR SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS; CFG sagemaker-notebook-no-direct-internet-access, '
    + 'sagemaker-notebook-instance-inside-vpc; SH SageMaker.1, SageMaker.2',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource) {
    return combine(
      expectProperty(resource, 'DirectInternetAccess', isOneOf('Disabled'), directInternetAccess),
      expectProperty(resource, 'SubnetId', isSet,
        (v) => `SubnetId ${was(v)}: the notebook does not run in a subnet of your VPC, so no security group or VPC endpoint policy governs its traffic`),
      expectProperty(resource, 'SecurityGroupIds', isSet,
        (v) => `SecurityGroupIds ${was(v)}: no security group restricts what the notebook can connect to`),
    );
  },
};
