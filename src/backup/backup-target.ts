import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { environmentOf } from '../construct-kit/stage-segregation';

/** The resource types OfflineBackup protects, as restore testing names them (`ProtectedResourceType`). */
export enum RestoreTestType {
  S3 = 'S3',
  DYNAMODB = 'DynamoDB',
  EFS = 'EFS',
}

/** Whether a bucket keeps versions, which AWS Backup requires of every S3 bucket it backs up. */
export enum BucketVersioning {
  ENABLED = 'enabled',
  DISABLED = 'disabled',
  /** Imported bucket, or a status that is only known at deploy time. */
  UNKNOWN = 'unknown',
}

/** A resource to back up, as AWS Backup selects it (by ARN) and as restore testing groups it (by type). */
export interface BackupTarget {
  readonly arn: string;
  readonly restoreType: RestoreTestType;
  /** For buckets only: whether the bucket is versioned. */
  readonly versioning?: BucketVersioning;
}

/** L1 types by the restore-testing type they belong to; each has an `attrArn`. */
const CFN_TYPES: Record<string, RestoreTestType> = {
  'AWS::S3::Bucket': RestoreTestType.S3,
  'AWS::DynamoDB::Table': RestoreTestType.DYNAMODB,
  'AWS::DynamoDB::GlobalTable': RestoreTestType.DYNAMODB,
  'AWS::EFS::FileSystem': RestoreTestType.EFS,
};

/**
 * What AWS Backup needs of `resource`: an S3 bucket, DynamoDB table (Table or TableV2) or EFS file system, as an L2
 * construct, an imported one, or its L1. Returns undefined for anything else. Duck-typed on purpose: `instanceof` fails
 * when two copies of aws-cdk-lib are installed.
 */
export function backupTargetOf(resource: IConstruct): BackupTarget | undefined {
  const r = resource as unknown as Record<string, unknown>;
  if (typeof r.bucketArn === 'string' && typeof r.bucketName === 'string') {
    return { arn: r.bucketArn, restoreType: RestoreTestType.S3, versioning: versioningOf(resource) };
  }
  if (typeof r.tableArn === 'string' && typeof r.tableName === 'string') return { arn: r.tableArn, restoreType: RestoreTestType.DYNAMODB };
  if (typeof r.fileSystemArn === 'string' && typeof r.fileSystemId === 'string') return { arn: r.fileSystemArn, restoreType: RestoreTestType.EFS };
  if (CfnResource.isCfnResource(resource) && CFN_TYPES[resource.cfnResourceType]) {
    const type = CFN_TYPES[resource.cfnResourceType];
    return {
      arn: resource.getAtt('Arn').toString(),
      restoreType: type,
      versioning: type === RestoreTestType.S3 ? versioningOf(resource) : undefined,
    };
  }
  return undefined;
}

/** Reads versioning from the bucket's CfnBucket: the L1 itself, or the default child of an L2. */
function versioningOf(bucket: IConstruct): BucketVersioning {
  const cfn = CfnResource.isCfnResource(bucket) ? bucket : bucket.node.defaultChild;
  if (!cfn || !CfnResource.isCfnResource(cfn) || cfn.cfnResourceType !== 'AWS::S3::Bucket') return BucketVersioning.UNKNOWN;
  const configuration = (cfn as unknown as { versioningConfiguration?: unknown }).versioningConfiguration;
  if (configuration === undefined) return BucketVersioning.DISABLED;
  const resolved = Stack.of(cfn).resolve(configuration) as { status?: unknown } | undefined;
  const status = resolved?.status;
  if (typeof status !== 'string' || Token.isUnresolved(status)) return BucketVersioning.UNKNOWN;
  return status === 'Enabled' ? BucketVersioning.ENABLED : BucketVersioning.DISABLED;
}

/**
 * Why `resource` cannot be backed up from `backup`'s account, Region and stage, or undefined when it can. A backup
 * selection only reaches resources of its own account and Region, and backing up another stage's data would mix
 * development data into production backups (or the reverse).
 */
export function placementProblem(backup: IConstruct, resource: IConstruct): string | undefined {
  const here = Stack.of(backup);
  const there = Stack.of(resource);
  const differs = (a: string, b: string) => !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
  if (differs(here.account, there.account) || differs(here.region, there.region)) {
    return `it is in account ${there.account}, Region ${there.region}, and this backup is in account ${here.account}, Region `
      + `${here.region}: AWS Backup selects resources of its own account and Region only`;
  }
  const ours = environmentOf(backup);
  const theirs = environmentOf(resource);
  if (ours && theirs && ours.stage !== theirs.stage) {
    return `it belongs to the ${theirs.stage} environment (${theirs.declaredAt}) and this backup to the ${ours.stage} environment `
      + `(${ours.declaredAt}): environments are segregated, and their backups too`;
  }
  return undefined;
}
