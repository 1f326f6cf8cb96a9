import { combine, COMPLIANT, isAtLeast, isSet, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, UnknownValue, Value } from '../../engine/values';
import { aiAppReason } from '../../knowledge/ai-assets';
import { createdVaults, destinationsOf, isPlanned, judgePlanRules, LAG_VAULT, rulesOf, VaultLookup } from '../../knowledge/backup-coverage';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

type Lock = { readonly locked: true } | { readonly locked: false | 'unknown'; readonly why: string };

/** Whether a vault of the app keeps recovery points beyond anyone's reach for at least `minimumDays`, in every form. */
function lockOf(vault: IndexedResource, minimumDays: number): Lock {
  const problems: string[] = [];
  let unknown: string | undefined;
  const atLeast = isAtLeast(minimumDays);
  const judgeDays = (value: Value, what: string): void => {
    const answer = atLeast(value);
    if (answer instanceof UnknownValue) unknown = unknown ?? `${what} cannot be read (${answer.reason})`;
    else if (!answer) problems.push(`${what} is ${describe(value)} (< ${minimumDays} days, minimumBackupRetentionDays)`);
  };
  if (vault.type === LAG_VAULT) {
    vault.get('MinRetentionDays').forEach((b) => judgeDays(b.value, `air-gapped vault ${vault.logicalId} MinRetentionDays`));
  } else {
    for (const branch of vault.get('LockConfiguration')) {
      const lock = branch.value;
      if (lock instanceof UnknownValue) {
        unknown = unknown ?? `the LockConfiguration of vault ${vault.logicalId} cannot be read (${lock.reason})`;
      } else if (!isPlainObject(lock)) {
        problems.push(`vault ${vault.logicalId} has no LockConfiguration (Vault Lock)`);
      } else {
        judgeDays(lock.MinRetentionDays, `vault ${vault.logicalId} LockConfiguration.MinRetentionDays`);
        // Without ChangeableForDays the lock is in governance mode: anyone with the permission can remove it.
        if (lock.ChangeableForDays === undefined) {
          problems.push(`vault ${vault.logicalId} is locked in governance mode (LockConfiguration.ChangeableForDays is absent), so the lock can be removed`);
        } else {
          const days = isAtLeast(3)(lock.ChangeableForDays);
          if (days instanceof UnknownValue) unknown = unknown ?? `ChangeableForDays of vault ${vault.logicalId} cannot be read`;
          else if (!days) problems.push(`vault ${vault.logicalId} LockConfiguration.ChangeableForDays is ${describe(lock.ChangeableForDays)} (< 3)`);
        }
      }
    }
  }
  if (problems.length > 0) return { locked: false, why: problems.join('; ') };
  if (unknown) return { locked: 'unknown', why: unknown };
  return { locked: true };
}

/** The verdict for one form of the plan's rules. */
function judgeForm(index: ResourceIndex, lookup: VaultLookup, rulesValue: Value, minimumDays: number): RuleResult {
  const rules = rulesOf(rulesValue);
  if (rules instanceof UnknownValue) return unverifiable(`the plan's rules cannot be read at synth time (${rules.reason})`);
  const destinations = destinationsOf(index, lookup, rules);
  const vaults = [...destinations.vaults];
  const locks = vaults.map((v) => ({ vault: v, lock: lockOf(v, minimumDays) }));

  let lock: RuleResult;
  if (destinations.airGappedOutside.length > 0 || locks.some((l) => l.lock.locked === true)) {
    lock = COMPLIANT;
  } else {
    const reasons = locks.map((l) => (l.lock.locked === true ? '' : l.lock.why));
    const open = locks.find((l) => l.lock.locked === 'unknown');
    if (destinations.outside.length > 0 || open) {
      lock = unverifiable(`no destination vault of the app is locked, and ${[...destinations.outside.map((d) => `${d} is not in the app`),
        ...(open && open.lock.locked !== true ? [open.lock.why] : [])].join('; ')}: whether a locked or air-gapped vault receives the AI backups cannot be verified`);
    } else {
      lock = nonCompliant('no vault that receives this plan\'s backups of AI assets is locked in compliance mode or logically air-gapped'
        + `${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}: anyone who gains backup-admin rights can delete the backups along with the assets they restore`);
    }
  }
  const keys = vaults.filter((v) => v.type !== LAG_VAULT).map((v) => {
    const key = v.get('EncryptionKeyArn');
    const answers = key.map((b) => isSet(b.value));
    return answers.every((a) => a === true) ? COMPLIANT
      : nonCompliant(`vault ${v.logicalId} has no EncryptionKeyArn: the AI backups are encrypted with the AWS managed key, not a customer-managed key whose policy you control`);
  });
  return combine(lock, ...keys);
}

/**
 * A vault of an app that holds AI assets, which no plan of the app writes or copies to: it receives backups from plans
 * elsewhere (another account's copies, an organisation backup policy), so it must itself keep them out of reach.
 */
function checkVault(index: ResourceIndex, vault: IndexedResource, minimumDays: number): RuleResult {
  const inApp = aiAppReason(index);
  if (!inApp || isPlanned(index, vault)) return NOT_APPLICABLE; // judged through the plans that write to it
  const scope = 'no backup plan of the app writes or copies to this vault, so it receives backups from plans elsewhere (copies from '
    + `other accounts or Regions, an organisation backup policy), and the app holds AI assets (${inApp})`;
  const lock = lockOf(vault, minimumDays);
  const locked = lock.locked === true ? COMPLIANT
    : lock.locked === 'unknown' ? unverifiable(`${scope}: whether the vault is locked cannot be verified: ${lock.why}`, 'Properties')
      : nonCompliant(`${scope}: ${lock.why}, so anyone who gains backup-admin rights can delete the recovery points it holds`, 'Properties');
  if (vault.type === LAG_VAULT) return locked;
  const key = vault.get('EncryptionKeyArn').every((b) => isSet(b.value) === true) ? COMPLIANT
    : nonCompliant(`${scope}: it has no EncryptionKeyArn, so the backups are encrypted with the AWS managed key, not a customer-managed key whose policy you control`,
      'Properties.EncryptionKeyArn');
  return combine(locked, key);
}

export const lockedBackupVault: RuleDefinition = {
  title: 'Backups of AI assets reach a locked or logically air-gapped vault',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Develop incident management procedures',
  quote: 'You store critical company digital resources in offline backups',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::Backup::BackupPlan', 'AWS::Backup::BackupVault', LAG_VAULT],
  compliantWhen: 'for every backup plan that selects an AI asset store: at least one vault its rules write or copy to is an '
    + '`AWS::Backup::BackupVault` with `LockConfiguration` in compliance mode (`ChangeableForDays` ≥ 3, `MinRetentionDays` ≥ '
    + 'minimumBackupRetentionDays) or a logically air-gapped vault (`MinRetentionDays` ≥ minimumBackupRetentionDays, or one named '
    + 'by `TargetLogicallyAirGappedBackupVaultArn`); and every standard vault of the app it writes to has `EncryptionKeyArn`. '
    + 'Once the app holds an AI asset (or the pack declares the whole app the AI system, aiSystem: whole-app), every plan of the app '
    + 'is judged so, whichever stack it is in and whatever it selects; and every vault of the app that no plan of the app writes or '
    + 'copies to (it receives backups from elsewhere) is itself locked in compliance mode or logically air-gapped, with '
    + '`EncryptionKeyArn` for a standard vault. Not applicable in an app that holds no AI asset',
  explanation: 'Backups are the way back after ransomware, poisoning or a destructive insider, and only if the attacker cannot '
    + 'delete them too. Vault Lock in compliance mode and logically air-gapped vaults make recovery points immutable even for '
    + 'administrators: the offline copy the guideline asks for. A customer-managed key keeps access to the backups under a policy you control.',
  fix: 'Give the vault that receives the AI backups backup.BackupVault lockConfiguration { minRetention (at least the retention you must '
    + 'restore from), changeableFor: Duration.days(3) or more } and encryptionKey, or copy the backups to a '
    + 'CfnLogicallyAirGappedBackupVault (CopyActions or TargetLogicallyAirGappedBackupVaultArn).',
  peers: 'CKV_AWS_166 (CMK only); CFG backup-recovery-point-encrypted / SH Backup.1 (recovery points), '
    + 'backup-recovery-point-manual-deletion-disabled (vault policy) — nothing checks Vault Lock',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    const index = context.index;
    const minimumDays = context.parameters.minimumBackupRetentionDays;
    if (resource.type !== 'AWS::Backup::BackupPlan') return checkVault(index, resource, minimumDays);
    const lookup = createdVaults(index);
    return judgePlanRules(index, resource, (rules) => judgeForm(index, lookup, rules, minimumDays));
  },
};
