import { Branch, Expression, ExpressionPart, isPlainObject, ResourceReference, UnknownValue, unknownOf, unknownPseudoParameter, Value } from './values';

/** What the evaluator needs to know about the template a value comes from. */
export interface EvaluationScope {
  /** The construct path of the stack the value is in. */
  readonly stackPath: string;
  /** The stack's parameters by logical ID. */
  parameter(name: string): ParameterDefinition | undefined;
  /** The stack path of the resource a `Ref`/`Fn::GetAtt` names, searched in this stack first, then in the app. */
  resourceStack(logicalId: string): string | undefined;
  /** The value behind an export of the app, for `Fn::ImportValue` of a cross-stack reference. */
  exported(name: string): { readonly value: unknown; readonly scope: EvaluationScope } | undefined;
  /** A condition of the stack's `Conditions` section, evaluated (see {@link evaluateCondition}); kept once per scope. */
  condition?(name: string): Condition | undefined;
  /** A mapping of the stack's `Mappings` section, as written. */
  mapping?(name: string): unknown;
  /** The value of a pseudo parameter (`AWS::Region`) where the stack's environment fixes it. */
  pseudoParameter?(name: string): string | undefined;
}

/** A condition evaluated: true, false or unknown, with the parameters whose defaults decided it. */
export interface Condition {
  readonly answer: boolean | UnknownValue;
  readonly parameters: readonly string[];
}

/** A CloudFormation parameter, as far as evaluation needs it. */
export interface ParameterDefinition {
  readonly Default?: unknown;
  readonly AllowedValues?: unknown[];
  readonly Type?: string;
}

/**
 * The default a parameter deploys with: its `Default`, unless its `AllowedValues` leave that out. CloudFormation
 * rejects a stack whose parameter value is not allowed, the default included, so such a default never deploys and
 * the parameter is as if it had none: whoever deploys must choose one of the allowed values.
 */
export function deployableDefault(parameter: ParameterDefinition): unknown {
  const value = parameter.Default;
  const allowed = parameter.AllowedValues;
  if (value === undefined || !Array.isArray(allowed)) return value;
  // CloudFormation passes parameter values as strings: "true" and true are the same choice.
  return allowed.some((a) => String(a) === String(value)) ? value : undefined;
}

/** Past this many combinations of `Fn::If` branches a value is reported as unknown instead of enumerated. */
export const MAX_BRANCHES = 64;

/** Past this many evaluation steps for one value, the rest of it is unknown: bounds the work on hostile input. */
export const MAX_STEPS = 20_000;

/** The work left for one top-level evaluation, and how it reads pseudo parameters. */
interface Budget {
  steps: number;
  /**
   * Set while evaluating what decides a choice (a condition's inputs, the keys of `Fn::FindInMap`): pseudo parameters
   * take the stack's environment there. Elsewhere they stay unknown, as the template's values are judged for any
   * account and Region the stack may be deployed to by the same template.
   */
  pseudo: boolean;
}

/** The pseudo parameters: when not known, each reads in a message as itself, never as a wildcard. */
const PSEUDO_PARAMETERS: ReadonlySet<string> = new Set([
  'AWS::AccountId', 'AWS::NotificationARNs', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName',
  'AWS::URLSuffix',
]);

/** Whether an object is a single-key intrinsic such as `{ "Ref": ... }` or `{ "Fn::If": ... }`. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  // Asked of every object evaluated or walked: find the single own key without allocating the list of keys.
  let key: string | undefined;
  for (const k in value) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
    if (key !== undefined) return undefined;
    key = k;
  }
  if (key === undefined) return undefined;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined;
}

/**
 * Evaluates a raw CloudFormation value into every form it can take.
 *
 * `Fn::If` yields the branch its condition chooses where the condition's inputs are known, else both branches;
 * `Ref` to a parameter yields the default it deploys with, split into a list for a list type (marking the branch
 * parameterised: other allowed values are judged apart, by running a rule again with each) or an unknown shown as
 * `<parameter Name>`; `Fn::FindInMap` yields the mapped value, or every value at a level whose key is not known (and
 * then its `DefaultValue`); `Fn::Split` and `Fn::Select` of known values are evaluated; `AWS::NoValue` removes the
 * property; `Ref`/`Fn::GetAtt` to a resource of the app becomes a {@link ResourceReference}; `Fn::ImportValue` of an
 * export of the app follows the export, any other import is unknown. Never throws: malformed intrinsics are unknown.
 */
export function evaluate(value: unknown, scope: EvaluationScope): Branch[] {
  return evaluateWithin(value, scope, 0, { steps: MAX_STEPS, pseudo: false });
}

/** Evaluates with pseudo parameters taken from the stack's environment: the inputs of a choice. */
function evaluateChoosing(value: unknown, scope: EvaluationScope, depth: number, budget: Budget): Branch[] {
  const before = budget.pseudo;
  budget.pseudo = true;
  try {
    return evaluateWithin(value, scope, depth + 1, budget);
  } finally {
    budget.pseudo = before;
  }
}

function evaluateWithin(value: unknown, scope: EvaluationScope, depth: number, budget: Budget): Branch[] {
  if (depth > 50) return [leaf(new UnknownValue('nesting too deep to evaluate'))];
  if (--budget.steps < 0) return [leaf(new UnknownValue('too large to evaluate'))];
  if (value === null || typeof value !== 'object') return [leaf(value)];
  if (Array.isArray(value)) return evaluateArray(value, scope, depth, budget);
  const name = intrinsicName(value);
  if (name) return evaluateIntrinsic(name, (value as Record<string, unknown>)[name], scope, depth, budget);
  if (!isPlainObject(value)) return [leaf(value)];
  return evaluateObject(value, scope, depth, budget);
}

/** The parameters of a branch no parameter decided: shared, since branches are never changed once built. */
const NO_PARAMETERS: readonly string[] = Object.freeze([]);

function leaf(value: Value, parameters: readonly string[] = NO_PARAMETERS): Branch {
  return { value, parameters };
}

/**
 * Whether every item of a list or object evaluated to itself, in one form that no parameter decided: then the
 * whole is literal and is its own value, and evaluation need not copy it.
 */
function unchanged(raw: readonly unknown[], lists: readonly Branch[][]): boolean {
  for (let i = 0; i < raw.length; i++) {
    const list = lists[i];
    if (list === undefined || list.length !== 1) return false;
    const branch = list[0];
    if (branch.value !== raw[i] || branch.value === undefined || branch.parameters.length > 0) return false;
  }
  return true;
}

function capped(branches: Branch[], what: string): Branch[] {
  if (branches.length <= MAX_BRANCHES) return branches;
  return [leaf(new UnknownValue(`${what} has more than ${MAX_BRANCHES} Fn::If combinations`))];
}

/** All combinations of the given lists of branches. */
function product(lists: Branch[][], what: string): Array<{ values: Value[]; parameters: string[] }> {
  // The common case, a value with no Fn::If and no parameter with allowed values below it, has one combination:
  // build it directly instead of copying the partial combination once per item.
  if (lists.every((list) => list.length === 1)) {
    const values: Value[] = new Array(lists.length);
    let parameters: string[] = [];
    for (let i = 0; i < lists.length; i++) {
      const branch = lists[i][0];
      values[i] = branch.value;
      if (branch.parameters.length > 0) parameters = mergeParameters(parameters, branch.parameters);
    }
    return [{ values, parameters }];
  }
  let acc: Array<{ values: Value[]; parameters: string[] }> = [{ values: [], parameters: [] }];
  for (const list of lists) {
    const next: Array<{ values: Value[]; parameters: string[] }> = [];
    for (const partial of acc) {
      for (const b of list) {
        next.push({ values: [...partial.values, b.value], parameters: mergeParameters(partial.parameters, b.parameters) });
      }
    }
    acc = next;
    if (acc.length > MAX_BRANCHES) {
      return [{ values: lists.map(() => new UnknownValue(`${what} has more than ${MAX_BRANCHES} Fn::If combinations`)), parameters: [] }];
    }
  }
  return acc;
}

function mergeParameters(a: readonly string[], b: readonly string[]): string[] {
  if (b.length === 0) return [...a];
  return [...new Set([...a, ...b])];
}

function evaluateArray(items: unknown[], scope: EvaluationScope, depth: number, budget: Budget): Branch[] {
  const lists = items.map((item) => evaluateWithin(item, scope, depth + 1, budget));
  if (unchanged(items, lists)) return [leaf(items)];
  return product(lists, 'a list').map((c) => leaf(c.values.filter((v) => v !== undefined), c.parameters));
}

function evaluateObject(obj: Record<string, unknown>, scope: EvaluationScope, depth: number, budget: Budget): Branch[] {
  const keys = Object.keys(obj);
  const lists = keys.map((k) => evaluateWithin(obj[k], scope, depth + 1, budget));
  if (Object.getPrototypeOf(obj) === Object.prototype && unchanged(keys.map((k) => obj[k]), lists)) return [leaf(obj)];
  return product(lists, 'an object').map((c) => {
    const out: Record<string, Value> = {};
    keys.forEach((k, i) => {
      if (c.values[i] !== undefined) out[k] = c.values[i];
    });
    return leaf(out, c.parameters);
  });
}

function evaluateIntrinsic(name: string, arg: unknown, scope: EvaluationScope, depth: number, budget: Budget): Branch[] {
  switch (name) {
    case 'Ref':
      return evaluateRef(arg, scope, budget);
    case 'Fn::GetAtt':
      return [leaf(getAtt(arg, scope))];
    case 'Fn::If': {
      if (!Array.isArray(arg) || arg.length !== 3) return [leaf(new UnknownValue('malformed Fn::If'))];
      const condition = typeof arg[0] === 'string' ? scope.condition?.(arg[0]) : undefined;
      if (condition && typeof condition.answer === 'boolean') {
        return withParameters(evaluateWithin(condition.answer ? arg[1] : arg[2], scope, depth + 1, budget), condition.parameters);
      }
      return capped([...evaluateWithin(arg[1], scope, depth + 1, budget), ...evaluateWithin(arg[2], scope, depth + 1, budget)], 'a value');
    }
    case 'Fn::FindInMap':
      return evaluateFindInMap(arg, scope, depth, budget);
    case 'Fn::ImportValue':
      return evaluateImport(arg, scope, depth, budget);
    case 'Fn::Join':
      return evaluateJoin(arg, scope, depth, budget);
    case 'Fn::Sub':
      return evaluateSub(arg, scope, depth, budget);
    case 'Fn::Select':
      return evaluateSelect(arg, scope, depth, budget);
    case 'Fn::Split': {
      if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string' || arg[0] === '') {
        return [leaf(new UnknownValue('malformed Fn::Split'))];
      }
      const delimiter = arg[0];
      return evaluateWithin(arg[1], scope, depth + 1, budget).map((b) =>
        leaf(typeof b.value === 'string' ? b.value.split(delimiter) : new UnknownValue('Fn::Split of a value not known at synth time'), b.parameters));
    }
    case 'Fn::ToJsonString':
      return evaluateWithin(arg, scope, depth + 1, budget).map((b) =>
        leaf(isLiteral(b.value) ? JSON.stringify(b.value) : new UnknownValue('Fn::ToJsonString of a value that is not literal'), b.parameters));
    default:
      return [leaf(new UnknownValue(`${name} is evaluated at deploy time`))];
  }
}

function evaluateRef(arg: unknown, scope: EvaluationScope, budget: Budget): Branch[] {
  if (typeof arg !== 'string') return [leaf(new UnknownValue('malformed Ref'))];
  if (arg === 'AWS::NoValue') return [leaf(undefined)];
  if (PSEUDO_PARAMETERS.has(arg)) {
    const known = budget.pseudo ? scope.pseudoParameter?.(arg) : undefined;
    return [leaf(known ?? unknownPseudoParameter(arg))];
  }
  const parameter = scope.parameter(arg);
  if (parameter) {
    const shown = `<parameter ${arg}>`;
    // An SSM parameter's default is the name of the SSM parameter, not the value the stack gets.
    if (typeof parameter.Type === 'string' && parameter.Type.startsWith('AWS::SSM::Parameter')) {
      return [leaf(new UnknownValue(`${shown} is read from SSM at deploy time`, false, shown), [arg])];
    }
    const value = deployableDefault(parameter);
    if (value !== undefined) return [leaf(isListType(parameter.Type) && typeof value === 'string' ? value.split(',') : value, [arg])];
    const why = parameter.Default === undefined ? 'has no default' : 'has a default that is not among its AllowedValues';
    return [leaf(new UnknownValue(`${shown} ${why}`, false, shown), [arg])];
  }
  const stackPath = scope.resourceStack(arg);
  if (stackPath !== undefined) return [leaf(new ResourceReference(arg, stackPath))];
  return [leaf(new UnknownValue(`Ref to ${arg}, which is not in the app`))];
}

/** Whether a parameter type gives a list (`CommaDelimitedList`, `List<AWS::EC2::Subnet::Id>`): its value is comma-separated text. */
function isListType(type: unknown): boolean {
  return type === 'CommaDelimitedList' || (typeof type === 'string' && type.startsWith('List<'));
}

function getAtt(arg: unknown, scope: EvaluationScope): Value {
  let logicalId: unknown;
  let attribute: unknown;
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    [logicalId, attribute] = dot < 0 ? [arg, undefined] : [arg.slice(0, dot), arg.slice(dot + 1)];
  } else if (Array.isArray(arg) && arg.length === 2) {
    [logicalId, attribute] = arg;
  }
  if (typeof logicalId !== 'string' || typeof attribute !== 'string') return new UnknownValue('malformed Fn::GetAtt');
  const stackPath = scope.resourceStack(logicalId);
  if (stackPath === undefined) return new UnknownValue(`Fn::GetAtt of ${logicalId}, which is not in the app`);
  return new ResourceReference(logicalId, stackPath, attribute);
}

function evaluateImport(arg: unknown, scope: EvaluationScope, depth: number, budget: Budget): Branch[] {
  return evaluateWithin(arg, scope, depth + 1, budget).map((b) => {
    if (typeof b.value !== 'string') return leaf(new UnknownValue('Fn::ImportValue of a value not known at synth time'), b.parameters);
    const exported = scope.exported(b.value);
    if (!exported) return leaf(new UnknownValue(`imported value ${b.value}`), b.parameters);
    const inner = evaluateWithin(exported.value, exported.scope, depth + 1, budget);
    return inner.length === 1 ? leaf(inner[0].value, mergeParameters(b.parameters, inner[0].parameters))
      : leaf(new UnknownValue(`export ${b.value} has several possible values`), b.parameters);
  });
}

function isLiteral(value: Value): boolean {
  if (value === undefined || value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(isLiteral);
  return isPlainObject(value) && Object.values(value).every(isLiteral);
}

/** Concatenates parts, folding adjacent literals; a result of literals only is a plain string. */
function concat(parts: ExpressionPart[]): Value {
  const folded: ExpressionPart[] = [];
  for (const part of parts) {
    const last = folded[folded.length - 1];
    if (typeof part === 'string' && typeof last === 'string') folded[folded.length - 1] = last + part;
    else if (part !== '') folded.push(part);
  }
  if (folded.length === 0) return '';
  if (folded.length === 1 && typeof folded[0] === 'string') return folded[0];
  return new Expression(folded);
}

/** Turns an evaluated value into parts of a string. */
function asParts(value: Value): ExpressionPart[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (value instanceof Expression) return [...value.parts];
  if (value instanceof ResourceReference || value instanceof UnknownValue) return [value];
  return [new UnknownValue('a value that is not a string inside a string')];
}

function evaluateJoin(arg: unknown, scope: EvaluationScope, depth: number, budget: Budget): Branch[] {
  if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') return [leaf(new UnknownValue('malformed Fn::Join'))];
  const separator = arg[0];
  return evaluateWithin(arg[1], scope, depth + 1, budget).map((b) => {
    if (!Array.isArray(b.value)) return leaf(new UnknownValue('Fn::Join of a list not known at synth time'), b.parameters);
    const parts: ExpressionPart[] = [];
    b.value.forEach((item, i) => {
      if (i > 0) parts.push(separator);
      parts.push(...asParts(item));
    });
    return leaf(concat(parts), b.parameters);
  });
}

const SUB_VARIABLE = /\$\{([^}]*)\}/g;

function evaluateSub(arg: unknown, scope: EvaluationScope, depth: number, budget: Budget): Branch[] {
  let template: unknown = arg;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(arg)) {
    if (arg.length !== 2 || !isPlainObject(arg[1])) return [leaf(new UnknownValue('malformed Fn::Sub'))];
    template = arg[0];
    variables = arg[1] as Record<string, unknown>;
  }
  if (typeof template !== 'string') return [leaf(new UnknownValue('malformed Fn::Sub'))];

  // Each ${...} becomes a list of branches; the literal text between them is fixed.
  const pieces: Branch[][] = [];
  let last = 0;
  for (const match of template.matchAll(SUB_VARIABLE)) {
    pieces.push([leaf(template.slice(last, match.index))]);
    const name = match[1];
    if (name.startsWith('!')) {
      pieces.push([leaf('${' + name.slice(1) + '}')]);
    } else if (name in variables) {
      pieces.push(evaluateWithin(variables[name], scope, depth + 1, budget));
    } else if (name.includes('.')) {
      pieces.push([leaf(getAtt(name, scope))]);
    } else {
      pieces.push(evaluateRef(name, scope, budget));
    }
    last = (match.index ?? 0) + match[0].length;
  }
  pieces.push([leaf(template.slice(last))]);
  return product(pieces, 'an Fn::Sub').map((c) => leaf(concat(c.values.flatMap(asParts)), c.parameters));
}

function evaluateSelect(arg: unknown, scope: EvaluationScope, depth: number, budget: Budget): Branch[] {
  if (!Array.isArray(arg) || arg.length !== 2) return [leaf(new UnknownValue('malformed Fn::Select'))];
  const indexes = evaluateWithin(arg[0], scope, depth + 1, budget);
  const lists = evaluateWithin(arg[1], scope, depth + 1, budget);
  const out: Branch[] = [];
  for (const i of indexes) {
    for (const l of lists) {
      const index = typeof i.value === 'string' ? Number(i.value) : i.value;
      const parameters = mergeParameters(i.parameters, l.parameters);
      if (Array.isArray(l.value) && typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < l.value.length) {
        out.push(leaf(l.value[index], parameters));
      } else {
        out.push(leaf(new UnknownValue('Fn::Select not known at synth time'), parameters));
      }
    }
  }
  return capped(out, 'an Fn::Select');
}

/** The branches with the parameters that chose them (a condition's inputs) added. */
function withParameters(branches: Branch[], parameters: readonly string[]): Branch[] {
  if (parameters.length === 0) return branches;
  return branches.map((b) => leaf(b.value, mergeParameters(b.parameters, parameters)));
}

/** A literal key of a mapping, or undefined when the key is not known at synth time. */
function literalKey(value: Value): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' ? String(value) : undefined;
}

/**
 * `Fn::FindInMap [map, top, second]`, with the optional `{ DefaultValue }` of the language extensions. A key not
 * known at synth time (`AWS::Region` of a stack without env) can only be one of the mapping's keys at its level, or
 * the deployment fails: the value is then every value at that level, each judged as a form.
 */
function evaluateFindInMap(arg: unknown, scope: EvaluationScope, depth: number, budget: Budget): Branch[] {
  if (!Array.isArray(arg) || (arg.length !== 3 && arg.length !== 4) || typeof arg[0] !== 'string') {
    return [leaf(new UnknownValue('malformed Fn::FindInMap'))];
  }
  const mapName = arg[0];
  const mapping = scope.mapping?.(mapName);
  if (!isPlainObject(mapping)) return [leaf(new UnknownValue(`Fn::FindInMap of ${mapName}, which is not a mapping of the template`))];
  const fallback = arg.length === 4 && isPlainObject(arg[3]) && 'DefaultValue' in arg[3] ? [arg[3].DefaultValue] : [];
  const out: Branch[] = [];
  const seen = new Set<string>();
  const add = (value: Value, parameters: readonly string[]): void => {
    const key = isLiteral(value) ? JSON.stringify(value) : undefined;
    if (key !== undefined && seen.has(key)) return;
    if (key !== undefined) seen.add(key);
    out.push(leaf(value, parameters));
  };
  const addFallback = (parameters: readonly string[]): void => {
    for (const b of evaluateWithin(fallback[0], scope, depth + 1, budget)) add(b.value, mergeParameters(parameters, b.parameters));
  };
  for (const top of evaluateChoosing(arg[1], scope, depth, budget)) {
    for (const second of evaluateChoosing(arg[2], scope, depth, budget)) {
      const parameters = mergeParameters(top.parameters, second.parameters);
      const topKey = literalKey(top.value);
      for (const t of topKey !== undefined ? [topKey] : Object.keys(mapping)) {
        const level = mapping[t];
        const secondKey = literalKey(second.value);
        const keys = secondKey !== undefined ? [secondKey] : isPlainObject(level) ? Object.keys(level) : [];
        for (const k of keys) {
          const value = isPlainObject(level) ? level[k] : undefined;
          if (value !== undefined) {
            add(value, parameters);
          } else if (topKey !== undefined && secondKey !== undefined) {
            // Both keys known and no entry: the default value of the language extensions, or a failed deployment.
            if (fallback.length === 0) add(new UnknownValue(`mapping ${mapName} has no entry ${t}.${k}`), parameters);
            else addFallback(parameters);
          }
        }
      }
      // A key not known at synth time (the Region of a stack without env) may be one the mapping lacks: with a
      // DefaultValue that deploys too, and is one more form of the value.
      if (fallback.length > 0 && (topKey === undefined || literalKey(second.value) === undefined)) addFallback(parameters);
    }
  }
  if (out.length === 0) return [leaf(new UnknownValue(`mapping ${mapName} has no entry for the keys given`))];
  return capped(out, 'an Fn::FindInMap');
}

/**
 * A condition expression (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `{ Condition }`) evaluated over parameter
 * defaults and the stack's pseudo parameters. Unknown where an input is unknown (a parameter without default, an
 * import, a Region the stack does not fix), or where its inputs' forms disagree.
 */
export function evaluateCondition(raw: unknown, scope: EvaluationScope): Condition {
  return conditionWithin(raw, scope, 0, { steps: MAX_STEPS, pseudo: true });
}

function conditionWithin(raw: unknown, scope: EvaluationScope, depth: number, budget: Budget): Condition {
  const unknown = (reason: string): Condition => ({ answer: new UnknownValue(reason), parameters: NO_PARAMETERS });
  if (depth > 50 || --budget.steps < 0) return unknown('a condition too large to evaluate');
  const name = intrinsicName(raw);
  const arg = name ? (raw as Record<string, unknown>)[name] : undefined;
  if (name === 'Condition') {
    return (typeof arg === 'string' ? scope.condition?.(arg) : undefined) ?? unknown(`condition ${String(arg)}, which is not in the template`);
  }
  if (name === 'Fn::Equals') {
    if (!Array.isArray(arg) || arg.length !== 2) return unknown('malformed Fn::Equals');
    return equals(evaluateChoosing(arg[0], scope, depth, budget), evaluateChoosing(arg[1], scope, depth, budget));
  }
  if (name === 'Fn::Not' || name === 'Fn::And' || name === 'Fn::Or') {
    if (!Array.isArray(arg) || arg.length === 0) return unknown(`malformed ${name}`);
    const operands = arg.map((a) => conditionWithin(a, scope, depth + 1, budget));
    const parameters = operands.reduce<string[]>((all, o) => mergeParameters(all, o.parameters), []);
    const answers = operands.map((o) => o.answer);
    if (name === 'Fn::Not') {
      return { answer: typeof answers[0] === 'boolean' ? !answers[0] : answers[0], parameters };
    }
    const decisive = name === 'Fn::And' ? false : true;
    if (answers.includes(decisive)) return { answer: decisive, parameters };
    const unknownAnswer = answers.find((a): a is UnknownValue => a instanceof UnknownValue);
    return { answer: unknownAnswer ?? !decisive, parameters };
  }
  return unknown('a condition in a form the pack does not read');
}

/** `Fn::Equals` over every form of its two sides: CloudFormation compares them as strings. */
function equals(left: Branch[], right: Branch[]): Condition {
  let answer: boolean | undefined;
  let parameters: string[] = [];
  for (const l of left) {
    for (const r of right) {
      parameters = mergeParameters(parameters, mergeParameters(l.parameters, r.parameters));
      const a = comparable(l.value);
      const b = comparable(r.value);
      if (a instanceof UnknownValue) return { answer: a, parameters };
      if (b instanceof UnknownValue) return { answer: b, parameters };
      const equal = a === b;
      if (answer !== undefined && answer !== equal) return { answer: new UnknownValue('a condition whose inputs take several forms'), parameters };
      answer = equal;
    }
  }
  return { answer: answer ?? new UnknownValue('a condition with no inputs'), parameters };
}

function comparable(value: Value): string | UnknownValue {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (value instanceof ResourceReference || value instanceof Expression) return new UnknownValue('a condition on a value known only at deploy time');
  if (value === undefined) return new UnknownValue('a condition on an absent value');
  return typeof value === 'string' ? value : JSON.stringify(value);
}
