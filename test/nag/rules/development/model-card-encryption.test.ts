import { App, aws_kms as kms, aws_sagemaker as sagemaker, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const card = (security: unknown, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: { Card: { Type: 'AWS::SageMaker::ModelCard', Properties: { ModelCardName: 'c', ModelCardStatus: 'Draft', Content: {}, SecurityConfig: security } } },
});
const pkg = (properties: Record<string, unknown>) => ({ Resources: { Pkg: { Type: 'AWS::SageMaker::ModelPackage', Properties: { ModelPackageGroupName: 'g', ...properties } } } });

describe('V11 model cards are encrypted with a customer-managed key', () => {
  test('compliant: a customer-managed key', () => {
    const run = validate(card({ KmsKeyId: KEY }));
    expect(verdictOf(run, 'V11', 'Card')).toBe('none');
    expect(run.tally('V11')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('non-compliant: no security config, no key, or an AWS-managed key', () => {
    const absent = validate(card(undefined));
    expect(verdictOf(absent, 'V11', 'Card')).toBe('non-compliant');
    expect(absent.of('V11')[0]).toMatchObject({ ruleName: 'SecureAI-V11', level: 'warning', locations: ['Properties.SecurityConfig.KmsKeyId'] });
    expect(absent.of('V11')[0].message).toMatch(/SecurityConfig.KmsKeyId is absent/);
    expect(validate(card({ KmsKeyId: 'alias/aws/sagemaker' })).of('V11')[0].message).toMatch(/AWS-managed key/);
  });

  test('model packages: judged only when they embed a card', () => {
    expect(validate(pkg({})).tally('V11')).toMatchObject({ notApplicable: 1 });
    expect(verdictOf(validate(pkg({ ModelCard: { ModelCardStatus: 'Draft', ModelCardContent: '{}' } })), 'V11', 'Pkg')).toBe('non-compliant');
    expect(verdictOf(validate(pkg({ ModelCard: { ModelCardStatus: 'Draft', ModelCardContent: '{}' }, SecurityConfig: { KmsKeyId: KEY } })), 'V11', 'Pkg')).toBe('none');
  });

  test('intrinsic: Fn::If with NoValue; a parameter with an AWS-managed allowed value', () => {
    expect(verdictOf(validate(card({ KmsKeyId: ifElse(KEY, NO_VALUE) })), 'V11', 'Card')).toBe('non-compliant');
    const param = validate(card({ KmsKeyId: { Ref: 'Key' } }, { Key: { Default: KEY, AllowedValues: [KEY, 'alias/aws/sagemaker'] } }));
    expect(param.of('V11')[0].message).toMatch(/parameter Key/);
  });

  test('an imported key is set; a key inside an imported block is unverifiable', () => {
    expect(verdictOf(validate(card({ KmsKeyId: imported('key') })), 'V11', 'Card')).toBe('none');
    const run = validate(card(imported('security')));
    expect(verdictOf(run, 'V11', 'Card')).toBe('unverifiable');
    expect(run.of('V11')[0].ruleName).toBe('SecureAI-V11[unverifiable]');
  });

  test('real CDK output: CfnModelCard with a kms.Key', () => {
    const cdkApp = new App();
    const stack = new Stack(cdkApp, 'S');
    new sagemaker.CfnModelCard(stack, 'Card', { modelCardName: 'c', modelCardStatus: 'Draft', content: {}, securityConfig: { kmsKeyId: new kms.Key(stack, 'K').keyArn } });
    new sagemaker.CfnModelCard(stack, 'Open', { modelCardName: 'd', modelCardStatus: 'Draft', content: {} });
    expect(new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V11').map((f) => f.logicalId)).toEqual([expect.stringMatching(/^Open/)]);
  });
});
