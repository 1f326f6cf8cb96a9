/** How S3 Object Lock protects object versions during their retention period. */
export enum ObjectLockMode {
  /** Users with `s3:BypassGovernanceRetention` can still shorten the retention or delete a version. */
  GOVERNANCE = 'GOVERNANCE',
  /** Nobody, the root user included, can delete a version before its retention ends. */
  COMPLIANCE = 'COMPLIANCE',
}

/** Default Object Lock retention of a bucket: write-once storage for artifacts that must stay as released. */
export interface ObjectLockProps {
  /** How the lock is enforced. */
  readonly mode: ObjectLockMode;
  /** For how many days each new object version is locked. A whole number between 1 and 36500. */
  readonly retentionDays: number;
}
