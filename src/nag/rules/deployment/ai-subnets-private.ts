import { Answer, combine, expectProperty, isSet, isTrue, judge, NOT_APPLICABLE, not, RuleResult } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, Expression, ResourceReference, unknownOf, Value } from '../../engine/values';
import { aiNetworkDependents, dependentReason, isInternetWide, SUBNET, subnetsOf, VPC, vpcOf } from '../../knowledge/ai-network';
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

/** The subnets of the app that an `AWS::EC2::SubnetRouteTableAssociation` associates with a route table, found once per run. */
function associatedSubnets(index: ResourceIndex): Set<IndexedResource> {
  return index.memo(associatedSubnets, () => {
    const subnets = new Set<IndexedResource>();
    for (const association of index.ofType(ASSOCIATION)) {
      for (const branch of association.get('SubnetId')) {
        const subnet = index.resolveAs(SUBNET, branch.value);
        if (subnet) subnets.add(subnet);
      }
    }
    return subnets;
  });
}

/**
 * The route table a route is in, with the AI subnets that use it: a route table of the app and the subnets associated
 * with it, or a VPC's main route table (`Fn::GetAtt [Vpc, DefaultRouteTable]`) and the VPC's subnets associated with none.
 */
function tableOf(index: ResourceIndex, route: IndexedResource): { readonly name: string; readonly subnets: IndexedResource[] } | undefined {
  for (const branch of route.get('RouteTableId')) {
    const table = index.resolveAs(ROUTE_TABLE, branch.value);
    if (table) return { name: `route table ${table.logicalId}`, subnets: aiSubnetsOf(index, table) };
    const vpc = branch.value instanceof ResourceReference && branch.value.attribute === 'DefaultRouteTable' ? index.resolveAs(VPC, branch.value) : undefined;
    if (vpc) {
      const associated = associatedSubnets(index);
      const subnets = subnetsOf(index, vpc).filter((s) => !associated.has(s) && aiNetworkDependents(index, s).length > 0);
      return { name: `the main route table of VPC ${vpc.logicalId}`, subnets };
    }
  }
  return undefined;
}

/**
 * A route's destination when it is the internet at large (`0.0.0.0/0`, `::/0`, or halves such as `0.0.0.0/1`, as P25
 * reads ranges): the route a NAT instance or appliance takes out.
 */
function internetDestination(route: IndexedResource): { readonly path: string; readonly value: Value } | undefined {
  for (const path of ['DestinationCidrBlock', 'DestinationIpv6CidrBlock']) {
    const branch = route.get(path).find((b) => isInternetWide(b.value) === true);
    if (branch) return { path, value: branch.value };
  }
  return undefined;
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

/** Targets a declared isolated subnet may not route to at all, and those it may not route the internet through. */
const EGRESS_TARGETS: ReadonlyArray<readonly [string, string]> = [['NatGatewayId', 'a NAT gateway'], ['EgressOnlyInternetGatewayId', 'an egress-only internet gateway']];
const DEFAULT_ROUTE_TARGETS: ReadonlyArray<readonly [string, string]> = [
  ['InstanceId', 'an instance (a NAT instance)'], ['NetworkInterfaceId', 'a network interface (an appliance or NAT instance)'],
  ['VpcEndpointId', 'a Gateway Load Balancer endpoint (an inspection appliance in front of the internet)'],
];

function judgeRoute(route: IndexedResource, index: ResourceIndex): RuleResult {
  const table = tableOf(index, route);
  const subnets = table?.subnets ?? [];
  if (!table || subnets.length === 0) return NOT_APPLICABLE;
  const subnetNames = subnets.map((s) => `${s.logicalId} (${dependentReason(aiNetworkDependents(index, s))})`).join(', ');
  const results = [judge(route.get('GatewayId'), 'Properties.GatewayId', (v) => not(isInternetGateway(index, v)),
    (v) => `GatewayId is ${describe(v)}, an internet gateway, in ${table.name} of AI subnet ${subnetNames}: the subnet is public, so ${PUBLIC}`,
    'GatewayId')];
  const isolated = subnets.filter(isDeclaredIsolated);
  if (isolated.length > 0) {
    const names = isolated.map((s) => s.logicalId).join(', ');
    const out = 'the AI workload in it can send data to the internet, which the isolation was meant to prevent';
    for (const [path, what] of EGRESS_TARGETS) {
      results.push(judge(route.get(path), `Properties.${path}`, (v) => not(isSet(v)),
        (v) => `${path} is ${describe(v)}, ${what}, in ${table.name} of subnet ${names}, which is declared isolated: ${out}`, path));
    }
    const destination = internetDestination(route);
    for (const [path, what] of destination ? DEFAULT_ROUTE_TARGETS : []) {
      results.push(judge(route.get(path), `Properties.${path}`, (v) => not(isSet(v)),
        (v) => `${path} is ${describe(v)}, ${what}, as the route to the internet (${destination?.path} ${describe(destination?.value)}) of ${table.name} `
          + `of subnet ${names}, which is declared isolated: ${out}`, path));
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
    + 'associated with such a subnet (`AWS::EC2::SubnetRouteTableAssociation`), or of its VPC\'s main route table '
    + '(`Fn::GetAtt [Vpc, DefaultRouteTable]`) when the subnet has no association, goes to an internet gateway (`GatewayId`); '
    + 'and where the subnet is declared isolated (tag `aws-cdk:subnet-type=Isolated`, which ec2.Vpc gives PRIVATE_ISOLATED '
    + 'subnets, or `ai:network=isolated` on the subnet or its VPC) none goes to a NAT gateway or egress-only internet gateway '
    + 'either, and no route of it to the internet at large (`0.0.0.0/0`, `::/0`, or a range as wide as P25 reads as the internet) '
    + 'goes to an instance, network interface or Gateway Load Balancer endpoint (a NAT instance or egress appliance). Routes to a virtual private or transit gateway are taken as routes to '
    + 'other networks. Subnets no AI workload uses are left to the generic packs',
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
