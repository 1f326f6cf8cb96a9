import { Annotations, Duration, Lazy, Names, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { backupTargetOf, BucketVersioning, placementProblem, RestoreTestType } from './backup-target';
import { libraryConstruct } from '../construct-kit/library-construct';
import { acknowledgeRules } from '../construct-kit/pack-acknowledgments';
import { ownerName, PropOwner } from '../construct-kit/validation';
import type { AiEnvironment } from '../environment/ai-environment';
import { RESTORE_ROLE_TAG } from '../environment/environment-guardrails';
import { ServiceSource, servicePrincipalOfThisAccount } from '../environment/service-trust';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../storage/environment-key';

/** The tag that opts a resource of the stage into the backup plan. */
const BACKUP_TAG = 'ai:backup';

/** Vault events that mean a backup failed or was altered: what someone must look at. */
const DEFAULT_EVENTS: readonly backup.BackupVaultEvents[] = [
  backup.BackupVaultEvents.BACKUP_JOB_FAILED,
  backup.BackupVaultEvents.BACKUP_JOB_EXPIRED,
  backup.BackupVaultEvents.COPY_JOB_FAILED,
  backup.BackupVaultEvents.RESTORE_JOB_FAILED,
  backup.BackupVaultEvents.RECOVERY_POINT_MODIFIED,
  backup.BackupVaultEvents.BACKUP_PLAN_MODIFIED,
  backup.BackupVaultEvents.S3_BACKUP_OBJECT_FAILED,
  backup.BackupVaultEvents.S3_RESTORE_OBJECT_FAILED,
];
/** The events of which at least one must be notified: failures and modifications (SecureAI-O4). */
const ALERTING_EVENT = /FAILED|EXPIRED|MODIFIED/;

/** AWS Backup's documented service-role policies (IAM4 acknowledged below with the reason). */
const BACKUP_POLICIES = ['service-role/AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForS3Backup'];
const RESTORE_POLICIES = ['service-role/AWSBackupServiceRolePolicyForRestores', 'AWSBackupServiceRolePolicyForS3Restore'];

const BACKUP_VAULT_ARN = /^arn:aws[a-z-]*:backup:([a-z0-9-]+):(\d{12}):backup-vault:[A-Za-z0-9_.-]{2,50}$/;

/** Properties of an {@link OfflineBackup}. */
export interface OfflineBackupProps {
  /**
   * The AI environment whose resources are backed up. Only resources tagged `ai:backup=true` *and* carrying this
   * environment's `ai:environment` tag are selected by tag, so one stage's plan never backs up another stage's data.
   * @default - no environment: every resource of the account and Region tagged `ai:backup=true` is selected
   */
  readonly environment?: AiEnvironment;
  /**
   * Vault Lock minimum retention, in days: no recovery point in the locked vault can be deleted earlier, by anyone.
   * Also the air-gapped vault's minimum retention. At least 7 (the air-gapped vault's minimum); every backup rule's
   * retention must be at least this.
   * @default 35 - the SecureAiChecks default minimumBackupRetentionDays (SecureAI-P17)
   */
  readonly minRetentionDays?: number;
  /**
   * Vault Lock maximum retention, in days, and the air-gapped vault's maximum: longer retentions are refused by AWS
   * Backup. Greater than `minRetentionDays`, at most 36500.
   * @default 3650 - ten years
   */
  readonly maxRetentionDays?: number;
  /**
   * Days during which the Vault Lock can still be removed or changed; after them it is in compliance mode and immutable
   * (the vault cannot be deleted while it holds recovery points). At least 3, as AWS Backup requires.
   * @default 3
   */
  readonly changeableForDays?: number;
  /**
   * When the daily backup runs (a cron schedule, UTC).
   * @default events.Schedule.expression('cron(0 3 * * ? *)') - every day at 03:00 UTC
   */
  readonly dailySchedule?: events.Schedule;
  /**
   * Days the daily recovery points (and their copies) are kept. Between minRetentionDays and maxRetentionDays.
   * @default 35
   */
  readonly dailyRetentionDays?: number;
  /**
   * When the weekly backup runs (a cron schedule, UTC).
   * @default events.Schedule.expression('cron(0 4 ? * SAT *)') - Saturdays at 04:00 UTC
   */
  readonly weeklySchedule?: events.Schedule;
  /**
   * Days the weekly recovery points (and their copies) are kept. Between minRetentionDays and maxRetentionDays.
   * @default 90
   */
  readonly weeklyRetentionDays?: number;
  /**
   * When the monthly backup runs (a cron schedule, UTC).
   * @default events.Schedule.expression('cron(0 5 1 * ? *)') - the first of each month at 05:00 UTC
   */
  readonly monthlySchedule?: events.Schedule;
  /**
   * Days the monthly recovery points (and their copies) are kept. Between minRetentionDays and maxRetentionDays.
   * @default 365
   */
  readonly monthlyRetentionDays?: number;
  /**
   * A backup vault in another account or Region that every rule also copies to, as its ARN
   * (`arn:aws:backup:<region>:<account>:backup-vault:<name>`). Its access policy must allow `backup:CopyIntoBackupVault`
   * from this account, and cross-account copies need AWS Organizations' cross-account backup turned on.
   * @default - no remote copy: the logically air-gapped vault is the offsite copy
   */
  readonly remoteVaultArn?: string;
  /**
   * The vault events sent to the notification topic. Must include a failure or modification event.
   * @default - BACKUP_JOB_FAILED, BACKUP_JOB_EXPIRED, COPY_JOB_FAILED, RESTORE_JOB_FAILED, RECOVERY_POINT_MODIFIED,
   * BACKUP_PLAN_MODIFIED, S3_BACKUP_OBJECT_FAILED, S3_RESTORE_OBJECT_FAILED
   */
  readonly notificationEvents?: backup.BackupVaultEvents[];
  /**
   * When restore tests run (a cron schedule, UTC). Each run restores the latest recovery point of the last 7 days of
   * every protected resource into a new resource, then deletes it.
   * @default events.Schedule.expression('cron(0 6 ? * MON *)') - Mondays at 06:00 UTC
   */
  readonly restoreTestSchedule?: events.Schedule;
}

/**
 * Offline backups of AI assets that an attacker in the account cannot delete: the guideline's "critical company
 * digital resources in offline backups", to "restore to a known good state in the event of compromise".
 *
 * - A backup vault encrypted with a dedicated customer-managed key (rotated, RETAINed) and locked by Vault Lock in
 *   compliance mode (`minRetentionDays`, `maxRetentionDays`, `changeableForDays`); its access policy denies deleting
 *   recovery points by hand.
 * - A logically air-gapped vault (RETAINed) that every rule copies to, and optionally a vault in another account or Region
 *   (`remoteVaultArn`).
 * - A plan with daily, weekly and monthly rules, none kept shorter than the lock's minimum.
 * - Selections: every resource tagged `ai:backup=true` (of the environment's stage when `environment` is given), and
 *   what `protect`, `protectBucket`, `protectTable` and `protectFileSystem` add by ARN.
 * - Failure and modification events of both vaults to an SNS topic encrypted with the backup key and TLS-only.
 * - A restore testing plan that restores each protected resource's latest recovery point on a schedule.
 * - A backup role and a restore role that only AWS Backup can assume, with AWS Backup's service-role policies.
 *
 * The air-gapped vault is encrypted with an AWS-owned key, which AWS Backup creates for it: a key of this account
 * would put the air-gapped copies back in reach of whoever can schedule that key's deletion.
 *
 * The restore role carries the tag that exempts it from the AI environment boundary's versioning deny: an S3 restore
 * test creates a bucket and turns its versioning on.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them).
 */
export class OfflineBackup extends Construct {
  /** The customer-managed key that encrypts the locked vault and the notification topic. */
  public readonly backupKey: EnvironmentKey;
  /** The locked vault that every rule writes to. */
  public readonly vault: backup.BackupVault;
  /** The logically air-gapped vault every rule copies to. */
  public readonly airGappedVault: backup.CfnLogicallyAirGappedBackupVault;
  /** The backup plan, with its daily, weekly and monthly rules. */
  public readonly plan: backup.BackupPlan;
  /** The topic that receives the vaults' failure and modification events: subscribe whoever must act on them. */
  public readonly notificationTopic: sns.Topic;
  /** The role AWS Backup assumes to back resources up. */
  public readonly backupRole: iam.Role;
  /** The role AWS Backup assumes for restore tests. */
  public readonly restoreRole: iam.Role;
  /** The selection of every resource tagged `ai:backup=true` (of the environment's stage). */
  public readonly taggedSelection: backup.CfnBackupSelection;
  /** The restore testing plan. */
  public readonly restoreTestingPlan: backup.CfnRestoreTestingPlan;
  /** Vault Lock minimum retention, in days. */
  public readonly minRetentionDays: number;

  private readonly arns: string[] = [];
  private readonly arnsByType = new Map<RestoreTestType, string[]>();
  private resourceSelection?: backup.CfnBackupSelection;

  public constructor(scope: Construct, id: string, props: OfflineBackupProps = {}) {
    super(scope, id);
    libraryConstruct(this, 'OfflineBackup');
    const stack = Stack.of(this);
    const { minDays, maxDays, changeable, rules, restoreSchedule, notificationEvents } = settingsOf(this, stack, props);
    this.minRetentionDays = minDays;

    this.backupKey = new EnvironmentKey(this, 'Key', {
      purpose: EnvironmentKeyPurpose.DATA,
      description: `Backups of AI assets and their notifications (${this.node.path})`,
    });

    // The topic's name is fixed so that the key policy can name it without a reference cycle (key -> topic -> key).
    const topicName = Names.uniqueResourceName(this, { maxLength: 256, separator: '-' }) + '-notifications';
    const topicArn = stack.formatArn({ service: 'sns', resource: topicName });
    this.notificationTopic = new sns.Topic(this, 'Notifications', {
      topicName,
      displayName: 'AWS Backup failures and changes of AI backups',
      masterKey: this.backupKey,
      enforceSSL: true,
    });
    // AWS Backup publishes to the encrypted topic, so it needs the key, for this topic's messages only. Granted here
    // rather than through the vault's notificationTopic, whose grantPublish would give it the key without a condition.
    // AWS Backup refuses to notify a topic of another account, so the publish permission needs no account condition.
    this.notificationTopic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'BackupVaultNotifications',
      principals: [new iam.ServicePrincipal('backup.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.notificationTopic.topicArn],
    }));
    this.backupKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'BackupNotificationsToThisTopic',
      principals: [new iam.ServicePrincipal('backup.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'], // in a key policy, '*' means this key
      conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
    }));

    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: this.backupKey,
      lockConfiguration: {
        minRetention: Duration.days(minDays),
        maxRetention: Duration.days(maxDays),
        changeableFor: Duration.days(changeable),
      },
      blockRecoveryPointDeletion: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const notifications = { backupVaultEvents: notificationEvents, snsTopicArn: this.notificationTopic.topicArn };
    (this.vault.node.defaultChild as backup.CfnBackupVault).notifications = notifications;

    this.airGappedVault = new backup.CfnLogicallyAirGappedBackupVault(this, 'AirGappedVault', {
      backupVaultName: Names.uniqueResourceName(this, { maxLength: 40 }) + 'AirGapped',
      minRetentionDays: minDays,
      maxRetentionDays: maxDays,
      notifications,
    });
    this.airGappedVault.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const airGapped = backup.BackupVault.fromBackupVaultArn(this, 'AirGappedVaultRef', this.airGappedVault.attrBackupVaultArn);
    const remote = props.remoteVaultArn === undefined ? undefined : backup.BackupVault.fromBackupVaultArn(this, 'RemoteVault', props.remoteVaultArn);

    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: Names.uniqueResourceName(this, { maxLength: 46 }) + 'Plan',
      backupVault: this.vault,
      backupPlanRules: rules.map((rule) => new backup.BackupPlanRule({
        ruleName: rule.name,
        scheduleExpression: rule.schedule,
        deleteAfter: Duration.days(rule.days),
        copyActions: [airGapped, ...(remote ? [remote] : [])].map((destination) => ({
          destinationBackupVault: destination,
          deleteAfter: Duration.days(rule.days),
        })),
      })),
    });

    this.backupRole = serviceRole(this, 'BackupRole', 'AWS Backup: backs up the AI assets selected by this plan', BACKUP_POLICIES);
    this.restoreRole = serviceRole(this, 'RestoreRole', 'AWS Backup: restore tests of the AI assets of this plan', RESTORE_POLICIES);
    Tags.of(this.restoreRole).add(RESTORE_ROLE_TAG.key, RESTORE_ROLE_TAG.value);

    // The L1 passes Conditions through as written, so they are spelt as CloudFormation spells them.
    const conditions = [{ ConditionKey: `aws:ResourceTag/${BACKUP_TAG}`, ConditionValue: 'true' }];
    if (props.environment) conditions.push({ ConditionKey: 'aws:ResourceTag/ai:environment', ConditionValue: props.environment.stage });
    this.taggedSelection = new backup.CfnBackupSelection(this, 'TaggedSelection', {
      backupPlanId: this.plan.backupPlanId,
      backupSelection: {
        selectionName: 'TaggedAiBackup',
        iamRoleArn: this.backupRole.roleArn,
        resources: ['*'],
        conditions: { StringEquals: conditions },
      },
    });

    const restorePlanName = Names.uniqueResourceName(this, { maxLength: 40 }) + 'Restores';
    this.restoreTestingPlan = new backup.CfnRestoreTestingPlan(this, 'RestoreTesting', {
      restoreTestingPlanName: restorePlanName,
      scheduleExpression: restoreSchedule.expressionString,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [this.vault.backupVaultArn],
        recoveryPointTypes: ['SNAPSHOT'],
        selectionWindowDays: 7,
      },
    });
  }

  /**
   * Backs up an S3 bucket, DynamoDB table (Table or TableV2) or EFS file system, given as an L2 construct, an
   * imported one or its L1, and restore-tests it. The one call other constructs make to opt in
   * (`offlineBackup.protect(registry.artifactBucket)`). Throws for any other resource, for a bucket without
   * versioning, and for a resource of another account, Region or environment stage.
   */
  public protect(resource: IConstruct): void {
    const target = backupTargetOf(resource);
    if (!target) {
      throw new Error(`${ownerName(this)}: ${resource.node.path} is not an S3 bucket, DynamoDB table or EFS file system. `
        + `Fix: protect the store that holds the data, or tag a resource AWS Backup supports with ${BACKUP_TAG}=true.`);
    }
    const problem = placementProblem(this, resource);
    if (problem) {
      throw new Error(`${ownerName(this)}: cannot protect ${resource.node.path}: ${problem}. `
        + 'Fix: create an OfflineBackup in that resource\'s stack (or environment).');
    }
    if (target.versioning === BucketVersioning.DISABLED) {
      throw new Error(`${ownerName(this)}: bucket ${resource.node.path} is not versioned, and AWS Backup backs up only `
        + 'versioned buckets. Fix: use a SecureBucket, or create the bucket with versioned: true.');
    }
    if (target.versioning === BucketVersioning.UNKNOWN) {
      // An imported bucket cannot be inspected: accept it, say so, and let a failed job reach the notification topic.
      Annotations.of(this).addWarningV2('cdk-secure-ai:backup-bucket-versioning', `Bucket ${resource.node.path} is imported `
        + '(or its versioning is only known at deploy time): AWS Backup fails to back it up unless it is versioned, which is '
        + 'reported to the notification topic as BACKUP_JOB_FAILED.');
    }
    if (this.arns.includes(target.arn)) return;
    this.arns.push(target.arn);
    this.selectionOfResources();
    this.restoreTestOf(target.restoreType).push(target.arn);
  }

  /** Backs up and restore-tests an S3 bucket: see {@link protect}. The bucket must be versioned. */
  public protectBucket(bucket: s3.IBucket): void {
    this.protect(bucket);
  }

  /** Backs up and restore-tests a DynamoDB table: see {@link protect}. */
  public protectTable(table: dynamodb.ITable): void {
    this.protect(table);
  }

  /** Backs up and restore-tests an EFS file system: see {@link protect}. */
  public protectFileSystem(fileSystem: efs.IFileSystem): void {
    this.protect(fileSystem);
  }

  /** The selection of the resources added by ARN, created with the first one. */
  private selectionOfResources(): backup.CfnBackupSelection {
    this.resourceSelection ??= new backup.CfnBackupSelection(this, 'ProtectedResources', {
      backupPlanId: this.plan.backupPlanId,
      backupSelection: {
        selectionName: 'ProtectedAiResources',
        iamRoleArn: this.backupRole.roleArn,
        resources: Lazy.list({ produce: () => [...this.arns] }),
      },
    });
    return this.resourceSelection;
  }

  /** The ARNs restore-tested for one resource type; the restore testing selection is created with the first one. */
  private restoreTestOf(type: RestoreTestType): string[] {
    let arns = this.arnsByType.get(type);
    if (!arns) {
      const list: string[] = [];
      arns = list;
      this.arnsByType.set(type, list);
      const selection = new backup.CfnRestoreTestingSelection(this, `RestoreTesting${type}`, {
        restoreTestingPlanName: this.restoreTestingPlan.restoreTestingPlanName,
        restoreTestingSelectionName: `Protected${type}`,
        protectedResourceType: type,
        protectedResourceArns: Lazy.list({ produce: () => [...list] }),
        iamRoleArn: this.restoreRole.roleArn,
      });
      selection.addResourceDependency(this.restoreTestingPlan);
    }
    return arns;
  }
}

type Fail = (message: string) => never;

/** The props with their defaults, validated: each bad value throws naming the prop, the value and the fix. */
function settingsOf(owner: PropOwner, stack: Stack, props: OfflineBackupProps) {
  const fail: Fail = (message) => {
    throw new Error(`${ownerName(owner)}: ${message}`);
  };
  const minDays = props.minRetentionDays ?? 35;
  const maxDays = props.maxRetentionDays ?? 3650;
  const changeable = props.changeableForDays ?? 3;
  wholeDays(fail, 'minRetentionDays', minDays, 7, 36499, 'give at least 7 (the air-gapped vault\'s minimum), for example 35');
  wholeDays(fail, 'maxRetentionDays', maxDays, 2, 36500, 'give at most 36500, for example 3650');
  if (maxDays <= minDays) {
    fail(`maxRetentionDays (${maxDays}) must be greater than minRetentionDays (${minDays}), as Vault Lock requires. `
      + 'Fix: raise maxRetentionDays or lower minRetentionDays.');
  }
  wholeDays(fail, 'changeableForDays', changeable, 3, 36500, 'give 3 or more: AWS Backup enforces a 72-hour cooling-off period before the lock becomes immutable');
  const rules = [
    { name: 'Daily', prop: 'daily', schedule: props.dailySchedule ?? events.Schedule.expression('cron(0 3 * * ? *)'), days: props.dailyRetentionDays ?? 35 },
    { name: 'Weekly', prop: 'weekly', schedule: props.weeklySchedule ?? events.Schedule.expression('cron(0 4 ? * SAT *)'), days: props.weeklyRetentionDays ?? 90 },
    { name: 'Monthly', prop: 'monthly', schedule: props.monthlySchedule ?? events.Schedule.expression('cron(0 5 1 * ? *)'), days: props.monthlyRetentionDays ?? 365 },
  ];
  for (const rule of rules) {
    cronSchedule(fail, `${rule.prop}Schedule`, rule.schedule);
    const retention = `${rule.prop}RetentionDays`;
    wholeDays(fail, retention, rule.days, 1, 36500, `give a number of days between minRetentionDays (${minDays}) and maxRetentionDays (${maxDays})`);
    // Vault Lock (and the air-gapped vault) refuse recovery points whose retention is outside [min, max].
    if (rule.days < minDays) {
      fail(`${retention} is ${rule.days}, shorter than the vault's minRetentionDays (${minDays}): the locked vault would refuse `
        + `these backups. Fix: set ${retention} to ${minDays} or more, or lower minRetentionDays.`);
    }
    if (rule.days > maxDays) {
      fail(`${retention} is ${rule.days}, longer than the vault's maxRetentionDays (${maxDays}): the locked vault would refuse `
        + `these backups. Fix: set ${retention} to ${maxDays} or less, or raise maxRetentionDays.`);
    }
  }
  const restoreSchedule = props.restoreTestSchedule ?? events.Schedule.expression('cron(0 6 ? * MON *)');
  cronSchedule(fail, 'restoreTestSchedule', restoreSchedule);
  const notificationEvents = props.notificationEvents ?? [...DEFAULT_EVENTS];
  if (!notificationEvents.some((e) => ALERTING_EVENT.test(e))) {
    fail(`notificationEvents is [${notificationEvents.join(', ')}], with no failure or modification event, so a failed or `
      + 'altered backup would go unnoticed. Fix: include BACKUP_JOB_FAILED, COPY_JOB_FAILED and RECOVERY_POINT_MODIFIED, or leave it unset.');
  }
  if (props.remoteVaultArn !== undefined) remoteVault(fail, stack, props.remoteVaultArn);
  return { minDays, maxDays, changeable, rules, restoreSchedule, notificationEvents };
}

function wholeDays(fail: Fail, prop: string, value: number, min: number, max: number, fix: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(`${prop} must be a whole number of days between ${min} and ${max}, got ${value}. Fix: ${fix}.`);
  }
}

function cronSchedule(fail: Fail, prop: string, schedule: events.Schedule): void {
  const expression = schedule.expressionString;
  if (!Token.isUnresolved(expression) && !/^cron\(.+\)$/.test(expression)) {
    fail(`${prop} is '${expression}', but AWS Backup schedules are cron expressions. `
      + 'Fix: give events.Schedule.cron({ ... }) or events.Schedule.expression(\'cron(...)\').');
  }
}

function remoteVault(fail: Fail, stack: Stack, arn: string): void {
  if (Token.isUnresolved(arn)) return;
  const match = BACKUP_VAULT_ARN.exec(arn);
  if (!match) {
    fail(`remoteVaultArn '${arn}' is not a backup vault ARN. Fix: give arn:aws:backup:<region>:<account>:backup-vault:<name> `
      + 'of a vault in another account or Region.');
  }
  const [, region, account] = match!;
  if (region === stack.region && account === stack.account) {
    fail(`remoteVaultArn '${arn}' is in this stack's own account and Region, so it is no offsite copy. Fix: give a vault in `
      + 'another account or Region, or leave remoteVaultArn unset (the air-gapped vault is the offsite copy).');
  }
}

/** A role only AWS Backup of this account can assume, with AWS Backup's service-role policies. */
function serviceRole(scope: Construct, id: string, description: string, policies: string[]): iam.Role {
  const role = new iam.Role(scope, id, {
    description,
    assumedBy: servicePrincipalOfThisAccount(scope, 'backup.amazonaws.com', ServiceSource.ACCOUNT_IF_SUPPLIED),
    managedPolicies: policies.map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(p)),
  });
  acknowledgeRules(role, policies.map((p) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p}]`),
    'These are AWS Backup\'s documented service-role policies, on a role only backup.amazonaws.com can assume. AWS '
    + 'maintains them as AWS Backup adds resource types and features; an inline copy would drift and break backups or restores '
    + 'of the tagged resources silently.');
  return role;
}
