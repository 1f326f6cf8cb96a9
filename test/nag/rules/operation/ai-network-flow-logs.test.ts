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

describe('O11: a flow log whose custom LogFormat leaves out the addresses records traffic no one can attribute', () => {
  const FULL = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${action}';
  const withFormat = (logFormat: unknown, extra: Record<string, unknown> = {}) =>
    validate(networkFixture({ FlowLog: flowLog({ LogFormat: logFormat }), ...extra }));

  test('compliant: AWS\'s default format (no LogFormat); a custom format that keeps ${srcaddr} and ${dstaddr}', () => {
    expect(verdictOf(validate(networkFixture()), 'O11', 'Vpc')).toBe('none');
    const custom = withFormat(FULL);
    expect(verdictOf(custom, 'O11', 'Vpc')).toBe('none');
    expect(custom.tally('O11')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('non-compliant: a custom format without the addresses, or without one of them, names what it leaves out', () => {
    const neither = withFormat('${version} ${interface-id} ${srcport} ${dstport} ${action}');
    expect(verdictOf(neither, 'O11', 'Vpc')).toBe('non-compliant');
    expect(neither.of('O11')[0].message).toMatch(/^flow log FlowLog leaves \$\{srcaddr\} and \$\{dstaddr\} out of its LogFormat, so its records cannot say which addresses talked, of VPC Vpc \(used by AWS::SageMaker::Model Model/);
    const noDestination = withFormat('${srcaddr} ${srcport} ${action}');
    expect(noDestination.of('O11')[0].message).toMatch(/^flow log FlowLog leaves \$\{dstaddr\} out of its LogFormat/);
    // The packet-level fields complement the interface's addresses; alone they do not stand for them.
    expect(verdictOf(withFormat('${pkt-srcaddr} ${pkt-dstaddr} ${action}'), 'O11', 'Vpc')).toBe('non-compliant');
    // Only REJECT traffic and no addresses: both are said.
    const both = validate(networkFixture({ FlowLog: flowLog({ TrafficType: 'REJECT', LogFormat: '${action}' }) }));
    expect(both.of('O11')[0].message).toMatch(/records only REJECT traffic; flow log FlowLog leaves \$\{srcaddr\} and \$\{dstaddr\} out/);
    // The finding is on the VPC, which has no TrafficType or LogFormat: it points at the VPC, and names the flow log.
    expect(both.of('O11')[0].locations).toEqual([]);
  });

  test('a second flow log of the VPC, or one on each AI subnet, that keeps the addresses is enough', () => {
    expect(verdictOf(withFormat('${action}', { SecondLog: flowLog({ LogFormat: FULL }) }), 'O11', 'Vpc')).toBe('none');
    const subnet = flowLog({ ResourceId: { Ref: 'Subnet' }, ResourceType: 'Subnet' });
    expect(verdictOf(withFormat('${action}', { SubnetLog: subnet }), 'O11', 'Vpc')).toBe('none');
    const subnetWithout = flowLog({ ResourceId: { Ref: 'Subnet' }, ResourceType: 'Subnet', LogFormat: '${action}' });
    expect(verdictOf(withFormat('${action}', { SubnetLog: subnetWithout }), 'O11', 'Vpc')).toBe('non-compliant');
  });

  test('intrinsic: a format chosen by Fn::If, written by Fn::Sub with escaped fields, or taken from a parameter', () => {
    const chosen = withFormat(ifElse(FULL, '${action}'));
    expect(verdictOf(chosen, 'O11', 'Vpc')).toBe('non-compliant');
    expect(chosen.of('O11')[0].message).toMatch(/in one of its 2 possible forms/);
    expect(verdictOf(withFormat(ifElse(FULL, { Ref: 'AWS::NoValue' })), 'O11', 'Vpc')).toBe('none');
    expect(verdictOf(withFormat({ 'Fn::Sub': '${!srcaddr} ${!dstaddr} ${!action}' }), 'O11', 'Vpc')).toBe('none');
    expect(verdictOf(withFormat({ 'Fn::Sub': '${!srcport} ${!action}' }), 'O11', 'Vpc')).toBe('non-compliant');
    const parameter = (AllowedValues?: string[]) => validate({
      Parameters: { Format: { Default: FULL, AllowedValues } },
      Resources: networkFixture({ FlowLog: flowLog({ LogFormat: { Ref: 'Format' } }) }).Resources,
    });
    expect(verdictOf(parameter(), 'O11', 'Vpc')).toBe('none');
    expect(verdictOf(parameter([FULL, '${action}']), 'O11', 'Vpc')).toBe('parameter');
  });

  test('unverifiable: a LogFormat not known at synth time', () => {
    const run = withFormat(imported('flow-log-format'));
    expect(verdictOf(run, 'O11', 'Vpc')).toBe('unverifiable');
    expect(run.of('O11')[0].message).toMatch(/LogFormat/);
    const noDefault = validate({ Parameters: { Format: {} }, Resources: networkFixture({ FlowLog: flowLog({ LogFormat: { Ref: 'Format' } }) }).Resources });
    expect(verdictOf(noDefault, 'O11', 'Vpc')).toBe('unverifiable');
    // Addresses written literally beside a part known only at deploy time are kept whatever that part is.
    expect(verdictOf(withFormat({ 'Fn::Join': [' ', ['${srcaddr} ${dstaddr}', imported('more-fields')]] }), 'O11', 'Vpc')).toBe('none');
  });

  test('malformed formats never throw', () => {
    expect(withFormat(42).tally('O11').errors).toBe(0);
    expect(withFormat({ a: 1 }).tally('O11').errors).toBe(0);
  });
});
