import { RuleResult, Verdict } from './checks';
import { deployableDefault, ParameterDefinition } from './intrinsics';
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
  /** Where no other value of this parameter fails alone: the other parameter's value with which the first one fails. */
  readonly together?: { readonly parameter: string; readonly value: Value; readonly defaultValue: Value; readonly defaultDeploys: boolean };
}

/** No failing alternatives: shared, never changed (most judgements read no parameter). */
export const NO_ALTERNATIVES: readonly FailingAlternatives[] = Object.freeze([]);

/**
 * Past this many runs of a rule on one resource with two parameters' other values together, the pairs left are not
 * tried: bounds the work on templates with many parameters, which pairs would make quadratic.
 */
export const MAX_JOINT_RUNS = 64;

/** A value assumed for a parameter, as a key: tells one pair of choices from another. */
function choiceKey(use: ParameterUse, value: Value): string {
  return `${use.stack.stackPath}\u0000${use.parameter}\u0000${String(value)}`;
}

/** The other allowed values of a parameter (every allowed value when it has no default that deploys). */
function otherValues(use: ParameterUse): { definition: ParameterDefinition; values: unknown[]; defaultValue: unknown } | undefined {
  const definition = use.stack.parameters.get(use.parameter);
  const allowed = definition?.AllowedValues;
  if (!definition || !Array.isArray(allowed)) return undefined;
  const defaultValue = deployableDefault(definition);
  // CloudFormation passes parameter values as strings: "true" and true are the same choice.
  const values = defaultValue === undefined ? allowed : allowed.filter((v) => String(v) !== String(defaultValue));
  return { definition, values, defaultValue };
}

/**
 * Judges a resource as it deploys with the parameters' defaults, then, unless that already fails, once more with each
 * other allowed value of each parameter whose default decided a value the judgement read. A parameter is a choice
 * the template leaves to whoever deploys it: its default is what deploys unless someone chooses, and the other
 * allowed values are what they may choose, one parameter at a time or, where none fails alone, two together (see
 * {@link tryAllowedValues}). A parameter without a default is unknown in the first run; its allowed values are
 * each tried, and where all of them pass, so does the resource.
 * @param judge the rule's judgement of the resource, reading it through the index
 */
export function judgeWithAlternatives(index: ResourceIndex, judge: () => RuleResult):
{ result: RuleResult; alternatives: readonly FailingAlternatives[] } {
  // Without a parameter that lists other values there is nothing to try: the judgement need not record what it reads.
  if (!index.offersChoices) return { result: judge(), alternatives: NO_ALTERNATIVES };
  const recorded = index.recording(judge);
  let result = recorded.result;
  if (result.verdict === Verdict.NON_COMPLIANT || recorded.parameters.length === 0) return { result, alternatives: NO_ALTERNATIVES };
  const alternatives: FailingAlternatives[] = [];
  const joint: JointSearch = { runs: MAX_JOINT_RUNS, reported: new Set() };
  for (const use of recorded.parameters) {
    const tried = tryAllowedValues(index, use, judge, joint);
    if (!tried) continue;
    if (tried.failing) alternatives.push(tried.failing);
    // A parameter without a default that deploys, which the rule could not judge, every allowed value of which
    // passes: whatever is chosen passes.
    else if (result.verdict === Verdict.UNVERIFIABLE && tried.withoutDefault && tried.passing) result = tried.passing;
  }
  return { result, alternatives };
}

/** The pairs of choices tried for one judgement: how many runs are left, and the pairs already reported. */
interface JointSearch {
  runs: number;
  readonly reported: Set<string>;
}

/**
 * The rule's results with each allowed value of a parameter other than its default. Where none fails alone, the
 * values are tried once more together with each other allowed value of the parameters the rule then read: a
 * resource created only with one parameter's other value may fail only with another's (a domain created only in
 * dev whose network is a parameter of its own), and two conditions joined by `Fn::Or` fail only when both change.
 */
function tryAllowedValues(index: ResourceIndex, use: ParameterUse, judge: () => RuleResult, joint: JointSearch):
{ failing?: FailingAlternatives; passing?: RuleResult; withoutDefault: boolean } | undefined {
  const others = otherValues(use);
  if (!others) return undefined;
  const { definition, defaultValue } = others;
  const withoutDefault = defaultValue === undefined;
  const values: Value[] = [];
  let first: RuleResult | undefined;
  let passing: RuleResult | undefined;
  let allPass = true;
  /** Values that did not fail alone, with the other parameters the rule read with each. */
  const notFailing: Array<{ value: Value; partners: readonly ParameterUse[] }> = [];
  for (const value of others.values) {
    let run: { result: RuleResult; parameters: readonly ParameterUse[] };
    try {
      run = index.assuming(use, value, () => index.recording(judge));
    } catch {
      // A rule that throws on an assumed value is reported by the run with the default, if at all.
      allPass = false;
      continue;
    }
    const result = run.result;
    if (result.verdict !== Verdict.NON_COMPLIANT) {
      notFailing.push({ value, partners: run.parameters.filter((p) => p.stack !== use.stack || p.parameter !== use.parameter) });
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
  const own = { parameter: use.parameter, defaultValue: definition.Default, defaultDeploys: !withoutDefault };
  const failing: FailingAlternatives | undefined = first ? { ...own, values, result: first } : tryTogether(index, use, notFailing, judge, joint, own);
  return { failing, passing: allPass ? passing : undefined, withoutDefault };
}

/** The first pair of this parameter's value and another's with which the rule fails, not reported already. */
function tryTogether(index: ResourceIndex, use: ParameterUse, notFailing: ReadonlyArray<{ value: Value; partners: readonly ParameterUse[] }>,
  judge: () => RuleResult, joint: JointSearch, own: Pick<FailingAlternatives, 'parameter' | 'defaultValue' | 'defaultDeploys'>):
  FailingAlternatives | undefined {
  for (const { value, partners } of notFailing) {
    for (const partner of partners) {
      const others = otherValues(partner);
      if (!others) continue;
      for (const other of others.values) {
        const pair = [choiceKey(use, value), choiceKey(partner, other)].sort().join('\u0002');
        if (joint.reported.has(pair)) continue;
        if (--joint.runs < 0) return undefined;
        let result: RuleResult;
        try {
          result = index.assuming(use, value, () => index.assuming(partner, other, judge));
        } catch {
          continue;
        }
        if (result.verdict !== Verdict.NON_COMPLIANT) continue;
        joint.reported.add(pair);
        const together = {
          parameter: partner.parameter, value: other, defaultValue: others.definition.Default, defaultDeploys: others.defaultValue !== undefined,
        };
        return { ...own, values: [value], result, together };
      }
    }
  }
  return undefined;
}

/** The message of a `[parameter]` finding: the parameter, the values that fail, and why the first one does. */
export function alternativesMessage(found: FailingAlternatives): string {
  const values = found.values.map(describe).join(', ');
  const choice = found.defaultDeploys ? `defaults to ${describe(found.defaultValue)}, but also allows`
    : found.defaultValue === undefined ? 'has no default and allows'
      : `defaults to ${describe(found.defaultValue)}, which is not among its AllowedValues; of those it allows`;
  const partner = found.together;
  const also = partner ? ` and parameter ${partner.parameter} = ${describe(partner.value)} (which `
    + `${partner.defaultDeploys ? `defaults to ${describe(partner.defaultValue)}` : 'has no default that deploys'})` : '';
  return `parameter ${found.parameter} ${choice} ${values}; with `
    + `${found.values.length > 1 ? describe(found.values[0]) : 'it'}${also}: ${found.result.message ?? 'the rule fails'}`;
}
