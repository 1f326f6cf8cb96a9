import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { keyAdministrationOnlyByAdministrator } from './key-administration';
import { grantsOnlyForAwsResources } from './key-policy';
import { assertSameEnvironment } from '../construct-kit/stage-segregation';

/** What an environment key encrypts; it decides which AWS services the key policy lets in. */
export enum EnvironmentKeyPurpose {
  /** Training data, model artifacts, endpoint volumes: used only by principals granted through `grant*`. */
  DATA = 'data',
  /** Flow logs, audit trail and other logs: CloudWatch Logs and CloudTrail may use it for this account only. */
  LOG = 'log',
}

/** Properties of an {@link EnvironmentKey}. */
export interface EnvironmentKeyProps {
  /** What the key encrypts. */
  readonly purpose: EnvironmentKeyPurpose;
  /**
   * A description shown in the KMS console.
   * @default - names the purpose
   */
  readonly description?: string;
}

/**
 * A customer-managed KMS key of one AI environment.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them). It is RETAINed, so deleting the stack can never make models, data or logs
 * unrecoverable. Its policy gives the account root the key administration CDK requires, and, for a log key only,
 * CloudWatch Logs and CloudTrail of this account and Region; every other use goes through `grant*`, which refuses
 * principals of another environment stage. KMS grants may only be created by AWS services for AWS resources (Control
 * Tower CT.KMS.PR.3). Only the key administrators (the role that deploys the stack, and the AiEnvironment's
 * `keyAdministratorRoleArn`) may change the key policy, disable the key or schedule its deletion.
 */
export class EnvironmentKey extends kms.Key {
  /** What the key encrypts. */
  public readonly purpose: EnvironmentKeyPurpose;

  public constructor(scope: Construct, id: string, props: EnvironmentKeyProps) {
    super(scope, id, {
      description: props.description ?? `AI environment ${props.purpose} key`,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.purpose = props.purpose;
    this.addToResourcePolicy(grantsOnlyForAwsResources());
    this.addToResourcePolicy(keyAdministrationOnlyByAdministrator(this));
    if (props.purpose === EnvironmentKeyPurpose.LOG) this.allowLogServices();
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    assertSameEnvironment(this, grantee, 'Key');
    return super.grant(grantee, ...actions);
  }

  public grantDecrypt(grantee: iam.IGrantable): iam.Grant {
    assertSameEnvironment(this, grantee, 'Key');
    return super.grantDecrypt(grantee);
  }

  public grantEncrypt(grantee: iam.IGrantable): iam.Grant {
    assertSameEnvironment(this, grantee, 'Key');
    return super.grantEncrypt(grantee);
  }

  public grantEncryptDecrypt(grantee: iam.IGrantable): iam.Grant {
    assertSameEnvironment(this, grantee, 'Key');
    return super.grantEncryptDecrypt(grantee);
  }

  public grantAdmin(grantee: iam.IGrantable): iam.Grant {
    assertSameEnvironment(this, grantee, 'Key');
    return super.grantAdmin(grantee);
  }

  /** CloudWatch Logs and CloudTrail encrypt on behalf of this account only, as their encryption contexts prove. */
  private allowLogServices(): void {
    const stack = Stack.of(this);
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      // No kms:Describe*: DescribeKey carries no encryption context, so under this condition it could never be allowed.
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
      resources: ['*'], // in a key policy, '*' means this key
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
      },
    }));
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailOfThisAccount',
      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }));
    // DescribeKey carries no encryption context, so it is scoped by the calling account alone.
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailDescribeOfThisAccount',
      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
  }
}

