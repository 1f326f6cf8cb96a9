import { ifElse, imported, validate, verdictOf } from '../../harness';
import { networkFixture } from '../../network-fixture';

const group = (ingress: unknown) => ({
  Type: 'AWS::EC2::SecurityGroup',
  Properties: { GroupDescription: 'model', VpcId: { Ref: 'Vpc' }, SecurityGroupIngress: ingress },
});
const ingress = (props: Record<string, unknown>) => ({
  Type: 'AWS::EC2::SecurityGroupIngress',
  Properties: { GroupId: { 'Fn::GetAtt': ['Group', 'GroupId'] }, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, ...props },
});

describe('P25 security groups of AI workloads admit no traffic from the whole internet', () => {
  test('compliant: ingress only from the VPC and from another group', () => {
    const run = validate(networkFixture({
      Group: group([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/16' }]),
      Ingress: ingress({ SourceSecurityGroupId: 'sg-callers' }),
    }));
    expect(verdictOf(run, 'P25', 'Group')).toBe('none');
    expect(verdictOf(run, 'P25', 'Ingress')).toBe('none');
    expect(run.tally('P25')).toMatchObject({ evaluated: 2, compliant: 2 });
  });

  test('non-compliant: an inline rule open to 0.0.0.0/0, named with its ports and the workload', () => {
    const run = validate(networkFixture({ Group: group([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }]) }));
    expect(verdictOf(run, 'P25', 'Group')).toBe('non-compliant');
    const finding = run.of('P25')[0];
    expect(finding).toMatchObject({ level: 'error', locations: ['Properties.SecurityGroupIngress'] });
    expect(finding.message).toMatch(/admits "0.0.0.0\/0" on tcp port 22/);
    expect(finding.message).toMatch(/AWS::SageMaker::Model Model \(VpcConfig.SecurityGroupIds\)/);
  });

  test('non-compliant: a separate ingress open to ::/0 on all traffic', () => {
    const run = validate(networkFixture({ Ingress: ingress({ IpProtocol: '-1', FromPort: undefined, ToPort: undefined, CidrIpv6: '::/0' }) }));
    expect(verdictOf(run, 'P25', 'Ingress')).toBe('non-compliant');
    expect(run.of('P25')[0].message).toMatch(/CidrIpv6 is "::\/0" on all traffic, opening security group Group/);
    expect(verdictOf(run, 'P25', 'Group')).toBe('none');
  });

  test('non-compliant: the internet split into halves, a /0 written with host bits, or the IPv6 internet as 2000::/3', () => {
    const halves = validate(networkFixture({ Group: group([{ IpProtocol: '-1', CidrIp: '0.0.0.0/1' }, { IpProtocol: '-1', CidrIp: '128.0.0.0/1' }]) }));
    expect(verdictOf(halves, 'P25', 'Group')).toBe('non-compliant');
    expect(halves.of('P25')[0].message).toMatch(/admits "0.0.0.0\/1" on all traffic \(a \/1, 2147483648 addresses\), "128.0.0.0\/1"/);
    const separate = validate(networkFixture({ Ingress: ingress({ CidrIp: '128.0.0.0/1' }) }));
    expect(verdictOf(separate, 'P25', 'Ingress')).toBe('non-compliant');
    expect(verdictOf(validate(networkFixture({ Ingress: ingress({ CidrIp: '1.2.3.4/0' }) })), 'P25', 'Ingress')).toBe('non-compliant');
    expect(verdictOf(validate(networkFixture({ Ingress: ingress({ CidrIpv6: '2000::/3' }) })), 'P25', 'Ingress')).toBe('non-compliant');
    // The widest ranges a network is given (10.0.0.0/8, an IPv6 /16) stay compliant.
    expect(verdictOf(validate(networkFixture({ Ingress: ingress({ CidrIp: '10.0.0.0/8' }) })), 'P25', 'Ingress')).toBe('none');
    expect(verdictOf(validate(networkFixture({ Ingress: ingress({ CidrIpv6: '2001:db8::/16' }) })), 'P25', 'Ingress')).toBe('none');
  });

  test('non-compliant: a prefix list of the app holding the internet, inline or in a separate ingress; a managed list is left alone', () => {
    const list = (cidr: string) => ({ Type: 'AWS::EC2::PrefixList', Properties: { PrefixListName: 'callers', AddressFamily: 'IPv4', MaxEntries: 2, Entries: [{ Cidr: '10.0.0.0/16' }, { Cidr: cidr }] } });
    const inline = validate(networkFixture({ Callers: list('0.0.0.0/0'), Group: group([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourcePrefixListId: { Ref: 'Callers' } }]) }));
    expect(verdictOf(inline, 'P25', 'Group')).toBe('non-compliant');
    expect(inline.of('P25')[0].message).toMatch(/admits prefix list Callers \(holding "0.0.0.0\/0"\) on tcp port 443/);
    const separate = validate(networkFixture({ Callers: list('0.0.0.0/0'), Ingress: ingress({ SourcePrefixListId: { 'Fn::GetAtt': ['Callers', 'PrefixListId'] } }) }));
    expect(verdictOf(separate, 'P25', 'Ingress')).toBe('non-compliant');
    expect(verdictOf(validate(networkFixture({ Callers: list('192.168.0.0/16'), Ingress: ingress({ SourcePrefixListId: { Ref: 'Callers' } }) })), 'P25', 'Ingress')).toBe('none');
    expect(verdictOf(validate(networkFixture({ Ingress: ingress({ SourcePrefixListId: 'pl-6da54004' }) })), 'P25', 'Ingress')).toBe('none');
  });

  test('non-compliant: a separate ingress that names its group by GroupName', () => {
    const run = validate(networkFixture({ Ingress: ingress({ GroupId: undefined, GroupName: { Ref: 'Group' }, CidrIp: '0.0.0.0/0' }) }));
    expect(verdictOf(run, 'P25', 'Ingress')).toBe('non-compliant');
  });

  test('not applicable: a group only a workload never created uses (its Condition is false)', () => {
    const fixture = networkFixture({ Group: group([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }]) });
    const run = validate({
      Conditions: { Serving: { 'Fn::Equals': ['prod', 'dev'] } },
      Resources: { ...fixture.Resources, Model: { ...fixture.Resources.Model, Condition: 'Serving' } },
    });
    expect(verdictOf(run, 'P25', 'Group')).toBe('none');
    expect(run.tally('P25')).toMatchObject({ notApplicable: 1 });
  });

  test('not applicable: a group no AI workload uses, open or not', () => {
    const run = validate(networkFixture({
      Group: group([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }]),
      Ingress: ingress({ CidrIp: '0.0.0.0/0' }),
    }, { model: false }));
    expect(run.of('P25')).toEqual([]);
    expect(run.tally('P25')).toMatchObject({ notApplicable: 2, compliant: 0 });
  });

  test('a state machine that runs a SageMaker job brings its security group into scope', () => {
    const definition = {
      'Fn::Join': ['', [
        '{"StartAt":"Train","States":{"Train":{"Type":"Task","Resource":"arn:aws:states:::sagemaker:createTrainingJob.sync",'
        + '"Parameters":{"VpcConfig":{"SecurityGroupIds":["', { 'Fn::GetAtt': ['Group', 'GroupId'] }, '"]}},"End":true}}}',
      ]],
    };
    const run = validate(networkFixture({
      Group: group([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }]),
      Workflow: { Type: 'AWS::StepFunctions::StateMachine', Properties: { RoleArn: 'arn:aws:iam::111122223333:role/sfn', DefinitionString: definition } },
    }, { model: false }));
    expect(verdictOf(run, 'P25', 'Group')).toBe('non-compliant');
    expect(run.of('P25')[0].message).toMatch(/AWS::StepFunctions::StateMachine Workflow/);
  });

  test('intrinsic: an Fn::If branch that opens the group is a finding; a parameter judged by its values', () => {
    const run = validate(networkFixture({ Ingress: ingress({ CidrIp: ifElse('10.0.0.0/8', '0.0.0.0/0') }) }));
    expect(verdictOf(run, 'P25', 'Ingress')).toBe('non-compliant');
    expect(run.of('P25')[0].message).toMatch(/possible forms/);
    const byParameter = validate({
      Parameters: { Callers: { Default: '0.0.0.0/0' } },
      Resources: networkFixture({ Ingress: ingress({ CidrIp: { Ref: 'Callers' } }) }).Resources,
    });
    expect(verdictOf(byParameter, 'P25', 'Ingress')).toBe('non-compliant');
    expect(byParameter.of('P25')[0].message).toMatch(/parameter Callers/);
  });

  test('unverifiable: the CIDR or the whole rule list is imported', () => {
    const cidr = validate(networkFixture({ Ingress: ingress({ CidrIp: imported('callers-cidr') }) }));
    expect(verdictOf(cidr, 'P25', 'Ingress')).toBe('unverifiable');
    const list = validate(networkFixture({ Group: group(imported('model-ingress')) }));
    expect(verdictOf(list, 'P25', 'Group')).toBe('unverifiable');
  });

  test('an ingress on an imported group is not the rule\'s to judge', () => {
    const run = validate(networkFixture({ Ingress: ingress({ GroupId: imported('sg'), CidrIp: '0.0.0.0/0' }) }));
    expect(verdictOf(run, 'P25', 'Ingress')).toBe('none');
  });

  test('malformed values never throw', () => {
    const run = validate(networkFixture({ Group: group(['oops', 42, { CidrIp: 7 }]), Ingress: ingress({ CidrIp: { nested: true } }) }));
    expect(run.tally('P25').errors).toBe(0);
  });
});
