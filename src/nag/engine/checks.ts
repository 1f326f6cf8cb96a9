import { IndexedResource } from './resource-index';
import { Branch, describe, Expression, isPlainObject, ResourceReference, UnknownValue, unknownOf, Value } from './values';

/**
 * Building blocks for rule checks: results, predicates over evaluated values, and the judgement of a property
 * across every form it can take.
 */

/** What a rule concluded about one resource. */
export enum Verdict {
  COMPLIANT = 'compliant',
  NON_COMPLIANT = 'non-compliant',
  NOT_APPLICABLE = 'not-applicable',
  /** A value the rule needs cannot be known at synth time (an import, a parameter without default). */
  UNVERIFIABLE = 'unverifiable',
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
 * The one three-valued answer of the pack: yes (`true`), no (`false`), or not known at synth time (an
 * {@link UnknownValue}, saying why). Predicates over values, cross-resource questions (does this selection back up
 * that bucket, is this stack production) and per-form judgements all answer with it; a rule turns answers into its
 * {@link RuleResult}.
 */
export type Answer = boolean | UnknownValue;

/** The answer of a question whose inputs are not all known at synth time, where no more precise reason is at hand. */
export const NOT_KNOWN = new UnknownValue('a value it depends on is not known at synth time');

/** Yes if any answer is yes; else the first unknown if any is unknown; else no (no answers: no). */
export function anyOf(answers: readonly Answer[]): Answer {
  if (answers.includes(true)) return true;
  return answers.find((a): a is UnknownValue => a instanceof UnknownValue) ?? false;
}

/** No if any answer is no; else the first unknown if any is unknown; else yes (no answers: yes). */
export function allOf(answers: readonly Answer[]): Answer {
  if (answers.includes(false)) return false;
  return answers.find((a): a is UnknownValue => a instanceof UnknownValue) ?? true;
}

/** Yes for no, no for yes; an unknown stays unknown. */
export function not(answer: Answer): Answer {
  return answer instanceof UnknownValue ? answer : !answer;
}

/** An answer together with the words a finding reports: what is wrong (no), what cannot be known (unknown). */
export interface Judgement {
  readonly answer: Answer;
  readonly detail: string;
}

export const COMPLIANT: RuleResult = { verdict: Verdict.COMPLIANT };
export const NOT_APPLICABLE: RuleResult = { verdict: Verdict.NOT_APPLICABLE };

export function nonCompliant(message: string, ...locations: string[]): RuleResult {
  return { verdict: Verdict.NON_COMPLIANT, message, locations };
}

export function unverifiable(message: string, ...locations: string[]): RuleResult {
  return { verdict: Verdict.UNVERIFIABLE, message, locations };
}

/**
 * Combines the results of several conditions on one resource: non-compliant if any is, else unverifiable if any
 * is, else compliant if any is, else not applicable. Messages and locations of the deciding results are joined.
 */
export function combine(...results: RuleResult[]): RuleResult {
  for (const verdict of [Verdict.NON_COMPLIANT, Verdict.UNVERIFIABLE]) {
    const deciding = results.filter((r) => r.verdict === verdict);
    if (deciding.length > 0) {
      return {
        verdict,
        message: deciding.map((r) => r.message).filter((m) => m).join('; '),
        locations: [...new Set(deciding.flatMap((r) => r.locations ?? []))],
      };
    }
  }
  return results.some((r) => r.verdict === Verdict.COMPLIANT) ? COMPLIANT : NOT_APPLICABLE;
}

/**
 * Judges the property at `path` in every form it can take (each `Fn::If` branch, each allowed parameter value):
 * compliant only if every form passes `test`; non-compliant if one fails; unverifiable if one cannot be known.
 * @param failure what is wrong, given the failing value; the location and the branch are added
 */
export function expectProperty(
  resource: IndexedResource,
  path: string,
  test: (value: Value) => Answer,
  failure: (value: Value) => string,
): RuleResult {
  return judgeBranches(resource.get(path), `Properties.${path}`, test, failure, path, resource);
}

/** {@link expectProperty} over branches already read. */
export function judge(
  branches: readonly Branch[],
  location: string,
  test: (value: Value) => Answer,
  failure: (value: Value) => string,
  subject: string,
): RuleResult {
  return judgeBranches(branches, location, test, failure, subject);
}

/** What `test` answers of a value; a value it cannot read is unknown. */
function answerOf(test: (value: Value) => Answer, value: Value, subject: string): Answer {
  try {
    return test(value);
  } catch {
    return new UnknownValue(`${subject} has a form the rule cannot read`);
  }
}

/**
 * {@link judge}; where the branches are `resource`'s property at `subject`, a finding names only the parameters of the
 * part of the property it is about, not those of its other parts (see {@link decidingParameters}).
 */
function judgeBranches(branches: readonly Branch[], location: string, test: (value: Value) => Answer, failure: (value: Value) => string,
  subject: string, resource?: IndexedResource): RuleResult {
  let unknown: UnknownValue | undefined;
  for (const branch of branches) {
    const answer = answerOf(test, branch.value, subject);
    if (answer === false) {
      const parameters = resource ? decidingParameters(resource, subject, branches, branch,
        (b) => (answerOf(test, b.value, subject) === false ? failure(b.value) : undefined)) : branch.parameters;
      return nonCompliant(failure(branch.value) + qualifier(parameters, branches.length), location);
    }
    if (answer instanceof UnknownValue) unknown = unknown ?? answer;
  }
  if (unknown) return unverifiable(`${subject} cannot be verified at synth time: ${unknown.reason}`, location);
  return COMPLIANT;
}

/**
 * Judges each form the property at `path` can take (each `Fn::If` branch, each allowed parameter value) with
 * `judgeForm` and combines the results; a non-compliant finding names the form that decided it and the parameters it
 * rests on (see {@link decidingParameters}).
 */
export function judgeForms(resource: IndexedResource, path: string, judgeForm: (value: Value) => RuleResult): RuleResult {
  const forms = resource.get(path);
  const results = forms.map((b) => judgeForm(b.value));
  const result = combine(...results);
  const failing = forms.find((_, i) => results[i].verdict === Verdict.NON_COMPLIANT);
  if (result.verdict === Verdict.NON_COMPLIANT && failing && result.message) {
    const parameters = decidingParameters(resource, path, forms, failing, (b) => {
      const other = judgeForm(b.value);
      return other.verdict === Verdict.NON_COMPLIANT ? other.message : undefined;
    });
    return { ...result, message: result.message + qualifier(parameters, forms.length) };
  }
  return result;
}

/** Which of a value's forms a finding speaks of: `in one of its 3 possible forms (Fn::If or Fn::FindInMap)`. */
export function oneOfForms(forms: number): string {
  return `in one of its ${forms} possible forms (Fn::If or Fn::FindInMap)`;
}

/** Names the parameters and the forms (of `Fn::If` or `Fn::FindInMap`) that decided a branch, for a finding's message. */
export function qualifier(parameters: readonly string[], forms: number): string {
  const notes: string[] = [];
  if (parameters.length > 0) notes.push(`with the value of parameter ${parameters.join(', ')}`);
  if (forms > 1) notes.push(oneOfForms(forms));
  return notes.length > 0 ? ` (${notes.join(', ')})` : '';
}

/**
 * Of the parameters that decided the form of a property a finding is about, those the finding rests on. A form carries
 * every parameter read anywhere in the property (every statement of a policy document, each policy's name); a finding
 * about one part of it names only those without which it would not be made. Each is taken as not known and the
 * property read again: it is kept where some form then gives another finding, or none. Where the property already has
 * several forms, which of the new forms stands for the failing one cannot be told, and every parameter is kept.
 * @param findingOf what a finding on one form says of it (the part of its message that names what fails), or undefined
 */
export function decidingParameters(resource: IndexedResource, path: string, forms: readonly Branch[], form: Branch,
  findingOf: (form: Branch) => string | undefined): readonly string[] {
  return decidingParametersOf(resource, () => resource.get(path), forms, form, form.parameters, findingOf);
}

/**
 * {@link decidingParameters} for forms a rule reads otherwise than as one property (a workflow definition with its
 * substitutions): `read` reads every form again, and `parameters` are those that decided `form`.
 */
export function decidingParametersOf<F>(resource: IndexedResource, read: () => readonly F[], forms: readonly F[], form: F,
  parameters: readonly string[], findingOf: (form: F) => string | undefined): readonly string[] {
  if (forms.length !== 1 || parameters.length === 0) return parameters;
  const finding = findingOf(form);
  return parameters.filter((parameter) => resource.withUnknown(parameter, read).some((other) => findingOf(other) !== finding));
}

/** Set: present and not empty. A value known only at deploy time (an import, a reference) is set. */
export function isSet(value: Value): Answer {
  if (value instanceof UnknownValue && value.insideUnknown) return value;
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** `true` or `"true"`. */
export function isTrue(value: Value): Answer {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (value instanceof ResourceReference) return new UnknownValue('the value is an attribute of another resource');
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/** Normalises enum spellings so that `PENDING_MANUAL_APPROVAL`, `PendingManualApproval` and `pending-manual-approval` compare equal. */
export function normaliseEnum(value: string): string {
  return value.replace(/[\s_-]/g, '').toLowerCase();
}

/** Equal to one of `expected`, in any enum spelling. */
export function isOneOf(...expected: string[]): (value: Value) => Answer {
  const wanted = new Set(expected.map(normaliseEnum));
  return (value) => {
    const unknown = unknownOf(value);
    if (unknown) return unknown;
    if (value instanceof ResourceReference) return new UnknownValue('the value is an attribute of another resource');
    return typeof value === 'string' && wanted.has(normaliseEnum(value));
  };
}

/** A number (or numeric string) of at least `minimum`. */
export function isAtLeast(minimum: number): (value: Value) => Answer {
  return (value) => {
    const unknown = unknownOf(value);
    if (unknown) return unknown;
    if (value instanceof ResourceReference) return new UnknownValue('the value is an attribute of another resource');
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof n === 'number' && !Number.isNaN(n) && n >= minimum;
  };
}

/** A list with at least one element. */
export function isNonEmptyList(value: Value): Answer {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  return Array.isArray(value) && value.length > 0;
}

/** A message fragment naming a value: `is absent`, `is "Enabled"`. */
export function was(value: Value): string {
  return value === undefined ? 'is absent' : `is ${describe(value)}`;
}

/** Whether a value is a string built at deploy time (an {@link Expression}). */
export function isExpression(value: Value): value is Expression {
  return value instanceof Expression;
}
