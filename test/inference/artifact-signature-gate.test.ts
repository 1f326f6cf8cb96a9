import { Match, Template } from 'aws-cdk-lib/assertions';
import { composition } from './endpoint-fixture';
import { ArtifactSignatureGate } from '../../src/inference/artifact-signature-gate';

const KEY = 'fraud/job-7/output/model.tar.gz';

function gate(s3PrefixListId?: string, internetEgress = false) {
  const { stack, environment, registry } = composition(undefined, internetEgress
    ? { internetEgress: { reason: 'Package mirrors for the notebook images, reviewed in SEC-42' } } : {});
  const construct = new ArtifactSignatureGate(stack, 'Gate', { environment, registry, artifactKey: KEY, s3PrefixListId, owner: 'Test Gate' });
  return { stack, registry, construct, template: () => Template.fromStack(stack) };
}

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

describe('ArtifactSignatureGate', () => {
  const { stack, registry, construct, template } = gate();
  const t = template();
  const resources = t.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
  const idOf = (type: string, prefix: string) => Object.keys(resources).find((k) => resources[k].Type === type && k.startsWith(prefix))!;
  const bucket = stack.resolve(registry.artifactBucket.bucketName);
  const bucketArn = stack.resolve(registry.artifactBucket.bucketArn);

  test('a custom resource naming the artifact and the registry\'s signing key', () => {
    t.hasResourceProperties('Custom::ArtifactSignatureGate', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GateProviderframeworkonEvent'), 'Arn'] },
      ArtifactBucket: bucket,
      ArtifactKey: KEY,
      SigningKeyArn: stack.resolve(registry.signingKey.keyArn),
    });
    expect(stack.resolve(construct.digest)).toEqual({ 'Fn::GetAtt': [idOf('Custom::ArtifactSignatureGate', 'Gate'), 'Digest'] });
  });

  test('the gate function: Node.js 24, in the workload subnets, reserved concurrency 1, encrypted log group kept a year', () => {
    const fn = resources[idOf('AWS::Lambda::Function', 'GateFunction')].Properties;
    expect(fn).toMatchObject({
      Runtime: 'nodejs24.x',
      ReservedConcurrentExecutions: 1,
      Timeout: 900,
      VpcConfig: { SubnetIds: [{ Ref: expect.stringMatching(/^EnvVpcWorkloadSubnet1/) }, { Ref: expect.stringMatching(/^EnvVpcWorkloadSubnet2/) }] },
      LoggingConfig: { LogGroup: { Ref: idOf('AWS::Logs::LogGroup', 'GateLogGroup') } },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnvLogKey'), 'Arn'] }, RetentionInDays: 365 });
  });

  test('its role reads that artifact and its manifest, decrypts them and verifies with the signing key; nothing else', () => {
    const policy = Object.values(t.findResources('AWS::IAM::Policy')).find((p) => p.Properties.Roles[0].Ref.startsWith('GateRole'))!;
    const statements = policy.Properties.PolicyDocument.Statement as Statement[];
    const s3 = statements.filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(s3).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Resource: [
          { 'Fn::Join': ['', [bucketArn, `/${KEY}`]] },
          { 'Fn::Join': ['', [bucketArn, `/${KEY}.manifest.json`]] },
        ],
      }),
      expect.objectContaining({ Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringEquals: { 's3:prefix': [KEY, `${KEY}.manifest.json`] } } }),
    ]);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'kms:Decrypt', Resource: stack.resolve(registry.artifactKey.keyArn) }),
      expect.objectContaining({ Action: ['kms:Verify', 'kms:GetPublicKey'], Resource: stack.resolve(registry.signingKey.keyArn) }),
    ]));
    expect(JSON.stringify(statements)).not.toMatch(/kms:Sign"|s3:PutObject|sagemaker:/);
  });

  test('no ingress; HTTPS to the VPC endpoints and, in isolated subnets, to S3 through the gateway endpoint', () => {
    const sg = resources[idOf('AWS::EC2::SecurityGroup', 'GateSecurityGroup')].Properties;
    expect(sg.SecurityGroupIngress).toBeUndefined();
    expect(sg.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })]);
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [idOf('AWS::EC2::SecurityGroup', 'GateSecurityGroup'), 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnvEndpointSecurityGroup'), 'GroupId'] },
      FromPort: 443,
    });
  });

  test('the Provider framework: its own role writing only its encrypted log group, reserved concurrency 1', () => {
    const framework = resources[idOf('AWS::Lambda::Function', 'GateProviderframeworkonEvent')].Properties;
    expect(framework.ReservedConcurrentExecutions).toBe(1);
    expect(framework.Role).toEqual({ 'Fn::GetAtt': [idOf('AWS::IAM::Role', 'GateProviderRole'), 'Arn'] });
    expect(framework.LoggingConfig.LogGroup).toEqual({ Ref: idOf('AWS::Logs::LogGroup', 'GateProviderLogGroup') });
    expect(resources[idOf('AWS::IAM::Role', 'GateProviderRole')].Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('a given S3 prefix list replaces the any-address egress', () => {
    const sg = gate('pl-7ca54015').template().toJSON().Resources;
    const group = Object.entries<any>(sg).find(([k, r]) => r.Type === 'AWS::EC2::SecurityGroup' && k.startsWith('GateSecurityGroup'))![1];
    expect(JSON.stringify(group)).not.toContain('0.0.0.0/0');
    expect(Object.values<any>(sg).some((r) => r.Type === 'AWS::EC2::SecurityGroupEgress' && r.Properties.DestinationPrefixListId === 'pl-7ca54015')).toBe(true);
  });

  test('with internet egress in the VPC, refuses to open HTTPS to any address', () => {
    expect(() => gate(undefined, true)).toThrow(/Test Gate: the environment's VPC has internet egress.*Fix: set s3PrefixListId/);
    expect(() => gate('pl-7ca54015', true)).not.toThrow();
  });
});
