import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';

const root = path.join(__dirname, '..', '..');
const main = path.join(root, 'src', 'cli', 'main.ts');
/**
 * main.ts and the library's modules it loads, compiled once into one file by esbuild (through ts-node, each process
 * spent seconds compiling them again). It lies one folder below the root, as src/ and lib/ do, so that the package
 * facts it reads beside that folder (`../package.json`) are the package's; its dependencies load from node_modules.
 */
const compiled = path.join(root, 'test-reports', `cli-main-${process.pid}.js`);

/** Runs main.ts as the bin does, through node, so the exit code and streams are the process's own. */
function bin(...args: string[]) {
  return spawnSync(process.execPath, [compiled, ...args], { cwd: root, encoding: 'utf-8' });
}

beforeAll(() => {
  buildSync({ entryPoints: [main], outfile: compiled, bundle: true, platform: 'node', packages: 'external', logLevel: 'warning' });
});
afterAll(() => fs.rmSync(compiled, { force: true }));

describe('main', () => {
  test('starts with a node shebang, as the package bin must', () => {
    expect(fs.readFileSync(main, 'utf-8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('the process exit code and streams are those of run()', () => {
    const ok = bin('rules', '--format', 'json');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).pack).toBe('SecureAI');

    const bad = bin('report', path.join(root, 'no-such-cdk.out'));
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
  }, 60_000);
});
