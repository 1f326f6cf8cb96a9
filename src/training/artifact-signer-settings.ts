// What the TrainingPipeline tells its signing step, and what the step answers. Pure TypeScript: the handler bundles
// this file, so it must not import aws-cdk-lib.

/** The environment variables through which the pipeline configures its signing step (part of the function's configuration, not of the request). */
export enum ArtifactSignerSetting {
  /** The ARN of the registry's signing key. */
  SIGNING_KEY_ARN = 'SIGNING_KEY_ARN',
  /** The model package group new packages are registered in. */
  MODEL_PACKAGE_GROUP_NAME = 'MODEL_PACKAGE_GROUP_NAME',
  /** The registry's artifact bucket, where the step writes the verified copy and the signatures. */
  ARTIFACT_BUCKET = 'ARTIFACT_BUCKET',
  /** The ARN of the pipeline's own state machine: only jobs one of its executions started are signed. */
  STATE_MACHINE_ARN = 'STATE_MACHINE_ARN',
  /** The prefix of the pipeline's training job names. */
  TRAINING_JOB_NAME_PREFIX = 'TRAINING_JOB_NAME_PREFIX',
  /** The training job the pipeline runs, as JSON (an {@link ExpectedTrainingJob}): a job that differs is not signed. */
  TRAINING_JOB = 'TRAINING_JOB',
}

/** One training data input as the signing step knows it. */
export interface SignerTrainingInput {
  /** The channel the training job reads it from. */
  readonly channelName: string;
  /** `s3://bucket/key-or-prefix`, exactly as the training job's channel names it. */
  readonly uri: string;
  /** The SHA-256 digest declared for it, 64 lowercase hexadecimal characters. */
  readonly sha256: string;
  /** Whether the input is a single object, whose version is pinned before the job and whose digest is measured after it. */
  readonly singleObject: boolean;
}

/** The training job exactly as the pipeline's state machine creates it. */
export interface ExpectedTrainingJob {
  readonly roleArn: string;
  readonly imageUri: string;
  /** `s3://bucket/prefix` without a trailing slash: SageMaker writes `<outputPath>/<job>/output/model.tar.gz`. */
  readonly outputPath: string;
  readonly outputKmsKeyId: string;
  readonly volumeKmsKeyId?: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly maxRuntimeInSeconds: number;
  readonly subnets: string[];
  readonly securityGroups: string[];
  /** The SHA-256 of the hyperparameters as canonical JSON (keys sorted): they may be too long for the environment. */
  readonly hyperparametersSha256: string;
  readonly inputs: SignerTrainingInput[];
}

/** The SHA-256 of hyperparameters as the signing step compares them: JSON of the entries sorted by name. */
export function canonicalHyperparameters(hyperparameters: Record<string, string>): string {
  return JSON.stringify(Object.keys(hyperparameters).sort().map((k) => [k, hyperparameters[k]]));
}

/** What the state machine sends the signing step. The step checks each claim against SageMaker, Step Functions and S3. */
export interface ArtifactSigningRequest {
  /** The name of the completed training job. */
  readonly trainingJobName: string;
  /** The execution that ran it (`$$.Execution.Id`). */
  readonly executionArn: string;
  /** The VersionId of each single-object input, read before the job started, by channel. */
  readonly inputVersions: Record<string, string>;
}

/** What the signing step returns. */
export interface ArtifactSigningResult {
  /** The ARN of the registered model package (PendingManualApproval). */
  readonly modelPackageArn: string;
  /** The registered artifact: the content-addressed copy `s3://<bucket>/verified/<sha256>/model.tar.gz`. */
  readonly artifactUri: string;
  /** Its SHA-256 digest. */
  readonly digest: string;
  /** The OMS signature bundle. */
  readonly signatureUri: string;
  /** The signed provenance bundle. */
  readonly provenanceUri: string;
  /** The training job that produced it. */
  readonly trainingJobArn: string;
}
