import { App, aws_bedrock as bedrock, aws_kms as kms, aws_lambda as lambda, aws_logs as logs, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const group = (properties: Record<string, unknown>) => ({ Type: 'AWS::Logs::LogGroup', Properties: properties });
const GOOD = { LogGroupName: '/aws/sagemaker/Endpoints/fraud', KmsKeyId: KEY, RetentionInDays: 400 };
const one = (properties: Record<string, unknown>, resources: Resources = {}, parameters?: TemplateFixture['Parameters']) =>
  validate({ Parameters: parameters, Resources: { Logs: group(properties), ...resources } });
const fn = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function', Properties: { Role: 'arn:aws:iam::111122223333:role/x', Code: { ZipFile: 'x' }, ...properties },
});
const AGENT = {
  Type: 'AWS::Bedrock::Agent',
  Properties: { AgentName: 'a', ActionGroups: [{ ActionGroupName: 'g', ActionGroupExecutor: { Lambda: { 'Fn::GetAtt': ['Tool', 'Arn'] } } }] },
};

describe('V14 AI log groups are encrypted and retained', () => {
  test('compliant: an AI log group with a key and at least the retention', () => {
    const run = one(GOOD);
    expect(verdictOf(run, 'V14', 'Logs')).toBe('none');
    expect(run.tally('V14')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('not applicable: log groups and functions unrelated to AI', () => {
    const run = validate({ Resources: { Logs: group({ LogGroupName: '/app/web' }), Web: fn() } });
    expect(run.tally('V14')).toMatchObject({ evaluated: 2, notApplicable: 2 });
  });

  test('non-compliant: no key; retention absent (never expire) or below the parameter', () => {
    const noKey = one({ ...GOOD, KmsKeyId: undefined });
    expect(noKey.of('V14')[0]).toMatchObject({ ruleName: 'SecureAI-V14', level: 'error', locations: ['Properties.KmsKeyId'] });
    expect(noKey.of('V14')[0].message).toMatch(/KmsKeyId is absent.*an AI log group: its name \/aws\/sagemaker\/Endpoints\/fraud is an AI service's log group/);
    expect(one({ ...GOOD, RetentionInDays: undefined }).of('V14')[0].message).toMatch(/RetentionInDays is absent: the logs never expire/);
    expect(one({ ...GOOD, RetentionInDays: 90 }).of('V14')[0].message).toMatch(/RetentionInDays is 90, less than 365 days/);
    expect(verdictOf(validate({ Resources: { Logs: group({ ...GOOD, RetentionInDays: 90 }) } }, { logRetentionDays: 90 }), 'V14', 'Logs')).toBe('none');
  });

  test('scope: names built around a reference, bedrock and agentcore prefixes, tagged groups', () => {
    const built = one({ LogGroupName: { 'Fn::Join': ['', ['/aws/sagemaker/Endpoints/', { Ref: 'AWS::StackName' }]] } });
    expect(verdictOf(built, 'V14', 'Logs')).toBe('non-compliant');
    expect(verdictOf(one({ LogGroupName: '/aws/bedrock/modelinvocations' }), 'V14', 'Logs')).toBe('non-compliant');
    expect(verdictOf(one({ LogGroupName: '/aws/bedrock-agentcore/runtimes/a' }), 'V14', 'Logs')).toBe('non-compliant');
    expect(verdictOf(one({ Tags: [{ Key: 'ai:asset', Value: 'true' }] }), 'V14', 'Logs')).toBe('non-compliant');
  });

  test('agent functions: their log group is an AI log group; one without a log group in the app is non-compliant', () => {
    const viaConfig = validate({ Resources: { Logs: group({}), Tool: fn({ LoggingConfig: { LogGroup: { Ref: 'Logs' } } }), Agent: AGENT } });
    expect(viaConfig.of('V14')[0].message).toMatch(/it holds the logs of Lambda Tool, the action-group executor of AWS::Bedrock::Agent Agent/);
    expect(verdictOf(viaConfig, 'V14', 'Tool')).toBe('none');
    const viaName = validate({ Resources: { Logs: group({ LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'Tool' }]] } }), Tool: fn(), Agent: AGENT } });
    expect(verdictOf(viaName, 'V14', 'Logs')).toBe('non-compliant');
    const literal = validate({ Resources: { Logs: group({ LogGroupName: '/aws/lambda/order-tool' }), Tool: fn({ FunctionName: 'order-tool' }), Agent: AGENT } });
    expect(verdictOf(literal, 'V14', 'Logs')).toBe('non-compliant');
    const implicit = validate({ Resources: { Tool: fn(), Agent: AGENT } });
    expect(verdictOf(implicit, 'V14', 'Tool')).toBe('non-compliant');
    expect(implicit.of('V14')[0].message).toMatch(/no log group of the app receives its logs/);
    const elsewhere = validate({ Resources: { Tool: fn({ LoggingConfig: { LogGroup: 'shared-agent-logs' } }), Agent: AGENT } });
    expect(verdictOf(elsewhere, 'V14', 'Tool')).toBe('unverifiable');
  });

  test('what is not created makes no log group an AI log group: an agent or a logging call under a false condition; its parameter warns', () => {
    const choice = {
      Parameters: { Agents: { Default: 'off', AllowedValues: ['on', 'off'] } },
      Conditions: { AgentsOn: { 'Fn::Equals': [{ Ref: 'Agents' }, 'on'] } },
    };
    const noAgent = validate({ ...choice, Resources: { Logs: group({}), Tool: fn({ LoggingConfig: { LogGroup: { Ref: 'Logs' } } }), Agent: { ...AGENT, Condition: 'AgentsOn' } } });
    expect(noAgent.of('V14').map((f) => [f.ruleName, f.logicalId])).toEqual([['SecureAI-V14[parameter]', 'Logs']]);
    expect(noAgent.of('V14')[0].message).toMatch(/parameter Agents defaults to "off", but also allows "on"/);
    // A log group named after the function, not created: the function has no log group of the app.
    const unnamed = validate({
      ...choice, Resources: { Logs: { ...group({ LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'Tool' }]] } }), Condition: 'AgentsOn' }, Tool: fn(), Agent: AGENT },
    });
    expect(verdictOf(unnamed, 'V14', 'Tool')).toBe('non-compliant');
    const call = JSON.stringify({ service: 'Bedrock', action: 'PutModelInvocationLoggingConfiguration', parameters: { loggingConfig: { cloudWatchConfig: { logGroupName: 'invocations' } } } });
    const noCall = validate({ ...choice, Resources: { Logs: group({ LogGroupName: 'invocations' }), Logging: { Type: 'Custom::AWS', Condition: 'AgentsOn', Properties: { Create: call } } } });
    expect(noCall.of('V14').map((f) => [f.ruleName, f.logicalId])).toEqual([['SecureAI-V14[parameter]', 'Logs']]);
  });

  test('API access logs of an API fronting an AI backend: no prompts in them, so retention is judged and a service key suffices', () => {
    const api = (uri: string, logGroup: Record<string, unknown> = {}) => validate({
      Resources: {
        Logs: group(logGroup),
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a' } },
        Method: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: { Ref: 'Api' }, HttpMethod: 'POST', ResourceId: 'r', Integration: { Type: 'AWS', Uri: uri } } },
        Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': ['Logs', 'Arn'] } } } },
      },
    });
    const SAGEMAKER = 'arn:aws:apigateway:eu-west-1:runtime.sagemaker:path//endpoints/fraud/invocations';
    const ai = api(SAGEMAKER);
    expect(verdictOf(ai, 'V14', 'Logs')).toBe('non-compliant');
    expect(ai.of('V14')[0].message).toMatch(/^RetentionInDays is absent.*access logs of AWS::ApiGateway::Stage Stage, which fronts an AI backend/);
    expect(ai.of('V14')[0].message).not.toMatch(/KmsKeyId|prompts/);
    expect(verdictOf(api(SAGEMAKER, { RetentionInDays: 400 }), 'V14', 'Logs')).toBe('none');
    expect(verdictOf(api(SAGEMAKER, { RetentionInDays: 7 }), 'V14', 'Logs')).toBe('non-compliant');
    expect(verdictOf(api('arn:aws:apigateway:eu-west-1:dynamodb:action/GetItem'), 'V14', 'Logs')).toBe('none');
  });

  test('intrinsic: Fn::If with NoValue key; retention from a parameter with a short allowed value', () => {
    expect(verdictOf(one({ ...GOOD, KmsKeyId: ifElse(KEY, NO_VALUE) }), 'V14', 'Logs')).toBe('non-compliant');
    const param = one({ ...GOOD, RetentionInDays: { Ref: 'Days' } }, {}, { Days: { Default: '400', AllowedValues: ['400', '30'] } });
    expect(param.of('V14')[0].message).toMatch(/parameter Days/);
  });

  test('unverifiable: imported retention; an imported key is set', () => {
    const run = one({ ...GOOD, RetentionInDays: imported('days') });
    expect(verdictOf(run, 'V14', 'Logs')).toBe('unverifiable');
    expect(run.of('V14')[0].ruleName).toBe('SecureAI-V14[unverifiable]');
    expect(verdictOf(one({ ...GOOD, KmsKeyId: imported('key') }), 'V14', 'Logs')).toBe('none');
  });

  test('real CDK output: a lambda.Function with its own logs.LogGroup as a CfnAgent executor', () => {
    const render = (secure: boolean) => {
      const cdkApp = new App();
      const stack = new Stack(cdkApp, 'S');
      const logGroup = new logs.LogGroup(stack, 'ToolLogs', secure ? { encryptionKey: new kms.Key(stack, 'K'), retention: logs.RetentionDays.ONE_YEAR } : {});
      const tool = new lambda.Function(stack, 'Tool', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'i.h', code: lambda.Code.fromInline('x'), logGroup });
      new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a', actionGroups: [{ actionGroupName: 'g', actionGroupExecutor: { lambda: tool.functionArn } }] });
      return new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V14');
    };
    expect(render(true)).toHaveLength(0);
    const insecure = render(false);
    expect(insecure.map((f) => f.resourceType)).toEqual(['AWS::Logs::LogGroup']);
    expect(insecure[0].message).toMatch(/KmsKeyId is absent/);
  });

  test('malformed values never throw', () => {
    const run = validate({ Resources: { Logs: group({ LogGroupName: 5, RetentionInDays: 'x', KmsKeyId: [] }), Tool: fn({ LoggingConfig: 'x' }), Agent: AGENT } });
    expect(run.tally('V14').errors).toBe(0);
  });
});
