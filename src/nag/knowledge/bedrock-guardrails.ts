import { Answer, COMPLIANT, decidingParameters, Judgement, nonCompliant, normaliseEnum, NOT_KNOWN, qualifier, RuleResult, unverifiable } from '../engine/checks';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
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

/** One form of a list, from an evaluated branch: an absent list has no entries; a list known only at deploy time is unknown. */
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

/**
 * Judges every form of a list: non-compliant if one form fails, unverifiable if one cannot be known (including a list
 * with unreadable filters that does not pass on what can be read), else compliant.
 * @param parametersOf the parameters a finding on the failing form (the `index`th) names: by default every parameter
 * that decided the form
 */
export function judgeEntries(
  forms: readonly EntryForm[], location: string, subject: string, evaluate: (entries: ReadonlyArray<Record<string, Value>>) => Judgement,
  parametersOf: (form: EntryForm, index: number) => readonly string[] = (form) => form.parameters,
): RuleResult {
  let open: string | undefined;
  for (const [i, form] of forms.entries()) {
    const verdict = evaluate(form.entries);
    if (verdict.answer === true) continue;
    if (form.unknown !== undefined) {
      open = open ?? `${subject} cannot be read at synth time (${form.unknown})`;
      continue;
    }
    if (verdict.answer === false) return nonCompliant(verdict.detail + qualifier(parametersOf(form, i), forms.length), location);
    open = open ?? verdict.detail;
  }
  return open !== undefined ? unverifiable(open, location) : COMPLIANT;
}

/**
 * {@link judgeEntries} on the list a resource holds at `path`, read as `formOf` reads each form. A finding names only
 * the parameters the failing entries rest on, not those of the list's other filters (see `decidingParameters`).
 */
export function judgeEntriesAt(
  resource: IndexedResource, path: string, evaluate: (entries: ReadonlyArray<Record<string, Value>>) => Judgement,
  formOf: (branch: Branch) => EntryForm = entryFormOf,
): RuleResult {
  const branches = resource.get(path);
  const failing = (branch: Branch): string | undefined => {
    const form = formOf(branch);
    const verdict = evaluate(form.entries);
    return form.unknown === undefined && verdict.answer === false ? verdict.detail : undefined;
  };
  return judgeEntries(branches.map(formOf), `Properties.${path}`, path, evaluate,
    (_, i) => decidingParameters(resource, path, branches, branches[i], failing));
}

/** Combines the answers of a filter's fields: no if any is no, maybe if any is maybe, else yes; with the first problem. */
export function allChecks(checks: ReadonlyArray<{ readonly answer: Answer; readonly problem: string }>): Judgement {
  const failed = checks.find((c) => c.answer === false);
  if (failed) return { answer: false, detail: failed.problem };
  const open = checks.find((c) => c.answer instanceof UnknownValue);
  if (open) return { answer: NOT_KNOWN, detail: open.problem };
  return { answer: true, detail: '' };
}

/** A field equal to one of `wanted` (any enum spelling); absent is no. */
export function isEnum(value: Value, ...wanted: string[]): Answer {
  if (value === undefined) return false;
  if (typeof value === 'string') return wanted.some((w) => normaliseEnum(w) === normaliseEnum(value)) ? true : false;
  return isDeployTime(value) ? NOT_KNOWN : false;
}

/** A switch such as `InputEnabled` that is on unless set to false (`false` or `"false"`). */
export function isSwitchedOn(value: Value): Answer {
  if (value === undefined || value === true) return true;
  if (value === false) return false;
  if (typeof value === 'string') return value.trim().toLowerCase() === 'false' ? false : value.trim().toLowerCase() === 'true' ? true : false;
  return isDeployTime(value) ? NOT_KNOWN : false;
}

/** An action such as `InputAction` that acts (blocks, anonymises) unless set to `NONE` (detect only); absent is the default, which acts. */
export function acts(value: Value): Answer {
  if (value === undefined) return true;
  if (typeof value === 'string') return normaliseEnum(value) !== 'none' && value.trim() !== '';
  return isDeployTime(value) ? NOT_KNOWN : false;
}

/** Modalities (`InputModalities`, `OutputModalities`) that include text, or are absent (the default covers text). */
export function coversText(value: Value): Answer {
  if (value === undefined) return true;
  if (Array.isArray(value)) {
    if (value.length === 0) return true;
    if (value.some((m) => typeof m === 'string' && normaliseEnum(m) === 'text')) return true;
    return value.some((m) => typeof m !== 'string') ? NOT_KNOWN : false;
  }
  return isDeployTime(value) ? NOT_KNOWN : false;
}

/** A number of at least `minimum`. */
export function isAtLeastNumber(value: Value, minimum: number): Answer {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && !Number.isNaN(n)) return n >= minimum;
  return isDeployTime(value) ? NOT_KNOWN : false;
}

function isDeployTime(value: Value): boolean {
  return value instanceof UnknownValue || value instanceof Expression || value instanceof ResourceReference;
}

/** A resource of the app (an agent, a flow) that attaches a guardrail, and whether it answers from knowledge bases. */
export interface GuardrailUser {
  readonly user: IndexedResource;
  /** Whether the use retrieves from knowledge bases (RAG): an agent with `KnowledgeBases`, a flow's KnowledgeBase node. */
  readonly retrieval: Answer;
  /** Where the guardrail is attached, for messages. */
  readonly via: string;
}

/**
 * The agents and flows of the app that are created and attach `guardrail`. Every agent and flow declared is read once
 * per run, whether it is created or not; only the conditions of those that attach this guardrail are read here.
 */
export function guardrailUsers(index: ResourceIndex, guardrail: IndexedResource): readonly GuardrailUser[] {
  const users = index.memo(guardrailUsers, () => findUsers(index)).get(guardrail);
  return users ? index.keepCreated(users, (u) => u.user) : [];
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
  for (const agent of index.declaredOfType('AWS::Bedrock::Agent')) {
    const retrieval = knowledgeBasesOf(agent);
    for (const b of agent.get('GuardrailConfiguration.GuardrailIdentifier')) {
      add(b.value, { user: agent, retrieval, via: `agent ${agent.logicalId}` });
    }
  }
  for (const flow of index.declaredOfType('AWS::Bedrock::Flow')) {
    for (const b of flow.get('Definition.Nodes')) {
      if (!Array.isArray(b.value)) continue;
      for (const node of b.value) {
        if (!isPlainObject(node) || !isPlainObject(node.Configuration)) continue;
        const name = typeof node.Name === 'string' ? ` "${node.Name}"` : '';
        for (const [kind, config] of Object.entries(node.Configuration)) {
          if (!isPlainObject(config) || !isPlainObject(config.GuardrailConfiguration)) continue;
          const retrieval: Answer = kind === 'KnowledgeBase' ? true : false;
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
function knowledgeBasesOf(agent: IndexedResource): Answer {
  let answer: Answer = false;
  for (const b of agent.get('KnowledgeBases')) {
    if (Array.isArray(b.value) && b.value.length > 0) return true;
    if (isDeployTime(b.value)) answer = NOT_KNOWN;
  }
  return answer;
}
