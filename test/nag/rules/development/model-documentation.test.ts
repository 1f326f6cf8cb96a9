import { App, aws_sagemaker as sagemaker, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const model = (container: Record<string, unknown> = { Image: 'i' }) => ({
  Type: 'AWS::SageMaker::Model', Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: container },
});
const CONTENT = {
  ModelOverview: { ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] }, ModelDescription: 'Fraud scoring' },
  IntendedUses: { PurposeOfModel: 'Score card transactions for fraud', IntendedUses: 'Back-office review queue only', RiskRating: 'Medium' },
  AdditionalInformation: { CaveatsAndRecommendations: 'Not for credit decisions.' },
  TrainingDetails: { TrainingJobDetails: { TrainingDatasets: ['s3://data/fraud/2024/'] } },
};
const card = (content: Record<string, unknown> = {}) => ({
  Type: 'AWS::SageMaker::ModelCard', Properties: { ModelCardName: 'fraud', ModelCardStatus: 'Draft', Content: { ...CONTENT, ...content } },
});
const app = (resources: Resources = {}, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters, Resources: { Model: model(), Card: card(), ...resources },
});
const EMBEDDED = {
  model_overview: { model_name: 'fraud' },
  intended_uses: { purpose_of_model: 'Score fraud', intended_uses: 'Review queue', risk_rating: 'High' },
  additional_information: { caveats_and_recommendations: 'English only' },
  training_details: { training_job_details: { training_datasets: ['s3://d/'] } },
};
const pkg = (content: unknown = JSON.stringify(EMBEDDED)) => ({
  Type: 'AWS::SageMaker::ModelPackage', Properties: { ModelPackageGroupName: 'fraud', ModelCard: { ModelCardStatus: 'Draft', ModelCardContent: content } },
});

describe('V10 models and packages have complete model cards', () => {
  test('compliant: a card that references the model fills every field', () => {
    const run = validate(app());
    expect(verdictOf(run, 'V10', 'Model')).toBe('none');
    expect(run.tally('V10')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('non-compliant: no card at all', () => {
    const run = validate(app({ Card: { Type: 'AWS::SNS::Topic', Properties: {} } }));
    expect(verdictOf(run, 'V10', 'Model')).toBe('non-compliant');
    expect(run.of('V10')[0]).toMatchObject({ ruleName: 'SecureAI-V10', level: 'warning' });
    expect(run.of('V10')[0].message).toMatch(/model Model has no model card/);
  });

  test('non-compliant: each required field left empty, and an Unknown risk rating', () => {
    const missing = (content: Record<string, unknown>) => validate(app({ Card: card(content) })).of('V10')[0]?.message;
    expect(missing({ IntendedUses: { ...CONTENT.IntendedUses, PurposeOfModel: ' ' } })).toMatch(/leaves empty IntendedUses.PurposeOfModel/);
    expect(missing({ IntendedUses: { PurposeOfModel: 'x', RiskRating: 'Low' } })).toMatch(/IntendedUses.IntendedUses/);
    expect(missing({ IntendedUses: { ...CONTENT.IntendedUses, RiskRating: 'Unknown' } })).toMatch(/RiskRating \(other than Unknown\)/);
    expect(missing({ AdditionalInformation: {} })).toMatch(/AdditionalInformation.CaveatsAndRecommendations/);
    expect(missing({ TrainingDetails: {} })).toMatch(/TrainingDetails/);
    // A card found by the model's literal name must still name it in its overview.
    const named = validate({ Resources: { Model: { ...model(), Properties: { ...model().Properties, ModelName: 'fraud-v3' } }, Card: card({ ModelOverview: { ModelName: 'fraud-v3' } }) } });
    expect(verdictOf(named, 'V10', 'Model')).toBe('none');
  });

  test('model packages: an embedded card (snake_case JSON) or a card resource; a model deploying a documented package is documented', () => {
    expect(verdictOf(validate({ Resources: { Pkg: pkg() } }), 'V10', 'Pkg')).toBe('none');
    const incomplete = validate({ Resources: { Pkg: pkg(JSON.stringify({ ...EMBEDDED, training_details: {} })) } });
    expect(incomplete.of('V10')[0].message).toMatch(/the model card of package Pkg leaves empty TrainingDetails/);
    expect(verdictOf(validate({ Resources: { Pkg: { Type: 'AWS::SageMaker::ModelPackage', Properties: { ModelPackageGroupName: 'g' } } } }), 'V10', 'Pkg')).toBe('non-compliant');
    const deployed = validate({ Resources: { Pkg: pkg(), Model: model({ ModelPackageName: { Ref: 'Pkg' } }) } });
    expect(verdictOf(deployed, 'V10', 'Model')).toBe('none');
  });

  test('intrinsic: Fn::If with an empty purpose; risk rating from a parameter with Unknown allowed', () => {
    const branch = validate(app({ Card: card({ IntendedUses: { ...CONTENT.IntendedUses, PurposeOfModel: ifElse('Score fraud', '') } }) }));
    expect(verdictOf(branch, 'V10', 'Model')).toBe('non-compliant');
    const param = validate(app({ Card: card({ IntendedUses: { ...CONTENT.IntendedUses, RiskRating: { Ref: 'Risk' } } }) }, { Risk: { Default: 'Low', AllowedValues: ['Low', 'Unknown'] } }));
    expect(verdictOf(param, 'V10', 'Model')).toBe('parameter');
  });

  test('unverifiable: a field imported; a model deploying a package outside the app without a card of its own', () => {
    const field = validate(app({ Card: card({ TrainingDetails: imported('training') }) }));
    expect(verdictOf(field, 'V10', 'Model')).toBe('unverifiable');
    expect(field.of('V10')[0].ruleName).toBe('SecureAI-V10[unverifiable]');
    const outside = validate({ Resources: { Model: model({ ModelPackageName: 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3' }) } });
    expect(verdictOf(outside, 'V10', 'Model')).toBe('unverifiable');
    expect(outside.of('V10')[0].message).toMatch(/which is not in the app/);
    expect(verdictOf(validate({ Resources: { Pkg: pkg(imported('content')) } }), 'V10', 'Pkg')).toBe('unverifiable');
  });

  test('real CDK output: CfnModelCard documenting a CfnModel', () => {
    const cdkApp = new App();
    const stack = new Stack(cdkApp, 'S');
    const m = new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: 'arn:aws:iam::111122223333:role/x', primaryContainer: { image: 'i' } });
    new sagemaker.CfnModelCard(stack, 'Card', {
      modelCardName: 'fraud',
      modelCardStatus: 'Draft',
      content: {
        modelOverview: { modelName: m.attrModelName },
        intendedUses: { purposeOfModel: 'p', intendedUses: 'u', riskRating: 'Low' },
        additionalInformation: { caveatsAndRecommendations: 'c' },
        trainingDetails: { objectiveFunction: { function: { function: 'Minimize', facet: 'Loss' } } },
      },
    });
    expect(new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V10')).toHaveLength(0);
  });

  test('malformed values never throw', () => {
    const run = validate({ Resources: { Model: model(), Card: card({ IntendedUses: 'x', TrainingDetails: [1] }), Pkg: pkg('{not json'), Pkg2: pkg(42) } });
    expect(run.tally('V10').errors).toBe(0);
  });
});
