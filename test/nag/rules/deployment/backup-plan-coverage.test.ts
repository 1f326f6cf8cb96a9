import { App, CfnResource, Stack, StackProps, Tags } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const AI_BUCKET: Resources = {
  Bucket: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } },
  Model: {
    Type: 'AWS::SageMaker::Model',
    Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: { ModelDataUrl: { 'Fn::Join': ['', ['s3://', { Ref: 'Bucket' }, '/model.tar.gz']] } } },
  },
};
const LAG = { Type: 'AWS::Backup::LogicallyAirGappedBackupVault', Properties: { BackupVaultName: 'lag', MinRetentionDays: 35, MaxRetentionDays: 365 } };
const VAULT = { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'local' } };
const TO_LAG = [{ DestinationBackupVaultArn: { 'Fn::GetAtt': ['Lag', 'BackupVaultArn'] }, Lifecycle: { DeleteAfterDays: 35 } }];
const rule = (extra: Record<string, unknown> = {}) => ({ RuleName: 'daily', TargetBackupVault: { Ref: 'Vault' }, Lifecycle: { DeleteAfterDays: 35 }, CopyActions: TO_LAG, ...extra });
const plan = (rules: unknown = [rule()]) => ({ Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'ai', BackupPlanRule: rules } } });
const selection = (select: Record<string, unknown> = { Resources: [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }] }, planId: unknown = { Ref: 'Plan' }) => ({
  Type: 'AWS::Backup::BackupSelection',
  Properties: { BackupPlanId: planId, BackupSelection: { SelectionName: 'ai', IamRoleArn: 'arn:aws:iam::111122223333:role/backup', ...select } },
});
const fixture = (resources: Resources = {}, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: { ...AI_BUCKET, Vault: VAULT, Lag: LAG, Plan: plan(), Selection: selection(), ...resources },
});

/** Runs the pack over the fixture in a stack deployed to a known account and Region. */
function validateIn(env: { account: string; region: string }, fixtureToRun: TemplateFixture): ValidationRun {
  const app = new App();
  const stack = new Stack(app, 'Test', { env });
  for (const [id, r] of Object.entries(fixtureToRun.Resources)) {
    new CfnResource(stack, id, { type: r.Type, properties: r.Properties }).overrideLogicalId(id);
  }
  return new ValidationRun(new SecureAiChecks().validateScope(app));
}

describe('P18 AI asset stores are in a backup plan with retention and an offsite copy', () => {
  test('compliant: the AI bucket is selected by a plan that keeps 35 days and copies to an air-gapped vault', () => {
    const run = validate(fixture());
    expect(verdictOf(run, 'P18', 'Bucket')).toBe('none');
    expect(verdictOf(run, 'P18', 'Plan')).toBe('none');
    expect(run.tally('P18')).toMatchObject({ evaluated: 2, compliant: 2 });
  });

  test('non-compliant: an AI bucket that no selection selects; other buckets are not applicable', () => {
    const run = validate({ Resources: { ...AI_BUCKET, Other: { Type: 'AWS::S3::Bucket' } } });
    expect(verdictOf(run, 'P18', 'Bucket')).toBe('non-compliant');
    const finding = run.of('P18')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-P18', level: 'warning' });
    expect(finding.message).toMatch(/Bucket is an AI asset store \(referenced by AWS::SageMaker::Model Model/);
    expect(finding.message).toMatch(/no AWS::Backup::BackupSelection selects it/);
    expect(verdictOf(run, 'P18', 'Other')).toBe('none');
  });

  test('non-compliant: the plan keeps recovery points for less than the minimum', () => {
    const shortCopy = [{ ...TO_LAG[0], Lifecycle: { DeleteAfterDays: 14 } }];
    const run = validate(fixture({ Plan: plan([rule({ Lifecycle: { DeleteAfterDays: 7 }, CopyActions: shortCopy })]) }));
    expect(verdictOf(run, 'P18', 'Plan')).toBe('non-compliant');
    expect(run.of('P18')[0].message).toMatch(/longest DeleteAfterDays is 14/);
    // A monthly rule kept for a year gives a restore point far enough back.
    const monthly = rule({ RuleName: 'monthly', Lifecycle: { DeleteAfterDays: 365 } });
    expect(verdictOf(validate(fixture({ Plan: plan([rule({ Lifecycle: { DeleteAfterDays: 7 } }), monthly]) })), 'P18', 'Plan')).toBe('none');
    // No DeleteAfterDays: kept until deleted.
    expect(verdictOf(validate(fixture({ Plan: plan([rule({ Lifecycle: undefined })]) }), { minimumBackupRetentionDays: 3650 }), 'P18', 'Plan')).toBe('none');
    expect(verdictOf(validate(fixture(), { minimumBackupRetentionDays: 90 }), 'P18', 'Plan')).toBe('non-compliant');
  });

  test('non-compliant: no copy, or a copy to a vault in the same account and Region', () => {
    const noCopy = validate(fixture({ Plan: plan([rule({ CopyActions: undefined })]) }));
    expect(verdictOf(noCopy, 'P18', 'Plan')).toBe('non-compliant');
    expect(noCopy.of('P18')[0].message).toMatch(/no rule copies the backups to another account or Region/);
    const local = validate(fixture({ Other: { ...VAULT, Properties: { BackupVaultName: 'other' } }, Plan: plan([rule({ CopyActions: [{ DestinationBackupVaultArn: { 'Fn::GetAtt': ['Other', 'BackupVaultArn'] } }] })]) }));
    expect(verdictOf(local, 'P18', 'Plan')).toBe('non-compliant');
    const pseudo = { 'Fn::Sub': 'arn:${AWS::Partition}:backup:${AWS::Region}:${AWS::AccountId}:backup-vault:other' };
    expect(verdictOf(validate(fixture({ Plan: plan([rule({ CopyActions: [{ DestinationBackupVaultArn: pseudo }] })]) })), 'P18', 'Plan')).toBe('non-compliant');
  });

  test('a copy to a vault ARN outside the app: decided when the stack environment is known, unverifiable otherwise', () => {
    const central = 'arn:aws:backup:eu-west-1:444455556666:backup-vault:central';
    const resources = fixture({ Plan: plan([rule({ CopyActions: [{ DestinationBackupVaultArn: central }] })]) });
    const agnostic = validate(resources);
    expect(verdictOf(agnostic, 'P18', 'Plan')).toBe('unverifiable');
    expect(agnostic.of('P18')[0]).toMatchObject({ ruleName: 'SecureAI-P18[unverifiable]', level: 'warning' });
    expect(verdictOf(validateIn({ account: '111122223333', region: 'eu-west-2' }, resources), 'P18', 'Plan')).toBe('none');
    expect(verdictOf(validateIn({ account: '444455556666', region: 'eu-west-1' }, resources), 'P18', 'Plan')).toBe('non-compliant');
    const lagTarget = fixture({ Plan: plan([rule({ CopyActions: undefined, TargetLogicallyAirGappedBackupVaultArn: imported('lag-arn') })]) });
    expect(verdictOf(validate(lagTarget), 'P18', 'Plan')).toBe('none');
  });

  test('intrinsic: Fn::If with a short retention in one branch; a retention from a parameter default', () => {
    const shortCopy = [{ ...TO_LAG[0], Lifecycle: { DeleteAfterDays: 1 } }];
    const branch = validate(fixture({ Plan: plan([rule({ Lifecycle: { DeleteAfterDays: ifElse(35, 1) }, CopyActions: shortCopy })]) }));
    expect(verdictOf(branch, 'P18', 'Plan')).toBe('non-compliant');
    expect(branch.of('P18')[0].message).toMatch(/possible forms/);
    const parameter = validate(fixture({ Plan: plan([rule({ Lifecycle: { DeleteAfterDays: { Ref: 'Days' } }, CopyActions: [{ ...TO_LAG[0], Lifecycle: { DeleteAfterDays: { Ref: 'Days' } } }] })]) }, { Days: { Type: 'Number', Default: 7 } }));
    expect(verdictOf(parameter, 'P18', 'Plan')).toBe('non-compliant');
    const unknownDays = validate(fixture({ Plan: plan([rule({ Lifecycle: { DeleteAfterDays: imported('days') } })]) }));
    expect(verdictOf(unknownDays, 'P18', 'Plan')).toBe('unverifiable');
  });

  test('unverifiable: the selection belongs to a plan outside the app, or its resources are imported', () => {
    const outsidePlan = validate({ Resources: { ...AI_BUCKET, Selection: selection(undefined, imported('central-plan-id')) } });
    expect(verdictOf(outsidePlan, 'P18', 'Bucket')).toBe('unverifiable');
    expect(outsidePlan.of('P18')[0].message).toMatch(/its plan is not in the app/);
    const importedResources = validate(fixture({ Selection: selection({ Resources: imported('arns') }) }));
    expect(verdictOf(importedResources, 'P18', 'Bucket')).toBe('unverifiable');
    expect(verdictOf(importedResources, 'P18', 'Plan')).toBe('none'); // compliant, though it may not even select the bucket
  });

  test('a finding names at most five of the selections that may select the store, however many the app holds', () => {
    const selections: Resources = {};
    for (let i = 0; i < 7; i++) selections[`Selection${i}`] = selection({ Resources: imported(`arns-${i}`) });
    const run = validate({ Resources: { ...AI_BUCKET, Vault: VAULT, Lag: LAG, Plan: plan(), ...selections } });
    expect(run.of('P18').map((f) => f.message)).toEqual([
      expect.stringContaining('backup selection Selection0, Selection1, Selection2, Selection3, Selection4 and 2 more may select it'),
    ]);
  });

  test('stores: tagged tables, knowledge-base clusters and file systems selected by tags and conditions', () => {
    const table = { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'features', Tags: [{ Key: 'ai:asset', Value: 'true' }, { Key: 'backup', Value: 'daily' }] } };
    const cluster = { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', Tags: [{ Key: 'backup', Value: 'daily' }] } };
    const kb = {
      Type: 'AWS::Bedrock::KnowledgeBase',
      Properties: { Name: 'kb', RoleArn: 'arn:aws:iam::111122223333:role/kb', StorageConfiguration: { Type: 'RDS', RdsConfiguration: { ResourceArn: { 'Fn::GetAtt': ['Cluster', 'DBClusterArn'] } } } },
    };
    const efs = { Type: 'AWS::EFS::FileSystem', Properties: { FileSystemTags: [{ Key: 'ai:asset', Value: 'true' }] } };
    const uncovered = validate({ Resources: { Table: table, Cluster: cluster, Kb: kb, Efs: efs } });
    expect(['Table', 'Cluster', 'Efs'].map((id) => verdictOf(uncovered, 'P18', id))).toEqual(['non-compliant', 'non-compliant', 'non-compliant']);
    const byTags = validate({
      Resources: {
        Table: table,
        Cluster: cluster,
        Kb: kb,
        Efs: efs,
        Vault: VAULT,
        Lag: LAG,
        Plan: plan(),
        Selection: selection({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }] }),
        Everything: selection({ Resources: ['arn:aws:elasticfilesystem:*:*:file-system/*'], Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/ai:asset', ConditionValue: 'true' }] } }),
      },
    });
    expect(['Table', 'Cluster', 'Efs'].map((id) => verdictOf(byTags, 'P18', id))).toEqual(['none', 'none', 'none']);
    const wrongCondition = validate({
      Resources: { Efs: efs, Vault: VAULT, Lag: LAG, Plan: plan(), Selection: selection({ Resources: ['*'], Conditions: { StringNotEquals: [{ ConditionKey: 'aws:ResourceTag/ai:asset', ConditionValue: 'true' }] } }) },
    });
    expect(verdictOf(wrongCondition, 'P18', 'Efs')).toBe('non-compliant');
  });

  test('a selection by tag sees the stack\'s tags, which CloudFormation propagates, and those Tags.of writes', () => {
    const byTag = selection({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'ai:backup', ConditionValue: 'true' }] });
    const run = (props: StackProps, tag?: (stack: Stack) => void) => {
      const app = new App();
      const stack = new Stack(app, 'Test', props);
      tag?.(stack);
      for (const [id, r] of Object.entries(fixture({ Selection: byTag }).Resources)) {
        new CfnResource(stack, id, { type: r.Type, properties: r.Properties }).overrideLogicalId(id);
      }
      return verdictOf(new ValidationRun(new SecureAiChecks().validateScope(app)), 'P18', 'Bucket');
    };
    expect(run({})).toBe('non-compliant');
    expect(run({ tags: { 'ai:backup': 'true' } })).toBe('none');
    expect(run({}, (stack) => Tags.of(stack).add('ai:backup', 'true'))).toBe('none');
  });

  test('wildcard ARNs: RDS identifiers are matched ignoring case, the names of other services as written', () => {
    const cluster = { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', DBClusterIdentifier: 'KbDb' } };
    const kb = {
      Type: 'AWS::Bedrock::KnowledgeBase',
      Properties: { Name: 'kb', RoleArn: 'arn:aws:iam::111122223333:role/kb', StorageConfiguration: { Type: 'RDS', RdsConfiguration: { ResourceArn: { 'Fn::GetAtt': ['Cluster', 'DBClusterArn'] } } } },
    };
    const table = { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'features', Tags: [{ Key: 'ai:asset', Value: 'true' }] } };
    const backedUpBy = (arn: string) => validate({
      Resources: { Cluster: cluster, Kb: kb, Table: table, Vault: VAULT, Lag: LAG, Plan: plan(), Selection: selection({ Resources: [arn] }) },
    });
    // RDS stores the identifier KbDb as kbdb, and a selection's ARN in any case names it.
    for (const arn of ['arn:aws:rds:*:*:cluster:KB*', 'arn:aws:rds:*:*:cluster:kbdb', 'arn:aws:rds:*:*:cluster:k?DB']) {
      expect([arn, verdictOf(backedUpBy(arn), 'P18', 'Cluster')]).toEqual([arn, 'none']);
    }
    expect(verdictOf(backedUpBy('arn:aws:rds:*:*:cluster:other*'), 'P18', 'Cluster')).toBe('non-compliant');
    // A DynamoDB table keeps its name's case: Features* selects no table features.
    expect(verdictOf(backedUpBy('arn:aws:dynamodb:*:*:table/feat*'), 'P18', 'Table')).toBe('none');
    for (const arn of ['arn:aws:dynamodb:*:*:table/Features*', 'arn:aws:dynamodb:*:*:table/FEATURES']) {
      expect([arn, verdictOf(backedUpBy(arn), 'P18', 'Table')]).toEqual([arn, 'non-compliant']);
    }
  });

  test('a selection or plan whose Condition is false selects nothing', () => {
    const conditioned = (resources: Resources) => validate({ ...fixture(resources), Conditions: { Backed: { 'Fn::Equals': ['prod', 'dev'] } } });
    const selectionOff = conditioned({ Selection: { ...selection(), Condition: 'Backed' } });
    expect(verdictOf(selectionOff, 'P18', 'Bucket')).toBe('non-compliant');
    expect(selectionOff.of('P18').find((f) => f.logicalId === 'Bucket')?.message).toMatch(/no AWS::Backup::BackupSelection selects it/);
    const planOff = conditioned({ Plan: { ...plan(), Condition: 'Backed' } });
    expect(verdictOf(planOff, 'P18', 'Bucket')).toBe('non-compliant');
  });

  test('malformed values never throw', () => {
    const run = validate(fixture({ Plan: plan([null, { Lifecycle: 'x', CopyActions: [5, { DestinationBackupVaultArn: 3 }] }]), Selection: selection({ Resources: 'arn', NotResources: [{}] }) }));
    expect(run.tally('P18').errors).toBe(0);
  });
});
