import { normaliseTagKey, THREAT_MODEL_TAG_KEYS } from './knowledge/tag-conventions';
import type { SecureAiChecksProps } from './secure-ai-checks';

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
  /** D1, V13: further keys that satisfy a required key, both normalised (knowledge/tag-conventions.ts). */
  readonly tagKeyAliases: ReadonlyMap<string, readonly string[]>;
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
  /** What the pack treats as the AI system: `ai-resources` or `whole-app` (every resource an AI asset). */
  readonly aiSystem: string;
  /** Whether the app's own declarations (its context's org-managed controls, its constructs' metadata) settle rules. */
  readonly allowAppDeclarations: boolean;
}

const AI_SYSTEM_SCOPES = ['ai-resources', 'whole-app'];

export const DEFAULT_REQUIRED_TAG_KEYS = ['DataClassification', 'Owner', 'Environment'];
/** What AWS accepts as a tag key. */
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
export const DEFAULT_SUPPORTED_NOTEBOOK_PLATFORMS = ['notebook-al2023-v1', 'notebook-al2-v3'];

/**
 * What the app's CDK context declares to the pack (`cdk synth -c ai:system=whole-app`): how a security team that
 * registers the pack on an app it did not write says what the code does not.
 */
export interface ContextDeclarations {
  /** Account-level controls switched to org-managed (`ai:org-trail=org-managed`), by control, with the key that said so. */
  readonly orgManaged: ReadonlyMap<string, string>;
  /** `ai:system`, as the context gives it: validated here, as the prop is. */
  readonly aiSystem?: unknown;
}

/** A pack outside any app: its props alone, validated at construction. */
export const NO_CONTEXT: ContextDeclarations = { orgManaged: new Map() };

/**
 * Applies the defaults to the pack's parameters and validates them, throwing an error that names the prop, the
 * value and the fix.
 * @param fromContext what the app's CDK context declares; props win for org-managed controls, and its org-managed
 * controls count for nothing when the props refuse the app's declarations
 */
export function resolveParameters(props: SecureAiChecksProps, fromContext: ContextDeclarations): RuleParameters {
  const allowAppDeclarations = validateBoolean('allowAppDeclarations', props.allowAppDeclarations ?? true,
    'false to judge the rules the app\'s own context and template metadata would settle, or leave it unset');
  const orgManaged = new Map(allowAppDeclarations ? fromContext.orgManaged : []);
  for (const [control, reason] of Object.entries(props.orgManaged ?? {})) {
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`SecureAiChecks: orgManaged.${control} must be a reason naming the central control (for example "organisation trail in the audit account"), got ${JSON.stringify(reason)}.`);
    }
    orgManaged.set(control, reason);
  }
  const requiredTagKeys = strings('requiredTagKeys', props.requiredTagKeys ?? DEFAULT_REQUIRED_TAG_KEYS, /^.{1,128}$/, 'a tag key of 1 to 128 characters');
  return {
    requiredTagKeys,
    tagKeyAliases: tagKeyAliases(props.tagKeyAliases ?? {}, [...THREAT_MODEL_TAG_KEYS, ...requiredTagKeys]),
    logRetentionDays: wholeNumber('logRetentionDays', props.logRetentionDays ?? 365, 1, 3653, 'the retention your log policy requires, for example 365'),
    minimumBackupRetentionDays: wholeNumber('minimumBackupRetentionDays', props.minimumBackupRetentionDays ?? 35, 1, 36500, 'the shortest time you must be able to restore from, for example 35'),
    allowedImageRegistries: strings('allowedImageRegistries', props.allowedImageRegistries ?? [], /^[a-z0-9*]([a-z0-9.*-]*[a-z0-9*])?(:\d+)?(\/[\w./-]*)?$/i,
      'a registry host such as "registry.example.com" or "*.example.com", without a scheme'),
    allowedArtifactBuckets: strings('allowedArtifactBuckets', props.allowedArtifactBuckets ?? [], /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'a bucket name such as "models-prod-123456789012" (not an ARN or URI)'),
    maxAgentSessionTtlSeconds: wholeNumber('maxAgentSessionTtlSeconds', props.maxAgentSessionTtlSeconds ?? 3600, 60, 5400, 'a TTL between 60 and 5400 seconds, for example 3600'),
    maxAgentMemoryDays: wholeNumber('maxAgentMemoryDays', props.maxAgentMemoryDays ?? 30, 1, 365, 'a number of days between 1 and 365, for example 30'),
    minimumGroundingThreshold: fraction('minimumGroundingThreshold', props.minimumGroundingThreshold ?? 0.5),
    supportedNotebookPlatforms: strings('supportedNotebookPlatforms', props.supportedNotebookPlatforms ?? DEFAULT_SUPPORTED_NOTEBOOK_PLATFORMS,
      /^notebook-[a-z0-9-]+$/, 'a platform identifier such as "notebook-al2023-v1"'),
    orgManaged,
    aiSystem: aiSystemScope(props.aiSystem, fromContext.aiSystem),
    allowAppDeclarations,
  };
}

/** The scope the prop or the context key `ai:system` gives (both alike, when both are set), or the default. */
function aiSystemScope(value: string | undefined, fromContext: unknown): string {
  if (fromContext !== undefined && !AI_SYSTEM_SCOPES.includes(fromContext as string)) {
    throw new Error(`SecureAiChecks: context ai:system is ${JSON.stringify(fromContext)}, which is not a scope of the AI system. Fix: set `
      + 'it to "whole-app" (cdk synth -c ai:system=whole-app) to declare every resource of the app part of the AI system, or "ai-resources", '
      + 'or remove it.');
  }
  if (value !== undefined && fromContext !== undefined && value !== fromContext) {
    throw new Error(`SecureAiChecks: aiSystem is ${JSON.stringify(value)}, but context ai:system is ${JSON.stringify(fromContext)}. Fix: keep one `
      + 'of them (the prop, or the context key in cdk.json or -c).');
  }
  value ??= fromContext as string | undefined;
  if (value === undefined) return AI_SYSTEM_SCOPES[0];
  if (!AI_SYSTEM_SCOPES.includes(value)) {
    throw new Error(`SecureAiChecks: aiSystem is ${JSON.stringify(value)}, which is not a scope of the AI system. Use AiSystemScope.WHOLE_APP `
      + '("whole-app") to declare every resource of the app part of the AI system (for platform apps whose stacks hold no AI resource), '
      + 'or leave it unset for AiSystemScope.AI_RESOURCES ("ai-resources").');
  }
  return value;
}

/** Validates `tagKeyAliases`: each entry names a key the pack requires and lists valid tag keys; normalised. */
function tagKeyAliases(aliases: { [requiredKey: string]: string[] }, required: readonly string[]): Map<string, string[]> {
  if (typeof aliases !== 'object' || aliases === null || Array.isArray(aliases)) {
    throw new Error(`SecureAiChecks: tagKeyAliases must map a required tag key to a list of your own keys, got ${JSON.stringify(aliases)}. `
      + 'Set it to, for example, { "ai:risk-owner": ["acme:accountable-exec"] }.');
  }
  const out = new Map<string, string[]>();
  for (const [key, keys] of Object.entries(aliases)) {
    const known = required.find((r) => normaliseTagKey(r) === normaliseTagKey(key));
    if (!known) {
      throw new Error(`SecureAiChecks: tagKeyAliases holds ${JSON.stringify(key)}, which is no tag key the pack requires. Use one of `
        + `${required.map((r) => JSON.stringify(r)).join(', ')} (add a key to requiredTagKeys first to require it).`);
    }
    const list = strings(`tagKeyAliases.${key}`, keys, TAG_KEY, 'a tag key of 1 to 128 letters, digits, spaces or _.:/=+-@');
    out.set(normaliseTagKey(known), [...(out.get(normaliseTagKey(known)) ?? []), ...list.map(normaliseTagKey)]);
  }
  return out;
}

function validateBoolean(prop: string, value: boolean, fix: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`SecureAiChecks: ${prop} is ${JSON.stringify(value)}. Fix: set it to ${fix}.`);
  return value;
}

function wholeNumber(prop: string, value: number, min: number, max: number, fix: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`SecureAiChecks: ${prop} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}. Set it to ${fix}.`);
  }
  return value;
}

function fraction(prop: string, value: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || value >= 1) {
    throw new Error(`SecureAiChecks: ${prop} must be a number from 0 up to (not including) 1, got ${JSON.stringify(value)}. Set it to, for example, 0.5.`);
  }
  return value;
}

function strings(prop: string, values: string[], pattern: RegExp, fix: string): string[] {
  if (!Array.isArray(values)) {
    throw new Error(`SecureAiChecks: ${prop} must be a list of strings, got ${JSON.stringify(values)}.`);
  }
  for (const value of values) {
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw new Error(`SecureAiChecks: ${prop} holds ${JSON.stringify(value)}, which is not valid. Each entry must be ${fix}.`);
    }
  }
  return [...values];
}
