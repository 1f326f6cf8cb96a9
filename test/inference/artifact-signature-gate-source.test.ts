import { App, Stack, Token } from 'aws-cdk-lib';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { validateModelPackageArn, validateVerifiedKey } from '../../src/inference/artifact-signature-gate-source';
import { ModelRegistry } from '../../src/registry/model-registry';

function registry(env?: { account: string; region: string }) {
  const stack = new Stack(new App(), 'Ai', { env });
  return new ModelRegistry(stack, 'Registry', { environment: new AiEnvironment(stack, 'Env', { owner: 'ml' }), modelPackageGroupName: 'fraud-detector' });
}

const OWNER = 'InferenceEndpoint Fraud';
const ARN = 'arn:aws:sagemaker:eu-west-2:111111111111:model-package/fraud-detector/12';

describe('validateModelPackageArn', () => {
  const known = registry({ account: '111111111111', region: 'eu-west-2' });

  test('a version of the registry\'s group, in its account and Region, is returned as given', () => {
    expect(validateModelPackageArn(OWNER, ARN, known)).toBe(ARN);
  });

  test('a deploy-time value is accepted unchanged: the gate checks the package it names', () => {
    const token = Token.asString({ Ref: 'PackageArn' });
    expect(validateModelPackageArn(OWNER, token, known)).toBe(token);
  });

  test('an environment-agnostic registry: only the group can be compared', () => {
    const agnostic = registry();
    expect(validateModelPackageArn(OWNER, ARN.replace('111111111111', '999999999999'), agnostic)).toContain('999999999999');
    expect(() => validateModelPackageArn(OWNER, ARN.replace('fraud-detector', 'churn'), agnostic))
      .toThrow(/is a version of model package group 'churn', not of the registry's group 'fraud-detector'.*arn:aws:sagemaker:<region>:<account>:model-package\/fraud-detector\/<version>/);
  });

  test.each([
    ['another group', ARN.replace('fraud-detector', 'churn'), /version of model package group 'churn'/],
    ['another account', ARN.replace('111111111111', '222222222222'), /is in account 222222222222, but the registry's group fraud-detector is in account 111111111111/],
    ['another Region', ARN.replace('eu-west-2', 'eu-west-1'), /is in Region eu-west-1, but the registry's group fraud-detector is in Region eu-west-2/],
    ['a group ARN', 'arn:aws:sagemaker:eu-west-2:111111111111:model-package-group/fraud-detector', /is not the ARN of a versioned model package/],
    ['a version suffix that is not a number', `${ARN}a`, /is not the ARN of a versioned model package/],
  ])('refuses %s, naming `modelPackageArn` and the fix', (_what, arn, message) => {
    expect(() => validateModelPackageArn(OWNER, arn, known)).toThrow(message);
    expect(() => validateModelPackageArn(OWNER, arn, known)).toThrow(/^InferenceEndpoint Fraud: `modelPackageArn` .*Fix: /);
  });

});

describe('validateVerifiedKey', () => {
  test('a registered copy is accepted; training output (which can be replaced) and other keys are refused with the fix', () => {
    const key = `verified/${'a'.repeat(64)}/model.tar.gz`;
    expect(validateVerifiedKey(OWNER, 'modelArtifactKey', key)).toBe(key);
    for (const bad of ['fraud/job-1/output/model.tar.gz', `verified/${'a'.repeat(63)}/model.tar.gz`, Token.asString({ Ref: 'Key' })]) {
      expect(() => validateVerifiedKey(OWNER, 'modelArtifactKey', bad)).toThrow(/`modelArtifactKey` .* is not a registered artifact\. Fix: .*verified\/<sha256>\/model\.tar\.gz/);
    }
  });
});
