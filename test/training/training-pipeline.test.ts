import { App, CfnElement, Duration, Lazy, Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as logs from 'aws-cdk-lib/aws-logs';
import { fixture, Fixture, pipeline, pipelineProps, S3_PREFIX_LIST, TRAIN_DIGEST, VALIDATION_DIGEST } from './fixture';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEndpointService } from '../../src/environment/ai-endpoint-service';
import { SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { ModelCard } from '../../src/registry/model-card';
import { ModelImage } from '../../src/registry/model-image';
import { ModelRiskRating } from '../../src/registry/model-risk-rating';
import { ArtifactSignerSetting } from '../../src/training/artifact-signer-settings';
import { TrainingPipeline, TrainingPipelineProps } from '../../src/training/training-pipeline';
import { backUpAiStores, canaryFindings, checkCompliance, isReasoned, silentPacks } from '../compliance';
import { ValidationRun } from '../nag/harness';

type Json = any;

/** A CloudFormation value as text: references become `<Ref:Id>` / `<GetAtt:Id.Attr>`, other intrinsics `<Fn>`. */
function text(value: Json): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (value.Ref) return `<Ref:${value.Ref}>`;
  if (value['Fn::GetAtt']) return `<GetAtt:${value['Fn::GetAtt'].join('.')}>`;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(text).join(value['Fn::Join'][0]);
  return `<${Object.keys(value)[0]}>`;
}

/** The state machine's definition, parsed, with references as text. */
function definitionOf(t: Template): Json {
  const machines = Object.values(t.findResources('AWS::StepFunctions::StateMachine'));
  expect(machines).toHaveLength(1);
  return JSON.parse(text((machines[0] as Json).Properties.DefinitionString));
}

function idOf(t: Template, type: string, pattern: RegExp): string {
  const ids = Object.keys(t.findResources(type)).filter((id) => pattern.test(id));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** Every statement of the policies attached to a role. */
function statementsOf(t: Template, roleId: string): Json[] {
  return Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p: Json) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap((p: Json) => p.Properties.PolicyDocument.Statement);
}

function statementWith(statements: Json[], action: string): Json[] {
  return statements.filter((s) => [s.Action].flat().includes(action));
}

describe('TrainingPipeline defaults', () => {
  const { stack, pipeline: p } = pipeline(new App());
  const t = Template.fromStack(stack);
  const definition = definitionOf(t);
  const train = definition.States.Train;
  const dataKey = `<GetAtt:${idOf(t, 'AWS::KMS::Key', /^EnvDataKey/)}.Arn>`;
  const logKey = idOf(t, 'AWS::KMS::Key', /^EnvLogKey/);
  const jobSg = idOf(t, 'AWS::EC2::SecurityGroup', /Fraud.*Job[0-9A-F]{8}$/);
  const signerSg = idOf(t, 'AWS::EC2::SecurityGroup', /Fraud.*Signer[0-9A-F]{8}$/);
  const executionRole = idOf(t, 'AWS::IAM::Role', /^FraudExecutionRole/);
  const signingRole = idOf(t, 'AWS::IAM::Role', /^FraudSigningRole/);
  const machineRole = idOf(t, 'AWS::IAM::Role', /^FraudStateMachineRole/);
  const workloadSubnets = Object.keys(t.findResources('AWS::EC2::Subnet')).filter((id) => /Workload/.test(id)).map((id) => `<Ref:${id}>`);

  test('the state machine logs every event with its data to an encrypted, retained log group, and traces with X-Ray', () => {
    const logGroup = idOf(t, 'AWS::Logs::LogGroup', /^FraudLogs/);
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroup, 'Arn'] } } }] },
      TracingConfiguration: { Enabled: true },
    });
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/'), KmsKeyId: { 'Fn::GetAtt': [logKey, 'Arn'] }, RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
    // The execution may last the job's maximum runtime plus two hours (start-up, data download, signing).
    expect(definition.TimeoutSeconds).toBe(86400 + 7200);
  });

  test('pin the single-object inputs, train, then sign, then succeed; every failure ends in the Fail state with the error', () => {
    expect(definition.StartAt).toBe('Pin1');
    expect(definition.States.Pin1.Next).toBe('Train');
    expect(train.Next).toBe('SignAndRegister');
    expect(definition.States.SignAndRegister.Next).toBe('Registered');
    expect(definition.States.Registered.Type).toBe('Succeed');
    for (const state of [definition.States.Pin1, train, definition.States.SignAndRegister]) {
      expect(state.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }]);
    }
    expect(definition.States.Failed).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  test('before the job, the version of each single-object input (not of prefixes) is recorded for the signing step', () => {
    const data = idOf(t, 'AWS::S3::Bucket', /^Data/);
    expect(Object.keys(definition.States).filter((name) => name.startsWith('Pin'))).toEqual(['Pin1']);
    expect(definition.States.Pin1).toMatchObject({
      Type: 'Task',
      Resource: 'arn:<Ref:AWS::Partition>:states:::aws-sdk:s3:headObject',
      Parameters: { Bucket: `<Ref:${data}>`, Key: 'fraud/2026-11/train.csv' },
      ResultSelector: { 'VersionId.$': '$.VersionId' },
      ResultPath: '$.pinned.c0',
    });
    // HeadObject is authorized by s3:GetObject: the state machine may read that object's metadata, nothing else of the bucket.
    expect(statementWith(statementsOf(t, machineRole), 's3:GetObject')).toEqual([expect.objectContaining({
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [data, 'Arn'] }, '/fraud/2026-11/train.csv']] },
    })]);
  });

  test('the training job is network-isolated, encrypted, in the environment\'s subnets, bounded in time', () => {
    expect(train.Type).toBe('Task');
    expect(train.Resource).toBe('arn:<Ref:AWS::Partition>:states:::sagemaker:createTrainingJob.sync');
    expect(train.Parameters).toMatchObject({
      'TrainingJobName.$': `States.Format('${p.jobNamePrefix}-{}', States.UUID())`,
      'RoleArn': `<GetAtt:${executionRole}.Arn>`,
      'EnableNetworkIsolation': true,
      'EnableInterContainerTrafficEncryption': true,
      'OutputDataConfig': { S3OutputPath: `s3://<Ref:${idOf(t, 'AWS::S3::Bucket', /^RegistryArtifacts/)}>/training/${p.jobNamePrefix}`, KmsKeyId: dataKey },
      'ResourceConfig': { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30, VolumeKmsKeyId: dataKey },
      'StoppingCondition': { MaxRuntimeInSeconds: 86400 },
      'HyperParameters': { epochs: '10', learning_rate: '0.01' },
      'VpcConfig': { Subnets: workloadSubnets, SecurityGroupIds: [`<GetAtt:${jobSg}.GroupId>`] },
    });
    expect(workloadSubnets).toHaveLength(2);
    expect(train.Parameters.AlgorithmSpecification).toEqual({ TrainingImage: expect.stringMatching(/\/<Ref:Images[0-9A-F]+>:v1\.2\.0$/), TrainingInputMode: 'File' });
    const data = `<Ref:${idOf(t, 'AWS::S3::Bucket', /^Data/)}>`;
    expect(train.Parameters.InputDataConfig).toEqual([
      { ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${data}/fraud/2026-11/train.csv`, S3DataDistributionType: 'FullyReplicated' } } },
      { ChannelName: 'validation', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${data}/fraud/2026-11/validation/`, S3DataDistributionType: 'FullyReplicated' } } },
    ]);
    // Only the job's name, ARN and artifacts travel on to the signing step.
    expect(train.ResultSelector).toEqual({ 'TrainingJobName.$': '$.TrainingJobName', 'TrainingJobArn.$': '$.TrainingJobArn', 'ModelArtifacts.$': '$.ModelArtifacts' });
  });

  test('SecureAI-P11 reads the state machine\'s training job and finds it compliant (not merely not applicable)', () => {
    const run = new ValidationRun(new SecureAiChecks().validateScope(stack));
    expect(run.tally('P11')).toMatchObject({ evaluated: 1, compliant: 1, nonCompliant: 0, notApplicable: 0, unverifiable: 0 });
  });

  test('the signing step gets the job\'s name, its execution and the pinned versions, from the version deployed with the state machine', () => {
    const sign = definition.States.SignAndRegister;
    const version = idOf(t, 'AWS::Lambda::Version', /^FraudSigningFunctionCurrentVersion/);
    expect(sign.Resource).toBe('arn:<Ref:AWS::Partition>:states:::lambda:invoke');
    // The job's name, the execution (which the step confirms started it) and the pinned versions; nothing else.
    expect(sign.Parameters).toEqual({
      FunctionName: `<Ref:${version}>`,
      Payload: { 'trainingJobName.$': '$.trainingJob.TrainingJobName', 'executionArn.$': '$$.Execution.Id', 'inputVersions': { 'train.$': '$.pinned.c0.VersionId' } },
    });
    expect(sign.Retry).toEqual(expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['Lambda.TooManyRequestsException'] })]));
    expect(statementWith(statementsOf(t, machineRole), 'lambda:InvokeFunction')).toEqual([expect.objectContaining({ Resource: { Ref: version } })]);
  });

  test('the training job\'s security group has no ingress and reaches only the endpoints and S3 on HTTPS', () => {
    const sg = t.findResources('AWS::EC2::SecurityGroup')[jobSg] as Json;
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    expect(Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).filter((r: Json) => r.Properties.GroupId['Fn::GetAtt']?.[0] === jobSg)).toEqual([]);
    const egress = [
      ...(sg.Properties.SecurityGroupEgress ?? []),
      ...Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')).filter((r: Json) => r.Properties.GroupId['Fn::GetAtt']?.[0] === jobSg).map((r: Json) => r.Properties),
    ];
    expect(egress).toHaveLength(2);
    expect(egress).toEqual(expect.arrayContaining([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationSecurityGroupId: { 'Fn::GetAtt': [idOf(t, 'AWS::EC2::SecurityGroup', /^EnvEndpointSecurityGroup/), 'GroupId'] } }),
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: S3_PREFIX_LIST }),
    ]));
  });

  test('the execution role is assumed by SageMaker for this account only and carries the environment\'s boundary', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'sagemaker.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } }] },
      PermissionsBoundary: { Ref: idOf(t, 'AWS::IAM::ManagedPolicy', /^EnvBoundary/) },
    });
    const roles = t.findResources('AWS::IAM::Role');
    for (const id of [executionRole, signingRole, machineRole]) expect(roles[id].Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('the execution role reads only the declared data, writes only the pipeline\'s prefix and pulls only its image', () => {
    const statements = statementsOf(t, executionRole);
    const data = idOf(t, 'AWS::S3::Bucket', /^Data/);
    const artifacts = idOf(t, 'AWS::S3::Bucket', /^RegistryArtifacts/);
    const reads = statementWith(statements, 's3:GetObject*').map((s) => s.Resource[1]);
    expect(reads).toEqual([
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [data, 'Arn'] }, '/fraud/2026-11/train.csv']] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [data, 'Arn'] }, '/fraud/2026-11/validation/*']] },
    ]);
    expect(statementWith(statements, 's3:PutObject').map((s) => s.Resource)).toEqual([
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [artifacts, 'Arn'] }, `/training/${p.jobNamePrefix}/*`]] },
    ]);
    expect(statementWith(statements, 'kms:CreateGrant')).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [idOf(t, 'AWS::KMS::Key', /^EnvDataKey/), 'Arn'] } })]);
    expect(statementWith(statements, 'ecr:BatchGetImage')).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [idOf(t, 'AWS::ECR::Repository', /^Images/), 'Arn'] } })]);
    // Network interfaces only in the environment's VPC; metrics only in SageMaker's training namespace.
    expect(statementWith(statements, 'ec2:CreateNetworkInterface')[0].Condition.ArnEqualsIfExists['ec2:Vpc']).toBeDefined();
    expect(statementWith(statements, 'cloudwatch:PutMetricData')[0].Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/TrainingJobs' } });
    // Nothing wildcards actions of a whole service.
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a: string) => /^[a-z0-9-]+:\*$/.test(a) || a === '*')).toEqual([]);
  });

  test('the state machine may create and stop only jobs of the pipeline\'s prefix, and pass only the execution role to SageMaker', () => {
    const statements = statementsOf(t, machineRole);
    expect(statementWith(statements, 'sagemaker:CreateTrainingJob')).toEqual([expect.objectContaining({
      Action: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'sagemaker:ListTags'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sagemaker:us-east-1:111111111111:training-job/${p.jobNamePrefix}-*`]] },
    })]);
    expect(statementWith(statements, 'iam:PassRole')).toEqual([expect.objectContaining({
      Resource: { 'Fn::GetAtt': [executionRole, 'Arn'] }, Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    })]);
    expect(text(statementWith(statements, 'events:PutRule')[0].Resource)).toBe('arn:<Ref:AWS::Partition>:events:us-east-1:111111111111:rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule');
  });

  test('the signing function runs on Node.js 26, the newest Lambda runtime, in the environment\'s subnets, with reserved concurrency and an encrypted, retained log group', () => {
    const logGroup = idOf(t, 'AWS::Logs::LogGroup', /^FraudSigningLogs/);
    t.hasResource('AWS::Logs::LogGroup', { Properties: { KmsKeyId: { 'Fn::GetAtt': [logKey, 'Arn'] }, RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs26.x',
      Handler: 'index.handler',
      Timeout: 900,
      ReservedConcurrentExecutions: 2,
      Role: { 'Fn::GetAtt': [signingRole, 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: logGroup } },
      VpcConfig: { SubnetIds: workloadSubnets.map((s) => ({ Ref: s.slice(5, -1) })), SecurityGroupIds: [{ 'Fn::GetAtt': [signerSg, 'GroupId'] }] },
    });
    const sg = t.findResources('AWS::EC2::SecurityGroup')[signerSg] as Json;
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: { 'Fn::GetAtt': [signerSg, 'GroupId'] }, DestinationPrefixListId: S3_PREFIX_LIST, FromPort: 443 });
  });

  test('the signing function is configured with the registry\'s key and group, the output location and the declared digests', () => {
    const fn = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Role: { 'Fn::GetAtt': [signingRole, 'Arn'] } } }))[0] as Json;
    const variables = fn.Properties.Environment.Variables;
    expect(variables[ArtifactSignerSetting.SIGNING_KEY_ARN]).toEqual({ 'Fn::GetAtt': [idOf(t, 'AWS::KMS::Key', /^RegistrySigningKey/), 'Arn'] });
    expect(variables[ArtifactSignerSetting.MODEL_PACKAGE_GROUP_NAME]).toBe('fraud');
    expect(variables[ArtifactSignerSetting.TRAINING_JOB_NAME_PREFIX]).toBe(p.jobNamePrefix);
    expect(variables[ArtifactSignerSetting.ARTIFACT_BUCKET]).toEqual({ Ref: idOf(t, 'AWS::S3::Bucket', /^RegistryArtifacts/) });
    const data = `<Ref:${idOf(t, 'AWS::S3::Bucket', /^Data/)}>`;
    expect(JSON.parse(text(variables[ArtifactSignerSetting.TRAINING_JOB])).inputs).toEqual([
      { channelName: 'train', uri: `s3://${data}/fraud/2026-11/train.csv`, sha256: TRAIN_DIGEST, singleObject: true },
      { channelName: 'validation', uri: `s3://${data}/fraud/2026-11/validation/`, sha256: VALIDATION_DIGEST, singleObject: false },
    ]);
  });

  test('the signing role may sign with the registry key, describe the pipeline\'s jobs, and read back and write beside only its artifacts', () => {
    const statements = statementsOf(t, signingRole);
    const signingKey = idOf(t, 'AWS::KMS::Key', /^RegistrySigningKey/);
    expect(statementWith(statements, 'kms:Sign')).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [signingKey, 'Arn'] } })]);
    expect(statementWith(statements, 'sagemaker:CreateModelPackage')).toHaveLength(1);
    expect(text(statementWith(statements, 'sagemaker:DescribeTrainingJob')[0].Resource)).toBe(`arn:<Ref:AWS::Partition>:sagemaker:us-east-1:111111111111:training-job/${p.jobNamePrefix}-*`);
    const artifacts = idOf(t, 'AWS::S3::Bucket', /^RegistryArtifacts/);
    const data = idOf(t, 'AWS::S3::Bucket', /^Data/);
    expect(statementWith(statements, 's3:GetObject*').map((s) => s.Resource[1])).toEqual([
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [artifacts, 'Arn'] }, `/training/${p.jobNamePrefix}/*`]] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [data, 'Arn'] }, '/fraud/2026-11/train.csv']] },
    ]);
    // It writes only the registered copies (verified/<sha256>/), never the training output it reads.
    expect(statementWith(statements, 's3:PutObject').map((s) => s.Resource)).toEqual([
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [artifacts, 'Arn'] }, '/verified/*']] },
    ]);
    // It confirms the execution of its own state machine and reads the image's digest from its repository.
    const machine = idOf(t, 'AWS::StepFunctions::StateMachine', /^FraudStateMachine/);
    const machineName = (t.findResources('AWS::StepFunctions::StateMachine')[machine] as Json).Properties.StateMachineName;
    expect(statementWith(statements, 'states:DescribeExecution').map((s) => text(s.Resource)))
      .toEqual([`arn:<Ref:AWS::Partition>:states:us-east-1:111111111111:execution:${machineName}:*`]);
    expect(statementWith(statements, 'ecr:DescribeImages')).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [idOf(t, 'AWS::ECR::Repository', /^Images/), 'Arn'] } })]);
    // The signing key's policy denies kms:Sign to everyone but the signing role (and the account root).
    const key = t.findResources('AWS::KMS::Key')[signingKey] as Json;
    const deny = key.Properties.KeyPolicy.Statement.find((s: Json) => s.Sid === 'SignOnlyByPublishers');
    expect(deny.Condition.ArnNotEquals['aws:PrincipalArn']).toEqual(expect.arrayContaining([{ 'Fn::GetAtt': [signingRole, 'Arn'] }]));
  });
});

describe('TrainingPipeline options', () => {
  function build(overrides: Partial<TrainingPipelineProps> = {}, f: Fixture = fixture(new App())): { t: Template; f: Fixture; p: TrainingPipeline } {
    const p = new TrainingPipeline(f.stack, 'Fraud', pipelineProps(f, overrides));
    return { t: Template.fromStack(f.stack), f, p };
  }

  test('distributed training lets the job\'s instances reach each other, and nothing else in', () => {
    const { t } = build({ instanceCount: 3, instanceType: 'ml.c5.2xlarge', volumeSize: Size.gibibytes(100), maxRuntime: Duration.hours(6) });
    const jobSg = idOf(t, 'AWS::EC2::SecurityGroup', /Fraud.*Job[0-9A-F]{8}$/);
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map((r: Json) => r.Properties).filter((r) => r.GroupId['Fn::GetAtt'][0] === jobSg);
    expect(ingress).toEqual([expect.objectContaining({ IpProtocol: '-1', SourceSecurityGroupId: { 'Fn::GetAtt': [jobSg, 'GroupId'] } })]);
    expect(definitionOf(t).States.Train.Parameters).toMatchObject({
      ResourceConfig: { InstanceType: 'ml.c5.2xlarge', InstanceCount: 3, VolumeSizeInGB: 100 },
      StoppingCondition: { MaxRuntimeInSeconds: 6 * 3600 },
    });
    expect(definitionOf(t).TimeoutSeconds).toBe(8 * 3600);
  });

  test('job name prefix, output prefix, concurrency and retention can be set', () => {
    const { t } = build({ jobNamePrefix: 'fraud', outputPrefix: 'models/fraud', signingConcurrency: 5, logRetention: logs.RetentionDays.FIVE_YEARS });
    const train = definitionOf(t).States.Train;
    expect(train.Parameters['TrainingJobName.$']).toBe('States.Format(\'fraud-{}\', States.UUID())');
    expect(train.Parameters.OutputDataConfig.S3OutputPath).toMatch(/\/models\/fraud$/);
    t.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5 });
    expect(Object.values(t.findResources('AWS::Logs::LogGroup')).filter((g: Json) => g.Properties.RetentionInDays === 1827)).toHaveLength(2);
  });

  test('no hyperparameters means no HyperParameters field', () => {
    const { t } = build({ hyperparameters: undefined });
    expect(definitionOf(t).States.Train.Parameters.HyperParameters).toBeUndefined();
  });

  test('the registry\'s own artifact key encrypts the output when it shares artifacts with reader accounts', () => {
    const { t } = build({}, fixture(new App(), {}, { readerAccounts: ['222222222222'] }));
    const parameters = definitionOf(t).States.Train.Parameters;
    expect(parameters.OutputDataConfig.KmsKeyId).toBe(`<GetAtt:${idOf(t, 'AWS::KMS::Key', /^RegistryArtifactKey/)}.Arn>`);
    expect(parameters.ResourceConfig.VolumeKmsKeyId).toBe(`<GetAtt:${idOf(t, 'AWS::KMS::Key', /^EnvDataKey/)}.Arn>`);
  });

  test('an external image is accepted with a reason, which is recorded on the state machine', () => {
    const f = fixture(new App());
    const { t } = build({ image: ModelImage.fromUri('docker.io/library/python:3.12'), allowExternalImage: 'Vetted by the ML platform team: CVE scan and SBOM review in ticket SEC-1234.' }, f);
    const machine = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0] as Json;
    expect(JSON.stringify(machine.Metadata)).toContain('SEC-1234');
    expect(definitionOf(t).States.Train.Parameters.AlgorithmSpecification.TrainingImage).toBe('docker.io/library/python:3.12');
  });

  test('an image pinned by digest needs no reason', () => {
    expect(() => build({ image: ModelImage.fromPinnedUri(`public.ecr.aws/acme/train@sha256:${'c'.repeat(64)}`) })).not.toThrow();
  });

  test('a development environment accepts a shorter log retention', () => {
    const f = fixture(new App(), { stage: EnvironmentStage.DEVELOPMENT, maxAzs: 1 });
    expect(() => build({ logRetention: logs.RetentionDays.ONE_MONTH }, f)).not.toThrow();
  });
});

describe('TrainingPipeline refuses bad props with the prop and the fix', () => {
  let built = 0;
  /** A pipeline on `f`; each attempt on the same fixture gets its own id (`Fraud`, `Fraud2`, ...). */
  function attempt(overrides: Partial<TrainingPipelineProps>, f: Fixture = fixture(new App())): () => TrainingPipeline {
    const id = built++ === 0 ? 'Fraud' : `Fraud${built}`;
    return () => new TrainingPipeline(f.stack, id, pipelineProps(f, overrides));
  }
  const data = (f: Fixture, i: number) => ({ channelName: `c${i}`, bucket: f.data, key: `k${i}.csv`, sha256: TRAIN_DIGEST });

  test.each([
    ['instanceType', { instanceType: 'm5.xlarge' }, /instanceType 'm5\.xlarge' is not a SageMaker instance type\. Fix: .*ml\.m5\.xlarge/],
    ['instanceType', { instanceType: 'ml.g5.2xlarge' }, /instanceType 'ml\.g5\.2xlarge' has local NVMe instance storage.*Fix: choose an instance type whose storage is EBS/],
    ['instanceCount', { instanceCount: 0 }, /instanceCount is 0, but it must be a whole number between 1 and 1000\. Fix/],
    ['instanceCount', { instanceCount: 1.5 }, /instanceCount is 1\.5.*Fix/],
    ['volumeSize', { volumeSize: Size.gibibytes(0) }, /volumeSize is 0 GiB.*Fix: give Size\.gibibytes/],
    ['volumeSize', { volumeSize: Size.mebibytes(1536) }, /volumeSize 1536 MiB is not a whole number of GiB\. Fix/],
    ['maxRuntime', { maxRuntime: Duration.seconds(30) }, /maxRuntime is 30 seconds, but a training job may run from one minute to 28 days.*Fix/],
    ['maxRuntime', { maxRuntime: Duration.days(29) }, /maxRuntime is 29 days.*Fix/],
    ['hyperparameters', { hyperparameters: { db_password: 'hunter2' } }, /hyperparameters\['db_password'\] looks like a credential.*Fix: remove it/],
    ['hyperparameters', { hyperparameters: { HF_TOKEN: 'x' } }, /hyperparameters\['HF_TOKEN'\] looks like a credential/],
    ['hyperparameters', { hyperparameters: { ['n'.repeat(257)]: '1' } }, /hyperparameters name 'n+' is 257 characters long\. Fix/],
    ['hyperparameters', { hyperparameters: { epochs: 'x'.repeat(2501) } }, /hyperparameters\['epochs'\] must be a literal string of at most 2500 characters \(the signing step compares .*\)\. Fix/],
    ['hyperparameters', { hyperparameters: { epochs: Lazy.string({ produce: () => '10' }) } }, /hyperparameters\['epochs'\] must be a literal string/],
    ['hyperparameters', { hyperparameters: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}`, '1'])) }, /hyperparameters has 101 entries.*Fix/],
    ['logRetention', { logRetention: logs.RetentionDays.ONE_MONTH }, /logRetention is 30 days, too short for production.*Fix: give logs\.RetentionDays\.ONE_YEAR/],
    ['signingConcurrency', { signingConcurrency: 0 }, /signingConcurrency is 0, but it must be a whole number between 1 and 100\. Fix/],
    ['s3PrefixListId', { s3PrefixListId: 's3' }, /s3PrefixListId 's3' is not a prefix list ID\. Fix: .*describe-managed-prefix-lists/],
    ['jobNamePrefix', { jobNamePrefix: 'fraud_detection' }, /jobNamePrefix 'fraud_detection' is not a valid training job name prefix\. Fix/],
    ['jobNamePrefix', { jobNamePrefix: 'a'.repeat(27) }, /jobNamePrefix 'a{27}' is not a valid.*at most 63 characters/],
    ['outputPrefix', { outputPrefix: '/models/' }, /outputPrefix '\/models\/' is not a usable key prefix\. Fix: .*without a slash at either end/],
    ['outputPrefix', { outputPrefix: 'models//fraud' }, /outputPrefix 'models\/\/fraud' is not a usable key prefix/],
  ] as Array<[string, Partial<TrainingPipelineProps>, RegExp]>)('%s: %j', (_prop, overrides, message) => {
    expect(attempt(overrides)).toThrow(message);
  });

  test('every message names the construct', () => {
    expect(attempt({ instanceCount: 0 })).toThrow(/^TrainingPipeline Fraud\d*: /);
  });

  test('trainingData: count, channel names, key or prefix, digests, size', () => {
    const f = fixture(new App());
    expect(attempt({ trainingData: [] }, f)).toThrow(/trainingData has 0 channels, but a training job takes 1 to 20\. Fix/);
    expect(attempt({ trainingData: Array.from({ length: 21 }, (_, i) => data(f, i)) }, f)).toThrow(/trainingData has 21 channels/);
    expect(attempt({ trainingData: [{ ...data(f, 0), channelName: 'train data' }] }, f)).toThrow(/trainingData\[0\]\.channelName 'train data' is not a channel name\. Fix/);
    expect(attempt({ trainingData: [data(f, 0), { ...data(f, 1), channelName: 'c0' }] }, f)).toThrow(/trainingData\[1\]\.channelName 'c0' is used twice\. Fix/);
    expect(attempt({ trainingData: [{ channelName: 'train', bucket: f.data, sha256: TRAIN_DIGEST }] }, f)).toThrow(/trainingData\[0\] \(channel train\) gives neither key nor prefix\. Fix/);
    expect(attempt({ trainingData: [{ ...data(f, 0), prefix: 'x/' }] }, f)).toThrow(/gives both key and prefix\. Fix/);
    expect(attempt({ trainingData: [{ ...data(f, 0), key: 'data/' }] }, f)).toThrow(/trainingData\[0\]\.key 'data\/' ends with '\/'.*Fix: give prefix 'data\/'/);
    expect(attempt({ trainingData: [{ channelName: 'train', bucket: f.data, prefix: 'data/train', sha256: TRAIN_DIGEST }] }, f))
      .toThrow(/trainingData\[0\]\.prefix 'data\/train' does not end with '\/'.*Fix: end it with '\/' \('data\/train\/'\)/);
    expect(attempt({ trainingData: [{ ...data(f, 0), key: '/data.csv' }] }, f)).toThrow(/trainingData\[0\]\.key '\/data\.csv' is not a literal S3 key\. Fix/);
    expect(attempt({ trainingData: [{ ...data(f, 0), sha256: 'A'.repeat(64) }] }, f)).toThrow(/trainingData\[0\]\.sha256 'A{64}' is not a SHA-256 digest\. Fix/);
    expect(attempt({ trainingData: Array.from({ length: 20 }, (_, i) => ({ ...data(f, i), key: `${'k'.repeat(120)}${i}` })) }, f))
      .toThrow(/trainingData takes about \d+ bytes of the signing step's configuration.*Fix/);
  });

  test('image: an unvetted repository is refused unless allowExternalImage gives a reason', () => {
    const f = fixture(new App());
    const mutable = ModelImage.fromEcrRepository(new ecr.Repository(f.stack, 'Mutable'), 'latest');
    expect(attempt({ image: mutable }, f)).toThrow(/TrainingPipeline Fraud\d*: image .* mutable tags.*Fix: .*allowExternalImage/);
    const g = fixture(new App());
    expect(attempt({ image: ModelImage.fromUri('python:3.12'), allowExternalImage: 'ok' }, g)).toThrow(/allowExternalImage is too short.*Fix/);
  });

  test('environment: the signing step needs the KMS and SageMaker API endpoints', () => {
    const f = fixture(new App(), { endpoints: [AiEndpointService.STEP_FUNCTIONS, AiEndpointService.CLOUDWATCH_LOGS] });
    expect(attempt({}, f)).toThrow(/the environment has no interface endpoint for kms and sagemaker\.api.*Fix: include AiEndpointService\.KMS and AiEndpointService\.SAGEMAKER_API/);
  });
});

describe('TrainingPipeline on a GPU type with local NVMe storage, with allowHardwareEncryptedStorage', () => {
  const REASON = 'Fine-tuning the 7B model needs the A10G GPUs of ml.g5, whose NVMe storage SageMaker encrypts in hardware.';
  /** The environment's boundary policy and its volume-key deny. */
  const boundaryStatement = (t: Template) => {
    const policies = Object.values(t.findResources('AWS::IAM::ManagedPolicy')) as Json[];
    const policy = policies.find((p) => p.Properties.Description?.startsWith('Permissions boundary'));
    expect(policy).toBeDefined();
    const volumeKeyDenies = (policy.Properties.PolicyDocument.Statement as Json[]).filter((s) => s.Condition?.Null?.['sagemaker:VolumeKmsKeyArn'] === 'true');
    return { policy, volumeKeyDenies };
  };

  test('the job has no volume key, the role no grant on the data key, and the reason is recorded', () => {
    const { stack, pipeline: p } = pipeline(new App(), { instanceType: 'ml.g5.12xlarge', allowHardwareEncryptedStorage: REASON });
    const t = Template.fromStack(stack);
    const resourceConfig = definitionOf(t).States.Train.Parameters.ResourceConfig;
    expect(resourceConfig).toEqual({ InstanceType: 'ml.g5.12xlarge', InstanceCount: 1, VolumeSizeInGB: 30 });
    // The artifact is still encrypted with the registry's key (here the environment's data key).
    const dataKey = idOf(t, 'AWS::KMS::Key', /^EnvDataKey/);
    expect(definitionOf(t).States.Train.Parameters.OutputDataConfig.KmsKeyId).toBe(`<GetAtt:${dataKey}.Arn>`);
    const roleId = stack.resolve((p.executionRole.node.defaultChild as Json).logicalId);
    expect(statementWith(statementsOf(t, roleId), 'kms:CreateGrant').filter((s) => JSON.stringify(s.Resource).includes(dataKey))).toEqual([]);
    const machine = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0] as Json;
    expect(machine.Metadata['cdk-secure-ai:allowHardwareEncryptedStorage']).toBe(REASON);
  });

  test('the boundary exempts the state machine\'s role, for work whose every instance type has local storage, and records who asked and why', () => {
    const { stack, pipeline: p } = pipeline(new App(), { instanceType: 'ml.g5.12xlarge', allowHardwareEncryptedStorage: REASON });
    const t = Template.fromStack(stack);
    const { policy, volumeKeyDenies } = boundaryStatement(t);
    const exemption = volumeKeyDenies.find((d) => d.Condition.StringEquals?.['aws:PrincipalTag/ai:hardware-encrypted-storage'] === 'allowed');
    const patterns: string[] = exemption.Condition['ForAnyValue:StringNotLikeIfExists']['sagemaker:InstanceTypes'];
    expect(patterns).toEqual(expect.arrayContaining(['ml.g5.*', 'ml.p4d.*', 'ml.p5.*', 'ml.trn1.*']));
    expect(patterns).not.toContain('ml.m5.*');
    expect(patterns).not.toContain('ml.p3.*');
    expect(policy.Metadata['cdk-secure-ai:allowHardwareEncryptedStorage']).toEqual([`Training/Fraud: ${REASON}`]);
    const roleId = stack.getLogicalId(p.stateMachine.role.node.defaultChild as CfnElement);
    expect(t.toJSON().Resources[roleId].Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'ai:hardware-encrypted-storage', Value: 'allowed' }]));
  });

  test('without the opt-in the boundary denies all work without a volume key, and tags no role', () => {
    const t = Template.fromStack(pipeline(new App()).stack);
    expect(boundaryStatement(t).volumeKeyDenies.map((d) => d.Condition)).toEqual([{ Null: { 'sagemaker:VolumeKmsKeyArn': 'true' } }]);
    expect(JSON.stringify(t.findResources('AWS::IAM::Role'))).not.toContain('ai:hardware-encrypted-storage');
  });

  test('a reason for a type that stores on EBS, and a reason that says nothing', () => {
    expect(() => pipeline(new App(), { instanceType: 'ml.p3.2xlarge', allowHardwareEncryptedStorage: REASON })).toThrow(
      /allowHardwareEncryptedStorage is set, but instanceType 'ml\.p3\.2xlarge' stores on EBS.*Fix: remove allowHardwareEncryptedStorage/);
    expect(() => pipeline(new App(), { instanceType: 'ml.g5.12xlarge', allowHardwareEncryptedStorage: ' ' })).toThrow(
      /allowHardwareEncryptedStorage is missing/);
  });

  test('passes every pack: SecureAI-P11 does not ask a volume key of local storage', () => {
    const result = checkCompliance((app) => {
      const { stack, environment } = pipeline(app, { instanceType: 'ml.g5.12xlarge', allowHardwareEncryptedStorage: REASON });
      backUpAiStores(stack, environment);
    });
    // The card of the model is the only thing missing from this composition (SecureAI-V10, on the registry's group).
    expect(result.summary.filter((f) => !f.includes('SecureAI-V10'))).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
  });
});

describe('TrainingPipeline compliance', () => {
  test('passes every pack with reasoned acknowledgments; the canary proves the packs ran', () => {
    const result = checkCompliance((app) => {
      const { stack, environment, registry } = pipeline(app);
      // The card of the model the pipeline trains (the composition issue 5 names).
      new ModelCard(stack, 'FraudCard', {
        environment,
        registry,
        modelName: 'fraud',
        owner: 'ml-platform',
        purpose: 'Score card transactions for the likelihood of fraud',
        intendedUses: ['Rank transactions for review by fraud analysts'],
        outOfScopeUses: ['Credit decisions'],
        trainingData: [{ uri: 's3://training-data/fraud/2026-11/train.csv', sha256: TRAIN_DIGEST }],
        evaluations: [{ name: 'holdout-2026-11', observation: 'Precision 0.91 and recall 0.84 on a time-split holdout' }],
        limitations: ['Trained on one region\'s transactions only'],
        failureModes: ['Drifts when the merchant mix changes'],
        riskRating: ModelRiskRating.HIGH,
        riskRatingExplanation: 'Wrong scores delay payments or let fraud through',
        retention: Duration.days(2555),
        reviewFrequency: Duration.days(90),
      });
      // SecureAI-P18: the registry's and the training data's buckets are backed up by an OfflineBackup beside the pipeline.
      backUpAiStores(stack, environment);
    });
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    // No SecureAI rule is acknowledged, by the pipeline or the test: P18 included, the backup beside it passes it.
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI')).map((a) => `${a.path} ${a.id.replace(/^annotation::/i, '')}`)).toEqual([]);
    // What the pipeline acknowledges is on its own roles and function, never on the stack or the app.
    const own = result.acknowledgments.filter((a) => a.path.startsWith('Training/Fraud'));
    expect(own.map((a) => a.path.replace(/^Training\/Fraud\//, '')).sort()).toEqual(expect.arrayContaining(['ExecutionRole', 'Signing/Function', 'Signing/Role', 'StateMachine/Role']));
    expect(silentPacks(canaryFindings())).toEqual([]);
  });
});
