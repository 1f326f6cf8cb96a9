import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { cfnLint, describeMatches, synthesizedTemplates } from './cfn-lint';
import { buildAuditedApp, Variant, variantOf } from '../../examples/audit-existing-app/audit';
import { FIXED_ENV } from '../../examples/audit-existing-app/fixed';
import { UNHARDENED_ENV } from '../../examples/audit-existing-app/unhardened';
import { JsonReport } from '../../src/report/json-report';
import { SecureAiReport } from '../../src/report/secure-ai-report';
import { missingFromBom, readBom, schemaErrors } from '../bom/bom-expectations';
import { acknowledgmentsOf, canaryFindings, checkCompliance, isReasoned, RecordedAcknowledgment, silentPacks } from '../compliance';

const EXAMPLE_DIR = path.join(__dirname, '..', '..', 'examples', 'audit-existing-app');

interface Synthesized {
  readonly outdir: string;
  readonly report: SecureAiReport;
  readonly json: JsonReport;
  readonly acknowledgments: RecordedAcknowledgment[];
  /** What the CDK printed to the console during synthesis (the validation output). */
  readonly console: string;
  /** The error synthesis threw (a failing validation), if it did; the pack's findings file is written before. */
  readonly synthesisError?: string;
}

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The context `npx cdk synth` passes from cdk.context.json. */
function cliContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLE_DIR, 'cdk.context.json'), 'utf8'));
}

/**
 * Synthesizes a variant as `npx cdk synth` does: app.ts's builder and pack registration, with the context the CLI
 * would pass from cdk.context.json (the Availability Zones of the stacks' account and Region, so no lookup runs).
 * The CDK prints the pack's findings to the console during synthesis: captured, they are returned, not shown.
 */
function synthesize(variant: Variant): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `audit-existing-app-${variant}-`));
  outdirs.push(outdir);
  const app = new App({ outdir, context: cliContext() });
  buildAuditedApp(app, variant);
  const printed: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
  let synthesisError: string | undefined;
  try {
    app.synth();
  } catch (e) {
    synthesisError = (e as Error).message;
  } finally {
    spy.mockRestore();
  }
  const report = SecureAiReport.fromCloudAssembly(outdir);
  return { outdir, report, json: JSON.parse(report.toJson()) as JsonReport, acknowledgments: acknowledgmentsOf(app), console: printed.join('\n'), synthesisError };
}

/** What a security team gets from the pack on the app as its team wrote it: rule, construct path. */
const UNHARDENED_FINDINGS: Array<[string, string]> = [
  // 1. Secure design
  ['SecureAI-D1', 'FraudScoring/Model'], // no threat model, risk owner or criticality tags
  ['SecureAI-D10', 'FraudScoring/InvokeFunction/ServiceRole/DefaultPolicy/Resource'], // sagemaker:InvokeEndpoint on *
  ['SecureAI-D10', 'FraudScoring/SageMakerRole/Resource'], // AmazonSageMakerFullAccess
  ['SecureAI-D11', 'FraudScoring/Model'], // no network isolation
  ['SecureAI-D14', 'FraudScoring/ScoringApi/Default/score/POST/Resource'], // AuthorizationType NONE
  ['SecureAI-D15', 'FraudScoring/ScoringApi/DeploymentStage.prod/Resource'], // no stage throttling
  ['SecureAI-D18', 'FraudScoring/ScoringApi/Default/score/POST/Resource'], // no request validator
  // 2. Secure development
  ['SecureAI-V1', 'FraudScoring/Model'], // image from another account's registry, by tag
  ['SecureAI-V6', 'FraudScoring/ModelData/Resource'], // no versioning
  ['SecureAI-V7', 'FraudScoring/ModelData/Resource'], // S3-managed encryption, no TLS-only policy
  ['SecureAI-V10', 'FraudScoring/Model'], // no model card
  ['SecureAI-V13', 'FraudScoring/ModelData/Resource'], // no DataClassification, Owner, Environment tags on it, Model, EndpointConfig, Endpoint
  // 3. Secure deployment
  ['SecureAI-P5', 'FraudScoring/Model'], // not in a VPC
  ['SecureAI-P6', 'FraudScoring/EndpointConfig'], // endpoint storage without a customer-managed key
  ['SecureAI-P14', 'FraudScoring/ScoringApi/DeploymentStage.prod/Resource'], // no WAF web ACL
  ['SecureAI-P18', 'FraudScoring/ModelData/Resource'], // in no backup plan
  ['SecureAI-P19', 'FraudScoring/ModelData/Resource'], // no Object Lock
  ['SecureAI-P20[unverifiable]', 'FraudScoring/Model'], // no trail of the app records the account and Region, none declared
  ['SecureAI-P21[unverifiable]', 'FraudScoring/Model'], // so nothing in the app records the AI bucket's data events
  ['SecureAI-P24', 'FraudScoring/EndpointConfig'], // one instance
  // 4. Secure operation and maintenance
  ['SecureAI-O1', 'FraudScoring/EndpointConfig'], // no data capture
  ['SecureAI-O2', 'FraudScoring/Endpoint'], // no monitoring schedule
  ['SecureAI-O4', 'FraudScoring/Endpoint'], // no alarm
  ['SecureAI-O5', 'FraudScoring/ScoringApi/DeploymentStage.prod/Resource'], // no access logs
  ['SecureAI-O8', 'FraudScoring/Endpoint'], // all-at-once deployments without rollback
];

function sorted(pairs: Array<[string, string]>): string[] {
  return pairs.map(([rule, at]) => `${rule} ${at}`).sort();
}

describe('examples/audit-existing-app, unhardened', () => {
  let unhardened: Synthesized;
  beforeAll(() => {
    unhardened = synthesize(Variant.UNHARDENED);
  });

  test('warn-only: synthesis completes and the report does not fail, although it has errors', () => {
    expect(unhardened.synthesisError).toBeUndefined();
    expect(unhardened.json.summary).toMatchObject({ failOn: 'none', passed: true });
    expect(unhardened.report.failsPolicy()).toBe(false);
    expect(unhardened.json.findings.some((f) => f.level === 'error')).toBe(true);
    expect(fs.existsSync(path.join(unhardened.outdir, 'FraudScoring.template.json'))).toBe(true);
    // The team sees the findings in its synthesis output, each with the ID to acknowledge it with.
    expect(unhardened.console).toContain("Acknowledge with 'SecureAI::SecureAI-P6'");
  });

  test('the report lists exactly the expected findings, none acknowledged', () => {
    expect(sorted(unhardened.json.findings.map((f) => [f.ruleName, f.constructPath]))).toEqual(sorted(UNHARDENED_FINDINGS));
    expect(unhardened.json.acknowledged).toEqual([]);
    expect(unhardened.acknowledgments).toEqual([]);
  });

  test('the stack is deployed to a concrete account and Region', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(unhardened.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts.FraudScoring.environment).toBe(`aws://${UNHARDENED_ENV.account}/${UNHARDENED_ENV.region}`);
  });

  test('the README walks through every finding the report has, and its excerpt of the report is current', () => {
    const readme = fs.readFileSync(path.join(EXAMPLE_DIR, 'README.md'), 'utf8');
    const missing = [...new Set(UNHARDENED_FINDINGS.map(([rule]) => rule))].filter((rule) => !readme.includes(`| ${rule} `));
    expect(missing).toEqual([]);
    const excerpt = summaryExcerpt(unhardened.report);
    expect(excerpt).toMatch(/^- \*\*Open findings:\*\* 25 \(10 error, 15 warning\)\n[^]*\| 4\. Secure operation and maintenance \| 1 \| 4 \| 0 \|$/);
    expect(readme).toContain(excerpt);
  });

  test('its AI bill of materials is valid CycloneDX 1.7 and lists every AI resource, however unhardened', async () => {
    const { json, bom } = readBom(unhardened.outdir);
    expect(await schemaErrors(json)).toBeNull();
    expect(missingFromBom(unhardened.outdir, bom)).toEqual([]);
  });

  test('cfn-lint finds no error in its templates', () => {
    lintWithoutErrors(unhardened.outdir, UNHARDENED_ENV.region);
  }, 180_000);
});

describe('examples/audit-existing-app, fixed', () => {
  let fixed: Synthesized;
  beforeAll(() => {
    fixed = synthesize(Variant.FIXED);
  });

  test('no unacknowledged SecureAI finding, warnings included, so synthesis passes under failOn warning', () => {
    expect(fixed.json.findings.map((f) => `${f.ruleName} ${f.constructPath}: ${f.message}`)).toEqual([]);
    expect(fixed.synthesisError).toBeUndefined();
    expect(fixed.json.summary).toMatchObject({ failOn: 'warning', passed: true, pluginError: null });
    expect(fixed.report.failsPolicy()).toBe(false);
  });

  test('the rules that found the unhardened app\'s problems were evaluated on the fixed one and found nothing wrong', () => {
    // Unverifiable is accepted: with no open finding (above), what could not be verified at synth time is acknowledged
    // (V1: the model runs a registry package's image, which the deploy-time signature gate checks). The drift monitor's
    // V17, a rule the unhardened app does not trip, is acknowledged inside InferenceEndpoint (AWS's own image, by tag).
    const coverage = new Map(fixed.json.sections.flatMap((s) => s.rules).map((r) => [r.ruleName, r.coverage.status]));
    const rules = [...new Set(UNHARDENED_FINDINGS.map(([rule]) => rule.replace(/\[unverifiable\]$/, '')))];
    expect(rules.filter((rule) => !['compliant', 'unverifiable'].includes(coverage.get(rule) ?? 'absent')).map((r) => `${r}: ${coverage.get(r)}`)).toEqual([]);
    expect(fixed.json.acknowledged.map((f) => f.ruleName).sort())
      .toEqual([...rules.filter((r) => coverage.get(r) === 'unverifiable').map((r) => `${r}[unverifiable]`), 'SecureAI-V17'].sort());
  });

  test('its AI bill of materials is valid CycloneDX 1.7 and lists every AI resource', async () => {
    const { json, bom } = readBom(fixed.outdir);
    expect(await schemaErrors(json)).toBeNull();
    expect(missingFromBom(fixed.outdir, bom)).toEqual([]);
  });

  test('every acknowledgment, of any pack, gives a reason a reviewer would accept', () => {
    const unreasoned = fixed.acknowledgments.filter((a) => !isReasoned(a.reason)).map((a) => `${a.id} at ${a.path}: ${a.reason}`);
    expect(unreasoned).toEqual([]);
    expect(fixed.json.acknowledged.filter((f) => !isReasoned(f.acknowledged?.reason ?? ''))).toEqual([]);
  });

  test('clean under AwsSolutions, NIST 800-53 R5, HIPAA, PCI DSS and Control Tower too, as every example is', () => {
    const result = checkCompliance((app) => {
      for (const [key, value] of Object.entries(cliContext())) app.node.setContext(key, value);
      buildAuditedApp(app, Variant.FIXED);
    });
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    expect(silentPacks(canaryFindings())).toEqual([]);
  }, 300_000);

  test('the README\'s excerpt of its report is current', () => {
    const excerpt = summaryExcerpt(fixed.report);
    expect(excerpt).toMatch(/^- \*\*Open findings:\*\* 0 \(0 error, 0 warning\)\n- \*\*Acknowledged findings:\*\* 2\n/);
    expect(fs.readFileSync(path.join(EXAMPLE_DIR, 'README.md'), 'utf8')).toContain(excerpt);
  });

  test('the stack keeps the same account and Region', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(fixed.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts.FraudScoring.environment).toBe(`aws://${FIXED_ENV.account}/${FIXED_ENV.region}`);
    // cdk.context.json answers the Availability Zone lookup, so `npx cdk synth` needs no AWS credentials.
    expect(manifest.missing).toBeUndefined();
  });

  test('cfn-lint finds no error in its templates', () => {
    lintWithoutErrors(fixed.outdir, FIXED_ENV.region);
  }, 180_000);
});

describe('examples/audit-existing-app, entry', () => {
  test('the variant comes from the `variant` context key, unhardened by default; an unknown one names the choices', () => {
    expect(variantOf(new App())).toBe(Variant.UNHARDENED);
    expect(variantOf(new App({ context: { variant: 'fixed' } }))).toBe(Variant.FIXED);
    expect(() => variantOf(new App({ context: { variant: 'hardened' } })))
      .toThrow(/context `variant` is "hardened", but it must be one of unhardened.*Run `npx cdk synth -c variant=/);
  });
});

/**
 * The report's counts and its table by section, as the README quotes them. Not the resource count or template lines,
 * which differ under the CLI (it adds CDKMetadata and path metadata).
 */
function summaryExcerpt(report: SecureAiReport): string {
  const markdown = report.toMarkdown();
  return markdown.slice(markdown.indexOf('- **Open findings:**'), markdown.indexOf('## 1. Secure design')).trim();
}

/**
 * cfn-lint errors fail; its warnings do not (they are style and redundancy advice, such as W3005 on the DependsOn
 * the CDK adds between a function and its role's policy). Skipped, with a log line, where cfn-lint is not installed.
 */
function lintWithoutErrors(outdir: string, region: string): void {
  const templates = synthesizedTemplates(outdir);
  expect(templates.length).toBeGreaterThan(0);
  const result = cfnLint(templates, { regions: [region] });
  if ('skipped' in result) {
    console.log(result.skipped);
    return;
  }
  expect(describeMatches(result.errors)).toEqual([]);
}
