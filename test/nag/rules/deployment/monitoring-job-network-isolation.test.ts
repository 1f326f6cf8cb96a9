import { ifElse, imported, validate, verdictOf } from '../../harness';
import {
  CAPTURES, definitionOf, definitionString, input, monitoredByWorkflow, monitoringArgs,
} from '../../monitoring-workflow-fixture';

const CLUSTER = { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20 } };
const network = (extra: Record<string, unknown> = {}) => ({ EnableNetworkIsolation: true, ...extra });
const jobDefinition = (type: string, prefix: string, networkConfig?: unknown) => ({
  Type: `AWS::SageMaker::${type}`,
  Properties: {
    RoleArn: 'arn:aws:iam::111122223333:role/monitor',
    JobDefinitionName: `${prefix}-definition`,
    JobResources: CLUSTER,
    [`${prefix}JobOutputConfig`]: { MonitoringOutputs: [{ S3Output: { S3Uri: 's3://out/', LocalPath: '/opt/ml/processing/output' } }] },
    NetworkConfig: networkConfig,
  },
});
const schedule = (config: Record<string, unknown>) => ({
  Type: 'AWS::SageMaker::MonitoringSchedule',
  Properties: { MonitoringScheduleName: 's', MonitoringScheduleConfig: config },
});
const inline = (networkConfig?: unknown) => ({
  MonitoringJobDefinition: {
    RoleArn: 'arn:aws:iam::111122223333:role/monitor',
    MonitoringResources: CLUSTER,
    MonitoringOutputConfig: { MonitoringOutputs: [] },
    NetworkConfig: networkConfig,
  },
});
const processingJob = (networkConfig?: unknown) => ({
  Type: 'AWS::SageMaker::ProcessingJob',
  Properties: { RoleArn: 'arn:aws:iam::111122223333:role/p', ProcessingResources: CLUSTER, NetworkConfig: networkConfig },
});
const KINDS: Array<[string, string]> = [
  ['DataQualityJobDefinition', 'DataQuality'], ['ModelQualityJobDefinition', 'ModelQuality'],
  ['ModelBiasJobDefinition', 'ModelBias'], ['ModelExplainabilityJobDefinition', 'ModelExplainability'],
];

describe('P8 monitoring and processing jobs with network isolation', () => {
  test('compliant: every job type with EnableNetworkIsolation true (boolean or string)', () => {
    const resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> = {};
    KINDS.forEach(([type, prefix]) => { resources[type] = jobDefinition(type, prefix, network()); });
    resources.Schedule = schedule(inline(network({ EnableNetworkIsolation: 'true' })));
    resources.Processing = processingJob(network());
    const run = validate({ Resources: resources });
    expect(run.of('P8')).toEqual([]);
    expect(run.tally('P8')).toMatchObject({ evaluated: 6, compliant: 6 });
  });

  test('non-compliant: absent NetworkConfig (default false) on each job definition type', () => {
    for (const [type, prefix] of KINDS) {
      const run = validate({ Resources: { Job: jobDefinition(type, prefix) } });
      expect(verdictOf(run, 'P8', 'Job')).toBe('non-compliant');
      expect(run.of('P8')[0]).toMatchObject({ ruleName: 'SecureAI-P8', level: 'warning', locations: ['Properties.NetworkConfig.EnableNetworkIsolation'] });
      expect(run.of('P8')[0].message).toMatch(/EnableNetworkIsolation is absent \(default false\)/);
    }
  });

  test('non-compliant: false on a schedule\'s inline job and on a processing job', () => {
    const run = validate({ Resources: { Schedule: schedule(inline(network({ EnableNetworkIsolation: false }))), Processing: processingJob(network({ EnableNetworkIsolation: 'false' })) } });
    expect(verdictOf(run, 'P8', 'Schedule')).toBe('non-compliant');
    expect(run.of('P8').find((f) => f.logicalId === 'Schedule')!.locations)
      .toEqual(['Properties.MonitoringScheduleConfig.MonitoringJobDefinition.NetworkConfig.EnableNetworkIsolation']);
    expect(verdictOf(run, 'P8', 'Processing')).toBe('non-compliant');
  });

  test('a schedule naming a job definition of the app is judged on the definition', () => {
    const run = validate({
      Resources: {
        Definition: jobDefinition('DataQualityJobDefinition', 'DataQuality'),
        ByRef: schedule({ MonitoringJobDefinitionName: { 'Fn::GetAtt': ['Definition', 'JobDefinitionName'] }, MonitoringType: 'DataQuality' }),
        ByName: schedule({ MonitoringJobDefinitionName: 'DataQuality-definition', MonitoringType: 'DataQuality' }),
      },
    });
    expect(verdictOf(run, 'P8', 'Definition')).toBe('non-compliant');
    expect(verdictOf(run, 'P8', 'ByRef')).toBe('none');
    expect(verdictOf(run, 'P8', 'ByName')).toBe('none');
    expect(run.tally('P8')).toMatchObject({ notApplicable: 2, nonCompliant: 1 });
  });

  test('unverifiable: a schedule naming a job definition outside the app, or an imported flag', () => {
    const outside = validate({ Resources: { Schedule: schedule({ MonitoringJobDefinitionName: 'shared-definition', MonitoringType: 'DataQuality' }) } });
    expect(verdictOf(outside, 'P8', 'Schedule')).toBe('unverifiable');
    expect(outside.of('P8')[0]).toMatchObject({ ruleName: 'SecureAI-P8[unverifiable]', level: 'warning' });
    expect(outside.of('P8')[0].message).toMatch(/not in the app/);
    const flag = validate({ Resources: { Processing: processingJob(network({ EnableNetworkIsolation: imported('isolate') })) } });
    expect(verdictOf(flag, 'P8', 'Processing')).toBe('unverifiable');
  });

  test('intrinsic: Fn::If with a false branch, and parameters by default and allowed values', () => {
    const withIf = validate({ Resources: { Job: jobDefinition('ModelBiasJobDefinition', 'ModelBias', network({ EnableNetworkIsolation: ifElse(true, false) })) } });
    expect(verdictOf(withIf, 'P8', 'Job')).toBe('non-compliant');
    expect(withIf.of('P8')[0].message).toMatch(/possible forms/);
    const withParameter = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { Isolate: { Default, AllowedValues } },
      Resources: { Job: jobDefinition('ModelBiasJobDefinition', 'ModelBias', network({ EnableNetworkIsolation: { Ref: 'Isolate' } })) },
    });
    expect(verdictOf(withParameter('true'), 'P8', 'Job')).toBe('none');
    expect(verdictOf(withParameter('false'), 'P8', 'Job')).toBe('non-compliant');
    expect(withParameter('false').of('P8')[0].message).toMatch(/parameter Isolate/);
    expect(verdictOf(withParameter('true', ['true', 'false']), 'P8', 'Job')).toBe('parameter');
  });
});

describe('P8 drift monitoring by a state machine: its processing job over the endpoint\'s captures runs isolated', () => {
  const networkOf = (EnableNetworkIsolation: unknown) => ({ EnableNetworkIsolation, EnableInterContainerTrafficEncryption: true, VpcConfig: { Subnets: ['s'], SecurityGroupIds: ['g'] } });
  const p8 = (args: Record<string, unknown>) => {
    const run = validate({ Resources: monitoredByWorkflow(args) });
    return { verdict: verdictOf(run, 'P8', 'Monitor'), message: run.of('P8')[0]?.message ?? '', run };
  };

  test('compliant: the monitoring job is network-isolated', () => {
    const { verdict, run } = p8(monitoringArgs());
    expect(verdict).toBe('none');
    expect(run.tally('P8')).toMatchObject({ compliant: 1 });
  });

  test('non-compliant: isolation absent or false, naming the task', () => {
    const absent = p8(monitoringArgs({ NetworkConfig: { EnableInterContainerTrafficEncryption: true } }));
    expect(absent.verdict).toBe('non-compliant');
    expect(absent.message).toMatch(/^Task state "DetectDrift" \(sagemaker:createProcessingJob\): Arguments\.NetworkConfig\.EnableNetworkIsolation is absent \(default false\): the monitoring job's container can reach the network/);
    expect(p8(monitoringArgs({ NetworkConfig: networkOf(false) })).verdict).toBe('non-compliant');
  });

  test('not applicable: a state machine whose job reads no endpoint\'s captures is P11\'s, not P8\'s', () => {
    const elsewhere = monitoringArgs({ NetworkConfig: networkOf(false) }, [input('data', 's3://training-data/2026/')]);
    const { verdict, run } = p8(elsewhere);
    expect(verdict).toBe('none');
    expect(run.tally('P8')).toMatchObject({ nonCompliant: 0, compliant: 0 });
    expect(verdictOf(run, 'P11', 'Monitor')).toBe('non-compliant');
  });

  test('intrinsic: a definition under Fn::If with an unisolated form', () => {
    const resources = monitoredByWorkflow();
    const insecure = definitionString(definitionOf(monitoringArgs({ NetworkConfig: networkOf(false) })));
    const secure = definitionString(definitionOf(monitoringArgs()));
    (resources.Monitor.Properties as Record<string, unknown>).DefinitionString = ifElse(secure, insecure);
    expect(verdictOf(validate({ Resources: resources }), 'P8', 'Monitor')).toBe('non-compliant');
  });

  test('unverifiable: isolation computed when the state runs, or taken from its input', () => {
    const jsonata = p8(monitoringArgs({ NetworkConfig: networkOf('{% $isolated %}') }));
    expect(jsonata.verdict).toBe('unverifiable');
    expect(jsonata.message).toMatch(/EnableNetworkIsolation cannot be verified at synth time: it is the JSONata expression/);
    expect(p8(monitoringArgs({ NetworkConfig: { 'EnableNetworkIsolation.$': '$.isolated' } })).verdict).toBe('unverifiable');
  });

  test('the capture fixture reads the endpoint\'s captures', () => {
    expect(JSON.stringify(monitoringArgs())).toContain(CAPTURES);
  });
});
