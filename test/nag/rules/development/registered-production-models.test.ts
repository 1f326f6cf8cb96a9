import { App, aws_sagemaker as sagemaker, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

const PROD = [{ Key: 'Environment', Value: 'Production' }];
const PACKAGE_ARN = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3';
const model = (container: unknown, tags: unknown = PROD, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::SageMaker::Model', Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: container, Tags: tags, ...extra },
});
const app = (resources: TemplateFixture['Resources'], parameters?: TemplateFixture['Parameters']): TemplateFixture => ({ Parameters: parameters, Resources: resources });

describe('V8 production models come from the model registry', () => {
  test('compliant: a registry package ARN; a package of the app in a group', () => {
    const run = validate(app({ Model: model({ ModelPackageName: PACKAGE_ARN }) }));
    expect(verdictOf(run, 'V8', 'Model')).toBe('none');
    expect(run.tally('V8')).toMatchObject({ evaluated: 1, compliant: 1 });
    const inApp = validate(app({
      Pkg: { Type: 'AWS::SageMaker::ModelPackage', Properties: { ModelPackageGroupName: 'fraud' } },
      Model: model({ ModelPackageName: { Ref: 'Pkg' } }),
    }));
    expect(verdictOf(inApp, 'V8', 'Model')).toBe('none');
  });

  test('not applicable: models not tagged as production', () => {
    expect(validate(app({ Model: model({ Image: 'i' }, [{ Key: 'Environment', Value: 'dev' }]) })).tally('V8')).toMatchObject({ notApplicable: 1 });
    expect(validate(app({ Model: model({ Image: 'i' }, []) })).tally('V8')).toMatchObject({ notApplicable: 1 });
  });

  test('non-compliant: a production model deployed from an image and artifact; a container of several without a package; an unversioned package', () => {
    const run = validate(app({ Model: model({ Image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/fraud:1', ModelDataUrl: 's3://b/m.tar.gz' }) }));
    expect(verdictOf(run, 'V8', 'Model')).toBe('non-compliant');
    expect(run.of('V8')[0]).toMatchObject({ ruleName: 'SecureAI-V8', level: 'warning', locations: ['Properties.PrimaryContainer.ModelPackageName'] });
    expect(run.of('V8')[0].message).toMatch(/PrimaryContainer.ModelPackageName is absent \(it runs .*\).*not deployed from the model registry/);
    const containers = validate(app({ Model: { Type: 'AWS::SageMaker::Model', Properties: { Tags: PROD, Containers: [{ ModelPackageName: PACKAGE_ARN }, { Image: 'i' }] } } }));
    expect(containers.of('V8')[0].locations).toEqual(['Properties.Containers[1].ModelPackageName']);
    const unversioned = validate(app({ Pkg: { Type: 'AWS::SageMaker::ModelPackage', Properties: { ModelPackageName: 'loose' } }, Model: model({ ModelPackageName: { Ref: 'Pkg' } }) }));
    expect(unversioned.of('V8')[0].message).toMatch(/has no ModelPackageGroupName/);
  });

  test('production is read as P23 reads it: Environment/Env/Stage keys, any case, map-form tags and stack tags', () => {
    for (const tags of [[{ Key: 'env', Value: 'PROD' }], [{ Key: 'Stage', Value: 'live' }], { Environment: 'prd' }]) {
      expect(verdictOf(validate(app({ Model: model({ Image: 'i' }, tags) })), 'V8', 'Model')).toBe('non-compliant');
    }
    const cdkApp = new App();
    const stack = new Stack(cdkApp, 'Prod', { tags: { Environment: 'production' } });
    new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: 'arn:aws:iam::111122223333:role/x', primaryContainer: { image: 'i' } });
    expect(new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V8')).toHaveLength(1);
  });

  test('intrinsic: Fn::If with a branch without a package; an environment tag from a parameter', () => {
    expect(verdictOf(validate(app({ Model: model(ifElse({ ModelPackageName: PACKAGE_ARN }, { Image: 'i' })) })), 'V8', 'Model')).toBe('non-compliant');
    const tagged = (p: NonNullable<TemplateFixture['Parameters']>[string]) => validate(app({ Model: model({ Image: 'i' }, [{ Key: 'Environment', Value: { Ref: 'Env' } }]) }, { Env: p }));
    expect(verdictOf(tagged({ Default: 'dev' }), 'V8', 'Model')).toBe('none');
    expect(verdictOf(tagged({ Default: 'dev', AllowedValues: ['dev', 'prod'] }), 'V8', 'Model')).toBe('parameter');
    expect(verdictOf(tagged({}), 'V8', 'Model')).toBe('unverifiable');
  });

  test('unverifiable: the container block is imported; an imported package name is set', () => {
    const run = validate(app({ Model: model(imported('container')) }));
    expect(verdictOf(run, 'V8', 'Model')).toBe('unverifiable');
    expect(run.of('V8')[0].ruleName).toBe('SecureAI-V8[unverifiable]');
    expect(verdictOf(validate(app({ Model: model({ ModelPackageName: imported('package-arn') }) })), 'V8', 'Model')).toBe('none');
  });

  test('malformed values never throw', () => {
    expect(validate(app({ Model: model('x', 'y', { Containers: [1, 'a'] }) })).tally('V8').errors).toBe(0);
  });
});
