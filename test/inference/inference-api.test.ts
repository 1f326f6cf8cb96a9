import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { InferenceApi, InferenceApiProps } from '../../src/inference/inference-api';
import { InferenceApiAuthorization } from '../../src/inference/inference-api-authorization';
import { acknowledgmentsOf, canaryFindings, checkCompliance, isReasoned, silentPacks } from '../compliance';

const ENV = { account: '111111111111', region: 'eu-west-2' };
const FRAUD = { endpointName: 'fraud', endpointArn: 'arn:aws:sagemaker:eu-west-2:111111111111:endpoint/fraud' };

function build(props: Partial<InferenceApiProps> = {}, stage?: EnvironmentStage) {
  const stack = new Stack(new App(), 'Ai', { env: ENV });
  const environment = new AiEnvironment(stack, 'Env', { owner: 'ml-platform', stage, logRetention: stage === EnvironmentStage.DEVELOPMENT ? logs.RetentionDays.ONE_MONTH : undefined });
  const api = new InferenceApi(stack, 'Fraud', { environment, endpoint: FRAUD, ...props });
  return { stack, environment, api, template: () => Template.fromStack(stack) };
}

function executeApiEndpoint(environment: AiEnvironment): ec2.InterfaceVpcEndpoint {
  return environment.vpc.addInterfaceEndpoint('ExecuteApi', {
    service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
    subnets: environment.workloadSubnets,
    securityGroups: [environment.endpointSecurityGroup],
    open: false,
  });
}

/** A user pool the generic packs accept: strong passwords, MFA required, the Plus feature plan. */
function userPool(stack: Stack): cognito.UserPool {
  return new cognito.UserPool(stack, 'Users', {
    passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
    mfa: cognito.Mfa.REQUIRED,
    mfaSecondFactor: { otp: true, sms: false },
    featurePlan: cognito.FeaturePlan.PLUS,
  });
}

const logKey = { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnvLogKey'), 'Arn'] };

describe('InferenceApi defaults', () => {
  const { stack, api, template } = build();
  const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
  api.grantInvoke(caller);
  const t = template();

  test('a REGIONAL REST API with TLS 1.2+ (forward secrecy) in strict endpoint access mode, no CloudWatch account role', () => {
    t.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
      EndpointAccessMode: 'STRICT',
      FailOnWarnings: true,
      Policy: Match.absent(),
    });
    t.resourceCountIs('AWS::ApiGateway::Account', 0);
    expect(api.restApi.node.tryFindChild('CloudWatchRole')).toBeUndefined();
  });

  test('POST / only, IAM-authorized, straight to runtime.sagemaker for the one endpoint (no Lambda in the path)', () => {
    const methods = t.findResources('AWS::ApiGateway::Method');
    expect(Object.values(methods).map((m) => m.Properties.HttpMethod)).toEqual(['POST']);
    t.resourceCountIs('AWS::ApiGateway::Resource', 0); // the root only
    t.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'AWS_IAM',
      ApiKeyRequired: false,
      ResourceId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FraudApi'), 'RootResourceId'] },
      Integration: Match.objectLike({
        Type: 'AWS',
        IntegrationHttpMethod: 'POST',
        Uri: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:eu-west-2:runtime.sagemaker:path/endpoints/fraud/invocations']] },
        Credentials: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FraudIntegrationRole'), 'Arn'] },
        PassthroughBehavior: 'NEVER',
        RequestTemplates: { 'application/json': '$input.body' },
      }),
    });
  });

  test('model errors are answered with generic messages, not the container\'s', () => {
    const method = Object.values(t.findResources('AWS::ApiGateway::Method'))[0];
    type Response = { StatusCode: string; SelectionPattern?: string; ResponseTemplates?: Record<string, string> };
    const responses = method.Properties.Integration.IntegrationResponses as Response[];
    expect(responses.map((r) => [r.StatusCode, r.SelectionPattern])).toEqual([['200', undefined], ['429', '429'], ['400', '4(?!29)\\d{2}'], ['502', '5\\d{2}']]);
    for (const r of responses.slice(1)) expect(Object.keys(JSON.parse(r.ResponseTemplates!['application/json']))).toEqual(['message']);
    const pattern = new RegExp(`^(?:${responses[2].SelectionPattern})$`);
    expect(['400', '424', '404'].every((c) => pattern.test(c))).toBe(true);
    expect(pattern.test('429')).toBe(false);
  });

  test('the integration role may invoke exactly the endpoint\'s ARN, through a customer managed policy', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] },
      Policies: Match.absent(),
      PermissionsBoundary: { Ref: Match.stringLikeRegexp('^EnvBoundaryPolicy') },
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Action: 'sagemaker:InvokeEndpoint', Effect: 'Allow', Resource: FRAUD.endpointArn }] },
      Roles: [{ Ref: Match.stringLikeRegexp('^FraudIntegrationRole') }],
    });
    expect(Object.keys(t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^FraudIntegrationRole') }] } }))).toEqual([]);
  });

  test('a request validator with the default { inputs, parameters } JSON schema', () => {
    t.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
    t.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: Match.objectLike({ type: 'object', required: ['inputs'], additionalProperties: false, properties: { inputs: { type: ['string', 'array', 'object'] }, parameters: { type: 'object' } } }),
    });
    t.hasResourceProperties('AWS::ApiGateway::Method', {
      RequestValidatorId: { Ref: Match.stringLikeRegexp('^FraudRequestValidator') },
      RequestModels: { 'application/json': { Ref: Match.stringLikeRegexp('^FraudRequestModel') } },
    });
  });

  test('stage: throttled 10/s burst 20 for every method, errors-only execution logs without data trace, X-Ray, no cache', () => {
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'production',
      TracingEnabled: true,
      CacheClusterEnabled: Match.absent(),
      MethodSettings: [{
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: 10,
        ThrottlingBurstLimit: 20,
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        MetricsEnabled: true,
      }],
    });
  });

  test('JSON access logs with caller, WAF and integration fields, never the body, to an encrypted, retained log group', () => {
    const stage = Object.values(t.findResources('AWS::ApiGateway::Stage'))[0];
    expect(stage.Properties.AccessLogSetting.DestinationArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^FraudAccessLogs/), 'Arn'] });
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      sourceIp: '$context.identity.sourceIp',
      userArn: '$context.identity.userArn',
      status: '$context.status',
      wafStatus: '$context.waf.status',
      integrationStatus: '$context.integrationStatus',
    });
    expect(stage.Properties.AccessLogSetting.Format).not.toMatch(/input\.body|requestOverride/);
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        KmsKeyId: logKey,
        RetentionInDays: 365,
        DataProtectionPolicy: Match.objectLike({
          Statement: [
            Match.objectLike({ Operation: { Audit: Match.anyValue() } }),
            Match.objectLike({ Operation: { Deidentify: Match.anyValue() } }),
          ],
        }),
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('the execution log group exists before the stage, encrypted and retained', () => {
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: Match.stringLikeRegexp('^FraudApi') }, '/production']] },
        KmsKeyId: logKey,
        RetentionInDays: 365,
      },
      DeletionPolicy: 'Retain',
    });
    t.hasResource('AWS::ApiGateway::Stage', { DependsOn: Match.arrayWith([Match.stringLikeRegexp('^FraudExecutionLogs')]) });
  });

  test('a usage plan on the stage with the stage\'s throttle and a daily quota', () => {
    t.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 10, BurstLimit: 20 },
      Quota: { Limit: 10000, Period: 'DAY' },
      ApiStages: [Match.objectLike({ ApiId: { Ref: Match.stringLikeRegexp('^FraudApi') }, Stage: { Ref: Match.stringLikeRegexp('^FraudApiDeploymentStage') } })],
    });
  });

  test('a REGIONAL web ACL on the stage: per-IP rate limit, 8 KiB body limit, known bad inputs, common rule set', () => {
    t.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      AssociationConfig: Match.absent(),
      Rules: [
        Match.objectLike({ Name: 'RateLimitPerIp', Action: { Block: { CustomResponse: { ResponseCode: 429 } } }, Statement: { RateBasedStatement: { Limit: 1500, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } } }),
        Match.objectLike({
          Name: 'MaxRequestBodySize',
          Action: { Block: { CustomResponse: { ResponseCode: 413 } } },
          Statement: { SizeConstraintStatement: Match.objectLike({ FieldToMatch: { Body: { OversizeHandling: 'MATCH' } }, ComparisonOperator: 'GT', Size: 8192 }) },
        }),
        Match.objectLike({ OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } } }),
        Match.objectLike({ OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } }),
      ],
    });
    t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^FraudApiDeploymentStage') }])] },
      WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FraudWebAcl'), 'Arn'] },
    });
  });

  test('the web ACL logs to an encrypted, retained aws-waf-logs- group, Authorization redacted, delivery allowed by policy', () => {
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'), KmsKeyId: logKey, RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
    t.hasResource('AWS::WAFv2::LoggingConfiguration', {
      Properties: {
        ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FraudWebAcl'), 'Arn'] },
        LogDestinationConfigs: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, Match.stringLikeRegexp('^:logs:eu-west-2:111111111111:log-group:aws-waf-logs-[^:*]+$')]] }],
        RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
      },
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^CdkLogGroupLogsDeliveryPolicy'), Match.stringLikeRegexp('^FraudWebAclLogs')]),
    });
    const policy = Object.values(t.findResources('AWS::Logs::ResourcePolicy'))[0];
    const text = JSON.stringify(policy.Properties.PolicyDocument);
    expect(text).toContain('delivery.logs.amazonaws.com');
    expect(text).toContain('aws:SourceAccount\\":\\"111111111111');
    expect(text).toMatch(/log-group:aws-waf-logs-[^:]+:log-stream:\*/);
  });

  test('exposes the API, stage, web ACL and URL; grantInvoke allows execute-api:Invoke on POST / of the stage only', () => {
    expect(api.restApi).toBeInstanceOf(apigateway.RestApi);
    expect((api.stage.node.defaultChild as apigateway.CfnStage).stageName).toBe('production');
    expect(api.webAcl.scope).toBe('REGIONAL');
    expect(stack.resolve(api.url)).toEqual(stack.resolve(api.restApi.url));
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }],
      PolicyDocument: {
        Statement: [{
          Action: 'execute-api:Invoke',
          Effect: 'Allow',
          Resource: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-2:111111111111:', { Ref: Match.stringLikeRegexp('^FraudApi') }, '/',
              { Ref: Match.stringLikeRegexp('^FraudApiDeploymentStage') }, '/POST/']],
          },
        }],
      },
    });
  });

  test('acknowledges only the generic-pack rules its design answers, each with a reason', () => {
    const acks = acknowledgmentsOf(api);
    expect(acks.map((a) => a.id).sort()).toEqual([
      'AwsSolutions-COG4',
      'HIPAA.Security-APIGWCacheEnabledAndEncrypted', 'HIPAA.Security-APIGWSSLEnabled',
      'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted', 'NIST.800.53.R5-APIGWSSLEnabled',
      'PCI.DSS.321-APIGWCacheEnabledAndEncrypted', 'PCI.DSS.321-APIGWSSLEnabled',
    ].map((id) => `Annotation::${id}`).sort());
    expect(acks.filter((a) => !isReasoned(a.reason))).toEqual([]);
  });
});

describe('InferenceApi options', () => {
  test('Cognito user pools: an authorizer with scopes on the method; grantInvoke refuses', () => {
    const stack = new Stack(new App(), 'Ai', { env: ENV });
    const environment = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
    const pool = userPool(stack);
    const api = new InferenceApi(stack, 'Fraud', { environment, endpoint: FRAUD, authorization: InferenceApiAuthorization.cognitoUserPools(pool, ['inference/invoke']) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS', ProviderARNs: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Users'), 'Arn'] }] });
    t.hasResourceProperties('AWS::ApiGateway::Method', {
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizerId: { Ref: Match.stringLikeRegexp('^FraudAuthorizer') },
      AuthorizationScopes: ['inference/invoke'],
    });
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => api.grantInvoke(role)).toThrow(/grantInvoke needs IAM authorization.*Fix: add the caller to the user pool/);
    expect(acknowledgmentsOf(api).map((a) => a.id)).not.toContain('Annotation::AwsSolutions-COG4');
  });

  test('private: reachable only through the given execute-api endpoint; IAM callers still need a grant', () => {
    const stack = new Stack(new App(), 'Ai', { env: ENV });
    const environment = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
    new InferenceApi(stack, 'Fraud', { environment, endpoint: FRAUD, privateEndpoint: executeApiEndpoint(environment) });
    const t = Template.fromStack(stack);
    const endpointRef = { Ref: Match.stringLikeRegexp('^EnvVpcExecuteApi') };
    t.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: [endpointRef] },
      Policy: {
        Statement: [
          {
            Sid: 'InvokeThroughTheEndpoint',
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } },
            Condition: { StringEquals: { 'aws:SourceVpce': endpointRef } },
          },
          {
            Sid: 'DenyOtherSources',
            Effect: 'Deny',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Principal: { AWS: '*' },
            Condition: { StringNotEquals: { 'aws:SourceVpce': endpointRef } },
          },
        ],
      },
    });
    t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  test('private with Cognito: any caller through the endpoint, the authorizer decides', () => {
    const stack = new Stack(new App(), 'Ai', { env: ENV });
    const environment = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
    new InferenceApi(stack, 'Fraud', {
      environment,
      endpoint: FRAUD,
      privateEndpoint: executeApiEndpoint(environment),
      authorization: InferenceApiAuthorization.cognitoUserPools(userPool(stack)),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'InvokeThroughTheEndpoint', Principal: { AWS: '*' } })]) },
    });
  });

  test.each<[number, string | undefined, boolean]>([
    [8192, undefined, false],
    [16384, undefined, true],
    [16385, 'KB_32', true],
    [32768, 'KB_32', true],
    [40000, 'KB_48', true],
    [65536, 'KB_64', true],
  ])('maxRequestBodyBytes %d: size rule, inspection limit %s, common-rule body limit counted: %s', (bytes, inspection, counted) => {
    const { stack, template } = build({ maxRequestBodyBytes: bytes });
    const t = template();
    const acl = Object.values(t.findResources('AWS::WAFv2::WebACL'))[0].Properties;
    expect(acl.Rules[1].Statement.SizeConstraintStatement.Size).toBe(bytes);
    expect(acl.AssociationConfig?.RequestBody?.API_GATEWAY?.DefaultSizeInspectionLimit).toBe(inspection);
    const overrides = acl.Rules[3].Statement.ManagedRuleGroupStatement.RuleActionOverrides;
    expect(overrides).toEqual(counted ? [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }] : undefined);
    const info = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('AWS WAF charges'));
    expect(info.length > 0).toBe(inspection !== undefined);
  });

  test('throttling, per-IP rate, quota, API keys, stage name, schema and API name are props', () => {
    const schema: apigateway.JsonSchema = { type: apigateway.JsonSchemaType.OBJECT, required: ['instances'], properties: { instances: { type: apigateway.JsonSchemaType.ARRAY } } };
    const { template } = build({
      throttlingRateLimit: 100,
      throttlingBurstLimit: 150,
      apiKeyRequired: true,
      quota: { limit: 500, period: apigateway.Period.WEEK },
      stageName: 'v1',
      requestSchema: schema,
      apiName: 'fraud-scoring',
    });
    const t = template();
    t.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'v1', MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 150 })] });
    t.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: 100, BurstLimit: 150 }, Quota: { Limit: 500, Period: 'WEEK' } });
    t.hasResourceProperties('AWS::ApiGateway::Method', { ApiKeyRequired: true });
    t.hasResourceProperties('AWS::ApiGateway::Model', { Schema: { type: 'object', required: ['instances'], properties: { instances: { type: 'array' } } } });
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'fraud-scoring' });
    // Per-IP default: half of 5 minutes at the stage rate.
    t.hasResourceProperties('AWS::WAFv2::WebACL', { Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 15000 }) } })]) });
    const explicit = build({ rateLimitPerIp: 50 }).template();
    explicit.hasResourceProperties('AWS::WAFv2::WebACL', { Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 50 }) } })]) });
  });

  test('a higher rate raises the default burst with it', () => {
    build({ throttlingRateLimit: 35.5 }).template().hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 35.5, ThrottlingBurstLimit: 36 })],
    });
  });

  test('a development environment names the stage after it and may keep logs shorter', () => {
    const { template } = build({ logRetention: logs.RetentionDays.ONE_MONTH }, EnvironmentStage.DEVELOPMENT);
    const t = template();
    t.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'development' });
    const apiGroups = Object.entries(t.findResources('AWS::Logs::LogGroup')).filter(([id]) => id.startsWith('Fraud'));
    expect(apiGroups.map(([, g]) => g.Properties.RetentionInDays)).toEqual([30, 30, 30]);
  });

  test('cloudWatchRole creates the account role, retained, with its managed policy acknowledged', () => {
    const { api, template } = build({ cloudWatchRole: true });
    const t = template();
    t.resourceCountIs('AWS::ApiGateway::Account', 1);
    t.hasResource('AWS::IAM::Role', { Properties: { ManagedPolicyArns: [Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AmazonAPIGatewayPushToCloudWatchLogs')])] })] }, DeletionPolicy: 'Retain' });
    const ack = acknowledgmentsOf(api).find((a) => a.id.includes('AmazonAPIGatewayPushToCloudWatchLogs'));
    expect(ack?.path).toBe('Ai/Fraud/Api/CloudWatchRole');
  });

  test('an endpoint given by reference (a CfnEndpoint in the app) is accepted', () => {
    const stack = new Stack(new App(), 'Ai', { env: ENV });
    const environment = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
    const endpoint = new sagemaker.CfnEndpoint(stack, 'Endpoint', { endpointConfigName: 'fraud-config' });
    new InferenceApi(stack, 'Fraud', { environment, endpoint: { endpointName: endpoint.attrEndpointName, endpointArn: endpoint.ref } });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: [Match.objectLike({ Resource: { Ref: Match.stringLikeRegexp('^Endpoint') } })] } });
    t.hasResourceProperties('AWS::ApiGateway::Method', {
      Integration: Match.objectLike({ Uri: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Endpoint'), 'EndpointName'] }])] } }),
    });
  });

  test('two APIs in a stack share the stack\'s one log-delivery resource policy', () => {
    const { stack, environment, template } = build();
    new InferenceApi(stack, 'Churn', { environment, endpoint: { endpointName: 'churn', endpointArn: 'arn:aws:sagemaker:eu-west-2:111111111111:endpoint/churn' } });
    const t = template();
    t.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    const text = JSON.stringify(Object.values(t.findResources('AWS::Logs::ResourcePolicy'))[0].Properties.PolicyDocument);
    expect(text.match(/log-stream:\*/g)).toHaveLength(2);
  });
});

describe('InferenceApi invalid props', () => {
  const fakeNone = { authorizationType: apigateway.AuthorizationType.NONE, scopes: [] } as unknown as InferenceApiAuthorization;
  test.each<[string, () => Partial<InferenceApiProps>, RegExp]>([
    ['authorization NONE (an object that only looks like an authorization)', () => ({ authorization: fakeNone }),
      /InferenceApi Fraud: authorization is NONE.*Fix: use InferenceApiAuthorization\.iam\(\)/],
    ['throttlingRateLimit 0', () => ({ throttlingRateLimit: 0 }), /throttlingRateLimit is 0, but it must be .* greater than 0\. Fix: give the steady rate/],
    ['throttlingRateLimit negative', () => ({ throttlingRateLimit: -5 }), /throttlingRateLimit is -5.*Fix/],
    ['throttlingRateLimit NaN', () => ({ throttlingRateLimit: NaN }), /throttlingRateLimit is NaN.*Fix/],
    ['throttlingBurstLimit 0', () => ({ throttlingBurstLimit: 0 }), /throttlingBurstLimit is 0, but it must be a whole number.*Fix/],
    ['throttlingBurstLimit fractional', () => ({ throttlingBurstLimit: 20.5 }), /throttlingBurstLimit is 20\.5.*Fix/],
    ['burst below rate', () => ({ throttlingRateLimit: 50, throttlingBurstLimit: 20 }), /throttlingBurstLimit 20 is below throttlingRateLimit 50.*Fix: set throttlingBurstLimit >= 50/],
    ['maxRequestBodyBytes 0', () => ({ maxRequestBodyBytes: 0 }), /maxRequestBodyBytes is 0, outside 1 to 65536\. Fix/],
    ['maxRequestBodyBytes above 64 KiB', () => ({ maxRequestBodyBytes: 65537 }), /maxRequestBodyBytes is 65537, outside 1 to 65536.*larger payloads belong in S3/],
    ['maxRequestBodyBytes fractional', () => ({ maxRequestBodyBytes: 100.5 }), /maxRequestBodyBytes is 100\.5.*Fix/],
    ['rateLimitPerIp below WAF minimum', () => ({ rateLimitPerIp: 9 }), /rateLimitPerIp is 9, outside 10 to 2000000000\. Fix/],
    ['rateLimitPerIp above WAF maximum', () => ({ rateLimitPerIp: 2_000_000_001 }), /rateLimitPerIp is 2000000001.*Fix/],
    ['short retention in production', () => ({ logRetention: logs.RetentionDays.ONE_MONTH }), /logRetention is 30 days, too short for production.*Fix: give logs\.RetentionDays\.ONE_YEAR/],
    ['stage name with a space', () => ({ stageName: 'prod stage' }), /stageName 'prod stage' is not an API Gateway stage name\. Fix/],
    ['quota of 0', () => ({ quota: { limit: 0, period: apigateway.Period.DAY } }), /quota must set a whole limit of at least 1.*Fix/],
    ['quota without a period', () => ({ quota: { limit: 10 } }), /quota must set .* period undefined\. Fix/],
    ['endpoint ARN with a wildcard', () => ({ endpoint: { endpointName: 'fraud', endpointArn: 'arn:aws:sagemaker:eu-west-2:111111111111:endpoint/*' } }),
      /endpoint\.endpointArn '.*endpoint\/\*' is not the ARN of one SageMaker endpoint.*never a wildcard/],
    ['endpoint ARN of another service', () => ({ endpoint: { endpointName: 'fraud', endpointArn: 'arn:aws:lambda:eu-west-2:111111111111:function:fraud' } }),
      /endpoint\.endpointArn .* is not the ARN of one SageMaker endpoint\. Fix/],
    ['endpoint name and ARN of different endpoints', () => ({ endpoint: { endpointName: 'churn', endpointArn: FRAUD.endpointArn } }),
      /endpoint\.endpointArn names endpoint 'fraud' but endpoint\.endpointName is 'churn'\. Fix/],
    ['endpoint name SageMaker would refuse', () => ({ endpoint: { endpointName: 'fraud_v2', endpointArn: FRAUD.endpointArn } }),
      /endpoint\.endpointName 'fraud_v2' is not a SageMaker endpoint name\. Fix/],
    ['no endpoint', () => ({ endpoint: undefined as unknown as InferenceApiProps['endpoint'] }), /endpoint is not set\. Fix: pass an InferenceEndpoint/],
    ['no environment', () => ({ environment: undefined as unknown as AiEnvironment }), /environment is not set\. Fix: pass the AiEnvironment/],
  ])('%s throws naming the prop and the fix', (_name, props, message) => {
    expect(() => build(props())).toThrow(message);
  });

  test('an endpoint name matching its ARN in another case is accepted (SageMaker ARNs are lower case)', () => {
    expect(() => build({ endpoint: { endpointName: 'Fraud', endpointArn: FRAUD.endpointArn } })).not.toThrow();
  });
});

describe('InferenceApi compliance', () => {
  test('the default API in an environment passes every pack with reasoned acknowledgments; the canary proves the packs ran', () => {
    const result = checkCompliance((app) => {
      const stack = new Stack(app, 'Ai', { env: ENV });
      const environment = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
      const api = new InferenceApi(stack, 'Fraud', { environment, endpoint: FRAUD });
      const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
      api.grantInvoke(caller);
      // The caller belongs to the test, not the construct: grantInvoke adds its statement to the caller's default policy.
      Validations.of(caller).acknowledge(...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({
        id: `${pack}-IAMNoInlinePolicy`,
        reason: 'The caller role is the test\'s stand-in for an application: grantInvoke adds execute-api:Invoke on the one POST method to the '
          + 'caller\'s default policy, as every aws-cdk-lib grant does; where the caller\'s policies live is the application\'s decision.',
      })));
    });
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    // No SecureAI rule is acknowledged. The stack holds no AI store (the endpoint is another stack's), so P18 has nothing
    // to check and no backup is composed.
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI')).map((a) => a.path)).toEqual([]);
    expect(result.acknowledgments.filter((a) => a.path.startsWith('Ai/Fraud')).length).toBe(7);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });

  test('a private, Cognito-authorized API with API keys and a 32 KiB body limit passes every pack', () => {
    const result = checkCompliance((app) => {
      const stack = new Stack(app, 'Ai', { env: ENV });
      const environment = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
      new InferenceApi(stack, 'Fraud', {
        environment,
        endpoint: FRAUD,
        privateEndpoint: executeApiEndpoint(environment),
        authorization: InferenceApiAuthorization.cognitoUserPools(userPool(stack), ['inference/invoke']),
        apiKeyRequired: true,
        maxRequestBodyBytes: 32768,
      });
    });
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI')).map((a) => a.path)).toEqual([]);
  });
});
