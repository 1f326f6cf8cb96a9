import { EmbeddedJson, parseJsonParts } from './embedded-json';
import { IndexedResource } from '../resource-index';
import { describe, Expression, ExpressionPart, isPlainObject, ResourceReference, UnknownValue, Value } from '../values';

/**
 * Workflow definitions embedded in a template: a SageMaker Pipeline's `PipelineDefinitionBody` and a Step Functions
 * state machine's `DefinitionString`, JSON documents often built by Fn::Join around references (embedded-json.ts).
 * Parses them after the state machine's definition substitutions, and reads the arguments of a step or state in the
 * language's own terms: what a Step Functions JSONPath or JSONata value, or a pipeline parameter, takes at run time.
 */

/** Replaces `${name}` in literal parts by the Step Functions definition substitution of that name. */
function substitute(parts: readonly ExpressionPart[], substitutions: Value): ExpressionPart[] | string {
  if (!isPlainObject(substitutions)) return [...parts];
  const out: ExpressionPart[] = [];
  for (const part of parts) {
    if (typeof part !== 'string') {
      out.push(part);
      continue;
    }
    let last = 0;
    for (const match of part.matchAll(/\$\{([^}]*)\}/g)) {
      if (!(match[1] in substitutions)) continue;
      out.push(part.slice(last, match.index));
      const value = substitutions[match[1]];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
      else if (value instanceof Expression) out.push(...value.parts);
      else if (value instanceof UnknownValue || value instanceof ResourceReference) out.push(value);
      else return `DefinitionSubstitutions.${match[1]} is ${describe(value)}`;
      last = (match.index ?? 0) + match[0].length;
    }
    out.push(part.slice(last));
  }
  return out;
}

/** Parses a definition given as text or as an {@link Expression}, after its Step Functions substitutions. */
export function parseWorkflowDefinition(text: Value, substitutions?: Value): EmbeddedJson {
  let parts: ExpressionPart[];
  if (typeof text === 'string') parts = [text];
  else if (text instanceof Expression) parts = [...text.parts];
  else return { failure: `it is ${describe(text)}` };
  const substituted = substitute(parts, substitutions);
  if (typeof substituted === 'string') return { failure: substituted };

  return parseJsonParts(substituted);
}

/** The literal text of a string value, with each part not known at synth time as `*`. */
export function definitionText(value: Value): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Expression) return value.pattern;
  return undefined;
}

/** A value a job takes only when it runs: a Step Functions JSONPath or JSONata value, a pipeline expression. */
export class RuntimeValue extends UnknownValue {}

/** How a definition language writes values known only at run time. */
export interface Dialect {
  /** Whether keys may take a run-time path instead of a value (`Key.$` in Step Functions). */
  readonly pathKeys: boolean;
  /** The value after its run-time expression is resolved as far as the definition allows, with where it came from. */
  resolve(value: Value): { readonly value: Value; readonly note?: string };
}

export const STEP_FUNCTIONS: Dialect = {
  pathKeys: true,
  resolve(value) {
    if (typeof value === 'string' && /^\s*\{%[\s\S]*%\}\s*$/.test(value)) {
      return { value: new RuntimeValue(`it is the JSONata expression ${describe(value)}, evaluated when the state runs`) };
    }
    return { value };
  },
};

/** SageMaker Pipelines: `{"Get": "Parameters.X"}` takes the parameter's default; other expressions are run-time. */
export function pipelineDialect(definition: Value): Dialect {
  const defaults = new Map<string, Value>();
  const declared = new Set<string>();
  const parameters = isPlainObject(definition) ? definition.Parameters : undefined;
  if (Array.isArray(parameters)) {
    for (const p of parameters) {
      if (!isPlainObject(p) || typeof p.Name !== 'string') continue;
      declared.add(p.Name);
      if (p.DefaultValue !== undefined) defaults.set(p.Name, p.DefaultValue);
    }
  }
  return {
    pathKeys: false,
    resolve(value) {
      if (!isPlainObject(value)) return { value };
      const keys = Object.keys(value);
      if (keys.length !== 1) return { value };
      const get = value.Get;
      if (keys[0] === 'Get' && typeof get === 'string' && get.startsWith('Parameters.')) {
        const name = get.slice('Parameters.'.length);
        if (defaults.has(name)) return { value: defaults.get(name), note: ` (the default of pipeline parameter ${name})` };
        return { value: new RuntimeValue(declared.has(name) ? `pipeline parameter ${name} has no default` : `pipeline parameter ${name} is not declared`) };
      }
      if (keys[0] === 'Get' || keys[0].startsWith('Std:')) {
        return { value: new RuntimeValue(`it is the pipeline expression ${describe(value)}, evaluated when the pipeline runs`) };
      }
      return { value };
    },
  };
}

/** A value read from a job's arguments, with where a run-time default came from. */
export interface Read {
  readonly value: Value;
  readonly note: string;
}

/** Reads `segments` below a job's arguments; a block on the way known only at run time makes the value run-time. */
export function readArgument(args: Value, segments: readonly string[], dialect: Dialect, name: string): Read {
  let { value: current, note } = dialect.resolve(args);
  let at = name;
  for (const segment of segments) {
    if (current instanceof UnknownValue || current instanceof Expression || current instanceof ResourceReference) {
      return { value: new RuntimeValue(`${at} is ${describe(current)}`), note: '' };
    }
    if (!isPlainObject(current)) return { value: undefined, note: '' };
    const pathKey = `${segment}.$`;
    if (segment in current) {
      current = current[segment];
    } else if (dialect.pathKeys && pathKey in current) {
      return { value: new RuntimeValue(`${at}.${pathKey} takes ${describe(current[pathKey])} from the state's input when it runs`), note: '' };
    } else {
      return { value: undefined, note: '' };
    }
    at = `${at}.${segment}`;
    const resolved = dialect.resolve(current);
    current = resolved.value;
    note = resolved.note;
  }
  return { value: current, note: note ?? '' };
}

/** One form a state machine's definition can take: a definition property under one form of its substitutions. */
export interface StateMachineDefinition {
  /** The definition parsed, or why it could not be. */
  readonly parsed: EmbeddedJson;
  /** The definition as the template gives it, for a look at its text when it cannot be parsed. */
  readonly text: Value;
  /** `Properties.DefinitionString` or `Properties.Definition`. */
  readonly location: string;
  /** The template parameters that decided this form. */
  readonly parameters: readonly string[];
}

/**
 * Every form of a state machine's definition (`DefinitionString` or `Definition`, in each `Fn::If` branch, with each
 * form of `DefinitionSubstitutions`), parsed; none when the definition is in S3 (`DefinitionS3Location`).
 */
export function stateMachineDefinitions(resource: IndexedResource): StateMachineDefinition[] {
  const forms: StateMachineDefinition[] = [];
  const substitutions = resource.get('DefinitionSubstitutions');
  for (const property of ['DefinitionString', 'Definition']) {
    for (const branch of resource.get(property)) {
      if (branch.value === undefined) continue;
      for (const subs of substitutions) {
        forms.push({
          parsed: isPlainObject(branch.value) ? { json: branch.value } : parseWorkflowDefinition(branch.value, subs.value),
          text: branch.value,
          location: `Properties.${property}`,
          parameters: [...new Set([...branch.parameters, ...subs.parameters])],
        });
      }
    }
  }
  return forms;
}

/**
 * What a Step Functions value certainly starts with, known at synth time: the value itself when it is not JSONata;
 * for a JSONata expression that starts with a string literal (`{% 's3://bucket/captures/' & $window & '/' %}`), that
 * literal (text, or an {@link Expression} with the references it holds), `whole` when the expression is nothing else.
 * Undefined when the expression starts any other way, or its literal holds an escape the reader does not follow.
 */
export function leadingLiteral(value: Value): { readonly value: Value; readonly whole: boolean } | undefined {
  const parts: readonly ExpressionPart[] = typeof value === 'string' ? [value] : value instanceof Expression ? value.parts : [];
  const first = parts[0];
  if (typeof first !== 'string' || !/^\s*\{%/.test(first)) return { value, whole: true };
  const opening = /^\s*\{%\s*(['"])/.exec(first);
  if (!opening) return undefined;
  const quote = opening[1];
  const literal: ExpressionPart[] = [];
  const queue: ExpressionPart[] = [first.slice(opening[0].length), ...parts.slice(1)];
  for (let i = 0; i < queue.length; i++) {
    const part = queue[i];
    if (typeof part !== 'string') {
      literal.push(part);
      continue;
    }
    const end = part.indexOf(quote);
    const inside = end < 0 ? part : part.slice(0, end);
    if (inside.includes('\\')) return undefined;
    literal.push(inside);
    if (end < 0) continue;
    // What follows the literal: the end of the expression, or a concatenation with something else.
    const after = [part.slice(end + 1), ...queue.slice(i + 1)];
    const firstValue = after.findIndex((p) => typeof p !== 'string');
    const text = (firstValue < 0 ? after : after.slice(0, firstValue)).join('').trim();
    const whole = firstValue < 0 && text === '%}';
    if (!whole && !text.startsWith('&')) return undefined;
    const pieces = literal.filter((p) => p !== '');
    return { value: pieces.every((p) => typeof p === 'string') ? pieces.join('') : new Expression(pieces), whole };
  }
  return undefined;
}
