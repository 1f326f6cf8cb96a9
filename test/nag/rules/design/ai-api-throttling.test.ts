import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { TemplateFixture, ifElse, imported, NO_VALUE, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const SAGEMAKER_URI = 'arn:aws:apigateway:eu-west-2:runtime.sagemaker:path//endpoints/fraud/invocations';
const api = (tags?: unknown) => ({ Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api', Tags: tags } });
const method = (extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::ApiGateway::Method',
  Properties: { RestApiId: { Ref: 'Api' }, ResourceId: 'r', HttpMethod: 'POST', AuthorizationType: 'AWS_IAM', Integration: { Type: 'AWS', Uri: SAGEMAKER_URI }, ...extra },
});
const THROTTLED = [{ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }];
const stage = (settings: unknown = THROTTLED, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, DeploymentId: 'd', StageName: 'prod', MethodSettings: settings, ...extra },
});
const plan = (quota: unknown = { Limit: 10000, Period: 'MONTH' }, stageRef: unknown = { Ref: 'Stage' }) => ({
  Type: 'AWS::ApiGateway::UsagePlan', Properties: { ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: stageRef }], Throttle: { RateLimit: 10, BurstLimit: 20 }, Quota: quota },
});
const run = (resources: Resources, parameters?: TemplateFixture['Parameters']) =>
  validate({ Parameters: parameters, Resources: { Api: api(), Method: method(), Stage: stage(), ...resources } });
const EXTERNAL = [{ Key: 'ai:exposure', Value: 'external' }];

describe('D15 APIs in front of AI systems throttle every route', () => {
  test('compliant: stage-wide throttles on an AI API', () => {
    const result = run({});
    expect(verdictOf(result, 'D15', 'Stage')).toBe('none');
    expect(result.tally('D15')).toMatchObject({ compliant: 1 });
  });

  test('not applicable: stages of APIs that front no AI backend, and deployments that create no stage', () => {
    const result = run({ Method: method({ Integration: { Type: 'HTTP', Uri: 'https://orders.example.com' } }), Stage: stage([]) });
    expect(result.tally('D15')).toMatchObject({ notApplicable: 1 });
    expect(run({ Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } } } }).tally('D15')).toMatchObject({ notApplicable: 1 });
  });

  test('non-compliant: no method settings, a throttle missing, an entry that is not stage-wide, -1 (unlimited)', () => {
    const cases: unknown[] = [
      NO_VALUE,
      [{ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 50 }],
      [{ HttpMethod: '*', ResourcePath: '/*', ThrottlingBurstLimit: 50 }],
      [{ HttpMethod: 'POST', ResourcePath: '/~1chat', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }],
      [{ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: -1, ThrottlingBurstLimit: -1 }],
      [{ HttpMethod: '*', ResourcePath: '/*', MetricsEnabled: true }],
    ];
    for (const settings of cases) {
      const result = run({ Stage: stage(settings) });
      expect(verdictOf(result, 'D15', 'Stage')).toBe('non-compliant');
      expect(result.of('D15')[0]).toMatchObject({ ruleName: 'SecureAI-D15', level: 'error', locations: ['Properties.MethodSettings'] });
      expect(result.of('D15')[0].message).toMatch(/MethodSettings has no entry for HttpMethod "\*" and ResourcePath "\/\*".*account-wide default limit/);
    }
  });

  test('deployments with a stage: StageDescription throttles or its stage-wide method settings', () => {
    const deployment = (description: unknown) => run({ Stage: { Type: 'AWS::SNS::Topic' }, Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', StageDescription: description } } });
    expect(verdictOf(deployment({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }), 'D15', 'Deployment')).toBe('none');
    expect(verdictOf(deployment({ MethodSettings: THROTTLED }), 'D15', 'Deployment')).toBe('none');
    const none = deployment(undefined);
    expect(verdictOf(none, 'D15', 'Deployment')).toBe('non-compliant');
    expect(none.of('D15')[0].locations).toEqual(['Properties.StageDescription']);
  });

  test('HTTP API stages: DefaultRouteSettings throttles', () => {
    const http = (settings: unknown) => validate({
      Resources: {
        Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'h', ProtocolType: 'HTTP' } },
        Integration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Http' }, IntegrationType: 'AWS_PROXY', IntegrationUri: 'arn:aws:apigateway:eu-west-2:bedrock-runtime:path/model/x/invoke' } },
        Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Http' }, StageName: '$default', DefaultRouteSettings: settings, Tags: { 'ai:exposure': 'external' } } },
      },
    });
    expect(verdictOf(http({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 }), 'D15', 'Stage')).toBe('none');
    const none = http(undefined);
    expect(verdictOf(none, 'D15', 'Stage')).toBe('non-compliant');
    expect(none.of('D15')[0].message).toMatch(/DefaultRouteSettings does not set both/);
    expect(verdictOf(http({ ThrottlingRateLimit: 5 }), 'D15', 'Stage')).toBe('non-compliant');
  });

  describe('externally exposed AI APIs', () => {
    test('compliant: a usage plan with a quota, and API keys required', () => {
      const result = run({ Api: api(EXTERNAL), Method: method({ ApiKeyRequired: true }), Plan: plan() });
      expect(verdictOf(result, 'D15', 'Stage')).toBe('none');
      // The plan may name the stage by its literal name.
      expect(verdictOf(run({ Api: api(EXTERNAL), Method: method({ ApiKeyRequired: true }), Plan: plan(undefined, 'prod') }), 'D15', 'Stage')).toBe('none');
    });

    test('non-compliant: no usage plan, a plan without quota, methods that do not require an API key', () => {
      const noPlan = run({ Api: api(EXTERNAL), Method: method({ ApiKeyRequired: true }) });
      expect(verdictOf(noPlan, 'D15', 'Stage')).toBe('non-compliant');
      expect(noPlan.of('D15')[0].message).toMatch(/no AWS::ApiGateway::UsagePlan names it/);
      const noQuota = run({ Api: api(EXTERNAL), Method: method({ ApiKeyRequired: true }), Plan: plan(NO_VALUE) });
      expect(noQuota.of('D15')[0].message).toMatch(/usage plan Plan sets no Quota/);
      expect(verdictOf(run({ Api: api(EXTERNAL), Method: method({ ApiKeyRequired: true }), Plan: plan({ Limit: 100 }) }), 'D15', 'Stage')).toBe('non-compliant');
      const noKeys = run({ Api: api(EXTERNAL), Plan: plan() });
      expect(noKeys.of('D15')[0].message).toMatch(/method Method of the API do not set ApiKeyRequired: true/);
      // Stage throttles are still required.
      const both = run({ Api: api(EXTERNAL), Stage: stage([]), Method: method({ ApiKeyRequired: true }), Plan: plan() });
      expect(both.of('D15')[0].message).toMatch(/MethodSettings has no entry/);
    });

    test('exposure read from the stage, the API or the stack; unverifiable when chosen at deploy time', () => {
      expect(verdictOf(run({ Stage: stage(THROTTLED, { Tags: EXTERNAL }) }), 'D15', 'Stage')).toBe('non-compliant');
      const maybe = run({ Api: api([{ Key: 'ai:exposure', Value: imported('exposure') }]) });
      expect(verdictOf(maybe, 'D15', 'Stage')).toBe('unverifiable');
      expect(maybe.of('D15')[0].message).toMatch(/ai:exposure tag is not known/);
    });

    test('of two stages of one name created under opposite conditions, a plan naming the stage by name holds the one created', () => {
      const conditional = (stageRef: unknown) => validate({
        Parameters: { Env: { Type: 'String', Default: 'prod', AllowedValues: ['prod', 'dev'] } },
        Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] } },
        Resources: {
          Api: api(EXTERNAL),
          Method: method({ ApiKeyRequired: true }),
          Plan: plan(undefined, stageRef),
          Stage: { ...stage(), Condition: 'IsProd' },
          DevStage: { ...stage(), Condition: 'IsDev' },
        },
      });
      const byName = conditional('prod');
      expect(verdictOf(byName, 'D15', 'Stage')).toBe('none');
      expect(verdictOf(byName, 'D15', 'DevStage')).toBe('none');
      // Named by reference, the plan holds the production stage alone: the dev stage, created with Env dev, has no quota.
      expect(verdictOf(conditional({ Ref: 'Stage' }), 'D15', 'DevStage')).toBe('parameter');
    });

    test('unverifiable: a usage plan whose stages cannot be read', () => {
      const result = run({ Api: api(EXTERNAL), Method: method({ ApiKeyRequired: true }), Plan: { Type: 'AWS::ApiGateway::UsagePlan', Properties: { ApiStages: imported('stages'), Quota: { Limit: 1, Period: 'DAY' } } } });
      expect(verdictOf(result, 'D15', 'Stage')).toBe('unverifiable');
    });
  });

  test('intrinsic: Fn::If with an unthrottled branch; parameter allowed values', () => {
    const conditional = run({ Stage: stage(ifElse(THROTTLED, [])) });
    expect(verdictOf(conditional, 'D15', 'Stage')).toBe('non-compliant');
    expect(conditional.of('D15')[0].message).toMatch(/possible forms/);
    const param = (AllowedValues: unknown[]) => run({ Stage: stage([{ ...THROTTLED[0], ThrottlingRateLimit: { Ref: 'Rate' } }]) }, { Rate: { AllowedValues } });
    expect(verdictOf(param(['50', '100']), 'D15', 'Stage')).toBe('none');
    expect(verdictOf(param(['50', '-1']), 'D15', 'Stage')).toBe('unverifiable');
  });

  test('intrinsic: a finding names the parameters of the throttles, not those of the other settings', () => {
    const parameters = { LogLevel: { Default: 'INFO' }, Rate: { Default: '-1' } };
    const unrelated = run({ Stage: stage([{ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: { Ref: 'LogLevel' } }]) }, parameters);
    expect(unrelated.of('D15')[0].message).toMatch(/ThrottlingBurstLimit: the stage runs on the account-wide default limit/);
    const own = run({ Stage: stage([{ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: { Ref: 'LogLevel' }, ThrottlingRateLimit: { Ref: 'Rate' }, ThrottlingBurstLimit: 10 }]) },
      parameters);
    expect(own.of('D15')[0].message).toMatch(/ThrottlingBurstLimit \(with the value of parameter Rate\): the stage runs/);
  });

  test('unverifiable: method settings or a throttle imported', () => {
    const result = run({ Stage: stage(imported('settings')) });
    expect(verdictOf(result, 'D15', 'Stage')).toBe('unverifiable');
    expect(result.of('D15')[0]).toMatchObject({ ruleName: 'SecureAI-D15[unverifiable]', level: 'warning' });
    expect(verdictOf(run({ Stage: stage([{ ...THROTTLED[0], ThrottlingBurstLimit: imported('burst') }]) }), 'D15', 'Stage')).toBe('unverifiable');
  });

  test('real CDK output: RestApi deployOptions throttles', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const integration = new apigateway.AwsIntegration({ service: 'runtime.sagemaker', path: 'endpoints/fraud/invocations', options: { credentialsRole: undefined } });
    const throttled = new apigateway.RestApi(stack, 'Throttled', { deployOptions: { throttlingRateLimit: 10, throttlingBurstLimit: 20 } });
    throttled.root.addMethod('POST', integration, { authorizationType: apigateway.AuthorizationType.IAM });
    const open = new apigateway.RestApi(stack, 'Open');
    open.root.addMethod('POST', integration, { authorizationType: apigateway.AuthorizationType.IAM });
    const result = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(result.of('D15').map((f) => f.constructPath)).toEqual(['S/Open/DeploymentStage.prod/Resource']);
  });
});
