// Offline verification of a signed model in the OpenSSF Model Signing v1.0 format ("key" method), and of the signed
// provenance the training pipeline writes beside it: what `cdk-secure-ai verify` runs.
import * as fs from 'fs';
import * as path from 'path';
import { compareModelFiles, VerificationError, verifyModelSignature, verifyProvenance } from '../signing/envelope-verification';
import { listModelFiles, ModelFilesError, sha256OfFile } from '../signing/model-files';
import { DEFAULT_IGNORE_PATHS, ModelStatement } from '../signing/model-signature';
import { PublicKeyError, readPublicKey } from '../signing/public-key';
import { TrainingProvenance } from '../signing/training-provenance';

/** What to verify: local files, as `model_signing verify key` takes them, plus the provenance and what to expect of it. */
export interface ArtifactVerificationOptions {
  /** The model: a file (such as `model.tar.gz`) or a directory of files. */
  readonly modelPath: string;
  /** The OMS v1.0 signature bundle (`model.tar.gz.sig`). */
  readonly signaturePath: string;
  /**
   * The signing key's public key: PEM, DER, or the base64 DER that `aws kms get-public-key --query PublicKey --output
   * text` prints (an elliptic-curve key: P-256 for registry keys, P-384 and P-521 accepted).
   */
  readonly publicKeyPath: string;
  /**
   * Paths inside a model directory to leave out (relative to it, or absolute), each with everything under it; added
   * to the `.git` family and to the paths the signature itself lists.
   * @default - none
   */
  readonly ignorePaths?: string[];
  /**
   * Verify only the files the signature lists, ignoring any other file of the model directory.
   * @default false - a file that is not signed fails the verification
   */
  readonly ignoreUnsignedFiles?: boolean;
  /**
   * The signed provenance bundle the training pipeline writes beside the signature (`model.tar.gz.provenance.sig`),
   * checked with the same key; its subject must be the verified model.
   * @default - no provenance is checked (and no expectation can be given)
   */
  readonly provenancePath?: string;
  /**
   * The S3 URI the provenance must name as the registered artifact (`s3://<artifact store>/verified/<sha256>/model.tar.gz`).
   * @default - not checked
   */
  readonly expectedArtifactUri?: string;
  /**
   * The training image digest (`sha256:<hex>`) the provenance must name.
   * @default - not checked
   */
  readonly expectedImageDigest?: string;
  /**
   * The ARN of the training pipeline's state machine that must have built the model.
   * @default - not checked
   */
  readonly expectedBuilderId?: string;
}

/** The outcome of a verification. */
export interface ArtifactVerification {
  /** Whether every check passed. */
  readonly valid: boolean;
  /**
   * Whether the verification could not run: a path that cannot be read or a public key that is not one (the command
   * exits 2). Undefined when it ran.
   */
  readonly usageError?: boolean;
  /**
   * The check that failed: `bundle`, `key`, `signature`, `payload`, `digest`, `provenance` or `expectation`.
   * Undefined when valid, or on a usage error.
   */
  readonly failedCheck?: string;
  /** One sentence: what was verified, or which check failed and why. */
  readonly message: string;
  /** The model's subject digest (over its files' digests), when the signature could be read. */
  readonly rootDigest?: string;
}

/** Verifies signed models offline, with Node's crypto. */
export class ArtifactVerifier {
  /**
   * Verifies a model against its OMS signature bundle and the signing key's public key, and optionally its provenance.
   * Never throws for bad input: a path that cannot be read, a malformed bundle or a wrong key is a result whose message
   * says which.
   */
  public static verify(options: ArtifactVerificationOptions): ArtifactVerification {
    try {
      return verifyOrThrow(options);
    } catch (e) {
      if (e instanceof VerificationError) return { valid: false, failedCheck: e.check, message: e.message };
      if (e instanceof UsageError || e instanceof PublicKeyError || e instanceof ModelFilesError) {
        return { valid: false, usageError: e instanceof ModelFilesError ? undefined : true, failedCheck: e instanceof ModelFilesError ? 'digest' : undefined, message: `${e.message}.` };
      }
      throw e;
    }
  }
}

class UsageError extends Error {}

function verifyOrThrow(options: ArtifactVerificationOptions): ArtifactVerification {
  const modelPath = path.resolve(options.modelPath);
  const modelStat = statOf(modelPath, 'the model');
  if (!modelStat.isFile() && !modelStat.isDirectory()) throw new UsageError(`the model ${options.modelPath} is neither a file nor a directory`);
  const bundleText = readText(options.signaturePath, 'the signature');
  const key = readPublicKey(readBytes(options.publicKeyPath, 'the public key'), options.publicKeyPath);
  const provenanceText = options.provenancePath === undefined ? undefined : readText(options.provenancePath, 'the provenance');
  const expectations = [options.expectedArtifactUri, options.expectedImageDigest, options.expectedBuilderId].filter((e) => e !== undefined);
  if (provenanceText === undefined && expectations.length > 0) {
    throw new UsageError('an expectation (artifact URI, image digest or builder) is checked against the provenance, and no provenance was given');
  }

  const statement = verifyModelSignature(bundleText, key, `the signature ${options.signaturePath}`);
  const ignores = [...DEFAULT_IGNORE_PATHS, ...statement.ignorePaths, ...(options.ignorePaths ?? []).map((p) => relativeToModel(modelPath, p))];
  // A bundle kept inside the model directory is not part of the model.
  for (const companion of [options.signaturePath, options.provenancePath]) {
    const relative = companion === undefined ? undefined : path.relative(modelPath, path.resolve(companion));
    if (modelStat.isDirectory() && relative !== undefined && !relative.startsWith('..') && !path.isAbsolute(relative)) ignores.push(relative.split(path.sep).join('/'));
  }
  const files = listModelFiles(modelPath, ignores);
  const signedNames = new Set(statement.resources.map((r) => r.name));
  const actual = new Map<string, string>();
  for (const [name, file] of files) {
    // Unsigned files are not hashed when they are to be ignored anyway.
    if (options.ignoreUnsignedFiles && !signedNames.has(name)) continue;
    actual.set(name, sha256OfFile(file));
  }
  compareModelFiles(statement, actual, options.ignoreUnsignedFiles ?? false);

  let message = `${options.modelPath} (${statement.resources.length} file${statement.resources.length === 1 ? '' : 's'}, subject `
    + `SHA-256 ${statement.rootDigest}) is signed by the key given`;
  if (provenanceText !== undefined) {
    const provenance = verifyProvenance(provenanceText, key, `the provenance ${options.provenancePath}`);
    checkProvenanceSubject(provenance, statement, actual, modelStat.isFile());
    checkExpectations(provenance, options);
    message += `; its signed provenance says it was trained by ${provenance.trainingJobArn} in ${provenance.executionArn} of `
      + `${provenance.builderId}, with image ${provenance.settings.imageUri}${provenance.settings.imageDigest ? ` (${provenance.settings.imageDigest})` : ''}, `
      + `from ${provenance.inputs.map((i) => `${i.uri}${i.measured ? '' : ' (declared)'}`).join(', ')}, and registered as ${provenance.artifact.uri}`;
  }
  return { valid: true, message: `${message}.`, rootDigest: statement.rootDigest };
}

/** The provenance must describe the model verified: a single file's SHA-256, or a directory's subject digest. */
function checkProvenanceSubject(
  provenance: TrainingProvenance, statement: ModelStatement, actual: ReadonlyMap<string, string>, singleFile: boolean,
): void {
  const digest = singleFile ? actual.get('.') : statement.rootDigest;
  if (provenance.artifact.sha256 !== digest) {
    throw new VerificationError('provenance', `the provenance describes an artifact with SHA-256 ${provenance.artifact.sha256}, but the `
      + `model verified has ${digest}: it is the provenance of another model.`);
  }
}

function checkExpectations(provenance: TrainingProvenance, options: ArtifactVerificationOptions): void {
  const expect = (what: string, expected: string | undefined, actual: string | undefined) => {
    if (expected !== undefined && expected !== actual) {
      throw new VerificationError('expectation', `the provenance names ${what} ${actual ?? '(none)'}, but ${expected} was expected.`);
    }
  };
  expect('the registered artifact', options.expectedArtifactUri, provenance.artifact.uri);
  expect('the image digest', options.expectedImageDigest, provenance.settings.imageDigest);
  expect('the builder', options.expectedBuilderId, provenance.builderId);
}

function relativeToModel(modelPath: string, ignore: string): string {
  const relative = path.isAbsolute(ignore) ? path.relative(modelPath, ignore) : ignore;
  return relative.split(path.sep).join('/').replace(/^\.\//, '').replace(/\/+$/, '');
}

function statOf(file: string, what: string): fs.Stats {
  try {
    return fs.statSync(file);
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${file} (${(e as NodeJS.ErrnoException).code}): check the path`);
  }
}

function readBytes(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} ${file} (${code}): ${code === 'EISDIR' ? 'it is a directory, give the file' : 'check the path'}`);
  }
}

function readText(file: string, what: string): string {
  return readBytes(file, what).toString('utf8');
}
