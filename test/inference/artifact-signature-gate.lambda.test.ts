import * as crypto from 'crypto';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, GetObjectCommandInput, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, DescribeModelPackageCommandOutput, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { BUCKET, IMAGE, KEY_ARN, attackerKey, body, registered, registryKey, signedBundle } from './gate-store';
import { handler } from '../../src/inference/artifact-signature-gate.lambda';
import { ModelPackageMetadata } from '../../src/registry/model-package-metadata';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const sagemaker = mockClient(SageMakerClient);

const GROUP_ARN = 'arn:aws:sagemaker:eu-west-2:111111111111:model-package-group/fraud';
const PACKAGE_ARN = 'arn:aws:sagemaker:eu-west-2:111111111111:model-package/fraud/3';
const model = registered(crypto.randomBytes(256 * 1024 + 11));
const older = registered(crypto.randomBytes(1000), 'fraud-0');

/** The objects of the store, by key (current version only: the store never overwrites). */
let objects: Record<string, Buffer>;

function event(properties: Record<string, string>, type: 'Create' | 'Update' | 'Delete' = 'Create'): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:eu-west-2:111111111111:function:framework',
    ResponseURL: 'https://example.invalid/response',
    StackId: 'arn:aws:cloudformation:eu-west-2:111111111111:stack/Ai/1',
    RequestId: 'request-1',
    LogicalResourceId: 'Gate',
    ResourceType: 'Custom::ArtifactSignatureGate',
    ResourceProperties: { ServiceToken: 'x', ArtifactBucket: BUCKET, SigningKeyArn: KEY_ARN, ...properties },
  };
  if (type === 'Create') return { ...common, RequestType: 'Create' };
  if (type === 'Update') return { ...common, RequestType: 'Update', PhysicalResourceId: 'old', OldResourceProperties: common.ResourceProperties };
  return { ...common, RequestType: 'Delete', PhysicalResourceId: 'old' };
}

const byKey = (key: string) => event({ ArtifactKey: key });
const byPackage = () => event({ ModelPackageArn: PACKAGE_ARN, ModelPackageGroupArn: GROUP_ARN, ImageUri: IMAGE });

function approvedPackage(
  overrides: Partial<DescribeModelPackageCommandOutput> = {}, metadata: Record<string, string> = {},
): DescribeModelPackageCommandOutput {
  return {
    $metadata: {},
    ModelPackageArn: PACKAGE_ARN,
    ModelPackageGroupName: 'fraud',
    ModelPackageName: 'fraud',
    ModelApprovalStatus: 'Approved',
    InferenceSpecification: { Containers: [{ Image: IMAGE, ModelDataUrl: model.uri }], SupportedContentTypes: [], SupportedResponseMIMETypes: [] },
    CustomerMetadataProperties: {
      [ModelPackageMetadata.ARTIFACT_DIGEST]: model.digest,
      [ModelPackageMetadata.SIGNATURE_URI]: `${model.uri}.sig`,
      [ModelPackageMetadata.PROVENANCE_URI]: `s3://${BUCKET}/${model.provenanceKey}`,
      ...metadata,
    },
    ...overrides,
  } as DescribeModelPackageCommandOutput;
}

beforeEach(() => {
  for (const client of [s3, kms, sagemaker]) client.reset();
  objects = {};
  for (const m of [model, older]) {
    objects[m.key] = m.bytes;
    objects[`${m.key}.sig`] = Buffer.from(m.signature);
    objects[m.provenanceKey] = Buffer.from(m.provenance);
  }
  s3.on(GetObjectCommand).callsFake(async (input: GetObjectCommandInput) => {
    const bytes = objects[input.Key!];
    if (!bytes) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
    return { Body: body(bytes), VersionId: 'v-1' };
  });
  kms.on(GetPublicKeyCommand).resolves({ KeyId: KEY_ARN, PublicKey: registryKey.publicKey.export({ type: 'spki', format: 'der' }) });
  sagemaker.on(DescribeModelPackageCommand).resolves(approvedPackage());
});

describe('a registered artifact by key', () => {
  test('is accepted when its signature verifies with the registry key and its bytes have the signed digest', async () => {
    await expect(handler(byKey(model.key))).resolves.toEqual({
      PhysicalResourceId: `${model.uri}#sha256:${model.digest}`,
      Data: { Digest: model.digest, VersionId: 'v-1', ArtifactKey: model.key, SigningKeyArn: KEY_ARN },
    });
    await expect(handler(event({ ArtifactKey: model.key }, 'Update'))).resolves.toMatchObject({ Data: { Digest: model.digest } });
    await expect(handler(event({ ArtifactKey: model.key }, 'Delete'))).resolves.toEqual({ PhysicalResourceId: 'old' });
  });

  test('attack: bytes swapped after the gate (another model at the deployed key) are refused by digest', async () => {
    objects[model.key] = older.bytes;
    await expect(handler(byKey(model.key))).rejects.toThrow(/its SHA-256 is [0-9a-f]{64}, not the signed [0-9a-f]{64}: the bytes were replaced after signing/);
  });

  test('attack: replay of an older signed model with its signature copied beside the deployed key is refused', async () => {
    objects[`${model.key}.sig`] = Buffer.from(older.signature);
    await expect(handler(byKey(model.key))).rejects.toThrow(`its signature signs ${older.digest}, not the digest ${model.digest}`);
  });

  test('a signature by another key, a missing signature, and a key outside verified/ are refused', async () => {
    const payload = Buffer.from(JSON.parse(model.signature).dsseEnvelope.payload, 'base64').toString();
    objects[`${model.key}.sig`] = Buffer.from(signedBundle(payload, attackerKey));
    await expect(handler(byKey(model.key))).rejects.toThrow(/key check failed/);
    delete objects[`${model.key}.sig`];
    await expect(handler(byKey(model.key))).rejects.toThrow(/does not exist, so it was never signed/);
    await expect(handler(byKey('training/fraud/job/output/model.tar.gz'))).rejects.toThrow(/is not a registered copy/);
  });
});

describe('a model package', () => {
  test('is accepted when approved, of the registry\'s group, and bound to its signed artifact and provenance', async () => {
    await expect(handler(byPackage())).resolves.toEqual({
      PhysicalResourceId: `${PACKAGE_ARN}#sha256:${model.digest}`,
      Data: { Digest: model.digest, VersionId: 'v-1', SigningKeyArn: KEY_ARN, ModelPackageArn: PACKAGE_ARN, ArtifactKey: model.key },
    });
  });

  test('attack: a package repointed to another signed artifact after approval is refused', async () => {
    sagemaker.on(DescribeModelPackageCommand).resolves(approvedPackage({
      InferenceSpecification: { Containers: [{ Image: IMAGE, ModelDataUrl: older.uri }] },
    }));
    await expect(handler(byPackage())).rejects.toThrow(/its artifact \(ModelDataUrl\) is .* but its signed metadata names .*repointed after registration/);
  });

  test('attack: an approved package of a same-named group in another account (or Region) is refused', async () => {
    for (const arn of [PACKAGE_ARN.replace('111111111111', '999999999999'), PACKAGE_ARN.replace('eu-west-2', 'us-east-1')]) {
      sagemaker.on(DescribeModelPackageCommand).resolves(approvedPackage({ ModelPackageArn: arn }));
      await expect(handler(byPackage())).rejects.toThrow(/not of the registry's group fraud in aws:eu-west-2:111111111111/);
    }
  });

  test('attack: provenance that names another artifact, or that was altered after signing, is refused', async () => {
    objects[model.provenanceKey] = Buffer.from(older.provenance);
    await expect(handler(byPackage())).rejects.toThrow(/its signed provenance says the model registers .* and has SHA-256/);
    const altered = JSON.parse(model.provenance);
    altered.dsseEnvelope.payload = Buffer.from(Buffer.from(altered.dsseEnvelope.payload, 'base64').toString().replace('fraud-1', 'fraud-9')).toString('base64');
    objects[model.provenanceKey] = Buffer.from(JSON.stringify(altered));
    await expect(handler(byPackage())).rejects.toThrow(/provenance check failed/);
  });

  test('a package not approved, with another image, or without signed metadata is refused', async () => {
    sagemaker.on(DescribeModelPackageCommand).resolves(approvedPackage({ ModelApprovalStatus: 'PendingManualApproval' }));
    await expect(handler(byPackage())).rejects.toThrow(/not Approved/);
    sagemaker.on(DescribeModelPackageCommand).resolves(approvedPackage({ InferenceSpecification: { Containers: [{ Image: `${IMAGE}x`, ModelDataUrl: model.uri }] } }));
    await expect(handler(byPackage())).rejects.toThrow(/not the image this deployment pulls/);
    sagemaker.on(DescribeModelPackageCommand).resolves(approvedPackage({}, { [ModelPackageMetadata.PROVENANCE_URI]: '' }));
    await expect(handler(byPackage())).rejects.toThrow(/has no cdk-secure-ai:provenance/);
  });
});
