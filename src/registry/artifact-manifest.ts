// The manifest written beside every signed model artifact: the contract between the training pipeline's signing
// step (which writes it), the inference endpoint's deploy-time gate and `cdk-secure-ai verify` (which read it).
// Pure Node.js: Lambda handlers bundle this file, so it must not import aws-cdk-lib.
import { MalformedManifestError } from './malformed-manifest-error';

/** The digest of one training data input, recorded so that a model can be traced to the exact data it saw. */
export interface TrainingDataDigest {
  /** Where the input was read from (`s3://bucket/key`). */
  readonly uri: string;
  /** Its SHA-256 digest, 64 lowercase hexadecimal characters. */
  readonly sha256: string;
}

/** What the signing step records about a trained model artifact. */
export interface ArtifactManifest {
  /** The manifest format version; this library writes and reads 1. */
  readonly manifestVersion: number;
  /** The model artifact (`s3://bucket/key`). */
  readonly artifactUri: string;
  /** Always `SHA-256`. */
  readonly digestAlgorithm: string;
  /** The artifact's SHA-256 digest, 64 lowercase hexadecimal characters. */
  readonly digest: string;
  /** Always `ECDSA_SHA_256`: KMS signed the digest (`MessageType: DIGEST`) with an `ECC_NIST_P256` key. */
  readonly signingAlgorithm: string;
  /** The DER-encoded ECDSA signature of the artifact, base64. */
  readonly signature: string;
  /** The ARN of the KMS key that signed. */
  readonly keyArn: string;
  /** The training job that produced the artifact. */
  readonly trainingJobArn: string;
  /** The digests of the training data inputs. */
  readonly trainingData: TrainingDataDigest[];
  /** When the artifact was signed, ISO 8601. */
  readonly createdAt: string;
}

/** Reading and writing {@link ArtifactManifest}s. */
export class ArtifactManifests {
  /** The manifest format version this library writes and reads. */
  public static readonly VERSION = 1;
  /** The digest algorithm of every manifest. */
  public static readonly DIGEST_ALGORITHM = 'SHA-256';
  /** The KMS signing algorithm of every manifest. */
  public static readonly SIGNING_ALGORITHM = 'ECDSA_SHA_256';
  /** The suffix a manifest's key adds to its artifact's key. */
  public static readonly SUFFIX = '.manifest.json';

  /** Where the manifest of an artifact lives: beside it, `<artifact key>.manifest.json`. */
  public static locationOf(artifactUri: string): string {
    return `${artifactUri}${ArtifactManifests.SUFFIX}`;
  }

  /**
   * Parses and checks a manifest. Throws a `MalformedManifestError` naming the first field that is missing or wrong.
   */
  public static parse(text: string): ArtifactManifest {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new MalformedManifestError(`it is not JSON (${(e as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedManifestError('it is not a JSON object');
    const m = value as Record<string, unknown>;
    const field = (name: string, pattern?: RegExp, expected?: string): string => {
      const v = m[name];
      if (typeof v !== 'string' || v.length === 0) throw new MalformedManifestError(`\`${name}\` is missing or not a string`);
      if (pattern && !pattern.test(v)) throw new MalformedManifestError(`\`${name}\` is ${JSON.stringify(v)}, expected ${expected}`);
      return v;
    };
    if (m.manifestVersion !== ArtifactManifests.VERSION) {
      throw new MalformedManifestError(`\`manifestVersion\` is ${JSON.stringify(m.manifestVersion)}, expected ${ArtifactManifests.VERSION}`);
    }
    const trainingData = m.trainingData;
    if (!Array.isArray(trainingData)) throw new MalformedManifestError('`trainingData` is missing or not a list');
    return {
      manifestVersion: ArtifactManifests.VERSION,
      artifactUri: field('artifactUri', S3_URI, 'an s3:// URI'),
      digestAlgorithm: field('digestAlgorithm', /^SHA-256$/, ArtifactManifests.DIGEST_ALGORITHM),
      digest: field('digest', SHA256_HEX, '64 lowercase hexadecimal characters'),
      signingAlgorithm: field('signingAlgorithm', /^ECDSA_SHA_256$/, ArtifactManifests.SIGNING_ALGORITHM),
      signature: field('signature', BASE64, 'base64'),
      keyArn: field('keyArn', KMS_KEY_ARN, 'a KMS key ARN'),
      trainingJobArn: field('trainingJobArn'),
      trainingData: trainingData.map((d, i) => {
        const entry = d as Record<string, unknown> | null;
        if (typeof entry?.uri !== 'string' || typeof entry.sha256 !== 'string' || !SHA256_HEX.test(entry.sha256)) {
          throw new MalformedManifestError(`\`trainingData[${i}]\` needs a \`uri\` and a 64-character lowercase hexadecimal \`sha256\``);
        }
        return { uri: entry.uri, sha256: entry.sha256 };
      }),
      createdAt: field('createdAt', ISO_TIME, 'an ISO 8601 time'),
    };
  }

  /** The manifest as the signing step writes it: stable field order, two-space indentation. */
  public static render(manifest: ArtifactManifest): string {
    return `${JSON.stringify({
      manifestVersion: manifest.manifestVersion,
      artifactUri: manifest.artifactUri,
      digestAlgorithm: manifest.digestAlgorithm,
      digest: manifest.digest,
      signingAlgorithm: manifest.signingAlgorithm,
      signature: manifest.signature,
      keyArn: manifest.keyArn,
      trainingJobArn: manifest.trainingJobArn,
      trainingData: manifest.trainingData.map((d) => ({ uri: d.uri, sha256: d.sha256 })),
      createdAt: manifest.createdAt,
    }, undefined, 2)}\n`;
  }
}

const S3_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
