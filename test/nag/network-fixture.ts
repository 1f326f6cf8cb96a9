import { TemplateFixture } from './harness';

type Resources = TemplateFixture['Resources'];

/**
 * A VPC with one subnet and one security group, and a SageMaker model that runs in them: the network the perimeter
 * rules judge. `overrides` replaces or adds resources; `model: false` leaves the network without any AI workload.
 */
export function networkFixture(overrides: Record<string, Resources[string] | undefined> = {}, options: { model?: boolean } = {}): TemplateFixture {
  const resources: Resources = {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24' } },
    Group: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'model', VpcId: { Ref: 'Vpc' } } },
    FlowLog: { Type: 'AWS::EC2::FlowLog', Properties: { ResourceId: { Ref: 'Vpc' }, ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-logs' } },
    ...(options.model === false ? {} : {
      Model: {
        Type: 'AWS::SageMaker::Model',
        Properties: {
          ExecutionRoleArn: 'arn:aws:iam::111122223333:role/model',
          PrimaryContainer: { Image: '111122223333.dkr.ecr.eu-west-2.amazonaws.com/model@sha256:' + 'a'.repeat(64) },
          VpcConfig: { Subnets: [{ Ref: 'Subnet' }], SecurityGroupIds: [{ 'Fn::GetAtt': ['Group', 'GroupId'] }] },
        },
      },
    }),
  };
  for (const [id, resource] of Object.entries(overrides)) {
    if (resource === undefined) delete resources[id];
    else resources[id] = resource;
  }
  return { Resources: resources };
}

/** A route table associated with the fixture's subnet, with one route (`target`: GatewayId, NatGatewayId, ...). */
export function routeTo(target: Record<string, unknown>): Resources {
  return {
    RouteTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
    Association: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'Subnet' }, RouteTableId: { Ref: 'RouteTable' } } },
    Route: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'RouteTable' }, DestinationCidrBlock: '0.0.0.0/0', ...target } },
    Igw: { Type: 'AWS::EC2::InternetGateway', Properties: {} },
    Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-public', AllocationId: 'eipalloc-1' } },
  };
}
