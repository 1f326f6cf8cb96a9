// Offline verification of a signed model artifact: recompute its digest, compare it with the manifest's, and check
// the manifest's signature with the registry's public key (what `cdk-secure-ai verify` runs).
import { createHash, createPublicKey, createVerify, KeyObject } from 'crypto';
import * as fs from 'fs';
import { ArtifactManifest, ArtifactManifests } from './artifact-manifest';
import { MalformedManifestError } from './malformed-manifest-error';

/** What to verify: three local files. */
export interface ArtifactVerificationOptions {
  /** The model artifact (for example `model.tar.gz`). */
  readonly artifactPath: string;
  /** Its manifest (`model.tar.gz.manifest.json`). */
  readonly manifestPath: string;
  /**
   * The registry signing key's public key: PEM (`-----BEGIN PUBLIC KEY-----`), DER, or the base64 DER that
   * `aws kms get-public-key --query PublicKey --output text` prints.
   */
  readonly publicKeyPath: string;
}

/** The outcome of a verification. */
export interface ArtifactVerification {
  /** Whether the artifact matches its manifest and the signature verifies with the public key. */
  readonly valid: boolean;
  /** One sentence: what was verified, or what is wrong and what it means. */
  readonly message: string;
  /** The artifact's recomputed SHA-256 digest, when the artifact could be read. */
  readonly digest?: string;
}

/** Bytes read at a time: the artifact is streamed, never held in memory. */
const CHUNK_BYTES = 1024 * 1024;

/** Verifies signed model artifacts offline, with Node's crypto. */
export class ArtifactVerifier {
  /**
   * Verifies an artifact against its manifest and the signing key's public key. Never throws for bad input: an
   * unreadable file, a malformed manifest or a wrong key is an invalid verification with a message saying which.
   */
  public static verifyFiles(options: ArtifactVerificationOptions): ArtifactVerification {
    let manifest: ArtifactManifest;
    let publicKey: KeyObject;
    try {
      manifest = ArtifactManifests.parse(fs.readFileSync(options.manifestPath, 'utf8'));
      publicKey = readPublicKey(options.publicKeyPath);
    } catch (e) {
      return { valid: false, message: problemOf(e, options) };
    }
    const hash = createHash('sha256');
    const verifier = createVerify('sha256');
    try {
      readInChunks(options.artifactPath, (chunk) => {
        hash.update(chunk);
        verifier.update(chunk);
      });
    } catch (e) {
      return { valid: false, message: problemOf(e, options) };
    }
    const digest = hash.digest('hex');
    if (digest !== manifest.digest) {
      return {
        valid: false,
        digest,
        message: `${options.artifactPath} has SHA-256 ${digest} but its manifest records ${manifest.digest}: ` +
          'the artifact was modified after signing, or the manifest belongs to another artifact.',
      };
    }
    if (!verifier.verify(publicKey, Buffer.from(manifest.signature, 'base64'))) {
      return {
        valid: false,
        digest,
        message: `the signature in ${options.manifestPath} does not verify with ${options.publicKeyPath}: ` +
          `the public key is not that of the signing key ${manifest.keyArn}, or the manifest was forged.`,
      };
    }
    return { valid: true, digest, message: `${options.artifactPath} (SHA-256 ${digest}) is signed by ${manifest.keyArn}.` };
  }
}

function readInChunks(file: string, consume: (chunk: Buffer) => void): void {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    for (let read = fs.readSync(fd, buffer); read > 0; read = fs.readSync(fd, buffer)) consume(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
}

function readPublicKey(file: string): KeyObject {
  const bytes = fs.readFileSync(file);
  const text = bytes.toString('utf8').trim();
  let key: KeyObject;
  try {
    if (text.startsWith('-----BEGIN')) key = createPublicKey(text);
    else if (/^[A-Za-z0-9+/\s]+={0,2}$/.test(text)) key = createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    else key = createPublicKey({ key: bytes, format: 'der', type: 'spki' });
  } catch {
    throw new KeyFileError(`${file} is not a public key in PEM, DER or base64 DER (SubjectPublicKeyInfo) form`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    throw new KeyFileError(`${file} holds a ${key.asymmetricKeyType}${curve ? ` (${curve})` : ''} key, ` +
      'but model registries sign with ECC_NIST_P256 keys: pass the public key of the registry\'s signing key');
  }
  return key;
}

class KeyFileError extends Error {}

function problemOf(e: unknown, options: ArtifactVerificationOptions): string {
  if (e instanceof MalformedManifestError) return `${options.manifestPath}: ${e.message}.`;
  if (e instanceof KeyFileError) return `${e.message}.`;
  const error = e as NodeJS.ErrnoException;
  if (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'EACCES') {
    return `cannot read ${error.path ?? 'a file'} (${error.code}): check the path.`;
  }
  throw e;
}
