// Reading a verifier's public key, and the key hint the OpenSSF Model Signing format puts in a bundle. Pure Node.js.
import { createHash, createPublicKey, KeyObject } from 'crypto';

/** A PEM block of a SubjectPublicKeyInfo, wherever it sits in the file (some tools write a text preamble). */
const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/;
const BASE64_TEXT = /^[A-Za-z0-9+/\s]+={0,2}$/;

/** A public key that cannot be used: the message says why. */
export class PublicKeyError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'PublicKeyError';
  }
}

/**
 * Reads a public key given as PEM (with or without text around the block), DER, or the base64 DER that
 * `aws kms get-public-key --query PublicKey --output text` prints. Only elliptic-curve keys on P-256, P-384 and P-521
 * are accepted: those are the keys of the format's "key" method.
 * @param source names the key in error messages (a file name)
 */
export function readPublicKey(bytes: Buffer, source: string): KeyObject {
  const text = bytes.toString('utf8').trim();
  let key: KeyObject;
  try {
    const pem = PEM_BLOCK.exec(text);
    if (pem) key = createPublicKey(pem[0]);
    else if (BASE64_TEXT.test(text)) key = createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    else key = createPublicKey({ key: bytes, format: 'der', type: 'spki' });
  } catch {
    throw new PublicKeyError(`${source} is not a public key in PEM, DER or base64 DER (SubjectPublicKeyInfo) form`);
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || !['prime256v1', 'secp384r1', 'secp521r1'].includes(curve ?? '')) {
    throw new PublicKeyError(`${source} holds a ${key.asymmetricKeyType}${curve ? ` (${curve})` : ''} key, but model signatures `
      + 'are made with elliptic-curve keys (P-256, P-384 or P-521): pass the public key of the registry\'s signing key');
  }
  return key;
}

/**
 * The key hint of the format: the lowercase hex SHA-256 of the key's PEM text exactly as OpenSSL writes it (64-character
 * lines, a final newline), recomputed from the key rather than from a file's bytes.
 */
export function keyHint(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'pem' }).toString()).digest('hex');
}
