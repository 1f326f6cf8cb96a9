import { CATALOGUE, catalogueMetadata } from '../../src/nag/catalogue';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../src/nag/rule';

/** Every rule of guidelines/controls.md with its level, in the catalogue's order. */
const EXPECTED: ReadonlyArray<readonly [string, 'error' | 'warning']> = [
  ['D1', 'warning'], ['D2', 'error'], ['D3', 'error'], ['D4', 'warning'], ['D5', 'warning'], ['D6', 'warning'], ['D7', 'warning'],
  ['D8', 'warning'], ['D9', 'warning'], ['D10', 'error'], ['D11', 'error'], ['D12', 'warning'], ['D13', 'error'], ['D14', 'error'],
  ['D15', 'error'], ['D16', 'warning'], ['D17', 'warning'],
  ['V1', 'warning'], ['V2', 'warning'], ['V3', 'error'], ['V4', 'warning'], ['V5', 'error'], ['V6', 'error'], ['V7', 'error'],
  ['V8', 'warning'], ['V9', 'error'], ['V10', 'warning'], ['V11', 'warning'], ['V12', 'warning'], ['V13', 'warning'], ['V14', 'error'],
  ['V15', 'warning'], ['V16', 'warning'],
  ['P1', 'error'], ['P2', 'error'], ['P3', 'error'], ['P4', 'warning'], ['P5', 'warning'], ['P6', 'error'], ['P7', 'error'],
  ['P8', 'warning'], ['P9', 'error'], ['P10', 'warning'], ['P11', 'warning'], ['P12', 'warning'], ['P13', 'error'], ['P14', 'error'],
  ['P15', 'warning'], ['P16', 'error'], ['P17', 'error'], ['P18', 'warning'], ['P19', 'warning'], ['P20', 'error'], ['P21', 'warning'],
  ['P22', 'warning'], ['P23', 'warning'], ['P24', 'warning'],
  ['O1', 'warning'], ['O2', 'warning'], ['O3', 'warning'], ['O4', 'warning'], ['O5', 'error'], ['O6', 'warning'], ['O7', 'warning'],
  ['O8', 'warning'], ['O9', 'warning'], ['O10', 'warning'],
];

const SECTION_OF_LETTER: Record<string, GuidelineSection> = {
  D: GuidelineSection.DESIGN,
  V: GuidelineSection.DEVELOPMENT,
  P: GuidelineSection.DEPLOYMENT,
  O: GuidelineSection.OPERATION,
};

/** A CloudFormation resource type (`AWS::Service::Type`), or a custom resource type (`Custom::Name`) for rules that read one. */
const RESOURCE_TYPE = /^(?:AWS::[A-Za-z0-9]+::[A-Za-z0-9]+|Custom::[A-Za-z0-9_@.-]+)$/;

describe('the rule catalogue', () => {
  test('holds exactly the 67 rules of controls.md, in order, with their levels', () => {
    expect(EXPECTED).toHaveLength(67);
    expect(CATALOGUE.map((r) => [r.id, r.level])).toEqual(EXPECTED);
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
