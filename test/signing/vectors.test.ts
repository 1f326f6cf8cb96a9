// `cdk-secure-ai verify` over every case of the OpenSSF Model Signing v1.0 test vectors (test/fixtures/
// model-signing-vectors, checked there with the reference implementation): each valid case exits 0, and each invalid
// one exits 1 naming the check its README gives as the reason.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/program';
import { preAuthEncoding, preAuthEncodingDigest } from '../../src/signing/dsse-envelope';
import { keyHint, readPublicKey } from '../../src/signing/public-key';

const VECTORS = path.join(__dirname, '..', 'fixtures', 'model-signing-vectors');

interface VectorCase {
  readonly id: string;
  readonly bundle: string;
  readonly model: string;
  readonly public_key: string;
  readonly verifier_ignore_paths?: string[];
  readonly ignore_unsigned_files?: boolean;
  readonly expect: 'valid' | 'invalid';
  readonly reason?: string;
}

const cases: VectorCase[] = JSON.parse(fs.readFileSync(path.join(VECTORS, 'expected.json'), 'utf8')).cases;

/** The check each invalid case must fail, from the reason the vectors' README gives. */
const FAILED_CHECK: Record<string, string> = {
  'neg-tampered-file': 'digest', // weights.bin digest mismatch
  'neg-tampered-file-reference': 'digest',
  'neg-wrong-public-key': 'key', // hint mismatch
  'neg-wrong-signing-key': 'signature',
  'neg-modified-payload': 'signature',
  'neg-root-digest': 'payload', // subject digest != resources
  'neg-extra-file': 'digest', // unsigned notes.txt
  'upstream-spec-wrong-predicate': 'signature', // payload altered without re-signing
};

function verify(c: VectorCase): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const at = (p: string) => path.join(VECTORS, p);
  const argv = ['verify', '--model', at(c.model), '--signature', at(c.bundle), '--public-key', at(c.public_key)];
  for (const ignore of c.verifier_ignore_paths ?? []) argv.push('--ignore-path', ignore);
  if (c.ignore_unsigned_files) argv.push('--ignore-unsigned-files');
  const code = run(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

test('the vectors hold all 17 cases, and every invalid one has its expected check', () => {
  expect(cases).toHaveLength(17);
  expect(cases.filter((c) => c.expect === 'invalid').map((c) => c.id).sort()).toEqual(Object.keys(FAILED_CHECK).sort());
});

describe.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
  test(`is ${c.expect}`, () => {
    const { code, out, err } = verify(c);
    if (c.expect === 'valid') {
      expect({ code, err }).toEqual({ code: 0, err: '' });
      expect(out).toMatch(/^valid: .* is signed by the key given\.\n$/);
    } else {
      expect({ code, out }).toEqual({ code: 1, out: '' });
      expect(err).toMatch(new RegExp(`^cdk-secure-ai: invalid: ${FAILED_CHECK[c.id]} check failed: [^\\n]+\\.\\n$`));
    }
  });
});

test('the PAE, its SHA-256 (what KMS signs as a DIGEST) and the key hint match the intermediates of the vectors', () => {
  const im = JSON.parse(fs.readFileSync(path.join(VECTORS, 'generated', 'intermediates.json'), 'utf8'));
  const payload = Buffer.from(im.payload_utf8, 'utf8');
  const pae = preAuthEncoding(payload);
  expect(pae.subarray(0, im.pae_prefix.length).toString()).toBe(im.pae_prefix);
  expect(pae.length).toBe(im.pae_length);
  expect(preAuthEncodingDigest(payload).toString('hex')).toBe(im.pae_sha256);
  const key = readPublicKey(fs.readFileSync(path.join(VECTORS, 'keys', 'p256-public.pem')), 'p256-public.pem');
  expect(keyHint(key)).toBe(im.hint);
  // The generated signature is over sha256(PAE) only, and verifies as ECDSA-SHA256 over the PAE.
  expect(crypto.verify('sha256', pae, { key, dsaEncoding: 'der' }, Buffer.from(im.signature_der_hex, 'hex'))).toBe(true);
});
