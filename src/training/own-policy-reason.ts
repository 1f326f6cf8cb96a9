// The reason the training constructs give the generic packs for a role policy of their own.

/** Why a role's policy is an `AWS::IAM::Policy` of its own (the generic packs' IAMNoInlinePolicy). */
export const OWN_POLICY_REASON = 'The policy holds only the grants this construct makes for this one role (grant* calls and '
  + 'scoped statements) and is attached to it alone; a customer-managed policy could be attached to other principals.';
