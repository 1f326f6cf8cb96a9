import { App, Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { composition, ENV, logicalId, toolFunction } from './fixture';
import { AiEndpointService } from '../../src/environment/ai-endpoint-service';
import { AgentAuthorizer } from '../../src/generative-ai/agent-authorizer';
import { AgentProtocol, AgentRuntime, AgentRuntimeProps } from '../../src/generative-ai/agent-runtime';
import { AgentTool, AgentToolGateway } from '../../src/generative-ai/agent-tool-gateway';
import { AiGuardrail } from '../../src/generative-ai/ai-guardrail';
import { BedrockModel } from '../../src/generative-ai/bedrock-model';
import { KnowledgeBase } from '../../src/generative-ai/knowledge-base';
import { ModelInvocationLogging } from '../../src/generative-ai/model-invocation-logging';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { ModelImage } from '../../src/registry/model-image';
import { SecureBucket } from '../../src/storage/secure-bucket';
import { backUpAiStores, canaryFindings, checkCompliance, isReasoned, silentPacks } from '../compliance';
import { unknownIamNames } from '../iam-reference';

const CLAUDE = BedrockModel.inferenceProfile('eu.anthropic.claude-3-7-sonnet-20250219-v1:0');
const DIGEST = `sha256:${'a'.repeat(64)}`;
const JWT = AgentAuthorizer.jwt({ discoveryUrl: 'https://login.example.com/.well-known/openid-configuration', allowedClients: ['assistant-web'] });
const ORDER_ID = { type: 'object', properties: { orderId: { type: 'string', description: 'The order number' } }, required: ['orderId'] };
const TOOLS: AgentTool[] = [
  { name: 'get_order', description: 'Looks up an order by its number.', inputSchema: ORDER_ID, readOnly: 'Reads the order\'s status and items; changes nothing.' },
  { name: 'cancel_order', description: 'Cancels an order by its number.', inputSchema: ORDER_ID },
];

/** An assistant as the example composes it: guardrail, knowledge base, tools behind a gateway, logging, backup. */
function assistant(app: App = new App(), props: Partial<AgentRuntimeProps> = {}, stackProps?: { env?: typeof ENV }) {
  const { stack, environment } = composition(app, {}, stackProps ?? { env: ENV });
  const repository = new ecr.Repository(stack, 'AgentImages', {
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    imageScanOnPush: true,
    encryption: ecr.RepositoryEncryption.KMS,
    encryptionKey: environment.dataKey,
    lifecycleRules: [{ maxImageCount: 20 }],
  });
  const guardrail = new AiGuardrail(stack, 'Guardrail', {
    deniedTopics: [{ name: 'Investment advice', definition: 'Recommendations to buy, sell or hold securities.' }], externallyExposed: true,
  });
  const documents = new SecureBucket(stack, 'Documents', { environment });
  const knowledgeBase = new KnowledgeBase(stack, 'Kb', { environment, bucket: documents, prefix: 'policies/', embeddingModel: BedrockModel.foundationModel('amazon.titan-embed-text-v2:0') });
  const gateway = new AgentToolGateway(stack, 'Tools', { environment });
  const fn = toolFunction(stack, environment);
  gateway.addLambdaTools('Orders', { targetName: 'orders', function: fn, tools: TOOLS, description: 'Orders of the signed-in customer' });
  const runtime = new AgentRuntime(stack, 'Assistant', {
    environment,
    image: ModelImage.fromEcrRepository(repository, DIGEST),
    authorizer: JWT,
    guardrail,
    models: [CLAUDE],
    knowledgeBases: [knowledgeBase],
    toolGateway: gateway,
    externallyExposed: true,
    ...props,
  });
  return { app, stack, environment, repository, guardrail, knowledgeBase, gateway, fn, runtime, template: () => Template.fromStack(stack) };
}
function withLoggingAndBackup(f: ReturnType<typeof assistant>) {
  new ModelInvocationLogging(f.stack, 'Logging', { environment: f.environment });
  backUpAiStores(f.stack, f.environment);
  return f;
}
const policyOf = (t: Template, policyPrefix: string) => Object.entries(t.findResources('AWS::IAM::Policy'))
  .find(([k]) => k.startsWith(policyPrefix))![1].Properties.PolicyDocument.Statement as any[];

describe('AgentRuntime defaults', () => {
  let f: ReturnType<typeof assistant>;
  let t: Template;
  let resources: Record<string, any>;
  let runtimeId: string;
  beforeAll(() => {
    f = assistant();
    t = f.template();
    resources = t.toJSON().Resources;
    runtimeId = logicalId(t, 'AWS::BedrockAgentCore::Runtime', 'Assistant');
  });

  test('VPC mode in the environment\'s workload subnets, behind a no-ingress group that reaches only the VPC endpoints', () => {
    const network = resources[runtimeId].Properties.NetworkConfiguration;
    expect(network).toEqual({
      NetworkMode: 'VPC',
      NetworkModeConfig: {
        Subnets: [{ Ref: expect.stringMatching(/^EnvVpcWorkloadSubnet1/) }, { Ref: expect.stringMatching(/^EnvVpcWorkloadSubnet2/) }],
        SecurityGroups: [{ 'Fn::GetAtt': [logicalId(t, 'AWS::EC2::SecurityGroup', 'AssistantSecurityGroup'), 'GroupId'] }],
      },
    });
    const sg = resources[logicalId(t, 'AWS::EC2::SecurityGroup', 'AssistantSecurityGroup')].Properties;
    expect(sg.SecurityGroupIngress).toBeUndefined();
    expect(sg.SecurityGroupEgress).toBeUndefined();
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [logicalId(t, 'AWS::EC2::SecurityGroup', 'AssistantSecurityGroup'), 'GroupId'] },
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      DestinationSecurityGroupId: { 'Fn::GetAtt': [logicalId(t, 'AWS::EC2::SecurityGroup', 'EnvEndpointSecurityGroup'), 'GroupId'] },
    });
  });

  test('a JWT authorizer restricted to the client; the image pinned by digest in the app\'s repository; HTTP; sessions end', () => {
    expect(resources[runtimeId].Properties).toMatchObject({
      AuthorizerConfiguration: { CustomJWTAuthorizer: { DiscoveryUrl: 'https://login.example.com/.well-known/openid-configuration', AllowedClients: ['assistant-web'] } },
      AgentRuntimeArtifact: { ContainerConfiguration: { ContainerUri: { 'Fn::Join': ['', expect.arrayContaining([`@${DIGEST}`])] } } },
      ProtocolConfiguration: 'HTTP',
      LifecycleConfiguration: { IdleRuntimeSessionTimeout: 900, MaxLifetime: 28800 },
      AgentRuntimeName: expect.stringMatching(/^Ai_Assistant_[0-9A-F]{8}$/),
    });
    expect(resources[runtimeId].Properties.Tags).toMatchObject({ 'ai:exposure': 'external', 'DataClassification': 'confidential', 'Owner': 'assistant-team' });
  });

  test('the agent learns the guardrail, models, knowledge base, gateway and the tools needing confirmation from its environment', () => {
    expect(resources[runtimeId].Properties.EnvironmentVariables).toEqual({
      AGENT_GUARDRAIL_ID: { 'Fn::GetAtt': [logicalId(t, 'AWS::Bedrock::Guardrail', 'Guardrail'), 'GuardrailId'] },
      AGENT_GUARDRAIL_VERSION: { 'Fn::GetAtt': [logicalId(t, 'AWS::Bedrock::GuardrailVersion', 'GuardrailVersion'), 'Version'] },
      AGENT_MODEL_ARNS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:${ENV.region}:${ENV.account}:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0`]] },
      AGENT_KNOWLEDGE_BASE_IDS: { 'Fn::GetAtt': [logicalId(t, 'AWS::Bedrock::KnowledgeBase', 'Kb'), 'KnowledgeBaseId'] },
      AGENT_TOOL_GATEWAY_URL: { 'Fn::GetAtt': [logicalId(t, 'AWS::BedrockAgentCore::Gateway', 'Tools'), 'GatewayUrl'] },
      AGENT_TOOLS_REQUIRING_CONFIRMATION: 'orders___cancel_order',
    });
  });

  test('role: only AgentCore runtimes of this account and name can assume it', () => {
    expect(resources[logicalId(t, 'AWS::IAM::Role', 'AssistantRole')].Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Service: 'bedrock-agentcore.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': ENV.account },
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock-agentcore:${ENV.region}:${ENV.account}:runtime/${resources[runtimeId].Properties.AgentRuntimeName}*`]] } },
      },
    }]);
  });

  test('role: the named models only through the guardrail\'s version; the knowledge base; the gateway; the image; traces and metrics', () => {
    const statements = policyOf(t, 'AssistantRoleDefaultPolicy');
    const versionId = logicalId(t, 'AWS::Bedrock::GuardrailVersion', 'GuardrailVersion');
    const invoke = statements.filter((s) => JSON.stringify(s.Action).includes('bedrock:Invoke'));
    expect(invoke).toHaveLength(1);
    expect(invoke[0].Condition).toEqual({ StringEquals: { 'bedrock:GuardrailIdentifier': { 'Fn::Join': ['', [{ 'Fn::GetAtt': [versionId, 'GuardrailArn'] }, ':', { 'Fn::GetAtt': [versionId, 'Version'] }]] } } });
    expect(statements).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: 'bedrock:Retrieve', Resource: { 'Fn::GetAtt': [logicalId(t, 'AWS::Bedrock::KnowledgeBase', 'Kb'), 'KnowledgeBaseArn'] } },
      { Effect: 'Allow', Action: 'bedrock-agentcore:InvokeGateway', Resource: { 'Fn::GetAtt': [logicalId(t, 'AWS::BedrockAgentCore::Gateway', 'Tools'), 'GatewayArn'] } },
      { Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], Resource: { 'Fn::GetAtt': [logicalId(t, 'AWS::ECR::Repository', 'AgentImages'), 'Arn'] } },
      { Sid: 'MetricsToItsNamespace', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'bedrock-agentcore' } } },
    ]));
    // No wildcard on models, knowledge bases or gateways, and nothing of S3, Secrets Manager or other runtimes.
    expect(JSON.stringify(statements)).not.toMatch(/"s3:|secretsmanager:|InvokeAgentRuntime|bedrock:\*"|"Resource":"\*","Action":"bedrock/);
  });

  test('logs: each endpoint\'s container log group named as AgentCore writes it, and the application logs, encrypted, a year, masked', () => {
    for (const [id, name] of [['AssistantDEFAULTLogGroup', '-DEFAULT'], ['AssistantliveLogGroup', '-live']]) {
      const group = resources[logicalId(t, 'AWS::Logs::LogGroup', id)];
      expect(group.Properties.LogGroupName).toEqual({ 'Fn::Join': ['', ['/aws/bedrock-agentcore/runtimes/', { 'Fn::GetAtt': [runtimeId, 'AgentRuntimeId'] }, name]] });
    }
    const groups = ['AssistantDEFAULTLogGroup', 'AssistantliveLogGroup', 'AssistantApplicationLogGroup'].map((p) => resources[logicalId(t, 'AWS::Logs::LogGroup', p)]);
    for (const group of groups) {
      expect(group.Properties).toMatchObject({ KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^EnvLogKey/), 'Arn'] }, RetentionInDays: 365 });
      expect(group.Properties.DataProtectionPolicy.Statement.map((s: any) => Object.keys(s.Operation)[0])).toEqual(['Audit', 'Deidentify']);
      expect(group.DeletionPolicy).toBe('Retain');
    }
    expect(policyOf(t, 'AssistantLogsPolicy')).toEqual([{
      Sid: 'ItsOwnLogGroups',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      Resource: [{ 'Fn::GetAtt': [logicalId(t, 'AWS::Logs::LogGroup', 'AssistantDEFAULTLogGroup'), 'Arn'] }, { 'Fn::GetAtt': [logicalId(t, 'AWS::Logs::LogGroup', 'AssistantliveLogGroup'), 'Arn'] }],
    }]);
  });

  test('application logs and traces are delivered: to the masked log group and to X-Ray, which accepts this runtime\'s traces only', () => {
    const sources = Object.values(t.findResources('AWS::Logs::DeliverySource')).map((s) => s.Properties);
    expect(sources.map((s) => s.LogType).sort()).toEqual(['APPLICATION_LOGS', 'TRACES']);
    for (const s of sources) expect(s.ResourceArn).toEqual({ 'Fn::GetAtt': [runtimeId, 'AgentRuntimeArn'] });
    const destinations = Object.values(t.findResources('AWS::Logs::DeliveryDestination')).map((d) => d.Properties);
    expect(destinations).toEqual(expect.arrayContaining([
      expect.objectContaining({ DeliveryDestinationType: 'CWL', DestinationResourceArn: { 'Fn::GetAtt': [logicalId(t, 'AWS::Logs::LogGroup', 'AssistantApplicationLogGroup'), 'Arn'] } }),
      expect.objectContaining({ DeliveryDestinationType: 'XRAY' }),
    ]));
    expect(Object.keys(t.findResources('AWS::Logs::Delivery'))).toHaveLength(2);
    const policy = JSON.stringify(Object.values(t.findResources('AWS::XRay::ResourcePolicy'))[0].Properties.PolicyDocument);
    expect(policy).toContain('delivery.logs.amazonaws.com');
    expect(policy).toContain('logs:LogGeneratingResourceArns');
    expect(policy).toContain(runtimeId);
  });

  test('the endpoint serves the numbered version this deployment creates, once its log groups and their policy exist', () => {
    const endpoint = Object.entries(t.findResources('AWS::BedrockAgentCore::RuntimeEndpoint'));
    expect(endpoint).toHaveLength(1);
    expect(endpoint[0][1].Properties).toMatchObject({
      Name: 'live', AgentRuntimeId: { 'Fn::GetAtt': [runtimeId, 'AgentRuntimeId'] }, AgentRuntimeVersion: { 'Fn::GetAtt': [runtimeId, 'AgentRuntimeVersion'] },
    });
    expect(endpoint[0][1].DependsOn).toEqual(expect.arrayContaining([logicalId(t, 'AWS::IAM::Policy', 'AssistantLogsPolicy'),
      logicalId(t, 'AWS::Logs::LogGroup', 'AssistantliveLogGroup')]));
  });

  test('every IAM action and condition key exists in the Service Authorization Reference', async () => {
    expect(await unknownIamNames(t.toJSON())).toEqual([]);
  });
});

describe('AgentToolGateway defaults', () => {
  let t: Template;
  let resources: Record<string, any>;
  beforeAll(() => {
    t = assistant().template();
    resources = t.toJSON().Resources;
  });

  test('MCP, IAM-authorized, its own key, no debug errors, tagged', () => {
    const gateway = resources[logicalId(t, 'AWS::BedrockAgentCore::Gateway', 'Tools')];
    expect(gateway.Properties).toMatchObject({
      ProtocolType: 'MCP',
      AuthorizerType: 'AWS_IAM',
      KmsKeyArn: { 'Fn::GetAtt': [logicalId(t, 'AWS::KMS::Key', 'ToolsKey'), 'Arn'] },
      Tags: expect.objectContaining({ DataClassification: 'confidential' }),
    });
    expect(gateway.Properties.AuthorizerConfiguration).toBeUndefined();
    expect(gateway.Properties.ExceptionLevel).toBeUndefined();
  });

  test('the target is called with the gateway\'s role (outbound IAM authentication), which may invoke that function and use its key only', () => {
    const target = Object.values(t.findResources('AWS::BedrockAgentCore::GatewayTarget'))[0];
    expect(target.Properties.CredentialProviderConfigurations).toEqual([{ CredentialProviderType: 'GATEWAY_IAM_ROLE' }]);
    expect(target.Properties.TargetConfiguration.Mcp.Lambda.LambdaArn).toEqual({ 'Fn::GetAtt': [logicalId(t, 'AWS::Lambda::Function', 'OrderTools'), 'Arn'] });
    expect(policyOf(t, 'ToolsRoleDefaultPolicy')).toEqual([
      { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: { 'Fn::GetAtt': [logicalId(t, 'AWS::KMS::Key', 'ToolsKey'), 'Arn'] } },
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [logicalId(t, 'AWS::Lambda::Function', 'OrderTools'), 'Arn'] } },
    ]);
    expect(resources[logicalId(t, 'AWS::IAM::Role', 'ToolsRole')].Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Principal: { Service: 'bedrock-agentcore.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': ENV.account } },
    });
  });

  test('a state-changing tool is marked as needing confirmation, in its description and the target\'s metadata; a read-only one says why', () => {
    const target = Object.values(t.findResources('AWS::BedrockAgentCore::GatewayTarget'))[0];
    const tools = target.Properties.TargetConfiguration.Mcp.Lambda.ToolSchema.InlinePayload;
    expect(tools[0]).toEqual({ Name: 'get_order', Description: 'Looks up an order by its number.', InputSchema: expect.anything() });
    expect(tools[1].Description).toBe('Cancels an order by its number. Changes state: ask the user to confirm each call, with its arguments, before making it.');
    expect(target.Metadata['cdk-secure-ai:tools-requiring-confirmation']).toEqual(['orders___cancel_order']);
    expect(target.Metadata['cdk-secure-ai:read-only-tools']).toEqual({ get_order: 'Reads the order\'s status and items; changes nothing.' });
  });
});

describe('AgentRuntime and AgentToolGateway options', () => {
  test('an IAM-authorized internal runtime: no AuthorizerConfiguration, grantInvoke on the runtime and its endpoint', () => {
    const f = assistant(new App(), {
      authorizer: AgentAuthorizer.iam(),
      externallyExposed: false,
      protocol: AgentProtocol.MCP,
      endpointName: 'prod',
      idleSessionTimeout: Duration.minutes(5),
      maxSessionLifetime: Duration.hours(1),
      runtimeName: 'support_agent',
      environmentVariables: { LOG_LEVEL: 'info' },
    });
    const caller = new iam.Role(f.stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    f.runtime.grantInvoke(caller);
    const t = f.template();
    const runtime = Object.values(t.findResources('AWS::BedrockAgentCore::Runtime'))[0].Properties;
    expect(runtime.AuthorizerConfiguration).toBeUndefined();
    expect(runtime).toMatchObject({ ProtocolConfiguration: 'MCP', AgentRuntimeName: 'support_agent', LifecycleConfiguration: { IdleRuntimeSessionTimeout: 300, MaxLifetime: 3600 } });
    expect(runtime.EnvironmentVariables.LOG_LEVEL).toBe('info');
    expect(runtime.Tags['ai:exposure']).toBeUndefined();
    t.hasResourceProperties('AWS::BedrockAgentCore::RuntimeEndpoint', { Name: 'prod' });
    expect(policyOf(t, 'CallerDefaultPolicy')).toEqual([{
      Effect: 'Allow',
      Action: 'bedrock-agentcore:InvokeAgentRuntime',
      Resource: [{ 'Fn::GetAtt': [logicalId(t, 'AWS::BedrockAgentCore::Runtime', 'Assistant'), 'AgentRuntimeArn'] },
        { 'Fn::GetAtt': [logicalId(t, 'AWS::BedrockAgentCore::RuntimeEndpoint', 'AssistantEndpoint'), 'AgentRuntimeEndpointArn'] }],
    }]);
  });

  test('a JWT-authorized gateway; tools added after the runtime still reach its confirmation list', () => {
    const app = new App();
    const { stack, environment } = composition(app);
    const gateway = new AgentToolGateway(stack, 'Tools', { environment, authorizer: JWT });
    const runtime = new AgentRuntime(stack, 'Agent', {
      environment,
      image: ModelImage.fromPinnedUri(`111111111111.dkr.ecr.eu-west-2.amazonaws.com/agent@${DIGEST}`),
      authorizer: AgentAuthorizer.iam(),
      guardrail: new AiGuardrail(stack, 'Guardrail'),
      models: [CLAUDE],
      toolGateway: gateway,
    });
    gateway.addLambdaTools('Refunds', {
      targetName: 'refunds',
      function: lambda.Function.fromFunctionArn(stack, 'Refunder', 'arn:aws:lambda:eu-west-2:111111111111:function:refunds'),
      tools: [{ name: 'refund', description: 'Refunds an order to the original payment method.', inputSchema: ORDER_ID }],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::BedrockAgentCore::Gateway', {
      AuthorizerType: 'CUSTOM_JWT',
      AuthorizerConfiguration: { CustomJWTAuthorizer: { DiscoveryUrl: 'https://login.example.com/.well-known/openid-configuration', AllowedClients: ['assistant-web'] } },
    });
    expect(stack.resolve(runtime.runtime.environmentVariables)).toMatchObject({ AGENT_TOOLS_REQUIRING_CONFIRMATION: 'refunds___refund' });
    expect(gateway.toolsRequiringConfirmation).toEqual(['refunds___refund']);
  });
});

describe('AgentRuntime and AgentToolGateway refuse bad props, naming the prop and the fix', () => {
  test('no models', () => {
    expect(() => assistant(new App(), { models: [] })).toThrow(/models is empty.*Fix:/);
  });

  test('an externally exposed runtime with IAM authorization', () => {
    expect(() => assistant(new App(), { authorizer: AgentAuthorizer.iam() })).toThrow(/externallyExposed is true but the authorizer is IAM.*SecureAI-D14.*Fix:/);
  });

  test('a JWT authorizer that accepts any token, or is not OpenID Connect', () => {
    expect(() => AgentAuthorizer.jwt({ discoveryUrl: 'https://login.example.com/.well-known/openid-configuration' }))
      .toThrow(/none of allowedAudience, allowedClients and allowedScopes is given.*Fix:/);
    expect(() => AgentAuthorizer.jwt({ discoveryUrl: 'http://login.example.com/.well-known/openid-configuration', allowedClients: ['a'] }))
      .toThrow(/discoveryUrl 'http:.*' is not an OpenID Connect discovery URL.*Fix:/);
    expect(() => AgentAuthorizer.jwt({ discoveryUrl: 'https://login.example.com/.well-known/openid-configuration', allowedAudience: ['*'] }))
      .toThrow(/allowedAudience has an empty value or a wildcard/);
  });

  test('an image neither vetted nor pinned', () => {
    expect(() => assistant(new App(), { image: ModelImage.fromUri('docker.io/acme/agent:latest') })).toThrow(/neither in a private ECR repository nor pinned by digest.*allowExternalImage/);
  });

  test('names, endpoint DEFAULT, session lifetimes, secrets in variables, a short log retention', () => {
    expect(() => assistant(new App(), { runtimeName: 'my-agent' })).toThrow(/runtimeName 'my-agent' is not a runtime name.*Fix:/);
    expect(() => assistant(new App(), { endpointName: 'DEFAULT' })).toThrow(/endpointName 'DEFAULT' is not an endpoint name of its own/);
    expect(() => assistant(new App(), { idleSessionTimeout: Duration.hours(9) })).toThrow(/idleSessionTimeout must be between 1 minute and 8 hours/);
    expect(() => assistant(new App(), { idleSessionTimeout: Duration.hours(2), maxSessionLifetime: Duration.hours(1) })).toThrow(/idleSessionTimeout is longer than maxSessionLifetime/);
    expect(() => assistant(new App(), { environmentVariables: { API_KEY: 'abc123' } })).toThrow(/'API_KEY' looks like a secret.*Fix:/);
    expect(() => assistant(new App(), { environmentVariables: { AWS_CREDS: 'AKIAABCDEFGHIJKLMNOP' } })).toThrow(/'AWS_CREDS' looks like a secret/);
    expect(() => assistant(new App(), { environmentVariables: { AGENT_GUARDRAIL_ID: 'other' } })).toThrow(/'AGENT_GUARDRAIL_ID' is not a name the agent may be given/);
    expect(() => assistant(new App(), { logRetention: 30 })).toThrow(/logRetention is 30 days, too short for production/);
  });

  test('an environment without the endpoints the agent needs', () => {
    const app = new App();
    const { stack, environment } = composition(app, { endpoints: [AiEndpointService.BEDROCK_RUNTIME] });
    expect(() => new AgentRuntime(stack, 'Agent', {
      environment,
      image: ModelImage.fromPinnedUri(`111111111111.dkr.ecr.eu-west-2.amazonaws.com/agent@${DIGEST}`),
      authorizer: AgentAuthorizer.iam(),
      guardrail: new AiGuardrail(stack, 'Guardrail'),
      models: [CLAUDE],
    })).toThrow(/no VPC endpoint for bedrock-agentcore, logs, xray, ecr.api, ecr.dkr.*Fix: add AiEndpointService.BEDROCK_AGENTCORE, AiEndpointService.CLOUDWATCH_LOGS/);
  });

  test('grantInvoke on a JWT-authorized runtime', () => {
    const f = assistant();
    expect(() => f.runtime.grantInvoke(new iam.Role(f.stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }))).toThrow(/grantInvoke is for an IAM-authorized runtime.*Fix:/);
  });

  test('gateway: bad names, a target twice, no tools, a tool twice, a vague description, a read-only reason that says nothing', () => {
    const f = assistant();
    const tools = (t: Partial<AgentTool>) => [{ ...TOOLS[1], ...t }];
    expect(() => new AgentToolGateway(f.stack, 'Bad', { environment: f.environment, gatewayName: 'my_gateway' })).toThrow(/gatewayName 'my_gateway' is not a gateway name/);
    expect(() => f.gateway.addLambdaTools('Again', { targetName: 'orders', function: f.fn, tools: TOOLS })).toThrow(/targetName 'orders' is used twice/);
    expect(() => f.gateway.addLambdaTools('None', { targetName: 'none', function: f.fn, tools: [] })).toThrow(/target 'none' has no tools/);
    expect(() => f.gateway.addLambdaTools('Twice', { targetName: 'twice', function: f.fn, tools: [TOOLS[0], TOOLS[0]] })).toThrow(/'get_order' of target 'twice' is not a tool name or is given twice/);
    expect(() => f.gateway.addLambdaTools('Vague', { targetName: 'vague', function: f.fn, tools: tools({ description: 'Cancel' }) })).toThrow(/has description 'Cancel'.*Fix:/);
    expect(() => f.gateway.addLambdaTools('Lazy', { targetName: 'lazy', function: f.fn, tools: tools({ readOnly: 'safe' }) })).toThrow(/readOnly is too short \('safe'\)/);
  });
});

describe('AgentRuntime against the SecureAI pack: each default removed, the rule that guards it fires', () => {
  function findingsAfter(tamper: (f: ReturnType<typeof assistant>) => void): string[] {
    const f = withLoggingAndBackup(assistant());
    tamper(f);
    f.app.synth();
    return new SecureAiChecks({ failOn: FailOn.WARNING }).validateScope(f.stack).violations.map((v) => v.ruleName.trim());
  }
  const runtimeOf = (f: ReturnType<typeof assistant>) => f.runtime.runtime;
  const invokeStatement = (f: ReturnType<typeof assistant>): number => {
    const doc = f.stack.resolve((f.runtime.role.node.findChild('DefaultPolicy') as iam.Policy).document.toJSON());
    return doc.Statement.findIndex((s: any) => JSON.stringify(s.Action).includes('bedrock:InvokeModel'));
  };

  test('as built: no finding', () => {
    expect(findingsAfter(() => undefined)).toEqual([]);
  });

  test.each([
    ['public network mode', 'SecureAI-P13', (f: ReturnType<typeof assistant>) => {
      runtimeOf(f).addPropertyOverride('NetworkConfiguration', { NetworkMode: 'PUBLIC' });
    }],
    ['no inbound authorizer on an external agent', 'SecureAI-D14', (f: ReturnType<typeof assistant>) => runtimeOf(f).addPropertyDeletionOverride('AuthorizerConfiguration')],
    ['no guardrail condition on model calls', 'SecureAI-D17', (f: ReturnType<typeof assistant>) => {
      const policy = f.runtime.role.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
      policy.addPropertyDeletionOverride(`PolicyDocument.Statement.${invokeStatement(f)}.Condition`);
    }],
    ['an image by mutable tag from a public registry', 'SecureAI-V1', (f: ReturnType<typeof assistant>) => runtimeOf(f).addPropertyOverride('AgentRuntimeArtifact.ContainerConfiguration.ContainerUri', 'docker.io/acme/agent:latest')],
    ['the gateway without its key', 'SecureAI-P12', (f: ReturnType<typeof assistant>) => f.gateway.gateway.addPropertyDeletionOverride('KmsKeyArn')],
    ['the gateway open to anyone', 'SecureAI-D14', (f: ReturnType<typeof assistant>) => f.gateway.gateway.addPropertyOverride('AuthorizerType', 'NONE')],
    ['a container log group without masking', 'SecureAI-O6', (f: ReturnType<typeof assistant>) => (f.runtime.logGroups[0].node.defaultChild as any).addPropertyDeletionOverride('DataProtectionPolicy')],
  ])('%s: %s fires', (_what, rule, tamper) => {
    expect(findingsAfter(tamper)).toContain(rule);
  });
});

describe('AgentRuntime compliance', () => {
  test('an assistant with a guardrail, a knowledge base, tools behind a gateway, invocation logging and a backup passes every pack', () => {
    const result = checkCompliance((app) => {
      withLoggingAndBackup(assistant(app));
    });
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI'))).toEqual([]);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });

  test('in an environment-agnostic stack, the SecureAI pack at FailOn.WARNING finds nothing', () => {
    const f = withLoggingAndBackup(assistant(new App(), {}, {}));
    f.app.synth();
    const report = new SecureAiChecks({ failOn: FailOn.WARNING }).validateScope(f.app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.description.slice(0, 200)}`)).toEqual([]);
  });
});
