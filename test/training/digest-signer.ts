// What KMS does for Sign with MessageType DIGEST and ECDSA_SHA_256: ECDSA on P-256 over the 32-byte digest it is given,
// without hashing again. Node's crypto.sign always hashes its input, so the test's KMS signs the digest itself: the
// point k·G comes from ECDH (whose public key for private key k is k·G), the rest is arithmetic modulo the group order.
// A signature made this way verifies as ECDSA-SHA256 over the original bytes, exactly like a KMS signature.
import * as crypto from 'crypto';

/** The order n of the P-256 group. */
const N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

export interface DigestSigner {
  readonly publicKey: crypto.KeyObject;
  /** The public key as PEM, as `aws kms get-public-key` would give it (converted). */
  readonly publicKeyPem: string;
  /** A DER-encoded ECDSA signature of a SHA-256 digest. */
  sign(digest: Uint8Array): Buffer;
}

/** A fresh P-256 key pair that signs digests the way KMS does. */
export function digestSigner(): DigestSigner {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const d = toBigInt(Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url'));
  return {
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign(digest: Uint8Array): Buffer {
      if (digest.length !== 32) throw new Error(`a SHA-256 digest has 32 bytes, got ${digest.length}`);
      const z = toBigInt(Buffer.from(digest));
      for (;;) {
        const k = toBigInt(crypto.randomBytes(32)) % N;
        if (k === 0n) continue;
        const ecdh = crypto.createECDH('prime256v1');
        ecdh.setPrivateKey(toBytes(k));
        const r = toBigInt(ecdh.getPublicKey().subarray(1, 33)) % N; // the x coordinate of k·G (uncompressed point 04|x|y)
        const s = (modPow(k, N - 2n, N) * ((z + r * d) % N)) % N;
        if (r !== 0n && s !== 0n) return der(r, s);
      }
    },
  };
}

function toBigInt(bytes: Buffer): bigint {
  return BigInt(`0x${bytes.toString('hex') || '0'}`);
}

function toBytes(n: bigint): Buffer {
  return Buffer.from(n.toString(16).padStart(64, '0'), 'hex');
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e /= 2n) {
    if (e % 2n === 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** SEQUENCE { INTEGER r, INTEGER s }, each integer minimal and positive. */
function der(r: bigint, s: bigint): Buffer {
  const integer = (n: bigint): Buffer => {
    let bytes = Buffer.from(n.toString(16).padStart(2, '0').replace(/^(.(..)*)$/, '0$1'), 'hex');
    while (bytes.length > 1 && bytes[0] === 0 && bytes[1] < 0x80) bytes = bytes.subarray(1);
    if (bytes[0] >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
  };
  const body = Buffer.concat([integer(r), integer(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}
