import * as path from 'path';
import { ACK_REASON, finding, modelOf, pluginReport, removeTempDirs, synthesizeAllAcknowledgedApp, synthesizeStandardApp } from './fixtures';
import { catalogueMetadata } from '../../src/nag/catalogue';
import { FINDINGS_FILE, METADATA_KEYS } from '../../src/nag/findings';
import { readCloudAssembly } from '../../src/report/cloud-assembly-input';
import { jsonReport } from '../../src/report/json-report';
import { modelFromPluginReport } from '../../src/report/report-model';

afterAll(removeTempDirs);

describe('the JSON report', () => {
  let dir: string;
  let json: ReturnType<typeof jsonReport>;
  beforeAll(() => {
    dir = synthesizeStandardApp();
    // Through a JSON round trip, as consumers read it: nothing may depend on undefined or Map values.
    json = JSON.parse(JSON.stringify(jsonReport(modelOf(dir))));
  });

  test('has the documented top-level shape', () => {
    expect(Object.keys(json)).toEqual(['schemaVersion', 'tool', 'source', 'summary', 'sections', 'findings', 'acknowledged',
      'tallies', 'otherPlugins', 'notes']);
    expect(json.schemaVersion).toBe(2);
    expect(json.tool.name).toBe('cdk-secure-ai');
    expect(json.source).toEqual({ kind: 'cloud-assembly', file: path.join(dir, FINDINGS_FILE), cloudAssemblyDir: dir, secureAiEntry: 'present' });
  });

  test('summary: verdict, policy and counts', () => {
    expect(json.summary).toMatchObject({ passed: false, failOn: 'error', acknowledgedFindings: 1, pluginError: null });
    expect(Object.keys(json.summary.rules)).not.toContain('no-open-finding');
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
      fix: catalogueMetadata().find((r) => r.id === 'P6')!.fix,
      acknowledged: null,
    });
    expect(json.acknowledged).toEqual([expect.objectContaining({ logicalId: 'Accepted', acknowledged: { reason: ACK_REASON, at: 'Infer/Accepted' } })]);
  });

  test('tallies are the run\'s as recorded', () => {
    const written = readCloudAssembly(dir).findings!.content;
    expect(json.tallies).toEqual(JSON.parse(written.metadata[METADATA_KEYS.tallies]));
    expect(json.otherPlugins).toEqual([{ name: 'AwsSolutions', version: null, conclusion: 'failure', bySeverity: { error: 2 }, acknowledged: 0 }]);
  });

  test('an app whose findings are all acknowledged: acknowledged findings with reasons and the tallies, from the findings file', () => {
    const acknowledged = jsonReport(modelOf(synthesizeAllAcknowledgedApp()));
    expect(acknowledged.source).toMatchObject({ kind: 'cloud-assembly', file: expect.stringMatching(/secure-ai\.findings\.json$/), secureAiEntry: 'present' });
    expect(acknowledged.summary).toMatchObject({ passed: true, failOn: 'error', openFindings: { total: 0 } });
    expect(acknowledged.acknowledged).toContainEqual(expect.objectContaining({
      ruleName: 'SecureAI-P6',
      constructPath: 'Prod/Serve/Config',
      acknowledged: { reason: ACK_REASON, at: 'Prod/Serve/Config' },
      template: { uri: expect.stringMatching(/^assembly-Prod\/ProdServe[0-9A-F]*\.template\.json$/), relativeToCloudAssembly: true, line: expect.any(Number) },
    }));
    expect(acknowledged.tallies.find((t) => t.ruleId === 'P6')).toMatchObject({ evaluated: 1, nonCompliant: 1 });
    expect(acknowledged.notes).toEqual([]);
  });

  test('a finding without template has template null', () => {
    expect(jsonReport(modelFromPluginReport(pluginReport([finding('Open')]))).findings[0].template).toBeNull();
  });
});
