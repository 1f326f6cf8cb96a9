import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { TrainingJobState, TrainingJobStateProps } from '../../src/training/training-job-state';

function state(overrides: Partial<TrainingJobStateProps> = {}): { stack: Stack; json: any; train: TrainingJobState } {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-2' } });
  const key = new kms.Key(stack, 'Key');
  const train = new TrainingJobState(stack, 'Train', {
    jobNamePrefix: 'fraud',
    role: new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') }),
    imageUri: '111111111111.dkr.ecr.eu-west-2.amazonaws.com/train:v1',
    channels: [{ channelName: 'train', uri: 's3://data/train/' }],
    outputPath: 's3://artifacts/training/fraud',
    outputKey: key,
    volumeKey: key,
    instanceType: 'ml.m5.xlarge',
    instanceCount: 1,
    volumeSizeInGb: 30,
    maxRuntimeInSeconds: 3600,
    subnetIds: ['subnet-1', 'subnet-2'],
    securityGroupIds: ['sg-1'],
    ...overrides,
  });
  return { stack, train, json: stack.resolve((train as sfn.State).toStateJson()) };
}

describe('TrainingJobState', () => {
  test('renders a createTrainingJob.sync task with isolation, encryption, VPC and a runtime limit', () => {
    const { json } = state();
    expect(json.Type).toBe('Task');
    expect(json.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:::sagemaker:createTrainingJob.sync']] });
    expect(json.Parameters).toMatchObject({
      'TrainingJobName.$': 'States.Format(\'fraud-{}\', States.UUID())',
      'EnableNetworkIsolation': true,
      'EnableInterContainerTrafficEncryption': true,
      'VpcConfig': { Subnets: ['subnet-1', 'subnet-2'], SecurityGroupIds: ['sg-1'] },
      'StoppingCondition': { MaxRuntimeInSeconds: 3600 },
      'InputDataConfig': [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://data/train/', S3DataDistributionType: 'FullyReplicated' } } }],
    });
    expect(json.Parameters.OutputDataConfig.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
    expect(json.Parameters.ResourceConfig.VolumeKmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
    // No channel content type and no hyperparameters: the fields are left out, not empty.
    expect(json.Parameters.InputDataConfig[0].ContentType).toBeUndefined();
    expect(json.Parameters.HyperParameters).toBeUndefined();
  });

  test('an empty hyperparameter map is left out', () => {
    expect(state({ hyperparameters: {} }).json.Parameters.HyperParameters).toBeUndefined();
    expect(state({ hyperparameters: { epochs: '3' } }).json.Parameters.HyperParameters).toEqual({ epochs: '3' });
  });

  test('its policy statements are scoped to the job prefix, the execution role and Step Functions\' event rule', () => {
    const { stack, train } = state();
    const statements = train.policyStatements.map((s) => stack.resolve(s.toStatementJson()));
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'sagemaker:ListTags'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-2:111111111111:training-job/fraud-*']] },
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Role/), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      },
      {
        Effect: 'Allow',
        Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-2:111111111111:rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule']] },
      },
    ]);
  });
});
