import { ifElse, imported, validate, verdictOf } from '../../harness';
import { networkFixture } from '../../network-fixture';

const flowLog = (props: Record<string, unknown>) => ({
  Type: 'AWS::EC2::FlowLog',
  Properties: { ResourceId: { Ref: 'Vpc' }, ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-logs', ...props },
});

describe('O11 the VPCs of AI workloads record their traffic in flow logs', () => {
  test('compliant: a flow log of the VPC, or of the AI subnet, recording all traffic', () => {
    const vpc = validate(networkFixture());
    expect(verdictOf(vpc, 'O11', 'Vpc')).toBe('none');
    expect(vpc.tally('O11')).toMatchObject({ evaluated: 1, compliant: 1 });
    const subnet = validate(networkFixture({ FlowLog: flowLog({ ResourceId: { Ref: 'Subnet' }, ResourceType: 'Subnet' }) }));
    expect(verdictOf(subnet, 'O11', 'Vpc')).toBe('none');
  });

  test('non-compliant: no flow log', () => {
    const run = validate(networkFixture({ FlowLog: undefined }));
    expect(verdictOf(run, 'O11', 'Vpc')).toBe('non-compliant');
    expect(run.of('O11')[0]).toMatchObject({ level: 'warning' });
    expect(run.of('O11')[0].message).toMatch(/no AWS::EC2::FlowLog records the traffic of VPC Vpc \(used by AWS::SageMaker::Model Model.*nor its AI subnets Subnet/);
  });

  test('non-compliant: a flow log of rejected traffic only', () => {
    const run = validate(networkFixture({ FlowLog: flowLog({ TrafficType: 'REJECT' }) }));
    expect(verdictOf(run, 'O11', 'Vpc')).toBe('non-compliant');
    expect(run.of('O11')[0].message).toMatch(/flow log FlowLog records only REJECT traffic/);
  });

  test('non-compliant: the only flow log is created under a condition that is false; unverifiable where the condition is unknown', () => {
    const conditioned = (expression: unknown, parameters?: Record<string, { Default?: unknown }>) => validate({
      Parameters: parameters,
      Conditions: { Logged: expression },
      Resources: { ...networkFixture().Resources, FlowLog: { ...flowLog({}), Condition: 'Logged' } },
    });
    const off = conditioned({ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, { Env: { Default: 'dev' } });
    expect(verdictOf(off, 'O11', 'Vpc')).toBe('non-compliant');
    expect(off.of('O11')[0].message).toMatch(/no AWS::EC2::FlowLog records the traffic of VPC Vpc/);
    const unknown = conditioned({ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, { Env: {} });
    expect(verdictOf(unknown, 'O11', 'Vpc')).toBe('unverifiable');
    expect(unknown.of('O11')[0].message).toMatch(/flow log FlowLog is created only under condition Logged/);
    const on = conditioned({ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, { Env: { Default: 'prod' } });
    expect(verdictOf(on, 'O11', 'Vpc')).toBe('none');
  });

  test('not applicable: a VPC no AI workload uses', () => {
    const run = validate(networkFixture({ FlowLog: undefined }, { model: false }));
    expect(run.of('O11')).toEqual([]);
  });

  test('intrinsic: a traffic type chosen by Fn::If or a parameter', () => {
    const run = validate(networkFixture({ FlowLog: flowLog({ TrafficType: ifElse('ALL', 'ACCEPT') }) }));
    expect(verdictOf(run, 'O11', 'Vpc')).toBe('non-compliant');
    const parameter = validate({
      Parameters: { Traffic: { Default: 'ALL' } },
      Resources: networkFixture({ FlowLog: flowLog({ TrafficType: { Ref: 'Traffic' } }) }).Resources,
    });
    expect(verdictOf(parameter, 'O11', 'Vpc')).toBe('none');
  });

  test('unverifiable: the only flow log records an imported resource, or an imported traffic type', () => {
    const target = validate(networkFixture({ FlowLog: flowLog({ ResourceId: imported('vpc-id') }) }));
    expect(verdictOf(target, 'O11', 'Vpc')).toBe('unverifiable');
    const traffic = validate(networkFixture({ FlowLog: flowLog({ TrafficType: imported('traffic') }) }));
    expect(verdictOf(traffic, 'O11', 'Vpc')).toBe('unverifiable');
  });

  test('malformed values never throw', () => {
    const run = validate(networkFixture({ FlowLog: flowLog({ ResourceId: [1, 2], TrafficType: { a: 1 } }) }));
    expect(run.tally('O11').errors).toBe(0);
  });
});
