import { Validations } from 'aws-cdk-lib';
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
} as const;

/** Acknowledges generic-pack rules that do not fit a construct's secure design, with the reason a reviewer reads. */
export function acknowledgeRules(scope: IConstruct, ids: readonly string[], reason: string): void {
  Validations.of(scope).acknowledge(...ids.map((id) => ({ id, reason })));
}
