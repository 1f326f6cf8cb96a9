import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Validations } from 'aws-cdk-lib';
import { countingRuleLookups, RuleLookups } from './rule-lookups';
import { platformApp, UNIT_SIZE } from '../../bench/platform-mix';
import { OUTPUT_FILES } from '../../bench/results-tables';
import { CATALOGUE } from '../../src/nag/catalogue';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';

/*
 * Linearity, proven by counting rather than timing: the same mix of AI-platform resources (bench/platform-mix.ts),
 * with its cross-references, at 1×, 4× and 16× the size. A linear pack does a fixed amount of work per resource
 * added, so the marginal count per added resource (rule invocations, index look-ups, evaluations) is the same from
 * 1× to 4× as from 4× to 16×. A rule that scans the app per resource shows up as a marginal count that grows.
 * Rendering a resource (resolving its tokens) is counted too: once per resource called directly, however many rules
 * read it, and not at all inside synthesis, where the pack reads the templates the CDK has just written. Inside
 * synthesis the files the pack writes are measured too: bytes per resource added are the same at every size.
 */

const SIZES = [2, 8, 32]; // units: 50, 200 and 800 resources
const UNITS_PER_STACK = 17; // 425 resources per stack, as real apps are split

interface Counts {
  readonly resources: number;
  readonly lookups: number;
  readonly evaluations: number;
  readonly ruleInvocations: number;
  /** Resources rendered by the pack (CfnResource `_toCloudFormation` calls during the run). */
  readonly renders: number;
  /** Index look-ups made inside each rule's checks, and how often the rule was called, by rule ID. */
  readonly perRule: Map<string, RuleLookups>;
  /** Inside synthesis: bytes of each file the pack wrote into the cloud assembly, by name. */
  readonly written: Map<string, number>;
}

/**
 * Runs the pack over an app, counting each rule's index look-ups by wrapping its check for the run: called directly
 * (`validateScope`), or registered on the app and run by the CDK inside synthesis.
 */
function count(units: number, unitsPerStack: number, entry: 'validateScope' | 'synthesis' = 'validateScope'): Counts {
  const { result, perRule } = countingRuleLookups(() => runPack(units, unitsPerStack, entry));
  return { ...result, perRule };
}

/** One run of the pack over the platform mix, with the resources it rendered and the files it wrote. */
function runPack(units: number, unitsPerStack: number, entry: 'validateScope' | 'synthesis'): Omit<Counts, 'perRule'> {
  const pack = new SecureAiChecks({ failOn: FailOn.NONE });
  let renders = 0;
  const written = new Map<string, number>();
  const counted = <T>(run: () => T): T => {
    const render = jest.spyOn(CfnResource.prototype as unknown as { _toCloudFormation(): object }, '_toCloudFormation');
    try {
      return run();
    } finally {
      renders += render.mock.calls.length;
      render.mockRestore();
    }
  };
  if (entry === 'validateScope') {
    counted(() => pack.validateScope(platformApp(units, unitsPerStack)));
  } else {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'linearity-'));
    const app = platformApp(units, unitsPerStack, new App({ outdir }));
    const validate = pack.validate.bind(pack);
    pack.validate = (context) => counted(() => validate(context));
    Validations.of(app).addPlugins(pack);
    const write = process.stderr.write;
    process.stderr.write = () => true; // the CDK prints the report of this non-compliant mix
    try {
      app.synth();
    } finally {
      process.stderr.write = write;
    }
    for (const file of OUTPUT_FILES) written.set(file, fs.statSync(path.join(outdir, file)).size);
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  return { ...pack._statistics!, renders, written };
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
  ['split into stacks of at most 425 resources', UNITS_PER_STACK, 'validateScope'],
  ['all in one stack', Number.POSITIVE_INFINITY, 'validateScope'],
  ['split, inside synthesis', UNITS_PER_STACK, 'synthesis'],
] as const)('SecureAiChecks over 50, 200 and 800 resources %s', (_name, unitsPerStack, entry) => {
  const series = SIZES.map((units) => count(units, unitsPerStack, entry));

  test('the apps are the sizes the test means', () => {
    expect(series.map((c) => c.resources)).toEqual(SIZES.map((u) => u * UNIT_SIZE));
  });

  test('rule invocations per resource are constant: rules are dispatched by type, not asked about every resource', () => {
    const perResource = series.map((c) => c.ruleInvocations / c.resources);
    expect(perResource[0]).toBeGreaterThan(1); // the rules ran
    expect(new Set(perResource).size).toBe(1);
  });

  test(entry === 'validateScope'
    ? 'each resource is rendered once, however many rules read it: tokens are resolved once per resource, not once per rule'
    : 'no resource is rendered again: the pack reads the templates the CDK wrote', () => {
    expect(series.map((c) => c.renders)).toEqual(series.map((c) => (entry === 'validateScope' ? c.resources : 0)));
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

  if (entry === 'synthesis') {
    // A finding is listed under every AI asset of the threat model it concerns: a message that named every resource of
    // a kind made the threat model grow with the square of the app. Names grow a digit with the app, hence 2%.
    test('the findings file, the AI bill of materials and the threat model grow by the same bytes per resource added', () => {
      const growing = OUTPUT_FILES
        .map((file) => ({ file, marginals: marginals(series, (c) => c.written.get(file)!) }))
        .filter(({ marginals: m }) => !(m[0] > 0 && Math.abs(m[1] - m[0]) <= 0.02 * m[0]));
      expect(growing).toEqual([]);
    });
  }
});
