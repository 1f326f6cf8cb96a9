import { TemplateFixture, ifElse, imported, validate, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const componentVariant = { VariantName: 'v', InstanceType: 'ml.g5.2xlarge', InitialInstanceCount: 1, ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 1, MaxInstanceCount: 2 } };
const modelVariant = (name: unknown) => ({ VariantName: 'v', ModelName: name, InstanceType: 'ml.m5.large', InitialInstanceCount: 1 });
const config = (variants: unknown[], isolation?: unknown) => ({
  Type: 'AWS::SageMaker::EndpointConfig',
  Properties: { ProductionVariants: variants, EnableNetworkIsolation: isolation, ExecutionRoleArn: 'arn:aws:iam::111122223333:role/e' },
});
const model = (isolated: boolean) => ({ Type: 'AWS::SageMaker::Model', Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/m', EnableNetworkIsolation: isolated } });
const run = (resources: Resources, parameters?: TemplateFixture['Parameters']) => validate({ Parameters: parameters, Resources: resources });

describe('D12 endpoints that host inference components isolate their containers', () => {
  test('compliant: an inference-component configuration with isolation', () => {
    const result = run({ Config: config([componentVariant], true) });
    expect(verdictOf(result, 'D12', 'Config')).toBe('none');
    expect(result.tally('D12')).toMatchObject({ compliant: 1 });
  });

  test('non-compliant: an inference-component configuration without isolation (default false) or with false', () => {
    const result = run({ Config: config([componentVariant]) });
    expect(verdictOf(result, 'D12', 'Config')).toBe('non-compliant');
    expect(result.of('D12')[0]).toMatchObject({ ruleName: 'SecureAI-D12', level: 'warning', locations: ['Properties.EnableNetworkIsolation'] });
    expect(result.of('D12')[0].message).toMatch(/EnableNetworkIsolation is absent \(CloudFormation default false\): the configuration hosts inference components/);
    expect(verdictOf(run({ Config: config([componentVariant], false) }), 'D12', 'Config')).toBe('non-compliant');
  });

  test('a configuration is inference-component based when a component targets an endpoint using it', () => {
    const result = run({
      Model: model(true),
      Config: config([modelVariant({ 'Fn::GetAtt': ['Model', 'ModelName'] })]),
      Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: { 'Fn::GetAtt': ['Config', 'EndpointConfigName'] } } },
      Component: { Type: 'AWS::SageMaker::InferenceComponent', Properties: { EndpointName: { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] }, Specification: {} } },
    });
    expect(verdictOf(result, 'D12', 'Config')).toBe('non-compliant');
  });

  test('model-based configurations: the models decide (D11); outside the app, unverifiable', () => {
    const inApp = run({ Open: model(false), Config: config([modelVariant({ 'Fn::GetAtt': ['Open', 'ModelName'] })]) });
    expect(inApp.tally('D12')).toMatchObject({ notApplicable: 1 });
    const outside = run({ Config: config([modelVariant('external-model')]) });
    expect(verdictOf(outside, 'D12', 'Config')).toBe('unverifiable');
    expect(outside.of('D12')[0].message).toMatch(/model "external-model", which is not in the app/);
    expect(verdictOf(run({ Config: config([modelVariant('external-model')], true) }), 'D12', 'Config')).toBe('none');
  });

  test('intrinsic: Fn::If with an unisolated branch; parameter allowed values', () => {
    const conditional = run({ Config: config([componentVariant], ifElse(true, false)) });
    expect(verdictOf(conditional, 'D12', 'Config')).toBe('non-compliant');
    expect(conditional.of('D12')[0].message).toMatch(/possible forms/);
    const param = (AllowedValues: string[]) => run({ Config: config([componentVariant], { Ref: 'Isolate' }) }, { Isolate: { AllowedValues } });
    expect(verdictOf(param(['true']), 'D12', 'Config')).toBe('none');
    expect(verdictOf(param(['false', 'true']), 'D12', 'Config')).toBe('unverifiable');
  });

  test('unverifiable: isolation imported, or variants imported', () => {
    const isolation = run({ Config: config([componentVariant], imported('isolate')) });
    expect(verdictOf(isolation, 'D12', 'Config')).toBe('unverifiable');
    expect(isolation.of('D12')[0].ruleName).toBe('SecureAI-D12[unverifiable]');
    const variants = run({ Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: imported('variants') } } });
    expect(verdictOf(variants, 'D12', 'Config')).toBe('unverifiable');
  });
});
