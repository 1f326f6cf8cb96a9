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

/**
 * Whether a bucket, log group, key or function is an AI asset: referenced by an AI resource, named as an AI log
 * group, or tagged `ai:asset=true`. Found for the whole app once per run.
 */
export function isAiAsset(index: ResourceIndex, resource: IndexedResource): boolean {
  index.statistics.lookups++;
  return index.memo(isAiAsset, () => aiAssetsOf(index)).has(resource);
}

function aiAssetsOf(index: ResourceIndex): Set<IndexedResource> {
  const assets = new Set<IndexedResource>();
  for (const resource of index.resources) {
    if (isAiResource(resource)) {
      for (const ref of index.referencesFrom(resource)) assets.add(ref.target);
    }
    if (resource.hasTag('ai:asset', 'true')) assets.add(resource);
    const logGroupName = resource.type === 'AWS::Logs::LogGroup' ? resource.properties.LogGroupName : undefined;
    if (typeof logGroupName === 'string' && AI_LOG_GROUP_PREFIXES.some((p) => logGroupName.startsWith(p))) {
      assets.add(resource);
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
  return 'an AI workload resource';
}

/** The logical IDs of resources for a message, the first few of a long list. */
export function namesOf(resources: readonly IndexedResource[], shown = 5): string {
  const names = resources.slice(0, shown).map((r) => r.logicalId).join(', ');
  return resources.length > shown ? `${names} and ${resources.length - shown} more` : names;
}
