import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { App, IPolicyValidationPlugin, PolicyValidationPluginReport, Stack, Stage, Validations } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { Finding, METADATA_KEYS, RuleTally } from '../../src/nag/findings';
import { RuleLevel } from '../../src/nag/rule';
import { FailOn, SecureAiChecks, SecureAiChecksProps } from '../../src/nag/secure-ai-checks';
import { readCloudAssembly } from '../../src/report/cloud-assembly-input';
import { modelFromCloudAssembly, ReportModel } from '../../src/report/report-model';

/** The reason the fixture app gives for its acknowledged finding. */
export const ACK_REASON = 'Test fixture: the key is managed by the platform team outside this app';

const tempDirs: string[] = [];

/** A temporary directory; `removeTempDirs` (in each test file's afterAll) removes them all. */
export function tempDir(prefix = 'secure-ai-report-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** An endpoint configuration without KmsKeyId (SecureAI-P6), or with the key given. */
export function endpointConfig(scope: Construct, id: string, kmsKeyId?: string): CfnEndpointConfig {
  return new CfnEndpointConfig(scope, id, {
    kmsKeyId,
    productionVariants: [{ variantName: 'main', modelName: 'model', instanceType: 'ml.m5.large', initialInstanceCount: 1 }],
  });
}

export interface SynthesizeOptions {
  readonly props?: SecureAiChecksProps;
  readonly plugins?: IPolicyValidationPlugin[];
  readonly outdir?: string;
  /** False to leave SecureAiChecks off the app: a synthesis the pack did not run in. */
  readonly registerPack?: boolean;
}

/**
 * Synthesizes an app with the pack (and any other plugins) registered, into a fresh directory, as `cdk synth` would:
 * a validation failure throws after the report is written, so it is caught. Returns the cloud assembly directory.
 */
export function synthesize(build: (app: App) => void, options: SynthesizeOptions = {}): string {
  const outdir = options.outdir ?? path.join(tempDir(), 'cdk.out');
  const app = new App({ outdir });
  const pack = options.registerPack === false ? [] : [new SecureAiChecks(options.props)];
  Validations.of(app).addPlugins(...pack, ...(options.plugins ?? []));
  build(app);
  // The CDK prints the validation report of a passing run to stderr; the tests read the file instead.
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch (e) {
    // A failing validation throws once the report is written; anything else is a broken fixture.
    if (!fs.existsSync(path.join(outdir, 'validation-report.json'))) throw e;
  } finally {
    quiet.mockRestore();
  }
  return outdir;
}

/**
 * The standard app: `Infer/Open` fails P6, `Infer/Accepted` fails P6 and is acknowledged with ACK_REASON,
 * `Infer/Encrypted` is compliant, and a bucket gives cdk-nag's AwsSolutions something to report.
 */
export function buildStandardApp(app: App): void {
  const stack = new Stack(app, 'Infer');
  endpointConfig(stack, 'Open');
  const accepted = endpointConfig(stack, 'Accepted');
  Validations.of(accepted).acknowledge({ id: 'SecureAI-P6', reason: ACK_REASON });
  endpointConfig(stack, 'Encrypted', 'arn:aws:kms:eu-west-2:111122223333:key/0f0e0d0c-0b0a-0908-0706-050403020100');
  new CfnBucket(stack, 'Data');
}

/** The standard app synthesized with AwsSolutions registered too. */
export function synthesizeStandardApp(options: { props?: SecureAiChecksProps; outdir?: string } = {}): string {
  return synthesize(buildStandardApp, { ...options, plugins: [new AwsSolutionsChecks()] });
}

/**
 * An app, in a stage, whose SecureAI findings are all acknowledged, so the CDK leaves the pack's entry out of
 * validation-report.json and the pack's results are in its findings file alone. `Prod/Serve/Config` fails P6 and is
 * acknowledged with ACK_REASON; every other rule (and its unverifiable variant) is acknowledged on the stack, so
 * rules added to the catalogue later cannot bring the entry back.
 */
export function synthesizeAllAcknowledgedApp(): string {
  return synthesize((app) => {
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Serve');
    for (const rule of SecureAiChecks.rules) {
      for (const id of [`SecureAI-${rule.id}`, `SecureAI-${rule.id}[unverifiable]`]) Validations.of(stack).acknowledge({ id, reason: 'fixture: any other rule' });
    }
    Validations.of(stack).acknowledge({ id: 'SecureAI-EngineError', reason: 'fixture: any other rule' });
    const config = endpointConfig(stack, 'Config');
    Validations.of(config).acknowledge({ id: 'SecureAI-P6', reason: ACK_REASON });
    Validations.of(config).acknowledge({ id: 'AwsSolutions-S1', reason: 'not ours: another pack' });
    new CfnBucket(stack, 'Data');
  });
}

/** The report model of a cloud assembly directory or one of its files, as `SecureAiReport.fromCloudAssembly` reads it. */
export function modelOf(target: string): ReportModel {
  return modelFromCloudAssembly(readCloudAssembly(target));
}

/** The line (1-based) of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

let sarifValidator: ValidateFunction | undefined;

/**
 * A validator for SARIF 2.1.0 logs, compiled from the official JSON schema (2.1.0 rtm.5) that @microsoft/jest-sarif
 * (a devDependency) ships. Its root declares draft-04 (`$schema`, `id`), which Ajv does not load; the schema uses
 * none of the keywords whose meaning changed after draft-04, so both are dropped and it is compiled as draft-07.
 * Formats (`uri`, `date-time`) are checked. (@microsoft/sarif-multitool ships the schema too, but only in
 * per-platform packages that break `npm ci` on a lock file made on another platform.)
 */
export function validateSarif(log: unknown): { valid: boolean; errors: string[] } {
  if (!sarifValidator) {
    const { id: _id, $schema: _draft, ...schema } = JSON.parse(fs.readFileSync(sarifSchemaPath(), 'utf-8'));
    // The schema's language-tag pattern is not valid as a Unicode regular expression: compile patterns without `u`.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    sarifValidator = ajv.compile(schema);
  }
  const valid = sarifValidator(log) as boolean;
  return { valid, errors: (sarifValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`) };
}

function sarifSchemaPath(): string {
  return require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
}

/** A finding as the pack records it, on `Infer/<logicalId>`; override any field. */
export function finding(logicalId: string, overrides: Partial<Finding> = {}): Finding {
  return {
    ruleName: 'SecureAI-P6',
    ruleId: 'P6',
    level: RuleLevel.ERROR,
    message: 'KmsKeyId is absent',
    constructPath: `Infer/${logicalId}`,
    logicalId,
    resourceType: 'AWS::SageMaker::EndpointConfig',
    stackPath: 'Infer',
    locations: ['Properties.KmsKeyId'],
    ...overrides,
  };
}

export interface PluginReportOptions {
  readonly tallies?: RuleTally[];
  readonly failOn?: FailOn;
  readonly resources?: number;
}

/** A plugin report shaped as the pack returns it, for cases a real app cannot produce (a rule that throws). */
export function pluginReport(findings: Finding[], options: PluginReportOptions = {}): PolicyValidationPluginReport {
  return {
    success: true,
    violations: [],
    metadata: {
      [METADATA_KEYS.findings]: JSON.stringify(findings),
      [METADATA_KEYS.tallies]: JSON.stringify(options.tallies ?? []),
      [METADATA_KEYS.failOn]: options.failOn ?? FailOn.ERROR,
      [METADATA_KEYS.resources]: String(options.resources ?? findings.length),
    },
  };
}

/** A tally of one rule; override any count. */
export function tally(ruleId: string, counts: Partial<Omit<RuleTally, 'ruleId'>> = {}): RuleTally {
  return { ruleId, evaluated: 0, compliant: 0, nonCompliant: 0, notApplicable: 0, unverifiable: 0, errors: 0, ...counts };
}
