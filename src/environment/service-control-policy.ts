/** Properties of the service control policy an organisation attaches to the accounts of its AI environments. */
export interface ServiceControlPolicyProps {
  /**
   * ARN patterns of the principals that deploy the environments and so may change what the policy protects (trails,
   * keys, log retention, bucket policies, routes, endpoint policies, backup plans): CloudFormation's execution role.
   * @default ['arn:*:iam::*:role/cdk-*-cfn-exec-role-*'] - the CloudFormation execution role of every CDK bootstrap
   */
  readonly deploymentPrincipalArns?: string[];
  /**
   * Whether SageMaker work whose every instance type has local NVMe storage (most GPU types), which SageMaker encrypts in
   * hardware and will not encrypt with a key, may go without a volume key. Set it when a construct of the account uses
   * `allowHardwareEncryptedStorage`: an SCP cannot tell the roles that opted in from the others (the boundary can).
   * @default false - every request of the actions that take a volume key carries one
   */
  readonly allowHardwareEncryptedStorage?: boolean;
}
