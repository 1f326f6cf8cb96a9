import { App, CfnCondition, CfnMapping, CfnParameter, CfnResource, ICfnConditionExpression, Stack, StackProps } from 'aws-cdk-lib';
import { Finding, METADATA_KEYS, RuleTally } from '../../src/nag/findings';
import { SecureAiChecks, SecureAiChecksProps } from '../../src/nag/secure-ai-checks';

/** A template fragment as CloudFormation writes it: what a rule test states its case in. */
export interface TemplateFixture {
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown; AllowedValues?: unknown[] }>;
  /** Condition expressions by name, as a template writes them (`{ "Fn::Equals": [...] }`). */
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Resources: Record<string, { Type: string; Condition?: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
}

/** A condition expression written as raw template JSON. */
function rawCondition(expression: unknown): ICfnConditionExpression {
  return { creationStack: [], resolve: () => expression, toString: () => JSON.stringify(expression) };
}

/** The outcome of one validation run, read back from the pack's report. */
export class ValidationRun {
  public readonly findings: Finding[];
  public readonly tallies: RuleTally[];

  public constructor(public readonly report: ReturnType<SecureAiChecks['validateScope']>) {
    this.findings = JSON.parse(report.metadata?.[METADATA_KEYS.findings] ?? '[]');
    this.tallies = JSON.parse(report.metadata?.[METADATA_KEYS.tallies] ?? '[]');
  }

  /** The reported IDs of unacknowledged findings, sorted, one per finding. */
  public get ids(): string[] {
    return this.findings.filter((f) => !f.acknowledged).map((f) => f.ruleName).sort();
  }

  /** Unacknowledged findings of one rule (`P6`), unverifiable ones included. */
  public of(ruleId: string): Finding[] {
    return this.findings.filter((f) => f.ruleId === ruleId && !f.acknowledged);
  }

  /** The tally of one rule. */
  public tally(ruleId: string): RuleTally {
    const tally = this.tallies.find((t) => t.ruleId === ruleId);
    if (!tally) throw new Error(`no tally for ${ruleId}`);
    return tally;
  }
}

/**
 * An app that never synthesizes on its own: where the environment names an output directory (the fuzz test sets
 * CDK_OUTDIR), an App otherwise registers a synthesis on process exit, one listener per App.
 */
function testApp(): App {
  return new App({ autoSynth: false });
}

/** Builds a stack holding exactly the fixture's resources and parameters. */
export function stackOf(fixture: TemplateFixture, app = testApp(), id = 'Test', props?: StackProps): Stack {
  const stack = new Stack(app, id, props);
  for (const [name, p] of Object.entries(fixture.Parameters ?? {})) {
    new CfnParameter(stack, name, { type: p.Type ?? 'String', default: p.Default, allowedValues: p.AllowedValues as string[] | undefined });
  }
  for (const [name, expression] of Object.entries(fixture.Conditions ?? {})) {
    new CfnCondition(stack, name, { expression: rawCondition(expression) }).overrideLogicalId(name);
  }
  for (const [name, mapping] of Object.entries(fixture.Mappings ?? {})) {
    new CfnMapping(stack, name, { mapping }).overrideLogicalId(name);
  }
  for (const [logicalId, r] of Object.entries(fixture.Resources)) {
    const resource = new CfnResource(stack, logicalId, { type: r.Type, properties: r.Properties });
    resource.overrideLogicalId(logicalId);
    if (r.Condition !== undefined) resource.addOverride('Condition', r.Condition);
    for (const [key, value] of Object.entries(r.Metadata ?? {})) resource.addMetadata(key, value);
  }
  return stack;
}

/** Runs the pack over a stack built from the fixture. */
export function validate(fixture: TemplateFixture, props?: SecureAiChecksProps, stackProps?: StackProps): ValidationRun {
  const app = testApp();
  stackOf(fixture, app, 'Test', stackProps);
  return new ValidationRun(new SecureAiChecks(props).validateScope(app));
}

/**
 * The verdict of one rule on one resource: `non-compliant`, `unverifiable`, `parameter` (compliant with the
 * parameters' defaults, failing with another allowed value) or `none` (compliant or not applicable).
 */
export function verdictOf(run: ValidationRun, ruleId: string, logicalId: string): 'non-compliant' | 'unverifiable' | 'parameter' | 'none' {
  const finding = run.of(ruleId).find((f) => f.logicalId === logicalId);
  if (!finding) return 'none';
  if (finding.ruleName.endsWith('[unverifiable]')) return 'unverifiable';
  return finding.ruleName.endsWith('[parameter]') ? 'parameter' : 'non-compliant';
}

/** A condition-guarded value with one insecure branch: `Fn::If [cond, secure, insecure]`. */
export function ifElse(secure: unknown, insecure: unknown): unknown {
  return { 'Fn::If': ['IsProduction', secure, insecure] };
}

/** `AWS::NoValue`. */
export const NO_VALUE = { Ref: 'AWS::NoValue' };

/** An imported value: `Fn::ImportValue`. */
export function imported(name: string): unknown {
  return { 'Fn::ImportValue': name };
}
