import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const IDENTIFIERS = ['arn:aws:dataprotection::aws:data-identifier/EmailAddress', 'arn:aws:dataprotection::aws:data-identifier/Name'];
const POLICY = {
  Name: 'prompts',
  Version: '2021-06-01',
  Statement: [
    { Sid: 'audit', DataIdentifier: IDENTIFIERS, Operation: { Audit: { FindingsDestination: {} } } },
    { Sid: 'redact', DataIdentifier: IDENTIFIERS, Operation: { Deidentify: { MaskConfig: {} } } },
  ],
};
const logGroup = (name: unknown, policy?: unknown) => ({ Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: name, DataProtectionPolicy: policy } });
const agentWithExecutor = (): Resources => ({
  Agent: {
    Type: 'AWS::Bedrock::Agent',
    Properties: {
      AgentName: 'a',
      ActionGroups: [{ ActionGroupName: 'g', ActionGroupExecutor: { Lambda: { 'Fn::GetAtt': ['Executor', 'Arn'] } } }],
    },
  },
  Executor: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.13', Handler: 'i.h', Code: { ZipFile: 'x' }, Role: 'arn:aws:iam::111122223333:role/x' } },
});
const loggingCall = (config: string) => ({
  Type: 'Custom::AWS',
  Properties: {
    ServiceToken: 'arn:aws:lambda:eu-west-2:111122223333:function:provider',
    Create: { 'Fn::Join': ['', ['{"service":"Bedrock","action":"PutModelInvocationLoggingConfiguration","parameters":{"loggingConfig":{"textDataDeliveryEnabled":true,"cloudWatchConfig":{"logGroupName":"', { Ref: 'Invocations' }, `"${config}}}}}`]] },
  },
});

describe('O6 data protection on prompt logs', () => {
  test('compliant: a Bedrock log group with Audit and Deidentify statements', () => {
    const run = validate({ Resources: { Logs: logGroup('/aws/bedrock/agents/support', POLICY) } });
    expect(verdictOf(run, 'O6', 'Logs')).toBe('none');
    expect(run.tally('O6')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('non-compliant: a Bedrock or AgentCore log group without a data protection policy', () => {
    for (const name of ['/aws/bedrock/agents/support', '/aws/bedrock-agentcore/runtimes/r1', '/aws/vendedlogs/bedrock/x']) {
      const run = validate({ Resources: { Logs: logGroup(name) } });
      expect(verdictOf(run, 'O6', 'Logs')).toBe('non-compliant');
      expect(run.of('O6')[0]).toMatchObject({ ruleName: 'SecureAI-O6', level: 'warning', locations: ['Properties.DataProtectionPolicy'] });
      expect(run.of('O6')[0].message).toMatch(/DataProtectionPolicy is absent.*receives prompts or completions/);
    }
  });

  test('non-compliant: audit only, or de-identification only, or no data identifiers', () => {
    const audit = { ...POLICY, Statement: [POLICY.Statement[0]] };
    expect(validate({ Resources: { Logs: logGroup('/aws/bedrock/x', audit) } }).of('O6')[0].message).toMatch(/no statement with the Deidentify operation/);
    const mask = { ...POLICY, Statement: [POLICY.Statement[1]] };
    expect(validate({ Resources: { Logs: logGroup('/aws/bedrock/x', mask) } }).of('O6')[0].message).toMatch(/no statement with the Audit operation/);
    const empty = { ...POLICY, Statement: POLICY.Statement.map((s) => ({ ...s, DataIdentifier: [] })) };
    expect(verdictOf(validate({ Resources: { Logs: logGroup('/aws/bedrock/x', empty) } }), 'O6', 'Logs')).toBe('non-compliant');
  });

  test('a policy written as a JSON string is read', () => {
    expect(verdictOf(validate({ Resources: { Logs: logGroup('/aws/bedrock/x', JSON.stringify(POLICY)) } }), 'O6', 'Logs')).toBe('none');
  });

  test('the log group of an agent executor Lambda, by LoggingConfig or by its /aws/lambda/ name', () => {
    const byConfig = agentWithExecutor();
    (byConfig.Executor.Properties as Record<string, unknown>).LoggingConfig = { LogGroup: { Ref: 'Logs' } };
    const config = validate({ Resources: { ...byConfig, Logs: logGroup('executor-logs') } });
    expect(verdictOf(config, 'O6', 'Logs')).toBe('non-compliant');
    expect(config.of('O6')[0].message).toMatch(/the log group of Lambda Executor, referenced by AWS::Bedrock::Agent Agent/);
    const byName = validate({ Resources: { ...agentWithExecutor(), Logs: logGroup({ 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'Executor' }]] }) } });
    expect(verdictOf(byName, 'O6', 'Logs')).toBe('non-compliant');
  });

  test('the destination of Bedrock model-invocation logging', () => {
    const run = validate({ Resources: { Invocations: logGroup('model-invocations'), Logging: loggingCall('') } });
    expect(verdictOf(run, 'O6', 'Invocations')).toBe('non-compliant');
    expect(run.of('O6')[0].message).toMatch(/Bedrock model-invocation logging \(Custom::AWS Logging\)/);
  });

  test('what is not created makes no log group a prompt log: its parameter\'s other value warns, and a second call is read in its place', () => {
    const choice = {
      Parameters: { LogInvocations: { Default: 'off', AllowedValues: ['on', 'off'] } },
      Conditions: { LoggingOn: { 'Fn::Equals': [{ Ref: 'LogInvocations' }, 'on'] } },
    };
    const off = validate({ ...choice, Resources: { Invocations: logGroup('model-invocations'), Logging: { ...loggingCall(''), Condition: 'LoggingOn' } } });
    expect(off.of('O6').map((f) => [f.ruleName, f.logicalId])).toEqual([['SecureAI-O6[parameter]', 'Invocations']]);
    expect(off.of('O6')[0].message).toMatch(/parameter LogInvocations defaults to "off", but also allows "on"/);
    const second = validate({
      ...choice, Resources: { Invocations: logGroup('model-invocations'), Logging: { ...loggingCall(''), Condition: 'LoggingOn' }, Later: loggingCall('') },
    });
    expect(second.of('O6')[0]).toMatchObject({ ruleName: 'SecureAI-O6', logicalId: 'Invocations' });
    expect(second.of('O6')[0].message).toMatch(/Bedrock model-invocation logging \(Custom::AWS Later\)/);
    const noAgent = validate({
      ...choice,
      Resources: { ...agentWithExecutor(), Agent: { ...agentWithExecutor().Agent, Condition: 'LoggingOn' }, Logs: logGroup({ 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'Executor' }]] }) },
    });
    expect(noAgent.of('O6').map((f) => [f.ruleName, f.logicalId])).toEqual([['SecureAI-O6[parameter]', 'Logs']]);
  });

  test('not applicable: the access log of a stage that fronts an AI backend, whose format cannot carry request bodies', () => {
    const run = validate({
      Resources: {
        AccessLogs: logGroup('api-access'),
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'x' } },
        Stage: {
          Type: 'AWS::ApiGateway::Stage',
          Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': ['AccessLogs', 'Arn'] }, Format: 'x' } },
        },
        Method: {
          Type: 'AWS::ApiGateway::Method',
          Properties: { RestApiId: { Ref: 'Api' }, HttpMethod: 'POST', Integration: { Type: 'AWS', Uri: 'arn:aws:apigateway:eu-west-2:bedrock-runtime:path/model/x/invoke' } },
        },
      },
    });
    expect(verdictOf(run, 'O6', 'AccessLogs')).toBe('none');
    expect(run.tally('O6')).toMatchObject({ nonCompliant: 0, unverifiable: 0 });
  });

  test('not applicable: other log groups', () => {
    const run = validate({ Resources: { Logs: logGroup('/app/orders'), Sm: logGroup('/aws/lambda/unrelated') } });
    expect(run.tally('O6')).toMatchObject({ evaluated: 2, notApplicable: 2 });
  });

  test('intrinsic: Fn::If dropping the policy in one form; a name from a parameter default', () => {
    const conditional = validate({ Resources: { Logs: logGroup('/aws/bedrock/x', ifElse(POLICY, NO_VALUE)) } });
    expect(verdictOf(conditional, 'O6', 'Logs')).toBe('non-compliant');
    expect(conditional.of('O6')[0].message).toMatch(/in one of its 2 possible forms/);
    const named = validate({
      Parameters: { Prefix: { Default: '/aws/bedrock' } },
      Resources: { Logs: logGroup({ 'Fn::Sub': '${Prefix}/agents/x' }) },
    });
    expect(verdictOf(named, 'O6', 'Logs')).toBe('non-compliant');
  });

  test('unverifiable: an imported policy, or statements that cannot be read', () => {
    const run = validate({ Resources: { Logs: logGroup('/aws/bedrock/x', imported('policy')) } });
    expect(verdictOf(run, 'O6', 'Logs')).toBe('unverifiable');
    expect(run.of('O6')[0]).toMatchObject({ ruleName: 'SecureAI-O6[unverifiable]', level: 'warning' });
    const statements = validate({ Resources: { Logs: logGroup('/aws/bedrock/x', { ...POLICY, Statement: imported('statements') }) } });
    expect(verdictOf(statements, 'O6', 'Logs')).toBe('unverifiable');
  });

  test('reads what the CDK L2 LogGroup renders', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new logs.LogGroup(stack, 'Logs', {
      logGroupName: '/aws/bedrock/agents/support',
      dataProtectionPolicy: new logs.DataProtectionPolicy({ identifiers: [logs.DataIdentifier.EMAILADDRESS, logs.DataIdentifier.NAME] }),
    });
    expect(new ValidationRun(new SecureAiChecks().validateScope(app)).tally('O6')).toMatchObject({ compliant: 1 });
  });
});
