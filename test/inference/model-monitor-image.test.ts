import { App, Stack } from 'aws-cdk-lib';
import { MODEL_MONITOR_IMAGE_REASON, ModelMonitorImage } from '../../src/inference/model-monitor-image';

describe('ModelMonitorImage', () => {
  test.each([
    ['us-east-1', '156813124566'], ['eu-west-2', '749857270468'], ['ap-southeast-2', '563025443158'], ['us-gov-west-1', '362178532790'],
  ])('resolves the analyzer of %s from account %s at synth time', (region, account) => {
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region } });
    expect(stack.resolve(ModelMonitorImage.uriFor(stack, 'Test'))).toEqual({
      'Fn::Join': ['', [`${account}.dkr.ecr.${region}.`, { Ref: 'AWS::URLSuffix' }, '/sagemaker-model-monitor-analyzer']],
    });
  });

  test('the China Regions use their own registries', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'cn-north-1' } });
    expect(JSON.stringify(stack.resolve(ModelMonitorImage.uriFor(stack, 'Test')))).toContain('453000072557.dkr.ecr.cn-north-1.');
  });

  test('an environment-agnostic stack gets one Region map, shared by every user', () => {
    const stack = new Stack(new App(), 'S');
    const first = stack.resolve(ModelMonitorImage.uriFor(stack, 'Test'));
    expect(stack.resolve(ModelMonitorImage.uriFor(stack, 'Test'))).toEqual(first);
    const mapping = stack.node.findChild('SageMakerModelMonitorAnalyzerAccounts');
    expect(stack.resolve((mapping as any)._toCloudFormation()).Mappings.SageMakerModelMonitorAnalyzerAccounts['eu-west-1']).toEqual({ account: '468650794304' });
    expect(ModelMonitorImage.REGIONS).toHaveLength(23);
  });

  test('a Region without a known registry throws with the fix', () => {
    const stack = new Stack(new App(), 'S', { env: { region: 'xx-nowhere-1' } });
    expect(() => ModelMonitorImage.uriFor(stack, 'InferenceEndpoint Fraud')).toThrow(
      /InferenceEndpoint Fraud: the SageMaker Model Monitor analyzer image is not known for Region xx-nowhere-1\. Fix: deploy to one of/);
  });

  test('the recorded reason says who publishes the image and how it is contained', () => {
    expect(MODEL_MONITOR_IMAGE_REASON).toMatch(/published by AWS.*network isolation/);
  });
});
