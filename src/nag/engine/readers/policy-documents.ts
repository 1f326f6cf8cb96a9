import { listOf } from '../lists';
import { Branch, isPlainObject, ResourceReference, UnknownValue, unknownOf, Value } from '../values';

/**
 * IAM policy documents (identity, resource and key policies) as a template holds them, evaluated: their statements,
 * and whether a statement allows an action. What a role of the app may do is knowledge/role-permissions.ts.
 */

/** One statement of a policy document, evaluated. */
export type Statement = Record<string, Value>;

/** The statements of one evaluated form of a policy document; unknown when the document cannot be read. */
export function statementsOf(document: Value): Statement[] | UnknownValue {
  if (document === undefined || document === null) return [];
  let doc: Value = document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return new UnknownValue('a policy document that is not valid JSON');
    }
  }
  const unknown = unknownOf(doc);
  if (unknown) return unknown;
  if (doc instanceof ResourceReference) return new UnknownValue('a policy document read from another resource');
  if (!isPlainObject(doc)) return new UnknownValue('a policy document that is not an object');
  const statement = doc.Statement;
  if (statement === undefined) return [];
  const unknownStatement = unknownOf(statement);
  if (unknownStatement) return unknownStatement;
  const out: Statement[] = [];
  for (const s of Array.isArray(statement) ? statement : [statement]) {
    if (!isPlainObject(s)) return unknownOf(s) ?? new UnknownValue('a policy statement that is not an object');
    out.push(s);
  }
  return out;
}

/** The statements of one form of a set of policy documents, document by document, and why any of it cannot be read. */
export interface PolicyForm {
  /** The statements of each readable document, in order. */
  readonly documents: Statement[][];
  /** Set when the documents, or one of them, cannot be read at synth time. */
  readonly unreadable?: string;
}

/**
 * Reads the policy documents of one form of a property (`PolicyDocument`, or the `Policies` of an identity).
 * @param read the documents in the form's value, or why they cannot be known
 */
export function policyFormOf(form: Branch, read: (value: Value) => Value[] | UnknownValue): PolicyForm {
  const found = read(form.value);
  if (found instanceof UnknownValue) return { documents: [], unreadable: `the policies cannot be read (${found.reason})` };
  const documents: Statement[][] = [];
  let unreadable: string | undefined;
  for (const document of found) {
    const statements = statementsOf(document);
    if (statements instanceof UnknownValue) unreadable = unreadable ?? `a policy document cannot be read (${statements.reason})`;
    else documents.push(statements);
  }
  return { documents, unreadable };
}

/** Whether a statement's `Effect` is `Allow` (any case). */
export function isAllow(statement: Statement): boolean {
  return typeof statement.Effect === 'string' && statement.Effect.toLowerCase() === 'allow';
}

const MAX_PATTERN_LENGTH = 512;

/** Compiled IAM patterns: policies repeat the same few actions and ARNs across every role of an app. */
const compiledPatterns = new Map<string, RegExp>();
const MAX_COMPILED_PATTERNS = 10_000;

/**
 * Whether an IAM pattern with `*` and `?` wildcards (an action or a resource ARN) matches `text`, ignoring case unless
 * `ignoreCase` is false (names a service keeps as they are written).
 */
export function matchesPattern(pattern: Value, text: string, ignoreCase = true): boolean {
  if (typeof pattern !== 'string' || pattern.length > MAX_PATTERN_LENGTH) return false;
  const key = ignoreCase ? pattern : `\u0000${pattern}`;
  let compiled = compiledPatterns.get(key);
  if (!compiled) {
    const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    compiled = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    if (compiledPatterns.size >= MAX_COMPILED_PATTERNS) compiledPatterns.clear();
    compiledPatterns.set(key, compiled);
  }
  return compiled.test(text);
}

/** Whether a statement's actions (`Action`, or everything outside `NotAction`) include `action`. */
export function grantsAction(statement: Statement, action: string): boolean {
  if (statement.NotAction !== undefined) return !listOf(statement.NotAction).some((a) => matchesPattern(a, action));
  return listOf(statement.Action).some((a) => matchesPattern(a, action));
}

/**
 * Whether a statement names, as an action of service `service` (never through a bare `*`), one of `actions`:
 * the evidence that a role is meant to call that service, as opposed to an administrator's wildcard.
 */
export function namesServiceAction(statement: Statement, service: string, actions: readonly string[]): boolean {
  return listOf(statement.Action).some((a) => typeof a === 'string' && a.toLowerCase().startsWith(`${service}:`)
    && actions.some((wanted) => matchesPattern(a, `${service}:${wanted}`)));
}
