import { App } from 'aws-cdk-lib';
import { AiSystemScope, SecureAiChecks, SecureAiChecksProps } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, stackOf, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

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
    expect(run.tally('P17')).toMatchObject({ compliant: 1, nonCompliant: 0, unverifiable: 0 });
  });

  test('not applicable: a plan that backs up no AI asset', () => {
    const run = validate({ Resources: { Other: { Type: 'AWS::S3::Bucket' }, Vault: vault({ LockConfiguration: undefined }), Plan: plan(), Selection: selection({ Resources: [{ 'Fn::GetAtt': ['Other', 'Arn'] }] }) } });
    expect(verdictOf(run, 'P17', 'Plan')).toBe('none');
    expect(run.tally('P17')).toMatchObject({ notApplicable: 2, nonCompliant: 0 });
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

  test('a vault a plan writes to by name only while the plan is created is judged on its own with the value that leaves the plan out', () => {
    const run = validate({
      Parameters: { Backups: { Type: 'String', Default: 'true', AllowedValues: ['true', 'false'] } },
      Conditions: { BackupsOn: { 'Fn::Equals': [{ Ref: 'Backups' }, 'true'] } },
      Resources: {
        ...AI_BUCKET,
        Vault: vault({ BackupVaultName: 'open', LockConfiguration: undefined }),
        Plan: { ...plan([rule({ TargetBackupVault: 'open' })]), Condition: 'BackupsOn' },
        Selection: { ...selection(), Condition: 'BackupsOn' },
      },
    });
    expect(verdictOf(run, 'P17', 'Plan')).toBe('non-compliant');
    expect(verdictOf(run, 'P17', 'Vault')).toBe('parameter');
    expect(run.of('P17').find((f) => f.logicalId === 'Vault')!.message).toMatch(/parameter Backups .*"false".*no backup plan of the app writes or copies to this vault/);
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
    const tagged = validate(fixture({ ...unlocked, Selection: byTag }));
    expect(verdictOf(tagged, 'P17', 'Plan')).toBe('non-compliant');
    expect(tagged.of('P17')[0].message).toMatch(/backs up AI assets \(Bucket\)/);
    // A selection that leaves the AI bucket out no longer ties the plan to it; the app holds AI assets, so the plan is still judged.
    const otherTag = validate(fixture({ ...unlocked, Selection: selection({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'team', ConditionValue: 'web' }] }) }));
    expect(otherTag.of('P17')[0].message).toMatch(/selects no store the pack can tie to an AI asset/);
    const excluded = validate(fixture({ ...unlocked, Selection: selection({ Resources: ['*'], NotResources: [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }] }) }));
    expect(excluded.of('P17')[0].message).toMatch(/selects no store the pack can tie to an AI asset/);
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

describe('P17 and P18 judge the backups of an app that holds AI assets, in any stack; aiSystem: whole-app declares the whole app', () => {
  /** An app of two stacks: the AI workload, and the platform's backup stack, which holds no AI resource. */
  const platform = (backups: Resources, props?: SecureAiChecksProps, ai: Resources = AI_BUCKET) => {
    const app = new App({ autoSynth: false });
    if (Object.keys(ai).length > 0) stackOf({ Resources: ai }, app, 'Ai');
    stackOf({ Resources: backups }, app, 'Backup');
    return new ValidationRun(new SecureAiChecks(props).validateScope(app));
  };
  /** A plan of the backup stack that selects by a tag the AI bucket does not carry, writing to an unlocked local vault. */
  const UNLOCKED_PLAN: Resources = {
    Vault: vault({ LockConfiguration: undefined }),
    Plan: plan(),
    Selection: selection({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }] }),
  };

  test('non-compliant: a plan of the backup stack that selects no AI store the pack can see is judged once the app holds AI assets', () => {
    const run = platform(UNLOCKED_PLAN);
    expect(verdictOf(run, 'P17', 'Plan')).toBe('non-compliant');
    expect(run.of('P17')[0].message).toMatch(/selects no store the pack can tie to an AI asset, and is judged .* because the app holds AI assets \(AWS::SageMaker::Model Model is an AI resource\).*vault Vault has no LockConfiguration/);
    expect(verdictOf(run, 'P18', 'Plan')).toBe('non-compliant');
    expect(run.of('P18').find((f) => f.logicalId === 'Plan')!.message).toMatch(/no rule copies the backups to another account or Region/);
  });

  test('not applicable: the same backups in an app that holds no AI asset', () => {
    const run = platform({ ...UNLOCKED_PLAN, Orphan: vault({ BackupVaultName: 'orphan', LockConfiguration: undefined }) }, undefined, {});
    expect(run.of('P17')).toEqual([]);
    expect(run.of('P18')).toEqual([]);
    expect(run.tally('P17')).toMatchObject({ notApplicable: 3, compliant: 0 });
  });

  test('a vault no plan of the app writes to receives backups from elsewhere: locked with a customer-managed key, or air-gapped', () => {
    const lag = { Type: 'AWS::Backup::LogicallyAirGappedBackupVault', Properties: { BackupVaultName: 'lag', MinRetentionDays: 35, MaxRetentionDays: 365 } };
    const run = platform({ Copies: vault(), AirGapped: lag, Open: vault({ BackupVaultName: 'open', LockConfiguration: undefined, EncryptionKeyArn: undefined }) });
    expect(verdictOf(run, 'P17', 'Copies')).toBe('none');
    expect(verdictOf(run, 'P17', 'AirGapped')).toBe('none');
    expect(verdictOf(run, 'P17', 'Open')).toBe('non-compliant');
    const open = run.of('P17').find((f) => f.logicalId === 'Open')!;
    expect(open.message).toMatch(/no backup plan of the app writes or copies to this vault.*vault Open has no LockConfiguration.*no EncryptionKeyArn/);
    expect(open.locations).toEqual(['Properties', 'Properties.EncryptionKeyArn']);
    // A vault a plan of the app writes to is judged through the plan, not on its own.
    expect(verdictOf(platform(UNLOCKED_PLAN), 'P17', 'Vault')).toBe('none');
  });

  test('aiSystem: whole-app judges the backups of an app without AI resources, and every store is an AI store', () => {
    const backups: Resources = {
      Data: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } },
      Unprotected: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } },
      Vault: vault({ LockConfiguration: undefined }),
      Plan: plan(),
      Selection: selection({ Resources: [{ 'Fn::GetAtt': ['Data', 'Arn'] }] }),
    };
    expect(platform(backups, undefined, {}).of('P17')).toEqual([]);
    const whole = platform(backups, { aiSystem: AiSystemScope.WHOLE_APP }, {});
    expect(verdictOf(whole, 'P17', 'Plan')).toBe('non-compliant');
    expect(whole.of('P17')[0].message).toMatch(/backs up AI assets \(Data\)/);
    expect(verdictOf(whole, 'P18', 'Unprotected')).toBe('non-compliant');
    expect(whole.of('P18').find((f) => f.logicalId === 'Unprotected')!.message).toMatch(/aiSystem: whole-app/);
  });

  test('context ai:system=whole-app declares the same as the prop, for apps whose code the security team does not own', () => {
    const backups: Resources = {
      Data: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } },
      Vault: vault({ LockConfiguration: undefined }),
      Plan: plan(),
      Selection: selection({ Resources: [{ 'Fn::GetAtt': ['Data', 'Arn'] }] }),
    };
    const withContext = (context: Record<string, string>, props?: SecureAiChecksProps) => {
      const app = new App({ autoSynth: false, context });
      stackOf({ Resources: backups }, app, 'Backup');
      return () => new ValidationRun(new SecureAiChecks(props).validateScope(app));
    };
    const whole = withContext({ 'ai:system': 'whole-app' })();
    expect(verdictOf(whole, 'P17', 'Plan')).toBe('non-compliant');
    expect(whole.of('P17')[0].message).toMatch(/backs up AI assets \(Data\)/);
    expect(withContext({ 'ai:system': 'ai-resources' })().of('P17')).toEqual([]);
    // The prop and the context may say the same; they may not disagree.
    expect(verdictOf(withContext({ 'ai:system': 'whole-app' }, { aiSystem: AiSystemScope.WHOLE_APP })(), 'P17', 'Plan')).toBe('non-compliant');
    expect(withContext({ 'ai:system': 'whole-app' }, { aiSystem: AiSystemScope.AI_RESOURCES }))
      .toThrow('SecureAiChecks: aiSystem is "ai-resources", but context ai:system is "whole-app". Fix: keep one of them');
    expect(withContext({ 'ai:system': 'everything' }))
      .toThrow(/^SecureAiChecks: context ai:system is "everything", which is not a scope of the AI system\. Fix: set it to "whole-app" .* or "ai-resources"/);
  });

  test('aiSystem is validated at construction, naming the prop, the value and the fix', () => {
    expect(() => new SecureAiChecks({ aiSystem: 'everything' as AiSystemScope }))
      .toThrow(/SecureAiChecks: aiSystem is "everything", which is not a scope of the AI system\. Use AiSystemScope\.WHOLE_APP \("whole-app"\)/);
    expect(() => new SecureAiChecks({ aiSystem: AiSystemScope.AI_RESOURCES })).not.toThrow();
  });

  test('intrinsic: a standalone vault locked in one branch only; a plan judged in every form', () => {
    const run = platform({ Copies: vault({ LockConfiguration: ifElse(LOCK, NO_VALUE) }) });
    expect(verdictOf(run, 'P17', 'Copies')).toBe('non-compliant');
    const forms = platform({ ...UNLOCKED_PLAN, Vault: vault(), Plan: plan(ifElse([rule()], [rule({ TargetBackupVault: 'elsewhere' })])) });
    expect(verdictOf(forms, 'P17', 'Plan')).toBe('unverifiable'); // one form writes only to a vault outside the app
  });

  test('unverifiable: the standalone vault\'s lock is imported', () => {
    const run = platform({ Copies: vault({ LockConfiguration: imported('lock') }) });
    expect(verdictOf(run, 'P17', 'Copies')).toBe('unverifiable');
    expect(run.of('P17')[0].message).toMatch(/whether the vault is locked cannot be verified/);
  });
});
