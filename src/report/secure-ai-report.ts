import { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { readCloudAssembly } from './cloud-assembly-input';
import { jsonReport } from './json-report';
import { markdownReport, markdownSummary } from './markdown-report';
import { failsPolicy, modelFromCloudAssembly, modelFromPluginReport, ReportModel } from './report-model';
import { sarifReport } from './sarif-report';

/**
 * The SecureAI pack's findings as a report per guideline section: Markdown for people, JSON for tools, SARIF 2.1.0
 * for code scanning. Every format is rendered from the same reading of the input, so they cannot disagree.
 *
 * From a synthesized app: `SecureAiReport.fromCloudAssembly('cdk.out')` (or `npx cdk-secure-ai report cdk.out`).
 * In tests: `SecureAiReport.fromPluginReport(new SecureAiChecks().validateScope(app))`.
 */
export class SecureAiReport {
  /**
   * Reads the object `SecureAiChecks.validateScope` (or `validate`) returns. No templates were written, so findings
   * are located by construct path only.
   * @throws if the report was not produced by `SecureAiChecks`
   */
  public static fromPluginReport(report: PolicyValidationPluginReport): SecureAiReport {
    return new SecureAiReport(modelFromPluginReport(report));
  }

  /**
   * Reads a synthesized app's cloud assembly directory (`cdk.out`), or its `secure-ai.findings.json` or
   * `validation-report.json`: the pack's findings (acknowledged ones with their reasons), tallies and failOn from the
   * findings file the pack writes during synthesis, the other plugins from the CDK's validation report, and the
   * templates for the line of each finding.
   * @throws if the path does not exist, a file is malformed, or the pack did not run in that synthesis
   */
  public static fromCloudAssembly(directoryOrFile: string): SecureAiReport {
    return new SecureAiReport(modelFromCloudAssembly(readCloudAssembly(directoryOrFile)));
  }

  private readonly model: ReportModel;

  private constructor(model: ReportModel) {
    this.model = model;
  }

  /**
   * Whether the report fails its policy: under the run's `failOn`, an unacknowledged error finding (`error`), any
   * unacknowledged finding (`warning`), nothing (`none`); and always when the pack could not run.
   */
  public failsPolicy(): boolean {
    return failsPolicy(this.model);
  }

  /** Markdown: a summary, then per guideline section the rules, findings, acknowledged findings and coverage. */
  public toMarkdown(): string {
    return markdownReport(this.model);
  }

  /** The Markdown report's summary alone: verdict, counts, findings by guideline section, other plugins. */
  public toSummary(): string {
    return markdownSummary(this.model);
  }

  /** JSON, `schemaVersion` 2: summary, sections, findings, acknowledged, tallies (see `JsonReport` in the source). */
  public toJson(): string {
    return JSON.stringify(jsonReport(this.model), undefined, 2) + '\n';
  }

  /** A SARIF 2.1.0 log: one descriptor per rule, one result per finding, acknowledged findings as suppressed results. */
  public toSarif(): string {
    return JSON.stringify(sarifReport(this.model), undefined, 2) + '\n';
  }
}
