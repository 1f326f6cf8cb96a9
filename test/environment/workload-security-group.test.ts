import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { WorkloadSecurityGroup } from '../../src/environment/workload-security-group';

function setup() {
  const stack = new Stack(new App(), 'W');
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'I', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const endpoints = new ec2.SecurityGroup(stack, 'Endpoints', { vpc, allowAllOutbound: false });
  return { stack, vpc, endpoints };
}

describe('WorkloadSecurityGroup', () => {
  test('no ingress; egress only HTTPS to the endpoints (and S3 by prefix list when given)', () => {
    const { stack, vpc, endpoints } = setup();
    new WorkloadSecurityGroup(stack, 'Job', { vpc, endpointSecurityGroup: endpoints, s3PrefixListId: 'pl-63a5400a' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('no ingress'),
      SecurityGroupIngress: Match.absent(),
    });
    const egress = JSON.stringify(t.toJSON().Resources);
    expect(egress).toMatch(/"DestinationPrefixListId":"pl-63a5400a"/);
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { FromPort: 443, ToPort: 443, DestinationSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Endpoints'), 'GroupId'] } });
  });

  test('a bad prefix list ID throws naming the prop and the fix', () => {
    const { stack, vpc, endpoints } = setup();
    expect(() => new WorkloadSecurityGroup(stack, 'Job', { vpc, endpointSecurityGroup: endpoints, s3PrefixListId: 's3' })).toThrow(/s3PrefixListId 's3' is not a prefix list ID.*Fix/);
  });

  test('a description EC2 would refuse throws naming it and the allowed characters; tokens are left to EC2', () => {
    const { stack, vpc, endpoints } = setup();
    expect(() => new WorkloadSecurityGroup(stack, 'Job', { vpc, endpointSecurityGroup: endpoints, description: 'the model\'s jobs' }))
      .toThrow(/description 'the model's jobs' has characters EC2 refuses.*Fix: use letters, digits, spaces and/);
    expect(() => new WorkloadSecurityGroup(stack, 'Long', { vpc, endpointSecurityGroup: endpoints, description: 'x'.repeat(256) })).toThrow(/or more than 255/);
    expect(() => new WorkloadSecurityGroup(stack, 'Path', { vpc, endpointSecurityGroup: endpoints, description: `Jobs of ${stack.stackName}` })).not.toThrow();
  });
});
