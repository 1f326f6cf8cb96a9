import { ifElse, imported, NO_VALUE, validate, verdictOf } from '../../harness';

const KEY = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
const variant = (instanceType = 'ml.m5.xlarge') => [{ VariantName: 'v1', ModelName: 'm', InitialInstanceCount: 2, InstanceType: instanceType }];
const config = (properties: Record<string, unknown>) => ({ Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: variant(), ...properties } });

describe('P6 endpoint storage encrypted with a customer-managed key', () => {
  test('compliant: KmsKeyId references a key of the app', () => {
    const run = validate({ Resources: { Key: KEY, Config: config({ KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } }) } });
    expect(verdictOf(run, 'P6', 'Config')).toBe('none');
    expect(run.tally('P6')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('non-compliant: KmsKeyId absent', () => {
    const run = validate({ Resources: { Config: config({}) } });
    expect(verdictOf(run, 'P6', 'Config')).toBe('non-compliant');
    expect(run.of('P6')[0]).toMatchObject({ ruleName: 'SecureAI-P6', level: 'error', locations: ['Properties.KmsKeyId'] });
  });

  test('non-compliant: empty KmsKeyId', () => {
    expect(verdictOf(validate({ Resources: { Config: config({ KmsKeyId: '' }) } }), 'P6', 'Config')).toBe('non-compliant');
  });

  test('intrinsic: Fn::If with an AWS::NoValue branch is a finding, not a pass', () => {
    const run = validate({ Resources: { Key: KEY, Config: config({ KmsKeyId: ifElse({ 'Fn::GetAtt': ['Key', 'Arn'] }, NO_VALUE) }) } });
    expect(verdictOf(run, 'P6', 'Config')).toBe('non-compliant');
    expect(run.of('P6')[0].message).toMatch(/possible forms/);
  });

  test('intrinsic: Ref to a parameter judged by its default', () => {
    const withDefault = validate({
      Parameters: { KeyArn: { Default: 'arn:aws:kms:eu-west-2:111122223333:key/abc' } },
      Resources: { Config: config({ KmsKeyId: { Ref: 'KeyArn' } }) },
    });
    expect(verdictOf(withDefault, 'P6', 'Config')).toBe('none');
    const emptyDefault = validate({ Parameters: { KeyArn: { Default: '' } }, Resources: { Config: config({ KmsKeyId: { Ref: 'KeyArn' } }) } });
    expect(verdictOf(emptyDefault, 'P6', 'Config')).toBe('non-compliant');
    expect(emptyDefault.of('P6')[0].message).toMatch(/parameter KeyArn/);
  });

  test('imported key ARN passes: the key is set, whatever it is', () => {
    const run = validate({ Resources: { Config: config({ KmsKeyId: imported('shared-endpoint-key-arn') }) } });
    expect(verdictOf(run, 'P6', 'Config')).toBe('none');
  });

  test('deploy-time values: a key chosen at deploy time is still a key; variants not known cannot exempt the config', () => {
    const run = validate({ Resources: { Config: config({ KmsKeyId: { 'Fn::FindInMap': ['Keys', { Ref: 'AWS::Region' }, 'Arn'] } }) } });
    // A FindInMap yields some value: the key is set.
    expect(verdictOf(run, 'P6', 'Config')).toBe('none');
    const variants = validate({ Resources: { Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: imported('variants') } } } });
    expect(verdictOf(variants, 'P6', 'Config')).toBe('non-compliant');
  });

  test.each(['ml.g5.2xlarge', 'ml.g4ad.xlarge'])('not applicable to %s, whose only storage is local NVMe', (instanceType) => {
    const run = validate({ Resources: { Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: variant(instanceType) } } } });
    expect(verdictOf(run, 'P6', 'Config')).toBe('none');
    expect(run.tally('P6')).toMatchObject({ notApplicable: 1 });
  });
});
