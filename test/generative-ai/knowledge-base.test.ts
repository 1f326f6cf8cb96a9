import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { composition, ENV, logicalId, policyOfRole } from './fixture';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { BedrockModel } from '../../src/generative-ai/bedrock-model';
import { KnowledgeBase, KnowledgeBaseProps } from '../../src/generative-ai/knowledge-base';
import { ModelInvocationLogging } from '../../src/generative-ai/model-invocation-logging';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { DataClassification } from '../../src/storage/data-classification';
import { SecureBucket } from '../../src/storage/secure-bucket';
import { backUpAiStores, canaryFindings, checkCompliance, isReasoned, silentPacks } from '../compliance';
import { unknownIamNames } from '../iam-reference';

const TITAN = BedrockModel.foundationModel('amazon.titan-embed-text-v2:0');
type Resources = Record<string, { Type: string; Properties: any; DeletionPolicy?: string; Metadata?: any; DependsOn?: string[] }>;

function kbFixture(props: Partial<KnowledgeBaseProps> = {}, app: App = new App(), stackProps?: { env?: typeof ENV }) {
  const { stack, environment } = composition(app, {}, stackProps ?? { env: ENV });
  const documents = new SecureBucket(stack, 'Documents', { environment });
  const kb = new KnowledgeBase(stack, 'Kb', { environment, bucket: documents, prefix: 'policies/', embeddingModel: TITAN, ...props });
  return { app, stack, environment, documents, kb, template: () => Template.fromStack(stack) };
}
describe('KnowledgeBase defaults', () => {
  let stack: Stack;
  let kb: KnowledgeBase;
  let t: Template;
  let resources: Resources;
  let ids: Record<string, string>;
  beforeAll(() => {
    const f = kbFixture();
    stack = f.stack;
    kb = f.kb;
    t = f.template();
    resources = t.toJSON().Resources;
    ids = {
      kb: logicalId(t, 'AWS::Bedrock::KnowledgeBase', 'Kb'),
      bucket: logicalId(t, 'AWS::S3Vectors::VectorBucket', 'KbVectorBucket'),
      index: logicalId(t, 'AWS::S3Vectors::Index', 'KbVectorIndex'),
      key: logicalId(t, 'AWS::KMS::Key', 'KbVectorKey'),
      role: logicalId(t, 'AWS::IAM::Role', 'KbRole'),
      documents: logicalId(t, 'AWS::S3::Bucket', 'Documents'),
      source: logicalId(t, 'AWS::Bedrock::DataSource', 'KbDataSource'),
    };
  });

  test('vector store: an S3 vector bucket encrypted with a key of its own, rotated; bucket, index and key retained', () => {
    expect(resources[ids.bucket].Properties.EncryptionConfiguration).toEqual({ SseType: 'aws:kms', KmsKeyArn: { 'Fn::GetAtt': [ids.key, 'Arn'] } });
    expect(resources[ids.key].Properties.EnableKeyRotation).toBe(true);
    for (const id of [ids.bucket, ids.index, ids.key]) expect(resources[id].DeletionPolicy).toBe('Retain');
  });

  test('index: float32, 1024 dimensions, cosine, Bedrock\'s text and metadata stored unindexed', () => {
    expect(resources[ids.index].Properties).toMatchObject({
      VectorBucketArn: { 'Fn::GetAtt': [ids.bucket, 'VectorBucketArn'] },
      DataType: 'float32',
      Dimension: 1024,
      DistanceMetric: 'cosine',
      MetadataConfiguration: { NonFilterableMetadataKeys: ['AMAZON_BEDROCK_TEXT', 'AMAZON_BEDROCK_METADATA'] },
    });
  });

  test('the vector key lets S3 Vectors\' indexing of this account\'s vector buckets decrypt, nothing more', () => {
    expect(resources[ids.key].Properties.KeyPolicy.Statement).toContainEqual({
      Sid: 'S3VectorsIndexingOfThisBucket',
      Effect: 'Allow',
      Principal: { Service: 'indexing.s3vectors.amazonaws.com' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': ENV.account },
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3vectors:${ENV.region}:${ENV.account}:bucket/*`]] } },
      },
    });
  });

  test('knowledge base: vector type, the embedding model, the index as its store, tagged', () => {
    expect(resources[ids.kb].Properties).toMatchObject({
      RoleArn: { 'Fn::GetAtt': [ids.role, 'Arn'] },
      KnowledgeBaseConfiguration: {
        Type: 'VECTOR',
        VectorKnowledgeBaseConfiguration: {
          EmbeddingModelArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:${ENV.region}::foundation-model/amazon.titan-embed-text-v2:0`]] },
          EmbeddingModelConfiguration: { BedrockEmbeddingModelConfiguration: { Dimensions: 1024, EmbeddingDataType: 'FLOAT32' } },
        },
      },
      StorageConfiguration: { Type: 'S3_VECTORS', S3VectorsConfiguration: { IndexArn: { 'Fn::GetAtt': [ids.index, 'IndexArn'] } } },
      Tags: expect.objectContaining({ DataClassification: 'confidential', Owner: 'assistant-team', Environment: 'production' }),
    });
    expect(resources[ids.kb].DependsOn).toEqual(expect.arrayContaining([ids.role, expect.stringMatching(/^KbRoleDefaultPolicy/)]));
  });

  test('data source: the prefix of a bucket of this account only, transient data under the vector key, vectors deleted with it', () => {
    expect(resources[ids.source].Properties).toEqual({
      KnowledgeBaseId: { 'Fn::GetAtt': [ids.kb, 'KnowledgeBaseId'] },
      Name: 'documents',
      Description: 'Objects under policies/ of the documents bucket',
      DataSourceConfiguration: {
        Type: 'S3',
        S3Configuration: { BucketArn: { 'Fn::GetAtt': [ids.documents, 'Arn'] }, InclusionPrefixes: ['policies/'], BucketOwnerAccountId: ENV.account },
      },
      ServerSideEncryptionConfiguration: { KmsKeyArn: { 'Fn::GetAtt': [ids.key, 'Arn'] } },
      DataDeletionPolicy: 'DELETE',
      VectorIngestionConfiguration: { ChunkingConfiguration: { ChunkingStrategy: 'FIXED_SIZE', FixedSizeChunkingConfiguration: { MaxTokens: 300, OverlapPercentage: 20 } } },
    });
  });

  test('role: only Bedrock knowledge bases of this account; the prefix\'s objects, the embedding model, the index and the two keys', () => {
    expect(resources[ids.role].Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': ENV.account },
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:${ENV.region}:${ENV.account}:knowledge-base/*`]] } },
      },
    }]);
    expect(policyOfRole(t, 'KbRole')).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.documents, 'Arn'] }, '/policies/*']] } },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [ids.documents, 'Arn'] }, Condition: { StringLike: { 's3:prefix': ['policies/*'] } } },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EnvDataKey/), 'Arn'] } },
      { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: resources[ids.kb].Properties.KnowledgeBaseConfiguration.VectorKnowledgeBaseConfiguration.EmbeddingModelArn },
      {
        Effect: 'Allow',
        Action: ['s3vectors:PutVectors', 's3vectors:GetVectors', 's3vectors:DeleteVectors', 's3vectors:QueryVectors', 's3vectors:GetIndex'],
        Resource: { 'Fn::GetAtt': [ids.index, 'IndexArn'] },
      },
      { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: { 'Fn::GetAtt': [ids.key, 'Arn'] } },
    ]);
  });

  test('the documents are ingested again daily, by a role that may only start this knowledge base\'s ingestion', () => {
    const schedule = Object.values(t.findResources('AWS::Scheduler::Schedule'));
    expect(schedule).toHaveLength(1);
    expect(schedule[0].Properties).toMatchObject({
      ScheduleExpression: 'rate(1 day)',
      Target: {
        Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:::aws-sdk:bedrockagent:startIngestionJob']] },
        RoleArn: { 'Fn::GetAtt': [logicalId(t, 'AWS::IAM::Role', 'KbSyncRole'), 'Arn'] },
        Input: { 'Fn::Join': ['', ['{"KnowledgeBaseId":"', { 'Fn::GetAtt': [ids.kb, 'KnowledgeBaseId'] }, '","DataSourceId":"', { 'Fn::GetAtt': [ids.source, 'DataSourceId'] }, '"}']] },
      },
    });
    expect(policyOfRole(t, 'KbSyncRole')).toEqual([{ Effect: 'Allow', Action: 'bedrock:StartIngestionJob', Resource: { 'Fn::GetAtt': [ids.kb, 'KnowledgeBaseArn'] } }]);
    expect(resources[logicalId(t, 'AWS::IAM::Role', 'KbSyncRole')].Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': ENV.account } },
    });
  });

  test('grantRetrieve: bedrock:Retrieve on this knowledge base only', () => {
    const role = new iam.Role(stack, 'Agent', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    kb.grantRetrieve(role);
    expect(stack.resolve((role.node.findChild('DefaultPolicy') as iam.Policy).document.toJSON().Statement)).toEqual([
      { Effect: 'Allow', Action: 'bedrock:Retrieve', Resource: { 'Fn::GetAtt': [ids.kb, 'KnowledgeBaseArn'] } },
    ]);
  });

  test('every IAM action and condition key exists in the Service Authorization Reference', async () => {
    expect(await unknownIamNames(t.toJSON())).toEqual([]);
  });
});

describe('KnowledgeBase options', () => {
  test('dimensions, name, description, chunking, schedule, classification, a model by ARN, vectors kept with a reason', () => {
    const reason = 'Legal hold: vectors of withdrawn documents are kept until the case closes (ticket LEGAL-42).';
    const t = kbFixture({
      dimensions: 512,
      knowledgeBaseName: 'hr-policies',
      description: 'HR policies',
      chunkMaxTokens: 500,
      chunkOverlapPercentage: 10,
      syncSchedule: 'cron(0 2 * * ? *)',
      dataClassification: DataClassification.INTERNAL,
      retainVectorsAfterDataSourceDeletion: reason,
      embeddingModel: BedrockModel.fromArn('arn:aws:bedrock:eu-west-2::foundation-model/cohere.embed-english-v3'),
    }).template();
    t.hasResourceProperties('AWS::Bedrock::KnowledgeBase', {
      Name: 'hr-policies',
      Description: 'HR policies',
      KnowledgeBaseConfiguration: { VectorKnowledgeBaseConfiguration: { EmbeddingModelArn: 'arn:aws:bedrock:eu-west-2::foundation-model/cohere.embed-english-v3' } },
    });
    t.hasResourceProperties('AWS::S3Vectors::Index', { Dimension: 512 });
    const source = Object.values(t.findResources('AWS::Bedrock::DataSource'))[0];
    expect(source.Properties.DataDeletionPolicy).toBe('RETAIN');
    expect(source.Metadata['cdk-secure-ai:retainVectorsAfterDataSourceDeletion']).toBe(reason);
    expect(source.Properties.VectorIngestionConfiguration.ChunkingConfiguration.FixedSizeChunkingConfiguration)
      .toEqual({ MaxTokens: 500, OverlapPercentage: 10 });
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 2 * * ? *)' });
    t.hasResourceProperties('AWS::Bedrock::KnowledgeBase', { Tags: { DataClassification: 'internal' } });
  });
});

describe('KnowledgeBase refuses bad props, naming the prop and the fix', () => {
  test.each([
    ['policies', /prefix 'policies' is not a folder of the bucket.*would also match 'policies-internal\/'/],
    ['/policies/', /prefix '\/policies\/' is not a folder/],
    ['policies/*/', /prefix 'policies\/\*\/' is not a folder/],
    ['', /prefix '' is not a folder/],
  ])('prefix %j', (prefix, message) => {
    expect(() => kbFixture({ prefix })).toThrow(message);
  });

  test('an inference profile as the embedding model', () => {
    expect(() => kbFixture({ embeddingModel: BedrockModel.inferenceProfile('eu.amazon.nova-pro-v1:0') })).toThrow(/embeddingModel is not a foundation model.*Fix:/);
  });

  test('dimensions, name, chunking, schedule and reason out of range', () => {
    expect(() => kbFixture({ dimensions: 0 })).toThrow(/dimensions is 0.*Fix:/);
    expect(() => kbFixture({ dimensions: 5000 })).toThrow(/dimensions is 5000/);
    expect(() => kbFixture({ knowledgeBaseName: 'hr policies' })).toThrow(/knowledgeBaseName 'hr policies' is not a knowledge base name/);
    expect(() => kbFixture({ chunkMaxTokens: 10 })).toThrow(/chunkMaxTokens is 10/);
    expect(() => kbFixture({ chunkOverlapPercentage: 0 })).toThrow(/chunkOverlapPercentage is 0/);
    expect(() => kbFixture({ syncSchedule: 'daily' })).toThrow(/syncSchedule 'daily' is not an EventBridge Scheduler expression.*Fix:/);
    expect(() => kbFixture({ retainVectorsAfterDataSourceDeletion: 'legal' })).toThrow(/retainVectorsAfterDataSourceDeletion is too short/);
  });

  test('documents of another environment stage', () => {
    const app = new App();
    const { stack, environment } = composition(app);
    const development = new Stack(app, 'Development', { env: { account: '222222222222', region: ENV.region } });
    const devEnvironment = new AiEnvironment(development, 'Env', { owner: 'assistant-team', stage: EnvironmentStage.DEVELOPMENT });
    const devDocuments = new SecureBucket(development, 'Documents', { environment: devEnvironment });
    expect(() => new KnowledgeBase(stack, 'Kb', { environment, bucket: devDocuments, prefix: 'policies/', embeddingModel: TITAN }))
      .toThrow(/belongs to the development environment .* cannot be granted to Ai\/Kb\/Role/);
  });
});

describe('KnowledgeBase against the SecureAI pack', () => {
  function findingsAfter(tamper: (kb: KnowledgeBase, stack: Stack, documents: SecureBucket) => void): string[] {
    const f = kbFixture();
    new ModelInvocationLogging(f.stack, 'Logging', { environment: f.environment });
    backUpAiStores(f.stack, f.environment);
    tamper(f.kb, f.stack, f.documents);
    f.app.synth();
    return new SecureAiChecks({ failOn: FailOn.WARNING }).validateScope(f.stack).violations.map((v) => v.ruleName.trim());
  }

  test('as built: no finding', () => {
    expect(findingsAfter(() => undefined)).toEqual([]);
  });

  test.each([
    ['the whole bucket ingested', 'SecureAI-V15',
      (kb: KnowledgeBase) => kb.dataSource.addPropertyDeletionOverride('DataSourceConfiguration.S3Configuration.InclusionPrefixes')],
    ['the role reading the whole bucket', 'SecureAI-V15', (kb: KnowledgeBase, _s: Stack, documents: SecureBucket) => documents.grantRead(kb.role)],
    ['the transient-data key removed', 'SecureAI-P12', (kb: KnowledgeBase) => kb.dataSource.addPropertyDeletionOverride('ServerSideEncryptionConfiguration')],
    ['the vector store on S3-managed keys', 'SecureAI-P12', (kb: KnowledgeBase) => kb.vectorBucket.addPropertyOverride('EncryptionConfiguration', { SseType: 'AES256', KmsKeyArn: undefined })],
    ['the role invoking every model', 'SecureAI-D10',
      (kb: KnowledgeBase) => kb.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] }))],
  ])('%s: %s fires', (_what, rule, tamper) => {
    expect(findingsAfter(tamper)).toContain(rule);
  });
});

describe('KnowledgeBase compliance', () => {
  test('a knowledge base over a SecureBucket prefix, with invocation logging and a backup, passes every pack', () => {
    const result = checkCompliance((app) => {
      const f = kbFixture({}, app);
      new ModelInvocationLogging(f.stack, 'Logging', { environment: f.environment });
      backUpAiStores(f.stack, f.environment);
    });
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI'))).toEqual([]);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });

  test('in an environment-agnostic stack, the SecureAI pack at FailOn.WARNING finds nothing', () => {
    const f = kbFixture({}, new App(), {});
    new ModelInvocationLogging(f.stack, 'Logging', { environment: f.environment });
    backUpAiStores(f.stack, f.environment);
    f.app.synth();
    const report = new SecureAiChecks({ failOn: FailOn.WARNING }).validateScope(f.app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.description.slice(0, 200)}`)).toEqual([]);
  });
});
