/** A knowledge base whose vectors are in the store `arn` names (`Type` the storage type). */
export function knowledgeBase(arn: unknown, type = 'OPENSEARCH_SERVERLESS') {
  const configuration: Record<string, unknown> = {
    OPENSEARCH_SERVERLESS: { OpensearchServerlessConfiguration: { CollectionArn: arn, VectorIndexName: 'i', FieldMapping: { VectorField: 'v', TextField: 't', MetadataField: 'm' } } },
    OPENSEARCH_MANAGED_CLUSTER: { OpensearchManagedClusterConfiguration: { DomainArn: arn, DomainEndpoint: 'https://x', VectorIndexName: 'i', FieldMapping: { VectorField: 'v', TextField: 't', MetadataField: 'm' } } },
    RDS: { RdsConfiguration: { ResourceArn: arn, CredentialsSecretArn: 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:db', DatabaseName: 'kb', TableName: 'v', FieldMapping: {} } },
    S3_VECTORS: { S3VectorsConfiguration: { VectorBucketArn: arn, IndexName: 'i' } },
  };
  return {
    Type: 'AWS::Bedrock::KnowledgeBase',
    Properties: {
      Name: 'kb',
      RoleArn: 'arn:aws:iam::111122223333:role/kb',
      KnowledgeBaseConfiguration: { Type: 'VECTOR', VectorKnowledgeBaseConfiguration: { EmbeddingModelArn: 'arn:aws:bedrock:eu-west-2::foundation-model/amazon.titan-embed-text-v2:0' } },
      StorageConfiguration: { Type: type, ...(configuration[type] as object) },
    },
  };
}

/** An OpenSearch Serverless security policy of `type` (network, encryption) with `policy` as its document (JSON text, or any value). */
export function securityPolicy(type: string, policy: unknown): { Type: string; Properties: Record<string, unknown> } {
  return {
    Type: 'AWS::OpenSearchServerless::SecurityPolicy',
    Properties: { Name: `kb-${type}`, Type: type, Policy: typeof policy === 'string' || (typeof policy === 'object' && policy !== null && !Array.isArray(policy)) ? policy : JSON.stringify(policy) },
  };
}
