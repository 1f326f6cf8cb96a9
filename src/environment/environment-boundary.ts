import { IResolveContext, Names, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { HARDWARE_STORAGE_TAG, HardwareStorageExemption, protectedTagKeys, RESTORE_ROLE_TAG, sageMakerGuardrails, TAMPERING_ACTIONS } from './environment-guardrails';
import { HARDWARE_ENCRYPTION_OPT_IN } from '../construct-kit/instance-type';
import { recordReason, requireReason } from '../construct-kit/opt-out-reason';
import { acknowledgeRules, RULES } from '../construct-kit/pack-acknowledgments';

/** Properties of an {@link EnvironmentBoundary}. */
export interface EnvironmentBoundaryProps {
  /** IDs of the subnets SageMaker jobs, models and notebooks must use: the environment's workload subnets. */
  readonly subnetIds: string[];
}

/** A policy document whose last statements are written when it is rendered, once every opt-in has been made. */
class RenderedLastDocument extends iam.PolicyDocument {
  private rendered = false;
  public constructor(statements: iam.PolicyStatement[], private readonly last: () => iam.PolicyStatement[]) {
    super({ statements });
  }

  public resolve(context: IResolveContext): any {
    if (!this.rendered) {
      this.rendered = true;
      this.addStatements(...this.last());
    }
    return super.resolve(context);
  }
}

/**
 * The permissions boundary of every role in an AI environment: a managed policy whose allow is the ceiling (each
 * role's own least-privilege policies still decide what it can do) and whose denies keep work inside the environment.
 *
 * Denied: SageMaker work outside the environment's subnets (`sagemaker:VpcSubnets`), without network isolation or
 * inter-container encryption, without volume or output keys (`sagemaker:VolumeKmsKeyArn`, `sagemaker:OutputKmsKeyArn`),
 * notebooks with internet or root access and domains outside the VPC, on every action the Service Authorization
 * Reference lists with those keys; turning off or loosening encryption, logging, bucket protections, routes, VPC
 * endpoints, event rules and backups (AWS Backup's restore role alone may set versioning, on the buckets it restores);
 * editing the boundary, creating roles or users without it, removing it, and claiming the tags that mark service roles.
 *
 * Work without a volume key on instance types with local NVMe storage, which SageMaker encrypts in hardware and will
 * not encrypt with a key, is allowed only to the roles given `allowHardwareEncryptedStorage`, and only when every
 * instance type of the request has such storage. A boundary binds only the roles it is attached to: see
 * `AiEnvironment.serviceControlPolicy` for the denies an organisation should also enforce on every principal.
 *
 * It enforces at run time what SecureAI-P1, P5, P8, P9, P11, P16 and P20 check at synth time (docs/CONSTRUCTS.md).
 */
export class EnvironmentBoundary extends Construct {
  /** The managed policy to set as permissions boundary. */
  public readonly policy: iam.ManagedPolicy;
  /** The boundary's ARN, built from its name so that the boundary can name itself and roles can require it. */
  public readonly policyArn: string;
  private readonly hardwareEncryptionReasons: string[] = [];

  public constructor(scope: Construct, id: string, props: EnvironmentBoundaryProps) {
    super(scope, id);
    if (props.subnetIds.length === 0) {
      throw new Error(`EnvironmentBoundary ${id}: subnetIds is empty, so no SageMaker workload could ever run. `
        + 'Fix: give the IDs of the environment\'s workload subnets.');
    }
    const stack = Stack.of(this);
    const policyName = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    this.policyArn = `arn:${stack.partition}:iam::${stack.account}:policy/${policyName}`;
    const document = new RenderedLastDocument([
      new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }), // the ceiling
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: [...TAMPERING_ACTIONS],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ['s3:PutBucketVersioning'],
        resources: ['*'],
        conditions: { StringNotEquals: { [`aws:PrincipalTag/${RESTORE_ROLE_TAG.key}`]: RESTORE_ROLE_TAG.value } },
      }),
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ['iam:TagRole', 'iam:UntagRole', 'iam:TagUser', 'iam:UntagUser', 'iam:CreateRole', 'iam:CreateUser'],
        resources: ['*'],
        conditions: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': protectedTagKeys() } },
      }),

      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ['iam:CreateRole', 'iam:CreateUser'],
        resources: ['*'],
        conditions: { StringNotEquals: { 'iam:PermissionsBoundary': this.policyArn } },
      }),
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        // Editing managed policies too: the boundary is one, and the environment's roles have no policy to edit.
        actions: ['iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary', 'iam:PutUserPermissionsBoundary',
          'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicyVersion', 'iam:DeletePolicy'],
        resources: ['*'],
      }),
    ], () => sageMakerGuardrails(
      this.hardwareEncryptionReasons.length > 0 ? HardwareStorageExemption.TAGGED_PRINCIPALS : HardwareStorageExemption.NONE,
      props.subnetIds,
    ));
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: policyName,
      description: 'Permissions boundary of the AI environment: work stays in its VPC, encrypted and logged',
      document,
    });
    acknowledgeRules(this.policy, RULES.broadPolicy, 'This managed policy is a permissions boundary, never attached as a '
      + 'permission: its Allow of every action is the ceiling that IAM intersects with each role\'s own least-privilege '
      + 'policies (which come from grant* calls), and its Deny statements are what keeps roles inside the environment.');
  }

  /**
   * Lets one role of the environment create SageMaker work without a volume key when every instance type of the
   * request has local NVMe storage (most GPU types), which SageMaker refuses to encrypt with a customer-managed key and
   * encrypts with the instance's hardware instead. Work on any other instance type, and every other role, still needs
   * a volume key. The role is tagged `ai:hardware-encrypted-storage` (a tag the boundary lets no role set); the reason
   * is rendered into the policy's template metadata. Called by a construct given `allowHardwareEncryptedStorage`.
   * @param grantee the role that creates the work (for a training pipeline, its state machine's role)
   * @param reason which workload needs instance types with local storage, and why
   */
  public allowHardwareEncryptedStorage(grantee: iam.IGrantable, reason: string): void {
    requireReason(`EnvironmentBoundary ${this.node.id}`, 'reason', reason, 'which workload needs instance types with local storage, and why');
    const role = grantee.grantPrincipal;
    if (!(role instanceof iam.Role) || Stack.of(role) !== Stack.of(this)) {
      throw new Error(`EnvironmentBoundary ${this.node.id}: allowHardwareEncryptedStorage needs a role created in the environment's stack `
        + `(${Stack.of(this).node.path}), got ${Construct.isConstruct(role) ? role.node.path : role.toString()}. Fix: pass the role that `
        + 'creates the SageMaker work, created in this stack: the exemption is a tag on it, which only its template can set.');
    }
    Tags.of(role).add(HARDWARE_STORAGE_TAG.key, HARDWARE_STORAGE_TAG.value);
    this.hardwareEncryptionReasons.push(reason);
    recordReason(this.policy, HARDWARE_ENCRYPTION_OPT_IN, [...this.hardwareEncryptionReasons]);
  }
}
