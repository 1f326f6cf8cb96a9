// The whole guideline as two stacks, one resource of each catalogue resource type, in its insecure default form or
// configured securely: built from the same builders, one per resource family, each given the posture to build. The list
// of resource types is derived from CATALOGUE: a type no builder knows is still added (as a bare resource, secured by the
// stack's tags), so a new type is never silently skipped. whole-guideline.test.ts judges them; linearity-workloads.test.ts
// repeats them.
import { TemplateFixture } from './harness';
import { CATALOGUE } from '../../src/nag/catalogue';

type Resources = TemplateFixture['Resources'];
type Props = Record<string, unknown>;
/** Which form a builder builds: the insecure default, or configured securely. */
export type Posture = 'insecure' | 'secure';

/** Every resource type some rule reads, from the catalogue. */
export const CATALOGUE_TYPES = [...new Set(CATALOGUE.flatMap((r) => r.resourceTypes))].sort();

const ACCOUNT_ROLE = (name: string) => `arn:aws:iam::111122223333:role/${name}`;
const KEY_ARN = { 'Fn::GetAtt': ['Key', 'Arn'] };
const BUCKET_ARN = { 'Fn::GetAtt': ['AiBucket', 'Arn'] };
const s3In = (path: string) => ({ 'Fn::Join': ['', ['s3://', { Ref: 'AiBucket' }, `/${path}`]] });
const VPC = { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] };
const PINNED_IMAGE = { 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/model@sha256:' + 'a'.repeat(64) };
const ENDPOINT_NAME = { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] };
const TOPIC_ARN = { Ref: 'Topic' };
const secure = (p: Posture) => p === 'secure';
const res = (Type: string, Properties: Props = {}) => ({ Type, Properties });

/** Stack tags. Both stacks are production (the prod-only rules V8, P23 apply); only the secure one is documented. */
export const STACK_TAGS: Record<Posture, Record<string, string>> = {
  insecure: { Environment: 'prod' },
  secure: {
    'Environment': 'prod',
    'DataClassification': 'confidential',
    'Owner': 'ml-platform',
    'ai:threat-model': 'https://wiki.example.com/threat-models/fraud',
    'ai:risk-owner': 'head-of-fraud',
    'ai:criticality': 'high',
  },
};

const LOG_PROTECTION = {
  Name: 'prompts',
  Version: '2021-06-01',
  Statement: [
    { Sid: 'audit', DataIdentifier: ['arn:aws:dataprotection::aws:data-identifier/EmailAddress'], Operation: { Audit: { FindingsDestination: {} } } },
    { Sid: 'redact', DataIdentifier: ['arn:aws:dataprotection::aws:data-identifier/EmailAddress'], Operation: { Deidentify: { MaskConfig: {} } } },
  ],
};
/** A log group of prompts, completions or AI access logs. */
const aiLogGroup = (p: Posture, name: string) => res('AWS::Logs::LogGroup', secure(p)
  ? { LogGroupName: name, KmsKeyId: KEY_ARN, RetentionInDays: 365, DataProtectionPolicy: LOG_PROTECTION }
  : { LogGroupName: name });

/** KMS keys: a symmetric key for the AI assets and (secure only) an asymmetric key to sign models. */
function keys(p: Posture): Resources {
  if (!secure(p)) return { Key: res('AWS::KMS::Key') };
  return {
    Key: res('AWS::KMS::Key', {
      EnableKeyRotation: true,
      RotationPeriodInDays: 365,
      KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' }] },
    }),
    SignKey: res('AWS::KMS::Key', { KeyUsage: 'SIGN_VERIFY', KeySpec: 'ECC_NIST_P384' }),
  };
}

/** The AI-asset bucket: model artifacts, data capture, monitoring output, knowledge-base source. */
function aiBucket(p: Posture): Resources {
  if (!secure(p)) return { AiBucket: res('AWS::S3::Bucket') };
  return {
    AiBucket: res('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } },
      LifecycleConfiguration: { Rules: [{ Id: 'expire', Status: 'Enabled', ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }] },
    }),
    AiBucketPolicy: res('AWS::S3::BucketPolicy', {
      Bucket: { Ref: 'AiBucket' },
      PolicyDocument: {
        Statement: [{
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [BUCKET_ARN, { 'Fn::Join': ['', [BUCKET_ARN, '/*']] }],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }],
      },
    }),
  };
}

/** AWS Backup of the AI bucket: a plan, its selection and vaults (secure: locked vault, air-gapped copy, notifications). */
function backup(p: Posture): Resources {
  const selection = res('AWS::Backup::BackupSelection', {
    BackupPlanId: { Ref: 'Plan' },
    BackupSelection: { SelectionName: 'ai', IamRoleArn: ACCOUNT_ROLE('backup'), Resources: [BUCKET_ARN] },
  });
  if (!secure(p)) {
    return {
      Vault: res('AWS::Backup::BackupVault', { BackupVaultName: 'ai-vault' }),
      Plan: res('AWS::Backup::BackupPlan', { BackupPlan: { BackupPlanName: 'ai', BackupPlanRule: [{ RuleName: 'daily', TargetBackupVault: { Ref: 'Vault' } }] } }),
      Selection: selection,
    };
  }
  const notifications = { SNSTopicArn: TOPIC_ARN, BackupVaultEvents: ['BACKUP_JOB_FAILED', 'RECOVERY_POINT_MODIFIED'] };
  return {
    Vault: res('AWS::Backup::BackupVault', {
      BackupVaultName: 'ai-vault', EncryptionKeyArn: KEY_ARN, LockConfiguration: { MinRetentionDays: 35, ChangeableForDays: 3 }, Notifications: notifications,
    }),
    Lag: res('AWS::Backup::LogicallyAirGappedBackupVault', { BackupVaultName: 'lag', MinRetentionDays: 35, MaxRetentionDays: 365, Notifications: notifications }),
    Plan: res('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: 'ai',
        BackupPlanRule: [{
          RuleName: 'daily',
          TargetBackupVault: { Ref: 'Vault' },
          Lifecycle: { DeleteAfterDays: 35 },
          CopyActions: [{ DestinationBackupVaultArn: { 'Fn::GetAtt': ['Lag', 'BackupVaultArn'] }, Lifecycle: { DeleteAfterDays: 35 } }],
        }],
      },
    }),
    Selection: selection,
  };
}

/** SageMaker hosting: model, package and group, card, endpoint configuration, endpoint, inference component, alarms. */
function sagemakerHosting(p: Posture): Resources {
  const model = secure(p)
    ? {
      ExecutionRoleArn: ACCOUNT_ROLE('model'),
      EnableNetworkIsolation: true,
      VpcConfig: VPC,
      PrimaryContainer: { ModelPackageName: { Ref: 'ModelPackage' } },
    }
    // Insecure: a public image by tag, weights from the app bucket, and more weights pulled from the Hugging Face Hub.
    : { ExecutionRoleArn: ACCOUNT_ROLE('model'), PrimaryContainer: { Image: 'huggingface/text-generation-inference:latest', ModelDataUrl: s3In('model.tar.gz'), Environment: { HF_MODEL_ID: 'meta-llama/Llama-3-8B' } } };
  const cardContent = {
    model_overview: { model_name: 'fraud' },
    intended_uses: { purpose_of_model: 'Score card transactions', intended_uses: 'Review queue only', risk_rating: 'Medium' },
    additional_information: { caveats_and_recommendations: 'Not for credit decisions.' },
    training_details: { training_job_details: { training_datasets: ['s3://data/fraud/'] } },
    evaluation_details: [{ name: 'holdout 2024' }],
  };
  const modelPackage = secure(p)
    ? {
      ModelPackageGroupName: { Ref: 'ModelPackageGroup' },
      ModelApprovalStatus: 'Approved',
      InferenceSpecification: { Containers: [{ Image: PINNED_IMAGE, ModelDataUrl: s3In('model.tar.gz') }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
      ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: s3In('evaluation/statistics.json') } } },
      ModelCard: { ModelCardStatus: 'Approved', ModelCardContent: JSON.stringify(cardContent) },
      SecurityConfig: { KmsKeyId: KEY_ARN },
    }
    : {
      ModelPackageGroupName: { Ref: 'ModelPackageGroup' },
      ModelApprovalStatus: 'Approved',
      InferenceSpecification: { Containers: [{ Image: 'huggingface/text-generation-inference:latest' }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
    };
  const card = secure(p)
    ? {
      ModelCardName: 'fraud',
      ModelCardStatus: 'Approved',
      SecurityConfig: { KmsKeyId: KEY_ARN },
      Content: {
        ModelOverview: { ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] } },
        IntendedUses: { PurposeOfModel: 'Score card transactions', IntendedUses: 'Review queue only', RiskRating: 'Medium' },
        AdditionalInformation: { CaveatsAndRecommendations: 'Not for credit decisions.' },
        TrainingDetails: { TrainingJobDetails: { TrainingDatasets: ['s3://data/fraud/'] } },
        EvaluationDetails: [{ Name: 'holdout 2024' }],
      },
    }
    : { ModelCardName: 'fraud', ModelCardStatus: 'Draft', Content: { ModelOverview: { ModelDescription: 'fraud scoring' } } };
  // The configuration hosts inference components: its variant names no model.
  const variant = { VariantName: 'AllTraffic', InstanceType: 'ml.m5.xlarge', InitialInstanceCount: secure(p) ? 2 : 1 };
  const endpointConfig = secure(p)
    ? {
      ExecutionRoleArn: ACCOUNT_ROLE('endpoint'),
      ProductionVariants: [variant],
      KmsKeyId: KEY_ARN,
      EnableNetworkIsolation: true,
      VpcConfig: VPC,
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 100,
        DestinationS3Uri: s3In('capture'),
        KmsKeyId: KEY_ARN,
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      },
    }
    // Insecure: data capture (the block P7 judges) records requests only and without a key.
    : {
      ExecutionRoleArn: ACCOUNT_ROLE('endpoint'),
      ProductionVariants: [variant],
      DataCaptureConfig: { InitialSamplingPercentage: 100, DestinationS3Uri: s3In('capture'), CaptureOptions: [{ CaptureMode: 'Input' }] },
    };
  const rollback = { AutoRollbackConfiguration: { Alarms: [{ AlarmName: { Ref: 'EndpointAlarm' } }] } };
  const endpoint = secure(p)
    ? {
      EndpointConfigName: { 'Fn::GetAtt': ['EndpointConfig', 'EndpointConfigName'] },
      DeploymentConfig: {
        BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'INSTANCE_COUNT', Value: 1 }, WaitIntervalInSeconds: 300 } },
        ...rollback,
      },
    }
    : { EndpointConfigName: { 'Fn::GetAtt': ['EndpointConfig', 'EndpointConfigName'] } };
  const component = {
    EndpointName: ENDPOINT_NAME,
    VariantName: 'AllTraffic',
    Specification: { ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] }, ComputeResourceRequirements: { MinMemoryRequiredInMb: 1024 } },
    RuntimeConfig: { CopyCount: 1 },
    ...(secure(p) ? { DeploymentConfig: { RollingUpdatePolicy: { MaximumBatchSize: { Type: 'COPY_COUNT', Value: 1 }, WaitIntervalInSeconds: 60 }, ...rollback } } : {}),
  };
  const group = secure(p)
    ? { ModelPackageGroupName: 'fraud' }
    // V9 judges only a group policy (none means same-account only): the insecure form shares the group with everyone.
    : { ModelPackageGroupName: 'fraud', ModelPackageGroupPolicy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sagemaker:DescribeModelPackage', Resource: '*' }] } };
  const out: Resources = {
    Model: res('AWS::SageMaker::Model', model),
    ModelPackageGroup: res('AWS::SageMaker::ModelPackageGroup', group),
    ModelPackage: res('AWS::SageMaker::ModelPackage', modelPackage),
    ModelCard: res('AWS::SageMaker::ModelCard', card),
    EndpointConfig: res('AWS::SageMaker::EndpointConfig', endpointConfig),
    Endpoint: res('AWS::SageMaker::Endpoint', endpoint),
    InferenceComponent: res('AWS::SageMaker::InferenceComponent', component),
  };
  if (secure(p)) Object.assign(out, alarms());
  return out;
}

/** CloudWatch alarms (with an SNS topic) on the endpoint and the guardrail. */
function alarms(): Resources {
  const alarm = (Namespace: string, MetricName: string, Dimensions: unknown[]) => res('AWS::CloudWatch::Alarm', {
    Namespace, MetricName, Dimensions, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, Threshold: 1, Statistic: 'Sum', Period: 60, AlarmActions: [TOPIC_ARN],
  });
  return {
    Topic: res('AWS::SNS::Topic', { KmsMasterKeyId: KEY_ARN }),
    EndpointAlarm: alarm('AWS/SageMaker', 'Invocation5XXErrors', [{ Name: 'EndpointName', Value: ENDPOINT_NAME }, { Name: 'VariantName', Value: 'AllTraffic' }]),
    GuardrailAlarm: alarm('AWS/Bedrock/Guardrails', 'InvocationsIntervened', [{ Name: 'GuardrailArn', Value: { 'Fn::GetAtt': ['Guardrail', 'GuardrailArn'] } }]),
  };
}

/** SageMaker model monitoring: the four job definitions, their schedules, and a processing job. */
function sagemakerMonitoring(p: Posture): Resources {
  const cluster = { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20, ...(secure(p) ? { VolumeKmsKeyId: KEY_ARN } : {}) };
  const network = secure(p) ? { NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true } } : {};
  const output = { MonitoringOutputs: [{ S3Output: { S3Uri: s3In('monitoring'), LocalPath: '/opt/ml/processing/output' } }], ...(secure(p) ? { KmsKeyId: KEY_ARN } : {}) };
  const input = { EndpointInput: { EndpointName: ENDPOINT_NAME, LocalPath: '/opt/ml/processing/input' } };
  const constraints = { ConstraintsResource: { S3Uri: s3In('baseline/constraints.json') } };
  const definition = (kind: string, extra: Props, baseline: Props) => res(`AWS::SageMaker::${kind}JobDefinition`, {
    RoleArn: ACCOUNT_ROLE('monitor'),
    [`${kind}AppSpecification`]: { ImageUri: PINNED_IMAGE },
    [`${kind}JobInput`]: { ...input, ...extra },
    [`${kind}JobOutputConfig`]: output,
    JobResources: { ClusterConfig: cluster },
    ...network,
    ...(secure(p) ? baseline : {}),
  });
  const schedule = (definitionName: string, type: string) => res('AWS::SageMaker::MonitoringSchedule', {
    MonitoringScheduleName: type.toLowerCase(),
    MonitoringScheduleConfig: {
      ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
      MonitoringJobDefinitionName: { 'Fn::GetAtt': [definitionName, 'JobDefinitionName'] },
      MonitoringType: type,
    },
  });
  // Secure: ground truth makes the model-quality job judge the endpoint, so it gets its own schedule too (O2).
  const groundTruth = secure(p) ? { GroundTruthS3Input: { S3Uri: s3In('ground-truth') } } : {};
  return {
    DataQuality: definition('DataQuality', {}, { DataQualityBaselineConfig: { ...constraints, StatisticsResource: { S3Uri: s3In('baseline/statistics.json') } } }),
    ModelQuality: definition('ModelQuality', groundTruth, { ModelQualityBaselineConfig: constraints }),
    ModelBias: definition('ModelBias', {}, { ModelBiasBaselineConfig: constraints }),
    ModelExplainability: definition('ModelExplainability', {}, { ModelExplainabilityBaselineConfig: constraints }),
    ...(secure(p) ? { DataQualitySchedule: schedule('DataQuality', 'DataQuality'), ModelQualitySchedule: schedule('ModelQuality', 'ModelQuality') } : {}),
    ProcessingJob: res('AWS::SageMaker::ProcessingJob', {
      RoleArn: ACCOUNT_ROLE('process'),
      AppSpecification: { ImageUri: PINNED_IMAGE },
      ProcessingResources: { ClusterConfig: cluster },
      ProcessingOutputConfig: { Outputs: [], ...(secure(p) ? { KmsKeyId: KEY_ARN } : {}) },
      ...network,
    }),
  };
}

/** SageMaker development: notebook instance, Studio domain and user profile, feature group, HyperPod cluster. */
function sagemakerDevelopment(p: Posture): Resources {
  const notebook = secure(p)
    ? {
      InstanceType: 'ml.t3.medium',
      RoleArn: ACCOUNT_ROLE('notebook'),
      RootAccess: 'Disabled',
      DirectInternetAccess: 'Disabled',
      SubnetId: 'subnet-1',
      SecurityGroupIds: ['sg-1'],
      KmsKeyId: KEY_ARN,
      PlatformIdentifier: 'notebook-al2023-v1',
      InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: '2' },
    }
    : { InstanceType: 'ml.t3.medium', RoleArn: ACCOUNT_ROLE('notebook') };
  const domain = secure(p)
    ? {
      DomainName: 'studio',
      AuthMode: 'IAM',
      AppNetworkAccessType: 'VpcOnly',
      SubnetIds: [{ Ref: 'AiSubnet' }],
      VpcId: { Ref: 'AiVpc' },
      KmsKeyId: KEY_ARN,
      DefaultUserSettings: { ExecutionRole: ACCOUNT_ROLE('studio'), SecurityGroups: ['sg-1'] },
      DomainSettings: { SecurityGroupIds: [{ 'Fn::GetAtt': ['AiGroup', 'GroupId'] }] },
    }
    : {
      DomainName: 'studio',
      AuthMode: 'IAM',
      SubnetIds: [{ Ref: 'AiSubnet' }],
      VpcId: { Ref: 'AiVpc' },
      DefaultUserSettings: { ExecutionRole: ACCOUNT_ROLE('studio') },
      DomainSettings: { SecurityGroupIds: [{ 'Fn::GetAtt': ['AiGroup', 'GroupId'] }] },
    };
  return {
    Notebook: res('AWS::SageMaker::NotebookInstance', notebook),
    Domain: res('AWS::SageMaker::Domain', domain),
    // P4 judges only notebook sharing, off unless configured: the insecure profile shares cell output unencrypted, outside the app.
    UserProfile: res('AWS::SageMaker::UserProfile', {
      DomainId: { Ref: 'Domain' },
      UserProfileName: 'analyst',
      ...(secure(p) ? {} : { UserSettings: { SharingSettings: { NotebookOutputOption: 'Allowed', S3OutputPath: 's3://shared-notebooks/' } } }),
    }),
    FeatureGroup: res('AWS::SageMaker::FeatureGroup', {
      FeatureGroupName: 'transactions',
      RecordIdentifierFeatureName: 'id',
      EventTimeFeatureName: 'ts',
      FeatureDefinitions: [{ FeatureName: 'id', FeatureType: 'String' }, { FeatureName: 'ts', FeatureType: 'String' }],
      OnlineStoreConfig: { EnableOnlineStore: true, ...(secure(p) ? { SecurityConfig: { KmsKeyId: KEY_ARN } } : {}) },
    }),
    Cluster: res('AWS::SageMaker::Cluster', {
      ClusterName: 'hyperpod',
      InstanceGroups: [{
        InstanceGroupName: 'workers',
        InstanceType: 'ml.m5.xlarge',
        InstanceCount: 2,
        ExecutionRole: ACCOUNT_ROLE('cluster'),
        LifeCycleConfig: { SourceS3Uri: 's3://lifecycle/', OnCreate: 'on_create.sh' },
        ...(secure(p) ? { ScheduledUpdateConfig: { ScheduleExpression: 'cron(0 3 ? * SUN *)' } } : {}),
      }],
    }),
  };
}

/** A SageMaker pipeline with one training step, its role (secure: may sign with the signing key), and a CodeBuild project. */
function pipelines(p: Posture): Resources {
  const training = {
    AlgorithmSpecification: { TrainingImage: secure(p) ? '@IMAGE@' : 'docker.io/library/trainer:latest', TrainingInputMode: 'File' },
    RoleArn: ACCOUNT_ROLE('train'),
    OutputDataConfig: { S3OutputPath: 's3://training-output/', ...(secure(p) ? { KmsKeyId: 'arn:aws:kms:eu-west-2:111122223333:key/abc' } : {}) },
    ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30, ...(secure(p) ? { VolumeKmsKeyId: 'arn:aws:kms:eu-west-2:111122223333:key/abc' } : {}) },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    ...(secure(p) ? { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true, VpcConfig: VPC } : {}),
  };
  // Secure: the training image is the app's repository pinned by digest, joined into the definition as the CDK writes it.
  const [before, after] = JSON.stringify({ Version: '2020-12-01', Parameters: [], Steps: [{ Name: 'Train', Type: 'Training', Arguments: training }] }).split('@IMAGE@');
  const body = after === undefined ? before
    : { 'Fn::Join': ['', [before, { 'Fn::GetAtt': ['Repository', 'RepositoryUri'] }, '@sha256:' + 'b'.repeat(64), after]] };
  const role = res('AWS::IAM::Role', {
    AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    ...(secure(p) ? { Policies: [{ PolicyName: 'sign', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:Sign', Resource: { 'Fn::GetAtt': ['SignKey', 'Arn'] } }] } }] } : {}),
  });
  const environment = { Type: 'LINUX_CONTAINER', ComputeType: 'BUILD_GENERAL1_SMALL', Image: 'aws/codebuild/standard:7.0' };
  return {
    PipelineRole: role,
    Pipeline: res('AWS::SageMaker::Pipeline', { PipelineName: 'train', RoleArn: { 'Fn::GetAtt': ['PipelineRole', 'Arn'] }, PipelineDefinition: { PipelineDefinitionBody: body } }),
    Build: res('AWS::CodeBuild::Project', {
      ServiceRole: ACCOUNT_ROLE('build'),
      Source: { Type: 'CODEPIPELINE' },
      Artifacts: { Type: 'CODEPIPELINE' },
      Environment: environment,
      ...(secure(p) ? { EncryptionKey: KEY_ARN } : {}),
    }),
    Repository: res('AWS::ECR::Repository', secure(p)
      ? {
        ImageScanningConfiguration: { ScanOnPush: true },
        ImageTagMutability: 'IMMUTABLE',
        LifecyclePolicy: { LifecyclePolicyText: JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 10 }, action: { type: 'expire' } }] }) },
      }
      : {}),
  };
}

/** Bedrock guardrail, its numbered version, and (secure) the account's enforced guardrail configuration. */
function guardrails(p: Posture): Resources {
  const base = { Name: 'support', BlockedInputMessaging: 'blocked', BlockedOutputsMessaging: 'blocked', Tags: [{ Key: 'ai:exposure', Value: 'external' }] };
  const filter = (Type: string) => ({ Type, InputStrength: 'HIGH', OutputStrength: 'HIGH' });
  const guardrail = secure(p)
    ? {
      ...base,
      KmsKeyArn: KEY_ARN,
      ContentPolicyConfig: { FiltersConfig: [{ Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' }, ...['HATE', 'INSULTS', 'SEXUAL', 'VIOLENCE', 'MISCONDUCT'].map(filter)] },
      SensitiveInformationPolicyConfig: { PiiEntitiesConfig: [{ Type: 'EMAIL', Action: 'ANONYMIZE' }] },
      ContextualGroundingPolicyConfig: { FiltersConfig: [{ Type: 'GROUNDING', Threshold: 0.75 }, { Type: 'RELEVANCE', Threshold: 0.75 }] },
      TopicPolicyConfig: { TopicsConfig: [{ Name: 'investment-advice', Definition: 'Recommendations on investments', Type: 'DENY' }] },
    }
    : base;
  return {
    Guardrail: res('AWS::Bedrock::Guardrail', guardrail),
    GuardrailVersion: res('AWS::Bedrock::GuardrailVersion', { GuardrailIdentifier: { 'Fn::GetAtt': ['Guardrail', 'GuardrailId'] } }),
    ...(secure(p) ? {
      EnforcedGuardrail: res('AWS::Bedrock::EnforcedGuardrailConfiguration', {
        GuardrailIdentifier: { 'Fn::GetAtt': ['Guardrail', 'GuardrailId'] }, GuardrailVersion: { 'Fn::GetAtt': ['GuardrailVersion', 'Version'] },
      }),
    } : {}),
  };
}

/** A Bedrock agent running a Lambda action group, with a knowledge base over the AI bucket, an alias, and the function. */
function bedrockAgents(p: Posture): Resources {
  const guardrailConfig = { GuardrailIdentifier: { 'Fn::GetAtt': ['Guardrail', 'GuardrailId'] }, GuardrailVersion: { 'Fn::GetAtt': ['GuardrailVersion', 'Version'] } };
  const actionGroup = {
    ActionGroupName: 'refunds',
    ActionGroupExecutor: { Lambda: { 'Fn::GetAtt': ['AgentFunction', 'Arn'] } },
    FunctionSchema: { Functions: [{ Name: 'issue_refund', Parameters: {}, ...(secure(p) ? { RequireConfirmation: 'ENABLED' } : {}) }] },
  };
  const knowledgeBases = [{ KnowledgeBaseId: { Ref: 'KnowledgeBase' }, Description: 'policies' }];
  const common = { AgentName: 'support', FoundationModel: 'anthropic.claude-3-haiku-20240307-v1:0', Instruction: 'Help customers with refunds.' };
  const agents: Resources = secure(p)
    ? {
      Agent: res('AWS::Bedrock::Agent', {
        ...common,
        AgentResourceRoleArn: ACCOUNT_ROLE('agent'),
        CustomerEncryptionKeyArn: KEY_ARN,
        IdleSessionTTLInSeconds: 600,
        GuardrailConfiguration: guardrailConfig,
        ActionGroups: [actionGroup],
        KnowledgeBases: knowledgeBases,
      }),
    }
    // Insecure: one agent with no guardrail that runs code; a retrieval agent whose guardrail has no grounding check.
    // Both use the same service role.
    : {
      Agent: res('AWS::Bedrock::Agent', {
        ...common,
        AgentResourceRoleArn: ACCOUNT_ROLE('agent'),
        ActionGroups: [actionGroup, { ActionGroupName: 'code', ParentActionGroupSignature: 'AMAZON.CodeInterpreter' }],
      }),
      // Encrypted with the app's key, so the key (left at its defaults, no rotation) is a key of AI assets (P16).
      RagAgent: res('AWS::Bedrock::Agent', {
        ...common, AgentName: 'rag', AgentResourceRoleArn: ACCOUNT_ROLE('agent'), CustomerEncryptionKeyArn: KEY_ARN, GuardrailConfiguration: guardrailConfig, KnowledgeBases: knowledgeBases,
      }),
    };
  const kbRole = res('AWS::IAM::Role', {
    AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    Policies: [{
      PolicyName: 'read',
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: secure(p) ? { 'Fn::Join': ['', [BUCKET_ARN, '/docs/*']] } : '*' }] },
    }],
  });
  return {
    ...agents,
    AgentAlias: res('AWS::Bedrock::AgentAlias', {
      AgentId: { Ref: 'Agent' },
      AgentAliasName: 'live',
      ...(secure(p) ? { RoutingConfiguration: [{ AgentVersion: '1' }], Tags: { 'ai:evaluation-report': 's3://evidence/agent-eval.pdf' } } : {}),
    }),
    AgentFunction: res('AWS::Lambda::Function', {
      Runtime: 'python3.12',
      Handler: 'index.handler',
      Code: { ZipFile: 'def handler(e, c): return {}' },
      Role: ACCOUNT_ROLE('refunds'),
      ...(secure(p) ? { CodeSigningConfigArn: { 'Fn::GetAtt': ['Signing', 'CodeSigningConfigArn'] }, LoggingConfig: { LogGroup: { Ref: 'AgentFunctionLogs' } } } : {}),
    }),
    ...(secure(p) ? {
      Signing: res('AWS::Lambda::CodeSigningConfig', {
        AllowedPublishers: { SigningProfileVersionArns: ['arn:aws:signer:eu-west-2:111122223333:/signing-profiles/p/abc'] },
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
      }),
      AgentFunctionLogs: aiLogGroup(p, '/aws/lambda/refunds'),
      FunctionUrl: res('AWS::Lambda::Url', { TargetFunctionArn: { 'Fn::GetAtt': ['AgentFunction', 'Arn'] }, AuthType: 'AWS_IAM' }),
    } : {
      FunctionUrl: res('AWS::Lambda::Url', { TargetFunctionArn: { 'Fn::GetAtt': ['AgentFunction', 'Arn'] }, AuthType: 'NONE' }),
    }),
    KnowledgeBaseRole: kbRole,
    KnowledgeBase: res('AWS::Bedrock::KnowledgeBase', {
      Name: 'policies',
      RoleArn: { 'Fn::GetAtt': ['KnowledgeBaseRole', 'Arn'] },
      KnowledgeBaseConfiguration: { Type: 'VECTOR', VectorKnowledgeBaseConfiguration: { EmbeddingModelArn: 'arn:aws:bedrock:eu-west-2::foundation-model/amazon.titan-embed-text-v2:0' } },
      StorageConfiguration: { Type: 'OPENSEARCH_SERVERLESS', OpensearchServerlessConfiguration: { CollectionArn: { 'Fn::GetAtt': ['VectorCollection', 'Arn'] }, VectorIndexName: 'i', FieldMapping: { VectorField: 'v', TextField: 't', MetadataField: 'm' } } },
    }),
    DataSource: res('AWS::Bedrock::DataSource', {
      Name: 'docs',
      KnowledgeBaseId: { Ref: 'KnowledgeBase' },
      DataSourceConfiguration: { Type: 'S3', S3Configuration: { BucketArn: BUCKET_ARN, ...(secure(p) ? { InclusionPrefixes: ['docs/'] } : {}) } },
      ...(secure(p) ? { ServerSideEncryptionConfiguration: { KmsKeyArn: KEY_ARN } } : {}),
    }),
    // Another knowledge base's S3 vector store: insecure, S3-managed keys (the default); its index inherits them.
    VectorBucket: res('AWS::S3Vectors::VectorBucket', secure(p) ? { EncryptionConfiguration: { SseType: 'aws:kms', KmsKeyArn: KEY_ARN } } : {}),
    VectorIndex: res('AWS::S3Vectors::Index', {
      VectorBucketArn: { 'Fn::GetAtt': ['VectorBucket', 'VectorBucketArn'] },
      DataType: 'float32',
      Dimension: 1024,
      DistanceMetric: 'cosine',
      ...(secure(p) ? { EncryptionConfiguration: { SseType: 'aws:kms', KmsKeyArn: KEY_ARN } } : {}),
    }),
  };
}

/** Bedrock prompts and flows, with their versions and alias. */
function bedrockPromptsAndFlows(p: Posture): Resources {
  const variants = [{ Name: 'v', TemplateType: 'TEXT', TemplateConfiguration: { Text: { Text: 'Summarise {{document}}' } } }];
  const flowDefinition = {
    Nodes: [
      { Name: 'In', Type: 'Input', Outputs: [{ Name: 'document', Type: 'String' }] },
      { Name: 'Out', Type: 'Output', Inputs: [{ Name: 'document', Type: 'String', Expression: '$.data' }] },
    ],
    Connections: [{ Name: 'c', Source: 'In', Target: 'Out', Type: 'Data', Configuration: { Data: { SourceOutput: 'document', TargetInput: 'document' } } }],
  };
  return {
    Prompt: res('AWS::Bedrock::Prompt', secure(p)
      ? { Name: 'summarise', Description: 'Summarises a document', CustomerEncryptionKeyArn: KEY_ARN, Variants: variants, DefaultVariant: 'v' }
      : { Name: 'summarise', Variants: variants, DefaultVariant: 'v' }),
    ...(secure(p) ? { PromptVersion: res('AWS::Bedrock::PromptVersion', { PromptArn: { 'Fn::GetAtt': ['Prompt', 'Arn'] }, Description: 'first release' }) } : {}),
    Flow: res('AWS::Bedrock::Flow', {
      Name: 'summary', ExecutionRoleArn: ACCOUNT_ROLE('flow'), Definition: flowDefinition, ...(secure(p) ? { CustomerEncryptionKeyArn: KEY_ARN } : {}),
    }),
    FlowVersion: res('AWS::Bedrock::FlowVersion', { FlowArn: { 'Fn::GetAtt': ['Flow', 'Arn'] } }),
    FlowAlias: res('AWS::Bedrock::FlowAlias', {
      Name: 'live',
      FlowArn: { 'Fn::GetAtt': ['Flow', 'Arn'] },
      RoutingConfiguration: [{ FlowVersion: secure(p) ? { 'Fn::GetAtt': ['FlowVersion', 'Version'] } : { 'Fn::GetAtt': ['Flow', 'Version'] } }],
    }),
  };
}

/** Bedrock model-invocation logging, as AwsCustomResource renders it, to an encrypted log group (secure only). */
function invocationLogging(p: Posture): Resources {
  if (!secure(p)) return {};
  const create = '{"service":"Bedrock","action":"PutModelInvocationLoggingConfiguration","parameters":{"loggingConfig":{"textDataDeliveryEnabled":true,"cloudWatchConfig":{"logGroupName":"';
  return {
    InvocationLogs: aiLogGroup(p, '/aws/bedrock/invocations'),
    InvocationLogging: res('Custom::AWS', {
      ServiceToken: 'arn:aws:lambda:eu-west-2:111122223333:function:provider',
      Create: { 'Fn::Join': ['', [create, { Ref: 'InvocationLogs' }, '","roleArn":"arn:aws:iam::111122223333:role/logs"}}}}']] },
    }),
  };
}

/** AgentCore: runtime, gateway, memory, code interpreter and browser. */
function agentCore(p: Posture): Resources {
  const vpcMode = { NetworkMode: 'VPC', NetworkModeConfig: { Subnets: ['subnet-1'], SecurityGroups: ['sg-1'] } };
  const network = secure(p) ? vpcMode : { NetworkMode: 'PUBLIC' };
  return {
    Runtime: res('AWS::BedrockAgentCore::Runtime', {
      AgentRuntimeName: 'assistant',
      RoleArn: ACCOUNT_ROLE('runtime'),
      NetworkConfiguration: network,
      AgentRuntimeArtifact: { ContainerConfiguration: { ContainerUri: secure(p) ? PINNED_IMAGE : 'ghcr.io/example/agent:latest' } },
    }),
    // Insecure: no authorizer; and D16 judges ExceptionLevel, absent unless configured: the insecure gateway turns on DEBUG.
    Gateway: res('AWS::BedrockAgentCore::Gateway', secure(p)
      ? { Name: 'tools', RoleArn: ACCOUNT_ROLE('gateway'), ProtocolType: 'MCP', AuthorizerType: 'AWS_IAM', KmsKeyArn: KEY_ARN }
      : { Name: 'tools', RoleArn: ACCOUNT_ROLE('gateway'), ProtocolType: 'MCP', AuthorizerType: 'NONE', ExceptionLevel: 'DEBUG' }),
    // EventExpiryDuration is required (7 to 365 days): the insecure memory keeps events for the maximum.
    Memory: res('AWS::BedrockAgentCore::Memory', secure(p) ? { Name: 'memory', EventExpiryDuration: 30, EncryptionKeyArn: KEY_ARN } : { Name: 'memory', EventExpiryDuration: 365 }),
    CodeInterpreter: res('AWS::BedrockAgentCore::CodeInterpreterCustom', { Name: 'interpreter', NetworkConfiguration: network }),
    Browser: res('AWS::BedrockAgentCore::BrowserCustom', { Name: 'browser', NetworkConfiguration: network }),
  };
}

/** A REST API fronting the SageMaker endpoint (secure: authorized, validated, throttled, logged, behind a WAF) and a non-AI HTTP API. */
function inferenceApis(p: Posture): Resources {
  const uri = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':runtime.sagemaker:path//endpoints/', ENDPOINT_NAME, '/invocations']] };
  const stageArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/restapis/', { Ref: 'Api' }, '/stages/', { Ref: 'Stage' }]] };
  const throttle = { HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50 };
  const visibility = { CloudWatchMetricsEnabled: true, MetricName: 'm', SampledRequestsEnabled: true };
  const out: Resources = {
    Api: res('AWS::ApiGateway::RestApi', { Name: 'inference' }),
    Method: res('AWS::ApiGateway::Method', {
      RestApiId: { Ref: 'Api' },
      ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
      HttpMethod: 'POST',
      AuthorizationType: secure(p) ? 'AWS_IAM' : 'NONE',
      Integration: { Type: 'AWS', IntegrationHttpMethod: 'POST', Uri: uri, Credentials: ACCOUNT_ROLE('api-invoke') },
      ...(secure(p) ? { RequestValidatorId: { Ref: 'RequestValidator' }, RequestModels: { 'application/json': { Ref: 'PromptModel' } } } : {}),
    }),
    // D18: the secure method is validated against a schema; the insecure one has no validator.
    RequestValidator: res('AWS::ApiGateway::RequestValidator', { RestApiId: { Ref: 'Api' }, ValidateRequestBody: true }),
    PromptModel: res('AWS::ApiGateway::Model', { RestApiId: { Ref: 'Api' }, ContentType: 'application/json', Schema: { type: 'object', additionalProperties: false } }),
    Deployment: res('AWS::ApiGateway::Deployment', { RestApiId: { Ref: 'Api' } }),
    // D16 judges DataTraceEnabled, off unless configured: the insecure stage turns on full request/response logging.
    Stage: res('AWS::ApiGateway::Stage', secure(p)
      ? {
        RestApiId: { Ref: 'Api' },
        DeploymentId: { Ref: 'Deployment' },
        StageName: 'prod',
        MethodSettings: [throttle],
        AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': ['ApiAccessLogs', 'Arn'] }, Format: '$context.requestId $context.status' },
      }
      : { RestApiId: { Ref: 'Api' }, DeploymentId: { Ref: 'Deployment' }, StageName: 'prod', MethodSettings: [{ HttpMethod: '*', ResourcePath: '/*', DataTraceEnabled: true }] }),
    HttpApi: res('AWS::ApiGatewayV2::Api', { Name: 'status', ProtocolType: 'HTTP' }),
    HttpRoute: res('AWS::ApiGatewayV2::Route', { ApiId: { Ref: 'HttpApi' }, RouteKey: 'GET /health', AuthorizationType: 'AWS_IAM' }),
    HttpStage: res('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: 'HttpApi' }, StageName: '$default', DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 5 },
    }),
    WebAcl: res('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: visibility,
      Rules: secure(p) ? [{ Name: 'rate', Priority: 0, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } }, VisibilityConfig: visibility }] : [],
    }),
  };
  if (secure(p)) {
    Object.assign(out, {
      ApiAccessLogs: aiLogGroup(p, 'inference-access'),
      WebAclAssociation: res('AWS::WAFv2::WebACLAssociation', { WebACLArn: { 'Fn::GetAtt': ['WebAcl', 'Arn'] }, ResourceArn: stageArn }),
      WafLogs: res('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-inference', KmsKeyId: KEY_ARN, RetentionInDays: 365 }),
      WafLogging: res('AWS::WAFv2::LoggingConfiguration', { ResourceArn: { 'Fn::GetAtt': ['WebAcl', 'Arn'] }, LogDestinationConfigs: [{ 'Fn::GetAtt': ['WafLogs', 'Arn'] }] }),
    });
  }
  return out;
}

/** IAM: an application policy allowed to invoke a model (secure: a named model, through a guardrail). */
function iam(p: Posture): Resources {
  const statement = secure(p)
    ? {
      Effect: 'Allow',
      Action: 'bedrock:InvokeModel',
      Resource: 'arn:aws:bedrock:eu-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
      Condition: { StringEquals: { 'bedrock:GuardrailIdentifier': { 'Fn::GetAtt': ['Guardrail', 'GuardrailArn'] } } },
    }
    : { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' };
  return {
    AppRole: res('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] } }),
    AppPolicy: res('AWS::IAM::Policy', { PolicyName: 'invoke', Roles: [{ Ref: 'AppRole' }], PolicyDocument: { Version: '2012-10-17', Statement: [statement] } }),
  };
}

/**
 * CloudTrail (secure: validated, encrypted, streamed, with data events for every AI data-event type), a CloudTrail Lake
 * event data store (secure: encrypted, its other settings CloudTrail's defaults) and a Bedrock log group of prompts.
 */
function audit(p: Posture): Resources {
  const dataEvents = ['AWS::Bedrock::AgentAlias', 'AWS::Bedrock::KnowledgeBase', 'AWS::Bedrock::FlowAlias', 'AWS::Bedrock::Guardrail', 'AWS::Bedrock::PromptVersion',
    'AWS::BedrockAgentCore::Runtime', 'AWS::BedrockAgentCore::Gateway', 'AWS::SageMaker::FeatureGroup', 'AWS::S3::Object'];
  const trail = secure(p)
    ? {
      IsLogging: true,
      S3BucketName: 'audit-logs',
      EnableLogFileValidation: true,
      KMSKeyId: KEY_ARN,
      IsMultiRegionTrail: true,
      CloudWatchLogsLogGroupArn: 'arn:aws:logs:eu-west-2:111122223333:log-group:trail:*',
      CloudWatchLogsRoleArn: ACCOUNT_ROLE('trail'),
      // With advanced selectors a trail keeps management events only when a selector asks for them (P20), as AuditTrail's does.
      AdvancedEventSelectors: [{ Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }, ...dataEvents.map((type) => ({
        Name: `data ${type}`, FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: [type] }],
      }))],
    }
    : { IsLogging: true, S3BucketName: 'audit-logs' };
  const lake = secure(p) ? { Name: 'audit', KmsKeyId: KEY_ARN } : { Name: 'audit', TerminationProtectionEnabled: false };
  return { Trail: res('AWS::CloudTrail::Trail', trail), Lake: res('AWS::CloudTrail::EventDataStore', lake), AgentLogs: aiLogGroup(p, '/aws/bedrock/agents/support') };
}

/**
 * The network of the Studio domain: its VPC, subnet, security group and routes (insecure: open to the internet, public
 * subnet, no flow log; secure: ingress from the VPC only, a NAT route, a flow log of all traffic).
 */
function vpcNetwork(p: Posture): Resources {
  const open = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: secure(p) ? '10.0.0.0/16' : '0.0.0.0/0' };
  return {
    AiVpc: res('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' }),
    AiSubnet: res('AWS::EC2::Subnet', { VpcId: { Ref: 'AiVpc' }, CidrBlock: '10.0.0.0/24', ...(secure(p) ? {} : { MapPublicIpOnLaunch: true }) }),
    AiGroup: res('AWS::EC2::SecurityGroup', { GroupDescription: 'studio', VpcId: { Ref: 'AiVpc' }, SecurityGroupIngress: [open] }),
    AiGroupIngress: res('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': ['AiGroup', 'GroupId'] }, IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, ...(secure(p) ? { SourceSecurityGroupId: 'sg-callers' } : { CidrIpv6: '::/0' }),
    }),
    Igw: res('AWS::EC2::InternetGateway'),
    Nat: res('AWS::EC2::NatGateway', { SubnetId: 'subnet-public', AllocationId: 'eipalloc-1' }),
    AiRoutes: res('AWS::EC2::RouteTable', { VpcId: { Ref: 'AiVpc' } }),
    AiRoutesAssociation: res('AWS::EC2::SubnetRouteTableAssociation', { SubnetId: { Ref: 'AiSubnet' }, RouteTableId: { Ref: 'AiRoutes' } }),
    AiDefaultRoute: res('AWS::EC2::Route', { RouteTableId: { Ref: 'AiRoutes' }, DestinationCidrBlock: '0.0.0.0/0', ...(secure(p) ? { NatGatewayId: { Ref: 'Nat' } } : { GatewayId: { Ref: 'Igw' } }) }),
    ...(secure(p) ? { FlowLog: res('AWS::EC2::FlowLog', { ResourceId: { Ref: 'AiVpc' }, ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-logs' }) } : {}),
  };
}

/** A state machine that asks a Bedrock model (secure: every execution logged with its data to an encrypted log group). */
function orchestration(p: Posture): Resources {
  const definition = '{"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::bedrock:invokeModel",'
    + '"Parameters":{"ModelId":"anthropic.claude-3-haiku-20240307-v1:0","Body":{"prompt.$":"$.prompt"}},"End":true}}}';
  const logging = { Level: 'ALL', IncludeExecutionData: true, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': ['WorkflowLogs', 'Arn'] } } }] };
  return {
    WorkflowLogs: res('AWS::Logs::LogGroup', secure(p) ? { KmsKeyId: KEY_ARN, RetentionInDays: 365 } : {}),
    Workflow: res('AWS::StepFunctions::StateMachine', {
      RoleArn: ACCOUNT_ROLE('workflow'),
      DefinitionString: definition,
      ...(secure(p) ? { LoggingConfiguration: logging } : {}),
    }),
  };
}

/** The knowledge base's vector store: an OpenSearch Serverless collection and its policies (insecure: public, AWS-owned key). */
function vectorStores(p: Posture): Resources {
  const rules = [{ ResourceType: 'collection', Resource: ['collection/kb*'] }];
  const network = [{ Rules: rules, AllowFromPublic: !secure(p), ...(secure(p) ? { SourceVPCEs: ['vpce-1'] } : {}) }];
  const encryption = secure(p) ? { Rules: rules, AWSOwnedKey: false, KmsARN: 'arn:aws:kms:eu-west-2:111122223333:key/abc' } : { Rules: rules, AWSOwnedKey: true };
  return {
    VectorCollection: res('AWS::OpenSearchServerless::Collection', { Name: 'kb', Type: 'VECTORSEARCH' }),
    VectorNetwork: res('AWS::OpenSearchServerless::SecurityPolicy', { Name: 'kb-network', Type: 'network', Policy: JSON.stringify(network) }),
    VectorEncryption: res('AWS::OpenSearchServerless::SecurityPolicy', { Name: 'kb-encryption', Type: 'encryption', Policy: JSON.stringify(encryption) }),
  };
}

/** The whole stack of one posture; types of the catalogue no builder covers are added bare. */
export function fixture(p: Posture): Resources {
  const resources: Resources = {
    ...keys(p),
    ...aiBucket(p),
    ...backup(p),
    ...sagemakerHosting(p),
    ...sagemakerMonitoring(p),
    ...sagemakerDevelopment(p),
    ...vpcNetwork(p),
    ...orchestration(p),
    ...vectorStores(p),
    ...pipelines(p),
    ...guardrails(p),
    ...bedrockAgents(p),
    ...bedrockPromptsAndFlows(p),
    ...invocationLogging(p),
    ...agentCore(p),
    ...inferenceApis(p),
    ...iam(p),
    ...audit(p),
  };
  const present = new Set(Object.values(resources).map((r) => r.Type));
  for (const type of CATALOGUE_TYPES.filter((t) => !present.has(t))) {
    resources[`Bare${type.replace(/[^A-Za-z0-9]/g, '')}`] = res(type);
  }
  return resources;
}
