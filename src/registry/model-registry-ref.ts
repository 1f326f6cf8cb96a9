import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

/**
 * What a consumer of a model registry (an `InferenceEndpoint`, its signature gate) needs: the model package group, the
 * artifact store and its key, and the signing key. `ModelRegistry` implements it; a registry of another account or
 * stack is described with `ModelRegistry.fromModelRegistryAttributes`, so that nothing references it across stacks.
 */
export interface IModelRegistry extends IConstruct {
  /** The name of the model package group. */
  readonly modelPackageGroupName: string;
  /** The ARN of the model package group. */
  readonly modelPackageGroupArn: string;
  /** The ARN pattern of the group's versioned model packages (`arn:...:model-package/<group>/*`). */
  readonly modelPackageArnPattern: string;
  /** The object-locked store of signed model artifacts and their manifests. */
  readonly artifactBucket: s3.IBucket;
  /** The key that encrypts the artifact store. */
  readonly artifactKey: kms.IKey;
  /** The asymmetric key (ECC_NIST_P256, SIGN_VERIFY) whose signatures the artifacts carry. */
  readonly signingKey: kms.IKey;

  /**
   * Describe and list the group's packages, read every artifact and manifest (S3 and decrypt), verify signatures.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Read the given objects of the artifact store: `s3:GetObject` on each key (or key pattern) and `kms:Decrypt` of
   * the artifact key, for S3 to decrypt them. Narrower than `grantRead`: one model, not every model of the registry.
   */
  grantReadArtifacts(grantee: iam.IGrantable, objectKeys: string[]): iam.Grant;

  /** `kms:Verify` and `kms:GetPublicKey` on the signing key: the principal may check signatures, never sign. */
  grantVerify(grantee: iam.IGrantable): iam.Grant;
}

/**
 * A `ModelRegistry` of another account or stack, by the literal ARNs and name its owner publishes (the outputs of that
 * stack). The owning registry must name the consuming account in `readerAccounts`, which grants it read and verify on
 * its side; `fromModelRegistryAttributes` grants only in the consumer's principal policies.
 */
export interface ModelRegistryAttributes {
  /**
   * The ARN of the model package group: `arn:<partition>:sagemaker:<region>:<account>:model-package-group/<name>`. The
   * registry's account, Region and group name are read from it.
   */
  readonly modelPackageGroupArn: string;
  /** The name of the artifact store bucket. */
  readonly artifactBucketName: string;
  /** The ARN of the KMS key that encrypts the artifact store (`arn:...:kms:<region>:<account>:key/<id>`), in the registry's account and Region. */
  readonly artifactKeyArn: string;
  /** The ARN of the signing key (`arn:...:kms:<region>:<account>:key/<id>`), in the registry's account and Region. */
  readonly signingKeyArn: string;
}
