import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { TemplateFixture, ifElse, imported, NO_VALUE, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const SAGEMAKER_URI = 'arn:aws:apigateway:eu-west-2:runtime.sagemaker:path//endpoints/fraud/invocations';
const REST: Resources = {
  Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } },
  Method: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: { Ref: 'Api' }, ResourceId: 'r', HttpMethod: 'POST', AuthorizationType: 'AWS_IAM', Integration: { Type: 'AWS', Uri: SAGEMAKER_URI } } },
};
const stage = (settings: unknown) => ({ Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, DeploymentId: 'd', StageName: 'prod', MethodSettings: settings } });
const setting = (trace: unknown) => ({ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'INFO', DataTraceEnabled: trace });
const run = (resources: Resources, parameters?: TemplateFixture['Parameters']) => validate({ Parameters: parameters, Resources: { ...REST, ...resources } });
const gateway = (level: unknown) => validate({ Resources: { Gateway: { Type: 'AWS::BedrockAgentCore::Gateway', Properties: { Name: 'g', ProtocolType: 'MCP', AuthorizerType: 'AWS_IAM', RoleArn: 'arn:aws:iam::111122223333:role/g', ExceptionLevel: level } } } });

describe('D16 AI gateways and APIs do not expose debug errors or full prompts', () => {
  test('AgentCore gateway: ExceptionLevel absent or not DEBUG', () => {
    expect(verdictOf(gateway(NO_VALUE), 'D16', 'Gateway')).toBe('none');
    const debug = gateway('DEBUG');
    expect(verdictOf(debug, 'D16', 'Gateway')).toBe('non-compliant');
    expect(debug.of('D16')[0]).toMatchObject({ ruleName: 'SecureAI-D16', level: 'warning', locations: ['Properties.ExceptionLevel'] });
    expect(debug.of('D16')[0].message).toMatch(/ExceptionLevel is "DEBUG": the gateway returns debugging detail/);
    expect(verdictOf(gateway('debug'), 'D16', 'Gateway')).toBe('non-compliant');
    expect(verdictOf(gateway(ifElse(NO_VALUE, 'DEBUG')), 'D16', 'Gateway')).toBe('non-compliant');
    expect(verdictOf(gateway(imported('level')), 'D16', 'Gateway')).toBe('unverifiable');
  });

  test('REST stages: DataTraceEnabled false or absent passes; true in any method setting fails', () => {
    expect(verdictOf(run({ Stage: stage([setting(false)]) }), 'D16', 'Stage')).toBe('none');
    expect(verdictOf(run({ Stage: stage(NO_VALUE) }), 'D16', 'Stage')).toBe('none');
    const traced = run({ Stage: stage([setting(false), { HttpMethod: 'POST', ResourcePath: '/~1chat', DataTraceEnabled: true }]) });
    expect(verdictOf(traced, 'D16', 'Stage')).toBe('non-compliant');
    expect(traced.of('D16')[0].locations).toEqual(['Properties.MethodSettings']);
    expect(traced.of('D16')[0].message).toMatch(/DataTraceEnabled is true in MethodSettings\[1\].*prompts and model completions/);
    expect(verdictOf(run({ Stage: stage([setting('true')]) }), 'D16', 'Stage')).toBe('non-compliant');
  });

  test('deployments with a stage and HTTP API stages', () => {
    const deployment = (description: unknown) => run({ Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', StageDescription: description } } });
    expect(verdictOf(deployment({ DataTraceEnabled: true }), 'D16', 'Deployment')).toBe('non-compliant');
    expect(verdictOf(deployment({ MethodSettings: [setting(true)] }), 'D16', 'Deployment')).toBe('non-compliant');
    expect(verdictOf(deployment({ LoggingLevel: 'ERROR' }), 'D16', 'Deployment')).toBe('none');
    const http = (stageProps: Record<string, unknown>) => validate({
      Resources: {
        Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'h', ProtocolType: 'WEBSOCKET' } },
        Integration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Http' }, IntegrationType: 'AWS', IntegrationUri: 'arn:aws:apigateway:eu-west-2:bedrock-runtime:path/model/x/converse' } },
        Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Http' }, StageName: 'prod', ...stageProps } },
      },
    });
    expect(verdictOf(http({ DefaultRouteSettings: { DataTraceEnabled: false } }), 'D16', 'Stage')).toBe('none');
    expect(verdictOf(http({ DefaultRouteSettings: { DataTraceEnabled: true } }), 'D16', 'Stage')).toBe('non-compliant');
    const route = http({ RouteSettings: { sendMessage: { DataTraceEnabled: true, LoggingLevel: 'INFO' } } });
    expect(route.of('D16')[0].message).toMatch(/RouteSettings\["sendMessage"\]/);
  });

  test('not applicable: stages of APIs that front no AI backend', () => {
    const plain = validate({ Resources: { Api: REST.Api, Stage: stage([setting(true)]) } });
    expect(plain.tally('D16')).toMatchObject({ notApplicable: 1 });
  });

  test('intrinsic: Fn::If with tracing in one branch; parameter allowed values', () => {
    const conditional = run({ Stage: stage([setting(ifElse(false, true))]) });
    expect(verdictOf(conditional, 'D16', 'Stage')).toBe('non-compliant');
    expect(conditional.of('D16')[0].message).toMatch(/possible forms/);
    const param = (AllowedValues: string[]) => run({ Stage: stage([setting({ Ref: 'Trace' })]) }, { Trace: { AllowedValues } });
    expect(verdictOf(param(['false']), 'D16', 'Stage')).toBe('none');
    expect(verdictOf(param(['false', 'true']), 'D16', 'Stage')).toBe('unverifiable');
  });

  test('intrinsic: a finding names the parameters of the tracing flag, not those of the other settings', () => {
    const parameters = { LogLevel: { Default: 'INFO' }, Trace: { Default: 'true' } };
    const unrelated = run({ Stage: stage([{ ...setting(true), LoggingLevel: { Ref: 'LogLevel' } }]) }, parameters);
    expect(unrelated.of('D16')[0].message).toMatch(/^DataTraceEnabled is true in MethodSettings\[0\]: /);
    const own = run({ Stage: stage([{ ...setting({ Ref: 'Trace' }), LoggingLevel: { Ref: 'LogLevel' } }]) }, parameters);
    expect(own.of('D16')[0].message).toMatch(/^DataTraceEnabled is true in MethodSettings\[0\] \(with the value of parameter Trace\): /);
  });

  test('unverifiable: method settings or the flag imported', () => {
    const result = run({ Stage: stage(imported('settings')) });
    expect(verdictOf(result, 'D16', 'Stage')).toBe('unverifiable');
    expect(result.of('D16')[0].ruleName).toBe('SecureAI-D16[unverifiable]');
    expect(verdictOf(run({ Stage: stage([setting(imported('trace'))]) }), 'D16', 'Stage')).toBe('unverifiable');
  });

  test('real CDK output: RestApi deployOptions dataTraceEnabled', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const integration = new apigateway.AwsIntegration({ service: 'runtime.sagemaker', path: 'endpoints/fraud/invocations' });
    const traced = new apigateway.RestApi(stack, 'Traced', { deployOptions: { dataTraceEnabled: true, loggingLevel: apigateway.MethodLoggingLevel.INFO } });
    traced.root.addMethod('POST', integration);
    const quiet = new apigateway.RestApi(stack, 'Quiet', { deployOptions: { loggingLevel: apigateway.MethodLoggingLevel.ERROR } });
    quiet.root.addMethod('POST', integration);
    const result = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(result.of('D16').map((f) => f.constructPath)).toEqual(['S/Traced/DeploymentStage.prod/Resource']);
  });
});
