/*
 * What the pack adds to the synthesis of the reference platform example (issue 9's 30% target): the example's app
 * synthesized with nothing registered, then with SecureAiChecks registered (run by the CDK inside `app.synth()`, as
 * apps use it), alternating, after a warm-up. Building the construct tree is excluded: it is the same in both.
 *
 *   npx projen bench:platform        (ts-node --transpile-only bench/platform-example.ts)
 *
 * Prints the figures and writes bench/platform-results.json, from which the task then writes the README's paragraph.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { PlatformResults, renderPlatform } from './results-tables';
import { median, quantile } from './statistics';
import { buildPlatform } from '../examples/secure-ai-platform/app';
import { SecureAiChecks } from '../src/nag/secure-ai-checks';

const RUNS = 31;
process.env.CDK_VALIDATION = 'false';

/** Milliseconds of one synthesis of the example; `inspect` reads the cloud assembly before it is removed. */
function synthMs(withPack: boolean, inspect?: (outdir: string) => void): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-bench-'));
  try {
    const app = new App({ outdir });
    if (withPack) Validations.of(app).addPlugins(new SecureAiChecks());
    buildPlatform(app);
    const start = process.hrtime.bigint();
    app.synth();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    inspect?.(outdir);
    return ms;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** CloudFormation resources in the templates of a cloud assembly. */
function resourcesIn(outdir: string): number {
  return fs.readdirSync(outdir).filter((file) => file.endsWith('.template.json')).reduce((total, file) => {
    const template = JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf-8')) as { Resources?: object };
    return total + Object.keys(template.Resources ?? {}).length;
  }, 0);
}

let resources = 0;
synthMs(false, (outdir) => { resources = resourcesIn(outdir); });
synthMs(true);
const plain: number[] = [];
const withPack: number[] = [];
for (let i = 0; i < RUNS; i++) {
  plain.push(synthMs(false));
  withPack.push(synthMs(true));
}
// Each pair of runs shares the machine's load of its moment: the pack's cost is read from the pairs' differences.
const added = withPack.map((ms, i) => ms - plain[i]);
const results: PlatformResults = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, node: process.version },
  resources,
  runs: RUNS,
  plainRunsMs: plain,
  plainMedianMs: median(plain),
  withPackRunsMs: withPack,
  withPackMedianMs: median(withPack),
  addedMedianMs: median(added),
  addedQuartilesMs: [quantile(added, 0.25), quantile(added, 0.75)],
};
fs.writeFileSync(path.join(__dirname, 'platform-results.json'), JSON.stringify(results, undefined, 2) + '\n');
const range = (xs: number[]) => `runs ${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)} ms`;
process.stdout.write(`${renderPlatform(results)}\n(synthesis alone ${range(plain)}; with SecureAI ${range(withPack)})\n`);
