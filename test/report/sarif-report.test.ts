import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as sarif from 'sarif';
import { ACK_REASON, finding, lineOf, modelOf, pluginReport, removeTempDirs, synthesizeAllAcknowledgedApp, synthesizeStandardApp, tally, validateSarif } from './fixtures';
import { catalogueMetadata } from '../../src/nag/catalogue';
import { RuleLevel } from '../../src/nag/rule';
import { modelFromPluginReport } from '../../src/report/report-model';
import { ruleHelpUri } from '../../src/report/rules-doc';
import { sarifReport } from '../../src/report/sarif-report';

afterAll(removeTempDirs);

const rules = catalogueMetadata();

describe('the SARIF log of a synthesized app', () => {
  let dir: string;
  let log: sarif.Log;
  let run: sarif.Run;
  beforeAll(() => {
    dir = synthesizeStandardApp();
    log = JSON.parse(JSON.stringify(sarifReport(modelOf(dir))));
    run = log.runs[0];
  });
  // Rules added to the catalogue may report on the fixture's resources too: look at P6's results only.
  const p6Result = (logicalId: string) => run.results!.find((r) => r.ruleId === 'SecureAI-P6' && r.locations?.[0].logicalLocations?.[0].name === logicalId)!;

  test('is valid against the SARIF 2.1.0 schema', () => {
    expect(validateSarif(log)).toEqual({ valid: true, errors: [] });
    expect(log.version).toBe('2.1.0');
  });

  test('the validation can fail: broken logs are rejected', () => {
    const broken = (change: (l: any) => void) => {
      const copy = JSON.parse(JSON.stringify(log));
      change(copy);
      return validateSarif(copy);
    };
    expect(broken((l) => { l.runs[0].results[0].level = 'fatal'; })).toEqual({ valid: false, errors: expect.arrayContaining([expect.stringMatching(/^\/runs\/0\/results\/0\/level /)]) });
    expect(broken((l) => { delete l.version; }).valid).toBe(false);
    expect(broken((l) => { l.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0; }).valid).toBe(false);
    expect(broken((l) => { l.runs[0].tool.driver.rules[0].helpUri = 'not a uri'; }).valid).toBe(false);
    expect(broken((l) => { l.runs[0].results[0].suppressions = [{ kind: 'ignored' }]; }).valid).toBe(false);
  });

  test('has one descriptor per catalogue rule, first and in order, documented from the catalogue', () => {
    const descriptors = run.tool.driver.rules!;
    expect(descriptors.slice(0, rules.length).map((d) => d.id)).toEqual(rules.map((r) => `SecureAI-${r.id}`));
    const p6 = descriptors.find((d) => d.id === 'SecureAI-P6')!;
    const rule = rules.find((r) => r.id === 'P6')!;
    expect(p6).toMatchObject({
      name: 'EndpointStorageIsEncryptedWithACustomerManagedKey',
      shortDescription: { text: rule.title },
      helpUri: ruleHelpUri('P6'),
      defaultConfiguration: { level: 'error' },
      properties: { section: 'deployment', peerCoverage: rule.coverage, runCoverage: { status: 'non-compliant' } },
    });
    expect(p6.fullDescription!.text).toContain(`"${rule.quote}"`);
    expect(p6.fullDescription!.text).toContain(rule.explanation);
    expect(p6.help!.text).toContain(rule.fix);
  });

  test('a result points at the template, relative to the cloud assembly, at the line of the logical ID', () => {
    const result = p6Result('Open');
    const template = fs.readFileSync(path.join(dir, 'Infer.template.json'), 'utf-8');
    expect(result).toMatchObject({ ruleId: 'SecureAI-P6', level: 'error', kind: 'fail' });
    expect(run.tool.driver.rules![result.ruleIndex!].id).toBe('SecureAI-P6');
    expect(result.locations![0]).toEqual({
      physicalLocation: { artifactLocation: { uri: 'Infer.template.json', uriBaseId: 'CDKOUT' }, region: { startLine: lineOf(template, '"Open": {') } },
      logicalLocations: [{ name: 'Open', fullyQualifiedName: 'Infer/Open', kind: 'resource', properties: { resourceType: 'AWS::SageMaker::EndpointConfig', stackPath: 'Infer' } }],
    });
    expect(result.message.text).toMatch(/^AWS::SageMaker::EndpointConfig Open: KmsKeyId is absent.*\.$/);
    expect(run.originalUriBaseIds!.CDKOUT.uri).toBe(`${pathToFileURL(dir).href}/`);
  });

  test('an acknowledged finding is a result with an external suppression giving the reason', () => {
    const result = p6Result('Accepted');
    expect(result.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: ACK_REASON, location: { logicalLocations: [{ fullyQualifiedName: 'Infer/Accepted' }] } }]);
    expect(p6Result('Open').suppressions).toBeUndefined();
  });

  test('results carry a fingerprint of rule and resource that survives line changes', () => {
    const fingerprints = run.results!.map((r) => r.partialFingerprints!['secureAiFinding/v1']);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });
});

describe('the SARIF log of an app whose findings are all acknowledged, in a stage', () => {
  test('is valid; every result is suppressed with its reason and points into the nested assembly', () => {
    const log = JSON.parse(JSON.stringify(sarifReport(modelOf(synthesizeAllAcknowledgedApp())))) as sarif.Log;
    expect(validateSarif(log)).toEqual({ valid: true, errors: [] });
    const results = log.runs[0].results!;
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.suppressions?.[0].status === 'accepted')).toBe(true);
    const p6 = results.find((r) => r.ruleId === 'SecureAI-P6')!;
    expect(p6.suppressions![0].justification).toBe(ACK_REASON);
    expect(p6.locations![0].physicalLocation!.artifactLocation).toEqual({ uri: expect.stringMatching(/^assembly-Prod\/ProdServe[0-9A-F]*\.template\.json$/), uriBaseId: 'CDKOUT' });
  });
});

describe('SARIF without synthesis and for the variants', () => {
  const log = sarifReport(modelFromPluginReport(pluginReport([
    finding('Open'),
    finding('Imported', { ruleName: 'SecureAI-P6[unverifiable]', level: RuleLevel.WARNING }),
    finding('Chosen', { ruleName: 'SecureAI-P6[parameter]', level: RuleLevel.WARNING }),
    finding('Broken', { ruleName: 'SecureAI-EngineError', message: 'rule SecureAI-P6 threw' }),
    finding('Future', { ruleName: 'SecureAI-Z9', ruleId: 'Z9' }),
  ], { tallies: [tally('P6', { evaluated: 3, nonCompliant: 1, unverifiable: 1, errors: 1 })] })));
  const run = log.runs[0];
  const descriptor = (id: string) => run.tool.driver.rules!.find((d) => d.id === id);

  test('is valid', () => {
    expect(validateSarif(JSON.parse(JSON.stringify(log)))).toEqual({ valid: true, errors: [] });
  });

  test('without a template the construct path is the location', () => {
    expect(run.results!.find((r) => r.locations?.[0].logicalLocations?.[0].name === 'Open')!.locations).toEqual([{ logicalLocations: [expect.objectContaining({ name: 'Open', fullyQualifiedName: 'Infer/Open' })] }]);
    expect(run.originalUriBaseIds).toBeUndefined();
  });

  test('unverifiable, parameter and engine-error results have descriptors of their own, added once, after the catalogue', () => {
    expect(descriptor('SecureAI-P6[unverifiable]')).toMatchObject({ defaultConfiguration: { level: 'warning' }, helpUri: ruleHelpUri('P6') });
    expect(descriptor('SecureAI-P6[parameter]')).toMatchObject({
      defaultConfiguration: { level: 'warning' },
      helpUri: ruleHelpUri('P6'),
      properties: { parameterVariantOf: 'SecureAI-P6' },
    });
    expect(descriptor('SecureAI-EngineError')).toMatchObject({ defaultConfiguration: { level: 'error' } });
    expect(descriptor('SecureAI-Z9')).toBeDefined();
    expect(run.tool.driver.rules!).toHaveLength(rules.length + 4);
    for (const result of run.results!) expect(run.tool.driver.rules![result.ruleIndex!].id).toBe(result.ruleId);
    expect(run.results!.find((r) => r.ruleId === 'SecureAI-P6[unverifiable]')!.level).toBe('warning');
  });

  test('a pack that could not run is an unsuccessful invocation with the error', () => {
    const failed = sarifReport(modelFromPluginReport({ success: false, violations: [], metadata: { error: 'boom' } }));
    expect(failed.runs[0].invocations).toEqual([{ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: 'The pack could not run: boom.' } }] }]);
    expect(validateSarif(JSON.parse(JSON.stringify(failed))).valid).toBe(true);
  });
});
