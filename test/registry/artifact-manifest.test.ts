import * as crypto from 'crypto';
import * as fc from 'fast-check';
import { manifestFor } from './signed-artifact';
import { ArtifactManifests } from '../../src/registry/artifact-manifest';
import { MalformedManifestError } from '../../src/registry/malformed-manifest-error';

const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const manifest = manifestFor(Buffer.from('model weights'), privateKey);

test('a rendered manifest parses back to itself', () => {
  expect(ArtifactManifests.parse(ArtifactManifests.render(manifest))).toEqual(manifest);
});

test('the manifest lives beside its artifact', () => {
  expect(ArtifactManifests.locationOf('s3://b/k/model.tar.gz')).toBe('s3://b/k/model.tar.gz.manifest.json');
});

test.each([
  ['not JSON', '{', /not JSON/],
  ['not an object', '[]', /not a JSON object/],
  ['another version', { ...manifest, manifestVersion: 2 }, /`manifestVersion` is 2, expected 1/],
  ['no digest', { ...manifest, digest: undefined }, /`digest` is missing/],
  ['an uppercase digest', { ...manifest, digest: 'A'.repeat(64) }, /`digest` is "A+", expected 64 lowercase/],
  ['another digest algorithm', { ...manifest, digestAlgorithm: 'MD5' }, /`digestAlgorithm` is "MD5", expected SHA-256/],
  ['another signing algorithm', { ...manifest, signingAlgorithm: 'RSASSA_PSS_SHA_256' }, /`signingAlgorithm`/],
  ['a signature that is not base64', { ...manifest, signature: 'not base64!' }, /`signature`/],
  ['a key that is not a KMS key ARN', { ...manifest, keyArn: 'alias/signing' }, /`keyArn` is "alias\/signing", expected a KMS key ARN/],
  ['an artifact that is not in S3', { ...manifest, artifactUri: 'https://example.com/model.tar.gz' }, /`artifactUri`/],
  ['no training data list', { ...manifest, trainingData: 'none' }, /`trainingData` is missing or not a list/],
  ['a training input without digest', { ...manifest, trainingData: [{ uri: 's3://b/k' }] }, /`trainingData\[0\]` needs/],
  ['a time that is not ISO 8601', { ...manifest, createdAt: 'yesterday' }, /`createdAt`/],
])('rejects %s, naming the field', (_name, value, message) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  expect(() => ArtifactManifests.parse(text)).toThrow(MalformedManifestError);
  expect(() => ArtifactManifests.parse(text)).toThrow(message);
});

test('never throws anything but MalformedManifestError on arbitrary JSON', () => {
  fc.assert(fc.property(fc.jsonValue(), (value) => {
    try {
      ArtifactManifests.parse(JSON.stringify(value));
    } catch (e) {
      return e instanceof MalformedManifestError;
    }
    return true;
  }), { numRuns: 300 });
});
