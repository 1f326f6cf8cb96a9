// The CustomerMetadataProperties keys under which the signing step records a model package's signed artifact. Pure
// Node.js: the signing step bundles this file, and the deploy-time gate reads the same keys. The registry's group
// policy denies every UpdateModelPackage that sets or removes one of them.

/** The keys of a model package's `CustomerMetadataProperties` that tie it to its signed artifact. */
export class ModelPackageMetadata {
  /** The SHA-256 digest (lowercase hex) of the model artifact. */
  public static readonly ARTIFACT_DIGEST = 'cdk-secure-ai:artifact-sha256';
  /** The `s3://` URI of the artifact's OpenSSF Model Signing bundle. */
  public static readonly SIGNATURE_URI = 'cdk-secure-ai:signature';
  /** The `s3://` URI of the artifact's signed SLSA provenance bundle. */
  public static readonly PROVENANCE_URI = 'cdk-secure-ai:provenance';
  /** The ARN of the KMS key that signed. */
  public static readonly SIGNING_KEY_ARN = 'cdk-secure-ai:signing-key';
  /** The ARN of the training job that produced the artifact. */
  public static readonly TRAINING_JOB_ARN = 'cdk-secure-ai:training-job';
  /** Every key above: the ones nobody may change after registration. */
  public static readonly ALL: string[] = [
    ModelPackageMetadata.ARTIFACT_DIGEST, ModelPackageMetadata.SIGNATURE_URI, ModelPackageMetadata.PROVENANCE_URI,
    ModelPackageMetadata.SIGNING_KEY_ARN, ModelPackageMetadata.TRAINING_JOB_ARN,
  ];
}
