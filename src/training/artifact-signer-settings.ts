// What the TrainingPipeline tells its signing step, and what the step answers. Pure TypeScript: the handler bundles
// this file, so it must not import aws-cdk-lib.

/** The environment variables through which the pipeline configures its signing step (part of the function's configuration, not of the request). */
export enum ArtifactSignerSetting {
  /** The ARN of the registry's signing key. */
  SIGNING_KEY_ARN = 'SIGNING_KEY_ARN',
  /** The model package group new packages are registered in. */
  MODEL_PACKAGE_GROUP_NAME = 'MODEL_PACKAGE_GROUP_NAME',
  /** `s3://<artifact bucket>/<prefix>/`: the only place the step accepts artifacts from. */
  OUTPUT_URI = 'OUTPUT_URI',
  /** The prefix of the pipeline's training job names: the only jobs whose artifacts the step signs. */
  TRAINING_JOB_NAME_PREFIX = 'TRAINING_JOB_NAME_PREFIX',
  /** The training data inputs, as JSON (a list of {@link SignerTrainingInput}). */
  TRAINING_DATA = 'TRAINING_DATA',
}

/** One training data input as the signing step knows it. */
export interface SignerTrainingInput {
  /** The channel the training job reads it from. */
  readonly channelName: string;
  /** `s3://bucket/key-or-prefix`, exactly as the training job's channel names it. */
  readonly uri: string;
  /** The SHA-256 digest declared for it, 64 lowercase hexadecimal characters. */
  readonly sha256: string;
  /** Whether the input is a single object, whose digest the step recomputes and compares with the declared one. */
  readonly singleObject: boolean;
}

/** What the state machine sends the signing step: only the job's name, everything else is read from SageMaker. */
export interface ArtifactSigningRequest {
  /** The name of the completed training job. */
  readonly trainingJobName: string;
}

/** What the signing step returns. */
export interface ArtifactSigningResult {
  /** The ARN of the registered model package (PendingManualApproval). */
  readonly modelPackageArn: string;
  /** The signed model artifact. */
  readonly artifactUri: string;
  /** Its SHA-256 digest. */
  readonly digest: string;
  /** Where its manifest was written. */
  readonly manifestUri: string;
  /** The training job that produced it. */
  readonly trainingJobArn: string;
}
