import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccessLogBucket } from '../../src/storage/access-log-bucket';

describe('AccessLogBucket', () => {
  test('SSE-S3 (log delivery cannot use SSE-KMS), locked down, retained, writable by S3 logging of this account only', () => {
    const stack = new Stack(new App(), 'L', { env: { account: '111111111111', region: 'us-east-1' } });
    new AccessLogBucket(stack, 'Logs');
    const t = Template.fromStack(stack);
    t.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] },
      },
      DeletionPolicy: 'Retain',
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        })]),
      },
    });
  });

  test('retentionDays below 1 throws naming the prop and the fix', () => {
    expect(() => new AccessLogBucket(new Stack(new App(), 'L'), 'Logs', { retentionDays: 0 })).toThrow(/retentionDays is 0, but it must be a whole number.*Fix/);
  });
});
