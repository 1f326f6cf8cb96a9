import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { TemplateFixture, ifElse, imported, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const SAGEMAKER_URI = 'arn:aws:apigateway:eu-west-2:runtime.sagemaker:path//endpoints/fraud/invocations';
const API = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } };
const method = (properties: Record<string, unknown> = {}, uri: unknown = SAGEMAKER_URI) => ({
  Type: 'AWS::ApiGateway::Method',
  Properties: { RestApiId: { Ref: 'Api' }, ResourceId: 'r', HttpMethod: 'POST', Integration: { Type: 'AWS', IntegrationHttpMethod: 'POST', Uri: uri }, ...properties },
});
const run = (resources: Resources, parameters?: TemplateFixture['Parameters']) => validate({ Parameters: parameters, Resources: { Api: API, ...resources } });

const ROLE = {
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: 'arn:aws:bedrock:eu-west-2::foundation-model/amazon.nova-pro-v1:0' }] } }],
  },
};
const FN = { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Code: { ZipFile: 'x' }, Handler: 'i.h', Runtime: 'python3.12' } };

describe('D14 APIs in front of AI systems require authorization', () => {
  describe('REST API methods', () => {
    test('compliant: IAM, Cognito or custom authorization', () => {
      for (const type of ['AWS_IAM', 'COGNITO_USER_POOLS', 'CUSTOM']) {
        expect(verdictOf(run({ Method: method({ AuthorizationType: type }) }), 'D14', 'Method')).toBe('none');
      }
      expect(run({ Method: method({ AuthorizationType: 'AWS_IAM' }) }).tally('D14')).toMatchObject({ compliant: 1 });
    });

    test('non-compliant: NONE or absent (CloudFormation default); an API key alone is not authorization', () => {
      const absent = run({ Method: method() });
      expect(verdictOf(absent, 'D14', 'Method')).toBe('non-compliant');
      expect(absent.of('D14')[0]).toMatchObject({ ruleName: 'SecureAI-D14', level: 'error', locations: ['Properties.AuthorizationType'] });
      expect(absent.of('D14')[0].message).toMatch(/AuthorizationType is absent \(CloudFormation default NONE\).*calls SageMaker or Bedrock/);
      expect(verdictOf(run({ Method: method({ AuthorizationType: 'NONE', ApiKeyRequired: true }) }), 'D14', 'Method')).toBe('non-compliant');
    });

    test('every method of an AI API is judged; OPTIONS and MOCK methods are not', () => {
      const result = run({
        Invoke: method({ AuthorizationType: 'AWS_IAM' }),
        Health: method({ HttpMethod: 'GET' }, 'https://status.example.com/health'),
        Preflight: method({ HttpMethod: 'OPTIONS' }),
        Mock: method({ HttpMethod: 'GET', Integration: { Type: 'MOCK' } }),
      });
      expect(verdictOf(result, 'D14', 'Health')).toBe('non-compliant');
      expect(verdictOf(result, 'D14', 'Preflight')).toBe('none');
      expect(verdictOf(result, 'D14', 'Mock')).toBe('none');
    });

    test('an API fronts AI through a Lambda whose role invokes models', () => {
      const uri = { 'Fn::Join': ['', ['arn:aws:apigateway:eu-west-2:lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': ['Fn', 'Arn'] }, '/invocations']] };
      const result = run({ Role: ROLE, Fn: FN, Method: method({ Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: uri } }) });
      expect(verdictOf(result, 'D14', 'Method')).toBe('non-compliant');
      expect(result.of('D14')[0].message).toMatch(/Lambda Fn/);
    });

    test('not applicable: APIs that front no AI backend', () => {
      const result = run({ Method: method({}, 'https://orders.example.com/') });
      expect(result.tally('D14')).toMatchObject({ notApplicable: 1 });
    });

    test('intrinsic: Fn::If with NONE in a branch; parameter allowed values', () => {
      const conditional = run({ Method: method({ AuthorizationType: ifElse('AWS_IAM', 'NONE') }) });
      expect(verdictOf(conditional, 'D14', 'Method')).toBe('non-compliant');
      expect(conditional.of('D14')[0].message).toMatch(/possible forms/);
      const param = (AllowedValues: string[]) => run({ Method: method({ AuthorizationType: { Ref: 'Auth' } }) }, { Auth: { AllowedValues } });
      expect(verdictOf(param(['AWS_IAM', 'CUSTOM']), 'D14', 'Method')).toBe('none');
      expect(verdictOf(param(['AWS_IAM', 'NONE']), 'D14', 'Method')).toBe('unverifiable');
    });

    test('unverifiable: the authorization type imported', () => {
      const result = run({ Method: method({ AuthorizationType: imported('auth') }) });
      expect(verdictOf(result, 'D14', 'Method')).toBe('unverifiable');
      expect(result.of('D14')[0]).toMatchObject({ ruleName: 'SecureAI-D14[unverifiable]', level: 'warning' });
    });

    test('real CDK output: a RestApi in front of a model-calling Lambda, with and without an authorizer', () => {
      const app = new App();
      const stack = new Stack(app, 'S');
      const fn = new lambda.Function(stack, 'Chat', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'i.h', code: lambda.Code.fromInline('x') });
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:eu-west-2::foundation-model/amazon.nova-pro-v1:0'] }));
      const api = new apigateway.RestApi(stack, 'Api', { defaultCorsPreflightOptions: { allowOrigins: ['https://example.com'] } });
      api.root.addResource('open').addMethod('POST', new apigateway.LambdaIntegration(fn));
      api.root.addResource('signed').addMethod('POST', new apigateway.LambdaIntegration(fn), { authorizationType: apigateway.AuthorizationType.IAM });
      const result = new ValidationRun(new SecureAiChecks().validateScope(app));
      expect(result.of('D14').map((f) => f.constructPath)).toEqual(['S/Api/Default/open/POST/Resource']);
    });
  });

  describe('HTTP and WebSocket API routes', () => {
    const HTTP = { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'h', ProtocolType: 'HTTP' } };
    const integration = { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Http' }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] }, PayloadFormatVersion: '2.0' } };
    const route = (key: string, auth?: unknown) => ({ Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Http' }, RouteKey: key, Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'Integration' }]] }, AuthorizationType: auth } });
    const http = (resources: Resources) => validate({ Resources: { Role: ROLE, Fn: FN, Http: HTTP, Integration: integration, ...resources } });

    test('compliant and non-compliant routes; OPTIONS routes are not judged', () => {
      const result = http({ Jwt: route('POST /chat', 'JWT'), Open: route('POST /open'), Cors: route('OPTIONS /{proxy+}') });
      expect(verdictOf(result, 'D14', 'Jwt')).toBe('none');
      expect(verdictOf(result, 'D14', 'Open')).toBe('non-compliant');
      expect(result.of('D14').find((f) => f.logicalId === 'Open')!.message).toMatch(/route "POST \/open"/);
      expect(verdictOf(result, 'D14', 'Cors')).toBe('none');
      expect(verdictOf(http({ None: route('$default', 'NONE') }), 'D14', 'None')).toBe('non-compliant');
    });

    test('WebSocket APIs authorize on $connect only', () => {
      const ws = { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'w', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' } };
      const result = http({ Http: ws, Connect: route('$connect'), Message: route('sendMessage') });
      expect(verdictOf(result, 'D14', 'Connect')).toBe('non-compliant');
      expect(verdictOf(result, 'D14', 'Message')).toBe('none');
    });

    test('a quick-create API (Target) makes an unauthorized route', () => {
      const quick = validate({ Resources: { Role: ROLE, Fn: FN, Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'q', ProtocolType: 'HTTP', Target: { 'Fn::GetAtt': ['Fn', 'Arn'] } } } } });
      expect(verdictOf(quick, 'D14', 'Http')).toBe('non-compliant');
      expect(quick.of('D14')[0].locations).toEqual(['Properties.Target']);
      expect(validate({ Resources: { Http: HTTP } }).tally('D14')).toMatchObject({ notApplicable: 1 });
    });
  });

  describe('Lambda function URLs', () => {
    const url = (authType: unknown, target: unknown = { 'Fn::GetAtt': ['Fn', 'Arn'] }) => ({ Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: target, AuthType: authType } });
    test('AWS_IAM passes, NONE fails for a model-calling function; other functions are not judged', () => {
      expect(verdictOf(validate({ Resources: { Role: ROLE, Fn: FN, Url: url('AWS_IAM') } }), 'D14', 'Url')).toBe('none');
      const open = validate({ Resources: { Role: ROLE, Fn: FN, Url: url('NONE') } });
      expect(verdictOf(open, 'D14', 'Url')).toBe('non-compliant');
      expect(open.of('D14')[0].message).toMatch(/AuthType is "NONE": the function URL of Lambda Fn, whose role Role may call bedrock:InvokeModel/);
      const plain = validate({ Resources: { Fn: { ...FN, Properties: { ...FN.Properties, Role: 'arn:aws:iam::111122223333:role/x' } }, Url: url('NONE') } });
      expect(plain.tally('D14')).toMatchObject({ notApplicable: 1 });
    });

    test('intrinsic and unverifiable', () => {
      expect(verdictOf(validate({ Resources: { Role: ROLE, Fn: FN, Url: url(ifElse('AWS_IAM', 'NONE')) } }), 'D14', 'Url')).toBe('non-compliant');
      expect(verdictOf(validate({ Resources: { Role: ROLE, Fn: FN, Url: url(imported('auth')) } }), 'D14', 'Url')).toBe('unverifiable');
    });
  });

  describe('AgentCore gateways, runtimes and harnesses', () => {
    const JWT = { CustomJWTAuthorizer: { DiscoveryUrl: 'https://idp.example.com/.well-known/openid-configuration', AllowedAudience: ['agents'] } };
    const gateway = (type: unknown, config?: unknown) => ({ Type: 'AWS::BedrockAgentCore::Gateway', Properties: { Name: 'g', ProtocolType: 'MCP', RoleArn: 'arn:aws:iam::111122223333:role/g', AuthorizerType: type, AuthorizerConfiguration: config } });
    const runtime = (config?: unknown, tags?: unknown, type = 'Runtime') => ({ Type: `AWS::BedrockAgentCore::${type}`, Properties: { AgentRuntimeName: 'r', AuthorizerConfiguration: config, Tags: tags } });
    const one = (resource: Resources[string]) => validate({ Resources: { R: resource } });

    test('gateways: AWS_IAM or a restricted CUSTOM_JWT', () => {
      expect(verdictOf(one(gateway('AWS_IAM')), 'D14', 'R')).toBe('none');
      expect(verdictOf(one(gateway('CUSTOM_JWT', JWT)), 'D14', 'R')).toBe('none');
      const none = one(gateway('NONE'));
      expect(verdictOf(none, 'D14', 'R')).toBe('non-compliant');
      expect(none.of('D14')[0].message).toMatch(/AuthorizerType is "NONE": the gateway lets any caller/);
      const noConfig = one(gateway('CUSTOM_JWT'));
      expect(noConfig.of('D14')[0].message).toMatch(/CustomJWTAuthorizer is absent or has no DiscoveryUrl/);
      const unrestricted = one(gateway('CUSTOM_JWT', { CustomJWTAuthorizer: { DiscoveryUrl: 'https://accounts.google.com/.well-known/openid-configuration' } }));
      expect(unrestricted.of('D14')[0].message).toMatch(/names no AllowedAudience, AllowedClients, AllowedScopes or CustomClaims/);
      expect(verdictOf(one(gateway(ifElse('AWS_IAM', 'NONE'))), 'D14', 'R')).toBe('non-compliant');
      expect(verdictOf(one(gateway(imported('type'))), 'D14', 'R')).toBe('unverifiable');
    });

    test('runtimes and harnesses: IAM by default, a JWT authorizer when external; a JWT authorizer must restrict tokens', () => {
      for (const type of ['Runtime', 'Harness']) {
        expect(verdictOf(one(runtime(undefined, undefined, type)), 'D14', 'R')).toBe('none');
        expect(verdictOf(one(runtime(JWT, { 'ai:exposure': 'external' }, type)), 'D14', 'R')).toBe('none');
        const external = one(runtime(undefined, { 'ai:exposure': 'external' }, type));
        expect(verdictOf(external, 'D14', 'R')).toBe('non-compliant');
        expect(external.of('D14')[0].message).toMatch(/AuthorizerConfiguration is absent.*tagged ai:exposure=external/);
        expect(verdictOf(one(runtime({ CustomJWTAuthorizer: { DiscoveryUrl: 'https://idp/x' } }, undefined, type)), 'D14', 'R')).toBe('non-compliant');
      }
      expect(verdictOf(one(runtime(ifElse(JWT, { Ref: 'AWS::NoValue' }), { 'ai:exposure': 'external' })), 'D14', 'R')).toBe('non-compliant');
      expect(verdictOf(one(runtime(undefined, { 'ai:exposure': imported('exposure') })), 'D14', 'R')).toBe('unverifiable');
      expect(verdictOf(one(runtime(imported('auth'))), 'D14', 'R')).toBe('unverifiable');
    });
  });
});
