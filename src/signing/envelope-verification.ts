// The checks of a signed model, in the order the reference implementation makes them: the bundle, the key (hint), the
// signature over the DSSE PAE, the payload (type, statement, predicate, subject digest), then the files. Each failure
// is a `VerificationError` naming its check. Shared by `cdk-secure-ai verify` (ArtifactVerifier) and the deploy-time
// gate. Pure Node.js.
import { KeyObject } from 'crypto';
import { IN_TOTO_PAYLOAD_TYPE, verifyEnvelopeSignature } from './dsse-envelope';
import { ModelStatement, parseModelStatement, StatementError } from './model-signature';
import { keyHint } from './public-key';
import { BundleError, parseBundle } from './sigstore-bundle';
import { parseTrainingProvenance, TrainingProvenance } from './training-provenance';

/** The checks a verification makes; a failure names one. */
export type VerificationCheck = 'bundle' | 'key' | 'signature' | 'payload' | 'digest' | 'provenance' | 'expectation';

/** A failed check: `message` is one sentence a person can act on. */
export class VerificationError extends Error {
  public constructor(public readonly check: VerificationCheck, message: string) {
    super(message);
    this.name = 'VerificationError';
  }
}

/**
 * Opens a bundle signed by `key`: the hint (when the bundle has one) must be the key's, the signature must verify over
 * the PAE with the hash of the key's curve, and the payload must be an in-toto Statement. Returns the payload bytes
 * exactly as signed.
 * @param what names the bundle in messages (`the signature model.sig`)
 * @param failAs the check a malformed bundle or payload fails (`provenance` for the provenance bundle)
 */
export function openSignedStatement(bundleText: string, key: KeyObject, what: string, failAs?: VerificationCheck): Buffer {
  let envelope;
  try {
    envelope = parseBundle(bundleText);
  } catch (e) {
    if (e instanceof BundleError) throw new VerificationError(failAs ?? 'bundle', `${what} cannot be read: ${e.message}.`);
    throw e;
  }
  if (envelope.hint !== undefined && envelope.hint !== keyHint(key)) {
    throw new VerificationError(failAs ?? 'key', `${what} names the key ${envelope.hint}, but the public key given is ${keyHint(key)}: `
      + 'it was signed by another key, or the wrong public key was given.');
  }
  if (!verifyEnvelopeSignature(envelope.payload, envelope.payloadType, envelope.signature, key)) {
    throw new VerificationError(failAs ?? 'signature', `the signature of ${what} does not verify with the public key given: the payload `
      + 'was altered after signing, or it was signed by another key.');
  }
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new VerificationError(failAs ?? 'payload', `${what} carries a payload of type ${envelope.payloadType}, not an in-toto Statement (${IN_TOTO_PAYLOAD_TYPE}).`);
  }
  return envelope.payload;
}

/** Opens an OMS v1.0 model signature and checks its statement (predicate, one subject, subject digest). */
export function verifyModelSignature(bundleText: string, key: KeyObject, what: string): ModelStatement {
  const payload = openSignedStatement(bundleText, key, what);
  let statement: ModelStatement;
  try {
    statement = parseModelStatement(payload);
  } catch (e) {
    if (e instanceof StatementError) throw new VerificationError('payload', `the payload of ${what} is not a valid model signature: ${e.message}.`);
    throw e;
  }
  if (statement.method !== 'files' || statement.hashType !== 'sha256') {
    throw new VerificationError('payload', `${what} uses the ${statement.method} serialization with ${statement.hashType}; only the files `
      + 'serialization with sha256 is supported.');
  }
  return statement;
}

/**
 * Compares the model's files (name → SHA-256) with the signed resources, both ways: a changed, an unsigned or a
 * missing file fails the digest check. With `ignoreUnsignedFiles`, files the signature does not list are not compared.
 */
export function compareModelFiles(statement: ModelStatement, actual: ReadonlyMap<string, string>, ignoreUnsignedFiles: boolean): void {
  const signed = new Map(statement.resources.map((r) => [r.name, r]));
  for (const [name, digest] of actual) {
    const resource = signed.get(name);
    if (resource === undefined) {
      if (ignoreUnsignedFiles) continue;
      throw new VerificationError('digest', `${name} is not in the signature: a file was added after signing (give --ignore-unsigned-files `
        + 'to verify only the signed files).');
    }
    if (resource.algorithm !== 'sha256' || resource.digest !== digest) {
      throw new VerificationError('digest', `${name} has SHA-256 ${digest}, but the signature records ${resource.algorithm} ${resource.digest}: `
        + 'the file was modified after signing.');
    }
  }
  const missing = statement.resources.find((r) => !actual.has(r.name));
  if (missing !== undefined) {
    throw new VerificationError('digest', `${missing.name} is in the signature but not in the model: a signed file was removed or ignored.`);
  }
}

/** Opens a provenance bundle signed by the same key and reads its SLSA statement; any failure is the provenance check's. */
export function verifyProvenance(bundleText: string, key: KeyObject, what: string): TrainingProvenance {
  const payload = openSignedStatement(bundleText, key, what, 'provenance');
  try {
    return parseTrainingProvenance(payload);
  } catch (e) {
    if (e instanceof StatementError) throw new VerificationError('provenance', `the payload of ${what} is not a training provenance: ${e.message}.`);
    throw e;
  }
}
