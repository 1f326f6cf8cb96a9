import * as fs from 'fs';
import * as path from 'path';

/** The file the CDK writes into the cloud assembly when validation plugins are registered. */
export const VALIDATION_REPORT_FILE = 'validation-report.json';

/**
 * A problem with the report tool's input (a missing directory, a file that is not a validation report): the user
 * can fix it, so the CLI prints the message alone and exits with 2.
 */
export class ReportInputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

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

/** One plugin's entry. The CDK omits the entry of a plugin that succeeded with no violations. */
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

/** A validation report read from disk, with where it came from. */
export interface ValidationReportFile {
  /** The report file, absolute. */
  readonly file: string;
  /** The cloud assembly directory holding it (and the templates its paths are relative to), absolute. */
  readonly cloudAssemblyDir: string;
  readonly report: CdkValidationReport;
}

/**
 * Reads validation-report.json from a cloud assembly directory (`cdk.out`) or from the file's own path.
 * @throws ReportInputError naming the problem and the fix when the path, the file or its content is wrong
 */
export function readValidationReport(target: string): ValidationReportFile {
  const resolved = path.resolve(target);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    throw new ReportInputError(`${target} does not exist: give the cloud assembly directory that \`cdk synth\` wrote (cdk.out) or its ${VALIDATION_REPORT_FILE}.`);
  }
  const file = stat.isDirectory() ? path.join(resolved, VALIDATION_REPORT_FILE) : resolved;
  if (!fs.existsSync(file)) {
    throw new ReportInputError(`${target} has no ${VALIDATION_REPORT_FILE}: the CDK writes it only when a validation plugin is registered. ` +
      'Register the pack with `Validations.of(app).addPlugins(new SecureAiChecks())` and synthesize again.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    throw new ReportInputError(`${file} is not valid JSON (${(e as Error).message}): synthesize the app again to rewrite it.`);
  }
  const reports = (parsed as { pluginReports?: unknown } | null)?.pluginReports;
  if (!Array.isArray(reports) || !reports.every(isPluginReport)) {
    throw new ReportInputError(`${file} is not a CDK validation report: it needs a "pluginReports" array of entries with ` +
      '"pluginName" and "violations". Give the validation-report.json that `cdk synth` wrote.');
  }
  return { file, cloudAssemblyDir: path.dirname(file), report: parsed as CdkValidationReport };
}

function isPluginReport(value: unknown): value is CdkPluginReport {
  const entry = value as Partial<CdkPluginReport> | null;
  return typeof entry === 'object' && entry !== null && typeof entry.pluginName === 'string' && Array.isArray(entry.violations);
}
