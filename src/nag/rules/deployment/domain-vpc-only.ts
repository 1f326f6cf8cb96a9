import { combine, expectProperty, isOneOf, isSet, was } from '../../engine/checks';
import { Value } from '../../engine/values';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

function appNetworkAccessType(value: Value): string {
  const shown = value === undefined ? 'is absent (CloudFormation default PublicInternetOnly)' : was(value);
  return `AppNetworkAccessType ${shown}: Studio apps reach the internet through a SageMaker-managed network, `
    + "outside your VPC's security groups, endpoints and flow logs, so code and data can leave the environment unseen";
}

export const domainVpcOnly: RuleDefinition = {
  title: 'Studio domains send all traffic through your VPC',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Secure your infrastructure',
  quote: 'appropriate segregation of environments holding sensitive code or data',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::SageMaker::Domain'],
  compliantWhen: '`AppNetworkAccessType` is `VpcOnly` (absent counts as the CloudFormation default `PublicInternetOnly`), '
    + '`SubnetIds` and `VpcId` are set and `DefaultUserSettings.SecurityGroups` is non-empty',
  explanation: 'A Studio domain is the shared development environment of a data-science team. In PublicInternetOnly mode its '
    + 'apps use a SageMaker-managed internet path that your VPC does not see or control, so the environment holding '
    + 'sensitive code and data is not segregated from the internet.',
  fix: 'Set AppNetworkAccessType to "VpcOnly", give private SubnetIds and the VpcId, and set DefaultUserSettings.SecurityGroups '
    + '(appNetworkAccessType, subnetIds, vpcId, defaultUserSettings.securityGroups on CfnDomain); reach AWS services through VPC endpoints.',
  peers: 'CFG sagemaker-domain-in-vpc; PRW sagemaker_domain_vpc_only_enabled',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource) {
    return combine(
      expectProperty(resource, 'AppNetworkAccessType', isOneOf('VpcOnly'), appNetworkAccessType),
      expectProperty(resource, 'SubnetIds', isSet,
        (v) => `SubnetIds ${was(v)}: the domain's apps are not placed in subnets of your VPC`),
      expectProperty(resource, 'VpcId', isSet,
        (v) => `VpcId ${was(v)}: the domain is not attached to a VPC you control`),
      expectProperty(resource, 'DefaultUserSettings.SecurityGroups', isSet,
        (v) => `DefaultUserSettings.SecurityGroups ${was(v)}: no security group restricts what the users' Studio apps can connect to`),
    );
  },
};
