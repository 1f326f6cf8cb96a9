import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { Expression, ResourceReference, UnknownValue, unknownPseudoParameter } from '../../../src/nag/engine/values';
import { isAiAsset } from '../../../src/nag/knowledge/ai-assets';
import {
  aiBackupPlans, BACKUP_STORE_TYPES, backupLookup, environmentOf, LAG_VAULT, placeOf, plansWritingTo, rulesOf, vaultNamed,
} from '../../../src/nag/knowledge/backup-coverage';
import { ifElse, imported, stackOf, TemplateFixture } from '../harness';

function indexOf(fixture: TemplateFixture): ResourceIndex {
  const app = new App();
  stackOf(fixture, app);
  return ResourceIndex.fromScope(app);
}

const selection = (id: string, block: unknown) => ({
  [id]: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupPlanId: { Ref: 'Plan' }, BackupSelection: { SelectionName: id, IamRoleArn: 'r', ...(block as object) } } },
});

const BASE: TemplateFixture['Resources'] = {
  Data: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'ai-data', Tags: [{ Key: 'backup', Value: 'daily' }] } },
  Plain: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'web-assets' } },
  Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { DataCaptureConfig: { DestinationS3Uri: { 'Fn::Sub': 's3://${Data}/capture' } } } },
  Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: [] } } },
  Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'main' } },
  Lag: { Type: LAG_VAULT, Properties: { BackupVaultName: 'air-gapped' } },
};

function coverage(block: unknown) {
  const index = indexOf({ Resources: { ...BASE, ...selection('Sel', block) } });
  const lookup = backupLookup(index);
  return { index, lookup, data: lookup.stores.get(index.find('Test', 'Data')!) ?? [] };
}

describe('backupLookup', () => {
  test('only AI asset stores are stores; each starts uncovered', () => {
    const index = indexOf({ Resources: BASE });
    const lookup = backupLookup(index);
    expect([...lookup.stores.keys()].map((s) => s.logicalId)).toEqual(['Data']);
    expect(lookup.stores.get(index.find('Test', 'Data')!)).toEqual([]);
    expect([...lookup.vaultsByName.keys()].sort()).toEqual(['air-gapped', 'main']);
  });

  test('a selection naming the store by reference, ARN or matching wildcard covers it for certain', () => {
    for (const resources of [[{ 'Fn::GetAtt': ['Data', 'Arn'] }], ['arn:aws:s3:::ai-data'], ['arn:aws:s3:::ai-*'], ['*']]) {
      const { index, lookup, data } = coverage({ Resources: resources });
      expect(data.map((c) => [c.selection.logicalId, c.plan?.logicalId, c.certainty])).toEqual([['Sel', 'Plan', true]]);
      expect(lookup.plans.get(index.find('Test', 'Plan')!)).toEqual({ stores: [index.find('Test', 'Data')], certain: true });
    }
  });

  test('a selection naming something else, or excluding the store, does not cover it', () => {
    expect(coverage({ Resources: [{ 'Fn::GetAtt': ['Plain', 'Arn'] }] }).data).toEqual([]);
    expect(coverage({ Resources: ['arn:aws:s3:::web-*'] }).data).toEqual([]);
    expect(coverage({ Resources: ['arn:aws:dynamodb:*:*:table/*'] }).data).toEqual([]);
    expect(coverage({ Resources: ['*'], NotResources: ['arn:aws:s3:::ai-data'] }).data).toEqual([]);
  });

  test('selection by tag and by conditions', () => {
    expect(coverage({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }] }).data).toHaveLength(1);
    expect(coverage({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'weekly' }] }).data).toEqual([]);
    expect(coverage({ Resources: ['*'], Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/backup', ConditionValue: 'daily' }] } }).data).toHaveLength(1);
    expect(coverage({ Resources: ['*'], Conditions: { StringLike: [{ ConditionKey: 'aws:ResourceTag/backup', ConditionValue: 'week*' }] } }).data).toEqual([]);
    expect(coverage({ Resources: ['*'], Conditions: { StringNotEquals: [{ ConditionKey: 'aws:ResourceTag/missing', ConditionValue: 'x' }] } }).data).toHaveLength(1);
  });

  test('selections that cannot be read cover maybe; a plan only maybe-covering is not certain', () => {
    const { index, lookup, data } = coverage({ Resources: [imported('arns')] });
    expect(data.map((c) => c.certainty)).toEqual([expect.any(UnknownValue)]);
    expect(lookup.plans.get(index.find('Test', 'Plan')!)?.certain).toBe(false);
    expect(coverage({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: imported('v') }] }).data.map((c) => c.certainty)).toEqual([expect.any(UnknownValue)]);
  });

  test('every Fn::If form of a selection must select the store', () => {
    const index = indexOf({
      Resources: {
        ...BASE,
        Sel: {
          Type: 'AWS::Backup::BackupSelection',
          Properties: { BackupPlanId: { Ref: 'Plan' }, BackupSelection: ifElse({ SelectionName: 'a', IamRoleArn: 'r', Resources: ['*'] }, { SelectionName: 'b', IamRoleArn: 'r', Resources: [] }) },
        },
      },
    });
    expect(backupLookup(index).stores.get(index.find('Test', 'Data')!)).toEqual([]);
  });

  test('a selection of a plan outside the app covers the store without a plan', () => {
    const index = indexOf({
      Resources: { ...BASE, Sel: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupPlanId: 'plan-123', BackupSelection: { SelectionName: 's', IamRoleArn: 'r', Resources: ['*'] } } } },
    });
    const lookup = backupLookup(index);
    expect(lookup.stores.get(index.find('Test', 'Data')!)!.map((c) => c.plan)).toEqual([undefined]);
    expect(lookup.plans.size).toBe(0);
  });

  test('built once per index; a new index builds its own', () => {
    const fixture = { Resources: { ...BASE, ...selection('Sel', { Resources: ['*'] }) } };
    const index = indexOf(fixture);
    const first = backupLookup(index);
    const lookups = index.statistics.lookups;
    expect(backupLookup(index)).toBe(first);
    expect(index.statistics.lookups).toBe(lookups);
    expect(backupLookup(indexOf(fixture))).not.toBe(first);
  });
});

describe('stores that hold AI assets', () => {
  test('an EFS file system opts in through FileSystemTags, which the index reads as its tags', () => {
    const index = indexOf({
      Resources: {
        Tagged: { Type: 'AWS::EFS::FileSystem', Properties: { FileSystemTags: [{ Key: 'ai:asset', Value: 'True' }] } },
        Untagged: { Type: 'AWS::EFS::FileSystem', Properties: { FileSystemTags: [{ Key: 'Name', Value: 'x' }] } },
        Unknown: { Type: 'AWS::EFS::FileSystem', Properties: { FileSystemTags: imported('tags') } },
        Queue: { Type: 'AWS::SQS::Queue' },
      },
    });
    const of = (id: string) => isAiAsset(index, index.find('Test', id)!);
    expect(of('Tagged')).toBe(true);
    expect(of('Untagged')).toBe(false);
    expect(of('Unknown')).toBe(false);
    expect(of('Queue')).toBe(false);
    expect(BACKUP_STORE_TYPES).toContain('AWS::EFS::FileSystem');
  });
});

describe('rulesOf', () => {
  test('the rule objects of a plan; unknown when a rule or the list cannot be read', () => {
    expect(rulesOf([{ RuleName: 'a' }, 'skipped', { RuleName: 'b' }])).toEqual([{ RuleName: 'a' }, { RuleName: 'b' }]);
    expect(rulesOf({ RuleName: 'a' })).toEqual([{ RuleName: 'a' }]);
    expect(rulesOf(undefined)).toEqual([]);
    const unknown = new UnknownValue('imported');
    expect(rulesOf(unknown)).toBe(unknown);
    expect(rulesOf([{ RuleName: 'a' }, unknown])).toBe(unknown);
  });
});

describe('environmentOf and placeOf', () => {
  test('environmentOf: the stack account and Region, when literal', () => {
    const app = new App();
    const stack = new Stack(app, 'Pinned', { env: { account: '111111111111', region: 'eu-west-2' } });
    new CfnResource(stack, 'R', { type: 'AWS::S3::Bucket' });
    stackOf({ Resources: { R: { Type: 'AWS::S3::Bucket' } } }, app, 'Agnostic');
    const index = ResourceIndex.fromScope(app);
    expect(environmentOf(index.ofType('AWS::S3::Bucket').find((r) => r.stack.stackPath === 'Pinned')!)).toEqual({ region: 'eu-west-2', account: '111111111111' });
    expect(environmentOf(index.find('Agnostic', 'R')!)).toEqual({ region: undefined, account: undefined });
  });

  const env = { region: 'eu-west-2', account: '111111111111' };
  const pseudo = (name: string) => unknownPseudoParameter(`AWS::${name}`);

  test('a vault ARN in another account or Region is elsewhere; the same is here', () => {
    expect(placeOf('arn:aws:backup:eu-west-1:111111111111:backup-vault:x', env)).toBe('elsewhere');
    expect(placeOf('arn:aws:backup:eu-west-2:222222222222:backup-vault:x', env)).toBe('elsewhere');
    expect(placeOf('arn:aws:backup:eu-west-2:111111111111:backup-vault:x', env)).toBe('here');
  });

  test('pseudo parameters mean here; another known segment still decides elsewhere', () => {
    expect(placeOf(new Expression(['arn:', pseudo('Partition'), ':backup:', pseudo('Region'), ':', pseudo('AccountId'), ':backup-vault:x']), {})).toBe('here');
    expect(placeOf(new Expression(['arn:aws:backup:us-east-1:', pseudo('AccountId'), ':backup-vault:x']), env)).toBe('elsewhere');
  });

  test('unknown when a segment or the environment is not known, or the value is not an ARN', () => {
    expect(placeOf('arn:aws:backup:eu-west-1:111111111111:backup-vault:x', {})).toBe('unknown');
    expect(placeOf(new Expression(['arn:aws:backup:', new UnknownValue('imported'), ':111111111111:backup-vault:x']), env)).toBe('unknown');
    expect(placeOf('arn:aws:backup::111111111111:backup-vault:x', env)).toBe('unknown');
    expect(placeOf('main', env)).toBe('unknown');
    expect(placeOf(new ResourceReference('Vault', 'Test'), env)).toBe('unknown');
    expect(placeOf(undefined, env)).toBe('unknown');
  });
});

describe('vaultNamed', () => {
  test('by name, by reference, by ARN naming a vault of the app', () => {
    const index = indexOf({ Resources: BASE });
    const lookup = backupLookup(index);
    expect(vaultNamed(index, lookup, 'main')?.logicalId).toBe('Vault');
    expect(vaultNamed(index, lookup, new ResourceReference('Lag', 'Test', 'BackupVaultArn'))?.logicalId).toBe('Lag');
    expect(vaultNamed(index, lookup, 'arn:aws:backup:eu-west-2:111111111111:backup-vault:air-gapped')?.logicalId).toBe('Lag');
    expect(vaultNamed(index, lookup, 'other')).toBeUndefined();
    expect(vaultNamed(index, lookup, 'arn:aws:backup:eu-west-2:111111111111:backup-vault:other')).toBeUndefined();
    expect(vaultNamed(index, lookup, new ResourceReference('Data', 'Test'))).toBeUndefined();
    expect(vaultNamed(index, lookup, new UnknownValue('imported'))).toBeUndefined();
  });
});

describe('plansWritingTo and aiBackupPlans', () => {
  const plan = (rules: unknown[], condition?: string) => ({
    Type: 'AWS::Backup::BackupPlan', ...(condition ? { Condition: condition } : {}), Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: rules } },
  });
  const selectionOf = (planId: string, store: string, condition?: string) => ({
    Type: 'AWS::Backup::BackupSelection',
    ...(condition ? { Condition: condition } : {}),
    Properties: { BackupPlanId: { Ref: planId }, BackupSelection: { SelectionName: 's', IamRoleArn: 'r', Resources: [{ 'Fn::GetAtt': [store, 'Arn'] }] } },
  });
  const AI_BUCKET = { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'ai:asset', Value: 'true' }] } };

  test('the created plans that write or copy to a vault by reference, ARN or literal name, each once', () => {
    const index = indexOf({
      Resources: {
        Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'main' } },
        ByRef: plan([{ TargetBackupVault: { Ref: 'Vault' } }, { TargetBackupVault: 'main' }]),
        ByName: plan([{ TargetBackupVault: 'x', CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-west-2:111111111111:backup-vault:main' }] }]),
        Elsewhere: plan([{ TargetBackupVault: 'other' }]),
      },
    });
    expect(plansWritingTo(index, index.find('Test', 'Vault')!).map((p) => p.logicalId)).toEqual(['ByRef', 'ByName']);
  });

  test('a vault whose name a later created vault shares receives nothing by name', () => {
    const index = indexOf({
      Resources: {
        Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'main' } },
        Later: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'main' } },
        Plan: plan([{ TargetBackupVault: 'main' }]),
      },
    });
    expect(plansWritingTo(index, index.find('Test', 'Vault')!)).toEqual([]);
    expect(plansWritingTo(index, index.find('Test', 'Later')!).map((p) => p.logicalId)).toEqual(['Plan']);
  });

  test('the plans that back up AI assets, in the order their selections are declared, depending on their own stack\'s parameters alone', () => {
    const app = new App();
    for (const name of ['One', 'Two']) {
      stackOf({
        Parameters: { Backups: { Default: 'true', AllowedValues: ['true', 'false'] } },
        Conditions: { BackupsOn: { 'Fn::Equals': [{ Ref: 'Backups' }, 'true'] } },
        Resources: {
          Data: AI_BUCKET,
          Plain: { Type: 'AWS::S3::Bucket', Properties: {} },
          Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: `vault-${name}` } },
          First: plan([{ TargetBackupVault: { Ref: 'Vault' } }]),
          Second: plan([{ TargetBackupVault: { Ref: 'Vault' } }], 'BackupsOn'),
          Web: plan([{ TargetBackupVault: { Ref: 'Vault' } }]),
          SecondSelection: selectionOf('Second', 'Data'),
          FirstSelection: selectionOf('First', 'Data'),
          WebSelection: selectionOf('Web', 'Plain'),
        },
      }, app, name);
    }
    const index = ResourceIndex.fromScope(app);
    const read = index.recording(() => aiBackupPlans(index, plansWritingTo(index, index.find('One', 'Vault')!)).map((p) => p.logicalId));
    expect(read.result).toEqual(['Second', 'First']);
    expect(read.parameters.map((p) => `${p.stack.stackPath}.${p.parameter}`)).toEqual(['One.Backups']);
    const off = index.assuming(read.parameters[0], 'false', () => ['One', 'Two'].map((s) => aiBackupPlans(index, plansWritingTo(index, index.find(s, 'Vault')!))));
    expect(off.map((plans) => plans.map((p) => p.logicalId))).toEqual([['First'], ['Second', 'First']]);
  });
});
