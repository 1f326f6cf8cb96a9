import { platformApp, UNIT_SIZE } from '../../bench/platform-mix';
import { CATALOGUE } from '../../src/nag/catalogue';
import { RuleContext } from '../../src/nag/engine/secure-ai-rule';
import { SecureAiChecks } from '../../src/nag/secure-ai-checks';

/*
 * Linearity, proven by counting rather than timing: the same mix of AI-platform resources (bench/platform-mix.ts),
 * with its cross-references, at 1×, 4× and 16× the size. A linear pack does a fixed amount of work per resource
 * added, so the marginal count per added resource (rule invocations, index look-ups, evaluations) is the same from
 * 1× to 4× as from 4× to 16×. A rule that scans the app per resource shows up as a marginal count that grows.
 */

const SIZES = [2, 8, 32]; // units: 50, 200 and 800 resources
const UNITS_PER_STACK = 17; // 425 resources per stack, as real apps are split

interface Counts {
  readonly resources: number;
  readonly lookups: number;
  readonly evaluations: number;
  readonly ruleInvocations: number;
  /** Index look-ups made inside each rule's checks, and how often the rule was called, by rule ID. */
  readonly perRule: Map<string, { lookups: number; invocations: number }>;
}

/** Runs the pack over an app, counting each rule's index look-ups by wrapping its check for the run. */
function count(units: number, unitsPerStack: number): Counts {
  const perRule = new Map<string, { lookups: number; invocations: number }>();
  const originals = CATALOGUE.map((rule) => rule.check);
  CATALOGUE.forEach((rule, i) => {
    (rule as { check: typeof rule.check }).check = (resource, context: RuleContext) => {
      const before = context.index.statistics.lookups;
      try {
        return originals[i].call(rule, resource, context);
      } finally {
        const entry = perRule.get(rule.id) ?? { lookups: 0, invocations: 0 };
        entry.lookups += context.index.statistics.lookups - before;
        entry.invocations++;
        perRule.set(rule.id, entry);
      }
    };
  });
  try {
    const pack = new SecureAiChecks();
    pack.validateScope(platformApp(units, unitsPerStack));
    const stats = pack._statistics!;
    return { ...stats, perRule };
  } finally {
    CATALOGUE.forEach((rule, i) => { (rule as { check: typeof rule.check }).check = originals[i]; });
  }
}

/** The work per resource added between consecutive sizes: constant for a linear pack. */
function marginals(series: Counts[], work: (c: Counts) => number): number[] {
  const out: number[] = [];
  for (let i = 1; i < series.length; i++) {
    out.push((work(series[i]) - work(series[i - 1])) / (series[i].resources - series[i - 1].resources));
  }
  return out;
}

/** Whether every marginal is the first one, within 1% (and 0.01 absolute, for rules that do almost nothing). */
function constant(values: number[]): boolean {
  return values.every((v) => Math.abs(v - values[0]) <= Math.max(0.01, 0.01 * Math.abs(values[0])));
}

describe.each([
  ['split into stacks of at most 425 resources', UNITS_PER_STACK],
  ['all in one stack', Number.POSITIVE_INFINITY],
])('SecureAiChecks over 50, 200 and 800 resources %s', (_name, unitsPerStack) => {
  const series = SIZES.map((units) => count(units, unitsPerStack));

  test('the apps are the sizes the test means', () => {
    expect(series.map((c) => c.resources)).toEqual(SIZES.map((u) => u * UNIT_SIZE));
  });

  test('rule invocations per resource are constant: rules are dispatched by type, not asked about every resource', () => {
    const perResource = series.map((c) => c.ruleInvocations / c.resources);
    expect(perResource[0]).toBeGreaterThan(1); // the rules ran
    expect(new Set(perResource).size).toBe(1);
  });

  test('evaluations per resource are constant: each property path is evaluated once per resource', () => {
    const perResource = series.map((c) => c.evaluations / c.resources);
    expect(new Set(perResource).size).toBe(1);
  });

  test('index look-ups outside rule checks are constant per resource added', () => {
    const outside = (c: Counts) => c.lookups - [...c.perRule.values()].reduce((sum, r) => sum + r.lookups, 0);
    expect(constant(marginals(series, outside))).toBe(true);
  });

  test('every rule makes a constant number of look-ups per resource added: no rule scans the app per resource', () => {
    const growing = CATALOGUE
      .map((rule) => ({ id: rule.id, marginals: marginals(series, (c) => c.perRule.get(rule.id)?.lookups ?? 0) }))
      .filter((r) => !constant(r.marginals));
    expect(growing).toEqual([]);
  });

  test('index look-ups per resource added are constant for the whole pack', () => {
    expect(constant(marginals(series, (c) => c.lookups))).toBe(true);
  });
});
