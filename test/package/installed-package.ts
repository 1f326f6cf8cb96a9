/*
 * The library as a user gets it: packed with `npm pack`, installed from the tarball into a fresh CDK app in a
 * temporary folder (offline, from the npm cache that the repository's `npm ci` filled), and synthesized with the CDK command line.
 * The app is examples/getting-started, the README's first stack, which composes the main constructs with
 * SecureAiChecks at FailOn.WARNING and cdk-nag's AwsSolutions registered: it must synthesize with no open finding
 * and no warning of any plugin (the CDK's own template validation included), environment-agnostic and with `env`.
 *
 * Run by CI after compilation (`npx projen test:package`), not by `npm test`: it packs the compiled library.
 * node's test runner: node --require ts-node/register/transpile-only --test test/package/installed-package.ts
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/getting-started');
/**
 * The example account and Region of cdk.context.json. Without credentials the CDK command line keeps the account it
 * is given and takes the Region from the AWS configuration (AWS_REGION), overriding CDK_DEFAULT_REGION.
 */
const ENV = { CDK_DEFAULT_ACCOUNT: '111111111111', AWS_REGION: 'eu-west-2' };
/** What a fresh `cdk init app --language typescript` project installs, at the versions this repository tests with. */
const APP_DEPENDENCIES = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'aws-cdk', 'typescript', 'ts-node', '@types/node'];

let work: string;
let tarball: string;
let app: string;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

function check(result: SpawnSyncReturns<string>, what: string): string {
  assert.equal(result.status, 0, `${what} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

interface LockEntry {
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly [key: string]: unknown;
}

/**
 * A package.json and package-lock.json for a fresh app that depends on `names` at the versions this repository
 * installed: the repository's lock entries of those packages and everything they need, found as Node resolves
 * them. `npm ci --offline` then installs from the npm cache that the repository's `npm ci` filled (an offline
 * `npm install` would need the registry's package metadata, which `npm ci` never fetches).
 */
function offlineInstallFiles(names: readonly string[]): { packageJson: object; lock: object } {
  const packages = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')).packages as Record<string, LockEntry>;
  const picked: Record<string, LockEntry> = {};
  const parentOf = (lockPath: string) => lockPath.slice(0, Math.max(0, lockPath.lastIndexOf('/node_modules/')));
  const visit = (from: string, name: string, optional: boolean): void => {
    for (let dir = from; ; dir = parentOf(dir)) {
      const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      const entry = packages[candidate];
      if (entry !== undefined) {
        if (picked[candidate] !== undefined) return;
        const { dev, devOptional, peer, ...production } = entry;
        picked[candidate] = production as LockEntry;
        for (const dep of Object.keys(entry.dependencies ?? {})) visit(candidate, dep, false);
        for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(candidate, dep, true);
        for (const dep of Object.keys(entry.peerDependencies ?? {})) visit(candidate, dep, entry.peerDependenciesMeta?.[dep]?.optional === true);
        return;
      }
      if (dir === '') {
        assert.ok(optional, `${name}, needed by ${from || 'the app'}, is not in the repository's package-lock.json`);
        return;
      }
    }
  };
  names.forEach((name) => visit('', name, false));
  const dependencies = Object.fromEntries(names.map((name) => [name, packages[`node_modules/${name}`].version]));
  const manifest = { name: 'fresh-ai-app', version: '0.1.0', private: true };
  return {
    packageJson: { ...manifest, dependencies },
    lock: { ...manifest, lockfileVersion: 3, requires: true, packages: { '': { ...manifest, dependencies }, ...picked } },
  };
}

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-secure-ai-package-'));
  const packed = JSON.parse(check(run('npm', ['pack', '--json', '--pack-destination', work], ROOT), 'npm pack'));
  tarball = path.join(work, packed[0].filename);

  app = path.join(work, 'app');
  fs.cpSync(EXAMPLE, app, { recursive: true });
  const { packageJson, lock } = offlineInstallFiles(APP_DEPENDENCIES);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(packageJson, undefined, 2));
  fs.writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify(lock, undefined, 2));
  const offline = ['--offline', '--no-audit', '--no-fund', '--loglevel=error'];
  check(run('npm', ['ci', ...offline], app), 'npm ci --offline (the CDK app)');
  // The library's own dependency (commander) is bundled in the tarball; its peers are installed above.
  check(run('npm', ['install', ...offline, tarball], app), 'npm install --offline (the packed library)');
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

void describe('the packed library', () => {
  void test('holds the compiled library and the Lambda assets, and no build leftovers', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.ok(files.includes('package/lib/index.js'), 'lib/index.js is packed');
    assert.ok(files.includes('package/.jsii'), '.jsii is packed');
    const assets = files.filter((f) => f.startsWith('package/assets/') && f.endsWith('/index.js'));
    assert.ok(assets.length >= 2, `the bundled Lambda handlers are packed (found: ${assets.join(', ') || 'none'})`);
    const leftovers = files.filter((f) => /^package\/(cdk\.out|test-reports|coverage|src|test|examples|\.ci)\//.test(f));
    assert.deepEqual(leftovers, []);
  });

  for (const [name, env] of [['environment-agnostic', {}], ['for an account and Region (cdk.context.json)', ENV]] as const) {
    void test(`synthesizes the README's first stack ${name} with the CDK command line: no finding, no warning`, () => {
      const outdir = `cdk.out-${Object.keys(env).length ? 'env' : 'agnostic'}`;
      const synth = run('npx', ['cdk', 'synth', '--no-notices', '--quiet', '--output', outdir], app, env);
      check(synth, 'cdk synth');
      const output = `${synth.stdout}\n${synth.stderr}`;
      assert.doesNotMatch(output, /\b(WARNING|ERROR)\b/, `cdk synth printed a finding:\n${output}`);
      // The pack's verdict, read by the installed package's own command line.
      const json = JSON.parse(check(run('npx', ['cdk-secure-ai', 'report', outdir, '--format', 'json'], app), 'cdk-secure-ai report'));
      assert.deepEqual(json.summary.openFindings, { total: 0, error: 0, warning: 0 });
      // Every plugin's verdict, the CDK's CloudFormation Validate (maintenance-mode warnings, W3697) included.
      const report = JSON.parse(fs.readFileSync(path.join(app, outdir, 'validation-report.json'), 'utf8'));
      const open = report.pluginReports.flatMap((p: { pluginName: string; violations: Array<{ ruleName: string }> }) =>
        p.violations.map((v) => `${p.pluginName} ${v.ruleName}`));
      assert.deepEqual(open, []);
    });
  }

  void test('its command line runs from the installed package', () => {
    const rules = check(run('npx', ['cdk-secure-ai', 'rules', '--format', 'md'], app), 'cdk-secure-ai rules');
    assert.match(rules, /^# SecureAI rules/m);
    assert.match(check(run('npx', ['cdk-secure-ai', '--version'], app), 'cdk-secure-ai --version'), /^\d+\.\d+\.\d+/);
    assert.equal(run('npx', ['cdk-secure-ai', 'no-such-command'], app).status, 2);
  });
});
