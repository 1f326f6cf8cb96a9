import * as fs from 'fs';
import * as path from 'path';
import { CATALOGUE, catalogueMetadata, ruleSourceFile } from '../../src/nag/catalogue';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../src/nag/rule';

const SECTION_OF_LETTER: Record<string, GuidelineSection> = {
  D: GuidelineSection.DESIGN,
  V: GuidelineSection.DEVELOPMENT,
  P: GuidelineSection.DEPLOYMENT,
  O: GuidelineSection.OPERATION,
};

/** A CloudFormation resource type (`AWS::Service::Type`), or a custom resource type (`Custom::Name`) for rules that read one. */
const RESOURCE_TYPE = /^(?:AWS::[A-Za-z0-9]+::[A-Za-z0-9]+|Custom::[A-Za-z0-9_@.-]+)$/;

describe('the rule catalogue', () => {
  test('numbers the rules of each section from 1 without gaps, sections in the guideline\'s order', () => {
    const letters = [...new Set(CATALOGUE.map((r) => r.id[0]))];
    expect(letters).toEqual(['D', 'V', 'P', 'O']);
    for (const letter of letters) {
      const numbers = CATALOGUE.filter((r) => r.id[0] === letter).map((r) => Number(r.id.slice(1)));
      expect(numbers).toEqual(numbers.map((_n, i) => i + 1));
    }
  });

  test.each(CATALOGUE.map((r) => [r.id] as const))('%s is defined in the file its name gives, and tested beside it', (id) => {
    const file = ruleSourceFile(id)!;
    const root = path.join(__dirname, '..', '..');
    expect(file).toMatch(/^src\/nag\/rules\/(design|development|deployment|operation)\/[a-z0-9-]+\.ts$/);
    const rule = CATALOGUE.find((r) => r.id === id)!;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = Object.values(require(path.join(root, file)) as Record<string, unknown>);
    expect(exported).toContainEqual(expect.objectContaining({ title: rule.title, quote: rule.quote }));
    expect(fs.existsSync(path.join(root, file.replace(/^src\//, 'test/').replace(/\.ts$/, '.test.ts')))).toBe(true);
  });

  test('a rule that is not in the catalogue has no source file', () => {
    expect(ruleSourceFile('D99')).toBeUndefined();
  });

  test('rule IDs are unique', () => {
    const ids = CATALOGUE.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test.each(CATALOGUE.map((r) => [r.id, r] as const))('%s has complete metadata', (_id, rule) => {
    for (const field of ['id', 'title', 'guideline', 'quote', 'compliantWhen', 'explanation', 'fix'] as const) {
      expect(typeof rule[field]).toBe('string');
      expect((rule[field] as string).trim()).not.toBe('');
    }
    expect(typeof rule.peers).toBe('string');
    expect(rule.id).toMatch(/^[DVPO][1-9]\d?$/);
    expect(rule.section).toBe(SECTION_OF_LETTER[rule.id[0]]);
    expect(Object.values(RuleLevel)).toContain(rule.level);
    expect(Object.values(PeerCoverage)).toContain(rule.coverage);
    expect(typeof rule.check).toBe('function');
  });

  test.each(CATALOGUE.map((r) => [r.id, r.resourceTypes] as const))('%s reads valid, distinct resource types', (_id, types) => {
    expect(types.length).toBeGreaterThan(0);
    for (const type of types) expect(type).toMatch(RESOURCE_TYPE);
    expect(new Set(types).size).toBe(types.length);
  });

  test('the metadata list mirrors the catalogue as plain data', () => {
    const metadata = catalogueMetadata();
    expect(metadata.map((m) => m.id)).toEqual(CATALOGUE.map((r) => r.id));
    expect(JSON.parse(JSON.stringify(metadata))).toEqual(metadata);
  });
});

describe('the README\'s table of the guideline, section by section', () => {
  test('names each section\'s whole range of rule IDs, from 1 to the highest in the catalogue', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
    const named = [...readme.matchAll(/\[([DVPO])1–\1(\d+)\]\(docs\/RULES\.md#/g)].map((m) => `${m[1]}1–${m[1]}${m[2]}`);
    const highest = new Map<string, number>();
    for (const rule of CATALOGUE) {
      const letter = rule.id[0];
      highest.set(letter, Math.max(highest.get(letter) ?? 0, Number(rule.id.slice(1))));
    }
    expect(named).toEqual(['D', 'V', 'P', 'O'].map((l) => `${l}1–${l}${highest.get(l)}`));
  });
});
