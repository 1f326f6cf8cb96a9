import { Answer, combine, COMPLIANT, NOT_KNOWN, RuleResult, Verdict } from '../engine/checks';
import { addToList, addToListOnce } from '../engine/lists';
import { parseEmbeddedJson } from '../engine/readers/embedded-json';
import { matchesPattern } from '../engine/readers/policy-documents';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { isPlainObject, UnknownValue, Value } from '../engine/values';

/**
 * The vector stores of Bedrock knowledge bases: the OpenSearch Serverless collections, OpenSearch domains, RDS/Aurora
 * clusters, S3 vector buckets and Neptune Analytics graphs of the app that a knowledge base's `StorageConfiguration`
 * names, and the OpenSearch Serverless security policies (network, encryption) that cover a collection. Found once per run.
 */

export const COLLECTION = 'AWS::OpenSearchServerless::Collection';
export const DOMAIN = 'AWS::OpenSearchService::Domain';
export const DB_CLUSTER = 'AWS::RDS::DBCluster';
export const VECTOR_BUCKET = 'AWS::S3Vectors::VectorBucket';
export const NEPTUNE_GRAPH = 'AWS::NeptuneGraph::Graph';

/**
 * The knowledge bases whose vectors a store of the app holds, both created; empty for other resources. The knowledge
 * bases of the app are read once per run whether they are created or not, and only those naming this store are asked.
 */
function knowledgeBasesOf(index: ResourceIndex, store: IndexedResource): readonly IndexedResource[] {
  index.statistics.lookups++;
  const declared = index.memo(knowledgeBasesOf, () => {
    const users = new Map<IndexedResource, IndexedResource[]>();
    for (const kb of index.declaredOfType('AWS::Bedrock::KnowledgeBase')) {
      for (const ref of index.declaredReferencesFrom(kb)) {
        if (ref.path.startsWith('StorageConfiguration')) addToListOnce(users, ref.target, kb);
      }
    }
    return users;
  }).get(store);
  return declared && index.isCreated(store) ? index.keepCreated(declared, (kb) => kb) : [];
}

/**
 * Why a store is judged as a vector store, for messages (`the vector store of AWS::Bedrock::KnowledgeBase Kb`), or
 * undefined when no knowledge base of the app keeps its vectors there.
 */
export function vectorStoreUse(index: ResourceIndex, store: IndexedResource): string | undefined {
  const knowledgeBases = knowledgeBasesOf(index, store);
  if (knowledgeBases.length === 0) return undefined;
  return `the vector store of ${knowledgeBases.map((kb) => `${kb.type} ${kb.logicalId}`).join(', ')}`;
}

/** One rule of an OpenSearch Serverless security policy that covers a collection, with the policy it is in. */
export interface CoveringRule {
  readonly policy: IndexedResource;
  /** The policy document entry the rule is in: `{Rules, AllowFromPublic}` (network) or `{Rules, AWSOwnedKey, KmsARN}` (encryption). */
  readonly entry: Record<string, Value>;
  /** Whether the entry covers only the collection's OpenSearch Dashboards (a network rule of `ResourceType` dashboard), not its endpoint. */
  readonly dashboardsOnly: boolean;
}

/** One entry of a security policy's document, in the app's order (policy, form, entry). */
interface PolicyEntry {
  readonly order: number;
  readonly policy: IndexedResource;
  readonly entry: Record<string, Value>;
}

/** A resource pattern of a policy entry's rule: `collection/kb`, or with wildcards, `collection/kb-*`. */
interface RulePattern {
  readonly entry: PolicyEntry;
  /** `collection`, or `dashboard` for a rule of the collection's OpenSearch Dashboards. */
  readonly resourceType: string;
  readonly pattern: string;
}

/**
 * The app's security policies of one type, created or not, read once per run: their entries' patterns without
 * wildcards by the name they match (case aside), those with wildcards to be tried on each collection, and the policies
 * that cannot be read. {@link judgeCoveringPolicies} asks whether those that answer for a collection are created.
 */
interface PolicyPatterns {
  readonly exact: Map<string, RulePattern[]>;
  readonly wildcards: RulePattern[];
  readonly unreadable: ReadonlyArray<{ readonly policy: IndexedResource; readonly why: UnknownValue }>;
}

const exactKey = (resourceType: string, resource: string) => `${resourceType}\u0000${resource.toLowerCase()}`;

function policyPatterns(index: ResourceIndex, type: 'network' | 'encryption'): PolicyPatterns {
  const both = index.memo(policyPatterns, () => ({ network: readPolicies(index, 'network'), encryption: readPolicies(index, 'encryption') }));
  return both[type];
}

function readPolicies(index: ResourceIndex, type: 'network' | 'encryption'): PolicyPatterns {
  const found: PolicyPatterns & { unreadable: Array<PolicyPatterns['unreadable'][number]> } = { exact: new Map(), wildcards: [], unreadable: [] };
  let order = 0;
  for (const policy of index.declaredOfType('AWS::OpenSearchServerless::SecurityPolicy')) {
    if (!policy.get('Type').some((b) => typeof b.value === 'string' && b.value.toLowerCase() === type)) continue;
    for (const branch of policy.get('Policy')) {
      const parsed = isPlainObject(branch.value) || Array.isArray(branch.value) ? { json: branch.value } : parseEmbeddedJson(branch.value);
      if ('failure' in parsed) {
        if (!found.unreadable.some((u) => u.policy === policy)) {
          found.unreadable.push({ policy, why: new UnknownValue(`${type} policy ${policy.logicalId} cannot be read (${parsed.failure})`) });
        }
        continue;
      }
      for (const entry of Array.isArray(parsed.json) ? parsed.json : [parsed.json]) {
        if (!isPlainObject(entry)) continue;
        const policyEntry: PolicyEntry = { order: order++, policy, entry };
        for (const rule of Array.isArray(entry.Rules) ? entry.Rules : []) {
          // A rule without a type counts as a collection rule.
          if (!isPlainObject(rule) || !Array.isArray(rule.Resource)) continue;
          const resourceType = typeof rule.ResourceType === 'string' ? rule.ResourceType.toLowerCase() : 'collection';
          for (const pattern of rule.Resource) {
            if (typeof pattern !== 'string') continue;
            const named: RulePattern = { entry: policyEntry, resourceType, pattern };
            if (/[*?]/.test(pattern)) found.wildcards.push(named);
            else addToList(found.exact, exactKey(resourceType, pattern), named);
          }
        }
      }
    }
  }
  return found;
}

/**
 * The entries of the app's `network` or `encryption` policies, created or not, whose collection rules cover a
 * collection, in the app's order, or why not known. An entry that covers only the collection's OpenSearch Dashboards (a
 * `dashboard` rule of a network policy) is marked so.
 */
function declaredCovering(index: ResourceIndex, collection: IndexedResource, type: 'network' | 'encryption'): CoveringRule[] | UnknownValue {
  const names = collection.get('Name').map((b) => b.value);
  if (!names.every((n): n is string => typeof n === 'string')) return new UnknownValue('the collection\'s Name is not known at synth time');
  const patterns = policyPatterns(index, type);
  const resourceTypes = type === 'network' ? ['collection', 'dashboard'] : ['collection'];
  // Each entry that covers the collection, and whether through a collection rule (which wins over a dashboard rule).
  const covering = new Map<PolicyEntry, boolean>();
  for (const name of names) {
    const resource = `collection/${name}`;
    for (const resourceType of resourceTypes) {
      const exact = patterns.exact.get(exactKey(resourceType, resource)) ?? [];
      const candidates = [...exact, ...patterns.wildcards.filter((p) => p.resourceType === resourceType)];
      for (const { entry, pattern } of candidates) {
        if (matchesPattern(pattern, resource)) covering.set(entry, covering.get(entry) === true || resourceType === 'collection');
      }
    }
  }
  return [...covering].sort(([a], [b]) => a.order - b.order)
    .map(([{ policy, entry }, viaCollection]) => ({ policy, entry, dashboardsOnly: !viaCollection }));
}

/** What a rule makes of a collection no created policy of the app covers. */
export interface Uncovered {
  /** The collection's name, or a policy that may cover it, cannot be read: why. */
  readonly unknown: (why: UnknownValue) => RuleResult;
  /** No policy of the app covers it. */
  readonly none: () => RuleResult;
}

/**
 * A collection judged by the entries of the app's `network` or `encryption` policies that cover it, each judged by
 * `judgeRule` (every result combined), as if only the policies that are created were read. Several stacks of one account
 * may cover the same collections: the policies whose entries fail decide where they are created, so their conditions are
 * read; of those whose entries pass only the first created one is needed, to know some policy covers the collection.
 */
export function judgeCoveringPolicies(
  index: ResourceIndex, collection: IndexedResource, type: 'network' | 'encryption', judgeRule: (rule: CoveringRule) => RuleResult, uncovered: Uncovered,
): RuleResult {
  const rules = declaredCovering(index, collection, type);
  if (rules instanceof UnknownValue) return uncovered.unknown(rules);
  const judged = rules.map((rule) => ({ rule, result: judgeRule(rule) }));
  const failing = index.keepCreated(judged.filter((j) => j.result.verdict !== Verdict.COMPLIANT), (j) => j.rule.policy);
  if (failing.length > 0) return combine(...failing.map((j) => j.result));
  if (judged.some((j) => j.result.verdict === Verdict.COMPLIANT && index.isCreated(j.rule.policy))) return COMPLIANT;
  const unreadable = policyPatterns(index, type).unreadable.find((u) => index.isCreated(u.policy));
  return unreadable ? uncovered.unknown(unreadable.why) : uncovered.none();
}

/** A JSON policy switch (`AllowFromPublic`, `AWSOwnedKey`): true, false, or not known (absent counts as false). */
export function policySwitch(value: Value): Answer {
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  return NOT_KNOWN;
}
