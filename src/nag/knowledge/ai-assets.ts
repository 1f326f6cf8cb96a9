import { IndexedResource, ResourceIndex } from '../engine/resource-index';

/**
 * Why a resource is an AI asset, for messages: the AI resource that references it (and where), or its opt-in tag.
 * Call only for resources `index.isAiAsset` accepts.
 */
export function aiAssetReason(index: ResourceIndex, resource: IndexedResource): string {
  const ref = index.referencesTo(resource).find((r) => r.source.isAiResource);
  if (ref) return `referenced by ${ref.source.type} ${ref.source.logicalId}${ref.path ? ` (${ref.path})` : ''}`;
  if (resource.hasTag('ai:asset', 'true')) return 'tagged ai:asset=true';
  return 'an AI workload resource';
}

/** The logical IDs of resources for a message, the first few of a long list. */
export function namesOf(resources: readonly IndexedResource[], shown = 5): string {
  const names = resources.slice(0, shown).map((r) => r.logicalId).join(', ');
  return resources.length > shown ? `${names} and ${resources.length - shown} more` : names;
}
