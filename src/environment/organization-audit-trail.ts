/** An organisation CloudTrail trail that already records this account: the environment then creates none. */
export interface OrganizationAuditTrail {
  /** The ARN of the organisation trail. */
  readonly trailArn: string;
  /** Who runs it and why it covers this environment (management and AI data events), rendered into the template metadata. */
  readonly reason: string;
}
