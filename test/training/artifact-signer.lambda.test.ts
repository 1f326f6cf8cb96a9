import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { KMSClient, SignCommand, SignCommandInput } from '@aws-sdk/client-kms';
import { GetObjectCommand, GetObjectCommandInput, GetObjectCommandOutput, NoSuchKey, PutObjectCommand, PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand, CreateModelPackageCommandInput, DescribeTrainingJobCommand, DescribeTrainingJobCommandOutput, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { digestSigner } from './digest-signer';
import { ArtifactManifests } from '../../src/registry/artifact-manifest';
import { ArtifactVerifier } from '../../src/registry/artifact-verifier';
import { ArtifactSignerSetting, SignerTrainingInput } from '../../src/training/artifact-signer-settings';
import { handler } from '../../src/training/artifact-signer.lambda';
import { ModelPackageMetadata } from '../../src/training/model-package-metadata';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const sagemaker = mockClient(SageMakerClient);

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const JOB_NAME = 'fraud-6f1c2a7e-0d3b-4a51-9a8e-2f4b7c9d1e30';
const JOB_ARN = `arn:aws:sagemaker:us-east-1:111111111111:training-job/${JOB_NAME}`;
const IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/fraud-training:v1.2.0';
const ARTIFACTS = 'registry-artifacts';
const ARTIFACT_KEY = `training/fraud/${JOB_NAME}/output/model.tar.gz`;
const ARTIFACT_URI = `s3://${ARTIFACTS}/${ARTIFACT_KEY}`;
const MANIFEST_KEY = `${ARTIFACT_KEY}.manifest.json`;
const PACKAGE_ARN = 'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud/7';
const TRAIN_URI = 's3://training-data/fraud/train.csv';
const VALIDATION_URI = 's3://training-data/fraud/validation/';

const sha256 = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');
const artifact = crypto.randomBytes(3 * 1024 * 1024 + 17);
const trainingCsv = Buffer.from('amount,label\n12.5,0\n9000,1\n');
const signer = digestSigner();

const trainingData: SignerTrainingInput[] = [
  { channelName: 'train', uri: TRAIN_URI, sha256: sha256(trainingCsv), singleObject: true },
  { channelName: 'validation', uri: VALIDATION_URI, sha256: 'b'.repeat(64), singleObject: false },
];

function completedJob(overrides: Partial<DescribeTrainingJobCommandOutput> = {}): DescribeTrainingJobCommandOutput {
  return {
    $metadata: {},
    TrainingJobName: JOB_NAME,
    TrainingJobArn: JOB_ARN,
    TrainingJobStatus: 'Completed',
    SecondaryStatus: 'Completed',
    ModelArtifacts: { S3ModelArtifacts: ARTIFACT_URI },
    AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
    InputDataConfig: [
      { ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: TRAIN_URI } } },
      { ChannelName: 'validation', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: VALIDATION_URI } } },
    ],
    ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
    StoppingCondition: { MaxRuntimeInSeconds: 86400 },
    CreationTime: new Date('2026-11-26T04:00:00Z'),
    ...overrides,
  };
}

/** A GetObject response whose body is a stream, as the SDK returns it in Node.js. */
function objectBody(stream: Readable): GetObjectCommandOutput {
  return { $metadata: {}, Body: stream as unknown as GetObjectCommandOutput['Body'] };
}

/** Streams `bytes` in 64 KiB chunks, as S3 would. */
function streamOf(bytes: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 64 * 1024) chunks.push(bytes.subarray(at, at + 64 * 1024));
  return Readable.from(chunks);
}

function serveObjects(objects: Record<string, Buffer>): void {
  s3.on(GetObjectCommand).callsFake(async (input: GetObjectCommandInput) => {
    const bytes = objects[`s3://${input.Bucket}/${input.Key}`];
    if (!bytes) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
    return objectBody(streamOf(bytes));
  });
}

/** KMS's Sign in DIGEST mode, with a real P-256 key: the signature is over the digest the handler sent. */
function kmsSignsDigests(): void {
  kms.on(SignCommand).callsFake(async (input: SignCommandInput) => ({
    KeyId: input.KeyId,
    SigningAlgorithm: input.SigningAlgorithm,
    Signature: signer.sign(input.Message as Uint8Array),
  }));
}

function writtenManifest(): string {
  const put = s3.commandCalls(PutObjectCommand);
  expect(put).toHaveLength(1);
  return put[0].args[0].input.Body as string;
}

let logged: jest.SpyInstance;

beforeEach(() => {
  logged = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  s3.reset();
  kms.reset();
  sagemaker.reset();
  process.env[ArtifactSignerSetting.SIGNING_KEY_ARN] = KEY_ARN;
  process.env[ArtifactSignerSetting.MODEL_PACKAGE_GROUP_NAME] = 'fraud';
  process.env[ArtifactSignerSetting.OUTPUT_URI] = `s3://${ARTIFACTS}/training/fraud/`;
  process.env[ArtifactSignerSetting.TRAINING_JOB_NAME_PREFIX] = 'fraud';
  process.env[ArtifactSignerSetting.TRAINING_DATA] = JSON.stringify(trainingData);
  sagemaker.on(DescribeTrainingJobCommand).resolves(completedJob());
  sagemaker.on(CreateModelPackageCommand).resolves({ ModelPackageArn: PACKAGE_ARN });
  serveObjects({ [ARTIFACT_URI]: artifact, [TRAIN_URI]: trainingCsv });
  kmsSignsDigests();
  s3.on(PutObjectCommand).resolves({});
});

describe('signing a trained model', () => {
  test('streams the artifact, signs its digest, writes the manifest beside it and registers a package for approval', async () => {
    const result = await handler({ trainingJobName: JOB_NAME });

    // The job is read from SageMaker, not from the request.
    expect(sagemaker.commandCalls(DescribeTrainingJobCommand)[0].args[0].input).toEqual({ TrainingJobName: JOB_NAME });
    // The artifact and the single-object input are read; the prefix input is recorded as declared.
    expect(s3.commandCalls(GetObjectCommand).map((c) => `s3://${c.args[0].input.Bucket}/${c.args[0].input.Key}`).sort())
      .toEqual([ARTIFACT_URI, TRAIN_URI].sort());

    const sign = kms.commandCalls(SignCommand);
    expect(sign).toHaveLength(1);
    const { Message, ...parameters } = sign[0].args[0].input;
    expect(parameters).toEqual({ KeyId: KEY_ARN, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(Buffer.from(Message as Uint8Array).toString('hex')).toBe(sha256(artifact));

    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input as PutObjectCommandInput;
    expect(put).toMatchObject({ Bucket: ARTIFACTS, Key: MANIFEST_KEY, ContentType: 'application/json', IfNoneMatch: '*', ChecksumAlgorithm: 'SHA256' });
    const manifest = ArtifactManifests.parse(writtenManifest());
    expect(manifest).toMatchObject({
      artifactUri: ARTIFACT_URI,
      digest: sha256(artifact),
      keyArn: KEY_ARN,
      trainingJobArn: JOB_ARN,
      signingAlgorithm: 'ECDSA_SHA_256',
      trainingData: [{ uri: TRAIN_URI, sha256: sha256(trainingCsv) }, { uri: VALIDATION_URI, sha256: 'b'.repeat(64) }],
    });
    expect(Date.now() - Date.parse(manifest.createdAt)).toBeLessThan(60_000);

    const registered = sagemaker.commandCalls(CreateModelPackageCommand);
    expect(registered).toHaveLength(1);
    const input = registered[0].args[0].input as CreateModelPackageCommandInput;
    expect(input).toMatchObject({
      ModelPackageGroupName: 'fraud',
      ModelApprovalStatus: 'PendingManualApproval',
      InferenceSpecification: { Containers: [{ Image: IMAGE, ModelDataUrl: ARTIFACT_URI }] },
      CustomerMetadataProperties: {
        [ModelPackageMetadata.ARTIFACT_DIGEST]: sha256(artifact),
        [ModelPackageMetadata.MANIFEST_URI]: `s3://${ARTIFACTS}/${MANIFEST_KEY}`,
        [ModelPackageMetadata.SIGNING_KEY_ARN]: KEY_ARN,
        [ModelPackageMetadata.TRAINING_JOB_ARN]: JOB_ARN,
      },
    });
    expect(input.ClientToken).toMatch(/^[a-f0-9]{32}$/);
    // One structured line per signed model, for the log group's metric filters and for auditors.
    expect(logged.mock.calls.map((c) => JSON.parse(c[0] as string))).toEqual([expect.objectContaining({
      event: 'ModelArtifactSigned', digest: sha256(artifact), modelPackageArn: PACKAGE_ARN, trainingJobArn: JOB_ARN,
    })]);
    expect(result).toEqual({
      modelPackageArn: PACKAGE_ARN,
      artifactUri: ARTIFACT_URI,
      digest: sha256(artifact),
      manifestUri: `s3://${ARTIFACTS}/${MANIFEST_KEY}`,
      trainingJobArn: JOB_ARN,
    });
  });

  describe('the manifest verifies offline with the public key, and a tampered artifact does not', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'artifact-signer-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('sign, then verify, then tamper one byte', async () => {
      await handler({ trainingJobName: JOB_NAME });
      const files = {
        artifactPath: path.join(dir, 'model.tar.gz'),
        manifestPath: path.join(dir, 'model.tar.gz.manifest.json'),
        publicKeyPath: path.join(dir, 'signing-key.pem'),
      };
      fs.writeFileSync(files.artifactPath, artifact);
      fs.writeFileSync(files.manifestPath, writtenManifest());
      fs.writeFileSync(files.publicKeyPath, signer.publicKeyPem);

      const verified = ArtifactVerifier.verifyFiles(files);
      expect(verified).toEqual(expect.objectContaining({ valid: true, digest: sha256(artifact) }));

      const tampered = Buffer.from(artifact);
      tampered[1_000_000] = (tampered[1_000_000] + 1) % 256;
      fs.writeFileSync(files.artifactPath, tampered);
      const rejected = ArtifactVerifier.verifyFiles(files);
      expect(rejected.valid).toBe(false);
      expect(rejected.message).toMatch(/modified after signing/);

      // A signature by another key does not verify either: the public key decides.
      fs.writeFileSync(files.artifactPath, artifact);
      fs.writeFileSync(files.publicKeyPath, digestSigner().publicKeyPem);
      expect(ArtifactVerifier.verifyFiles(files).valid).toBe(false);
    });
  });
});

describe('what the signing step refuses', () => {
  function nothingSignedOrRegistered(): void {
    expect(kms.commandCalls(SignCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(sagemaker.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
  }

  test('a missing artifact fails with the URI and signs nothing', async () => {
    serveObjects({ [TRAIN_URI]: trainingCsv });
    await expect(handler({ trainingJobName: JOB_NAME })).rejects.toMatchObject({
      name: 'ArtifactUnreadable',
      message: expect.stringContaining(`${ARTIFACT_URI}: NoSuchKey`),
    });
    nothingSignedOrRegistered();
  });

  test('a KMS failure fails the step before any manifest or package exists', async () => {
    kms.on(SignCommand).rejects(Object.assign(new Error('User is not authorized to perform: kms:Sign'), { name: 'AccessDeniedException' }));
    await expect(handler({ trainingJobName: JOB_NAME })).rejects.toMatchObject({
      name: 'SigningFailed',
      message: expect.stringContaining('AccessDeniedException'),
    });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(sagemaker.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
  });

  test('KMS answering without a signature fails the step', async () => {
    kms.on(SignCommand).resolves({ KeyId: KEY_ARN });
    await expect(handler({ trainingJobName: JOB_NAME })).rejects.toMatchObject({ name: 'SigningFailed' });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test('a single-object input whose digest changed since it was declared', async () => {
    serveObjects({ [ARTIFACT_URI]: artifact, [TRAIN_URI]: Buffer.from('amount,label\n12.5,1\n') });
    await expect(handler({ trainingJobName: JOB_NAME })).rejects.toMatchObject({
      name: 'TrainingDataDigestMismatch',
      message: expect.stringContaining(TRAIN_URI),
    });
    nothingSignedOrRegistered();
  });

  test('a job of another pipeline, or no job name at all, is not even described', async () => {
    await expect(handler({ trainingJobName: 'payments-6f1c2a7e' })).rejects.toMatchObject({ name: 'InvalidSigningRequest' });
    await expect(handler({} as never)).rejects.toMatchObject({ name: 'InvalidSigningRequest' });
    expect(sagemaker.commandCalls(DescribeTrainingJobCommand)).toHaveLength(0);
    nothingSignedOrRegistered();
  });

  test('a job that did not complete', async () => {
    sagemaker.on(DescribeTrainingJobCommand).resolves(completedJob({ TrainingJobStatus: 'Failed', ModelArtifacts: undefined }));
    await expect(handler({ trainingJobName: JOB_NAME })).rejects.toMatchObject({ name: 'TrainingJobNotCompleted', message: expect.stringContaining('Failed') });
    nothingSignedOrRegistered();
  });

  test('an artifact outside the pipeline\'s output location', async () => {
    sagemaker.on(DescribeTrainingJobCommand).resolves(completedJob({ ModelArtifacts: { S3ModelArtifacts: `s3://${ARTIFACTS}/elsewhere/model.tar.gz` } }));
    await expect(handler({ trainingJobName: JOB_NAME })).rejects.toMatchObject({ name: 'ArtifactOutsideOutputLocation' });
    nothingSignedOrRegistered();
  });

  test('a job that read other data than the pipeline declares', async () => {
    const job = completedJob();
    sagemaker.on(DescribeTrainingJobCommand).resolves({
      ...job,
      InputDataConfig: [job.InputDataConfig![0], { ChannelName: 'validation', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://elsewhere/validation/' } } }],
    });
    await expect(handler({ trainingJobName: JOB_NAME })).rejects.toMatchObject({ name: 'TrainingDataMismatch', message: expect.stringContaining('s3://elsewhere/validation/') });
    nothingSignedOrRegistered();
  });

  test('a registration failure fails the step, after the signed manifest is written', async () => {
    sagemaker.on(CreateModelPackageCommand).rejects(Object.assign(new Error('Model package group fraud does not exist'), { name: 'ValidationException' }));
    await expect(handler({ trainingJobName: JOB_NAME })).rejects.toMatchObject({ name: 'RegistrationFailed', message: expect.stringContaining('ValidationException') });
    expect(ArtifactManifests.parse(writtenManifest()).digest).toBe(sha256(artifact));
  });

  test('a missing setting names the variable', async () => {
    delete process.env[ArtifactSignerSetting.SIGNING_KEY_ARN];
    await expect(handler({ trainingJobName: JOB_NAME })).rejects.toMatchObject({
      name: 'SigningStepMisconfigured', message: expect.stringContaining(ArtifactSignerSetting.SIGNING_KEY_ARN),
    });
  });
});

describe('a manifest that already exists is never replaced', () => {
  const preconditionFailed = () => Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
    name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 },
  });

  async function existingManifest(digest: string): Promise<Buffer> {
    const signed = ArtifactManifests.render({
      manifestVersion: ArtifactManifests.VERSION,
      artifactUri: ARTIFACT_URI,
      digestAlgorithm: ArtifactManifests.DIGEST_ALGORITHM,
      digest,
      signingAlgorithm: ArtifactManifests.SIGNING_ALGORITHM,
      signature: signer.sign(Buffer.from(digest, 'hex')).toString('base64'),
      keyArn: KEY_ARN,
      trainingJobArn: JOB_ARN,
      trainingData: [],
      createdAt: '2026-11-26T05:00:00.000Z',
    });
    return Buffer.from(signed);
  }

  test('a retried invocation keeps the manifest it wrote before and registers the package', async () => {
    s3.on(PutObjectCommand).rejects(preconditionFailed());
    serveObjects({ [ARTIFACT_URI]: artifact, [TRAIN_URI]: trainingCsv, [`s3://${ARTIFACTS}/${MANIFEST_KEY}`]: await existingManifest(sha256(artifact)) });
    await expect(handler({ trainingJobName: JOB_NAME })).resolves.toMatchObject({ digest: sha256(artifact) });
    expect(sagemaker.commandCalls(CreateModelPackageCommand)).toHaveLength(1);
  });

  test('a different manifest at the same place fails the step', async () => {
    s3.on(PutObjectCommand).rejects(preconditionFailed());
    serveObjects({ [ARTIFACT_URI]: artifact, [TRAIN_URI]: trainingCsv, [`s3://${ARTIFACTS}/${MANIFEST_KEY}`]: await existingManifest('c'.repeat(64)) });
    await expect(handler({ trainingJobName: JOB_NAME })).rejects.toMatchObject({ name: 'ManifestConflict', message: expect.stringContaining('c'.repeat(64)) });
    expect(sagemaker.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
  });

  test('any other write failure fails the step', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    await expect(handler({ trainingJobName: JOB_NAME })).rejects.toMatchObject({ name: 'ManifestWriteFailed' });
    expect(sagemaker.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
  });
});

describe('a 1 GiB artifact is hashed in constant memory', () => {
  const GIB = 1024 * 1024 * 1024;
  const CHUNK = 1024 * 1024;

  test('peak RSS and heap growth stay far below the artifact size', async () => {
    const chunk = crypto.randomBytes(CHUNK);
    const expected = crypto.createHash('sha256');
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    let streamed = 0;
    // Generated as it is read, never held: the body S3 would stream, with the test's own hash of what it yields.
    async function* oneGibibyte(): AsyncGenerator<Buffer> {
      for (let i = 0; i < GIB / CHUNK; i++) {
        // A fresh buffer per chunk, as a socket delivers: a handler that kept the chunks would grow by the artifact's size.
        const fresh = Buffer.from(chunk);
        expected.update(fresh);
        streamed += fresh.length;
        const memory = process.memoryUsage();
        peakRss = Math.max(peakRss, memory.rss);
        peakHeap = Math.max(peakHeap, memory.heapUsed);
        yield fresh;
      }
    }
    s3.on(GetObjectCommand).callsFake(async (input: GetObjectCommandInput) => (input.Key === ARTIFACT_KEY
      ? objectBody(Readable.from(oneGibibyte()))
      : objectBody(streamOf(trainingCsv))));

    const started = Date.now();
    const result = await handler({ trainingJobName: JOB_NAME });
    const seconds = (Date.now() - started) / 1000;
    const rssGrowth = peakRss - baseline.rss;
    const heapGrowth = peakHeap - baseline.heapUsed;
    console.info(`1 GiB artifact: hashed in ${seconds.toFixed(1)} s; peak RSS growth ${(rssGrowth / 2 ** 20).toFixed(1)} MiB, `
      + `peak heap growth ${(heapGrowth / 2 ** 20).toFixed(1)} MiB (baseline RSS ${(baseline.rss / 2 ** 20).toFixed(0)} MiB)`);

    expect(streamed).toBe(GIB);
    expect(result.digest).toBe(expected.digest('hex'));
    expect(Buffer.from(kms.commandCalls(SignCommand)[0].args[0].input.Message as Uint8Array).toString('hex')).toBe(result.digest);
    expect(rssGrowth).toBeLessThan(64 * 2 ** 20);
    expect(heapGrowth).toBeLessThan(64 * 2 ** 20);
  }, 120_000);
});
