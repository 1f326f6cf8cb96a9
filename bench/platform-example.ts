/*
 * What the pack adds to the synthesis of the reference platform example (issue 9's 30% target): the example's app
 * synthesized with nothing registered, then with SecureAiChecks registered (run by the CDK inside `app.synth()`, as
 * apps use it), alternating, after a warm-up. Building the construct tree is excluded: it is the same in both.
 *
 *   npx projen bench:platform        (ts-node --transpile-only bench/platform-example.ts)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { buildPlatform } from '../examples/secure-ai-platform/app';
import { SecureAiChecks } from '../src/nag/secure-ai-checks';

const RUNS = 31;
process.env.CDK_VALIDATION = 'false';

function synthMs(withPack: boolean): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-bench-'));
  try {
    const app = new App({ outdir });
    if (withPack) Validations.of(app).addPlugins(new SecureAiChecks());
    buildPlatform(app);
    const start = process.hrtime.bigint();
    app.synth();
    return Number(process.hrtime.bigint() - start) / 1e6;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

synthMs(false);
synthMs(true);
const plain: number[] = [];
const withPack: number[] = [];
for (let i = 0; i < RUNS; i++) {
  plain.push(synthMs(false));
  withPack.push(synthMs(true));
}
const p = median(plain);
const w = median(withPack);
console.log(`Reference platform example, medians of ${RUNS} alternating runs (${os.cpus().length} cores, Node ${process.version}):`);
const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)} ms`;
console.log(`  synthesis alone:             ${p.toFixed(0)} ms (runs ${range(plain)})`);
console.log(`  synthesis with SecureAI:     ${w.toFixed(0)} ms (runs ${range(withPack)})`);
console.log(`  added by the pack:           ${(w - p).toFixed(0)} ms = ${(((w - p) / p) * 100).toFixed(0)}% of synthesis (target: at most 30%)`);
