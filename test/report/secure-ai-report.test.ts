import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { ACK_REASON, endpointConfig, removeTempDirs, synthesizeAllAcknowledgedApp, synthesizeStandardApp, tempDir, validateSarif } from './fixtures';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { SecureAiReport } from '../../src/report/secure-ai-report';

afterAll(removeTempDirs);

describe('SecureAiReport', () => {
  test('from validateScope: every format, findings located by construct path', () => {
    const app = new App();
    const stack = new Stack(app, 'Infer');
    endpointConfig(stack, 'Open');
    Validations.of(endpointConfig(stack, 'Accepted')).acknowledge({ id: 'SecureAI-P6', reason: ACK_REASON });
    const report = SecureAiReport.fromPluginReport(new SecureAiChecks().validateScope(app));

    expect(report.failsPolicy()).toBe(true);
    expect(report.toMarkdown()).toContain('| SecureAI-P6 | error | `Open` (AWS::SageMaker::EndpointConfig) | `Infer/Open` |');
    expect(report.toMarkdown()).toContain(ACK_REASON);
    const json = JSON.parse(report.toJson());
    expect(json.findings.filter((f: { ruleId: string }) => f.ruleId === 'P6')).toHaveLength(1);
    const sarif = JSON.parse(report.toSarif());
    expect(validateSarif(sarif).valid).toBe(true);
    expect(sarif.runs[0].results.every((r: any) => r.locations[0].physicalLocation === undefined)).toBe(true);
  });

  test('from validateScope with failOn none: nothing fails', () => {
    const app = new App();
    endpointConfig(new Stack(app, 'Infer'), 'Open');
    expect(SecureAiReport.fromPluginReport(new SecureAiChecks({ failOn: FailOn.NONE }).validateScope(app)).failsPolicy()).toBe(false);
  });

  test('from a cloud assembly directory, its secure-ai.findings.json or its validation-report.json', () => {
    const dir = synthesizeStandardApp();
    for (const target of [dir, path.join(dir, 'secure-ai.findings.json'), path.join(dir, 'validation-report.json')]) {
      const report = SecureAiReport.fromCloudAssembly(target);
      expect(report.failsPolicy()).toBe(true);
      expect(JSON.parse(report.toSarif()).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('CDKOUT');
    }
  });

  test('a cloud assembly whose findings are all acknowledged passes and reports them with their reasons', () => {
    const report = SecureAiReport.fromCloudAssembly(synthesizeAllAcknowledgedApp());
    expect(report.failsPolicy()).toBe(false);
    expect(report.toMarkdown()).toContain(ACK_REASON);
  });

  test('bad input throws an error that names the fix', () => {
    expect(() => SecureAiReport.fromCloudAssembly('/nonexistent/cdk.out')).toThrow(/does not exist: give the cloud assembly directory/);
    expect(() => SecureAiReport.fromCloudAssembly(tempDir())).toThrow(/SecureAiChecks did not run in that synthesis/);
    expect(() => SecureAiReport.fromPluginReport({ success: true, violations: [] })).toThrow(/validateScope/);
  });
});
