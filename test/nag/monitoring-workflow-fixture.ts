// Template fragments of an endpoint whose drift is monitored by a scheduled Step Functions state machine running a
// SageMaker processing job over its captures (what InferenceEndpoint's DriftMonitor builds), for the monitoring rules.
import { TemplateFixture } from './harness';

type Resources = TemplateFixture['Resources'];

export const KEY_ARN = 'arn:aws:kms:eu-west-2:111122223333:key/abc';
/** Where, in a definition built by `definitionOf`, the capture bucket's name (a `Ref`) goes. */
export const CAPTURES = '@@CAPTURES@@';
/** The capture input of one hourly window, as the DriftMonitor computes it. */
export const WINDOW_URI = `{% 's3://${CAPTURES}/captures/fraud/AllTraffic/' & $window & '/' %}`;

export const input = (InputName: string, S3Uri: unknown) => ({
  InputName,
  S3Input: { S3Uri, LocalPath: `/opt/ml/processing/input/${InputName}`, S3DataType: 'S3Prefix', S3InputMode: 'File' },
});

/** The arguments of a processing job that reads `inputs`, isolated and encrypted unless overridden. */
export function monitoringArgs(overrides: Record<string, unknown> = {}, inputs: unknown[] = [
  input('baseline', 's3://models/fraud/baseline/reference.csv'), input('capture', WINDOW_URI),
]): Record<string, unknown> {
  return {
    ProcessingJobName: '{% $jobName %}',
    RoleArn: 'arn:aws:iam::111122223333:role/monitor',
    AppSpecification: { ImageUri: 'img' },
    ProcessingInputs: inputs,
    ProcessingOutputConfig: { KmsKeyId: KEY_ARN, Outputs: [{ OutputName: 'report', S3Output: { S3Uri: 's3://reports/x/', LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }] },
    ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30, VolumeKmsKeyId: KEY_ARN } },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true, VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] } },
    ...overrides,
  };
}

/** A JSONata state machine definition whose one task runs a processing job with `args`. */
export function definitionOf(args: unknown, argsKey = 'Arguments'): Record<string, unknown> {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Window',
    States: {
      Window: { Type: 'Pass', Assign: { window: '{% $fromMillis($toMillis($states.input.scheduledTime) - 3600000, \'[Y0001]/[M01]/[D01]/[H01]\') %}' }, Next: 'DetectDrift' },
      DetectDrift: { Type: 'Task', Resource: 'arn:aws:states:::sagemaker:createProcessingJob.sync', [argsKey]: args, End: true },
    },
  };
}

/** The definition as a template writes it: an `Fn::Join` with the capture bucket's `Ref` wherever `CAPTURES` stands. */
export function definitionString(definition: unknown): unknown {
  const pieces = JSON.stringify(definition).split(CAPTURES);
  return { 'Fn::Join': ['', pieces.flatMap((piece, i) => (i === 0 ? [piece] : [{ Ref: 'Captures' }, piece]))] };
}

export const stateMachine = (definition: unknown, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::StepFunctions::StateMachine',
  Properties: { RoleArn: 'arn:aws:iam::111122223333:role/sfn', DefinitionString: definitionString(definition), ...extra },
});

export const schedule = (extra: Record<string, unknown> = {}, target: unknown = { Ref: 'Monitor' }) => ({
  Type: 'AWS::Scheduler::Schedule',
  Properties: {
    ScheduleExpression: 'cron(15 * * * ? *)',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: target, RoleArn: 'arn:aws:iam::111122223333:role/scheduler', Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}' },
    ...extra,
  },
});

/** An endpoint `fraud` capturing into `s3://<Captures>/captures`, its configuration and its capture bucket. */
export function capturingEndpoint(): Resources {
  return {
    Captures: { Type: 'AWS::S3::Bucket', Properties: {} },
    Config: {
      Type: 'AWS::SageMaker::EndpointConfig',
      Properties: {
        ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm', InitialInstanceCount: 2, InstanceType: 'ml.m5.xlarge' }],
        DataCaptureConfig: {
          EnableCapture: true,
          InitialSamplingPercentage: 100,
          DestinationS3Uri: { 'Fn::Join': ['', ['s3://', { Ref: 'Captures' }, '/captures']] },
          CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        },
      },
    },
    Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointName: 'fraud', EndpointConfigName: { 'Fn::GetAtt': ['Config', 'EndpointConfigName'] } } },
  };
}

/** The endpoint, the state machine `Monitor` running a processing job with `args`, and the hourly `Schedule` that starts it. */
export function monitoredByWorkflow(args: unknown = monitoringArgs(), extra: Resources = {}): Resources {
  return { ...capturingEndpoint(), Monitor: stateMachine(definitionOf(args)), Schedule: schedule(), ...extra };
}
