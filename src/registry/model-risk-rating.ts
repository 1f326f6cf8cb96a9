/**
 * The organisation's risk rating of a model, rendered as the model card's `intended_uses.risk_rating`. There is no
 * `Unknown`: a card is the record of an assessment, and SecureAI-V10 rejects an unassessed risk.
 */
export enum ModelRiskRating {
  /** Compromise or failure could cause serious harm: treat AI cyber security risks as critical. */
  HIGH = 'High',
  /** Compromise or failure causes limited harm. */
  MEDIUM = 'Medium',
  /** Compromise or failure causes little harm. */
  LOW = 'Low',
}
