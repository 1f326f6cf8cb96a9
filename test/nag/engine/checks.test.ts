import { Answer, combine, COMPLIANT, decidingParameters, expectProperty, isAtLeast, isExpression, isNonEmptyList, isOneOf, isSet, isTrue, judge, nonCompliant, normaliseEnum, NOT_APPLICABLE, qualifier, unverifiable, Verdict, was } from '../../../src/nag/engine/checks';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { describe as shown, Expression, isPlainObject, ResourceReference, UnknownValue, Value } from '../../../src/nag/engine/values';
import { ifElse, imported, NO_VALUE, stackOf, TemplateFixture } from '../harness';

const ref = new ResourceReference('Key', 'Test', 'Arn');
const unknown = new UnknownValue('imported value k');

function resourceOf(fixture: TemplateFixture, logicalId = 'R') {
  return ResourceIndex.fromScope(stackOf(fixture)).find('Test', logicalId)!;
}

function endpointConfig(kmsKeyId: unknown, parameters?: TemplateFixture['Parameters']) {
  return resourceOf({ Parameters: parameters, Resources: { R: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { KmsKeyId: kmsKeyId } } } });
}

const isSetTest = (v: Value): Answer => isSet(v);
const failure = (v: Value) => `KmsKeyId ${was(v)}`;

describe('results', () => {
  test('nonCompliant and unverifiable carry message and locations', () => {
    expect(nonCompliant('bad', 'Properties.A', 'Properties.B')).toEqual({ verdict: Verdict.NON_COMPLIANT, message: 'bad', locations: ['Properties.A', 'Properties.B'] });
    expect(unverifiable('open')).toEqual({ verdict: Verdict.UNVERIFIABLE, message: 'open', locations: [] });
  });

  test('combine: non-compliant beats unverifiable beats compliant beats not applicable', () => {
    const bad1 = nonCompliant('a', 'X');
    const bad2 = nonCompliant('b', 'X', 'Y');
    const open = unverifiable('c', 'Z');
    expect(combine(COMPLIANT, open, bad1, bad2)).toEqual({ verdict: Verdict.NON_COMPLIANT, message: 'a; b', locations: ['X', 'Y'] });
    expect(combine(COMPLIANT, open, NOT_APPLICABLE)).toEqual({ verdict: Verdict.UNVERIFIABLE, message: 'c', locations: ['Z'] });
    expect(combine(NOT_APPLICABLE, COMPLIANT)).toBe(COMPLIANT);
    expect(combine(NOT_APPLICABLE)).toBe(NOT_APPLICABLE);
    expect(combine()).toBe(NOT_APPLICABLE);
  });

  test('combine drops empty messages and tolerates results without locations', () => {
    const noMessage = { verdict: Verdict.NON_COMPLIANT };
    expect(combine(noMessage, nonCompliant('b'))).toEqual({ verdict: Verdict.NON_COMPLIANT, message: 'b', locations: [] });
  });
});

describe('judge and expectProperty', () => {
  test('compliant when every branch passes', () => {
    expect(judge([{ value: 'k', parameters: [] }, { value: 'j', parameters: [] }], 'Properties.K', isSetTest, failure, 'K')).toBe(COMPLIANT);
    expect(judge([], 'Properties.K', isSetTest, failure, 'K')).toBe(COMPLIANT);
  });

  test('a failing branch is non-compliant, naming the branch form and the parameter', () => {
    const result = judge([{ value: 'k', parameters: [] }, { value: undefined, parameters: ['UseKey'] }], 'Properties.KmsKeyId', isSetTest, failure, 'KmsKeyId');
    expect(result).toEqual({
      verdict: Verdict.NON_COMPLIANT,
      message: 'KmsKeyId is absent (with the value of parameter UseKey, in one of its 2 possible forms (Fn::If or Fn::FindInMap))',
      locations: ['Properties.KmsKeyId'],
    });
  });

  test('failure beats an earlier unknown branch; unknown alone is unverifiable with the first reason', () => {
    const branches = [{ value: unknown, parameters: [] }, { value: '', parameters: [] }];
    expect(judge(branches, 'L', isSetTest, failure, 'S').verdict).toBe(Verdict.NON_COMPLIANT);
    const open = judge([{ value: 'x', parameters: [] }], 'L', () => new UnknownValue('first'), failure, 'S');
    expect(open).toEqual({ verdict: Verdict.UNVERIFIABLE, message: 'S cannot be verified at synth time: first', locations: ['L'] });
  });

  test('a test that throws makes the branch unverifiable, never a crash', () => {
    const result = judge([{ value: 'x', parameters: [] }], 'L', () => {
      throw new Error('boom');
    }, failure, 'Subject');
    expect(result.verdict).toBe(Verdict.UNVERIFIABLE);
    expect(result.message).toMatch(/Subject has a form the rule cannot read/);
  });

  test('expectProperty reads every Fn::If branch of a resource property', () => {
    expect(expectProperty(endpointConfig('arn:aws:kms:eu-west-2:111122223333:key/k'), 'KmsKeyId', isSet, failure)).toBe(COMPLIANT);
    const result = expectProperty(endpointConfig(ifElse('k', NO_VALUE)), 'KmsKeyId', isSet, failure);
    expect(result.verdict).toBe(Verdict.NON_COMPLIANT);
    expect(result.message).toBe('KmsKeyId is absent (in one of its 2 possible forms (Fn::If or Fn::FindInMap))');
    expect(result.locations).toEqual(['Properties.KmsKeyId']);
  });

  test('expectProperty: an imported value is set; a parameter without default is unverifiable under isTrue', () => {
    expect(expectProperty(endpointConfig(imported('key-arn')), 'KmsKeyId', isSet, failure)).toBe(COMPLIANT);
    const result = expectProperty(endpointConfig({ Ref: 'Flag' }, { Flag: { Type: 'String' } }), 'KmsKeyId', isTrue, failure);
    expect(result.verdict).toBe(Verdict.UNVERIFIABLE);
    expect(result.message).toMatch(/<parameter Flag> has no default/);
  });

  test('expectProperty names the parameters of the part of the property its finding is about, not those of its other parts', () => {
    const config = (flag: unknown) => resourceOf({
      Parameters: { Flag: { Type: 'String', Default: 'false' }, Other: { Type: 'String', Default: 'x' } },
      Resources: { R: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { Config: { Flag: flag, Name: { Ref: 'Other' } } } } },
    });
    const flagOn = (v: Value): Answer => (isPlainObject(v) ? isTrue(v.Flag) : false);
    const off = (v: Value) => `Config.Flag is ${isPlainObject(v) ? shown(v.Flag) : 'absent'}`;
    expect(expectProperty(config('false'), 'Config', flagOn, off).message).toBe('Config.Flag is "false"');
    expect(expectProperty(config({ Ref: 'Flag' }), 'Config', flagOn, off).message).toBe('Config.Flag is "false" (with the value of parameter Flag)');
  });

  test('expectProperty: a parameter is judged by its default alone, named in the message', () => {
    const result = expectProperty(endpointConfig({ Ref: 'Flag' }, { Flag: { Type: 'String', Default: 'false', AllowedValues: ['true', 'false'] } }), 'KmsKeyId', isTrue, failure);
    expect(result.verdict).toBe(Verdict.NON_COMPLIANT);
    expect(result.message).toBe('KmsKeyId is "false" (with the value of parameter Flag)');
    const passing = expectProperty(endpointConfig({ Ref: 'Flag' }, { Flag: { Type: 'String', Default: 'true', AllowedValues: ['true', 'false'] } }), 'KmsKeyId', isTrue, failure);
    expect(passing).toBe(COMPLIANT);
  });
});

describe('qualifier', () => {
  test('empty for a single unparameterised form', () => {
    expect(qualifier([], 1)).toBe('');
  });
  test('names the parameters and the number of forms', () => {
    expect(qualifier(['A', 'B'], 1)).toBe(' (with the value of parameter A, B)');
    expect(qualifier([], 3)).toBe(' (in one of its 3 possible forms (Fn::If or Fn::FindInMap))');
  });
});

describe('predicates', () => {
  test('isSet: empty values are not set; deploy-time values are, except inside an unknown block', () => {
    for (const v of [undefined, null, '', [], {}]) expect(isSet(v)).toBe(false);
    for (const v of ['x', 0, false, ['a'], { a: 1 }, unknown, ref, new Expression(['a', ref])]) expect(isSet(v)).toBe(true);
    const inside = new UnknownValue('inside', true);
    expect(isSet(inside)).toBe(inside);
  });

  test('isTrue: true and "true" in any case; unknowns and references are unknown', () => {
    expect(isTrue(true)).toBe(true);
    expect(isTrue('TRUE')).toBe(true);
    expect(isTrue('True')).toBe(true);
    for (const v of [false, 'false', 'yes', 1, undefined, null, {}]) expect(isTrue(v)).toBe(false);
    expect(isTrue(unknown)).toBe(unknown);
    expect(isTrue(new Expression(['t', unknown]))).toBe(unknown);
    expect(isTrue(ref)).toBeInstanceOf(UnknownValue);
  });

  test('normaliseEnum makes spellings compare equal', () => {
    expect(normaliseEnum('PENDING_MANUAL_APPROVAL')).toBe('pendingmanualapproval');
    expect(normaliseEnum('PendingManualApproval')).toBe(normaliseEnum('pending-manual-approval'));
    expect(normaliseEnum('Pending Manual Approval')).toBe('pendingmanualapproval');
  });

  test('isOneOf accepts any spelling of the wanted values and nothing else', () => {
    const test = isOneOf('PendingManualApproval', 'Approved');
    expect(test('PENDING_MANUAL_APPROVAL')).toBe(true);
    expect(test('approved')).toBe(true);
    expect(test('Rejected')).toBe(false);
    expect(test(undefined)).toBe(false);
    expect(test(['Approved'])).toBe(false);
    expect(test(unknown)).toBe(unknown);
    expect(test(ref)).toBeInstanceOf(UnknownValue);
  });

  test('isAtLeast reads numbers and numeric strings', () => {
    const test = isAtLeast(30);
    expect(test(30)).toBe(true);
    expect(test('365')).toBe(true);
    expect(test(29)).toBe(false);
    expect(test('29')).toBe(false);
    for (const v of ['', '  ', 'abc', undefined, null, NaN, true, [40]]) expect(test(v)).toBe(false);
    expect(test(unknown)).toBe(unknown);
    expect(test(ref)).toBeInstanceOf(UnknownValue);
  });

  test('isNonEmptyList', () => {
    expect(isNonEmptyList(['a'])).toBe(true);
    expect(isNonEmptyList([])).toBe(false);
    expect(isNonEmptyList('a')).toBe(false);
    expect(isNonEmptyList(undefined)).toBe(false);
    expect(isNonEmptyList(unknown)).toBe(unknown);
  });

  test('was and isExpression', () => {
    expect(was(undefined)).toBe('is absent');
    expect(was('Disabled')).toBe('is "Disabled"');
    expect(isExpression(new Expression(['a']))).toBe(true);
    expect(isExpression('a')).toBe(false);
    expect(isExpression(ref)).toBe(false);
  });
});

describe('decidingParameters', () => {
  // A finding on the first entry of a list; the second entry reads a parameter of its own.
  const firstOf = (form: { value: Value }) => (Array.isArray(form.value) && form.value[0] === '*' ? 'the first entry is *' : undefined);
  const parameters: TemplateFixture['Parameters'] = { First: { Type: 'String', Default: '*' }, Other: { Type: 'String', Default: 'x' } };
  const listOf = (entries: unknown[], extra: Partial<TemplateFixture> = {}) => resourceOf({
    Parameters: parameters, ...extra, Resources: { R: { Type: 'AWS::S3::Bucket', Properties: { List: entries } } },
  });

  test('keeps a parameter the finding rests on and drops one read elsewhere in the property', () => {
    const resource = listOf([{ Ref: 'First' }, { Ref: 'Other' }]);
    const forms = resource.get('List');
    expect(forms[0].parameters).toEqual(['First', 'Other']);
    expect(decidingParameters(resource, 'List', forms, forms[0], firstOf)).toEqual(['First']);
  });

  test('keeps the parameter of a condition that chooses what fails, and every parameter where the property has several forms', () => {
    const chosen = listOf([{ 'Fn::If': ['IsStar', '*', 'named'] }, { Ref: 'Other' }], { Conditions: { IsStar: { 'Fn::Equals': [{ Ref: 'First' }, '*'] } } });
    const forms = chosen.get('List');
    expect(decidingParameters(chosen, 'List', forms, forms[0], firstOf)).toEqual(['First']);
    const several = listOf([ifElse('*', 'named'), { Ref: 'Other' }]);
    const both = several.get('List');
    expect(both).toHaveLength(2);
    expect(decidingParameters(several, 'List', both, both[0], firstOf)).toEqual(both[0].parameters);
  });
});
