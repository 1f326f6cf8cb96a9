// The drift monitor InferenceEndpoint creates in place of SageMaker Model Monitor: an EventBridge Scheduler schedule,
// a JSONata state machine (its expressions evaluated here with the JSONata library, as Step Functions evaluates them)
// and the processing job it runs.
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import jsonata from 'jsonata';
import { artifactEndpointFixture, composition, endpointFixture, ENV, PACKAGE_ARN, S3_PREFIX_LIST } from './endpoint-fixture';
import { DriftMonitor, DriftMonitorProps } from '../../src/inference/drift-monitor';
import { DriftWindow } from '../../src/inference/drift-window';
import { InferenceEndpoint } from '../../src/inference/inference-endpoint';
import { METADATA_KEYS, RuleTally } from '../../src/nag/findings';
import { SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { ModelImage } from '../../src/registry/model-image';

type Resources = Record<string, { Type: string; Properties: any; Metadata?: any; DeletionPolicy?: string }>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown; Sid?: string };

const idOf = (resources: Resources, type: string, prefix: string) => {
  const id = Object.keys(resources).find((k) => resources[k].Type === type && k.startsWith(prefix));
  expect(id).toBeDefined();
  return id!;
};

/** The state machine's definition, with each reference rendered as `<LogicalId>` or `<LogicalId.Attribute>`. */
function definitionOf(resources: Resources): any {
  const id = idOf(resources, 'AWS::StepFunctions::StateMachine', 'FraudDriftMonitor');
  const rendered = resources[id].Properties.DefinitionString;
  const parts: unknown[] = typeof rendered === 'string' ? [rendered] : rendered['Fn::Join'][1];
  const text = parts.map((p: any) => {
    if (typeof p === 'string') return p;
    if (p.Ref) return `<${p.Ref}>`;
    if (p['Fn::GetAtt']) return `<${p['Fn::GetAtt'].join('.')}>`;
    return '<?>';
  }).join('');
  return JSON.parse(text);
}

/** The statements of the default policy of the role whose logical ID starts with `prefix`. */
function statementsOf(resources: Resources, prefix: string): Statement[] {
  const policy = Object.values(resources).find((r) => r.Type === 'AWS::IAM::Policy'
    && (r.Properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref.startsWith(prefix)));
  expect(policy).toBeDefined();
  return policy!.Properties.PolicyDocument.Statement;
}

/** Evaluates a Step Functions JSONata string (`{% ... %}`) as Step Functions would, with `$states` and variables bound. */
async function evaluate(expression: string, bindings: Record<string, unknown>): Promise<unknown> {
  const body = /^\{%([\s\S]*)%\}$/.exec(expression)?.[1];
  expect(body).toBeDefined();
  const compiled = jsonata(body!);
  compiled.registerFunction('uuid', () => '123e4567-e89b-42d3-a456-426614174000', '<:s>');
  return compiled.evaluate({}, bindings);
}

const statesOf = (input: unknown) => ({ states: { input, context: { Execution: { Name: 'run-1', StartTime: '2026-11-01T10:20:03.123Z' } } } });

describe('DriftMonitor defaults: hourly, the library\'s script on AWS\'s scikit-learn image', () => {
  const f = endpointFixture();
  const template = f.template();
  const resources = template.toJSON().Resources as Resources;
  const definition = definitionOf(resources);
  const args = definition.States.DetectDrift.Arguments;
  const endpointName = f.stack.resolve(f.endpoint.endpoint.endpointName) as string;
  const captureBucket = idOf(resources, 'AWS::S3::Bucket', 'FraudDataCapture');
  const stateMachineId = idOf(resources, 'AWS::StepFunctions::StateMachine', 'FraudDriftMonitor');

  test('no SageMaker Model Monitor resource: the maintenance-mode types (W3697) are not in the template', () => {
    const types = new Set(Object.values(resources).map((r) => r.Type));
    for (const type of ['DataQualityJobDefinition', 'ModelQualityJobDefinition', 'ModelBiasJobDefinition', 'ModelExplainabilityJobDefinition', 'MonitoringSchedule']) {
      expect(types.has(`AWS::SageMaker::${type}`)).toBe(false);
    }
    expect(f.endpoint.driftMonitor).toBeInstanceOf(DriftMonitor);
  });

  test('schedule: its own group, 15 minutes past every hour (UTC), after the endpoint; the scheduled time is the run\'s input', () => {
    const groupName = `${endpointName}-drift`;
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: groupName });
    const scheduleId = idOf(resources, 'AWS::Scheduler::Schedule', 'FraudDriftMonitorSchedule');
    expect(resources[scheduleId].Properties).toEqual({
      Name: groupName,
      GroupName: groupName,
      Description: `Drift monitoring of SageMaker endpoint ${endpointName}`,
      ScheduleExpression: 'cron(15 * * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { Ref: stateMachineId },
        RoleArn: { 'Fn::GetAtt': [idOf(resources, 'AWS::IAM::Role', 'FraudDriftMonitorSchedulerRole'), 'Arn'] },
        Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 },
      },
    });
    expect((resources[scheduleId] as any).DependsOn).toEqual(expect.arrayContaining([idOf(resources, 'AWS::SageMaker::Endpoint', 'FraudEndpoint')]));
  });

  test('scheduler role: assumed by EventBridge Scheduler for this schedule of this account only, starts only this state machine', () => {
    const roleId = idOf(resources, 'AWS::IAM::Role', 'FraudDriftMonitorSchedulerRole');
    expect(resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: {
        StringEquals: {
          'aws:SourceAccount': '111111111111',
          'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:scheduler:eu-west-2:111111111111:schedule/${endpointName}-drift/${endpointName}-drift`]] },
        },
      },
    }]);
    expect(statementsOf(resources, 'FraudDriftMonitorSchedulerRole')).toEqual([{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: stateMachineId } }]);
  });

  test('state machine: JSONata, a timeout above the job\'s limit, every event logged with data to an encrypted log group kept a year, X-Ray', () => {
    const logsId = idOf(resources, 'AWS::Logs::LogGroup', 'FraudDriftMonitorLogs');
    expect(resources[stateMachineId].Properties).toMatchObject({
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logsId, 'Arn'] } } }] },
      TracingConfiguration: { Enabled: true },
    });
    expect(definition).toMatchObject({ QueryLanguage: 'JSONata', StartAt: 'Window', TimeoutSeconds: 3600 + 1800 });
    expect(resources[logsId]).toMatchObject({
      Properties: { KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^EnvLogKey/), 'Arn'] }, RetentionInDays: 365, LogGroupName: expect.stringMatching(/^\/aws\/vendedlogs\/states\//) },
      DeletionPolicy: 'Retain',
    });
  });

  test('window: the hour before the scheduled time (or a manual run\'s start), formatted from a timestamp so no input can point elsewhere', async () => {
    const windowOf = (input: unknown) => evaluate(definition.States.Window.Assign.window, statesOf(input));
    await expect(windowOf({ scheduledTime: '2026-11-01T10:15:00Z' })).resolves.toBe('2026/11/01/09');
    await expect(windowOf({ scheduledTime: '2026-01-01T00:15:00Z' })).resolves.toBe('2025/12/31/23');
    await expect(windowOf({})).resolves.toBe('2026/11/01/09');
    // Attack: a run started with a path instead of a time fails (and alarms) instead of reading another prefix.
    await expect(windowOf({ scheduledTime: '2026-11-01T10:15:00Z/../../other-endpoint' })).rejects.toMatchObject({ code: 'D3110' });
    await expect(windowOf({ scheduledTime: "' & $states.input.prefix & '" })).rejects.toMatchObject({ code: 'D3110', message: expect.stringMatching(/ISO 8601/) });
  });

  test('a window without captures ends the run without a job; the listing names exactly this endpoint\'s window', async () => {
    expect(definition.States.ListWindow).toMatchObject({
      Resource: 'arn:<AWS::Partition>:states:::aws-sdk:s3:listObjectsV2',
      Arguments: { Bucket: `<${captureBucket}>`, MaxKeys: 1 },
      Next: 'AnyCaptures',
    });
    await expect(evaluate(definition.States.ListWindow.Arguments.Prefix, { window: '2026/11/01/09' }))
      .resolves.toBe(`captures/${endpointName}/AllTraffic/2026/11/01/09/`);
    await expect(evaluate(definition.States.ListWindow.Assign.captured, { states: { result: { KeyCount: 0 } } })).resolves.toBe(0);
    expect(definition.States.AnyCaptures).toEqual({
      Type: 'Choice', Choices: [{ Condition: '{% $captured > 0 %}', Next: 'DetectDrift' }], Default: 'NoCaptures',
    });
    expect(definition.States.NoCaptures.Type).toBe('Succeed');
  });

  test('job: the scikit-learn image of the Region runs the script given as an input, over the window and the baseline', async () => {
    expect(args.AppSpecification).toEqual({
      ImageUri: '764974769150.dkr.ecr.eu-west-2.<AWS::URLSuffix>/sagemaker-scikit-learn:1.2-1-cpu-py3',
      ContainerEntrypoint: ['python3', expect.stringMatching(/^\/opt\/ml\/processing\/input\/code\/[0-9a-f]{64}\.py$/)],
    });
    expect(args.ProcessingInputs.map((i: any) => [i.InputName, i.S3Input.LocalPath, i.S3Input.S3DataType, i.S3Input.S3InputMode])).toEqual([
      ['code', '/opt/ml/processing/input/code', 'S3Prefix', 'File'],
      ['baseline', '/opt/ml/processing/input/baseline', 'S3Prefix', 'File'],
      ['capture', '/opt/ml/processing/input/capture', 'S3Prefix', 'File'],
    ]);
    const [code, baseline, capture] = args.ProcessingInputs.map((i: any) => i.S3Input.S3Uri);
    expect(code).toMatch(/^s3:\/\/cdk-hnb659fds-assets-111111111111-eu-west-2\/[0-9a-f]{64}\.py$/);
    expect(args.AppSpecification.ContainerEntrypoint[1].endsWith(code.slice(code.lastIndexOf('/')))).toBe(true);
    const registryBucket = idOf(resources, 'AWS::S3::Bucket', 'RegistryArtifacts');
    const gate = idOf(resources, 'Custom::ArtifactSignatureGate', 'FraudSignatureGate');
    expect(baseline).toBe(`s3://<${registryBucket}>/baselines/<${gate}.Digest>/reference.csv`);
    await expect(evaluate(capture, { window: '2026/11/01/09' })).resolves.toBe(`s3://<${captureBucket}>/captures/${endpointName}/AllTraffic/2026/11/01/09/`);
    expect(args.Environment).toEqual({
      DRIFT_THRESHOLD: '0.2', DRIFT_MINIMUM_RECORDS: '100', DRIFT_BASELINE_FILE: 'reference.csv', DRIFT_WINDOW: '{% $window %}',
    });
    await expect(evaluate(definition.States.Window.Assign.jobName, {})).resolves
      .toBe(`${f.endpoint.driftMonitor.jobNamePrefix}-123e4567e89b42d3a456426614174000`);
    expect(`${f.endpoint.driftMonitor.jobNamePrefix}-123e4567e89b42d3a456426614174000`).toMatch(/^[a-z0-9](-*[a-z0-9]){0,62}$/);
  });

  test('job: isolated, encrypted traffic, data key on its volume, capture key on its report, the workload subnets, a runtime limit', async () => {
    const sg = idOf(resources, 'AWS::EC2::SecurityGroup', 'FraudDriftMonitorSecurityGroup');
    expect(args.NetworkConfig).toEqual({
      EnableNetworkIsolation: true,
      EnableInterContainerTrafficEncryption: true,
      VpcConfig: { Subnets: [expect.stringMatching(/^<EnvVpcWorkloadSubnet1/), expect.stringMatching(/^<EnvVpcWorkloadSubnet2/)], SecurityGroupIds: [`<${sg}.GroupId>`] },
    });
    expect(args.ProcessingResources).toEqual({
      ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30, VolumeKmsKeyId: expect.stringMatching(/^<EnvDataKey.*\.Arn>$/) },
    });
    expect(args.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600 });
    const captureKey = idOf(resources, 'AWS::KMS::Key', 'FraudCaptureKey');
    expect(args.ProcessingOutputConfig).toMatchObject({
      KmsKeyId: `<${captureKey}.Arn>`,
      Outputs: [{ OutputName: 'report', S3Output: { LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }],
    });
    await expect(evaluate(args.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri, { window: '2026/11/01/09', ...statesOf({}) }))
      .resolves.toBe(`s3://<${captureBucket}>/monitoring/${endpointName}/2026/11/01/09/run-1/`);
    expect(resources[sg].Properties.SecurityGroupIngress).toBeUndefined();
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::EC2::SecurityGroupEgress' && JSON.stringify(r.Properties.GroupId).includes(sg))
      .map((r) => [r.Properties.FromPort, r.Properties.DestinationSecurityGroupId])).toEqual([[443, { 'Fn::GetAtt': [expect.stringMatching(/^EnvEndpointSecurityGroup/), 'GroupId'] }]]);
  });

  test('drift is told from failure by the detector\'s exit message; each ends the run failed, which alarms', async () => {
    expect(definition.States.DetectDrift.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Assign: { failure: '{% $states.errorOutput %}' }, Next: 'ReadExitMessage' }]);
    expect(definition.States.ReadExitMessage).toMatchObject({
      Resource: 'arn:<AWS::Partition>:states:::aws-sdk:sagemaker:describeProcessingJob',
      Arguments: { ProcessingJobName: '{% $jobName %}' },
      Next: 'DriftOrFailure',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'MonitoringFailed' }],
    });
    const exitMessageOf = (result: unknown) => evaluate(definition.States.ReadExitMessage.Assign.exitMessage, { states: { result } });
    await expect(exitMessageOf({})).resolves.toBe('');
    const condition = definition.States.DriftOrFailure.Choices[0].Condition;
    const isDrift = async (result: unknown) => evaluate(condition, { exitMessage: await exitMessageOf(result) });
    await expect(isDrift({ ExitMessage: 'DRIFT_DETECTED: 1 of 3 features above PSI 0.2: amount (1.2)' })).resolves.toBe(true);
    await expect(isDrift({ ExitMessage: 'MONITOR_ERROR: expected one reference dataset' })).resolves.toBe(false);
    await expect(isDrift({ ExitMessage: 'Error: DRIFT_DETECTED appears later' })).resolves.toBe(false);
    await expect(isDrift({})).resolves.toBe(false);
    expect(definition.States.DriftOrFailure.Default).toBe('MonitoringFailed');
    expect(definition.States.DriftDetected).toMatchObject({ Type: 'Fail', Error: 'DriftDetected', Cause: '{% $exitMessage %}' });
    expect(definition.States.MonitoringFailed).toMatchObject({ Type: 'Fail', Error: 'MonitoringFailed' });
    expect(definition.States.DetectDrift.Next).toBe('NoDrift');
  });

  test('alarm: failed, timed-out, aborted and unstarted runs, to the endpoint\'s topic; listed among the endpoint\'s alarms', () => {
    const alarmId = idOf(resources, 'AWS::CloudWatch::Alarm', 'FraudDriftMonitorAlarm');
    expect(resources[alarmId].Properties).toMatchObject({
      AlarmActions: [{ Ref: idOf(resources, 'AWS::SNS::Topic', 'FraudAlarmTopic') }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    const metrics = resources[alarmId].Properties.Metrics as any[];
    expect(metrics[0].Expression).toBe('FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0) + FILL(targetErrors, 0) + FILL(dropped, 0)');
    expect(metrics.slice(1).map((m) => [m.Id, m.MetricStat.Metric.Namespace, m.MetricStat.Metric.MetricName, m.MetricStat.Period])).toEqual([
      ['failed', 'AWS/States', 'ExecutionsFailed', 300],
      ['timedOut', 'AWS/States', 'ExecutionsTimedOut', 300],
      ['aborted', 'AWS/States', 'ExecutionsAborted', 300],
      ['targetErrors', 'AWS/Scheduler', 'TargetErrorCount', 300],
      ['dropped', 'AWS/Scheduler', 'InvocationDroppedCount', 300],
    ]);
    expect(f.endpoint.alarms).toContain(f.endpoint.driftMonitor.alarm);
  });

  test('job role: reads this endpoint\'s captures, the baseline and the script, writes its reports; nothing of the model', () => {
    const statements = statementsOf(resources, 'FraudDriftMonitorJobRole');
    const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    const flat = (v: unknown) => JSON.stringify(v);
    expect(s3.map((s) => [s.Action, flat(s.Resource), s.Condition === undefined ? '' : flat(s.Condition)])).toEqual([
      ['s3:GetObject', expect.stringContaining(`/captures/${endpointName}/AllTraffic/*`), ''],
      ['s3:ListBucket', flat({ 'Fn::GetAtt': [captureBucket, 'Arn'] }), flat({ StringLike: { 's3:prefix': [`captures/${endpointName}/AllTraffic/*`] } })],
      ['s3:PutObject', expect.stringContaining(`/monitoring/${endpointName}/*`), ''],
      ['s3:GetObject', expect.stringMatching(/\/baselines\/.*"Digest".*\/reference\.csv/), ''],
      ['s3:GetObject', expect.stringMatching(/:s3:::cdk-hnb659fds-assets-111111111111-eu-west-2\/[0-9a-f]{64}\.py"\]\]\}$/), ''],
    ]);
    expect(flat(statements)).not.toMatch(/model\.tar\.gz|ArtifactKey|sagemaker:/);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [idOf(resources, 'AWS::KMS::Key', 'FraudCaptureKey'), 'Arn'] } }),
      expect.objectContaining({ Action: ['kms:CreateGrant', 'kms:DescribeKey'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EnvDataKey/), 'Arn'] } }),
      expect.objectContaining({ Sid: 'PublishProcessingMetrics', Condition: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/ProcessingJobs' } } }),
      expect.objectContaining({ Sid: 'SageMakerNetworkInterfacesInTheEnvironmentVpc', Condition: { ArnEqualsIfExists: { 'ec2:Vpc': expect.anything() } } }),
    ]));
    const trust = resources[idOf(resources, 'AWS::IAM::Role', 'FraudDriftMonitorJobRole')].Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([expect.objectContaining({
      Principal: { Service: 'sagemaker.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111111111111' },
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-2:111111111111:*']] } },
      },
    })]);
  });

  test('state machine role: this monitor\'s jobs, passing the job role to SageMaker only, the sync rule, a listing of the captures', () => {
    const statements = statementsOf(resources, 'FraudDriftMonitorStateMachineRole');
    const prefix = f.endpoint.driftMonitor.jobNamePrefix;
    expect(statements.filter((s) => ![s.Action].flat().some((a) => /^(logs|xray):/.test(a)))).toEqual([
      {
        Action: ['sagemaker:CreateProcessingJob', 'sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob', 'sagemaker:ListTags'],
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sagemaker:eu-west-2:111111111111:processing-job/${prefix}-*`]] },
      },
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [idOf(resources, 'AWS::IAM::Role', 'FraudDriftMonitorJobRole'), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      },
      {
        Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-2:111111111111:rule/StepFunctionsGetEventsForSageMakerProcessingJobsRule']] },
      },
      {
        Action: 's3:ListBucket',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [captureBucket, 'Arn'] },
        Condition: { StringLike: { 's3:prefix': [`captures/${endpointName}/AllTraffic/*`] } },
      },
    ]);
    expect(prefix).toBe(`${endpointName.toLowerCase().slice(0, 24).replace(/-+$/, '')}-drift`);
  });

  test('the image\'s provenance is recorded on the state machine', () => {
    expect(resources[stateMachineId].Metadata['cdk-secure-ai:aws-managed-image']).toEqual({
      image: 'sagemaker-scikit-learn', reason: expect.stringMatching(/framework image AWS maintains.*network isolation/),
    });
  });

  test('the pack judges it as monitoring: O2 on the endpoint, O3, P8, P9 and P11 on the state machine, all compliant', () => {
    const report = new SecureAiChecks().validateScope(f.stack);
    const tallies = JSON.parse(report.metadata![METADATA_KEYS.tallies]) as RuleTally[];
    const tally = (id: string) => tallies.find((t) => t.ruleId === id);
    expect(tally('O2')).toMatchObject({ evaluated: 1, compliant: 1 });
    // O3, P8 and P9 judge the drift monitor's state machine (and nothing else of the stack judges monitoring jobs).
    for (const id of ['O3', 'P8', 'P9']) expect(tally(id)).toMatchObject({ compliant: 1, nonCompliant: 0, unverifiable: 0 });
    expect(tally('P11')).toMatchObject({ nonCompliant: 0, unverifiable: 0 });
  });
});

describe('DriftMonitor options', () => {
  test('a daily window on its own schedule, threshold, minimum, instance type, runtime limit and baseline', async () => {
    const f = endpointFixture({
      endpointName: 'fraud-scoring',
      baselineKey: 'fraud/baselines/reference-2026.csv',
      driftMonitoring: {
        window: DriftWindow.DAY,
        schedule: scheduler.ScheduleExpression.cron({ minute: '45', hour: '2' }),
        driftThreshold: 0.1,
        minimumRecords: 1000,
        instanceType: 'ml.m5.large',
        maxRuntime: Duration.hours(3),
      },
    });
    const resources = f.template().toJSON().Resources as Resources;
    const definition = definitionOf(resources);
    await expect(evaluate(definition.States.Window.Assign.window, statesOf({ scheduledTime: '2026-11-01T02:45:00Z' }))).resolves.toBe('2026/10/31');
    const args = definition.States.DetectDrift.Arguments;
    expect(args.Environment).toMatchObject({ DRIFT_THRESHOLD: '0.1', DRIFT_MINIMUM_RECORDS: '1000', DRIFT_BASELINE_FILE: 'reference-2026.csv' });
    expect(args.ProcessingInputs[1].S3Input.S3Uri).toMatch(/\/fraud\/baselines\/reference-2026\.csv$/);
    expect(args.ProcessingResources.ClusterConfig.InstanceType).toBe('ml.m5.large');
    expect(args.StoppingCondition.MaxRuntimeInSeconds).toBe(10800);
    expect(definition.TimeoutSeconds).toBe(10800 + 1800);
    const schedule = Object.values(resources).find((r) => r.Type === 'AWS::Scheduler::Schedule')!;
    expect(schedule.Properties).toMatchObject({ Name: 'fraud-scoring-drift', ScheduleExpression: 'cron(45 2 * * ? *)' });
    expect(f.endpoint.driftMonitor.jobNamePrefix).toBe('fraud-scoring-drift');
  });

  test('the daily default runs at 00:30 UTC', () => {
    const resources = endpointFixture({ driftMonitoring: { window: DriftWindow.DAY } }).template().toJSON().Resources as Resources;
    expect(Object.values(resources).find((r) => r.Type === 'AWS::Scheduler::Schedule')!.Properties.ScheduleExpression).toBe('cron(30 0 * * ? *)');
  });

  test('an image of your own through ModelImage: its own entrypoint, no script, pulled by the job role; its provenance is ModelImage\'s', () => {
    const { stack, environment, registry, repository } = composition();
    const drift = new ecr.Repository(stack, 'DriftImages', {
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: environment.dataKey,
    });
    const endpoint = new InferenceEndpoint(stack, 'Fraud', {
      environment,
      registry,
      modelPackageArn: PACKAGE_ARN,
      s3PrefixListId: S3_PREFIX_LIST,
      image: ModelImage.fromEcrRepository(repository, 'v1'),
      driftMonitoring: { image: ModelImage.fromEcrRepository(drift, 'evidently-1') },
    });
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    const args = definitionOf(resources).States.DetectDrift.Arguments;
    expect(args.AppSpecification).toEqual({ ImageUri: expect.stringContaining(':evidently-1') });
    expect(args.ProcessingInputs.map((i: any) => i.InputName)).toEqual(['baseline', 'capture']);
    expect(JSON.stringify(statementsOf(resources, 'FraudDriftMonitorJobRole'))).toMatch(/ecr:BatchGetImage/);
    const machine = resources[idOf(resources, 'AWS::StepFunctions::StateMachine', 'FraudDriftMonitor')];
    expect(machine.Metadata?.['cdk-secure-ai:aws-managed-image']).toBeUndefined();
    expect(Object.values(resources).some((r) => r.Type === 'AWS::SageMaker::ProcessingJob')).toBe(false);
    expect(endpoint.driftMonitor.jobRole).toBeDefined();
  });

  test('an external image needs a reason, which is recorded', () => {
    const image = ModelImage.fromUri('public.ecr.aws/evidently/drift:1');
    expect(() => endpointFixture({ driftMonitoring: { image } })).toThrow(/DriftMonitor DriftMonitor: image public\.ecr\.aws\/evidently\/drift:1 is neither in a private ECR repository nor pinned by digest.*allowExternalImage/);
    const reason = 'Built from AWS\'s Evidently sample and reviewed by the platform team, ticket SEC-77';
    const resources = endpointFixture({ driftMonitoring: { image, allowExternalImage: reason } }).template().toJSON().Resources as Resources;
    expect(resources[idOf(resources, 'AWS::StepFunctions::StateMachine', 'FraudDriftMonitor')].Metadata['cdk-secure-ai:external-image'])
      .toMatchObject({ image: 'public.ecr.aws/evidently/drift:1', reason });
  });

  test('from an artifact by its registered key, the baseline of its digest is known at synth time', () => {
    const resources = artifactEndpointFixture().template().toJSON().Resources as Resources;
    expect(definitionOf(resources).States.DetectDrift.Arguments.ProcessingInputs[1].S3Input.S3Uri)
      .toMatch(new RegExp(`^s3://<RegistryArtifacts[0-9A-F]+>/baselines/${'c'.repeat(64)}/reference\\.csv$`));
  });

  test('an environment-agnostic stack takes the image\'s registry from a Region map at deploy time', () => {
    const t = endpointFixture({}, {}, {}).template();
    t.hasMapping('SageMakerScikitLearnAccounts', Match.objectLike({ 'eu-west-2': { account: '764974769150' }, 'us-east-1': { account: '683313688378' } }));
    const args = definitionOf(t.toJSON().Resources as Resources).States.DetectDrift.Arguments;
    expect(args.AppSpecification.ImageUri).toBe('<?>.dkr.ecr.<AWS::Region>.<AWS::URLSuffix>/sagemaker-scikit-learn:1.2-1-cpu-py3');
  });

  test('a DriftMonitor of its own, for another variant of the endpoint', () => {
    const f = endpointFixture();
    const monitor = new DriftMonitor(f.stack, 'CanaryDrift', { ...monitorProps(f), variantName: 'Canary' });
    expect(monitor.reportsUri).toBeDefined();
    const machine = f.stack.getLogicalId(monitor.stateMachine.node.defaultChild as sfn.CfnStateMachine);
    expect(JSON.stringify(Template.fromStack(f.stack).toJSON().Resources[machine])).toContain(`/captures/${f.stack.resolve(f.endpoint.endpoint.endpointName)}/Canary/`);
  });
});

/** The props InferenceEndpoint gives its own monitor, for a monitor composed beside it. */
function monitorProps(f: ReturnType<typeof endpointFixture>): DriftMonitorProps {
  return {
    environment: f.environment,
    registry: f.registry,
    baselineKey: 'fraud/baseline/reference.csv',
    endpointName: f.stack.resolve(f.endpoint.endpoint.endpointName),
    captureBucket: f.endpoint.dataCaptureBucket,
    captureKey: f.endpoint.dataCaptureBucket.objectKey,
    capturePrefix: 'captures',
    alarmTopic: f.endpoint.alarmTopic,
  };
}

describe('DriftMonitor refuses bad props, naming the construct, the prop, the value and the fix', () => {
  test.each([
    [{ driftThreshold: 0 }, /InferenceEndpoint Fraud: `driftMonitoring\.driftThreshold` is 0, but it must be a population stability index above 0 and at most 10\. Fix:/],
    [{ driftThreshold: 11 }, /`driftMonitoring\.driftThreshold` is 11/],
    [{ driftThreshold: NaN }, /`driftMonitoring\.driftThreshold` is NaN/],
    [{ minimumRecords: 0 }, /driftMonitoring\.minimumRecords is 0, but it must be a whole number between 1 and 1000000000\. Fix:/],
    [{ minimumRecords: 1.5 }, /driftMonitoring\.minimumRecords is 1\.5/],
    [{ instanceType: 'ml.g5.xlarge' }, /driftMonitoring\.instanceType 'ml\.g5\.xlarge' has local NVMe instance storage/],
    [{ instanceType: 'm5.large' }, /driftMonitoring\.instanceType 'm5\.large' is not a SageMaker instance type/],
    [{ maxRuntime: Duration.seconds(30) }, /`driftMonitoring\.maxRuntime` is 30 seconds, but it must be whole seconds from one minute to one day\. Fix:/],
    [{ maxRuntime: Duration.days(2) }, /`driftMonitoring\.maxRuntime` is 2 days/],
    [{ schedule: scheduler.ScheduleExpression.at(new Date(Date.UTC(2026, 11, 1))) }, /`driftMonitoring\.schedule` 'at\(2026-12-01T00:00:00\)' does not recur.*Fix: give a recurring schedule/],
    [{ schedule: scheduler.ScheduleExpression.rate(Duration.minutes(30)) }, /`driftMonitoring\.schedule` 'rate\(30 minutes\)' runs more often than the window each run reads \(hour\).*Fix:/],
    [{ window: DriftWindow.DAY, schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)) }, /'rate\(1 hour\)' runs more often than the window each run reads \(day\)/],
    [{ window: 'WEEK' as DriftWindow }, /`driftMonitoring\.window` is 'WEEK', which is not a DriftWindow\. Fix: give DriftWindow\.HOUR or DriftWindow\.DAY\./],
  ])('driftMonitoring %p', (driftMonitoring, message) => {
    expect(() => endpointFixture({ driftMonitoring })).toThrow(message);
  });

  test('a daily rate is fine for a daily window, an hourly one for an hourly window', () => {
    const daily = { window: DriftWindow.DAY, schedule: scheduler.ScheduleExpression.rate(Duration.days(1)) };
    expect(() => endpointFixture({ driftMonitoring: daily })).not.toThrow();
    expect(() => endpointFixture({ driftMonitoring: { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)) } })).not.toThrow();
  });

  test('a baseline key that is not one object', () => {
    expect(() => endpointFixture({ baselineKey: 'fraud/*.csv' })).toThrow(/InferenceEndpoint Fraud: baselineKey 'fraud\/\*\.csv' is not an object key/);
  });

  describe('on its own', () => {
    const f = endpointFixture();
    const inStack = (props: Partial<DriftMonitorProps>) => () => new DriftMonitor(f.stack, `Drift${Math.random().toString(36).slice(2, 8)}`, { ...monitorProps(f), ...props });

    test('no baseline', () => {
      expect(inStack({ baselineKey: undefined as unknown as string })).toThrow(/DriftMonitor Drift\w+: `baselineKey` is missing, so the monitor has nothing to compare traffic with\. Fix:/);
      expect(inStack({ baselineKey: 'fraud/baseline/' })).toThrow(/`baselineKey` 'fraud\/baseline\/' is not the key of one object\. Fix:/);
    });

    test('attack: a capture prefix that would break out of the state machine\'s JSONata string literal', () => {
      expect(inStack({ capturePrefix: "captures' & $states.input.prefix & '" })).toThrow(/`capturePrefix` 'captures' & \$states\.input\.prefix & '' is not the key prefix of a capture destination\. Fix:/);
      expect(inStack({ capturePrefix: 'captures/' })).toThrow(/`capturePrefix` 'captures\/'/);
    });

    test('an endpoint or variant name that is not one', () => {
      expect(inStack({ endpointName: "fraud' & 'x" })).toThrow(/`endpointName` 'fraud' & 'x' is not a SageMaker endpoint name\. Fix:/);
      expect(inStack({ variantName: 'All Traffic' })).toThrow(/`variantName` 'All Traffic' is not a production variant name\. Fix:/);
    });

    test('a Region whose scikit-learn registry is not known', () => {
      const modelPackageArn = PACKAGE_ARN.replace('eu-west-2', 'xx-nowhere-1');
      expect(() => endpointFixture({ modelPackageArn }, {}, { env: { account: ENV.account, region: 'xx-nowhere-1' } })).toThrow(
        /DriftMonitor DriftMonitor: the SageMaker scikit-learn image that runs the drift script is not known for Region xx-nowhere-1\. Fix: deploy to one of .*; or give driftMonitoring\.image/);
    });
  });
});
