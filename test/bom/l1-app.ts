import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { FailOn, SecureAiChecks } from '../../src';

export const CLAUDE = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
export const TITAN_EMBED = 'amazon.titan-embed-text-v2:0';
export const IMAGE_DIGEST = 'ab'.repeat(32);
/** The AgentCore runtime's image: pulled by a tag, so its threat model has an open supply-chain finding. */
export const RUNTIME_IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/support-tools:latest';

/**
 * An AI system of plain aws-cdk-lib L1 resources, none of this library's constructs: a Bedrock agent with a
 * knowledge base over a bucket and a guardrail, an AgentCore runtime, and a SageMaker endpoint serving a model from
 * an S3 artifact.
 */
export function buildL1App(app: App, props: { aiBom?: boolean; threatModel?: boolean } = {}): Stack {
  const stack = new Stack(app, 'PlainL1', { env: { account: '123456789012', region: 'eu-west-1' } });
  Validations.of(app).addPlugins(new SecureAiChecks({ failOn: FailOn.NONE, aiBom: props.aiBom, threatModel: props.threatModel }));
  const documents = new s3.CfnBucket(stack, 'Documents', { tags: [{ key: 'DataClassification', value: 'internal' }] });
  const role = new iam.CfnRole(stack, 'AgentRole', {
    assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    policies: [{
      policyName: 'invoke',
      policyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'bedrock:InvokeModel',
          Resource: [`arn:aws:bedrock:eu-west-1::foundation-model/${CLAUDE}`, `arn:aws:bedrock:eu-west-1::foundation-model/${TITAN_EMBED}`],
        }],
      },
    }],
  });
  const guardrail = new bedrock.CfnGuardrail(stack, 'Guardrail', {
    name: 'support-guardrail',
    blockedInputMessaging: 'Sorry, I cannot help with that.',
    blockedOutputsMessaging: 'Sorry, I cannot answer that.',
    contentPolicyConfig: { filtersConfig: [{ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' }] },
    topicPolicyConfig: { topicsConfig: [{ name: 'Investment advice', definition: 'Advice on investments.', type: 'DENY' }] },
  });
  const kb = new bedrock.CfnKnowledgeBase(stack, 'KnowledgeBase', {
    name: 'support-docs',
    roleArn: role.attrArn,
    knowledgeBaseConfiguration: {
      type: 'VECTOR',
      vectorKnowledgeBaseConfiguration: { embeddingModelArn: `arn:aws:bedrock:eu-west-1::foundation-model/${TITAN_EMBED}` },
    },
    storageConfiguration: {
      type: 'OPENSEARCH_SERVERLESS',
      opensearchServerlessConfiguration: {
        collectionArn: 'arn:aws:aoss:eu-west-1:123456789012:collection/abc123',
        vectorIndexName: 'docs',
        fieldMapping: { vectorField: 'v', textField: 't', metadataField: 'm' },
      },
    },
  });
  new bedrock.CfnDataSource(stack, 'DataSource', {
    name: 'manuals',
    knowledgeBaseId: kb.attrKnowledgeBaseId,
    dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: documents.attrArn, inclusionPrefixes: ['manuals/'] } },
  });
  new bedrock.CfnAgent(stack, 'Agent', {
    agentName: 'support-agent',
    agentResourceRoleArn: role.attrArn,
    foundationModel: CLAUDE,
    instruction: 'You answer questions about our products from the manuals, politely and briefly.',
    guardrailConfiguration: { guardrailIdentifier: guardrail.attrGuardrailId, guardrailVersion: guardrail.attrVersion },
    knowledgeBases: [{ knowledgeBaseId: kb.attrKnowledgeBaseId, description: 'Product manuals' }],
  });
  new agentcore.CfnRuntime(stack, 'ToolsRuntime', {
    agentRuntimeName: 'support_tools',
    roleArn: role.attrArn,
    agentRuntimeArtifact: { containerConfiguration: { containerUri: RUNTIME_IMAGE } },
    networkConfiguration: { networkMode: 'PUBLIC' },
  });

  const artifacts = new s3.CfnBucket(stack, 'Artifacts', { tags: [{ key: 'DataClassification', value: 'confidential' }] });
  const modelRole = new iam.CfnRole(stack, 'ModelRole', {
    assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
  });
  const model = new sagemaker.CfnModel(stack, 'Model', {
    executionRoleArn: modelRole.attrArn,
    primaryContainer: {
      image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn@sha256:${IMAGE_DIGEST}`,
      modelDataUrl: `s3://${artifacts.ref}/churn/model.tar.gz`,
    },
  });
  const config = new sagemaker.CfnEndpointConfig(stack, 'EndpointConfig', {
    productionVariants: [{ variantName: 'AllTraffic', modelName: model.attrModelName, initialInstanceCount: 1, instanceType: 'ml.m5.large' }],
  });
  new sagemaker.CfnEndpoint(stack, 'Endpoint', { endpointConfigName: config.attrEndpointConfigName });
  return stack;
}

/** Synthesizes the L1 app into a fresh cloud assembly and returns its directory; the findings the CDK prints are not shown. */
export function synthesizeL1App(props: { aiBom?: boolean; threatModel?: boolean } = {}): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'l1-app-'));
  const app = new App({ outdir });
  buildL1App(app, props);
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } finally {
    spy.mockRestore();
  }
  return outdir;
}
