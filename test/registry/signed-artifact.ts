// A model artifact signed the way the training pipeline's signing step signs it, with a real ECDSA P-256 key pair:
// KMS's ECDSA_SHA_256 over a DIGEST is the DER ECDSA signature of the artifact's bytes with SHA-256.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ArtifactManifest, ArtifactManifests } from '../../src/registry/artifact-manifest';

export const KEY_ARN = 'arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

export interface SignedArtifact {
  readonly dir: string;
  readonly artifactPath: string;
  readonly manifestPath: string;
  /** The public key as PEM (SubjectPublicKeyInfo). */
  readonly publicKeyPath: string;
  readonly manifest: ArtifactManifest;
  readonly privateKey: crypto.KeyObject;
  readonly publicKey: crypto.KeyObject;
}

/** The manifest the signing step would write for `bytes`, signed with `privateKey`. */
export function manifestFor(bytes: Buffer, privateKey: crypto.KeyObject): ArtifactManifest {
  return {
    manifestVersion: ArtifactManifests.VERSION,
    artifactUri: 's3://registry-artifacts/fraud/job-1/output/model.tar.gz',
    digestAlgorithm: ArtifactManifests.DIGEST_ALGORITHM,
    digest: crypto.createHash('sha256').update(bytes).digest('hex'),
    signingAlgorithm: ArtifactManifests.SIGNING_ALGORITHM,
    signature: crypto.sign('sha256', bytes, privateKey).toString('base64'),
    keyArn: KEY_ARN,
    trainingJobArn: 'arn:aws:sagemaker:eu-west-2:111111111111:training-job/fraud-1',
    trainingData: [{ uri: 's3://training-data/fraud/train.csv', sha256: 'a'.repeat(64) }],
    createdAt: '2026-11-26T05:00:00.000Z',
  };
}

const written: string[] = [];

/** Removes every directory writeSignedArtifact made (call from afterAll). */
export function removeSignedArtifacts(): void {
  for (const dir of written.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes an artifact, its manifest and the public key into a fresh directory. */
export function writeSignedArtifact(bytes: Buffer = crypto.randomBytes(3 * 1024 * 1024 + 17)): SignedArtifact {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signed-artifact-'));
  written.push(dir);
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const manifest = manifestFor(bytes, privateKey);
  const artifactPath = path.join(dir, 'model.tar.gz');
  const manifestPath = path.join(dir, 'model.tar.gz.manifest.json');
  const publicKeyPath = path.join(dir, 'signing-key.pem');
  fs.writeFileSync(artifactPath, bytes);
  fs.writeFileSync(manifestPath, ArtifactManifests.render(manifest));
  fs.writeFileSync(publicKeyPath, publicKey.export({ type: 'spki', format: 'pem' }));
  return { dir, artifactPath, manifestPath, publicKeyPath, manifest, privateKey, publicKey };
}
