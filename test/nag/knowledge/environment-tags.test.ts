import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { UnknownValue } from '../../../src/nag/engine/values';
import { ENVIRONMENT_TAG_KEYS, isProduction, PRODUCTION_TAG_VALUES } from '../../../src/nag/knowledge/environment-tags';
import { ifElse, imported } from '../harness';

function productionOf(tags: unknown, stackTags: Record<string, string> = {}) {
  const app = new App();
  // Tags given to the stack itself (Tags.of(stack) is applied by an aspect only when the app synthesizes).
  const stack = new Stack(app, 'Test', { tags: stackTags });
  new CfnResource(stack, 'R', { type: 'AWS::SageMaker::Endpoint', properties: { EndpointConfigName: 'c', Tags: tags } }).overrideLogicalId('R');
  return isProduction(ResourceIndex.fromScope(app).find('Test', 'R')!);
}

describe('isProduction', () => {
  test.each([
    [[{ Key: 'Environment', Value: 'prod' }]],
    [[{ Key: 'env', Value: 'PRODUCTION' }]],
    [{ Stage: 'prd' }],
    [{ ENVIRONMENT: 'Live' }],
  ])('%j is production', (tags) => {
    expect(productionOf(tags)).toBe(true);
  });

  test.each([
    [undefined],
    [[{ Key: 'Environment', Value: 'dev' }]],
    [{ Owner: 'prod' }],
    [{ Environment: 'preprod' }],
    [{ EnvironmentName: 'prod' }],
  ])('%j is not production', (tags) => {
    expect(productionOf(tags)).toBe(false);
  });

  test('tags or an environment value chosen at deploy time is maybe', () => {
    expect(productionOf(imported('tags'))).toBeInstanceOf(UnknownValue);
    expect(productionOf({ Environment: imported('env') })).toBeInstanceOf(UnknownValue);
    expect(productionOf({ Owner: imported('owner') })).toBe(false);
  });

  test('any Fn::If form tagged production is yes', () => {
    expect(productionOf(ifElse([{ Key: 'Environment', Value: 'prod' }], [{ Key: 'Environment', Value: 'dev' }]))).toBe(true);
  });

  test("the stack's tags count", () => {
    expect(productionOf(undefined, { Environment: 'production' })).toBe(true);
  });

  test('the exported patterns', () => {
    expect(ENVIRONMENT_TAG_KEYS.test('Env')).toBe(true);
    expect(ENVIRONMENT_TAG_KEYS.test('Environments')).toBe(false);
    expect(PRODUCTION_TAG_VALUES.test('prod')).toBe(true);
    expect(PRODUCTION_TAG_VALUES.test('production-eu')).toBe(false);
  });
});
