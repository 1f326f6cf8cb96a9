import { SECTION_TITLES, SECTIONS_IN_ORDER } from './guideline-sections';
import { OtherPluginSummary, ReportFinding, ReportModel, RuleCoverage, SecureAiEntry } from './report-model';
import { ReportSummary, summarise } from './report-summary';
import { ruleHelpUri, ruleName } from './rules-doc';
import { RuleTally } from '../nag/findings';
import { GuidelineSection, RuleLevel } from '../nag/rule';
import { TOOL_NAME, toolVersion } from '../package-info';

/**
 * The JSON report, `schemaVersion` 2. Within a schema version fields are only ever added; a field that would
 * change meaning or go away raises the version. Absent values are `null`, never missing, so consumers can rely on
 * every key being there.
 *
 * Version 2 (the pack's results read from secure-ai.findings.json): `source.kind` `validation-report` became
 * `cloud-assembly`; `recordedAcknowledgments`, `summary.talliesRecorded`, `summary.recordedAcknowledgments`,
 * `bySection[].recordedAcknowledgments`, the `absent` entry and the `no-open-finding` coverage status went away.
 */
export interface JsonReport {
  readonly schemaVersion: 2;
  readonly tool: { readonly name: string; readonly version: string };
  readonly source: {
    /** `cloud-assembly` (a cdk.out directory) or `plugin-report` (`SecureAiChecks.validateScope`). */
    readonly kind: ReportModel['source']['kind'];
    /** The file the pack's results were read from: secure-ai.findings.json, or validation-report.json for an older app. */
    readonly file: string | null;
    readonly cloudAssemblyDir: string | null;
    /** `failed`: the pack threw during synthesis (`summary.pluginError` says why); otherwise `present`. */
    readonly secureAiEntry: SecureAiEntry;
  };
  readonly summary: ReportSummary;
  /** The four guideline sections in order, each with its rules and their coverage. */
  readonly sections: JsonSection[];
  /** Open findings, in guideline order. */
  readonly findings: JsonFinding[];
  /** Acknowledged findings, with the reason and where the acknowledgment was recorded. */
  readonly acknowledged: JsonFinding[];
  /** The run's tallies as the pack recorded them; empty when the pack could not run. */
  readonly tallies: RuleTally[];
  /** Other validation plugins in the same report, counted per resource. */
  readonly otherPlugins: OtherPluginSummary[];
  /** Caveats: merged entries, an unknown failOn, a findings file set aside. */
  readonly notes: string[];
}

export interface JsonSection {
  readonly id: GuidelineSection;
  readonly title: string;
  readonly rules: JsonRule[];
  readonly openFindings: { readonly error: number; readonly warning: number };
  readonly acknowledgedFindings: number;
}

export interface JsonRule {
  /** The catalogue ID (`P6`). */
  readonly id: string;
  /** The reported ID (`SecureAI-P6`). */
  readonly ruleName: string;
  readonly title: string;
  readonly guideline: string;
  readonly quote: string;
  readonly level: RuleLevel;
  readonly helpUri: string;
  readonly coverage: RuleCoverage;
}

export interface JsonFinding {
  /** `SecureAI-P6`, `SecureAI-P6[unverifiable]`, `SecureAI-P6[parameter]` or `SecureAI-EngineError`. */
  readonly ruleName: string;
  readonly ruleId: string;
  readonly level: RuleLevel;
  /** Null for a rule this version's catalogue does not know. */
  readonly section: GuidelineSection | null;
  readonly message: string;
  readonly logicalId: string;
  readonly constructPath: string;
  readonly resourceType: string;
  readonly stackPath: string;
  /**
   * The template file relative to the cloud assembly and the line of the logical ID; null without synthesis.
   * `relativeToCloudAssembly` is always true since version 2, kept so consumers of version 1 read `uri` unchanged.
   */
  readonly template: { readonly uri: string; readonly relativeToCloudAssembly: true; readonly line: number | null } | null;
  /** Property paths concerned, relative to the resource (`Properties.KmsKeyId`). */
  readonly propertyPaths: string[];
  /** How to fix it, worded for this resource (its type, and the library construct that made it); null for engine errors. */
  readonly fix: string | null;
  readonly acknowledged: { readonly reason: string; readonly at: string } | null;
}

export function jsonReport(model: ReportModel): JsonReport {
  const summary = summarise(model);
  const coverage = new Map(model.coverage.map((c) => [c.ruleId, c]));
  return {
    schemaVersion: 2,
    tool: { name: TOOL_NAME, version: toolVersion() },
    source: {
      kind: model.source.kind,
      file: model.source.file ?? null,
      cloudAssemblyDir: model.source.cloudAssemblyDir ?? null,
      secureAiEntry: model.secureAiEntry,
    },
    summary,
    sections: SECTIONS_IN_ORDER.map((section) => {
      const counts = summary.bySection.find((c) => c.section === section);
      return {
        id: section,
        title: SECTION_TITLES[section],
        rules: model.rules.filter((r) => r.section === section).map((r) => ({
          id: r.id,
          ruleName: ruleName(r.id),
          title: r.title,
          guideline: r.guideline,
          quote: r.quote,
          level: r.level,
          helpUri: ruleHelpUri(r.id),
          coverage: coverage.get(r.id)!,
        })),
        openFindings: { error: counts?.error ?? 0, warning: counts?.warning ?? 0 },
        acknowledgedFindings: counts?.acknowledged ?? 0,
      };
    }),
    findings: model.findings.map(jsonFinding),
    acknowledged: model.acknowledged.map(jsonFinding),
    tallies: model.tallies,
    otherPlugins: model.otherPlugins,
    notes: model.notes,
  };
}

function jsonFinding(f: ReportFinding): JsonFinding {
  return {
    ruleName: f.ruleName,
    ruleId: f.ruleId,
    level: f.level,
    section: f.section ?? null,
    message: f.message,
    logicalId: f.logicalId,
    constructPath: f.constructPath,
    resourceType: f.resourceType,
    stackPath: f.stackPath,
    template: f.template ? { uri: f.template.uri, relativeToCloudAssembly: true, line: f.template.line ?? null } : null,
    propertyPaths: [...f.locations],
    fix: f.fix ?? null,
    acknowledged: f.acknowledged ? { reason: f.acknowledged.reason, at: f.acknowledged.at } : null,
  };
}
