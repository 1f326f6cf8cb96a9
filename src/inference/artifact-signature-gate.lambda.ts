// The deploy-time gate of an InferenceEndpoint: before CloudFormation creates the SageMaker model, it proves that the
// model artifact is the one the registry's signing step signed, and, for a model package, that the package is an
// approved version of the registry's group describing that artifact. Runs behind the custom-resources Provider
// framework, which turns a thrown error into a failed deployment carrying the message.
import { KMSClient, VerifyCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, DescribeModelPackageCommandOutput, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { sha256OfStream } from '../registry/artifact-digest';
import { ArtifactManifest, ArtifactManifests } from '../registry/artifact-manifest';
import { MalformedManifestError } from '../registry/malformed-manifest-error';
import { ModelPackageMetadata } from '../training/model-package-metadata';

const s3 = new S3Client({});
const kms = new KMSClient({});
const sagemaker = new SageMakerClient({});

/** What the Provider framework expects back. */
interface GateResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** The properties the construct gives the custom resource. */
interface GateProperties {
  /** The registry's artifact bucket. */
  readonly bucket: string;
  /** The artifact's key in it (read from the package when the gate is given one). */
  readonly key: string;
  /** The registry's signing key: the only key whose signature is accepted. */
  readonly signingKeyArn: string;
}

/** The properties of a gate given a model package. */
interface PackageProperties {
  readonly bucket: string;
  readonly packageArn: string;
  /** The registry's model package group: the package must be a version of it. */
  readonly groupName: string;
  /** The image the deployment runs: the package's container must name exactly this. */
  readonly imageUri: string;
  readonly signingKeyArn: string;
}

/** A verification failure: the artifact must not be deployed. */
class GateError extends Error {
  public constructor(artifactUri: string, problem: string) {
    super(`Model artifact ${artifactUri} failed the signature gate: ${problem}. The model is not deployed.`);
    this.name = 'GateError';
  }
}

/** A model package the gate refuses before (or while) looking at its artifact. */
class PackageGateError extends Error {
  public constructor(packageArn: string, problem: string) {
    super(`Model package ${packageArn} failed the signature gate: ${problem}. The model is not deployed.`);
    this.name = 'GateError';
  }
}

export async function handler(event: CloudFormationCustomResourceEvent): Promise<GateResponse> {
  if (event.RequestType === 'Delete') {
    // Nothing was created: deleting the gate deletes nothing.
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  if (event.ResourceProperties.ModelPackageArn !== undefined) return verifyPackage(packagePropertiesOf(event.ResourceProperties));
  const properties = propertiesOf(event.ResourceProperties);
  const { artifactUri, digest, versionId } = await verifyArtifact(properties);
  return {
    PhysicalResourceId: `${artifactUri}#sha256:${digest}`,
    Data: { Digest: digest, VersionId: versionId ?? 'null', SigningKeyArn: properties.signingKeyArn },
  };
}

/** The artifact matches its manifest, the manifest names it and the registry's key, and the signature verifies. */
async function verifyArtifact(properties: GateProperties, expectedDigest?: { digest: string; source: string }): Promise<{
  artifactUri: string; digest: string; versionId?: string;
}> {
  const artifactUri = `s3://${properties.bucket}/${properties.key}`;
  const manifestUri = ArtifactManifests.locationOf(artifactUri);
  const manifest = await readManifest(properties, artifactUri, manifestUri);

  if (manifest.artifactUri !== artifactUri) {
    throw new GateError(artifactUri, `its manifest ${manifestUri} describes ${manifest.artifactUri}, another artifact`);
  }
  // The manifest names a key, but only the registry's key is trusted: a forger signs with a key of their own.
  if (manifest.keyArn !== properties.signingKeyArn) {
    throw new GateError(artifactUri, `its manifest says it was signed by ${manifest.keyArn}, but the registry's signing key is `
      + `${properties.signingKeyArn}`);
  }
  // The package's record of the digest must be the signed one: otherwise the registry describes another model.
  if (expectedDigest !== undefined && expectedDigest.digest !== manifest.digest) {
    throw new GateError(artifactUri, `${expectedDigest.source} records SHA-256 ${expectedDigest.digest}, but its manifest records `
      + `${manifest.digest}: the package does not describe the artifact that was signed`);
  }
  const { digest, versionId } = await digestOf(properties, artifactUri);
  if (digest !== manifest.digest) {
    throw new GateError(artifactUri, `its SHA-256 is ${digest} but its manifest records ${manifest.digest}: the artifact was `
      + 'modified after signing, or the manifest belongs to another artifact');
  }
  await verifySignature(properties.signingKeyArn, digest, manifest.signature, artifactUri);
  return { artifactUri, digest, versionId };
}

/**
 * An approved version of the registry's group, running exactly the deployment's image, whose one artifact is in the
 * registry's store and whose signing-step metadata agrees with the artifact's manifest; then the artifact itself.
 */
async function verifyPackage(properties: PackageProperties): Promise<GateResponse> {
  const arn = properties.packageArn;
  const described = await describePackage(arn);
  if (described.ModelPackageGroupName !== properties.groupName) {
    throw new PackageGateError(arn, `it is a version of model package group ${described.ModelPackageGroupName ?? '(none: an unversioned '
      + 'package)'}, not of the registry's group ${properties.groupName}`);
  }
  if (described.ModelApprovalStatus !== 'Approved') {
    throw new PackageGateError(arn, `its approval status is ${described.ModelApprovalStatus ?? 'not set'}, not Approved: production deploys `
      + 'only packages a reviewer approved (UpdateModelPackage ModelApprovalStatus=Approved) after evaluation');
  }
  const containers = described.InferenceSpecification?.Containers ?? [];
  if (containers.length !== 1) {
    throw new PackageGateError(arn, `it has ${containers.length} containers; the gate verifies packages with exactly one container `
      + '(one image, one signed artifact), as the training pipeline registers them');
  }
  const container = containers[0];
  if (container.Image !== properties.imageUri) {
    throw new PackageGateError(arn, `its container image is ${container.Image ?? '(none)'}, not the image this deployment pulls and was `
      + `vetted for, ${properties.imageUri}`);
  }
  const artifactUri = container.ModelDataUrl;
  const prefix = `s3://${properties.bucket}/`;
  if (artifactUri === undefined || !artifactUri.startsWith(prefix) || artifactUri.length === prefix.length) {
    throw new PackageGateError(arn, `its artifact (ModelDataUrl) is ${artifactUri ?? 'not set'}, which is not an object of the `
      + `registry's artifact store ${prefix}`);
  }
  const key = artifactUri.slice(prefix.length);
  if (!key.endsWith('/output/model.tar.gz')) {
    throw new PackageGateError(arn, `its artifact ${artifactUri} is not a training job's output (<prefix>/<job>/output/model.tar.gz), `
      + 'the only artifacts the training pipeline registers and the gate may read');
  }
  const metadata = described.CustomerMetadataProperties ?? {};
  const recorded = (name: string): string => {
    const value = metadata[name];
    if (value === undefined || value === '') {
      throw new PackageGateError(arn, `its metadata (CustomerMetadataProperties) has no ${name}, which the signing step records: it `
        + 'was not registered by the training pipeline');
    }
    return value;
  };
  const manifestUri = ArtifactManifests.locationOf(artifactUri);
  const recordedManifest = recorded(ModelPackageMetadata.MANIFEST_URI);
  if (recordedManifest !== manifestUri) {
    throw new PackageGateError(arn, `its metadata names the manifest ${recordedManifest}, but the manifest of its artifact is ${manifestUri}`);
  }
  const recordedKey = metadata[ModelPackageMetadata.SIGNING_KEY_ARN];
  if (recordedKey !== undefined && recordedKey !== properties.signingKeyArn) {
    throw new PackageGateError(arn, `its metadata says it was signed by ${recordedKey}, but the registry's signing key is ${properties.signingKeyArn}`);
  }
  const recordedDigest = recorded(ModelPackageMetadata.ARTIFACT_DIGEST);

  const artifact = { bucket: properties.bucket, key, signingKeyArn: properties.signingKeyArn };
  const { digest, versionId } = await verifyArtifact(artifact, { digest: recordedDigest, source: `the metadata of model package ${arn}` });
  const folder = key.slice(0, key.lastIndexOf('/') + 1);
  return {
    PhysicalResourceId: `${arn}#sha256:${digest}`,
    Data: {
      Digest: digest,
      VersionId: versionId ?? 'null',
      SigningKeyArn: properties.signingKeyArn,
      ModelPackageArn: arn,
      ArtifactKey: key,
      ArtifactFolder: folder,
    },
  };
}

async function describePackage(arn: string): Promise<DescribeModelPackageCommandOutput> {
  try {
    return await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  } catch (e) {
    throw new PackageGateError(arn, `it cannot be described (${describe(e)})`);
  }
}

function textProperty(raw: Record<string, unknown>, name: string): string {
  const value = raw[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`The signature gate was given no ${name}: the custom resource is misconfigured.`);
  }
  return value;
}

function propertiesOf(raw: Record<string, unknown>): GateProperties {
  return { bucket: textProperty(raw, 'ArtifactBucket'), key: textProperty(raw, 'ArtifactKey'), signingKeyArn: textProperty(raw, 'SigningKeyArn') };
}

function packagePropertiesOf(raw: Record<string, unknown>): PackageProperties {
  return {
    bucket: textProperty(raw, 'ArtifactBucket'),
    packageArn: textProperty(raw, 'ModelPackageArn'),
    groupName: textProperty(raw, 'ModelPackageGroupName'),
    imageUri: textProperty(raw, 'ImageUri'),
    signingKeyArn: textProperty(raw, 'SigningKeyArn'),
  };
}

async function readManifest(properties: GateProperties, artifactUri: string, manifestUri: string): Promise<ArtifactManifest> {
  let text: string;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: properties.bucket, Key: `${properties.key}${ArtifactManifests.SUFFIX}` }));
    text = await response.Body!.transformToString('utf-8');
  } catch (e) {
    if (isMissing(e)) throw new GateError(artifactUri, `it has no manifest at ${manifestUri}, so it was never signed by the registry`);
    throw new GateError(artifactUri, `its manifest ${manifestUri} cannot be read (${describe(e)})`);
  }
  try {
    return ArtifactManifests.parse(text);
  } catch (e) {
    if (e instanceof MalformedManifestError) throw new GateError(artifactUri, `${manifestUri} is a ${e.message}`);
    throw e;
  }
}

async function digestOf(properties: GateProperties, artifactUri: string): Promise<{ digest: string; versionId?: string }> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: properties.bucket, Key: properties.key }));
    // Streamed: artifacts are gigabytes, the function's memory is not.
    const digest = await sha256OfStream(response.Body as AsyncIterable<Uint8Array>);
    return { digest, versionId: response.VersionId };
  } catch (e) {
    if (isMissing(e)) throw new GateError(artifactUri, 'the artifact does not exist');
    throw new GateError(artifactUri, `the artifact cannot be read (${describe(e)})`);
  }
}

async function verifySignature(keyArn: string, digest: string, signature: string, artifactUri: string): Promise<void> {
  let valid: boolean | undefined;
  try {
    const response = await kms.send(new VerifyCommand({
      KeyId: keyArn,
      Message: Buffer.from(digest, 'hex'),
      MessageType: 'DIGEST',
      SigningAlgorithm: ArtifactManifests.SIGNING_ALGORITHM,
      Signature: Buffer.from(signature, 'base64'),
    }));
    valid = response.SignatureValid;
  } catch (e) {
    if ((e as Error).name === 'KMSInvalidSignatureException') valid = false;
    else throw new GateError(artifactUri, `its signature could not be checked with ${keyArn} (${describe(e)})`);
  }
  if (valid !== true) {
    throw new GateError(artifactUri, `the signature in its manifest does not verify with the registry's signing key ${keyArn}: `
      + 'the manifest was forged or altered');
  }
}

function isMissing(e: unknown): boolean {
  const name = (e as Error).name;
  return name === 'NoSuchKey' || name === 'NotFound';
}

function describe(e: unknown): string {
  const error = e as Error;
  return `${error.name}: ${error.message}`;
}
