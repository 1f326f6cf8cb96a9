// The compliance check every construct test runs: the SecureAI pack, cdk-nag's AwsSolutions, NIST 800-53 R5, HIPAA
// and PCI DSS packs (cdk-nag v3 plugins, through validateScope), the Control Tower guard rules of
// @cdklabs/cdk-validator-cfnguard (through a synthesis with the plugin registered), and every IAM policy document of
// the synthesized templates checked against the Service Authorization Reference (test/iam/service-reference.ts). A
// canary app with a deliberately insecure bucket and a deprecated condition key proves that each of them ran and can fail.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Aspects, Duration, PolicyValidationPluginReport, RemoveTag, Stack, Tag, Tags, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import './control-tower-rules';
import { checkAgainstReference } from './iam/service-reference';
import { policiesOfAssembly } from './iam/template-policies';
import { claimantOfTestFile, claimEvidence, ClaimEvidence, unprovenClaims } from './satisfied-rules';
import { OfflineBackup } from '../src/backup/offline-backup';
import type { AiEnvironment } from '../src/environment/ai-environment';
import { SecureAiChecks } from '../src/nag/secure-ai-checks';

/** The packs in the order they are reported; ControlTower is the cfn-guard plugin, ServiceReference the IAM reference check. */
export const PACKS = ['SecureAI', 'AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321', 'ControlTower', 'ServiceReference'] as const;
export type PackName = typeof PACKS[number];

/** One unacknowledged finding. */
export interface ComplianceFinding {
  readonly pack: PackName;
  readonly rule: string;
  readonly resource: string;
  readonly description: string;
}

/** One acknowledgment recorded with `Validations.of(c).acknowledge`. */
export interface RecordedAcknowledgment {
  readonly id: string;
  readonly reason: string;
  readonly path: string;
}

export interface ComplianceResult {
  readonly findings: ComplianceFinding[];
  readonly acknowledgments: RecordedAcknowledgment[];
  /**
   * The rules a construct of the app claims to satisfy by default (src/construct-kit/satisfied-rules.ts) that the
   * pack judges non-compliant or unverifiable on its resources (test/satisfied-rules.ts).
   */
  readonly refutedClaims: string[];
  /** The findings and the refuted claims as one line each, for readable test failures. */
  readonly summary: string[];
  /** The cloud assembly the check synthesized, for the test to read further (the reports, the templates). */
  readonly outdir: string;
  /** What synthesis threw, when a registered plugin failed it (after writing the validation report). */
  readonly synthesisError?: Error;
}

/**
 * The cloud assembly of a compliance check whose synthesis passed, for the tests that read it; the synthesis's own
 * error when a registered pack or the template validation reported an unacknowledged error.
 */
export function passedSynthesis(result: ComplianceResult): string {
  if (result.synthesisError) throw result.synthesisError;
  return result.outdir;
}

/** How to synthesize the app of a compliance check other than as a construct test does. */
export interface ComplianceOptions {
  /**
   * Registers the packs as the app's own entry point does (an example's `registerPacks`); they must include a
   * CfnGuardValidator, whose report the check reads instead of registering its own.
   * @default - the check registers a CfnGuardValidator; the nag packs run through validateScope only
   */
  readonly register?: (app: App) => void;
  /** Context of the app, as the command line would pass it (cdk.json, cdk.context.json). */
  readonly context?: Record<string, unknown>;
  /**
   * Turn on the CDK's own template validation during synthesis, as `cdk synth` does (test/setup-env.ts turns it off).
   * @default false
   */
  readonly templateValidation?: boolean;
}

function nagPacks(): Array<[PackName, NagPack]> {
  return [
    ['SecureAI', new SecureAiChecks()],
    ['AwsSolutions', new AwsSolutionsChecks()],
    ['NIST.800.53.R5', new NIST80053R5Checks()],
    ['HIPAA.Security', new HIPAASecurityChecks()],
    ['PCI.DSS.321', new PCIDSS321Checks()],
  ];
}

function nagFindings(pack: PackName, report: PolicyValidationPluginReport): ComplianceFinding[] {
  return report.violations.flatMap((v) => v.violatingResources.map((r) => ({
    pack, rule: v.ruleName, resource: r.constructPath ?? `${r.templatePath}#${r.resourceLogicalId}`, description: v.description,
  })));
}

interface GuardReportViolation {
  ruleName: string;
  description: string;
  acknowledgedId?: string;
  reason?: string;
  violatingConstructs?: Array<{ constructPath?: string; cloudFormationResource?: { templatePath?: string; logicalId?: string } }>;
}

/**
 * Synthesizes the app with the cfn-guard plugin registered (or the packs `options.register` registers). Returns what
 * synthesis threw when a failing plugin failed it; the validation report is written by then. The CDK applies the
 * app's acknowledgments (`Validations.of(c).acknowledge({ id: 'cdk-validator-cfnguard::<rule>', ... })`) itself.
 */
function synthesize(app: App, options: ComplianceOptions): Error | undefined {
  if (options.register) options.register(app);
  else Validations.of(app).addPlugins(new CfnGuardValidator());
  const before = process.env.CDK_VALIDATION;
  if (options.templateValidation) process.env.CDK_VALIDATION = 'true';
  try {
    app.synth();
    return undefined;
  } catch (e) {
    // A failing plugin makes synthesis throw after the report is written; the report says what failed.
    if (!fs.existsSync(path.join(app.outdir, 'validation-report.json'))) throw e;
    return e as Error;
  } finally {
    process.env.CDK_VALIDATION = before;
  }
}

/** The unacknowledged failures of the cfn-guard plugin in the synthesis's validation report. */
function controlTowerFindings(app: App, options: ComplianceOptions): ComplianceFinding[] {
  const file = path.join(app.outdir, 'validation-report.json');
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { pluginReports: Array<{ pluginName: string; violations: GuardReportViolation[] }> };
  if (options.register && !report.pluginReports.some((p) => p.pluginName === 'cdk-validator-cfnguard')) {
    throw new Error('checkCompliance: `register` registered no CfnGuardValidator, so the Control Tower rules did not run. '
      + 'Fix: register one, as the examples\' registerPacks do, or leave `register` out.');
  }
  return report.pluginReports
    .filter((p) => p.pluginName === 'cdk-validator-cfnguard')
    .flatMap((p) => p.violations)
    .filter((v) => v.acknowledgedId === undefined && v.reason === undefined)
    .flatMap((v) => (v.violatingConstructs ?? []).map((r) => ({
      pack: 'ControlTower' as const,
      rule: v.ruleName,
      resource: r.constructPath ?? `${r.cloudFormationResource?.templatePath}#${r.cloudFormationResource?.logicalId}`,
      description: v.description,
    })));
}

/**
 * The unacknowledged violations every plugin reported in a synthesis's validation-report.json, as
 * `<plugin> <rule>` (the CDK's own template validation included); none when the file was not written.
 */
export function openPluginViolations(outdir: string): string[] {
  const file = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { pluginReports: Array<{ pluginName: string; violations: GuardReportViolation[] }> };
  return report.pluginReports.flatMap((p) => p.violations.filter((v) => v.acknowledgedId === undefined).map((v) => `${p.pluginName} ${v.ruleName}`));
}

/** Every acknowledgment in the tree, with the construct it was made on. */
export function acknowledgmentsOf(root: IConstruct): RecordedAcknowledgment[] {
  return root.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data)
    .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ id, reason, path: c.node.path }))));
}

/**
 * Whether an acknowledgment's reason would satisfy a reviewer: a sentence of some substance that is not a
 * placeholder. Substance is judged by length and word count, since reasons cannot be judged by a test.
 */
export function isReasoned(reason: string): boolean {
  const text = reason.trim();
  if (/^(todo|tbd|n\/?a|none|ok|fine|ignore|suppressed?|false positive)\.?$/i.test(text)) return false;
  return text.length >= 40 && text.split(/\s+/).length >= 8;
}

/** What this test file's compliance apps showed of the constructs' claims. */
const evidence: ClaimEvidence[] = [];

// A construct's test file (test/<folder>/<construct>.test.ts) must prove each rule its construct claims to satisfy:
// after its last test, some compliance app of the file has judged the rule compliant on the construct's resources.
afterAll(() => {
  const claimant = claimantOfTestFile(expect.getState().testPath ?? '');
  if (claimant !== undefined && evidence.length > 0) expect(unprovenClaims(claimant, evidence)).toEqual([]);
});

function newApp(context: Record<string, unknown> = {}): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-secure-ai-compliance-'));
  return new App({ outdir, context: { ...context, '@aws-cdk/core:validationReportJson': true } });
}

/**
 * Builds an app with `build` and runs every pack over it. The app is synthesized (with the cfn-guard plugin
 * registered), so `build` must not synthesize it, and Template.fromStack cannot be used on it afterwards. The
 * synthesis is the only one an example test needs: with `options`, it is the example's own (its packs registered,
 * its context, the template validation on), and the test reads its cloud assembly (`outdir`) for the rest.
 * @param label prefixes the name of the file the Service Authorization Reference check writes (the canary's)
 */
export function checkCompliance(build: (app: App) => void, label = '', options: ComplianceOptions = {}): ComplianceResult {
  const app = newApp(options.context);
  build(app);
  // Synthesis first: it runs the aspects (tags, the permissions boundary) that the nag packs must see.
  const synthesisError = synthesize(app, options);
  const findings: ComplianceFinding[] = controlTowerFindings(app, options);
  findings.push(...serviceReferenceFindings(app.outdir, label));
  for (const [name, pack] of nagPacks()) findings.push(...nagFindings(name, pack.validateScope(app)));
  const claims = claimEvidence(app);
  if (label !== 'canary--') evidence.push(claims);
  return {
    findings,
    acknowledgments: acknowledgmentsOf(app),
    refutedClaims: claims.refuted,
    summary: [...findings.map((f) => `${f.pack} ${f.rule} on ${f.resource}: ${f.description.slice(0, 160)}`), ...claims.refuted],
    outdir: app.outdir,
    synthesisError,
  };
}

/**
 * Every policy document of the synthesized templates against the Service Authorization Reference. Passing runs stay
 * quiet: what was read (policies, statements, actions, each wildcard with the actions it expands to) is written to
 * test-reports/iam-reference/<test file>--<test>.json, and only findings reach the test's output.
 */
function serviceReferenceFindings(outdir: string, label: string): ComplianceFinding[] {
  const started = process.hrtime.bigint();
  const report = checkAgainstReference(policiesOfAssembly(outdir));
  const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
  const { testPath, currentTestName } = expect.getState();
  const name = `${path.basename(testPath ?? 'unknown')}--${label}${(currentTestName ?? 'beforeAll').replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80)}`;
  const dir = path.join(__dirname, '..', 'test-reports', 'iam-reference');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({
    milliseconds: Math.round(milliseconds),
    policies: report.policies,
    statements: report.statements,
    actions: [...report.actions].sort(),
    expansions: report.expansions,
    unverifiedResources: report.unverifiedResources,
    findings: report.findings,
  }, null, 2));
  return report.findings.map((finding) => {
    const [where, description] = finding.split(/: (.*)/s, 2);
    return { pack: 'ServiceReference' as const, rule: 'IAM', resource: where, description };
  });
}

let canary: ComplianceResult | undefined;

/**
 * The findings of a canary app: one stack with a deliberately insecure AI bucket (no versioning, no logs, no TLS
 * policy, S3-managed encryption), an unrotated key tagged as an AI asset and a policy on a deprecated condition key. Every pack must find something in it;
 * a pack that reports nothing did not run. Computed once per test file.
 */
export function canaryFindings(): ComplianceResult {
  canary ??= checkCompliance((app) => {
    const stack = new Stack(app, 'ComplianceCanary');
    const key = new kms.Key(stack, 'UnrotatedKey', { enableKeyRotation: false, pendingWindow: Duration.days(7) });
    const bucket = new s3.Bucket(stack, 'InsecureBucket', { encryption: s3.BucketEncryption.S3_MANAGED });
    Tags.of(key).add('ai:asset', 'true');
    Tags.of(bucket).add('ai:asset', 'true');
    // A deny on a condition key the reference marks deprecated: no action carries it any more.
    new iam.ManagedPolicy(stack, 'DeprecatedKey', {
      statements: [new iam.PolicyStatement({
        effect: iam.Effect.DENY, actions: ['sagemaker:CreateTrainingJob'], resources: ['*'], conditions: { Null: { 'sagemaker:VolumeKmsKey': 'true' } },
      })],
    });
  }, 'canary--');
  return canary;
}

/** The packs that found nothing in the canary: each of these did not run (or cannot fail). */
export function silentPacks(result: ComplianceResult): PackName[] {
  return PACKS.filter((p) => !result.findings.some((f) => f.pack === p));
}

/** Whether `bucket` will be tagged `ai:asset=true`: tags are aspects of the bucket or a scope of it until synthesis. */
function taggedAiAsset(bucket: IConstruct): boolean {
  let tagged = false;
  for (const scope of bucket.node.scopes) {
    for (const aspect of Aspects.of(scope).all) {
      if (aspect instanceof Tag && aspect.key === 'ai:asset') tagged = aspect.value.toLowerCase() === 'true';
      if (aspect instanceof RemoveTag && aspect.key === 'ai:asset') tagged = false;
    }
  }
  return tagged;
}

/**
 * Composes an OfflineBackup (`<stack>/Backup`) beside the constructs of a compliance test and protects every AI store
 * of `stack` with it, so that SecureAI-P18 (AI stores are in a backup plan with retention and an offsite copy) passes
 * for real, as it does where the constructs are used, rather than being acknowledged. Call it at the end of the build
 * function, once the constructs exist.
 *
 * P18 asks this of the stores that an AI resource references or that are tagged `ai:asset=true`. The constructs' stores
 * are SecureBuckets, which tag themselves so (versioned, as AWS Backup requires); the environment's access-log bucket
 * and the audit trail's bucket (`aiAsset: false`) are not AI assets, so they are left out, as P18 leaves them. A store
 * this misses (another store type, an untagged bucket an AI resource reads) is reported by P18, so the test fails
 * rather than passing with a store outside the plan. Throws when the stack holds no AI store: such a stack needs no
 * backup, and P18 has nothing to report on it.
 */
export function backUpAiStores(stack: Stack, environment: AiEnvironment): OfflineBackup {
  const stores = stack.node.findAll().filter((c): c is s3.Bucket => c instanceof s3.Bucket && Stack.of(c) === stack && taggedAiAsset(c));
  if (stores.length === 0) {
    throw new Error(`backUpAiStores: stack ${stack.node.path} holds no AI store (no bucket tagged ai:asset=true), so P18 has nothing `
      + 'to check there. Fix: compose no backup for this stack.');
  }
  const backup = new OfflineBackup(stack, 'Backup', { environment });
  stores.forEach((bucket) => backup.protectBucket(bucket));
  return backup;
}
