/*
 * The performance figures of the README, rendered from what the benchmarks record: the tables from bench/results.json
 * (the scale benchmark), the platform example's paragraph from bench/platform-results.json. Each benchmark prints its
 * figures after a run, scripts/write-bench-tables.ts writes both into the README between their markers, and a test
 * fails when the README and the results disagree.
 */
import { AI_BOM_FILE } from '../src/bom/cyclonedx-bom';
import { FINDINGS_FILE } from '../src/nag/findings';
import { THREAT_MODEL_JSON_FILE, THREAT_MODEL_MARKDOWN_FILE } from '../src/threats/threat-model-files';

/** `synth`: plain synthesis. `secureai`, `awssolutions`: `validateScope(app)`. `…-in-synth`: the plugin inside `app.synth()`. */
export type Tool = 'synth' | 'secureai' | 'awssolutions' | 'secureai-in-synth' | 'awssolutions-in-synth';

/** The files SecureAI's `validate` writes into the cloud assembly, whose sizes the benchmark records. */
export const OUTPUT_FILES: readonly string[] = [FINDINGS_FILE, AI_BOM_FILE, THREAT_MODEL_JSON_FILE, THREAT_MODEL_MARKDOWN_FILE];

/** One measurement of bench/results.json. */
export interface Measurement {
  readonly series: 'split' | 'single-stack';
  readonly tool: Tool;
  readonly resources: number;
  readonly stacks: number;
  /** Wall time of what the tool measures: synthesis, `validateScope`, or the plugin's `validate` inside synthesis. */
  readonly runsMs: number[];
  readonly medianMs: number;
  /** CPU time of the process over the same span (all its threads, garbage collection included). */
  readonly runsCpuMs: number[];
  readonly medianCpuMs: number;
  /** For `…-in-synth`: wall time of the whole `app.synth()` with the plugin registered. */
  readonly synthRunsMs?: number[];
  readonly synthMedianMs?: number;
  /**
   * For `secureai-in-synth`: wall time of only reading and parsing the templates the CDK wrote (`JSON.parse` of each
   * file the CDK passes the plugin), the input any pack that reads them pays before it checks anything.
   */
  readonly readRunsMs?: number[];
  readonly readMedianMs?: number;
  /**
   * For `secureai-in-synth`: wall time of the pack's checks (its `validate` less writing the AI bill of materials and
   * the threat model), like for like with the other pack's `validate` and with runs from before the pack wrote them.
   */
  readonly checksRunsMs?: number[];
  readonly checksMedianMs?: number;
  readonly checksMedianCpuMs?: number;
  /** For `secureai-in-synth`: wall time of building and writing the AI bill of materials and the threat model. */
  readonly artefactRunsMs?: number[];
  readonly artefactMedianMs?: number;
  readonly artefactMedianCpuMs?: number;
  /** For `secureai-in-synth`: what the pack did and wrote in the last run. Load does not move it. */
  readonly output?: PackOutput;
  readonly peakRssMb: number;
}

/** What SecureAI's `validate` did inside synthesis, and the size of each file it wrote into the cloud assembly. */
export interface PackOutput {
  /** Rules run on resources (each rule on each resource of a type it judges). */
  readonly ruleChecks: number;
  /** Findings of the report, acknowledged ones included. */
  readonly findings: number;
  /** The CDK violations the findings are grouped into (one per rule, message and fix). */
  readonly violations: number;
  /** Bytes of each of {@link OUTPUT_FILES}, by name. */
  readonly bytes: Readonly<Record<string, number>>;
}

/** bench/results.json. */
export interface BenchResults {
  readonly date: string;
  readonly machine: { readonly cpus: number; readonly cpuModel?: string; readonly node: string; readonly platform: string };
  readonly runs: number;
  readonly notes: readonly string[];
  readonly exponents: Readonly<Record<string, { readonly largest: number; readonly fitted: number }>>;
  readonly measurements: readonly Measurement[];
}

/** bench/platform-results.json: what the pack adds to the synthesis of the reference platform example. */
export interface PlatformResults {
  readonly date: string;
  readonly machine: { readonly cpus: number; readonly node: string };
  /** CloudFormation resources in the example's templates. */
  readonly resources: number;
  /** Pairs of runs: each a synthesis without the pack, then one with it. */
  readonly runs: number;
  readonly plainRunsMs: readonly number[];
  readonly plainMedianMs: number;
  readonly withPackRunsMs: readonly number[];
  readonly withPackMedianMs: number;
  /** The median of each pair's difference (with the pack less without): what the pack adds. */
  readonly addedMedianMs: number;
  readonly addedQuartilesMs: readonly [number, number];
}

/** The README's markers around one generated block. */
export interface Markers {
  readonly start: string;
  readonly end: string;
}

/** The markers between which the README holds the rendered tables. */
export const README_MARKERS: Markers = {
  start: '<!-- bench-tables:start (generated from bench/results.json by scripts/write-bench-tables.ts; do not edit) -->',
  end: '<!-- bench-tables:end -->',
};

/** The markers between which the README holds the platform example's figures. */
export const PLATFORM_MARKERS: Markers = {
  start: '<!-- bench-platform:start (generated from bench/platform-results.json by scripts/write-bench-tables.ts; do not edit) -->',
  end: '<!-- bench-platform:end -->',
};

/** The platform example's figures as the README's paragraph states them. */
export function renderPlatform(results: PlatformResults): string {
  const { addedMedianMs: added, addedQuartilesMs: [low, high], plainMedianMs: plain } = results;
  return `**On the reference platform example** (${results.resources} resources), registering \`SecureAiChecks\` adds `
    + `${added.toFixed(0)} ms to a synthesis of ${plain.toFixed(0)} ms: **${((added / plain) * 100).toFixed(0)}%** (${results.runs} pairs `
    + `of alternating runs: the median of each pair's difference, quartiles ${low.toFixed(0)} to ${high.toFixed(0)} ms, over the `
    + `median synthesis without the pack; ${results.date.slice(0, 10)}, ${results.machine.cpus} cores, Node `
    + `${results.machine.node.replace(/^v/, '')}; \`npx projen bench:platform\`, bench/platform-example.ts). The pack also writes `
    + 'the AI bill of materials and the threat model in that time. The target is at most 30%.';
}

/** The tables as Markdown, one line per table row, from the measurements of one run of the scale benchmark. */
export function renderTables(results: BenchResults): string {
  const of = (series: Measurement['series'], tool: Tool) => results.measurements.filter((m) => m.series === series && m.tool === tool);
  const at = (series: Measurement['series'], tool: Tool, n: number) => of(series, tool).find((m) => m.resources === n);
  const sizes = [...new Set(results.measurements.filter((m) => m.series === 'split').map((m) => m.resources))].sort((a, b) => a - b);
  const cell = (m?: Measurement) => (m ? `${m.medianMs.toFixed(0)} ms / ${m.peakRssMb.toFixed(0)} MB` : '-');
  const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined ? `${(a / b).toFixed(2)}×` : '-');
  const { machine } = results;
  const lines: string[] = [];
  lines.push(`Latest run: ${machine.cpus} cores (${machine.cpuModel ?? 'unknown CPU'}), Node ${machine.node.replace(/^v/, '')}, `
    + `${machine.platform.split(' ')[0]}, medians of ${results.runs} runs.`);
  lines.push('');
  lines.push('Called directly, `validateScope(app)` (the pack renders every resource itself):');
  lines.push('');
  lines.push('| Resources | Stacks | Synthesis | SecureAiChecks | AwsSolutionsChecks | SecureAI / AwsSolutions (wall; CPU) | SecureAI / synthesis | SecureAI, one stack |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of sizes) {
    const synth = at('split', 'synth', n);
    const secure = at('split', 'secureai', n);
    const aws = at('split', 'awssolutions', n);
    lines.push(`| ${count(n)} | ${synth?.stacks ?? '-'} | ${cell(synth)} | ${cell(secure)} | ${cell(aws)} | `
      + `${ratio(secure?.medianMs, aws?.medianMs)}; ${ratio(secure?.medianCpuMs, aws?.medianCpuMs)} | ${ratio(secure?.medianMs, synth?.medianMs)} | `
      + `${cell(at('single-stack', 'secureai', n))} |`);
  }
  lines.push('');
  lines.push('Registered with `Validations.of(app).addPlugins(pack)` and run inside `app.synth()` ("Reading the templates alone" is');
  lines.push('only `JSON.parse` of the templates the CDK wrote, which the pack reads: what any pack that checks them pays before its');
  lines.push('first rule):');
  lines.push('');
  lines.push('| Resources | Plain synthesis | SecureAI `validate` | AwsSolutions `validate` | SecureAI / AwsSolutions (wall; CPU) | '
    + 'Reading the templates alone / AwsSolutions | SecureAI `validate` / plain synthesis | Synthesis with SecureAI | … over plain synthesis |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of sizes) {
    const synth = at('split', 'synth', n);
    const secure = at('split', 'secureai-in-synth', n);
    const aws = at('split', 'awssolutions-in-synth', n);
    const change = secure?.synthMedianMs !== undefined && synth ? (secure.synthMedianMs / synth.medianMs - 1) * 100 : undefined;
    const extra = change === undefined ? '-' : `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(0)}%`;
    lines.push(`| ${count(n)} | ${cell(synth)} | ${cell(secure)} | ${cell(aws)} | `
      + `${ratio(secure?.medianMs, aws?.medianMs)}; ${ratio(secure?.medianCpuMs, aws?.medianCpuMs)} | `
      + `${secure?.readMedianMs !== undefined ? `${secure.readMedianMs.toFixed(0)} ms, ` : ''}${ratio(secure?.readMedianMs, aws?.medianMs)} | `
      + `${ratio(secure?.medianMs, synth?.medianMs)} | ${secure?.synthMedianMs !== undefined ? `${secure.synthMedianMs.toFixed(0)} ms` : '-'} | ${extra} |`);
  }
  // SecureAI inside synthesis, per size, for the two tables below. Runs from before the benchmark timed the BOM and the
  // threat model apart, or recorded the pack's output, have no rows in the table that needs them.
  const inSynthesis = sizes.flatMap((n) => {
    const m = at('split', 'secureai-in-synth', n);
    return m ? [{ n, m }] : [];
  });
  const parts = inSynthesis.filter(({ m }) => m.checksMedianMs !== undefined);
  if (parts.length > 0) {
    lines.push('');
    lines.push('SecureAI `validate` inside `app.synth()`, in its two parts: the checks (what AwsSolutions `validate` does) and writing');
    lines.push('the AI bill of materials and the threat model (wall; CPU):');
    lines.push('');
    lines.push('| Resources | SecureAI checks | BOM and threat model | SecureAI `validate` | SecureAI checks / AwsSolutions |');
    lines.push('|---:|---:|---:|---:|---:|');
    for (const { n, m } of parts) {
      const ms = (wall?: number, cpu?: number) => (wall !== undefined ? `${wall.toFixed(0)} ms; ${cpu !== undefined ? `${cpu.toFixed(0)} ms` : '-'}` : '-');
      lines.push(`| ${count(n)} | ${ms(m.checksMedianMs, m.checksMedianCpuMs)} | ${ms(m.artefactMedianMs, m.artefactMedianCpuMs)} | `
        + `${ms(m.medianMs, m.medianCpuMs)} | ${ratio(m.checksMedianMs, at('split', 'awssolutions-in-synth', n)?.medianMs)} |`);
    }
  }
  const outputs = inSynthesis.flatMap(({ n, m }) => (m.output ? [{ n, m, output: m.output }] : []));
  if (outputs.length > 0) {
    lines.push('');
    lines.push('What SecureAI `validate` does and writes inside `app.synth()`, the same in every run of a size (the checks\' CPU');
    lines.push('per rule check is their CPU time above, reading, indexing, findings and garbage collection included, over the rule');
    lines.push('checks):');
    lines.push('');
    lines.push(`| Resources | Rule checks | Checks' CPU per rule check | Findings | Violations | ${OUTPUT_FILES.join(' | ')} |`);
    lines.push(`|---:|---:|---:|---:|---:|${OUTPUT_FILES.map(() => '---:|').join('')}`);
    for (const { n, m, output: { ruleChecks, findings, violations, bytes } } of outputs) {
      const perCheck = m.checksMedianCpuMs !== undefined && ruleChecks > 0 ? `${((m.checksMedianCpuMs * 1000) / ruleChecks).toFixed(0)} µs` : '-';
      const files = OUTPUT_FILES.map((f) => size(bytes[f]));
      lines.push(`| ${count(n)} | ${count(ruleChecks)} | ${perCheck} | ${count(findings)} | ${count(violations)} | ${files.join(' | ')} |`);
    }
  }
  lines.push('');
  lines.push('| Series | Exponent, two largest sizes | Exponent fitted over all sizes |');
  lines.push('|---|---:|---:|');
  for (const [name, { largest, fitted }] of Object.entries(results.exponents)) {
    lines.push(`| ${name} | ${largest.toFixed(2)} | ${fitted.toFixed(2)} |`);
  }
  for (const note of results.notes) lines.push('', `Note: ${note}.`);
  return lines.join('\n');
}

function count(n: number): string {
  return n.toLocaleString('en-GB');
}

function size(bytes?: number): string {
  if (bytes === undefined) return '-';
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(0)} KB`;
}

/**
 * The README with the block between `markers` (by default the tables') replaced by `text`. Throws when the markers
 * are missing.
 */
export function withTables(readme: string, text: string, markers: Markers = README_MARKERS): string {
  const start = readme.indexOf(markers.start);
  const end = readme.indexOf(markers.end);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no "${markers.start}" ... "${markers.end}" block for the performance figures.`);
  }
  return `${readme.slice(0, start + markers.start.length)}\n${text}\n${readme.slice(end)}`;
}
