// A registry as the deploy-time gate reads it: a registered copy (verified/<sha256>/model.tar.gz) with its OMS bundle
// and its provenance, signed with a real P-256 key standing in for the registry's KMS key, and fake S3, KMS and
// SageMaker clients serving them.
import * as crypto from 'crypto';
import { Readable } from 'stream';
import { preAuthEncoding } from '../../src/signing/dsse-envelope';
import { renderModelStatement } from '../../src/signing/model-signature';
import { keyHint } from '../../src/signing/public-key';
import { renderBundle } from '../../src/signing/sigstore-bundle';
import { renderTrainingProvenance, TrainingProvenance } from '../../src/signing/training-provenance';

export const BUCKET = 'registry-artifacts';
export const KEY_ARN = 'arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const IMAGE = '111111111111.dkr.ecr.eu-west-2.amazonaws.com/fraud:v1';

export const registryKey = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
export const attackerKey = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

/** A bundle of `payload` signed with `privateKey` (hint of `publicKey`). */
export function signedBundle(payload: string, pair: { privateKey: crypto.KeyObject; publicKey: crypto.KeyObject } = registryKey): string {
  const signature = crypto.sign('sha256', preAuthEncoding(Buffer.from(payload)), { key: pair.privateKey, dsaEncoding: 'der' });
  return renderBundle({ payload: Buffer.from(payload), payloadType: 'application/vnd.in-toto+json', signature, hint: keyHint(pair.publicKey) });
}

export interface Registered {
  readonly bytes: Buffer;
  readonly digest: string;
  readonly key: string;
  readonly uri: string;
  readonly signature: string;
  readonly provenanceKey: string;
  readonly provenance: string;
}

/** A model as the signing step registers it. */
export function registered(bytes: Buffer, job = 'fraud-1', provenance: Partial<TrainingProvenance> = {}): Registered {
  const digest = crypto.createHash('sha256').update(bytes).digest('hex');
  const key = `verified/${digest}/model.tar.gz`;
  const uri = `s3://${BUCKET}/${key}`;
  const statement = renderTrainingProvenance({
    artifact: { uri, sha256: digest },
    trainingOutput: { uri: `s3://${BUCKET}/training/fraud/${job}/output/model.tar.gz`, versionId: 'v1', sha256: digest },
    builderId: 'arn:aws:states:eu-west-2:111111111111:stateMachine:fraud',
    executionArn: 'arn:aws:states:eu-west-2:111111111111:execution:fraud:run-1',
    trainingJobArn: `arn:aws:sagemaker:eu-west-2:111111111111:training-job/${job}`,
    settings: {
      roleArn: 'arn:aws:iam::111111111111:role/training',
      imageUri: IMAGE,
      networkIsolation: true,
      interContainerEncryption: true,
      subnets: ['subnet-1'],
      securityGroups: ['sg-1'],
      outputPath: `s3://${BUCKET}/training/fraud`,
      instanceType: 'ml.m5.xlarge',
      instanceCount: 1,
      maxRuntimeInSeconds: 3600,
      hyperparameters: {},
    },
    inputs: [{ channelName: 'train', uri: 's3://data/train.csv', versionId: 'd1', sha256: 'a'.repeat(64), measured: true }],
    ...provenance,
  });
  return {
    bytes,
    digest,
    key,
    uri,
    signature: signedBundle(renderModelStatement('model.tar.gz', [{ name: '.', algorithm: 'sha256', digest }])),
    provenanceKey: `verified/${digest}/provenance/${job}.sig`,
    provenance: signedBundle(statement),
  };
}

/** A response body as the SDK returns it: an async-iterable stream that can also be read as text. */
export function body(bytes: Buffer): Readable & { transformToString(encoding?: BufferEncoding): Promise<string> } {
  const stream = Readable.from([bytes]) as Readable & { transformToString(encoding?: BufferEncoding): Promise<string> };
  stream.transformToString = async (encoding: BufferEncoding = 'utf-8') => bytes.toString(encoding);
  return stream;
}
