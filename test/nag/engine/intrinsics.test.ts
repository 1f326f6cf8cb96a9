import { Condition, evaluate, evaluateCondition, EvaluationScope, MAX_BRANCHES } from '../../../src/nag/engine/intrinsics';
import { describe as describeValue, Expression, ResourceReference, UnknownValue } from '../../../src/nag/engine/values';

const scope: EvaluationScope = {
  stackPath: 'App/Stack',
  parameter: (name) => ({
    WithDefault: { Default: 'ml.m5.large' },
    WithAllowed: { Default: 'true', AllowedValues: ['true', 'false'] },
    NoDefault: {},
    FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>' },
    DefaultNotAllowed: { Default: 'public', AllowedValues: ['private'] },
    NumberAllowed: { Default: 2, AllowedValues: ['1', '2'] },
    Zones: { Type: 'CommaDelimitedList', Default: 'a,b' },
    Subnets: { Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-1,subnet-2' },
    SsmList: { Type: 'AWS::SSM::Parameter::Value<List<String>>', Default: '/subnets' },
  } as Record<string, object>)[name],
  resourceStack: (logicalId) => (['Bucket', 'Key'].includes(logicalId) ? 'App/Stack' : undefined),
  exported: (name) => (name === 'Producer:BucketName' ? { value: { Ref: 'Bucket' }, scope } : undefined),
};

const values = (raw: unknown) => evaluate(raw, scope).map((b) => b.value);

describe('intrinsic evaluation', () => {
  test('literals pass through; objects and lists are evaluated deeply', () => {
    expect(values({ A: 1, B: [true, 'x', null] })).toEqual([{ A: 1, B: [true, 'x', null] }]);
  });

  test('Fn::If yields both branches, in objects and lists alike', () => {
    expect(values({ 'Fn::If': ['C', 'a', 'b'] })).toEqual(['a', 'b']);
    expect(values({ K: { 'Fn::If': ['C', 1, 2] }, L: [{ 'Fn::If': ['D', 'x', 'y'] }] })).toEqual([
      { K: 1, L: ['x'] }, { K: 1, L: ['y'] }, { K: 2, L: ['x'] }, { K: 2, L: ['y'] },
    ]);
  });

  test('AWS::NoValue removes the property or list element', () => {
    expect(values({ K: { Ref: 'AWS::NoValue' }, L: [{ Ref: 'AWS::NoValue' }, 'kept'] })).toEqual([{ L: ['kept'] }]);
    expect(values({ 'Fn::If': ['C', 'key', { Ref: 'AWS::NoValue' }] })).toEqual(['key', undefined]);
  });

  test('Ref to a parameter: its default alone (marked parameterised), else unknown shown as <parameter Name>', () => {
    expect(evaluate({ Ref: 'WithDefault' }, scope)).toEqual([{ value: 'ml.m5.large', parameters: ['WithDefault'] }]);
    // Other allowed values are not forms of the value: the pack runs the rule again with each (a [parameter] finding).
    expect(values({ Ref: 'WithAllowed' })).toEqual(['true']);
    const [noDefault] = values({ Ref: 'NoDefault' }) as UnknownValue[];
    expect(noDefault).toBeInstanceOf(UnknownValue);
    expect(describeValue(noDefault)).toBe('<parameter NoDefault>');
    expect(describeValue(values({ 'Fn::Sub': 'arn:aws:s3:::${NoDefault}/*' })[0])).toBe('"arn:aws:s3:::<parameter NoDefault>/*"');
    expect((values({ Ref: 'FromSsm' })[0] as UnknownValue).reason).toMatch(/SSM/);
  });

  test('Ref to a list parameter is a list; Fn::Split of known text is a list, and Fn::Select picks from either', () => {
    expect(evaluate({ Ref: 'Zones' }, scope)).toEqual([{ value: ['a', 'b'], parameters: ['Zones'] }]);
    expect(values({ Ref: 'Subnets' })).toEqual([['subnet-1', 'subnet-2']]);
    expect(values({ 'Fn::Select': [1, { Ref: 'Zones' }] })).toEqual(['b']);
    expect(values({ 'Fn::Split': ['|', 'x|y|'] })).toEqual([['x', 'y', '']]);
    expect(values({ 'Fn::Select': [0, { 'Fn::Split': ['.', { Ref: 'WithDefault' }] }] })).toEqual(['ml']);
    expect(values({ Ref: 'SsmList' })[0]).toBeInstanceOf(UnknownValue);
    for (const raw of [{ 'Fn::Split': [',', { Ref: 'NoDefault' }] }, { 'Fn::Split': [',', { 'Fn::Sub': '${Bucket},x' }] }, { 'Fn::Split': 'x' }]) {
      expect(values(raw)[0]).toBeInstanceOf(UnknownValue);
    }
  });

  test('a default the AllowedValues leave out never deploys: the parameter reads as one without default', () => {
    const [value] = values({ Ref: 'DefaultNotAllowed' }) as UnknownValue[];
    expect(value).toBeInstanceOf(UnknownValue);
    expect(describeValue(value)).toBe('<parameter DefaultNotAllowed>');
    expect(value.reason).toMatch(/not among its AllowedValues/);
    expect(values({ Ref: 'NumberAllowed' })).toEqual([2]);
  });

  describe('conditions', () => {
    const conditions: Record<string, unknown> = {
      Yes: { 'Fn::Equals': [{ Ref: 'WithAllowed' }, 'true'] },
      No: { 'Fn::Not': [{ Condition: 'Yes' }] },
      Both: { 'Fn::And': [{ Condition: 'Yes' }, { 'Fn::Equals': ['a', 'a'] }] },
      Either: { 'Fn::Or': [{ Condition: 'No' }, { 'Fn::Equals': [{ Ref: 'NoDefault' }, 'x'] }] },
      Unknown: { 'Fn::Equals': [{ Ref: 'NoDefault' }, 'x'] },
      InEurope: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
      Loop: { Condition: 'Loop' },
    };
    const withConditions = (region?: string): EvaluationScope => {
      const cache = new Map<string, Condition>();
      const self: EvaluationScope = {
        ...scope,
        pseudoParameter: (name) => (name === 'AWS::Region' ? region : undefined),
        condition: (name) => {
          if (!(name in conditions)) return undefined;
          if (!cache.has(name)) {
            cache.set(name, { answer: new UnknownValue('cycle'), parameters: [] });
            cache.set(name, evaluateCondition(conditions[name], self));
          }
          return cache.get(name);
        },
      };
      return self;
    };

    test('Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition over parameter defaults', () => {
      const c = withConditions();
      expect(c.condition!('Yes')).toEqual({ answer: true, parameters: ['WithAllowed'] });
      expect(c.condition!('No')!.answer).toBe(false);
      expect(c.condition!('Both')!.answer).toBe(true);
      expect(c.condition!('Either')!.answer).toBeInstanceOf(UnknownValue);
      expect(c.condition!('Unknown')!.answer).toBeInstanceOf(UnknownValue);
      expect(c.condition!('Loop')!.answer).toBeInstanceOf(UnknownValue);
    });

    test('Fn::If takes the branch its condition chooses, with the condition\'s parameters; both when unknown', () => {
      const c = withConditions();
      expect(evaluate({ 'Fn::If': ['Yes', 'on', 'off'] }, c)).toEqual([{ value: 'on', parameters: ['WithAllowed'] }]);
      expect(evaluate({ 'Fn::If': ['No', 'on', { Ref: 'AWS::NoValue' }] }, c)).toEqual([{ value: undefined, parameters: ['WithAllowed'] }]);
      expect(evaluate({ 'Fn::If': ['Unknown', 'on', 'off'] }, c).map((b) => b.value)).toEqual(['on', 'off']);
      expect(evaluate({ 'Fn::If': ['NotDeclared', 'on', 'off'] }, c).map((b) => b.value)).toEqual(['on', 'off']);
    });

    test('pseudo parameters decide a condition where the stack env fixes them, and stay unknown in values', () => {
      expect(withConditions('eu-west-1').condition!('InEurope')!.answer).toBe(true);
      expect(withConditions('us-east-1').condition!('InEurope')!.answer).toBe(false);
      expect(withConditions().condition!('InEurope')!.answer).toBeInstanceOf(UnknownValue);
      expect(evaluate({ Ref: 'AWS::Region' }, withConditions('eu-west-1'))[0].value).toBeInstanceOf(UnknownValue);
    });
  });

  describe('Fn::FindInMap', () => {
    const mappings: Record<string, unknown> = {
      Images: { 'us-east-1': { Uri: 'a:latest', Size: 1 }, 'eu-west-1': { Uri: 'b:latest', Size: 1 }, 'eu-west-2': { Uri: 'a:latest', Size: 2 } },
    };
    const mapped = (region?: string): EvaluationScope => ({
      ...scope, mapping: (name) => mappings[name], pseudoParameter: (name) => (name === 'AWS::Region' ? region : undefined),
    });
    const find = (raw: unknown, region?: string) => evaluate({ 'Fn::FindInMap': raw }, mapped(region)).map((b) => b.value);

    test('literal keys give the mapped value; the stack env fixes a pseudo parameter key', () => {
      expect(find(['Images', 'eu-west-1', 'Uri'])).toEqual(['b:latest']);
      expect(find(['Images', { Ref: 'AWS::Region' }, 'Uri'], 'us-east-1')).toEqual(['a:latest']);
      expect(find(['Images', { Ref: 'WithDefault' }, 'Uri'])[0]).toBeInstanceOf(UnknownValue);
    });

    test('a key not known at synth time gives every value at its level, once each', () => {
      expect(find(['Images', { Ref: 'AWS::Region' }, 'Uri'])).toEqual(['a:latest', 'b:latest']);
      expect(find(['Images', 'eu-west-2', { Ref: 'NoDefault' }])).toEqual(['a:latest', 2]);
    });

    test('with a DefaultValue, a key not known at synth time may also miss the mapping: the DefaultValue is one more form', () => {
      expect(find(['Images', { Ref: 'AWS::Region' }, 'Uri', { DefaultValue: 'c:1' }])).toEqual(['a:latest', 'b:latest', 'c:1']);
      expect(find(['Images', 'eu-west-2', { Ref: 'NoDefault' }, { DefaultValue: 'c:1' }])).toEqual(['a:latest', 2, 'c:1']);
      expect(find(['Images', { Ref: 'AWS::Region' }, 'Uri', { DefaultValue: 'c:1' }], 'eu-west-1')).toEqual(['b:latest']);
    });

    test('a missing entry is the DefaultValue, else unknown; an unknown mapping or a malformed call is unknown', () => {
      expect(find(['Images', 'ap-south-1', 'Uri', { DefaultValue: 'c:1' }])).toEqual(['c:1']);
      expect((find(['Images', 'ap-south-1', 'Uri'])[0] as UnknownValue).reason).toMatch(/no entry ap-south-1.Uri/);
      expect(find(['Nope', 'a', 'b'])[0]).toBeInstanceOf(UnknownValue);
      expect(find(['Images', 'a'])[0]).toBeInstanceOf(UnknownValue);
    });
  });

  test('Ref and Fn::GetAtt to a resource of the app become references; elsewhere unknown', () => {
    expect(values({ Ref: 'Bucket' })).toEqual([new ResourceReference('Bucket', 'App/Stack')]);
    expect(values({ 'Fn::GetAtt': ['Key', 'Arn'] })).toEqual([new ResourceReference('Key', 'App/Stack', 'Arn')]);
    expect(values({ 'Fn::GetAtt': 'Key.Arn' })).toEqual([new ResourceReference('Key', 'App/Stack', 'Arn')]);
    expect(values({ Ref: 'Elsewhere' })[0]).toBeInstanceOf(UnknownValue);
    expect(values({ Ref: 'AWS::Region' })[0]).toBeInstanceOf(UnknownValue);
  });

  test('Fn::ImportValue follows exports of the app, and is unknown otherwise', () => {
    expect(values({ 'Fn::ImportValue': 'Producer:BucketName' })).toEqual([new ResourceReference('Bucket', 'App/Stack')]);
    expect((values({ 'Fn::ImportValue': 'shared-key-arn' })[0] as UnknownValue).reason).toBe('imported value shared-key-arn');
  });

  test('Fn::Join of literals is a string; with references it is an expression that keeps them', () => {
    expect(values({ 'Fn::Join': ['', ['s3://', 'b', '/k']] })).toEqual(['s3://b/k']);
    const [joined] = values({ 'Fn::Join': ['', ['s3://', { Ref: 'Bucket' }, '/capture']] }) as Expression[];
    expect(joined).toBeInstanceOf(Expression);
    expect(joined.pattern).toBe('s3://*/capture');
    expect(joined.references).toEqual([new ResourceReference('Bucket', 'App/Stack')]);
  });

  test('Fn::Sub: short form, long form with variables, attributes and escaped literals', () => {
    expect(values({ 'Fn::Sub': 'plain' })).toEqual(['plain']);
    expect((values({ 'Fn::Sub': 's3://${Bucket}/x' })[0] as Expression).references[0].logicalId).toBe('Bucket');
    expect((values({ 'Fn::Sub': '${Key.Arn}' })[0] as Expression | ResourceReference)).toEqual(new Expression([new ResourceReference('Key', 'App/Stack', 'Arn')]));
    expect(values({ 'Fn::Sub': ['${Size}-${!Literal}', { Size: { 'Fn::If': ['C', 'a', 'b'] } }] })).toEqual(['a-${Literal}', 'b-${Literal}']);
    expect((values({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::x' })[0] as Expression).unknown).toBeInstanceOf(UnknownValue);
    // A pseudo parameter reads as itself in a message, never as a wildcard.
    expect(describeValue(values({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::x' })[0])).toBe('"arn:${AWS::Partition}:s3:::x"');
    expect(describeValue(values({ 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'AWS::AccountId' }, '-models']] })[0])).toBe('"arn:aws:s3:::${AWS::AccountId}-models"');
  });

  test('Fn::Select picks from a known list; Fn::ToJsonString renders literals', () => {
    expect(values({ 'Fn::Select': [1, ['a', 'b']] })).toEqual(['b']);
    expect(values({ 'Fn::Select': ['0', { 'Fn::If': ['C', ['x'], ['y']] }] })).toEqual(['x', 'y']);
    expect(values({ 'Fn::Select': [5, ['a']] })[0]).toBeInstanceOf(UnknownValue);
    expect(values({ 'Fn::ToJsonString': { a: [1] } })).toEqual(['{"a":[1]}']);
  });

  test('deploy-time functions and malformed intrinsics are unknown, never a throw', () => {
    for (const raw of [
      { 'Fn::GetAZs': '' }, { 'Fn::FindInMap': ['M', 'k', 'v'] }, { 'Fn::If': ['only-two', 1] }, { 'Fn::Join': 'x' },
      { 'Fn::Sub': 42 }, { 'Fn::Sub': ['a', 'b'] }, { 'Fn::GetAtt': 7 }, { Ref: ['x'] }, { 'Fn::Select': 'x' },
      { 'Fn::ImportValue': { Ref: 'NoDefault' } },
    ]) {
      const result = values(raw);
      expect(result).toHaveLength(1);
      expect(result[0]).toBeInstanceOf(UnknownValue);
    }
  });

  test('combinations past the cap collapse into one unknown instead of exploding', () => {
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 10; i++) wide[`K${i}`] = { 'Fn::If': [`C${i}`, 'a', 'b'] };
    const result = values(wide);
    expect(result.length).toBeLessThanOrEqual(MAX_BRANCHES);
    expect(JSON.stringify(result)).not.toBe('[]');
    expect(result.some((v) => v instanceof UnknownValue || Object.values(v as object).some((x) => x instanceof UnknownValue))).toBe(true);
  });

  test('pathological nesting is unknown, not a stack overflow', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200; i++) deep = { 'Fn::If': ['C', deep, deep] };
    expect(() => values(deep)).not.toThrow();
  });
});
