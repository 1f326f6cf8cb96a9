/*
 * Compares the pack of two source trees on one generated 4,000-resource app, in one process, turn about: how a change
 * moves the pack's own cost, free of the drift between separate runs that a shared machine adds (two runs of the same
 * tree differ by up to a fifth there). Each iteration runs both packs inside synthesis (`validate` on the templates
 * the CDK wrote, without the BOM and threat model: the checks the scale benchmark compares with other packs) and
 * through `validateScope`, and records the process's CPU time of each. It prints each tree's median and the median
 * of the per-iteration ratios with their quartiles, and what each allocates in synthesis, which the load does not move.
 *
 *   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/node_modules
 *   node --expose-gc -r ts-node/register/transpile-only bench/compare.ts /tmp/before . [iterations, default 16]
 *
 * Steadier still on a busy machine: one core, and garbage collection on the main thread, where its CPU time is counted
 * with the pack that caused it (`taskset -c 1 node --single-threaded-gc --expose-gc ...`).
 *
 * Both trees load the same aws-cdk-lib (the link resolves to one copy), so only the pack differs. The first two
 * iterations warm up and are not counted.
 */
import * as fs from 'fs';
import { Session } from 'inspector';
import * as os from 'os';
import * as path from 'path';
import { App, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { platformApp, UNIT_SIZE } from './platform-mix';
import { cpuMs, median, quantile } from './statistics';

/** What the comparison uses of `SecureAiChecks`, in whichever version a tree holds. */
interface Pack {
  validate(context: IPolicyValidationContext): PolicyValidationPluginReport;
  validateScope(scope: IConstruct): PolicyValidationPluginReport;
}
type PackClass = new (props?: { aiBom?: boolean; threatModel?: boolean }) => Pack;

const WARM_UP = 2;
const RESOURCES = 4000;

function packOf(tree: string): PackClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(path.resolve(tree), 'src', 'nag', 'secure-ai-checks')).SecureAiChecks;
}

/** CPU milliseconds of `run`, after a full collection when the process allows it, so that one pack's garbage does not bill the other. */
function cpuOf(run: () => void): number {
  (global as { gc?: () => void }).gc?.();
  const start = process.cpuUsage();
  run();
  return cpuMs(process.cpuUsage(start));
}

/**
 * Megabytes that `run` allocates, as V8's sampling heap profiler counts them (every 32 KB, collected objects included):
 * unlike CPU time, other load on the machine does not move it.
 */
function allocatedBy(run: () => void): number {
  const session = new Session();
  session.connect();
  let bytes: number | undefined;
  const sum = (node: { selfSize: number; children?: unknown[] }): number =>
    node.selfSize + (node.children ?? []).reduce<number>((total, child) => total + sum(child as typeof node), 0);
  // The in-process session answers synchronously, so each callback has run when `post` returns.
  session.post('HeapProfiler.enable');
  session.post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  run();
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (!error) bytes = sum(result.profile.head as { selfSize: number });
  });
  session.disconnect();
  if (bytes === undefined) throw new Error('the heap profiler gave no profile');
  return bytes / 1e6;
}

function main(before: string, after: string, iterations: number): void {
  const packs = [packOf(before), packOf(after)];
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-'));
  // The CDK's own CloudFormation validation would print a warning for each maintenance-mode resource of the mix.
  process.env.CDK_VALIDATION = 'false';
  const app = platformApp(RESOURCES / UNIT_SIZE, undefined, new App({ outdir }));
  // The templates are written once; each pack then reads them as the CDK hands them over inside synthesis.
  const templatePaths = app.synth().stacks.map((s) => s.templateFullPath);
  const context: IPolicyValidationContext = { templatePaths, stackTemplates: [], appConstruct: app };
  const kinds = ['in synthesis', 'validateScope'] as const;
  const cpu: Record<string, number[][]> = { 'in synthesis': [[], []], 'validateScope': [[], []] };
  for (let i = 0; i < iterations + WARM_UP; i++) {
    packs.forEach((Pack, side) => {
      const inSynthesis = cpuOf(() => new Pack({ aiBom: false, threatModel: false }).validate(context));
      const scope = cpuOf(() => new Pack().validateScope(app));
      if (i < WARM_UP) return;
      cpu['in synthesis'][side].push(inSynthesis);
      cpu.validateScope[side].push(scope);
    });
  }
  const allocated = packs.map((Pack) => allocatedBy(() => new Pack({ aiBom: false, threatModel: false }).validate(context)));
  fs.rmSync(outdir, { recursive: true, force: true });
  process.stdout.write(`in synthesis, allocated per run: before ${allocated[0].toFixed(0)} MB, after ${allocated[1].toFixed(0)} MB\n`);
  for (const kind of kinds) {
    const [a, b] = cpu[kind];
    const ratios = b.map((v, i) => v / a[i]);
    const q = (f: number) => quantile(ratios, f).toFixed(3);
    process.stdout.write(`${kind}: before ${median(a).toFixed(0)} ms CPU, after ${median(b).toFixed(0)} ms CPU; `
      + `after/before ${q(0.5)} (quartiles ${q(0.25)} to ${q(0.75)}, ${iterations} iterations)\n`);
  }
}

const [before, after, iterations] = process.argv.slice(2);
if (!before || !after) {
  process.stderr.write('usage: node --expose-gc -r ts-node/register/transpile-only bench/compare.ts <before tree> <after tree> [iterations]\n');
  process.exit(2);
}
main(before, after, Number(iterations ?? 16));
