// The deploy-time gate of an InferenceEndpoint: before CloudFormation creates the SageMaker model, it proves that the
// model artifact is a registered copy (`verified/<sha256>/...`, write-once) whose bytes have that digest and whose
// OpenSSF Model Signing bundle verifies with the registry's signing key; for a model package, also that the package is
// an approved version of the registry's own group (partition, account, Region and name) whose artifact, digest and
// image are the ones its signed provenance names. Runs behind the custom-resources Provider framework, which turns a
// thrown error into a failed deployment carrying the message.
import type { KeyObject } from 'crypto';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, DescribeModelPackageCommandOutput, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { sha256OfStream } from '../registry/artifact-digest';
import { ModelPackageMetadata } from '../registry/model-package-metadata';
import { signatureKeyOf, VERIFIED_ARTIFACT_KEY, VERIFIED_PREFIX } from '../registry/registry-layout';
import { VerificationError, verifyModelSignature, verifyProvenance } from '../signing/envelope-verification';
import { SINGLE_FILE_RESOURCE } from '../signing/model-signature';
import { PublicKeyError, readPublicKey } from '../signing/public-key';

const s3 = new S3Client({});
const kms = new KMSClient({});
const sagemaker = new SageMakerClient({});

/** What the Provider framework expects back. */
interface GateResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** A verification failure: nothing is deployed. */
class GateError extends Error {
  public constructor(subject: string, problem: string) {
    super(`${subject} failed the signature gate: ${problem}. The model is not deployed.`);
    this.name = 'GateError';
  }
}

export async function handler(event: CloudFormationCustomResourceEvent): Promise<GateResponse> {
  if (event.RequestType === 'Delete') {
    // Nothing was created: deleting the gate deletes nothing.
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const raw = event.ResourceProperties;
  const bucket = text(raw, 'ArtifactBucket');
  const signingKeyArn = text(raw, 'SigningKeyArn');
  if (raw.ModelPackageArn !== undefined) {
    return verifyPackage(bucket, signingKeyArn, text(raw, 'ModelPackageArn'), text(raw, 'ModelPackageGroupArn'), text(raw, 'ImageUri'));
  }
  const key = text(raw, 'ArtifactKey');
  const verified = await verifyArtifact(bucket, key, signingKeyArn);
  return { PhysicalResourceId: `s3://${bucket}/${key}#sha256:${verified.Digest}`, Data: { ...verified, ArtifactKey: key, SigningKeyArn: signingKeyArn } };
}

/**
 * A registered copy, by key: its digest is in its key, its signature bundle (`<key>.sig`) must verify with the
 * registry's key and sign exactly that digest, and its bytes must hash to it.
 */
async function verifyArtifact(
  bucket: string, key: string, signingKeyArn: string, publicKey?: KeyObject,
): Promise<{ Digest: string; VersionId: string }> {
  const uri = `s3://${bucket}/${key}`;
  const subject = `Model artifact ${uri}`;
  const match = VERIFIED_ARTIFACT_KEY.exec(key);
  if (!match) {
    throw new GateError(subject, `it is not a registered copy (${VERIFIED_PREFIX}<sha256>/<file>), the only objects the registry keeps `
      + 'write-once and the signing step signs');
  }
  const digest = match[1];
  const registryKey = publicKey ?? await registryPublicKey(signingKeyArn, subject);
  const bundle = await readText(bucket, signatureKeyOf(key), subject, 'its signature');
  let signed: string | undefined;
  try {
    const statement = verifyModelSignature(bundle, registryKey, `s3://${bucket}/${signatureKeyOf(key)}`);
    signed = statement.resources.length === 1 && statement.resources[0].name === SINGLE_FILE_RESOURCE ? statement.resources[0].digest : undefined;
  } catch (e) {
    if (e instanceof VerificationError) throw new GateError(subject, `${e.check} check failed: ${e.message.replace(/\.$/, '')}`);
    throw e;
  }
  if (signed !== digest) {
    throw new GateError(subject, `its signature signs ${signed ?? 'another model (not one file)'}, not the digest ${digest} its key names`);
  }
  let actual: string;
  let versionId: string | undefined;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    // Streamed: artifacts are gigabytes, the function's memory is not.
    actual = await sha256OfStream(object.Body as AsyncIterable<Uint8Array>);
    versionId = object.VersionId;
  } catch (e) {
    throw new GateError(subject, isMissing(e) ? 'the artifact does not exist' : `the artifact cannot be read (${describe(e)})`);
  }
  if (actual !== digest) {
    throw new GateError(subject, `its SHA-256 is ${actual}, not the signed ${digest}: the bytes were replaced after signing`);
  }
  return { Digest: digest, VersionId: versionId ?? 'null' };
}

/**
 * An approved version of the registry's own group, running exactly the deployment's image, whose artifact is the
 * registered copy its signed metadata and signed provenance name; then the artifact itself.
 */
async function verifyPackage(bucket: string, signingKeyArn: string, packageArn: string, groupArn: string, imageUri: string): Promise<GateResponse> {
  const subject = `Model package ${packageArn}`;
  const described = await describePackage(packageArn, subject);
  // The ARN SageMaker answers with, in the registry's partition, account and Region: a same-named group elsewhere is another registry.
  const group = arnParts(groupArn);
  const actual = arnParts(described.ModelPackageArn ?? '');
  const actualGroup = described.ModelPackageGroupName;
  const where = (p: typeof group) => `${p.partition}:${p.region}:${p.account}`;
  if (actual.partition !== group.partition || actual.region !== group.region || actual.account !== group.account || actualGroup !== group.name) {
    throw new GateError(subject, `it is a version of ${actualGroup ?? '(no group)'} in ${where(actual)}, not of the registry's group `
      + `${group.name} in ${where(group)}`);
  }
  if (described.ModelApprovalStatus !== 'Approved') {
    throw new GateError(subject, `its approval status is ${described.ModelApprovalStatus ?? 'not set'}, not Approved: only packages a reviewer `
      + 'approved after evaluation are deployed');
  }
  const containers = described.InferenceSpecification?.Containers ?? [];
  if (containers.length !== 1) {
    throw new GateError(subject, `it has ${containers.length} containers; the gate verifies packages with exactly one container (one image, `
      + 'one signed artifact), as the training pipeline registers them');
  }
  const container = containers[0];
  if (container.Image !== imageUri) {
    throw new GateError(subject, `its container image is ${container.Image ?? '(none)'}, not the image this deployment pulls and was vetted for, ${imageUri}`);
  }
  const metadata = described.CustomerMetadataProperties ?? {};
  const recorded = (name: string): string => {
    const value = metadata[name];
    if (!value) throw new GateError(subject, `its metadata has no ${name}, which the signing step records: it was not registered by the training pipeline`);
    return value;
  };
  const digest = recorded(ModelPackageMetadata.ARTIFACT_DIGEST);
  const artifactKey = `${VERIFIED_PREFIX}${digest}/model.tar.gz`;
  const artifactUri = `s3://${bucket}/${artifactKey}`;
  if (container.ModelDataUrl !== artifactUri) {
    throw new GateError(subject, `its artifact (ModelDataUrl) is ${container.ModelDataUrl ?? 'not set'}, but its signed metadata names `
      + `${artifactUri}: the package was repointed after registration`);
  }
  const signatureUri = `s3://${bucket}/${signatureKeyOf(artifactKey)}`;
  if (recorded(ModelPackageMetadata.SIGNATURE_URI) !== signatureUri) {
    throw new GateError(subject, `its metadata names the signature ${metadata[ModelPackageMetadata.SIGNATURE_URI]}, not ${signatureUri}`);
  }
  const provenanceUri = recorded(ModelPackageMetadata.PROVENANCE_URI);
  const provenancePrefix = `s3://${bucket}/${VERIFIED_PREFIX}${digest}/provenance/`;
  if (!provenanceUri.startsWith(provenancePrefix)) {
    throw new GateError(subject, `its metadata names the provenance ${provenanceUri}, outside ${provenancePrefix}`);
  }
  const publicKey = await registryPublicKey(signingKeyArn, subject);
  const provenanceText = await readText(bucket, provenanceUri.slice(`s3://${bucket}/`.length), subject, 'its provenance');
  try {
    const provenance = verifyProvenance(provenanceText, publicKey, provenanceUri);
    const problems = [
      provenance.artifact.uri !== artifactUri ? `registers ${provenance.artifact.uri}` : undefined,
      provenance.artifact.sha256 !== digest ? `has SHA-256 ${provenance.artifact.sha256}` : undefined,
      provenance.settings.imageUri !== container.Image ? `was trained with ${provenance.settings.imageUri}` : undefined,
    ].filter((p) => p !== undefined);
    if (problems.length > 0) throw new GateError(subject, `its signed provenance says the model ${problems.join(' and ')}, unlike the package`);
  } catch (e) {
    if (e instanceof VerificationError) throw new GateError(subject, `${e.check} check failed: ${e.message.replace(/\.$/, '')}`);
    throw e;
  }
  const verified = await verifyArtifact(bucket, artifactKey, signingKeyArn, publicKey);
  return {
    PhysicalResourceId: `${packageArn}#sha256:${digest}`,
    Data: { ...verified, SigningKeyArn: signingKeyArn, ModelPackageArn: packageArn, ArtifactKey: artifactKey },
  };
}

/** The registry key's public key, from KMS: only its signatures are accepted. */
async function registryPublicKey(keyArn: string, subject: string): Promise<KeyObject> {
  try {
    const response = await kms.send(new GetPublicKeyCommand({ KeyId: keyArn }));
    return readPublicKey(Buffer.from(response.PublicKey ?? new Uint8Array()), keyArn);
  } catch (e) {
    if (e instanceof PublicKeyError) throw new GateError(subject, e.message);
    throw new GateError(subject, `the public key of the registry's signing key ${keyArn} cannot be read (${describe(e)})`);
  }
}

async function describePackage(arn: string, subject: string): Promise<DescribeModelPackageCommandOutput> {
  try {
    return await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  } catch (e) {
    throw new GateError(subject, `it cannot be described (${describe(e)})`);
  }
}

async function readText(bucket: string, key: string, subject: string, what: string): Promise<string> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await response.Body!.transformToString('utf-8');
  } catch (e) {
    if (isMissing(e)) throw new GateError(subject, `${what} s3://${bucket}/${key} does not exist, so it was never signed by the registry`);
    throw new GateError(subject, `${what} s3://${bucket}/${key} cannot be read (${describe(e)})`);
  }
}

function arnParts(arn: string): { partition: string; region: string; account: string; name: string } {
  const [, partition = '', , region = '', account = '', resource = ''] = arn.split(':');
  return { partition, region, account, name: resource.split('/')[1] ?? '' };
}

function text(raw: Record<string, unknown>, name: string): string {
  const value = raw[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`The signature gate was given no ${name}: the custom resource is misconfigured.`);
  }
  return value;
}

function isMissing(e: unknown): boolean {
  const name = (e as Error).name;
  return name === 'NoSuchKey' || name === 'NotFound';
}

function describe(e: unknown): string {
  const error = e as Error;
  return `${error.name}: ${error.message}`;
}
