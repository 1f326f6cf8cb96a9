import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { AiEnvironmentStage } from '../../src/environment/ai-environment-stage';
import { AccessLogBucket } from '../../src/storage/access-log-bucket';
import { DataClassification } from '../../src/storage/data-classification';
import { ObjectLockMode } from '../../src/storage/object-lock';
import { SecureBucket } from '../../src/storage/secure-bucket';
import { backUpAiStores, canaryFindings, checkCompliance, isReasoned, silentPacks } from '../compliance';

function standalone(props: Partial<ConstructorParameters<typeof SecureBucket>[2]> = {}) {
  const stack = new Stack(new App(), 'Data');
  const logs = new AccessLogBucket(stack, 'Logs');
  const bucket = new SecureBucket(stack, 'Bucket', { serverAccessLogsBucket: logs, ...props });
  return { stack, bucket, template: () => Template.fromStack(stack) };
}

describe('SecureBucket defaults', () => {
  const { template } = standalone();
  const t = template();
  const bucketId = Object.keys(t.findResources('AWS::S3::Bucket', { Properties: { Tags: Match.arrayWith([{ Key: 'ai:asset', Value: 'true' }]) } }))[0];

  test('encrypted with a created customer-managed key, bucket key on', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BucketKey'), 'Arn'] } },
        }],
      },
    });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('blocks all public access, disables ACLs, versioned, logs, EventBridge, RETAIN, tags', () => {
    t.hasResource('AWS::S3::Bucket', {
      Properties: {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^Logs') }, LogFilePrefix: Match.stringLikeRegexp('Bucket') },
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
        LifecycleConfiguration: { Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 365 }, Status: 'Enabled' })] },
        Tags: Match.arrayWith([{ Key: 'ai:asset', Value: 'true' }, { Key: 'DataClassification', Value: 'confidential' }]),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(bucketId).toBeDefined();
  });

  test('denies requests without TLS 1.2', () => {
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  test('has no Object Lock unless asked', () => {
    expect(t.toJSON().Resources[bucketId].Properties.ObjectLockEnabled).toBeFalsy();
  });
});

describe('SecureBucket options', () => {
  test('object lock with mode and days', () => {
    const { template } = standalone({
      objectLock: { mode: ObjectLockMode.COMPLIANCE, retentionDays: 30 },
      dataClassification: DataClassification.RESTRICTED,
    });
    template().hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } } },
      Tags: Match.arrayWith([{ Key: 'DataClassification', Value: 'restricted' }]),
    });
  });

  test.each([0, -1, 1.5, 40000])('object-lock retentionDays %p throws naming the prop and the fix', (days) => {
    expect(() => standalone({ objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: days } }))
      .toThrow(/objectLock\.retentionDays is \S+, but it must be a whole number between 1 and 36500.*Fix:/);
  });

  test('noncurrentVersionExpirationDays below 1 throws', () => {
    expect(() => standalone({ noncurrentVersionExpirationDays: 0 })).toThrow(/noncurrentVersionExpirationDays is 0, but.*Fix:/);
  });

  test('no environment and no log bucket throws', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new SecureBucket(stack, 'B')).toThrow(/serverAccessLogsBucket is not set.*Fix: pass environment/);
  });

  test('grantPublicAccess always throws', () => {
    const { bucket } = standalone();
    expect(() => bucket.grantPublicAccess()).toThrow(/never public/);
  });

  test('in an environment: its data key, its access-log bucket, its trail records the data events', () => {
    const stack = new Stack(new App(), 'Env', { env: { account: '111111111111', region: 'us-east-1' } });
    const env = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
    new SecureBucket(stack, 'Data', { environment: env });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnvDataKey'), 'Arn'] } } })] },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^EnvAccessLogs') }, LogFilePrefix: Match.anyValue() },
    });
    t.hasResourceProperties('AWS::CloudTrail::Trail', {
      AdvancedEventSelectors: Match.arrayWith([Match.objectLike({
        FieldSelectors: Match.arrayWith([{ Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          { Field: 'resources.ARN', StartsWith: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Data'), 'Arn'] }, '/']] }] }]),
      })]),
    });
  });
});

describe('SecureBucket grants across environments', () => {
  function twoStages() {
    const app = new App();
    const dev = new AiEnvironmentStage(app, 'Dev', { environmentStage: EnvironmentStage.DEVELOPMENT, env: { account: '111111111111', region: 'us-east-1' } });
    const prod = new AiEnvironmentStage(app, 'Prod', { environmentStage: EnvironmentStage.PRODUCTION, env: { account: '222222222222', region: 'us-east-1' } });
    const devStack = new Stack(dev, 'Data');
    const devEnv = new AiEnvironment(devStack, 'Env', { owner: 'ml', maxAzs: 1 });
    const devBucket = new SecureBucket(devStack, 'Training', { environment: devEnv });
    const prodStack = new Stack(prod, 'Serving');
    const prodRole = new iam.Role(prodStack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const devRole = new iam.Role(devStack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    return { devBucket, prodRole, devRole, devEnv };
  }

  test('a production role cannot be granted a development bucket', () => {
    const { devBucket, prodRole } = twoStages();
    for (const grant of [() => devBucket.grantRead(prodRole), () => devBucket.grantWrite(prodRole), () => devBucket.grantReadWrite(prodRole),
      () => devBucket.grantPut(prodRole), () => devBucket.grantDelete(prodRole)]) {
      expect(grant).toThrow(/belongs to the development environment.*cannot be granted to Prod\/Serving\/Role.*production environment/);
    }
  });

  test('a principal named by the production account is refused too', () => {
    const { devBucket } = twoStages();
    expect(() => devBucket.grantRead(new iam.AccountPrincipal('222222222222'))).toThrow(/production environment/);
  });

  test('a role of the same environment is granted', () => {
    const { devBucket, devRole } = twoStages();
    expect(() => devBucket.grantRead(devRole)).not.toThrow();
  });
});

describe('SecureBucket compliance', () => {
  test('an environment with SecureBuckets passes every pack; acknowledgments are reasoned; the canary proves the packs ran', () => {
    const result = checkCompliance((app) => {
      const stack = new Stack(app, 'Data', { env: { account: '111111111111', region: 'us-east-1' } });
      const env = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
      new SecureBucket(stack, 'Artifacts', { environment: env, objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: 365 } });
      new SecureBucket(stack, 'Evidence', { environment: env, objectLock: { mode: ObjectLockMode.COMPLIANCE, retentionDays: 365 } });
      // SecureAI-P18: both buckets are backed up by an OfflineBackup beside them.
      backUpAiStores(stack, env);
    });
    expect(result.summary).toEqual([]);
    // No SecureAI rule is acknowledged: P18 included, the backup beside the buckets passes it.
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI')).map((a) => a.path)).toEqual([]);
    expect(result.acknowledgments.length).toBeGreaterThan(0);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });
});
