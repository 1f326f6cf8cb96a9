import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, stackOf, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const KEY = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
const encryptedLogs = { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'bedrock-invocations', KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } };
/** A `Custom::AWS` resource as AwsCustomResource renders it: a JSON string joined around references. */
const call = (config: string, parts: unknown[] = [], type = 'Custom::AWS', action = 'PutModelInvocationLoggingConfiguration') => ({
  Type: type,
  Properties: {
    ServiceToken: 'arn:aws:lambda:eu-west-2:111122223333:function:provider',
    Create: { 'Fn::Join': ['', [`{"service":"Bedrock","action":"${action}","parameters":{"loggingConfig":${config.split('@')[0]}`, ...parts, `${config.split('@')[1] ?? ''}}}`]] },
  },
});
const cloudWatch = (text: unknown = true) => call(`{"textDataDeliveryEnabled":${JSON.stringify(text)},"cloudWatchConfig":{"logGroupName":"@"}}`, [{ Ref: 'Logs' }]);
const agent = { Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'support', FoundationModel: 'anthropic.claude-3-haiku-20240307-v1:0' } };
const invokeRole = (actions: unknown) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } }],
  },
});
const app = (extra: Resources) => validate({ Resources: { Key: KEY, Logs: encryptedLogs, ...extra } });

describe('O7 Bedrock model-invocation logging', () => {
  test('compliant: text delivery to a log group with a customer-managed key; the agent is then not applicable', () => {
    const run = app({ Logging: cloudWatch(), Agent: agent });
    expect(verdictOf(run, 'O7', 'Logging')).toBe('none');
    expect(verdictOf(run, 'O7', 'Agent')).toBe('none');
    expect(run.tally('O7')).toMatchObject({ evaluated: 2, compliant: 1, notApplicable: 1 });
  });

  test('compliant: an S3 destination encrypted with SSE-KMS', () => {
    const bucket = {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: 'invocation-logs',
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] } } }] },
      },
    };
    const run = app({ Bucket: bucket, Logging: call('{"textDataDeliveryEnabled":true,"s3Config":{"bucketName":"@"}}', [{ Ref: 'Bucket' }]) });
    expect(verdictOf(run, 'O7', 'Logging')).toBe('none');
    const sseS3 = { ...bucket, Properties: { ...bucket.Properties, BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } } };
    const weak = app({ Bucket: sseS3, Logging: call('{"textDataDeliveryEnabled":true,"s3Config":{"bucketName":"@"}}', [{ Ref: 'Bucket' }]) });
    expect(weak.of('O7')[0].message).toMatch(/bucket Bucket is not encrypted with a customer-managed KMS key/);
  });

  test('non-compliant: text delivery off or absent', () => {
    for (const text of [false, 'false']) {
      const run = app({ Logging: cloudWatch(text) });
      expect(verdictOf(run, 'O7', 'Logging')).toBe('non-compliant');
      expect(run.of('O7')[0]).toMatchObject({ ruleName: 'SecureAI-O7', level: 'warning', locations: ['Properties.Create'] });
      expect(run.of('O7')[0].message).toMatch(/textDataDeliveryEnabled is .*false.*prompts and completions themselves are not logged/);
    }
    const absent = app({ Logging: call('{"cloudWatchConfig":{"logGroupName":"@"}}', [{ Ref: 'Logs' }]) });
    expect(absent.of('O7')[0].message).toMatch(/textDataDeliveryEnabled is absent/);
  });

  test('non-compliant: a log group without a customer-managed key, or no destination', () => {
    const plain = validate({ Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: {} }, Logging: cloudWatch() } });
    expect(plain.of('O7')[0].message).toMatch(/log group Logs has no customer-managed KmsKeyId/);
    const nowhere = app({ Logging: call('{"textDataDeliveryEnabled":true@}') });
    expect(nowhere.of('O7')[0].message).toMatch(/names no destination/);
  });

  test('non-compliant: the app uses Bedrock and nothing configures invocation logging', () => {
    const run = validate({
      Resources: {
        Agent: agent,
        Kb: { Type: 'AWS::Bedrock::KnowledgeBase', Properties: { Name: 'kb' } },
        Invoker: invokeRole(['bedrock:InvokeModel']),
        Converser: invokeRole('bedrock:Converse*'),
      },
    });
    // An account-level setting: one finding for the account and Region, on its first Bedrock user, naming the others.
    expect(run.of('O7').map((f) => f.logicalId)).toEqual(['Agent']);
    expect(run.of('O7')[0].message).toMatch(new RegExp(/^Bedrock model-invocation logging is a setting of the account the app deploys to, /.source
      + /the Region it deploys to, reported once there, on its first resource that makes Bedrock invoke models: /.source
      + /this AWS::Bedrock::Agent \(and Kb, Invoker, Converser, which are not reported again\)\./.source));
    expect(run.of('O7')[0].message).toMatch(/No resource of the app configures Bedrock model-invocation logging/);
    expect(run.tally('O7')).toMatchObject({ nonCompliant: 1, notApplicable: 3 });
  });

  test('once per account and Region of the app: stacks in two Regions get one finding each, two stacks in one Region one', () => {
    const cdkApp = new App({ autoSynth: false });
    const env = (region: string) => ({ env: { account: '111122223333', region } });
    stackOf({ Resources: { Agent: agent } }, cdkApp, 'London', env('eu-west-2'));
    stackOf({ Resources: { Kb: { Type: 'AWS::Bedrock::KnowledgeBase', Properties: { Name: 'kb' } } } }, cdkApp, 'LondonToo', env('eu-west-2'));
    stackOf({ Resources: { Agent: agent } }, cdkApp, 'Dublin', env('eu-west-1'));
    const run = new ValidationRun(new SecureAiChecks().validateScope(cdkApp));
    expect(run.of('O7').map((f) => `${f.constructPath} ${/Region [\w-]+/.exec(f.message)![0]}`).sort())
      .toEqual(['Dublin/Agent Region eu-west-1', 'London/Agent Region eu-west-2']);
    expect(run.of('O7').find((f) => f.constructPath === 'London/Agent')!.message).toMatch(/account 111122223333, Region eu-west-2.*\(and Kb, which/);
  });

  test('not applicable: roles that do not invoke models (or only through a bare *), and apps without Bedrock', () => {
    const run = validate({ Resources: { Reader: invokeRole('s3:GetObject'), Admin: invokeRole('*'), Agents: invokeRole('bedrock:InvokeAgent') } });
    expect(run.tally('O7')).toMatchObject({ evaluated: 3, notApplicable: 3 });
    const policy = {
      Type: 'AWS::IAM::Policy',
      Properties: { PolicyName: 'p', Roles: ['r'], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModelWithResponseStream', Resource: '*' }] } },
    };
    expect(verdictOf(validate({ Resources: { Policy: policy } }), 'O7', 'Policy')).toBe('non-compliant');
  });

  test('not applicable: an organisation configures invocation logging centrally', () => {
    const run = validate({ Resources: { Agent: agent, Logging: cloudWatch(false), Logs: { Type: 'AWS::Logs::LogGroup', Properties: {} } } },
      { orgManaged: { invocationLogging: 'account baseline stack in the logging account' } });
    expect(run.of('O7')).toEqual([]);
    expect(run.tally('O7')).toMatchObject({ evaluated: 2, notApplicable: 2 });
  });

  test('a custom resource of another type or another action', () => {
    const other = app({ Logging: cloudWatch(), Agent: agent });
    expect(other.tally('O7').evaluated).toBe(2);
    const named = validate({ Resources: { Key: KEY, Logs: encryptedLogs, Logging: { ...cloudWatch(), Type: 'Custom::BedrockLogging' }, Agent: agent } });
    expect(verdictOf(named, 'O7', 'Agent')).toBe('none'); // the Custom::BedrockLogging call is judged on the agent's behalf
    const bad = validate({ Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: {} }, Logging: { ...cloudWatch(), Type: 'Custom::BedrockLogging' }, Agent: agent } });
    expect(bad.of('O7')[0].message).toMatch(/Custom::BedrockLogging Logging: .*no customer-managed KmsKeyId/);
    const get = validate({ Resources: { Logging: call('{}', [], 'Custom::AWS', 'GetModelInvocationLoggingConfiguration'), Agent: agent } });
    expect(verdictOf(get, 'O7', 'Agent')).toBe('non-compliant');
    expect(get.tally('O7')).toMatchObject({ notApplicable: 1 });
  });

  test('intrinsic: a finding names the parameters of the settings it is about, not those of the rest of the call', () => {
    const logging = (text: string) => validate({
      Parameters: { LogGroup: { Default: 'bedrock-invocations' }, Text: { Default: 'false' } },
      Resources: { Key: KEY, Logs: encryptedLogs, Logging: call(`{"textDataDeliveryEnabled":${text},"cloudWatchConfig":{"logGroupName":"@"}}`, [{ Ref: 'LogGroup' }]) },
    });
    expect(logging('false').of('O7')[0].message).toMatch(/textDataDeliveryEnabled/);
    expect(logging('false').of('O7')[0].message).not.toMatch(/parameter/);
  });

  test('intrinsic: Fn::If with a form that turns text delivery off; a log group name from a parameter', () => {
    const conditional = app({
      Logging: {
        Type: 'Custom::AWS',
        Properties: {
          Create: ifElse(JSON.stringify({ service: 'Bedrock', action: 'PutModelInvocationLoggingConfiguration', parameters: { loggingConfig: { textDataDeliveryEnabled: true, cloudWatchConfig: { logGroupName: 'bedrock-invocations' } } } }),
            JSON.stringify({ service: 'Bedrock', action: 'PutModelInvocationLoggingConfiguration', parameters: { loggingConfig: { textDataDeliveryEnabled: false, cloudWatchConfig: { logGroupName: 'bedrock-invocations' } } } })),
        },
      },
    });
    expect(verdictOf(conditional, 'O7', 'Logging')).toBe('non-compliant');
    const parameter = (Default: string) => validate({
      Parameters: { LogGroup: { Default } },
      Resources: { Key: KEY, Logs: encryptedLogs, Logging: call('{"textDataDeliveryEnabled":true,"cloudWatchConfig":{"logGroupName":"@"}}', [{ Ref: 'LogGroup' }]) },
    });
    expect(verdictOf(parameter('bedrock-invocations'), 'O7', 'Logging')).toBe('none');
    expect(verdictOf(parameter('central-invocations'), 'O7', 'Logging')).toBe('unverifiable');
  });

  test('unverifiable: the destination is outside the app, or the call is imported', () => {
    const outside = validate({ Resources: { Logging: call('{"textDataDeliveryEnabled":true,"cloudWatchConfig":{"logGroupName":"@"}}', [imported('log-group-name')]) } });
    expect(verdictOf(outside, 'O7', 'Logging')).toBe('unverifiable');
    expect(outside.of('O7')[0]).toMatchObject({ ruleName: 'SecureAI-O7[unverifiable]', level: 'warning' });
    const importedCall = validate({ Resources: { Logging: { Type: 'Custom::AWS', Properties: { Create: imported('call'), Update: '{"action":"PutModelInvocationLoggingConfiguration"' } } } });
    expect(verdictOf(importedCall, 'O7', 'Logging')).toBe('unverifiable');
  });

  test('reads what AwsCustomResource renders', () => {
    const cdkApp = new App();
    const stack = new Stack(cdkApp, 'S');
    const group = new logs.LogGroup(stack, 'Invocations', { encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    const role = new iam.Role(stack, 'LoggingRole', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    const sdkCall: cr.AwsSdkCall = {
      service: 'Bedrock',
      action: 'PutModelInvocationLoggingConfiguration',
      parameters: { loggingConfig: { textDataDeliveryEnabled: true, cloudWatchConfig: { logGroupName: group.logGroupName, roleArn: role.roleArn } } },
      physicalResourceId: cr.PhysicalResourceId.of('invocation-logging'),
    };
    new cr.AwsCustomResource(stack, 'InvocationLogging', {
      onCreate: sdkCall,
      onUpdate: sdkCall,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
    const run = new ValidationRun(new SecureAiChecks().validateScope(cdkApp));
    expect(run.tally('O7')).toMatchObject({ compliant: 1 });
    expect(run.of('O7')).toEqual([]);
  });
});

describe('O7: what is not created neither logs nor needs logging', () => {
  const choice = {
    Parameters: { Switch: { Type: 'String', Default: 'off', AllowedValues: ['on', 'off'] } },
    Conditions: { LoggingOn: { 'Fn::Equals': [{ Ref: 'Switch' }, 'on'] } },
  };

  test('non-compliant: the only logging call is created under a condition that is false with the defaults', () => {
    const run = validate({ ...choice, Resources: { Key: KEY, Logs: encryptedLogs, Logging: { ...cloudWatch(), Condition: 'LoggingOn' }, Agent: agent } });
    expect(verdictOf(run, 'O7', 'Agent')).toBe('non-compliant');
    expect(run.of('O7')[0].message).toMatch(/No resource of the app configures Bedrock model-invocation logging/);
  });

  test('compliant: the logging call is created with the default, and no other allowed value leaves the agent unlogged', () => {
    const on = { ...choice, Parameters: { Switch: { ...choice.Parameters.Switch, Default: 'on', AllowedValues: ['on'] } } };
    const run = validate({ ...on, Resources: { Key: KEY, Logs: encryptedLogs, Logging: { ...cloudWatch(), Condition: 'LoggingOn' }, Agent: agent } });
    expect(run.of('O7')).toEqual([]);
  });

  test('non-compliant: an agent that is not created is not where the finding is reported, so it does not hide it', () => {
    const never = { Conditions: { Never: { 'Fn::Equals': ['yes', 'no'] } } };
    const run = validate({ ...never, Resources: { Ghost: { ...agent, Condition: 'Never' }, Agent: agent } });
    expect(verdictOf(run, 'O7', 'Agent')).toBe('non-compliant');
    expect(verdictOf(run, 'O7', 'Ghost')).toBe('none');
  });
});
