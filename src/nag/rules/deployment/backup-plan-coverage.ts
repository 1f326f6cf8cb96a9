import { Answer, anyOf, COMPLIANT, nonCompliant, NOT_APPLICABLE, NOT_KNOWN, RuleResult, unverifiable } from '../../engine/checks';
import { listOf } from '../../engine/lists';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, ResourceReference, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiAssetReason, isAiAsset, namesOf } from '../../knowledge/ai-assets';
import {
  BACKUP_STORE_TYPES, createdVaults, environmentOf, judgePlanRules, LAG_VAULT, placeOf, rulesOf, selectionsOf, vaultNamed, VaultLookup,
} from '../../knowledge/backup-coverage';
import { madeBy } from '../../knowledge/library-origin';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleContext, RuleDefinition } from '../../secure-ai-rule';

const STORE_FIX = 'Select the store in a backup.BackupPlan (plan.addSelection with BackupResource.fromArn or fromTag) whose rules keep '
  + 'recovery points at least minimumBackupRetentionDays and copy them to another account or Region or to a logically air-gapped vault.';

/** The OfflineBackup method that protects a store of each type a library construct makes. */
const OFFLINE_BACKUP_CALLS: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket': 'protectBucket',
  'AWS::DynamoDB::Table': 'protectTable',
  'AWS::EFS::FileSystem': 'protectFileSystem',
};

/** Days a rule (or copy action) keeps recovery points: `Infinity` when no `DeleteAfterDays` is set. */
function keptDays(lifecycle: Value): number | UnknownValue {
  if (lifecycle === undefined) return Infinity;
  if (lifecycle instanceof UnknownValue) return lifecycle;
  if (!isPlainObject(lifecycle)) return Infinity;
  const days = lifecycle.DeleteAfterDays;
  if (days === undefined) return Infinity;
  const unknown = unknownOf(days) ?? (days instanceof ResourceReference ? new UnknownValue('DeleteAfterDays read from another resource') : undefined);
  if (unknown) return unknown;
  const n = typeof days === 'string' ? Number(days) : days;
  return typeof n === 'number' && !Number.isNaN(n) ? n : new UnknownValue(`DeleteAfterDays ${describe(days)} is not a number`);
}

/** Whether one copy destination is in another account or Region, or logically air-gapped. */
function offsiteOf(index: ResourceIndex, lookup: VaultLookup, plan: IndexedResource, destination: Value): Answer {
  const vault = vaultNamed(index, lookup, destination);
  const env = environmentOf(plan);
  if (vault) {
    if (vault.type === LAG_VAULT) return true;
    const there = environmentOf(vault);
    const differs = (a?: string, b?: string) => a !== undefined && b !== undefined && a !== b;
    return differs(there.region, env.region) || differs(there.account, env.account);
  }
  const place = placeOf(destination, env);
  return place === 'elsewhere' ? true : place === 'here' ? false : NOT_KNOWN;
}

/** Retention and offsite copy of one form of the plan's rules. */
function judgeRules(index: ResourceIndex, lookup: VaultLookup, plan: IndexedResource, value: Value, minimumDays: number): RuleResult {
  const rules = rulesOf(value);
  if (rules instanceof UnknownValue) return unverifiable(`the plan's rules cannot be read at synth time (${rules.reason})`);
  if (rules.length === 0) return nonCompliant('the plan has no rules: nothing is backed up');
  const problems: string[] = [];
  const unknowns: string[] = [];

  let longest = 0;
  const kept = (lifecycle: Value): void => {
    const days = keptDays(lifecycle);
    if (days instanceof UnknownValue) unknowns.push(`a retention cannot be read (${days.reason})`);
    else longest = Math.max(longest, days);
  };
  const copies: Answer[] = [];
  for (const rule of rules) {
    kept(rule.Lifecycle);
    if (rule.TargetLogicallyAirGappedBackupVaultArn !== undefined) copies.push(true);
    for (const copy of listOf(rule.CopyActions)) {
      if (!isPlainObject(copy)) {
        if (copy instanceof UnknownValue) copies.push(copy);
        continue;
      }
      kept(copy.Lifecycle);
      copies.push(copy.DestinationBackupVaultArn === undefined ? false : offsiteOf(index, lookup, plan, copy.DestinationBackupVaultArn));
    }
  }
  if (longest < minimumDays && unknowns.length === 0) {
    problems.push(`no rule or copy keeps recovery points for ${minimumDays} days (minimumBackupRetentionDays); the longest DeleteAfterDays is ${longest}`);
  }
  const offsite = anyOf(copies);
  if (offsite === false) {
    problems.push('no rule copies the backups to another account or Region or to a logically air-gapped vault (CopyActions, '
      + 'TargetLogicallyAirGappedBackupVaultArn): one compromised account or Region loses the assets and their backups together');
  } else if (offsite instanceof UnknownValue) {
    unknowns.push('whether a copy destination is in another account or Region cannot be told at synth time');
  }
  if (problems.length > 0) return nonCompliant(problems.join('; '));
  if (unknowns.length > 0) return unverifiable(unknowns.join('; '));
  return COMPLIANT;
}

function checkPlan(plan: IndexedResource, context: RuleContext): RuleResult {
  const index = context.index;
  const lookup = createdVaults(index);
  return judgePlanRules(index, plan, (rules) => judgeRules(index, lookup, plan, rules, context.parameters.minimumBackupRetentionDays));
}

function checkStore(store: IndexedResource, context: RuleContext): RuleResult {
  const index = context.index;
  if (!isAiAsset(index, store)) return NOT_APPLICABLE;
  const coverage = selectionsOf(index, store);
  const why = `${store.logicalId} is an AI asset store (${aiAssetReason(index, store)})`;
  if (coverage.some((c) => c.certainty === true && c.plan)) return COMPLIANT;
  const outside = coverage.find((c) => c.certainty === true);
  if (outside) {
    return unverifiable(`${why}; backup selection ${outside.selection.logicalId} selects it, but its plan is not in the app, so its retention and copies cannot be verified`);
  }
  if (coverage.length > 0) {
    return unverifiable(`${why}; backup selection ${namesOf(coverage.map((c) => c.selection))} may select it, but its resources or tags cannot be read at synth time`);
  }
  return nonCompliant(`${why}, but no AWS::Backup::BackupSelection selects it: after poisoning, ransomware or deletion there is no known good state to restore`);
}

export const backupPlanCoverage: RuleDefinition = {
  title: 'AI asset stores are in a backup plan with retention and an offsite copy',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Identify, track and protect your assets',
  quote: 'can restore to a known good state in the event of compromise',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::Backup::BackupPlan', ...BACKUP_STORE_TYPES],
  compliantWhen: 'every AI asset store (S3 bucket, DynamoDB table, RDS/Neptune/DocumentDB cluster or instance, EFS file system that an AI '
    + 'resource references or that is tagged `ai:asset=true`) is selected by an `AWS::Backup::BackupSelection` (by reference, ARN, '
    + 'wildcard, `ListOfTags` or `Conditions`) of a plan in the app, neither created under a `Condition` that is false; and every plan that selects one keeps recovery points for at '
    + 'least minimumBackupRetentionDays in some rule or copy (`DeleteAfterDays`, absent = kept) and copies them to another account or '
    + 'Region or to a logically air-gapped vault. Once the app holds an AI asset (or the pack declares the whole app the AI system, '
    + 'aiSystem: whole-app, when every store is an AI asset store), every plan of the app is judged so, whichever stack it is in and '
    + 'whatever it selects',
  explanation: 'Training data, model artifacts and vector or feature stores are what an attacker poisons or destroys. Without a '
    + 'backup plan, with a retention shorter than the time it takes to notice the compromise, or with every copy in the same account '
    + 'and Region as the original, there is no known good state to go back to.',
  fix: 'Add the store to a backup.BackupPlan (plan.addSelection with BackupResource.fromArn/fromTag), give a rule deleteAfter of at least the '
    + 'retention you must restore from, and a copyActions entry to a vault in another account or Region or a logically air-gapped vault.',
  peers: 'CFG backup-plan-min-frequency-and-min-retention-check, backup-recovery-point-minimum-retention-check, s3-resources-protected-by-backup-plan; '
    + 'NAG NIST *InBackupPlan (DynamoDB/EBS/EFS/RDS only)',
  coverage: PeerCoverage.RUNTIME_ONLY,
  fixByType: {
    'AWS::Backup::BackupPlan': 'Give a rule of the plan deleteAfter of at least the retention you must restore from (minimumBackupRetentionDays), '
      + 'and a copyActions entry to a vault in another account or Region or to a logically air-gapped vault.',
    ...Object.fromEntries(BACKUP_STORE_TYPES.filter((t) => t !== 'AWS::Backup::BackupPlan').map((t) => [t, STORE_FIX])),
  },
  fixFor(resource) {
    const kind = madeBy(resource);
    if (kind === 'OfflineBackup') {
      return 'Raise OfflineBackup\'s dailyRetentionDays (or weekly/monthly) to at least minimumBackupRetentionDays, and keep its copy to '
        + 'the logically air-gapped vault (do not remove remoteVaultArn\'s vault).';
    }
    if (kind === undefined || resource.type === 'AWS::Backup::BackupPlan') return undefined;
    const call = OFFLINE_BACKUP_CALLS[resource.type];
    return call ? `Protect it with the library's OfflineBackup: backup.${call}(<the ${kind}>), which selects it by ARN in a plan `
      + 'that copies to a logically air-gapped vault.' : undefined;
  },
  check(resource, context) {
    return resource.type === 'AWS::Backup::BackupPlan' ? checkPlan(resource, context) : checkStore(resource, context);
  },
};
