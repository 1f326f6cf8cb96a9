import { ifElse, imported, NO_VALUE, validate, verdictOf } from '../../harness';

const VPC_CONFIG = { Subnets: ['subnet-aaa', 'subnet-bbb'], SecurityGroups: ['sg-123'] };
const runtime = (network: unknown) => ({
  Type: 'AWS::BedrockAgentCore::Runtime',
  Properties: {
    AgentRuntimeName: 'agent',
    AgentRuntimeArtifact: { ContainerConfiguration: { ContainerUri: '111122223333.dkr.ecr.eu-west-2.amazonaws.com/agent@sha256:abc' } },
    RoleArn: 'arn:aws:iam::111122223333:role/agent',
    NetworkConfiguration: network,
  },
});

describe('P13 AgentCore runtime runs inside a VPC', () => {
  test('compliant: VPC mode with subnets and security groups', () => {
    const run = validate({ Resources: { Runtime: runtime({ NetworkMode: 'VPC', NetworkModeConfig: VPC_CONFIG }) } });
    expect(verdictOf(run, 'P13', 'Runtime')).toBe('none');
    expect(run.tally('P13')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('non-compliant: PUBLIC network mode, named alone with the value', () => {
    const run = validate({ Resources: { Runtime: runtime({ NetworkMode: 'PUBLIC' }) } });
    expect(verdictOf(run, 'P13', 'Runtime')).toBe('non-compliant');
    const finding = run.of('P13')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-P13', level: 'error', locations: ['Properties.NetworkConfiguration.NetworkMode'] });
    expect(finding.message).toMatch(/NetworkMode is "PUBLIC"/);
    expect(finding.message).not.toMatch(/Subnets/);
  });

  test('non-compliant: NetworkConfiguration absent', () => {
    const run = validate({ Resources: { Runtime: runtime(undefined) } });
    expect(verdictOf(run, 'P13', 'Runtime')).toBe('non-compliant');
    expect(run.of('P13')[0].message).toMatch(/NetworkMode is absent/);
  });

  test('non-compliant: VPC mode without subnets, or with an empty security group list', () => {
    const noSubnets = validate({ Resources: { Runtime: runtime({ NetworkMode: 'VPC', NetworkModeConfig: { SecurityGroups: ['sg-1'] } }) } });
    expect(verdictOf(noSubnets, 'P13', 'Runtime')).toBe('non-compliant');
    expect(noSubnets.of('P13')[0].message).toMatch(/Subnets is absent/);
    const noGroups = validate({ Resources: { Runtime: runtime({ NetworkMode: 'VPC', NetworkModeConfig: { Subnets: ['subnet-1'], SecurityGroups: [] } }) } });
    expect(verdictOf(noGroups, 'P13', 'Runtime')).toBe('non-compliant');
    expect(noGroups.of('P13')[0].message).toMatch(/SecurityGroups is \[\]/);
    const noConfig = validate({ Resources: { Runtime: runtime({ NetworkMode: 'VPC' }) } });
    expect(noConfig.of('P13')[0].locations).toEqual([
      'Properties.NetworkConfiguration.NetworkModeConfig.Subnets', 'Properties.NetworkConfiguration.NetworkModeConfig.SecurityGroups',
    ]);
  });

  test('enum spelling: lower-case vpc is accepted', () => {
    const run = validate({ Resources: { Runtime: runtime({ NetworkMode: 'vpc', NetworkModeConfig: VPC_CONFIG }) } });
    expect(verdictOf(run, 'P13', 'Runtime')).toBe('none');
  });

  test('intrinsic: Fn::If with a PUBLIC branch is a finding', () => {
    const run = validate({ Resources: { Runtime: runtime({ NetworkMode: ifElse('VPC', 'PUBLIC'), NetworkModeConfig: VPC_CONFIG }) } });
    expect(verdictOf(run, 'P13', 'Runtime')).toBe('non-compliant');
    expect(run.of('P13')[0].message).toMatch(/possible forms/);
    const noSubnetsBranch = validate({ Resources: { Runtime: runtime({ NetworkMode: 'VPC', NetworkModeConfig: ifElse(VPC_CONFIG, NO_VALUE) }) } });
    expect(verdictOf(noSubnetsBranch, 'P13', 'Runtime')).toBe('non-compliant');
  });

  test('intrinsic: Ref to a parameter judged by its default and its allowed values', () => {
    const byDefault = validate({
      Parameters: { Mode: { Default: 'VPC' } },
      Resources: { Runtime: runtime({ NetworkMode: { Ref: 'Mode' }, NetworkModeConfig: VPC_CONFIG }) },
    });
    expect(verdictOf(byDefault, 'P13', 'Runtime')).toBe('none');
    const allowed = validate({
      Parameters: { Mode: { Default: 'VPC', AllowedValues: ['VPC', 'PUBLIC'] } },
      Resources: { Runtime: runtime({ NetworkMode: { Ref: 'Mode' }, NetworkModeConfig: VPC_CONFIG }) },
    });
    expect(verdictOf(allowed, 'P13', 'Runtime')).toBe('parameter');
    expect(allowed.of('P13')[0].message).toMatch(/parameter Mode/);
  });

  test('subnets given at deploy time (list parameter, imported list) count as given', () => {
    const fromParameter = validate({
      Parameters: { Subnets: { Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-a,subnet-b' } },
      Resources: { Runtime: runtime({ NetworkMode: 'VPC', NetworkModeConfig: { Subnets: { Ref: 'Subnets' }, SecurityGroups: ['sg-1'] } }) },
    });
    expect(verdictOf(fromParameter, 'P13', 'Runtime')).toBe('none');
    const fromImport = validate({
      Resources: { Runtime: runtime({ NetworkMode: 'VPC', NetworkModeConfig: { Subnets: { 'Fn::Split': [',', imported('subnets')] }, SecurityGroups: ['sg-1'] } }) },
    });
    expect(verdictOf(fromImport, 'P13', 'Runtime')).toBe('none');
  });

  test('unverifiable: the network mode is imported', () => {
    const run = validate({ Resources: { Runtime: runtime({ NetworkMode: imported('agent-network-mode'), NetworkModeConfig: VPC_CONFIG }) } });
    expect(verdictOf(run, 'P13', 'Runtime')).toBe('unverifiable');
    expect(run.of('P13')[0]).toMatchObject({ ruleName: 'SecureAI-P13[unverifiable]', level: 'warning' });
    const whole = validate({ Resources: { Runtime: runtime(imported('agent-network')) } });
    expect(verdictOf(whole, 'P13', 'Runtime')).toBe('unverifiable');
    expect(whole.of('P13')[0].locations).toContain('Properties.NetworkConfiguration.NetworkModeConfig.Subnets');
  });

  test('malformed values never throw', () => {
    const run = validate({ Resources: { Runtime: runtime({ NetworkMode: 42, NetworkModeConfig: 'oops' }) } });
    expect(verdictOf(run, 'P13', 'Runtime')).toBe('non-compliant');
    expect(run.tally('P13').errors).toBe(0);
  });
});
