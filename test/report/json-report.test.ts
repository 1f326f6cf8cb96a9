import { ACK_REASON, finding, pluginReport, removeTempDirs, synthesizeAllAcknowledgedApp, synthesizeStandardApp } from './fixtures';
import { catalogueMetadata } from '../../src/nag/catalogue';
import { METADATA_KEYS } from '../../src/nag/findings';
import { jsonReport } from '../../src/report/json-report';
import { modelFromPluginReport, modelFromValidationReport } from '../../src/report/report-model';
import { readValidationReport } from '../../src/report/validation-report-file';

afterAll(removeTempDirs);

describe('the JSON report', () => {
  let dir: string;
  let json: ReturnType<typeof jsonReport>;
  beforeAll(() => {
    dir = synthesizeStandardApp();
    // Through a JSON round trip, as consumers read it: nothing may depend on undefined or Map values.
    json = JSON.parse(JSON.stringify(jsonReport(modelFromValidationReport(readValidationReport(dir)))));
  });

  test('has the documented top-level shape', () => {
    expect(Object.keys(json)).toEqual(['schemaVersion', 'tool', 'source', 'summary', 'sections', 'findings', 'acknowledged',
      'recordedAcknowledgments', 'tallies', 'otherPlugins', 'notes']);
    expect(json.schemaVersion).toBe(1);
    expect(json.tool.name).toBe('cdk-secure-ai');
    expect(json.source).toEqual({ kind: 'validation-report', file: `${dir}/validation-report.json`, cloudAssemblyDir: dir, secureAiEntry: 'present' });
  });

  test('summary: verdict, policy and counts', () => {
    expect(json.summary).toMatchObject({ passed: false, failOn: 'error', acknowledgedFindings: 1, talliesRecorded: true, pluginError: null });
    expect(json.summary.rules.catalogue).toBe(catalogueMetadata().length);
  });

  test('sections: the four, in order, with every catalogue rule and its coverage', () => {
    expect(json.sections.map((s) => s.id)).toEqual(['design', 'development', 'deployment', 'operation']);
    expect(json.sections.flatMap((s) => s.rules.map((r) => r.id))).toEqual(expect.arrayContaining(catalogueMetadata().map((r) => r.id)));
    const p6 = json.sections.find((s) => s.id === 'deployment')!.rules.find((r) => r.id === 'P6')!;
    expect(p6).toMatchObject({ ruleName: 'SecureAI-P6', level: 'error', helpUri: expect.stringMatching(/RULES\.md#secureai-p6$/) });
    expect(p6.coverage).toEqual({ ruleId: 'P6', status: 'non-compliant', evaluated: 3, compliant: 1, nonCompliant: 2, notApplicable: 0, unverifiable: 0, errors: 0 });
  });

  test('findings and acknowledged: every key present, null where absent', () => {
    const open = json.findings.find((f) => f.ruleId === 'P6')!;
    expect(open).toEqual({
      ruleName: 'SecureAI-P6',
      ruleId: 'P6',
      level: 'error',
      section: 'deployment',
      message: expect.stringContaining('KmsKeyId is absent'),
      logicalId: 'Open',
      constructPath: 'Infer/Open',
      resourceType: 'AWS::SageMaker::EndpointConfig',
      stackPath: 'Infer',
      template: { uri: 'Infer.template.json', relativeToCloudAssembly: true, line: expect.any(Number) },
      propertyPaths: ['Properties.KmsKeyId'],
      acknowledged: null,
    });
    expect(json.acknowledged).toEqual([expect.objectContaining({ logicalId: 'Accepted', acknowledged: { reason: ACK_REASON, at: 'Infer/Accepted' } })]);
  });

  test('tallies are the run\'s as recorded', () => {
    const report = readValidationReport(dir).report.pluginReports.find((p) => p.pluginName === 'SecureAI')!;
    expect(json.tallies).toEqual(JSON.parse(report.metadata![METADATA_KEYS.tallies]));
    expect(json.otherPlugins).toEqual([{ name: 'AwsSolutions', version: null, conclusion: 'failure', bySeverity: { error: 2 }, acknowledged: 0 }]);
  });

  test('without a SecureAI entry: empty tallies, recorded acknowledgments, a note', () => {
    const absent = jsonReport(modelFromValidationReport(readValidationReport(synthesizeAllAcknowledgedApp())));
    expect(absent.source.secureAiEntry).toBe('absent');
    expect(absent.summary).toMatchObject({ passed: true, failOn: null, talliesRecorded: false });
    expect(absent.tallies).toEqual([]);
    expect(absent.recordedAcknowledgments).toContainEqual({ ruleName: 'SecureAI-P6', reason: ACK_REASON, at: 'Prod/Serve/Config' });
    expect(absent.notes).toHaveLength(1);
  });

  test('a finding without template has template null', () => {
    expect(jsonReport(modelFromPluginReport(pluginReport([finding('Open')]))).findings[0].template).toBeNull();
  });
});
