import { SECTION_TITLES, SECTIONS_IN_ORDER } from './guideline-sections';
import { githubAnchor, code, table } from './markdown-text';
import { catalogueMetadata, ruleSourceFile } from '../nag/catalogue';
import { PeerCoverage, RuleMetadata } from '../nag/rule';
import { SecureAiChecks } from '../nag/secure-ai-checks';
import { repositoryUrl } from '../package-info';

/** The reported ID of a catalogue rule: `P6` → `SecureAI-P6`. */
export function ruleName(ruleId: string): string {
  return `${SecureAiChecks.PACK_NAME}-${ruleId}`;
}

/** The anchor of a rule in RULES.md: the heading of each rule is its reported ID alone, so this is stable. */
export function ruleAnchor(ruleId: string): string {
  return githubAnchor(ruleName(ruleId));
}

/** Where a rule is documented: what SARIF's `helpUri` and the Markdown report link to. */
export function ruleHelpUri(ruleId: string): string {
  return `${repositoryUrl()}/blob/main/docs/RULES.md#${ruleAnchor(ruleId)}`;
}

/** Whether another tool checks what the rule checks, in words. */
export const COVERAGE_TEXT: Record<PeerCoverage, string> = {
  [PeerCoverage.NONE]: 'No: no other tool checks this',
  [PeerCoverage.RUNTIME_ONLY]: 'Only after deployment: detective or runtime peers check it, none at synth time',
  [PeerCoverage.SYNTH_TIME]: 'Yes: a template-time or synth-time peer checks it too',
};

/**
 * The rules document (docs/RULES.md, `cdk-secure-ai rules`): every rule of the catalogue, per guideline section, with
 * the phrase it encodes, what makes a resource compliant, the fix and the peers that check the same thing.
 * Deterministic (no dates), so the committed copy can be compared with a fresh one. The maintainers' "generated"
 * notice is added by scripts/write-rules-doc.ts, not here: a user printing the rules has nothing to regenerate.
 */
export function rulesMarkdown(rules: readonly RuleMetadata[] = catalogueMetadata()): string {
  const out: string[] = [
    '# SecureAI rules',
    '',
    `The rules of the \`${SecureAiChecks.PACK_NAME}\` cdk-nag pack (\`SecureAiChecks\`), which encode the NCSC/CISA ` +
      '*Guidelines for secure AI system development* as synth-time checks, in the guideline\'s order.',
    '',
    `- A finding is reported as \`${ruleName('<ID>')}\`. A value the rule needs that cannot be known at synth time ` +
      `(an import, a parameter without a default) is reported as \`${ruleName('<ID>')}[unverifiable]\` at warning level, ` +
      'never as compliant.',
    '- A template parameter is judged by its default, and a condition (`Fn::If`, a resource\'s `Condition`) by the ' +
      'parameter defaults and the stack\'s account and Region where they decide it. Where the default passes but another ' +
      `of the parameter's \`AllowedValues\` would fail, the resource gets one \`${ruleName('<ID>')}[parameter]\` warning ` +
      'naming the parameter and those values. `Fn::FindInMap` is evaluated; a key the stack does not fix (`AWS::Region` ' +
      'without an env) stands for every key of the mapping.',
    '- `error` findings fail synthesis under the default `failOn`; `warning` findings are reported and fail only with ' +
      '`failOn: FailOn.WARNING`. `levels` overrides the level per rule.',
    '- Acknowledge a finding with `Validations.of(construct).acknowledge({ id: \'SecureAI-P6\', reason: \'...\' })`; ' +
      'the report lists every acknowledgment with its reason.',
    '- `npx cdk-secure-ai report cdk.out --format md|json|sarif` turns a synthesized app\'s validation report into a ' +
      'report per guideline section; `npx cdk-secure-ai rules` prints this list.',
    '',
    '## Contents',
    '',
    table(['Rule', 'Title', 'Section', 'Level', 'Checked elsewhere'], rules.map((r) => [
      `[${ruleName(r.id)}](#${ruleAnchor(r.id)})`, r.title, SECTION_TITLES[r.section], r.level, r.coverage,
    ])),
  ];
  for (const section of SECTIONS_IN_ORDER) {
    out.push('', `## ${SECTION_TITLES[section]}`, '');
    const inSection = rules.filter((r) => r.section === section);
    if (inSection.length === 0) {
      out.push('No rule encodes this section yet.');
      continue;
    }
    for (const rule of inSection) out.push(...ruleEntry(rule));
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

function ruleEntry(rule: RuleMetadata): string[] {
  return [
    `### ${ruleName(rule.id)}`,
    '',
    `**${rule.title}**`,
    '',
    `> "${rule.quote}"`,
    `> — *${rule.guideline}*`,
    '',
    `- **Level:** ${rule.level}`,
    `- **Resource types:** ${rule.resourceTypes.map(code).join(', ')}`,
    `- **Compliant when:** ${rule.compliantWhen}`,
    `- **Why:** ${rule.explanation}`,
    `- **Fix:** ${rule.fix}`,
    ...Object.entries(rule.fixByType ?? {}).map(([type, fix]) => `  - on \`${type}\`: ${fix}`),
    `- **Peers:** ${rule.peers || 'none'}`,
    `- **Checked by another tool:** ${COVERAGE_TEXT[rule.coverage]}`,
    ...sourceLine(rule.id),
    '',
  ];
}

/** Where the rule is defined, linked on the repository's main branch; nothing for a rule outside the catalogue. */
function sourceLine(ruleId: string): string[] {
  const file = ruleSourceFile(ruleId);
  return file ? [`- **Source:** [${file}](${repositoryUrl()}/blob/main/${file})`] : [];
}

/** One rule as `rules --format json` prints it: the catalogue entry plus its reported ID, section title and link. */
export interface RuleDocument extends RuleMetadata {
  readonly ruleName: string;
  readonly sectionTitle: string;
  readonly helpUri: string;
}

/** The catalogue as JSON: `{ schemaVersion: 1, pack: 'SecureAI', rules: RuleDocument[] }`. */
export function rulesJson(rules: readonly RuleMetadata[] = catalogueMetadata()): string {
  const documents: RuleDocument[] = rules.map((r) => ({
    ruleName: ruleName(r.id),
    ...r,
    sectionTitle: SECTION_TITLES[r.section],
    helpUri: ruleHelpUri(r.id),
  }));
  return JSON.stringify({ schemaVersion: 1, pack: SecureAiChecks.PACK_NAME, rules: documents }, undefined, 2) + '\n';
}
