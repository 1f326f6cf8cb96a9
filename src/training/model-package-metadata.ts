// The CustomerMetadataProperties keys under which the signing step records a model package's provenance. Pure
// Node.js: the signing step bundles this file, and the deploy-time gate reads the same keys.

/** The keys of a model package's `CustomerMetadataProperties` that tie it to its signed artifact. */
export class ModelPackageMetadata {
  /** The SHA-256 digest (lowercase hex) of the model artifact. */
  public static readonly ARTIFACT_DIGEST = 'cdk-secure-ai:artifact-sha256';
  /** The `s3://` URI of the artifact's manifest (`ArtifactManifests.locationOf`). */
  public static readonly MANIFEST_URI = 'cdk-secure-ai:artifact-manifest';
  /** The ARN of the KMS key that signed the digest. */
  public static readonly SIGNING_KEY_ARN = 'cdk-secure-ai:signing-key';
  /** The ARN of the training job that produced the artifact. */
  public static readonly TRAINING_JOB_ARN = 'cdk-secure-ai:training-job';
}
