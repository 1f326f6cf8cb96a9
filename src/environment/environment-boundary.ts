import { Annotations, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { HARDWARE_ENCRYPTION_OPT_IN } from '../construct-kit/instance-type';
import { recordReason, requireReason } from '../construct-kit/opt-out-reason';
import { acknowledgeRules, RULES } from '../construct-kit/pack-acknowledgments';
import { localStorageInstanceTypePatterns } from '../facts/instance-storage';

/** Properties of an {@link EnvironmentBoundary}. */
export interface EnvironmentBoundaryProps {
  /** IDs of the subnets SageMaker jobs, models and notebooks must use: the environment's workload subnets. */
  readonly subnetIds: string[];
}

/** SageMaker actions that accept each condition key, per the IAM service authorization reference. */
const VPC_SUBNET_ACTIONS = ['CreateTrainingJob', 'CreateHyperParameterTuningJob', 'CreateProcessingJob', 'CreateModel', 'CreateNotebookInstance'];
const NETWORK_ISOLATION_ACTIONS = ['CreateTrainingJob', 'CreateHyperParameterTuningJob', 'CreateProcessingJob', 'CreateModel'];
const VOLUME_KEY_ACTIONS = ['CreateTrainingJob', 'CreateHyperParameterTuningJob', 'CreateProcessingJob', 'CreateTransformJob', 'CreateEndpointConfig', 'CreateNotebookInstance'];
const OUTPUT_KEY_ACTIONS = ['CreateTrainingJob', 'CreateHyperParameterTuningJob', 'CreateProcessingJob', 'CreateTransformJob'];
const TRAFFIC_ENCRYPTION_ACTIONS = ['CreateTrainingJob', 'CreateHyperParameterTuningJob', 'CreateProcessingJob'];

const sagemaker = (actions: string[]) => actions.map((a) => `sagemaker:${a}`);

/**
 * The principal tag that exempts AWS Backup's restore role from the versioning deny: a restore of a bucket creates a
 * new bucket and turns its versioning on, which IAM cannot tell apart from suspending it. Only CloudFormation can set
 * the tag: the boundary denies tagging roles with it.
 */
export const RESTORE_ROLE_TAG = { key: 'ai:service-role', value: 'aws-backup-restore' } as const;

/**
 * The permissions boundary of every role in an AI environment: a managed policy whose allow is the ceiling (each
 * role's own least-privilege policies still decide what it can do) and whose denies keep work inside the environment.
 *
 * Denied: SageMaker jobs, models and notebooks outside the environment's subnets (`sagemaker:VpcSubnets`), without
 * network isolation (`sagemaker:NetworkIsolation`), without volume or output keys (`sagemaker:VolumeKmsKey`,
 * `sagemaker:OutputKmsKey`; once `allowHardwareEncryptedStorage` is called, work whose every instance type has local
 * NVMe storage, which SageMaker encrypts in hardware and will not encrypt with a key, needs no volume key) or
 * inter-container encryption; turning off encryption or logging (disabling or deleting
 * keys, stopping or changing trails, deleting flow logs and log groups, changing bucket encryption, logging or
 * versioning — AWS Backup's restore role alone may set versioning, on the buckets it restores); and removing or
 * changing a permissions boundary.
 *
 * Satisfies by default: it enforces at run time what SecureAI-P1, P5, P8, P9, P11, P16 and P20 check at synth time.
 */
export class EnvironmentBoundary extends Construct {
  /** The managed policy to set as permissions boundary. */
  public readonly policy: iam.ManagedPolicy;
  private readonly volumeKeyDeny = new iam.PolicyStatement({
    sid: 'DenySageMakerWithoutVolumeKey',
    effect: iam.Effect.DENY,
    actions: sagemaker(VOLUME_KEY_ACTIONS),
    resources: ['*'],
    conditions: { Null: { 'sagemaker:VolumeKmsKey': 'true' } },
  });
  private readonly hardwareEncryptionReasons: string[] = [];

  public constructor(scope: Construct, id: string, props: EnvironmentBoundaryProps) {
    super(scope, id);
    if (props.subnetIds.length === 0) {
      throw new Error(`EnvironmentBoundary ${id}: subnetIds is empty, so no SageMaker workload could ever run. `
        + 'Fix: give the IDs of the environment\'s workload subnets.');
    }
    const stack = Stack.of(this);
    const subnetArns = props.subnetIds.map((s) => `arn:${stack.partition}:ec2:${stack.region}:${stack.account}:subnet/${s}`);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Permissions boundary of the AI environment: work stays in its VPC, encrypted and logged',
      statements: [
        new iam.PolicyStatement({
          sid: 'Ceiling',
          actions: ['*'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'DenySageMakerWithoutEnvironmentSubnets',
          effect: iam.Effect.DENY,
          actions: sagemaker(VPC_SUBNET_ACTIONS),
          resources: ['*'],
          conditions: { Null: { 'sagemaker:VpcSubnets': 'true' } },
        }),
        new iam.PolicyStatement({
          sid: 'DenySageMakerInOtherSubnets',
          effect: iam.Effect.DENY,
          actions: sagemaker(VPC_SUBNET_ACTIONS),
          resources: ['*'],
          conditions: { 'ForAnyValue:StringNotEquals': { 'sagemaker:VpcSubnets': [...props.subnetIds, ...subnetArns] } },
        }),
        new iam.PolicyStatement({
          sid: 'DenySageMakerWithoutNetworkIsolation',
          effect: iam.Effect.DENY,
          actions: sagemaker(NETWORK_ISOLATION_ACTIONS),
          resources: ['*'],
          conditions: { BoolIfExists: { 'sagemaker:NetworkIsolation': 'false' } },
        }),
        this.volumeKeyDeny,
        new iam.PolicyStatement({
          sid: 'DenySageMakerWithoutOutputKey',
          effect: iam.Effect.DENY,
          actions: sagemaker(OUTPUT_KEY_ACTIONS),
          resources: ['*'],
          conditions: { Null: { 'sagemaker:OutputKmsKey': 'true' } },
        }),
        new iam.PolicyStatement({
          sid: 'DenySageMakerWithoutInterContainerEncryption',
          effect: iam.Effect.DENY,
          actions: sagemaker(TRAFFIC_ENCRYPTION_ACTIONS),
          resources: ['*'],
          conditions: { BoolIfExists: { 'sagemaker:InterContainerTrafficEncryption': 'false' } },
        }),
        new iam.PolicyStatement({
          sid: 'DenyTurningOffEncryptionAndLogging',
          effect: iam.Effect.DENY,
          actions: [
            'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy',
            'cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors',
            'ec2:DeleteFlowLogs', 'logs:DeleteLogGroup', 'logs:DeleteRetentionPolicy', 'logs:DisassociateKmsKey',
            's3:PutEncryptionConfiguration', 's3:PutBucketLogging', 's3:PutBucketPublicAccessBlock',
            's3:PutBucketObjectLockConfiguration',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'DenySuspendingVersioning',
          effect: iam.Effect.DENY,
          actions: ['s3:PutBucketVersioning'],
          resources: ['*'],
          conditions: { StringNotEquals: { [`aws:PrincipalTag/${RESTORE_ROLE_TAG.key}`]: RESTORE_ROLE_TAG.value } },
        }),
        new iam.PolicyStatement({
          sid: 'DenyClaimingTheRestoreRoleTag',
          effect: iam.Effect.DENY,
          actions: ['iam:TagRole', 'iam:UntagRole', 'iam:TagUser', 'iam:UntagUser'],
          resources: ['*'],
          conditions: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [RESTORE_ROLE_TAG.key] } },
        }),
        new iam.PolicyStatement({
          sid: 'DenyEscapingTheBoundary',
          effect: iam.Effect.DENY,
          actions: ['iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary', 'iam:PutUserPermissionsBoundary'],
          resources: ['*'],
        }),
      ],
    });
    acknowledgeRules(this.policy, RULES.broadPolicy, 'This managed policy is a permissions boundary, never attached as a '
      + 'permission: its Allow of every action is the ceiling that IAM intersects with each role\'s own least-privilege '
      + 'policies (which come from grant* calls), and its Deny statements are what keeps roles inside the environment.');
  }

  /**
   * Lets the environment's roles create SageMaker work without a volume key when every instance type of the request
   * has local NVMe storage (most GPU types), which SageMaker refuses to encrypt with a customer-managed key and
   * encrypts with the instance's hardware instead. Work on any other instance type still needs a volume key. Called by
   * a construct given `allowHardwareEncryptedStorage`; the reason is rendered into the policy's template metadata.
   */
  public allowHardwareEncryptedStorage(reason: string): void {
    requireReason(`EnvironmentBoundary ${this.node.id}`, 'reason', reason, 'which workload needs instance types with local storage, and why');
    if (this.hardwareEncryptionReasons.length === 0) {
      this.volumeKeyDeny.addCondition('ForAllValues:StringNotLike', { 'sagemaker:InstanceTypes': localStorageInstanceTypePatterns() });
    }
    this.hardwareEncryptionReasons.push(reason);
    recordReason(this.policy, HARDWARE_ENCRYPTION_OPT_IN, [...this.hardwareEncryptionReasons]);
  }
}

/**
 * Sets the environment's permissions boundary on every IAM role in the scope it is applied to, L1 roles and the
 * roles of CDK's own custom-resource providers included. A role that already names a different boundary is reported
 * as an error: silently replacing it could loosen a stricter one, and keeping it would let the role leave the
 * environment.
 */
export class EnvironmentBoundaryAspect implements IAspect {
  private readonly boundary: iam.IManagedPolicy;

  public constructor(boundary: iam.IManagedPolicy) {
    this.boundary = boundary;
  }

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || node.cfnResourceType !== 'AWS::IAM::Role') return;
    const arn = this.boundary.managedPolicyArn;
    if (node instanceof iam.CfnRole) {
      const current = node.permissionsBoundary;
      if (current !== undefined && Stack.of(node).resolve(current) !== Stack.of(node).resolve(arn)) {
        Annotations.of(node).addError(`Role ${node.node.path} already has a permissions boundary, so the AI environment's boundary `
          + 'cannot be set. Fix: remove the other boundary, or create the role outside the environment\'s stack.');
        return;
      }
      node.permissionsBoundary = arn;
      return;
    }
    node.addPropertyOverride('PermissionsBoundary', arn);
  }
}
