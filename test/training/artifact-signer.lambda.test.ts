// The signing step, driven with the AWS clients mocked and a real P-256 key standing in for the registry's KMS key:
// the bundles it writes verify with `cdk-secure-ai verify`, and each attack on the chain of custody is refused.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { GetPublicKeyCommand, KMSClient, SignCommand, SignCommandInput } from '@aws-sdk/client-kms';
import {
  CopyObjectCommand, GetObjectCommand, GetObjectCommandInput, GetObjectCommandOutput, HeadObjectCommand, HeadObjectCommandInput, NoSuchKey,
  PutObjectCommand, PutObjectCommandInput, S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand, CreateModelPackageCommandInput, DescribeTrainingJobCommand, DescribeTrainingJobCommandOutput, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { digestSigner } from './digest-signer';
import { run } from '../../src/cli/program';
import { ModelPackageMetadata } from '../../src/registry/model-package-metadata';
import { keyHint } from '../../src/signing/public-key';
import { ArtifactSignerSetting, canonicalHyperparameters, ExpectedTrainingJob } from '../../src/training/artifact-signer-settings';
import { handler } from '../../src/training/artifact-signer.lambda';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const sagemaker = mockClient(SageMakerClient);
const sfn = mockClient(SFNClient);
const ecr = mockClient(ECRClient);

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const STATE_MACHINE = 'arn:aws:states:us-east-1:111111111111:stateMachine:fraud-pipeline';
const EXECUTION = 'arn:aws:states:us-east-1:111111111111:execution:fraud-pipeline:run-1';
const JOB_NAME = 'fraud-6f1c2a7e-0d3b-4a51-9a8e-2f4b7c9d1e30';
const JOB_ARN = `arn:aws:sagemaker:us-east-1:111111111111:training-job/${JOB_NAME}`;
const IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/fraud-training:v1.2.0';
const IMAGE_DIGEST = `sha256:${'d'.repeat(64)}`;
const ROLE = 'arn:aws:iam::111111111111:role/fraud-training';
const ARTIFACTS = 'registry-artifacts';
const OUTPUT_PATH = `s3://${ARTIFACTS}/training/fraud`;
const OUTPUT_KEY = `training/fraud/${JOB_NAME}/output/model.tar.gz`;
const OUTPUT_URI = `s3://${ARTIFACTS}/${OUTPUT_KEY}`;
const PACKAGE_ARN = 'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud/7';
const TRAIN_URI = 's3://training-data/fraud/train.csv';
const VALIDATION_URI = 's3://training-data/fraud/validation/';
const HYPERPARAMETERS = { epochs: '10', learning_rate: '0.01' };

const sha256 = (bytes: Uint8Array | string) => crypto.createHash('sha256').update(bytes).digest('hex');
const artifact = crypto.randomBytes(3 * 1024 * 1024 + 17);
const DIGEST = sha256(artifact);
const VERIFIED_KEY = `verified/${DIGEST}/model.tar.gz`;
const trainingCsv = Buffer.from('amount,label\n12.5,0\n9000,1\n');
const signer = digestSigner();
const REQUEST = { trainingJobName: JOB_NAME, executionArn: EXECUTION, inputVersions: { train: 'train-v1' } };

const expectedJob: ExpectedTrainingJob = {
  roleArn: ROLE,
  imageUri: IMAGE,
  outputPath: OUTPUT_PATH,
  outputKmsKeyId: KEY_ARN.replace('1234abcd', 'aaaaaaaa'),
  volumeKmsKeyId: KEY_ARN.replace('1234abcd', 'bbbbbbbb'),
  instanceType: 'ml.m5.xlarge',
  instanceCount: 1,
  maxRuntimeInSeconds: 86400,
  subnets: ['subnet-1', 'subnet-2'],
  securityGroups: ['sg-1'],
  hyperparametersSha256: sha256(canonicalHyperparameters(HYPERPARAMETERS)),
  inputs: [
    { channelName: 'train', uri: TRAIN_URI, sha256: sha256(trainingCsv), singleObject: true },
    { channelName: 'validation', uri: VALIDATION_URI, sha256: 'b'.repeat(64), singleObject: false },
  ],
};

/** The job exactly as the pipeline's state machine creates it. */
function completedJob(overrides: Partial<DescribeTrainingJobCommandOutput> = {}): DescribeTrainingJobCommandOutput {
  return {
    $metadata: {},
    TrainingJobName: JOB_NAME,
    TrainingJobArn: JOB_ARN,
    TrainingJobStatus: 'Completed',
    SecondaryStatus: 'Completed',
    RoleArn: ROLE,
    ModelArtifacts: { S3ModelArtifacts: OUTPUT_URI },
    AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
    InputDataConfig: [
      { ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: TRAIN_URI } } },
      { ChannelName: 'validation', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: VALIDATION_URI } } },
    ],
    OutputDataConfig: { S3OutputPath: OUTPUT_PATH, KmsKeyId: expectedJob.outputKmsKeyId },
    ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30, VolumeKmsKeyId: expectedJob.volumeKmsKeyId },
    VpcConfig: { Subnets: ['subnet-2', 'subnet-1'], SecurityGroupIds: ['sg-1'] },
    EnableNetworkIsolation: true,
    EnableInterContainerTrafficEncryption: true,
    HyperParameters: HYPERPARAMETERS,
    StoppingCondition: { MaxRuntimeInSeconds: 86400 },
    CreationTime: new Date('2026-11-26T04:00:00Z'),
    TrainingStartTime: new Date('2026-11-26T04:05:00Z'),
    TrainingEndTime: new Date('2026-11-26T04:50:00Z'),
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

/** A versioned store: each key has versions, the last is current. */
let store: Record<string, Array<{ id: string; bytes: Buffer }>>;

function serveStore(): void {
  const find = (bucket: string, key: string, versionId?: string) => {
    const versions = store[`s3://${bucket}/${key}`] ?? [];
    const found = versionId === undefined ? versions[versions.length - 1] : versions.find((v) => v.id === versionId);
    if (!found) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
    return found;
  };
  s3.on(GetObjectCommand).callsFake(async (input: GetObjectCommandInput) => {
    const found = find(input.Bucket!, input.Key!, input.VersionId);
    return { ...objectBody(streamOf(found.bytes)), VersionId: found.id };
  });
  s3.on(HeadObjectCommand).callsFake(async (input: HeadObjectCommandInput) => {
    const found = find(input.Bucket!, input.Key!, input.VersionId);
    return { VersionId: found.id, ContentLength: found.bytes.length };
  });
  s3.on(CopyObjectCommand).callsFake(async (input) => {
    const match = /^([^/]+)\/(.+)\?versionId=(.+)$/.exec(input.CopySource!)!;
    const source = find(match[1], decodeURIComponent(match[2]), decodeURIComponent(match[3]));
    const target = `s3://${input.Bucket}/${input.Key}`;
    if (store[target] && input.IfNoneMatch === '*') throw Object.assign(new Error('precondition'), { name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    store[target] = [...(store[target] ?? []), { id: `copy-${Object.keys(store).length}`, bytes: source.bytes }];
    return {};
  });
  s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
    const target = `s3://${input.Bucket}/${input.Key}`;
    if (store[target] && input.IfNoneMatch === '*') throw Object.assign(new Error('precondition'), { name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    store[target] = [...(store[target] ?? []), { id: `put-${Object.keys(store).length}`, bytes: Buffer.from(input.Body as string) }];
    return {};
  });
}

/** What the step wrote at a key, as text. */
function written(key: string): string {
  const versions = store[`s3://${ARTIFACTS}/${key}`];
  expect(versions).toHaveLength(1);
  return versions[0].bytes.toString('utf8');
}

function nothingSignedOrRegistered(): void {
  expect(kms.commandCalls(SignCommand)).toHaveLength(0);
  expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(0);
  expect(sagemaker.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
}

let logged: jest.SpyInstance;

beforeEach(() => {
  logged = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  for (const client of [s3, kms, sagemaker, sfn, ecr]) client.reset();
  process.env[ArtifactSignerSetting.SIGNING_KEY_ARN] = KEY_ARN;
  process.env[ArtifactSignerSetting.MODEL_PACKAGE_GROUP_NAME] = 'fraud';
  process.env[ArtifactSignerSetting.ARTIFACT_BUCKET] = ARTIFACTS;
  process.env[ArtifactSignerSetting.STATE_MACHINE_ARN] = STATE_MACHINE;
  process.env[ArtifactSignerSetting.TRAINING_JOB_NAME_PREFIX] = 'fraud';
  process.env[ArtifactSignerSetting.TRAINING_JOB] = JSON.stringify(expectedJob);
  store = { [OUTPUT_URI]: [{ id: 'out-1', bytes: artifact }], [TRAIN_URI]: [{ id: 'train-v1', bytes: trainingCsv }] };
  serveStore();
  sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXECUTION, stateMachineArn: STATE_MACHINE, status: 'RUNNING' });
  sfn.on(GetExecutionHistoryCommand).resolves({
    events: [{
      id: 5,
      type: 'TaskSubmitted',
      timestamp: new Date(),
      taskSubmittedEventDetails: { resourceType: 'sagemaker', resource: 'createTrainingJob.sync', output: JSON.stringify({ TrainingJobArn: JOB_ARN }) },
    }],
  });
  sagemaker.on(DescribeTrainingJobCommand).resolves(completedJob());
  sagemaker.on(CreateModelPackageCommand).resolves({ ModelPackageArn: PACKAGE_ARN });
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: IMAGE_DIGEST }] });
  // KMS: the public key, and Sign in DIGEST mode with a real P-256 key over the digest the handler sent.
  kms.on(GetPublicKeyCommand).resolves({ KeyId: KEY_ARN, PublicKey: signer.publicKey.export({ type: 'spki', format: 'der' }) });
  kms.on(SignCommand).callsFake(async (input: SignCommandInput) => ({
    KeyId: input.KeyId, SigningAlgorithm: input.SigningAlgorithm, Signature: signer.sign(input.Message as Uint8Array),
  }));
});

describe('signing a trained model', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'artifact-signer-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** `cdk-secure-ai verify` over the files the step wrote. */
  function verifyWritten(model: Buffer, extra: string[] = []): { code: number; out: string; err: string } {
    fs.writeFileSync(path.join(dir, 'model.tar.gz'), model);
    fs.writeFileSync(path.join(dir, 'model.tar.gz.sig'), written(`${VERIFIED_KEY}.sig`));
    fs.writeFileSync(path.join(dir, 'provenance.sig'), written(`verified/${DIGEST}/provenance/${JOB_NAME}.sig`));
    fs.writeFileSync(path.join(dir, 'signing-key.pem'), signer.publicKeyPem);
    let out = '';
    let err = '';
    const code = run(['verify', '--model', path.join(dir, 'model.tar.gz'), '--signature', path.join(dir, 'model.tar.gz.sig'),
      '--public-key', path.join(dir, 'signing-key.pem'), '--provenance', path.join(dir, 'provenance.sig'), ...extra],
    { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
    return { code, out, err };
  }

  test('copies the hashed version to verified/<sha256>/, signs it (OMS) and its provenance, and registers the copy', async () => {
    const result = await handler(REQUEST);
    expect(result).toEqual({
      modelPackageArn: PACKAGE_ARN,
      artifactUri: `s3://${ARTIFACTS}/${VERIFIED_KEY}`,
      digest: DIGEST,
      signatureUri: `s3://${ARTIFACTS}/${VERIFIED_KEY}.sig`,
      provenanceUri: `s3://${ARTIFACTS}/verified/${DIGEST}/provenance/${JOB_NAME}.sig`,
      trainingJobArn: JOB_ARN,
    });
    // The copy is of the version hashed, never over an existing object.
    expect(s3.commandCalls(CopyObjectCommand)[0].args[0].input).toMatchObject({
      Bucket: ARTIFACTS, Key: VERIFIED_KEY, CopySource: `${ARTIFACTS}/${OUTPUT_KEY}?versionId=out-1`, IfNoneMatch: '*',
    });
    for (const put of s3.commandCalls(PutObjectCommand)) expect(put.args[0].input).toMatchObject({ IfNoneMatch: '*', ChecksumAlgorithm: 'SHA256' });
    // KMS signs the SHA-256 of the PAE as a DIGEST (the PAE itself may exceed KMS's 4,096 bytes).
    for (const sign of kms.commandCalls(SignCommand)) {
      expect(sign.args[0].input).toMatchObject({ KeyId: KEY_ARN, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
      expect((sign.args[0].input.Message as Uint8Array).length).toBe(32);
    }
    const registered = sagemaker.commandCalls(CreateModelPackageCommand)[0].args[0].input as CreateModelPackageCommandInput;
    expect(registered).toMatchObject({
      ModelPackageGroupName: 'fraud',
      ModelApprovalStatus: 'PendingManualApproval',
      InferenceSpecification: { Containers: [{ Image: IMAGE, ModelDataUrl: result.artifactUri }] },
      CustomerMetadataProperties: {
        [ModelPackageMetadata.ARTIFACT_DIGEST]: DIGEST,
        [ModelPackageMetadata.SIGNATURE_URI]: result.signatureUri,
        [ModelPackageMetadata.PROVENANCE_URI]: result.provenanceUri,
        [ModelPackageMetadata.SIGNING_KEY_ARN]: KEY_ARN,
        [ModelPackageMetadata.TRAINING_JOB_ARN]: JOB_ARN,
      },
    });
    expect(logged.mock.calls.map((c) => JSON.parse(c[0] as string).event)).toEqual(['ModelArtifactSigned']);
  });

  test('the bundle has exactly the OMS v1.0 fields of the vectors\' README', async () => {
    await handler(REQUEST);
    const bundle = JSON.parse(written(`${VERIFIED_KEY}.sig`));
    expect(Object.keys(bundle)).toEqual(['mediaType', 'verificationMaterial', 'dsseEnvelope']);
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(bundle.verificationMaterial).toEqual({ publicKey: { hint: keyHint(signer.publicKey) }, tlogEntries: [] });
    expect(Object.keys(bundle.dsseEnvelope)).toEqual(['payload', 'payloadType', 'signatures']);
    expect(bundle.dsseEnvelope.payloadType).toBe('application/vnd.in-toto+json');
    expect(bundle.dsseEnvelope.signatures).toEqual([{ sig: expect.stringMatching(/^MEU|^MEQ|^MEY/), keyid: '' }]);
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString());
    expect(statement).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'model.tar.gz', digest: { sha256: sha256(Buffer.from(DIGEST, 'hex')) } }],
      predicateType: 'https://model_signing/signature/v1.0',
      predicate: {
        serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ['.git', '.gitattributes', '.github', '.gitignore'] },
        resources: [{ name: '.', algorithm: 'sha256', digest: DIGEST }],
      },
    });
  });

  test('cdk-secure-ai verify accepts the bundle and its provenance, and refuses a tampered byte or a wrong expectation', async () => {
    await handler(REQUEST);
    const valid = verifyWritten(artifact, ['--expect-image-digest', IMAGE_DIGEST, '--expect-builder', STATE_MACHINE]);
    expect(valid).toMatchObject({ code: 0, err: '' });
    expect(valid.out).toContain(`trained by ${JOB_ARN} in ${EXECUTION} of ${STATE_MACHINE}, with image ${IMAGE} (${IMAGE_DIGEST})`);

    const tampered = Buffer.from(artifact);
    // One byte changed in the middle of the artifact.
    tampered[1_000_000] = tampered[1_000_000] === 0 ? 1 : 0;
    expect(verifyWritten(tampered)).toMatchObject({ code: 1, err: expect.stringContaining('digest check failed') });
    expect(verifyWritten(artifact, ['--expect-image-digest', `sha256:${'e'.repeat(64)}`]))
      .toMatchObject({ code: 1, err: expect.stringContaining('expectation check failed') });
  });

  test('attack: a provenance field rewritten after signing fails verification (provenance check)', async () => {
    await handler(REQUEST);
    const key = `verified/${DIGEST}/provenance/${JOB_NAME}.sig`;
    const bundle = JSON.parse(written(key));
    const statement = Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString().replace(TRAIN_URI, 's3://attacker-data/train.csv');
    bundle.dsseEnvelope.payload = Buffer.from(statement).toString('base64');
    store[`s3://${ARTIFACTS}/${key}`] = [{ id: 'x', bytes: Buffer.from(JSON.stringify(bundle)) }];
    expect(verifyWritten(artifact)).toMatchObject({ code: 1, err: expect.stringContaining('provenance check failed: the signature of') });
  });
});

describe('what the signing step refuses', () => {
  test('attack: a rogue job of the pipeline\'s prefix whose settings differ (role, image, checkpoints, extra channel) is not signed', async () => {
    const rogue = [
      { RoleArn: 'arn:aws:iam::111111111111:role/admin' },
      { AlgorithmSpecification: { TrainingImage: '999999999999.dkr.ecr.us-east-1.amazonaws.com/evil:latest', TrainingInputMode: 'File' as const } },
      { CheckpointConfig: { S3Uri: `s3://${ARTIFACTS}/training/fraud/` } },
      { EnableNetworkIsolation: false },
      { HyperParameters: { ...HYPERPARAMETERS, epochs: '1' } },
      { InputDataConfig: [...completedJob().InputDataConfig!, { ChannelName: 'extra', DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: 's3://attacker/' } } }] },
    ];
    for (const overrides of rogue) {
      sagemaker.on(DescribeTrainingJobCommand).resolves(completedJob(overrides));
      await expect(handler(REQUEST)).rejects.toMatchObject({ name: 'TrainingJobMismatch' });
    }
    nothingSignedOrRegistered();
  });

  test('attack: a job its execution did not start (created outside the pipeline) is not signed', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    await expect(handler(REQUEST)).rejects.toMatchObject({ name: 'JobNotStartedByExecution' });
    nothingSignedOrRegistered();
  });

  test('attack: an execution of another state machine, or one that ended, is not accepted', async () => {
    await expect(handler({ ...REQUEST, executionArn: 'arn:aws:states:us-east-1:111111111111:execution:other:run-1' }))
      .rejects.toMatchObject({ name: 'InvalidSigningRequest' });
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXECUTION, stateMachineArn: STATE_MACHINE, status: 'SUCCEEDED' });
    await expect(handler(REQUEST)).rejects.toMatchObject({ name: 'ForeignExecution' });
    nothingSignedOrRegistered();
  });

  test('attack: training data swapped during the job (and swapped back) is detected by its pinned version', async () => {
    store[TRAIN_URI].push({ id: 'train-v2', bytes: Buffer.from('amount,label\n12.5,1\n') }, { id: 'train-v3', bytes: trainingCsv });
    await expect(handler(REQUEST)).rejects.toMatchObject({ name: 'TrainingDataChanged', message: expect.stringContaining('train-v3') });
    await expect(handler({ ...REQUEST, inputVersions: {} })).rejects.toMatchObject({ name: 'TrainingDataNotPinned' });
    nothingSignedOrRegistered();
  });

  test('a single-object input whose pinned version does not have the declared digest', async () => {
    store[TRAIN_URI] = [{ id: 'train-v1', bytes: Buffer.from('amount,label\n12.5,1\n') }];
    await expect(handler(REQUEST)).rejects.toMatchObject({ name: 'TrainingDataDigestMismatch', message: expect.stringContaining(TRAIN_URI) });
    nothingSignedOrRegistered();
  });

  test('a job of another prefix, a job that did not complete, an artifact elsewhere', async () => {
    await expect(handler({ ...REQUEST, trainingJobName: 'payments-6f1c2a7e' })).rejects.toMatchObject({ name: 'InvalidSigningRequest' });
    sagemaker.on(DescribeTrainingJobCommand).resolves(completedJob({ TrainingJobStatus: 'Failed' }));
    await expect(handler(REQUEST)).rejects.toMatchObject({ name: 'TrainingJobNotCompleted' });
    sagemaker.on(DescribeTrainingJobCommand).resolves(completedJob({ ModelArtifacts: { S3ModelArtifacts: `s3://${ARTIFACTS}/elsewhere/model.tar.gz` } }));
    await expect(handler(REQUEST)).rejects.toMatchObject({ name: 'ArtifactOutsideOutputLocation' });
    nothingSignedOrRegistered();
  });

  test('a retried invocation keeps what it wrote, and a different object at a signature\'s key fails the step', async () => {
    await handler(REQUEST);
    await expect(handler(REQUEST)).resolves.toMatchObject({ digest: DIGEST });
    store[`s3://${ARTIFACTS}/${VERIFIED_KEY}.sig`] = [{ id: 'forged', bytes: Buffer.from('{"mediaType":"x"}') }];
    await expect(handler(REQUEST)).rejects.toMatchObject({ name: 'SignatureConflict' });
  });

  test('a missing setting names the variable', async () => {
    delete process.env[ArtifactSignerSetting.SIGNING_KEY_ARN];
    await expect(handler(REQUEST)).rejects.toMatchObject({ name: 'SigningStepMisconfigured', message: expect.stringContaining('SIGNING_KEY_ARN') });
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
    s3.on(GetObjectCommand).callsFake(async (input: GetObjectCommandInput) => (input.Key === OUTPUT_KEY
      ? { ...objectBody(Readable.from(oneGibibyte())), VersionId: 'out-1' }
      : objectBody(streamOf(trainingCsv))));

    const result = await handler(REQUEST);
    const rssGrowth = peakRss - baseline.rss;
    const heapGrowth = peakHeap - baseline.heapUsed;

    expect(streamed).toBe(GIB);
    expect(result.digest).toBe(expected.digest('hex'));
    expect(rssGrowth).toBeLessThan(64 * 2 ** 20);
    expect(heapGrowth).toBeLessThan(64 * 2 ** 20);
  }, 120_000);
});
