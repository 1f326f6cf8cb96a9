import { Answer, combine, expectProperty, isSet, isTrue, judge, NOT_APPLICABLE, not, RuleResult } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, Expression, ResourceReference, unknownOf, Value } from '../../engine/values';
import { aiNetworkDependents, dependentReason, SUBNET, vpcOf } from '../../knowledge/ai-network';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/*
 * Whether a subnet is meant to be isolated (no path to the internet at all, not even outbound through NAT) is the
 * team's declaration, never a guess: the `aws-cdk:subnet-type` tag `Isolated` that the CDK's ec2.Vpc gives
 * PRIVATE_ISOLATED subnets, or `ai:network=isolated` on the subnet or its VPC for templates written otherwise. A VPC
 * without an internet gateway is not taken as that declaration: a NAT gateway in such a VPC is a private NAT, which
 * reaches other networks through a transit gateway, not the internet. A route to an internet gateway makes a subnet
 * public, which no AI workload's subnet should be, declared or not.
 */

const ROUTE_TABLE = 'AWS::EC2::RouteTable';
const ASSOCIATION = 'AWS::EC2::SubnetRouteTableAssociation';

/** Whether a subnet (or its VPC) is declared isolated. */
function isDeclaredIsolated(subnet: IndexedResource): boolean {
  if (subnet.hasTag('aws-cdk:subnet-type', 'Isolated') || subnet.hasTag('ai:network', 'isolated')) return true;
  return vpcOf(subnet)?.hasTag('ai:network', 'isolated') ?? false;
}

/** The subnets of the app an AI workload uses that a route table is associated with. */
function aiSubnetsOf(index: ResourceIndex, table: IndexedResource): IndexedResource[] {
  const subnets: IndexedResource[] = [];
  for (const ref of index.referencesTo(table)) {
    if (ref.source.type !== ASSOCIATION) continue;
    for (const branch of ref.source.get('SubnetId')) {
      const subnet = index.resolveAs(SUBNET, branch.value);
      if (subnet && !subnets.includes(subnet) && aiNetworkDependents(index, subnet).length > 0) subnets.push(subnet);
    }
  }
  return subnets;
}

/** Whether a route's `GatewayId` is an internet gateway: one of the app, or an `igw-` ID. */
function isInternetGateway(index: ResourceIndex, value: Value): Answer {
  if (value === undefined) return false;
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (typeof value === 'string') return /^igw-/.test(value.trim());
  if (value instanceof ResourceReference || value instanceof Expression) return index.resolve(value)?.type === 'AWS::EC2::InternetGateway';
  return false;
}

const PUBLIC = 'a workload in it can be given a public address and reached from the internet, and reaches the internet '
  + 'directly, outside any network segregation of the model, its data and the tools an agent calls';

function judgeSubnet(subnet: IndexedResource, index: ResourceIndex): RuleResult {
  const dependents = aiNetworkDependents(index, subnet);
  if (dependents.length === 0) return NOT_APPLICABLE;
  return expectProperty(subnet, 'MapPublicIpOnLaunch', (v) => not(isTrue(v)),
    (v) => `MapPublicIpOnLaunch is ${describe(v)} on subnet ${subnet.logicalId} (${dependentReason(dependents)}): every network `
      + `interface launched in it gets a public IPv4 address, so ${PUBLIC}`);
}

function judgeRoute(route: IndexedResource, index: ResourceIndex): RuleResult {
  const table = route.get('RouteTableId').map((b) => index.resolveAs(ROUTE_TABLE, b.value)).find((t) => t !== undefined);
  const subnets = table ? aiSubnetsOf(index, table) : [];
  if (!table || subnets.length === 0) return NOT_APPLICABLE;
  const subnetNames = subnets.map((s) => `${s.logicalId} (${dependentReason(aiNetworkDependents(index, s))})`).join(', ');
  const results = [judge(route.get('GatewayId'), 'Properties.GatewayId', (v) => not(isInternetGateway(index, v)),
    (v) => `GatewayId is ${describe(v)}, an internet gateway, in route table ${table.logicalId} of AI subnet ${subnetNames}: the subnet is public, so ${PUBLIC}`,
    'GatewayId')];
  const isolated = subnets.filter(isDeclaredIsolated);
  if (isolated.length > 0) {
    const names = isolated.map((s) => s.logicalId).join(', ');
    for (const [path, what] of [['NatGatewayId', 'a NAT gateway'], ['EgressOnlyInternetGatewayId', 'an egress-only internet gateway']]) {
      results.push(judge(route.get(path), `Properties.${path}`, (v) => not(isSet(v)),
        (v) => `${path} is ${describe(v)}, ${what}, in route table ${table.logicalId} of subnet ${names}, which is declared isolated: `
          + 'the AI workload in it can send data to the internet, which the isolation was meant to prevent', path));
    }
  }
  return combine(...results);
}

export const aiSubnetsPrivate: RuleDefinition = {
  title: 'Subnets of AI workloads are private, and isolated subnets have no route out',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Secure your infrastructure',
  quote: 'appropriate segregation of environments holding sensitive code or data',
  level: RuleLevel.ERROR,
  resourceTypes: [SUBNET, 'AWS::EC2::Route'],
  compliantWhen: 'a subnet an AI workload uses does not set `MapPublicIpOnLaunch` to `true`; no route of a route table '
    + 'associated with such a subnet (`AWS::EC2::SubnetRouteTableAssociation`) goes to an internet gateway (`GatewayId`); '
    + 'and where the subnet is declared isolated (tag `aws-cdk:subnet-type=Isolated`, which ec2.Vpc gives PRIVATE_ISOLATED '
    + 'subnets, or `ai:network=isolated` on the subnet or its VPC) none goes to a NAT gateway or egress-only internet gateway '
    + 'either. Subnets no AI workload uses are left to the generic packs',
  explanation: 'A public subnet (public addresses on launch, a default route to an internet gateway) puts the model '
    + 'server, notebook or agent runtime one security-group rule away from the internet, and gives it a direct path out to '
    + 'exfiltrate model weights, training data or prompts. A subnet the team declared isolated that still routes to a NAT '
    + 'gateway quietly undoes that isolation.',
  fix: 'Place AI workloads in private subnets: set MapPublicIpOnLaunch to false (absent) on CfnSubnet, route 0.0.0.0/0 '
    + 'through a NAT gateway (NatGatewayId) rather than an internet gateway (GatewayId) on CfnRoute, and for isolated '
    + 'subnets remove the NAT route and reach AWS services through VPC endpoints; with the L2, subnetType: '
    + 'ec2.SubnetType.PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED in vpcSubnets.',
  peers: 'NAG NIST.800.53.R5/HIPAA/PCI VPCSubnetAutoAssignPublicIpDisabled, VPCNoUnrestrictedRouteToIGW; CFG '
    + 'subnet-auto-assign-public-ip-disabled; SH EC2.15 (all unscoped) — NAT routes of isolated subnets: none',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    return resource.type === SUBNET ? judgeSubnet(resource, context.index) : judgeRoute(resource, context.index);
  },
};
