import * as fs from 'fs';
import * as path from 'path';
import { removeTempDirs, tempDir } from './fixtures';
import { readValidationReport, ReportInputError } from '../../src/report/validation-report-file';

afterAll(removeTempDirs);

function reportDir(content: string): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'validation-report.json'), content);
  return dir;
}

const VALID = JSON.stringify({ version: '55.0.0', title: 'Validation Report', pluginReports: [{ pluginName: 'SecureAI', conclusion: 'success', violations: [] }] });

describe('readValidationReport', () => {
  test('reads a cloud assembly directory and names the directory the templates are relative to', () => {
    const dir = reportDir(VALID);
    const read = readValidationReport(dir);
    expect(read.file).toBe(path.join(dir, 'validation-report.json'));
    expect(read.cloudAssemblyDir).toBe(dir);
    expect(read.report.pluginReports[0].pluginName).toBe('SecureAI');
  });

  test('reads the file given directly', () => {
    const dir = reportDir(VALID);
    expect(readValidationReport(path.join(dir, 'validation-report.json')).cloudAssemblyDir).toBe(dir);
  });

  test('a missing path names the path and what to give instead', () => {
    const missing = path.join(tempDir(), 'nope');
    expect(() => readValidationReport(missing)).toThrow(ReportInputError);
    expect(() => readValidationReport(missing)).toThrow(`${missing} does not exist: give the cloud assembly directory`);
  });

  test('a directory without the report says to register the pack', () => {
    const dir = tempDir();
    expect(() => readValidationReport(dir)).toThrow(/has no validation-report\.json: .*Validations\.of\(app\)\.addPlugins\(new SecureAiChecks\(\)\)/);
  });

  test('malformed JSON names the file and says to synthesize again', () => {
    const dir = reportDir('{ "pluginReports": [');
    expect(() => readValidationReport(dir)).toThrow(/validation-report\.json is not valid JSON \(.*\): synthesize the app again/);
  });

  test('JSON that is not a validation report is refused', () => {
    expect(() => readValidationReport(reportDir('{"pluginReports": [{"name": "x"}]}'))).toThrow(/is not a CDK validation report/);
    expect(() => readValidationReport(reportDir('[]'))).toThrow(/is not a CDK validation report/);
    expect(() => readValidationReport(reportDir('null'))).toThrow(/is not a CDK validation report/);
  });
});
