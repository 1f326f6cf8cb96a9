import { ifElse, imported, NO_VALUE, TemplateFixture, validate, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

/** A model whose artifact bucket is an AI asset. */
const AI_BUCKET: Resources = {
  Bucket: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' }, Tags: [{ Key: 'team', Value: 'ml' }] } },
  Model: {
    Type: 'AWS::SageMaker::Model',
    Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: { ModelDataUrl: { 'Fn::Join': ['', ['s3://', { Ref: 'Bucket' }, '/model.tar.gz']] } } },
  },
};
const LOCK = { MinRetentionDays: 35, ChangeableForDays: 3 };
const vault = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::Backup::BackupVault',
  Properties: { BackupVaultName: 'ai-vault', EncryptionKeyArn: 'arn:aws:kms:eu-west-2:111122223333:key/abc', LockConfiguration: LOCK, ...properties },
});
const rule = (extra: Record<string, unknown> = {}) => ({ RuleName: 'daily', TargetBackupVault: { Ref: 'Vault' }, Lifecycle: { DeleteAfterDays: 35 }, ...extra });
const plan = (rules: unknown = [rule()]) => ({ Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'ai', BackupPlanRule: rules } } });
const selection = (select: Record<string, unknown> = { Resources: [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }] }) => ({
  Type: 'AWS::Backup::BackupSelection',
  Properties: { BackupPlanId: { Ref: 'Plan' }, BackupSelection: { SelectionName: 'ai', IamRoleArn: 'arn:aws:iam::111122223333:role/backup', ...select } },
});
const fixture = (resources: Resources, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: { ...AI_BUCKET, Vault: vault(), Plan: plan(), Selection: selection(), ...resources },
});

describe('P17 backups of AI assets reach a locked or air-gapped vault', () => {
  test('compliant: the plan writes to a vault locked in compliance mode with a customer-managed key', () => {
    const run = validate(fixture({}));
    expect(verdictOf(run, 'P17', 'Plan')).toBe('none');
    expect(run.tally('P17')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('not applicable: a plan that backs up no AI asset', () => {
    const run = validate({ Resources: { Other: { Type: 'AWS::S3::Bucket' }, Vault: vault({ LockConfiguration: undefined }), Plan: plan(), Selection: selection({ Resources: [{ 'Fn::GetAtt': ['Other', 'Arn'] }] }) } });
    expect(verdictOf(run, 'P17', 'Plan')).toBe('none');
    expect(run.tally('P17')).toMatchObject({ notApplicable: 1 });
  });

  test('non-compliant: no Vault Lock', () => {
    const run = validate(fixture({ Vault: vault({ LockConfiguration: undefined }) }));
    expect(verdictOf(run, 'P17', 'Plan')).toBe('non-compliant');
    const finding = run.of('P17')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-P17', level: 'error', locations: ['Properties.BackupPlan.BackupPlanRule'] });
    expect(finding.message).toMatch(/backs up AI assets \(Bucket\)/);
    expect(finding.message).toMatch(/vault Vault has no LockConfiguration/);
  });

  test('non-compliant: governance mode, or a minimum retention below the parameter', () => {
    const governance = validate(fixture({ Vault: vault({ LockConfiguration: { MinRetentionDays: 35 } }) }));
    expect(verdictOf(governance, 'P17', 'Plan')).toBe('non-compliant');
    expect(governance.of('P17')[0].message).toMatch(/governance mode/);
    const short = validate(fixture({ Vault: vault({ LockConfiguration: { MinRetentionDays: 7, ChangeableForDays: 3 } }) }));
    expect(verdictOf(short, 'P17', 'Plan')).toBe('non-compliant');
    expect(short.of('P17')[0].message).toMatch(/MinRetentionDays is 7 \(< 35 days/);
  });

  test('the minimum retention follows the minimumBackupRetentionDays parameter', () => {
    expect(verdictOf(validate(fixture({}), { minimumBackupRetentionDays: 60 }), 'P17', 'Plan')).toBe('non-compliant');
    expect(verdictOf(validate(fixture({ Vault: vault({ LockConfiguration: { MinRetentionDays: 7, ChangeableForDays: 3 } }) }), { minimumBackupRetentionDays: 7 }), 'P17', 'Plan')).toBe('none');
  });

  test('non-compliant: the vault has no customer-managed key', () => {
    const run = validate(fixture({ Vault: vault({ EncryptionKeyArn: undefined }) }));
    expect(verdictOf(run, 'P17', 'Plan')).toBe('non-compliant');
    expect(run.of('P17')[0].message).toMatch(/vault Vault has no EncryptionKeyArn/);
  });

  test('compliant: an unlocked primary vault with a copy to a locked vault of the app', () => {
    const run = validate(fixture({
      Vault: vault({ LockConfiguration: undefined }),
      Locked: vault({ BackupVaultName: 'ai-locked' }),
      Plan: plan([rule({ CopyActions: [{ DestinationBackupVaultArn: { 'Fn::GetAtt': ['Locked', 'BackupVaultArn'] } }] })]),
    }));
    expect(verdictOf(run, 'P17', 'Plan')).toBe('none');
  });

  test('logically air-gapped vaults count, if they keep recovery points long enough', () => {
    const lag = (min: number) => ({ Type: 'AWS::Backup::LogicallyAirGappedBackupVault', Properties: { BackupVaultName: 'ai-lag', MinRetentionDays: min, MaxRetentionDays: 365 } });
    const copy = rule({ CopyActions: [{ DestinationBackupVaultArn: { 'Fn::GetAtt': ['Lag', 'BackupVaultArn'] } }] });
    expect(verdictOf(validate(fixture({ Vault: vault({ LockConfiguration: undefined }), Lag: lag(35), Plan: plan([copy]) })), 'P17', 'Plan')).toBe('none');
    const short = validate(fixture({ Vault: vault({ LockConfiguration: undefined }), Lag: lag(7), Plan: plan([copy]) }));
    expect(verdictOf(short, 'P17', 'Plan')).toBe('non-compliant');
    expect(short.of('P17')[0].message).toMatch(/air-gapped vault Lag MinRetentionDays is 7/);
    const outsideLag = rule({ TargetLogicallyAirGappedBackupVaultArn: imported('central-lag-vault-arn') });
    expect(verdictOf(validate(fixture({ Vault: vault({ LockConfiguration: undefined }), Plan: plan([outsideLag]) })), 'P17', 'Plan')).toBe('none');
  });

  test('unverifiable: the only other destination is a vault outside the app', () => {
    const offsite = rule({ CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:444455556666:backup-vault:central' }] });
    const run = validate(fixture({ Vault: vault({ LockConfiguration: undefined }), Plan: plan([offsite]) }));
    expect(verdictOf(run, 'P17', 'Plan')).toBe('unverifiable');
    expect(run.of('P17')[0]).toMatchObject({ ruleName: 'SecureAI-P17[unverifiable]', level: 'warning' });
    expect(run.of('P17')[0].message).toMatch(/not in the app/);
    const defaultVault = validate(fixture({ Plan: plan([rule({ TargetBackupVault: 'Default' })]) }));
    expect(verdictOf(defaultVault, 'P17', 'Plan')).toBe('unverifiable');
  });

  test('a vault named by its literal name is found', () => {
    expect(verdictOf(validate(fixture({ Plan: plan([rule({ TargetBackupVault: 'ai-vault' })]) })), 'P17', 'Plan')).toBe('none');
  });

  test('intrinsic: Fn::If without the lock in one branch; a retention from a parameter default', () => {
    const branch = validate(fixture({ Vault: vault({ LockConfiguration: ifElse(LOCK, NO_VALUE) }) }));
    expect(verdictOf(branch, 'P17', 'Plan')).toBe('non-compliant');
    const parameter = validate(fixture({ Vault: vault({ LockConfiguration: { MinRetentionDays: { Ref: 'Days' }, ChangeableForDays: 3 } }) }, { Days: { Type: 'Number', Default: 10 } }));
    expect(verdictOf(parameter, 'P17', 'Plan')).toBe('non-compliant');
    const rules = validate(fixture({ Plan: plan(ifElse([rule()], [rule({ TargetBackupVault: { Ref: 'Plain' } })])), Plain: vault({ BackupVaultName: 'plain', LockConfiguration: undefined }) }));
    expect(verdictOf(rules, 'P17', 'Plan')).toBe('non-compliant');
    expect(rules.of('P17')[0].message).toMatch(/possible forms/);
  });

  test('selections by wildcard and by tag select the AI bucket', () => {
    const unlocked = { Vault: vault({ LockConfiguration: undefined }) };
    expect(verdictOf(validate(fixture({ ...unlocked, Selection: selection({ Resources: ['arn:aws:s3:::*'] }) })), 'P17', 'Plan')).toBe('non-compliant');
    const byTag = selection({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'team', ConditionValue: 'ml' }] });
    expect(verdictOf(validate(fixture({ ...unlocked, Selection: byTag })), 'P17', 'Plan')).toBe('non-compliant');
    const otherTag = selection({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'team', ConditionValue: 'web' }] });
    expect(verdictOf(validate(fixture({ ...unlocked, Selection: otherTag })), 'P17', 'Plan')).toBe('none');
    const excluded = selection({ Resources: ['*'], NotResources: [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }] });
    expect(verdictOf(validate(fixture({ ...unlocked, Selection: excluded })), 'P17', 'Plan')).toBe('none');
  });

  test('unverifiable: a selection whose resources are imported may back up the AI bucket', () => {
    const run = validate(fixture({ Vault: vault({ LockConfiguration: undefined }), Selection: selection({ Resources: imported('arns') }) }));
    expect(verdictOf(run, 'P17', 'Plan')).toBe('unverifiable');
    expect(run.of('P17')[0].message).toMatch(/cannot be fully read/);
  });

  test('malformed values never throw', () => {
    const run = validate(fixture({
      Vault: vault({ LockConfiguration: 'locked', EncryptionKeyArn: 5 }),
      Plan: plan([1, { CopyActions: 'x', TargetBackupVault: 9 }, { CopyActions: [null] }]),
      Selection: selection({ Resources: [3, null], Conditions: { StringEquals: 'x' }, ListOfTags: [7] }),
    }));
    expect(run.tally('P17').errors).toBe(0);
  });
});
