import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The key policy statement every key of the library carries: KMS grants let their holder use the key outside IAM and
 * the key policy, so only AWS services acting for a resource (an encrypted volume, a log group) may create them.
 */
export function grantsOnlyForAwsResources(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'GrantsOnlyForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  });
}
