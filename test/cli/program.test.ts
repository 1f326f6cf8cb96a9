import * as fs from 'fs';
import * as path from 'path';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, run } from '../../src/cli/program';
import { FailOn } from '../../src/nag/secure-ai-checks';
import { rulesJson, rulesMarkdown } from '../../src/report/rules-doc';
import { toolVersion } from '../../src/package-info';
import { buildStandardApp, removeTempDirs, synthesize, synthesizeAllAcknowledgedApp, synthesizeStandardApp, tempDir, validateSarif } from '../report/fixtures';

afterAll(removeTempDirs);

function cli(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = run(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

/** A usage or input error: exit 2 and exactly one line on stderr, nothing on stdout. */
function expectOneLineError(result: ReturnType<typeof cli>, pattern: RegExp): void {
  expect(result.code).toBe(EXIT_USAGE);
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

let failing: string;
let passing: string;
let absent: string;
beforeAll(() => {
  failing = synthesizeStandardApp();
  passing = synthesize(buildStandardApp, { props: { failOn: FailOn.NONE } });
  absent = synthesizeAllAcknowledgedApp();
});

describe('cdk-secure-ai report', () => {
  test('exits 1 when findings fail the policy, printing Markdown by default', () => {
    const result = cli('report', failing);
    expect(result.code).toBe(EXIT_FINDINGS);
    expect(result.stdout).toMatch(/^# SecureAI report\n/);
    expect(result.stdout).toContain('`Infer/Open`');
    expect(result.stderr).toBe('');
  });

  test('exits 0 when nothing fails the policy', () => {
    const result = cli('report', passing, '--format', 'json');
    expect(result.code).toBe(EXIT_OK);
    expect(JSON.parse(result.stdout).summary).toMatchObject({ passed: true, failOn: 'none' });
  });

  test('exits 0 without a SecureAI entry, with a one-line warning', () => {
    const result = cli('report', absent);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stderr).toMatch(/^cdk-secure-ai: warning: the validation report has no SecureAI entry: .*not registered on the app\.\n$/);
  });

  test('--format sarif prints a valid SARIF log', () => {
    const result = cli('report', failing, '--format', 'sarif');
    expect(result.code).toBe(EXIT_FINDINGS);
    expect(validateSarif(JSON.parse(result.stdout)).valid).toBe(true);
  });

  test('--output writes the file and nothing to stdout; the exit code still follows the policy', () => {
    const file = path.join(tempDir(), 'report.sarif');
    const result = cli('report', failing, '-f', 'sarif', '--output', file);
    expect(result).toEqual({ code: EXIT_FINDINGS, stdout: '', stderr: '' });
    expect(validateSarif(JSON.parse(fs.readFileSync(file, 'utf-8'))).valid).toBe(true);
  });

  test('the validation-report.json path works as well as its directory', () => {
    expect(cli('report', path.join(passing, 'validation-report.json')).code).toBe(EXIT_OK);
  });

  test('a missing directory: one line, exit 2', () => {
    expectOneLineError(cli('report', path.join(tempDir(), 'missing')), /^cdk-secure-ai: error: .*missing does not exist: give the cloud assembly directory/);
  });

  test('a directory without validation-report.json: one line, exit 2', () => {
    expectOneLineError(cli('report', tempDir()), /has no validation-report\.json: .*register|Register the pack/);
  });

  test('malformed JSON: one line, exit 2', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'validation-report.json'), '{"pluginReports": [');
    expectOneLineError(cli('report', dir), /validation-report\.json is not valid JSON/);
  });

  test('an output file that cannot be written: one line, exit 2', () => {
    expectOneLineError(cli('report', failing, '--output', path.join(tempDir(), 'no', 'such', 'dir', 'r.md')), /cannot write .*r\.md \(ENOENT\)/);
  });

  test('a bad --format is bad usage', () => {
    const result = cli('report', failing, '--format', 'html');
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toMatch(/argument 'html' is invalid\. Allowed choices are md, json, sarif/);
  });

  test('a missing directory argument or an extra one is bad usage', () => {
    expect(cli('report').code).toBe(EXIT_USAGE);
    expect(cli('report', failing, 'extra').code).toBe(EXIT_USAGE);
  });
});

describe('cdk-secure-ai rules', () => {
  test('prints the rules document as Markdown by default', () => {
    expect(cli('rules')).toEqual({ code: EXIT_OK, stdout: rulesMarkdown(), stderr: '' });
  });

  test('--format json prints the catalogue as JSON', () => {
    expect(cli('rules', '--format', 'json').stdout).toBe(rulesJson());
  });

  test('--output writes the file', () => {
    const file = path.join(tempDir(), 'RULES.md');
    expect(cli('rules', '-o', file).code).toBe(EXIT_OK);
    expect(fs.readFileSync(file, 'utf-8')).toBe(rulesMarkdown());
  });

  test('sarif is not a rules format', () => {
    expect(cli('rules', '--format', 'sarif').code).toBe(EXIT_USAGE);
  });
});

describe('usage', () => {
  test('an unknown command or option is bad usage', () => {
    const unknown = cli('audit', failing);
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.stderr).toMatch(/unknown command 'audit'/);
    expect(cli('report', failing, '--verbose').code).toBe(EXIT_USAGE);
  });

  test('no command shows the help on stderr and is bad usage', () => {
    const result = cli();
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toMatch(/Usage: cdk-secure-ai/);
  });

  test('--help and --version exit 0', () => {
    expect(cli('--help')).toMatchObject({ code: EXIT_OK, stdout: expect.stringMatching(/report .*\n.*rules/s) });
    expect(cli('report', '--help')).toMatchObject({ code: EXIT_OK, stdout: expect.stringMatching(/--format <format>/) });
    expect(cli('--version')).toEqual({ code: EXIT_OK, stdout: `${toolVersion()}\n`, stderr: '' });
  });
});
