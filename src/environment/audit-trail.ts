import { Lazy } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { resourcesOfThisAccount, restrictServiceTrust, ServiceSource, serviceSourceConditions } from './service-trust';
import { retainedLogGroup } from '../construct-kit/log-group';
import { acknowledgeRules, RULES } from '../construct-kit/pack-acknowledgments';
import { ObjectLockMode } from '../storage/object-lock';
import { SecureBucket } from '../storage/secure-bucket';

/**
 * CloudTrail data-event resource types of AI services. Recorded account-wide (no ARN filter): the ARNs of agents,
 * knowledge bases and guardrails are generated at deploy time, and an AI resource added later must not go unrecorded.
 * SageMaker endpoints are absent because CloudTrail does not record InvokeEndpoint (data capture covers it).
 */
const AI_DATA_EVENT_TYPES = [
  'AWS::Bedrock::AgentAlias',
  'AWS::Bedrock::KnowledgeBase',
  'AWS::Bedrock::FlowAlias',
  'AWS::Bedrock::Guardrail',
  'AWS::Bedrock::PromptVersion',
  'AWS::BedrockAgentCore::Runtime',
  'AWS::BedrockAgentCore::Gateway',
  'AWS::SageMaker::FeatureGroup',
];

/** Properties of an {@link AuditTrail}. */
export interface AuditTrailProps {
  /** The environment's log key: encrypts the trail's files and its log group. */
  readonly logKey: kms.IKey;
  /** Where the trail bucket's own access logs go. */
  readonly accessLogBucket: s3.IBucket;
  /**
   * How long the trail's CloudWatch Logs copy is kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;
  /**
   * How Object Lock protects the trail's log files for `retention` days.
   * @default ObjectLockMode.GOVERNANCE - nobody without s3:BypassGovernanceRetention can delete evidence
   */
  readonly objectLockMode?: ObjectLockMode;
}

/**
 * The environment's audit trail ("high-quality audit logs"): multi-Region, log file validation, KMS-encrypted,
 * delivered to an encrypted CloudWatch Logs group, and recording data events of the AI services and of the
 * environment's AI buckets (each SecureBucket created with the environment is added). Its bucket is a SecureBucket
 * encrypted with the log key with Object Lock over the retention period.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them).
 */
export class AuditTrail extends Construct {
  /** The trail. */
  public readonly trail: cloudtrail.Trail;
  /** The bucket that stores the trail's log files. */
  public readonly bucket: SecureBucket;
  /** The CloudWatch Logs group the trail delivers to. */
  public readonly logGroup: logs.LogGroup;
  private readonly dataEventBuckets: s3.IBucket[] = [];

  public constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    this.bucket = new SecureBucket(this, 'Bucket', {
      encryptionKey: props.logKey,
      serverAccessLogsBucket: props.accessLogBucket,
      aiAsset: false, // recording the trail bucket's own data events would loop
      objectLock: { mode: props.objectLockMode ?? ObjectLockMode.GOVERNANCE, retentionDays: props.retention ?? logs.RetentionDays.ONE_YEAR },
    });
    this.logGroup = retainedLogGroup(this, 'LogGroup', {
      encryptionKey: props.logKey,
      retention: props.retention,
    });
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: this.bucket,
      encryptionKey: props.logKey,
      enableFileValidation: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
    });
    const trails = resourcesOfThisAccount(this, 'cloudtrail', 'trail/*');
    const logsRole = this.trail.node.tryFindChild('LogsRole') as iam.Role | undefined;
    if (logsRole) {
      // Only this account's trails may use the role, and write to the bucket (confused deputy): CloudTrail supplies both keys.
      restrictServiceTrust(logsRole, serviceSourceConditions(this, ServiceSource.ACCOUNT_AND_ARN, trails));
      acknowledgeRules(logsRole, RULES.inlinePolicy, 'The inline policy is CloudTrail\'s grant to write to this one log group, '
        + 'on the role only CloudTrail can assume; inline keeps it from being attached to any other principal.');
    }
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OnlyTrailsOfThisAccount',
      effect: iam.Effect.DENY,
      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
      actions: ['s3:*'],
      resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
      conditions: { ArnNotLike: { 'aws:SourceArn': trails } },
    }));
    const cfnTrail = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    // Advanced selectors are the only way to record Bedrock and SageMaker data events; a trail cannot mix them with
    // basic selectors, so management events and S3 objects are selected here too.
    cfnTrail.advancedEventSelectors = Lazy.any({ produce: () => this.selectors() }) as any;
  }

  /** Records the data events (object reads and writes) of an AI bucket. */
  public recordBucketDataEvents(bucket: s3.IBucket): void {
    if (!this.dataEventBuckets.includes(bucket)) this.dataEventBuckets.push(bucket);
  }

  private selectors(): cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] {
    const selectors: cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] = [
      { name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }] },
      ...AI_DATA_EVENT_TYPES.map((type) => ({
        name: `Data events of ${type}`,
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: [type] },
        ],
      })),
    ];
    if (this.dataEventBuckets.length > 0) {
      selectors.push({
        name: 'Data events of the AI buckets',
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
          { field: 'resources.ARN', startsWith: this.dataEventBuckets.map((b) => `${b.bucketArn}/`) },
        ],
      });
    }
    return selectors;
  }
}
