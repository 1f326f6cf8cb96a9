/** The digest of one training data input, recorded so that a model can be traced to the exact data it saw. */
export interface TrainingDataDigest {
  /** Where the input was read from (`s3://bucket/key`). */
  readonly uri: string;
  /** Its SHA-256 digest, 64 lowercase hexadecimal characters. */
  readonly sha256: string;
}
