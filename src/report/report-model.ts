import { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { collectAssemblyEvidence, RecordedAcknowledgment } from './assembly-evidence';
import { SECTIONS_IN_ORDER } from './rules-doc';
import { TemplateLocation, TemplateLocator } from './template-locations';
import { CdkPluginReport, CdkSuppressedViolation, ReportInputError, ValidationReportFile } from './validation-report-file';
import { catalogueMetadata } from '../nag/catalogue';
import { Finding, METADATA_KEYS, RuleTally } from '../nag/findings';
import { GuidelineSection, RuleLevel, RuleMetadata } from '../nag/rule';
import { FailOn, SecureAiChecks } from '../nag/secure-ai-checks';

/** A finding of the pack, placed in its guideline section and, when a template exists, in its template. */
export interface ReportFinding extends Finding {
  /** The section of the rule; undefined for a rule this version's catalogue does not know. */
  readonly section?: GuidelineSection;
  readonly template?: TemplateLocation;
}

/**
 * How a rule fared, from the run's tallies (or, when the CDK left the pack's entry out, from the templates):
 * - `compliant`: evaluated on at least one resource it applies to, and every one was compliant
 * - `non-compliant`: at least one non-compliant resource (acknowledged or not)
 * - `engine-error`: the rule threw on a resource: a bug in the pack
 * - `unverifiable`: no non-compliant resource, but at least one whose value cannot be known at synth time
 * - `no-applicable-resource`: no resource of its types, or none it applies to
 * - `no-open-finding`: tallies not recorded; the app has resources of its types and the pack reported nothing open
 * - `not-evaluated`: the run's tallies do not name the rule (the app was checked by an older pack)
 */
export type CoverageStatus = 'compliant' | 'non-compliant' | 'engine-error' | 'unverifiable' | 'no-applicable-resource'
| 'no-open-finding' | 'not-evaluated';

/** A rule's coverage. Counts other than `evaluated` are null when the tallies were not recorded. */
export interface RuleCoverage {
  readonly ruleId: string;
  readonly status: CoverageStatus;
  /** Resources the rule was evaluated on (from the templates when the tallies were not recorded). */
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

/** Whether the pack's own entry was in the validation report. */
export type SecureAiEntry = 'present' | 'absent' | 'failed';

/** Everything a report format renders: read once, from either input, so the formats cannot disagree. */
export interface ReportModel {
  readonly source: {
    readonly kind: 'plugin-report' | 'validation-report';
    /** The validation-report.json read. */
    readonly file?: string;
    /** The cloud assembly directory, when the input came from one. */
    readonly cloudAssemblyDir?: string;
  };
  readonly secureAiEntry: SecureAiEntry;
  /** Set when the pack itself failed (the CDK reports a throwing plugin with this message and no findings). */
  readonly pluginError?: string;
  /** The run's failOn; undefined when not recorded (no SecureAI entry). */
  readonly failOn?: FailOn;
  /** Resources in the app; undefined when unknown. */
  readonly resources?: number;
  /** The catalogue this report is read with. */
  readonly rules: RuleMetadata[];
  /** Unacknowledged findings, in guideline order. */
  readonly findings: ReportFinding[];
  /** Acknowledged findings, in guideline order. */
  readonly acknowledged: ReportFinding[];
  /** Acknowledgments read from the construct metadata when the pack's findings were not recorded. */
  readonly recordedAcknowledgments: RecordedAcknowledgment[];
  /** One per catalogue rule, then any rule the run tallied that the catalogue does not know. */
  readonly coverage: RuleCoverage[];
  /** The run's tallies as recorded; empty when not recorded. */
  readonly tallies: RuleTally[];
  readonly talliesRecorded: boolean;
  readonly otherPlugins: OtherPluginSummary[];
  /** Caveats the reader must see (missing entry, merged entries). */
  readonly notes: string[];
}

/** The pack's report as `SecureAiChecks.validateScope` returns it (no templates: no synthesis ran). */
export function modelFromPluginReport(report: PolicyValidationPluginReport): ReportModel {
  const metadata = report.metadata ?? {};
  if (!(METADATA_KEYS.findings in metadata) && !('error' in metadata)) {
    throw new ReportInputError(`this plugin report has no "${METADATA_KEYS.findings}" metadata, so SecureAiChecks did not produce it: ` +
      'pass the object that `new SecureAiChecks().validateScope(scope)` returns.');
  }
  const run = parseEntry(metadata, 'the plugin report');
  return buildModel({
    source: { kind: 'plugin-report' },
    runs: [run],
    suppressed: [],
    locator: new TemplateLocator(),
    otherPlugins: [],
    notes: [],
  });
}

/** The validation report a synthesis wrote, with the cloud assembly around it. */
export function modelFromValidationReport(input: ValidationReportFile): ReportModel {
  const source = { kind: 'validation-report' as const, file: input.file, cloudAssemblyDir: input.cloudAssemblyDir };
  const entries = input.report.pluginReports.filter((p) => p.pluginName === SecureAiChecks.PACK_NAME);
  const otherPlugins = input.report.pluginReports.filter((p) => p.pluginName !== SecureAiChecks.PACK_NAME).map(summariseOtherPlugin);
  if (entries.length === 0) return modelWithoutEntry(input, source, otherPlugins);

  const notes: string[] = [];
  if (entries.length > 1) {
    notes.push(`The validation report has ${entries.length} ${SecureAiChecks.PACK_NAME} entries (the pack was registered more than once): ` +
      'their findings are merged; the tallies, resource count and failOn are those of the first entry.');
  }
  return buildModel({
    source,
    runs: entries.map((e, i) => parseEntry(e.metadata ?? {}, `${SecureAiChecks.PACK_NAME} entry ${i + 1} of ${input.file}`)),
    suppressed: entries.flatMap((e) => e.suppressedViolations ?? []),
    locator: new TemplateLocator(input.cloudAssemblyDir),
    otherPlugins,
    notes,
  });
}

/** What one entry of the pack recorded. */
interface RecordedRun {
  readonly findings: Finding[];
  readonly tallies?: RuleTally[];
  readonly failOn?: FailOn;
  readonly resources?: number;
  readonly error?: string;
  readonly notes: string[];
}

function parseEntry(metadata: Readonly<Record<string, string>>, where: string): RecordedRun {
  // The CDK reports a plugin that threw as a failed entry whose only metadata is `error`.
  if (!(METADATA_KEYS.findings in metadata)) {
    return { findings: [], error: metadata.error ?? `the ${SecureAiChecks.PACK_NAME} entry has no findings metadata`, notes: [] };
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
    tallies: METADATA_KEYS.tallies in metadata ? parseArray<RuleTally>(metadata[METADATA_KEYS.tallies], METADATA_KEYS.tallies, where) : undefined,
    failOn,
    resources: Number.isFinite(resources) ? resources : undefined,
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
  readonly locator: TemplateLocator;
  readonly otherPlugins: OtherPluginSummary[];
  readonly notes: string[];
}

function buildModel(parts: ModelParts): ReportModel {
  const rules = catalogueMetadata();
  const sections = new Map(rules.map((r) => [r.id, r.section]));
  const first = parts.runs.find((r) => !r.error) ?? parts.runs[0];
  const error = parts.runs.map((r) => r.error).find((e) => e !== undefined);

  const byKey = new Map<string, ReportFinding>();
  for (const finding of parts.runs.flatMap((r) => r.findings)) {
    const key = `${finding.ruleName}\u0000${finding.ruleId}\u0000${finding.constructPath}`;
    if (byKey.has(key)) continue; // the same finding from a second registration of the pack
    byKey.set(key, {
      ...finding,
      acknowledged: finding.acknowledged ?? acknowledgedByCdk(finding, parts.suppressed),
      section: sections.get(finding.ruleId),
      template: parts.locator.locate(finding.templatePath, finding.logicalId),
    });
  }
  const ordered = sortFindings([...byKey.values()], rules);
  const tallies = first?.tallies ?? [];
  const talliesRecorded = first?.tallies !== undefined;
  return {
    source: parts.source,
    secureAiEntry: error !== undefined && byKey.size === 0 && !talliesRecorded ? 'failed' : 'present',
    pluginError: error,
    failOn: first?.failOn,
    resources: first?.resources,
    rules,
    findings: ordered.filter((f) => !f.acknowledged),
    acknowledged: ordered.filter((f) => f.acknowledged),
    recordedAcknowledgments: [],
    coverage: coverageFromTallies(rules, talliesRecorded ? tallies : undefined),
    tallies,
    talliesRecorded,
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

function coverageFromTallies(rules: RuleMetadata[], tallies: RuleTally[] | undefined): RuleCoverage[] {
  const byRule = new Map((tallies ?? []).map((t) => [t.ruleId, t]));
  const known = new Set(rules.map((r) => r.id));
  const unknown = (tallies ?? []).filter((t) => !known.has(t.ruleId)).map((t) => t.ruleId);
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

/**
 * The CDK omits a plugin's entry when it succeeded with no open violation, taking the pack's metadata with it.
 * What is certain then: nothing open was found (or the pack was not registered). What the templates still tell:
 * the resources each rule reads. What the construct metadata still tells: the acknowledgments made.
 */
function modelWithoutEntry(input: ValidationReportFile, source: ReportModel['source'], otherPlugins: OtherPluginSummary[]): ReportModel {
  const evidence = collectAssemblyEvidence(input.cloudAssemblyDir);
  const rules = catalogueMetadata();
  return {
    source,
    secureAiEntry: 'absent',
    resources: evidence.resourceCount,
    rules,
    findings: [],
    acknowledged: [],
    recordedAcknowledgments: evidence.acknowledgments,
    coverage: rules.map((r) => {
      const evaluated = r.resourceTypes.reduce((n, type) => n + (evidence.resourceTypes.get(type) ?? 0), 0);
      return {
        ruleId: r.id,
        status: evaluated === 0 ? 'no-applicable-resource' : 'no-open-finding',
        evaluated,
        compliant: null,
        nonCompliant: null,
        notApplicable: null,
        unverifiable: null,
        errors: null,
      };
    }),
    tallies: [],
    talliesRecorded: false,
    otherPlugins,
    notes: [
      `${input.file} has no ${SecureAiChecks.PACK_NAME} entry. The CDK leaves out a plugin that succeeded with no open violation, ` +
      'so the pack found nothing open; if the pack was not registered (`Validations.of(app).addPlugins(new SecureAiChecks())`), ' +
      'this report proves nothing. The pack\'s tallies and acknowledged findings are not in the file: coverage counts each rule\'s ' +
      'resources from the templates, and acknowledgments are read from the construct metadata, without knowing which findings they matched.',
    ],
  };
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
