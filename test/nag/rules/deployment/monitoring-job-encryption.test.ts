import { ifElse, imported, NO_VALUE, validate, verdictOf } from '../../harness';
import { definitionOf, definitionString, input, KEY_ARN, monitoredByWorkflow, monitoringArgs } from '../../monitoring-workflow-fixture';

const KEY = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
const KEY_REF = { 'Fn::GetAtt': ['Key', 'Arn'] };
const cluster = (extra: Record<string, unknown> = {}) => ({ ClusterConfig: { InstanceCount: 2, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20, VolumeKmsKeyId: KEY_REF, ...extra } });
const NETWORK = { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true };
const output = (extra: Record<string, unknown> = {}) => ({ MonitoringOutputs: [{ S3Output: { S3Uri: 's3://out/', LocalPath: '/opt/ml/processing/output' } }], KmsKeyId: KEY_REF, ...extra });
const definition = (overrides: Record<string, unknown> = {}) => ({
  Type: 'AWS::SageMaker::DataQualityJobDefinition',
  Properties: { RoleArn: 'arn:aws:iam::111122223333:role/monitor', JobResources: cluster(), DataQualityJobOutputConfig: output(), NetworkConfig: NETWORK, ...overrides },
});
const run = (resource: { Type: string; Properties?: Record<string, unknown> }) => validate({ Resources: { Key: KEY, Job: resource } });

describe('P9 monitoring and processing jobs encrypt traffic, outputs and volumes', () => {
  test('compliant: traffic encryption, output key and volume key on a job definition', () => {
    const result = run(definition());
    expect(verdictOf(result, 'P9', 'Job')).toBe('none');
    expect(result.tally('P9')).toMatchObject({ compliant: 1 });
  });

  test('compliant: each monitoring job definition type reads its own output block', () => {
    for (const kind of ['ModelQuality', 'ModelBias', 'ModelExplainability']) {
      const result = run({
        Type: `AWS::SageMaker::${kind}JobDefinition`,
        Properties: { RoleArn: 'arn:aws:iam::111122223333:role/m', JobResources: cluster(), [`${kind}JobOutputConfig`]: output(), NetworkConfig: NETWORK },
      });
      expect(verdictOf(result, 'P9', 'Job')).toBe('none');
      const noKey = run({
        Type: `AWS::SageMaker::${kind}JobDefinition`,
        Properties: { RoleArn: 'arn:aws:iam::111122223333:role/m', JobResources: cluster(), [`${kind}JobOutputConfig`]: output({ KmsKeyId: undefined }), NetworkConfig: NETWORK },
      });
      expect(noKey.of('P9')[0].locations).toEqual([`Properties.${kind}JobOutputConfig.KmsKeyId`]);
    }
  });

  test('non-compliant: inter-container traffic encryption absent (default false) or false', () => {
    for (const flag of [undefined, false, 'false']) {
      const result = run(definition({ NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: flag } }));
      expect(verdictOf(result, 'P9', 'Job')).toBe('non-compliant');
      expect(result.of('P9')[0]).toMatchObject({ ruleName: 'SecureAI-P9', level: 'error', locations: ['Properties.NetworkConfig.EnableInterContainerTrafficEncryption'] });
    }
  });

  test('non-compliant: output key absent or AWS-managed', () => {
    for (const key of [undefined, 'alias/aws/s3']) {
      const result = run(definition({ DataQualityJobOutputConfig: output({ KmsKeyId: key }) }));
      expect(verdictOf(result, 'P9', 'Job')).toBe('non-compliant');
      expect(result.of('P9')[0].locations).toEqual(['Properties.DataQualityJobOutputConfig.KmsKeyId']);
    }
  });

  test('non-compliant: volume key absent; not asked for local-NVMe instance types', () => {
    const result = run(definition({ JobResources: cluster({ VolumeKmsKeyId: undefined }) }));
    expect(verdictOf(result, 'P9', 'Job')).toBe('non-compliant');
    expect(result.of('P9')[0].locations).toEqual(['Properties.JobResources.ClusterConfig.VolumeKmsKeyId']);
    expect(result.of('P9')[0].message).toMatch(/VolumeKmsKeyId is absent: the ML storage volume/);
    const nvme = run(definition({ JobResources: cluster({ VolumeKmsKeyId: undefined, InstanceType: 'ml.g5.xlarge' }) }));
    expect(verdictOf(nvme, 'P9', 'Job')).toBe('none');
  });

  test('all three failures are reported together', () => {
    const result = run(definition({
      NetworkConfig: undefined, DataQualityJobOutputConfig: output({ KmsKeyId: undefined }), JobResources: cluster({ VolumeKmsKeyId: undefined }),
    }));
    expect(result.of('P9')[0].locations).toHaveLength(3);
  });

  test('monitoring schedule with an inline job definition', () => {
    const inline = (job: Record<string, unknown>) => ({
      Type: 'AWS::SageMaker::MonitoringSchedule',
      Properties: { MonitoringScheduleConfig: { MonitoringJobDefinition: { RoleArn: 'r', MonitoringResources: cluster(), MonitoringOutputConfig: output(), NetworkConfig: NETWORK, ...job } } },
    });
    expect(verdictOf(run(inline({})), 'P9', 'Job')).toBe('none');
    const bad = run(inline({ MonitoringOutputConfig: output({ KmsKeyId: undefined }), NetworkConfig: undefined }));
    expect(verdictOf(bad, 'P9', 'Job')).toBe('non-compliant');
    expect(bad.of('P9')[0].locations).toEqual([
      'Properties.MonitoringScheduleConfig.MonitoringJobDefinition.NetworkConfig.EnableInterContainerTrafficEncryption',
      'Properties.MonitoringScheduleConfig.MonitoringJobDefinition.MonitoringOutputConfig.KmsKeyId',
    ]);
  });

  test('processing job: output key only when it has outputs', () => {
    const job = (extra: Record<string, unknown>) => ({
      Type: 'AWS::SageMaker::ProcessingJob',
      Properties: { RoleArn: 'r', ProcessingResources: cluster(), NetworkConfig: NETWORK, ...extra },
    });
    expect(verdictOf(run(job({})), 'P9', 'Job')).toBe('none');
    const result = run(job({ ProcessingOutputConfig: { Outputs: [{ OutputName: 'o', S3Output: { S3Uri: 's3://o/', LocalPath: '/o', S3UploadMode: 'EndOfJob' } }] } }));
    expect(verdictOf(result, 'P9', 'Job')).toBe('non-compliant');
    expect(result.of('P9')[0].locations).toEqual(['Properties.ProcessingOutputConfig.KmsKeyId']);
  });

  test('not applicable: a schedule naming an in-app definition; unverifiable: one outside the app', () => {
    const result = validate({
      Resources: {
        Key: KEY,
        Definition: definition(),
        Schedule: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleConfig: { MonitoringJobDefinitionName: { 'Fn::GetAtt': ['Definition', 'JobDefinitionName'] } } } },
        Outside: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleConfig: { MonitoringJobDefinitionName: imported('definition-name') } } },
      },
    });
    expect(verdictOf(result, 'P9', 'Schedule')).toBe('none');
    expect(verdictOf(result, 'P9', 'Outside')).toBe('unverifiable');
    expect(result.of('P9')[0]).toMatchObject({ ruleName: 'SecureAI-P9[unverifiable]', level: 'warning' });
  });

  test('intrinsic: Fn::If with an insecure branch; parameters by default and allowed values', () => {
    const withIf = run(definition({ DataQualityJobOutputConfig: output({ KmsKeyId: ifElse(KEY_REF, NO_VALUE) }) }));
    expect(verdictOf(withIf, 'P9', 'Job')).toBe('non-compliant');
    expect(withIf.of('P9')[0].message).toMatch(/possible forms/);
    const withParameter = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { Encrypt: { Default, AllowedValues } },
      Resources: { Key: KEY, Job: definition({ NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: { Ref: 'Encrypt' } } }) },
    });
    expect(verdictOf(withParameter('true'), 'P9', 'Job')).toBe('none');
    expect(verdictOf(withParameter('false'), 'P9', 'Job')).toBe('non-compliant');
    expect(verdictOf(withParameter('true', ['true', 'false']), 'P9', 'Job')).toBe('parameter');
  });

  test('imported keys are set; an imported flag is unverifiable', () => {
    const keys = run(definition({ DataQualityJobOutputConfig: output({ KmsKeyId: imported('k') }), JobResources: cluster({ VolumeKmsKeyId: imported('v') }) }));
    expect(verdictOf(keys, 'P9', 'Job')).toBe('none');
    const flag = run(definition({ NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: imported('e') } }));
    expect(verdictOf(flag, 'P9', 'Job')).toBe('unverifiable');
  });
});

describe('P9 drift monitoring by a state machine: its processing job over the endpoint\'s captures is encrypted', () => {
  const NETWORK_OK = { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true, VpcConfig: { Subnets: ['s'], SecurityGroupIds: ['g'] } };
  const CLUSTER_OK = { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30, VolumeKmsKeyId: KEY_ARN } };
  const p9 = (args: Record<string, unknown>) => {
    const result = validate({ Resources: monitoredByWorkflow(args) });
    return { verdict: verdictOf(result, 'P9', 'Monitor'), message: result.of('P9')[0]?.message ?? '', run: result };
  };

  test('compliant: traffic encryption, report key and volume key', () => {
    const { verdict, run: result } = p9(monitoringArgs());
    expect(verdict).toBe('none');
    expect(result.tally('P9')).toMatchObject({ compliant: 1 });
  });

  test('non-compliant: each encryption setting off is named', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ NetworkConfig: { ...NETWORK_OK, EnableInterContainerTrafficEncryption: false } }, /EnableInterContainerTrafficEncryption is false: the captured requests/],
      [{ ProcessingOutputConfig: { Outputs: [] } }, /ProcessingOutputConfig\.KmsKeyId is absent.*drift reports/],
      [{ ProcessingOutputConfig: { KmsKeyId: 'alias/aws/s3', Outputs: [] } }, /AWS-managed key/],
      [{ ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } } }, /VolumeKmsKeyId is absent.*captured data/],
    ];
    for (const [overrides, message] of cases) {
      const result = p9(monitoringArgs(overrides));
      expect(result.verdict).toBe('non-compliant');
      expect(result.message).toMatch(message);
    }
  });

  test('compliant: no volume key on an instance type with only local NVMe storage, no report key without outputs', () => {
    expect(p9(monitoringArgs({ ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.g5.xlarge', VolumeSizeInGB: 30 } } })).verdict).toBe('none');
    expect(p9(monitoringArgs({ ProcessingOutputConfig: undefined, ProcessingResources: CLUSTER_OK })).verdict).toBe('none');
  });

  test('not applicable: a processing job over other data is P11\'s', () => {
    const other = monitoringArgs({ ProcessingOutputConfig: { Outputs: [] } }, [input('data', 's3://training-data/')]);
    expect(p9(other).run.tally('P9')).toMatchObject({ nonCompliant: 0, compliant: 0 });
  });

  test('intrinsic: a definition under Fn::If with an unencrypted form', () => {
    const resources = monitoredByWorkflow();
    const insecure = definitionString(definitionOf(monitoringArgs({ ProcessingOutputConfig: { Outputs: [] } })));
    (resources.Monitor.Properties as Record<string, unknown>).DefinitionString = ifElse(definitionString(definitionOf(monitoringArgs())), insecure);
    expect(verdictOf(validate({ Resources: resources }), 'P9', 'Monitor')).toBe('non-compliant');
  });

  test('unverifiable: a key computed when the state runs', () => {
    const runtime = p9(monitoringArgs({ ProcessingOutputConfig: { KmsKeyId: '{% $key %}', Outputs: [] } }));
    expect(runtime.verdict).toBe('unverifiable');
    expect(runtime.message).toMatch(/ProcessingOutputConfig\.KmsKeyId cannot be verified at synth time/);
  });
});
