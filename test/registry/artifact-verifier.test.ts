import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { removeSignedArtifacts, SignedArtifact, writeSignedArtifact } from './signed-artifact';
import { ArtifactManifests } from '../../src/registry/artifact-manifest';
import { ArtifactVerifier } from '../../src/registry/artifact-verifier';

afterAll(removeSignedArtifacts);
const signed = writeSignedArtifact;

function verify(a: SignedArtifact, overrides: Partial<{ artifactPath: string; manifestPath: string; publicKeyPath: string }> = {}) {
  return ArtifactVerifier.verifyFiles({ artifactPath: a.artifactPath, manifestPath: a.manifestPath, publicKeyPath: a.publicKeyPath, ...overrides });
}

test('a signed artifact verifies, across chunk boundaries', () => {
  const a = signed();
  expect(verify(a)).toEqual({ valid: true, digest: a.manifest.digest, message: expect.stringContaining(`is signed by ${a.manifest.keyArn}`) });
});

test('an empty artifact verifies', () => {
  expect(verify(signed(Buffer.alloc(0))).valid).toBe(true);
});

test('a tampered artifact is rejected: one flipped byte anywhere', () => {
  const a = signed();
  const bytes = fs.readFileSync(a.artifactPath);
  for (const at of [0, 1024 * 1024, bytes.length - 1]) {
    const copy = Buffer.from(bytes);
    copy[at] = 255 - copy[at];
    const file = path.join(a.dir, `tampered-${at}`);
    fs.writeFileSync(file, copy);
    const result = verify(a, { artifactPath: file });
    expect(result.valid).toBe(false);
    expect(result.message).toMatch(/but its manifest records .*modified after signing/);
  }
});

test('a manifest whose digest was rewritten to match a tampered artifact fails on the signature', () => {
  const a = signed();
  const forged = Buffer.from('other weights');
  fs.writeFileSync(a.artifactPath, forged);
  fs.writeFileSync(a.manifestPath, ArtifactManifests.render({ ...a.manifest, digest: crypto.createHash('sha256').update(forged).digest('hex') }));
  expect(verify(a)).toMatchObject({ valid: false, message: expect.stringMatching(/signature .* does not verify .*or the manifest was forged/) });
});

test('the wrong public key is rejected', () => {
  const a = signed();
  const other = signed(Buffer.from('x'));
  expect(verify(a, { publicKeyPath: other.publicKeyPath })).toMatchObject({ valid: false, message: expect.stringMatching(/not that of the signing key/) });
});

test('the public key may be DER or the base64 DER that aws kms get-public-key prints', () => {
  const a = signed();
  const der = a.publicKey.export({ type: 'spki', format: 'der' });
  const derFile = path.join(a.dir, 'key.der');
  const base64File = path.join(a.dir, 'key.b64');
  fs.writeFileSync(derFile, der);
  fs.writeFileSync(base64File, `${der.toString('base64')}\n`);
  expect(verify(a, { publicKeyPath: derFile }).valid).toBe(true);
  expect(verify(a, { publicKeyPath: base64File }).valid).toBe(true);
});

test('a key of another type is rejected, saying what the registry signs with', () => {
  const a = signed();
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  const file = path.join(a.dir, 'rsa.pem');
  fs.writeFileSync(file, rsa.export({ type: 'spki', format: 'pem' }));
  expect(verify(a, { publicKeyPath: file })).toMatchObject({ valid: false, message: expect.stringMatching(/holds a rsa key, but model registries sign with ECC_NIST_P256/) });
  const garbage = path.join(a.dir, 'garbage');
  fs.writeFileSync(garbage, 'not a key at all');
  expect(verify(a, { publicKeyPath: garbage }).message).toMatch(/is not a public key in PEM, DER or base64 DER/);
});

test('a malformed manifest is rejected, naming the field', () => {
  const a = signed();
  fs.writeFileSync(a.manifestPath, JSON.stringify({ ...a.manifest, signature: undefined }));
  expect(verify(a)).toMatchObject({ valid: false, message: expect.stringMatching(/malformed artifact manifest: `signature` is missing/) });
});

test('a missing file is an invalid verification naming it, not a crash', () => {
  const a = signed();
  const missing = path.join(a.dir, 'missing.tar.gz');
  expect(verify(a, { artifactPath: missing })).toMatchObject({ valid: false, message: expect.stringContaining(`cannot read ${missing} (ENOENT)`) });
});
