import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { isServerlessConfig, isServerlessEndpoint, servedOnlyServerless } from '../../../src/nag/knowledge/serverless-inference';
import { stackOf, TemplateFixture } from '../harness';

const SERVERLESS = { VariantName: 'v1', ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] }, ServerlessConfig: { MaxConcurrency: 5, MemorySizeInMB: 2048 } };
const INSTANCES = { VariantName: 'v2', ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] }, InstanceType: 'ml.m5.large', InitialInstanceCount: 2 };

function indexOf(variants: unknown[], endpointConfigName: unknown = { 'Fn::GetAtt': ['Config', 'EndpointConfigName'] }) {
  const fixture: TemplateFixture = {
    Resources: {
      Model: { Type: 'AWS::SageMaker::Model', Properties: {} },
      Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: variants } },
      Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: endpointConfigName } },
    },
  };
  const stack = stackOf(fixture);
  const index = ResourceIndex.fromScope(stack.node.root);
  return { index, find: (id: string) => index.find('Test', id)! };
}

describe('serverless inference', () => {
  test('a configuration, its endpoint and its model are serverless when every variant is', () => {
    const { index, find } = indexOf([SERVERLESS]);
    expect(isServerlessConfig(find('Config'))).toBe(true);
    expect(isServerlessEndpoint(index, find('Endpoint'))).toBe(true);
    expect(servedOnlyServerless(index, find('Model'))).toBe(true);
  });

  test('one instance-backed variant makes none of them serverless', () => {
    const { index, find } = indexOf([SERVERLESS, INSTANCES]);
    expect(isServerlessConfig(find('Config'))).toBe(false);
    expect(isServerlessEndpoint(index, find('Endpoint'))).toBe(false);
    expect(servedOnlyServerless(index, find('Model'))).toBe(false);
  });

  test('an endpoint whose configuration is outside the app is not known to be serverless', () => {
    const { index, find } = indexOf([SERVERLESS], { 'Fn::ImportValue': 'config' });
    expect(isServerlessEndpoint(index, find('Endpoint'))).toBe(false);
  });
});
