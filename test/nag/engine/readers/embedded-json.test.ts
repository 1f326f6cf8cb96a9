import { MAX_EMBEDDED_JSON_CHARS, member, parseEmbeddedJson, parseJsonParts } from '../../../../src/nag/engine/readers/embedded-json';
import { Expression, ResourceReference, UnknownValue, unknownPseudoParameter } from '../../../../src/nag/engine/values';

const group = new ResourceReference('Logs', 'Stack');
const role = new ResourceReference('Role', 'Stack', 'Arn');
const region = unknownPseudoParameter('AWS::Region');

function jsonOf(parsed: ReturnType<typeof parseEmbeddedJson>): unknown {
  if ('failure' in parsed) throw new Error(`unexpected failure: ${parsed.failure}`);
  return parsed.json;
}

describe('parseEmbeddedJson', () => {
  test('a literal JSON string', () => {
    expect(jsonOf(parseEmbeddedJson('{"service":"Bedrock","n":1,"l":[true,null]}'))).toEqual({ service: 'Bedrock', n: 1, l: [true, null] });
  });

  test('a part that is a whole JSON string value comes back as the part itself', () => {
    const json = jsonOf(parseEmbeddedJson(new Expression(['{"logGroupName":"', group, '","roleArn":"', role, '"}']))) as Record<string, unknown>;
    expect(json.logGroupName).toBe(group);
    expect(json.roleArn).toBe(role);
  });

  test('a part inside a longer string comes back as an Expression of the literal and the part', () => {
    const json = jsonOf(parseEmbeddedJson(new Expression(['{"arn":"arn:aws:logs:', region, ':log-group:', group, '"}']))) as Record<string, unknown>;
    expect(json.arn).toBeInstanceOf(Expression);
    expect((json.arn as Expression).parts).toEqual(['arn:aws:logs:', region, ':log-group:', group]);
  });

  test('a part outside a JSON string stands for a whole value', () => {
    const json = jsonOf(parseEmbeddedJson(new Expression(['{"size":', region, ',"list":[', group, ']}']))) as Record<string, unknown>;
    expect(json.size).toBe(region);
    expect(json.list).toEqual([group]);
  });

  test('escaped quotes in literal text do not confuse string tracking', () => {
    const json = jsonOf(parseEmbeddedJson(new Expression(['{"a":"say \\"hi\\" ', group, '","b":', role, '}']))) as Record<string, unknown>;
    expect((json.a as Expression).parts).toEqual(['say "hi" ', group]);
    expect(json.b).toBe(role);
  });

  test('non-strings and invalid JSON give a failure, never a throw', () => {
    expect(parseEmbeddedJson(undefined)).toEqual({ failure: 'it is absent, not a JSON string' });
    expect(parseEmbeddedJson(region)).toEqual({ failure: 'it is ${AWS::Region}, not a JSON string' });
    expect(parseEmbeddedJson({ a: 1 })).toHaveProperty('failure');
    expect((parseEmbeddedJson('{"a":') as { failure: string }).failure).toMatch(/^it is not valid JSON/);
    expect(parseEmbeddedJson(new Expression(['{"a":', group]))).toHaveProperty('failure');
  });

  test('a document past the size limit is not parsed', () => {
    const big = `"${'x'.repeat(MAX_EMBEDDED_JSON_CHARS)}"`;
    expect(parseEmbeddedJson(big)).toEqual({ failure: `it is longer than ${MAX_EMBEDDED_JSON_CHARS} characters` });
  });

  test('a document nested too deep reads as unknown at depth, not a stack overflow', () => {
    const deep = '['.repeat(250) + '1' + ']'.repeat(250);
    let value = jsonOf(parseEmbeddedJson(deep));
    let depth = 0;
    while (Array.isArray(value)) {
      value = value[0];
      depth++;
    }
    expect(value).toBeInstanceOf(UnknownValue);
    expect(depth).toBeLessThan(250);
  });

  test('parseJsonParts reads parts directly', () => {
    expect(jsonOf(parseJsonParts(['{"x":', group, '}']))).toEqual({ x: group });
  });
});

describe('member', () => {
  test('exact key first, else any case', () => {
    expect(member({ loggingConfig: 1 }, 'loggingConfig')).toBe(1);
    expect(member({ LoggingConfig: 2 }, 'loggingConfig')).toBe(2);
    expect(member({ LOGGINGCONFIG: 3, loggingConfig: 4 }, 'loggingConfig')).toBe(4);
    expect(member({ other: 1 }, 'loggingConfig')).toBeUndefined();
  });

  test('not an object: undefined', () => {
    for (const v of [undefined, 'x', ['loggingConfig'], region, group]) expect(member(v, 'loggingConfig')).toBeUndefined();
  });

  test('an inherited property is not a member', () => {
    expect(member({}, 'toString')).toBeUndefined();
    expect(member({}, 'constructor')).toBeUndefined();
  });
});
