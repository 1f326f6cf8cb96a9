import { App, Stack, Tags, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { AiEnvironmentStage } from '../../src/environment/ai-environment-stage';
import { ArtifactSigningKey } from '../../src/registry/artifact-signing-key';
import { ModelPackageMetadata } from '../../src/registry/model-package-metadata';
import { ModelRegistry, ModelRegistryProps } from '../../src/registry/model-registry';
import { IModelRegistry, ModelRegistryAttributes } from '../../src/registry/model-registry-ref';
import { DataClassification } from '../../src/storage/data-classification';
import { backUpAiStores, canaryFindings, checkCompliance, isReasoned, silentPacks } from '../compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };
const PACKAGES = 'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detector/*';

function build(props: Partial<ModelRegistryProps> = {}, stage?: EnvironmentStage) {
  const stack = new Stack(new App(), 'Registry', { env: ENV });
  const env = new AiEnvironment(stack, 'Env', { owner: 'ml-platform', stage });
  const registry = new ModelRegistry(stack, 'Models', { environment: env, ...props });
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as kms.CfnKey);
  return { stack, env, registry, id, template: () => Template.fromStack(stack) };
}

/** Resolves ARNs built with the partition token to the `aws` partition, so that tests can compare literal ARNs. */
function resolved(stack: Stack, value: unknown): unknown {
  return JSON.parse(JSON.stringify(stack.resolve(value)).replace(/\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},"([^"]*)"\]\]\}/g, '"arn:aws$1"'));
}

function keyPolicyOf(t: Template, logicalId: string): Array<Record<string, unknown>> {
  return t.toJSON().Resources[logicalId].Properties.KeyPolicy.Statement;
}

function policyStatementsOf(stack: Stack, role: iam.Role): unknown[] {
  const t = Template.fromStack(stack).toJSON();
  const policy = Object.values<any>(t.Resources).find((r) => r.Type === 'AWS::IAM::Policy'
    && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }]));
  return resolved(stack, policy.Properties.PolicyDocument.Statement) as unknown[];
}

describe('ModelRegistry defaults', () => {
  const { stack, env, registry, id, template } = build({ modelPackageGroupName: 'fraud-detector' });
  const t = template();
  const signingKeyId = id(registry.signingKey);

  test('implements IModelRegistry: the store and the signing key are the ones it created', () => {
    const asInterface: IModelRegistry = registry;
    expect(asInterface.artifactBucket).toBe(registry.artifactBucket);
    expect(registry.artifactBucket.node.path).toBe('Registry/Models/Artifacts');
    expect(registry.signingKey).toBeInstanceOf(ArtifactSigningKey);
  });

  test('a RETAINed model package group, tagged, whose policy keeps the signed metadata and is changed only by the key administrator', () => {
    const group = Object.values<any>(t.findResources('AWS::SageMaker::ModelPackageGroup'))[0];
    expect(group.Properties.ModelPackageGroupPolicy.Statement.map((s: any) => s.Sid)).toEqual([
      ...ModelPackageMetadata.ALL.map((_key, i) => `SignedMetadataIsFixed${i + 1}`), 'SignedMetadataIsKept', 'GroupPolicyOnlyByAdministrator',
    ]);
    t.hasResource('AWS::SageMaker::ModelPackageGroup', {
      Properties: {
        ModelPackageGroupName: 'fraud-detector',
        Tags: Match.arrayWith([{ Key: 'DataClassification', Value: 'confidential' }, { Key: 'Owner', Value: 'ml-platform' }]),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(registry.modelPackageGroupName).toBe('fraud-detector');
    expect(stack.resolve(registry.modelPackageGroupArn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(registry.modelPackageGroup), 'ModelPackageGroupArn'] });
    expect(resolved(stack, registry.modelPackageArnPattern)).toBe(PACKAGES);
  });

  test('the artifact store: Object Lock in compliance mode for 365 days, the environment data key, an AI asset', () => {
    t.hasResource('AWS::S3::Bucket', {
      Properties: {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [id(env.dataKey), 'Arn'] } } })] },
        VersioningConfiguration: { Status: 'Enabled' },
        Tags: Match.arrayWith([{ Key: 'ai:artifacts', Value: 'true' }, { Key: 'ai:asset', Value: 'true' }, { Key: 'DataClassification', Value: 'confidential' }]),
      },
      DeletionPolicy: 'Retain',
    });
    expect(registry.artifactKey).toBe(env.dataKey);
  });

  test('the signing key: ECC_NIST_P256, SIGN_VERIFY, no rotation (asymmetric), 30-day window, RETAINed, an AI asset', () => {
    t.hasResource('AWS::KMS::Key', {
      Properties: {
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        EnableKeyRotation: false,
        PendingWindowInDays: 30,
        Tags: Match.arrayWith([{ Key: 'ai:asset', Value: 'true' }]),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(registry.signingKey).toBeInstanceOf(ArtifactSigningKey);
  });

  test('the signing key policy: root administers, nobody but the root signs until publishers are granted, grants only for AWS resources', () => {
    expect(resolved(stack, keyPolicyOf(t, signingKeyId))).toEqual([
      { Action: 'kms:*', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Resource: '*' },
      {
        Sid: 'SignOnlyByPublishers',
        Action: 'kms:Sign',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: '*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:root'] } },
      },
      {
        Sid: 'GrantsOnlyForAwsResources',
        Action: 'kms:CreateGrant',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: '*',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      },
      {
        Sid: 'KeyAdministrationOnlyByAdministrator',
        Action: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey'],
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: '*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-us-east-1' }] } },
      },
    ]);
  });

  test('the audit trail: state changes of this group only, into a log group under the environment log key, kept a year', () => {
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/aws/events/sagemaker/model-packages/fraud-detector',
        KmsKeyId: { 'Fn::GetAtt': [id(env.logKey), 'Arn'] },
        RetentionInDays: 365,
        Tags: Match.arrayWith([{ Key: 'ai:asset', Value: 'true' }]),
      },
      DeletionPolicy: 'Retain',
    });
    const logGroupId = stack.getLogicalId(registry.auditLogGroup.node.defaultChild as logs.CfnLogGroup);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        'detail': { ModelPackageGroupName: ['fraud-detector'] },
      },
      State: 'ENABLED',
      Targets: [{ Id: 'Target0', Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:111111111111:log-group:', { Ref: logGroupId }]] } }],
    });
  });

  test('the log group lets EventBridge write for this rule only, through a native resource policy (no custom resource)', () => {
    const ruleId = Object.keys(t.findResources('AWS::Events::Rule')).find((k) => k.startsWith('ModelsAuditStateChanges'))!;
    const logGroupId = stack.getLogicalId(registry.auditLogGroup.node.defaultChild as logs.CfnLogGroup);
    const policy = Object.values<any>(t.findResources('AWS::Logs::ResourcePolicy')).find((p) => JSON.stringify(p).includes(logGroupId));
    // The document is a JSON string joined around the ARNs; the ARNs are replaced by <logical ID> to read it.
    const parts: unknown[] = stack.resolve(policy.Properties.PolicyDocument)['Fn::Join'][1];
    const document = JSON.parse(parts.map((p: any) => (typeof p === 'string' ? p : `<${p['Fn::GetAtt'][0]}>`)).join(''));
    expect(document).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'StateChangesFromThisRule',
        Effect: 'Allow',
        Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `<${logGroupId}>`,
        Condition: { ArnEquals: { 'aws:SourceArn': `<${ruleId}>` } },
      }],
    });
    t.resourceCountIs('Custom::CloudwatchLogResourcePolicy', 0);
    // aws-events-targets' CloudWatchLogGroup would add an AwsCustomResource (its singleton Lambda) to write the policy.
    expect(Object.keys(t.findResources('AWS::Lambda::Function')).filter((k) => k.startsWith('AWS679f53fac'))).toEqual([]);
  });
});

describe('ModelRegistry options', () => {
  test('the group name is derived from the path when not given: lowercase, valid for SageMaker', () => {
    const { registry, template } = build();
    expect(registry.modelPackageGroupName).toMatch(/^[a-z0-9](-*[a-z0-9]){0,62}$/);
    expect(registry.modelPackageGroupName).toContain('models');
    template().hasResourceProperties('AWS::SageMaker::ModelPackageGroup', { ModelPackageGroupName: registry.modelPackageGroupName });
  });

  test('description, retention, audit retention and classification', () => {
    const { template } = build({
      description: 'Fraud models',
      artifactRetentionDays: 3650,
      auditLogRetention: logs.RetentionDays.TWO_YEARS,
      dataClassification: DataClassification.RESTRICTED,
    });
    const t = template();
    t.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupDescription: 'Fraud models',
      Tags: Match.arrayWith([{ Key: 'DataClassification', Value: 'restricted' }]),
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3650 } } },
      Tags: Match.arrayWith([{ Key: 'DataClassification', Value: 'restricted' }]),
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^/aws/events/'), RetentionInDays: 731 });
  });

  test('a development environment may keep the audit log shorter', () => {
    const { template } = build({ auditLogRetention: logs.RetentionDays.THREE_MONTHS }, EnvironmentStage.DEVELOPMENT);
    template().hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^/aws/events/'), RetentionInDays: 90 });
  });

  describe('reader accounts', () => {
    const { stack, env, registry, id, template } = build({ modelPackageGroupName: 'fraud-detector', readerAccounts: ['222222222222', '333333333333'] });
    const t = template();
    const readers = { AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:root'] };

    test('the group policy names each account, read-only, on the group and its packages (and CreateModel from them, for a cross-account deployment)', () => {
      const group = Object.values<any>(t.findResources('AWS::SageMaker::ModelPackageGroup'))[0];
      const document = resolved(stack, group.Properties.ModelPackageGroupPolicy) as { Statement: Array<{ Sid: string }> };
      expect({ ...document, Statement: document.Statement.filter((s) => s.Sid.startsWith('ReaderAccounts')) }).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReaderAccountsDescribeGroup',
            Effect: 'Allow',
            Principal: readers,
            Action: 'sagemaker:DescribeModelPackageGroup',
            Resource: 'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud-detector',
          },
          {
            Sid: 'ReaderAccountsReadPackages',
            Effect: 'Allow',
            Principal: readers,
            Action: ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages', 'sagemaker:CreateModel'],
            Resource: PACKAGES,
          },
        ],
      });
    });

    test('the store gets a key of its own, which the readers may use through S3 only', () => {
      expect(registry.artifactKey).not.toBe(env.dataKey);
      const artifactKeyId = id(registry.artifactKey as kms.Key);
      expect(artifactKeyId).toMatch(/^ModelsArtifactKey/);
      t.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [artifactKeyId, 'Arn'] } } })] },
      });
      expect(resolved(stack, keyPolicyOf(t, artifactKeyId))).toContainEqual({
        Sid: 'ReaderAccountsDecryptArtifacts',
        Effect: 'Allow',
        Principal: readers,
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
      });
    });

    test('the readers may get objects and their versions, and verify signatures', () => {
      const bucketId = stack.getLogicalId(registry.artifactBucket.node.defaultChild as kms.CfnKey);
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Sid: 'ReaderAccountsReadArtifacts',
            Effect: 'Allow',
            Principal: { AWS: [Match.objectLike({}), Match.objectLike({})] },
            Action: ['s3:GetObject', 's3:GetObjectVersion'],
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
          }]),
        },
      });
      expect(resolved(stack, keyPolicyOf(t, id(registry.signingKey)))).toContainEqual({
        Sid: 'ReaderAccountsVerify',
        Effect: 'Allow',
        Principal: readers,
        Action: ['kms:Verify', 'kms:GetPublicKey', 'kms:DescribeKey'],
        Resource: '*',
      });
    });
  });
});

describe('ModelRegistry grants', () => {
  function withRoles() {
    const built = build({ modelPackageGroupName: 'fraud-detector' });
    const role = (name: string) => new iam.Role(built.stack, name, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    return { ...built, role };
  }

  test('grantPublish: put the named objects, the data key to upload, create packages in the group; no signing, no wildcard action', () => {
    const { stack, env, registry, id, role } = withRoles();
    const publisher = role('Publisher');
    registry.grantPublish(publisher, 'verified/*');
    const bucketId = stack.getLogicalId(registry.artifactBucket.node.defaultChild as kms.CfnKey);
    expect(policyStatementsOf(stack, publisher)).toEqual([
      { Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/verified/*']] } },
      { Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(env.dataKey), 'Arn'] } },
      {
        Action: 'sagemaker:CreateModelPackage',
        Effect: 'Allow',
        Resource: [{ 'Fn::GetAtt': [stack.getLogicalId(registry.modelPackageGroup), 'ModelPackageGroupArn'] }, PACKAGES],
      },
    ]);
  });

  test('grantPublish with a key pattern writes only those objects', () => {
    const { stack, registry, role } = withRoles();
    const publisher = role('Publisher');
    registry.grantPublish(publisher, 'training/fraud/*');
    const bucketId = stack.getLogicalId(registry.artifactBucket.node.defaultChild as kms.CfnKey);
    expect(policyStatementsOf(stack, publisher)[0]).toEqual({
      Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/training/fraud/*']] },
    });
  });

  test('grantSign, not grantPublish, exempts its grantee from the signing deny and allows it kms:Sign in the key policy', () => {
    const { stack, registry, id, role, template } = withRoles();
    const publisher = role('Publisher');
    const signer = role('Signer');
    registry.grantPublish(publisher, 'verified/*');
    registry.grantSign(signer);
    const signerArn = { 'Fn::GetAtt': [stack.getLogicalId(signer.node.defaultChild as iam.CfnRole), 'Arn'] };
    const statements = resolved(stack, keyPolicyOf(template(), id(registry.signingKey))) as Array<Record<string, any>>;
    expect(statements.find((s) => s.Sid === 'SignOnlyByPublishers')!.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:root', signerArn] } });
    expect(statements).toContainEqual({ Action: ['kms:Sign', 'kms:GetPublicKey'], Effect: 'Allow', Principal: { AWS: signerArn }, Resource: '*' });
    expect(JSON.stringify(policyStatementsOf(stack, publisher))).not.toContain('kms:Sign');
  });

  test('grantPublish needs the objects it grants: never the whole store', () => {
    const { registry, role } = withRoles();
    for (const pattern of ['*', '', '/verified/*']) {
      expect(() => registry.grantPublish(role(`P${pattern.length}`), pattern)).toThrow(/the objects key pattern '.*' is not a prefix of the artifact store\. Fix: name the objects/);
    }
  });

  test('grantRead: describe and list the group\'s packages, get objects, decrypt, verify; no wildcard action', () => {
    const { stack, env, registry, id, role } = withRoles();
    const reader = role('Reader');
    registry.grantRead(reader);
    const groupArn = { 'Fn::GetAtt': [stack.getLogicalId(registry.modelPackageGroup), 'ModelPackageGroupArn'] };
    const bucketId = stack.getLogicalId(registry.artifactBucket.node.defaultChild as kms.CfnKey);
    expect(policyStatementsOf(stack, reader)).toEqual([
      { Action: 'sagemaker:DescribeModelPackageGroup', Effect: 'Allow', Resource: groupArn },
      { Action: ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'], Effect: 'Allow', Resource: [groupArn, PACKAGES] },
      { Action: ['s3:GetObject', 's3:GetObjectVersion'], Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] } },
      { Action: 'kms:Decrypt', Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(env.dataKey), 'Arn'] } },
      { Action: ['kms:Verify', 'kms:GetPublicKey'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(registry.signingKey), 'Arn'] } },
    ]);
  });

  test('grantVerify: Verify and GetPublicKey on the signing key, in the role policy and the key policy; signing stays denied', () => {
    const { stack, registry, id, role, template } = withRoles();
    const gate = role('Gate');
    registry.grantVerify(gate);
    const roleArn = { 'Fn::GetAtt': [stack.getLogicalId(gate.node.defaultChild as iam.CfnRole), 'Arn'] };
    expect(policyStatementsOf(stack, gate)).toEqual([
      { Action: ['kms:Verify', 'kms:GetPublicKey'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(registry.signingKey), 'Arn'] } },
    ]);
    const statements = resolved(stack, keyPolicyOf(template(), id(registry.signingKey))) as Array<Record<string, any>>;
    expect(statements).toContainEqual({ Action: ['kms:Verify', 'kms:GetPublicKey'], Effect: 'Allow', Principal: { AWS: roleArn }, Resource: '*' });
    expect(statements.find((s) => s.Sid === 'SignOnlyByPublishers')!.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:root'] } });
  });

  test('kms:Sign granted directly on the signing key also exempts the signer (a Lambda function: its role)', () => {
    const { stack, registry, id, template } = withRoles();
    const fn = new lambda.Function(stack, 'Signer', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=1') });
    registry.signingKey.grant(fn, 'kms:Sign');
    const statements = resolved(stack, keyPolicyOf(template(), id(registry.signingKey))) as Array<Record<string, any>>;
    expect(statements.find((s) => s.Sid === 'SignOnlyByPublishers')!.Condition.ArnNotEquals['aws:PrincipalArn'])
      .toContainEqual({ 'Fn::GetAtt': [stack.getLogicalId(fn.role!.node.defaultChild as iam.CfnRole), 'Arn'] });
  });

  test('signing cannot be granted to a service or a whole account; the signing key neither encrypts nor decrypts', () => {
    const { registry, role } = withRoles();
    expect(() => registry.signingKey.grant(new iam.ServicePrincipal('lambda.amazonaws.com'), 'kms:Sign')).toThrow(/kms:Sign can only be granted to an IAM role or user/);
    expect(() => registry.signingKey.grant(new iam.AccountRootPrincipal(), 'kms:Sign')).toThrow(/kms:Sign can only be granted to an IAM role or user/);
    expect(() => registry.signingKey.grantDecrypt(role('R'))).toThrow(/grantDecrypt is not available; this key only signs and verifies/);
    expect(() => registry.signingKey.grantEncrypt(role('E'))).toThrow(/grantEncrypt is not available/);
    expect(() => registry.signingKey.grantEncryptDecrypt(role('ED'))).toThrow(/grantEncryptDecrypt is not available/);
  });

  test('grants refuse principals of another environment stage', () => {
    const app = new App();
    const prod = new AiEnvironmentStage(app, 'Prod', { environmentStage: EnvironmentStage.PRODUCTION, env: { account: '222222222222', region: 'us-east-1' } });
    const dev = new AiEnvironmentStage(app, 'Dev', { environmentStage: EnvironmentStage.DEVELOPMENT, env: { account: '111111111111', region: 'us-east-1' } });
    const prodStack = new Stack(prod, 'Registry');
    const registry = new ModelRegistry(prodStack, 'Models', { environment: new AiEnvironment(prodStack, 'Env', { owner: 'ml' }) });
    const devRole = new iam.Role(new Stack(dev, 'Apps'), 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(() => registry.grantPublish(devRole, 'verified/*')).toThrow(/belongs to the production environment .* cannot be granted/);
    expect(() => registry.grantRead(devRole)).toThrow(/belongs to the production environment .* cannot be granted/);
    expect(() => registry.grantVerify(devRole)).toThrow(/belongs to the production environment .* cannot be granted/);
  });
});

describe('ModelRegistry.grantReadArtifacts', () => {
  test('named objects only, and decrypting them: one model, not the registry', () => {
    const { stack, env, registry, id } = build({ modelPackageGroupName: 'fraud-detector' });
    const role = new iam.Role(stack, 'Endpoint', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    registry.grantReadArtifacts(role, ['fraud/job-1/output/model.tar.gz', 'fraud/job-1/output/baseline/constraints.json']);
    const bucketArn = { 'Fn::GetAtt': [stack.getLogicalId(registry.artifactBucket.node.defaultChild as kms.CfnKey), 'Arn'] };
    expect(policyStatementsOf(stack, role)).toEqual([
      {
        Action: 's3:GetObject',
        Effect: 'Allow',
        Resource: [
          { 'Fn::Join': ['', [bucketArn, '/fraud/job-1/output/model.tar.gz']] },
          { 'Fn::Join': ['', [bucketArn, '/fraud/job-1/output/baseline/constraints.json']] },
        ],
      },
      { Action: 'kms:Decrypt', Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(env.dataKey), 'Arn'] } },
    ]);
  });

  test('refuses an empty list and principals of another stage', () => {
    const { stack, registry } = build();
    const role = new iam.Role(stack, 'Endpoint', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    expect(() => registry.grantReadArtifacts(role, [])).toThrow(/grantReadArtifacts was given no object keys\. Fix: name the objects/);
    const app = new App();
    const prodStack = new Stack(new AiEnvironmentStage(app, 'Prod', { environmentStage: EnvironmentStage.PRODUCTION, env: { account: '222222222222', region: 'us-east-1' } }), 'Registry');
    const prod = new ModelRegistry(prodStack, 'Models', { environment: new AiEnvironment(prodStack, 'Env', { owner: 'ml' }) });
    const devStack = new Stack(new AiEnvironmentStage(app, 'Dev', { environmentStage: EnvironmentStage.DEVELOPMENT, env: { account: '111111111111', region: 'us-east-1' } }), 'Apps');
    const devRole = new iam.Role(devStack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    expect(() => prod.grantReadArtifacts(devRole, ['m/model.tar.gz'])).toThrow(/belongs to the production environment .* cannot be granted/);
  });
});

describe('ModelRegistry.fromModelRegistryAttributes: a registry of another account, by literal values', () => {
  const ATTRS: ModelRegistryAttributes = {
    modelPackageGroupArn: 'arn:aws:sagemaker:eu-west-2:111111111111:model-package-group/fraud-detector',
    artifactBucketName: 'registry-models-artifacts-1a2b3c4d',
    artifactKeyArn: 'arn:aws:kms:eu-west-2:111111111111:key/11111111-2222-3333-4444-555555555555',
    signingKeyArn: 'arn:aws:kms:eu-west-2:111111111111:key/66666666-7777-8888-9999-000000000000',
  };

  function consumer(attrs: Partial<ModelRegistryAttributes> = {}) {
    const stack = new Stack(new App(), 'Serving', { env: { account: '222222222222', region: 'eu-west-2' } });
    const registry: IModelRegistry = ModelRegistry.fromModelRegistryAttributes(stack, 'Registry', { ...ATTRS, ...attrs });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    return { stack, registry, role };
  }

  test('reads the group name, account and Region from the ARN; the bucket and keys are the literal ones', () => {
    const { stack, registry } = consumer();
    expect(registry.modelPackageGroupName).toBe('fraud-detector');
    expect(registry.modelPackageGroupArn).toBe(ATTRS.modelPackageGroupArn);
    expect(registry.modelPackageArnPattern).toBe('arn:aws:sagemaker:eu-west-2:111111111111:model-package/fraud-detector/*');
    expect(stack.resolve(registry.artifactBucket.bucketName)).toBe(ATTRS.artifactBucketName);
    expect(stack.resolve(registry.artifactBucket.bucketArn)).toBe('arn:aws:s3:::registry-models-artifacts-1a2b3c4d');
    expect(registry.artifactBucket.env).toEqual(expect.objectContaining({ account: '111111111111', region: 'eu-west-2' }));
    expect(stack.resolve(registry.artifactKey.keyArn)).toBe(ATTRS.artifactKeyArn);
    expect(stack.resolve(registry.signingKey.keyArn)).toBe(ATTRS.signingKeyArn);
    // Nothing is created: an import adds no resource to the consumer's stack.
    expect(Template.fromStack(stack).toJSON().Resources).toEqual({
      [stack.getLogicalId(stack.node.findChild('Role').node.defaultChild as iam.CfnRole)]: expect.objectContaining({ Type: 'AWS::IAM::Role' }),
    });
  });

  test('a mrk key and a GovCloud partition are accepted', () => {
    expect(() => consumer({ artifactKeyArn: 'arn:aws:kms:eu-west-2:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab' })).not.toThrow();
    expect(() => consumer({
      modelPackageGroupArn: 'arn:aws-us-gov:sagemaker:us-gov-west-1:111111111111:model-package-group/fraud',
      artifactKeyArn: 'arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/11111111-2222-3333-4444-555555555555',
      signingKeyArn: 'arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/66666666-7777-8888-9999-000000000000',
    })).not.toThrow();
  });

  test('its grants write the grantee\'s policy only: the group, the store, the artifact key through S3, the signing key', () => {
    const { stack, registry, role } = consumer();
    registry.grantRead(role);
    const other = new iam.Role(stack, 'Other', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    registry.grantReadArtifacts(other, ['fraud/job-1/output/model.tar.gz']);
    registry.grantVerify(other);
    const viaS3 = { StringEquals: { 'kms:ViaService': 's3.eu-west-2.amazonaws.com' } };
    expect(policyStatementsOf(stack, role)).toEqual([
      { Action: 'sagemaker:DescribeModelPackageGroup', Effect: 'Allow', Resource: ATTRS.modelPackageGroupArn },
      {
        Action: ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'],
        Effect: 'Allow',
        Resource: [ATTRS.modelPackageGroupArn, 'arn:aws:sagemaker:eu-west-2:111111111111:model-package/fraud-detector/*'],
      },
      { Action: ['s3:GetObject', 's3:GetObjectVersion'], Effect: 'Allow', Resource: 'arn:aws:s3:::registry-models-artifacts-1a2b3c4d/*' },
      { Action: 'kms:Decrypt', Effect: 'Allow', Resource: ATTRS.artifactKeyArn, Condition: viaS3 },
      { Action: ['kms:Verify', 'kms:GetPublicKey'], Effect: 'Allow', Resource: ATTRS.signingKeyArn },
    ]);
    expect(policyStatementsOf(stack, other)).toEqual([
      { Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::registry-models-artifacts-1a2b3c4d/fraud/job-1/output/model.tar.gz' },
      { Action: 'kms:Decrypt', Effect: 'Allow', Resource: ATTRS.artifactKeyArn, Condition: viaS3 },
      { Action: ['kms:Verify', 'kms:GetPublicKey'], Effect: 'Allow', Resource: ATTRS.signingKeyArn },
    ]);
    // Only the two roles and their policies: no bucket policy, key or key policy, group policy.
    const types = Object.values(Template.fromStack(stack).toJSON().Resources).map((r: any) => r.Type).sort();
    expect(types).toEqual(['AWS::IAM::Policy', 'AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::IAM::Role']);
  });

  const invalid: Array<[string, Partial<ModelRegistryAttributes>, RegExp]> = [
    ['a group ARN known only at deploy time', { modelPackageGroupArn: Token.asString({ Ref: 'GroupArn' }) },
      /fromModelRegistryAttributes Registry: modelPackageGroupArn is a deploy-time value.*Fix: give the literal ARN, for example 'arn:aws:sagemaker:/],
    ['a group name instead of an ARN', { modelPackageGroupArn: 'fraud-detector' }, /modelPackageGroupArn 'fraud-detector' is not an ARN\. Fix: give the literal ARN/],
    ['an ARN of another service', { modelPackageGroupArn: 'arn:aws:s3:::fraud-detector' }, /modelPackageGroupArn 'arn:aws:s3:::fraud-detector' is an ARN of service 's3', not 'sagemaker'/],
    ['a package ARN instead of the group', { modelPackageGroupArn: 'arn:aws:sagemaker:eu-west-2:111111111111:model-package/fraud-detector/3' },
      /modelPackageGroupArn '.*' is the ARN of a sagemaker model-package, not of a model-package-group/],
    ['a group ARN without account', { modelPackageGroupArn: 'arn:aws:sagemaker:eu-west-2::model-package-group/fraud-detector' }, /has account '', not a 12-digit account ID/],
    ['a group ARN without Region', { modelPackageGroupArn: 'arn:aws:sagemaker::111111111111:model-package-group/fraud-detector' }, /modelPackageGroupArn '.*' has no Region/],
    ['an invalid group name', { modelPackageGroupArn: 'arn:aws:sagemaker:eu-west-2:111111111111:model-package-group/fraud_detector' },
      /has an invalid model-package-group name or ID \('fraud_detector'\)/],
    ['an alias as artifact key', { artifactKeyArn: 'arn:aws:kms:eu-west-2:111111111111:alias/artifacts' }, /artifactKeyArn '.*' is the ARN of a kms alias, not of a key/],
    ['a bucket ARN as artifact key', { artifactKeyArn: 'arn:aws:s3:::bucket' }, /artifactKeyArn 'arn:aws:s3:::bucket' is an ARN of service 's3', not 'kms'/],
    ['an artifact key of another account', { artifactKeyArn: 'arn:aws:kms:eu-west-2:333333333333:key/11111111-2222-3333-4444-555555555555' },
      /artifactKeyArn '.*' is in account 333333333333, Region eu-west-2, but the registry's model package group \(modelPackageGroupArn\) is in account 111111111111/],
    ['a signing key of another Region', { signingKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/66666666-7777-8888-9999-000000000000' },
      /signingKeyArn '.*' is in account 111111111111, Region us-east-1, but the registry's model package group/],
    ['a signing key ID that is not one', { signingKeyArn: 'arn:aws:kms:eu-west-2:111111111111:key/not-a-key' }, /signingKeyArn '.*' has an invalid key name or ID \('not-a-key'\)/],
    ['the same key twice', { signingKeyArn: 'arn:aws:kms:eu-west-2:111111111111:key/11111111-2222-3333-4444-555555555555' },
      /signingKeyArn and artifactKeyArn are the same key.*Fix: give the registry's signing key/],
    ['a bucket ARN as bucket name', { artifactBucketName: 'arn:aws:s3:::registry-artifacts' }, /artifactBucketName 'arn:aws:s3:::registry-artifacts' is not an S3 bucket name\. Fix: give the name only/],
    ['an s3:// URI as bucket name', { artifactBucketName: 's3://registry-artifacts' }, /artifactBucketName 's3:\/\/registry-artifacts' is not an S3 bucket name/],
    ['an uppercase bucket name', { artifactBucketName: 'Registry-Artifacts' }, /artifactBucketName 'Registry-Artifacts' is not an S3 bucket name/],
    ['a bucket name known only at deploy time', { artifactBucketName: Token.asString({ 'Fn::ImportValue': 'Bucket' }) }, /artifactBucketName is a deploy-time value\. Fix: give the artifact bucket's name as text/],
  ];
  test.each(invalid)('%s throws naming the attribute and the fix', (_what, attrs, message) => {
    expect(() => consumer(attrs)).toThrow(message);
  });
});

describe('ModelRegistry invalid props throw naming the prop and the fix', () => {
  const cases: Array<[string, Partial<ModelRegistryProps>, RegExp]> = [
    ['a group name with an underscore', { modelPackageGroupName: 'fraud_detector' }, /ModelRegistry Models: modelPackageGroupName 'fraud_detector' is not a valid model package group name\. Fix: use 1 to 63 letters, digits and hyphens/],
    ['a group name over 63 characters', { modelPackageGroupName: 'a'.repeat(64) }, /modelPackageGroupName 'a{64}' is not a valid/],
    ['a group name ending in a hyphen', { modelPackageGroupName: 'fraud-' }, /modelPackageGroupName 'fraud-' is not a valid/],
    ['a description over 1024 characters', { description: 'd'.repeat(1025) }, /description is 1025 characters long\. Fix: shorten it to at most 1024 characters/],
    ['a zero retention', { artifactRetentionDays: 0 }, /artifactRetentionDays is 0, but it must be a whole number between 1 and 36500\. Fix: give how many days each released artifact must stay immutable/],
    ['a retention over a century', { artifactRetentionDays: 36501 }, /artifactRetentionDays is 36501, but it must be a whole number between 1 and 36500/],
    ['a fractional retention', { artifactRetentionDays: 1.5 }, /artifactRetentionDays is 1\.5, but it must be a whole number between 1 and 36500/],
    ['a wildcard reader', { readerAccounts: ['*'] }, /readerAccounts\[0\] is '\*', which is not a 12-digit AWS account ID\. Fix: name each reading account by its literal ID/],
    ['an 11-digit reader', { readerAccounts: ['222222222222', '12345678901'] }, /readerAccounts\[1\] is '12345678901', which is not a 12-digit AWS account ID/],
    ['a reader known only at deploy time', { readerAccounts: [Token.asString({ Ref: 'Reader' })] }, /readerAccounts\[0\] is '\$\{Token\[.*\]\}', which is not a 12-digit AWS account ID/],
    ['the registry\'s own account as reader', { readerAccounts: ['111111111111'] }, /readerAccounts\[0\] is the registry's own account 111111111111\. Fix: remove it, and give principals of this account access with grantRead/],
    ['a reader named twice', { readerAccounts: ['222222222222', '222222222222'] }, /readerAccounts names 222222222222 twice\. Fix: name each account once/],
    ['an audit retention under a year in production', { auditLogRetention: logs.RetentionDays.SIX_MONTHS }, /auditLogRetention is 180 days, too short for production.*Fix: give logs\.RetentionDays\.ONE_YEAR or longer/],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

describe('ModelRegistry compliance', () => {
  function registryStack(app: App): { stack: Stack; registry: ModelRegistry } {
    const stack = new Stack(app, 'Registry', { env: ENV });
    // SecureAI-D1: the stack of an AI system points to its threat model, risk owner and criticality.
    Tags.of(stack).add('ai:threat-model', 'https://wiki.example.com/threat-models/fraud-detector');
    Tags.of(stack).add('ai:risk-owner', 'head-of-fraud');
    Tags.of(stack).add('ai:criticality', 'high');
    const env = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
    const registry = new ModelRegistry(stack, 'Models', { environment: env, readerAccounts: ['222222222222'] });
    // SecureAI-P18: the artifact bucket is backed up by an OfflineBackup beside the registry.
    backUpAiStores(stack, env);
    return { stack, registry };
  }

  test('an environment with a registry shared with a reader account passes every pack; acknowledgments are reasoned; the canary proves the packs ran', () => {
    const result = checkCompliance((app) => { registryStack(app); });
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.length).toBeGreaterThan(0);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    // No SecureAI rule is acknowledged, by the registry or the test: P18 included, the backup beside it passes it.
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI')).map((a) => a.path)).toEqual([]);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });

  test('the roles granted by the registry carry no wildcard action: only the inherent object and package-version resources, and the inline policy the role owner chose', () => {
    const result = checkCompliance((app) => {
      const { stack, registry } = registryStack(app);
      registry.grantPublish(new iam.Role(stack, 'Publisher', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }), 'verified/*');
      registry.grantRead(new iam.Role(stack, 'Deployer', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') }));
    });
    const found = [...new Set(result.findings.map((f) => `${f.rule} on ${f.resource}`))].sort();
    expect(found).toEqual([
      'AwsSolutions-IAM5[Resource::<ModelsArtifactsCB731E2C.Arn>/*] on Registry/Deployer/DefaultPolicy/Resource',
      'AwsSolutions-IAM5[Resource::<ModelsArtifactsCB731E2C.Arn>/verified/*] on Registry/Publisher/DefaultPolicy/Resource',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:us-east-1:111111111111:model-package/registry-models-f4e0d59e/*] on Registry/Deployer/DefaultPolicy/Resource',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:us-east-1:111111111111:model-package/registry-models-f4e0d59e/*] on Registry/Publisher/DefaultPolicy/Resource',
      'HIPAA.Security-IAMNoInlinePolicy on Registry/Deployer/DefaultPolicy/Resource',
      'HIPAA.Security-IAMNoInlinePolicy on Registry/Publisher/DefaultPolicy/Resource',
      'NIST.800.53.R5-IAMNoInlinePolicy on Registry/Deployer/DefaultPolicy/Resource',
      'NIST.800.53.R5-IAMNoInlinePolicy on Registry/Publisher/DefaultPolicy/Resource',
      'PCI.DSS.321-IAMNoInlinePolicy on Registry/Deployer/DefaultPolicy/Resource',
      'PCI.DSS.321-IAMNoInlinePolicy on Registry/Publisher/DefaultPolicy/Resource',
    ]);
  });
});
