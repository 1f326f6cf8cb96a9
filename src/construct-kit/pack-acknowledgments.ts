import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Rule IDs of the generic packs, as they are acknowledged. Control Tower rules carry the cfn-guard plugin's namespace. */
export const RULES = {
  replication: ['NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled'],
  bucketKms: ['NIST.800.53.R5-S3DefaultEncryptionKMS', 'HIPAA.Security-S3DefaultEncryptionKMS', 'PCI.DSS.321-S3DefaultEncryptionKMS',
    'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check'],
  bucketLogging: ['cdk-validator-cfnguard::s3_bucket_logging_enabled_check'],
  objectLock: ['cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check'],
  inlinePolicy: ['NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy'],
  broadPolicy: ['AwsSolutions-IAM5[Action::*]', 'AwsSolutions-IAM5[Resource::*]',
    'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess', 'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess',
    'HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess', 'HIPAA.Security-IAMPolicyNoStatementsWithFullAccess',
    'PCI.DSS.321-IAMPolicyNoStatementsWithAdminAccess', 'PCI.DSS.321-IAMPolicyNoStatementsWithFullAccess',
    'cdk-validator-cfnguard::iam_managed_policy_no_statements_with_admin_access_check',
    'cdk-validator-cfnguard::iam_managed_policy_no_statements_with_full_access_check'],
  lambdaInVpc: ['cdk-validator-cfnguard::lambda_inside_vpc_check'],
  endpointKey: ['NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured', 'HIPAA.Security-SageMakerEndpointConfigurationKMSKeyConfigured',
    'PCI.DSS.321-SageMakerEndpointConfigurationKMSKeyConfigured'],
} as const;

/** Acknowledges generic-pack rules that do not fit a construct's secure design, with the reason a reviewer reads. */
export function acknowledgeRules(scope: IConstruct, ids: readonly string[], reason: string): void {
  Validations.of(scope).acknowledge(...ids.map((id) => ({ id, reason })));
}
/** Why a role's policy is an `AWS::IAM::Policy` of its own (the generic packs' IAMNoInlinePolicy). */
export const OWN_POLICY_REASON = 'The policy holds only the grants this construct makes for this one role (grant* calls and '
  + 'scoped statements) and is attached to it alone; a customer-managed policy could be attached to other principals.';

/**
 * The IDs under which cdk-nag's AwsSolutions-IAM5 reports each wildcard of a policy, so that a construct acknowledges
 * exactly the wildcards it grants on purpose and any other one is still reported. A resource is rendered the way
 * cdk-nag renders it (`Ref` as `<Id>`, `Fn::GetAtt` as `<Id.Attr>`, `Fn::Join` concatenated): the acknowledgment only
 * matches when the text is identical. Logical IDs are read when the ID is computed; override them before.
 */
export class WildcardFindingIds {
  /** `AwsSolutions-IAM5[Action::<action>]`. */
  public static action(action: string): string {
    return `AwsSolutions-IAM5[Action::${action}]`;
  }

  /** `AwsSolutions-IAM5[Resource::<flattened ARN>]` for an ARN (a token or text) of `scope`'s stack. */
  public static resource(scope: IConstruct, arn: string): string {
    return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(arn))}]`;
  }
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const value = node as Record<string, unknown>;
  if (Array.isArray(value['Fn::Join'])) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (value['Fn::Sub'] !== undefined) return flatten(value['Fn::Sub']);
  if (Array.isArray(value['Fn::GetAtt'])) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (value['Fn::ImportValue'] !== undefined) return flatten(value['Fn::ImportValue']);
  if (value.Ref !== undefined) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(node);
}
