import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const ACCESS_LOG = { DestinationArn: { 'Fn::GetAtt': ['AccessLogs', 'Arn'] }, Format: '$context.requestId $context.identity.sourceIp $context.status' };
const SAGEMAKER_URI = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':runtime.sagemaker:path//endpoints/fraud/invocations']],
};
const restApi = (stage: Record<string, unknown> = { AccessLogSetting: ACCESS_LOG }, uri: unknown = SAGEMAKER_URI): Resources => ({
  AccessLogs: { Type: 'AWS::Logs::LogGroup', Properties: {} },
  Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'inference' } },
  Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } } },
  Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, DeploymentId: { Ref: 'Deployment' }, StageName: 'prod', ...stage } },
  Method: {
    Type: 'AWS::ApiGateway::Method',
    Properties: { RestApiId: { Ref: 'Api' }, ResourceId: 'r', HttpMethod: 'POST', AuthorizationType: 'AWS_IAM', Integration: { Type: 'AWS', Uri: uri } },
  },
});
const VISIBILITY = { CloudWatchMetricsEnabled: true, MetricName: 'm', SampledRequestsEnabled: true };
const waf = (logging: Record<string, unknown> | null = { LogDestinationConfigs: [{ 'Fn::GetAtt': ['WafLogs', 'Arn'] }] }): Resources => ({
  WafLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'aws-waf-logs-inference' } },
  Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: VISIBILITY, Rules: [] } },
  Assoc: {
    Type: 'AWS::WAFv2::WebACLAssociation',
    Properties: {
      WebACLArn: { 'Fn::GetAtt': ['Acl', 'Arn'] },
      ResourceArn: { 'Fn::Join': ['', ['arn:aws:apigateway:eu-west-2::/restapis/', { Ref: 'Api' }, '/stages/', { Ref: 'Stage' }]] },
    },
  },
  ...(logging ? { Logging: { Type: 'AWS::WAFv2::LoggingConfiguration', Properties: { ResourceArn: { 'Fn::GetAtt': ['Acl', 'Arn'] }, ...logging } } } : {}),
});

describe('O5 inference API access logging', () => {
  test('compliant: the AI stage has an access log and its web ACL a logging configuration', () => {
    const run = validate({ Resources: { ...restApi(), ...waf() } });
    expect(verdictOf(run, 'O5', 'Stage')).toBe('none');
    expect(verdictOf(run, 'O5', 'Acl')).toBe('none');
    expect(run.tally('O5')).toMatchObject({ compliant: 2, notApplicable: 1 }); // the deployment without StageName
  });

  test('non-compliant: the AI stage has no access log setting', () => {
    const run = validate({ Resources: restApi({}) });
    expect(verdictOf(run, 'O5', 'Stage')).toBe('non-compliant');
    const finding = run.of('O5')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-O5', level: 'error' });
    expect(finding.locations).toEqual(['Properties.AccessLogSetting']);
    expect(finding.message).toMatch(/fronts an AI backend .*runtime\.sagemaker.* has no AccessLogSetting: the requests callers sent/);
  });

  test('non-compliant: a destination without a format', () => {
    const run = validate({ Resources: restApi({ AccessLogSetting: { DestinationArn: ACCESS_LOG.DestinationArn } }) });
    expect(run.of('O5')[0].locations).toEqual(['Properties.AccessLogSetting.Format']);
  });

  test('HTTP API stages and stage-creating deployments are read too', () => {
    const http = (settings: unknown) => validate({
      Resources: {
        Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'chat', ProtocolType: 'HTTP' } },
        Integration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Api' }, IntegrationType: 'AWS_PROXY', IntegrationUri: 'arn:aws:bedrock:eu-west-2::foundation-model/x' } },
        Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Api' }, StageName: '$default', AccessLogSettings: settings } },
      },
    });
    expect(verdictOf(http(undefined), 'O5', 'Stage')).toBe('non-compliant');
    expect(http(undefined).of('O5')[0].locations).toEqual(['Properties.AccessLogSettings']);
    expect(verdictOf(http({ DestinationArn: 'arn:aws:logs:eu-west-2:111122223333:log-group:api', Format: '$context.requestId' }), 'O5', 'Stage')).toBe('none');
    const deployment = (description: unknown) => validate({
      Resources: {
        ...restApi(),
        Stage: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'v1', StageDescription: description } },
      },
    });
    expect(verdictOf(deployment({}), 'O5', 'Stage')).toBe('non-compliant');
    expect(verdictOf(deployment({ AccessLogSetting: ACCESS_LOG }), 'O5', 'Stage')).toBe('none');
  });

  test('not applicable: a stage fronting no AI backend, and a web ACL in front of nothing AI', () => {
    const run = validate({ Resources: { ...restApi({}, 'https://example.com/orders'), ...waf(null) } });
    expect(verdictOf(run, 'O5', 'Stage')).toBe('none');
    expect(verdictOf(run, 'O5', 'Acl')).toBe('none');
    expect(run.tally('O5')).toMatchObject({ notApplicable: 3 });
  });

  test('non-compliant: the web ACL of an AI stage has no logging configuration, or one with no destination', () => {
    const none = validate({ Resources: { ...restApi(), ...waf(null) } });
    expect(verdictOf(none, 'O5', 'Acl')).toBe('non-compliant');
    expect(none.of('O5')[0].message).toMatch(/this web ACL is in front of an AI API \(it is attached to stage Stage.*no AWS::WAFv2::LoggingConfiguration names it/);
    const empty = validate({ Resources: { ...restApi(), ...waf({ LogDestinationConfigs: [] }) } });
    expect(verdictOf(empty, 'O5', 'Acl')).toBe('non-compliant');
    expect(empty.of('O5')[0].message).toMatch(/logging configuration Logging has LogDestinationConfigs is \[\]/);
  });

  test('intrinsic: Fn::If dropping the access log in one form; the format from a parameter', () => {
    expect(verdictOf(validate({ Resources: restApi({ AccessLogSetting: ifElse(ACCESS_LOG, NO_VALUE) }) }), 'O5', 'Stage')).toBe('non-compliant');
    const parameter = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { LogFormat: { Default, AllowedValues } },
      Resources: restApi({ AccessLogSetting: { ...ACCESS_LOG, Format: { Ref: 'LogFormat' } } }),
    });
    expect(verdictOf(parameter('$context.requestId'), 'O5', 'Stage')).toBe('none');
    const empty = parameter('$context.requestId', ['$context.requestId', '']);
    expect(verdictOf(empty, 'O5', 'Stage')).toBe('parameter');
    expect(empty.of('O5')[0].message).toMatch(/parameter LogFormat/);
  });

  test('an imported destination is set; a logging configuration whose web ACL is imported makes the ACL unverifiable', () => {
    expect(verdictOf(validate({ Resources: restApi({ AccessLogSetting: { ...ACCESS_LOG, DestinationArn: imported('log-arn') } }) }), 'O5', 'Stage')).toBe('none');
    const run = validate({ Resources: { ...restApi(), ...waf({ ResourceArn: imported('acl-arn'), LogDestinationConfigs: ['arn:x'] }) } });
    expect(verdictOf(run, 'O5', 'Acl')).toBe('unverifiable');
    expect(run.of('O5')[0]).toMatchObject({ ruleName: 'SecureAI-O5[unverifiable]', level: 'warning' });
  });

  test('what is not created logs nothing and puts no web ACL in front of an AI API; its parameter warns', () => {
    const under = (Default: string, resources: Resources) => validate({
      Parameters: { Waf: { Default, AllowedValues: ['on', 'off'] } },
      Conditions: { WafOn: { 'Fn::Equals': [{ Ref: 'Waf' }, 'on'] } },
      Resources: resources,
    });
    const resources = { ...restApi(), ...waf() };
    const noLogging = { ...resources, Logging: { ...resources.Logging, Condition: 'WafOn' } };
    expect(verdictOf(under('off', noLogging), 'O5', 'Acl')).toBe('non-compliant');
    const on = under('on', noLogging);
    expect(on.of('O5').map((f) => [f.ruleName, f.logicalId])).toEqual([['SecureAI-O5[parameter]', 'Acl']]);
    expect(on.of('O5')[0].message).toMatch(/parameter Waf defaults to "on", but also allows "off"/);
    // The association is not created: the web ACL is in front of nothing AI, unless it is.
    expect(verdictOf(under('off', { ...restApi(), ...waf(null), Assoc: { ...resources.Assoc, Condition: 'WafOn' } }), 'O5', 'Acl')).toBe('parameter');
    expect(verdictOf(under('on', { ...restApi(), ...waf(null), Assoc: { ...resources.Assoc, Condition: 'WafOn' } }), 'O5', 'Acl')).toBe('non-compliant');
    // The stage is not created: neither is it judged, nor does its web ACL front an AI API.
    const noStage = under('off', { ...restApi(), ...waf(null), Stage: { ...resources.Stage, Condition: 'WafOn' } });
    expect(noStage.of('O5').filter((f) => !f.ruleName.endsWith('[parameter]'))).toEqual([]);
  });

  test('reads what the CDK RestApi renders', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const api = new apigateway.RestApi(stack, 'Api', {
      deployOptions: { accessLogDestination: new apigateway.LogGroupLogDestination(new logs.LogGroup(stack, 'Logs')), accessLogFormat: apigateway.AccessLogFormat.clf() },
    });
    api.root.addMethod('POST', new apigateway.AwsIntegration({ service: 'runtime.sagemaker', path: 'endpoints/fraud/invocations' }));
    const compliant = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(compliant.tally('O5')).toMatchObject({ compliant: 1 });

    const app2 = new App();
    const stack2 = new Stack(app2, 'S');
    new apigateway.RestApi(stack2, 'Api').root.addMethod('POST', new apigateway.AwsIntegration({ service: 'bedrock-runtime', path: 'model/x/invoke' }));
    const bare = new ValidationRun(new SecureAiChecks().validateScope(app2));
    expect(bare.of('O5').map((f) => f.resourceType)).toEqual(['AWS::ApiGateway::Stage']);
  });
});
