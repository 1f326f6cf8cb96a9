import { ifElse, imported, NO_VALUE, validate, verdictOf } from '../../harness';

const KEY = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
const KEY_REF = { 'Fn::GetAtt': ['Key', 'Arn'] };
const variant = (name: string, extra: Record<string, unknown> = {}) => ({ VariantName: name, ModelName: 'm', InitialInstanceCount: 1, InstanceType: 'ml.m5.xlarge', ...extra });
const capture = (extra: Record<string, unknown>) => ({
  EnableCapture: true, InitialSamplingPercentage: 100, DestinationS3Uri: 's3://capture/ep', CaptureOptions: [{ CaptureMode: 'Input' }], ...extra,
});
const config = (properties: Record<string, unknown>) => ({
  Type: 'AWS::SageMaker::EndpointConfig',
  Properties: { ProductionVariants: [variant('v1')], ...properties },
});
const run = (properties: Record<string, unknown>) => validate({ Resources: { Key: KEY, Config: config(properties) } });

describe('P7 endpoint output encryption', () => {
  test('compliant: every output block has a customer-managed key', () => {
    const result = run({
      DataCaptureConfig: capture({ KmsKeyId: KEY_REF }),
      AsyncInferenceConfig: { OutputConfig: { S3OutputPath: 's3://async/out', KmsKeyId: KEY_REF } },
      ProductionVariants: [variant('v1', { CoreDumpConfig: { DestinationS3Uri: 's3://dumps/', KmsKeyId: KEY_REF } })],
      ShadowProductionVariants: [variant('shadow', { CoreDumpConfig: { DestinationS3Uri: 's3://dumps/', KmsKeyId: 'arn:aws:kms:eu-west-2:111122223333:key/abc' } })],
    });
    expect(verdictOf(result, 'P7', 'Config')).toBe('none');
    expect(result.tally('P7')).toMatchObject({ compliant: 1 });
  });

  test('not applicable: no capture, async output or core dumps', () => {
    const result = run({});
    expect(verdictOf(result, 'P7', 'Config')).toBe('none');
    expect(result.tally('P7')).toMatchObject({ notApplicable: 1 });
  });

  test('non-compliant: data capture without a key', () => {
    const result = run({ DataCaptureConfig: capture({}) });
    expect(verdictOf(result, 'P7', 'Config')).toBe('non-compliant');
    expect(result.of('P7')[0]).toMatchObject({ ruleName: 'SecureAI-P7', level: 'error', locations: ['Properties.DataCaptureConfig.KmsKeyId'] });
    expect(result.of('P7')[0].message).toMatch(/DataCaptureConfig\.KmsKeyId is absent: captured requests and responses/);
  });

  test('data capture switched off needs no key', () => {
    for (const flag of [false, 'false']) {
      expect(verdictOf(run({ DataCaptureConfig: capture({ EnableCapture: flag }) }), 'P7', 'Config')).toBe('none');
    }
  });

  test('non-compliant: async inference output without a key, or with an AWS-managed key', () => {
    for (const key of [undefined, 'alias/aws/s3']) {
      const result = run({ AsyncInferenceConfig: { OutputConfig: { S3OutputPath: 's3://async/out', KmsKeyId: key } } });
      expect(verdictOf(result, 'P7', 'Config')).toBe('non-compliant');
      expect(result.of('P7')[0].locations).toEqual(['Properties.AsyncInferenceConfig.OutputConfig.KmsKeyId']);
    }
  });

  test('non-compliant: one of several variants writes core dumps without a key', () => {
    const result = run({
      ProductionVariants: [
        variant('good', { CoreDumpConfig: { DestinationS3Uri: 's3://dumps/', KmsKeyId: KEY_REF } }),
        variant('bad', { CoreDumpConfig: { DestinationS3Uri: 's3://dumps/' } }),
        variant('none'),
      ],
    });
    expect(verdictOf(result, 'P7', 'Config')).toBe('non-compliant');
    expect(result.of('P7')[0].locations).toEqual(['Properties.ProductionVariants[1].CoreDumpConfig.KmsKeyId']);
    expect(result.of('P7')[0].message).toMatch(/variant "bad"/);
  });

  test('non-compliant: shadow variants are checked too', () => {
    const result = run({ ShadowProductionVariants: [variant('shadow', { CoreDumpConfig: { DestinationS3Uri: 's3://dumps/' } })] });
    expect(verdictOf(result, 'P7', 'Config')).toBe('non-compliant');
    expect(result.of('P7')[0].locations).toEqual(['Properties.ShadowProductionVariants[0].CoreDumpConfig.KmsKeyId']);
  });

  test('intrinsic: Fn::If with a NoValue key branch is a finding; a NoValue capture block is not', () => {
    const keyIf = run({ DataCaptureConfig: capture({ KmsKeyId: ifElse(KEY_REF, NO_VALUE) }) });
    expect(verdictOf(keyIf, 'P7', 'Config')).toBe('non-compliant');
    const blockIf = run({ DataCaptureConfig: ifElse(capture({ KmsKeyId: KEY_REF }), NO_VALUE) });
    expect(verdictOf(blockIf, 'P7', 'Config')).toBe('none');
    const variantIf = run({ ProductionVariants: [variant('v1', { CoreDumpConfig: ifElse({ DestinationS3Uri: 's3://d/', KmsKeyId: KEY_REF }, { DestinationS3Uri: 's3://d/' }) })] });
    expect(verdictOf(variantIf, 'P7', 'Config')).toBe('non-compliant');
  });

  test('intrinsic: key from a parameter judged by its default and allowed values', () => {
    const withParameter = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { CaptureKey: { Default, AllowedValues } },
      Resources: { Config: config({ DataCaptureConfig: capture({ KmsKeyId: { Ref: 'CaptureKey' } }) }) },
    });
    expect(verdictOf(withParameter('arn:aws:kms:eu-west-2:111122223333:key/abc'), 'P7', 'Config')).toBe('none');
    expect(verdictOf(withParameter(''), 'P7', 'Config')).toBe('non-compliant');
    expect(withParameter('').of('P7')[0].message).toMatch(/parameter CaptureKey/);
    expect(verdictOf(withParameter('arn:aws:kms:eu-west-2:111122223333:key/abc', ['arn:aws:kms:eu-west-2:111122223333:key/abc', 'alias/aws/s3']), 'P7', 'Config'))
      .toBe('parameter');
  });

  test('an imported key is set; variants not known at synth time are unverifiable', () => {
    expect(verdictOf(run({ DataCaptureConfig: capture({ KmsKeyId: imported('capture-key') }) }), 'P7', 'Config')).toBe('none');
    const variants = validate({ Resources: { Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: imported('variants') } } } });
    expect(verdictOf(variants, 'P7', 'Config')).toBe('unverifiable');
    expect(variants.of('P7')[0]).toMatchObject({ ruleName: 'SecureAI-P7[unverifiable]', level: 'warning' });
  });
});
