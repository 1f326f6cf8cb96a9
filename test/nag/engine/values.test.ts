import {
  describe as describeValue, Expression, isPlainObject, isReference, readPath, readTags, ResourceReference, UnknownValue, unknownOf,
} from '../../../src/nag/engine/values';

const ref = new ResourceReference('Bucket', 'Stack', 'Arn');
const unknown = new UnknownValue('imported value x');

describe('Expression', () => {
  test('lists its references, its first unknown part, and a pattern with * for every non-literal part', () => {
    const other = new UnknownValue('second');
    const e = new Expression(['arn:', unknown, ':s3:::', ref, '/', other]);
    expect(e.references).toEqual([ref]);
    expect(e.unknown).toBe(unknown);
    expect(e.pattern).toBe('arn:*:s3:::*/*');
  });

  test('an all-literal or reference-only expression has no unknown part', () => {
    expect(new Expression(['a', 'b']).unknown).toBeUndefined();
    expect(new Expression(['a', 'b']).references).toEqual([]);
    expect(new Expression([ref]).unknown).toBeUndefined();
  });
});

describe('value predicates', () => {
  test('isReference only for ResourceReference', () => {
    expect(isReference(ref)).toBe(true);
    for (const v of [undefined, 'Bucket', { Ref: 'Bucket' }, unknown, new Expression([ref])]) expect(isReference(v)).toBe(false);
  });

  test('isPlainObject excludes arrays, null and the three markers', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject({ a: 1 })).toBe(true);
    for (const v of [null, undefined, [], 'x', 1, true, unknown, ref, new Expression(['x'])]) expect(isPlainObject(v)).toBe(false);
  });

  test('unknownOf: the value itself, the unknown part of an expression, else undefined', () => {
    expect(unknownOf(unknown)).toBe(unknown);
    expect(unknownOf(new Expression(['a', unknown]))).toBe(unknown);
    expect(unknownOf(new Expression(['a', ref]))).toBeUndefined();
    expect(unknownOf(ref)).toBeUndefined();
    expect(unknownOf('text')).toBeUndefined();
    expect(unknownOf(undefined)).toBeUndefined();
  });
});

describe('readPath', () => {
  test('reads nested plain objects; an empty path is the value itself', () => {
    const value = { A: { B: { C: 'deep' } } };
    expect(readPath(value, ['A', 'B', 'C'])).toBe('deep');
    expect(readPath(value, [])).toBe(value);
    expect(readPath(value, ['A', 'X', 'C'])).toBeUndefined();
  });

  test('a list or scalar on the way gives undefined', () => {
    expect(readPath({ A: ['x'] }, ['A', '0'])).toBeUndefined();
    expect(readPath({ A: 7 }, ['A', 'B'])).toBeUndefined();
    expect(readPath(null, ['A'])).toBeUndefined();
  });

  test('an unknown, a reference or an expression on the way gives an unknown marked insideUnknown, naming the full path', () => {
    const viaUnknown = readPath({ A: unknown }, ['A', 'B']) as UnknownValue;
    expect(viaUnknown).toBeInstanceOf(UnknownValue);
    expect(viaUnknown.insideUnknown).toBe(true);
    expect(viaUnknown.reason).toBe('A.B is inside a value not known at synth time (imported value x)');
    const viaRef = readPath(ref, ['Key']) as UnknownValue;
    expect(viaRef.insideUnknown).toBe(true);
    expect(viaRef.reason).toMatch(/a reference to Bucket\.Arn/);
    expect((readPath(new Expression(['a', ref]), ['Key']) as UnknownValue).reason).toMatch(/"a\$\{Bucket.Arn\}"/);
  });

  test('a leaf unknown is returned as it is, not marked insideUnknown', () => {
    expect(readPath({ A: unknown }, ['A'])).toBe(unknown);
  });
});

describe('readTags', () => {
  test('absent tags are an empty map', () => {
    const tags = readTags(undefined);
    expect(tags).toBeInstanceOf(Map);
    expect((tags as Map<string, unknown>).size).toBe(0);
  });

  test('list and map forms read alike', () => {
    const fromList = readTags([{ Key: 'Env', Value: 'prod' }, { Key: 'Owner', Value: ref }]) as Map<string, unknown>;
    const fromMap = readTags({ Env: 'prod', Owner: ref }) as Map<string, unknown>;
    expect([...fromList]).toEqual([['Env', 'prod'], ['Owner', ref]]);
    expect([...fromMap]).toEqual([...fromList]);
  });

  test('unreadable tags are unknown, never a throw', () => {
    expect(readTags(unknown)).toBe(unknown);
    expect(readTags(new Expression(['x', unknown]))).toBe(unknown);
    expect((readTags(['Env=prod']) as UnknownValue).reason).toMatch(/not a \{Key, Value\} pair/);
    expect((readTags([{ Key: unknown, Value: 'x' }]) as UnknownValue).reason).toMatch(/tag key not known/);
    expect((readTags('Env=prod') as UnknownValue).reason).toMatch(/neither a list nor a map/);
    expect(readTags(42)).toBeInstanceOf(UnknownValue);
    expect(readTags(null)).toBeInstanceOf(UnknownValue);
  });
});

describe('describe', () => {
  test('names absent values, unknowns, references and expressions', () => {
    expect(describeValue(undefined)).toBe('absent');
    expect(describeValue(unknown)).toBe('unknown (imported value x)');
    expect(describeValue(ref)).toBe('a reference to Bucket.Arn');
    expect(describeValue(new ResourceReference('Key', 'Stack'))).toBe('a reference to Key');
    // A reference inside a string reads as the Fn::Sub that names it, never as a wildcard the value cannot hold.
    expect(describeValue(new Expression(['s3://', ref, '/x']))).toBe('"s3://${Bucket.Arn}/x"');
    expect(describeValue(new Expression(['s3://', new ResourceReference('Key', 'Stack'), '/x']))).toBe('"s3://${Key}/x"');
  });

  test('JSON for plain values, cut at 80 characters', () => {
    expect(describeValue('Enabled')).toBe('"Enabled"');
    expect(describeValue(false)).toBe('false');
    expect(describeValue(null)).toBe('null');
    const long = describeValue('x'.repeat(200));
    expect(long).toHaveLength(80);
    expect(long.endsWith('...')).toBe(true);
    expect(describeValue('x'.repeat(78))).toBe(JSON.stringify('x'.repeat(78)));
  });
});
