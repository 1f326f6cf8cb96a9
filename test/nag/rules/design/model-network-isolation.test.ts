import { App, Stack } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { TemplateFixture, ifElse, imported, NO_VALUE, validate, ValidationRun, verdictOf } from '../../harness';

const IMAGE = '111122223333.dkr.ecr.eu-west-2.amazonaws.com/hf-tgi@sha256:abc';
const model = (properties: Record<string, unknown>) => ({
  Type: 'AWS::SageMaker::Model',
  Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/m', PrimaryContainer: { Image: IMAGE }, EnableNetworkIsolation: true, ...properties },
});
const run = (properties: Record<string, unknown>, parameters?: TemplateFixture['Parameters']) => validate({ Parameters: parameters, Resources: { Model: model(properties) } });

describe('D11 model containers are network-isolated and do not run code shipped with the model', () => {
  test('compliant: isolation on, no trust of remote code', () => {
    const result = run({ PrimaryContainer: { Image: IMAGE, Environment: { HF_MODEL_ID: '/opt/ml/model', HF_TRUST_REMOTE_CODE: 'false' } } });
    expect(verdictOf(result, 'D11', 'Model')).toBe('none');
    expect(result.tally('D11')).toMatchObject({ compliant: 1 });
    expect(verdictOf(run({ EnableNetworkIsolation: 'true' }), 'D11', 'Model')).toBe('none');
  });

  test('non-compliant: isolation absent (CloudFormation default false) or false', () => {
    const absent = run({ EnableNetworkIsolation: undefined });
    expect(verdictOf(absent, 'D11', 'Model')).toBe('non-compliant');
    expect(absent.of('D11')[0]).toMatchObject({ ruleName: 'SecureAI-D11', level: 'error', locations: ['Properties.EnableNetworkIsolation'] });
    expect(absent.of('D11')[0].message).toMatch(/EnableNetworkIsolation is absent \(CloudFormation default false\)/);
    expect(run({ EnableNetworkIsolation: false }).of('D11')[0].message).toMatch(/EnableNetworkIsolation is false/);
    expect(verdictOf(run({ EnableNetworkIsolation: 'False' }), 'D11', 'Model')).toBe('non-compliant');
  });

  test('non-compliant: a container told to trust remote code, even with isolation on', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ HF_TRUST_REMOTE_CODE: 'true' }, /PrimaryContainer.Environment sets HF_TRUST_REMOTE_CODE=true/],
      [{ TRUST_REMOTE_CODE: 'True' }, /TRUST_REMOTE_CODE=True/],
      [{ OPTION_TRUST_REMOTE_CODE: '1' }, /OPTION_TRUST_REMOTE_CODE=1/],
      [{ SM_VLLM_TRUST_REMOTE_CODE: true }, /SM_VLLM_TRUST_REMOTE_CODE=true/],
      [{ VLLM_ARGS: '--max-model-len 4096 --trust-remote-code' }, /VLLM_ARGS="--max-model-len 4096 --trust-remote-code"/],
      [{ HF_MODEL_KWARGS: '{"trust_remote_code": true}' }, /HF_MODEL_KWARGS=/],
    ];
    for (const [environment, message] of cases) {
      const result = run({ PrimaryContainer: { Image: IMAGE, Environment: environment } });
      expect(verdictOf(result, 'D11', 'Model')).toBe('non-compliant');
      expect(result.of('D11')[0].locations).toEqual(['Properties.PrimaryContainer.Environment']);
      expect(result.of('D11')[0].message).toMatch(message);
      expect(result.of('D11')[0].message).toMatch(/untrusted third-party code/);
    }
    expect(verdictOf(run({ PrimaryContainer: { Image: IMAGE, Environment: { ARGS: '--trust-remote-code=false' } } }), 'D11', 'Model')).toBe('none');
  });

  test('Containers[]: one container of several that trusts remote code', () => {
    const result = run({ PrimaryContainer: undefined, Containers: [{ Image: IMAGE }, { Image: IMAGE, Environment: { HF_TRUST_REMOTE_CODE: 'yes' } }] });
    expect(verdictOf(result, 'D11', 'Model')).toBe('non-compliant');
    expect(result.of('D11')[0].message).toMatch(/Containers\[1\]\.Environment sets HF_TRUST_REMOTE_CODE=yes/);
  });

  test('inference components: their container environment is checked too', () => {
    const component = (environment: unknown) => validate({ Resources: { Component: { Type: 'AWS::SageMaker::InferenceComponent', Properties: { EndpointName: 'e', Specification: { Container: { Image: IMAGE, Environment: environment } } } } } });
    expect(verdictOf(component({ HF_MODEL_ID: 'x' }), 'D11', 'Component')).toBe('none');
    const trusting = component({ HF_TRUST_REMOTE_CODE: 'true' });
    expect(verdictOf(trusting, 'D11', 'Component')).toBe('non-compliant');
    expect(trusting.of('D11')[0].locations).toEqual(['Properties.Specification.Container.Environment']);
  });

  test('intrinsic: Fn::If with an unisolated branch; parameter allowed values; a parameter that trusts remote code', () => {
    const conditional = run({ EnableNetworkIsolation: ifElse(true, false) });
    expect(verdictOf(conditional, 'D11', 'Model')).toBe('non-compliant');
    expect(conditional.of('D11')[0].message).toMatch(/possible forms/);
    expect(verdictOf(run({ EnableNetworkIsolation: ifElse(true, NO_VALUE) }), 'D11', 'Model')).toBe('non-compliant');
    const param = (AllowedValues: string[]) => run({ EnableNetworkIsolation: { Ref: 'Isolate' } }, { Isolate: { AllowedValues } });
    expect(verdictOf(param(['true']), 'D11', 'Model')).toBe('none');
    expect(verdictOf(param(['true', 'false']), 'D11', 'Model')).toBe('unverifiable');
    const trust = run({ PrimaryContainer: { Image: IMAGE, Environment: { HF_TRUST_REMOTE_CODE: { Ref: 'Trust' } } } }, { Trust: { Default: 'true' } });
    expect(verdictOf(trust, 'D11', 'Model')).toBe('non-compliant');
    expect(trust.of('D11')[0].message).toMatch(/parameter Trust/);
  });

  test('intrinsic: a finding names the parameters of the trusting variables, not those of the other variables', () => {
    const parameters = { MaxTokens: { Default: '4096' }, Trust: { Default: 'true' } };
    const environment = (trust: unknown) => ({ EnableNetworkIsolation: true, PrimaryContainer: { Image: IMAGE, Environment: { HF_TRUST_REMOTE_CODE: trust, MAX_TOKENS: { Ref: 'MaxTokens' } } } });
    expect(run(environment('true'), parameters).of('D11')[0].message).toMatch(/^PrimaryContainer.Environment sets HF_TRUST_REMOTE_CODE=true: /);
    expect(run(environment({ Ref: 'Trust' }), parameters).of('D11')[0].message).toMatch(/^PrimaryContainer.Environment sets HF_TRUST_REMOTE_CODE=true \(with the value of parameter Trust\): /);
  });

  test('unverifiable: isolation or the trust switch imported', () => {
    const isolation = run({ EnableNetworkIsolation: imported('isolate') });
    expect(verdictOf(isolation, 'D11', 'Model')).toBe('unverifiable');
    expect(isolation.of('D11')[0]).toMatchObject({ ruleName: 'SecureAI-D11[unverifiable]', level: 'warning' });
    expect(verdictOf(run({ PrimaryContainer: { Image: IMAGE, Environment: { HF_TRUST_REMOTE_CODE: imported('trust') } } }), 'D11', 'Model')).toBe('unverifiable');
    expect(verdictOf(run({ PrimaryContainer: { Image: IMAGE, Environment: imported('env') } }), 'D11', 'Model')).toBe('unverifiable');
  });

  test('real CDK output: CfnModel', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const role = 'arn:aws:iam::111122223333:role/m';
    new sagemaker.CfnModel(stack, 'Isolated', { executionRoleArn: role, enableNetworkIsolation: true, primaryContainer: { image: IMAGE } });
    new sagemaker.CfnModel(stack, 'Open', { executionRoleArn: role, primaryContainer: { image: IMAGE } });
    new sagemaker.CfnModel(stack, 'Trusting', { executionRoleArn: role, enableNetworkIsolation: true, primaryContainer: { image: IMAGE, environment: { HF_TRUST_REMOTE_CODE: 'true' } } });
    const result = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(result.of('D11').map((f) => f.constructPath).sort()).toEqual(['S/Open', 'S/Trusting']);
  });
});

describe('D11 and a model served only by Serverless Inference, which supports no network isolation', () => {
  const SERVERLESS = { MaxConcurrency: 5, MemorySizeInMB: 2048 };
  const config = (variant: Record<string, unknown>) => ({
    Type: 'AWS::SageMaker::EndpointConfig',
    Properties: { ProductionVariants: [{ VariantName: 'v1', ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] }, ...variant }] },
  });
  const served = (properties: Record<string, unknown>, configs: TemplateFixture['Resources']) =>
    validate({ Resources: { Model: model(properties), ...configs } });

  test('not applicable to isolation: served only serverless; remote code still judged', () => {
    expect(verdictOf(served({ EnableNetworkIsolation: undefined }, { Config: config({ ServerlessConfig: SERVERLESS }) }), 'D11', 'Model')).toBe('none');
    const trusting = served({ EnableNetworkIsolation: undefined, PrimaryContainer: { Image: IMAGE, Environment: { HF_TRUST_REMOTE_CODE: 'true' } } },
      { Config: config({ ServerlessConfig: SERVERLESS }) });
    expect(trusting.of('D11').map((f) => f.message)).toEqual([expect.stringMatching(/^PrimaryContainer.Environment sets HF_TRUST_REMOTE_CODE=true/)]);
  });

  test('non-compliant: also served by an instance-backed variant, or by no endpoint configuration of the app', () => {
    const both = served({ EnableNetworkIsolation: undefined }, {
      Config: config({ ServerlessConfig: SERVERLESS }),
      Instances: config({ InstanceType: 'ml.m5.large', InitialInstanceCount: 2 }),
    });
    expect(verdictOf(both, 'D11', 'Model')).toBe('non-compliant');
    expect(verdictOf(run({ EnableNetworkIsolation: undefined }), 'D11', 'Model')).toBe('non-compliant');
  });

  test('intrinsic: a serverless configuration in one Fn::If form only is not served only serverless', () => {
    const conditional = served({ EnableNetworkIsolation: false }, {
      Config: {
        Type: 'AWS::SageMaker::EndpointConfig',
        Properties: {
          ProductionVariants: [ifElse(
            { VariantName: 'v1', ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] }, ServerlessConfig: SERVERLESS },
            { VariantName: 'v1', ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] }, InstanceType: 'ml.m5.large', InitialInstanceCount: 2 })],
        },
      },
    });
    expect(verdictOf(conditional, 'D11', 'Model')).toBe('non-compliant');
  });
});
