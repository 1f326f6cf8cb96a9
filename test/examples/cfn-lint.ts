// Runs cfn-lint (the AWS CloudFormation linter, a Python tool) over synthesized templates, for the example tests.
// The CDK checks property names and types of its L1 constructs, not the rules cfn-lint knows (allowed values,
// Region availability, relationships between properties), so a template the CDK synthesizes can still fail to
// deploy. cfn-lint is not an npm package: where it is not installed the check is skipped, and says so.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** One problem cfn-lint reported, reduced to what a failing test needs to show. */
export interface CfnLintMatch {
  /** The cfn-lint rule, `E3002`. */
  readonly rule: string;
  /** `Error`, `Warning` or `Informational`. */
  readonly level: string;
  readonly message: string;
  /** The template, as given to cfnLint; null for a problem with the run itself (E0003). */
  readonly file: string | null;
  /** Where in the template: `Resources/Bucket/Properties/BucketName`. */
  readonly location: string;
  readonly line: number | null;
}

/** cfn-lint ran: its errors fail a test; its warnings and informational matches are listed, never fatal. */
export interface CfnLintReport {
  readonly errors: CfnLintMatch[];
  readonly warnings: CfnLintMatch[];
}

/** cfn-lint is not installed (or does not run): the reason, for the test to log. */
export interface CfnLintSkipped {
  readonly skipped: string;
}

export interface CfnLintOptions {
  /**
   * The command to run.
   * @default 'cfn-lint'
   */
  readonly command?: string;
  /**
   * The environment of the process: tests simulate a machine without cfn-lint with a PATH that lacks it.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The Regions to validate against (instance types, services and properties differ by Region).
   * @default - cfn-lint's default, us-east-1
   */
  readonly regions?: string[];
  /**
   * cfn-lint rules not to run. Give the reason beside each one where it is passed.
   * @default - none
   */
  readonly ignoreChecks?: string[];
}

/** cfn-lint's JSON output, one entry per match (cfn-lint 0.x and 1.x). */
interface RawMatch {
  readonly Filename: string | null;
  readonly Level: string;
  readonly Message: string;
  readonly Location?: { readonly Path?: Array<string | number> | null; readonly Start?: { readonly LineNumber?: number } };
  readonly Rule: { readonly Id: string };
}

/** Long enough for cfn-lint's start-up and a few templates on a loaded 2-core machine. */
const TIMEOUT_MS = 180_000;

/**
 * Lints the templates with `cfn-lint --format json`. Returns `{ skipped }` when cfn-lint is not on this machine;
 * otherwise every match, split into errors (level Error: the template is wrong and would fail to deploy or behave
 * differently than written) and warnings (Warning and Informational: style, redundancy, advice).
 *
 * @throws when `templatePaths` is empty (a lint of nothing cannot fail) or cfn-lint's output is not its JSON
 */
export function cfnLint(templatePaths: string[], options: CfnLintOptions = {}): CfnLintSkipped | CfnLintReport {
  if (templatePaths.length === 0) throw new Error('cfnLint: `templatePaths` is empty: give at least one template to lint.');
  const command = options.command ?? 'cfn-lint';
  const env = options.env ?? process.env;
  const missing = cfnLintMissing(options);
  if (missing !== undefined) return { skipped: missing };

  const args = ['--format', 'json'];
  if (options.regions?.length) args.push('--regions', ...options.regions);
  if (options.ignoreChecks?.length) args.push('--ignore-checks', ...options.ignoreChecks);
  // `--` ends the options, so a template path is never read as one.
  args.push('--', ...templatePaths);
  const run = spawnSync(command, args, { env, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`cfnLint: running ${command} failed: ${run.error.message}`);

  // The exit code is a bit mask of the levels found (2 error, 4 warning, 8 informational); the JSON says the same.
  let matches: RawMatch[];
  try {
    matches = JSON.parse(run.stdout) as RawMatch[];
  } catch {
    throw new Error(`cfnLint: ${command} exited with ${run.status} without JSON output: ${run.stderr.trim() || run.stdout.trim()}`);
  }
  if (!Array.isArray(matches)) throw new Error(`cfnLint: ${command} printed ${run.stdout.slice(0, 200)}, not a list of matches.`);

  const all = matches.map(toMatch).map(downgradeRuntimeNewerThanSchema);
  return { errors: all.filter((m) => m.level === 'Error'), warnings: all.filter((m) => m.level !== 'Error') };
}

/** Every Lambda runtime identifier the installed aws-cdk-lib declares. */
const CDK_RUNTIMES = new Set(Object.values(lambda.Runtime).filter((r): r is lambda.Runtime => r instanceof lambda.Runtime).map((r) => r.name));

/**
 * cfn-lint validates against the resource schemas it was released with: a Lambda runtime launched since (the CDK
 * knows nodejs26.x, cfn-lint 1.51 does not) is an E3030 "not one of" error there. Such a match becomes a warning,
 * kept in the report, when the installed aws-cdk-lib declares the runtime; any other runtime stays an error.
 */
function downgradeRuntimeNewerThanSchema(match: CfnLintMatch): CfnLintMatch {
  const runtime = /^'([^']+)' is not one of /.exec(match.message)?.[1];
  if (match.rule !== 'E3030' || !match.location.endsWith('/Properties/Runtime') || runtime === undefined || !CDK_RUNTIMES.has(runtime)) {
    return match;
  }
  return { ...match, level: 'Warning', message: `${match.message} (cfn-lint's schema predates this runtime, which aws-cdk-lib declares)` };
}

/**
 * Why cfn-lint cannot run here (`cfn-lint --version` fails to start or exits non-zero), as the message a skipped
 * test logs; undefined when it runs.
 */
export function cfnLintMissing(options: Pick<CfnLintOptions, 'command' | 'env'> = {}): string | undefined {
  // The machine's own cfn-lint is asked once per test file: `--version` takes a second through the pyenv shim.
  if (options.command === undefined && options.env === undefined) return (installed ??= { missing: versionCheck(options) }).missing;
  return versionCheck(options);
}

let installed: { readonly missing: string | undefined } | undefined;

function versionCheck(options: Pick<CfnLintOptions, 'command' | 'env'>): string | undefined {
  const command = options.command ?? 'cfn-lint';
  const version = spawnSync(command, ['--version'], { env: options.env ?? process.env, encoding: 'utf8', timeout: TIMEOUT_MS });
  if (!version.error && version.status === 0) return undefined;
  const why = version.error?.message ?? `\`${command} --version\` exited with ${version.status}: ${version.stderr.trim()}`;
  return `cfn-lint not installed: skipped (${why}). Install it with \`pip install cfn-lint\` to lint the templates.`;
}

/** Every CloudFormation template of a cloud assembly, nested assemblies (stages) included, sorted. */
export function synthesizedTemplates(cloudAssemblyDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      // Asset staging directories (asset.<hash>) hold code, not templates of this assembly.
      if (entry.isDirectory() && !entry.name.startsWith('asset.')) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.template.json')) found.push(full);
    }
  };
  walk(cloudAssemblyDir);
  return found.sort();
}

/** One line per match, for a readable test failure or log. */
export function describeMatches(matches: CfnLintMatch[]): string[] {
  return matches.map((m) => `${m.rule} ${m.level} ${m.file ?? '(run)'}${m.line === null ? '' : `:${m.line}`} ${m.location}: ${m.message}`);
}

function toMatch(raw: RawMatch): CfnLintMatch {
  return {
    rule: raw.Rule.Id,
    level: raw.Level,
    message: raw.Message,
    file: raw.Filename,
    location: (raw.Location?.Path ?? []).join('/'),
    line: raw.Location?.Start?.LineNumber ?? null,
  };
}
