import { ThreatDefinition, THREATS, threatsFor } from './threat-catalogue';
import { aiInventory, Asset, AiInventory, resourceRef, tagOf } from '../bom/ai-inventory';
import { LibraryConstruct, libraryConstructOf } from '../facts/library-constructs';
import { CATALOGUE } from '../nag/catalogue';
import { addToList } from '../nag/engine/lists';
import { IndexedResource, IndexedStack, ResourceIndex } from '../nag/engine/resource-index';
import { Finding, RulePass } from '../nag/findings';
import { apiOf, STAGE_TYPES } from '../nag/knowledge/ai-apis';
import { backupLookup, LAG_VAULT } from '../nag/knowledge/backup-coverage';
import { RuleLevel } from '../nag/rule';
import { TOOL_NAME, toolVersion } from '../package-info';

const VAULT_TYPES = ['AWS::Backup::BackupVault', LAG_VAULT];

/**
 * The threat model of an app: for each AI asset of its inventory, the threats the guidelines name for it, each with
 * the controls present (rules its resources passed), the findings open and acknowledged, and what remains for a person
 * to decide. Built from the templates (the inventory) and one run of the pack (its findings and passes), so the same
 * app and the same results give the same model.
 */

/** What one run of the pack found: every finding (acknowledged ones with their reasons) and every rule passed. */
export interface PackResults {
  readonly findings: readonly Finding[];
  readonly passed: readonly RulePass[];
}

/** A control present: a rule a resource passed. */
export interface ThreatControl {
  /** The catalogue ID (`P6`). */
  readonly ruleId: string;
  /** What the rule checks. */
  readonly title: string;
  /** The construct path of the resource that passed it. */
  readonly resource: string;
  /**
   * The library construct whose secure default it is (`InferenceEndpoint` at `Platform/Endpoint`), when one of this
   * library's constructs made the resource; known inside synthesis only, where the constructs are.
   */
  readonly defaultOf?: LibraryConstruct;
}

/** A finding of the pack that concerns a threat. */
export interface ThreatFinding {
  /** The reported ID: `SecureAI-P6`, `SecureAI-P6[unverifiable]`. */
  readonly rule: string;
  readonly ruleId: string;
  readonly level: RuleLevel;
  readonly message: string;
  /** The construct path of the resource. */
  readonly resource: string;
  /** For an acknowledged finding: the reason given and where it was recorded. */
  readonly acknowledged?: { readonly reason: string; readonly at: string };
}

/** One threat to one asset: the catalogue's threat, judged on the asset's resources. */
export interface AssetThreat extends Pick<ThreatDefinition, 'id' | 'title' | 'attack' | 'guideline' | 'atlas' | 'owasp' | 'rules'> {
  /** The rules of account-wide controls, judged anywhere in the asset's account. */
  readonly accountRules: readonly string[];
  readonly controls: readonly ThreatControl[];
  readonly open: readonly ThreatFinding[];
  readonly acknowledged: readonly ThreatFinding[];
  /**
   * Set when no rule of the threat passed or failed on the asset's resources: nothing in the app controls it, and
   * that itself is open.
   */
  readonly uncontrolled?: string;
  /** What remains for a person to decide. */
  readonly decide: readonly string[];
}

/** An AI asset and its threats. */
export interface AssetModel {
  readonly ref: string;
  readonly kind: string;
  readonly name: string;
  /** The stack that holds it (or its bucket, repository or registry); undefined for what lies outside the app. */
  readonly stack?: string;
  readonly account?: string;
  readonly constructPath?: string;
  /** The `Environment` tag of its resource or bucket. */
  readonly environment?: string;
  /** The construct path of the VPC it runs in. */
  readonly vpc?: string;
  readonly classification?: string;
  /** The assets it depends on (data flows from them to it). */
  readonly dependsOn: readonly string[];
  /** Where its data goes besides the assets that depend on it: an endpoint's captures, a pipeline's registry group, a group's versions. */
  readonly flowsTo: readonly string[];
  /** The rules of the open findings on the asset itself (its resources, not those it uses), which the diagram marks. */
  readonly openOnAsset: readonly string[];
  readonly threats: readonly AssetThreat[];
}

/** The threat model as data: what threat-model.json holds and the Markdown renders. */
export interface ThreatModel {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: string; readonly version: string };
  readonly stacks: readonly string[];
  readonly assets: readonly AssetModel[];
  /** Findings that concern no threat of any asset (account-wide settings, resources no AI asset reaches). */
  readonly otherFindings: readonly ThreatFinding[];
}

/** The threat model of the app an index holds, with the results of one run of the pack over it. */
export function buildThreatModel(index: ResourceIndex, results: PackResults): ThreatModel {
  return new ModelBuilder(index, results).build();
}

const RULE_TITLES = new Map(CATALOGUE.map((r) => [r.id, r.title]));
const RULE_ORDER = new Map(CATALOGUE.map((r, i) => [r.id, i]));
const key = (stackPath: string, logicalId: string) => `${stackPath}\u0000${logicalId}`;

class ModelBuilder {
  private readonly inventory: AiInventory;
  private readonly byRef = new Map<string, IndexedResource>();
  private readonly byPath = new Map<string, IndexedResource>();
  private readonly findings = new Map<string, Finding[]>();
  private readonly passes = new Map<string, string[]>();
  private readonly used = new Set<Finding>();
  /** Resources that are some asset's own (its resource, bucket, repository or group). */
  private readonly ownedByAsset = new Set<IndexedResource>();
  /** Resources with a result of an account-wide rule (trails, invocation logging): few in any app. */
  private readonly accountWide: IndexedResource[];
  /**
   * What the account-wide rules of a threat found for assets whose home is a stack: the same for every asset of that
   * stack, and each list holds every such result of the account, so it is collected once per stack and threat
   * instead of once per asset.
   */
  private readonly accountResults = new Map<IndexedStack | undefined, Map<ThreatDefinition, Collected>>();
  /** Each finding as the model lists it: one object however many threats list it. */
  private readonly listed = new Map<Finding, ThreatFinding>();
  /**
   * Each finding's place in the model's order ({@link byFinding}), equal for findings that order equally: a threat
   * sorts its findings by number rather than comparing their texts again.
   */
  private readonly order = new Map<Finding, number>();

  public constructor(private readonly index: ResourceIndex, private readonly results: PackResults) {
    this.inventory = aiInventory(index);
    for (const resource of index.resources) {
      this.byRef.set(resourceRef(resource), resource);
      this.byPath.set(resource.constructPath, resource);
    }
    for (const finding of results.findings) addToList(this.findings, key(finding.stackPath, finding.logicalId), finding);
    for (const pass of results.passed) addToList(this.passes, key(pass.stackPath, pass.logicalId), pass.ruleId);
    for (const asset of this.inventory.assets.values()) this.seedsOf(asset).own.forEach((r) => this.ownedByAsset.add(r));
    const accountRules = new Set(THREATS.flatMap((t) => t.accountRules ?? []));
    this.accountWide = index.resources.filter((r) => {
      const k = key(r.stack.stackPath, r.logicalId);
      return (this.passes.get(k) ?? []).some((id) => accountRules.has(id)) || (this.findings.get(k) ?? []).some((f) => accountRules.has(f.ruleId));
    });
    const sorted = results.findings.map((finding) => ({ finding, listed: this.listedOf(finding) })).sort((a, b) => byFinding(a.listed, b.listed));
    sorted.forEach(({ finding, listed }, i) => {
      const previous = sorted[i - 1];
      this.order.set(finding, previous && byFinding(previous.listed, listed) === 0 ? this.order.get(previous.finding)! : i);
    });
  }

  public build(): ThreatModel {
    const assets = [...this.inventory.assets.values()].sort((a, b) => a.ref.localeCompare(b.ref)).map((a) => this.asset(a));
    const otherFindings = this.uniqueFindings(this.results.findings.filter((f) => !this.used.has(f)));
    return {
      schemaVersion: 1,
      tool: { name: TOOL_NAME, version: toolVersion() },
      stacks: [...new Set(this.index.resources.map((r) => r.stack.stackPath))].sort(),
      assets,
      otherFindings,
    };
  }

  private asset(asset: Asset): AssetModel {
    const { own, borrowed } = this.seedsOf(asset);
    const seeds = [...own, ...borrowed];
    const related = this.relatedTo(seeds);
    const home = seeds[0];
    const marked = new Set<Finding>();
    const threats = threatsFor(asset).map((threat): AssetThreat => {
      const { controls, found } = this.collect(related, threat.rules);
      for (const finding of found) if (!finding.acknowledged && this.isOn(finding, asset, own)) marked.add(finding);
      if (threat.accountRules) {
        const account = this.accountResultsOf(home, threat);
        controls.push(...account.controls);
        found.push(...account.found);
      }
      found.forEach((f) => this.used.add(f));
      const open = this.uniqueFindings(found.filter((f) => !f.acknowledged));
      const acknowledged = this.uniqueFindings(found.filter((f) => f.acknowledged));
      const uncontrolled = controls.length + open.length + acknowledged.length === 0
        ? `no resource of this asset was judged by ${[...threat.rules, ...threat.accountRules ?? []].map((r) => `SecureAI-${r}`).join(', ')}: nothing in the app controls this threat`
        : undefined;
      const { id, title, attack, guideline, atlas, owasp, rules } = threat;
      return {
        id,
        title,
        attack,
        guideline,
        atlas,
        owasp,
        rules,
        accountRules: threat.accountRules ?? [],
        controls: uniqueControls(controls),
        open,
        acknowledged,
        ...(uncontrolled ? { uncontrolled } : {}),
        decide: [
          ...uncontrolled ? ['Whether this threat is controlled outside the app (and where that is recorded), or a control must be added.'] : [],
          ...open.length > 0 ? ['Fix each open finding, or acknowledge it with the reason the risk is accepted.'] : [],
          ...open.some((f) => f.rule.endsWith('[unverifiable]')) ? ['Check at deployment what the templates cannot show (the unverifiable findings).'] : [],
          threat.decide,
        ],
      };
    });
    const ownHome = own[0];
    return {
      ref: asset.ref,
      kind: asset.kind,
      name: asset.name,
      stack: ownHome?.stack.stackPath,
      account: ownHome?.stack.account,
      constructPath: asset.resource?.constructPath,
      environment: own.map((r) => tagOf(r, 'Environment')).find((e) => e !== undefined),
      vpc: this.vpcOf(asset)?.constructPath,
      classification: asset.classification,
      dependsOn: [...asset.dependsOn].sort(),
      flowsTo: this.flowsTo(asset),
      openOnAsset: [...new Set([...marked].map((f) => f.ruleName.replace(/^SecureAI-/, '')))].sort(byRule),
      threats,
    };
  }

  /** The controls present and the findings among `resources` of the given rules. */
  private collect(resources: Iterable<IndexedResource>, rules: readonly string[]): Collected {
    const controls: ThreatControl[] = [];
    const found: Finding[] = [];
    for (const resource of resources) {
      const k = key(resource.stack.stackPath, resource.logicalId);
      for (const ruleId of this.passes.get(k) ?? []) {
        if (!rules.includes(ruleId)) continue;
        const defaultOf = libraryConstructOf(resource.construct);
        controls.push({ ruleId, title: RULE_TITLES.get(ruleId) ?? ruleId, resource: resource.constructPath, ...defaultOf ? { defaultOf } : {} });
      }
      for (const finding of this.findings.get(k) ?? []) if (rules.includes(finding.ruleId)) found.push(finding);
    }
    return { controls, found };
  }

  /** What a threat's account-wide rules found in the account of an asset whose home is `home`. */
  private accountResultsOf(home: IndexedResource | undefined, threat: ThreatDefinition): Collected {
    // Which resources share the account depends on the home's stack alone (see sameAccount).
    let byThreat = this.accountResults.get(home?.stack);
    if (!byThreat) {
      byThreat = new Map();
      this.accountResults.set(home?.stack, byThreat);
    }
    let collected = byThreat.get(threat);
    if (!collected) {
      collected = this.collect(this.accountWide.filter((r) => sameAccount(r, home)), threat.accountRules ?? []);
      byThreat.set(threat, collected);
    }
    return collected;
  }

  /** Findings as a threat lists them: each once, in the model's order. */
  private uniqueFindings(findings: readonly Finding[]): ThreatFinding[] {
    // A stable sort by rank keeps findings that order equally as they came, as sorting by byFinding would.
    return [...new Set(findings)].sort((a, b) => this.order.get(a)! - this.order.get(b)!).map((f) => this.listedOf(f));
  }

  private listedOf(finding: Finding): ThreatFinding {
    let listed = this.listed.get(finding);
    if (!listed) {
      listed = findingOf(finding);
      this.listed.set(finding, listed);
    }
    return listed;
  }

  private flowsTo(asset: Asset): string[] {
    const out = new Set<string>(asset.properties.get('captures-to') ?? []);
    for (const path of asset.properties.get('registers-to') ?? []) {
      const group = this.byPath.get(path);
      if (group) out.add(resourceRef(group));
    }
    if (asset.kind === 'model-package-group') {
      for (const version of this.inventory.assets.values()) {
        if (version.properties.get('model-package-group')?.has(asset.ref)) out.add(version.ref);
      }
    }
    return [...out].filter((ref) => this.inventory.assets.has(ref)).sort();
  }

  /**
   * Whether an open finding is on the asset itself, for the diagram: on its own resource, bucket, repository or
   * registry group, or on a resource its own resource names that is no other asset's (an endpoint's configuration).
   */
  private isOn(finding: Finding, asset: Asset, own: readonly IndexedResource[]): boolean {
    const on = (r: IndexedResource) => r.stack.stackPath === finding.stackPath && r.logicalId === finding.logicalId;
    if (own.some(on)) return true;
    if (!asset.resource) return false;
    return this.index.referencesFrom(asset.resource).some(({ target }) => on(target) && !this.ownedByAsset.has(target));
  }

  /**
   * The resources that make up an asset (`own`): its own, the bucket or repository that holds it, the registry group
   * it is a version of. For what the templates name but do not define (a hosted model, an image of another
   * registry, an artifact of a package), `borrowed`: the resources of the assets that use it.
   */
  private seedsOf(asset: Asset): { own: IndexedResource[]; borrowed: IndexedResource[] } {
    const own = new Set<IndexedResource>();
    if (asset.resource) own.add(asset.resource);
    for (const name of ['bucket', 'repository']) {
      for (const path of asset.properties.get(name) ?? []) {
        const found = this.byPath.get(path);
        if (found) own.add(found);
      }
    }
    // A package version (and the artifact it holds) is in its registry group.
    const packages = asset.kind === 'artifact' ? [...this.inventory.assets.values()].filter((a) => a.dependsOn.has(asset.ref)) : [asset];
    for (const ref of packages.flatMap((p) => [...p.properties.get('model-package-group') ?? []])) {
      const group = this.byRef.get(ref);
      if (group) own.add(group);
    }
    const borrowed = new Set<IndexedResource>();
    if (own.size === 0) {
      for (const path of asset.properties.get('used-by') ?? []) {
        const user = this.byPath.get(path);
        if (user) borrowed.add(user);
      }
      for (const user of this.usersOf(asset)) borrowed.add(user);
    }
    return { own: [...own], borrowed: [...borrowed] };
  }

  /** The resources of the nearest assets that depend on an asset without a resource of its own. */
  private usersOf(asset: Asset): IndexedResource[] {
    let frontier = [asset.ref];
    for (let depth = 0; depth < 3 && frontier.length > 0; depth++) {
      const users = [...this.inventory.assets.values()].filter((a) => frontier.some((ref) => a.dependsOn.has(ref)));
      const resources = users.map((u) => u.resource).filter((r): r is IndexedResource => r !== undefined);
      if (resources.length > 0) return resources;
      frontier = users.map((u) => u.ref);
    }
    return [];
  }

  /**
   * The resources whose results concern an asset: its seeds, what they reference two steps down (an endpoint's
   * configuration and the key it names), what references the seeds (a bucket's policy, an endpoint's alarm or
   * monitoring schedule), the stages of an API in front of it, and the IAM policies attached to the roles they use.
   */
  private relatedTo(seeds: readonly IndexedResource[]): Set<IndexedResource> {
    const related = new Set<IndexedResource>(seeds);
    let frontier = [...seeds];
    for (let depth = 0; depth < 2; depth++) {
      const next: IndexedResource[] = [];
      for (const resource of frontier) {
        for (const { target } of this.index.referencesFrom(resource)) {
          if (!related.has(target)) {
            related.add(target);
            next.push(target);
          }
        }
      }
      frontier = next;
    }
    for (const seed of seeds) for (const { source } of this.index.referencesTo(seed)) related.add(source);
    // What backs the asset up: the plans whose selections select its stores (by reference, ARN, wildcard or tag), and
    // the vaults those plans write to. A plan is no control of the assets it does not back up.
    const backups = backupLookup(this.index);
    for (const seed of seeds) {
      for (const { selection, plan } of backups.stores.get(seed) ?? []) {
        related.add(selection);
        if (!plan) continue;
        related.add(plan);
        for (const { target } of this.index.referencesFrom(plan)) if (VAULT_TYPES.includes(target.type)) related.add(target);
      }
    }
    // An API method in front of the asset brings its API's stages and what guards them (web ACL associations).
    for (const method of [...related].filter((r) => r.type.startsWith('AWS::ApiGateway'))) {
      const api = apiOf(method).api;
      for (const { source: stage } of api ? this.index.referencesTo(api) : []) {
        if (!STAGE_TYPES.includes(stage.type)) continue;
        related.add(stage);
        for (const { source } of this.index.referencesTo(stage)) related.add(source);
      }
    }
    for (const role of [...related].filter((r) => r.type === 'AWS::IAM::Role')) {
      for (const { source } of this.index.referencesTo(role)) {
        if (source.type === 'AWS::IAM::Policy' || source.type === 'AWS::IAM::ManagedPolicy') related.add(source);
      }
    }
    return related;
  }

  /** The VPC an asset runs in: through the subnets or security groups its resources name; an endpoint's is its model's. */
  private vpcOf(asset: Asset): IndexedResource | undefined {
    for (const seed of asset.resource ? [asset.resource] : []) {
      for (const { target } of this.index.referencesFrom(seed)) {
        if (target.type === 'AWS::EC2::VPC') return target;
        if (target.type !== 'AWS::EC2::Subnet' && target.type !== 'AWS::EC2::SecurityGroup') continue;
        const vpc = this.index.referencesFrom(target).find((r) => r.target.type === 'AWS::EC2::VPC');
        if (vpc) return vpc.target;
      }
    }
    if (asset.kind === 'endpoint') {
      for (const ref of [...asset.dependsOn].sort()) {
        const model = this.inventory.assets.get(ref);
        const vpc = model?.kind === 'model' ? this.vpcOf(model) : undefined;
        if (vpc) return vpc;
      }
    }
    return undefined;
  }
}

/** Controls present and findings, as one collection over resources yields them. */
interface Collected {
  readonly controls: ThreatControl[];
  readonly found: Finding[];
}

function sameAccount(resource: IndexedResource, home: IndexedResource | undefined): boolean {
  if (!home) return true;
  const [a, b] = [resource.stack.account, home.stack.account];
  if (a !== undefined && b !== undefined) return a === b;
  // Environment-agnostic stacks: one account when none says which; otherwise only the asset's own stack is sure.
  return a === b || resource.stack === home.stack;
}

function findingOf(finding: Finding): ThreatFinding {
  return {
    rule: finding.ruleName,
    ruleId: finding.ruleId,
    level: finding.level,
    message: finding.message,
    resource: finding.constructPath,
    ...(finding.acknowledged ? { acknowledged: { reason: finding.acknowledged.reason, at: finding.acknowledged.at } } : {}),
  };
}

function byRule(a: string, b: string): number {
  return (RULE_ORDER.get(a) ?? Infinity) - (RULE_ORDER.get(b) ?? Infinity) || a.localeCompare(b);
}

function byFinding(a: ThreatFinding, b: ThreatFinding): number {
  return byRule(a.ruleId, b.ruleId) || a.rule.localeCompare(b.rule) || a.resource.localeCompare(b.resource) || a.message.localeCompare(b.message);
}

function uniqueControls(controls: readonly ThreatControl[]): ThreatControl[] {
  const seen = new Map<string, ThreatControl>();
  for (const c of controls) seen.set(`${c.ruleId}\u0000${c.resource}`, c);
  return [...seen.values()].sort((a, b) => byRule(a.ruleId, b.ruleId) || a.resource.localeCompare(b.resource));
}
