import { Answer, NOT_KNOWN } from '../engine/checks';
import { addToListOnce } from '../engine/lists';
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

/** The knowledge bases whose vectors a store of the app holds; empty for other resources. */
function knowledgeBasesOf(index: ResourceIndex, store: IndexedResource): readonly IndexedResource[] {
  index.statistics.lookups++;
  return index.memo(knowledgeBasesOf, () => {
    const users = new Map<IndexedResource, IndexedResource[]>();
    for (const kb of index.ofType('AWS::Bedrock::KnowledgeBase')) {
      for (const ref of index.referencesFrom(kb)) {
        if (ref.path.startsWith('StorageConfiguration')) addToListOnce(users, ref.target, kb);
      }
    }
    return users;
  }).get(store) ?? [];
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

/** The entries of the app's `network` or `encryption` policies whose collection rules cover a collection, or why not known. */
export function policiesCovering(index: ResourceIndex, collection: IndexedResource, type: 'network' | 'encryption'): CoveringRule[] | UnknownValue {
  const names = collection.get('Name').map((b) => b.value);
  if (!names.every((n): n is string => typeof n === 'string')) return new UnknownValue('the collection\'s Name is not known at synth time');
  const covering: CoveringRule[] = [];
  let unreadable: UnknownValue | undefined;
  for (const policy of index.ofType('AWS::OpenSearchServerless::SecurityPolicy')) {
    if (!policy.get('Type').some((b) => typeof b.value === 'string' && b.value.toLowerCase() === type)) continue;
    for (const branch of policy.get('Policy')) {
      const parsed = isPlainObject(branch.value) || Array.isArray(branch.value) ? { json: branch.value } : parseEmbeddedJson(branch.value);
      if ('failure' in parsed) {
        unreadable ??= new UnknownValue(`${type} policy ${policy.logicalId} cannot be read (${parsed.failure})`);
        continue;
      }
      const entries = Array.isArray(parsed.json) ? parsed.json : [parsed.json];
      for (const entry of entries) {
        if (!isPlainObject(entry)) continue;
        if (coversCollection(entry, names, 'collection')) covering.push({ policy, entry, dashboardsOnly: false });
        else if (type === 'network' && coversCollection(entry, names, 'dashboard')) covering.push({ policy, entry, dashboardsOnly: true });
      }
    }
  }
  if (covering.length === 0 && unreadable) return unreadable;
  return covering;
}

/**
 * Whether a policy entry has a rule of `resourceType` (`collection`, or `dashboard` for the collection's OpenSearch
 * Dashboards; a rule without a type counts as a collection rule) whose resource patterns match one of the collection's names.
 */
function coversCollection(entry: Record<string, Value>, names: readonly string[], resourceType: 'collection' | 'dashboard'): boolean {
  const rules = Array.isArray(entry.Rules) ? entry.Rules : [];
  return rules.some((rule) => isPlainObject(rule)
    && (typeof rule.ResourceType === 'string' ? rule.ResourceType.toLowerCase() === resourceType : resourceType === 'collection')
    && Array.isArray(rule.Resource)
    && rule.Resource.some((pattern) => names.some((name) => matchesPattern(pattern, `collection/${name}`))));
}

/** A JSON policy switch (`AllowFromPublic`, `AWSOwnedKey`): true, false, or not known (absent counts as false). */
export function policySwitch(value: Value): Answer {
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  return NOT_KNOWN;
}
