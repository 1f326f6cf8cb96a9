import { App, Stack } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, validate, ValidationRun, verdictOf } from '../../harness';

const variant = (extra: Record<string, unknown> = {}) => ({ VariantName: 'v1', ModelName: 'm', InitialInstanceCount: 2, InstanceType: 'ml.m5.xlarge', ...extra });
const CAPTURE = {
  EnableCapture: true,
  InitialSamplingPercentage: 20,
  DestinationS3Uri: 's3://capture-bucket/endpoint',
  KmsKeyId: 'arn:aws:kms:eu-west-2:111122223333:key/abc',
  CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
};
const config = (properties: Record<string, unknown>) => ({
  Type: 'AWS::SageMaker::EndpointConfig',
  Properties: { ProductionVariants: [variant()], ...properties },
});
const run = (capture: unknown, extra: Record<string, unknown> = {}) =>
  validate({ Resources: { Config: config({ DataCaptureConfig: capture, ...extra }) } });
const capture = (extra: Record<string, unknown>) => ({ ...CAPTURE, ...extra });

describe('O1 inference data capture', () => {
  test('compliant: capture on, sampling, destination, input and output', () => {
    const result = run(CAPTURE);
    expect(verdictOf(result, 'O1', 'Config')).toBe('none');
    expect(result.tally('O1')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('compliant: InputAndOutput, "true" as a string, EnableCapture absent (the API default is enabled)', () => {
    expect(verdictOf(run(capture({ CaptureOptions: [{ CaptureMode: 'InputAndOutput' }] })), 'O1', 'Config')).toBe('none');
    expect(verdictOf(run(capture({ EnableCapture: 'true' })), 'O1', 'Config')).toBe('none');
    expect(verdictOf(run(capture({ EnableCapture: undefined })), 'O1', 'Config')).toBe('none');
  });

  test('non-compliant: no DataCaptureConfig at all', () => {
    const result = run(undefined);
    expect(verdictOf(result, 'O1', 'Config')).toBe('non-compliant');
    expect(result.of('O1')[0]).toMatchObject({ ruleName: 'SecureAI-O1', level: 'warning', locations: ['Properties.DataCaptureConfig'] });
    expect(result.of('O1')[0].message).toMatch(/DataCaptureConfig is absent: inference requests and responses are not recorded/);
  });

  test('non-compliant: capture switched off (boolean or string)', () => {
    for (const flag of [false, 'false', 'False']) {
      const result = run(capture({ EnableCapture: flag }));
      expect(verdictOf(result, 'O1', 'Config')).toBe('non-compliant');
      expect(result.of('O1')[0].locations).toEqual(['Properties.DataCaptureConfig.EnableCapture']);
    }
  });

  test('non-compliant: a sampling percentage of 0', () => {
    for (const pct of [0, '0']) {
      const result = run(capture({ InitialSamplingPercentage: pct }));
      expect(verdictOf(result, 'O1', 'Config')).toBe('non-compliant');
      expect(result.of('O1')[0].message).toMatch(/InitialSamplingPercentage is .*0.*no request is sampled/);
    }
  });

  test('non-compliant: no destination', () => {
    const result = run(capture({ DestinationS3Uri: undefined }));
    expect(verdictOf(result, 'O1', 'Config')).toBe('non-compliant');
    expect(result.of('O1')[0].locations).toEqual(['Properties.DataCaptureConfig.DestinationS3Uri']);
  });

  test('non-compliant: only the input, only the output, or no capture options', () => {
    for (const options of [[{ CaptureMode: 'Input' }], [{ CaptureMode: 'Output' }], [], undefined, [{ CaptureMode: 'Something' }]]) {
      const result = run(capture({ CaptureOptions: options }));
      expect(verdictOf(result, 'O1', 'Config')).toBe('non-compliant');
      expect(result.of('O1')[0].message).toMatch(/not both Input and Output/);
    }
  });

  test('every failing part is named in one finding', () => {
    const result = run({ EnableCapture: true, InitialSamplingPercentage: 0, CaptureOptions: [{ CaptureMode: 'Input' }] });
    expect(result.of('O1')).toHaveLength(1);
    expect(result.of('O1')[0].locations).toEqual([
      'Properties.DataCaptureConfig.InitialSamplingPercentage',
      'Properties.DataCaptureConfig.DestinationS3Uri',
      'Properties.DataCaptureConfig.CaptureOptions',
    ]);
  });

  test('intrinsic: Fn::If with one branch without capture, or with capture off, is a finding', () => {
    const blockIf = run(ifElse(CAPTURE, NO_VALUE));
    expect(verdictOf(blockIf, 'O1', 'Config')).toBe('non-compliant');
    expect(blockIf.of('O1')[0].message).toMatch(/in one of its 2 possible forms \(Fn::If or Fn::FindInMap\)/);
    expect(verdictOf(run(capture({ EnableCapture: ifElse(true, false) })), 'O1', 'Config')).toBe('non-compliant');
    expect(verdictOf(run(capture({ CaptureOptions: [{ CaptureMode: 'Input' }, ifElse({ CaptureMode: 'Output' }, NO_VALUE)] })), 'O1', 'Config'))
      .toBe('non-compliant');
  });

  test('intrinsic: sampling from a parameter is judged by its default and allowed values', () => {
    const withParameter = (Default: number, AllowedValues?: number[]) => validate({
      Parameters: { Sampling: { Type: 'Number', Default, AllowedValues } },
      Resources: { Config: config({ DataCaptureConfig: capture({ InitialSamplingPercentage: { Ref: 'Sampling' } }) }) },
    });
    expect(verdictOf(withParameter(10), 'O1', 'Config')).toBe('none');
    const zero = withParameter(0);
    expect(verdictOf(zero, 'O1', 'Config')).toBe('non-compliant');
    expect(zero.of('O1')[0].message).toMatch(/parameter Sampling/);
    expect(verdictOf(withParameter(10, [10, 0]), 'O1', 'Config')).toBe('parameter');
  });

  test('intrinsic: a finding names the parameters of the settings it is about, not those of the rest of the capture block', () => {
    const parameters = { Bucket: { Type: 'String', Default: 'capture-bucket' }, Sampling: { Type: 'Number', Default: 0 } };
    const block = (sampling: unknown) => validate({
      Parameters: parameters,
      Resources: { Config: config({ DataCaptureConfig: capture({ InitialSamplingPercentage: sampling, DestinationS3Uri: { 'Fn::Sub': 's3://${Bucket}/capture' } }) }) },
    });
    expect(block(0).of('O1')[0].message).not.toMatch(/parameter/);
    expect(block({ Ref: 'Sampling' }).of('O1')[0].message).toMatch(/\(with the value of parameter Sampling\)/);
  });

  test('intrinsic: a destination built with Fn::Sub is set', () => {
    expect(verdictOf(run(capture({ DestinationS3Uri: { 'Fn::Sub': 's3://${Bucket}/capture' } })), 'O1', 'Config')).toBe('none');
  });

  test('unverifiable: the whole capture block, or whether capture is on, is imported', () => {
    const block = run(imported('capture-config'));
    expect(verdictOf(block, 'O1', 'Config')).toBe('unverifiable');
    expect(block.of('O1')[0]).toMatchObject({ ruleName: 'SecureAI-O1[unverifiable]', level: 'warning' });
    expect(verdictOf(run(capture({ EnableCapture: imported('capture-on') })), 'O1', 'Config')).toBe('unverifiable');
    expect(verdictOf(run(capture({ CaptureOptions: imported('options') })), 'O1', 'Config')).toBe('unverifiable');
  });

  test('an imported destination counts as set', () => {
    expect(verdictOf(run(capture({ DestinationS3Uri: imported('capture-uri') })), 'O1', 'Config')).toBe('none');
  });

  test('not applicable: serverless endpoint configurations cannot capture data', () => {
    const result = validate({ Resources: { Config: config({ ProductionVariants: [{ VariantName: 'v', ModelName: 'm', ServerlessConfig: { MaxConcurrency: 5, MemorySizeInMB: 2048 } }] }) } });
    expect(verdictOf(result, 'O1', 'Config')).toBe('none');
    expect(result.tally('O1')).toMatchObject({ notApplicable: 1 });
    // A mix of serverless and instance variants still needs capture.
    const mixed = validate({ Resources: { Config: config({ ProductionVariants: [variant(), { VariantName: 's', ModelName: 'm', ServerlessConfig: {} }] }) } });
    expect(verdictOf(mixed, 'O1', 'Config')).toBe('non-compliant');
  });

  test('reads what CfnEndpointConfig renders', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new sagemaker.CfnEndpointConfig(stack, 'Config', {
      productionVariants: [{ variantName: 'v', modelName: 'm', initialInstanceCount: 2, instanceType: 'ml.m5.xlarge' }],
      dataCaptureConfig: {
        initialSamplingPercentage: 50,
        destinationS3Uri: 's3://capture/x',
        captureOptions: [{ captureMode: 'Input' }],
      },
    });
    const result = new ValidationRun(new SecureAiChecks().validateScope(app));
    const finding = result.of('O1')[0];
    expect(finding.ruleName).toBe('SecureAI-O1');
    expect(finding.message).toMatch(/CaptureOptions records "Input", not both Input and Output/);
  });
});
