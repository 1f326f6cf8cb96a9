import { RuleResult, Verdict } from './checks';
import { deployableDefault } from './intrinsics';
import { ParameterUse, ResourceIndex } from './resource-index';
import { describe, Value } from './values';

/** Other allowed values of one parameter with which a rule fails a resource that it does not fail with the default. */
export interface FailingAlternatives {
  readonly parameter: string;
  /** The parameter's `Default` as written (undefined when it has none). */
  readonly defaultValue: Value;
  /** Whether that default deploys: false when there is none, or when the `AllowedValues` leave it out. */
  readonly defaultDeploys: boolean;
  readonly values: readonly Value[];
  /** The rule's result with the first of those values. */
  readonly result: RuleResult;
}

/** No failing alternatives: shared, never changed (most judgements read no parameter). */
const NO_ALTERNATIVES: readonly FailingAlternatives[] = Object.freeze([]);

/**
 * Judges a resource as it deploys with the parameters' defaults, then, unless that already fails, once more with each
 * other allowed value of each parameter whose default decided a value the judgement read. A parameter is a choice
 * the template leaves to whoever deploys it: its default is what deploys unless someone chooses, and the other
 * allowed values are what they may choose. A parameter without a default is unknown, not enumerated.
 * @param judge the rule's judgement of the resource, reading it through the index
 */
export function judgeWithAlternatives(index: ResourceIndex, judge: () => RuleResult):
{ result: RuleResult; alternatives: readonly FailingAlternatives[] } {
  const recorded = index.recording(judge);
  let result = recorded.result;
  if (result.verdict === Verdict.NON_COMPLIANT || recorded.parameters.length === 0) return { result, alternatives: NO_ALTERNATIVES };
  const alternatives: FailingAlternatives[] = [];
  for (const use of recorded.parameters) {
    const tried = tryAllowedValues(index, use, judge);
    if (!tried) continue;
    if (tried.failing) alternatives.push(tried.failing);
    // A parameter without a default that deploys, which the rule could not judge, every allowed value of which
    // passes: whatever is chosen passes.
    else if (result.verdict === Verdict.UNVERIFIABLE && tried.withoutDefault && tried.passing) result = tried.passing;
  }
  return { result, alternatives };
}

/** The rule's results with each allowed value of a parameter other than its default. */
function tryAllowedValues(index: ResourceIndex, use: ParameterUse, judge: () => RuleResult):
{ failing?: FailingAlternatives; passing?: RuleResult; withoutDefault: boolean } | undefined {
  const definition = use.stack.parameters.get(use.parameter);
  const allowed = definition?.AllowedValues;
  if (!definition || !Array.isArray(allowed)) return undefined;
  const defaultValue = deployableDefault(definition);
  const withoutDefault = defaultValue === undefined;
  const values: Value[] = [];
  let first: RuleResult | undefined;
  let passing: RuleResult | undefined;
  let allPass = true;
  for (const value of allowed) {
    // CloudFormation passes parameter values as strings: "true" and true are the same choice.
    if (!withoutDefault && String(value) === String(defaultValue)) continue;
    let result: RuleResult;
    try {
      result = index.assuming(use, value, judge);
    } catch {
      // A rule that throws on an assumed value is reported by the run with the default, if at all.
      allPass = false;
      continue;
    }
    if (result.verdict === Verdict.COMPLIANT || result.verdict === Verdict.NOT_APPLICABLE) {
      if (passing?.verdict !== Verdict.COMPLIANT) passing = result;
      continue;
    }
    allPass = false;
    if (result.verdict !== Verdict.NON_COMPLIANT) continue;
    values.push(value);
    first ??= result;
  }
  return {
    failing: first
      ? { parameter: use.parameter, defaultValue: definition.Default, defaultDeploys: !withoutDefault, values, result: first }
      : undefined,
    passing: allPass ? passing : undefined,
    withoutDefault,
  };
}

/** The message of a `[parameter]` finding: the parameter, the values that fail, and why the first one does. */
export function alternativesMessage(found: FailingAlternatives): string {
  const values = found.values.map(describe).join(', ');
  const choice = found.defaultDeploys ? `defaults to ${describe(found.defaultValue)}, but also allows`
    : found.defaultValue === undefined ? 'has no default and allows'
      : `defaults to ${describe(found.defaultValue)}, which is not among its AllowedValues; of those it allows`;
  return `parameter ${found.parameter} ${choice} ${values}; with `
    + `${found.values.length > 1 ? describe(found.values[0]) : 'it'}: ${found.result.message ?? 'the rule fails'}`;
}
