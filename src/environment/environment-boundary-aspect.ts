// Internal: AiEnvironment applies the aspect to its stack; it is not exported from the library.
import { Annotations, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

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
