// The deploy-time gate of an InferenceEndpoint: before CloudFormation creates the SageMaker model, it proves that the
// model artifact is the one the registry's signing step signed. Runs behind the custom-resources Provider framework,
// which turns a thrown error into a failed deployment carrying the message.
import { KMSClient, VerifyCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { sha256OfStream } from '../registry/artifact-digest';
import { ArtifactManifest, ArtifactManifests } from '../registry/artifact-manifest';
import { MalformedManifestError } from '../registry/malformed-manifest-error';

const s3 = new S3Client({});
const kms = new KMSClient({});

/** What the Provider framework expects back. */
interface GateResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** The properties the construct gives the custom resource. */
interface GateProperties {
  /** The registry's artifact bucket. */
  readonly bucket: string;
  /** The artifact's key in it. */
  readonly key: string;
  /** The registry's signing key: the only key whose signature is accepted. */
  readonly signingKeyArn: string;
}

/** A verification failure: the artifact must not be deployed. */
class GateError extends Error {
  public constructor(artifactUri: string, problem: string) {
    super(`Model artifact ${artifactUri} failed the signature gate: ${problem}. The model is not deployed.`);
    this.name = 'GateError';
  }
}

export async function handler(event: CloudFormationCustomResourceEvent): Promise<GateResponse> {
  if (event.RequestType === 'Delete') {
    // Nothing was created: deleting the gate deletes nothing.
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const properties = propertiesOf(event.ResourceProperties);
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
  const { digest, versionId } = await digestOf(properties, artifactUri);
  if (digest !== manifest.digest) {
    throw new GateError(artifactUri, `its SHA-256 is ${digest} but its manifest records ${manifest.digest}: the artifact was `
      + 'modified after signing, or the manifest belongs to another artifact');
  }
  await verifySignature(properties.signingKeyArn, digest, manifest.signature, artifactUri);

  return {
    PhysicalResourceId: `${artifactUri}#sha256:${digest}`,
    Data: { Digest: digest, VersionId: versionId ?? 'null', SigningKeyArn: properties.signingKeyArn },
  };
}

function propertiesOf(raw: Record<string, unknown>): GateProperties {
  const text = (name: string): string => {
    const value = raw[name];
    if (typeof value !== 'string' || value.length === 0) {
      throw new Error(`The signature gate was given no ${name}: the custom resource is misconfigured.`);
    }
    return value;
  };
  return { bucket: text('ArtifactBucket'), key: text('ArtifactKey'), signingKeyArn: text('SigningKeyArn') };
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
