import { App, Stack } from 'aws-cdk-lib';
import { VpcAccessStatements } from '../../src/environment/vpc-access-statements';

describe('VpcAccessStatements', () => {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-2' } });
  const vpcArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:eu-west-2:111111111111:vpc/vpc-0abc']] };

  test.each([
    ['SageMaker', VpcAccessStatements.forSageMaker(stack, 'vpc-0abc'), ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission',
      'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission']],
    ['Lambda', VpcAccessStatements.forLambda(stack, 'vpc-0abc'), ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses']],
  ])('%s: Describe actions unconditioned, interface changes limited to the VPC', (_who, statements, manage) => {
    const [describe, change] = statements.map((s) => stack.resolve(s.toStatementJson()));
    expect((describe.Action as string[]).every((a) => a.startsWith('ec2:Describe'))).toBe(true);
    expect(describe.Condition).toBeUndefined();
    expect(change.Action).toEqual(manage);
    expect(change.Resource).toBe('*');
    expect(change.Condition).toEqual({ ArnEqualsIfExists: { 'ec2:Vpc': vpcArn } });
  });
});
