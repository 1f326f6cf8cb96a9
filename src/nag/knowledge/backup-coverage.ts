import { aiAppReason, isAiAsset, mayBeAiAsset, namesOf } from './ai-assets';
import { allOf, Answer, anyOf, COMPLIANT, nonCompliant, not, NOT_APPLICABLE, NOT_KNOWN, oneOfForms, RuleResult, unverifiable, Verdict } from '../engine/checks';
import { DeclaredAnswers } from '../engine/declared-answers';
import { addToList, listOf } from '../engine/lists';
import { matchesPattern } from '../engine/readers/policy-documents';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { describe, Expression, isPlainObject, ResourceReference, UnknownValue, unknownOf, Value } from '../engine/values';

/**
 * What AWS Backup protects in the app, for P17 (locked vaults), P18 (plan coverage) and O4 (vault notifications): which
 * backup selections select which AI asset stores, which plans therefore back up AI assets, and where a plan's backups
 * go. Built once per validation run.
 */

/** Stores AWS Backup can protect that hold AI assets, with how their ARN is spelt (for wildcard selections). */
const STORES: Record<string, { readonly arn: (name: string) => string; readonly nameProperty?: string }> = {
  'AWS::S3::Bucket': { arn: (n) => `s3:::${n}`, nameProperty: 'BucketName' },
  'AWS::DynamoDB::Table': { arn: (n) => `dynamodb:R:A:table/${n}`, nameProperty: 'TableName' },
  'AWS::RDS::DBCluster': { arn: (n) => `rds:R:A:cluster:${n}`, nameProperty: 'DBClusterIdentifier' },
  'AWS::RDS::DBInstance': { arn: (n) => `rds:R:A:db:${n}`, nameProperty: 'DBInstanceIdentifier' },
  'AWS::Neptune::DBCluster': { arn: (n) => `rds:R:A:cluster:${n}`, nameProperty: 'DBClusterIdentifier' },
  'AWS::DocDB::DBCluster': { arn: (n) => `rds:R:A:cluster:${n}`, nameProperty: 'DBClusterIdentifier' },
  'AWS::EFS::FileSystem': { arn: (n) => `elasticfilesystem:R:A:file-system/${n}` },
};

/** Logically air-gapped vaults: recovery points copied there are out of reach of the source account. */
export const LAG_VAULT = 'AWS::Backup::LogicallyAirGappedBackupVault';

/** The resource types whose AI-asset resources must be backed up. */
export const BACKUP_STORE_TYPES = Object.keys(STORES);


/** A selection that selects an AI store, with the plan it belongs to (absent when the plan is outside the app). */
export interface Coverage {
  readonly selection: IndexedResource;
  readonly plan?: IndexedResource;
  readonly certainty: true | UnknownValue;
}

/** A selection that may select a store, as declared: it holds while the selection, its plan and the store are created. */
interface Claim extends Coverage {
  readonly store: IndexedResource;
  /** Its place among the claims of the app: in the order the selections are declared, then the stores they select. */
  readonly order: number;
}

/** The app's vaults (standard and logically air-gapped) by their literal name: the last created with that name. */
export interface VaultLookup {
  readonly vaultsByName: { get(name: string): IndexedResource | undefined };
}

export interface BackupLookup extends VaultLookup {
  /** Every AI asset store of the app, with the selections that select it. */
  readonly stores: Map<IndexedResource, Coverage[]>;
  /** Plans that back up AI asset stores; `certain` is false when only selections that cannot be read may select them. */
  readonly plans: Map<IndexedResource, { readonly stores: IndexedResource[]; certain: boolean }>;
  readonly vaultsByName: Map<string, IndexedResource>;
}

/**
 * What AWS Backup may protect, from every resource the app declares, created or not: each selection's claim on each
 * store that may hold AI assets (by store, and by plan, in the order the selections make them), and the vaults by
 * literal name. A rule asks whether the selection, plan, store and vault that answer it are created
 * ({@link selectionsOf}, {@link planClaims}, {@link aiBackupPlans}, {@link createdVaults}), so that it depends on their
 * conditions alone.
 */
interface DeclaredBackups {
  readonly claims: Claim[];
  readonly byStore: DeclaredAnswers<IndexedResource, Claim>;
  /** A plan's claims, each holding while its selection, the plan and its store are created ({@link restsOn}). */
  readonly byPlan: Map<IndexedResource, Claim[]>;
  readonly vaultsByName: ReadonlyMap<string, readonly IndexedResource[]>;
}

/** The resources a claim of a plan holds on. */
const restsOn = (claim: Claim): IndexedResource[] => [claim.selection, claim.plan!, claim.store];

function declaredBackups(index: ResourceIndex): DeclaredBackups {
  return index.memo(declaredBackups, () => {
    const vaultsByName = new Map<string, IndexedResource[]>();
    for (const type of ['AWS::Backup::BackupVault', LAG_VAULT]) {
      for (const vault of index.declaredOfType(type)) {
        const name = vault.properties.BackupVaultName;
        if (typeof name === 'string') addToList(vaultsByName, name, vault);
      }
    }
    const found: DeclaredBackups = { claims: [], byStore: new DeclaredAnswers(), byPlan: new Map(), vaultsByName };
    const stores = new Set(BACKUP_STORE_TYPES.flatMap((type) => index.declaredOfType(type).filter((r) => mayBeAiAsset(index, r))));
    for (const selection of index.declaredOfType('AWS::Backup::BackupSelection')) {
      const plan = selection.get('BackupPlanId').map((b) => index.resolve(b.value)).find((r) => r?.type === 'AWS::Backup::BackupPlan');
      const branches = selection.get('BackupSelection');
      for (const store of candidates(index, branches.map((b) => b.value), stores)) {
        // Every form of the selection must select the store (Fn::If with a branch that does not is not coverage).
        const answer = allOf(branches.map((b) => selects(index, b.value, store)));
        if (answer === false) continue;
        const claim: Claim = { selection, plan, store, certainty: answer, order: found.claims.length };
        found.claims.push(claim);
        // A selection whose plan is created under a condition that is false backs up nothing.
        found.byStore.add(store, claim, ...(plan ? [selection, plan] : [selection]));
        if (plan) addToList(found.byPlan, plan, claim);
      }
    }
    return found;
  });
}

/**
 * The selections of the app that select an AI asset store, each created with its plan; only their conditions are read.
 * Ask only of a store for which `isAiAsset` holds.
 */
export function selectionsOf(index: ResourceIndex, store: IndexedResource): readonly Coverage[] {
  return declaredBackups(index).byStore.created(index, store);
}

/** The AI asset stores a plan backs up, through selections that are created, in the order the selections make them. */
function planClaims(index: ResourceIndex, plan: IndexedResource): readonly Claim[] {
  const claims = index.keepCreated(declaredBackups(index).byPlan.get(plan) ?? [], restsOn);
  return claims.filter((c) => isAiAsset(index, c.store));
}

/**
 * The first claim through which a plan backs up an AI asset store, its selection, the plan and the store created; only
 * the conditions of the plan's claims up to it are read.
 */
function firstAiClaim(index: ResourceIndex, plan: IndexedResource): Claim | undefined {
  return (declaredBackups(index).byPlan.get(plan) ?? []).find((c) => restsOn(c).every((r) => index.isCreated(r)) && isAiAsset(index, c.store));
}

/**
 * The plans among `plans` that back up AI asset stores (through a selection that is created, of a store that is), in
 * the order the app's selections first select an AI asset store for each; only the conditions of their selections and
 * stores up to the first that answers are read.
 */
export function aiBackupPlans(index: ResourceIndex, plans: readonly IndexedResource[]): IndexedResource[] {
  const first = new Map<IndexedResource, number>();
  for (const plan of plans) {
    const claim = firstAiClaim(index, plan);
    if (claim) first.set(plan, claim.order);
  }
  return [...first.keys()].sort((a, b) => first.get(a)! - first.get(b)!);
}

/** The app's vaults by literal name; only the conditions of the vaults of a name asked for are read, from the last. */
export function createdVaults(index: ResourceIndex): VaultLookup {
  const byName = declaredBackups(index).vaultsByName;
  return { vaultsByName: { get: (name) => index.lastCreated(byName.get(name) ?? []) } };
}

/**
 * What AWS Backup protects in the app, as one view over every created selection, plan, store and vault (for the
 * threat model, which reads it whole): reading it depends on the condition of every backup resource of the app. A rule
 * about one plan, store or vault asks {@link selectionsOf}, {@link planScope}, {@link aiBackupPlans},
 * {@link plansWritingTo} and {@link createdVaults} instead.
 */
export function backupLookup(index: ResourceIndex): BackupLookup {
  return index.memo(backupLookup, () => {
    const declared = declaredBackups(index);
    const vaultsByName = new Map<string, IndexedResource>();
    for (const [name, vaults] of declared.vaultsByName) {
      const vault = index.lastCreated(vaults);
      if (vault) vaultsByName.set(name, vault);
    }
    const lookup: BackupLookup = { stores: new Map(), plans: new Map(), vaultsByName };
    for (const type of BACKUP_STORE_TYPES) {
      for (const store of index.ofType(type)) if (isAiAsset(index, store)) lookup.stores.set(store, []);
    }
    for (const { selection, plan, store, certainty } of declared.claims) {
      if (!lookup.stores.has(store) || !index.isCreated(selection) || (plan && !index.isCreated(plan))) continue;
      lookup.stores.get(store)!.push({ selection, plan, certainty });
      if (plan) {
        const entry = lookup.plans.get(plan) ?? { stores: [], certain: false };
        entry.stores.push(store);
        entry.certain = entry.certain || certainty === true;
        lookup.plans.set(plan, entry);
      }
    }
    return lookup;
  });
}

/**
 * Why a backup plan is judged as part of the AI system, for P17 and P18: the AI asset stores it selects, or, when it
 * selects none the pack can see, the AI assets the app holds (its backups are then the AI system's recovery, in
 * whichever stack the plan is). `certain` is false when only selections that cannot be read may select AI stores.
 * Undefined in an app that holds no AI asset.
 */
export function planScope(index: ResourceIndex, plan: IndexedResource): { readonly why: string; readonly certain: boolean } | undefined {
  const covered = planClaims(index, plan);
  if (covered.length > 0) {
    const certain = covered.some((c) => c.certainty === true);
    const partly = certain ? '' : ' through a selection that cannot be fully read';
    return { why: `This plan backs up AI assets (${namesOf(covered.map((c) => c.store))})${partly}`, certain };
  }
  const inApp = aiAppReason(index);
  if (!inApp) return undefined;
  return {
    why: `This plan selects no store the pack can tie to an AI asset, and is judged as part of the AI system's recovery because the app holds AI assets (${inApp})`,
    certain: true,
  };
}

/**
 * Judges a backup plan of the AI system (see {@link planScope}) by its rules, in each form `Fn::If` gives them: the first
 * failing form decides, else the first that cannot be verified, worded with why the plan is judged. A plan that only may
 * back up AI assets is reported unverifiable, not failed. Not applicable to a plan outside the AI system.
 * @param judgeRules P17's or P18's judgement of one form of `BackupPlan.BackupPlanRule`
 */
export function judgePlanRules(index: ResourceIndex, plan: IndexedResource, judgeRules: (rules: Value) => RuleResult): RuleResult {
  const scope = planScope(index, plan);
  if (!scope) return NOT_APPLICABLE;
  const forms = plan.get('BackupPlan.BackupPlanRule');
  const results = forms.map((b) => judgeRules(b.value));
  const worst = results.find((r) => r.verdict === Verdict.NON_COMPLIANT) ?? results.find((r) => r.verdict === Verdict.UNVERIFIABLE);
  if (!worst) return COMPLIANT;
  const form = forms.length > 1 ? ` ${oneOfForms(forms.length)}` : '';
  const message = `${scope.why}${form}: ${worst.message}`;
  if (worst.verdict === Verdict.NON_COMPLIANT && scope.certain) return nonCompliant(message, 'Properties.BackupPlan.BackupPlanRule');
  return unverifiable(message, 'Properties.BackupPlan.BackupPlanRule');
}

/**
 * The stores a selection can select: for a selection that only names resources (by reference or ARN), the stores it
 * names, so that the run stays linear in the number of selections and stores; for wildcards and tags, every store.
 */
function candidates(index: ResourceIndex, forms: Value[], stores: ReadonlySet<IndexedResource>): Iterable<IndexedResource> {
  if (forms.length !== 1 || !isPlainObject(forms[0])) return stores;
  const selection = forms[0];
  if (selection.ListOfTags !== undefined || !Array.isArray(selection.Resources)) return stores;
  const named = new Set<IndexedResource>();
  for (const entry of selection.Resources) {
    const pattern = typeof entry === 'string' ? entry : entry instanceof Expression && entry.references.length === 0 ? entry.pattern : undefined;
    if (entry instanceof UnknownValue || (pattern !== undefined && pattern.includes('*'))) return stores;
    const target = index.resolve(entry);
    if (target && STORES[target.type]) named.add(target);
  }
  return [...named].filter((s) => stores.has(s));
}

/** Whether one form of a `BackupSelection` block selects `store`. */
function selects(index: ResourceIndex, selection: Value, store: IndexedResource): Answer {
  if (selection instanceof UnknownValue) return NOT_KNOWN;
  if (!isPlainObject(selection)) return false;
  const tags = storeTags(store);
  const chosen: Answer[] = [];
  if (selection.Resources !== undefined) chosen.push(anyOf(listOf(selection.Resources).map((e) => entryNames(index, e, store))));
  if (selection.ListOfTags !== undefined) {
    chosen.push(anyOf(listOf(selection.ListOfTags).map((t) => (isPlainObject(t)
      ? tagMatches(tags, t.ConditionKey, t.ConditionValue, (a, b) => a === b) : unknownOf(t) ? NOT_KNOWN : false))));
  }
  const excluded = anyOf(listOf(selection.NotResources).map((e) => entryNames(index, e, store)));
  return allOf([anyOf(chosen), conditionsMatch(selection.Conditions, tags), not(excluded)]);
}

/** Whether an entry of `Resources`/`NotResources` (an ARN, a reference, a wildcard pattern) names `store`. */
function entryNames(index: ResourceIndex, entry: Value, store: IndexedResource): Answer {
  if (entry instanceof UnknownValue) return NOT_KNOWN;
  if (entry instanceof ResourceReference || (entry instanceof Expression && entry.references.length > 0)) {
    return index.resolve(entry) === store ? true : false;
  }
  const pattern = typeof entry === 'string' ? entry : entry instanceof Expression ? entry.pattern : undefined;
  if (pattern === undefined) return false;
  if (!pattern.includes('*')) return index.resolve(pattern) === store ? true : false;
  if (pattern === '*') return true;
  const spec = STORES[store.type];
  const name = spec.nameProperty ? store.properties[spec.nameProperty] : undefined;
  // Read the partition, Region and account from the pattern itself: only the service and resource part must match.
  const segments = pattern.split(':');
  const arn = `arn:${segments[1] ?? 'aws'}:${spec.arn(typeof name === 'string' ? name : '\u0001')}`
    .replace(':R:A:', `:${segments[3] ?? ''}:${segments[4] ?? ''}:`);
  if (arnMatches(pattern, arn)) return true;
  // A pattern for this kind of resource whose name part the generated name may or may not match.
  if (typeof name !== 'string' && arnMatches(pattern.replace(/[^:/]*$/, '*'), arn)) return NOT_KNOWN;
  return false;
}

/**
 * Whether a store's ARN matches a selection's wildcard pattern: as written, except for RDS (and the Neptune and
 * DocumentDB clusters, whose ARNs are RDS's), which keeps its identifiers in lower case, so that `cluster:KB*` selects
 * the cluster a template names `KbDb`; a DynamoDB table `features` is not selected by `table/Features*`.
 */
function arnMatches(pattern: string, arn: string): boolean {
  return matchesPattern(pattern, arn, arn.split(':')[2] === 'rds');
}

type Tags = ReadonlyMap<string, Value> | UnknownValue;

/**
 * A store's tags as AWS Backup reads them at deploy time: its own, its stack's (CloudFormation propagates them) and
 * those `Tags.of` writes, from the index.
 */
function storeTags(store: IndexedResource): Tags {
  const forms = store.tags();
  return forms.length === 1 ? forms[0] : new UnknownValue('tags that depend on a condition');
}

function tagMatches(tags: Tags, key: Value, value: Value, compare: (actual: string, wanted: string) => boolean): Answer {
  if (tags instanceof UnknownValue || typeof key !== 'string' || typeof value !== 'string') return NOT_KNOWN;
  const actual = tags.get(key.replace(/^aws:ResourceTag\//, ''));
  if (actual === undefined) return false;
  return typeof actual === 'string' ? (compare(actual, value) ? true : false) : NOT_KNOWN;
}

/** `Conditions` of a selection: every condition must hold (absent conditions hold). */
function conditionsMatch(conditions: Value, tags: Tags): Answer {
  if (conditions === undefined) return true;
  if (!isPlainObject(conditions)) return unknownOf(conditions) ? NOT_KNOWN : true;
  const answers: Answer[] = [];
  const operators: Record<string, (actual: string, wanted: string) => boolean> = {
    StringEquals: (a, b) => a === b,
    StringNotEquals: (a, b) => a !== b,
    StringLike: (a, b) => matchesPattern(b, a),
    StringNotLike: (a, b) => !matchesPattern(b, a),
  };
  for (const [operator, compare] of Object.entries(operators)) {
    for (const c of listOf(conditions[operator])) {
      if (!isPlainObject(c)) {
        answers.push(NOT_KNOWN);
        continue;
      }
      const answer = tagMatches(tags, c.ConditionKey, c.ConditionValue, compare);
      // A resource without the tag does not satisfy StringEquals/Like, and does satisfy the negative operators.
      answers.push(answer === false && operator.includes('Not') && !hasTag(tags, c.ConditionKey) ? true : answer);
    }
  }
  return allOf(answers);
}

function hasTag(tags: Tags, key: Value): boolean {
  return !(tags instanceof UnknownValue) && typeof key === 'string' && tags.has(key.replace(/^aws:ResourceTag\//, ''));
}

/** The rules of one form of a plan's `BackupPlan.BackupPlanRule`. */
export function rulesOf(value: Value): Array<Record<string, Value>> | UnknownValue {
  if (value instanceof UnknownValue) return value;
  const out: Array<Record<string, Value>> = [];
  for (const rule of listOf(value)) {
    if (isPlainObject(rule)) out.push(rule);
    else if (rule instanceof UnknownValue) return rule;
  }
  return out;
}

/** Where a backup destination is, relative to the plan's stack. */
export type Place = 'elsewhere' | 'here' | 'unknown';

/** The Region and account a resource's stack deploys to, when they are known at synth time. */
export function environmentOf(resource: IndexedResource): { region?: string; account?: string } {
  return { region: resource.stack.region, account: resource.stack.account };
}

/** Whether a vault ARN outside the app is in another account or Region than `env` (pseudo parameters mean "here"). */
export function placeOf(value: Value, env: { region?: string; account?: string }): Place {
  let text: string;
  if (typeof value === 'string') {
    text = value;
  } else if (value instanceof Expression) {
    text = value.parts.map((p) => {
      if (typeof p === 'string') return p;
      const pseudo = p instanceof UnknownValue ? p.pseudoParameter : undefined;
      return pseudo === 'AWS::Region' || pseudo === 'AWS::AccountId' ? '\u0002here' : pseudo === 'AWS::Partition' ? 'aws' : '\u0003';
    }).join('');
  } else {
    return 'unknown';
  }
  const segments = text.split(':');
  if (segments.length < 6 || segments[0] !== 'arn') return 'unknown';
  const compare = (segment: string, known: string | undefined): Place => {
    if (segment === '\u0002here') return 'here';
    if (segment.includes('\u0002') || segment.includes('\u0003') || segment === '') return 'unknown';
    if (known === undefined) return 'unknown';
    return segment === known ? 'here' : 'elsewhere';
  };
  const places = [compare(segments[3], env.region), compare(segments[4], env.account)];
  if (places.includes('elsewhere')) return 'elsewhere';
  return places.includes('unknown') ? 'unknown' : 'here';
}

/** The vault of the app a `TargetBackupVault` (a name) or a vault ARN names. */
export function vaultNamed(index: ResourceIndex, lookup: VaultLookup, value: Value): IndexedResource | undefined {
  if (typeof value === 'string' && !value.startsWith('arn:')) return lookup.vaultsByName.get(value);
  const target = index.resolve(value);
  if (target && (target.type === 'AWS::Backup::BackupVault' || target.type === LAG_VAULT)) return target;
  if (typeof value === 'string') {
    const name = /:backup-vault:([^:/]+)$/.exec(value)?.[1];
    return name ? lookup.vaultsByName.get(name) : undefined;
  }
  return undefined;
}

/** Where one form of a plan's rules writes and copies its backups. */
export interface Destinations {
  /** Vaults of the app. */
  readonly vaults: Set<IndexedResource>;
  /** Destinations outside the app, described. */
  readonly outside: string[];
  /** Logically air-gapped destinations outside the app: air-gapped, whatever else they are. */
  readonly airGappedOutside: string[];
}

/** The vaults the rules of one form of a plan write or copy to (`TargetBackupVault`, the air-gapped target, copy actions). */
export function destinationsOf(index: ResourceIndex, lookup: VaultLookup, rules: Array<Record<string, Value>>): Destinations {
  const found: Destinations = { vaults: new Set(), outside: [], airGappedOutside: [] };
  const add = (value: Value, what: string, airGapped: boolean): void => {
    if (value === undefined) return;
    const vault = vaultNamed(index, lookup, value);
    if (vault) found.vaults.add(vault);
    else if (airGapped) found.airGappedOutside.push(`${what} ${describe(value)}`);
    else found.outside.push(`${what} ${describe(value)}`);
  };
  for (const rule of rules) {
    add(rule.TargetBackupVault, 'TargetBackupVault', false);
    add(rule.TargetLogicallyAirGappedBackupVaultArn, 'TargetLogicallyAirGappedBackupVaultArn', true);
    for (const copy of listOf(rule.CopyActions)) {
      if (isPlainObject(copy)) add(copy.DestinationBackupVaultArn, 'copy destination', false);
      else if (copy instanceof UnknownValue) found.outside.push(`a copy action that cannot be read (${copy.reason})`);
    }
  }
  return found;
}

/**
 * Every vault the app declares that some plan it declares writes or copies to, in any form of its rules, with those
 * plans; and the plans that name a vault by its literal name, by name. Found once per run, created or not: see
 * {@link isPlanned} and {@link plansWritingTo}.
 */
interface PlannedVaults {
  readonly byVault: DeclaredAnswers<IndexedResource, IndexedResource>;
  readonly byName: DeclaredAnswers<string, IndexedResource>;
}

function plannedVaults(index: ResourceIndex): PlannedVaults {
  return index.memo(plannedVaults, () => {
    const planned: PlannedVaults = { byVault: new DeclaredAnswers(), byName: new DeclaredAnswers() };
    // A literal name is kept as a name, unresolved: which vault it names (the last created with it) is for the rule to ask.
    const names = new Set<string>();
    const byName: VaultLookup = { vaultsByName: { get: (name) => void names.add(name) } };
    for (const plan of index.declaredOfType('AWS::Backup::BackupPlan')) {
      names.clear();
      for (const form of plan.get('BackupPlan.BackupPlanRule')) {
        const rules = rulesOf(form.value);
        if (!(rules instanceof UnknownValue)) destinationsOf(index, byName, rules).vaults.forEach((v) => planned.byVault.add(v, plan, plan));
      }
      names.forEach((name) => planned.byName.add(name, plan, plan));
    }
    return planned;
  });
}

/**
 * Whether a plan of the app that is created writes or copies to a vault: by reference or ARN, or by the vault's literal
 * name when it is the last created vault with that name. Only the conditions of those plans (and vaults) are read, up
 * to the first plan that answers.
 */
export function isPlanned(index: ResourceIndex, vault: IndexedResource): boolean {
  const planned = plannedVaults(index);
  if (planned.byVault.first(index, vault)) return true;
  const name = vault.properties.BackupVaultName;
  return typeof name === 'string' && planned.byName.first(index, name) !== undefined
    && createdVaults(index).vaultsByName.get(name) === vault;
}

/**
 * The plans of the app that are created and write or copy to a vault (see {@link isPlanned}), each once; only the
 * conditions of those plans, and of the vaults that share its literal name, are read.
 */
export function plansWritingTo(index: ResourceIndex, vault: IndexedResource): IndexedResource[] {
  const planned = plannedVaults(index);
  const plans = new Set(planned.byVault.created(index, vault));
  const name = vault.properties.BackupVaultName;
  if (typeof name === 'string' && planned.byName.has(name) && createdVaults(index).vaultsByName.get(name) === vault) {
    planned.byName.created(index, name).forEach((plan) => plans.add(plan));
  }
  return [...plans];
}
