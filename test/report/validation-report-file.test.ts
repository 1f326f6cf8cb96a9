import { ReportInputError } from '../../src/report/report-input-error';
import { validationReportFrom } from '../../src/report/validation-report-file';

const FILE = '/build/cdk.out/validation-report.json';

describe('validationReportFrom', () => {
  test('accepts the CDK\'s report: plugin entries with a name and violations', () => {
    const report = { version: '55.0.0', title: 'Validation Report', pluginReports: [{ pluginName: 'SecureAI', conclusion: 'success', violations: [] }] };
    expect(validationReportFrom(report, FILE)).toBe(report);
    expect(validationReportFrom({ pluginReports: [] }, FILE).pluginReports).toEqual([]);
  });

  test('refuses anything else, naming the file and what it needs', () => {
    for (const json of [{ pluginReports: [{ name: 'x' }] }, [], null, 'text']) {
      expect(() => validationReportFrom(json, FILE)).toThrow(ReportInputError);
      expect(() => validationReportFrom(json, FILE)).toThrow(`${FILE} is not a CDK validation report: it needs a "pluginReports" array`);
    }
  });
});
