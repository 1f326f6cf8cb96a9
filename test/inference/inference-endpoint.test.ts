import { App, CfnParameter, CfnResource, Duration, Stack, StackProps, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { DriftWindow } from '../../src/inference/drift-window';
import { InferenceApi } from '../../src/inference/inference-api';
import { InferenceEndpoint, InferenceEndpointProps } from '../../src/inference/inference-endpoint';
import { METADATA_KEYS, RuleTally } from '../../src/nag/findings';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { ModelCard } from '../../src/registry/model-card';
import { ModelCardStatus } from '../../src/registry/model-card-status';
import { ModelImage } from '../../src/registry/model-image';
import { ModelRegistry } from '../../src/registry/model-registry';
import { ModelRiskRating } from '../../src/registry/model-risk-rating';
import { DataClassification } from '../../src/storage/data-classification';
import { acknowledgmentsOf, backUpAiStores, canaryFindings, checkCompliance, isReasoned, silentPacks } from '../compliance';
import { ARTIFACT_KEY, artifactEndpointFixture, composition, ENV, endpointFixture, PACKAGE_ARN, S3_PREFIX_LIST } from './endpoint-fixture';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** The statements of the default policy of the role whose logical ID starts with `prefix`. */
function statementsOf(t: Template, prefix: string): Statement[] {
  const policies = t.findResources('AWS::IAM::Policy');
  const entry = Object.values(policies).find((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref.startsWith(prefix)));
  expect(entry).toBeDefined();
  return entry!.Properties.PolicyDocument.Statement as Statement[];
}

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const logicalId = (t: Template, type: string, prefix: string) => {
  const id = Object.keys(t.findResources(type)).find((k) => k.startsWith(prefix));
  expect(id).toBeDefined();
  return id!;
};

describe('InferenceEndpoint defaults: production, from an approved model package', () => {
  const f = endpointFixture();
  const t = f.template();
  const resources = t.toJSON().Resources as Record<string, { Type: string; Properties: any; DependsOn?: string[]; Metadata?: any }>;
  const bucketId = logicalId(t, 'AWS::S3::Bucket', 'FraudDataCapture');
  const captureKeyId = logicalId(t, 'AWS::KMS::Key', 'FraudCaptureKey');
  const registryBucketId = logicalId(t, 'AWS::S3::Bucket', 'RegistryArtifacts');
  const gateId = logicalId(t, 'Custom::ArtifactSignatureGate', 'FraudSignatureGate');
  const endpointName = f.stack.resolve(f.endpoint.endpoint.endpointName) as string;

  test('model: created from the package (ModelPackageName, no image or artifact), network isolation, workload subnets, no-ingress security group', () => {
    t.hasResourceProperties('AWS::SageMaker::Model', {
      EnableNetworkIsolation: true,
      VpcConfig: {
        Subnets: [{ Ref: Match.stringLikeRegexp('^EnvVpcWorkloadSubnet1') }, { Ref: Match.stringLikeRegexp('^EnvVpcWorkloadSubnet2') }],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^FraudSecurityGroup'), 'GroupId'] }],
      },
      PrimaryContainer: { ModelPackageName: PACKAGE_ARN },
      ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FraudExecutionRole'), 'Arn'] },
    });
    const model = Object.values(t.findResources('AWS::SageMaker::Model'))[0];
    expect(Object.keys(model.Properties.PrimaryContainer)).toEqual(['ModelPackageName']);
    expect(JSON.stringify(model)).not.toMatch(/ModelDataUrl|"Image"/);
    const sgId = logicalId(t, 'AWS::EC2::SecurityGroup', 'FraudSecurityGroup');
    expect(resources[sgId].Properties.SecurityGroupIngress).toBeUndefined();
    expect(t.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] } } })).toEqual({});
  });

  test('the gate is given the package, the registry\'s group, bucket and signing key, and the image the package must run', () => {
    const gate = resources[gateId].Properties;
    expect(gate).toEqual({
      ServiceToken: expect.anything(),
      ArtifactBucket: { Ref: registryBucketId },
      ModelPackageArn: PACKAGE_ARN,
      // The group by ARN: the gate compares the package's partition, account and Region too, not the group's name alone.
      ModelPackageGroupArn: { 'Fn::GetAtt': [logicalId(t, 'AWS::SageMaker::ModelPackageGroup', 'RegistryGroup'), 'ModelPackageGroupArn'] },
      ImageUri: f.stack.resolve(f.repository.repositoryUriForTagOrDigest('v1')),
      SigningKeyArn: { 'Fn::GetAtt': [logicalId(t, 'AWS::KMS::Key', 'RegistrySigningKey'), 'Arn'] },
      Revision: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  test('the model is created only after the signature gate and its role\'s policy', () => {
    const modelId = logicalId(t, 'AWS::SageMaker::Model', 'FraudModel');
    expect(resources[modelId].DependsOn).toEqual(expect.arrayContaining([gateId, expect.stringMatching(/^FraudExecutionRoleDefaultPolicy/)]));
  });

  test('execution role: the one artifact the gate verified (a deploy-time key), the image, captures (write only), its log group, its network interfaces', () => {
    const statements = statementsOf(t, 'FraudExecutionRole');
    const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [registryBucketId, 'Arn'] }, '/', { 'Fn::GetAtt': [gateId, 'ArtifactKey'] }]] },
      }),
      expect.objectContaining({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/captures/*']] } }),
    ]);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EnvDataKey/), 'Arn'] } }),
      expect.objectContaining({ Action: expect.arrayContaining(['ecr:BatchGetImage']), Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Images/), 'Arn'] } }),
      expect.objectContaining({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: { 'Fn::GetAtt': [captureKeyId, 'Arn'] } }),
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'] }),
      expect.objectContaining({
        Action: expect.arrayContaining(['ec2:CreateNetworkInterface']),
        Condition: { ArnEqualsIfExists: { 'ec2:Vpc': expect.anything() } },
      }),
    ]));
    // Neither the whole registry nor the package: CreateModel reads the package with the deployer's credentials.
    expect(JSON.stringify(statements)).not.toContain('sagemaker:');
    expect(JSON.stringify(s3[0])).not.toMatch(/\*/);
  });

  test('the model acknowledges only SecureAI-V1[unverifiable] (the gate checks the package\'s image), with a reason', () => {
    const acknowledged = acknowledgmentsOf(f.endpoint.model);
    expect(acknowledged.map((a) => a.id.replace(/^.*::/, ''))).toEqual(['SecureAI-V1[unverifiable]']);
    expect(isReasoned(acknowledged[0].reason)).toBe(true);
    expect(acknowledged[0].reason).toMatch(/signature gate .* refuses.*image/);
  });

  test('endpoint configuration: data key, two instances in production, capture of inputs and outputs at 100 %', () => {
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnvDataKey'), 'Arn'] },
      ProductionVariants: [{
        VariantName: 'AllTraffic',
        ModelName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FraudModel'), 'ModelName'] },
        InitialInstanceCount: 2,
        InstanceType: 'ml.m5.xlarge',
        InitialVariantWeight: 1,
      }],
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 100,
        DestinationS3Uri: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/captures']] },
        KmsKeyId: { 'Fn::GetAtt': [captureKeyId, 'Arn'] },
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      },
    });
  });

  test('capture bucket: its own rotated key, captures expire after 90 days and are then gone, retention tagged', () => {
    t.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [captureKeyId, 'Arn'] } } })] },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' }),
            Match.objectLike({ Id: 'CaptureRetention', ExpirationInDays: 90, Status: 'Enabled' }),
          ]),
        },
        Tags: Match.arrayWith([{ Key: 'ai:asset', Value: 'true' }, { Key: 'ai:retention-days', Value: '90' }]),
      },
      DeletionPolicy: 'Retain',
    });
    expect(resources[captureKeyId].Properties.EnableKeyRotation).toBe(true);
    expect(f.endpoint.dataCaptureBucket.objectKey).not.toBe(f.environment.dataKey);
  });

  test('endpoint: named, canary of one instance baked 10 minutes, rolled back by the error and latency alarms', () => {
    t.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: endpointName,
      EndpointConfigName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FraudEndpointConfig'), 'EndpointConfigName'] },
      DeploymentConfig: {
        AutoRollbackConfiguration: {
          Alarms: [{ AlarmName: { Ref: logicalId(t, 'AWS::CloudWatch::Alarm', 'FraudErrorAlarm') } },
            { AlarmName: { Ref: logicalId(t, 'AWS::CloudWatch::Alarm', 'FraudLatencyAlarm') } }],
        },
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'INSTANCE_COUNT', Value: 1 }, WaitIntervalInSeconds: 600 },
          TerminationWaitInSeconds: 600,
        },
      },
    });
    expect(endpointName).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
  });

  test('implements IInferenceEndpointRef with the endpoint\'s name and ARN', () => {
    const endpointId = logicalId(t, 'AWS::SageMaker::Endpoint', 'FraudEndpoint');
    expect(f.stack.resolve(f.endpoint.endpointName)).toEqual({ 'Fn::GetAtt': [endpointId, 'EndpointName'] });
    expect(f.stack.resolve(f.endpoint.endpointArn)).toEqual({ Ref: endpointId });
  });

  test('alarms on 5xx errors, p90 model latency and an invocation anomaly band, each notifying the topic', () => {
    const dimensions = [{ Name: 'EndpointName', Value: endpointName }, { Name: 'VariantName', Value: 'AllTraffic' }];
    const topic = { Ref: logicalId(t, 'AWS::SNS::Topic', 'FraudAlarmTopic') };
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SageMaker',
      MetricName: 'Invocation5XXErrors',
      Statistic: 'Sum',
      Period: 60,
      Dimensions: dimensions,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      AlarmActions: [topic],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SageMaker',
      MetricName: 'ModelLatency',
      ExtendedStatistic: 'p90',
      Dimensions: dimensions,
      Threshold: 1_000_000,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      AlarmActions: [topic],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'GreaterThanUpperThreshold',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'ANOMALY_DETECTION_BAND(m0, 3)' }),
        Match.objectLike({ MetricStat: { Metric: { Namespace: 'AWS/SageMaker', MetricName: 'Invocations', Dimensions: dimensions }, Period: 300, Stat: 'Sum' } }),
      ]),
      AlarmActions: [topic],
    });
  });

  test('alarm topic: encrypted with a rotated key CloudWatch of this account may use, TLS only, published to by this account\'s alarms', () => {
    const topicKeyId = logicalId(t, 'AWS::KMS::Key', 'FraudAlarmTopicKey');
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [topicKeyId, 'Arn'] } });
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': ENV.account }, ArnLike: { 'aws:SourceArn': Match.anyValue() } };
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: fromThisAccount }),
        ]),
      },
    });
    expect(resources[topicKeyId].Properties.EnableKeyRotation).toBe(true);
    expect(resources[topicKeyId].Properties.KeyPolicy.Statement).toEqual(expect.arrayContaining([expect.objectContaining({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: { StringEquals: { 'aws:SourceAccount': ENV.account }, ArnLike: expect.anything() },
    })]));
  });

  test('drift monitoring: a DriftMonitor over this endpoint\'s captures and the baseline beside the package\'s artifact, alarming to its topic', () => {
    const monitor = f.endpoint.driftMonitor;
    expect(monitor.node.scope).toBe(f.endpoint);
    expect(f.stack.resolve(monitor.reportsUri)).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: bucketId }, `/monitoring/${endpointName}/`]] });
    const definition = JSON.stringify(resources[logicalId(t, 'AWS::StepFunctions::StateMachine', 'FraudDriftMonitor')].Properties.DefinitionString);
    expect(definition).toContain(`/captures/${endpointName}/AllTraffic/`);
    // The baseline of the served digest, written once by a named publisher: baselines/<sha256>/reference.csv.
    expect(definition).toMatch(new RegExp(`"${registryBucketId}"\\},"/baselines/",\\{"Fn::GetAtt":\\["${gateId}","Digest"\\]\\},"/reference\\.csv`));
    expect(f.endpoint.alarms).toEqual([f.endpoint.errorAlarm, f.endpoint.latencyAlarm, f.endpoint.invocationAnomalyAlarm, monitor.alarm]);
  });

  test('a log group for the endpoint\'s containers, encrypted with the log key and kept a year', () => {
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: `/aws/sagemaker/Endpoints/${endpointName}`,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnvLogKey'), 'Arn'] },
        RetentionInDays: 365,
      },
      DeletionPolicy: 'Retain',
    });
    const endpointId = logicalId(t, 'AWS::SageMaker::Endpoint', 'FraudEndpoint');
    expect(resources[endpointId].DependsOn).toEqual([logicalId(t, 'AWS::Logs::LogGroup', 'FraudLogGroup')]);
  });

  test('the model, its configuration and the endpoint carry the DataClassification tag', () => {
    for (const type of ['AWS::SageMaker::Model', 'AWS::SageMaker::EndpointConfig', 'AWS::SageMaker::Endpoint']) {
      t.hasResourceProperties(type, { Tags: Match.arrayWith([{ Key: 'DataClassification', Value: 'confidential' }]) });
    }
  });
});

describe('InferenceEndpoint from a signed artifact by key, outside production (as before packages)', () => {
  const f = artifactEndpointFixture();
  const t = f.template();
  const resources = t.toJSON().Resources as Record<string, { Type: string; Properties: any; DependsOn?: string[] }>;
  const bucketId = logicalId(t, 'AWS::S3::Bucket', 'FraudDataCapture');
  const registryBucketId = logicalId(t, 'AWS::S3::Bucket', 'RegistryArtifacts');
  const gateId = logicalId(t, 'Custom::ArtifactSignatureGate', 'FraudSignatureGate');

  test('model: the image and the registry artifact, no package', () => {
    t.hasResourceProperties('AWS::SageMaker::Model', {
      EnableNetworkIsolation: true,
      PrimaryContainer: {
        Image: { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^Images') }, ':v1'])] },
        ModelDataUrl: { 'Fn::Join': ['', ['s3://', { Ref: registryBucketId }, `/${ARTIFACT_KEY}`]] },
        ModelPackageName: Match.absent(),
      },
    });
    expect(acknowledgmentsOf(f.endpoint.model)).toEqual([]);
  });

  test('the gate verifies that artifact by key; the model waits for it', () => {
    expect(resources[gateId].Properties).toEqual({
      ServiceToken: expect.anything(),
      ArtifactBucket: { Ref: registryBucketId },
      ArtifactKey: ARTIFACT_KEY,
      SigningKeyArn: { 'Fn::GetAtt': [logicalId(t, 'AWS::KMS::Key', 'RegistrySigningKey'), 'Arn'] },
      Revision: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(resources[logicalId(t, 'AWS::SageMaker::Model', 'FraudModel')].DependsOn).toEqual(expect.arrayContaining([gateId]));
  });

  test('any change of the model\'s configuration changes the gate\'s revision, so the gate runs again before the new model', () => {
    const revisionOf = (g: typeof f) => g.stack.resolve((g.endpoint.signatureGate.resource.node.defaultChild as CfnResource)._toCloudFormation())
      .Resources[gateId].Properties.Revision;
    // Two fixtures resolved alike (not synthesized): the same model gives the same revision, a changed one another.
    const [same, again, changed] = [artifactEndpointFixture(), artifactEndpointFixture(), artifactEndpointFixture()];
    changed.endpoint.model.addPropertyOverride('PrimaryContainer.Environment.SAGEMAKER_PROGRAM', 'other.py');
    expect(revisionOf(same)).toMatch(/^[0-9a-f]{64}$/);
    expect(revisionOf(again)).toBe(revisionOf(same));
    expect(revisionOf(changed)).not.toBe(revisionOf(same));
  });

  test('execution role: that one artifact by its literal key, captures (write only), no sagemaker action', () => {
    const statements = statementsOf(t, 'FraudExecutionRole');
    const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [registryBucketId, 'Arn'] }, `/${ARTIFACT_KEY}`]] } }),
      expect.objectContaining({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/captures/*']] } }),
    ]);
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EnvDataKey/), 'Arn'] } }));
    expect(JSON.stringify(statements)).not.toContain('sagemaker:');
  });

  test('the baseline is read from baselines/<the digest of the registered key>/, known at synth time', () => {
    const definition = JSON.stringify(resources[logicalId(t, 'AWS::StepFunctions::StateMachine', 'FraudDriftMonitor')].Properties.DefinitionString);
    expect(definition).toContain(`{"Ref":"${registryBucketId}"},"/baselines/${'c'.repeat(64)}/reference.csv`);
  });
});

describe('InferenceEndpoint options', () => {
  test('a development environment runs one instance, updated all at once behind the rollback alarms', () => {
    const { template } = endpointFixture({}, { stage: EnvironmentStage.DEVELOPMENT });
    const t = template();
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [Match.objectLike({ InitialInstanceCount: 1 })] });
    t.hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: Match.objectLike({ BlueGreenUpdatePolicy: Match.objectLike({ TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 600 } }) }),
    });
  });

  test('sampling, retention, instances, name, latency, bake time, band, classification, baseline and drift monitoring', () => {
    const { template } = endpointFixture({
      dataCaptureSamplingPercentage: 25,
      captureRetentionDays: 30,
      instanceType: 'ml.c5.2xlarge',
      instanceCount: 4,
      endpointName: 'fraud-scoring',
      maxModelLatency: Duration.millis(250),
      canaryBakeTime: Duration.minutes(20),
      invocationAnomalyBandWidth: 2,
      dataClassification: DataClassification.RESTRICTED,
      baselineKey: 'fraud/baselines/reference.csv',
      driftMonitoring: { window: DriftWindow.DAY, instanceType: 'ml.m5.large' },
    });
    const t = template();
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ InitialInstanceCount: 4, InstanceType: 'ml.c5.2xlarge' })],
      DataCaptureConfig: Match.objectLike({ InitialSamplingPercentage: 25 }),
      Tags: Match.arrayWith([{ Key: 'DataClassification', Value: 'restricted' }]),
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 30 })]) },
      Tags: Match.arrayWith([{ Key: 'ai:retention-days', Value: '30' }]),
    });
    t.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: 'fraud-scoring',
      DeploymentConfig: Match.objectLike({
        BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: Match.objectLike({ WaitIntervalInSeconds: 1200 }), TerminationWaitInSeconds: 1200 },
      }),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ModelLatency', Threshold: 250_000 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Metrics: Match.arrayWith([Match.objectLike({ Expression: 'ANOMALY_DETECTION_BAND(m0, 2)' })]) });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/sagemaker/Endpoints/fraud-scoring' });
    const definition = JSON.stringify(Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0].Properties.DefinitionString);
    expect(definition).toMatch(/\/fraud\/baselines\/reference\.csv.*"InstanceType\\":\\"ml\.m5\.large/);
    t.hasResourceProperties('AWS::Scheduler::Schedule', { Name: 'fraud-scoring-drift', ScheduleExpression: 'cron(30 0 * * ? *)' });
  });

  test('a package ARN known only at deploy time (a parameter) is accepted: the gate checks it, and the baseline follows its artifact', () => {
    const { stack, environment, registry, repository } = composition();
    const arn = new CfnParameter(stack, 'ModelPackageArn', { type: 'String' }).valueAsString;
    const endpoint = new InferenceEndpoint(stack, 'Fraud', { environment, registry, modelPackageArn: arn, image: ModelImage.fromEcrRepository(repository, 'v1'), s3PrefixListId: S3_PREFIX_LIST });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { ModelPackageName: { Ref: 'ModelPackageArn' } } });
    t.hasResourceProperties('Custom::ArtifactSignatureGate', { ModelPackageArn: { Ref: 'ModelPackageArn' } });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sagemaker:DescribeModelPackage', Resource: { Ref: 'ModelPackageArn' } })]) },
    });
    expect(JSON.stringify(Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0].Properties.DefinitionString))
      .toContain(`"/baselines/",{"Fn::GetAtt":["${stack.getLogicalId(endpoint.signatureGate.resource.node.defaultChild as CfnResource)}","Digest"]},"/reference.csv`);
  });

  test('container environment variables are passed beside the package', () => {
    const { template } = endpointFixture({ containerEnvironment: { SAGEMAKER_MODEL_SERVER_WORKERS: '2' } });
    template().hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: { ModelPackageName: PACKAGE_ARN, Environment: { SAGEMAKER_MODEL_SERVER_WORKERS: '2' } },
    });
  });

  test('an external image with a reason is accepted and the reason recorded on the model', () => {
    const { template } = endpointFixture({
      image: ModelImage.fromUri('docker.io/library/fraud-model:1.2'),
      allowExternalImage: 'Vendor image reviewed by the platform security team, ticket SEC-1234, mirrored nightly',
    });
    const models = template().findResources('AWS::SageMaker::Model');
    expect(Object.values(models)[0].Metadata['cdk-secure-ai:external-image']).toEqual(expect.objectContaining({
      image: 'docker.io/library/fraud-model:1.2',
      reason: 'Vendor image reviewed by the platform security team, ticket SEC-1234, mirrored nightly',
    }));
  });
});

describe('InferenceEndpoint refuses bad props, naming the prop and the fix', () => {
  test('an artifact by key in production: production deploys only approved model packages', () => {
    const attempt = () => endpointFixture({ modelPackageArn: undefined, modelArtifactKey: ARTIFACT_KEY });
    expect(attempt).toThrow(`InferenceEndpoint Fraud: \`modelArtifactKey\` '${ARTIFACT_KEY}' is refused in a production environment: `
      + 'production deploys only approved model packages.');
    expect(attempt).toThrow(/Fix: register the model with TrainingPipeline and pass modelPackageArn/);
    // Development and test may deploy either.
    expect(() => artifactEndpointFixture({}, { stage: EnvironmentStage.DEVELOPMENT })).not.toThrow();
    expect(() => endpointFixture({}, { stage: EnvironmentStage.TEST })).not.toThrow();
  });

  test('both sources, or neither', () => {
    expect(() => endpointFixture({ modelArtifactKey: ARTIFACT_KEY })).toThrow(
      /InferenceEndpoint Fraud: both `modelPackageArn` and `modelArtifactKey` are given, but the model comes from exactly one\. Fix: keep modelPackageArn/);
    expect(() => endpointFixture({ modelPackageArn: undefined })).toThrow(
      /InferenceEndpoint Fraud: neither `modelPackageArn` nor `modelArtifactKey` is given.*Fix: pass modelPackageArn/);
  });

  test('a package of another group', () => {
    expect(() => endpointFixture({ modelPackageArn: 'arn:aws:sagemaker:eu-west-2:111111111111:model-package/churn-model/3' })).toThrow(
      /`modelPackageArn` 'arn:aws:sagemaker:eu-west-2:111111111111:model-package\/churn-model\/3' is a version of model package group 'churn-model', not of the registry's group 'fraud-detector'.*Fix: deploy a version of fraud-detector \(arn:aws:sagemaker:eu-west-2:111111111111:model-package\/fraud-detector\/<version>\)/);
  });

  test('a package of the group name in another account or Region', () => {
    expect(() => endpointFixture({ modelPackageArn: 'arn:aws:sagemaker:eu-west-2:999999999999:model-package/fraud-detector/3' })).toThrow(
      /is in account 999999999999, but the registry's group fraud-detector is in account 111111111111\. Fix:/);
    expect(() => endpointFixture({ modelPackageArn: 'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detector/3' })).toThrow(
      /is in Region us-east-1, but the registry's group fraud-detector is in Region eu-west-2/);
  });

  test.each([
    ['the group', 'arn:aws:sagemaker:eu-west-2:111111111111:model-package-group/fraud-detector'],
    ['an unversioned package', 'arn:aws:sagemaker:eu-west-2:111111111111:model-package/fraud-detector'],
    ['a package name', 'fraud-detector'],
    ['version 0', 'arn:aws:sagemaker:eu-west-2:111111111111:model-package/fraud-detector/0'],
  ])('a package ARN that is not a versioned package: %s', (_what, arn) => {
    expect(() => endpointFixture({ modelPackageArn: arn })).toThrow(
      `InferenceEndpoint Fraud: \`modelPackageArn\` '${arn}' is not the ARN of a versioned model package. Fix: pass the ModelPackageArn`);
  });

  test('one instance in production', () => {
    expect(() => endpointFixture({ instanceCount: 1 })).toThrow(
      'InferenceEndpoint Fraud: `instanceCount` is 1, but a production environment needs at least 2');
    expect(() => endpointFixture({ instanceCount: 1 })).toThrow(/Fix: set instanceCount >= 2\./);
    expect(() => endpointFixture({ instanceCount: 2.5 })).toThrow(/instanceCount is 2.5, but it must be a whole number/);
  });

  test.each([101, -1, 0, 12.5])('capture sampling %p outside 1-100', (percentage) => {
    expect(() => endpointFixture({ dataCaptureSamplingPercentage: percentage })).toThrow(
      new RegExp(`dataCaptureSamplingPercentage is ${percentage}, but it must be a whole number between 1 and 100.*Fix: leave it unset`));
  });

  test('an external image without a reason', () => {
    expect(() => endpointFixture({ image: ModelImage.fromUri('docker.io/library/fraud-model:latest') })).toThrow(
      /InferenceEndpoint Fraud: image docker.io\/library\/fraud-model:latest is neither in a private ECR repository nor pinned by digest.*set allowExternalImage/);
  });

  test.each(['ml.g5.2xlarge', 'ml.g4dn.xlarge', 'ml.p4d.24xlarge', 'ml.m5d.large', 'ml.c6id.4xlarge', 'ml.p3dn.24xlarge'])(
    'an instance type that cannot take a KMS key: %s', (instanceType) => {
      expect(() => endpointFixture({ instanceType })).toThrow(new RegExp(`instanceType '${instanceType.replace(/\./g, '\\.')}' has local NVMe `
        + 'instance storage, for which SageMaker refuses a customer-managed KMS key.*Fix: choose an instance type whose storage is EBS'));
    });

  test('a drift monitoring instance type that cannot take a volume key', () => {
    expect(() => endpointFixture({ driftMonitoring: { instanceType: 'ml.g4dn.xlarge' } })).toThrow(
      /InferenceEndpoint Fraud: driftMonitoring\.instanceType 'ml\.g4dn\.xlarge' has local NVMe/);
  });

  test('an instance type that is not one', () => {
    expect(() => endpointFixture({ instanceType: 'm5.xlarge' })).toThrow(/instanceType 'm5\.xlarge' is not a SageMaker instance type.*Fix: give one such as 'ml\.m5\.xlarge'/);
  });

  // Training output (the first) can be replaced after the gate: only the write-once registered copies are deployed.
  test.each(['training/fraud/job-7/output/model.tar.gz', '', '/fraud/model.tar.gz', 'fraud/', 'fraud/*.tar.gz', `verified/${'c'.repeat(64)}/`, `verified/${'C'.repeat(64)}/model.tar.gz`])(
    'an artifact key that is not a registered copy: %p', (key) => {
      expect(() => artifactEndpointFixture({ modelArtifactKey: key })).toThrow(
        /`modelArtifactKey` '.*' is not a registered artifact\. Fix: give the key the training pipeline's signing step wrote, verified\/<sha256>\/model\.tar\.gz/);
    });

  test('a baseline key that is not one object', () => {
    expect(() => endpointFixture({ baselineKey: 'fraud/*.csv' })).toThrow(/baselineKey 'fraud\/\*\.csv' is not an object key/);
  });

  test('retention, latency, bake time, band width and name out of range', () => {
    expect(() => endpointFixture({ captureRetentionDays: 0 })).toThrow(/captureRetentionDays is 0.*Fix:/);
    expect(() => endpointFixture({ maxModelLatency: Duration.seconds(0) })).toThrow(/`maxModelLatency` must be a positive duration.*Fix:/);
    expect(() => endpointFixture({ canaryBakeTime: Duration.hours(2) })).toThrow(/`canaryBakeTime` must be between 1 and 60 minutes.*Fix:/);
    expect(() => endpointFixture({ invocationAnomalyBandWidth: 0 })).toThrow(/`invocationAnomalyBandWidth` is 0.*Fix:/);
    expect(() => endpointFixture({ endpointName: 'fraud_scoring' })).toThrow(/`endpointName` 'fraud_scoring' is not a SageMaker endpoint name.*Fix:/);
  });

  test('an environment with internet egress: the gate still reaches only S3 and the endpoints', () => {
    const withEgress = endpointFixture({}, { internetEgress: { reason: 'Package mirrors for the notebook images, reviewed in SEC-42' } });
    const groups = withEgress.template().findResources('AWS::EC2::SecurityGroup');
    const gateGroup = Object.entries(groups).find(([id]) => id.startsWith('FraudSignatureGateSecurityGroup'))![1];
    expect(JSON.stringify(gateGroup)).not.toContain('0.0.0.0/0');
  });
});

/**
 * What a team releasing a model deploys in production: the endpoint from an approved package of the registry with
 * `props`, its model card (SecureAI-V10, P23), its API (the composition issue 6 names), the threat-model tags (D1) and an
 * OfflineBackup of the registry's artifacts and the endpoint's captures (P18).
 */
function releasedEndpoint(app: App, props: Partial<InferenceEndpointProps> = {}, stackProps: StackProps = { env: ENV }): void {
  const { stack, environment, registry, repository } = composition(app, {}, stackProps);
  Tags.of(stack).add('ai:threat-model', 'https://wiki.example.com/fraud-detector/threat-model');
  Tags.of(stack).add('ai:risk-owner', 'head-of-fraud');
  Tags.of(stack).add('ai:criticality', 'high');
  expect(environment.stage).toBe(EnvironmentStage.PRODUCTION);
  const endpoint = new InferenceEndpoint(stack, 'Fraud', {
    environment,
    registry,
    modelPackageArn: PACKAGE_ARN,
    image: ModelImage.fromEcrRepository(repository, 'v1'),
    s3PrefixListId: S3_PREFIX_LIST,
    ...props,
  });
  new ModelCard(stack, 'FraudCard', {
    environment,
    registry,
    modelName: 'fraud-detector',
    modelId: endpoint.model.ref,
    owner: 'fraud-ml-team',
    purpose: 'Score card transactions for the likelihood of fraud',
    intendedUses: ['Rank transactions for review by fraud analysts'],
    outOfScopeUses: ['Credit decisions'],
    trainingData: [{ uri: 's3://training-data/transactions/2024.parquet', sha256: 'a'.repeat(64) }],
    evaluations: [{ name: 'holdout-2024-q4', observation: 'AUC 0.94 on the Q4 holdout; recall drops for cross-border transactions' }],
    limitations: ['Not evaluated on merchant categories introduced after 2024'],
    failureModes: ['Adversarial splitting of payments below thresholds'],
    riskRating: ModelRiskRating.HIGH,
    riskRatingExplanation: 'Wrong scores block legitimate payments or let fraud through at scale',
    retention: Duration.days(2555),
    reviewFrequency: Duration.days(90),
    status: ModelCardStatus.APPROVED,
    approvedBy: 'model-risk-committee',
  });
  new InferenceApi(stack, 'FraudApi', { environment, endpoint });
  backUpAiStores(stack, environment);
}

describe('InferenceEndpoint on a GPU type with local NVMe storage, with allowHardwareEncryptedStorage', () => {
  const REASON = 'The 13B model needs the A10G GPUs of ml.g5; SageMaker encrypts their NVMe storage in hardware.';

  test('the endpoint configuration has no KmsKeyId and records the reason; captures keep their key', () => {
    const t = endpointFixture({ instanceType: 'ml.g5.2xlarge', allowHardwareEncryptedStorage: REASON }).template();
    const configs = Object.values(t.findResources('AWS::SageMaker::EndpointConfig'));
    expect(configs).toHaveLength(1);
    expect(configs[0].Properties.KmsKeyId).toBeUndefined();
    expect(configs[0].Properties.ProductionVariants[0].InstanceType).toBe('ml.g5.2xlarge');
    expect(configs[0].Properties.DataCaptureConfig.KmsKeyId['Fn::GetAtt'][0]).toMatch(/^FraudCaptureKey/);
    expect(configs[0].Metadata['cdk-secure-ai:allowHardwareEncryptedStorage']).toBe(REASON);
  });

  test('SecureAI-P6 does not apply to the configuration: SageMaker refuses a key for its storage', () => {
    const report = new SecureAiChecks().validateScope(endpointFixture({ instanceType: 'ml.g5.2xlarge', allowHardwareEncryptedStorage: REASON }).stack);
    const tallies = JSON.parse(report.metadata![METADATA_KEYS.tallies]) as RuleTally[];
    expect(tallies.find((t) => t.ruleId === 'P6')).toMatchObject({ evaluated: 1, notApplicable: 1, nonCompliant: 0 });
  });

  test('without the reason the refusal names the opt-in', () => {
    expect(() => endpointFixture({ instanceType: 'ml.g5.2xlarge' })).toThrow(/or set allowHardwareEncryptedStorage to the reason/);
  });

  test('a reason for a type that stores on EBS', () => {
    expect(() => endpointFixture({ instanceType: 'ml.m5.xlarge', allowHardwareEncryptedStorage: REASON })).toThrow(
      /allowHardwareEncryptedStorage is set, but instanceType 'ml\.m5\.xlarge' stores on EBS.*Fix: remove allowHardwareEncryptedStorage/);
  });

  test('a reason that says nothing', () => {
    expect(() => endpointFixture({ instanceType: 'ml.g5.2xlarge', allowHardwareEncryptedStorage: 'gpu' })).toThrow(
      /allowHardwareEncryptedStorage is too short \('gpu'\)/);
  });

  test('the drift monitor has no opt-in: its instance type still needs a volume key', () => {
    expect(() => endpointFixture({ instanceType: 'ml.g5.2xlarge', allowHardwareEncryptedStorage: REASON, driftMonitoring: { instanceType: 'ml.g5.xlarge' } }))
      .toThrow(/driftMonitoring\.instanceType 'ml\.g5\.xlarge' has local NVMe instance storage.*ml\.p3\.2xlarge\.$/);
  });

  test('passes every pack, each generic pack\'s endpoint-key finding acknowledged with the reason', () => {
    const result = checkCompliance((app) => releasedEndpoint(app, { instanceType: 'ml.g5.2xlarge', allowHardwareEncryptedStorage: REASON }));
    expect(result.summary).toEqual([]);
    const onConfig = result.acknowledgments.filter((a) => a.path === 'Ai/Fraud/EndpointConfig');
    expect(onConfig.map((a) => a.id.replace(/^.*::/, '')).sort()).toEqual([
      'HIPAA.Security-SageMakerEndpointConfigurationKMSKeyConfigured',
      'NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured',
      'PCI.DSS.321-SageMakerEndpointConfigurationKMSKeyConfigured',
    ]);
    expect(onConfig.every((a) => a.reason.includes(REASON))).toBe(true);
  });
});

describe('InferenceEndpoint compliance', () => {
  test('a production environment, a registry, a vetted repository, the endpoint from an approved package, its model card and its API pass every pack, V8 included', () => {
    const result = checkCompliance((app) => releasedEndpoint(app));
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    // V8 is met, not acknowledged. The construct acknowledges two SecureAI findings itself: the package's image, which the
    // template cannot show and the gate checks, and the drift monitor's AWS scikit-learn image, a tag in AWS's own registry.
    // P18 is met too, by the backup beside them.
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI')).map((a) => `${a.id.replace(/^.*::/, '')} ${a.path}`).sort()).toEqual([
      'SecureAI-V17 Ai/Fraud/DriftMonitor/StateMachine/Resource',
      'SecureAI-V1[unverifiable] Ai/Fraud/Model',
    ]);
    expect(result.acknowledgments.some((a) => a.id.includes('V8'))).toBe(false);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });
});

describe('InferenceEndpoint with and without env: its own monitoring leaves nothing unverifiable', () => {
  // `cdk init` makes a stack without env. The Model Monitor job definition named by Fn::Join/Fn::Select there left
  // SecureAI-P8, P9 and O3 [unverifiable]; the drift monitor is read in full either way.
  test.each([['with env', { env: ENV }], ['environment-agnostic', {}]])('%s: SecureAiChecks at FailOn.WARNING finds nothing', (_what, stackProps) => {
    const app = new App();
    releasedEndpoint(app, {}, stackProps);
    // Synthesis first: tags are aspects, applied then.
    app.synth();
    const report = new SecureAiChecks({ failOn: FailOn.WARNING }).validateScope(app);
    type Found = { ruleName: string; constructPath: string; acknowledged: boolean };
    const findings = JSON.parse(report.metadata![METADATA_KEYS.findings]) as Found[];
    expect(findings.filter((f) => !f.acknowledged).map((f) => `${f.ruleName} ${f.constructPath}`)).toEqual([]);
    expect(report.success).toBe(true);
    const tallies = JSON.parse(report.metadata![METADATA_KEYS.tallies]) as RuleTally[];
    for (const id of ['O2', 'O3', 'P8', 'P9']) expect(tallies.find((t) => t.ruleId === id)).toMatchObject({ compliant: 1, unverifiable: 0 });
  });
});

describe('InferenceEndpoint across accounts: the registry in one account, the endpoint in another', () => {
  const REGISTRY_ENV = { account: '111111111111', region: 'eu-west-2' };
  const SERVING_ENV = { account: '222222222222', region: 'eu-west-2' };
  const GROUP_ARN = 'arn:aws:sagemaker:eu-west-2:111111111111:model-package-group/fraud-detector';
  const BUCKET = 'registry-models-artifacts-1a2b3c4d';
  const ARTIFACT_KEY_ARN = 'arn:aws:kms:eu-west-2:111111111111:key/11111111-2222-3333-4444-555555555555';
  const SIGNING_KEY_ARN = 'arn:aws:kms:eu-west-2:111111111111:key/66666666-7777-8888-9999-000000000000';

  const app = new App();
  // Stack A: the registry, shared with the serving account.
  const registryStack = new Stack(app, 'Registry', { env: REGISTRY_ENV });
  const registryEnv = new AiEnvironment(registryStack, 'Env', { owner: 'ml-platform' });
  new ModelRegistry(registryStack, 'Registry', { environment: registryEnv, modelPackageGroupName: 'fraud-detector', readerAccounts: [SERVING_ENV.account] });
  // Stack B: the endpoint, knowing the registry only by the literal values stack A publishes.
  const servingStack = new Stack(app, 'Serving', { env: SERVING_ENV });
  const servingEnv = new AiEnvironment(servingStack, 'Env', { owner: 'fraud-ml-team' });
  const registry = ModelRegistry.fromModelRegistryAttributes(servingStack, 'Registry', {
    modelPackageGroupArn: GROUP_ARN, artifactBucketName: BUCKET, artifactKeyArn: ARTIFACT_KEY_ARN, signingKeyArn: SIGNING_KEY_ARN,
  });
  const repository = new ecr.Repository(servingStack, 'Images', {
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    imageScanOnPush: true,
    encryption: ecr.RepositoryEncryption.KMS,
    encryptionKey: servingEnv.dataKey,
  });
  const endpoint = new InferenceEndpoint(servingStack, 'Fraud', {
    environment: servingEnv, registry, modelPackageArn: PACKAGE_ARN, image: ModelImage.fromEcrRepository(repository, 'v1'), s3PrefixListId: S3_PREFIX_LIST,
  });
  const assembly = app.synth();
  const serving = Template.fromJSON(assembly.getStackByName('Serving').template);
  const gateId = logicalId(serving, 'Custom::ArtifactSignatureGate', 'FraudSignatureGate');

  test('both stacks synthesize, with no reference from one to the other', () => {
    expect(servingStack.dependencies).toEqual([]);
    expect(registryStack.dependencies).toEqual([]);
    expect(JSON.stringify(assembly.getStackByName('Serving').template)).not.toContain('Fn::ImportValue');
    expect(Object.keys(assembly.getStackByName('Registry').template.Outputs ?? {}).filter((o) => o.startsWith('ExportsOutput'))).toEqual([]);
    serving.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { ModelPackageName: PACKAGE_ARN } });
    expect(endpoint.signatureGate.artifactKey).toBeDefined();
  });

  test('the gate is given the registry\'s literal bucket, group and signing key', () => {
    serving.hasResourceProperties('Custom::ArtifactSignatureGate', {
      ArtifactBucket: BUCKET,
      ModelPackageArn: PACKAGE_ARN,
      SigningKeyArn: SIGNING_KEY_ARN,
      ModelPackageGroupArn: 'arn:aws:sagemaker:eu-west-2:111111111111:model-package-group/fraud-detector',
    });
  });

  test('the execution role names the registry\'s bucket (the verified object) and artifact key, decrypting through S3 only', () => {
    const statements = statementsOf(serving, 'FraudExecutionRole');
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [`arn:aws:s3:::${BUCKET}/`, { 'Fn::GetAtt': [gateId, 'ArtifactKey'] }]] } }),
      expect.objectContaining({
        Action: 'kms:Decrypt', Resource: ARTIFACT_KEY_ARN, Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-2.amazonaws.com' } },
      }),
    ]));
  });

  test('the gate\'s role names the package, the registry\'s registered copies (verified/), its artifact key and its signing key', () => {
    const statements = statementsOf(serving, 'FraudSignatureGateRole');
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'sagemaker:DescribeModelPackage', Resource: PACKAGE_ARN }),
      expect.objectContaining({ Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/verified/*` }),
      expect.objectContaining({ Action: 'kms:Decrypt', Resource: ARTIFACT_KEY_ARN }),
      expect.objectContaining({ Action: ['kms:Verify', 'kms:GetPublicKey'], Resource: SIGNING_KEY_ARN }),
    ]));
  });

  test('nothing in the serving account changes the registry\'s policies: no bucket, key or group resource there', () => {
    expect(Object.keys(serving.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: BUCKET } }))).toEqual([]);
    expect(JSON.stringify(serving.toJSON())).not.toMatch(/AWS::SageMaker::ModelPackageGroup/);
    const keyPolicies = Object.values(serving.findResources('AWS::KMS::Key')).map((k) => JSON.stringify(k.Properties.KeyPolicy));
    expect(keyPolicies.filter((p) => p.includes(SIGNING_KEY_ARN) || p.includes(ARTIFACT_KEY_ARN))).toEqual([]);
  });
});
