/**
 * A customer-service assistant on Amazon Bedrock AgentCore, secure by default: a guardrail on every model call, a
 * knowledge base over the company's policies, tools behind a gateway, model-invocation logging, offline backups.
 * Copy this file as the starting point of your own generative-AI stack.
 */
import { Stack, StackProps, Tags, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as signer from 'aws-cdk-lib/aws-signer';
import { Construct } from 'constructs';
import {
  AgentAuthorizer, AgentRuntime, AgentToolGateway, AiEndpointService, AiEnvironment, AiGuardrail, BedrockModel, EnvironmentKey,
  EnvironmentKeyPurpose, EnvironmentStage, KnowledgeBase, ModelImage, ModelInvocationLogging, OfflineBackup, PromptLogGroup,
  SecureBucket, VpcAccessStatements,
} from 'cdk-secure-ai';

/** What differs between deployments of the assistant. */
export interface GenerativeAiAssistantProps extends StackProps {
  /** The agent's image in the assistant's repository, by digest (`sha256:...`). */
  readonly imageDigest: string;
  /** The OpenID Connect discovery URL of the identity provider customers sign in with. */
  readonly discoveryUrl: string;
  /** The client ID of the customer web application: only its tokens are accepted. */
  readonly clientId: string;
  /** The key of the order tools' deployment package in the signed-code bucket, signed by the build's signing profile. */
  readonly toolCodeKey: string;
  /** The version of that object, so that a new signed package is a change CloudFormation deploys. */
  readonly toolCodeVersion: string;
}

/** The interface endpoints the assistant's workloads reach AWS through from the isolated subnets. */
const ENDPOINTS = [
  AiEndpointService.ECR_API, AiEndpointService.ECR_DOCKER, AiEndpointService.CLOUDWATCH_LOGS, AiEndpointService.CLOUDWATCH_MONITORING,
  AiEndpointService.KMS, AiEndpointService.STS, AiEndpointService.BEDROCK, AiEndpointService.BEDROCK_RUNTIME,
  AiEndpointService.BEDROCK_AGENT_RUNTIME, AiEndpointService.BEDROCK_AGENTCORE, AiEndpointService.BEDROCK_AGENTCORE_GATEWAY,
  AiEndpointService.XRAY,
];

const ORDER_NUMBER = { type: 'object', properties: { orderNumber: { type: 'string', description: 'The order number, ORD- and 8 digits' } }, required: ['orderNumber'] };

export class GenerativeAiAssistantStack extends Stack {
  public readonly aiEnvironment: AiEnvironment;
  public readonly logging: ModelInvocationLogging;
  public readonly guardrail: AiGuardrail;
  public readonly knowledgeBase: KnowledgeBase;
  public readonly tools: AgentToolGateway;
  public readonly assistant: AgentRuntime;
  public readonly backup: OfflineBackup;

  public constructor(scope: Construct, id: string, props: GenerativeAiAssistantProps) {
    super(scope, id, props);

    // The threat model, risk owner and criticality of the system (SecureAI-D1): where a reviewer starts.
    Tags.of(this).add('ai:threat-model', 'https://wiki.example.com/ai/customer-assistant/threat-model');
    Tags.of(this).add('ai:risk-owner', 'head-of-customer-service');
    Tags.of(this).add('ai:criticality', 'high');

    // An isolated VPC whose endpoints reach Bedrock and AgentCore, keys, an audit trail and a permissions boundary.
    this.aiEnvironment = new AiEnvironment(this, 'Environment', { owner: 'customer-assistant-team', stage: EnvironmentStage.PRODUCTION, endpoints: ENDPOINTS });
    const environment = this.aiEnvironment;

    // Every prompt and completion of the account and Region is logged, masked, encrypted and kept a year.
    this.logging = new ModelInvocationLogging(this, 'InvocationLogging', { environment });

    // Customers may not get investment or legal advice from the assistant, nor see each other's order numbers.
    this.guardrail = new AiGuardrail(this, 'Guardrail', {
      externallyExposed: true,
      deniedTopics: [
        { name: 'Investment advice', definition: 'Recommendations to buy, sell or hold shares, funds or other investments.', examples: ['Should I buy your shares?'] },
        { name: 'Legal advice', definition: 'Advice on the customer\'s legal rights, disputes or contracts beyond our published policies.' },
      ],
      sensitivePatterns: [{ name: 'Order number', pattern: 'ORD-[0-9]{8}', description: 'Our order numbers' }],
    });

    // The returns and delivery policies the assistant answers from, in a folder of their own.
    const documents = new SecureBucket(this, 'Documents', { environment });
    this.knowledgeBase = new KnowledgeBase(this, 'Policies', {
      environment,
      bucket: documents,
      prefix: 'customer-policies/',
      embeddingModel: BedrockModel.foundationModel('amazon.titan-embed-text-v2:0'),
      description: 'Returns, delivery and warranty policies published to customers',
    });

    // The order tools: looking an order up only reads; cancelling one changes it, so the agent asks the customer first.
    this.tools = new AgentToolGateway(this, 'Tools', { environment });
    this.tools.addLambdaTools('OrderTools', {
      targetName: 'orders',
      function: this.orderTools(environment, props.toolCodeKey, props.toolCodeVersion),
      description: 'Orders of the signed-in customer',
      tools: [
        {
          name: 'get_order',
          description: 'Looks up the status and items of one of the customer\'s orders.',
          inputSchema: ORDER_NUMBER,
          readOnly: 'Reads the order\'s status and items from the order service; changes nothing.',
        },
        { name: 'cancel_order', description: 'Cancels one of the customer\'s orders that has not shipped yet.', inputSchema: ORDER_NUMBER },
      ],
    });

    // The agent's image: a private repository with immutable tags, scanned on push, encrypted.
    const images = new ecr.Repository(this, 'AgentImages', {
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: new EnvironmentKey(this, 'AgentImagesKey', { purpose: EnvironmentKeyPurpose.DATA, description: 'Agent images' }),
      lifecycleRules: [{ maxImageCount: 50 }],
    });

    // Customers sign in with the company's identity provider; the agent runs in the isolated subnets.
    this.assistant = new AgentRuntime(this, 'Assistant', {
      environment,
      image: ModelImage.fromEcrRepository(images, props.imageDigest),
      authorizer: AgentAuthorizer.jwt({ discoveryUrl: props.discoveryUrl, allowedClients: [props.clientId] }),
      externallyExposed: true,
      guardrail: this.guardrail,
      models: [BedrockModel.inferenceProfile('eu.anthropic.claude-3-7-sonnet-20250219-v1:0')],
      knowledgeBases: [this.knowledgeBase],
      toolGateway: this.tools,
      description: 'Answers customers\' questions about orders, returns and delivery',
    });

    // Offline, locked backups of the policies and of the logged payloads.
    this.backup = new OfflineBackup(this, 'Backup', { environment });
    this.backup.protectBucket(documents);
    this.backup.protectBucket(this.logging.payloadBucket);
  }

  /**
   * The function behind the order tools: its code signed by the build (deployments of unsigned code fail), in the
   * isolated subnets, its own role and a masked, encrypted log group.
   */
  private orderTools(environment: AiEnvironment, codeKey: string, codeVersion: string): lambda.Function {
    const signedCode = new SecureBucket(this, 'SignedCode', { environment, aiAsset: false });
    const codeSigning = new lambda.CodeSigningConfig(this, 'OrderToolsCodeSigning', {
      signingProfiles: [new signer.SigningProfile(this, 'OrderToolsSigningProfile', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA })],
      untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.ENFORCE,
    });
    const logGroup = new PromptLogGroup(this, 'OrderToolsLogGroup', { environment });
    const role = new iam.Role(this, 'OrderToolsRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    for (const statement of VpcAccessStatements.forLambda(this, environment.vpc.vpcId)) role.addToPrincipalPolicy(statement);
    logGroup.grantWrite(role);
    const fn = new lambda.Function(this, 'OrderTools', {
      description: 'Looks up and cancels orders for the customer assistant',
      runtime: lambda.Runtime.NODEJS_26_X,
      handler: 'index.handler',
      code: lambda.Code.fromBucketV2(signedCode, codeKey, { objectVersion: codeVersion }),
      codeSigningConfig: codeSigning,
      role,
      vpc: environment.vpc,
      vpcSubnets: environment.workloadSubnets,
      securityGroups: [environment.addWorkloadSecurityGroup('OrderToolsSecurityGroup', 'Order tools: no ingress, HTTPS to the VPC endpoints')],
      logGroup,
      reservedConcurrentExecutions: 10,
    });
    // What the generic packs ask of every function and role, and why it does not fit this one.
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'EC2 Describe actions support no resource-level permissions; creating and '
        + 'deleting the function\'s network interfaces is limited by an ec2:Vpc condition to the environment\'s VPC.',
      },
      ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({
        id: `${pack}-IAMNoInlinePolicy`,
        reason: 'The policy '
        + 'holds only the grants made for this one function\'s role and is attached to it alone; a managed policy could be '
        + 'attached to other principals.',
      })),
    );
    Validations.of(fn).acknowledge(...['NIST.800.53.R5', 'HIPAA.Security'].map((pack) => ({
      id: `${pack}-LambdaDLQ`,
      reason: 'The '
      + 'tool gateway invokes the function synchronously and returns a failure to the agent, which tells the customer; a '
      + 'dead-letter queue receives failed asynchronous invocations only.',
    })));
    return fn;
  }
}
