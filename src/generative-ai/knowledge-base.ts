import { Names, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3vectors from 'aws-cdk-lib/aws-s3vectors';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { BedrockModel } from './bedrock-model';
import {
  validateChunking, validateDimensions, validateEmbeddingModel, validateKnowledgeBaseName, validatePrefix, validateSyncSchedule,
} from './knowledge-base-validation';
import { libraryConstruct } from '../construct-kit/library-construct';
import { recordReason, requireReason } from '../construct-kit/opt-out-reason';
import { acknowledgeRules, OWN_POLICY_REASON, RULES, WildcardFindingIds } from '../construct-kit/pack-acknowledgments';
import { assertSameEnvironment } from '../construct-kit/stage-segregation';
import type { AiEnvironment } from '../environment/ai-environment';
import { DataClassification } from '../storage/data-classification';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../storage/environment-key';
import type { SecureBucket } from '../storage/secure-bucket';

/** Properties of a {@link KnowledgeBase}. */
export interface KnowledgeBaseProps {
  /** The environment the knowledge base belongs to: its stage decides who may be granted its documents. */
  readonly environment: AiEnvironment;
  /** The bucket that holds the documents. */
  readonly bucket: SecureBucket;
  /**
   * The folder of the bucket the knowledge base ingests, ending in `/` (`policies/`): only objects under it become
   * retrievable, and the knowledge base's role may read nothing else.
   */
  readonly prefix: string;
  /** The foundation model that embeds the documents and the queries (`amazon.titan-embed-text-v2:0`). */
  readonly embeddingModel: BedrockModel;
  /**
   * The number of dimensions of the embeddings, as the embedding model produces them (256, 512 or 1024 for Titan Text
   * Embeddings V2). Between 1 and 4096.
   * @default 1024
   */
  readonly dimensions?: number;
  /**
   * The knowledge base's name: letters, digits, hyphens and underscores, at most 100.
   * @default - derived from the construct path
   */
  readonly knowledgeBaseName?: string;
  /**
   * What the knowledge base holds, for the console and for agents choosing it.
   * @default - names the bucket and prefix
   */
  readonly description?: string;
  /**
   * The most tokens of one chunk (fixed-size chunking), between 20 and 8192.
   * @default 300
   */
  readonly chunkMaxTokens?: number;
  /**
   * How much consecutive chunks overlap, in percent, between 1 and 99.
   * @default 20
   */
  readonly chunkOverlapPercentage?: number;
  /**
   * When the documents are ingested again, so that documents deleted or expired in the bucket leave the index: an
   * EventBridge Scheduler expression (`rate(1 day)`, `cron(0 2 * * ? *)`).
   * @default 'rate(1 day)'
   */
  readonly syncSchedule?: string;
  /**
   * Why the vectors of the data source are kept when the data source is deleted. Rendered into its template metadata.
   * @default - the vectors are deleted with the data source: the index never holds more than its source
   */
  readonly retainVectorsAfterDataSourceDeletion?: string;
  /**
   * How sensitive the documents are, rendered as the `DataClassification` tag of the knowledge base and its store.
   * @default DataClassification.CONFIDENTIAL
   */
  readonly dataClassification?: DataClassification;
}

/** The object-key metadata Bedrock writes with each vector: too large to filter on, so it is stored unindexed. */
const BEDROCK_METADATA_KEYS = ['AMAZON_BEDROCK_TEXT', 'AMAZON_BEDROCK_METADATA'];

/**
 * A Bedrock knowledge base over one folder of a `SecureBucket`, with a private vector store.
 *
 * - Vectors in an S3 vector bucket and index (SSE-KMS with a key of their own, rotated), which S3 Vectors keeps private:
 *   reachable only through IAM, never publicly. Both RETAINed.
 * - A data source that ingests only `prefix` of the bucket of this account (`InclusionPrefixes`,
 *   `BucketOwnerAccountId`), encrypts transient data with the vector key, and deletes its vectors when it is deleted.
 * - A role that only Bedrock knowledge bases of this account can assume (`aws:SourceAccount`, `aws:SourceArn`), which may
 *   read objects under `prefix` only, invoke the embedding model only, and write, read and query that one index.
 * - A daily ingestion (EventBridge Scheduler), so that documents deleted or expired in the bucket leave the index and
 *   the index never holds data its source no longer does.
 * - Tagged `DataClassification` (with the environment's Owner and Environment tags).
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them). `grantRetrieve` gives agents `bedrock:Retrieve` on this knowledge base only.
 */
export class KnowledgeBase extends Construct {
  /** The knowledge base's ID. */
  public readonly knowledgeBaseId: string;
  /** The knowledge base's ARN. */
  public readonly knowledgeBaseArn: string;
  /** The knowledge base. */
  public readonly cfnKnowledgeBase: bedrock.CfnKnowledgeBase;
  /** The S3 data source. */
  public readonly dataSource: bedrock.CfnDataSource;
  /** The vector bucket. */
  public readonly vectorBucket: s3vectors.CfnVectorBucket;
  /** The vector index. */
  public readonly vectorIndex: s3vectors.CfnIndex;
  /** The key that encrypts the vectors and the data source's transient data. */
  public readonly vectorKey: EnvironmentKey;
  /** The role Bedrock assumes to ingest and retrieve. */
  public readonly role: iam.Role;
  /** The schedule that ingests the documents again. */
  public readonly syncSchedule: scheduler.CfnSchedule;

  public constructor(scope: Construct, id: string, props: KnowledgeBaseProps) {
    super(scope, id);
    const owner = libraryConstruct(this, 'KnowledgeBase');
    const stack = Stack.of(this);
    const prefix = validatePrefix(owner, props.prefix);
    const embeddingModel = validateEmbeddingModel(owner, props.embeddingModel);
    const dimensions = validateDimensions(owner, props.dimensions ?? 1024);
    const name = validateKnowledgeBaseName(owner, props.knowledgeBaseName ?? Names.uniqueResourceName(this, { maxLength: 100, separator: '-' }));
    const chunking = validateChunking(owner, props.chunkMaxTokens ?? 300, props.chunkOverlapPercentage ?? 20);
    const syncExpression = validateSyncSchedule(owner, props.syncSchedule ?? 'rate(1 day)');
    const retainReason = props.retainVectorsAfterDataSourceDeletion === undefined ? undefined
      : requireReason(owner, 'retainVectorsAfterDataSourceDeletion', props.retainVectorsAfterDataSourceDeletion, 'who needs the vectors of deleted sources, and until when');

    // The private vector store.
    this.vectorKey = new EnvironmentKey(this, 'VectorKey', { purpose: EnvironmentKeyPurpose.DATA, description: `Vectors of knowledge base ${name}` });
    this.vectorBucket = new s3vectors.CfnVectorBucket(this, 'VectorBucket', {
      encryptionConfiguration: { sseType: 'aws:kms', kmsKeyArn: this.vectorKey.keyArn },
    });
    this.vectorBucket.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // S3 Vectors maintains the index in the background with its indexing service, for this account's vector bucket only.
    this.vectorKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'S3VectorsIndexingOfThisBucket',
      principals: [new iam.ServicePrincipal('indexing.s3vectors.amazonaws.com')],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 's3vectors', resource: 'bucket', resourceName: '*' }) },
      },
    }));
    this.vectorIndex = new s3vectors.CfnIndex(this, 'VectorIndex', {
      vectorBucketArn: this.vectorBucket.attrVectorBucketArn,
      dataType: 'float32',
      dimension: dimensions,
      distanceMetric: 'cosine',
      metadataConfiguration: { nonFilterableMetadataKeys: BEDROCK_METADATA_KEYS },
    });
    this.vectorIndex.applyRemovalPolicy(RemovalPolicy.RETAIN);

    // The role: Bedrock knowledge bases of this account only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'bedrock', resource: 'knowledge-base', resourceName: '*' }) },
        },
      }),
      description: `Ingests ${prefix} into knowledge base ${name} and retrieves from it`,
    });
    this.grantReadDocuments(props.bucket, prefix);
    iam.Grant.addToPrincipal({ grantee: this.role, actions: ['bedrock:InvokeModel'], resourceArns: embeddingModel.invocationArns(this) });
    iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: ['s3vectors:PutVectors', 's3vectors:GetVectors', 's3vectors:DeleteVectors', 's3vectors:QueryVectors', 's3vectors:GetIndex'],
      resourceArns: [this.vectorIndex.attrIndexArn],
    });
    this.vectorKey.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    acknowledgeRules(this.role, RULES.inlinePolicy, OWN_POLICY_REASON);

    const classification = props.dataClassification ?? DataClassification.CONFIDENTIAL;
    this.cfnKnowledgeBase = new bedrock.CfnKnowledgeBase(this, 'Resource', {
      name,
      description: props.description ?? `Documents under ${prefix} of bucket ${props.bucket.node.path}`,
      roleArn: this.role.roleArn,
      knowledgeBaseConfiguration: {
        type: 'VECTOR',
        vectorKnowledgeBaseConfiguration: {
          embeddingModelArn: embeddingModel.modelArn(this),
          embeddingModelConfiguration: { bedrockEmbeddingModelConfiguration: { dimensions, embeddingDataType: 'FLOAT32' } },
        },
      },
      storageConfiguration: { type: 'S3_VECTORS', s3VectorsConfiguration: { indexArn: this.vectorIndex.attrIndexArn } },
    });
    // Bedrock checks the role's access to the index and the model when the knowledge base is created.
    this.cfnKnowledgeBase.node.addDependency(this.role);
    this.knowledgeBaseId = this.cfnKnowledgeBase.attrKnowledgeBaseId;
    this.knowledgeBaseArn = this.cfnKnowledgeBase.attrKnowledgeBaseArn;

    this.dataSource = new bedrock.CfnDataSource(this, 'DataSource', {
      knowledgeBaseId: this.knowledgeBaseId,
      name: 'documents',
      description: `Objects under ${prefix} of the documents bucket`,
      dataSourceConfiguration: {
        type: 'S3',
        s3Configuration: { bucketArn: props.bucket.bucketArn, inclusionPrefixes: [prefix], bucketOwnerAccountId: stack.account },
      },
      serverSideEncryptionConfiguration: { kmsKeyArn: this.vectorKey.keyArn },
      dataDeletionPolicy: retainReason === undefined ? 'DELETE' : 'RETAIN',
      vectorIngestionConfiguration: {
        chunkingConfiguration: {
          chunkingStrategy: 'FIXED_SIZE',
          fixedSizeChunkingConfiguration: { maxTokens: chunking.maxTokens, overlapPercentage: chunking.overlapPercentage },
        },
      },
    });
    if (retainReason !== undefined) recordReason(this.dataSource, 'retainVectorsAfterDataSourceDeletion', retainReason);

    this.syncSchedule = this.createSync(name, syncExpression);

    Tags.of(this).add('DataClassification', classification);
  }

  /** Grants querying this knowledge base (`bedrock:Retrieve`), and nothing else of it. */
  public grantRetrieve(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['bedrock:Retrieve'], resourceArns: [this.knowledgeBaseArn] });
  }

  /**
   * The documents under the prefix and nothing else: GetObject on the folder's objects, ListBucket only for keys under
   * it, and decryption with the bucket's key. (SecureBucket.grantRead would also grant GetObject* and List* on more.)
   */
  private grantReadDocuments(bucket: SecureBucket, prefix: string): void {
    assertSameEnvironment(bucket, this.role, 'Bucket');
    iam.Grant.addToPrincipal({ grantee: this.role, actions: ['s3:GetObject'], resourceArns: [bucket.arnForObjects(`${prefix}*`)] });
    iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: ['s3:ListBucket'],
      resourceArns: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    });
    bucket.objectKey.grantDecrypt(this.role);
    acknowledgeRules(this.role, [WildcardFindingIds.resource(this, bucket.arnForObjects(`${prefix}*`))], 'The knowledge base ingests '
      + `every document under ${prefix}, whose names change as documents are added; it may read no other object of the bucket `
      + '(SecureAI-V15 checks the same).');
  }

  /** A schedule that starts an ingestion job of the data source, with a role that may do only that. */
  private createSync(name: string, expression: string): scheduler.CfnSchedule {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'SyncRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: 'default/*' }) },
        },
      }),
      description: `Starts the daily ingestion of knowledge base ${name}`,
    });
    iam.Grant.addToPrincipal({ grantee: role, actions: ['bedrock:StartIngestionJob'], resourceArns: [this.knowledgeBaseArn] });
    acknowledgeRules(role, RULES.inlinePolicy, OWN_POLICY_REASON);
    const schedule = new scheduler.CfnSchedule(this, 'Sync', {
      description: `Ingests knowledge base ${name} again, so that deleted documents leave the index`,
      scheduleExpression: expression,
      flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 60 },
      target: {
        arn: `arn:${stack.partition}:scheduler:::aws-sdk:bedrockagent:startIngestionJob`,
        roleArn: role.roleArn,
        input: stack.toJsonString({ KnowledgeBaseId: this.knowledgeBaseId, DataSourceId: this.dataSource.attrDataSourceId }),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });
    schedule.node.addDependency(role);
    return schedule;
  }
}
