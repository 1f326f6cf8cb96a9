// ArtifactVerifier as a library call: usage errors, the model's files, and provenance expectations. The format itself
// is tested against the shared vectors (test/signing/vectors.test.ts).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ArtifactVerifier } from '../../src/registry/artifact-verifier';
import { IMAGE, registered, registryKey } from '../inference/gate-store';

let dir: string;
const model = registered(crypto.randomBytes(4096));
const files = () => ({
  modelPath: path.join(dir, 'model.tar.gz'),
  signaturePath: path.join(dir, 'model.tar.gz.sig'),
  publicKeyPath: path.join(dir, 'key.pem'),
});

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'artifact-verifier-'));
  fs.writeFileSync(path.join(dir, 'model.tar.gz'), model.bytes);
  fs.writeFileSync(path.join(dir, 'model.tar.gz.sig'), model.signature);
  fs.writeFileSync(path.join(dir, 'provenance.sig'), model.provenance);
  fs.writeFileSync(path.join(dir, 'key.pem'), registryKey.publicKey.export({ type: 'spki', format: 'pem' }));
  // What `aws kms get-public-key --query PublicKey --output text` prints: base64 DER.
  fs.writeFileSync(path.join(dir, 'key.b64'), registryKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
  fs.writeFileSync(path.join(dir, 'rsa.pem'), crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a signed single-file model, with the key as PEM or as the base64 KMS prints', () => {
  expect(ArtifactVerifier.verify(files())).toMatchObject({ valid: true, rootDigest: crypto.createHash('sha256').update(Buffer.from(model.digest, 'hex')).digest('hex') });
  expect(ArtifactVerifier.verify({ ...files(), publicKeyPath: path.join(dir, 'key.b64') }).valid).toBe(true);
});

test('the provenance is checked with the same key, and its facts can be expected', () => {
  const provenancePath = path.join(dir, 'provenance.sig');
  const result = ArtifactVerifier.verify({ ...files(), provenancePath, expectedArtifactUri: model.uri });
  expect(result).toMatchObject({ valid: true });
  expect(result.message).toContain(`with image ${IMAGE}, from s3://data/train.csv, and registered as ${model.uri}`);
  expect(ArtifactVerifier.verify({ ...files(), provenancePath, expectedBuilderId: 'arn:aws:states:eu-west-2:111111111111:stateMachine:other' }))
    .toMatchObject({ valid: false, failedCheck: 'expectation' });
});

test('usage errors: a missing model, a directory as the signature, an RSA key, an expectation without provenance', () => {
  expect(ArtifactVerifier.verify({ ...files(), modelPath: path.join(dir, 'absent') })).toMatchObject({ usageError: true, message: expect.stringContaining('ENOENT') });
  // A directory given as the signature says so (issue 14: it used to say "check that the file exists").
  expect(ArtifactVerifier.verify({ ...files(), signaturePath: dir })).toMatchObject({ usageError: true, message: expect.stringContaining('it is a directory, give the file') });
  expect(ArtifactVerifier.verify({ ...files(), publicKeyPath: path.join(dir, 'rsa.pem') })).toMatchObject({ usageError: true, message: expect.stringContaining('rsa') });
  expect(ArtifactVerifier.verify({ ...files(), expectedArtifactUri: model.uri })).toMatchObject({ usageError: true, message: expect.stringContaining('no provenance') });
});

test('a model directory may be given where a file was signed, and fails the digest check by name', () => {
  expect(ArtifactVerifier.verify({ ...files(), modelPath: dir })).toMatchObject({ valid: false, failedCheck: 'digest' });
});
