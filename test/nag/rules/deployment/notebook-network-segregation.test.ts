import { ifElse, imported, NO_VALUE, validate, verdictOf } from '../../harness';

const SECURE = { DirectInternetAccess: 'Disabled', SubnetId: 'subnet-0abc', SecurityGroupIds: ['sg-0abc'] };
const notebook = (properties: Record<string, unknown>) => ({
  Type: 'AWS::SageMaker::NotebookInstance',
  Properties: { InstanceType: 'ml.t3.medium', RoleArn: 'arn:aws:iam::111122223333:role/nb', ...properties },
});
const run = (properties: Record<string, unknown>) => validate({ Resources: { Notebook: notebook(properties) } });

describe('P1 notebook network segregation', () => {
  test('compliant: no direct internet access, in a subnet with security groups', () => {
    const result = run(SECURE);
    expect(verdictOf(result, 'P1', 'Notebook')).toBe('none');
    expect(result.tally('P1')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('compliant: enum spelling and references to app resources', () => {
    const result = validate({
      Resources: {
        Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24' } },
        Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'nb' } },
        Notebook: notebook({ DirectInternetAccess: 'DISABLED', SubnetId: { Ref: 'Subnet' }, SecurityGroupIds: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] }),
      },
    });
    expect(verdictOf(result, 'P1', 'Notebook')).toBe('none');
  });

  test('non-compliant: DirectInternetAccess absent is the CloudFormation default Enabled', () => {
    const result = run({ SubnetId: 'subnet-0abc', SecurityGroupIds: ['sg-0abc'] });
    expect(verdictOf(result, 'P1', 'Notebook')).toBe('non-compliant');
    const [finding] = result.of('P1');
    expect(finding).toMatchObject({ ruleName: 'SecureAI-P1', level: 'error', locations: ['Properties.DirectInternetAccess'] });
    expect(finding.message).toMatch(/DirectInternetAccess is absent \(CloudFormation default Enabled\)/);
  });

  test('non-compliant: DirectInternetAccess Enabled', () => {
    const result = run({ ...SECURE, DirectInternetAccess: 'Enabled' });
    expect(verdictOf(result, 'P1', 'Notebook')).toBe('non-compliant');
    expect(result.of('P1')[0].message).toMatch(/DirectInternetAccess is "Enabled"/);
  });

  test('non-compliant: no subnet', () => {
    const result = run({ DirectInternetAccess: 'Disabled', SecurityGroupIds: ['sg-0abc'] });
    expect(verdictOf(result, 'P1', 'Notebook')).toBe('non-compliant');
    expect(result.of('P1')[0].locations).toEqual(['Properties.SubnetId']);
    expect(result.of('P1')[0].message).toMatch(/SubnetId is absent/);
  });

  test('non-compliant: no or empty security groups', () => {
    for (const groups of [undefined, []]) {
      const result = run({ DirectInternetAccess: 'Disabled', SubnetId: 'subnet-0abc', SecurityGroupIds: groups });
      expect(verdictOf(result, 'P1', 'Notebook')).toBe('non-compliant');
      expect(result.of('P1')[0].locations).toEqual(['Properties.SecurityGroupIds']);
    }
  });

  test('non-compliant: every failing property is named', () => {
    const result = run({});
    expect(result.of('P1')[0].locations).toEqual(['Properties.DirectInternetAccess', 'Properties.SubnetId', 'Properties.SecurityGroupIds']);
  });

  test('intrinsic: Fn::If with an Enabled branch is a finding', () => {
    const result = run({ ...SECURE, DirectInternetAccess: ifElse('Disabled', 'Enabled') });
    expect(verdictOf(result, 'P1', 'Notebook')).toBe('non-compliant');
    expect(result.of('P1')[0].message).toMatch(/possible forms/);
    const noValue = run({ ...SECURE, DirectInternetAccess: ifElse('Disabled', NO_VALUE) });
    expect(verdictOf(noValue, 'P1', 'Notebook')).toBe('non-compliant');
  });

  test('intrinsic: Ref to a parameter judged by its default and its allowed values', () => {
    const byDefault = (value: string) => validate({
      Parameters: { Internet: { Default: value } },
      Resources: { Notebook: notebook({ ...SECURE, DirectInternetAccess: { Ref: 'Internet' } }) },
    });
    expect(verdictOf(byDefault('Disabled'), 'P1', 'Notebook')).toBe('none');
    expect(verdictOf(byDefault('Enabled'), 'P1', 'Notebook')).toBe('non-compliant');
    expect(byDefault('Enabled').of('P1')[0].message).toMatch(/parameter Internet/);
    const allowed = validate({
      Parameters: { Internet: { Default: 'Disabled', AllowedValues: ['Disabled', 'Enabled'] } },
      Resources: { Notebook: notebook({ ...SECURE, DirectInternetAccess: { Ref: 'Internet' } }) },
    });
    expect(verdictOf(allowed, 'P1', 'Notebook')).toBe('parameter');
  });

  test('unverifiable: DirectInternetAccess imported; imported subnet and groups are set', () => {
    const result = run({ ...SECURE, DirectInternetAccess: imported('nb-internet') });
    expect(verdictOf(result, 'P1', 'Notebook')).toBe('unverifiable');
    expect(result.of('P1')[0]).toMatchObject({ ruleName: 'SecureAI-P1[unverifiable]', level: 'warning' });
    const importedNetwork = run({
      DirectInternetAccess: 'Disabled',
      SubnetId: imported('private-subnet'),
      SecurityGroupIds: { 'Fn::Split': [',', imported('nb-sgs')] },
    });
    expect(verdictOf(importedNetwork, 'P1', 'Notebook')).toBe('none');
  });
});
