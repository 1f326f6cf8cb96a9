// The signing step of a TrainingPipeline, run by the state machine as soon as a training job completes. It trusts no
// claim of its request without checking it: the execution must be one of its own state machine's and must have
// started the job; the job must be exactly the job the pipeline defines (image, role, isolation, encryption, network,
// output, inputs, hyperparameters, and no checkpoint, debugger or other channel); each single-object input must still
// be the version pinned before the job, with its declared digest. Then it copies the artifact, at the version it
// hashed, to a content-addressed write-once key, signs it in the OpenSSF Model Signing v1.0 format and its SLSA
// provenance with the registry's KMS key, and registers the copy as a model package awaiting approval.
import { createHash } from 'crypto';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand,
  S3Client, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { CreateModelPackageCommand, DescribeTrainingJobCommand, DescribeTrainingJobCommandOutput, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import {
  ArtifactSignerSetting, ArtifactSigningRequest, ArtifactSigningResult, canonicalHyperparameters, ExpectedTrainingJob,
} from './artifact-signer-settings';
import { sha256OfStream } from '../registry/artifact-digest';
import { ModelPackageMetadata } from '../registry/model-package-metadata';
import { provenanceKeyOf, signatureKeyOf, verifiedArtifactKey } from '../registry/registry-layout';
import { IN_TOTO_PAYLOAD_TYPE, preAuthEncodingDigest } from '../signing/dsse-envelope';
import { VerificationError, verifyModelSignature, verifyProvenance } from '../signing/envelope-verification';
import { renderModelStatement, SINGLE_FILE_RESOURCE } from '../signing/model-signature';
import { keyHint, readPublicKey } from '../signing/public-key';
import { renderBundle } from '../signing/sigstore-bundle';
import { ProvenanceInput, renderTrainingProvenance } from '../signing/training-provenance';

const s3 = new S3Client({});
const kms = new KMSClient({});
const sagemaker = new SageMakerClient({});
const sfn = new SFNClient({});
const ecr = new ECRClient({});

/** CopyObject copies at most 5 GiB; larger artifacts are copied in parts of this size. */
const SINGLE_COPY_LIMIT = 5 * 1024 ** 3;
const COPY_PART_BYTES = 512 * 1024 ** 2;

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
  readonly bucket: string;
  readonly stateMachineArn: string;
  readonly jobNamePrefix: string;
  readonly job: ExpectedTrainingJob;
}

interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** The key the step signs with: KMS signs the digest, the public key checks each signature before it is written. */
interface Signer {
  readonly hint: string;
  readonly publicKey: ReturnType<typeof readPublicKey>;
  sign(payload: Buffer): Promise<string>;
}

/** Signs the model artifact of a completed training job of this pipeline and registers it for approval. */
export async function handler(request: ArtifactSigningRequest): Promise<ArtifactSigningResult> {
  const settings = readSettings();
  const { jobName, executionArn, inputVersions } = checkRequest(request, settings);
  await confirmOwnExecution(executionArn, settings.stateMachineArn);
  const job = await describeCompletedJob(jobName);
  const trainingJobArn = required(job.TrainingJobArn, 'TrainingJobArn', jobName);
  await confirmExecutionStartedJob(executionArn, trainingJobArn);
  compareWithPipeline(job, settings.job);
  const inputs = await measureInputs(settings.job, inputVersions);
  const imageDigest = await resolveImageDigest(settings.job.imageUri);

  const output = await readOutput(job, settings.job);
  const digest = output.sha256;
  const artifactKey = verifiedArtifactKey(digest);
  const artifactUri = `s3://${settings.bucket}/${artifactKey}`;
  await copyOnce(output, { bucket: settings.bucket, key: artifactKey }, digest);

  const signer = await kmsSigner(settings.signingKeyArn);
  const signatureKey = signatureKeyOf(artifactKey);
  const modelStatement = renderModelStatement('model.tar.gz', [{ name: SINGLE_FILE_RESOURCE, algorithm: 'sha256', digest }]);
  await writeOnce({ bucket: settings.bucket, key: signatureKey }, await signer.sign(Buffer.from(modelStatement)), (existing) => {
    // Another run of the same bytes signed them first: any valid signature of the registry key over these bytes is this one.
    const statement = verifyModelSignature(existing, signer.publicKey, 'the existing signature');
    return statement.resources.length === 1 && statement.resources[0].digest === digest;
  });

  const provenanceKey = provenanceKeyOf(digest, jobName);
  const provenance = renderTrainingProvenance({
    artifact: { uri: artifactUri, sha256: digest },
    trainingOutput: { uri: output.uri, versionId: output.versionId, sha256: digest },
    builderId: settings.stateMachineArn,
    executionArn,
    trainingJobArn,
    startedOn: job.TrainingStartTime?.toISOString(),
    finishedOn: job.TrainingEndTime?.toISOString(),
    settings: {
      roleArn: settings.job.roleArn,
      imageUri: settings.job.imageUri,
      imageDigest,
      networkIsolation: true,
      interContainerEncryption: true,
      subnets: settings.job.subnets,
      securityGroups: settings.job.securityGroups,
      outputPath: settings.job.outputPath,
      outputKmsKeyId: settings.job.outputKmsKeyId,
      volumeKmsKeyId: settings.job.volumeKmsKeyId,
      instanceType: settings.job.instanceType,
      instanceCount: settings.job.instanceCount,
      maxRuntimeInSeconds: settings.job.maxRuntimeInSeconds,
      hyperparameters: job.HyperParameters ?? {},
    },
    inputs,
  });
  await writeOnce({ bucket: settings.bucket, key: provenanceKey }, await signer.sign(Buffer.from(provenance)), (existing) => {
    const recorded = verifyProvenance(existing, signer.publicKey, 'the existing provenance');
    return recorded.trainingJobArn === trainingJobArn && recorded.artifact.sha256 === digest;
  });

  const signatureUri = `s3://${settings.bucket}/${signatureKey}`;
  const provenanceUri = `s3://${settings.bucket}/${provenanceKey}`;
  const registration = new CreateModelPackageCommand({
    ModelPackageGroupName: settings.modelPackageGroupName,
    ModelPackageDescription: `Trained by ${trainingJobArn}; SHA-256 ${digest}, signed by ${settings.signingKeyArn}. Approve only after evaluation.`,
    ModelApprovalStatus: 'PendingManualApproval',
    InferenceSpecification: { Containers: [{ Image: settings.job.imageUri, ModelDataUrl: artifactUri }] },
    CustomerMetadataProperties: {
      [ModelPackageMetadata.ARTIFACT_DIGEST]: digest,
      [ModelPackageMetadata.SIGNATURE_URI]: signatureUri,
      [ModelPackageMetadata.PROVENANCE_URI]: provenanceUri,
      [ModelPackageMetadata.SIGNING_KEY_ARN]: settings.signingKeyArn,
      [ModelPackageMetadata.TRAINING_JOB_ARN]: trainingJobArn,
    },
    // A retried invocation for the same job registers no second package.
    ClientToken: createHash('sha256').update(trainingJobArn).digest('hex').slice(0, 32),
  });
  const registered = await attempt('RegistrationFailed', `registering ${artifactUri} in model package group `
    + `${settings.modelPackageGroupName} failed`, () => sagemaker.send(registration));
  const modelPackageArn = required(registered.ModelPackageArn, 'ModelPackageArn', jobName);
  console.log(JSON.stringify({ event: 'ModelArtifactSigned', trainingJobArn, executionArn, artifactUri, digest, signatureUri, provenanceUri, modelPackageArn }));
  return { modelPackageArn, artifactUri, digest, signatureUri, provenanceUri, trainingJobArn };
}

function readSettings(): Settings {
  const read = (name: ArtifactSignerSetting): string => {
    const value = process.env[name];
    if (!value) throw new SigningStepError('SigningStepMisconfigured', `environment variable ${name} is not set`);
    return value;
  };
  let job: ExpectedTrainingJob;
  try {
    job = JSON.parse(read(ArtifactSignerSetting.TRAINING_JOB)) as ExpectedTrainingJob;
  } catch (e) {
    if (e instanceof SigningStepError) throw e;
    throw new SigningStepError('SigningStepMisconfigured', `${ArtifactSignerSetting.TRAINING_JOB} is not JSON: ${messageOf(e)}`);
  }
  return {
    signingKeyArn: read(ArtifactSignerSetting.SIGNING_KEY_ARN),
    modelPackageGroupName: read(ArtifactSignerSetting.MODEL_PACKAGE_GROUP_NAME),
    bucket: read(ArtifactSignerSetting.ARTIFACT_BUCKET),
    stateMachineArn: read(ArtifactSignerSetting.STATE_MACHINE_ARN),
    jobNamePrefix: read(ArtifactSignerSetting.TRAINING_JOB_NAME_PREFIX),
    job,
  };
}

function checkRequest(
  request: ArtifactSigningRequest, settings: Settings,
): { jobName: string; executionArn: string; inputVersions: Record<string, string> } {
  const given = (request ?? {}) as Partial<ArtifactSigningRequest>;
  const name = given.trainingJobName;
  if (typeof name !== 'string' || !name.startsWith(`${settings.jobNamePrefix}-`)) {
    throw new SigningStepError('InvalidSigningRequest', `the request names training job ${JSON.stringify(name)}, which is not a job of this `
      + `pipeline (names start with ${settings.jobNamePrefix}-)`);
  }
  const executionArn = given.executionArn;
  const executions = settings.stateMachineArn.replace(':stateMachine:', ':execution:');
  if (typeof executionArn !== 'string' || !executionArn.startsWith(`${executions}:`)) {
    throw new SigningStepError('InvalidSigningRequest', `the request names execution ${JSON.stringify(executionArn)}, which is not an `
      + `execution of this pipeline's state machine ${settings.stateMachineArn}`);
  }
  const versions = given.inputVersions;
  return { jobName: name, executionArn, inputVersions: typeof versions === 'object' && versions !== null ? versions : {} };
}

/** The execution must be a running execution of the pipeline's own state machine: a caller cannot name another one. */
async function confirmOwnExecution(executionArn: string, stateMachineArn: string): Promise<void> {
  const execution = await attempt('ExecutionUnreadable', `cannot describe execution ${executionArn}`,
    () => sfn.send(new DescribeExecutionCommand({ executionArn })));
  if (execution.stateMachineArn !== stateMachineArn || execution.status !== 'RUNNING') {
    throw new SigningStepError('ForeignExecution', `execution ${executionArn} is ${execution.status ?? 'in an unknown state'} of `
      + `${execution.stateMachineArn ?? 'an unknown state machine'}; only a running execution of ${stateMachineArn} has its job signed`);
  }
}

/** The execution's history must show its training state creating this very job: a job started by anyone else is not signed. */
async function confirmExecutionStartedJob(executionArn: string, trainingJobArn: string): Promise<void> {
  let nextToken: string | undefined;
  for (let page = 0; page < 10; page++) {
    const history = await attempt('ExecutionUnreadable', `cannot read the history of execution ${executionArn}`,
      () => sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 100, includeExecutionData: true })));
    if ((history.events ?? []).some((e) => startedJob(e) === trainingJobArn)) return;
    nextToken = history.nextToken;
    if (nextToken === undefined) break;
  }
  throw new SigningStepError('JobNotStartedByExecution', `training job ${trainingJobArn} was not created by execution ${executionArn}: `
    + 'its history has no training state that submitted it, so the job was started outside the pipeline');
}

/** The job a `createTrainingJob.sync` task submitted, from the event's output. */
function startedJob(event: HistoryEvent): string | undefined {
  const details = event.taskSubmittedEventDetails;
  if (details?.resourceType !== 'sagemaker' || !details.resource?.startsWith('createTrainingJob') || details.output === undefined) return undefined;
  try {
    return (JSON.parse(details.output) as { TrainingJobArn?: string }).TrainingJobArn;
  } catch {
    return undefined;
  }
}

async function describeCompletedJob(jobName: string): Promise<DescribeTrainingJobCommandOutput> {
  const job = await attempt('TrainingJobUnreadable', `cannot describe training job ${jobName}`,
    () => sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName })));
  if (job.TrainingJobStatus !== 'Completed') {
    throw new SigningStepError('TrainingJobNotCompleted', `training job ${jobName} is ${job.TrainingJobStatus ?? 'in an unknown state'}; only completed jobs are signed`);
  }
  return job;
}

/** Every setting that decides what the job could read, run, reach or write must be the pipeline's. */
function compareWithPipeline(job: DescribeTrainingJobCommandOutput, expected: ExpectedTrainingJob): void {
  const problems: string[] = [];
  const same = (what: string, actual: unknown, wanted: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) problems.push(`${what} is ${JSON.stringify(actual) ?? 'not set'}, not ${JSON.stringify(wanted) ?? 'unset'}`);
  };
  const sorted = (list: string[] | undefined) => [...(list ?? [])].sort();
  same('its role', job.RoleArn, expected.roleArn);
  same('its image', job.AlgorithmSpecification?.TrainingImage, expected.imageUri);
  same('network isolation', job.EnableNetworkIsolation === true, true);
  same('inter-container traffic encryption', job.EnableInterContainerTrafficEncryption === true, true);
  same('its subnets', sorted(job.VpcConfig?.Subnets), sorted(expected.subnets));
  same('its security groups', sorted(job.VpcConfig?.SecurityGroupIds), sorted(expected.securityGroups));
  same('its output path', job.OutputDataConfig?.S3OutputPath?.replace(/\/+$/, ''), expected.outputPath);
  same('its output key', job.OutputDataConfig?.KmsKeyId, expected.outputKmsKeyId);
  same('its volume key', job.ResourceConfig?.VolumeKmsKeyId, expected.volumeKmsKeyId);
  same('its instance type', job.ResourceConfig?.InstanceType, expected.instanceType);
  same('its instance count', job.ResourceConfig?.InstanceCount, expected.instanceCount);
  same('its maximum runtime', job.StoppingCondition?.MaxRuntimeInSeconds, expected.maxRuntimeInSeconds);
  same('the SHA-256 of its hyperparameters', createHash('sha256').update(canonicalHyperparameters(job.HyperParameters ?? {})).digest('hex'),
    expected.hyperparametersSha256);
  same('its input channels', (job.InputDataConfig ?? []).map((c) => `${c.ChannelName}=${c.DataSource?.S3DataSource?.S3Uri}`).sort(),
    expected.inputs.map((i) => `${i.channelName}=${i.uri}`).sort());
  // What the pipeline never sets: each would let the job read, write or be reached outside the checks above.
  if (job.CheckpointConfig !== undefined) problems.push(`it syncs checkpoints with ${job.CheckpointConfig.S3Uri}`);
  if (job.DebugHookConfig !== undefined) problems.push(`it writes debugger output to ${job.DebugHookConfig.S3OutputPath}`);
  if (job.TensorBoardOutputConfig !== undefined) problems.push(`it writes TensorBoard output to ${job.TensorBoardOutputConfig.S3OutputPath}`);
  if (job.RemoteDebugConfig?.EnableRemoteDebug === true) problems.push('remote debugging is enabled');
  if (Object.keys(job.Environment ?? {}).length > 0) problems.push(`it sets environment variables ${Object.keys(job.Environment ?? {}).join(', ')}`);
  if (problems.length > 0) {
    throw new SigningStepError('TrainingJobMismatch', `training job ${job.TrainingJobName} is not the job this pipeline runs: ${problems.join('; ')}`);
  }
}

/**
 * A single-object input must still be the version pinned before the job (a new version means the data changed while
 * or after the job read it) and that version must have the declared digest; a prefix is recorded as declared.
 */
async function measureInputs(expected: ExpectedTrainingJob, pinned: Record<string, string>): Promise<ProvenanceInput[]> {
  const measured: ProvenanceInput[] = [];
  for (const input of expected.inputs) {
    if (!input.singleObject) {
      measured.push({ channelName: input.channelName, uri: input.uri, sha256: input.sha256, measured: false });
      continue;
    }
    const versionId = pinned[input.channelName];
    if (typeof versionId !== 'string' || versionId.length === 0) {
      throw new SigningStepError('TrainingDataNotPinned', `training data ${input.uri} (channel ${input.channelName}) has no version pinned before the job`);
    }
    const location = parseS3Uri(input.uri);
    const current = await attempt('TrainingDataUnreadable', `cannot read training data ${input.uri}`,
      () => s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key })));
    if (current.VersionId !== versionId) {
      throw new SigningStepError('TrainingDataChanged', `training data ${input.uri} (channel ${input.channelName}) is now version `
        + `${current.VersionId ?? '(none)'}, but version ${versionId} was pinned before the job: the data changed while or after the job read it, `
        + 'so the model is not signed');
    }
    const actual = await digestOf({ ...location, versionId }, 'TrainingDataUnreadable', `training data of channel ${input.channelName}`);
    if (actual !== input.sha256) {
      throw new SigningStepError('TrainingDataDigestMismatch', `training data ${input.uri} (channel ${input.channelName}, version ${versionId}) `
        + `has SHA-256 ${actual}, but the pipeline declares ${input.sha256}: the data is not the data declared, so the model is not signed`);
    }
    measured.push({ channelName: input.channelName, uri: input.uri, versionId, sha256: actual, measured: true });
  }
  return measured;
}

/** A pinned image names its digest; an ECR tag (immutable in a vetted repository) is resolved to it; anything else has none. */
async function resolveImageDigest(imageUri: string): Promise<string | undefined> {
  const pinned = /@(sha256:[0-9a-f]{64})$/.exec(imageUri);
  if (pinned) return pinned[1];
  const ecrTag = /^(\d{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/([^:@]+):([^:@/]+)$/.exec(imageUri);
  if (!ecrTag) return undefined;
  const [, registryId, repositoryName, imageTag] = ecrTag;
  const described = await attempt('ImageUnresolved', `cannot resolve the digest of image ${imageUri}`,
    () => ecr.send(new DescribeImagesCommand({ registryId, repositoryName, imageIds: [{ imageTag }] })));
  const digest = described.imageDetails?.[0]?.imageDigest;
  if (digest === undefined) throw new SigningStepError('ImageUnresolved', `image ${imageUri} has no digest in ECR`);
  return digest;
}

/** The training output: exactly `<outputPath>/<job>/output/model.tar.gz`, hashed at the version read. */
async function readOutput(
  job: DescribeTrainingJobCommandOutput, expected: ExpectedTrainingJob,
): Promise<{ uri: string; versionId: string; sha256: string } & S3Location> {
  const uri = required(job.ModelArtifacts?.S3ModelArtifacts, 'ModelArtifacts.S3ModelArtifacts', job.TrainingJobName);
  const wanted = `${expected.outputPath}/${job.TrainingJobName}/output/model.tar.gz`;
  if (uri !== wanted) {
    throw new SigningStepError('ArtifactOutsideOutputLocation', `training job ${job.TrainingJobName} wrote its model to ${uri}, not to ${wanted}`);
  }
  const location = parseS3Uri(uri);
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    const sha256 = await sha256OfStream(bodyOf(object.Body));
    if (!object.VersionId) throw new Error('the response names no VersionId (is the bucket versioned?)');
    return { ...location, uri, versionId: object.VersionId, sha256 };
  } catch (e) {
    throw new SigningStepError('ArtifactUnreadable', `cannot read the model artifact ${uri}: ${messageOf(e)}`);
  }
}

/**
 * Copies the version that was hashed to its content-addressed key, never over an existing object (`If-None-Match`).
 * An existing copy (another run trained the same bytes) is kept once its bytes are shown to have the digest.
 */
async function copyOnce(source: S3Location & { versionId: string }, target: S3Location, digest: string): Promise<void> {
  const copySource = `${source.bucket}/${encodeURIComponent(source.key).replace(/%2F/g, '/')}?versionId=${encodeURIComponent(source.versionId)}`;
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: source.bucket, Key: source.key, VersionId: source.versionId }));
    if ((head.ContentLength ?? 0) > SINGLE_COPY_LIMIT) await copyInParts(copySource, head.ContentLength!, target);
    else await s3.send(new CopyObjectCommand({ Bucket: target.bucket, Key: target.key, CopySource: copySource, IfNoneMatch: '*', ChecksumAlgorithm: 'SHA256' }));
    return;
  } catch (e) {
    if (!isPreconditionFailed(e)) throw new SigningStepError('CopyFailed', `cannot copy the artifact to s3://${target.bucket}/${target.key}: ${messageOf(e)}`);
  }
  const existing = await digestOf(target, 'CopyFailed', 'existing registered copy');
  if (existing !== digest) {
    throw new SigningStepError('CopyConflict', `s3://${target.bucket}/${target.key} already exists with SHA-256 ${existing}; it is never overwritten`);
  }
}

async function copyInParts(copySource: string, size: number, target: S3Location): Promise<void> {
  const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, ChecksumAlgorithm: 'SHA256' }));
  const parts = [];
  for (let start = 0, part = 1; start < size; start += COPY_PART_BYTES, part++) {
    const end = Math.min(start + COPY_PART_BYTES, size) - 1;
    const copied = await s3.send(new UploadPartCopyCommand({
      Bucket: target.bucket, Key: target.key, UploadId: upload.UploadId, PartNumber: part, CopySource: copySource, CopySourceRange: `bytes=${start}-${end}`,
    }));
    parts.push({ PartNumber: part, ETag: copied.CopyPartResult?.ETag, ChecksumSHA256: copied.CopyPartResult?.ChecksumSHA256 });
  }
  await s3.send(new CompleteMultipartUploadCommand({
    Bucket: target.bucket, Key: target.key, UploadId: upload.UploadId, MultipartUpload: { Parts: parts }, IfNoneMatch: '*',
  }));
}

/** The registry key as a signer: its public key (and hint) from KMS, signatures over the SHA-256 of the PAE. */
async function kmsSigner(keyArn: string): Promise<Signer> {
  const described = await attempt('SigningFailed', `cannot read the public key of ${keyArn}`, () => kms.send(new GetPublicKeyCommand({ KeyId: keyArn })));
  if (!described.PublicKey) throw new SigningStepError('SigningFailed', `KMS returned no public key for ${keyArn}`);
  const publicKey = readPublicKey(Buffer.from(described.PublicKey), keyArn);
  const hint = keyHint(publicKey);
  return {
    hint,
    publicKey,
    async sign(payload: Buffer): Promise<string> {
      const response = await attempt('SigningFailed', `KMS could not sign with ${keyArn}`, () => kms.send(new SignCommand({
        KeyId: keyArn,
        Message: preAuthEncodingDigest(payload),
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      })));
      if (!response.Signature || response.Signature.length === 0) throw new SigningStepError('SigningFailed', `KMS returned no signature for ${keyArn}`);
      return renderBundle({ payload, payloadType: IN_TOTO_PAYLOAD_TYPE, signature: Buffer.from(response.Signature), hint });
    },
  };
}

/**
 * Writes an object unless one exists (`If-None-Match`): a signed record is never replaced. An existing object that
 * `acceptExisting` recognises (a retried invocation, or another run of the same bytes) is kept.
 */
async function writeOnce(target: S3Location, body: string, acceptExisting: (existing: string) => boolean): Promise<void> {
  const uri = `s3://${target.bucket}/${target.key}`;
  try {
    await s3.send(new PutObjectCommand({
      Bucket: target.bucket,
      Key: target.key,
      Body: body,
      ContentType: 'application/json',
      // Object Lock buckets require an integrity checksum on every write.
      ChecksumAlgorithm: 'SHA256',
      IfNoneMatch: '*',
    }));
    return;
  } catch (e) {
    if (!isPreconditionFailed(e)) throw new SigningStepError('SignatureWriteFailed', `cannot write ${uri}: ${messageOf(e)}`);
  }
  let existing: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: target.key }));
    const chunks: Buffer[] = [];
    for await (const chunk of bodyOf(object.Body)) chunks.push(Buffer.from(chunk));
    existing = Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    throw new SigningStepError('SignatureConflict', `${uri} already exists and cannot be read: ${messageOf(e)}`);
  }
  let accepted = false;
  try {
    accepted = acceptExisting(existing);
  } catch (e) {
    if (!(e instanceof VerificationError)) throw e;
  }
  if (!accepted) throw new SigningStepError('SignatureConflict', `a different object already exists at ${uri}; it is never overwritten`);
}

/** Streams an object (at a version, when given) through SHA-256: memory use does not grow with its size. */
async function digestOf(location: S3Location & { versionId?: string }, errorName: string, what: string): Promise<string> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key, VersionId: location.versionId }));
    return await sha256OfStream(bodyOf(object.Body));
  } catch (e) {
    throw new SigningStepError(errorName, `cannot read the ${what} s3://${location.bucket}/${location.key}: ${messageOf(e)}`);
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
