import * as fs from 'fs';
import * as path from 'path';
import {
  ACK_REASON, finding, lineOf, modelOf, pluginReport, removeTempDirs, synthesizeAllAcknowledgedApp, synthesizeStandardApp, tally, tempDir,
} from './fixtures';
import { catalogueMetadata } from '../../src/nag/catalogue';
import { FINDINGS_FILE, METADATA_KEYS } from '../../src/nag/findings';
import { GuidelineSection, RuleLevel } from '../../src/nag/rule';
import { FailOn } from '../../src/nag/secure-ai-checks';
import { ReportInputError } from '../../src/report/report-input-error';
import { failingFindings, failsPolicy, modelFromPluginReport, ReportModel } from '../../src/report/report-model';

afterAll(removeTempDirs);

/** A cloud assembly directory holding only a validation report with these plugin entries, as an older pack left it. */
function reportWith(pluginReports: unknown[]): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'validation-report.json'), JSON.stringify({ version: '55.0.0', pluginReports }));
  return dir;
}

function secureAiEntry(metadata: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { pluginName: 'SecureAI', conclusion: 'failure', metadata, violations: [], ...extra };
}

/** Writes secure-ai.findings.json into `dir` as the pack does, with this metadata. */
function writeFindingsFile(dir: string, metadata: Record<string, string>): void {
  fs.writeFileSync(path.join(dir, FINDINGS_FILE), JSON.stringify({ pluginName: 'SecureAI', pluginVersion: '0.0.0', success: true, metadata }));
}

const resourceCount = (template: string) => Object.keys(JSON.parse(fs.readFileSync(template, 'utf-8')).Resources).length;

describe('a synthesized app', () => {
  let dir: string;
  let model: ReportModel;
  beforeAll(() => {
    dir = synthesizeStandardApp();
    model = modelOf(dir);
  });

  test('the pack\'s results are read from its findings file', () => {
    expect(model.source).toEqual({ kind: 'cloud-assembly', file: path.join(dir, FINDINGS_FILE), cloudAssemblyDir: dir });
    expect(model.secureAiEntry).toBe('present');
    expect(model.notes).toEqual([]);
  });

  test('open findings are located in their template at the line of the logical ID', () => {
    const template = fs.readFileSync(path.join(dir, 'Infer.template.json'), 'utf-8');
    const p6 = model.findings.filter((f) => f.ruleId === 'P6');
    expect(p6).toHaveLength(1);
    expect(p6[0]).toMatchObject({
      ruleName: 'SecureAI-P6',
      constructPath: 'Infer/Open',
      section: GuidelineSection.DEPLOYMENT,
      template: { uri: 'Infer.template.json', line: lineOf(template, '"Open": {') },
    });
  });

  test('acknowledged findings keep the reason and where it was recorded', () => {
    expect(model.acknowledged).toHaveLength(1);
    expect(model.acknowledged[0]).toMatchObject({ constructPath: 'Infer/Accepted', acknowledged: { reason: ACK_REASON, at: 'Infer/Accepted' } });
  });

  test('coverage comes from the tallies; the policy is the run\'s failOn', () => {
    expect(model.coverage.find((c) => c.ruleId === 'P6')).toEqual({
      ruleId: 'P6', status: 'non-compliant', evaluated: 3, compliant: 1, nonCompliant: 2, notApplicable: 0, unverifiable: 0, errors: 0,
    });
    expect(model.coverage.map((c) => c.ruleId)).toEqual(catalogueMetadata().map((r) => r.id));
    expect(model.failOn).toBe(FailOn.ERROR);
    expect(model.resources).toBe(resourceCount(path.join(dir, 'Infer.template.json')));
    expect(failsPolicy(model)).toBe(true);
  });

  test('other plugins are counted per resource', () => {
    expect(model.otherPlugins).toEqual([{ name: 'AwsSolutions', version: null, conclusion: 'failure', bySeverity: { error: 2 }, acknowledged: 0 }]);
  });

  test('an app synthesized by an older pack, with no findings file, is read from its validation report entry alike', () => {
    const older = synthesizeStandardApp();
    fs.rmSync(path.join(older, FINDINGS_FILE));
    const fromEntry = modelOf(older);
    expect(fromEntry.source.file).toBe(path.join(older, 'validation-report.json'));
    const exact = ({ findings, acknowledged, coverage, failOn, resources }: ReportModel) => ({ findings, acknowledged, coverage, failOn, resources });
    expect(exact(fromEntry)).toEqual(exact(model));
  });
});

describe('an app whose findings are all acknowledged, in a stage', () => {
  let dir: string;
  let model: ReportModel;
  beforeAll(() => {
    dir = synthesizeAllAcknowledgedApp();
    model = modelOf(dir);
  });

  test('is read whole from the findings file, though the CDK left the pack out of validation-report.json', () => {
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'validation-report.json'), 'utf-8')).pluginReports).toEqual([]);
    expect(model.source.file).toBe(path.join(dir, FINDINGS_FILE));
    expect(model.findings).toEqual([]);
    expect(failsPolicy(model)).toBe(false);
    expect(model.failOn).toBe(FailOn.ERROR);
    expect(model.resources).toBe(2);
  });

  test('acknowledged findings keep their reasons; coverage comes from the tallies', () => {
    expect(model.acknowledged).toContainEqual(expect.objectContaining({
      ruleName: 'SecureAI-P6', constructPath: 'Prod/Serve/Config', acknowledged: { reason: ACK_REASON, at: 'Prod/Serve/Config' },
    }));
    expect(model.acknowledged.filter((f) => f.ruleId !== 'P6').every((f) => f.acknowledged?.reason === 'fixture: any other rule')).toBe(true);
    expect(model.coverage.find((c) => c.ruleId === 'P6')).toMatchObject({ status: 'non-compliant', evaluated: 1, nonCompliant: 1 });
    expect(model.tallies.map((t) => t.ruleId)).toEqual(catalogueMetadata().map((r) => r.id));
  });

  test('a stack in a stage is located in its nested assembly, at the line of the logical ID', () => {
    const [file] = fs.readdirSync(path.join(dir, 'assembly-Prod')).filter((f) => f.endsWith('.template.json'));
    const template = fs.readFileSync(path.join(dir, 'assembly-Prod', file), 'utf-8');
    const p6 = model.acknowledged.find((f) => f.ruleId === 'P6')!;
    expect(p6.template).toEqual({ uri: `assembly-Prod/${file}`, line: lineOf(template, '"Config": {') });
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

  test('declarations: none from a pack that recorded none; metadata that is not a JSON array is refused with the fix', () => {
    expect(modelFromPluginReport(pluginReport([finding('Open')])).declarations).toEqual([]);
    const recorded = pluginReport([finding('Open')]);
    const broken = { ...recorded, metadata: { ...recorded.metadata, [METADATA_KEYS.declarations]: '{"declared":' } };
    expect(() => modelFromPluginReport(broken)).toThrow(/"secureai:declarations" metadata is not valid JSON .*Synthesize the app again/);
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
    const model = modelOf(reportWith([secureAiEntry({ error: "Validation plugin 'SecureAI' failed: boom" })]));
    expect(model.secureAiEntry).toBe('failed');
    expect(model.pluginError).toMatch(/boom/);
    expect(model.coverage.every((c) => c.status === 'not-evaluated')).toBe(true);
    expect(failsPolicy(model)).toBe(true);
  });

  test('a findings file beside the entry of a pack that threw is an earlier synthesis\'s: set aside, with a note', () => {
    const dir = reportWith([secureAiEntry({ error: "Validation plugin 'SecureAI' failed: boom" })]);
    writeFindingsFile(dir, pluginReport([finding('Stale')]).metadata!);
    const model = modelOf(dir);
    expect(model).toMatchObject({ secureAiEntry: 'failed', pluginError: expect.stringMatching(/boom/), findings: [] });
    expect(model.source.file).toBe(path.join(dir, 'validation-report.json'));
    expect(model.notes).toEqual([`${path.join(dir, FINDINGS_FILE)} was not read: the pack failed in this synthesis, so the file is from an earlier one.`]);
    expect(failsPolicy(model)).toBe(true);
  });

  test('malformed findings metadata names the file or entry and the key', () => {
    expect(() => modelOf(reportWith([secureAiEntry({ [METADATA_KEYS.findings]: '[{' })]))).toThrow(/SecureAI entry 1 of .*"secureai:findings" metadata is not valid JSON/);
    const dir = tempDir();
    writeFindingsFile(dir, { ...pluginReport([]).metadata!, [METADATA_KEYS.tallies]: '{}' });
    expect(() => modelOf(dir)).toThrow(new ReportInputError(`${path.join(dir, FINDINGS_FILE)}: its "secureai:tallies" metadata is not a JSON array. Synthesize the app again.`));
  });

  test('a finding the CDK suppressed is acknowledged with the CDK\'s reason', () => {
    const model = modelOf(reportWith([secureAiEntry(pluginReport([finding('Open')]).metadata!, {
      suppressedViolations: [{ ruleName: 'SecureAI-P6', description: 'd', violatingConstructs: [{ constructPath: 'Infer/Open' }], reason: 'cdk says so', acknowledgedAt: 'Infer' }],
    })]));
    expect(model.findings).toEqual([]);
    expect(model.acknowledged[0].acknowledged).toEqual({ reason: 'cdk says so', at: 'Infer' });
  });

  test('beside the findings file, the validation report still marks what the CDK acknowledged and adds its entry\'s findings', () => {
    const dir = reportWith([secureAiEntry(pluginReport([finding('Open'), finding('Other')]).metadata!, {
      suppressedViolations: [{ ruleName: 'SecureAI-P6', description: 'd', violatingConstructs: [{ constructPath: 'Infer/Open' }], reason: 'cdk says so', acknowledgedAt: 'Infer' }],
    })]);
    writeFindingsFile(dir, pluginReport([finding('Open')], { tallies: [tally('P6', { evaluated: 2, nonCompliant: 2 })] }).metadata!);
    const model = modelOf(dir);
    expect(model.source.file).toBe(path.join(dir, FINDINGS_FILE));
    expect(model.acknowledged.map((f) => [f.logicalId, f.acknowledged])).toEqual([['Open', { reason: 'cdk says so', at: 'Infer' }]]);
    expect(model.findings.map((f) => f.logicalId)).toEqual(['Other']);
    expect(model.tallies).toEqual([tally('P6', { evaluated: 2, nonCompliant: 2 })]);
  });

  test('entries of a pack registered twice are merged without duplicates', () => {
    const metadata = pluginReport([finding('Open'), finding('Open', { ruleName: 'SecureAI-EngineError' })], { tallies: [tally('P6', { evaluated: 1, nonCompliant: 1, errors: 1 })] }).metadata!;
    const model = modelOf(reportWith([secureAiEntry(metadata), secureAiEntry(metadata)]));
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
