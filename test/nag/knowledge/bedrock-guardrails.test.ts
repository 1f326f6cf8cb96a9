import { App } from 'aws-cdk-lib';
import { NOT_KNOWN, Verdict } from '../../../src/nag/engine/checks';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { Expression, ResourceReference, UnknownValue } from '../../../src/nag/engine/values';
import {
  acts, allChecks, coversText, entryFormOf, guardrailUsers, isAtLeastNumber, isEnum, isSwitchedOn, judgeEntries, judgeEntriesAt,
} from '../../../src/nag/knowledge/bedrock-guardrails';
import { ifElse, imported, stackOf, TemplateFixture } from '../harness';

const unknown = new UnknownValue('imported value x');
const ref = new ResourceReference('R', 'Test');

function indexOf(fixture: TemplateFixture): ResourceIndex {
  const app = new App();
  stackOf(fixture, app);
  return ResourceIndex.fromScope(app);
}

describe('field answers', () => {
  test('isEnum: any spelling; absent or another value is no; deploy-time is maybe', () => {
    expect(isEnum('HIGH', 'High')).toBe(true);
    expect(isEnum('pre_defined', 'PreDefined', 'X')).toBe(true);
    expect(isEnum('LOW', 'HIGH')).toBe(false);
    expect(isEnum(undefined, 'HIGH')).toBe(false);
    expect(isEnum(3, 'HIGH')).toBe(false);
    for (const v of [unknown, ref, new Expression(['a', unknown])]) expect(isEnum(v, 'HIGH')).toBeInstanceOf(UnknownValue);
  });

  test('isSwitchedOn: on unless false', () => {
    expect(isSwitchedOn(undefined)).toBe(true);
    expect(isSwitchedOn(true)).toBe(true);
    expect(isSwitchedOn(' TRUE ')).toBe(true);
    expect(isSwitchedOn(false)).toBe(false);
    expect(isSwitchedOn('False')).toBe(false);
    expect(isSwitchedOn('maybe')).toBe(false);
    expect(isSwitchedOn(unknown)).toBeInstanceOf(UnknownValue);
  });

  test('acts: absent and BLOCK act; NONE or empty does not', () => {
    expect(acts(undefined)).toBe(true);
    expect(acts('BLOCK')).toBe(true);
    expect(acts('ANONYMIZE')).toBe(true);
    expect(acts('NONE')).toBe(false);
    expect(acts('none')).toBe(false);
    expect(acts('  ')).toBe(false);
    expect(acts(1)).toBe(false);
    expect(acts(ref)).toBeInstanceOf(UnknownValue);
  });

  test('coversText: absent, empty or including TEXT', () => {
    expect(coversText(undefined)).toBe(true);
    expect(coversText([])).toBe(true);
    expect(coversText(['IMAGE', 'Text'])).toBe(true);
    expect(coversText(['IMAGE'])).toBe(false);
    expect(coversText(['IMAGE', unknown])).toBeInstanceOf(UnknownValue);
    expect(coversText('TEXT')).toBe(false);
    expect(coversText(unknown)).toBeInstanceOf(UnknownValue);
  });

  test('isAtLeastNumber: numbers and numeric strings', () => {
    expect(isAtLeastNumber(0.7, 0.5)).toBe(true);
    expect(isAtLeastNumber('0.5', 0.5)).toBe(true);
    expect(isAtLeastNumber(0.4, 0.5)).toBe(false);
    expect(isAtLeastNumber('', 0.5)).toBe(false);
    expect(isAtLeastNumber('high', 0.5)).toBe(false);
    expect(isAtLeastNumber(undefined, 0.5)).toBe(false);
    expect(isAtLeastNumber(unknown, 0.5)).toBeInstanceOf(UnknownValue);
  });

  test('allChecks: the first failing problem, else the first open one', () => {
    expect(allChecks([{ answer: true, problem: 'a' }, { answer: NOT_KNOWN, problem: 'b' }, { answer: false, problem: 'c' }, { answer: false, problem: 'd' }]))
      .toEqual({ answer: false, detail: 'c' });
    expect(allChecks([{ answer: NOT_KNOWN, problem: 'b' }, { answer: true, problem: 'a' }])).toEqual({ answer: NOT_KNOWN, detail: 'b' });
    expect(allChecks([])).toEqual({ answer: true, detail: '' });
  });
});

describe('entry forms', () => {
  test('entryFormOf: entries of a list; absent is empty; deploy-time lists and entries are unknown', () => {
    expect(entryFormOf({ value: [{ Type: 'HATE' }, { Type: 'VIOLENCE' }], parameters: ['P'] })).toEqual({ entries: [{ Type: 'HATE' }, { Type: 'VIOLENCE' }], unknown: undefined, parameters: ['P'] });
    expect(entryFormOf({ value: undefined, parameters: [] })).toEqual({ entries: [], parameters: [] });
    expect(entryFormOf({ value: null, parameters: [] })).toEqual({ entries: [], parameters: [] });
    expect(entryFormOf({ value: unknown, parameters: [] }).unknown).toBe('imported value x');
    expect(entryFormOf({ value: ref, parameters: [] }).unknown).toBe('a reference to R');
    expect(entryFormOf({ value: 'text', parameters: [] })).toEqual({ entries: [], parameters: [] });
    const mixed = entryFormOf({ value: [{ Type: 'HATE' }, unknown, 'ignored', ref], parameters: [] });
    expect(mixed.entries).toEqual([{ Type: 'HATE' }]);
    expect(mixed.unknown).toBe('a filter is unknown (imported value x)');
  });

  test('judgeEntriesAt judges every Fn::If form of a resource list, and names only the parameters of the failing entries', () => {
    const hasHate = (entries: ReadonlyArray<Record<string, unknown>>) => {
      const hate = entries.find((e) => e.Type === 'HATE');
      if (hate && typeof hate.InputStrength !== 'string') return { answer: NOT_KNOWN, detail: 'the HATE strength is not known' };
      return hate?.InputStrength === 'HIGH' ? { answer: true, detail: '' } : { answer: false, detail: 'no HATE filter at HIGH' };
    };
    const guardrail = (filters: unknown) => indexOf({
      Parameters: { Other: { Default: 'LOW' }, Hate: { Default: 'LOW' } },
      Resources: { G: { Type: 'AWS::Bedrock::Guardrail', Properties: { ContentPolicyConfig: { FiltersConfig: filters } } } },
    }).find('Test', 'G')!;
    const path = 'ContentPolicyConfig.FiltersConfig';
    expect(judgeEntriesAt(guardrail(ifElse([{ Type: 'HATE', InputStrength: 'HIGH' }], [])), path, hasHate).message)
      .toBe('no HATE filter at HIGH (in one of its 2 possible forms (Fn::If or Fn::FindInMap))');
    const other = { Type: 'VIOLENCE', InputStrength: { Ref: 'Other' } };
    expect(judgeEntriesAt(guardrail([other, { Type: 'HATE', InputStrength: 'LOW' }]), path, hasHate).message).toBe('no HATE filter at HIGH');
    expect(judgeEntriesAt(guardrail([other, { Type: 'HATE', InputStrength: { Ref: 'Hate' } }]), path, hasHate).message)
      .toBe('no HATE filter at HIGH (with the value of parameter Hate)');
  });

  test('judgeEntries: non-compliant on a failing readable form, unverifiable on an unreadable one, else compliant', () => {
    const hasHate = (entries: ReadonlyArray<Record<string, unknown>>) => (entries.some((e) => e.Type === 'HATE')
      ? { answer: true, detail: '' } : { answer: false, detail: 'no HATE filter' });
    const ok = { entries: [{ Type: 'HATE' }], parameters: [] };
    const missing = { entries: [], parameters: [] };
    const open = { entries: [], unknown: 'imported', parameters: [] };
    expect(judgeEntries([ok], 'L', 'Filters', hasHate).verdict).toBe(Verdict.COMPLIANT);
    expect(judgeEntries([ok, missing], 'L', 'Filters', hasHate)).toEqual({
      verdict: Verdict.NON_COMPLIANT, message: 'no HATE filter (in one of its 2 possible forms (Fn::If or Fn::FindInMap))', locations: ['L'],
    });
    expect(judgeEntries([open], 'L', 'Filters', hasHate)).toEqual({ verdict: Verdict.UNVERIFIABLE, message: 'Filters cannot be read at synth time (imported)', locations: ['L'] });
    expect(judgeEntries([{ ...ok, unknown: 'partly imported' }], 'L', 'Filters', hasHate).verdict).toBe(Verdict.COMPLIANT);
    expect(judgeEntries([ok], 'L', 'Filters', () => ({ answer: NOT_KNOWN, detail: 'threshold unknown' }))).toMatchObject({ verdict: Verdict.UNVERIFIABLE, message: 'threshold unknown' });
  });
});

describe('guardrailUsers', () => {
  const fixture: TemplateFixture = {
    Resources: {
      Guardrail: { Type: 'AWS::Bedrock::Guardrail', Properties: { Name: 'g' } },
      Version: { Type: 'AWS::Bedrock::GuardrailVersion', Properties: { GuardrailIdentifier: { 'Fn::GetAtt': ['Guardrail', 'GuardrailId'] } } },
      Unused: { Type: 'AWS::Bedrock::Guardrail', Properties: { Name: 'u' } },
      Agent: {
        Type: 'AWS::Bedrock::Agent',
        Properties: { KnowledgeBases: [{ KnowledgeBaseId: 'kb' }], GuardrailConfiguration: { GuardrailIdentifier: { 'Fn::GetAtt': ['Guardrail', 'GuardrailId'] }, GuardrailVersion: '1' } },
      },
      ViaVersion: { Type: 'AWS::Bedrock::Agent', Properties: { KnowledgeBases: imported('kbs'), GuardrailConfiguration: { GuardrailIdentifier: { Ref: 'Version' } } } },
      Flow: {
        Type: 'AWS::Bedrock::Flow',
        Properties: {
          Definition: {
            Nodes: [
              { Name: 'kb', Type: 'KnowledgeBase', Configuration: { KnowledgeBase: { GuardrailConfiguration: { GuardrailIdentifier: { Ref: 'Guardrail' } } } } },
              { Name: 'prompt', Type: 'Prompt', Configuration: { Prompt: { GuardrailConfiguration: { GuardrailIdentifier: { Ref: 'Guardrail' } } } } },
              'malformed',
            ],
          },
        },
      },
      External: { Type: 'AWS::Bedrock::Agent', Properties: { GuardrailConfiguration: { GuardrailIdentifier: 'arn:aws:bedrock:eu-west-2:1:guardrail/other' } } },
    },
  };

  test('agents and flow nodes that attach a guardrail, directly or through a version, with whether they retrieve', () => {
    const index = indexOf(fixture);
    const users = guardrailUsers(index, index.find('Test', 'Guardrail')!).map((u) => [u.user.logicalId, u.retrieval, u.via]);
    expect(users).toEqual([
      ['Agent', true, 'agent Agent'],
      ['ViaVersion', expect.any(UnknownValue), 'agent ViaVersion'],
      ['Flow', true, 'KnowledgeBase node "kb" of flow Flow'],
      ['Flow', false, 'Prompt node "prompt" of flow Flow'],
    ]);
    expect(guardrailUsers(index, index.find('Test', 'Unused')!)).toEqual([]);
  });

  test('found once per index; a new index finds afresh', () => {
    const index = indexOf(fixture);
    const guardrail = index.find('Test', 'Guardrail')!;
    const first = guardrailUsers(index, guardrail);
    const lookups = index.statistics.lookups;
    expect(guardrailUsers(index, guardrail)).toBe(first);
    expect(index.statistics.lookups).toBe(lookups);
    const fresh = indexOf(fixture);
    expect(guardrailUsers(fresh, fresh.find('Test', 'Guardrail')!)).not.toBe(first);
  });
});
