import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * One training data channel of a {@link TrainingPipeline}: where the data is and the SHA-256 digest it was declared
 * with. Give exactly one of `key` (a single object) and `prefix` (every object under it). Training data is untrusted
 * input until it is pinned: the digest is what the model's manifest records, so that the model can be traced to the
 * exact data it saw.
 */
export interface TrainingDataInput {
  /**
   * The channel name the training container sees (`/opt/ml/input/data/<channelName>`): 1 to 64 letters, digits,
   * dots, hyphens and underscores, unique in the pipeline.
   */
  readonly channelName: string;
  /** The bucket that holds the data. The training job (and, for a single object, the signing step) may read only `key` or `prefix` in it. */
  readonly bucket: s3.IBucket;
  /**
   * The key of a single object. The signing step hashes it again after training and refuses to sign the model when
   * its digest differs from `sha256`.
   * @default - none: give `prefix`
   */
  readonly key?: string;
  /**
   * A key prefix ending in `/`: the job reads every object under it. The digest cannot be recomputed for a set of
   * objects, so `sha256` is recorded as declared: make it the digest your data pipeline computes for the dataset (for
   * example of its manifest file).
   * @default - none: give `key`
   */
  readonly prefix?: string;
  /** The SHA-256 digest of the data, 64 lowercase hexadecimal characters (`sha256sum`). */
  readonly sha256: string;
  /**
   * The MIME type of the data, passed to the training container.
   * @default - none
   */
  readonly contentType?: string;
}
