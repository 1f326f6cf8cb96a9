import { Duration, Names, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_BASELINE } from './bucket-baseline';
import { IBucketEnvironment } from './bucket-environment';
import { DataClassification } from './data-classification';
import { EnvironmentKey, EnvironmentKeyPurpose } from './environment-key';
import { ObjectLockMode, ObjectLockProps } from './object-lock';
import { libraryConstruct } from '../construct-kit/library-construct';
import { acknowledgeRules, RULES } from '../construct-kit/pack-acknowledgments';
import { assertSameEnvironment } from '../construct-kit/stage-segregation';
import { requireWholeNumber } from '../construct-kit/validation';

/** Properties of a {@link SecureBucket}. */
export interface SecureBucketProps {
  /**
   * The environment the bucket belongs to: its data key encrypts the bucket, its access-log bucket receives the
   * server access logs, its audit trail records the bucket's data events, and its stage decides who may be granted.
   * @default - none: give `serverAccessLogsBucket`; a key is created for the bucket
   */
  readonly environment?: IBucketEnvironment;
  /**
   * The customer-managed key that encrypts the objects.
   * @default - the environment's data key, or a new EnvironmentKey when there is no environment
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Where S3 server access logs go. Required when there is no environment: access to models and data must be
   * traceable.
   * @default - the environment's access-log bucket
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /**
   * Write-once protection of object versions (SecureAI-P19), for released models and evaluation evidence.
   * @default - no Object Lock: it cannot be removed once enabled and blocks deletion during retention
   */
  readonly objectLock?: ObjectLockProps;
  /**
   * Days after which a version that is no longer current is deleted.
   * @default 365 - a year to recover from a poisoned or overwritten object (SecureAI-V6), without keeping every
   * version forever
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * How sensitive the data is, rendered as the `DataClassification` tag (SecureAI-V13).
   * @default DataClassification.CONFIDENTIAL - unknown data is treated as sensitive
   */
  readonly dataClassification?: DataClassification;
  /**
   * Whether the bucket holds AI assets (models, data, captures) and is tagged `ai:asset=true`, which puts it in the
   * SecureAI pack's scope and in the environment trail's data events. Set false only for infrastructure buckets that
   * hold neither models nor data, such as the audit trail's own bucket (recording its data events would loop).
   * @default true
   */
  readonly aiAsset?: boolean;
}

/**
 * An S3 bucket for models, training data and captured inferences, secure by default and with no option to be
 * otherwise.
 *
 * Encrypted with a customer-managed KMS key (bucket key on), all four public-access-block flags, TLS 1.2+ only,
 * ACLs disabled, versioned with noncurrent versions expiring, server access logs, EventBridge notifications,
 * RETAINed, tagged `ai:asset=true`, optional Object Lock. `grant*` refuses principals of another environment stage and `grantPublicAccess` always
 * throws.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them).
 */
export class SecureBucket extends s3.Bucket {
  /** The key that encrypts the bucket's objects. */
  public readonly objectKey: kms.IKey;

  public constructor(scope: Construct, id: string, props: SecureBucketProps = {}) {
    const logs = props.serverAccessLogsBucket ?? props.environment?.accessLogBucket;
    if (!logs) {
      throw new Error(`SecureBucket ${id}: serverAccessLogsBucket is not set and there is no environment to take it from. `
        + 'Fix: pass environment (an AiEnvironment) or serverAccessLogsBucket (for example an AccessLogBucket).');
    }
    const noncurrentDays = requireWholeNumber(`SecureBucket ${id}`, 'noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays ?? 365,
      { min: 1, unit: 'days' }, 'give how long overwritten versions stay recoverable, for example 365');
    const lock = props.objectLock ? objectLockRetention(id, props.objectLock) : undefined;
    const key = props.encryptionKey ?? props.environment?.dataKey
      ?? new EnvironmentKey(scope, `${id}Key`, { purpose: EnvironmentKeyPurpose.DATA, description: `Objects of bucket ${id}` });

    super(scope, id, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      ...BUCKET_BASELINE,
      objectLockEnabled: lock !== undefined,
      objectLockDefaultRetention: lock,
      lifecycleRules: [{
        noncurrentVersionExpiration: Duration.days(noncurrentDays),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
    });
    // The errors above are raised before super() and name the bucket from its id, so the name returned here is not needed.
    libraryConstruct(this, 'SecureBucket');
    // Set on the L1, not through serverAccessLogsBucket: without a feature flag the L2 would switch the log bucket to
    // ACL-based delivery, which needs ACLs enabled; the log bucket grants the logging service by bucket policy instead.
    // Each bucket writes under its own prefix so that the shared log bucket stays readable per bucket.
    (this.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: logs.bucketName,
      logFilePrefix: `${Names.uniqueId(this)}/`,
    };
    // Object-level events reach EventBridge, where deletion or overwrite of a model can raise an alarm.
    (this.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    this.objectKey = key;

    acknowledgeRules(this, RULES.replication, 'Recovery of AI data does not rely on replication: every version is kept '
      + '(versioning, noncurrent versions retained) and OfflineBackup copies AI buckets to a locked vault in another account. '
      + 'Live replication would copy a poisoned or deleted object to the replica within seconds, so it adds no known-good copy.');
    if (!lock) {
      acknowledgeRules(this, RULES.objectLock, 'Object Lock cannot be turned off once enabled and blocks deleting data (erasure '
        + 'requests, correcting a poisoned dataset); SecureBucket enables it through the objectLock prop for released model '
        + 'artifacts and evaluation evidence, which SecureAI-P19 checks. Other data is protected by versioning.');
    }

    Tags.of(this).add('DataClassification', props.dataClassification ?? DataClassification.CONFIDENTIAL);
    if (props.aiAsset ?? true) {
      Tags.of(this).add('ai:asset', 'true');
      props.environment?.recordDataEvents(this);
    }
  }

  public grantRead(identity: iam.IGrantable, objectsKeyPattern?: any): iam.Grant {
    assertSameEnvironment(this, identity, 'Bucket');
    return super.grantRead(identity, objectsKeyPattern);
  }

  public grantWrite(identity: iam.IGrantable, objectsKeyPattern?: any, allowedActionPatterns?: string[]): iam.Grant {
    assertSameEnvironment(this, identity, 'Bucket');
    return super.grantWrite(identity, objectsKeyPattern, allowedActionPatterns);
  }

  public grantPut(identity: iam.IGrantable, objectsKeyPattern?: any): iam.Grant {
    assertSameEnvironment(this, identity, 'Bucket');
    return super.grantPut(identity, objectsKeyPattern);
  }

  public grantPutAcl(identity: iam.IGrantable, objectsKeyPattern?: string): iam.Grant {
    assertSameEnvironment(this, identity, 'Bucket');
    return super.grantPutAcl(identity, objectsKeyPattern);
  }

  public grantDelete(identity: iam.IGrantable, objectsKeyPattern?: any): iam.Grant {
    assertSameEnvironment(this, identity, 'Bucket');
    return super.grantDelete(identity, objectsKeyPattern);
  }

  public grantReadWrite(identity: iam.IGrantable, objectsKeyPattern?: any): iam.Grant {
    assertSameEnvironment(this, identity, 'Bucket');
    return super.grantReadWrite(identity, objectsKeyPattern);
  }

  /** Always throws: models and data are never public. */
  public grantPublicAccess(_keyPrefix?: string, ..._allowedActions: string[]): iam.Grant {
    throw new Error(`SecureBucket ${this.node.path}: grantPublicAccess is not available; models and training data are never `
      + 'public. Fix: grant named principals with grantRead, or publish through a reviewed distribution channel.');
  }
}

function objectLockRetention(id: string, lock: ObjectLockProps): s3.ObjectLockRetention {
  const days = requireWholeNumber(`SecureBucket ${id}`, 'objectLock.retentionDays', lock.retentionDays, { min: 1, max: 36500 },
    'give how many days each version stays locked, for example 365');
  return lock.mode === ObjectLockMode.COMPLIANCE
    ? s3.ObjectLockRetention.compliance(Duration.days(days))
    : s3.ObjectLockRetention.governance(Duration.days(days));
}
