import { ifElse, imported, validate, verdictOf } from '../../harness';

const SECURE = {
  AppNetworkAccessType: 'VpcOnly',
  VpcId: 'vpc-0abc',
  SubnetIds: ['subnet-1', 'subnet-2'],
  DefaultUserSettings: { ExecutionRole: 'arn:aws:iam::111122223333:role/studio', SecurityGroups: ['sg-0abc'] },
};
const domain = (properties: Record<string, unknown>) => ({
  Type: 'AWS::SageMaker::Domain',
  Properties: { DomainName: 'team', AuthMode: 'IAM', ...properties },
});
const run = (properties: Record<string, unknown>) => validate({ Resources: { Domain: domain(properties) } });

describe('P3 Studio domain in VPC-only mode', () => {
  test('compliant: VpcOnly with subnets, VPC and security groups', () => {
    const result = run(SECURE);
    expect(verdictOf(result, 'P3', 'Domain')).toBe('none');
    expect(result.tally('P3')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('compliant: enum written in another spelling', () => {
    expect(verdictOf(run({ ...SECURE, AppNetworkAccessType: 'VPC_ONLY' }), 'P3', 'Domain')).toBe('none');
  });

  test('non-compliant: AppNetworkAccessType absent is the CloudFormation default PublicInternetOnly', () => {
    const { AppNetworkAccessType: _, ...rest } = SECURE;
    const result = run(rest);
    expect(verdictOf(result, 'P3', 'Domain')).toBe('non-compliant');
    expect(result.of('P3')[0]).toMatchObject({ ruleName: 'SecureAI-P3', level: 'error', locations: ['Properties.AppNetworkAccessType'] });
    expect(result.of('P3')[0].message).toMatch(/AppNetworkAccessType is absent \(CloudFormation default PublicInternetOnly\)/);
  });

  test('non-compliant: PublicInternetOnly', () => {
    const result = run({ ...SECURE, AppNetworkAccessType: 'PublicInternetOnly' });
    expect(verdictOf(result, 'P3', 'Domain')).toBe('non-compliant');
    expect(result.of('P3')[0].message).toMatch(/"PublicInternetOnly"/);
  });

  test('non-compliant: no subnets, no VPC, no default security groups', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...SECURE, SubnetIds: [] }, 'Properties.SubnetIds'],
      [{ ...SECURE, VpcId: undefined }, 'Properties.VpcId'],
      [{ ...SECURE, DefaultUserSettings: { ExecutionRole: 'arn:aws:iam::111122223333:role/studio' } }, 'Properties.DefaultUserSettings.SecurityGroups'],
      [{ ...SECURE, DefaultUserSettings: { ExecutionRole: 'arn:aws:iam::111122223333:role/studio', SecurityGroups: [] } }, 'Properties.DefaultUserSettings.SecurityGroups'],
    ];
    for (const [properties, location] of cases) {
      const result = run(properties);
      expect(verdictOf(result, 'P3', 'Domain')).toBe('non-compliant');
      expect(result.of('P3')[0].locations).toEqual([location]);
    }
  });

  test('intrinsic: Fn::If with a PublicInternetOnly branch is a finding', () => {
    const result = run({ ...SECURE, AppNetworkAccessType: ifElse('VpcOnly', 'PublicInternetOnly') });
    expect(verdictOf(result, 'P3', 'Domain')).toBe('non-compliant');
    expect(result.of('P3')[0].message).toMatch(/possible forms/);
  });

  test('intrinsic: Ref to a parameter judged by its default and allowed values', () => {
    const withParameter = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { Access: { Default, AllowedValues } },
      Resources: { Domain: domain({ ...SECURE, AppNetworkAccessType: { Ref: 'Access' } }) },
    });
    expect(verdictOf(withParameter('VpcOnly'), 'P3', 'Domain')).toBe('none');
    expect(verdictOf(withParameter('PublicInternetOnly'), 'P3', 'Domain')).toBe('non-compliant');
    expect(withParameter('PublicInternetOnly').of('P3')[0].message).toMatch(/parameter Access/);
    expect(verdictOf(withParameter('VpcOnly', ['VpcOnly', 'PublicInternetOnly']), 'P3', 'Domain')).toBe('parameter');
  });

  test('unverifiable: network access type imported; imported VPC and subnets are set', () => {
    const result = run({ ...SECURE, AppNetworkAccessType: imported('studio-access') });
    expect(verdictOf(result, 'P3', 'Domain')).toBe('unverifiable');
    expect(result.of('P3')[0]).toMatchObject({ ruleName: 'SecureAI-P3[unverifiable]', level: 'warning' });
    const importedNetwork = run({ ...SECURE, VpcId: imported('vpc'), SubnetIds: { 'Fn::Split': [',', imported('subnets')] } });
    expect(verdictOf(importedNetwork, 'P3', 'Domain')).toBe('none');
  });
});
