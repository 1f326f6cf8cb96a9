import { ifElse, imported, NO_VALUE, validate, verdictOf } from '../../harness';

const VPC = { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] };
const CONTAINER = { Image: '111122223333.dkr.ecr.eu-west-2.amazonaws.com/m@sha256:abc' };
const model = (properties: Record<string, unknown>) => ({
  Type: 'AWS::SageMaker::Model',
  Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/m', PrimaryContainer: CONTAINER, ...properties },
});
const config = (properties: Record<string, unknown>) => ({ Type: 'AWS::SageMaker::EndpointConfig', Properties: properties });
const variant = (extra: Record<string, unknown> = {}) => ({ VariantName: 'v1', InitialInstanceCount: 1, InstanceType: 'ml.m5.xlarge', ...extra });

describe('P5 models and inference-component endpoints in a VPC', () => {
  test('compliant: model with subnets and security groups', () => {
    const run = validate({ Resources: { Model: model({ VpcConfig: VPC }) } });
    expect(verdictOf(run, 'P5', 'Model')).toBe('none');
    expect(run.tally('P5')).toMatchObject({ compliant: 1 });
  });

  test('compliant (waived): no VPC but network isolation, including "true" as a string', () => {
    for (const flag of [true, 'true']) {
      const run = validate({ Resources: { Model: model({ EnableNetworkIsolation: flag }) } });
      expect(verdictOf(run, 'P5', 'Model')).toBe('none');
      expect(run.tally('P5')).toMatchObject({ compliant: 1 });
    }
  });

  test('non-compliant: no VpcConfig and no network isolation', () => {
    const run = validate({ Resources: { Model: model({ EnableNetworkIsolation: false }) } });
    expect(verdictOf(run, 'P5', 'Model')).toBe('non-compliant');
    const [finding] = run.of('P5');
    expect(finding).toMatchObject({ ruleName: 'SecureAI-P5', level: 'warning', locations: ['Properties.VpcConfig.Subnets', 'Properties.VpcConfig.SecurityGroupIds'] });
    expect(finding.message).toMatch(/VpcConfig\.Subnets is absent.*EnableNetworkIsolation is not true/);
  });

  test('non-compliant: empty subnets or empty security groups', () => {
    for (const vpc of [{ ...VPC, Subnets: [] }, { ...VPC, SecurityGroupIds: [] }]) {
      expect(verdictOf(validate({ Resources: { Model: model({ VpcConfig: vpc }) } }), 'P5', 'Model')).toBe('non-compliant');
    }
  });

  test('non-compliant: a model with Containers[] (multi-container) is judged the same way', () => {
    const run = validate({ Resources: { Model: { Type: 'AWS::SageMaker::Model', Properties: { Containers: [CONTAINER, CONTAINER] } } } });
    expect(verdictOf(run, 'P5', 'Model')).toBe('non-compliant');
  });

  test('intrinsic: Fn::If with a NoValue branch for the VPC is a finding', () => {
    const run = validate({ Resources: { Model: model({ VpcConfig: ifElse(VPC, NO_VALUE) }) } });
    expect(verdictOf(run, 'P5', 'Model')).toBe('non-compliant');
    expect(run.of('P5')[0].message).toMatch(/possible forms/);
  });

  test('intrinsic: isolation from a parameter judged by its default and allowed values', () => {
    const withParameter = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { Isolate: { Default, AllowedValues } },
      Resources: { Model: model({ EnableNetworkIsolation: { Ref: 'Isolate' } }) },
    });
    expect(verdictOf(withParameter('true'), 'P5', 'Model')).toBe('none');
    expect(verdictOf(withParameter('false'), 'P5', 'Model')).toBe('non-compliant');
    expect(verdictOf(withParameter('true', ['true', 'false']), 'P5', 'Model')).toBe('parameter');
  });

  test('unverifiable: no VPC and network isolation not known at synth time', () => {
    const run = validate({ Resources: { Model: model({ EnableNetworkIsolation: imported('isolate') }) } });
    expect(verdictOf(run, 'P5', 'Model')).toBe('unverifiable');
    expect(run.of('P5')[0]).toMatchObject({ ruleName: 'SecureAI-P5[unverifiable]', level: 'warning' });
  });

  test('imported subnets and security groups are set', () => {
    const run = validate({ Resources: { Model: model({ VpcConfig: { Subnets: { 'Fn::Split': [',', imported('subnets')] }, SecurityGroupIds: [imported('sg')] } }) } });
    expect(verdictOf(run, 'P5', 'Model')).toBe('none');
  });

  test('not applicable: a model served only by serverless endpoints, which cannot have a VPC', () => {
    const run = validate({
      Resources: {
        Model: model({}),
        Config: config({ ProductionVariants: [{ VariantName: 'v1', ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] }, ServerlessConfig: { MaxConcurrency: 5, MemorySizeInMB: 2048 } }] }),
      },
    });
    expect(verdictOf(run, 'P5', 'Model')).toBe('none');
    expect(run.tally('P5')).toMatchObject({ notApplicable: 2 });
  });

  test('a model served by a serverless and an instance-backed endpoint still needs a VPC', () => {
    const run = validate({
      Resources: {
        Model: model({}),
        Serverless: config({ ProductionVariants: [{ VariantName: 'v1', ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] }, ServerlessConfig: { MaxConcurrency: 5, MemorySizeInMB: 2048 } }] }),
        Instances: config({ ProductionVariants: [variant({ ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] } })] }),
      },
    });
    expect(verdictOf(run, 'P5', 'Model')).toBe('non-compliant');
  });

  test('endpoint configurations: judged only when they host inference components', () => {
    const run = validate({
      Resources: {
        Classic: config({ ProductionVariants: [variant({ ModelName: 'my-model' })] }),
        Components: config({ ExecutionRoleArn: 'arn:aws:iam::111122223333:role/ic', ProductionVariants: [variant()] }),
        ComponentsInVpc: config({ ExecutionRoleArn: 'arn:aws:iam::111122223333:role/ic', ProductionVariants: [variant()], VpcConfig: VPC }),
        NoRoleNoModel: config({ ProductionVariants: [variant()] }),
      },
    });
    expect(verdictOf(run, 'P5', 'Classic')).toBe('none');
    expect(verdictOf(run, 'P5', 'Components')).toBe('non-compliant');
    expect(run.of('P5').find((f) => f.logicalId === 'Components')!.message).toMatch(/inference components/);
    expect(verdictOf(run, 'P5', 'ComponentsInVpc')).toBe('none');
    expect(verdictOf(run, 'P5', 'NoRoleNoModel')).toBe('non-compliant');
    expect(run.tally('P5')).toMatchObject({ notApplicable: 1, compliant: 1, nonCompliant: 2 });
  });
});
