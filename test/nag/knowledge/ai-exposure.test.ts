import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { UnknownValue } from '../../../src/nag/engine/values';
import { EXPOSURE_TAG, externalExposure } from '../../../src/nag/knowledge/ai-exposure';
import { ifElse, imported, stackOf } from '../harness';

function resourcesWith(tags: Record<string, unknown>) {
  const app = new App();
  stackOf({ Resources: Object.fromEntries(Object.entries(tags).map(([id, t]) => [id, { Type: 'AWS::Bedrock::Agent', Properties: { Tags: t } }])) }, app);
  const index = ResourceIndex.fromScope(app);
  return (...ids: string[]) => ids.map((id) => index.find('Test', id)!);
}

describe('externalExposure', () => {
  const of = resourcesWith({
    External: { [EXPOSURE_TAG]: 'External' },
    Public: [{ Key: 'ai:exposure', Value: ' public ' }],
    Internet: { 'ai:exposure': 'INTERNET' },
    Internal: { 'ai:exposure': 'internal' },
    None: undefined,
    Imported: imported('tags'),
    ImportedValue: { 'ai:exposure': imported('exposure') },
    Branches: ifElse({ 'ai:exposure': 'internal' }, { 'ai:exposure': 'external' }),
  });

  test('external, public or internet (any case, trimmed), in list or map form, is yes', () => {
    for (const id of ['External', 'Public', 'Internet']) expect(externalExposure(of(id))).toBe(true);
  });

  test('another value or no tag is no; no resources is no', () => {
    expect(externalExposure(of('Internal', 'None'))).toBe(false);
    expect(externalExposure([])).toBe(false);
  });

  test('tags or a tag value known only at deploy time is maybe; a yes elsewhere still wins', () => {
    expect(externalExposure(of('Imported'))).toBeInstanceOf(UnknownValue);
    expect(externalExposure(of('ImportedValue'))).toBeInstanceOf(UnknownValue);
    expect(externalExposure(of('Imported', 'External'))).toBe(true);
  });

  test('any Fn::If form declaring external is yes', () => {
    expect(externalExposure(of('Branches'))).toBe(true);
  });

  test("the stack's tags count", () => {
    const app = new App();
    const stack = new Stack(app, 'Test', { tags: { 'ai:exposure': 'external' } });
    new CfnResource(stack, 'Agent', { type: 'AWS::Bedrock::Agent', properties: {} }).overrideLogicalId('Agent');
    expect(externalExposure([ResourceIndex.fromScope(app).find('Test', 'Agent')!])).toBe(true);
  });
});
