import { App, Stack } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, validate, ValidationRun, verdictOf } from '../../harness';
import { definitionOf, definitionString, input, monitoredByWorkflow, monitoringArgs, WINDOW_URI } from '../../monitoring-workflow-fixture';

const BASELINE = {
  ConstraintsResource: { S3Uri: 's3://baselines/constraints.json' },
  StatisticsResource: { S3Uri: 's3://baselines/statistics.json' },
};
const dataQuality = (baseline: unknown) => ({ Type: 'AWS::SageMaker::DataQualityJobDefinition', Properties: { DataQualityBaselineConfig: baseline } });
const modelQuality = (baseline: unknown, groundTruth: unknown = { S3Uri: 's3://truth/' }) => ({
  Type: 'AWS::SageMaker::ModelQualityJobDefinition',
  Properties: { ModelQualityBaselineConfig: baseline, ModelQualityJobInput: { GroundTruthS3Input: groundTruth } },
});
const inlineSchedule = (baseline: unknown) => ({
  Type: 'AWS::SageMaker::MonitoringSchedule',
  Properties: {
    MonitoringScheduleConfig: {
      ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
      MonitoringJobDefinition: { BaselineConfig: baseline, MonitoringAppSpecification: { ImageUri: 'x' } },
    },
  },
});
const one = (resource: unknown) => validate({ Resources: { Job: resource as never } });

describe('O3 monitoring baselines', () => {
  test('compliant: data-quality constraints and statistics; model-quality constraints and ground truth', () => {
    const run = validate({ Resources: { Dq: dataQuality(BASELINE), Mq: modelQuality({ ConstraintsResource: BASELINE.ConstraintsResource }) } });
    expect(verdictOf(run, 'O3', 'Dq')).toBe('none');
    expect(verdictOf(run, 'O3', 'Mq')).toBe('none');
    expect(run.tally('O3')).toMatchObject({ evaluated: 2, compliant: 2 });
  });

  test('compliant: bias and explainability constraints; an inline schedule job with a baseline', () => {
    for (const type of ['ModelBias', 'ModelExplainability']) {
      const run = one({ Type: `AWS::SageMaker::${type}JobDefinition`, Properties: { [`${type}BaselineConfig`]: { ConstraintsResource: { S3Uri: 's3://b/c' } } } });
      expect(verdictOf(run, 'O3', 'Job')).toBe('none');
    }
    expect(verdictOf(one(inlineSchedule(BASELINE)), 'O3', 'Job')).toBe('none');
  });

  test('non-compliant: a data-quality job without any baseline', () => {
    const run = one(dataQuality(undefined));
    expect(verdictOf(run, 'O3', 'Job')).toBe('non-compliant');
    expect(run.of('O3')[0]).toMatchObject({ ruleName: 'SecureAI-O3', level: 'warning', locations: ['Properties.DataQualityBaselineConfig'] });
    expect(run.of('O3')[0].message).toMatch(/DataQualityBaselineConfig is absent: the monitoring job has nothing to compare/);
  });

  test('non-compliant: constraints without statistics, or statistics without constraints', () => {
    const noStats = one(dataQuality({ ConstraintsResource: BASELINE.ConstraintsResource }));
    expect(verdictOf(noStats, 'O3', 'Job')).toBe('non-compliant');
    expect(noStats.of('O3')[0].locations).toEqual(['Properties.DataQualityBaselineConfig.StatisticsResource.S3Uri']);
    const noConstraints = one(dataQuality({ StatisticsResource: BASELINE.StatisticsResource }));
    expect(noConstraints.of('O3')[0].locations).toEqual(['Properties.DataQualityBaselineConfig.ConstraintsResource.S3Uri']);
  });

  test('non-compliant: model quality without constraints or without ground truth', () => {
    expect(verdictOf(one(modelQuality(undefined)), 'O3', 'Job')).toBe('non-compliant');
    const noTruth = one(modelQuality({ ConstraintsResource: BASELINE.ConstraintsResource }, {}));
    expect(verdictOf(noTruth, 'O3', 'Job')).toBe('non-compliant');
    expect(noTruth.of('O3')[0].message).toMatch(/GroundTruthS3Input\.S3Uri is absent/);
  });

  test('non-compliant: bias and explainability jobs without constraints; an inline job without a baseline', () => {
    expect(verdictOf(one({ Type: 'AWS::SageMaker::ModelBiasJobDefinition', Properties: {} }), 'O3', 'Job')).toBe('non-compliant');
    expect(verdictOf(one({ Type: 'AWS::SageMaker::ModelExplainabilityJobDefinition', Properties: { ModelExplainabilityBaselineConfig: {} } }), 'O3', 'Job'))
      .toBe('non-compliant');
    const inline = one(inlineSchedule(undefined));
    expect(verdictOf(inline, 'O3', 'Job')).toBe('non-compliant');
    expect(inline.of('O3')[0].message).toMatch(/MonitoringScheduleConfig\.MonitoringJobDefinition\.BaselineConfig is absent/);
  });

  test('a schedule naming a job definition of the app is judged at the definition; one outside the app is unverifiable', () => {
    const named = validate({
      Resources: {
        Dq: { Type: 'AWS::SageMaker::DataQualityJobDefinition', Properties: { JobDefinitionName: 'dq', DataQualityBaselineConfig: BASELINE } },
        Schedule: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleConfig: { MonitoringJobDefinitionName: 'dq' } } },
      },
    });
    expect(named.tally('O3')).toMatchObject({ compliant: 1, notApplicable: 1 });
    const outside = one({ Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleConfig: { MonitoringJobDefinitionName: 'elsewhere' } } });
    expect(verdictOf(outside, 'O3', 'Job')).toBe('unverifiable');
    expect(outside.of('O3')[0].message).toMatch(/whether it has a baseline cannot be seen/);
  });

  test('only a baselining job name: unverifiable', () => {
    const run = one(dataQuality({ BaseliningJobName: 'baseline-2026-11-01', StatisticsResource: BASELINE.StatisticsResource }));
    expect(verdictOf(run, 'O3', 'Job')).toBe('unverifiable');
    expect(run.of('O3')[0].message).toMatch(/names baselining job "baseline-2026-11-01"/);
  });

  test('intrinsic: Fn::If with a branch without baseline; constraints from a parameter', () => {
    expect(verdictOf(one(dataQuality(ifElse(BASELINE, NO_VALUE))), 'O3', 'Job')).toBe('non-compliant');
    expect(verdictOf(one(dataQuality({ ...BASELINE, StatisticsResource: ifElse(BASELINE.StatisticsResource, NO_VALUE) })), 'O3', 'Job'))
      .toBe('non-compliant');
    const parameter = (Default: string) => validate({
      Parameters: { Constraints: { Default } },
      Resources: { Job: dataQuality({ ...BASELINE, ConstraintsResource: { S3Uri: { Ref: 'Constraints' } } }) },
    });
    expect(verdictOf(parameter('s3://baselines/c.json'), 'O3', 'Job')).toBe('none');
    const empty = parameter('');
    expect(verdictOf(empty, 'O3', 'Job')).toBe('non-compliant');
    expect(empty.of('O3')[0].message).toMatch(/parameter Constraints/);
  });

  test('intrinsic: URIs built with Fn::Sub or imported count as set; an imported block is unverifiable', () => {
    expect(verdictOf(one(dataQuality({ ...BASELINE, ConstraintsResource: { S3Uri: { 'Fn::Sub': 's3://${Bucket}/c.json' } } })), 'O3', 'Job')).toBe('none');
    expect(verdictOf(one(dataQuality({ ...BASELINE, StatisticsResource: { S3Uri: imported('stats') } })), 'O3', 'Job')).toBe('none');
    const block = one(dataQuality(imported('baseline')));
    expect(verdictOf(block, 'O3', 'Job')).toBe('unverifiable');
    expect(block.of('O3')[0]).toMatchObject({ ruleName: 'SecureAI-O3[unverifiable]', level: 'warning' });
  });

  test('reads what CfnDataQualityJobDefinition renders', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new sagemaker.CfnDataQualityJobDefinition(stack, 'Job', {
      dataQualityAppSpecification: { imageUri: 'x' },
      dataQualityJobInput: { endpointInput: { endpointName: 'e', localPath: '/opt/ml/processing/input' } },
      dataQualityJobOutputConfig: { monitoringOutputs: [] },
      jobResources: { clusterConfig: { instanceCount: 1, instanceType: 'ml.m5.large', volumeSizeInGb: 20 } },
      roleArn: 'arn:aws:iam::111122223333:role/monitor',
      dataQualityBaselineConfig: { constraintsResource: { s3Uri: 's3://b/constraints.json' } },
    });
    const run = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(run.of('O3')[0].locations).toEqual(['Properties.DataQualityBaselineConfig.StatisticsResource.S3Uri']);
  });
});

describe('O3 drift monitoring by a state machine: its processing job over the captures reads a baseline', () => {
  const o3 = (inputs: unknown[]) => {
    const run = validate({ Resources: monitoredByWorkflow(monitoringArgs({}, inputs)) });
    return { verdict: verdictOf(run, 'O3', 'Monitor'), message: run.of('O3')[0]?.message ?? '', run };
  };
  const capture = input('capture', WINDOW_URI);

  test('compliant: an input named for the baseline', () => {
    const { verdict, run } = o3([input('code', 's3://assets/drift.py'), input('baseline', 's3://models/fraud/baseline/reference.csv'), capture]);
    expect(verdict).toBe('none');
    expect(run.tally('O3')).toMatchObject({ compliant: 1 });
    expect(o3([input('reference-baseline', '{% $baseline %}'), capture]).verdict).toBe('none');
  });

  test('non-compliant: only the captures and the code, or a baseline input without a location', () => {
    const missing = o3([input('code', 's3://assets/drift.py'), capture]);
    expect(missing.verdict).toBe('non-compliant');
    expect(missing.message).toMatch(/Task state "DetectDrift" \(sagemaker:createProcessingJob\): Arguments\.ProcessingInputs has no input named for a baseline \("code", "capture"\): the monitoring job has nothing to compare/);
    expect(o3([{ InputName: 'baseline', S3Input: { S3Uri: '' } }, capture]).message).toMatch(/input "baseline" has no S3Input\.S3Uri/);
  });

  test('intrinsic: Fn::If with a form without the baseline', () => {
    const resources = monitoredByWorkflow();
    const without = definitionString(definitionOf(monitoringArgs({}, [capture])));
    (resources.Monitor.Properties as Record<string, unknown>).DefinitionString = ifElse(definitionString(definitionOf(monitoringArgs())), without);
    expect(verdictOf(validate({ Resources: resources }), 'O3', 'Monitor')).toBe('non-compliant');
  });

  test('unverifiable: the inputs, or an input\'s name, known only when the state runs', () => {
    const args = monitoringArgs();
    const computed = validate({ Resources: monitoredByWorkflow({ ...args, ProcessingInputs: '{% $inputs %}' }) });
    // The inputs cannot be read, so neither can whether the job reads the captures: O2 says so, and O3 has no job to judge.
    expect(verdictOf(computed, 'O2', 'Endpoint')).toBe('unverifiable');
    const unnamed = o3([{ 'InputName.$': '$.name', 'S3Input': { S3Uri: 's3://models/x.csv' } }, capture]);
    expect(unnamed.verdict).toBe('unverifiable');
    expect(unnamed.message).toMatch(/whether it is a baseline cannot be seen/);
  });
});
