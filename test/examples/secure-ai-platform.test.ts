import * as fs from 'fs';
import { cfnLintErrors, synthesizeAsApp } from './app-synthesis';
import { buildPlatform, registerPacks } from '../../examples/secure-ai-platform/app';
import { SecureAiReport } from '../../src/report/secure-ai-report';
import { canaryFindings, checkCompliance, openPluginViolations, isReasoned, silentPacks } from '../compliance';

const ENV_CONTEXT = { account: '111111111111', region: 'eu-west-2' };

describe('examples/secure-ai-platform', () => {
  test('passes SecureAI, AwsSolutions, NIST 800-53 R5, HIPAA, PCI and Control Tower with reasoned acknowledgments only', () => {
    const result = checkCompliance((app) => {
      buildPlatform(app);
    });
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    // The SecureAI acknowledgments: the package's image, which the template cannot show and the deploy-time gate checks; and
    // the drift monitor's AWS scikit-learn image, a tag in AWS's own registry rather than a digest.
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI')).map((a) => `${a.id.replace(/^.*::/, '')} ${a.path}`).sort()).toEqual([
      'SecureAI-V17 SecureAiPlatform/Endpoint/DriftMonitor/StateMachine/Resource',
      'SecureAI-V1[unverifiable] SecureAiPlatform/Endpoint/Model',
    ]);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });

  describe('synthesized as app.ts does, with the CDK\'s template validation on', () => {
    let outdir: string;
    let report: SecureAiReport;
    beforeAll(() => {
      // Throws if any registered pack or the template validation reports an unacknowledged error.
      outdir = synthesizeAsApp('secure-ai-platform', ENV_CONTEXT, registerPacks, (app) => buildPlatform(app));
      report = SecureAiReport.fromCloudAssembly(outdir);
    }, 240_000);
    afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

    test('the SecureAI report is clean and covers most of the catalogue', () => {
      const json = JSON.parse(report.toJson());
      expect(report.failsPolicy()).toBe(false);
      expect(json.summary.openFindings).toEqual({ total: 0, error: 0, warning: 0 });
      expect(json.summary.resources).toBeGreaterThan(100);
      expect(json.summary.rules.compliant).toBeGreaterThanOrEqual(40);
      // One rule has a non-compliant finding, acknowledged with its reason: V17, the drift monitor's AWS image by tag.
      expect(json.summary.rules['non-compliant']).toBe(1);
      expect(json.acknowledged.filter((f: { ruleName: string }) => !f.ruleName.endsWith('[unverifiable]')).map((f: { ruleName: string }) => f.ruleName)).toEqual(['SecureAI-V17']);
    });

    test('no plugin reports an open violation (the template validation included)', () => {
      expect(openPluginViolations(outdir)).toEqual([]);
    });

    test('cfn-lint finds no error in its templates (skipped where cfn-lint is not installed)', () => {
      const errors = cfnLintErrors(outdir, ENV_CONTEXT.region);
      if (errors !== undefined) expect(errors).toEqual([]);
    }, 180_000);
  });
});
