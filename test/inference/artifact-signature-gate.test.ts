import { Match, Template } from 'aws-cdk-lib/assertions';
import { composition } from './endpoint-fixture';
import { ArtifactSignatureGate, ArtifactSignatureGateProps } from '../../src/inference/artifact-signature-gate';
import { ModelRegistry } from '../../src/registry/model-registry';
import { acknowledgmentsOf, isReasoned } from '../compliance';

const KEY = `verified/${'ab'.repeat(32)}/model.tar.gz`;

function gate(s3PrefixListId = 'pl-7ca54015', internetEgress = false) {
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

  test('the gate function: Node.js 26 (the newest Lambda runtime), in the workload subnets, reserved concurrency 1, encrypted log group kept a year', () => {
    const fn = resources[idOf('AWS::Lambda::Function', 'GateFunction')].Properties;
    expect(fn).toMatchObject({
      Runtime: 'nodejs26.x',
      ReservedConcurrentExecutions: 1,
      Timeout: 900,
      VpcConfig: { SubnetIds: [{ Ref: expect.stringMatching(/^EnvVpcWorkloadSubnet1/) }, { Ref: expect.stringMatching(/^EnvVpcWorkloadSubnet2/) }] },
      LoggingConfig: { LogGroup: { Ref: idOf('AWS::Logs::LogGroup', 'GateLogGroup') } },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnvLogKey'), 'Arn'] }, RetentionInDays: 365 });
  });

  test('its role reads that artifact and its signature, decrypts them and verifies with the signing key; nothing else', () => {
    const policy = Object.values(t.findResources('AWS::IAM::Policy')).find((p) => p.Properties.Roles[0].Ref.startsWith('GateRole'))!;
    const statements = policy.Properties.PolicyDocument.Statement as Statement[];
    const s3 = statements.filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(s3).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Resource: [
          { 'Fn::Join': ['', [bucketArn, `/${KEY}`]] },
          { 'Fn::Join': ['', [bucketArn, `/${KEY}.sig`]] },
        ],
      }),
      expect.objectContaining({ Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringEquals: { 's3:prefix': [KEY, `${KEY}.sig`] } } }),
    ]);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'kms:Decrypt', Resource: stack.resolve(registry.artifactKey.keyArn) }),
      expect.objectContaining({ Action: ['kms:Verify', 'kms:GetPublicKey'], Resource: stack.resolve(registry.signingKey.keyArn) }),
    ]));
    expect(JSON.stringify(statements)).not.toMatch(/kms:Sign"|s3:PutObject|sagemaker:/);
  });

  test('no ingress; HTTPS only to the VPC endpoints and to S3 through the gateway endpoint\'s prefix list, never to any address', () => {
    const sg = resources[idOf('AWS::EC2::SecurityGroup', 'GateSecurityGroup')].Properties;
    expect(sg.SecurityGroupIngress).toBeUndefined();
    expect(JSON.stringify(resources)).not.toContain('0.0.0.0/0');
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [idOf('AWS::EC2::SecurityGroup', 'GateSecurityGroup'), 'GroupId'] },
      DestinationPrefixListId: 'pl-7ca54015',
      FromPort: 443,
    });
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

  test('with internet egress in the VPC, the gate still reaches only S3 and the endpoints', () => {
    const withEgress = Object.entries<any>(gate('pl-7ca54015', true).template().toJSON().Resources);
    const gateNetwork = withEgress.filter(([id, r]) => id.startsWith('GateSecurityGroup') || (r.Type === 'AWS::EC2::SecurityGroupEgress' && JSON.stringify(r).includes('GateSecurityGroup')));
    expect(gateNetwork.length).toBeGreaterThan(1);
    expect(JSON.stringify(gateNetwork)).not.toContain('0.0.0.0/0');
  });
});

describe('ArtifactSignatureGate for a model package', () => {
  const PACKAGE = 'arn:aws:sagemaker:eu-west-2:111111111111:model-package/fraud-detector/7';
  const IMAGE = '111111111111.dkr.ecr.eu-west-2.amazonaws.com/fraud-model@sha256:' + 'a'.repeat(64);

  function packageGate(props: Partial<ArtifactSignatureGateProps> = {}) {
    const { stack, environment, registry } = composition();
    const construct = new ArtifactSignatureGate(stack, 'Gate', {
      environment, registry, modelPackageArn: PACKAGE, imageUri: IMAGE, owner: 'Test Gate', s3PrefixListId: 'pl-7ca54015', ...props,
    });
    return { stack, registry, construct, template: () => Template.fromStack(stack) };
  }

  const { stack, registry, construct, template } = packageGate();
  const t = template();
  const gateId = Object.keys(t.findResources('Custom::ArtifactSignatureGate'))[0];
  const bucketArn = stack.resolve(registry.artifactBucket.bucketArn);
  const statements = (Object.values(t.findResources('AWS::IAM::Policy')).find((p) => p.Properties.Roles[0].Ref.startsWith('GateRole'))!
    .Properties.PolicyDocument.Statement) as Statement[];

  test('a custom resource naming the package, the registry\'s group, bucket and signing key, and the image: a new package is an update', () => {
    expect(t.findResources('Custom::ArtifactSignatureGate')[gateId].Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^GateProviderframeworkonEvent/), 'Arn'] },
      ArtifactBucket: stack.resolve(registry.artifactBucket.bucketName),
      ModelPackageArn: PACKAGE,
      ModelPackageGroupArn: stack.resolve(registry.modelPackageGroupArn),
      ImageUri: IMAGE,
      SigningKeyArn: stack.resolve(registry.signingKey.keyArn),
    });
    expect(stack.resolve(construct.artifactKey)).toEqual({ 'Fn::GetAtt': [gateId, 'ArtifactKey'] });
    expect(stack.resolve(construct.digest)).toEqual({ 'Fn::GetAtt': [gateId, 'Digest'] });
  });

  test('its role describes that package only, reads only the registered copies (verified/) and their signatures, decrypts and verifies', () => {
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('sagemaker:'))).toEqual([
      expect.objectContaining({ Action: 'sagemaker:DescribeModelPackage', Resource: PACKAGE }),
    ]);
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('s3:'))).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [bucketArn, '/verified/*']] } }),
    ]);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'kms:Decrypt', Resource: stack.resolve(registry.artifactKey.keyArn) }),
      expect.objectContaining({ Action: ['kms:Verify', 'kms:GetPublicKey'], Resource: stack.resolve(registry.signingKey.keyArn) }),
    ]));
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).filter((a) => /^(s3|kms|sagemaker):/.test(a));
    expect(actions.sort()).toEqual(['kms:Decrypt', 'kms:GetPublicKey', 'kms:Verify', 's3:GetObject', 'sagemaker:DescribeModelPackage']);
  });

  test('the one wildcard object pattern is acknowledged on the role with a reason, beside the EC2 one; no other wildcard', () => {
    const acknowledged = acknowledgmentsOf(construct.node.findChild('Role')).filter((a) => a.id.includes('IAM5'));
    expect(acknowledged.map((a) => a.id.replace(/^Annotation::/, '')).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::<RegistryArtifacts7C2929DE.Arn>/verified/*]',
    ]);
    expect(acknowledged.every((a) => isReasoned(a.reason))).toBe(true);
  });

  test('a registry of another account: the same statements, on its literal ARNs', () => {
    const { stack: s, environment } = composition();
    const imported = ModelRegistry.fromModelRegistryAttributes(s, 'Imported', {
      modelPackageGroupArn: 'arn:aws:sagemaker:eu-west-2:333333333333:model-package-group/fraud-detector',
      artifactBucketName: 'shared-registry-artifacts',
      artifactKeyArn: 'arn:aws:kms:eu-west-2:333333333333:key/11111111-2222-3333-4444-555555555555',
      signingKeyArn: 'arn:aws:kms:eu-west-2:333333333333:key/66666666-7777-8888-9999-000000000000',
    });
    const arn = 'arn:aws:sagemaker:eu-west-2:333333333333:model-package/fraud-detector/2';
    new ArtifactSignatureGate(s, 'Gate', { environment, registry: imported, modelPackageArn: arn, imageUri: IMAGE, s3PrefixListId: 'pl-7ca54015' });
    const it = Template.fromStack(s);
    it.hasResourceProperties('Custom::ArtifactSignatureGate', { ArtifactBucket: 'shared-registry-artifacts', ModelPackageArn: arn });
    it.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sagemaker:DescribeModelPackage', Resource: arn }),
          Match.objectLike({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared-registry-artifacts/verified/*' }),
          Match.objectLike({ Action: ['kms:Verify', 'kms:GetPublicKey'], Resource: 'arn:aws:kms:eu-west-2:333333333333:key/66666666-7777-8888-9999-000000000000' }),
        ]),
      },
    });
    // A package of another group of that account is refused when the app is synthesized.
    expect(() => new ArtifactSignatureGate(s, 'Other', {
      environment, registry: imported, modelPackageArn: 'arn:aws:sagemaker:eu-west-2:333333333333:model-package/churn/2', imageUri: IMAGE, s3PrefixListId: 'pl-7ca54015',
    })).toThrow(/ArtifactSignatureGate Other: `modelPackageArn` .* is a version of model package group 'churn', not of the registry's group 'fraud-detector'/);
  });

  test('exactly one source; a package needs the image it must run', () => {
    expect(() => packageGate({ artifactKey: KEY })).toThrow(/Test Gate: give exactly one of `artifactKey` .* and `modelPackageArn` .*; both were given/);
    expect(() => packageGate({ modelPackageArn: undefined })).toThrow(/Test Gate: give exactly one of .*; neither was given/);
    expect(() => packageGate({ imageUri: undefined })).toThrow(/Test Gate: `imageUri` is required with `modelPackageArn`.*Fix: pass the image URI/);
    expect(() => packageGate({ modelPackageArn: 'arn:aws:sagemaker:eu-west-2:111111111111:model-package/churn/1' }))
      .toThrow(/is a version of model package group 'churn', not of the registry's group 'fraud-detector'/);
  });
});
