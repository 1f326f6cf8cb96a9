/*
 * The performance tables of the README, rendered from bench/results.json: the one source of the figures. The scale
 * benchmark prints them after a run, scripts/write-bench-tables.ts writes them into the README between its markers,
 * and a test fails when the README and results.json disagree.
 */

/** `synth`: plain synthesis. `secureai`, `awssolutions`: `validateScope(app)`. `…-in-synth`: the plugin inside `app.synth()`. */
export type Tool = 'synth' | 'secureai' | 'awssolutions' | 'secureai-in-synth' | 'awssolutions-in-synth';

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
  readonly peakRssMb: number;
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

/** The markers between which the README holds the rendered tables. */
export const README_MARKERS = {
  start: '<!-- bench-tables:start (generated from bench/results.json by scripts/write-bench-tables.ts; do not edit) -->',
  end: '<!-- bench-tables:end -->',
} as const;

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
    lines.push(`| ${n.toLocaleString('en-GB')} | ${synth?.stacks ?? '-'} | ${cell(synth)} | ${cell(secure)} | ${cell(aws)} | `
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
    lines.push(`| ${n.toLocaleString('en-GB')} | ${cell(synth)} | ${cell(secure)} | ${cell(aws)} | `
      + `${ratio(secure?.medianMs, aws?.medianMs)}; ${ratio(secure?.medianCpuMs, aws?.medianCpuMs)} | `
      + `${secure?.readMedianMs !== undefined ? `${secure.readMedianMs.toFixed(0)} ms, ` : ''}${ratio(secure?.readMedianMs, aws?.medianMs)} | `
      + `${ratio(secure?.medianMs, synth?.medianMs)} | ${secure?.synthMedianMs !== undefined ? `${secure.synthMedianMs.toFixed(0)} ms` : '-'} | ${extra} |`);
  }
  // Runs from before the benchmark timed the BOM and the threat model apart have no such rows.
  const parts = sizes.map((n) => [n, at('split', 'secureai-in-synth', n)] as const).filter(([, m]) => m?.checksMedianMs !== undefined);
  if (parts.length > 0) {
    lines.push('');
    lines.push('SecureAI `validate` inside `app.synth()`, in its two parts: the checks (what AwsSolutions `validate` does) and writing');
    lines.push('the AI bill of materials and the threat model (wall; CPU):');
    lines.push('');
    lines.push('| Resources | SecureAI checks | BOM and threat model | SecureAI `validate` | SecureAI checks / AwsSolutions |');
    lines.push('|---:|---:|---:|---:|---:|');
    for (const [n, m] of parts) {
      const ms = (wall?: number, cpu?: number) => (wall !== undefined ? `${wall.toFixed(0)} ms; ${cpu !== undefined ? `${cpu.toFixed(0)} ms` : '-'}` : '-');
      lines.push(`| ${n.toLocaleString('en-GB')} | ${ms(m!.checksMedianMs, m!.checksMedianCpuMs)} | ${ms(m!.artefactMedianMs, m!.artefactMedianCpuMs)} | `
        + `${ms(m!.medianMs, m!.medianCpuMs)} | ${ratio(m!.checksMedianMs, at('split', 'awssolutions-in-synth', n)?.medianMs)} |`);
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

/** The README with the tables between its markers replaced by `tables`. Throws when the markers are missing. */
export function withTables(readme: string, tables: string): string {
  const start = readme.indexOf(README_MARKERS.start);
  const end = readme.indexOf(README_MARKERS.end);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no "${README_MARKERS.start}" ... "${README_MARKERS.end}" block for the performance tables.`);
  }
  return `${readme.slice(0, start + README_MARKERS.start.length)}\n${tables}\n${readme.slice(end)}`;
}
