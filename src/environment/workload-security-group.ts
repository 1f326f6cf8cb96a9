import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** Properties of a {@link WorkloadSecurityGroup}. */
export interface WorkloadSecurityGroupProps {
  /** The environment's VPC. */
  readonly vpc: ec2.IVpc;
  /** The security group of the environment's interface endpoints: the workload may reach them on 443. */
  readonly endpointSecurityGroup: ec2.ISecurityGroup;
  /**
   * What the workload is, for the console.
   * @default - names the construct
   */
  readonly description?: string;
  /**
   * The managed prefix list of the S3 gateway endpoint (`pl-...`), for workloads that read S3 from their own
   * network interfaces (SageMaker jobs without network isolation). SageMaker's service-side S3 access does not need it.
   * @default - no egress to S3 from the workload's network interfaces
   */
  readonly s3PrefixListId?: string;
}

/**
 * A security group for one workload (a training job, a model, an endpoint) in an AI environment: no ingress at all,
 * and egress only to the environment's interface endpoints on HTTPS (and S3 when its prefix list is given). Anything
 * else is opened by the caller through `connections`, one grant at a time.
 *
 * SecureAI-P1, P3, P5 and P13 need security groups for in-VPC AI resources; this is the one to give them
 * (docs/CONSTRUCTS.md).
 */
export class WorkloadSecurityGroup extends ec2.SecurityGroup {
  public constructor(scope: Construct, id: string, props: WorkloadSecurityGroupProps) {
    super(scope, id, {
      vpc: props.vpc,
      description: validDescription(id, props.description ?? `AI workload ${id}: no ingress, HTTPS to the environment endpoints only`),
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    this.connections.allowTo(props.endpointSecurityGroup, ec2.Port.tcp(443), 'HTTPS to the environment VPC endpoints');
    if (props.s3PrefixListId !== undefined) {
      if (!/^pl-[0-9a-f]{8,17}$/.test(props.s3PrefixListId)) {
        throw new Error(`WorkloadSecurityGroup ${id}: s3PrefixListId '${props.s3PrefixListId}' is not a prefix list ID. `
          + 'Fix: give the ID of the com.amazonaws.<region>.s3 managed prefix list, such as pl-63a5400a.');
      }
      this.addEgressRule(ec2.Peer.prefixList(props.s3PrefixListId), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');
    }
  }
}

/** The characters EC2 accepts in a security group's description; anything else fails the deployment. */
const EC2_DESCRIPTION = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

function validDescription(id: string, description: string): string {
  // A token (a construct path, a name) is checked by EC2 at deployment; literal text is checked here.
  const literal = description.replace(/\$\{Token\[[^\]]+\]\}/g, '');
  if (!EC2_DESCRIPTION.test(literal)) {
    throw new Error(`WorkloadSecurityGroup ${id}: description '${description}' has characters EC2 refuses (or more than 255). `
      + 'Fix: use letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* only (no apostrophes or quotes).');
  }
  return description;
}
