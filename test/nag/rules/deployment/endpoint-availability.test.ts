import { ifElse, imported, TemplateFixture, validate, verdictOf } from '../../harness';

const variant = (extra: Record<string, unknown> = {}) => ({ VariantName: 'main', ModelName: 'm', InstanceType: 'ml.m5.xlarge', InitialInstanceCount: 2, ...extra });
const config = (variants: unknown, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: { Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: variants } } },
});

describe('P24 endpoint variants run at least two instances', () => {
  test('compliant: two instances', () => {
    const run = validate(config([variant()]));
    expect(verdictOf(run, 'P24', 'Config')).toBe('none');
    expect(run.tally('P24')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('non-compliant: one instance, named by variant, with the value', () => {
    const run = validate(config([variant({ InitialInstanceCount: 1 })]));
    expect(verdictOf(run, 'P24', 'Config')).toBe('non-compliant');
    const finding = run.of('P24')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-P24', level: 'warning', locations: ['Properties.ProductionVariants.0'] });
    expect(finding.message).toMatch(/variant main has InitialInstanceCount 1: one instance is a single point of failure/);
  });

  test('non-compliant: instance count absent; one of two variants with a single instance', () => {
    const absent = validate(config([variant({ InitialInstanceCount: undefined })]));
    expect(absent.of('P24')[0].message).toMatch(/InitialInstanceCount absent/);
    const second = validate(config([variant(), variant({ VariantName: 'canary', InitialInstanceCount: '1' })]));
    expect(verdictOf(second, 'P24', 'Config')).toBe('non-compliant');
    expect(second.of('P24')[0]).toMatchObject({ locations: ['Properties.ProductionVariants.1'] });
    expect(second.of('P24')[0].message).toMatch(/variant canary/);
  });

  test('non-compliant: managed instance scaling that can go below two', () => {
    const scaling = (status: string, min: number) => variant({
      ManagedInstanceScaling: { Status: status, MinInstanceCount: min, MaxInstanceCount: 4 },
    });
    const run = validate(config([scaling('ENABLED', 1)]));
    expect(verdictOf(run, 'P24', 'Config')).toBe('non-compliant');
    expect(run.of('P24')[0].message).toMatch(/MinInstanceCount 1/);
    expect(verdictOf(validate(config([scaling('ENABLED', 2)])), 'P24', 'Config')).toBe('none');
    expect(verdictOf(validate(config([scaling('DISABLED', 0)])), 'P24', 'Config')).toBe('none');
  });

  test('serverless variants are exempt; a config without variants is not applicable', () => {
    const serverless = { VariantName: 's', ModelName: 'm', ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } };
    expect(verdictOf(validate(config([serverless])), 'P24', 'Config')).toBe('none');
    const empty = validate(config([]));
    expect(empty.tally('P24')).toMatchObject({ notApplicable: 1 });
  });

  test('intrinsic: Fn::If with one instance in one branch; Ref to a parameter judged by its default and allowed values', () => {
    const branch = validate(config([variant({ InitialInstanceCount: ifElse(2, 1) })]));
    expect(verdictOf(branch, 'P24', 'Config')).toBe('non-compliant');
    expect(branch.of('P24')[0].message).toMatch(/possible forms/);
    expect(verdictOf(validate(config([variant({ InitialInstanceCount: { Ref: 'Count' } })], { Count: { Type: 'Number', Default: 3 } })), 'P24', 'Config')).toBe('none');
    const allowed = validate(config([variant({ InitialInstanceCount: { Ref: 'Count' } })], { Count: { Type: 'Number', Default: 2, AllowedValues: [1, 2] } }));
    expect(verdictOf(allowed, 'P24', 'Config')).toBe('parameter');
    expect(allowed.of('P24')[0].message).toMatch(/parameter Count/);
  });

  test('unverifiable: the instance count or the variants are imported', () => {
    const count = validate(config([variant({ InitialInstanceCount: imported('count') })]));
    expect(verdictOf(count, 'P24', 'Config')).toBe('unverifiable');
    expect(count.of('P24')[0]).toMatchObject({ ruleName: 'SecureAI-P24[unverifiable]', level: 'warning' });
    expect(verdictOf(validate(config(imported('variants'))), 'P24', 'Config')).toBe('unverifiable');
  });

  test('malformed values never throw', () => {
    const run = validate(config(['x', 3, { InitialInstanceCount: 'two', ManagedInstanceScaling: 'on' }]));
    expect(run.tally('P24').errors).toBe(0);
    expect(verdictOf(run, 'P24', 'Config')).toBe('non-compliant');
  });
});
