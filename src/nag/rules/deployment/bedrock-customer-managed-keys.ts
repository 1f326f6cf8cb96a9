import { combine, expectProperty, isOneOf, NOT_APPLICABLE, normaliseEnum, was } from '../../engine/checks';
import { IndexedResource } from '../../engine/resource-index';
import { expectCustomerManagedKey, namesAwsManagedKey } from '../../knowledge/customer-managed-key';
import { VECTOR_BUCKET, vectorStoreUse } from '../../knowledge/vector-stores';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** The key property of each resource type, and what it protects. */
const KEYS: Record<string, { readonly path: string; readonly protects: string }> = {
  'AWS::Bedrock::Agent': {
    path: 'CustomerEncryptionKeyArn',
    protects: "the agent's instructions, action-group definitions and session data",
  },
  'AWS::Bedrock::Guardrail': {
    path: 'KmsKeyArn',
    protects: "the guardrail's policies (denied topics, word lists, sensitive-information patterns)",
  },
  'AWS::Bedrock::Prompt': {
    path: 'CustomerEncryptionKeyArn',
    protects: 'the prompt templates, which are the system prompts of your application',
  },
  'AWS::Bedrock::Flow': {
    path: 'CustomerEncryptionKeyArn',
    protects: "the flow's definition, prompts and execution data",
  },
  'AWS::Bedrock::DataSource': {
    path: 'ServerSideEncryptionConfiguration.KmsKeyArn',
    protects: 'the documents and chunks the knowledge base ingests from this data source while they are processed',
  },
  'AWS::Bedrock::KnowledgeBase': {
    path: 'KnowledgeBaseConfiguration.ManagedKnowledgeBaseConfiguration.ServerSideEncryptionConfiguration.KmsKeyArn',
    protects: 'the managed knowledge base, its vector store and the documents it retrieves from',
  },
  'AWS::BedrockAgentCore::Gateway': {
    path: 'KmsKeyArn',
    protects: "the gateway's configuration and the tool credentials it holds",
  },
  'AWS::BedrockAgentCore::Memory': {
    path: 'EncryptionKeyArn',
    protects: "the agent's memory: conversation events and the long-term facts extracted from them",
  },
  [VECTOR_BUCKET]: {
    path: 'EncryptionConfiguration.KmsKeyArn',
    protects: 'the vectors of a knowledge base and the document text stored with them',
  },
  'AWS::S3Vectors::Index': {
    path: 'EncryptionConfiguration.KmsKeyArn',
    protects: 'the vectors of this index and the document text stored with them, overriding its vector bucket\'s encryption',
  },
};

/** A vector index without an encryption configuration of its own is encrypted as its vector bucket, judged there. */
function inheritsEncryption(index: IndexedResource): boolean {
  return index.get('EncryptionConfiguration').every((b) => b.value === undefined);
}

/**
 * Whether a knowledge base is a managed one, whose store Bedrock runs and encrypts with the key the rule asks for.
 * Vector, Kendra and SQL knowledge bases keep their data in a store of their own, encrypted there.
 */
function isManagedKnowledgeBase(kb: IndexedResource): boolean {
  if (kb.get('KnowledgeBaseConfiguration.ManagedKnowledgeBaseConfiguration').some((b) => b.value !== undefined)) return true;
  return kb.get('KnowledgeBaseConfiguration.Type').some((b) => typeof b.value === 'string' && normaliseEnum(b.value) === 'managed');
}

export const bedrockCustomerManagedKeys: RuleDefinition = {
  title: 'Bedrock and AgentCore resources and S3 vector stores are encrypted with customer-managed keys',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Protect your model continuously',
  quote: 'protect the model and data from direct and indirect access',
  level: RuleLevel.WARNING,
  resourceTypes: Object.keys(KEYS),
  compliantWhen: 'a customer-managed key is set: Agent, Prompt, Flow `CustomerEncryptionKeyArn`; Guardrail and AgentCore '
    + 'Gateway `KmsKeyArn`; DataSource `ServerSideEncryptionConfiguration.KmsKeyArn`; managed KnowledgeBase '
    + '`KnowledgeBaseConfiguration.ManagedKnowledgeBaseConfiguration.ServerSideEncryptionConfiguration.KmsKeyArn`; '
    + 'AgentCore Memory `EncryptionKeyArn`; S3 vector bucket `EncryptionConfiguration.KmsKeyArn` with `SseType: aws:kms`, and a vector index\'s '
    + 'when it overrides its bucket\'s encryption (a vector, Kendra or SQL knowledge base is encrypted in its store: a vector bucket '
    + 'a knowledge base\'s `StorageConfiguration` names is judged by P28, which names the knowledge base; every other vector bucket '
    + 'is judged here)',
  explanation: 'Agents, prompts, flows, guardrails, knowledge bases and agent memory hold the system prompts, the retrieved '
    + 'documents, the safety policies and the conversations of an AI application. With AWS-owned keys, access to them is '
    + 'governed only by IAM; a customer-managed key adds a key policy you control, audit in CloudTrail and can revoke.',
  fix: 'Set the key property to a customer-managed KMS key: customerEncryptionKeyArn on CfnAgent, CfnPrompt, CfnFlow; '
    + 'kmsKeyArn on CfnGuardrail and CfnGateway; serverSideEncryptionConfiguration.kmsKeyArn on CfnDataSource; '
    + 'knowledgeBaseConfiguration.managedKnowledgeBaseConfiguration.serverSideEncryptionConfiguration.kmsKeyArn on '
    + 'CfnKnowledgeBase; encryptionKeyArn on CfnMemory; encryptionConfiguration { sseType: \'aws:kms\', kmsKeyArn } on '
    + 's3vectors.CfnVectorBucket (and on a CfnIndex that sets its own).',
  peers: 'CKV_AWS_373 (Agent only, CFN); PRW bedrock_knowledge_base_encrypted_with_cmk, bedrock_prompt_encrypted_with_cmk; '
    + 'CP opensearch-serverless-customer-kms (vector store)',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    const key = KEYS[resource.type];
    if (!key) return NOT_APPLICABLE;
    if (resource.type === 'AWS::Bedrock::KnowledgeBase' && !isManagedKnowledgeBase(resource)) return NOT_APPLICABLE;
    if (resource.type === 'AWS::S3Vectors::Index' && inheritsEncryption(resource)) return NOT_APPLICABLE;
    // P28 judges the same key on a vector bucket a knowledge base names, and its finding names that knowledge base.
    if (resource.type === VECTOR_BUCKET && vectorStoreUse(context.index, resource) !== undefined) return NOT_APPLICABLE;
    const why = `the service encrypts ${key.protects} with an AWS-owned key, not one whose policy you control`;
    // An `alias/aws/...` key is AWS-managed, not AWS-owned: the problem already says so, and whose policy it is.
    const keyResult = expectCustomerManagedKey(resource, key.path, (v) => (namesAwsManagedKey(v) ? `the service encrypts ${key.protects} with it` : why));
    if (!resource.type.startsWith('AWS::S3Vectors::')) return keyResult;
    // S3 Vectors takes a key only with SSE-KMS; any other SseType (or none: SSE-S3 is the default) ignores it.
    return combine(keyResult, expectProperty(resource, 'EncryptionConfiguration.SseType', isOneOf('aws:kms'),
      (v) => `EncryptionConfiguration.SseType ${was(v)}, not aws:kms: ${why}`));
  },
};
