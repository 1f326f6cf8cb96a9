// The signing step of a TrainingPipeline: run by the state machine as soon as a training job completes. It trusts
// nothing in its request but the job's name: the artifact, image and inputs are read from SageMaker and checked
// against the pipeline's configuration, so that a caller cannot make it sign an arbitrary object.
import { createHash } from 'crypto';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateModelPackageCommand, DescribeTrainingJobCommand, DescribeTrainingJobCommandOutput, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ArtifactSignerSetting, ArtifactSigningRequest, ArtifactSigningResult, SignerTrainingInput } from './artifact-signer-settings';
import { ModelPackageMetadata } from './model-package-metadata';
import { sha256OfStream } from '../registry/artifact-digest';
import { ArtifactManifest, ArtifactManifests, TrainingDataDigest } from '../registry/artifact-manifest';

const s3 = new S3Client({});
const kms = new KMSClient({});
const sagemaker = new SageMakerClient({});

/** An error whose name is the error type Step Functions sees (and the execution's Fail state reports). */
class SigningStepError extends Error {
  public constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Settings {
  readonly signingKeyArn: string;
  readonly modelPackageGroupName: string;
  readonly outputUri: string;
  readonly jobNamePrefix: string;
  readonly trainingData: SignerTrainingInput[];
}

interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** Signs the model artifact of a completed training job, writes its manifest and registers it for approval. */
export async function handler(request: ArtifactSigningRequest): Promise<ArtifactSigningResult> {
  const settings = readSettings();
  const jobName = requestedJob(request, settings);
  const job = await describeCompletedJob(jobName);
  const artifactUri = artifactOf(job, settings);
  checkInputs(job, settings.trainingData);
  const trainingJobArn = required(job.TrainingJobArn, 'TrainingJobArn', jobName);
  const image = required(job.AlgorithmSpecification?.TrainingImage, 'AlgorithmSpecification.TrainingImage', jobName);

  const trainingData = await trainingDataDigests(settings.trainingData);
  const digest = await digestOf(artifactUri, 'ArtifactUnreadable', 'model artifact');
  const signature = await sign(settings.signingKeyArn, digest);
  const manifestUri = ArtifactManifests.locationOf(artifactUri);
  const manifest = await writeManifest(manifestUri, {
    manifestVersion: ArtifactManifests.VERSION,
    artifactUri,
    digestAlgorithm: ArtifactManifests.DIGEST_ALGORITHM,
    digest,
    signingAlgorithm: ArtifactManifests.SIGNING_ALGORITHM,
    signature,
    keyArn: settings.signingKeyArn,
    trainingJobArn,
    trainingData,
    createdAt: new Date().toISOString(),
  });

  const registration = new CreateModelPackageCommand({
    ModelPackageGroupName: settings.modelPackageGroupName,
    ModelPackageDescription: `Trained by ${trainingJobArn}; SHA-256 ${digest}, signed by ${manifest.keyArn}. Approve only after evaluation.`,
    ModelApprovalStatus: 'PendingManualApproval',
    InferenceSpecification: { Containers: [{ Image: image, ModelDataUrl: artifactUri }] },
    CustomerMetadataProperties: {
      [ModelPackageMetadata.ARTIFACT_DIGEST]: digest,
      [ModelPackageMetadata.MANIFEST_URI]: manifestUri,
      [ModelPackageMetadata.SIGNING_KEY_ARN]: manifest.keyArn,
      [ModelPackageMetadata.TRAINING_JOB_ARN]: trainingJobArn,
    },
    // A retried invocation for the same job registers no second package.
    ClientToken: createHash('sha256').update(trainingJobArn).digest('hex').slice(0, 32),
  });
  const registered = await attempt('RegistrationFailed', `registering ${artifactUri} in model package group `
    + `${settings.modelPackageGroupName} failed`, () => sagemaker.send(registration));
  const modelPackageArn = required(registered.ModelPackageArn, 'ModelPackageArn', jobName);
  console.log(JSON.stringify({ event: 'ModelArtifactSigned', trainingJobArn, artifactUri, digest, manifestUri, modelPackageArn }));
  return { modelPackageArn, artifactUri, digest, manifestUri, trainingJobArn };
}

function readSettings(): Settings {
  const read = (name: ArtifactSignerSetting): string => {
    const value = process.env[name];
    if (!value) throw new SigningStepError('SigningStepMisconfigured', `environment variable ${name} is not set`);
    return value;
  };
  let trainingData: SignerTrainingInput[];
  try {
    trainingData = JSON.parse(read(ArtifactSignerSetting.TRAINING_DATA)) as SignerTrainingInput[];
  } catch (e) {
    if (e instanceof SigningStepError) throw e;
    throw new SigningStepError('SigningStepMisconfigured', `${ArtifactSignerSetting.TRAINING_DATA} is not JSON: ${messageOf(e)}`);
  }
  return {
    signingKeyArn: read(ArtifactSignerSetting.SIGNING_KEY_ARN),
    modelPackageGroupName: read(ArtifactSignerSetting.MODEL_PACKAGE_GROUP_NAME),
    outputUri: read(ArtifactSignerSetting.OUTPUT_URI),
    jobNamePrefix: read(ArtifactSignerSetting.TRAINING_JOB_NAME_PREFIX),
    trainingData,
  };
}

function requestedJob(request: ArtifactSigningRequest, settings: Settings): string {
  const name = (request as Partial<ArtifactSigningRequest> | undefined)?.trainingJobName;
  if (typeof name !== 'string' || !name.startsWith(`${settings.jobNamePrefix}-`)) {
    throw new SigningStepError('InvalidSigningRequest', `the request names training job ${JSON.stringify(name)}, which is not a job of this `
      + `pipeline (names start with ${settings.jobNamePrefix}-)`);
  }
  return name;
}

async function describeCompletedJob(jobName: string): Promise<DescribeTrainingJobCommandOutput> {
  const job = await attempt('TrainingJobUnreadable', `cannot describe training job ${jobName}`,
    () => sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName })));
  if (job.TrainingJobStatus !== 'Completed') {
    throw new SigningStepError('TrainingJobNotCompleted', `training job ${jobName} is ${job.TrainingJobStatus ?? 'in an unknown state'}; only completed jobs are signed`);
  }
  return job;
}

function artifactOf(job: DescribeTrainingJobCommandOutput, settings: Settings): string {
  const uri = required(job.ModelArtifacts?.S3ModelArtifacts, 'ModelArtifacts.S3ModelArtifacts', job.TrainingJobName);
  if (!uri.startsWith(settings.outputUri)) {
    throw new SigningStepError('ArtifactOutsideOutputLocation', `training job ${job.TrainingJobName} wrote its model to ${uri}, outside `
      + `the pipeline's output location ${settings.outputUri}`);
  }
  return uri;
}

/** The job must have read exactly the declared inputs: otherwise the recorded data digests would describe other data. */
function checkInputs(job: DescribeTrainingJobCommandOutput, declared: SignerTrainingInput[]): void {
  const actual = (job.InputDataConfig ?? []).map((c) => `${c.ChannelName}=${c.DataSource?.S3DataSource?.S3Uri}`).sort();
  const expected = declared.map((d) => `${d.channelName}=${d.uri}`).sort();
  if (actual.join('\n') !== expected.join('\n')) {
    throw new SigningStepError('TrainingDataMismatch', `training job ${job.TrainingJobName} read ${actual.join(', ') || 'no input'}, `
      + `but the pipeline declares ${expected.join(', ') || 'no input'}`);
  }
}

/** Single objects are hashed again and must match their declared digest; prefixes are recorded as declared. */
async function trainingDataDigests(inputs: SignerTrainingInput[]): Promise<TrainingDataDigest[]> {
  const digests: TrainingDataDigest[] = [];
  for (const input of inputs) {
    if (input.singleObject) {
      const actual = await digestOf(input.uri, 'TrainingDataUnreadable', `training data of channel ${input.channelName}`);
      if (actual !== input.sha256) {
        throw new SigningStepError('TrainingDataDigestMismatch', `training data ${input.uri} (channel ${input.channelName}) has SHA-256 `
          + `${actual}, but the pipeline declares ${input.sha256}: the data changed since it was declared, so the model is not signed`);
      }
    }
    digests.push({ uri: input.uri, sha256: input.sha256 });
  }
  return digests;
}

/** Streams an object through SHA-256: memory use does not grow with the object's size. */
async function digestOf(uri: string, errorName: string, what: string): Promise<string> {
  const { bucket, key } = parseS3Uri(uri);
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await sha256OfStream(bodyOf(object.Body));
  } catch (e) {
    throw new SigningStepError(errorName, `cannot read the ${what} ${uri}: ${messageOf(e)}`);
  }
}

async function sign(keyArn: string, digest: string): Promise<string> {
  const response = await attempt('SigningFailed', `KMS could not sign with ${keyArn}`, () => kms.send(new SignCommand({
    KeyId: keyArn,
    Message: Buffer.from(digest, 'hex'),
    MessageType: 'DIGEST',
    SigningAlgorithm: 'ECDSA_SHA_256',
  })));
  if (!response.Signature || response.Signature.length === 0) {
    throw new SigningStepError('SigningFailed', `KMS returned no signature for ${keyArn}`);
  }
  return Buffer.from(response.Signature).toString('base64');
}

/**
 * Writes the manifest unless one exists (`If-None-Match`): a signed record is never replaced. An existing manifest
 * for the same artifact, digest, key and job (a retried invocation) is kept and returned.
 */
async function writeManifest(uri: string, manifest: ArtifactManifest): Promise<ArtifactManifest> {
  const { bucket, key } = parseS3Uri(uri);
  try {
    await s3.send(new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: ArtifactManifests.render(manifest),
      ContentType: 'application/json',
      // Object Lock buckets require an integrity checksum on every write.
      ChecksumAlgorithm: 'SHA256',
      IfNoneMatch: '*',
    }));
    return manifest;
  } catch (e) {
    if (!isPreconditionFailed(e)) throw new SigningStepError('ManifestWriteFailed', `cannot write the manifest ${uri}: ${messageOf(e)}`);
  }
  const existing = await existingManifest(bucket, key, uri);
  const same = existing.artifactUri === manifest.artifactUri && existing.digest === manifest.digest
    && existing.keyArn === manifest.keyArn && existing.trainingJobArn === manifest.trainingJobArn;
  if (!same) {
    throw new SigningStepError('ManifestConflict', `a different manifest already exists at ${uri} (digest ${existing.digest}, job `
      + `${existing.trainingJobArn}); it is never overwritten`);
  }
  return existing;
}

async function existingManifest(bucket: string, key: string, uri: string): Promise<ArtifactManifest> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const chunks: Buffer[] = [];
    for await (const chunk of bodyOf(object.Body)) chunks.push(Buffer.from(chunk));
    return ArtifactManifests.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new SigningStepError('ManifestConflict', `a manifest already exists at ${uri} and cannot be read: ${messageOf(e)}`);
  }
}

/** The body of a GetObject response as the stream it is in Node.js (never read into one buffer). */
function bodyOf(body: unknown): AsyncIterable<Uint8Array> {
  if (body === undefined || body === null || typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== 'function') {
    throw new Error('the response has no readable body');
  }
  return body as AsyncIterable<Uint8Array>;
}

function isPreconditionFailed(e: unknown): boolean {
  const error = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return error?.name === 'PreconditionFailed' || error?.$metadata?.httpStatusCode === 412;
}

function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new SigningStepError('InvalidS3Uri', `${uri} is not an s3://bucket/key URI`);
  return { bucket: match[1], key: match[2] };
}

function required<T>(value: T | undefined, field: string, jobName: string | undefined): T {
  if (value === undefined || value === null || value === '') {
    throw new SigningStepError('TrainingJobIncomplete', `training job ${jobName} has no ${field}`);
  }
  return value;
}

/** Runs an AWS call; its failure becomes a named error that says what could not be done. */
async function attempt<T>(name: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw new SigningStepError(name, `${what}: ${messageOf(e)}`);
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
