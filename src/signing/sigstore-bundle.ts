// The Sigstore bundle v0.3 that carries a DSSE envelope signed with a key (no certificate, no transparency log), as the
// OpenSSF Model Signing format's "key" method writes and reads it. Parsing and validation are @sigstore/bundle's.
// Pure Node.js: the Lambda handlers bundle this file.
import { BUNDLE_V03_MEDIA_TYPE, bundleFromJSON, SerializedBundle } from '@sigstore/bundle';

/** What a bundle carries: the signed payload, its type, the signature and the signing key's hint. */
export interface SignedEnvelope {
  readonly payload: Buffer;
  readonly payloadType: string;
  /** The DER-encoded signature (`signatures[0]`, the only one checked). */
  readonly signature: Buffer;
  /** The key hint, when the bundle has one (bundles of model_signing before 1.1.0 carry the raw key instead). */
  readonly hint?: string;
}

/** A bundle that cannot be read: the message says what is wrong. */
export class BundleError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

/**
 * The bundle as the reference implementation writes it: compact JSON, `tlogEntries` empty, `keyid` empty. It is parsed
 * back with @sigstore/bundle before it is returned, so that nothing is written that Sigstore's parser refuses.
 */
export function renderBundle(envelope: SignedEnvelope): string {
  // Written in the reference's field order; absent members (undefined) are not serialized.
  const bundle: SerializedBundle = {
    mediaType: BUNDLE_V03_MEDIA_TYPE,
    verificationMaterial: {
      publicKey: { hint: envelope.hint ?? '' }, x509CertificateChain: undefined, certificate: undefined, tlogEntries: [], timestampVerificationData: undefined,
    },
    dsseEnvelope: {
      payload: envelope.payload.toString('base64'),
      payloadType: envelope.payloadType,
      signatures: [{ sig: envelope.signature.toString('base64'), keyid: '' }],
    },
    messageSignature: undefined,
  };
  const text = JSON.stringify(bundle);
  parseBundle(text);
  return text;
}

/** Reads a bundle of a DSSE envelope signed by a key. Throws a `BundleError` naming what is wrong. */
export function parseBundle(text: string): SignedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BundleError(`it is not JSON (${(e as Error).message})`);
  }
  const mediaType = (json as { mediaType?: unknown } | null)?.mediaType;
  if (mediaType !== BUNDLE_V03_MEDIA_TYPE) {
    throw new BundleError(`its mediaType is ${JSON.stringify(mediaType)}, not ${BUNDLE_V03_MEDIA_TYPE}`);
  }
  let bundle: ReturnType<typeof bundleFromJSON>;
  try {
    bundle = bundleFromJSON(json);
  } catch (e) {
    throw new BundleError(`it is not a valid Sigstore bundle (${(e as Error).message})`);
  }
  if (bundle.content.$case !== 'dsseEnvelope') throw new BundleError('it holds a message signature, not a DSSE envelope');
  const material = bundle.verificationMaterial.content;
  if (material?.$case !== 'publicKey') {
    throw new BundleError(`it is verified by ${material?.$case ?? 'nothing'}, not by a public key (the "key" signing method)`);
  }
  const envelope = bundle.content.dsseEnvelope;
  const first = envelope.signatures[0];
  if (first === undefined || first.sig.length === 0) throw new BundleError('its envelope has no signature');
  return {
    payload: envelope.payload,
    payloadType: envelope.payloadType,
    signature: first.sig,
    hint: material.publicKey.hint || undefined,
  };
}
