import * as crypto from 'crypto';
import { Readable } from 'stream';
import { KMSClient, KMSInvalidSignatureException, VerifyCommand, VerifyCommandInput } from '@aws-sdk/client-kms';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, DescribeModelPackageCommandOutput, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/inference/artifact-signature-gate.lambda';
import { ArtifactManifest, ArtifactManifests } from '../../src/registry/artifact-manifest';
import { ModelPackageMetadata } from '../../src/training/model-package-metadata';
import { KEY_ARN, manifestFor } from '../registry/signed-artifact';

// The artifact manifestFor() describes, in the registry's bucket; KEY_ARN is the registry's signing key.
const BUCKET = 'registry-artifacts';
const KEY = 'fraud/job-1/output/model.tar.gz';
const ARTIFACT_URI = `s3://${BUCKET}/${KEY}`;
const NAMES_THE_ARTIFACT = new RegExp(`Model artifact ${ARTIFACT_URI.replace(/[/.]/g, '\\$&')} failed the signature gate`);
const OTHER_KEY_ARN = 'arn:aws:kms:eu-west-2:222222222222:key/99999999-2222-3333-4444-555555555555';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const sagemaker = mockClient(SageMakerClient);

/** A response body as the SDK returns it: an async-iterable stream that can also be read as text. Chunked like S3. */
function body(bytes: Buffer): Readable & { transformToString(encoding?: BufferEncoding): Promise<string> } {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 64 * 1024) chunks.push(bytes.subarray(i, i + 64 * 1024));
  const stream = Readable.from(chunks) as Readable & { transformToString(encoding?: BufferEncoding): Promise<string> };
  stream.transformToString = async (encoding: BufferEncoding = 'utf-8') => bytes.toString(encoding);
  return stream;
}

interface Store {
  /** The artifact bytes in the bucket. */
  artifact: Buffer;
  /** The manifest text beside it, or undefined when there is none. */
  manifest?: string;
}

/**
 * Fake S3 serving the store, and fake KMS holding the registry key's public key: Verify checks the ECDSA signature of
 * the artifact whose SHA-256 is the DIGEST message, and throws KMSInvalidSignatureException when it does not verify,
 * as KMS does.
 */
function serve(store: Store, registryPublicKey: crypto.KeyObject): void {
  s3.on(GetObjectCommand, { Bucket: BUCKET, Key: KEY }).callsFake(async () => ({ Body: body(store.artifact), VersionId: 'v-1' }));
  s3.on(GetObjectCommand, { Bucket: BUCKET, Key: `${KEY}${ArtifactManifests.SUFFIX}` }).callsFake(async () => {
    if (store.manifest === undefined) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
    return { Body: body(Buffer.from(store.manifest)) };
  });
  kms.on(VerifyCommand).callsFake(async (input: VerifyCommandInput) => {
    if (input.KeyId !== KEY_ARN) throw new Error(`fake KMS holds only ${KEY_ARN}`);
    const digest = Buffer.from(input.Message as Uint8Array).toString('hex');
    const known = crypto.createHash('sha256').update(store.artifact).digest('hex') === digest;
    const valid = known && crypto.verify('sha256', store.artifact, registryPublicKey, Buffer.from(input.Signature as Uint8Array));
    if (!valid) throw new KMSInvalidSignatureException({ message: 'Signature is invalid', $metadata: {} });
    return { KeyId: KEY_ARN, SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' };
  });
}

function event(type: 'Create' | 'Update' | 'Delete', properties: Record<string, string> = {}): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:eu-west-2:111111111111:function:framework',
    ResponseURL: 'https://cloudformation-custom-resource-response-euwest2.s3.amazonaws.com/x',
    StackId: 'arn:aws:cloudformation:eu-west-2:111111111111:stack/Ai/1',
    RequestId: 'request-1',
    LogicalResourceId: 'Gate',
    ResourceType: 'Custom::ArtifactSignatureGate',
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:eu-west-2:111111111111:function:framework',
      ArtifactBucket: BUCKET,
      ArtifactKey: KEY,
      SigningKeyArn: KEY_ARN,
      ...properties,
    },
  };
  if (type === 'Create') return { ...common, RequestType: 'Create' };
  if (type === 'Update') return { ...common, RequestType: 'Update', PhysicalResourceId: 'old', OldResourceProperties: common.ResourceProperties };
  return { ...common, RequestType: 'Delete', PhysicalResourceId: `${ARTIFACT_URI}#sha256:old` };
}

const registry = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const attacker = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const artifact = crypto.randomBytes(512 * 1024 + 11);
const signed: ArtifactManifest = manifestFor(artifact, registry.privateKey);

beforeEach(() => {
  s3.reset();
  kms.reset();
  sagemaker.reset();
});

describe('artifact signature gate', () => {
  test('accepts an artifact that matches its manifest and whose signature verifies with the registry key', async () => {
    serve({ artifact, manifest: ArtifactManifests.render(signed) }, registry.publicKey);
    const response = await handler(event('Create'));
    expect(response).toEqual({
      PhysicalResourceId: `${ARTIFACT_URI}#sha256:${signed.digest}`,
      Data: { Digest: signed.digest, VersionId: 'v-1', SigningKeyArn: KEY_ARN },
    });
    const verify = kms.commandCalls(VerifyCommand);
    expect(verify).toHaveLength(1);
    expect(verify[0].args[0].input).toMatchObject({ KeyId: KEY_ARN, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(Buffer.from(verify[0].args[0].input.Message as Uint8Array).toString('hex')).toBe(signed.digest);
  });

  test('verifies again on update', async () => {
    serve({ artifact, manifest: ArtifactManifests.render(signed) }, registry.publicKey);
    await expect(handler(event('Update'))).resolves.toMatchObject({ Data: { Digest: signed.digest } });
    expect(kms.commandCalls(VerifyCommand)).toHaveLength(1);
  });

  test('refuses a tampered artifact: its digest differs from the manifest', async () => {
    const tampered = Buffer.from(artifact);
    tampered[1000] = 255 - tampered[1000];
    serve({ artifact: tampered, manifest: ArtifactManifests.render(signed) }, registry.publicKey);
    const failure = handler(event('Create'));
    await expect(failure).rejects.toThrow(NAMES_THE_ARTIFACT);
    await expect(failure).rejects.toThrow(/its SHA-256 is [0-9a-f]{64} but its manifest records .*modified after signing/);
    expect(kms.commandCalls(VerifyCommand)).toHaveLength(0);
  });

  test('refuses a manifest that names another signing key, without asking KMS about that key', async () => {
    const forged = { ...manifestFor(artifact, attacker.privateKey), keyArn: OTHER_KEY_ARN };
    serve({ artifact, manifest: ArtifactManifests.render(forged) }, registry.publicKey);
    const failure = handler(event('Create'));
    await expect(failure).rejects.toThrow(NAMES_THE_ARTIFACT);
    await expect(failure).rejects.toThrow(`signed by ${OTHER_KEY_ARN}, but the registry's signing key is ${KEY_ARN}`);
    expect(kms.commandCalls(VerifyCommand)).toHaveLength(0);
  });

  test('refuses a signature that does not verify with the registry key (KMS throws KMSInvalidSignatureException)', async () => {
    // Signed by another key but claiming the registry's: the digest matches, the signature does not.
    const forged = manifestFor(artifact, attacker.privateKey);
    serve({ artifact, manifest: ArtifactManifests.render(forged) }, registry.publicKey);
    const failure = handler(event('Create'));
    await expect(failure).rejects.toThrow(NAMES_THE_ARTIFACT);
    await expect(failure).rejects.toThrow(/does not verify with the registry's signing key .*forged or altered/);
    expect(kms.commandCalls(VerifyCommand)[0].args[0].input.KeyId).toBe(KEY_ARN);
  });

  test('refuses a signature KMS reports as invalid (SignatureValid false)', async () => {
    serve({ artifact, manifest: ArtifactManifests.render(signed) }, registry.publicKey);
    kms.on(VerifyCommand).resolves({ KeyId: KEY_ARN, SignatureValid: false });
    await expect(handler(event('Create'))).rejects.toThrow(new RegExp(`${NAMES_THE_ARTIFACT.source}.*does not verify`));
  });

  test('fails, naming the artifact, when KMS cannot be asked', async () => {
    serve({ artifact, manifest: ArtifactManifests.render(signed) }, registry.publicKey);
    kms.on(VerifyCommand).rejects(Object.assign(new Error('User is not authorized to perform kms:Verify'), { name: 'AccessDeniedException' }));
    await expect(handler(event('Create'))).rejects.toThrow(new RegExp(`${NAMES_THE_ARTIFACT.source}.*could not be checked.*AccessDeniedException`));
  });

  test.each([
    ['not JSON', 'model signed, trust me', /is a malformed artifact manifest: it is not JSON/],
    ['without a digest', JSON.stringify({ ...signed, digest: undefined }), /malformed artifact manifest: `digest` is missing/],
    ['of another version', JSON.stringify({ ...signed, manifestVersion: 2 }), /malformed artifact manifest: `manifestVersion` is 2/],
  ])('refuses a malformed manifest (%s)', async (_what, text, problem) => {
    serve({ artifact, manifest: text }, registry.publicKey);
    const failure = handler(event('Create'));
    await expect(failure).rejects.toThrow(NAMES_THE_ARTIFACT);
    await expect(failure).rejects.toThrow(problem);
    expect(kms.commandCalls(VerifyCommand)).toHaveLength(0);
  });

  test('refuses an artifact without a manifest (NoSuchKey)', async () => {
    serve({ artifact, manifest: undefined }, registry.publicKey);
    const failure = handler(event('Create'));
    await expect(failure).rejects.toThrow(NAMES_THE_ARTIFACT);
    await expect(failure).rejects.toThrow(`it has no manifest at ${ARTIFACT_URI}.manifest.json, so it was never signed by the registry`);
  });

  test('refuses a manifest copied from another artifact', async () => {
    const other = { ...signed, artifactUri: `s3://${BUCKET}/fraud/job-0/output/model.tar.gz` };
    serve({ artifact, manifest: ArtifactManifests.render(other) }, registry.publicKey);
    await expect(handler(event('Create'))).rejects.toThrow(/describes s3:\/\/registry-artifacts\/fraud\/job-0\/output\/model\.tar\.gz, another artifact/);
  });

  test('fails, naming the artifact, when the artifact itself is missing', async () => {
    serve({ artifact, manifest: ArtifactManifests.render(signed) }, registry.publicKey);
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: KEY }).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
    await expect(handler(event('Create'))).rejects.toThrow(new RegExp(`${NAMES_THE_ARTIFACT.source}: the artifact does not exist`));
  });

  test('delete is a no-op that keeps the physical ID', async () => {
    await expect(handler(event('Delete'))).resolves.toEqual({ PhysicalResourceId: `${ARTIFACT_URI}#sha256:old` });
    expect(s3.calls()).toHaveLength(0);
    expect(kms.calls()).toHaveLength(0);
  });

  test('a misconfigured resource without a signing key fails', async () => {
    await expect(handler(event('Create', { SigningKeyArn: '' }))).rejects.toThrow(/given no SigningKeyArn/);
  });
});

describe('artifact signature gate, given a model package', () => {
  const PACKAGE_ARN = 'arn:aws:sagemaker:eu-west-2:111111111111:model-package/fraud-detector/3';
  const GROUP = 'fraud-detector';
  const IMAGE = '111111111111.dkr.ecr.eu-west-2.amazonaws.com/fraud-model:v1';
  const NAMES_THE_PACKAGE = new RegExp(`Model package ${PACKAGE_ARN.replace(/[/.]/g, '\\$&')} failed the signature gate`);

  /** The package the signing step registers for the artifact, approved unless told otherwise. */
  function registered(overrides: Partial<DescribeModelPackageCommandOutput> = {}): DescribeModelPackageCommandOutput {
    return {
      $metadata: {},
      ModelPackageName: GROUP,
      ModelPackageGroupName: GROUP,
      ModelPackageVersion: 3,
      ModelPackageArn: PACKAGE_ARN,
      ModelPackageStatus: 'Completed',
      CreationTime: new Date('2026-11-26T05:00:00Z'),
      ModelApprovalStatus: 'Approved',
      InferenceSpecification: {
        Containers: [{ Image: IMAGE, ModelDataUrl: ARTIFACT_URI }],
        SupportedContentTypes: [],
        SupportedResponseMIMETypes: [],
      },
      CustomerMetadataProperties: {
        [ModelPackageMetadata.ARTIFACT_DIGEST]: signed.digest,
        [ModelPackageMetadata.MANIFEST_URI]: ArtifactManifests.locationOf(ARTIFACT_URI),
        [ModelPackageMetadata.SIGNING_KEY_ARN]: KEY_ARN,
        [ModelPackageMetadata.TRAINING_JOB_ARN]: signed.trainingJobArn,
      },
      ...overrides,
    } as DescribeModelPackageCommandOutput;
  }

  function packageEvent(type: 'Create' | 'Update', properties: Record<string, string> = {}): CloudFormationCustomResourceEvent {
    const base = event(type);
    const resourceProperties = {
      ServiceToken: base.ResourceProperties.ServiceToken,
      ArtifactBucket: BUCKET,
      ModelPackageArn: PACKAGE_ARN,
      ModelPackageGroupName: GROUP,
      ImageUri: IMAGE,
      SigningKeyArn: KEY_ARN,
      ...properties,
    };
    return { ...base, ResourceProperties: resourceProperties } as CloudFormationCustomResourceEvent;
  }

  function servePackage(description: DescribeModelPackageCommandOutput,
    store: Store = { artifact, manifest: ArtifactManifests.render(signed) }): void {
    serve(store, registry.publicKey);
    sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: PACKAGE_ARN }).resolves(description);
  }

  test('accepts an approved package of the registry\'s group whose artifact is signed, and returns the artifact it verified', async () => {
    servePackage(registered());
    const response = await handler(packageEvent('Create'));
    expect(response).toEqual({
      PhysicalResourceId: `${PACKAGE_ARN}#sha256:${signed.digest}`,
      Data: {
        Digest: signed.digest,
        VersionId: 'v-1',
        SigningKeyArn: KEY_ARN,
        ModelPackageArn: PACKAGE_ARN,
        ArtifactKey: KEY,
        ArtifactFolder: 'fraud/job-1/output/',
      },
    });
    expect(sagemaker.commandCalls(DescribeModelPackageCommand).map((c) => c.args[0].input)).toEqual([{ ModelPackageName: PACKAGE_ARN }]);
    const verify = kms.commandCalls(VerifyCommand);
    expect(verify).toHaveLength(1);
    expect(verify[0].args[0].input).toMatchObject({ KeyId: KEY_ARN, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(Buffer.from(verify[0].args[0].input.Message as Uint8Array).toString('hex')).toBe(signed.digest);
  });

  test('verifies again on update: a new package ARN is a changed property', async () => {
    servePackage(registered());
    await expect(handler(packageEvent('Update'))).resolves.toMatchObject({ Data: { Digest: signed.digest, ModelPackageArn: PACKAGE_ARN } });
    expect(sagemaker.commandCalls(DescribeModelPackageCommand)).toHaveLength(1);
    expect(kms.commandCalls(VerifyCommand)).toHaveLength(1);
  });

  test.each(['PendingManualApproval', 'Rejected'])('refuses a package that is %s, naming the package and its status, before reading', async (status) => {
    servePackage(registered({ ModelApprovalStatus: status as 'PendingManualApproval' | 'Rejected' }));
    const failure = handler(packageEvent('Create'));
    await expect(failure).rejects.toThrow(NAMES_THE_PACKAGE);
    await expect(failure).rejects.toThrow(`its approval status is ${status}, not Approved`);
    expect(s3.calls()).toHaveLength(0);
    expect(kms.calls()).toHaveLength(0);
  });

  test('refuses a package of another group', async () => {
    servePackage(registered({ ModelPackageGroupName: 'churn-model' }));
    const failure = handler(packageEvent('Create'));
    await expect(failure).rejects.toThrow(NAMES_THE_PACKAGE);
    await expect(failure).rejects.toThrow('it is a version of model package group churn-model, not of the registry\'s group fraud-detector');
    expect(s3.calls()).toHaveLength(0);
  });

  test('refuses a package whose recorded digest disagrees with the manifest, without asking KMS', async () => {
    const other = 'b'.repeat(64);
    servePackage(registered({
      CustomerMetadataProperties: { ...registered().CustomerMetadataProperties, [ModelPackageMetadata.ARTIFACT_DIGEST]: other },
    }));
    const failure = handler(packageEvent('Create'));
    await expect(failure).rejects.toThrow(NAMES_THE_ARTIFACT);
    await expect(failure).rejects.toThrow(`the metadata of model package ${PACKAGE_ARN} records SHA-256 ${other}, but its manifest records `
      + `${signed.digest}: the package does not describe the artifact that was signed`);
    expect(kms.calls()).toHaveLength(0);
  });

  test('refuses a package whose metadata names another manifest', async () => {
    servePackage(registered({
      CustomerMetadataProperties: { ...registered().CustomerMetadataProperties, [ModelPackageMetadata.MANIFEST_URI]: `s3://${BUCKET}/x.manifest.json` },
    }));
    await expect(handler(packageEvent('Create'))).rejects.toThrow(new RegExp(`${NAMES_THE_PACKAGE.source}: its metadata names the manifest s3://`));
    expect(s3.calls()).toHaveLength(0);
  });

  test('refuses a package the signing step did not register (no digest in its metadata)', async () => {
    servePackage(registered({ CustomerMetadataProperties: undefined }));
    await expect(handler(packageEvent('Create'))).rejects.toThrow(/has no cdk-secure-ai:artifact-manifest, which the signing step records/);
  });

  test('refuses a package whose metadata names another signing key', async () => {
    servePackage(registered({
      CustomerMetadataProperties: { ...registered().CustomerMetadataProperties, [ModelPackageMetadata.SIGNING_KEY_ARN]: OTHER_KEY_ARN },
    }));
    await expect(handler(packageEvent('Create'))).rejects.toThrow(`its metadata says it was signed by ${OTHER_KEY_ARN}, but the registry's signing key is ${KEY_ARN}`);
  });

  test('refuses a package whose container image is not the deployment\'s image', async () => {
    servePackage(registered({ InferenceSpecification: { Containers: [{ Image: `${IMAGE}-patched`, ModelDataUrl: ARTIFACT_URI }] } }));
    await expect(handler(packageEvent('Create'))).rejects.toThrow(`its container image is ${IMAGE}-patched, not the image this deployment pulls`);
    expect(s3.calls()).toHaveLength(0);
  });

  test('refuses a package with more than one container, or an artifact outside the registry\'s store or not a training output', async () => {
    servePackage(registered({ InferenceSpecification: { Containers: [{ Image: IMAGE, ModelDataUrl: ARTIFACT_URI }, { Image: IMAGE }] } }));
    await expect(handler(packageEvent('Create'))).rejects.toThrow('it has 2 containers; the gate verifies packages with exactly one container');
    sagemaker.reset();
    servePackage(registered({ InferenceSpecification: { Containers: [{ Image: IMAGE, ModelDataUrl: `s3://elsewhere/${KEY}` }] } }));
    await expect(handler(packageEvent('Create'))).rejects.toThrow(`its artifact (ModelDataUrl) is s3://elsewhere/${KEY}, which is not an object of the registry's artifact store s3://${BUCKET}/`);
    sagemaker.reset();
    servePackage(registered({ InferenceSpecification: { Containers: [{ Image: IMAGE, ModelDataUrl: `s3://${BUCKET}/fraud/model.pkl` }] } }));
    await expect(handler(packageEvent('Create'))).rejects.toThrow('is not a training job\'s output');
    expect(s3.calls()).toHaveLength(0);
  });

  test('an approved package whose artifact was tampered with still fails on the digest', async () => {
    const tampered = Buffer.from(artifact);
    tampered[10] = 255 - tampered[10];
    servePackage(registered(), { artifact: tampered, manifest: ArtifactManifests.render(signed) });
    await expect(handler(packageEvent('Create'))).rejects.toThrow(new RegExp(`${NAMES_THE_ARTIFACT.source}: its SHA-256 is [0-9a-f]{64} but its manifest records`));
    expect(kms.calls()).toHaveLength(0);
  });

  test('an approved package whose manifest is signed by another key fails on the signature', async () => {
    const forged = manifestFor(artifact, attacker.privateKey);
    servePackage(registered(), { artifact, manifest: ArtifactManifests.render(forged) });
    await expect(handler(packageEvent('Create'))).rejects.toThrow(/does not verify with the registry's signing key .*forged or altered/);
  });

  test('fails, naming the package, when it cannot be described', async () => {
    serve({ artifact, manifest: ArtifactManifests.render(signed) }, registry.publicKey);
    sagemaker.on(DescribeModelPackageCommand).rejects(Object.assign(new Error('Model package not found'), { name: 'ValidationException' }));
    await expect(handler(packageEvent('Create'))).rejects.toThrow(new RegExp(`${NAMES_THE_PACKAGE.source}: it cannot be described \\(ValidationException`));
  });

  test('a misconfigured resource without the image fails', async () => {
    await expect(handler(packageEvent('Create', { ImageUri: '' }))).rejects.toThrow(/given no ImageUri/);
  });
});
