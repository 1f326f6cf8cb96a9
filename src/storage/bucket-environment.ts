import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLogBucket } from './access-log-bucket';
import { EnvironmentKey } from './environment-key';

/**
 * What a {@link SecureBucket} takes from the environment it belongs to; `AiEnvironment` is one. Storage states what
 * it needs instead of importing the environment, which keeps its own audit trail in a SecureBucket.
 */
export interface IBucketEnvironment {
  /** The customer-managed key that encrypts the environment's data. */
  readonly dataKey: EnvironmentKey;
  /** The bucket that receives the S3 server access logs of the environment's buckets. */
  readonly accessLogBucket: AccessLogBucket;
  /** Records the data events (object reads and writes) of `bucket` in the environment's audit trail, if it keeps one. */
  recordDataEvents(bucket: s3.IBucket): void;
}
