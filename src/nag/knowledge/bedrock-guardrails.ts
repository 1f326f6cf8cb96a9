import { COMPLIANT, nonCompliant, normaliseEnum, qualifier, RuleResult, unverifiable } from '../engine/checks';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { Tri } from '../engine/tri-state';
import { Branch, describe, Expression, isPlainObject, ResourceReference, UnknownValue, unknownOf, Value } from '../engine/values';

/**
 * Reading Amazon Bedrock guardrails (D3–D7): the filter lists of an `AWS::Bedrock::Guardrail` in every form they can
 * take, three-valued answers on the fields of one filter, and which agents and flows of the app attach a guardrail.
 */

/** One evaluated form of a guardrail's list of filters (`ContentPolicyConfig.FiltersConfig`). */
export interface EntryForm {
  /** The filters of this form that can be read. */
  readonly entries: ReadonlyArray<Record<string, Value>>;
  /** Why the list, or some filter of it, cannot be read at synth time. */
  readonly unknown?: string;
  readonly parameters: readonly string[];
}

/** Every form of the list at `path`: an absent list has no entries; a list known only at deploy time is unknown. */
export function entryForms(resource: IndexedResource, path: string): EntryForm[] {
  return resource.get(path).map((b) => entryFormOf(b));
}

/** One form of a list, from an evaluated branch. */
export function entryFormOf(branch: Branch): EntryForm {
  const value = branch.value;
  if (value === undefined || value === null) return { entries: [], parameters: branch.parameters };
  const unknown = unknownOf(value);
  if (unknown) return { entries: [], unknown: unknown.reason, parameters: branch.parameters };
  if (value instanceof ResourceReference) return { entries: [], unknown: `${describe(value)}`, parameters: branch.parameters };
  if (!Array.isArray(value)) return { entries: [], parameters: branch.parameters };
  const entries: Array<Record<string, Value>> = [];
  let open: string | undefined;
  for (const item of value) {
    if (isPlainObject(item)) entries.push(item);
    else if (item instanceof UnknownValue || item instanceof Expression || item instanceof ResourceReference) open = open ?? `a filter is ${describe(item)}`;
  }
  return { entries, unknown: open, parameters: branch.parameters };
}

/** The verdict on one form of a list: whether it satisfies the rule, and what is wrong (or unknown) when not. */
export interface FormVerdict {
  readonly answer: Tri;
  /** What is wrong (answer `no`) or cannot be known (answer `maybe`). */
  readonly detail: string;
}

/**
 * Judges every form of a list: non-compliant if one form fails, unverifiable if one cannot be known (including a list
 * with unreadable filters that does not pass on what can be read), else compliant.
 */
export function judgeEntries(
  forms: readonly EntryForm[], location: string, subject: string, evaluate: (entries: ReadonlyArray<Record<string, Value>>) => FormVerdict,
): RuleResult {
  let open: string | undefined;
  for (const form of forms) {
    const verdict = evaluate(form.entries);
    if (verdict.answer === 'yes') continue;
    if (form.unknown !== undefined) {
      open = open ?? `${subject} cannot be read at synth time (${form.unknown})`;
      continue;
    }
    if (verdict.answer === 'no') return nonCompliant(verdict.detail + qualifier(form.parameters, forms.length), location);
    open = open ?? verdict.detail;
  }
  return open !== undefined ? unverifiable(open, location) : COMPLIANT;
}

/** Combines the answers of a filter's fields: no if any is no, maybe if any is maybe, else yes; with the first problem. */
export function allChecks(checks: ReadonlyArray<{ readonly answer: Tri; readonly problem: string }>): FormVerdict {
  const failed = checks.find((c) => c.answer === 'no');
  if (failed) return { answer: 'no', detail: failed.problem };
  const open = checks.find((c) => c.answer === 'maybe');
  if (open) return { answer: 'maybe', detail: open.problem };
  return { answer: 'yes', detail: '' };
}

/** A field equal to one of `wanted` (any enum spelling); absent is no. */
export function isEnum(value: Value, ...wanted: string[]): Tri {
  if (value === undefined) return 'no';
  if (typeof value === 'string') return wanted.some((w) => normaliseEnum(w) === normaliseEnum(value)) ? 'yes' : 'no';
  return isDeployTime(value) ? 'maybe' : 'no';
}

/** A switch such as `InputEnabled` that is on unless set to false (`false` or `"false"`). */
export function isSwitchedOn(value: Value): Tri {
  if (value === undefined || value === true) return 'yes';
  if (value === false) return 'no';
  if (typeof value === 'string') return value.trim().toLowerCase() === 'false' ? 'no' : value.trim().toLowerCase() === 'true' ? 'yes' : 'no';
  return isDeployTime(value) ? 'maybe' : 'no';
}

/** An action such as `InputAction` that acts (blocks, anonymises) unless set to `NONE` (detect only); absent is the default, which acts. */
export function acts(value: Value): Tri {
  if (value === undefined) return 'yes';
  if (typeof value === 'string') return normaliseEnum(value) === 'none' || value.trim() === '' ? 'no' : 'yes';
  return isDeployTime(value) ? 'maybe' : 'no';
}

/** Modalities (`InputModalities`, `OutputModalities`) that include text, or are absent (the default covers text). */
export function coversText(value: Value): Tri {
  if (value === undefined) return 'yes';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'yes';
    if (value.some((m) => typeof m === 'string' && normaliseEnum(m) === 'text')) return 'yes';
    return value.some((m) => typeof m !== 'string') ? 'maybe' : 'no';
  }
  return isDeployTime(value) ? 'maybe' : 'no';
}

/** A number of at least `minimum`. */
export function isAtLeastNumber(value: Value, minimum: number): Tri {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && !Number.isNaN(n)) return n >= minimum ? 'yes' : 'no';
  return isDeployTime(value) ? 'maybe' : 'no';
}

function isDeployTime(value: Value): boolean {
  return value instanceof UnknownValue || value instanceof Expression || value instanceof ResourceReference;
}

/** A resource of the app (an agent, a flow) that attaches a guardrail, and whether it answers from knowledge bases. */
export interface GuardrailUser {
  readonly user: IndexedResource;
  /** Whether the use retrieves from knowledge bases (RAG): an agent with `KnowledgeBases`, a flow's KnowledgeBase node. */
  readonly retrieval: Tri;
  /** Where the guardrail is attached, for messages. */
  readonly via: string;
}

/** The agents and flows of the app that attach `guardrail`; found once per run for every guardrail. */
export function guardrailUsers(index: ResourceIndex, guardrail: IndexedResource): readonly GuardrailUser[] {
  const users = index.memo(guardrailUsers, () => {
    const users: Map<IndexedResource, GuardrailUser[]> = findUsers(index);
    return users;
  });
  return users.get(guardrail) ?? [];
}

function findUsers(index: ResourceIndex): Map<IndexedResource, GuardrailUser[]> {
  const users = new Map<IndexedResource, GuardrailUser[]>();
  const add = (identifier: Value, use: GuardrailUser): void => {
    const guardrail = guardrailNamed(index, identifier);
    if (!guardrail) return;
    const list = users.get(guardrail) ?? [];
    if (!list.some((u) => u.user === use.user && u.via === use.via)) list.push(use);
    users.set(guardrail, list);
  };
  for (const agent of index.ofType('AWS::Bedrock::Agent')) {
    const retrieval = knowledgeBasesOf(agent);
    for (const b of agent.get('GuardrailConfiguration.GuardrailIdentifier')) {
      add(b.value, { user: agent, retrieval, via: `agent ${agent.logicalId}` });
    }
  }
  for (const flow of index.ofType('AWS::Bedrock::Flow')) {
    for (const b of flow.get('Definition.Nodes')) {
      if (!Array.isArray(b.value)) continue;
      for (const node of b.value) {
        if (!isPlainObject(node) || !isPlainObject(node.Configuration)) continue;
        const name = typeof node.Name === 'string' ? ` "${node.Name}"` : '';
        for (const [kind, config] of Object.entries(node.Configuration)) {
          if (!isPlainObject(config) || !isPlainObject(config.GuardrailConfiguration)) continue;
          const retrieval: Tri = kind === 'KnowledgeBase' ? 'yes' : 'no';
          add(config.GuardrailConfiguration.GuardrailIdentifier, { user: flow, retrieval, via: `${kind} node${name} of flow ${flow.logicalId}` });
        }
      }
    }
  }
  return users;
}

/** The guardrail an identifier names: a guardrail of the app, or the guardrail of a guardrail version of the app. */
function guardrailNamed(index: ResourceIndex, identifier: Value): IndexedResource | undefined {
  const target = index.resolve(identifier);
  if (!target) return undefined;
  if (target.type === 'AWS::Bedrock::Guardrail') return target;
  if (target.type === 'AWS::Bedrock::GuardrailVersion') {
    for (const b of target.get('GuardrailIdentifier')) {
      const inner = index.resolve(b.value);
      if (inner?.type === 'AWS::Bedrock::Guardrail') return inner;
    }
  }
  return undefined;
}

/** Whether an agent answers from knowledge bases: some form of `KnowledgeBases` is a non-empty list. */
function knowledgeBasesOf(agent: IndexedResource): Tri {
  let answer: Tri = 'no';
  for (const b of agent.get('KnowledgeBases')) {
    if (Array.isArray(b.value) && b.value.length > 0) return 'yes';
    if (isDeployTime(b.value)) answer = 'maybe';
  }
  return answer;
}
