/*
 * The scale benchmark (issue 9): plain synthesis, SecureAiChecks and cdk-nag's AwsSolutionsChecks on the same
 * generated AI-platform apps (bench/platform-mix.ts) of 500 to 8,000 resources, split into stacks of at most 425
 * resources, plus SecureAiChecks alone with everything in one stack. Each measurement runs in its own child process
 * (so its peak RSS is its own), times the median of RUNS runs, and excludes building the construct tree.
 *
 * Each pack is measured two ways: called directly with `validateScope(app)` (how tests call it: the pack renders
 * every resource itself), and registered with `Validations.of(app).addPlugins` and run by the CDK inside `app.synth()`
 * (how apps use it). Inside synthesis the time of the pack's own `validate` is recorded, and so is the whole synthesis,
 * which also holds the CDK's own handling of the report (formatting it, writing validation-report.json). Besides wall
 * time each run records the process's CPU time, which other load on the machine disturbs less. Of SecureAiChecks inside
 * synthesis it also records what no load moves: the rule checks it ran, its findings and violations, and the size of
 * each file it wrote.
 *
 *   npx projen bench        (ts-node --transpile-only bench/scale.ts)
 *
 * Prints tables and growth exponents and writes bench/results.json. Budget: under 5 minutes on 2 cores; at 8,000
 * resources each tool is measured only when its 4,000-resource measurement suggests it fits (the output names those
 * left out).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, PolicyValidationPluginReport, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';
import { platformUnit, UNIT_SIZE, UNITS_PER_STACK } from './platform-mix';
import { BenchResults, Measurement, OUTPUT_FILES, PackOutput, renderTables, Tool } from './results-tables';
import { cpuMs, median } from './statistics';
import { METADATA_KEYS } from '../src/nag/findings';
import { SecureAiChecks } from '../src/nag/secure-ai-checks';

interface ChildResult {
  readonly runsMs: number[];
  readonly runsCpuMs: number[];
  readonly synthRunsMs?: number[];
  readonly readRunsMs?: number[];
  readonly artefactRunsMs?: number[];
  readonly artefactRunsCpuMs?: number[];
  output?: PackOutput;
  readonly peakRssMb: number;
}

const RUNS = 3;
const SIZES = [500, 1000, 2000, 4000];
const LARGE = 8000;
const BUDGET_S = 240; // leaves a minute of the five for start-up and slack
const SINGLE_STACK = 1e9;

/** Runs one measurement in this process: the median of `runs` runs of one tool on a freshly built app each time. */
function child(tool: Tool, resources: number, unitsPerStack: number, runs: number): void {
  const units = resources / UNIT_SIZE;
  const result: ChildResult = {
    runsMs: [],
    runsCpuMs: [],
    synthRunsMs: tool.endsWith('-in-synth') ? [] : undefined,
    readRunsMs: tool === 'secureai-in-synth' ? [] : undefined,
    artefactRunsMs: tool === 'secureai-in-synth' ? [] : undefined,
    artefactRunsCpuMs: tool === 'secureai-in-synth' ? [] : undefined,
    peakRssMb: 0,
  };
  for (let r = 0; r < runs; r++) {
    const outdir = tool === 'synth' || tool.endsWith('-in-synth') ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')) : undefined;
    const app = typedPlatformApp(units, unitsPerStack, new App({ outdir }));
    if (tool.endsWith('-in-synth')) {
      inSynthesis(tool, app, result);
    } else {
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      if (tool === 'synth') app.synth();
      else if (tool === 'secureai') new SecureAiChecks().validateScope(app);
      else new AwsSolutionsChecks().validateScope(app);
      result.runsMs.push(Number(process.hrtime.bigint() - start) / 1e6);
      result.runsCpuMs.push(cpuMs(process.cpuUsage(cpu)));
    }
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify({ ...result, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

/**
 * Registers the pack as the app's validation plugin and synthesizes: records the pack's own `validate` and the whole
 * synthesis. The mix has findings of both packs, so synthesis fails as the CDK's default asks; the report the CDK
 * prints is left out of the output (its formatting is still timed). Within SecureAiChecks' `validate`, writing the
 * AI bill of materials and the threat model is timed apart: the rest is the checks, which other packs compare with.
 */
function inSynthesis(tool: Tool, app: App, result: ChildResult): void {
  const pack = tool === 'secureai-in-synth' ? timedArtefacts(new SecureAiChecks(), result) : new AwsSolutionsChecks();
  const validate = pack.validate.bind(pack);
  let templatePaths: readonly string[] = [];
  let report: PolicyValidationPluginReport | undefined;
  pack.validate = (context) => {
    templatePaths = context.templatePaths;
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    try {
      report = validate(context);
      return report;
    } finally {
      result.runsMs.push(Number(process.hrtime.bigint() - start) / 1e6);
      result.runsCpuMs.push(cpuMs(process.cpuUsage(cpu)));
    }
  };
  Validations.of(app).addPlugins(pack);
  const write = process.stderr.write;
  process.stderr.write = () => true;
  const start = process.hrtime.bigint();
  try {
    app.synth();
  } catch (e) {
    if ((e as Error).name !== 'ValidationFailed') throw e;
  } finally {
    result.synthRunsMs!.push(Number(process.hrtime.bigint() - start) / 1e6);
    process.stderr.write = write;
  }
  // After synthesis, so that the whole-synthesis time does not include it.
  if (result.readRunsMs) result.readRunsMs.push(timeToRead(templatePaths));
  if (pack instanceof SecureAiChecks && report) result.output = packOutput(pack, report, app.outdir);
}

/** What the pack's run did and the sizes of the files it wrote into `outdir`. */
function packOutput(pack: SecureAiChecks, report: PolicyValidationPluginReport, outdir: string): PackOutput {
  const findings = JSON.parse(report.metadata?.[METADATA_KEYS.findings] ?? '[]') as unknown[];
  return {
    ruleChecks: pack._statistics?.ruleInvocations ?? 0,
    findings: findings.length,
    violations: report.violations.length,
    bytes: Object.fromEntries(OUTPUT_FILES.map((file) => [file, fs.statSync(path.join(outdir, file)).size])),
  };
}

/** The pack, with the step of its `validate` that writes the BOM and the threat model timed into `result`. */
function timedArtefacts(pack: SecureAiChecks, result: ChildResult): SecureAiChecks {
  // The step is private to the pack; the benchmark reaches it as it reaches `validate`, by replacing it on the instance.
  // eslint-disable-next-line dot-notation
  const write = pack['writeArtefacts'].bind(pack);
  // eslint-disable-next-line dot-notation
  pack['writeArtefacts'] = (...args) => {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    try {
      write(...args);
    } finally {
      result.artefactRunsMs!.push(Number(process.hrtime.bigint() - start) / 1e6);
      result.artefactRunsCpuMs!.push(cpuMs(process.cpuUsage(cpu)));
    }
  };
  return pack;
}

/** Milliseconds to read and parse the templates: the floor of a pack that reads what the CDK wrote. */
function timeToRead(templatePaths: readonly string[]): number {
  const start = process.hrtime.bigint();
  for (const file of templatePaths) JSON.parse(fs.readFileSync(file, 'utf-8'));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * The mix as typed L1 constructs (CfnBucket, CfnKey, ...) through cloudformation-include: cdk-nag's rules test
 * `node instanceof CfnBucket`, so on the generic CfnResource of test/nag/harness.ts they would skip almost everything
 * and AwsSolutionsChecks would look far cheaper than it is.
 */
function typedPlatformApp(units: number, unitsPerStack: number, app: App): App {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-templates-'));
  const perStack = Math.min(unitsPerStack, units);
  for (let first = 0, s = 0; first < units; first += perStack, s++) {
    const Resources = {};
    for (let n = first; n < Math.min(units, first + perStack); n++) Object.assign(Resources, platformUnit(n));
    const templateFile = path.join(dir, `Platform${s}.json`);
    fs.writeFileSync(templateFile, JSON.stringify({ Resources }));
    new CfnInclude(new Stack(app, `Platform${s}`), 'Template', { templateFile });
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return app;
}

function measure(series: Measurement['series'], tool: Tool, resources: number): Measurement {
  const unitsPerStack = series === 'split' ? UNITS_PER_STACK : SINGLE_STACK;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, 'child', tool, String(resources), String(unitsPerStack), String(RUNS)], {
    env: { ...process.env, CDK_VALIDATION: 'false', TS_NODE_TRANSPILE_ONLY: 'true' },
    encoding: 'utf-8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const { runsMs, runsCpuMs, synthRunsMs, readRunsMs, artefactRunsMs, artefactRunsCpuMs, output, peakRssMb } = JSON.parse(out) as ChildResult;
  // The checks of each run: its `validate` less the BOM and threat model it wrote.
  const checksRunsMs = artefactRunsMs?.map((ms, i) => runsMs[i] - ms);
  const checksRunsCpuMs = artefactRunsCpuMs?.map((ms, i) => runsCpuMs[i] - ms);
  const units = resources / UNIT_SIZE;
  const stacks = Math.ceil(units / Math.min(unitsPerStack, units));
  const m: Measurement = {
    series,
    tool,
    resources,
    stacks,
    runsMs,
    medianMs: median(runsMs),
    runsCpuMs,
    medianCpuMs: median(runsCpuMs),
    synthRunsMs,
    synthMedianMs: synthRunsMs ? median(synthRunsMs) : undefined,
    readRunsMs,
    readMedianMs: readRunsMs ? median(readRunsMs) : undefined,
    checksRunsMs,
    checksMedianMs: checksRunsMs ? median(checksRunsMs) : undefined,
    checksMedianCpuMs: checksRunsCpuMs ? median(checksRunsCpuMs) : undefined,
    artefactRunsMs,
    artefactMedianMs: artefactRunsMs ? median(artefactRunsMs) : undefined,
    artefactMedianCpuMs: artefactRunsCpuMs ? median(artefactRunsCpuMs) : undefined,
    output,
    peakRssMb,
  };
  const synth = m.synthMedianMs !== undefined ? `, whole synthesis ${m.synthMedianMs.toFixed(0)} ms` : '';
  const split = m.checksMedianMs !== undefined && m.artefactMedianMs !== undefined
    ? ` (checks ${m.checksMedianMs.toFixed(0)} ms, BOM and threat model ${m.artefactMedianMs.toFixed(0)} ms)` : '';
  process.stderr.write(`  ${series} ${tool} ${resources}: ${m.medianMs.toFixed(0)} ms${split} (CPU ${m.medianCpuMs.toFixed(0)} ms)${synth}, ${m.peakRssMb.toFixed(0)} MB\n`);
  return m;
}

/** Growth exponent between two sizes: time ∝ n^k. */
function exponent(a: Measurement, b: Measurement): number {
  return Math.log(b.medianMs / a.medianMs) / Math.log(b.resources / a.resources);
}

/** Growth exponent fitted over all sizes: least squares slope of log time on log size. */
function fittedExponent(ms: Measurement[]): number {
  const xs = ms.map((m) => Math.log(m.resources));
  const ys = ms.map((m) => Math.log(m.medianMs));
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  const num = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0);
  const den = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  return num / den;
}

function main(): void {
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  const tools: Tool[] = ['synth', 'secureai', 'awssolutions', 'secureai-in-synth', 'awssolutions-in-synth'];
  const results: Measurement[] = [];
  const notes: string[] = [];
  process.stderr.write(`scale benchmark: ${RUNS} runs per measurement, one child process per measurement\n`);

  // Seconds each tool's measurement took at the largest regular size: what the 8,000 size is estimated from.
  const secondsAtLargest = new Map<Tool, number>();
  for (const size of SIZES) {
    for (const tool of tools) {
      const t = elapsed();
      results.push(measure('split', tool, size));
      secondsAtLargest.set(tool, elapsed() - t);
    }
  }
  for (const size of SIZES) results.push(measure('single-stack', 'secureai', size));
  // Linear tools double from 4,000 to 8,000 (building the app included); 2.5× the 4,000 measurement is the estimate.
  // Most telling first: the packs as apps run them, then plain synthesis, then the packs called directly.
  const dropped: string[] = [];
  for (const tool of ['secureai-in-synth', 'awssolutions-in-synth', 'synth', 'secureai', 'awssolutions'] as Tool[]) {
    const estimate = 2.5 * (secondsAtLargest.get(tool) ?? 0);
    if (elapsed() + estimate <= BUDGET_S) results.push(measure('split', tool, LARGE));
    else dropped.push(`${tool} (at ${elapsed().toFixed(0)} s, ~${estimate.toFixed(0)} s more)`);
  }
  if (dropped.length > 0) notes.push(`8,000 resources not measured for ${dropped.join(', ')}: it would exceed the ${BUDGET_S} s budget`);

  const of = (series: Measurement['series'], tool: Tool) => results.filter((m) => m.series === series && m.tool === tool);
  const exponents: Record<string, { largest: number; fitted: number }> = {};
  const seriesList: Array<[string, Measurement[]]> = [
    ['Synthesis (split)', of('split', 'synth')],
    ['SecureAiChecks validateScope (split)', of('split', 'secureai')],
    ['AwsSolutionsChecks validateScope (split)', of('split', 'awssolutions')],
    ['SecureAiChecks in synthesis (split)', of('split', 'secureai-in-synth')],
    ['AwsSolutionsChecks in synthesis (split)', of('split', 'awssolutions-in-synth')],
    ['SecureAiChecks validateScope (one stack)', of('single-stack', 'secureai')],
  ];
  for (const [name, ms] of seriesList) exponents[name] = { largest: exponent(ms[ms.length - 2], ms[ms.length - 1]), fitted: fittedExponent(ms) };
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}`, totalMemoryMb: Math.round(os.totalmem() / 2 ** 20) };
  const written: BenchResults & Record<string, unknown> = {
    date: new Date().toISOString(),
    machine,
    loadAverage: os.loadavg(),
    runs: RUNS,
    unitSize: UNIT_SIZE,
    unitsPerStack: UNITS_PER_STACK,
    notes,
    exponents,
    measurements: results,
    totalSeconds: elapsed(),
  };
  fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify(written, undefined, 2) + '\n');
  const load = os.loadavg().map((l) => l.toFixed(1)).join(', ');
  process.stdout.write(`${renderTables(written)}\n\nLoad average at the end ${load}. Total ${elapsed().toFixed(0)} s.\n`);
}

if (process.argv[2] === 'child') {
  child(process.argv[3] as Tool, Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6]));
} else {
  main();
}
