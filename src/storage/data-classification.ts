/** How sensitive the data in a store is; rendered as the `DataClassification` tag that SecureAI-V13 reads. */
export enum DataClassification {
  /** May be published. */
  PUBLIC = 'public',
  /** Internal to the organisation. */
  INTERNAL = 'internal',
  /** Business or personal data whose disclosure causes harm. */
  CONFIDENTIAL = 'confidential',
  /** The most sensitive data: regulated personal data, secrets, model weights of critical systems. */
  RESTRICTED = 'restricted',
}
