// The data-quality monitoring of an InferenceEndpoint: its role, the job definition and the schedule that runs it.
// Created in the endpoint's own scope, so that their construct IDs (and logical IDs) are the endpoint's children.
// Internal: not exported from the library.
import { createHash } from 'crypto';
import { ArnFormat, Fn, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { MODEL_MONITOR_IMAGE_REASON, ModelMonitorImage } from './model-monitor-image';
import type { AiEnvironment } from '../environment/ai-environment';
import { ServiceSource, resourcesOfThisAccount, servicePrincipalOfThisAccount } from '../environment/service-trust';
import { VpcAccessStatements } from '../environment/vpc-access-statements';
import type { IModelRegistry } from '../registry/model-registry-ref';
import { EnvironmentKey } from '../storage/environment-key';
import { recordReason } from '../storage/opt-out-reason';
import { acknowledgeRules, OWN_POLICY_REASON, RULES, WildcardFindingIds } from '../storage/pack-acknowledgments';
import { SecureBucket } from '../storage/secure-bucket';

/** Where the monitoring jobs write their reports in the capture bucket. */
const MONITORING_PREFIX = 'monitoring';

/** What the monitoring watches, with what, and when. */
export interface MonitoringSettings {
  readonly environment: AiEnvironment;
  readonly registry: IModelRegistry;
  /** The endpoint monitored: the job and the schedule name it by its name attribute. */
  readonly endpoint: sagemaker.CfnEndpoint;
  /** The endpoint's literal name, for the role's description and the job definition's and schedule's names. */
  readonly endpointName: string;
  /** The bucket the endpoint captures into, which the job reads and writes its reports to. */
  readonly captureBucket: SecureBucket;
  /** Where in the capture bucket the endpoint writes its captures. */
  readonly capturePrefix: string;
  readonly captureKey: EnvironmentKey;
  readonly securityGroup: string;
  readonly subnetIds: string[];
  readonly monitoringInstanceType: string;
  readonly constraintsKey: string;
  readonly statisticsKey: string;
  readonly scheduleExpression: string;
  readonly owner: string;
  /** The model package deployed, when the model comes from one. */
  readonly packageArn?: string;
}

/** The job definition and the schedule that runs it. */
export interface DataQualityMonitoring {
  readonly definition: sagemaker.CfnDataQualityJobDefinition;
  readonly schedule: sagemaker.CfnMonitoringSchedule;
}

/**
 * The data-quality job and its hourly schedule, with their own role, in `scope` (the endpoint): `MonitoringRole`,
 * `DataQualityJobDefinition` and `MonitoringSchedule`.
 */
export function createDataQualityMonitoring(scope: Construct, m: MonitoringSettings): DataQualityMonitoring {
  const stack = Stack.of(scope);
  const registry = m.registry;
  const role = new iam.Role(scope, 'MonitoringRole', {
    assumedBy: servicePrincipalOfThisAccount(scope, 'sagemaker.amazonaws.com', ServiceSource.ACCOUNT_AND_ARN, resourcesOfThisAccount(scope, 'sagemaker')),
    description: `Data-quality monitoring of SageMaker endpoint ${m.endpointName}`,
  });
  for (const statement of VpcAccessStatements.forSageMaker(scope, m.environment.vpc.vpcId)) role.addToPrincipalPolicy(statement);
  const capture = m.captureBucket;
  iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:GetObject'], resourceArns: [capture.arnForObjects(`${m.capturePrefix}/*`)] });
  iam.Grant.addToPrincipal({
    grantee: role,
    actions: ['s3:ListBucket'],
    resourceArns: [capture.bucketArn],
    conditions: { StringLike: { 's3:prefix': [`${m.capturePrefix}/*`, `${MONITORING_PREFIX}/*`] } },
  });
  iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:PutObject'], resourceArns: [capture.arnForObjects(`${MONITORING_PREFIX}/*`)] });
  m.captureKey.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
  registry.grantReadArtifacts(role, [m.constraintsKey, m.statisticsKey]);
  // The job's volume is encrypted with the environment's data key: SageMaker attaches it through a KMS grant.
  const dataKey = m.environment.dataKey;
  iam.Grant.addToPrincipal({
    grantee: role,
    actions: ['kms:CreateGrant'],
    resourceArns: [dataKey.keyArn],
    conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
  });
  dataKey.grant(role, 'kms:DescribeKey', 'kms:Decrypt', 'kms:GenerateDataKey');
  // Model Monitor publishes its drift metrics to CloudWatch and its logs to the processing-job log group.
  iam.Grant.addToPrincipal({
    grantee: role,
    actions: ['cloudwatch:PutMetricData'],
    resourceArns: ['*'],
    conditions: { StringLike: { 'cloudwatch:namespace': 'aws/sagemaker/Endpoints/data-metrics' } },
  });
  const processingLogs = stack.formatArn({
    service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/ProcessingJobs:*', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  iam.Grant.addToPrincipal({
    grantee: role,
    actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
    resourceArns: [processingLogs],
  });

  const definitionProps: sagemaker.CfnDataQualityJobDefinitionProps = {
    roleArn: role.roleArn,
    dataQualityAppSpecification: { imageUri: ModelMonitorImage.uriFor(scope, m.owner) },
    dataQualityBaselineConfig: {
      constraintsResource: { s3Uri: registry.artifactBucket.s3UrlForObject(m.constraintsKey) },
      statisticsResource: { s3Uri: registry.artifactBucket.s3UrlForObject(m.statisticsKey) },
    },
    dataQualityJobInput: {
      endpointInput: {
        endpointName: m.endpoint.attrEndpointName,
        localPath: '/opt/ml/processing/input/endpoint',
        s3DataDistributionType: 'FullyReplicated',
        s3InputMode: 'File',
      },
    },
    dataQualityJobOutputConfig: {
      kmsKeyId: m.captureKey.keyArn,
      monitoringOutputs: [{
        s3Output: { localPath: '/opt/ml/processing/output', s3Uri: capture.s3UrlForObject(MONITORING_PREFIX), s3UploadMode: 'EndOfJob' },
      }],
    },
    jobResources: {
      clusterConfig: { instanceCount: 1, instanceType: m.monitoringInstanceType, volumeSizeInGb: 20, volumeKmsKeyId: dataKey.keyArn },
    },
    networkConfig: {
      enableNetworkIsolation: true,
      enableInterContainerTrafficEncryption: true,
      vpcConfig: { subnets: m.subnetIds, securityGroupIds: [m.securityGroup] },
    },
    stoppingCondition: { maxRuntimeInSeconds: 3600 },
  };
  // A job definition is replaced on every change and the schedule must name it: the name carries a hash of its
  // content, so that the replacement never collides with the definition it replaces. With a package the baseline
  // follows the package's artifact, known only at deploy time: a literal package ARN joins the hash, and a deploy-time
  // one puts its version into the name.
  const content = createHash('sha256').update(JSON.stringify(stack.resolve(definitionProps)));
  if (m.packageArn !== undefined && !Token.isUnresolved(m.packageArn)) content.update(m.packageArn);
  const contentHash = content.digest('hex').slice(0, 12);
  const definitionName = m.packageArn !== undefined && Token.isUnresolved(m.packageArn)
    ? `${m.endpointName.slice(0, 34).replace(/-+$/, '')}-dq-${contentHash}-${Fn.select(2, Fn.split('/', m.packageArn))}`
    : `${m.endpointName.slice(0, 40).replace(/-+$/, '')}-dq-${contentHash}`;
  const definition = new sagemaker.CfnDataQualityJobDefinition(scope, 'DataQualityJobDefinition', { ...definitionProps, jobDefinitionName: definitionName });
  definition.node.addDependency(role);
  acknowledgeRules(role, RULES.inlinePolicy, OWN_POLICY_REASON);
  acknowledgeRules(role, [WildcardFindingIds.resource(scope, '*')], 'EC2 Describe actions and cloudwatch:PutMetricData support no '
    + 'resource-level permissions: the metrics are limited by a cloudwatch:namespace condition to Model Monitor\'s data metrics, and '
    + 'creating and deleting the job\'s network interfaces by an ec2:Vpc condition to the environment\'s VPC.');
  acknowledgeRules(role, [
    WildcardFindingIds.resource(scope, capture.arnForObjects(`${m.capturePrefix}/*`)),
    WildcardFindingIds.resource(scope, capture.arnForObjects(`${MONITORING_PREFIX}/*`)),
  ], 'Each monitoring run reads the captures of its hour (generated names under captures/) and writes its reports under '
    + 'monitoring/<schedule>/<date>/ of this endpoint\'s own capture bucket; neither can be named in advance.');
  acknowledgeRules(role, [WildcardFindingIds.resource(scope, processingLogs)], 'SageMaker writes the logs of every processing job, '
    + 'monitoring runs included, to the account\'s /aws/sagemaker/ProcessingJobs log group, one stream per run named when it '
    + 'starts; the role may write to that log group only.');
  recordReason(definition, 'aws-managed-image', { image: 'sagemaker-model-monitor-analyzer', reason: MODEL_MONITOR_IMAGE_REASON });

  const schedule = new sagemaker.CfnMonitoringSchedule(scope, 'MonitoringSchedule', {
    monitoringScheduleName: `${m.endpointName.slice(0, 50)}-data-quality`,
    endpointName: m.endpoint.attrEndpointName,
    monitoringScheduleConfig: {
      monitoringJobDefinitionName: definitionName,
      monitoringType: 'DataQuality',
      scheduleConfig: { scheduleExpression: m.scheduleExpression },
    },
  });
  // The name is text: the schedule must still be created after the definition.
  schedule.node.addDependency(definition);
  return { definition, schedule };
}
