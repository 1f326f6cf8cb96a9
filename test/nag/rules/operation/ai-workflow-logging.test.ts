import { ifElse, imported, validate, verdictOf } from '../../harness';

const INVOKE_MODEL = '{"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::bedrock:invokeModel",'
  + '"Parameters":{"ModelId":"anthropic.claude-3-haiku-20240307-v1:0","Body":{"prompt.$":"$.prompt"}},"End":true}}}';
const PASS_ONLY = '{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}';
const GROUP_ARN = { 'Fn::GetAtt': ['Logs', 'Arn'] };
const LOGGING = { Level: 'ALL', IncludeExecutionData: true, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: GROUP_ARN } }] };

const machine = (logging: unknown, definition = INVOKE_MODEL) => ({
  Type: 'AWS::StepFunctions::StateMachine',
  Properties: { RoleArn: 'arn:aws:iam::111122223333:role/sfn', DefinitionString: definition, LoggingConfiguration: logging },
});
const logs = (props: Record<string, unknown> = { KmsKeyId: 'arn:aws:kms:eu-west-2:111122223333:key/1' }) => ({
  Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365, ...props },
});

describe('O12 state machines that run SageMaker or Bedrock tasks log every execution with its data, encrypted', () => {
  test('compliant: level ALL with execution data to an encrypted log group of the app', () => {
    const run = validate({ Resources: { Machine: machine(LOGGING), Logs: logs() } });
    expect(verdictOf(run, 'O12', 'Machine')).toBe('none');
    expect(run.tally('O12')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('non-compliant: no logging at all', () => {
    const run = validate({ Resources: { Machine: machine(undefined) } });
    expect(verdictOf(run, 'O12', 'Machine')).toBe('non-compliant');
    expect(run.of('O12')[0]).toMatchObject({ level: 'warning' });
    expect(run.of('O12')[0].message).toMatch(/Level is absent \(default OFF\)/);
  });

  test('non-compliant: errors only, without execution data, to an unencrypted group', () => {
    const run = validate({ Resources: { Machine: machine({ ...LOGGING, Level: 'ERROR', IncludeExecutionData: false }), Logs: logs({}) } });
    const message = run.of('O12')[0].message;
    expect(message).toMatch(/Level is "ERROR"/);
    expect(message).toMatch(/IncludeExecutionData is false/);
    expect(message).toMatch(/log group Logs, whose KmsKeyId is absent/);
  });

  test('a SageMaker job task makes a state machine an AI workflow; one without AI tasks is not applicable', () => {
    const training = '{"StartAt":"Train","States":{"Train":{"Type":"Task","Resource":"arn:aws:states:::sagemaker:createTrainingJob.sync","End":true}}}';
    expect(verdictOf(validate({ Resources: { Machine: machine(undefined, training) } }), 'O12', 'Machine')).toBe('non-compliant');
    const plain = validate({ Resources: { Machine: machine(undefined, PASS_ONLY) } });
    expect(plain.of('O12')).toEqual([]);
    expect(plain.tally('O12')).toMatchObject({ notApplicable: 1 });
  });

  test('a SageMaker task whose Resource is a definition substitution makes the state machine an AI workflow', () => {
    const definition = '{"StartAt":"Train","States":{"Train":{"Type":"Task","Resource":"${TrainTask}","End":true}}}';
    const substituted = (task: unknown) => ({
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: { RoleArn: 'arn:aws:iam::111122223333:role/sfn', DefinitionString: definition, DefinitionSubstitutions: { TrainTask: task } },
    });
    const run = validate({ Resources: { Machine: substituted('arn:aws:states:::sagemaker:createTrainingJob.sync') } });
    expect(verdictOf(run, 'O12', 'Machine')).toBe('non-compliant');
    const partition = validate({ Resources: { Machine: substituted({ 'Fn::Sub': 'arn:${AWS::Partition}:states:::bedrock:invokeModel' }) } });
    expect(verdictOf(partition, 'O12', 'Machine')).toBe('non-compliant');
    const other = validate({ Resources: { Machine: substituted('arn:aws:states:::sqs:sendMessage') } });
    expect(verdictOf(other, 'O12', 'Machine')).toBe('none');
  });

  test('intrinsic: a level chosen by Fn::If, a level from a parameter', () => {
    const run = validate({ Resources: { Machine: machine({ ...LOGGING, Level: ifElse('ALL', 'OFF') }), Logs: logs() } });
    expect(verdictOf(run, 'O12', 'Machine')).toBe('non-compliant');
    expect(run.of('O12')[0].message).toMatch(/possible forms/);
    const parameter = validate({
      Parameters: { Level: { Default: 'FATAL' } },
      Resources: { Machine: machine({ ...LOGGING, Level: { Ref: 'Level' } }), Logs: logs() },
    });
    expect(verdictOf(parameter, 'O12', 'Machine')).toBe('non-compliant');
    expect(parameter.of('O12')[0].message).toMatch(/parameter Level/);
  });

  test('unverifiable: an imported log group, or imported destinations', () => {
    const group = validate({ Resources: { Machine: machine({ ...LOGGING, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: imported('logs-arn') } }] }) } });
    expect(verdictOf(group, 'O12', 'Machine')).toBe('unverifiable');
    const destinations = validate({ Resources: { Machine: machine({ ...LOGGING, Destinations: imported('destinations') }) } });
    expect(verdictOf(destinations, 'O12', 'Machine')).toBe('unverifiable');
  });

  test('malformed values never throw', () => {
    const run = validate({ Resources: { Machine: machine({ Level: 7, Destinations: ['x', { CloudWatchLogsLogGroup: 3 }] }) } });
    expect(run.tally('O12').errors).toBe(0);
  });
});
