// DSSE (Dead Simple Signing Envelope) signing and verification with an ECDSA key, as the OpenSSF Model Signing format
// and in-toto use it: the signature covers the pre-authentication encoding (PAE) of the payload type and the payload
// bytes exactly as they are. Pure Node.js: the Lambda handlers bundle this file.
import { createHash, KeyObject, verify } from 'crypto';
import { dsse } from '@sigstore/core';

/** The payload type of an in-toto Statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** The hash ECDSA uses with each curve: fixed by the curve, never chosen by the signer. */
const CURVE_HASHES: Record<string, string> = { prime256v1: 'sha256', secp384r1: 'sha384', secp521r1: 'sha512' };

/** The PAE of a payload: `DSSEv1 <len(type)> <type> <len(payload)> <payload>`. */
export function preAuthEncoding(payload: Buffer, payloadType: string = IN_TOTO_PAYLOAD_TYPE): Buffer {
  return dsse.preAuthEncoding(payloadType, payload);
}

/**
 * The SHA-256 of the PAE: what a KMS `ECC_NIST_P256` key signs with `MessageType: DIGEST` (KMS accepts at most 4,096
 * bytes of raw message, and the PAE grows with the statement).
 */
export function preAuthEncodingDigest(payload: Buffer, payloadType: string = IN_TOTO_PAYLOAD_TYPE): Buffer {
  return createHash('sha256').update(preAuthEncoding(payload, payloadType)).digest();
}

/** The hash that goes with an elliptic-curve public key's curve, or undefined for any other key. */
export function hashForKey(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType !== 'ec') return undefined;
  return CURVE_HASHES[key.asymmetricKeyDetails?.namedCurve ?? ''];
}

/** Whether a DER-encoded ECDSA signature verifies over the PAE of the payload with the key, hashed as its curve requires. */
export function verifyEnvelopeSignature(payload: Buffer, payloadType: string, signature: Buffer, key: KeyObject): boolean {
  const hash = hashForKey(key);
  if (hash === undefined) return false;
  try {
    return verify(hash, preAuthEncoding(payload, payloadType), { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
