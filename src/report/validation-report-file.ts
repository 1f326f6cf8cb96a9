import { ReportInputError } from './report-input-error';

/** The file the CDK writes into the cloud assembly when validation plugins are registered. */
export const VALIDATION_REPORT_FILE = 'validation-report.json';

/** A resource named by a violation in validation-report.json. */
export interface CdkViolatingConstruct {
  readonly constructPath: string;
  readonly cloudFormationResource?: {
    /** Relative to the cloud assembly directory. */
    readonly templatePath: string;
    readonly logicalId: string;
    readonly propertyPaths?: string[];
  };
}

/** One violation in validation-report.json (the CDK's `formatJson` shape, aws-cdk-lib 2.276). */
export interface CdkViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly severity?: string;
  readonly violatingConstructs: CdkViolatingConstruct[];
}

/** A violation the CDK itself matched to an acknowledgment. */
export interface CdkSuppressedViolation extends CdkViolation {
  readonly acknowledgedId?: string;
  readonly reason?: string;
  readonly acknowledgedAt?: string;
}

/**
 * One plugin's entry. The CDK omits the entry of a plugin that succeeded with no open violation, and records a
 * plugin that threw as a failed entry whose only metadata is `error`.
 */
export interface CdkPluginReport {
  readonly pluginName: string;
  readonly pluginVersion?: string;
  readonly conclusion: 'success' | 'failure';
  readonly metadata?: Record<string, string>;
  readonly violations: CdkViolation[];
  readonly suppressedViolations?: CdkSuppressedViolation[];
}

/** validation-report.json as a whole. */
export interface CdkValidationReport {
  readonly version?: string;
  readonly title?: string;
  readonly pluginReports: CdkPluginReport[];
}

/**
 * Checks that parsed JSON is a CDK validation report.
 * @param file where it was read, for the message
 * @throws ReportInputError naming the file when it is not
 */
export function validationReportFrom(json: unknown, file: string): CdkValidationReport {
  const reports = (json as { pluginReports?: unknown } | null)?.pluginReports;
  if (!Array.isArray(reports) || !reports.every(isPluginReport)) {
    throw new ReportInputError(`${file} is not a CDK validation report: it needs a "pluginReports" array of entries with ` +
      `"pluginName" and "violations". Give the ${VALIDATION_REPORT_FILE} that \`cdk synth\` wrote.`);
  }
  return json as CdkValidationReport;
}

function isPluginReport(value: unknown): value is CdkPluginReport {
  const entry = value as Partial<CdkPluginReport> | null;
  return typeof entry === 'object' && entry !== null && typeof entry.pluginName === 'string' && Array.isArray(entry.violations);
}
