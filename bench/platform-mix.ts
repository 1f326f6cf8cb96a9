import { App } from 'aws-cdk-lib';
import { stackOf, TemplateFixture } from '../test/nag/harness';

type Resources = TemplateFixture['Resources'];

/** Resources in one unit of the mix: see {@link platformUnit}. */
export const UNIT_SIZE = 25;

/** Units per stack when an app is split as real apps are: 17 units, 425 resources (CloudFormation allows 500). */
export const UNITS_PER_STACK = 17;

const ref = (id: string) => ({ Ref: id });
const att = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });

/**
 * One realistic slice of an AI platform, as raw CloudFormation, with the cross-references the cross-resource rules
 * follow: a VPC with its flow log; a customer-managed key; an artifact bucket (encrypted with the key) with its
 * policy; an execution role and policy; a SageMaker model, endpoint config (key, data capture to the bucket) and
 * endpoint with a monitoring schedule and its log group; an API Gateway REST API, deployment and stage with access
 * logs, behind a WAF web ACL with a rate rule; a backup vault, plan and selection covering the bucket; a Bedrock
 * guardrail and an agent that uses it. Logical IDs and names carry `n` so units never collide.
 */
export function platformUnit(n: number): Resources {
  const p = (id: string) => `${id}${n}`;
  const bucketName = `ai-artifacts-${n}`;
  const tags = [
    { Key: 'DataClassification', Value: 'confidential' },
    { Key: 'Owner', Value: 'ml-platform' },
    { Key: 'Environment', Value: 'prod' },
  ];
  return {
    [p('Vpc')]: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    [p('Subnet')]: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: ref(p('Vpc')), CidrBlock: '10.0.0.0/24' } },
    [p('FlowLog')]: {
      Type: 'AWS::EC2::FlowLog',
      Properties: { ResourceId: ref(p('Vpc')), ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', LogGroupName: ref(p('FlowLogs')) },
    },
    [p('FlowLogs')]: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365, KmsKeyId: att(p('Key'), 'Arn') } },
    [p('Key')]: {
      Type: 'AWS::KMS::Key',
      Properties: {
        EnableKeyRotation: true,
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' }],
        },
        Tags: tags,
      },
    },
    [p('Artifacts')]: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: bucketName,
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: att(p('Key'), 'Arn') } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        ObjectLockEnabled: true,
        Tags: tags,
      },
    },
    [p('ArtifactsPolicy')]: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: ref(p('Artifacts')),
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: [att(p('Artifacts'), 'Arn'), { 'Fn::Join': ['', [att(p('Artifacts'), 'Arn'), '/*']] }],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }],
        },
      },
    },
    [p('ExecutionRole')]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
      },
    },
    [p('ExecutionPolicy')]: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: p('execution'),
        Roles: [ref(p('ExecutionRole'))],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::${bucketName}/*` },
            { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: att(p('Key'), 'Arn') },
          ],
        },
      },
    },
    [p('Model')]: {
      Type: 'AWS::SageMaker::Model',
      Properties: {
        ExecutionRoleArn: att(p('ExecutionRole'), 'Arn'),
        EnableNetworkIsolation: true,
        PrimaryContainer: {
          Image: '123456789012.dkr.ecr.eu-west-2.amazonaws.com/fraud@sha256:' + 'a'.repeat(64),
          ModelDataUrl: `s3://${bucketName}/model.tar.gz`,
        },
        VpcConfig: { SecurityGroupIds: ['sg-12345678'], Subnets: [ref(p('Subnet'))] },
        Tags: tags,
      },
    },
    [p('EndpointConfig')]: {
      Type: 'AWS::SageMaker::EndpointConfig',
      Properties: {
        KmsKeyId: ref(p('Key')),
        ProductionVariants: [{ ModelName: att(p('Model'), 'ModelName'), VariantName: 'primary', InitialInstanceCount: 2, InstanceType: 'ml.m5.large' }],
        DataCaptureConfig: {
          EnableCapture: true,
          InitialSamplingPercentage: 100,
          DestinationS3Uri: `s3://${bucketName}/capture`,
          KmsKeyId: ref(p('Key')),
          CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        },
        Tags: tags,
      },
    },
    [p('Endpoint')]: {
      Type: 'AWS::SageMaker::Endpoint',
      Properties: { EndpointConfigName: att(p('EndpointConfig'), 'EndpointConfigName'), EndpointName: p('fraud-'), Tags: tags },
    },
    [p('Monitoring')]: {
      Type: 'AWS::SageMaker::MonitoringSchedule',
      Properties: {
        MonitoringScheduleName: p('fraud-monitor-'),
        EndpointName: att(p('Endpoint'), 'EndpointName'),
        MonitoringScheduleConfig: { MonitoringType: 'DataQuality', MonitoringJobDefinitionName: p('fraud-quality-'), ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' } },
      },
    },
    [p('EndpointLogs')]: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: `/aws/sagemaker/Endpoints/fraud-${n}`, RetentionInDays: 365, KmsKeyId: att(p('Key'), 'Arn') },
    },
    [p('Api')]: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: p('inference-'), EndpointConfiguration: { Types: ['REGIONAL'] } } },
    [p('ApiDeployment')]: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: ref(p('Api')) } },
    [p('ApiStage')]: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: ref(p('Api')),
        DeploymentId: ref(p('ApiDeployment')),
        StageName: 'prod',
        TracingEnabled: true,
        AccessLogSetting: { DestinationArn: att(p('ApiLogs'), 'Arn'), Format: '$context.requestId' },
        MethodSettings: [{ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'INFO', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }],
      },
    },
    [p('ApiLogs')]: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365, KmsKeyId: att(p('Key'), 'Arn') } },
    [p('WebAcl')]: {
      Type: 'AWS::WAFv2::WebACL',
      Properties: {
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: p('acl') },
        Rules: [{
          Name: 'rate',
          Priority: 0,
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } },
          VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: p('rate') },
        }],
      },
    },
    [p('WebAclAssociation')]: {
      Type: 'AWS::WAFv2::WebACLAssociation',
      Properties: {
        ResourceArn: { 'Fn::Sub': `arn:\${AWS::Partition}:apigateway:\${AWS::Region}::/restapis/\${${p('Api')}}/stages/\${${p('ApiStage')}}` },
        WebACLArn: att(p('WebAcl'), 'Arn'),
      },
    },
    [p('Vault')]: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: p('ai-vault-'), EncryptionKeyArn: att(p('Key'), 'Arn') } },
    [p('BackupPlan')]: {
      Type: 'AWS::Backup::BackupPlan',
      Properties: {
        BackupPlan: {
          BackupPlanName: p('ai-plan-'),
          BackupPlanRule: [{ RuleName: 'daily', TargetBackupVault: ref(p('Vault')), ScheduleExpression: 'cron(0 5 * * ? *)', Lifecycle: { DeleteAfterDays: 35 } }],
        },
      },
    },
    [p('BackupSelection')]: {
      Type: 'AWS::Backup::BackupSelection',
      Properties: {
        BackupPlanId: ref(p('BackupPlan')),
        BackupSelection: { SelectionName: 'artifacts', IamRoleArn: att(p('ExecutionRole'), 'Arn'), Resources: [att(p('Artifacts'), 'Arn')] },
      },
    },
    [p('Guardrail')]: {
      Type: 'AWS::Bedrock::Guardrail',
      Properties: {
        Name: p('guardrail-'),
        BlockedInputMessaging: 'Blocked.',
        BlockedOutputsMessaging: 'Blocked.',
        KmsKeyArn: att(p('Key'), 'Arn'),
        ContentPolicyConfig: { FiltersConfig: [{ Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' }] },
        ContextualGroundingPolicyConfig: { FiltersConfig: [{ Type: 'GROUNDING', Threshold: 0.7 }] },
      },
    },
    [p('Agent')]: {
      Type: 'AWS::Bedrock::Agent',
      Properties: {
        AgentName: p('assistant-'),
        FoundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
        AgentResourceRoleArn: att(p('ExecutionRole'), 'Arn'),
        CustomerEncryptionKeyArn: att(p('Key'), 'Arn'),
        IdleSessionTTLInSeconds: 900,
        GuardrailConfiguration: { GuardrailIdentifier: att(p('Guardrail'), 'GuardrailId'), GuardrailVersion: att(p('Guardrail'), 'Version') },
        Tags: { DataClassification: 'confidential', Owner: 'ml-platform', Environment: 'prod' },
      },
    },
  };
}

/**
 * An app of `units` units of the mix: split into stacks of at most `unitsPerStack` units (as real apps are), or all
 * in one stack when `unitsPerStack` is `Infinity`.
 */
export function platformApp(units: number, unitsPerStack: number = UNITS_PER_STACK, app: App = new App()): App {
  const perStack = Math.min(unitsPerStack, units);
  for (let first = 0, s = 0; first < units; first += perStack, s++) {
    const resources: Resources = {};
    const last = Math.min(units, first + perStack);
    for (let n = first; n < last; n++) Object.assign(resources, platformUnit(n));
    stackOf({ Resources: resources }, app, `Platform${s}`);
  }
  return app;
}
