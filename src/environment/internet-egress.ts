/**
 * Internet egress for an AI environment: public subnets with NAT gateways, and workload subnets that route through
 * them. Off unless given, and only with the reason, which is rendered into the template metadata of the VPC
 * (`cdk-secure-ai:internet-egress`) for reviewers and auditors.
 */
export interface InternetEgress {
  /** Why the workloads need the internet (which hosts, for what), in words a security reviewer can judge. */
  readonly reason: string;
}
