import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * What a role needs to attach network interfaces in the environment's VPC: SageMaker models and jobs with a
 * `VpcConfig` (as the SageMaker Developer Guide's "Give SageMaker AI access to resources in your Amazon VPC" lists),
 * and Lambda functions in a VPC (the EC2 actions of AWSLambdaVPCAccessExecutionRole, without its CloudWatch Logs
 * wildcard). The Describe actions support no resource-level permissions; the interfaces do not exist until the service
 * creates them, so creating and deleting them is limited by an `ec2:Vpc` condition to the environment's VPC instead.
 */
export class VpcAccessStatements {
  /** The EC2 actions SageMaker performs with a model's or a monitoring job's role to place it in the VPC. */
  public static forSageMaker(scope: IConstruct, vpcId: string): iam.PolicyStatement[] {
    return [
      describe('SageMakerDescribesTheNetwork', ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions',
        'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups']),
      manage(scope, vpcId, 'SageMakerNetworkInterfacesInTheEnvironmentVpc', ['ec2:CreateNetworkInterface',
        'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission']),
    ];
  }

  /** The EC2 actions Lambda performs with a function's role to attach it to the VPC. */
  public static forLambda(scope: IConstruct, vpcId: string): iam.PolicyStatement[] {
    return [
      describe('LambdaDescribesTheNetwork', ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets']),
      manage(scope, vpcId, 'LambdaNetworkInterfacesInTheEnvironmentVpc', ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses']),
    ];
  }
}

function describe(sid: string, actions: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid, actions, resources: ['*'] });
}

function manage(scope: IConstruct, vpcId: string, sid: string, actions: string[]): iam.PolicyStatement {
  const vpcArn = Stack.of(scope).formatArn({ service: 'ec2', resource: 'vpc', resourceName: vpcId });
  // IfExists: the permission actions carry no ec2:Vpc key; the interface they name was created under this condition.
  return new iam.PolicyStatement({ sid, actions, resources: ['*'], conditions: { ArnEqualsIfExists: { 'ec2:Vpc': vpcArn } } });
}
