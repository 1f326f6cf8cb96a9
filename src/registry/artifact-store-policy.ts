// The bucket policy that makes a registry's artifact store append-only for the principals the registry names, and
// closed to everyone else: what keeps the bytes an endpoint serves the bytes that were signed. Internal.
import { Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { assertSameStack, principalArnsOf } from './resource-policy-principals';
import { keyAdministratorArns } from '../storage/key-administration';

/**
 * The artifact store's denies, each for every principal of every account (the root included, where S3 honours it):
 * - `WritesOnlyByNamedWriters`: `s3:PutObject` only by the principals given `grantPublish` or a training pipeline's
 *   output, each only under its own key pattern (`<Writer>OnlyUnderItsPrefix`).
 * - `NoOverwrites`: every object-creating request must carry `If-None-Match` (`s3:if-none-match`), so that no object is
 *   ever replaced; the parts of a multipart upload are exempt (`s3:ObjectCreationOperation`), and so is SageMaker
 *   uploading a training job's output with the pipeline's training role, which it cannot make conditional (that role
 *   writes only under its pipeline's `training/` prefix, which is never deployed: the signing step copies what it
 *   signed to `verified/`).
 * - `NoDeletes`: no delete marker and no version deletion, so that a key can never be emptied and written again.
 * - `OnlyTheArtifactKey`, `OnlyKmsEncryption`, `KmsEncryptionNamesTheKey`: objects are encrypted with the store's key
 *   only: a request naming encryption must name SSE-KMS with that key; one naming none gets the bucket's default, that key.
 * - `BucketPolicyOnlyByAdministrator`: only the key administrators (the deploying role, and the one named) replace or deletes this policy.
 */
export class ArtifactStorePolicy {
  private readonly writers: string[] = [];
  private readonly trainingWriters: string[] = [];
  private writerCount = 0;

  public constructor(private readonly scope: Construct, private readonly bucket: s3.IBucket, key: kms.IKey) {
    const stack = Stack.of(scope);
    // With no writer yet the list still needs an entry: an ARN no principal can have.
    const nobody = stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: 'cdk-secure-ai/no-writer' });
    const objects = bucket.arnForObjects('*');
    const deny = (sid: string, actions: string[], conditions?: Record<string, unknown>, resources = [objects]) => bucket.addToResourcePolicy(
      new iam.PolicyStatement({ sid, effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions, resources, conditions }));
    deny('WritesOnlyByNamedWriters', ['s3:PutObject'],
      { ArnNotEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => (this.writers.length > 0 ? this.writers : [nobody]) }) } });
    deny('NoOverwrites', ['s3:PutObject'], {
      Null: { 's3:if-none-match': 'true' },
      Bool: { 's3:ObjectCreationOperation': 'true' },
      ArnNotEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => (this.trainingWriters.length > 0 ? this.trainingWriters : [nobody]) }) },
    });
    deny('NoDeletes', ['s3:DeleteObject', 's3:DeleteObjectVersion']);
    // Each encryption deny needs its header in the request: a missing header would otherwise match (IfExists or not),
    // and deny the requests that send none (UploadPart, a CopyObject relying on the bucket's default key).
    const sse = 's3:x-amz-server-side-encryption';
    const sseKey = 's3:x-amz-server-side-encryption-aws-kms-key-id';
    deny('OnlyTheArtifactKey', ['s3:PutObject'], { StringNotEquals: { [sseKey]: key.keyArn }, Null: { [sseKey]: 'false' } });
    deny('OnlyKmsEncryption', ['s3:PutObject'], { StringNotEquals: { [sse]: 'aws:kms' }, Null: { [sse]: 'false' } });
    // SSE-KMS that names no key is encrypted with the AWS managed key aws/s3, not the bucket's default.
    deny('KmsEncryptionNamesTheKey', ['s3:PutObject'], { StringEquals: { [sse]: 'aws:kms' }, Null: { [sseKey]: 'true' } });
    deny('BucketPolicyOnlyByAdministrator', ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
      { ArnNotEquals: { 'aws:PrincipalArn': keyAdministratorArns(scope) } }, [bucket.bucketArn]);
  }

  /**
   * Names a writer: its principal may create objects matching `objectsKeyPattern` and nothing else of the store.
   * @param training whether SageMaker writes with it (a training job's output), which cannot send `If-None-Match`
   */
  public addWriter(owner: string, grantee: iam.IGrantable, objectsKeyPattern: string, training: boolean): void {
    assertSameStack(owner, this.scope, grantee);
    const arns = principalArnsOf(owner, 's3:PutObject on the artifact store', grantee);
    this.writers.push(...arns);
    if (training) this.trainingWriters.push(...arns);
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: `Writer${++this.writerCount}OnlyUnderItsPrefix`,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      notResources: [this.bucket.arnForObjects(objectsKeyPattern)],
      conditions: { ArnEquals: { 'aws:PrincipalArn': arns } },
    }));
  }
}
