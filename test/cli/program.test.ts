import * as fs from 'fs';
import * as path from 'path';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, run } from '../../src/cli/program';
import { FailOn } from '../../src/nag/secure-ai-checks';
import { toolVersion } from '../../src/package-info';
import { rulesJson, rulesMarkdown } from '../../src/report/rules-doc';
import { ACK_REASON, buildStandardApp, removeTempDirs, synthesize, synthesizeAllAcknowledgedApp, synthesizeStandardApp, tempDir, validateSarif } from '../report/fixtures';

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
let acknowledged: string;
beforeAll(() => {
  failing = synthesizeStandardApp();
  passing = synthesize(buildStandardApp, { props: { failOn: FailOn.NONE } });
  acknowledged = synthesizeAllAcknowledgedApp();
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

  test('exits 0 when every finding is acknowledged, listing them with their reasons and nothing on stderr', () => {
    const result = cli('report', acknowledged, '--format', 'json');
    expect(result).toMatchObject({ code: EXIT_OK, stderr: '' });
    const json = JSON.parse(result.stdout);
    expect(json.summary).toMatchObject({ passed: true, failOn: 'error', openFindings: { total: 0 } });
    expect(json.acknowledged).toContainEqual(expect.objectContaining({ constructPath: 'Prod/Serve/Config', acknowledged: { reason: ACK_REASON, at: 'Prod/Serve/Config' } }));
  });

  test('--format summary prints the Markdown report\'s head alone', () => {
    const result = cli('report', failing, '--format', 'summary');
    expect(result.code).toBe(EXIT_FINDINGS);
    expect(cli('report', failing).stdout.startsWith(result.stdout)).toBe(true);
    expect(result.stdout).toMatch(/## Summary\n[\s\S]*### Findings by section[\s\S]*\| 4\. Secure operation and maintenance \|/);
    expect(result.stdout).not.toContain('## 1. Secure design');
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

  test('the path of secure-ai.findings.json or validation-report.json works as well as their directory', () => {
    expect(cli('report', path.join(passing, 'secure-ai.findings.json')).code).toBe(EXIT_OK);
    expect(cli('report', path.join(passing, 'validation-report.json')).code).toBe(EXIT_OK);
  });

  test('a missing directory: one line, exit 2', () => {
    expectOneLineError(cli('report', path.join(tempDir(), 'missing')), /^cdk-secure-ai: error: .*missing does not exist: give the cloud assembly directory/);
  });

  test('a synthesis the pack did not run in: one line, exit 2', () => {
    expectOneLineError(cli('report', tempDir()), /has neither secure-ai\.findings\.json nor validation-report\.json: SecureAiChecks did not run in that synthesis\. Register it/);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'validation-report.json'), JSON.stringify({ pluginReports: [] }));
    expectOneLineError(cli('report', dir), /has no secure-ai\.findings\.json, and validation-report\.json has no SecureAI entry: SecureAiChecks did not run/);
  });

  test('a malformed findings file or validation report: one line naming the file, exit 2', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'secure-ai.findings.json'), '{"pluginName": "SecureAI", ');
    expectOneLineError(cli('report', dir), /secure-ai\.findings\.json is not valid JSON/);
    fs.writeFileSync(path.join(dir, 'secure-ai.findings.json'), '{"pluginName": "SecureAI", "metadata": {"secureai:findings": "{"}}');
    expectOneLineError(cli('report', dir), /secure-ai\.findings\.json: its "secureai:findings" metadata is not valid JSON/);
    fs.writeFileSync(path.join(dir, 'validation-report.json'), '{"pluginReports": [');
    expectOneLineError(cli('report', dir), /validation-report\.json is not valid JSON/);
  });

  test('a pack that threw fails the report: exit 1, the error in the report', () => {
    const dir = tempDir();
    const entry = { pluginName: 'SecureAI', conclusion: 'failure', violations: [], metadata: { error: "Validation plugin 'SecureAI' failed: boom" } };
    fs.writeFileSync(path.join(dir, 'validation-report.json'), JSON.stringify({ pluginReports: [entry] }));
    const result = cli('report', dir);
    expect(result).toMatchObject({ code: EXIT_FINDINGS, stderr: '' });
    expect(result.stdout).toContain("**FAIL**: the pack could not run: Validation plugin 'SecureAI' failed: boom");
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

describe('cdk-secure-ai verify (the test vectors are in test/signing/vectors.test.ts)', () => {
  const vectors = path.join(__dirname, '..', 'fixtures', 'model-signing-vectors');
  const args = (model = 'model') => ['verify', '--model', path.join(vectors, model), '--signature', path.join(vectors, 'generated', 'model.sig'),
    '--public-key', path.join(vectors, 'keys', 'p256-public.pem')];

  test('a model directory is a model (issue 14: it used to say "check that the file exists")', () => {
    expect(cli(...args())).toMatchObject({ code: EXIT_OK, stdout: expect.stringMatching(/^valid: .*model \(4 files, subject SHA-256 fa706a4f/), stderr: '' });
  });

  test('a missing model or option is bad usage, in one line', () => {
    expectOneLineError(cli(...args('nope')), /cannot read the model .*nope \(ENOENT\): check the path/);
    expect(cli('verify', '--model', path.join(vectors, 'model')).code).toBe(EXIT_USAGE);
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
