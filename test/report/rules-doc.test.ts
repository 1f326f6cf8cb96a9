import * as fs from 'fs';
import * as path from 'path';
import { rulesDocFile } from '../../scripts/write-rules-doc';
import { catalogueMetadata, ruleSourceFile } from '../../src/nag/catalogue';
import { GuidelineSection, PeerCoverage, RuleLevel, RuleMetadata } from '../../src/nag/rule';
import { SECTION_TITLES, SECTIONS_IN_ORDER } from '../../src/report/guideline-sections';
import { ruleAnchor, ruleHelpUri, ruleName, rulesJson, rulesMarkdown } from '../../src/report/rules-doc';

const rules = catalogueMetadata();
const doc = rulesMarkdown();

const designRule: RuleMetadata = {
  id: 'X1',
  title: 'A design rule | with a pipe',
  section: GuidelineSection.DESIGN,
  guideline: 'Raise staff awareness',
  quote: 'a quoted phrase',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::Test::Thing', 'AWS::Test::Other'],
  compliantWhen: '`Flag` is true',
  explanation: 'Why it matters.',
  fix: 'Set Flag.',
  peers: '',
  coverage: PeerCoverage.NONE,
};

describe('rules-doc', () => {
  test('docs/RULES.md starts with a line saying it is generated from the catalogue and must not be edited', () => {
    const first = rulesDocFile().split('\n')[0];
    expect(first).toContain('src/nag/catalogue.ts');
    expect(first).toMatch(/Do not edit/);
  });

  test('the document users print (`cdk-secure-ai rules`) carries no maintainers\' notice', () => {
    expect(doc.split('\n')[0]).toBe('# SecureAI rules');
    expect(doc).not.toMatch(/do not edit|regenerate|npx projen/i);
  });

  test('a rule\'s fixes per resource type follow its general fix', () => {
    const md = rulesMarkdown([{ ...designRule, fixByType: { 'AWS::S3::Bucket': 'Set the bucket\'s Flag.' } }]);
    expect(md).toContain('- **Fix:** Set Flag.\n  - on `AWS::S3::Bucket`: Set the bucket\'s Flag.\n');
  });

  test('every catalogue rule has a heading that is its anchor, its quote, level, types, compliance, fix and peers', () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const start = doc.indexOf(`\n### ${ruleName(rule.id)}\n`);
      expect(start).toBeGreaterThan(0);
      const entry = doc.slice(start, doc.indexOf('\n### ', start + 1) === -1 ? undefined : doc.indexOf('\n### ', start + 1));
      expect(entry).toContain(`**${rule.title}**`);
      expect(entry).toContain(`"${rule.quote}"`);
      expect(entry).toContain(`*${rule.guideline}*`);
      expect(entry).toContain(`- **Level:** ${rule.level}`);
      for (const type of rule.resourceTypes) expect(entry).toContain(`\`${type}\``);
      expect(entry).toContain(rule.compliantWhen);
      expect(entry).toContain(rule.fix);
      expect(entry).toContain('- **Checked by another tool:** ');
      expect(doc).toContain(`[${ruleName(rule.id)}](#${ruleAnchor(rule.id)})`);
    }
  });

  test('every catalogue rule links to the file that defines it; a rule outside the catalogue has no link', () => {
    for (const rule of rules) {
      const start = doc.indexOf(`\n### ${ruleName(rule.id)}\n`);
      const end = doc.indexOf('\n### ', start + 1);
      const file = ruleSourceFile(rule.id)!;
      expect(doc.slice(start, end === -1 ? undefined : end)).toContain(`- **Source:** [${file}](https://github.com/maintainers/cdk-secure-ai/blob/main/${file})`);
    }
    expect(rulesMarkdown([designRule])).not.toContain('**Source:**');
  });

  test('sections appear in the guideline order, each rule under its own', () => {
    const positions = SECTIONS_IN_ORDER.map((s) => doc.indexOf(`\n## ${SECTION_TITLES[s]}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const rule of rules) {
      const at = doc.indexOf(`\n### ${ruleName(rule.id)}\n`);
      const index = SECTIONS_IN_ORDER.indexOf(rule.section);
      expect(at).toBeGreaterThan(positions[index]);
      if (index + 1 < positions.length) expect(at).toBeLessThan(positions[index + 1]);
    }
  });

  test('a section without rules says so; a rule without peers says none', () => {
    const md = rulesMarkdown([designRule]);
    expect(md).toContain('## 2. Secure development\n\nNo rule encodes this section yet.');
    expect(md).toContain('- **Peers:** none');
    expect(md).toContain('- **Checked by another tool:** No: no other tool checks this');
    expect(md).toContain('| [SecureAI-X1](#secureai-x1) | A design rule \\| with a pipe |');
  });

  test('the help link points at the rule in RULES.md on main', () => {
    expect(ruleHelpUri('P6')).toBe('https://github.com/maintainers/cdk-secure-ai/blob/main/docs/RULES.md#secureai-p6');
  });

  test('JSON lists every rule with its reported ID, section title and link', () => {
    const json = JSON.parse(rulesJson());
    expect(json).toMatchObject({ schemaVersion: 1, pack: 'SecureAI' });
    expect(json.rules).toHaveLength(rules.length);
    const first = rules[0];
    const expected = { ...first, ruleName: ruleName(first.id), sectionTitle: SECTION_TITLES[first.section], helpUri: ruleHelpUri(first.id) };
    expect(json.rules[0]).toEqual(expected);
  });

  test('docs/RULES.md is the generated file (regenerate with `npx projen docs:rules`)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'RULES.md'), 'utf-8');
    // Compared whole, reported briefly: the fix is always the same command, not reading a diff.
    expect(committed === rulesDocFile() ? 'up to date' : 'stale: run `npx projen docs:rules`').toBe('up to date');
  });
});
