// Renders docs/CONSTRUCTS.md, the constructs and the rules each satisfies by default, from the data the compliance
// tests check (src/construct-kit/satisfied-rules.ts) and the rule catalogue's titles.
import { ConstructRules, RuleClaim, SATISFIED_RULES } from '../src/construct-kit/satisfied-rules';
import { catalogueMetadata } from '../src/nag/catalogue';
import { ruleAnchor, ruleName } from '../src/report/rules-doc';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** docs/CONSTRUCTS.md as the data says it. */
export function constructsMarkdown(data: { readonly [construct: string]: ConstructRules } = SATISFIED_RULES): string {
  const titles = new Map(catalogueMetadata().map((r) => [r.id, r.title]));
  const link = (rule: string) => {
    if (!titles.has(rule)) throw new Error(`satisfied-rules.ts names rule ${rule}, which is not in the catalogue`);
    return `[${ruleName(rule)}](RULES.md#${ruleAnchor(rule)})`;
  };
  const table = (claims: readonly RuleClaim[]) => [
    '| Rule | What the rule asks | What the construct does |',
    '| --- | --- | --- |',
    ...claims.map((c) => `| ${link(c.rule)} | ${cell(titles.get(c.rule)!)} | ${cell(c.how)} |`),
  ];
  const out = [
    '# Constructs and the rules they satisfy',
    '',
    '<!-- Generated from src/construct-kit/satisfied-rules.ts by `npx projen docs:constructs`. Do not edit. -->',
    '',
    'What each construct of cdk-secure-ai does for the [SecureAiChecks rules](RULES.md) with its props left at their',
    'defaults. **Satisfies** is checked: every construct\'s compliance test (six packs, test/compliance.ts) fails unless',
    'SecureAiChecks judges each of these rules compliant on the construct\'s own resources, and never non-compliant or',
    'unverifiable there. **Supports** lists rules judged on resources other constructs create, for which the construct',
    'provides what they need; the pack judges them where those resources are.',
    '',
    '| Construct | Satisfies | Supports |',
    '| --- | --- | --- |',
    ...Object.entries(data).map(([name, c]) => `| [${name}](#${name.toLowerCase()}) | ${c.satisfies.map((r) => r.rule).join(', ')} | `
      + `${(c.supports ?? []).map((r) => r.rule).join(', ')} |`),
  ];
  for (const [name, c] of Object.entries(data)) {
    out.push('', `## ${name}`, '', `Defined in [src/${c.file}](../src/${c.file}).`);
    if (c.satisfies.length) out.push('', '**Satisfies**', '', ...table(c.satisfies));
    if (c.supports?.length) out.push('', '**Supports**', '', ...table(c.supports));
    if (c.note) out.push('', c.note);
  }
  return `${out.join('\n')}\n`;
}
