import { Names, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { ArtifactSigningKey } from './artifact-signing-key';
import { ArtifactStorePolicy } from './artifact-store-policy';
import { ModelPackageAuditLog } from './model-package-audit-log';
import { ModelPackageMetadata } from './model-package-metadata';
import { IModelRegistry, ModelRegistryAttributes } from './model-registry-ref';
import { libraryConstruct } from '../construct-kit/library-construct';
import { assertSameEnvironment, declareCrossStageShare } from '../construct-kit/stage-segregation';
import { invalidProp, ownerName, PropOwner, requireLogRetention, requireWholeNumber } from '../construct-kit/validation';
import type { AiEnvironment } from '../environment/ai-environment';
import { DataClassification } from '../storage/data-classification';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../storage/environment-key';
import { keyAdministratorArns } from '../storage/key-administration';
import { ObjectLockMode } from '../storage/object-lock';
import { SecureBucket } from '../storage/secure-bucket';

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
   * account may describe and list the group's packages and create SageMaker models from them, read the artifacts and
   * manifests (decrypting through S3 only), and verify signatures; nothing else: what an `InferenceEndpoint` and its
   * signature gate in that account need. Twelve-digit account IDs, other than the registry's own account.
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
 * - `grantRead`, `grantReadArtifacts`, `grantPublish` and `grantVerify`, scoped to the group, its packages, the bucket
 *   and the keys.
 *
 * Consumers take an `IModelRegistry`: in another account or stack, describe this registry with
 * `ModelRegistry.fromModelRegistryAttributes` (its group ARN, bucket name and key ARNs, as literals) and name that
 * account in `readerAccounts` here.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them).
 */
export class ModelRegistry extends Construct implements IModelRegistry {
  /**
   * A registry of another account or stack, from the literal values its owner publishes. Each ARN is checked (service,
   * resource type, account and Region) when the app is synthesized. Its grants add statements to the grantee's
   * policies only: the owning registry must list the grantee's account in `readerAccounts`, which grants the other
   * half (group policy, bucket policy, key policies).
   */
  public static fromModelRegistryAttributes(scope: Construct, id: string, attrs: ModelRegistryAttributes): IModelRegistry {
    return new ImportedModelRegistry(scope, id, attrs);
  }

  /** The SageMaker model package group. */
  public readonly modelPackageGroup: sagemaker.CfnModelPackageGroup;
  /** The name of the model package group. */
  public readonly modelPackageGroupName: string;
  /** The ARN of the model package group. */
  public readonly modelPackageGroupArn: string;
  /** The ARN pattern of the group's model packages (`arn:...:model-package/<group>/*`). */
  public readonly modelPackageArnPattern: string;
  /** Immutable artifact store: a SecureBucket with object lock in compliance mode. Training writes model artifacts and manifests here. */
  public readonly artifactBucket: s3.IBucket;
  /** The key that encrypts the artifact store. */
  public readonly artifactKey: kms.IKey;
  /** KMS asymmetric ECC_NIST_P256 SIGN_VERIFY key (an `ArtifactSigningKey`), RETAIN. */
  public readonly signingKey: kms.IKey;
  /** Encrypted log group receiving model package state changes. */
  public readonly auditLogGroup: logs.LogGroup;

  private readonly artifactSigningKey: ArtifactSigningKey;
  private readonly storePolicy: ArtifactStorePolicy;

  public constructor(scope: Construct, id: string, props: ModelRegistryProps) {
    super(scope, id);
    libraryConstruct(this, 'ModelRegistry');
    const env = props.environment;
    const stack = Stack.of(this);
    const name = validateGroupName(this, props.modelPackageGroupName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' }).toLowerCase());
    validateDescription(this, props.description);
    const retentionDays = requireWholeNumber(this, 'artifactRetentionDays', props.artifactRetentionDays ?? 365, { min: 1, max: 36500 },
      'give how many days each released artifact must stay immutable (Object Lock compliance mode), for example 365');
    const readers = validateReaderAccounts(this, props.readerAccounts ?? [], stack.account);
    const auditRetention = requireLogRetention(this, 'auditLogRetention', props.auditLogRetention ?? logs.RetentionDays.ONE_YEAR, env.stage,
      { evidence: 'the record of which model was registered and approved' });
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
    // Marks the store as one of artifacts for SecureAI-P19, which nothing else in the template may show (training
    // writes to it from a state machine, endpoints read it through model packages).
    Tags.of(this.artifactBucket).add('ai:artifacts', 'true');
    this.storePolicy = new ArtifactStorePolicy(this, this.artifactBucket, this.artifactKey);

    this.artifactSigningKey = new ArtifactSigningKey(this, 'SigningKey', { description: `Signs the model artifacts of registry ${name} (ECDSA_SHA_256)` });
    this.signingKey = this.artifactSigningKey;
    Tags.of(this.signingKey).add('ai:asset', 'true');

    this.modelPackageGroup = new sagemaker.CfnModelPackageGroup(this, 'Group', {
      modelPackageGroupName: name,
      modelPackageGroupDescription: props.description,
      modelPackageGroupPolicy: this.groupPolicy(readers, groupArn),
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
   * `s3:GetObject` on the given objects of the artifact store (keys or key patterns, such as a model's artifact) and
   * `kms:Decrypt` on the artifact key. For a principal that deploys one model: `grantRead` would open every model of
   * the registry. Refuses principals of another environment stage.
   */
  public grantReadArtifacts(grantee: iam.IGrantable, objectKeys: string[]): iam.Grant {
    assertSameEnvironment(this, grantee, 'ModelRegistry');
    return iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: artifactArns(this, objectKeys) })
      .combine(this.artifactKey.grantDecrypt(grantee));
  }

  /**
   * Publish to the registry: create objects matching `objectsKeyPattern` in the artifact store (write-once: the store's
   * policy denies every other writer, every other key pattern, and any write without `If-None-Match`), and register
   * model packages in the group. Exactly: `s3:PutObject` and `s3:AbortMultipartUpload` on those objects;
   * `kms:GenerateDataKey` and `kms:Decrypt` on the artifact key (S3 multipart uploads decrypt the data key of the parts
   * already uploaded); `sagemaker:CreateModelPackage` on the group and its packages. Signing is its own grant
   * (`grantSign`); approving a package (`UpdateModelPackage`) is not included, and nobody may change a package's signed
   * metadata. The grantee must be an IAM role or user of the registry's stack. Refuses principals of another
   * environment stage.
   * @param objectsKeyPattern the objects the grantee may create, such as `verified/*` for a signing step or
   * `baselines/<model>/*` for a baselining job: never the whole store
   */
  public grantPublish(grantee: iam.IGrantable, objectsKeyPattern: string): iam.Grant {
    assertSameEnvironment(this, grantee, 'ModelRegistry');
    validateKeyPattern(this, objectsKeyPattern);
    this.storePolicy.addWriter(ownerName(this), grantee, objectsKeyPattern, false);
    return this.grantObjects(grantee, ['s3:PutObject', 's3:AbortMultipartUpload'], objectsKeyPattern)
      .combine(this.artifactKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt'))
      .combine(this.grantGroup(grantee, ['sagemaker:CreateModelPackage'], [this.modelPackageGroupArn, this.modelPackageArnPattern]));
  }

  /**
   * `kms:Sign` (and `kms:GetPublicKey`, for the key hint of the bundles) with the signing key, in the principal's
   * policy and the key policy, which denies signing to every other principal. The grantee must be an IAM role or user
   * of the registry's stack.
   */
  public grantSign(grantee: iam.IGrantable): iam.Grant {
    assertSameEnvironment(this, grantee, 'ModelRegistry');
    return this.artifactSigningKey.grantSign(grantee);
  }

  /**
   * Lets SageMaker write a training job's output with `role` under `objectsKeyPattern`: the only writer the store
   * exempts from `If-None-Match`, because SageMaker's upload cannot send it. Its objects are never deployed.
   * @internal
   */
  public _grantTrainingOutput(role: iam.IGrantable, objectsKeyPattern: string): iam.Grant {
    validateKeyPattern(this, objectsKeyPattern);
    this.storePolicy.addWriter(ownerName(this), role, objectsKeyPattern, true);
    return (this.artifactBucket as SecureBucket).grantPut(role, objectsKeyPattern);
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
  private grantObjects(grantee: iam.IGrantable, actions: string[], objectsKeyPattern = '*'): iam.Grant {
    return iam.Grant.addToPrincipalOrResource({
      grantee, actions, resourceArns: [this.artifactBucket.arnForObjects(objectsKeyPattern)], resource: this.artifactBucket,
    });
  }

  /**
   * The group's resource policy. Nobody may set or remove a package's signed metadata after registration (the deploy-time
   * gate binds an approved package to the signed artifact through it), and only the key administrators may replace or
   * delete this policy. Each reader account may describe the group, describe and list its packages, and create a model
   * from one (CreateModel with a ModelPackageName of this group), as SageMaker's guide to deploying a model version from
   * another account grants on the versions.
   */
  private groupPolicy(readers: string[], groupArn: string): iam.PolicyDocument {
    const denyAll = (sid: string, actions: string[], resources: string[], conditions: Record<string, unknown>) => new iam.PolicyStatement({
      sid, effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions, resources, conditions,
    });
    const statements = [
      ...ModelPackageMetadata.ALL.map((key, i) => denyAll(`SignedMetadataIsFixed${i + 1}`, ['sagemaker:UpdateModelPackage'],
        [this.modelPackageArnPattern], { Null: { [`sagemaker:CustomerMetadataProperties/${key}`]: 'false' } })),
      denyAll('SignedMetadataIsKept', ['sagemaker:UpdateModelPackage'], [this.modelPackageArnPattern],
        { 'ForAnyValue:StringLike': { 'sagemaker:CustomerMetadataPropertiesToRemove': ['cdk-secure-ai:*'] } }),
      denyAll('GroupPolicyOnlyByAdministrator', ['sagemaker:PutModelPackageGroupPolicy', 'sagemaker:DeleteModelPackageGroupPolicy'], [groupArn],
        { ArnNotEquals: { 'aws:PrincipalArn': keyAdministratorArns(this) } }),
    ];
    if (readers.length > 0) {
      const principals = readers.map((a) => new iam.AccountPrincipal(a));
      statements.push(
        new iam.PolicyStatement({ sid: 'ReaderAccountsDescribeGroup', principals, actions: ['sagemaker:DescribeModelPackageGroup'], resources: [groupArn] }),
        new iam.PolicyStatement({
          sid: 'ReaderAccountsReadPackages',
          principals,
          actions: ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages', 'sagemaker:CreateModel'],
          resources: [this.modelPackageArnPattern],
        }),
      );
    }
    return new iam.PolicyDocument({ statements });
  }

  /** Reader accounts read artifacts and manifests (through S3 only) and verify signatures. */
  private shareWithReaders(readers: string[]): void {
    const stack = Stack.of(this);
    declareCrossStageShare(this, readers, 'Reader accounts read approved model packages, their artifacts and manifests, and verify signatures');
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

/** A key pattern of the store that names a prefix: never the whole store. */
function validateKeyPattern(owner: PropOwner, pattern: string): void {
  if (typeof pattern !== 'string' || pattern.length === 0 || pattern === '*' || pattern.startsWith('/')) {
    throw new Error(`${ownerName(owner)}: the objects key pattern '${pattern}' is not a prefix of the artifact store. Fix: name the `
      + 'objects the principal creates, such as \'verified/*\' or \'baselines/fraud/*\'; the whole store (\'*\') is never granted.');
  }
}

function validateGroupName(owner: PropOwner, name: string): string {
  if (!Token.isUnresolved(name) && !GROUP_NAME.test(name)) {
    throw new Error(`${ownerName(owner)}: modelPackageGroupName '${name}' is not a valid model package group name. Fix: use 1 to 63 `
      + 'letters, digits and hyphens, starting and ending with a letter or digit (for example \'fraud-detection\'), or leave it unset.');
  }
  return name;
}

function validateDescription(owner: PropOwner, description: string | undefined): void {
  if (description !== undefined && !Token.isUnresolved(description) && description.length > 1024) {
    throw invalidProp(owner, { prop: 'description', shown: `${description.length} characters long`, problem: '', fix: 'shorten it to at most 1024 characters' });
  }
}

function validateReaderAccounts(owner: PropOwner, accounts: string[], ownAccount: string): string[] {
  accounts.forEach((account, i) => {
    if (Token.isUnresolved(account) || !ACCOUNT_ID.test(account)) {
      throw invalidProp(owner, {
        prop: `readerAccounts[${i}]`,
        value: account,
        problem: 'which is not a 12-digit AWS account ID',
        fix: 'name each reading account by its literal ID (for example \'123456789012\'); a wildcard or a value known only at deploy '
          + 'time would let unknown accounts read the models',
      });
    }
    if (!Token.isUnresolved(ownAccount) && account === ownAccount) {
      throw new Error(`${ownerName(owner)}: readerAccounts[${i}] is the registry's own account ${account}. Fix: remove it, and give `
        + 'principals of this account access with grantRead.');
    }
    if (accounts.indexOf(account) !== i) {
      throw new Error(`${ownerName(owner)}: readerAccounts names ${account} twice. Fix: name each account once.`);
    }
  });
  return accounts;
}

/** The ARNs of objects of a registry's artifact store; at least one. */
function artifactArns(registry: IModelRegistry, objectKeys: string[]): string[] {
  if (objectKeys.length === 0) {
    throw new Error(`ModelRegistry ${registry.node.id}: grantReadArtifacts was given no object keys. Fix: name the objects the principal `
      + 'reads, for example [\'fraud/job-1/output/model.tar.gz\'], or use grantRead for the whole registry.');
  }
  return objectKeys.map((key) => registry.artifactBucket.arnForObjects(key));
}

/** The parts of a literal ARN this module reads. */
interface ArnParts {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly resourceName: string;
}

/** What an ARN attribute must be: its service, resource type and a pattern for the name after the type. */
interface ArnShape {
  readonly service: string;
  readonly resourceType: string;
  readonly name: RegExp;
  readonly example: string;
}

const GROUP_ARN: ArnShape = {
  service: 'sagemaker',
  resourceType: 'model-package-group',
  name: GROUP_NAME,
  example: 'arn:aws:sagemaker:eu-west-2:111111111111:model-package-group/fraud-detector',
};
const KEY_ARN: ArnShape = {
  service: 'kms',
  resourceType: 'key',
  name: /^(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
  example: 'arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};
const PARTITION = /^aws(?:-[a-z]+)*$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses a literal ARN of the given shape, or throws naming the attribute, what is wrong and the fix. */
function parseArn(owner: string, prop: string, value: string, shape: ArnShape): ArnParts {
  const fix = `Fix: give the literal ARN, for example '${shape.example}'.`;
  if (Token.isUnresolved(value)) {
    throw new Error(`${owner}: ${prop} is a deploy-time value, but the registry's account, Region and names are read from it when `
      + `the app is synthesized (and a reference to another stack is what this import avoids). ${fix}`);
  }
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !PARTITION.test(parts[1])) throw new Error(`${owner}: ${prop} '${value}' is not an ARN. ${fix}`);
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (service !== shape.service) {
    throw new Error(`${owner}: ${prop} '${value}' is an ARN of service '${service}', not '${shape.service}'. ${fix}`);
  }
  if (!REGION.test(region)) throw new Error(`${owner}: ${prop} '${value}' has no Region ('${region}'). ${fix}`);
  if (!ACCOUNT_ID.test(account)) throw new Error(`${owner}: ${prop} '${value}' has account '${account}', not a 12-digit account ID. ${fix}`);
  const slash = resource.indexOf('/');
  const resourceType = slash < 0 ? resource : resource.slice(0, slash);
  if (resourceType !== shape.resourceType) {
    throw new Error(`${owner}: ${prop} '${value}' is the ARN of a ${shape.service} ${resourceType || 'resource'}, not of a `
      + `${shape.resourceType}. ${fix}`);
  }
  const resourceName = slash < 0 ? '' : resource.slice(slash + 1);
  if (!shape.name.test(resourceName)) {
    throw new Error(`${owner}: ${prop} '${value}' has an invalid ${shape.resourceType} name or ID ('${resourceName}'). ${fix}`);
  }
  return { partition, region, account, resourceName };
}

/** A key of the registry lives in the registry's account, partition and Region: S3 decrypts with a key of its own Region. */
function assertBesideGroup(owner: string, prop: string, value: string, key: ArnParts, group: ArnParts): void {
  if (key.partition !== group.partition || key.region !== group.region || key.account !== group.account) {
    throw new Error(`${owner}: ${prop} '${value}' is in account ${key.account}, Region ${key.region}, but the registry's model package `
      + `group (modelPackageGroupArn) is in account ${group.account}, Region ${group.region}. Fix: give the ARN of the key the `
      + 'registry\'s stack created (its artifact key and signing key live beside its group).');
  }
}

function validateBucketName(owner: string, name: string): string {
  if (Token.isUnresolved(name)) {
    throw new Error(`${owner}: artifactBucketName is a deploy-time value. Fix: give the artifact bucket's name as text, for example `
      + '\'registry-models-artifacts-1a2b3c\' (an output of the registry\'s stack).');
  }
  if (!BUCKET_NAME.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    throw new Error(`${owner}: artifactBucketName '${name}' is not an S3 bucket name. Fix: give the name only (3 to 63 lowercase `
      + 'letters, digits, dots and hyphens), not the bucket\'s ARN or an s3:// URI.');
  }
  return name;
}

/**
 * A registry of another account or stack, known by literal ARNs. Nothing in it creates a resource or references
 * another stack; its grants write the grantee's policies only, because the owner's policies are not this app's to
 * change (the owner grants the reading account through `readerAccounts`).
 */
class ImportedModelRegistry extends Construct implements IModelRegistry {
  public readonly modelPackageGroupName: string;
  public readonly modelPackageGroupArn: string;
  public readonly modelPackageArnPattern: string;
  public readonly artifactBucket: s3.IBucket;
  public readonly artifactKey: kms.IKey;
  public readonly signingKey: kms.IKey;
  private readonly region: string;

  public constructor(scope: Construct, id: string, attrs: ModelRegistryAttributes) {
    super(scope, id);
    const owner = `ModelRegistry.fromModelRegistryAttributes ${id}`;
    const group = parseArn(owner, 'modelPackageGroupArn', attrs.modelPackageGroupArn, GROUP_ARN);
    const artifactKey = parseArn(owner, 'artifactKeyArn', attrs.artifactKeyArn, KEY_ARN);
    assertBesideGroup(owner, 'artifactKeyArn', attrs.artifactKeyArn, artifactKey, group);
    const signingKey = parseArn(owner, 'signingKeyArn', attrs.signingKeyArn, KEY_ARN);
    assertBesideGroup(owner, 'signingKeyArn', attrs.signingKeyArn, signingKey, group);
    if (attrs.signingKeyArn === attrs.artifactKeyArn) {
      throw new Error(`${owner}: signingKeyArn and artifactKeyArn are the same key, ${attrs.signingKeyArn}. Fix: give the registry's `
        + 'signing key (asymmetric, SIGN_VERIFY) as signingKeyArn and the key that encrypts its artifact store as artifactKeyArn.');
    }
    const bucketName = validateBucketName(owner, attrs.artifactBucketName);

    this.region = group.region;
    this.modelPackageGroupName = group.resourceName;
    this.modelPackageGroupArn = attrs.modelPackageGroupArn;
    this.modelPackageArnPattern = `arn:${group.partition}:sagemaker:${group.region}:${group.account}:model-package/${group.resourceName}/*`;
    this.artifactKey = kms.Key.fromKeyArn(this, 'ArtifactKey', attrs.artifactKeyArn);
    this.signingKey = kms.Key.fromKeyArn(this, 'SigningKey', attrs.signingKeyArn);
    this.artifactBucket = s3.Bucket.fromBucketAttributes(this, 'ArtifactBucket', {
      bucketName,
      bucketArn: `arn:${group.partition}:s3:::${bucketName}`,
      account: group.account,
      region: group.region,
      encryptionKey: this.artifactKey,
    });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:DescribeModelPackageGroup'], resourceArns: [this.modelPackageGroupArn] })
      .combine(iam.Grant.addToPrincipal({
        grantee,
        actions: ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'],
        resourceArns: [this.modelPackageGroupArn, this.modelPackageArnPattern],
      }))
      .combine(iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject', 's3:GetObjectVersion'], resourceArns: [this.artifactBucket.arnForObjects('*')] }))
      .combine(this.grantDecryptThroughS3(grantee))
      .combine(this.grantVerify(grantee));
  }

  public grantReadArtifacts(grantee: iam.IGrantable, objectKeys: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: artifactArns(this, objectKeys) })
      .combine(this.grantDecryptThroughS3(grantee));
  }

  public grantVerify(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['kms:Verify', 'kms:GetPublicKey'], resourceArns: [this.signingKey.keyArn] });
  }

  /** As the owner's key policy allows reader accounts: decrypt only for S3 reading the artifact store. */
  private grantDecryptThroughS3(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.artifactKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
    });
  }
}
