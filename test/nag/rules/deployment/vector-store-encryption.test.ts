import { ifElse, imported, TemplateFixture, validate, verdictOf } from '../../harness';
import { knowledgeBase, securityPolicy } from '../../vector-store-fixture';

/** A knowledge base whose vectors are in the Neptune Analytics graph `Graph` (a store type the shared fixture does not build). */
const graphKnowledgeBase = (() => {
  const kb = knowledgeBase(undefined, 'S3_VECTORS');
  const storage = { Type: 'NEPTUNE_ANALYTICS', NeptuneAnalyticsConfiguration: { GraphArn: { 'Fn::GetAtt': ['Graph', 'GraphArn'] }, FieldMapping: { TextField: 't', MetadataField: 'm' } } };
  return { ...kb, Properties: { ...kb.Properties, StorageConfiguration: storage } };
})();

const KEY = 'arn:aws:kms:eu-west-2:111122223333:key/abc';
const COLLECTION = { Type: 'AWS::OpenSearchServerless::Collection', Properties: { Name: 'kb', Type: 'VECTORSEARCH' } };
const RULES = [{ ResourceType: 'collection', Resource: ['collection/kb'] }];
type Props = Record<string, unknown>;
const stores = (props: { domain?: Props; cluster?: Props; bucket?: Props; encryption?: unknown }): TemplateFixture => ({
  Resources: {
    Collection: COLLECTION,
    Encryption: securityPolicy('encryption', props.encryption ?? { Rules: RULES, AWSOwnedKey: false, KmsARN: KEY }),
    Kb: knowledgeBase({ 'Fn::GetAtt': ['Collection', 'Arn'] }),
    Domain: { Type: 'AWS::OpenSearchService::Domain', Properties: props.domain ?? { EncryptionAtRestOptions: { Enabled: true, KmsKeyId: KEY } } },
    DomainKb: knowledgeBase({ 'Fn::GetAtt': ['Domain', 'DomainArn'] }, 'OPENSEARCH_MANAGED_CLUSTER'),
    Cluster: { Type: 'AWS::RDS::DBCluster', Properties: props.cluster ?? { StorageEncrypted: true, KmsKeyId: KEY } },
    RdsKb: knowledgeBase({ 'Fn::GetAtt': ['Cluster', 'DBClusterArn'] }, 'RDS'),
    Vectors: { Type: 'AWS::S3Vectors::VectorBucket', Properties: props.bucket ?? { EncryptionConfiguration: { SseType: 'aws:kms', KmsKeyArn: KEY } } },
    VectorsKb: knowledgeBase({ 'Fn::GetAtt': ['Vectors', 'VectorBucketArn'] }, 'S3_VECTORS'),
  },
});

describe('P28 vector stores of knowledge bases are encrypted with a customer-managed key', () => {
  test('compliant: every kind of store under a customer-managed key', () => {
    const run = validate(stores({}));
    expect(run.of('P28')).toEqual([]);
    expect(run.tally('P28')).toMatchObject({ compliant: 4 });
  });

  test('non-compliant: an AWS-owned key, no key, an unencrypted cluster, an S3-managed vector bucket', () => {
    const run = validate(stores({
      encryption: { Rules: RULES, AWSOwnedKey: true },
      domain: { EncryptionAtRestOptions: { Enabled: true } },
      cluster: { StorageEncrypted: false },
      bucket: { EncryptionConfiguration: { SseType: 'AES256' } },
    }));
    for (const id of ['Collection', 'Domain', 'Cluster', 'Vectors']) expect(verdictOf(run, 'P28', id)).toBe('non-compliant');
    const byId = (id: string) => run.of('P28').find((f) => f.logicalId === id)?.message;
    expect(byId('Collection')).toMatch(/encryption policy Encryption sets AWSOwnedKey to true for collection Collection/);
    expect(byId('Domain')).toMatch(/EncryptionAtRestOptions.KmsKeyId is absent/);
    expect(byId('Cluster')).toMatch(/StorageEncrypted is false/);
    expect(byId('Vectors')).toMatch(/SseType is "AES256"/);
    expect(run.of('P28')[0].level).toBe('warning');
  });

  test('a Neptune Analytics graph is judged by its KmsKeyIdentifier', () => {
    const graph = (props: Props) => validate({
      Resources: {
        Graph: { Type: 'AWS::NeptuneGraph::Graph', Properties: { ProvisionedMemory: 16, ...props } },
        Kb: graphKnowledgeBase,
      },
    });
    expect(verdictOf(graph({}), 'P28', 'Graph')).toBe('non-compliant');
    expect(graph({}).of('P28')[0].message).toMatch(/KmsKeyIdentifier is absent/);
    expect(verdictOf(graph({ KmsKeyIdentifier: KEY }), 'P28', 'Graph')).toBe('none');
  });

  test('intrinsic: a key chosen by Fn::If, an alias/aws key from a parameter', () => {
    const run = validate(stores({ cluster: { StorageEncrypted: true, KmsKeyId: ifElse(KEY, { Ref: 'AWS::NoValue' }) } }));
    expect(verdictOf(run, 'P28', 'Cluster')).toBe('non-compliant');
    const parameter = validate({ Parameters: { Key: { Default: 'alias/aws/rds' } }, Resources: stores({ cluster: { StorageEncrypted: true, KmsKeyId: { Ref: 'Key' } } }).Resources });
    expect(verdictOf(parameter, 'P28', 'Cluster')).toBe('non-compliant');
    expect(parameter.of('P28')[0].message).toMatch(/AWS-managed key/);
  });

  test('unverifiable: an imported encryption policy; no covering policy in the app', () => {
    expect(verdictOf(validate(stores({ encryption: imported('policy') })), 'P28', 'Collection')).toBe('unverifiable');
    const none = validate(stores({ encryption: { Rules: [{ ResourceType: 'collection', Resource: ['collection/other'] }], AWSOwnedKey: true } }));
    expect(verdictOf(none, 'P28', 'Collection')).toBe('unverifiable');
  });

  test('not applicable: stores no knowledge base uses', () => {
    const run = validate({ Resources: { Cluster: { Type: 'AWS::RDS::DBCluster', Properties: {} }, Vectors: { Type: 'AWS::S3Vectors::VectorBucket', Properties: {} } } });
    expect(run.of('P28')).toEqual([]);
  });

  test('malformed values never throw', () => {
    const run = validate(stores({ encryption: '{"Rules": [{"Resource": 5}]}', domain: { EncryptionAtRestOptions: 'x' }, bucket: { EncryptionConfiguration: [1] } }));
    expect(run.tally('P28').errors).toBe(0);
  });
});

describe('P28: a knowledge base that names its store by a literal ARN', () => {
  const ACCOUNT = 'arn:aws:%s:eu-west-2:111122223333:%s';
  const arn = (service: string, resource: string) => ACCOUNT.replace('%s', service).replace('%s', resource);

  test('non-compliant: an Aurora cluster, an OpenSearch domain and a vector bucket named in the ARN are judged as if referenced', () => {
    const run = validate({
      Resources: {
        Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { DBClusterIdentifier: 'kbdb', StorageEncrypted: false } },
        RdsKb: knowledgeBase(arn('rds', 'cluster:kbdb'), 'RDS'),
        Domain: { Type: 'AWS::OpenSearchService::Domain', Properties: { DomainName: 'kbsearch', EncryptionAtRestOptions: { Enabled: true } } },
        DomainKb: knowledgeBase(arn('es', 'domain/kbsearch'), 'OPENSEARCH_MANAGED_CLUSTER'),
        Vectors: { Type: 'AWS::S3Vectors::VectorBucket', Properties: { VectorBucketName: 'kb-vectors', EncryptionConfiguration: { SseType: 'AES256' } } },
        VectorsKb: knowledgeBase(arn('s3vectors', 'bucket/kb-vectors'), 'S3_VECTORS'),
      },
    });
    for (const id of ['Cluster', 'Domain', 'Vectors']) expect(verdictOf(run, 'P28', id)).toBe('non-compliant');
  });

  test('not applicable: an ARN of another service that ends in the same name names another resource', () => {
    const run = validate({
      Resources: {
        Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { DBClusterIdentifier: 'kbdb', StorageEncrypted: false } },
        DomainKb: knowledgeBase(arn('es', 'domain/kbdb'), 'OPENSEARCH_MANAGED_CLUSTER'),
      },
    });
    expect(verdictOf(run, 'P28', 'Cluster')).toBe('none');
  });
});

describe('P12 and P28: an S3 vector bucket without a customer-managed key is reported once', () => {
  const ACCOUNT = 'arn:aws:s3vectors:eu-west-2:111122223333:bucket/kb-vectors';
  const KEYED = { EncryptionConfiguration: { SseType: 'aws:kms', KmsKeyArn: KEY } };
  const keyFindings = (bucket: Props, kbArn: unknown) => {
    const run = validate({
      Resources: {
        Vectors: { Type: 'AWS::S3Vectors::VectorBucket', Properties: { VectorBucketName: 'kb-vectors', ...bucket } },
        VectorsKb: knowledgeBase(kbArn, 'S3_VECTORS'),
      },
    });
    return [...run.of('P12'), ...run.of('P28')].filter((f) => f.logicalId === 'Vectors');
  };

  test.each([
    ['a reference', { 'Fn::GetAtt': ['Vectors', 'VectorBucketArn'] }],
    ['its literal ARN', ACCOUNT],
  ])('a knowledge base naming the bucket by %s: one finding, P28\'s, which names the knowledge base', (_, kbArn) => {
    for (const bucket of [{}, { EncryptionConfiguration: { SseType: 'AES256' } }, { EncryptionConfiguration: { SseType: 'aws:kms' } }]) {
      const findings = keyFindings(bucket, kbArn);
      expect(findings.map((f) => f.ruleId)).toEqual(['P28']);
      expect(findings[0].message).toMatch(/vector bucket Vectors \(the vector store of AWS::Bedrock::KnowledgeBase VectorsKb\)/);
    }
    expect(keyFindings(KEYED, kbArn)).toEqual([]);
  });

  test('a bucket no knowledge base names, or one whose index alone a knowledge base names, is P12\'s alone', () => {
    expect(keyFindings({}, 'arn:aws:s3vectors:eu-west-2:111122223333:bucket/other').map((f) => f.ruleId)).toEqual(['P12']);
    const run = validate({
      Resources: {
        Vectors: { Type: 'AWS::S3Vectors::VectorBucket', Properties: {} },
        Index: { Type: 'AWS::S3Vectors::Index', Properties: { VectorBucketArn: { 'Fn::GetAtt': ['Vectors', 'VectorBucketArn'] }, DataType: 'float32', Dimension: 8, DistanceMetric: 'cosine' } },
        Kb: (() => {
          const kb = knowledgeBase(undefined, 'S3_VECTORS');
          return { ...kb, Properties: { ...kb.Properties, StorageConfiguration: { Type: 'S3_VECTORS', S3VectorsConfiguration: { IndexArn: { 'Fn::GetAtt': ['Index', 'IndexArn'] } } } } };
        })(),
      },
    });
    expect([...run.of('P12'), ...run.of('P28')].filter((f) => f.logicalId === 'Vectors').map((f) => f.ruleId)).toEqual(['P12']);
  });

  test('a knowledge base that is not created leaves the bucket to P12; an encryption configuration not known at synth time is one unverifiable finding', () => {
    const run = validate({
      Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
      Resources: {
        Vectors: { Type: 'AWS::S3Vectors::VectorBucket', Properties: {} },
        VectorsKb: { ...knowledgeBase({ 'Fn::GetAtt': ['Vectors', 'VectorBucketArn'] }, 'S3_VECTORS'), Condition: 'Never' },
      },
    });
    expect([...run.of('P12'), ...run.of('P28')].filter((f) => f.logicalId === 'Vectors').map((f) => f.ruleId)).toEqual(['P12']);
    const unknown = keyFindings({ EncryptionConfiguration: imported('vector-encryption') }, { 'Fn::GetAtt': ['Vectors', 'VectorBucketArn'] });
    expect(unknown.map((f) => f.ruleName)).toEqual(['SecureAI-P28[unverifiable]']);
  });
});

describe('P28: a knowledge base names its RDS cluster whatever the case of the identifier', () => {
  const arn = (identifier: string) => `arn:aws:rds:eu-west-2:111122223333:cluster:${identifier}`;
  const run = (kbArn: string, props: Props = { StorageEncrypted: false }) => validate({
    Resources: {
      Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { DBClusterIdentifier: 'KbDb', ...props } },
      RdsKb: knowledgeBase(kbArn, 'RDS'),
    },
  });

  test('non-compliant through kbdb and KBDB, compliant with a key, not applicable through another cluster\'s ARN', () => {
    for (const named of ['kbdb', 'KBDB']) {
      expect(verdictOf(run(arn(named)), 'P28', 'Cluster')).toBe('non-compliant');
      expect(run(arn(named)).of('P28')[0].message).toMatch(/StorageEncrypted is false on cluster Cluster \(the vector store of AWS::Bedrock::KnowledgeBase RdsKb\)/);
    }
    expect(run(arn('kbdb'), { StorageEncrypted: true, KmsKeyId: KEY }).tally('P28')).toMatchObject({ compliant: 1 });
    const other = run(arn('kbdb-replica'));
    expect(other.of('P28')).toEqual([]);
    expect(other.tally('P28')).toMatchObject({ compliant: 0 });
  });
});
