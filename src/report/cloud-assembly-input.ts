import * as fs from 'fs';
import * as path from 'path';
import { ReportInputError } from './report-input-error';
import { CdkValidationReport, VALIDATION_REPORT_FILE, validationReportFrom } from './validation-report-file';
import { FINDINGS_FILE, METADATA_KEYS, RecordedPasses } from '../nag/findings';
import { SecureAiChecks } from '../nag/secure-ai-checks';

/** secure-ai.findings.json: the pack's whole report, as `SecureAiChecks.validate` wrote it during synthesis. */
export interface FindingsFileContent {
  readonly pluginName: string;
  readonly pluginVersion?: string;
  readonly success: boolean;
  /** The `METADATA_KEYS` of the pack's report: findings, tallies, failOn, resources. */
  readonly metadata: Record<string, string>;
  /** The rules each resource satisfied (absent in files of versions before the threat model). */
  readonly passed?: RecordedPasses;
}

/** What a synthesis left in a cloud assembly directory for the report. */
export interface CloudAssemblyInput {
  /** The cloud assembly directory (cdk.out), absolute: template paths are relative to it. */
  readonly cloudAssemblyDir: string;
  /** The CDK's report of every plugin; absent when the file is not there. */
  readonly validationReport?: { readonly file: string; readonly report: CdkValidationReport };
  /** The pack's own report; absent when it did not run, threw, or an older version ran (it then left only its entry). */
  readonly findings?: { readonly file: string; readonly content: FindingsFileContent };
}

/**
 * Reads a cloud assembly directory, or the directory of the file given: secure-ai.findings.json and
 * validation-report.json, each when present. A file given other than the findings file is read as the validation
 * report whatever its name: CI jobs that keep it as an artifact sometimes rename it.
 * @throws ReportInputError when the path is missing, a file is malformed, or neither file holds the pack's results
 */
export function readCloudAssembly(target: string): CloudAssemblyInput {
  const resolved = path.resolve(target);
  let isDirectory: boolean;
  try {
    isDirectory = fs.statSync(resolved).isDirectory();
  } catch {
    throw new ReportInputError(`${target} does not exist: give the cloud assembly directory that \`cdk synth\` wrote (cdk.out), ` +
      `or its ${FINDINGS_FILE} or ${VALIDATION_REPORT_FILE}.`);
  }
  const cloudAssemblyDir = isDirectory ? resolved : path.dirname(resolved);
  const findingsFile = path.join(cloudAssemblyDir, FINDINGS_FILE);
  const reportFile = isDirectory || resolved === findingsFile ? path.join(cloudAssemblyDir, VALIDATION_REPORT_FILE) : resolved;

  const validationReport = fs.existsSync(reportFile)
    ? { file: reportFile, report: validationReportFrom(readJson(reportFile), reportFile) }
    : undefined;
  const findings = fs.existsSync(findingsFile)
    ? { file: findingsFile, content: findingsFileFrom(readJson(findingsFile), findingsFile) }
    : undefined;
  if (!findings && !validationReport?.report.pluginReports.some((p) => p.pluginName === SecureAiChecks.PACK_NAME)) {
    const dir = isDirectory ? target : cloudAssemblyDir;
    const missing = validationReport
      ? `no ${FINDINGS_FILE}, and ${path.basename(reportFile)} has no ${SecureAiChecks.PACK_NAME} entry`
      : `neither ${FINDINGS_FILE} nor ${VALIDATION_REPORT_FILE}`;
    throw new ReportInputError(`${dir} has ${missing}: SecureAiChecks did not run in that synthesis. ` +
      'Register it with `Validations.of(app).addPlugins(new SecureAiChecks())` and synthesize again.');
  }
  return { cloudAssemblyDir, validationReport, findings };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    throw new ReportInputError(`${file} is not valid JSON (${(e as Error).message}): synthesize the app again to rewrite it.`);
  }
}

function findingsFileFrom(json: unknown, file: string): FindingsFileContent {
  const content = json as Partial<FindingsFileContent> | null;
  const metadata: unknown = content?.metadata;
  const valid = typeof content === 'object' && content !== null && content.pluginName === SecureAiChecks.PACK_NAME
    && typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)
    && Object.values(metadata).every((v) => typeof v === 'string')
    // a pack that threw records only `error`, as the CDK does for it
    && (METADATA_KEYS.findings in metadata || 'error' in metadata);
  if (!valid) {
    throw new ReportInputError(`${file} is not a findings file of SecureAiChecks: it needs "pluginName": "${SecureAiChecks.PACK_NAME}" ` +
      `and a "metadata" object of strings with "${METADATA_KEYS.findings}". Synthesize the app again to rewrite it.`);
  }
  return content as FindingsFileContent;
}
