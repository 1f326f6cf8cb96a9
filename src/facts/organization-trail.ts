// How a construct of this library tells the pack that an organisation trail records its account: AiEnvironment's
// organizationTrail renders the declaration into its VPC's template metadata instead of creating a trail, and the pack
// reads it for the account and Region of that stack (SecureAI-P20, P21). Here because both layers need the key.

/** The template metadata key of the declaration. */
export const ORGANIZATION_TRAIL_METADATA = 'cdk-secure-ai:organization-trail';

/** The declaration as the metadata holds it. */
export interface OrganizationTrailDeclaration {
  /** The organisation trail's ARN, in the management or delegated administrator account. */
  readonly trailArn: string;
  /** Why the organisation trail stands in for one of the app's own. */
  readonly reason: string;
}
