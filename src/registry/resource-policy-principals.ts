// Naming grantees in resource policies (key policies, bucket policies) by `aws:PrincipalArn`. Internal.
import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The principal ARNs a grantee is recognised by in `aws:PrincipalArn`: those of an IAM role or user. */
export function principalArnsOf(owner: string, what: string, grantee: iam.IGrantable): string[] {
  const principal = grantee.grantPrincipal;
  const arns = principal instanceof iam.AccountPrincipal ? [] : (principal.policyFragment.principalJson.AWS ?? []);
  if (arns.length === 0) {
    throw new Error(`${owner}: ${what} can only be granted to an IAM role or user, not to ${principal}. `
      + 'Fix: grant the role that runs the step (for a Lambda function, the function itself or its role).');
  }
  return arns;
}

/**
 * A resource policy that names each grantee, and the grantee's policy that names the resource, would reference each
 * other across stacks. A principal known by a literal ARN (an imported role) can be named anywhere.
 */
export function assertSameStack(owner: string, resource: Construct, grantee: iam.IGrantable): void {
  const principal = grantee.grantPrincipal;
  if (!Construct.isConstruct(principal) || Stack.of(principal) === Stack.of(resource)) return;
  const arns = principal.policyFragment.principalJson.AWS ?? [];
  if (arns.every((arn) => !Token.isUnresolved(arn))) return;
  throw new Error(`${owner}: ${principal.node.path} is in stack ${Stack.of(principal).stackName}, not in the `
    + `stack ${Stack.of(resource).stackName}; the resource policy and the principal's policy would reference each other across stacks. `
    + 'Fix: create the principal in that stack, or import it there by ARN (iam.Role.fromRoleArn) and grant the imported role.');
}
