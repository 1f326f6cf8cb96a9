// How the example tests synthesize an example as its app.ts does, and lint what it wrote.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { cfnLint, describeMatches, synthesizedTemplates } from './cfn-lint';

/**
 * Synthesizes an example into a new temporary folder as its app.ts does: the packs registered by `register`, the CDK's
 * template validation on, the validation report written. Throws if any registered pack or the template validation
 * reports an unacknowledged error. Returns the cloud assembly folder; remove it when done.
 */
export function synthesizeAsApp(name: string, context: Record<string, string>, register: (app: App) => void, build: (app: App) => void): string {
  const before = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'true';
  try {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    const app = new App({ outdir, context: { ...context, '@aws-cdk/core:validationReportJson': true } });
    register(app);
    build(app);
    app.synth();
    return outdir;
  } finally {
    process.env.CDK_VALIDATION = before;
  }
}

/** cfn-lint's errors in the templates of a cloud assembly, one line each; undefined (with the reason logged) without cfn-lint. */
export function cfnLintErrors(outdir: string, region: string): string[] | undefined {
  const result = cfnLint(synthesizedTemplates(outdir), { regions: [region] });
  if ('skipped' in result) {
    console.log(result.skipped);
    return undefined;
  }
  return describeMatches(result.errors);
}
