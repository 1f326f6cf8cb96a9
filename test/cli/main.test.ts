import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const main = path.join(root, 'src', 'cli', 'main.ts');

/** Runs main.ts as the bin does, through node, so the exit code and streams are the process's own. */
function bin(...args: string[]) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', main, ...args], { cwd: root, encoding: 'utf-8' });
}

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
