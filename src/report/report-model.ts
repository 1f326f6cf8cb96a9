import { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { CloudAssemblyInput } from './cloud-assembly-input';
import { SECTIONS_IN_ORDER } from './guideline-sections';
import { ReportInputError } from './report-input-error';
import { TemplateLocation, TemplateLocator } from './template-locations';
import { CdkPluginReport, CdkSuppressedViolation } from './validation-report-file';
import { catalogueMetadata } from '../nag/catalogue';
import { Declaration, Finding, METADATA_KEYS, RuleTally } from '../nag/findings';
import { GuidelineSection, RuleLevel, RuleMetadata } from '../nag/rule';
import { FailOn, SecureAiChecks } from '../nag/secure-ai-checks';

/** A finding of the pack, placed in its guideline section and, when synthesized, in its template. */
export interface ReportFinding extends Finding {
  /** The section of the rule; undefined for a rule this version's catalogue does not know. */
  readonly section?: GuidelineSection;
  readonly template?: TemplateLocation;
}

/**
 * How a rule fared, from the run's tallies:
 * - `compliant`: evaluated on at least one resource it applies to, and every one was compliant
 * - `non-compliant`: at least one non-compliant resource (acknowledged or not)
 * - `engine-error`: the rule threw on a resource: a bug in the pack
 * - `unverifiable`: no non-compliant resource, but at least one whose value cannot be known at synth time
 * - `no-applicable-resource`: no resource of its types, or none it applies to
 * - `not-evaluated`: the run's tallies do not name the rule (an older pack ran, or the pack could not run)
 */
export type CoverageStatus = 'compliant' | 'non-compliant' | 'engine-error' | 'unverifiable' | 'no-applicable-resource' | 'not-evaluated';

/** A rule's coverage. Counts other than `evaluated` are null when the run did not tally the rule. */
export interface RuleCoverage {
  readonly ruleId: string;
  readonly status: CoverageStatus;
  /** Resources the rule was evaluated on. */
  readonly evaluated: number;
  readonly compliant: number | null;
  readonly nonCompliant: number | null;
  readonly notApplicable: number | null;
  readonly unverifiable: number | null;
  readonly errors: number | null;
}

/** Another validation plugin's entry (cdk-nag's AwsSolutions, CloudFormation Validate), counted per resource. */
export interface OtherPluginSummary {
  readonly name: string;
  /** Null when the plugin gave none. */
  readonly version: string | null;
  readonly conclusion: string;
  /** Open violations per severity (`error`, `warning`, `info`...), one per violating resource. */
  readonly bySeverity: Record<string, number>;
  /** Violations the CDK matched to acknowledgments, one per resource. */
  readonly acknowledged: number;
}

/** Whether the pack recorded its results (`present`) or threw during synthesis (`failed`, see `pluginError`). */
export type SecureAiEntry = 'present' | 'failed';

/** Everything a report format renders: read once, from either input, so the formats cannot disagree. */
export interface ReportModel {
  readonly source: {
    /** `cloud-assembly`: a synthesized app's cdk.out; `plugin-report`: what `validateScope` returned. */
    readonly kind: 'plugin-report' | 'cloud-assembly';
    /** The file the pack's results were read from: secure-ai.findings.json, or validation-report.json for an older app. */
    readonly file?: string;
    /** The cloud assembly directory, when the input came from one. */
    readonly cloudAssemblyDir?: string;
  };
  readonly secureAiEntry: SecureAiEntry;
  /** Set when the pack itself failed (the CDK reports a throwing plugin with this message and no findings). */
  readonly pluginError?: string;
  /** The run's failOn; undefined when the pack could not run. */
  readonly failOn?: FailOn;
  /** Resources in the app; undefined when unknown. */
  readonly resources?: number;
  /** The catalogue this report is read with. */
  readonly rules: RuleMetadata[];
  /** Unacknowledged findings, in guideline order. */
  readonly findings: ReportFinding[];
  /** Acknowledged findings, in guideline order. */
  readonly acknowledged: ReportFinding[];
  /** One per catalogue rule, then any rule the run tallied that the catalogue does not know. */
  readonly coverage: RuleCoverage[];
  /** The run's tallies as recorded; empty when the pack could not run. */
  readonly tallies: RuleTally[];
  /** What was declared to the run instead of being checked, refused ones included; empty when none (or an older pack ran). */
  readonly declarations: Declaration[];
  readonly otherPlugins: OtherPluginSummary[];
  /** Caveats the reader must see (merged entries, an unknown failOn, a findings file set aside). */
  readonly notes: string[];
}

/** The pack's report as `SecureAiChecks.validateScope` returns it (no templates: no synthesis ran). */
export function modelFromPluginReport(report: PolicyValidationPluginReport): ReportModel {
  const metadata = report.metadata ?? {};
  if (!(METADATA_KEYS.findings in metadata) && !('error' in metadata)) {
    throw new ReportInputError(`this plugin report has no "${METADATA_KEYS.findings}" metadata, so SecureAiChecks did not produce it: ` +
      'pass the object that `new SecureAiChecks().validateScope(scope)` returns.');
  }
  return buildModel({ source: { kind: 'plugin-report' }, runs: [parseRun(metadata, 'the plugin report')], suppressed: [], otherPlugins: [], notes: [] });
}

/**
 * A synthesized app: the pack's results from secure-ai.findings.json; from validation-report.json the other plugins,
 * the violations the CDK matched to acknowledgments, and, for an app synthesized by an older version that wrote no
 * findings file, the pack's own entry.
 */
export function modelFromCloudAssembly(input: CloudAssemblyInput): ReportModel {
  const reportFile = input.validationReport?.file;
  const pluginReports = input.validationReport?.report.pluginReports ?? [];
  const entries = pluginReports.filter((p) => p.pluginName === SecureAiChecks.PACK_NAME);
  const entryRuns = entries.map((e, i) => parseRun(e.metadata ?? {}, `${SecureAiChecks.PACK_NAME} entry ${i + 1} of ${reportFile}`));
  const notes: string[] = [];
  if (entries.length > 1) {
    notes.push(`The validation report has ${entries.length} ${SecureAiChecks.PACK_NAME} entries (the pack was registered more than once): ` +
      'their findings are merged; the tallies, resource count and failOn are those of the first run.');
  }
  // A pack that threw wrote no file in this synthesis: a findings file beside its failed entry is an earlier synthesis's.
  const threw = entryRuns.some((r) => r.failed);
  const findings = threw ? undefined : input.findings;
  if (threw && input.findings) notes.push(`${input.findings.file} was not read: the pack failed in this synthesis, so the file is from an earlier one.`);
  return buildModel({
    source: { kind: 'cloud-assembly', file: findings?.file ?? reportFile, cloudAssemblyDir: input.cloudAssemblyDir },
    // Each registration of the pack writes the same file; the entries of the others still hold their open findings.
    runs: [...(findings ? [parseRun(findings.content.metadata, findings.file)] : []), ...entryRuns],
    suppressed: entries.flatMap((e) => e.suppressedViolations ?? []),
    locator: new TemplateLocator(input.cloudAssemblyDir),
    otherPlugins: pluginReports.filter((p) => p.pluginName !== SecureAiChecks.PACK_NAME).map(summariseOtherPlugin),
    notes,
  });
}

/** What one run of the pack recorded. */
interface RecordedRun {
  readonly findings: Finding[];
  readonly tallies: RuleTally[];
  readonly declarations: Declaration[];
  readonly failOn?: FailOn;
  readonly resources?: number;
  /** True when the pack threw: the CDK then records only `error`, so nothing else was recorded. */
  readonly failed: boolean;
  readonly error?: string;
  readonly notes: string[];
}

function parseRun(metadata: Readonly<Record<string, string>>, where: string): RecordedRun {
  if (!(METADATA_KEYS.findings in metadata)) {
    return { findings: [], tallies: [], declarations: [], failed: true, error: metadata.error ?? `${where} has no findings metadata`, notes: [] };
  }
  const notes: string[] = [];
  const failOnText = metadata[METADATA_KEYS.failOn];
  let failOn = Object.values(FailOn).find((f) => f === failOnText);
  if (!failOn) {
    notes.push(`The run recorded failOn "${failOnText}", which this version does not know: the report applies "${FailOn.ERROR}".`);
    failOn = FailOn.ERROR;
  }
  const resources = Number(metadata[METADATA_KEYS.resources]);
  return {
    findings: parseArray<Finding>(metadata[METADATA_KEYS.findings], METADATA_KEYS.findings, where),
    tallies: parseArray<RuleTally>(metadata[METADATA_KEYS.tallies], METADATA_KEYS.tallies, where),
    declarations: parseArray<Declaration>(metadata[METADATA_KEYS.declarations], METADATA_KEYS.declarations, where),
    failOn,
    resources: Number.isFinite(resources) ? resources : undefined,
    failed: false,
    error: metadata.error,
    notes,
  };
}

function parseArray<T>(text: string | undefined, key: string, where: string): T[] {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '[]');
  } catch (e) {
    throw new ReportInputError(`${where}: its "${key}" metadata is not valid JSON (${(e as Error).message}). Synthesize the app again.`);
  }
  if (!Array.isArray(value)) throw new ReportInputError(`${where}: its "${key}" metadata is not a JSON array. Synthesize the app again.`);
  return value as T[];
}

interface ModelParts {
  readonly source: ReportModel['source'];
  readonly runs: RecordedRun[];
  readonly suppressed: CdkSuppressedViolation[];
  /** Absent without synthesis: no templates to locate findings in. */
  readonly locator?: TemplateLocator;
  readonly otherPlugins: OtherPluginSummary[];
  readonly notes: string[];
}

function buildModel(parts: ModelParts): ReportModel {
  const rules = catalogueMetadata();
  const sections = new Map(rules.map((r) => [r.id, r.section]));
  const first = parts.runs.find((r) => !r.failed);

  const byKey = new Map<string, ReportFinding>();
  for (const finding of parts.runs.flatMap((r) => r.findings)) {
    const key = `${finding.ruleName}\u0000${finding.ruleId}\u0000${finding.constructPath}`;
    if (byKey.has(key)) continue; // the same finding from a second run: the file and the entry, or a second registration
    byKey.set(key, {
      ...finding,
      acknowledged: finding.acknowledged ?? acknowledgedByCdk(finding, parts.suppressed),
      section: sections.get(finding.ruleId),
      template: parts.locator?.locate(finding.templatePath, finding.logicalId),
    });
  }
  const ordered = sortFindings([...byKey.values()], rules);
  const tallies = first?.tallies ?? [];
  return {
    source: parts.source,
    secureAiEntry: first ? 'present' : 'failed',
    pluginError: parts.runs.map((r) => r.error).find((e) => e !== undefined),
    failOn: first?.failOn,
    resources: first?.resources,
    rules,
    findings: ordered.filter((f) => !f.acknowledged),
    acknowledged: ordered.filter((f) => f.acknowledged),
    coverage: coverageFromTallies(rules, tallies),
    tallies,
    declarations: first?.declarations ?? [],
    otherPlugins: parts.otherPlugins,
    notes: [...parts.notes, ...parts.runs.flatMap((r) => r.notes)],
  };
}

/**
 * The CDK matches acknowledgments itself too and moves what it matched into `suppressedViolations`; the pack
 * matches the same way, but should the two ever differ, a finding the CDK holds acknowledged is shown so, with the
 * CDK's reason, rather than reported open.
 */
function acknowledgedByCdk(finding: Finding, suppressed: CdkSuppressedViolation[]): Finding['acknowledged'] {
  for (const violation of suppressed) {
    if (violation.ruleName !== finding.ruleName) continue;
    if (violation.violatingConstructs.some((c) => c.constructPath === finding.constructPath)) {
      return { reason: violation.reason ?? '', at: violation.acknowledgedAt ?? finding.constructPath };
    }
  }
  return undefined;
}

/** Guideline order, then catalogue order, then stack and logical ID: the same input always renders the same. */
function sortFindings(findings: ReportFinding[], rules: RuleMetadata[]): ReportFinding[] {
  const sectionRank = (s?: GuidelineSection) => s === undefined ? SECTIONS_IN_ORDER.length : SECTIONS_IN_ORDER.indexOf(s);
  const ruleRank = new Map(rules.map((r, i) => [r.id, i]));
  return findings.sort((a, b) =>
    sectionRank(a.section) - sectionRank(b.section)
    || (ruleRank.get(a.ruleId) ?? rules.length) - (ruleRank.get(b.ruleId) ?? rules.length)
    || a.ruleId.localeCompare(b.ruleId)
    || a.ruleName.localeCompare(b.ruleName)
    || a.stackPath.localeCompare(b.stackPath)
    || a.logicalId.localeCompare(b.logicalId)
    || a.constructPath.localeCompare(b.constructPath));
}

function coverageFromTallies(rules: RuleMetadata[], tallies: RuleTally[]): RuleCoverage[] {
  const byRule = new Map(tallies.map((t) => [t.ruleId, t]));
  const known = new Set(rules.map((r) => r.id));
  const unknown = tallies.filter((t) => !known.has(t.ruleId)).map((t) => t.ruleId);
  return [...rules.map((r) => r.id), ...unknown].map((ruleId) => {
    const tally = byRule.get(ruleId);
    if (!tally) {
      return { ruleId, status: 'not-evaluated', evaluated: 0, compliant: null, nonCompliant: null, notApplicable: null, unverifiable: null, errors: null };
    }
    return { ...tally, status: statusOf(tally) };
  });
}

function statusOf(t: RuleTally): CoverageStatus {
  if (t.nonCompliant > 0) return 'non-compliant';
  if (t.errors > 0) return 'engine-error';
  if (t.unverifiable > 0) return 'unverifiable';
  if (t.evaluated - t.notApplicable <= 0) return 'no-applicable-resource';
  return 'compliant';
}

function summariseOtherPlugin(entry: CdkPluginReport): OtherPluginSummary {
  const bySeverity: Record<string, number> = {};
  for (const v of entry.violations) {
    const severity = (v.severity ?? 'error').toLowerCase();
    bySeverity[severity] = (bySeverity[severity] ?? 0) + Math.max(1, v.violatingConstructs?.length ?? 0);
  }
  const acknowledged = (entry.suppressedViolations ?? []).reduce((n, v) => n + Math.max(1, v.violatingConstructs?.length ?? 0), 0);
  return { name: entry.pluginName, version: entry.pluginVersion ?? null, conclusion: entry.conclusion, bySeverity, acknowledged };
}

/** Open findings that fail the run's policy: errors under failOn `error`, all under `warning`, none under `none`. */
export function failingFindings(model: ReportModel): ReportFinding[] {
  const failOn = model.failOn ?? FailOn.ERROR;
  if (failOn === FailOn.NONE) return [];
  return model.findings.filter((f) => failOn === FailOn.WARNING || f.level === RuleLevel.ERROR);
}

/** Whether the report fails its policy: a failing open finding, or a pack that could not run. */
export function failsPolicy(model: ReportModel): boolean {
  return model.pluginError !== undefined || failingFindings(model).length > 0;
}
