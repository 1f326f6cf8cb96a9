import { IndexedResource, ResourceIndex } from './engine/resource-index';
import { Verdict } from './findings';
import { RuleMetadata } from './rule';

/** The pack's parameters as rules read them, defaults applied and validated. */
export interface RuleParameters {
  /** V14: minimum retention of AI log groups, in days. */
  readonly logRetentionDays: number;
  /** P17/P18: minimum retention of AI-asset backups, in days. */
  readonly minimumBackupRetentionDays: number;
  /** V1: container registries (host names, `*` wildcards allowed) trusted besides ECR in the app's account. */
  readonly allowedImageRegistries: readonly string[];
  /** V2: buckets (names) outside the app that model artifacts may come from. */
  readonly allowedArtifactBuckets: readonly string[];
  /** V13: tag keys every AI asset carries. */
  readonly requiredTagKeys: readonly string[];
  /** V16: maximum idle-session TTL of a Bedrock agent, in seconds. */
  readonly maxAgentSessionTtlSeconds: number;
  /** V16: maximum days a Bedrock agent keeps memory. */
  readonly maxAgentMemoryDays: number;
  /** D6: minimum contextual-grounding threshold. */
  readonly minimumGroundingThreshold: number;
  /** O10: notebook platforms still supported. */
  readonly supportedNotebookPlatforms: readonly string[];
  /** Account-level controls the organisation runs centrally, by control, with the reason given. */
  readonly orgManaged: ReadonlyMap<string, string>;
}

/** What a rule can ask while it checks one resource. */
export interface RuleContext {
  readonly index: ResourceIndex;
  readonly parameters: RuleParameters;
}

/** What a rule concluded about one resource. */
export interface RuleResult {
  readonly verdict: Verdict;
  /** Why, naming the property and the value: shown in the report. */
  readonly message?: string;
  /** Property paths concerned, relative to the resource (`Properties.KmsKeyId`). */
  readonly locations?: readonly string[];
}

/**
 * A rule of the pack: its catalogue metadata and a pure check of one resource.
 * The engine calls `check` only for resources of `resourceTypes`, once per resource.
 */
export interface SecureAiRule extends RuleMetadata {
  check(resource: IndexedResource, context: RuleContext): RuleResult;
}

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
    peers: rule.peers,
    coverage: rule.coverage,
  };
}
