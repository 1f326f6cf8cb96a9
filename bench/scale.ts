/*
 * The scale benchmark (issue 9): plain synthesis, SecureAiChecks and cdk-nag's AwsSolutionsChecks on the same
 * generated AI-platform apps (bench/platform-mix.ts) of 500 to 8,000 resources, split into stacks of at most 425
 * resources, plus SecureAiChecks alone with everything in one stack. Each measurement runs in its own child process
 * (so its peak RSS is its own), times the median of RUNS runs, and excludes building the construct tree.
 *
 *   npx projen bench        (ts-node --transpile-only bench/scale.ts)
 *
 * Prints a table and growth exponents and writes bench/results.json. Budget: under 5 minutes on 2 cores; the
 * 8,000-resource size is dropped (and the output says so) when the smaller sizes suggest it would not fit.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';
import { platformUnit, UNIT_SIZE, UNITS_PER_STACK } from './platform-mix';
import { SecureAiChecks } from '../src/nag/secure-ai-checks';

type Tool = 'synth' | 'secureai' | 'awssolutions';

interface Measurement {
  readonly series: 'split' | 'single-stack';
  readonly tool: Tool;
  readonly resources: number;
  readonly stacks: number;
  readonly runsMs: number[];
  readonly medianMs: number;
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
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const outdir = tool === 'synth' ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')) : undefined;
    const app = typedPlatformApp(units, unitsPerStack, new App({ outdir }));
    const start = process.hrtime.bigint();
    if (tool === 'synth') app.synth();
    else if (tool === 'secureai') new SecureAiChecks().validateScope(app);
    else new AwsSolutionsChecks().validateScope(app);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify({ runsMs: times, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(series: Measurement['series'], tool: Tool, resources: number): Measurement {
  const unitsPerStack = series === 'split' ? UNITS_PER_STACK : SINGLE_STACK;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, 'child', tool, String(resources), String(unitsPerStack), String(RUNS)], {
    env: { ...process.env, CDK_VALIDATION: 'false', TS_NODE_TRANSPILE_ONLY: 'true' },
    encoding: 'utf-8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const { runsMs, peakRssMb } = JSON.parse(out) as { runsMs: number[]; peakRssMb: number };
  const units = resources / UNIT_SIZE;
  const stacks = Math.ceil(units / Math.min(unitsPerStack, units));
  const m: Measurement = { series, tool, resources, stacks, runsMs, medianMs: median(runsMs), peakRssMb };
  process.stderr.write(`  ${series} ${tool} ${resources}: ${m.medianMs.toFixed(0)} ms, ${m.peakRssMb.toFixed(0)} MB\n`);
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
  const tools: Tool[] = ['synth', 'secureai', 'awssolutions'];
  const results: Measurement[] = [];
  const notes: string[] = [];
  process.stderr.write(`scale benchmark: ${RUNS} runs per measurement, one child process per measurement\n`);

  let lastSizeSeconds = 0;
  for (const size of SIZES) {
    const t = elapsed();
    for (const tool of tools) results.push(measure('split', tool, size));
    lastSizeSeconds = elapsed() - t;
  }
  for (const size of SIZES) results.push(measure('single-stack', 'secureai', size));
  // Linear tools double from 4,000 to 8,000; AwsSolutions grows faster. 2.5× the 4,000 size is the estimate.
  if (elapsed() + 2.5 * lastSizeSeconds <= BUDGET_S) {
    for (const tool of tools) results.push(measure('split', tool, LARGE));
  } else {
    notes.push(`8,000 resources dropped: at ${elapsed().toFixed(0)} s, the estimate (${(2.5 * lastSizeSeconds).toFixed(0)} s more) would exceed the ${BUDGET_S} s budget`);
  }

  const of = (series: Measurement['series'], tool: Tool) => results.filter((m) => m.series === series && m.tool === tool);
  const sizes = [...new Set(of('split', 'synth').map((m) => m.resources))];
  const cell = (m?: Measurement) => (m ? `${m.medianMs.toFixed(0)} ms / ${m.peakRssMb.toFixed(0)} MB` : '-');
  const lines: string[] = [];
  lines.push('| Resources | Stacks | Synthesis | SecureAiChecks | AwsSolutionsChecks | SecureAI / AwsSolutions | SecureAI / synthesis | SecureAI, one stack |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of sizes) {
    const synth = of('split', 'synth').find((m) => m.resources === n);
    const secure = of('split', 'secureai').find((m) => m.resources === n);
    const aws = of('split', 'awssolutions').find((m) => m.resources === n);
    const single = of('single-stack', 'secureai').find((m) => m.resources === n);
    const ratio = (a?: Measurement, b?: Measurement) => (a && b ? `${(a.medianMs / b.medianMs).toFixed(2)}×` : '-');
    lines.push(`| ${n.toLocaleString('en-GB')} | ${synth?.stacks ?? '-'} | ${cell(synth)} | ${cell(secure)} | ${cell(aws)} | ${ratio(secure, aws)} | ${ratio(secure, synth)} | ${cell(single)} |`);
  }
  lines.push('');
  lines.push('Times are medians of ' + RUNS + ' runs; memory is the peak RSS of the measuring process (app construction included).');
  lines.push('');
  lines.push('| Series | Exponent, two largest sizes | Exponent fitted over all sizes |');
  lines.push('|---|---:|---:|');
  const exponents: Record<string, { largest: number; fitted: number }> = {};
  const seriesList: Array<[string, Measurement[]]> = [
    ['Synthesis (split)', of('split', 'synth')],
    ['SecureAiChecks (split)', of('split', 'secureai')],
    ['AwsSolutionsChecks (split)', of('split', 'awssolutions')],
    ['SecureAiChecks (one stack)', of('single-stack', 'secureai')],
  ];
  for (const [name, ms] of seriesList) {
    const largest = exponent(ms[ms.length - 2], ms[ms.length - 1]);
    const fitted = fittedExponent(ms);
    exponents[name] = { largest, fitted };
    lines.push(`| ${name} | ${largest.toFixed(2)} | ${fitted.toFixed(2)} |`);
  }
  for (const note of notes) lines.push('', `Note: ${note}.`);
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}`, totalMemoryMb: Math.round(os.totalmem() / 2 ** 20) };
  lines.push('', `Machine: ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}, ${machine.platform}. Total ${elapsed().toFixed(0)} s.`);
  process.stdout.write(lines.join('\n') + '\n');

  fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify({
    date: new Date().toISOString(),
    machine,
    runs: RUNS,
    unitSize: UNIT_SIZE,
    unitsPerStack: UNITS_PER_STACK,
    notes,
    exponents,
    measurements: results,
    totalSeconds: elapsed(),
  }, undefined, 2) + '\n');
}

if (process.argv[2] === 'child') {
  child(process.argv[3] as Tool, Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6]));
} else {
  main();
}
