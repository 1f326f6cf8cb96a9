import { ifElse, imported, NO_VALUE, validate, verdictOf } from '../../harness';
import { networkFixture, routeTo } from '../../network-fixture';

const subnet = (props: Record<string, unknown>) => ({
  Type: 'AWS::EC2::Subnet',
  Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24', ...props },
});
const ISOLATED_TAG = { Tags: [{ Key: 'aws-cdk:subnet-type', Value: 'Isolated' }] };

describe('P26 subnets of AI workloads are private, isolated subnets have no route out', () => {
  test('compliant: a private subnet whose default route goes through a NAT gateway', () => {
    const run = validate(networkFixture({ Subnet: subnet({ MapPublicIpOnLaunch: false }), ...routeTo({ NatGatewayId: { Ref: 'Nat' } }) }));
    expect(run.of('P26')).toEqual([]);
    expect(run.tally('P26')).toMatchObject({ compliant: 2, nonCompliant: 0 });
  });

  test('non-compliant: the subnet maps public addresses on launch', () => {
    const run = validate(networkFixture({ Subnet: subnet({ MapPublicIpOnLaunch: true }) }));
    expect(verdictOf(run, 'P26', 'Subnet')).toBe('non-compliant');
    expect(run.of('P26')[0]).toMatchObject({ level: 'error', locations: ['Properties.MapPublicIpOnLaunch'] });
    expect(run.of('P26')[0].message).toMatch(/MapPublicIpOnLaunch is true on subnet Subnet \(used by AWS::SageMaker::Model Model/);
  });

  test('non-compliant: a route to an internet gateway, of the app or by ID', () => {
    const byRef = validate(networkFixture(routeTo({ GatewayId: { Ref: 'Igw' } })));
    expect(verdictOf(byRef, 'P26', 'Route')).toBe('non-compliant');
    expect(byRef.of('P26')[0].message).toMatch(/GatewayId is a reference to Igw, an internet gateway, in route table RouteTable of AI subnet Subnet/);
    const byId = validate(networkFixture(routeTo({ GatewayId: 'igw-0123456789' })));
    expect(verdictOf(byId, 'P26', 'Route')).toBe('non-compliant');
  });

  test('non-compliant: a NAT route from a subnet declared isolated (CDK tag, or ai:network on the VPC)', () => {
    const tagged = validate(networkFixture({ Subnet: subnet(ISOLATED_TAG), ...routeTo({ NatGatewayId: { Ref: 'Nat' } }) }));
    expect(verdictOf(tagged, 'P26', 'Route')).toBe('non-compliant');
    expect(tagged.of('P26')[0].message).toMatch(/NatGatewayId is a reference to Nat, a NAT gateway, .*declared isolated/);
    const vpc = validate(networkFixture({
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'ai:network', Value: 'isolated' }] } },
      ...routeTo({ EgressOnlyInternetGatewayId: 'eigw-1', DestinationCidrBlock: undefined, DestinationIpv6CidrBlock: '::/0' }),
    }));
    expect(verdictOf(vpc, 'P26', 'Route')).toBe('non-compliant');
  });

  test('non-compliant: a route to the internet from a subnet declared isolated through a NAT instance, an appliance or a GWLB endpoint', () => {
    for (const target of [{ InstanceId: 'i-0123' }, { NetworkInterfaceId: 'eni-0123' }, { VpcEndpointId: 'vpce-0123' }]) {
      const run = validate(networkFixture({ Subnet: subnet(ISOLATED_TAG), ...routeTo(target) }));
      expect(verdictOf(run, 'P26', 'Route')).toBe('non-compliant');
      expect(run.of('P26')[0].message).toMatch(/as the route to the internet \(DestinationCidrBlock "0.0.0.0\/0"\) of route table RouteTable .*declared isolated/);
    }
    // Half the internet is the internet too.
    expect(verdictOf(validate(networkFixture({ Subnet: subnet(ISOLATED_TAG), ...routeTo({ InstanceId: 'i-0123', DestinationCidrBlock: '0.0.0.0/1' }) })), 'P26', 'Route'))
      .toBe('non-compliant');
    // The same target for one network only is not a way out.
    const narrow = validate(networkFixture({ Subnet: subnet(ISOLATED_TAG), ...routeTo({ InstanceId: 'i-0123', DestinationCidrBlock: '192.168.0.0/16' }) }));
    expect(verdictOf(narrow, 'P26', 'Route')).toBe('none');
  });

  test('non-compliant: an internet route in the VPC\'s main route table, which every subnet without an association uses', () => {
    const main = {
      RouteTable: undefined,
      Association: undefined,
      Route: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { 'Fn::GetAtt': ['Vpc', 'DefaultRouteTable'] }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } } },
    };
    const run = validate(networkFixture({ ...routeTo({}), ...main }));
    expect(verdictOf(run, 'P26', 'Route')).toBe('non-compliant');
    expect(run.of('P26')[0].message).toMatch(/in the main route table of VPC Vpc of AI subnet Subnet/);
    // A subnet associated with a route table of its own does not use the main one.
    const associated = validate(networkFixture({ ...routeTo({ NatGatewayId: { Ref: 'Nat' } }), Main: main.Route }));
    expect(verdictOf(associated, 'P26', 'Main')).toBe('none');
  });

  test('not applicable: subnets and routes no AI workload uses', () => {
    const run = validate(networkFixture({ Subnet: subnet({ MapPublicIpOnLaunch: true }), ...routeTo({ GatewayId: { Ref: 'Igw' } }) }, { model: false }));
    expect(run.of('P26')).toEqual([]);
    expect(run.tally('P26')).toMatchObject({ compliant: 0, nonCompliant: 0 });
  });

  test('intrinsic: Fn::If and parameters', () => {
    const run = validate(networkFixture({ Subnet: subnet({ MapPublicIpOnLaunch: ifElse(false, true) }) }));
    expect(verdictOf(run, 'P26', 'Subnet')).toBe('non-compliant');
    expect(run.of('P26')[0].message).toMatch(/possible forms/);
    const noRoute = validate(networkFixture({ Subnet: subnet(ISOLATED_TAG), ...routeTo({ NatGatewayId: ifElse(NO_VALUE, { Ref: 'Nat' }) }) }));
    expect(verdictOf(noRoute, 'P26', 'Route')).toBe('non-compliant');
    const parameter = validate({
      Parameters: { Public: { Default: 'true' } },
      Resources: networkFixture({ Subnet: subnet({ MapPublicIpOnLaunch: { Ref: 'Public' } }) }).Resources,
    });
    expect(verdictOf(parameter, 'P26', 'Subnet')).toBe('non-compliant');
    expect(parameter.of('P26')[0].message).toMatch(/parameter Public/);
  });

  test('unverifiable: the gateway or the public-address switch is imported', () => {
    const gateway = validate(networkFixture(routeTo({ GatewayId: imported('gateway') })));
    expect(verdictOf(gateway, 'P26', 'Route')).toBe('unverifiable');
    const mapping = validate(networkFixture({ Subnet: subnet({ MapPublicIpOnLaunch: imported('public') }) }));
    expect(verdictOf(mapping, 'P26', 'Subnet')).toBe('unverifiable');
  });

  test('a route to a virtual private gateway or a transit gateway is private', () => {
    const run = validate(networkFixture({ Subnet: subnet(ISOLATED_TAG), ...routeTo({ GatewayId: 'vgw-1', TransitGatewayId: undefined }) }));
    expect(verdictOf(run, 'P26', 'Route')).toBe('none');
  });

  test('malformed values never throw', () => {
    const run = validate(networkFixture({ Subnet: subnet({ MapPublicIpOnLaunch: { x: 1 } }), ...routeTo({ GatewayId: 42, NatGatewayId: [] }) }));
    expect(run.tally('P26').errors).toBe(0);
  });
});
