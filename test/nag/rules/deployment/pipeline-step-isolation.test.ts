import { App, Size, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, validate, ValidationRun, verdictOf } from '../../harness';

const KEY_ARN = 'arn:aws:kms:eu-west-2:111122223333:key/abc';
const VPC = { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] };

const trainingArgs = (overrides: Record<string, unknown> = {}) => ({
  AlgorithmSpecification: { TrainingImage: 'img', TrainingInputMode: 'File' },
  RoleArn: 'arn:aws:iam::111122223333:role/train',
  OutputDataConfig: { S3OutputPath: 's3://models/', KmsKeyId: KEY_ARN },
  ResourceConfig: { InstanceCount: 2, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30, VolumeKmsKeyId: KEY_ARN },
  StoppingCondition: { MaxRuntimeInSeconds: 3600 },
  EnableNetworkIsolation: true,
  EnableInterContainerTrafficEncryption: true,
  VpcConfig: VPC,
  ...overrides,
});
const processingArgs = (overrides: Record<string, unknown> = {}) => ({
  AppSpecification: { ImageUri: 'img' },
  RoleArn: 'arn:aws:iam::111122223333:role/process',
  ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30, VolumeKmsKeyId: KEY_ARN } },
  ProcessingOutputConfig: { Outputs: [], KmsKeyId: KEY_ARN },
  NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true, VpcConfig: VPC },
  ...overrides,
});
const step = (Name: string, Type: string, Arguments: unknown) => ({ Name, Type, Arguments });
const body = (steps: unknown[], parameters: unknown[] = []) => JSON.stringify({ Version: '2020-12-01', Parameters: parameters, Steps: steps });
const pipeline = (definition: unknown) => ({
  Type: 'AWS::SageMaker::Pipeline',
  Properties: { PipelineName: 'train', RoleArn: 'arn:aws:iam::111122223333:role/pipeline', PipelineDefinition: definition },
});
const runPipeline = (steps: unknown[], parameters: unknown[] = []) =>
  validate({ Resources: { Pipeline: pipeline({ PipelineDefinitionBody: body(steps, parameters) }) } });
const stateMachine = (definition: Record<string, unknown>) => ({
  Type: 'AWS::StepFunctions::StateMachine',
  Properties: { RoleArn: 'arn:aws:iam::111122223333:role/sfn', ...definition },
});
const task = (api: string, parameters: unknown, key = 'Parameters') => ({ Type: 'Task', Resource: `arn:aws:states:::sagemaker:${api}.sync`, [key]: parameters, End: true });
const runStates = (states: Record<string, unknown>) =>
  validate({ Resources: { Machine: stateMachine({ DefinitionString: JSON.stringify({ StartAt: Object.keys(states)[0], States: states }) }) } });

describe('P11 pipeline steps: SageMaker Pipelines', () => {
  test('compliant: training and processing steps isolated and encrypted', () => {
    const run = runPipeline([step('Prep', 'Processing', processingArgs()), step('Train', 'Training', trainingArgs())]);
    expect(verdictOf(run, 'P11', 'Pipeline')).toBe('none');
    expect(run.tally('P11')).toMatchObject({ compliant: 1 });
  });

  test('non-compliant: each training setting switched off is named', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ EnableNetworkIsolation: undefined }, /Training step "Train": Arguments\.EnableNetworkIsolation is absent \(default false\)/],
      [{ EnableNetworkIsolation: false }, /Arguments\.EnableNetworkIsolation is false/],
      [{ EnableInterContainerTrafficEncryption: undefined }, /Arguments\.EnableInterContainerTrafficEncryption is absent/],
      [{ OutputDataConfig: { S3OutputPath: 's3://models/' } }, /Arguments\.OutputDataConfig\.KmsKeyId is absent/],
      [{ OutputDataConfig: { S3OutputPath: 's3://models/', KmsKeyId: 'alias/aws/s3' } }, /AWS-managed key/],
      [{ ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } }, /Arguments\.ResourceConfig\.VolumeKmsKeyId is absent/],
      [{ VpcConfig: undefined }, /Arguments\.VpcConfig\.Subnets is absent/],
      [{ VpcConfig: { Subnets: ['s'], SecurityGroupIds: [] } }, /Arguments\.VpcConfig\.SecurityGroupIds is \[\]/],
    ];
    for (const [overrides, message] of cases) {
      const run = runPipeline([step('Train', 'Training', trainingArgs(overrides))]);
      expect(verdictOf(run, 'P11', 'Pipeline')).toBe('non-compliant');
      expect(run.of('P11')[0]).toMatchObject({ ruleName: 'SecureAI-P11', level: 'warning', locations: ['Properties.PipelineDefinition.PipelineDefinitionBody'] });
      expect(run.of('P11')[0].message).toMatch(message);
    }
  });

  test('non-compliant: each processing setting switched off is named (QualityCheck and ClarifyCheck run processing jobs)', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ NetworkConfig: undefined }, /NetworkConfig\.EnableNetworkIsolation is absent/],
      [{ NetworkConfig: { EnableNetworkIsolation: true, VpcConfig: VPC } }, /NetworkConfig\.EnableInterContainerTrafficEncryption is absent/],
      [{ ProcessingOutputConfig: { Outputs: [] } }, /ProcessingOutputConfig\.KmsKeyId is absent/],
      [{ ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } } }, /ClusterConfig\.VolumeKmsKeyId is absent/],
      [{ NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true } }, /NetworkConfig\.VpcConfig\.Subnets is absent/],
    ];
    for (const type of ['Processing', 'QualityCheck', 'ClarifyCheck']) {
      for (const [overrides, message] of cases) {
        const run = runPipeline([step('Check', type, processingArgs(overrides))]);
        expect(verdictOf(run, 'P11', 'Pipeline')).toBe('non-compliant');
        expect(run.of('P11')[0].message).toMatch(message);
      }
    }
    // A processing job without outputs writes nothing to encrypt.
    expect(verdictOf(runPipeline([step('P', 'Processing', processingArgs({ ProcessingOutputConfig: undefined }))]), 'P11', 'Pipeline')).toBe('none');
  });

  test('volume keys are not asked for instance types with only local NVMe storage', () => {
    const run = runPipeline([step('Train', 'Training', trainingArgs({ ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.p4d.24xlarge', VolumeSizeInGB: 30 } }))]);
    expect(verdictOf(run, 'P11', 'Pipeline')).toBe('none');
    const groups = runPipeline([step('Train', 'Training', trainingArgs({
      ResourceConfig: { InstanceGroups: [{ InstanceGroupName: 'a', InstanceType: 'ml.g5.2xlarge', InstanceCount: 1 }], VolumeSizeInGB: 30 },
    }))]);
    expect(verdictOf(groups, 'P11', 'Pipeline')).toBe('none');
  });

  test('tuning steps: every training job definition is checked', () => {
    const tuning = (definitions: Record<string, unknown>) => runPipeline([step('Tune', 'Tuning', { HyperParameterTuningJobConfig: {}, ...definitions })]);
    expect(verdictOf(tuning({ TrainingJobDefinition: trainingArgs() }), 'P11', 'Pipeline')).toBe('none');
    const bad = tuning({ TrainingJobDefinitions: [trainingArgs(), trainingArgs({ EnableNetworkIsolation: false })] });
    expect(verdictOf(bad, 'P11', 'Pipeline')).toBe('non-compliant');
    expect(bad.of('P11')[0].message).toMatch(/Tuning step "Tune": Arguments\.TrainingJobDefinitions\[1\]\.EnableNetworkIsolation is false/);
  });

  test('transform steps: output and volume keys', () => {
    const transform = (args: Record<string, unknown>) => runPipeline([step('Score', 'Transform', { ModelName: 'm', TransformInput: {}, ...args })]);
    expect(verdictOf(transform({ TransformOutput: { S3OutputPath: 's3://o/', KmsKeyId: KEY_ARN }, TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeKmsKeyId: KEY_ARN } }),
      'P11', 'Pipeline')).toBe('none');
    const bad = transform({ TransformOutput: { S3OutputPath: 's3://o/' }, TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 } });
    expect(verdictOf(bad, 'P11', 'Pipeline')).toBe('non-compliant');
    expect(bad.of('P11')[0].message).toMatch(/TransformOutput\.KmsKeyId is absent.*TransformResources\.VolumeKmsKeyId is absent/);
  });

  test('steps nested in a condition step are checked; other step types are ignored', () => {
    const run = runPipeline([
      step('Evaluate', 'Lambda', { FunctionArn: 'arn:aws:lambda:eu-west-2:111122223333:function:f' }),
      step('Gate', 'Condition', { Conditions: [], IfSteps: [step('Retrain', 'Training', trainingArgs({ EnableNetworkIsolation: false }))], ElseSteps: [] }),
    ]);
    expect(verdictOf(run, 'P11', 'Pipeline')).toBe('non-compliant');
    expect(run.of('P11')[0].message).toMatch(/Training step "Retrain"/);
    const noJobs = runPipeline([step('Evaluate', 'Lambda', {})]);
    expect(verdictOf(noJobs, 'P11', 'Pipeline')).toBe('none');
    expect(noJobs.tally('P11')).toMatchObject({ notApplicable: 1 });
  });

  test('pipeline parameters: judged by their default; without a default or from a step property, unverifiable', () => {
    const isolated = { Get: 'Parameters.Isolate' };
    const withDefault = (DefaultValue: unknown) => runPipeline([step('Train', 'Training', trainingArgs({ EnableNetworkIsolation: isolated }))],
      [{ Name: 'Isolate', Type: 'Boolean', DefaultValue }]);
    expect(verdictOf(withDefault(true), 'P11', 'Pipeline')).toBe('none');
    expect(verdictOf(withDefault(false), 'P11', 'Pipeline')).toBe('non-compliant');
    expect(withDefault(false).of('P11')[0].message).toMatch(/default of pipeline parameter Isolate/);
    expect(verdictOf(withDefault(undefined), 'P11', 'Pipeline')).toBe('unverifiable');
    const fromStep = runPipeline([step('Train', 'Training', trainingArgs({ OutputDataConfig: { S3OutputPath: 's3://m/', KmsKeyId: { Get: 'Steps.Prep.ProcessingOutputConfig.KmsKeyId' } } }))]);
    expect(verdictOf(fromStep, 'P11', 'Pipeline')).toBe('unverifiable');
    expect(fromStep.of('P11')[0]).toMatchObject({ ruleName: 'SecureAI-P11[unverifiable]', level: 'warning' });
  });

  test('a body built by Fn::Join around references is parsed; references in key positions are set', () => {
    const text = body([step('Train', 'Training', trainingArgs({ OutputDataConfig: { S3OutputPath: 's3://m/', KmsKeyId: '@KEY@' }, EnableNetworkIsolation: '@ISOLATE@' }))]);
    const [before, middle] = text.split('"@KEY@"');
    const [between, after] = middle.split('"@ISOLATE@"');
    const joined = (isolate: unknown) => ({ 'Fn::Join': ['', [before, '"', { 'Fn::GetAtt': ['Key', 'Arn'] }, '"', between, isolate, after]] });
    const key = { Type: 'AWS::KMS::Key', Properties: {} };
    const secure = validate({ Resources: { Key: key, Pipeline: pipeline({ PipelineDefinitionBody: joined('true') }) } });
    expect(verdictOf(secure, 'P11', 'Pipeline')).toBe('none');
    const insecure = validate({ Resources: { Key: key, Pipeline: pipeline({ PipelineDefinitionBody: joined('false') }) } });
    expect(verdictOf(insecure, 'P11', 'Pipeline')).toBe('non-compliant');
    // A value outside a JSON string, not known at synth time, is unverifiable rather than unparseable.
    const unknownFlag = validate({ Resources: { Key: key, Pipeline: pipeline({ PipelineDefinitionBody: joined(imported('isolate')) }) } });
    expect(verdictOf(unknownFlag, 'P11', 'Pipeline')).toBe('unverifiable');
    expect(unknownFlag.of('P11')[0].message).toMatch(/EnableNetworkIsolation cannot be verified/);
  });

  test('intrinsic: Fn::If between two bodies, and a template parameter spliced into the body', () => {
    const withIf = validate({ Resources: { Pipeline: pipeline({ PipelineDefinitionBody: ifElse(body([step('T', 'Training', trainingArgs())]), body([step('T', 'Training', trainingArgs({ VpcConfig: undefined }))])) }) } });
    expect(verdictOf(withIf, 'P11', 'Pipeline')).toBe('non-compliant');
    const text = body([step('T', 'Training', trainingArgs({ EnableNetworkIsolation: '@ISOLATE@' }))]);
    const [before, after] = text.split('"@ISOLATE@"');
    const withParameter = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { Isolate: { Default, AllowedValues } },
      Resources: { Pipeline: pipeline({ PipelineDefinitionBody: { 'Fn::Join': ['', [before, { Ref: 'Isolate' }, after]] } }) },
    });
    expect(verdictOf(withParameter('true'), 'P11', 'Pipeline')).toBe('none');
    expect(verdictOf(withParameter('false'), 'P11', 'Pipeline')).toBe('non-compliant');
    expect(withParameter('false').of('P11')[0].message).toMatch(/parameter Isolate/);
    expect(verdictOf(withParameter('true', ['true', 'false']), 'P11', 'Pipeline')).toBe('parameter');
  });

  test('intrinsic: a finding names the parameters of the settings it is about, not those of the rest of the definition', () => {
    const text = body([step('T', 'Training', trainingArgs({ OutputDataConfig: { S3OutputPath: '@OUT@', KmsKeyId: KEY_ARN }, EnableNetworkIsolation: '@ISOLATE@' }))]);
    const [head, middle, tail] = text.split(/"@OUT@"|"@ISOLATE@"/);
    const spliced = (isolate: unknown) => validate({
      Parameters: { Output: { Default: 's3://models/' }, Isolate: { Default: 'false' } },
      Resources: { Pipeline: pipeline({ PipelineDefinitionBody: { 'Fn::Join': ['', [head, '"', { Ref: 'Output' }, '"', middle, isolate, tail]] } }) },
    });
    expect(spliced('false').of('P11')[0].message).toMatch(/Arguments\.EnableNetworkIsolation is false/);
    expect(spliced('false').of('P11')[0].message).not.toMatch(/parameter/);
    expect(spliced({ Ref: 'Isolate' }).of('P11')[0].message).toMatch(/\(with the value of parameter Isolate\)$/);
  });

  test('unverifiable: definition in S3 (not inspectable), body not parseable, body imported', () => {
    const s3 = validate({ Resources: { Pipeline: pipeline({ PipelineDefinitionS3Location: { Bucket: 'b', Key: 'k.json' } }) } });
    expect(verdictOf(s3, 'P11', 'Pipeline')).toBe('unverifiable');
    expect(s3.of('P11')[0].message).toMatch(/not inspectable/);
    expect(s3.of('P11')[0].locations).toEqual(['Properties.PipelineDefinition.PipelineDefinitionS3Location']);
    for (const definition of [{ PipelineDefinitionBody: '{"Steps": [' }, { PipelineDefinitionBody: imported('body') }, { PipelineDefinitionBody: '"just a string"' }]) {
      const run = validate({ Resources: { Pipeline: pipeline(definition) } });
      expect(verdictOf(run, 'P11', 'Pipeline')).toBe('unverifiable');
    }
    expect(validate({ Resources: { Pipeline: pipeline(undefined) } }).tally('P11').errors).toBe(0);
  });

  test('malformed steps never throw', () => {
    const run = runPipeline([null, 'x', 42, { Type: 'Training' }, { Type: 'Training', Arguments: 'nope' }, { Type: 'Condition', Arguments: { IfSteps: 'x' } },
      { Type: 'Tuning', Arguments: { TrainingJobDefinitions: [null, 1] } }]);
    expect(run.tally('P11').errors).toBe(0);
    expect(verdictOf(run, 'P11', 'Pipeline')).toBe('non-compliant');
  });
});

describe('P11 pipeline steps: Step Functions', () => {
  test('compliant: a createTrainingJob task with every setting', () => {
    const run = runStates({ Train: task('createTrainingJob', trainingArgs()) });
    expect(verdictOf(run, 'P11', 'Machine')).toBe('none');
    expect(run.tally('P11')).toMatchObject({ compliant: 1 });
  });

  test('non-compliant: processing, tuning and transform tasks, and the aws-sdk integration', () => {
    const processing = runStates({ Prep: task('createProcessingJob', processingArgs({ NetworkConfig: undefined })) });
    expect(verdictOf(processing, 'P11', 'Machine')).toBe('non-compliant');
    expect(processing.of('P11')[0].message).toMatch(/Task state "Prep" \(sagemaker:createProcessingJob\): Parameters\.NetworkConfig\.EnableNetworkIsolation is absent/);
    expect(processing.of('P11')[0].locations).toEqual(['Properties.DefinitionString']);
    const tuning = runStates({ Tune: task('createHyperParameterTuningJob', { TrainingJobDefinition: trainingArgs({ EnableInterContainerTrafficEncryption: false }) }) });
    expect(tuning.of('P11')[0].message).toMatch(/Parameters\.TrainingJobDefinition\.EnableInterContainerTrafficEncryption is false/);
    const transform = runStates({ Score: task('createTransformJob', { TransformOutput: { S3OutputPath: 's3://o/' }, TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeKmsKeyId: KEY_ARN } }) });
    expect(transform.of('P11')[0].message).toMatch(/TransformOutput\.KmsKeyId is absent/);
    const sdk = runStates({ Train: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sagemaker:createTrainingJob', Parameters: trainingArgs({ VpcConfig: undefined }), End: true } });
    expect(verdictOf(sdk, 'P11', 'Machine')).toBe('non-compliant');
  });

  test('tasks nested in Parallel and Map states are checked', () => {
    const run = runStates({
      Fan: {
        Type: 'Parallel',
        End: true,
        Branches: [{ StartAt: 'Each', States: { Each: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'T', States: { T: task('createTrainingJob', trainingArgs({ EnableNetworkIsolation: false })) } } } } }],
      },
    });
    expect(verdictOf(run, 'P11', 'Machine')).toBe('non-compliant');
    expect(run.of('P11')[0].message).toMatch(/Task state "T"/);
  });

  test('unverifiable: a key given as a JSONPath (.$) or JSONata expression is known only at run time', () => {
    const jsonPath = runStates({ Train: task('createTrainingJob', trainingArgs({ 'EnableNetworkIsolation': undefined, 'EnableNetworkIsolation.$': '$.isolate' })) });
    expect(verdictOf(jsonPath, 'P11', 'Machine')).toBe('unverifiable');
    expect(jsonPath.of('P11')[0]).toMatchObject({ ruleName: 'SecureAI-P11[unverifiable]', level: 'warning' });
    expect(jsonPath.of('P11')[0].message).toMatch(/EnableNetworkIsolation\.\$ takes "\$\.isolate"/);
    const block = runStates({ Train: task('createTrainingJob', trainingArgs({ 'OutputDataConfig': undefined, 'OutputDataConfig.$': '$.output' })) });
    expect(verdictOf(block, 'P11', 'Machine')).toBe('unverifiable');
    const jsonata = runStates({ Train: task('createTrainingJob', trainingArgs({ EnableNetworkIsolation: '{% $states.input.isolate %}' }), 'Arguments') });
    expect(verdictOf(jsonata, 'P11', 'Machine')).toBe('unverifiable');
    expect(jsonata.of('P11')[0].message).toMatch(/Arguments\.EnableNetworkIsolation.*JSONata/);
  });

  test('not applicable: state machines without SageMaker job tasks, even when their definition cannot be parsed', () => {
    const run = validate({
      Resources: {
        Lambda: stateMachine({ DefinitionString: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } }) }),
        Broken: stateMachine({ DefinitionString: '{ not json' }),
      },
    });
    expect(run.of('P11')).toEqual([]);
    expect(run.tally('P11')).toMatchObject({ notApplicable: 2 });
  });

  test('unverifiable: an unparseable definition that runs SageMaker jobs; a definition in S3', () => {
    const run = validate({
      Resources: {
        Broken: stateMachine({ DefinitionString: '{"States": {"T": {"Resource": "arn:aws:states:::sagemaker:createTrainingJob.sync", ' }),
        InS3: stateMachine({ DefinitionS3Location: { Bucket: 'b', Key: 'k' } }),
      },
    });
    expect(verdictOf(run, 'P11', 'Broken')).toBe('unverifiable');
    expect(verdictOf(run, 'P11', 'InS3')).toBe('unverifiable');
    expect(run.of('P11').find((f) => f.logicalId === 'InS3')!.message).toMatch(/not inspectable/);
  });

  test('Definition as an object, and DefinitionSubstitutions, are read', () => {
    const object = validate({ Resources: { Machine: stateMachine({ Definition: { StartAt: 'T', States: { T: task('createTrainingJob', trainingArgs({ VpcConfig: undefined })) } } }) } });
    expect(verdictOf(object, 'P11', 'Machine')).toBe('non-compliant');
    const text = JSON.stringify({ StartAt: 'T', States: { T: task('createTrainingJob', trainingArgs({ EnableNetworkIsolation: '@X@' })) } }).replace('"@X@"', '${Isolate}');
    const substituted = (value: unknown) =>
      validate({ Resources: { Machine: stateMachine({ DefinitionString: text, DefinitionSubstitutions: { Isolate: value } }) } });
    expect(verdictOf(substituted(true), 'P11', 'Machine')).toBe('none');
    expect(verdictOf(substituted(false), 'P11', 'Machine')).toBe('non-compliant');
  });

  test('the definition CDK renders for SageMakerCreateTrainingJob (Fn::Join around references) is read', () => {
    const app = new App();
    const stack = new Stack(app, 'Cdk');
    const key = new kms.Key(stack, 'Key');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const train = new tasks.SageMakerCreateTrainingJob(stack, 'Train', {
      trainingJobName: sfn.JsonPath.stringAt('$.name'),
      algorithmSpecification: { algorithmName: 'BlazingText', trainingInputMode: tasks.InputMode.FILE },
      inputDataConfig: [{ channelName: 'train', dataSource: { s3DataSource: { s3Location: tasks.S3Location.fromJsonExpression('$.in') } } }],
      outputDataConfig: { s3OutputLocation: tasks.S3Location.fromJsonExpression('$.out'), encryptionKey: key },
      resourceConfig: { instanceCount: 2, instanceType: new ec2.InstanceType('m5.xlarge'), volumeSize: Size.gibibytes(50), volumeEncryptionKey: key },
      vpcConfig: { vpc },
      enableNetworkIsolation: true,
    });
    const machine = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(train) });
    const run = new ValidationRun(new SecureAiChecks().validateScope(app));
    const logicalId = stack.getLogicalId(machine.node.defaultChild as sfn.CfnStateMachine);
    // Everything but inter-container traffic encryption, which the CDK task cannot set.
    const findings = run.of('P11').filter((f) => f.logicalId === logicalId);
    expect(findings).toHaveLength(1);
    expect(findings[0].ruleName).toBe('SecureAI-P11');
    expect(findings[0].message).toMatch(/^Task state "Train" \(sagemaker:createTrainingJob\): Parameters\.EnableInterContainerTrafficEncryption is absent \(default false\)[^;]*$/);
  });
});
