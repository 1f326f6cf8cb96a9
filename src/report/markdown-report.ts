import * as path from 'path';
import { SECTION_TITLES, SECTIONS_IN_ORDER } from './guideline-sections';
import { code, table } from './markdown-text';
import { ReportFinding, ReportModel, RuleCoverage } from './report-model';
import { DeclarationSummary, ReportSummary, summarise } from './report-summary';
import { ruleHelpUri, ruleName } from './rules-doc';
import { DeclarationSource } from '../nag/findings';
import { GuidelineSection } from '../nag/rule';
import { FailOn, SecureAiChecks } from '../nag/secure-ai-checks';

const STATUS_TEXT: Record<RuleCoverage['status'], string> = {
  'compliant': 'compliant',
  'non-compliant': 'non-compliant',
  'engine-error': 'engine error',
  'unverifiable': 'unverifiable',
  'no-applicable-resource': 'no applicable resource',
  'not-evaluated': 'not evaluated by this run',
};

/** The report for people: a summary, then each guideline section with its rules, findings, acknowledgments and coverage. */
export function markdownReport(model: ReportModel): string {
  const out = headLines(model);
  for (const section of SECTIONS_IN_ORDER) out.push('', ...sectionLines(model, section));
  out.push(...otherRuleLines(model));
  return out.join('\n') + '\n';
}

/** The report's head alone: the verdict, the counts, findings by section and the other plugins (for a terminal). */
export function markdownSummary(model: ReportModel): string {
  return headLines(model).join('\n') + '\n';
}

function headLines(model: ReportModel): string[] {
  const out: string[] = [`# ${SecureAiChecks.PACK_NAME} report`, '', `Read from ${sourceText(model)}.`];
  for (const note of model.notes) out.push('', `> **Note:** ${note}`);
  out.push('', '## Summary', '', ...summaryLines(model, summarise(model)));
  return out;
}

function sourceText(model: ReportModel): string {
  if (model.source.kind === 'plugin-report') return 'the plugin report of `SecureAiChecks.validateScope` (no synthesis: findings point at construct paths)';
  const file = model.source.file ?? '';
  const relative = path.relative(process.cwd(), file);
  return code(relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file);
}

function summaryLines(model: ReportModel, s: ReportSummary): string[] {
  const lines: string[] = [];
  if (s.pluginError !== null) {
    lines.push(`**FAIL**: the pack could not run: ${s.pluginError}`);
  } else {
    const failing = s.failingFindings;
    const failOn = code(s.failOn ?? FailOn.ERROR);
    lines.push(s.passed
      ? `**PASS** under failOn ${failOn}: no open finding fails the policy.`
      : `**FAIL** under failOn ${failOn}: ${failing} open ${failing === 1 ? 'finding fails' : 'findings fail'} the policy.`);
  }
  const r = s.rules;
  const evaluatedParts = [`${r.compliant} compliant`, `${r['non-compliant']} non-compliant`, `${r.unverifiable} unverifiable`,
    ...(r['engine-error'] > 0 ? [`${r['engine-error']} with engine errors`] : [])];
  lines.push('',
    `- **Resources:** ${s.resources ?? 'not recorded'}`,
    `- **Rules checked:** ${r.catalogue} in the catalogue; ${r.evaluated} evaluated on resources they apply to ` +
      `(${evaluatedParts.join(', ')}); ${r['no-applicable-resource']} with no applicable resource` +
      (r['not-evaluated'] > 0 ? `; ${r['not-evaluated']} not evaluated by this run` : ''),
    `- **Open findings:** ${s.openFindings.total} (${s.openFindings.error} error, ${s.openFindings.warning} warning)`,
    `- **Acknowledged findings:** ${s.acknowledgedFindings}`,
    '',
    '### Findings by section',
    '',
    table(['Section', 'Errors', 'Warnings', 'Acknowledged'], s.bySection.map((c) => [c.title, c.error, c.warning, c.acknowledged])),
  );
  if (s.declarations.length > 0) {
    lines.push('', '### Declarations', '',
      'The app or the pack\'s user declared these instead of having them checked: where each holds, the rules it settles '
      + 'are not applicable, unless the run refused it.', '',
      table(['Declared', 'By', 'For', 'Reason', 'Rules it settles'], s.declarations.map((d) => [
        code(d.declared), declaredBy(d), d.scope, d.reason ?? '(none given)', settles(d),
      ])));
  }
  if (model.otherPlugins.length > 0) {
    lines.push('', '### Other validation plugins', '',
      'Counted per resource; this report details only the SecureAI pack.', '',
      table(['Plugin', 'Conclusion', 'Errors', 'Warnings', 'Other', 'Acknowledged'], model.otherPlugins.map((p) => {
        const { error = 0, fatal = 0, warning = 0, ...rest } = p.bySeverity;
        const other = Object.values(rest).reduce((a, b) => a + b, 0);
        return [p.version ? `${p.name} ${p.version}` : p.name, p.conclusion, error + fatal, warning, other, p.acknowledged];
      })));
  }
  return lines;
}

function settles(d: DeclarationSummary): string {
  const rules = d.rules.map(ruleName).join(', ');
  if (d.refused) return `none: refused (allowAppDeclarations: false); ${rules} were judged`;
  return d.rules.length > 0 ? rules : 'none: it widens what the rules judge';
}

function declaredBy(d: DeclarationSummary): string {
  if (d.source === DeclarationSource.PACK_PROPS) return 'the pack\'s props';
  if (d.source === DeclarationSource.CDK_CONTEXT) return `context ${code(d.by ?? '')}`;
  return `${code(d.by ?? '')} (template metadata)`;
}

function sectionLines(model: ReportModel, section: GuidelineSection): string[] {
  const rules = model.rules.filter((r) => r.section === section);
  const out = [`## ${SECTION_TITLES[section]}`, ''];
  if (rules.length === 0) return [...out, 'No rule of the pack encodes this section yet.'];
  const coverage = new Map(model.coverage.map((c) => [c.ruleId, c]));
  out.push('### Rules', '', table(['Rule', 'Title', 'Guideline', 'Level', 'Coverage'], rules.map((r) => [
    `[${ruleName(r.id)}](${ruleHelpUri(r.id)})`, r.title, `"${r.quote}" (${r.guideline})`, r.level,
    STATUS_TEXT[coverage.get(r.id)?.status ?? 'not-evaluated'],
  ])));
  out.push('', ...findingLines(model.findings.filter((f) => f.section === section)));
  out.push(...acknowledgedLines(model.acknowledged.filter((f) => f.section === section)));
  out.push('', ...coverageLines(rules.map((r) => coverage.get(r.id)).filter((c): c is RuleCoverage => c !== undefined)));
  return out;
}

function findingLines(findings: ReportFinding[]): string[] {
  const out = ['### Findings', ''];
  if (findings.length === 0) return [...out, 'No open findings.'];
  return [...out, table(['Rule', 'Level', 'Resource', 'Construct path', 'Message', 'Fix'],
    findings.map((f) => [ruleLabel(f), f.level, resourceText(f), code(f.constructPath), f.message, f.fix]))];
}

function acknowledgedLines(acknowledged: ReportFinding[]): string[] {
  if (acknowledged.length === 0) return [];
  return ['', '### Acknowledged findings', '', table(['Rule', 'Level', 'Resource', 'Construct path', 'Message', 'Reason', 'Acknowledged at'],
    acknowledged.map((f) => [ruleLabel(f), f.level, resourceText(f), code(f.constructPath), f.message, f.acknowledged?.reason, code(f.acknowledged?.at ?? '')]))];
}

function coverageLines(coverage: RuleCoverage[]): string[] {
  const out = ['### Coverage', ''];
  const applicable = coverage.filter((c) => c.status !== 'no-applicable-resource' && c.status !== 'not-evaluated');
  const none = coverage.filter((c) => c.status === 'no-applicable-resource').map((c) => ruleName(c.ruleId));
  const notEvaluated = coverage.filter((c) => c.status === 'not-evaluated').map((c) => ruleName(c.ruleId));
  if (applicable.length > 0) {
    out.push(table(['Rule', 'Evaluated', 'Compliant', 'Non-compliant', 'Not applicable', 'Unverifiable', 'Errors', 'Status'],
      applicable.map((c) => [ruleName(c.ruleId), c.evaluated, c.compliant ?? '', c.nonCompliant ?? '', c.notApplicable ?? '', c.unverifiable ?? '', c.errors ?? '', STATUS_TEXT[c.status]])));
  } else {
    out.push('No rule of this section applied to a resource of the app.');
  }
  if (none.length > 0) out.push('', `No applicable resource: ${none.join(', ')}.`);
  if (notEvaluated.length > 0) out.push('', `Not evaluated by this run (the app was checked by an older pack): ${notEvaluated.join(', ')}.`);
  return out;
}

/** Rules the run reported that this version's catalogue does not know (a newer pack wrote the report). */
function otherRuleLines(model: ReportModel): string[] {
  const findings = model.findings.filter((f) => f.section === undefined);
  const acknowledged = model.acknowledged.filter((f) => f.section === undefined);
  if (findings.length + acknowledged.length === 0) return [];
  return ['', '## Rules not in this catalogue', '',
    'The report was written by a pack with rules this version does not know: update cdk-secure-ai to see their sections.', '',
    ...findingLines(findings), ...acknowledgedLines(acknowledged)];
}

function ruleLabel(f: ReportFinding): string {
  return f.ruleName === ruleName(f.ruleId) || f.ruleName.startsWith(`${ruleName(f.ruleId)}[`) ? f.ruleName : `${f.ruleName} (${ruleName(f.ruleId)})`;
}

function resourceText(f: ReportFinding): string {
  const where = f.template ? `, ${decodeURIComponent(f.template.uri)}${f.template.line ? ` line ${f.template.line}` : ''}` : '';
  return `${code(f.logicalId)} (${f.resourceType}${where})`;
}
