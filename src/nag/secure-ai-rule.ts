import { RuleResult } from './engine/checks';
import { IndexedResource, ResourceIndex } from './engine/resource-index';
import { RuleParameters } from './parameters';
import { RuleMetadata } from './rule';

/** What a rule can ask while it checks one resource. */
export interface RuleContext {
  readonly index: ResourceIndex;
  readonly parameters: RuleParameters;
}

/**
 * A rule of the pack: its catalogue metadata and a pure check of one resource.
 * The engine calls `check` only for resources of `resourceTypes`, once per resource.
 */
export interface SecureAiRule extends RuleMetadata {
  check(resource: IndexedResource, context: RuleContext): RuleResult;
  /**
   * The fix for this resource where it depends on more than its type: on the library construct that made it, or on what
   * else the app holds. Undefined falls back to `fixByType` and `fix`.
   */
  fixFor?(resource: IndexedResource, context: RuleContext): string | undefined;
}

/** How to fix a finding of `rule` on `resource`, worded for that resource. */
export function fixOf(rule: SecureAiRule, resource: IndexedResource, context: RuleContext): string {
  return rule.fixFor?.(resource, context) ?? rule.fixByType?.[resource.type] ?? rule.fix;
}

/** A rule as its file defines it: everything but its ID, which its line in the catalogue gives it. */
export type RuleDefinition = Omit<SecureAiRule, 'id'>;

/** The rule's metadata without its check function. */
export function toMetadata(rule: SecureAiRule): RuleMetadata {
  return {
    id: rule.id,
    title: rule.title,
    section: rule.section,
    guideline: rule.guideline,
    quote: rule.quote,
    level: rule.level,
    resourceTypes: [...rule.resourceTypes],
    compliantWhen: rule.compliantWhen,
    explanation: rule.explanation,
    fix: rule.fix,
    ...(rule.fixByType ? { fixByType: { ...rule.fixByType } } : {}),
    peers: rule.peers,
    coverage: rule.coverage,
  };
}
