import { addToListOnce, firstOf } from '../engine/lists';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';

/**
 * Which resources are AI resources (SageMaker, Bedrock, AgentCore) and which are AI assets: the buckets, log groups,
 * keys and functions the pack's rules about stores apply to, so that it adds to the generic packs, not repeats them.
 */

/** Resource types whose resources are AI resources: what they reference is an AI asset. */
const AI_TYPE_PREFIXES = ['AWS::SageMaker::', 'AWS::Bedrock::', 'AWS::BedrockAgentCore::'];

/** Log groups with these name prefixes hold AI workload logs. */
const AI_LOG_GROUP_PREFIXES = ['/aws/sagemaker/', '/aws/bedrock/', '/aws/bedrock-agentcore/'];

/** Whether a resource type is an AI resource type (SageMaker, Bedrock, AgentCore). */
export function isAiResourceType(type: string): boolean {
  return AI_TYPE_PREFIXES.some((p) => type.startsWith(p));
}

/** Whether a resource is an AI resource (SageMaker, Bedrock, AgentCore). */
export function isAiResource(resource: IndexedResource): boolean {
  return isAiResourceType(resource.type);
}

/** The declaration of the pack's `aiSystem: AiSystemScope.WHOLE_APP`, as the index holds it. */
export const WHOLE_APP = { name: 'aiSystem', value: 'whole-app' } as const;

/**
 * Whether the run declares every resource of the app an AI asset (`aiSystem: AiSystemScope.WHOLE_APP`): platform apps
 * whose stacks hold the AI system's data, backups, keys and network but no AI resource.
 */
export function isWholeApp(index: ResourceIndex): boolean {
  return index.declarations.get(WHOLE_APP.name) === WHOLE_APP.value;
}

/**
 * Whether a bucket, log group, key or function is an AI asset: referenced by an AI resource that is created, named as
 * an AI log group, or tagged `ai:asset=true`; every resource, when the pack declares the whole app the AI system. Found
 * for the whole app once per run.
 */
export function isAiAsset(index: ResourceIndex, resource: IndexedResource): boolean {
  index.statistics.lookups++;
  if (isWholeApp(index)) return true;
  const makers = declaredAssets(index).get(resource);
  // A model that is not created makes nothing it would read an AI asset, and an asset not created is none. The
  // conditions of the makers are read up to the first created one.
  return makers !== undefined && index.isCreated(resource) && makers.some((r) => index.isCreated(r));
}

/**
 * Whether a resource may be an AI asset, whatever the conditions: {@link isAiAsset} where every resource is created. For
 * a lookup over the whole app that keeps what it finds for each possible asset without reading a condition, and asks
 * {@link isAiAsset} of those a rule reads.
 */
export function mayBeAiAsset(index: ResourceIndex, resource: IndexedResource): boolean {
  index.statistics.lookups++;
  return isWholeApp(index) || declaredAssets(index).has(resource);
}

/**
 * Why the app holds AI assets, for the rules that judge app-wide controls (backup plans and vaults) once it does:
 * its first AI resource or AI asset that is created, or the whole-app declaration; undefined when it holds none.
 */
export function aiAppReason(index: ResourceIndex): string | undefined {
  return index.memo(aiAppReason, () => {
    if (isWholeApp(index)) return `the pack declares the whole app the AI system (${WHOLE_APP.name}: ${WHOLE_APP.value})`;
    // Only the conditions of the AI resources and assets met before the first created one are read.
    const all = index.resources;
    const resource = all.find((r) => isAiResource(r) && index.isCreated(r)) ?? all.find((r) => isAiAsset(index, r));
    return resource ? `${resource.type} ${resource.logicalId} is ${isAiResource(resource) ? 'an AI resource' : `an AI asset, ${aiAssetReason(index, resource)}`}` : undefined;
  });
}

/** {@link aiAssetsOf}, found once per run. */
function declaredAssets(index: ResourceIndex): ReadonlyMap<IndexedResource, readonly IndexedResource[]> {
  return index.memo(isAiAsset, () => aiAssetsOf(index));
}

/**
 * Each AI asset of the app with what makes it one, created or not: the AI resources that reference it, or itself
 * where its tag or log group name does. {@link isAiAsset} keeps those that are created.
 */
function aiAssetsOf(index: ResourceIndex): Map<IndexedResource, IndexedResource[]> {
  const assets = new Map<IndexedResource, IndexedResource[]>();
  for (const resource of index.resources) {
    if (isAiResource(resource)) {
      for (const ref of index.declaredReferencesFrom(resource)) addToListOnce(assets, ref.target, resource);
    }
    const logGroupName = resource.type === 'AWS::Logs::LogGroup' ? resource.properties.LogGroupName : undefined;
    if (resource.hasTag('ai:asset', 'true') || (typeof logGroupName === 'string' && AI_LOG_GROUP_PREFIXES.some((p) => logGroupName.startsWith(p)))) {
      addToListOnce(assets, resource, resource);
    }
  }
  return assets;
}

/**
 * Why a resource is an AI asset, for messages: the AI resource that references it (and where), or its opt-in tag.
 * Call only for resources {@link isAiAsset} accepts.
 */
export function aiAssetReason(index: ResourceIndex, resource: IndexedResource): string {
  const ref = index.referencesTo(resource).find((r) => isAiResource(r.source));
  if (ref) return `referenced by ${ref.source.type} ${ref.source.logicalId}${ref.path ? ` (${ref.path})` : ''}`;
  if (resource.hasTag('ai:asset', 'true')) return 'tagged ai:asset=true';
  if (isWholeApp(index)) return `in the AI system, as the pack declares every resource of the app (${WHOLE_APP.name}: ${WHOLE_APP.value})`;
  return 'an AI workload resource';
}

/** The logical IDs of resources for a message, the first few of a long list. */
export function namesOf(resources: readonly IndexedResource[], shown = 5): string {
  return firstOf(resources.map((r) => r.logicalId), shown);
}
