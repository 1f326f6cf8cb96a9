import * as fs from 'fs';
import * as path from 'path';
import {
  ACK_REASON, finding, lineOf, pluginReport, removeTempDirs, synthesizeAllAcknowledgedApp, synthesizeStandardApp, tally, tempDir,
} from './fixtures';
import { catalogueMetadata } from '../../src/nag/catalogue';
import { METADATA_KEYS } from '../../src/nag/findings';
import { GuidelineSection, RuleLevel } from '../../src/nag/rule';
import { FailOn } from '../../src/nag/secure-ai-checks';
import { collectAssemblyEvidence } from '../../src/report/assembly-evidence';
import { failingFindings, failsPolicy, modelFromPluginReport, modelFromValidationReport, ReportModel } from '../../src/report/report-model';
import { readValidationReport, ReportInputError } from '../../src/report/validation-report-file';

afterAll(removeTempDirs);

/** A cloud assembly directory holding only a validation report with these plugin entries. */
function reportWith(pluginReports: unknown[]): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'validation-report.json'), JSON.stringify({ version: '55.0.0', pluginReports }));
  return dir;
}

function secureAiEntry(metadata: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { pluginName: 'SecureAI', conclusion: 'failure', metadata, violations: [], ...extra };
}

const fromDir = (dir: string) => modelFromValidationReport(readValidationReport(dir));

describe('a synthesized app', () => {
  let dir: string;
  let model: ReportModel;
  beforeAll(() => {
    dir = synthesizeStandardApp();
    model = fromDir(dir);
  });

  test('open findings are located in their template at the line of the logical ID', () => {
    const template = fs.readFileSync(path.join(dir, 'Infer.template.json'), 'utf-8');
    const p6 = model.findings.filter((f) => f.ruleId === 'P6');
    expect(p6).toHaveLength(1);
    expect(p6[0]).toMatchObject({
      ruleName: 'SecureAI-P6',
      constructPath: 'Infer/Open',
      section: GuidelineSection.DEPLOYMENT,
      template: { uri: 'Infer.template.json', relativeToCloudAssembly: true, line: lineOf(template, '"Open": {') },
    });
  });

  test('acknowledged findings keep the reason and where it was recorded', () => {
    expect(model.acknowledged).toHaveLength(1);
    expect(model.acknowledged[0]).toMatchObject({ constructPath: 'Infer/Accepted', acknowledged: { reason: ACK_REASON, at: 'Infer/Accepted' } });
  });

  test('coverage comes from the tallies; the policy is the run\'s failOn', () => {
    expect(model.talliesRecorded).toBe(true);
    expect(model.coverage.find((c) => c.ruleId === 'P6')).toEqual({
      ruleId: 'P6', status: 'non-compliant', evaluated: 3, compliant: 1, nonCompliant: 2, notApplicable: 0, unverifiable: 0, errors: 0,
    });
    expect(model.coverage.map((c) => c.ruleId)).toEqual(catalogueMetadata().map((r) => r.id));
    expect(model.failOn).toBe(FailOn.ERROR);
    expect(model.resources).toBe(collectAssemblyEvidence(dir).resourceCount);
    expect(failsPolicy(model)).toBe(true);
  });

  test('other plugins are counted per resource', () => {
    expect(model.otherPlugins).toEqual([{ name: 'AwsSolutions', version: null, conclusion: 'failure', bySeverity: { error: 2 }, acknowledged: 0 }]);
  });
});

describe('a validation report without a SecureAI entry', () => {
  let model: ReportModel;
  beforeAll(() => {
    model = fromDir(synthesizeAllAcknowledgedApp());
  });

  test('has no findings, passes, and says why the tallies are missing', () => {
    expect(model.secureAiEntry).toBe('absent');
    expect(model.findings).toEqual([]);
    expect(failsPolicy(model)).toBe(false);
    expect(model.talliesRecorded).toBe(false);
    expect(model.notes.join(' ')).toMatch(/no SecureAI entry.*leaves out a plugin that succeeded with no open violation/);
  });

  test('counts each rule\'s resources from the templates and lists the recorded acknowledgments', () => {
    expect(model.coverage.find((c) => c.ruleId === 'P6')).toMatchObject({ status: 'no-open-finding', evaluated: 1, compliant: null });
    const absentTypes = catalogueMetadata().find((r) => !r.resourceTypes.some((t) => ['AWS::SageMaker::EndpointConfig', 'AWS::S3::Bucket'].includes(t)));
    if (absentTypes) expect(model.coverage.find((c) => c.ruleId === absentTypes.id)).toMatchObject({ status: 'no-applicable-resource', evaluated: 0 });
    expect(model.recordedAcknowledgments).toContainEqual({ ruleName: 'SecureAI-P6', reason: ACK_REASON, at: 'Prod/Serve/Config' });
    expect(model.resources).toBe(2);
  });
});

describe('failOn', () => {
  const report = (failOn: FailOn) => modelFromPluginReport(pluginReport([
    finding('Warned', { level: RuleLevel.WARNING }),
    finding('Accepted', { acknowledged: { reason: 'r', at: 'Infer' } }),
  ], { failOn }));

  test('error: only unacknowledged errors fail', () => {
    expect(failingFindings(report(FailOn.ERROR))).toEqual([]);
    expect(failsPolicy(modelFromPluginReport(pluginReport([finding('Open')])))).toBe(true);
  });

  test('warning: any unacknowledged finding fails', () => {
    expect(failingFindings(report(FailOn.WARNING)).map((f) => f.logicalId)).toEqual(['Warned']);
  });

  test('none: nothing fails', () => {
    expect(failsPolicy(modelFromPluginReport(pluginReport([finding('Open')], { failOn: FailOn.NONE })))).toBe(false);
  });

  test('an unknown failOn is read as error, with a note', () => {
    const model = modelFromPluginReport(pluginReport([finding('Open')], { failOn: 'sometimes' as FailOn }));
    expect(model.failOn).toBe(FailOn.ERROR);
    expect(model.notes[0]).toMatch(/failOn "sometimes"/);
  });
});

describe('unusual inputs', () => {
  test('a plugin report not produced by the pack is refused', () => {
    expect(() => modelFromPluginReport({ success: true, violations: [] })).toThrow(ReportInputError);
  });

  test('a pack that threw is a failed entry that fails the policy', () => {
    const model = fromDir(reportWith([secureAiEntry({ error: "Validation plugin 'SecureAI' failed: boom" })]));
    expect(model.secureAiEntry).toBe('failed');
    expect(model.pluginError).toMatch(/boom/);
    expect(failsPolicy(model)).toBe(true);
  });

  test('malformed findings metadata names the entry and the key', () => {
    expect(() => fromDir(reportWith([secureAiEntry({ [METADATA_KEYS.findings]: '[{' })]))).toThrow(/SecureAI entry 1 of .*"secureai:findings" metadata is not valid JSON/);
  });

  test('a finding the CDK suppressed is acknowledged with the CDK\'s reason', () => {
    const model = fromDir(reportWith([secureAiEntry(pluginReport([finding('Open')]).metadata!, {
      suppressedViolations: [{ ruleName: 'SecureAI-P6', description: 'd', violatingConstructs: [{ constructPath: 'Infer/Open' }], reason: 'cdk says so', acknowledgedAt: 'Infer' }],
    })]));
    expect(model.findings).toEqual([]);
    expect(model.acknowledged[0].acknowledged).toEqual({ reason: 'cdk says so', at: 'Infer' });
  });

  test('entries of a pack registered twice are merged without duplicates', () => {
    const metadata = pluginReport([finding('Open'), finding('Open', { ruleName: 'SecureAI-EngineError' })], { tallies: [tally('P6', { evaluated: 1, nonCompliant: 1, errors: 1 })] }).metadata!;
    const model = fromDir(reportWith([secureAiEntry(metadata), secureAiEntry(metadata)]));
    expect(model.findings.map((f) => f.ruleName)).toEqual(['SecureAI-EngineError', 'SecureAI-P6']);
    expect(model.notes[0]).toMatch(/2 SecureAI entries/);
  });

  test('a rule the catalogue does not know has no section and is still counted', () => {
    const model = modelFromPluginReport(pluginReport([finding('Future', { ruleName: 'SecureAI-Z99', ruleId: 'Z99' })], { tallies: [tally('Z99', { evaluated: 1, nonCompliant: 1 })] }));
    expect(model.findings[0].section).toBeUndefined();
    expect(model.coverage[model.coverage.length - 1]).toMatchObject({ ruleId: 'Z99', status: 'non-compliant' });
    expect(model.coverage.find((c) => c.ruleId === 'P6')?.status).toBe('not-evaluated');
  });

  test('the plugin report of validateScope has no template: findings have no location', () => {
    const model = modelFromPluginReport(pluginReport([finding('Open')]));
    expect(model.findings[0].template).toBeUndefined();
    expect(model.source).toEqual({ kind: 'plugin-report' });
  });
});
