import { App, Duration, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { OfflineBackup, OfflineBackupProps } from '../../src/backup/offline-backup';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { AiEnvironmentStage } from '../../src/environment/ai-environment-stage';
import { SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { ObjectLockMode } from '../../src/storage/object-lock';
import { SecureBucket } from '../../src/storage/secure-bucket';
import { canaryFindings, checkCompliance, isReasoned, silentPacks } from '../compliance';
import { ValidationRun } from '../nag/harness';

const ENV = { account: '111111111111', region: 'us-east-1' };
const LOCK = { mode: ObjectLockMode.GOVERNANCE, retentionDays: 365 };
const REMOTE = 'arn:aws:backup:eu-west-1:222222222222:backup-vault:ai-offsite';
const DEFAULT_EVENTS = ['BACKUP_JOB_FAILED', 'BACKUP_JOB_EXPIRED', 'COPY_JOB_FAILED', 'RESTORE_JOB_FAILED', 'RECOVERY_POINT_MODIFIED',
  'BACKUP_PLAN_MODIFIED', 'S3_BACKUP_OBJECT_FAILED', 'S3_RESTORE_OBJECT_FAILED'];

/** A production environment with an artifact bucket (Object Lock on, as P19 asks) that an OfflineBackup protects. */
function build(props: OfflineBackupProps = {}, app = new App()) {
  const stack = new Stack(app, 'Ai', { env: ENV });
  const env = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
  const bucket = new SecureBucket(stack, 'Models', { environment: env, objectLock: LOCK });
  // What a registry's store carries, so that P19 evaluates it.
  Tags.of(bucket).add('ai:artifacts', 'true');
  const offline = new OfflineBackup(stack, 'Backup', { environment: env, ...props });
  offline.protect(bucket);
  return { app, stack, env, bucket, offline };
}

/** An OfflineBackup alone in a stack, for prop validation. */
function standalone(props: OfflineBackupProps = {}) {
  const stack = new Stack(new App(), 'Backups', { env: ENV });
  return { stack, offline: new OfflineBackup(stack, 'Backup', props) };
}

const ref = (prefix: string) => Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp(`^${prefix}`), Match.anyValue()] });

describe('OfflineBackup defaults', () => {
  const { stack } = build();
  const t = Template.fromStack(stack);
  const logicalId = (type: string, prefix: string) => Object.keys(t.findResources(type)).find((id) => id.startsWith(prefix))!;
  const keyId = logicalId('AWS::KMS::Key', 'BackupKey');
  const vaultId = logicalId('AWS::Backup::BackupVault', 'BackupVault');
  const airGappedId = logicalId('AWS::Backup::LogicallyAirGappedBackupVault', 'BackupAirGappedVault');
  const topicId = logicalId('AWS::SNS::Topic', 'BackupNotifications');

  test('a dedicated customer-managed key: rotated yearly, 30-day deletion window, RETAINed', () => {
    t.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, RotationPeriodInDays: 365, PendingWindowInDays: 30, Description: Match.stringLikeRegexp('^Backups of AI assets') },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(keyId).toBeDefined();
  });

  test('AWS Backup may use the key only for the notification topic\'s messages', () => {
    const statements = t.toJSON().Resources[keyId].Properties.KeyPolicy.Statement as Array<Record<string, any>>;
    const forBackup = statements.filter((s) => JSON.stringify(s.Principal).includes('backup.amazonaws.com'));
    expect(forBackup).toEqual([expect.objectContaining({
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': expect.anything() } },
    })]);
    const arn = stack.resolve(forBackup[0].Condition.StringEquals['kms:EncryptionContext:aws:sns:topicArn']);
    const topicName = t.toJSON().Resources[topicId].Properties.TopicName;
    expect(JSON.stringify(arn)).toContain(`:sns:us-east-1:111111111111:${topicName}`);
  });

  test('the vault is encrypted with the key, locked in compliance mode (35 to 3650 days, changeable 3 days), RETAINed', () => {
    t.hasResource('AWS::Backup::BackupVault', {
      Properties: {
        EncryptionKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
        LockConfiguration: { MinRetentionDays: 35, MaxRetentionDays: 3650, ChangeableForDays: 3 },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('the vault denies deleting or shortening recovery points by hand', () => {
    t.hasResourceProperties('AWS::Backup::BackupVault', {
      AccessPolicy: {
        Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'], Resource: '*' }],
      },
    });
  });

  test('both vaults send failure and modification events to the topic', () => {
    const notifications = { BackupVaultEvents: DEFAULT_EVENTS, SNSTopicArn: { Ref: topicId } };
    t.hasResourceProperties('AWS::Backup::BackupVault', { Notifications: notifications });
    t.hasResourceProperties('AWS::Backup::LogicallyAirGappedBackupVault', { Notifications: notifications });
  });

  test('a logically air-gapped vault with the same retention bounds, an AWS-owned key, RETAINed', () => {
    t.hasResource('AWS::Backup::LogicallyAirGappedBackupVault', {
      Properties: { MinRetentionDays: 35, MaxRetentionDays: 3650, BackupVaultName: Match.stringLikeRegexp('^[A-Za-z0-9_-]{2,50}$') },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(t.toJSON().Resources[airGappedId].Properties.EncryptionKeyArn).toBeUndefined();
  });

  test('daily, weekly and monthly rules into the locked vault, each copied to the air-gapped vault with the same retention', () => {
    const rule = (name: string, schedule: string, days: number) => ({
      RuleName: name,
      ScheduleExpression: schedule,
      TargetBackupVault: { 'Fn::GetAtt': [vaultId, 'BackupVaultName'] },
      Lifecycle: { DeleteAfterDays: days },
      CopyActions: [{ DestinationBackupVaultArn: { 'Fn::GetAtt': [airGappedId, 'BackupVaultArn'] }, Lifecycle: { DeleteAfterDays: days } }],
    });
    t.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: Match.stringLikeRegexp('Plan$'),
        BackupPlanRule: [
          rule('Daily', 'cron(0 3 * * ? *)', 35),
          rule('Weekly', 'cron(0 4 ? * SAT *)', 90),
          rule('Monthly', 'cron(0 5 1 * ? *)', 365),
        ],
      },
    });
  });

  test('selects every resource tagged ai:backup=true of the environment\'s stage', () => {
    t.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: {
        SelectionName: 'TaggedAiBackup',
        Resources: ['*'],
        Conditions: {
          StringEquals: [
            { ConditionKey: 'aws:ResourceTag/ai:backup', ConditionValue: 'true' },
            { ConditionKey: 'aws:ResourceTag/ai:environment', ConditionValue: 'production' },
          ],
        },
        IamRoleArn: ref('BackupBackupRole'),
      },
    });
  });

  test('selects the protected bucket by ARN', () => {
    t.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: { SelectionName: 'ProtectedAiResources', Resources: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Models'), 'Arn'] }], IamRoleArn: ref('BackupBackupRole') },
    });
  });

  test('a KMS-encrypted topic whose policy enforces TLS and lets AWS Backup publish', () => {
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          { Sid: 'BackupVaultNotifications', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: topicId } },
        ]),
      },
    });
  });

  test('backup and restore roles only AWS Backup can assume, with AWS Backup\'s service-role policies and nothing else', () => {
    const policyArn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]] });
    const trust = { Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: trust,
      ManagedPolicyArns: [policyArn('service-role/AWSBackupServiceRolePolicyForBackup'), policyArn('AWSBackupServiceRolePolicyForS3Backup')],
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: trust,
      ManagedPolicyArns: [policyArn('service-role/AWSBackupServiceRolePolicyForRestores'), policyArn('AWSBackupServiceRolePolicyForS3Restore')],
      // Exempts it from the environment boundary's versioning deny: an S3 restore turns versioning on in a new bucket.
      Tags: Match.arrayWith([{ Key: 'ai:service-role', Value: 'aws-backup-restore' }]),
    });
    const backupRole = Object.values(t.findResources('AWS::IAM::Role', { Properties: { ManagedPolicyArns: Match.arrayWith([policyArn('service-role/AWSBackupServiceRolePolicyForBackup')]) } }));
    expect(JSON.stringify(backupRole)).not.toContain('ai:service-role');
    const attached = JSON.stringify(t.findResources('AWS::IAM::Policy'));
    expect(attached).not.toMatch(/BackupBackupRole|BackupRestoreRole/);
  });

  test('a weekly restore test of the latest recovery point in the locked vault, for the protected bucket', () => {
    t.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      ScheduleExpression: 'cron(0 6 ? * MON *)',
      RestoreTestingPlanName: Match.stringLikeRegexp('^[A-Za-z0-9_]{1,50}$'),
      RecoveryPointSelection: { Algorithm: 'LATEST_WITHIN_WINDOW', IncludeVaults: [{ 'Fn::GetAtt': [vaultId, 'BackupVaultArn'] }], RecoveryPointTypes: ['SNAPSHOT'], SelectionWindowDays: 7 },
    });
    const plan = t.findResources('AWS::Backup::RestoreTestingPlan');
    const [planId] = Object.keys(plan);
    t.hasResource('AWS::Backup::RestoreTestingSelection', {
      Properties: {
        RestoreTestingPlanName: plan[planId].Properties.RestoreTestingPlanName,
        ProtectedResourceType: 'S3',
        ProtectedResourceArns: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Models'), 'Arn'] }],
        IamRoleArn: ref('BackupRestoreRole'),
      },
      DependsOn: [planId],
    });
  });

  test('no copy to another account unless asked', () => {
    expect(JSON.stringify(t.findResources('AWS::Backup::BackupPlan'))).not.toContain('arn:aws:backup:');
  });
});

describe('OfflineBackup options', () => {
  test('without an environment the tag selection does not filter by stage', () => {
    const { stack } = standalone();
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: { Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/ai:backup', ConditionValue: 'true' }] } },
    });
  });

  test('no resource selection and no restore testing selection until something is protected', () => {
    const t = Template.fromStack(standalone().stack);
    t.resourceCountIs('AWS::Backup::BackupSelection', 1);
    t.resourceCountIs('AWS::Backup::RestoreTestingSelection', 0);
  });

  test('a remote vault receives a copy from every rule', () => {
    const { stack } = build({ remoteVaultArn: REMOTE });
    const rules = Template.fromStack(stack).toJSON().Resources;
    const plan = Object.values<any>(rules).find((r) => r.Type === 'AWS::Backup::BackupPlan');
    const copies = plan.Properties.BackupPlan.BackupPlanRule.map((r: any) => r.CopyActions.map((c: any) => c.DestinationBackupVaultArn));
    expect(copies).toEqual([0, 1, 2].map(() => [expect.objectContaining({ 'Fn::GetAtt': expect.anything() }), REMOTE]));
    expect(plan.Properties.BackupPlan.BackupPlanRule.map((r: any) => r.CopyActions[1].Lifecycle.DeleteAfterDays)).toEqual([35, 90, 365]);
  });

  test('schedules, retentions, lock and events as given', () => {
    const { stack } = standalone({
      minRetentionDays: 14,
      maxRetentionDays: 400,
      changeableForDays: 7,
      dailySchedule: events.Schedule.cron({ minute: '30', hour: '1' }),
      dailyRetentionDays: 14,
      weeklySchedule: events.Schedule.expression('cron(0 2 ? * SUN *)'),
      weeklyRetentionDays: 60,
      monthlySchedule: events.Schedule.expression('cron(0 2 15 * ? *)'),
      monthlyRetentionDays: 400,
      restoreTestSchedule: events.Schedule.expression('cron(0 8 1 * ? *)'),
      notificationEvents: [backup.BackupVaultEvents.COPY_JOB_FAILED],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: { MinRetentionDays: 14, MaxRetentionDays: 400, ChangeableForDays: 7 },
      Notifications: { BackupVaultEvents: ['COPY_JOB_FAILED'], SNSTopicArn: Match.anyValue() },
    });
    t.hasResourceProperties('AWS::Backup::LogicallyAirGappedBackupVault', { MinRetentionDays: 14, MaxRetentionDays: 400 });
    t.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({ ScheduleExpression: 'cron(30 1 * * ? *)', Lifecycle: { DeleteAfterDays: 14 } }),
          Match.objectLike({ ScheduleExpression: 'cron(0 2 ? * SUN *)', Lifecycle: { DeleteAfterDays: 60 } }),
          Match.objectLike({ ScheduleExpression: 'cron(0 2 15 * ? *)', Lifecycle: { DeleteAfterDays: 400 } }),
        ],
      },
    });
    t.hasResourceProperties('AWS::Backup::RestoreTestingPlan', { ScheduleExpression: 'cron(0 8 1 * ? *)' });
  });

  test('protects DynamoDB tables (Table and TableV2) and EFS file systems, each restore-tested by type', () => {
    const { stack, offline } = standalone();
    const table = new dynamodb.Table(stack, 'Features', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const tableV2 = new dynamodb.TableV2(stack, 'Vectors', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const fileSystem = new efs.FileSystem(stack, 'Datasets', { vpc });
    offline.protectTable(table);
    offline.protect(tableV2);
    offline.protectFileSystem(fileSystem);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: {
        SelectionName: 'ProtectedAiResources',
        Resources: [
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^Features'), 'Arn'] },
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^Vectors'), 'Arn'] },
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^Datasets'), 'Arn'] },
        ],
      },
    });
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', { ProtectedResourceType: 'DynamoDB', ProtectedResourceArns: [Match.anyValue(), Match.anyValue()] });
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', { ProtectedResourceType: 'EFS', ProtectedResourceArns: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Datasets'), 'Arn'] }] });
  });

  test('protects a versioned L1 bucket and a versioned plain s3.Bucket; protecting twice selects once', () => {
    const { stack, offline } = standalone();
    const cfn = new s3.CfnBucket(stack, 'Raw', { versioningConfiguration: { status: 'Enabled' } });
    const plain = new s3.Bucket(stack, 'Plain', { versioned: true });
    offline.protect(cfn);
    offline.protectBucket(plain);
    offline.protectBucket(plain);
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: { Resources: [{ 'Fn::GetAtt': ['Raw', 'Arn'] }, { 'Fn::GetAtt': [Match.stringLikeRegexp('^Plain'), 'Arn'] }] },
    });
  });

  test('an imported bucket is accepted with a warning: its versioning cannot be known', () => {
    const { stack, offline } = standalone();
    offline.protectBucket(s3.Bucket.fromBucketName(stack, 'Imported', 'shared-models'));
    Annotations.fromStack(stack).hasWarning('/Backups/Backup', Match.stringLikeRegexp('Bucket Backups/Imported is imported.*versioned.*BACKUP_JOB_FAILED'));
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: { Resources: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::shared-models']] }] },
    });
  });
});

describe('OfflineBackup refuses invalid props', () => {
  test.each([
    [{ minRetentionDays: 6 }, /minRetentionDays must be a whole number of days between 7 and 36499, got 6\. Fix: give at least 7/],
    [{ minRetentionDays: 10.5 }, /minRetentionDays must be a whole number.*got 10\.5\. Fix:/],
    [{ maxRetentionDays: 40000 }, /maxRetentionDays must be a whole number of days between 2 and 36500, got 40000\. Fix: give at most 36500/],
    [{ minRetentionDays: 100, maxRetentionDays: 100, dailyRetentionDays: 100, weeklyRetentionDays: 100, monthlyRetentionDays: 100 },
      /maxRetentionDays \(100\) must be greater than minRetentionDays \(100\).*Fix: raise maxRetentionDays/],
    [{ changeableForDays: 2 }, /changeableForDays must be a whole number of days between 3 and 36500, got 2\. Fix: give 3 or more: AWS Backup enforces a 72-hour/],
    [{ changeableForDays: 3.5 }, /changeableForDays must be a whole number.*got 3\.5/],
    [{ dailyRetentionDays: 30 }, /dailyRetentionDays is 30, shorter than the vault's minRetentionDays \(35\).*Fix: set dailyRetentionDays to 35 or more/],
    [{ weeklyRetentionDays: 7 }, /weeklyRetentionDays is 7, shorter than the vault's minRetentionDays \(35\).*Fix: set weeklyRetentionDays to 35 or more/],
    [{ monthlyRetentionDays: 20 }, /monthlyRetentionDays is 20, shorter.*Fix: set monthlyRetentionDays to 35 or more/],
    [{ monthlyRetentionDays: 4000 }, /monthlyRetentionDays is 4000, longer than the vault's maxRetentionDays \(3650\).*Fix: set monthlyRetentionDays to 3650 or less/],
    [{ dailyRetentionDays: 40.5 }, /dailyRetentionDays must be a whole number of days.*got 40\.5/],
    [{ dailySchedule: events.Schedule.rate(Duration.days(1)) },
      /dailySchedule is 'rate\(1 day\)', but AWS Backup schedules are cron expressions\. Fix:/],
    [{ weeklySchedule: events.Schedule.expression('at(2030-01-01T00:00:00)') }, /weeklySchedule is 'at\(.*cron expressions/],
    [{ monthlySchedule: events.Schedule.expression('rate(30 days)') }, /monthlySchedule is 'rate\(30 days\)'/],
    [{ restoreTestSchedule: events.Schedule.expression('rate(7 days)') }, /restoreTestSchedule is 'rate\(7 days\)'.*Fix:/],
    [{ notificationEvents: [backup.BackupVaultEvents.BACKUP_JOB_STARTED, backup.BackupVaultEvents.BACKUP_JOB_SUCCESSFUL] },
      /notificationEvents is \[BACKUP_JOB_STARTED, BACKUP_JOB_SUCCESSFUL\], with no failure or modification event.*Fix: include BACKUP_JOB_FAILED/],
    [{ remoteVaultArn: 'arn:aws:s3:::not-a-vault' }, /remoteVaultArn 'arn:aws:s3:::not-a-vault' is not a backup vault ARN\. Fix: give arn:aws:backup:<region>:<account>:backup-vault:<name>/],
    [{ remoteVaultArn: 'arn:aws:backup:us-east-1:111111111111:backup-vault:local' }, /remoteVaultArn .* is in this stack's own account and Region, so it is no offsite copy\. Fix:/],
  ] as Array<[OfflineBackupProps, RegExp]>)('%p throws naming the prop and the fix', (props, message) => {
    expect(() => standalone(props)).toThrow(message);
  });

  test('a remote vault in this account but another Region is accepted', () => {
    expect(() => standalone({ remoteVaultArn: 'arn:aws:backup:eu-west-1:111111111111:backup-vault:dr' })).not.toThrow();
  });

  test('a bucket without versioning is refused', () => {
    const { stack, offline } = standalone();
    const bucket = new s3.Bucket(stack, 'Unversioned');
    expect(() => offline.protectBucket(bucket)).toThrow(/bucket Backups\/Unversioned is not versioned, and AWS Backup backs up only versioned buckets\. Fix: use a SecureBucket, or create the bucket with versioned: true/);
    const suspended = new s3.CfnBucket(stack, 'Suspended', { versioningConfiguration: { status: 'Suspended' } });
    expect(() => offline.protect(suspended)).toThrow(/Suspended is not versioned/);
  });

  test('a resource AWS Backup selection here cannot hold is refused', () => {
    const { stack, offline } = standalone();
    expect(() => offline.protect(new sns.Topic(stack, 'Topic'))).toThrow(/Backups\/Topic is not an S3 bucket, DynamoDB table or EFS file system\. Fix:/);
  });

  test('a resource of another account or Region is refused', () => {
    const { stack, offline } = standalone();
    const elsewhere = new Stack(stack.node.root as App, 'Elsewhere', { env: { account: '333333333333', region: 'us-east-1' } });
    const bucket = new s3.Bucket(elsewhere, 'Data', { versioned: true });
    expect(() => offline.protectBucket(bucket)).toThrow(/cannot protect Elsewhere\/Data: it is in account 333333333333.*own account and Region only\. Fix: create an OfflineBackup in that resource's stack/);
  });

  test('a resource of another environment stage is refused', () => {
    // Stacks without an account: the stage alone tells the environments apart.
    const app = new App();
    const devStack = new Stack(app, 'Dev');
    const devBucket = new SecureBucket(devStack, 'Training', {
      environment: new AiEnvironment(devStack, 'Env', { owner: 'ml', stage: EnvironmentStage.DEVELOPMENT, maxAzs: 1 }),
    });
    const prodStack = new Stack(app, 'Prod');
    const offline = new OfflineBackup(prodStack, 'Backup', { environment: new AiEnvironment(prodStack, 'Env', { owner: 'ml' }) });
    expect(() => offline.protectBucket(devBucket)).toThrow(/cannot protect Dev\/Training: it belongs to the development environment \(Dev\/Env\) and this backup to the production environment \(Prod\/Env\): environments are segregated, and their backups too\. Fix:/);
  });

  test('stages of their own accounts are refused by account', () => {
    const app = new App();
    const dev = new AiEnvironmentStage(app, 'Dev', { environmentStage: EnvironmentStage.DEVELOPMENT, env: { account: '222222222222', region: 'us-east-1' } });
    const prod = new AiEnvironmentStage(app, 'Prod', { environmentStage: EnvironmentStage.PRODUCTION, env: ENV });
    const devStack = new Stack(dev, 'Data');
    const devBucket = new SecureBucket(devStack, 'Training', { environment: new AiEnvironment(devStack, 'Env', { owner: 'ml', maxAzs: 1 }) });
    const prodStack = new Stack(prod, 'Backups');
    const offline = new OfflineBackup(prodStack, 'Backup', { environment: new AiEnvironment(prodStack, 'Env', { owner: 'ml' }) });
    expect(() => offline.protectBucket(devBucket)).toThrow(/it is in account 222222222222/);
  });
});

describe('OfflineBackup compliance', () => {
  test('passes every pack with reasoned acknowledgments; P18 passes for real; the canary proves the packs ran', () => {
    const result = checkCompliance((app) => build({}, app));
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    // Nothing of the SecureAI pack is acknowledged: the backup rules pass on their own.
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI'))).toEqual([]);
    // The construct's only acknowledgments: AWS Backup's managed service-role policies, one per policy.
    const own = result.acknowledgments.filter((a) => a.path.startsWith('Ai/Backup'));
    expect(own.map((a) => `${a.path} ${a.id.replace(/^Annotation::/, '')}`).sort()).toEqual([
      'Ai/Backup/BackupRole AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup]',
      'Ai/Backup/BackupRole AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      'Ai/Backup/RestoreRole AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore]',
      'Ai/Backup/RestoreRole AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]',
    ]);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });
});

/** The SecureAI pack alone over the built app, after synthesis so that tags and aspects are applied. */
function secureAi(change: (built: ReturnType<typeof build>) => void = () => undefined): ValidationRun {
  const built = build();
  change(built);
  built.app.synth();
  return new ValidationRun(new SecureAiChecks().validateScope(built.app));
}

/** The L1s of the construct, for escape-hatch overrides. */
function l1(offline: OfflineBackup) {
  return {
    vault: offline.vault.node.defaultChild as backup.CfnBackupVault,
    airGapped: offline.airGappedVault,
    plan: offline.plan.node.defaultChild as backup.CfnBackupPlan,
    selection: offline.node.findChild('ProtectedResources') as backup.CfnBackupSelection,
  };
}

const RULES = [0, 1, 2];

describe('OfflineBackup under the catalogue\'s backup rules', () => {
  test('P17, P18, P19 and O4 evaluate the construct\'s output and find nothing', () => {
    const run = secureAi();
    expect(run.ids).toEqual([]);
    expect(run.tally('P17')).toMatchObject({ compliant: 1, nonCompliant: 0, unverifiable: 0 });
    // The plan and the bucket.
    expect(run.tally('P18')).toMatchObject({ compliant: 2, nonCompliant: 0, unverifiable: 0 });
    expect(run.tally('P19')).toMatchObject({ compliant: 1, nonCompliant: 0 });
    // The locked vault and the air-gapped vault both receive the AI backups.
    expect(run.tally('O4')).toMatchObject({ compliant: 2, nonCompliant: 0, unverifiable: 0 });
    expect(run.tally('P16').nonCompliant).toBe(0);
  });

  test('without Vault Lock the air-gapped copy still satisfies P17', () => {
    const run = secureAi(({ offline }) => l1(offline).vault.addPropertyDeletionOverride('LockConfiguration'));
    expect(run.ids).not.toContain('SecureAI-P17');
  });

  test('P17 fails without Vault Lock when the air-gapped vault keeps recovery points too briefly', () => {
    const run = secureAi(({ offline }) => {
      l1(offline).vault.addPropertyDeletionOverride('LockConfiguration');
      l1(offline).airGapped.addPropertyOverride('MinRetentionDays', 7);
    });
    expect(run.ids).toContain('SecureAI-P17');
    expect(run.of('P17')[0].message).toMatch(/has no LockConfiguration.*MinRetentionDays is 7/);
  });

  test('P17 fails with the lock in governance mode (no ChangeableForDays) and no air-gapped copy', () => {
    const run = secureAi(({ offline }) => {
      l1(offline).vault.addPropertyDeletionOverride('LockConfiguration.ChangeableForDays');
      RULES.forEach((i) => l1(offline).plan.addPropertyDeletionOverride(`BackupPlan.BackupPlanRule.${i}.CopyActions`));
    });
    expect(run.ids).toContain('SecureAI-P17');
    expect(run.of('P17')[0].message).toMatch(/governance mode/);
  });

  test('P17 fails when the vault has no customer-managed key', () => {
    const run = secureAi(({ offline }) => l1(offline).vault.addPropertyDeletionOverride('EncryptionKeyArn'));
    expect(run.ids).toContain('SecureAI-P17');
    expect(run.of('P17')[0].message).toMatch(/has no EncryptionKeyArn/);
  });

  test('P18 fails without copy actions (no offsite copy); P17 still holds through the lock', () => {
    const run = secureAi(({ offline }) => RULES.forEach((i) => l1(offline).plan.addPropertyDeletionOverride(`BackupPlan.BackupPlanRule.${i}.CopyActions`)));
    expect(run.ids).toEqual(['SecureAI-P18']);
    expect(run.of('P18')[0].message).toMatch(/no rule copies the backups to another account or Region or to a logically air-gapped vault/);
  });

  test('P17 and P18 both fail without copy actions and without Vault Lock', () => {
    const run = secureAi(({ offline }) => {
      l1(offline).vault.addPropertyDeletionOverride('LockConfiguration');
      RULES.forEach((i) => l1(offline).plan.addPropertyDeletionOverride(`BackupPlan.BackupPlanRule.${i}.CopyActions`));
    });
    expect(run.ids).toEqual(['SecureAI-P17', 'SecureAI-P18']);
  });

  test('P18 fails when every rule and copy keeps recovery points shorter than the minimum', () => {
    const run = secureAi(({ offline }) => RULES.forEach((i) => {
      l1(offline).plan.addPropertyOverride(`BackupPlan.BackupPlanRule.${i}.Lifecycle.DeleteAfterDays`, 7);
      l1(offline).plan.addPropertyOverride(`BackupPlan.BackupPlanRule.${i}.CopyActions.0.Lifecycle.DeleteAfterDays`, 7);
    }));
    expect(run.ids).toContain('SecureAI-P18');
    expect(run.of('P18')[0].message).toMatch(/longest DeleteAfterDays is 7/);
  });

  test('P18 fails on the bucket when no selection covers it', () => {
    const run = secureAi(({ offline }) => l1(offline).selection.addPropertyOverride('BackupSelection.Resources', ['arn:aws:s3:::some-other-bucket']));
    expect(run.ids).toEqual(['SecureAI-P18']);
    expect(run.of('P18')[0]).toMatchObject({ resourceType: 'AWS::S3::Bucket', message: expect.stringMatching(/no AWS::Backup::BackupSelection selects it/) });
  });

  test('the tag selection covers a bucket tagged ai:backup=true in the stage, and only in the stage', () => {
    const tagged = secureAi(({ stack, env }) => {
      const data = new SecureBucket(stack, 'Tagged', { environment: env, objectLock: LOCK });
      Tags.of(data).add('ai:backup', 'true');
    });
    expect(tagged.ids).toEqual([]);
    const otherStage = secureAi(({ stack, env }) => {
      const data = new SecureBucket(stack, 'Tagged', { environment: env, objectLock: LOCK });
      Tags.of(data).add('ai:backup', 'true');
      Tags.of(data).add('ai:environment', 'development', { priority: 1000 });
    });
    expect(otherStage.ids).toEqual(['SecureAI-P18']);
    const untagged = secureAi(({ stack, env }) => new SecureBucket(stack, 'Untagged', { environment: env, objectLock: LOCK }));
    expect(untagged.ids).toEqual(['SecureAI-P18']);
    expect(untagged.of('P18')[0].constructPath).toMatch(/^Ai\/Untagged/);
  });

  test('O4 fails when the vaults send no notifications', () => {
    const run = secureAi(({ offline }) => {
      l1(offline).vault.addPropertyDeletionOverride('Notifications');
      l1(offline).airGapped.addPropertyDeletionOverride('Notifications');
    });
    expect(run.ids).toEqual(['SecureAI-O4', 'SecureAI-O4']);
  });

  test('P19 fails for a protected artifact bucket without Object Lock (the bucket\'s own setting)', () => {
    const run = secureAi(({ stack, env, offline }) => {
      const unlocked = new SecureBucket(stack, 'Unlocked', { environment: env });
      Tags.of(unlocked).add('ai:artifacts', 'true');
      offline.protect(unlocked);
    });
    expect(run.ids).toEqual(['SecureAI-P19']);
    expect(run.of('P19')[0].constructPath).toMatch(/^Ai\/Unlocked/);
  });
});
