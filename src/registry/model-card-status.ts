/** The review state of a model card, rendered as `ModelCardStatus`. */
export enum ModelCardStatus {
  /** Being written. */
  DRAFT = 'Draft',
  /** Written, waiting for its reviewer. */
  PENDING_REVIEW = 'PendingReview',
  /** Reviewed and approved: the model may be released (SecureAI-P22, P23). Needs `approvedBy`. */
  APPROVED = 'Approved',
  /** The model is retired; the card is kept as a record. */
  ARCHIVED = 'Archived',
}
