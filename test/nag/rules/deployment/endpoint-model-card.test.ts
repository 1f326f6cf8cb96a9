import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const PROD = [{ Key: 'Environment', Value: 'prod' }];
const model = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::SageMaker::Model', Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: { Image: 'img' }, ...properties },
});
const card = (content: Record<string, unknown> = {}, status: unknown = 'Approved') => ({
  Type: 'AWS::SageMaker::ModelCard',
  Properties: {
    ModelCardName: 'fraud',
    ModelCardStatus: status,
    Content: {
      ModelOverview: { ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] } },
      EvaluationDetails: [{ Name: 'red team' }],
      AdditionalInformation: { CaveatsAndRecommendations: 'Not for credit decisions; degrades on non-UK transactions.' },
      ...content,
    },
  },
});
const endpoint = (tags: unknown = PROD, configName: unknown = { 'Fn::GetAtt': ['Config', 'EndpointConfigName'] }) => ({
  Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: configName, Tags: tags },
});
const UNTAGGED = { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: { 'Fn::GetAtt': ['Config', 'EndpointConfigName'] } } };
const config = (...models: string[]) => ({
  Type: 'AWS::SageMaker::EndpointConfig',
  Properties: { ProductionVariants: models.map((m, i) => ({ VariantName: `v${i}`, ModelName: { 'Fn::GetAtt': [m, 'ModelName'] }, InitialInstanceCount: 2, InstanceType: 'ml.m5.xlarge' })) },
});
const app = (resources: Resources = {}, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: { Model: model(), Config: config('Model'), Endpoint: endpoint(), Card: card(), ...resources },
});

describe('P23 production endpoints serve models with approved model cards', () => {
  test('compliant: the served model has an approved card with evaluation details and caveats', () => {
    const run = validate(app());
    expect(verdictOf(run, 'P23', 'Endpoint')).toBe('none');
    expect(run.tally('P23')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('not applicable: endpoints not tagged as production', () => {
    const run = validate(app({ Endpoint: endpoint([{ Key: 'Environment', Value: 'dev' }]), Card: { Type: 'AWS::SNS::Topic' } }));
    expect(verdictOf(run, 'P23', 'Endpoint')).toBe('none');
    expect(run.tally('P23')).toMatchObject({ notApplicable: 1 });
    expect(validate(app({ Endpoint: UNTAGGED, Card: { Type: 'AWS::SNS::Topic' } })).tally('P23')).toMatchObject({ notApplicable: 1 });
  });

  test('non-compliant: no model card', () => {
    const run = validate(app({ Card: { Type: 'AWS::SNS::Topic' } }));
    expect(verdictOf(run, 'P23', 'Endpoint')).toBe('non-compliant');
    const finding = run.of('P23')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-P23', level: 'warning' });
    expect(finding.message).toMatch(/model Model has no model card/);
  });

  test('non-compliant: a card that is a draft, without evaluation details, or without caveats', () => {
    expect(validate(app({ Card: card({}, 'Draft') })).of('P23')[0].message).toMatch(/ModelCardStatus "Draft", not Approved/);
    expect(validate(app({ Card: card({ EvaluationDetails: [] }) })).of('P23')[0].message).toMatch(/has no Content.EvaluationDetails/);
    expect(validate(app({ Card: card({ AdditionalInformation: { CaveatsAndRecommendations: '  ' } }) })).of('P23')[0].message)
      .toMatch(/has no Content.AdditionalInformation.CaveatsAndRecommendations/);
  });

  test('every production variant needs its card', () => {
    const run = validate(app({ Second: model(), Config: config('Model', 'Second') }));
    expect(verdictOf(run, 'P23', 'Endpoint')).toBe('non-compliant');
    expect(run.of('P23')[0].message).toMatch(/model Second has no model card/);
  });

  test('cards found by the model\'s literal name, and through the model package the model deploys', () => {
    const byName = validate(app({
      Model: model({ ModelName: 'fraud-v3' }),
      Card: card({ ModelOverview: { ModelName: 'fraud-v3' } }),
    }));
    expect(verdictOf(byName, 'P23', 'Endpoint')).toBe('none');
    const content = JSON.stringify({ evaluation_details: [{ name: 'bench' }], additional_information: { caveats_and_recommendations: 'English only.' } });
    const viaPackage = validate(app({
      Card: { Type: 'AWS::SNS::Topic' },
      Package: { Type: 'AWS::SageMaker::ModelPackage', Properties: { ModelPackageGroupName: 'g', ModelCard: { ModelCardStatus: 'Approved', ModelCardContent: content } } },
      Model: model({ PrimaryContainer: { ModelPackageName: { 'Fn::GetAtt': ['Package', 'ModelPackageArn'] } } }),
    }));
    expect(verdictOf(viaPackage, 'P23', 'Endpoint')).toBe('none');
  });

  test('inference-component endpoints: the components\' models need cards', () => {
    const run = validate(app({
      Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: [{ VariantName: 'v', InstanceType: 'ml.g5.xlarge', InitialInstanceCount: 2 }] } },
      Component: {
        Type: 'AWS::SageMaker::InferenceComponent',
        Properties: { EndpointName: { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] }, VariantName: 'v', Specification: { ModelName: { 'Fn::GetAtt': ['Other', 'ModelName'] } } },
      },
      Other: model(),
    }));
    expect(verdictOf(run, 'P23', 'Endpoint')).toBe('non-compliant');
    expect(run.of('P23')[0].message).toMatch(/model Other has no model card/);
  });

  test('stack-level production tags apply', () => {
    const cdkApp = new App();
    const stack = new Stack(cdkApp, 'Prod', { tags: { Environment: 'production' } });
    const resources = app({ Endpoint: UNTAGGED, Card: { Type: 'AWS::SNS::Topic' } }).Resources;
    for (const [id, r] of Object.entries(resources)) new CfnResource(stack, id, { type: r.Type, properties: r.Properties }).overrideLogicalId(id);
    const run = new ValidationRun(new SecureAiChecks().validateScope(cdkApp));
    expect(verdictOf(run, 'P23', 'Endpoint')).toBe('non-compliant');
  });

  test('intrinsic: Fn::If with a draft status; an environment tag from a parameter', () => {
    const branch = validate(app({ Card: card({}, ifElse('Approved', 'Draft')) }));
    expect(verdictOf(branch, 'P23', 'Endpoint')).toBe('non-compliant');
    const tagged = (parameters: TemplateFixture['Parameters']) => validate(app({ Endpoint: endpoint([{ Key: 'Environment', Value: { Ref: 'Env' } }]), Card: { Type: 'AWS::SNS::Topic' } }, parameters));
    expect(verdictOf(tagged({ Env: { Default: 'dev' } }), 'P23', 'Endpoint')).toBe('none');
    expect(verdictOf(tagged({ Env: { Default: 'prod' } }), 'P23', 'Endpoint')).toBe('non-compliant');
    expect(verdictOf(tagged({ Env: { Default: 'dev', AllowedValues: ['dev', 'prod'] } }), 'P23', 'Endpoint')).toBe('parameter');
    expect(verdictOf(tagged({ Env: {} }), 'P23', 'Endpoint')).toBe('unverifiable');
  });

  test('unverifiable: the endpoint configuration is outside the app; the card status is imported', () => {
    const outside = validate(app({ Endpoint: endpoint(PROD, imported('endpoint-config-name')) }));
    expect(verdictOf(outside, 'P23', 'Endpoint')).toBe('unverifiable');
    expect(outside.of('P23')[0]).toMatchObject({ ruleName: 'SecureAI-P23[unverifiable]', level: 'warning' });
    expect(outside.of('P23')[0].message).toMatch(/not in the app/);
    expect(verdictOf(validate(app({ Card: card({}, imported('status')) })), 'P23', 'Endpoint')).toBe('unverifiable');
  });

  describe('Bedrock agent aliases', () => {
    const alias = (tags: Record<string, unknown>) => ({ Type: 'AWS::Bedrock::AgentAlias', Properties: { AgentAliasName: 'live', AgentId: { 'Fn::GetAtt': ['Agent', 'AgentId'] }, Tags: tags } });
    const agent = (tags: Record<string, unknown> = {}) => ({ Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a', Tags: tags } });

    test('a production alias needs the ai:evaluation-report tag, on itself or its agent', () => {
      const missing = validate({ Resources: { Agent: agent(), Alias: alias({ Environment: 'prod' }) } });
      expect(verdictOf(missing, 'P23', 'Alias')).toBe('non-compliant');
      expect(missing.of('P23')[0].message).toMatch(/no ai:evaluation-report tag/);
      expect(verdictOf(validate({ Resources: { Agent: agent(), Alias: alias({ 'Environment': 'prod', 'ai:evaluation-report': 's3://evidence/agent.pdf' }) } }), 'P23', 'Alias')).toBe('none');
      expect(verdictOf(validate({ Resources: { Agent: agent({ 'ai:evaluation-report': 'https://wiki/eval' }), Alias: alias({ Environment: 'prod' }) } }), 'P23', 'Alias')).toBe('none');
      expect(verdictOf(validate({ Resources: { Agent: agent(), Alias: alias({ Environment: 'staging' }) } }), 'P23', 'Alias')).toBe('none');
    });

    test('unverifiable: the report tag is imported', () => {
      const run = validate({ Resources: { Agent: agent(), Alias: alias({ 'Environment': 'prod', 'ai:evaluation-report': imported('report') }) } });
      expect(verdictOf(run, 'P23', 'Alias')).toBe('unverifiable');
    });
  });

  test('malformed values never throw', () => {
    const run = validate(app({ Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: [1, { ModelName: 5 }] } }, Card: card({ EvaluationDetails: 'x', AdditionalInformation: 3 }, 7) }));
    expect(run.tally('P23').errors).toBe(0);
  });
});
