import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { cfnLint, describeMatches, synthesizedTemplates } from './cfn-lint';
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
    // The one SecureAI acknowledgment: the package's image, which the template cannot show and the deploy-time gate checks.
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI')).map((a) => `${a.id.replace(/^.*::/, '')} ${a.path}`)).toEqual([
      'SecureAI-V1[unverifiable] SecureAiPlatform/Endpoint/Model',
    ]);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });

  describe('synthesized as app.ts does, with the CDK\'s template validation on', () => {
    let outdir: string;
    let report: SecureAiReport;
    beforeAll(() => {
      const before = process.env.CDK_VALIDATION;
      process.env.CDK_VALIDATION = 'true';
      try {
        outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-ai-platform-'));
        const app = new App({ outdir, context: { ...ENV_CONTEXT, '@aws-cdk/core:validationReportJson': true } });
        registerPacks(app);
        buildPlatform(app);
        // Throws if any registered pack or the template validation reports an unacknowledged error.
        app.synth();
      } finally {
        process.env.CDK_VALIDATION = before;
      }
      report = SecureAiReport.fromCloudAssembly(outdir);
    }, 240_000);
    afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

    test('the SecureAI report is clean and covers most of the catalogue', () => {
      const json = JSON.parse(report.toJson());
      expect(report.failsPolicy()).toBe(false);
      expect(json.summary.openFindings).toEqual({ total: 0, error: 0, warning: 0 });
      expect(json.summary.resources).toBeGreaterThan(100);
      expect(json.summary.rules.compliant).toBeGreaterThanOrEqual(40);
      expect(json.summary.rules['non-compliant']).toBe(0);
    });

    test('no plugin reports an open violation (the template validation included)', () => {
      expect(openPluginViolations(outdir)).toEqual([]);
    });

    test('cfn-lint finds no error in its templates (skipped where cfn-lint is not installed)', () => {
      const result = cfnLint(synthesizedTemplates(outdir), { regions: [ENV_CONTEXT.region] });
      if ('skipped' in result) {
        console.log(result.skipped);
        return;
      }
      expect(describeMatches(result.errors)).toEqual([]);
    }, 180_000);
  });
});
