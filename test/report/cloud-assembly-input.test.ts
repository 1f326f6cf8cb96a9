import * as fs from 'fs';
import * as path from 'path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStandardApp, removeTempDirs, synthesize, synthesizeStandardApp, tempDir } from './fixtures';
import { FINDINGS_FILE } from '../../src/nag/findings';
import { readCloudAssembly } from '../../src/report/cloud-assembly-input';
import { ReportInputError } from '../../src/report/report-input-error';

afterAll(removeTempDirs);

/** A directory holding these files, by name. */
function dirWith(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

const FINDINGS = JSON.stringify({ pluginName: 'SecureAI', pluginVersion: '0.0.0', success: true, metadata: { 'secureai:findings': '[]' } });

describe('readCloudAssembly', () => {
  let dir: string;
  beforeAll(() => {
    dir = synthesizeStandardApp();
  });

  test('reads the findings file and the validation report of a synthesized app', () => {
    const input = readCloudAssembly(dir);
    expect(input.cloudAssemblyDir).toBe(dir);
    expect(input.findings).toMatchObject({ file: path.join(dir, FINDINGS_FILE), content: { pluginName: 'SecureAI', success: false } });
    expect(input.validationReport?.file).toBe(path.join(dir, 'validation-report.json'));
    expect(input.validationReport?.report.pluginReports.map((p) => p.pluginName)).toEqual(['SecureAI', 'AwsSolutions']);
  });

  test('the path of either file reads the same directory', () => {
    for (const file of [FINDINGS_FILE, 'validation-report.json']) expect(readCloudAssembly(path.join(dir, file))).toEqual(readCloudAssembly(dir));
  });

  test('a renamed validation report given directly is read as one, with the findings file beside it', () => {
    fs.copyFileSync(path.join(dir, 'validation-report.json'), path.join(dir, 'ci-validation.json'));
    const input = readCloudAssembly(path.join(dir, 'ci-validation.json'));
    expect(input.validationReport?.file).toBe(path.join(dir, 'ci-validation.json'));
    expect(input.findings?.file).toBe(path.join(dir, FINDINGS_FILE));
  });

  test('the findings file alone is enough; so is the SecureAI entry alone (an app synthesized by an older pack)', () => {
    expect(readCloudAssembly(dirWith({ [FINDINGS_FILE]: FINDINGS })).validationReport).toBeUndefined();
    const older = dirWith({ 'validation-report.json': JSON.stringify({ pluginReports: [{ pluginName: 'SecureAI', conclusion: 'failure', violations: [] }] }) });
    expect(readCloudAssembly(older).findings).toBeUndefined();
  });

  test('a missing path names the path and what to give instead', () => {
    const missing = path.join(tempDir(), 'nope');
    expect(() => readCloudAssembly(missing)).toThrow(ReportInputError);
    expect(() => readCloudAssembly(missing)).toThrow(`${missing} does not exist: give the cloud assembly directory`);
  });

  test('a synthesis the pack did not run in: the error says so and how to register it', () => {
    const without = synthesize(buildStandardApp, { registerPack: false, plugins: [new AwsSolutionsChecks()] });
    expect(fs.existsSync(path.join(without, 'validation-report.json'))).toBe(true);
    expect(() => readCloudAssembly(without)).toThrow(new ReportInputError(`${without} has no ${FINDINGS_FILE}, and validation-report.json has no SecureAI entry: ` +
      'SecureAiChecks did not run in that synthesis. Register it with `Validations.of(app).addPlugins(new SecureAiChecks())` and synthesize again.'));
    const empty = tempDir();
    expect(() => readCloudAssembly(empty)).toThrow(`${empty} has neither ${FINDINGS_FILE} nor validation-report.json: SecureAiChecks did not run in that synthesis.`);
  });

  test('a malformed findings file is refused, naming the file', () => {
    const file = (d: string) => path.join(d, FINDINGS_FILE);
    const broken = dirWith({ [FINDINGS_FILE]: '{"pluginName": "SecureAI", ' });
    expect(() => readCloudAssembly(broken)).toThrow(new RegExp(`^${file(broken)} is not valid JSON \\(.*\\): synthesize the app again`));
    for (const content of [{ pluginName: 'Other', metadata: {} }, { pluginName: 'SecureAI' }, { pluginName: 'SecureAI', metadata: { 'secureai:findings': [] } },
      { pluginName: 'SecureAI', metadata: { 'secureai:failOn': 'error' } }, { pluginName: 'SecureAI', metadata: [] }, null]) {
      const d = dirWith({ [FINDINGS_FILE]: JSON.stringify(content) });
      expect(() => readCloudAssembly(d)).toThrow(`${file(d)} is not a findings file of SecureAiChecks: it needs "pluginName": "SecureAI"`);
    }
  });

  test('a malformed validation report is refused, naming the file, even beside a findings file', () => {
    const broken = dirWith({ [FINDINGS_FILE]: FINDINGS, 'validation-report.json': '{ "pluginReports": [' });
    expect(() => readCloudAssembly(broken)).toThrow(/validation-report\.json is not valid JSON \(.*\): synthesize the app again/);
    expect(() => readCloudAssembly(dirWith({ [FINDINGS_FILE]: FINDINGS, 'validation-report.json': '[]' }))).toThrow(/is not a CDK validation report/);
  });
});
