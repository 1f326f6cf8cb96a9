import { Expression, ResourceReference, UnknownValue } from '../../../src/nag/engine/values';
import { actionAppliesTo } from '../../../src/nag/knowledge/action-resources';

const ACCOUNT = 'arn:aws:sagemaker:eu-west-2:111122223333';

describe('actionAppliesTo: which Resource entries an action applies to', () => {
  test('an action applies to entries that can name a resource of its types, and only those', () => {
    expect(actionAppliesTo('sagemaker:InvokeEndpoint', `${ACCOUNT}:endpoint/a`)).toBe(true);
    expect(actionAppliesTo('sagemaker:InvokeEndpoint', `${ACCOUNT}:endpoint/*`)).toBe(true);
    expect(actionAppliesTo('sagemaker:invokeendpoint', `${ACCOUNT}:inference-component/*`)).toBe(true);
    expect(actionAppliesTo('sagemaker:InvokeEndpoint', `${ACCOUNT}:endpoint-config/*`)).toBe(false);
    expect(actionAppliesTo('sagemaker:InvokeEndpoint', `${ACCOUNT}:model/*`)).toBe(false);
    expect(actionAppliesTo('sagemaker:InvokeEndpoint', 'arn:aws:s3:::bucket/*')).toBe(false);
    expect(actionAppliesTo('bedrock:InvokeModel', 'arn:aws:bedrock:*::foundation-model/anthropic.claude-3-haiku-20240307-v1:0')).toBe(true);
    expect(actionAppliesTo('bedrock:InvokeAgent', 'arn:aws:bedrock:eu-west-2:111122223333:agent/*')).toBe(false);
    expect(actionAppliesTo('bedrock:InvokeAgent', 'arn:aws:bedrock:eu-west-2:111122223333:agent-alias/A1/*')).toBe(true);
  });

  test('wildcards anywhere can name a resource of any type', () => {
    for (const wide of ['*', 'arn:*', `${ACCOUNT}:*`, 'arn:aws:*:*:*:endpoint/x', 'arn:aws:sagemaker:eu-west-2:111122223333:end?oint/x']) {
      expect(actionAppliesTo('sagemaker:InvokeEndpoint', wide)).toBe(true);
    }
  });

  test('an action that takes only "*" applies to no entry; one the reference does not hold applies to every entry', () => {
    expect(actionAppliesTo('bedrock:RetrieveAndGenerate', '*')).toBe(false);
    expect(actionAppliesTo('bedrock:Converse', `${ACCOUNT}:endpoint-config/*`)).toBe(true);
  });

  test('parts unknown at synth time: a header field is one field; elsewhere any text; references and unknown values apply', () => {
    const region = new UnknownValue('AWS::Region');
    const join = (type: string) => new Expression(['arn:aws:sagemaker:', region, `:111122223333:${type}/*`]);
    expect(actionAppliesTo('sagemaker:InvokeEndpoint', join('endpoint-config'))).toBe(false);
    expect(actionAppliesTo('sagemaker:InvokeEndpoint', join('endpoint'))).toBe(true);
    expect(actionAppliesTo('sagemaker:InvokeEndpoint', new Expression([`${ACCOUNT}:`, region]))).toBe(true);
    expect(actionAppliesTo('sagemaker:InvokeEndpoint', new Expression([region]))).toBe(true);
    expect(actionAppliesTo('sagemaker:InvokeEndpoint', new ResourceReference('Endpoint', 'S'))).toBe(true);
    expect(actionAppliesTo('sagemaker:InvokeEndpoint', region)).toBe(true);
  });
});
