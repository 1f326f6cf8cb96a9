import { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { jsonReport } from './json-report';
import { markdownReport } from './markdown-report';
import { failsPolicy, modelFromPluginReport, modelFromValidationReport, ReportModel } from './report-model';
import { sarifReport } from './sarif-report';
import { readValidationReport } from './validation-report-file';

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
   * Reads `validation-report.json` from a cloud assembly directory (`cdk.out`) or from the file's path, and the
   * templates next to it for the line of each finding.
   *
   * The CDK leaves a plugin out of that file when it succeeded with no open violation; the report then says that
   * nothing was found open, counts each rule's resources from the templates and lists the acknowledgments recorded
   * in the app, because the pack's tallies are lost with its entry.
   * @throws if the path does not exist, holds no validation-report.json, or the file is not a validation report
   */
  public static fromCloudAssembly(directoryOrFile: string): SecureAiReport {
    return new SecureAiReport(modelFromValidationReport(readValidationReport(directoryOrFile)));
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

  /** True when the validation report had no SecureAI entry: nothing open, but tallies and findings were not recorded. */
  public get secureAiEntryMissing(): boolean {
    return this.model.secureAiEntry === 'absent';
  }

  /** Markdown: a summary, then per guideline section the rules, findings, acknowledged findings and coverage. */
  public toMarkdown(): string {
    return markdownReport(this.model);
  }

  /** JSON, `schemaVersion` 1: summary, sections, findings, acknowledged, tallies (see `JsonReport` in the source). */
  public toJson(): string {
    return JSON.stringify(jsonReport(this.model), undefined, 2) + '\n';
  }

  /** A SARIF 2.1.0 log: one descriptor per rule, one result per finding, acknowledged findings as suppressed results. */
  public toSarif(): string {
    return JSON.stringify(sarifReport(this.model), undefined, 2) + '\n';
  }
}
