import { ifElse, imported, NO_VALUE, validate, verdictOf } from '../../harness';

const KEY = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
const KEY_REF = { 'Fn::GetAtt': ['Key', 'Arn'] };

/** Each resource type with its key set, and a builder taking the key value. */
const RESOURCES: Record<string, { type: string; path: string; build: (key: unknown) => Record<string, unknown> }> = {
  Agent: { type: 'AWS::Bedrock::Agent', path: 'CustomerEncryptionKeyArn', build: (key) => ({ AgentName: 'a', CustomerEncryptionKeyArn: key }) },
  Guardrail: { type: 'AWS::Bedrock::Guardrail', path: 'KmsKeyArn', build: (key) => ({ Name: 'g', BlockedInputMessaging: 'no', BlockedOutputsMessaging: 'no', KmsKeyArn: key }) },
  Prompt: { type: 'AWS::Bedrock::Prompt', path: 'CustomerEncryptionKeyArn', build: (key) => ({ Name: 'p', CustomerEncryptionKeyArn: key }) },
  Flow: { type: 'AWS::Bedrock::Flow', path: 'CustomerEncryptionKeyArn', build: (key) => ({ Name: 'f', ExecutionRoleArn: 'arn:aws:iam::111122223333:role/f', CustomerEncryptionKeyArn: key }) },
  DataSource: {
    type: 'AWS::Bedrock::DataSource',
    path: 'ServerSideEncryptionConfiguration.KmsKeyArn',
    build: (key) => ({ Name: 'd', KnowledgeBaseId: 'kb', DataSourceConfiguration: { Type: 'S3' }, ServerSideEncryptionConfiguration: key === undefined ? undefined : { KmsKeyArn: key } }),
  },
  ManagedKb: {
    type: 'AWS::Bedrock::KnowledgeBase',
    path: 'KnowledgeBaseConfiguration.ManagedKnowledgeBaseConfiguration.ServerSideEncryptionConfiguration.KmsKeyArn',
    build: (key) => ({
      Name: 'kb',
      RoleArn: 'arn:aws:iam::111122223333:role/kb',
      KnowledgeBaseConfiguration: { Type: 'MANAGED', ManagedKnowledgeBaseConfiguration: { EmbeddingModelType: 'x', ServerSideEncryptionConfiguration: { KmsKeyArn: key } } },
    }),
  },
  Gateway: { type: 'AWS::BedrockAgentCore::Gateway', path: 'KmsKeyArn', build: (key) => ({ Name: 'gw', AuthorizerType: 'AWS_IAM', ProtocolType: 'MCP', KmsKeyArn: key }) },
  Memory: { type: 'AWS::BedrockAgentCore::Memory', path: 'EncryptionKeyArn', build: (key) => ({ Name: 'm', EventExpiryDuration: 30, EncryptionKeyArn: key }) },
  VectorBucket: {
    type: 'AWS::S3Vectors::VectorBucket',
    path: 'EncryptionConfiguration.KmsKeyArn',
    build: (key) => ({ EncryptionConfiguration: key === undefined ? { SseType: 'AES256' } : { SseType: 'aws:kms', KmsKeyArn: key } }),
  },
};

const fixture = (key: unknown) => {
  const resources: Record<string, { Type: string; Properties: Record<string, unknown> }> = { Key: KEY };
  for (const [id, r] of Object.entries(RESOURCES)) resources[id] = { Type: r.type, Properties: r.build(key) };
  return { Resources: resources };
};

describe('P12 Bedrock and AgentCore customer-managed keys', () => {
  test('compliant: every resource type with a key of the app', () => {
    const run = validate(fixture(KEY_REF));
    expect(run.of('P12')).toEqual([]);
    expect(run.tally('P12')).toMatchObject({ evaluated: 9, compliant: 9 });
  });

  test('non-compliant: every resource type without a key, at its own property', () => {
    const run = validate(fixture(undefined));
    for (const [id, r] of Object.entries(RESOURCES)) {
      expect(verdictOf(run, 'P12', id)).toBe('non-compliant');
      const finding = run.of('P12').find((f) => f.logicalId === id)!;
      expect(finding).toMatchObject({ ruleName: 'SecureAI-P12', level: 'warning' });
      // The vector bucket's default SSE-S3 is reported at its SseType too.
      expect(finding.locations).toEqual(id === 'VectorBucket'
        ? [`Properties.${r.path}`, 'Properties.EncryptionConfiguration.SseType'] : [`Properties.${r.path}`]);
      expect(finding.message).toContain(`${r.path} is absent`);
    }
  });

  test('non-compliant: the AWS-managed alias is not customer-managed', () => {
    const run = validate(fixture('arn:aws:kms:us-east-1:111122223333:alias/aws/bedrock'));
    expect(run.tally('P12')).toMatchObject({ nonCompliant: 9 });
    expect(run.of('P12')[0].message).toMatch(/AWS-managed key/);
    // An AWS-managed key is not the AWS-owned key the service uses when no key is named: no message says both.
    expect(run.of('P12').filter((f) => /AWS-owned/.test(f.message)).map((f) => f.message)).toEqual([]);
  });

  test('not applicable: vector, Kendra and SQL knowledge bases keep data in their own store', () => {
    const run = validate({
      Resources: {
        VectorKb: {
          Type: 'AWS::Bedrock::KnowledgeBase',
          Properties: { Name: 'kb', RoleArn: 'r', KnowledgeBaseConfiguration: { Type: 'VECTOR', VectorKnowledgeBaseConfiguration: { EmbeddingModelArn: 'm' } } },
        },
      },
    });
    expect(verdictOf(run, 'P12', 'VectorKb')).toBe('none');
    expect(run.tally('P12')).toMatchObject({ notApplicable: 1 });
  });

  test('S3 vector stores: a bucket without an encryption configuration is SSE-S3; an index is judged only when it overrides its bucket', () => {
    const index = (encryption?: unknown) => ({ Type: 'AWS::S3Vectors::Index', Properties: { DataType: 'float32', Dimension: 1024, DistanceMetric: 'cosine', EncryptionConfiguration: encryption } });
    const run = validate({
      Resources: {
        Key: KEY,
        Default: { Type: 'AWS::S3Vectors::VectorBucket', Properties: {} },
        Inherits: index(),
        OwnKey: index({ SseType: 'aws:kms', KmsKeyArn: KEY_REF }),
        Weaker: index({ SseType: 'AES256' }),
        // A key named beside SSE-S3 is ignored (CloudFormation refuses it): the vectors are not under the key.
        KeyIgnored: { Type: 'AWS::S3Vectors::VectorBucket', Properties: { EncryptionConfiguration: { SseType: 'AES256', KmsKeyArn: KEY_REF } } },
      },
    });
    expect(verdictOf(run, 'P12', 'Default')).toBe('non-compliant');
    expect(run.of('P12').find((f) => f.logicalId === 'Default')!.message).toMatch(/EncryptionConfiguration.KmsKeyArn is absent: .*vectors of a knowledge base/);
    expect(verdictOf(run, 'P12', 'Inherits')).toBe('none');
    expect(verdictOf(run, 'P12', 'OwnKey')).toBe('none');
    expect(verdictOf(run, 'P12', 'Weaker')).toBe('non-compliant');
    expect(verdictOf(run, 'P12', 'KeyIgnored')).toBe('non-compliant');
    expect(run.of('P12').find((f) => f.logicalId === 'KeyIgnored')!.message).toMatch(/SseType is "AES256", not aws:kms/);
    expect(run.tally('P12')).toMatchObject({ evaluated: 5, compliant: 1, nonCompliant: 3, notApplicable: 1 });
  });

  test('intrinsic: Fn::If with a NoValue branch; parameter by default and allowed values', () => {
    const withIf = validate({ Resources: { Key: KEY, Agent: { Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a', CustomerEncryptionKeyArn: ifElse(KEY_REF, NO_VALUE) } } } });
    expect(verdictOf(withIf, 'P12', 'Agent')).toBe('non-compliant');
    expect(withIf.of('P12')[0].message).toMatch(/possible forms/);
    const withParameter = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { GuardrailKey: { Default, AllowedValues } },
      Resources: { Guardrail: { Type: 'AWS::Bedrock::Guardrail', Properties: { Name: 'g', KmsKeyArn: { Ref: 'GuardrailKey' } } } },
    });
    expect(verdictOf(withParameter('arn:aws:kms:us-east-1:111122223333:key/abc'), 'P12', 'Guardrail')).toBe('none');
    expect(verdictOf(withParameter(''), 'P12', 'Guardrail')).toBe('non-compliant');
    expect(withParameter('').of('P12')[0].message).toMatch(/parameter GuardrailKey/);
    expect(verdictOf(withParameter('arn:aws:kms:us-east-1:111122223333:key/abc', ['arn:aws:kms:us-east-1:111122223333:key/abc', 'alias/aws/bedrock']),
      'P12', 'Guardrail')).toBe('parameter');
  });

  test('an imported key is set; a configuration block not known at synth time is unverifiable', () => {
    expect(verdictOf(validate(fixture(imported('bedrock-key'))), 'P12', 'Memory')).toBe('none');
    const run = validate({
      Resources: {
        DataSource: {
          Type: 'AWS::Bedrock::DataSource',
          Properties: { Name: 'd', KnowledgeBaseId: 'kb', ServerSideEncryptionConfiguration: { 'Fn::Select': [0, imported('sse-configs')] } },
        },
      },
    });
    expect(verdictOf(run, 'P12', 'DataSource')).toBe('unverifiable');
    expect(run.of('P12')[0]).toMatchObject({ ruleName: 'SecureAI-P12[unverifiable]', level: 'warning' });
    const vectors = validate({ Resources: { Vectors: { Type: 'AWS::S3Vectors::VectorBucket', Properties: { EncryptionConfiguration: imported('vector-encryption') } } } });
    expect(verdictOf(vectors, 'P12', 'Vectors')).toBe('unverifiable');
    // Intrinsic: SSE-KMS in one branch of a condition only.
    const conditional = validate({
      Resources: {
        Key: KEY,
        Vectors: { Type: 'AWS::S3Vectors::VectorBucket', Properties: { EncryptionConfiguration: ifElse({ SseType: 'aws:kms', KmsKeyArn: KEY_REF }, NO_VALUE) } },
      },
    });
    expect(verdictOf(conditional, 'P12', 'Vectors')).toBe('non-compliant');
    expect(conditional.of('P12')[0].message).toMatch(/possible forms/);
  });
});
