import { App, Stack } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';
import {
  capturingEndpoint, CAPTURES, definitionOf, input, monitoredByWorkflow, monitoringArgs, schedule, stateMachine, WINDOW_URI,
} from '../../monitoring-workflow-fixture';

type Resources = TemplateFixture['Resources'];

const ENDPOINT_NAME = { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] };
const endpoint = (extra: Record<string, unknown> = {}) => ({ Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'cfg', ...extra } });
const HOURLY = { ScheduleExpression: 'cron(0 * ? * * *)' };
const definition = (type: string, endpointName: unknown = ENDPOINT_NAME, extra: Record<string, unknown> = {}) => {
  const kind = type.replace('AWS::SageMaker::', '').replace('JobDefinition', '');
  return { Type: type, Properties: { [`${kind}JobInput`]: { EndpointInput: { EndpointName: endpointName, LocalPath: '/opt/ml/processing/input' } }, ...extra } };
};
const scheduleOf = (config: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::SageMaker::MonitoringSchedule',
  Properties: { MonitoringScheduleName: 'dq', MonitoringScheduleConfig: { ScheduleConfig: HOURLY, ...config }, ...extra },
});
const namedSchedule = (definitionRef: unknown = { 'Fn::GetAtt': ['DataQuality', 'JobDefinitionName'] }, type = 'DataQuality', extra: Record<string, unknown> = {}) =>
  scheduleOf({ MonitoringJobDefinitionName: definitionRef, MonitoringType: type }, extra);
const inlineSchedule = (endpointName: unknown = ENDPOINT_NAME) => scheduleOf({
  MonitoringJobDefinition: {
    MonitoringInputs: [{ EndpointInput: { EndpointName: endpointName, LocalPath: '/opt/ml/processing/input' } }],
    MonitoringAppSpecification: { ImageUri: 'x' },
  },
});
const monitored = (): Resources => ({
  Endpoint: endpoint(),
  DataQuality: definition('AWS::SageMaker::DataQualityJobDefinition'),
  Schedule: namedSchedule(),
});

describe('O2 endpoint monitoring schedule', () => {
  test('compliant: a schedule runs a data-quality job definition on the endpoint', () => {
    const run = validate({ Resources: monitored() });
    expect(verdictOf(run, 'O2', 'Endpoint')).toBe('none');
    expect(run.tally('O2')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('compliant: the schedule names the endpoint itself, or holds an inline job (DataQuality by default)', () => {
    const top = validate({
      Resources: {
        Endpoint: endpoint(),
        Schedule: scheduleOf({ MonitoringJobDefinitionName: 'dq-outside', MonitoringType: 'DataQuality' }, { EndpointName: ENDPOINT_NAME }),
      },
    });
    expect(verdictOf(top, 'O2', 'Endpoint')).toBe('none');
    expect(verdictOf(validate({ Resources: { Endpoint: endpoint(), Schedule: inlineSchedule() } }), 'O2', 'Endpoint')).toBe('none');
  });

  test('compliant: the endpoint named by its literal name', () => {
    const run = validate({ Resources: { Endpoint: endpoint({ EndpointName: 'fraud' }), Schedule: inlineSchedule('fraud') } });
    expect(verdictOf(run, 'O2', 'Endpoint')).toBe('none');
  });

  test('non-compliant: no schedule at all', () => {
    const run = validate({ Resources: { Endpoint: endpoint() } });
    expect(verdictOf(run, 'O2', 'Endpoint')).toBe('non-compliant');
    expect(run.of('O2')[0]).toMatchObject({ ruleName: 'SecureAI-O2', level: 'warning' });
    expect(run.of('O2')[0].message).toMatch(/no active DataQuality monitoring schedule watches this endpoint/);
  });

  test('non-compliant: a job definition without a schedule does not monitor', () => {
    const run = validate({ Resources: { Endpoint: endpoint(), DataQuality: definition('AWS::SageMaker::DataQualityJobDefinition') } });
    expect(verdictOf(run, 'O2', 'Endpoint')).toBe('non-compliant');
  });

  test('non-compliant: a schedule for another endpoint', () => {
    const run = validate({
      Resources: { Endpoint: endpoint(), Other: endpoint(), Schedule: inlineSchedule({ 'Fn::GetAtt': ['Other', 'EndpointName'] }) },
    });
    expect(verdictOf(run, 'O2', 'Endpoint')).toBe('non-compliant');
    expect(verdictOf(run, 'O2', 'Other')).toBe('none');
  });

  test('non-compliant: stopped, one-time and expressionless schedules do not count', () => {
    const stopped = validate({ Resources: { ...monitored(), Schedule: namedSchedule(undefined, 'DataQuality', { MonitoringScheduleStatus: 'Stopped' }) } });
    expect(verdictOf(stopped, 'O2', 'Endpoint')).toBe('non-compliant');
    expect(stopped.of('O2')[0].message).toMatch(/MonitoringScheduleStatus is "Stopped"/);
    const once = scheduleOf({ MonitoringJobDefinitionName: { 'Fn::GetAtt': ['DataQuality', 'JobDefinitionName'] }, ScheduleConfig: { ScheduleExpression: 'NOW' } });
    expect(validate({ Resources: { ...monitored(), Schedule: once } }).of('O2')[0].message).toMatch(/runs once/);
    const none = scheduleOf({ MonitoringJobDefinitionName: { 'Fn::GetAtt': ['DataQuality', 'JobDefinitionName'] }, ScheduleConfig: undefined });
    expect(verdictOf(validate({ Resources: { ...monitored(), Schedule: none } }), 'O2', 'Endpoint')).toBe('non-compliant');
  });

  test('non-compliant: only a bias schedule, no data-quality schedule', () => {
    const run = validate({
      Resources: {
        Endpoint: endpoint(),
        Bias: definition('AWS::SageMaker::ModelBiasJobDefinition'),
        Schedule: namedSchedule({ 'Fn::GetAtt': ['Bias', 'JobDefinitionName'] }, 'ModelBias'),
      },
    });
    expect(verdictOf(run, 'O2', 'Endpoint')).toBe('non-compliant');
    expect(run.of('O2')[0].message).toMatch(/it only has Schedule \(ModelBias\)/);
  });

  test('non-compliant: ground truth is collected but no model-quality schedule runs', () => {
    const quality = definition('AWS::SageMaker::ModelQualityJobDefinition', ENDPOINT_NAME, {
      JobDefinitionName: 'mq',
      ModelQualityJobInput: { EndpointInput: { EndpointName: ENDPOINT_NAME, LocalPath: '/x' }, GroundTruthS3Input: { S3Uri: 's3://truth/x' } },
    });
    const run = validate({ Resources: { ...monitored(), Quality: quality } });
    expect(verdictOf(run, 'O2', 'Endpoint')).toBe('non-compliant');
    expect(run.of('O2')[0].message).toMatch(/ground truth is collected for it \(Quality\)/);
    const scheduled = validate({ Resources: { ...monitored(), Quality: quality, QualitySchedule: namedSchedule('mq', 'ModelQuality') } });
    expect(verdictOf(scheduled, 'O2', 'Endpoint')).toBe('none');
  });

  test('intrinsic: Fn::If with a stopped form, and a schedule status from a parameter', () => {
    const conditional = validate({
      Resources: { ...monitored(), Schedule: namedSchedule(undefined, 'DataQuality', { MonitoringScheduleStatus: ifElse('Scheduled', 'Stopped') }) },
    });
    expect(verdictOf(conditional, 'O2', 'Endpoint')).toBe('non-compliant');
    const parameter = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { Status: { Default, AllowedValues } },
      Resources: { ...monitored(), Schedule: namedSchedule(undefined, 'DataQuality', { MonitoringScheduleStatus: { Ref: 'Status' } }) },
    });
    expect(verdictOf(parameter('Scheduled'), 'O2', 'Endpoint')).toBe('none');
    expect(verdictOf(parameter('Scheduled', ['Scheduled', 'Stopped']), 'O2', 'Endpoint')).toBe('parameter');
  });

  test('intrinsic: the endpoint named through Fn::Sub of a parameter default', () => {
    const run = validate({
      Parameters: { Env: { Default: 'prod' } },
      Resources: { Endpoint: endpoint({ EndpointName: 'fraud-prod' }), Schedule: inlineSchedule({ 'Fn::Sub': 'fraud-${Env}' }) },
    });
    expect(verdictOf(run, 'O2', 'Endpoint')).toBe('none');
  });

  test('unverifiable: a schedule whose endpoint is imported may watch this endpoint', () => {
    const run = validate({ Resources: { Endpoint: endpoint(), Schedule: inlineSchedule(imported('endpoint-name')) } });
    expect(verdictOf(run, 'O2', 'Endpoint')).toBe('unverifiable');
    expect(run.of('O2')[0]).toMatchObject({ ruleName: 'SecureAI-O2[unverifiable]', level: 'warning' });
    expect(run.of('O2')[0].message).toMatch(/unless schedule Schedule/);
  });

  test('a schedule naming a job definition outside the app by a literal name does not count', () => {
    const run = validate({ Resources: { Endpoint: endpoint(), Schedule: namedSchedule('outside-definition') } });
    expect(verdictOf(run, 'O2', 'Endpoint')).toBe('non-compliant');
  });

  test('reads what the CDK L1 constructs render', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const ep = new sagemaker.CfnEndpoint(stack, 'Endpoint', { endpointConfigName: 'cfg' });
    const dq = new sagemaker.CfnDataQualityJobDefinition(stack, 'DataQuality', {
      jobDefinitionName: 'fraud-data-quality',
      dataQualityAppSpecification: { imageUri: 'x' },
      dataQualityJobInput: { endpointInput: { endpointName: ep.attrEndpointName, localPath: '/opt/ml/processing/input' } },
      dataQualityJobOutputConfig: { monitoringOutputs: [] },
      jobResources: { clusterConfig: { instanceCount: 1, instanceType: 'ml.m5.large', volumeSizeInGb: 20 } },
      roleArn: 'arn:aws:iam::111122223333:role/monitor',
    });
    new sagemaker.CfnMonitoringSchedule(stack, 'Schedule', {
      monitoringScheduleName: 'dq',
      monitoringScheduleConfig: { monitoringJobDefinitionName: dq.jobDefinitionName, monitoringType: 'DataQuality', scheduleConfig: { scheduleExpression: 'cron(0 * ? * * *)' } },
    });
    const run = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(run.tally('O2')).toMatchObject({ evaluated: 1, compliant: 1 });
  });
});

describe('O2 drift monitoring without Model Monitor: a scheduled state machine running a processing job over the captures', () => {
  const o2 = (resources: Resources, parameters?: TemplateFixture['Parameters']) => {
    const run = validate({ Parameters: parameters, Resources: resources });
    return { verdict: verdictOf(run, 'O2', 'Endpoint'), message: run.of('O2')[0]?.message ?? '', run };
  };
  const withCapture = (uri: unknown) => monitoringArgs({}, [input('baseline', 's3://models/reference.csv'), input('capture', uri)]);

  test('compliant: an hourly schedule starts a state machine whose isolated job reads this endpoint\'s window of captures', () => {
    const { verdict, run } = o2(monitoredByWorkflow());
    expect(verdict).toBe('none');
    expect(run.tally('O2')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('compliant: an EventBridge rule on a rate, a literal URI, the whole capture destination, and the bucket by substitution', () => {
    const rule = { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 'm', Arn: { Ref: 'Monitor' } }] } };
    expect(o2({ ...monitoredByWorkflow(), Schedule: rule }).verdict).toBe('none');
    expect(o2(monitoredByWorkflow(withCapture(`s3://${CAPTURES}/captures/fraud/`))).verdict).toBe('none');
    expect(o2(monitoredByWorkflow(withCapture(`{% 's3://${CAPTURES}/captures' %}`))).verdict).toBe('none');
    const substituted = stateMachine(definitionOf(withCapture("{% 's3://${CaptureBucket}/captures/fraud/AllTraffic/' & $window & '/' %}")),
      { DefinitionSubstitutions: { CaptureBucket: { Ref: 'Captures' } } });
    expect(o2({ ...monitoredByWorkflow(), Monitor: substituted }).verdict).toBe('none');
  });

  test('attack: a job that processes another bucket does not count as monitoring', () => {
    const { verdict, message } = o2(monitoredByWorkflow(withCapture("{% 's3://attacker-bucket/captures/fraud/AllTraffic/' & $window & '/' %}")));
    expect(verdict).toBe('non-compliant');
    expect(message).toMatch(/no scheduled, network-isolated processing job reads its captures and no active DataQuality monitoring schedule/);
  });

  test('attack: a job that reads another endpoint\'s captures in the same bucket does not count', () => {
    expect(o2(monitoredByWorkflow(withCapture(`{% 's3://${CAPTURES}/captures/other-endpoint/AllTraffic/' & $window %}`))).verdict).toBe('non-compliant');
    expect(o2(monitoredByWorkflow(withCapture(`s3://${CAPTURES}/captures/fraud-old/`))).verdict).toBe('non-compliant');
    expect(o2(monitoredByWorkflow(withCapture(`s3://${CAPTURES}/monitoring/fraud/`))).verdict).toBe('non-compliant');
  });

  test('attack: a job without network isolation does not count as monitoring, and says why', () => {
    const { verdict, message } = o2(monitoredByWorkflow(monitoringArgs({
      NetworkConfig: { EnableInterContainerTrafficEncryption: true, VpcConfig: { Subnets: ['s'], SecurityGroupIds: ['g'] } },
    })));
    expect(verdict).toBe('non-compliant');
    expect(message).toMatch(/state machine Monitor reads its captures in a processing job without NetworkConfig\.EnableNetworkIsolation/);
  });

  test('non-compliant: a state machine nothing starts, a one-time schedule, a disabled one, a rule on events', () => {
    const unscheduled = o2({ ...capturingEndpoint(), Monitor: stateMachine(definitionOf(monitoringArgs())) });
    expect(unscheduled.verdict).toBe('non-compliant');
    expect(unscheduled.message).toMatch(/state machine Monitor reads its captures, but no EventBridge Scheduler schedule or EventBridge rule starts it/);
    expect(o2(monitoredByWorkflow(undefined, { Schedule: schedule({ ScheduleExpression: 'at(2026-12-01T10:00:00)' }) })).message)
      .toMatch(/schedule Schedule runs once \(at\(2026-12-01T10:00:00\)\), not continuously/);
    expect(o2(monitoredByWorkflow(undefined, { Schedule: schedule({ State: 'DISABLED' }) })).message).toMatch(/schedule Schedule is DISABLED/);
    const onEvents = { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['aws.s3'] }, Targets: [{ Id: 'm', Arn: { Ref: 'Monitor' } }] } };
    expect(o2(monitoredByWorkflow(undefined, { Schedule: onEvents })).message).toMatch(/rule Schedule has no ScheduleExpression/);
  });

  test('intrinsic: Fn::If with a disabled form; the schedule\'s state from a parameter', () => {
    expect(o2(monitoredByWorkflow(undefined, { Schedule: schedule({ State: ifElse('ENABLED', 'DISABLED') }) })).verdict).toBe('non-compliant');
    const parameterised = (Default: string, AllowedValues?: string[]) => o2(monitoredByWorkflow(undefined, { Schedule: schedule({ State: { Ref: 'State' } }) }),
      { State: { Default, AllowedValues } }).verdict;
    expect(parameterised('ENABLED')).toBe('none');
    expect(parameterised('ENABLED', ['ENABLED', 'DISABLED'])).toBe('parameter');
  });

  test('unverifiable: the capture location or the isolation known only when the state runs', () => {
    const fromInput = o2(monitoredByWorkflow(monitoringArgs({}, [input('baseline', 's3://m/r.csv'), { InputName: 'capture', S3Input: { 'S3Uri.$': '$.uri' } }])));
    expect(fromInput.verdict).toBe('unverifiable');
    expect(fromInput.message).toMatch(/unless state machine Monitor, whose definition or processing inputs cannot be read at synth time, monitors it/);
    // The literal the expression starts with does not pin the endpoint: it may be this one or another.
    expect(o2(monitoredByWorkflow(withCapture(`{% 's3://${CAPTURES}/captures/' & $states.input.endpoint & '/' %}`))).verdict).toBe('unverifiable');
    const isolation = o2(monitoredByWorkflow(monitoringArgs({
      NetworkConfig: { EnableNetworkIsolation: '{% $isolated %}', EnableInterContainerTrafficEncryption: true, VpcConfig: { Subnets: ['s'], SecurityGroupIds: ['g'] } },
    })));
    expect(isolation.verdict).toBe('unverifiable');
    expect(isolation.message).toMatch(/whether its job is network-isolated cannot be seen/);
    expect(o2(monitoredByWorkflow(undefined, { Schedule: schedule({ ScheduleExpression: imported('expression') }) })).verdict).toBe('unverifiable');
  });

  test('a definition in S3 that nothing schedules monitors nothing; a scheduled one may', () => {
    const inS3 = { Type: 'AWS::StepFunctions::StateMachine', Properties: { RoleArn: 'r', DefinitionS3Location: { Bucket: 'b', Key: 'k' } } };
    expect(o2({ ...capturingEndpoint(), Monitor: inS3 }).verdict).toBe('non-compliant');
    expect(o2({ ...capturingEndpoint(), Monitor: inS3, Schedule: schedule() }).verdict).toBe('unverifiable');
  });

  test('what is not created monitors nothing: the state machine, or its only schedule, under a false condition; their parameter warns', () => {
    const under = (Default: string, resources: Resources) => validate({
      Parameters: { Monitoring: { Default, AllowedValues: ['on', 'off'] } },
      Conditions: { MonitoringOn: { 'Fn::Equals': [{ Ref: 'Monitoring' }, 'on'] } },
      Resources: resources,
    });
    const workflow = monitoredByWorkflow();
    for (const id of ['Monitor', 'Schedule']) {
      const conditional = { ...workflow, [id]: { ...workflow[id], Condition: 'MonitoringOn' } };
      expect(verdictOf(under('off', conditional), 'O2', 'Endpoint')).toBe('non-compliant');
      const on = under('on', conditional);
      expect(on.of('O2').map((f) => [f.ruleName, f.logicalId])).toEqual([['SecureAI-O2[parameter]', 'Endpoint']]);
      expect(on.of('O2')[0].message).toMatch(/parameter Monitoring defaults to "on", but also allows "off"/);
    }
    // A second schedule that is created starts the state machine in place of the first.
    expect(under('off', { ...workflow, Schedule: { ...workflow.Schedule, Condition: 'MonitoringOn' }, Hourly: schedule() }).of('O2')).toEqual([]);
  });

  test('the window URI of the fixture is the one the construct writes', () => {
    expect(WINDOW_URI).toMatch(/^\{% 's3:\/\/@@CAPTURES@@\/captures\/fraud\/AllTraffic\/' & \$window & '\/' %\}$/);
  });
});

describe('O2 and a serverless endpoint, which Model Monitor and data capture do not support', () => {
  const serverlessConfig = (variants: unknown) => ({ Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: variants } });
  const SERVERLESS = { VariantName: 'v1', ModelName: 'm', ServerlessConfig: { MaxConcurrency: 5, MemorySizeInMB: 2048 } };
  const INSTANCES = { VariantName: 'v1', ModelName: 'm', InstanceType: 'ml.m5.large', InitialInstanceCount: 2 };
  const withConfig = (config: unknown, name: unknown = { 'Fn::GetAtt': ['Config', 'EndpointConfigName'] }) =>
    validate({ Resources: { Config: config as Resources[string], Endpoint: endpoint({ EndpointConfigName: name }) } });

  test('not applicable: every variant of its configuration is serverless', () => {
    const run = withConfig(serverlessConfig([SERVERLESS]));
    expect(verdictOf(run, 'O2', 'Endpoint')).toBe('none');
    expect(run.tally('O2')).toMatchObject({ compliant: 0, nonCompliant: 0 });
  });

  test('non-compliant: an instance-backed variant, or a serverless variant in one Fn::If form only', () => {
    expect(verdictOf(withConfig(serverlessConfig([SERVERLESS, { ...INSTANCES, VariantName: 'v2' }])), 'O2', 'Endpoint')).toBe('non-compliant');
    expect(verdictOf(withConfig(serverlessConfig(ifElse([SERVERLESS], [INSTANCES]))), 'O2', 'Endpoint')).toBe('non-compliant');
  });

  test('a configuration outside the app or imported is not known to be serverless', () => {
    expect(verdictOf(withConfig(serverlessConfig([SERVERLESS]), imported('config')), 'O2', 'Endpoint')).toBe('non-compliant');
  });
});
