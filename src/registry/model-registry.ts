import { Names, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { ArtifactSigningKey } from './artifact-signing-key';
import { ModelPackageAuditLog } from './model-package-audit-log';
import type { AiEnvironment } from '../environment/ai-environment';
import { EnvironmentStage } from '../environment/environment-stage';
import { DataClassification } from '../storage/data-classification';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../storage/environment-key';
import { ObjectLockMode } from '../storage/object-lock';
import { SecureBucket } from '../storage/secure-bucket';
import { assertSameEnvironment } from '../storage/stage-segregation';

/** Properties of a {@link ModelRegistry}. */
export interface ModelRegistryProps {
  /** The environment whose keys, tags and boundary the registry uses. */
  readonly environment: AiEnvironment;
  /**
   * The name of the model package group: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.
   * @default - derived from the construct path
   */
  readonly modelPackageGroupName?: string;
  /**
   * A description of the model package group, at most 1024 characters.
   * @default - none
   */
  readonly description?: string;
  /**
   * Object lock retention (compliance mode) of the artifact store, in days: a whole number between 1 and 36500. No
   * one, the root user included, can delete or overwrite an artifact version or its manifest during this period.
   * @default 365
   */
  readonly artifactRetentionDays?: number;
  /**
   * Accounts allowed to read the registry (e.g. production reading what development trained). Never '*'. Each
   * account may describe and list the group's packages, read the artifacts and manifests, and verify signatures;
   * nothing else. Twelve-digit account IDs, other than the registry's own account.
   * @default - none
   */
  readonly readerAccounts?: string[];
  /**
   * How long the model package state changes are kept. At least a year in production.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly auditLogRetention?: logs.RetentionDays;
  /**
   * How sensitive the models are, rendered as the `DataClassification` tag of the group and the artifact store
   * (SecureAI-V13).
   * @default DataClassification.CONFIDENTIAL
   */
  readonly dataClassification?: DataClassification;
}

/** The SageMaker name pattern of a model package group. */
const GROUP_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const ACCOUNT_ID = /^\d{12}$/;

/**
 * A model registry whose artifacts cannot be changed after release and whose models are signed as soon as they are
 * trained: the place the training pipeline publishes to and the inference endpoint deploys from.
 *
 * - A SageMaker model package group (RETAINed), tagged, with a resource policy only when `readerAccounts` are named:
 *   each account by its ID, read-only, never `*`.
 * - The artifact store: a SecureBucket with Object Lock in compliance mode (`artifactRetentionDays`), encrypted with
 *   the environment's data key (or, when other accounts read it, a key of its own that is shared with them alone).
 * - The signing key: KMS ECC_NIST_P256 SIGN_VERIFY, RETAINed; only principals given `grantPublish` can sign.
 * - An audit trail of model package state changes: an EventBridge rule into a log group encrypted with the
 *   environment's log key and kept `auditLogRetention`.
 * - `grantRead`, `grantPublish` and `grantVerify`, scoped to the group, its packages, the bucket and the keys.
 *
 * Satisfies by default: SecureAI-V6 and V7 (versioned, encrypted, private artifact store), V9 (group shared with named
 * accounts only), V13 (DataClassification tag, with the environment's Owner and Environment tags), V14 (encrypted,
 * retained audit log), V16 (noncurrent-version lifecycle), P15 (signing key), P16 (key policies), P19 (Object Lock on
 * the artifact store) and P21 (the environment's trail records the store's data events).
 */
export class ModelRegistry extends Construct {
  /** The SageMaker model package group. */
  public readonly modelPackageGroup: sagemaker.CfnModelPackageGroup;
  /** The name of the model package group. */
  public readonly modelPackageGroupName: string;
  /** The ARN of the model package group. */
  public readonly modelPackageGroupArn: string;
  /** The ARN pattern of the group's model packages (`arn:...:model-package/<group>/*`). */
  public readonly modelPackageArnPattern: string;
  /** Immutable artifact store: SecureBucket with object lock in compliance mode. Training writes model artifacts and manifests here. */
  public readonly artifactBucket: SecureBucket;
  /** The key that encrypts the artifact store. */
  public readonly artifactKey: kms.IKey;
  /** KMS asymmetric ECC_NIST_P256 SIGN_VERIFY key, RETAIN. */
  public readonly signingKey: kms.Key;
  /** Encrypted log group receiving model package state changes. */
  public readonly auditLogGroup: logs.LogGroup;

  private readonly artifactSigningKey: ArtifactSigningKey;

  public constructor(scope: Construct, id: string, props: ModelRegistryProps) {
    super(scope, id);
    const env = props.environment;
    const stack = Stack.of(this);
    const name = validateGroupName(id, props.modelPackageGroupName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' }).toLowerCase());
    validateDescription(id, props.description);
    const retentionDays = validateArtifactRetention(id, props.artifactRetentionDays ?? 365);
    const readers = validateReaderAccounts(id, props.readerAccounts ?? [], stack.account);
    const auditRetention = validateAuditRetention(id, props.auditLogRetention ?? logs.RetentionDays.ONE_YEAR, env.stage);
    const classification = props.dataClassification ?? DataClassification.CONFIDENTIAL;

    this.modelPackageGroupName = name;
    const groupArn = stack.formatArn({ service: 'sagemaker', resource: 'model-package-group', resourceName: name });
    this.modelPackageArnPattern = stack.formatArn({ service: 'sagemaker', resource: 'model-package', resourceName: `${name}/*` });

    // A key shared with another account decrypts only what it is shared for: the artifacts, never the environment's data.
    this.artifactKey = readers.length > 0
      ? new EnvironmentKey(this, 'ArtifactKey', { purpose: EnvironmentKeyPurpose.DATA, description: `Model artifacts of registry ${name}, shared with reader accounts` })
      : env.dataKey;
    this.artifactBucket = new SecureBucket(this, 'Artifacts', {
      environment: env,
      encryptionKey: this.artifactKey,
      objectLock: { mode: ObjectLockMode.COMPLIANCE, retentionDays },
      dataClassification: classification,
    });

    this.artifactSigningKey = new ArtifactSigningKey(this, 'SigningKey', { description: `Signs the model artifacts of registry ${name} (ECDSA_SHA_256)` });
    this.signingKey = this.artifactSigningKey;
    Tags.of(this.signingKey).add('ai:asset', 'true');

    this.modelPackageGroup = new sagemaker.CfnModelPackageGroup(this, 'Group', {
      modelPackageGroupName: name,
      modelPackageGroupDescription: props.description,
      modelPackageGroupPolicy: readers.length > 0 ? this.readerPolicy(readers, groupArn) : undefined,
    });
    this.modelPackageGroup.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Tags.of(this.modelPackageGroup).add('DataClassification', classification);
    this.modelPackageGroupArn = this.modelPackageGroup.attrModelPackageGroupArn;

    const audit = new ModelPackageAuditLog(this, 'Audit', { modelPackageGroupName: name, encryptionKey: env.logKey, retention: auditRetention });
    this.auditLogGroup = audit.logGroup;

    if (readers.length > 0) this.shareWithReaders(readers);
  }

  /**
   * Describe/list model packages of the group; read artifacts and manifests (s3 + decrypt); verify signatures
   * (`grantVerify`). Exactly: `sagemaker:DescribeModelPackageGroup` on the group; `sagemaker:DescribeModelPackage` and
   * `sagemaker:ListModelPackages` on the group and its packages; `s3:GetObject` and `s3:GetObjectVersion` on the
   * store's objects; `kms:Decrypt` on the artifact key. Refuses principals of another environment stage.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    assertSameEnvironment(this, grantee, 'ModelRegistry');
    return this.grantGroup(grantee, ['sagemaker:DescribeModelPackageGroup'], [this.modelPackageGroupArn])
      .combine(this.grantGroup(grantee, ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'], [this.modelPackageGroupArn, this.modelPackageArnPattern]))
      .combine(this.grantObjects(grantee, ['s3:GetObject', 's3:GetObjectVersion']))
      .combine(this.artifactKey.grantDecrypt(grantee))
      .combine(this.grantVerify(grantee));
  }

  /**
   * Write artifacts/manifests to the artifact store, kms:Sign with the signing key, sagemaker:CreateModelPackage in
   * the group. Exactly: `s3:PutObject` and `s3:AbortMultipartUpload` on the store's objects; `kms:GenerateDataKey`
   * and `kms:Decrypt` on the artifact key (S3 multipart uploads, which every large artifact uses, decrypt the data key
   * of the parts already uploaded); `kms:Sign` on the signing key (in the principal's policy and the key policy, which
   * denies signing to everyone else); `sagemaker:CreateModelPackage` on the group and its packages. Approving a
   * package (`UpdateModelPackage`) is not included: it is a separate, reviewed decision. A signer that reads the
   * artifact back to hash it needs `grantRead` too. Refuses principals of another environment stage.
   */
  public grantPublish(grantee: iam.IGrantable): iam.Grant {
    assertSameEnvironment(this, grantee, 'ModelRegistry');
    return this.grantObjects(grantee, ['s3:PutObject', 's3:AbortMultipartUpload'])
      .combine(this.artifactKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt'))
      .combine(this.artifactSigningKey.grantSign(grantee))
      .combine(this.grantGroup(grantee, ['sagemaker:CreateModelPackage'], [this.modelPackageGroupArn, this.modelPackageArnPattern]));
  }

  /**
   * kms:Verify and kms:GetPublicKey on the signing key, in the principal's policy and the key policy. The public key
   * also lets a verifier check signatures offline (`cdk-secure-ai verify`).
   */
  public grantVerify(grantee: iam.IGrantable): iam.Grant {
    return this.artifactSigningKey.grantVerify(grantee);
  }

  private grantGroup(grantee: iam.IGrantable, actions: string[], resourceArns: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns });
  }

  /** Object actions on the store, named one by one: no wildcard actions. Another account's principal also needs the bucket policy. */
  private grantObjects(grantee: iam.IGrantable, actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipalOrResource({ grantee, actions, resourceArns: [this.artifactBucket.arnForObjects('*')], resource: this.artifactBucket });
  }

  /** The group's resource policy: each reader account may describe the group and describe and list its packages. */
  private readerPolicy(readers: string[], groupArn: string): iam.PolicyDocument {
    const principals = readers.map((a) => new iam.AccountPrincipal(a));
    return new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({ sid: 'ReaderAccountsDescribeGroup', principals, actions: ['sagemaker:DescribeModelPackageGroup'], resources: [groupArn] }),
        new iam.PolicyStatement({
          sid: 'ReaderAccountsReadPackages',
          principals,
          actions: ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'],
          resources: [this.modelPackageArnPattern],
        }),
      ],
    });
  }

  /** Reader accounts read artifacts and manifests (through S3 only) and verify signatures. */
  private shareWithReaders(readers: string[]): void {
    const stack = Stack.of(this);
    const principals = readers.map((a) => new iam.AccountPrincipal(a));
    this.artifactBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ReaderAccountsReadArtifacts',
      principals,
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [this.artifactBucket.arnForObjects('*')],
    }));
    this.artifactKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ReaderAccountsDecryptArtifacts',
      principals,
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
    }));
    this.signingKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ReaderAccountsVerify',
      principals,
      actions: ['kms:Verify', 'kms:GetPublicKey', 'kms:DescribeKey'],
      resources: ['*'],
    }));
  }
}

function validateGroupName(id: string, name: string): string {
  if (!Token.isUnresolved(name) && !GROUP_NAME.test(name)) {
    throw new Error(`ModelRegistry ${id}: modelPackageGroupName '${name}' is not a valid model package group name. Fix: use 1 to 63 `
      + 'letters, digits and hyphens, starting and ending with a letter or digit (for example \'fraud-detection\'), or leave it unset.');
  }
  return name;
}

function validateDescription(id: string, description: string | undefined): void {
  if (description !== undefined && !Token.isUnresolved(description) && description.length > 1024) {
    throw new Error(`ModelRegistry ${id}: description is ${description.length} characters long. Fix: shorten it to at most 1024 characters.`);
  }
}

function validateArtifactRetention(id: string, days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > 36500) {
    throw new Error(`ModelRegistry ${id}: artifactRetentionDays must be a whole number between 1 and 36500, got ${days}. `
      + 'Fix: give how many days each released artifact must stay immutable (Object Lock compliance mode), for example 365.');
  }
  return days;
}

function validateReaderAccounts(id: string, accounts: string[], ownAccount: string): string[] {
  accounts.forEach((account, i) => {
    if (Token.isUnresolved(account) || !ACCOUNT_ID.test(account)) {
      throw new Error(`ModelRegistry ${id}: readerAccounts[${i}] is '${account}', which is not a 12-digit AWS account ID. Fix: name each `
        + 'reading account by its literal ID (for example \'123456789012\'); a wildcard or a value known only at deploy time would let '
        + 'unknown accounts read the models.');
    }
    if (!Token.isUnresolved(ownAccount) && account === ownAccount) {
      throw new Error(`ModelRegistry ${id}: readerAccounts[${i}] is the registry's own account ${account}. Fix: remove it, and give `
        + 'principals of this account access with grantRead.');
    }
    if (accounts.indexOf(account) !== i) {
      throw new Error(`ModelRegistry ${id}: readerAccounts names ${account} twice. Fix: name each account once.`);
    }
  });
  return accounts;
}

function validateAuditRetention(id: string, retention: logs.RetentionDays, stage: EnvironmentStage): logs.RetentionDays {
  if (!Number.isInteger(retention) || retention < 1) {
    throw new Error(`ModelRegistry ${id}: auditLogRetention must be a logs.RetentionDays value, got ${retention}. Fix: give logs.RetentionDays.ONE_YEAR or longer.`);
  }
  if (stage === EnvironmentStage.PRODUCTION && retention < 365) {
    throw new Error(`ModelRegistry ${id}: auditLogRetention of ${retention} days is too short for production, where the record of `
      + 'which model was registered and approved is evidence for incident response. Fix: give logs.RetentionDays.ONE_YEAR or longer.');
  }
  return retention;
}
