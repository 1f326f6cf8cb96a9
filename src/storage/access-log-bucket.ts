import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_BASELINE } from './bucket-baseline';
import { acknowledgeRules, RULES } from '../construct-kit/pack-acknowledgments';
import { requireWholeNumber } from '../construct-kit/validation';

/** Properties of an {@link AccessLogBucket}. */
export interface AccessLogBucketProps {
  /**
   * For how many days access logs are kept before they expire.
   * @default 365 - a year of evidence for investigations, the retention SecureAI-V14 asks of AI logs
   */
  readonly retentionDays?: number;
}

/**
 * The bucket that receives the S3 server access logs of an environment's buckets.
 *
 * Encrypted with S3-managed keys because S3 log delivery cannot write to a bucket whose default encryption is
 * SSE-KMS; otherwise locked down like a {@link SecureBucket}: all public access blocked, TLS only, versioned, ACLs
 * disabled, RETAINed, and writable by the S3 logging service of this account only. The generic packs' bucket rules
 * that cannot hold for a log destination (KMS, its own logging, Object Lock, replication) are acknowledged on it with
 * the reason.
 */
export class AccessLogBucket extends s3.Bucket {
  public constructor(scope: Construct, id: string, props: AccessLogBucketProps = {}) {
    const retentionDays = requireWholeNumber(`AccessLogBucket ${id}`, 'retentionDays', props.retentionDays ?? 365, { min: 1, unit: 'days' },
      'give the number of days access logs are kept, for example 365');
    super(scope, id, {
      encryption: s3.BucketEncryption.S3_MANAGED,
      ...BUCKET_BASELINE,
      lifecycleRules: [{
        expiration: Duration.days(retentionDays),
        noncurrentVersionExpiration: Duration.days(retentionDays),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
    });
    const stack = Stack.of(this);
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'S3ServerAccessLogsOfThisAccount',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [this.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
    (this.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };

    acknowledgeRules(this, RULES.bucketKms, 'S3 server access log delivery does not support a destination bucket whose default '
      + 'encryption is SSE-KMS, so this log bucket uses SSE-S3; it holds request metadata only, never model or data objects.');
    acknowledgeRules(this, RULES.bucketLogging, 'This is the access-log destination itself: logging it to itself would log its own '
      + 'log deliveries without end. Reads of these logs are recorded by the audit trail\'s management and data events.');
    acknowledgeRules(this, RULES.objectLock, 'S3 server access logging cannot deliver to a bucket with an Object Lock default '
      + 'retention. The logs are versioned, TLS-only, unreadable publicly and expire after the configured retention.');
    acknowledgeRules(this, RULES.replication, 'Access logs are investigation aids, kept versioned for their retention period; the '
      + 'authoritative audit record is the CloudTrail trail with log file validation, so cross-Region replication adds little.');
  }
}
