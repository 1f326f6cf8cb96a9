import { ifElse, imported, TemplateFixture, validate, verdictOf } from '../../harness';

const METRICS = { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://evidence/eval/statistics.json' } } };
const CARD_CONTENT = JSON.stringify({ evaluation_details: [{ name: 'red-team', evaluation_observation: 'no jailbreaks at HIGH' }] });
const pkg = (properties: Record<string, unknown>, parameters?: TemplateFixture['Parameters'], extra: TemplateFixture['Resources'] = {}): TemplateFixture => ({
  Parameters: parameters,
  Resources: { Package: { Type: 'AWS::SageMaker::ModelPackage', Properties: { ModelPackageGroupName: 'fraud', ...properties } }, ...extra },
});

describe('P22 model packages are approved only with evaluation evidence', () => {
  test('compliant: a package pending manual approval needs no evidence', () => {
    const run = validate(pkg({ ModelApprovalStatus: 'PendingManualApproval' }));
    expect(verdictOf(run, 'P22', 'Package')).toBe('none');
    expect(run.tally('P22')).toMatchObject({ evaluated: 1, compliant: 1 });
    expect(verdictOf(validate(pkg({})), 'P22', 'Package')).toBe('none');
  });

  test('compliant: approved with model metrics, or with an approved embedded model card with evaluation details', () => {
    expect(verdictOf(validate(pkg({ ModelApprovalStatus: 'Approved', ModelMetrics: METRICS })), 'P22', 'Package')).toBe('none');
    const card = { ModelCardStatus: 'Approved', ModelCardContent: CARD_CONTENT };
    expect(verdictOf(validate(pkg({ ModelApprovalStatus: 'APPROVED', ModelCard: card })), 'P22', 'Package')).toBe('none');
  });

  test('compliant: approved, documented by an approved AWS::SageMaker::ModelCard that references the package', () => {
    const card = {
      Type: 'AWS::SageMaker::ModelCard',
      Properties: {
        ModelCardName: 'fraud',
        ModelCardStatus: 'Approved',
        Content: { ModelPackageDetails: { ModelPackageArn: { 'Fn::GetAtt': ['Package', 'ModelPackageArn'] } }, EvaluationDetails: [{ Name: 'benchmark' }] },
      },
    };
    expect(verdictOf(validate(pkg({ ModelApprovalStatus: 'Approved' }, undefined, { Card: card })), 'P22', 'Package')).toBe('none');
    const draft = { ...card, Properties: { ...card.Properties, ModelCardStatus: 'Draft' } };
    const run = validate(pkg({ ModelApprovalStatus: 'Approved' }, undefined, { Card: draft }));
    expect(verdictOf(run, 'P22', 'Package')).toBe('non-compliant');
    expect(run.of('P22')[0].message).toMatch(/model card Card has ModelCardStatus "Draft", not Approved/);
  });

  test('non-compliant: approved in the template with no evidence at all', () => {
    const run = validate(pkg({ ModelApprovalStatus: 'Approved' }));
    expect(verdictOf(run, 'P22', 'Package')).toBe('non-compliant');
    const finding = run.of('P22')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-P22', level: 'warning', locations: ['Properties.ModelApprovalStatus'] });
    expect(finding.message).toMatch(/ModelApprovalStatus is "Approved" but the package carries no evaluation evidence/);
    expect(finding.message).toMatch(/no model card documents it/);
  });

  test('non-compliant: an embedded card that is not approved, or has no evaluation details; empty metrics', () => {
    const draft = validate(pkg({ ModelApprovalStatus: 'Approved', ModelCard: { ModelCardStatus: 'Draft', ModelCardContent: CARD_CONTENT } }));
    expect(draft.of('P22')[0].message).toMatch(/is not Approved/);
    const empty = validate(pkg({ ModelApprovalStatus: 'Approved', ModelCard: { ModelCardStatus: 'Approved', ModelCardContent: '{"model_overview":{}}' } }));
    expect(empty.of('P22')[0].message).toMatch(/no evaluation_details/);
    expect(verdictOf(validate(pkg({ ModelApprovalStatus: 'Approved', ModelMetrics: { ModelQuality: {} } })), 'P22', 'Package')).toBe('non-compliant');
  });

  test('non-compliant: SkipModelValidation All, in any spelling', () => {
    const run = validate(pkg({ SkipModelValidation: 'All' }));
    expect(verdictOf(run, 'P22', 'Package')).toBe('non-compliant');
    expect(run.of('P22')[0]).toMatchObject({ locations: ['Properties.SkipModelValidation'] });
    expect(run.of('P22')[0].message).toMatch(/SkipModelValidation is "All"/);
    expect(verdictOf(validate(pkg({ SkipModelValidation: 'ALL' })), 'P22', 'Package')).toBe('non-compliant');
    expect(verdictOf(validate(pkg({ SkipModelValidation: 'None' })), 'P22', 'Package')).toBe('none');
  });

  test('intrinsic: Fn::If with an Approved branch; Ref to a parameter judged by its default and allowed values', () => {
    const branch = validate(pkg({ ModelApprovalStatus: ifElse('PendingManualApproval', 'Approved') }));
    expect(verdictOf(branch, 'P22', 'Package')).toBe('non-compliant');
    expect(branch.of('P22')[0].message).toMatch(/possible forms/);
    expect(verdictOf(validate(pkg({ ModelApprovalStatus: { Ref: 'Status' } }, { Status: { Default: 'PendingManualApproval' } })), 'P22', 'Package')).toBe('none');
    const allowed = validate(pkg({ ModelApprovalStatus: { Ref: 'Status' } }, { Status: { Default: 'PendingManualApproval', AllowedValues: ['PendingManualApproval', 'Approved'] } }));
    expect(verdictOf(allowed, 'P22', 'Package')).toBe('parameter');
    expect(allowed.of('P22')[0].message).toMatch(/parameter Status/);
  });

  test('unverifiable: the approval status is imported and there is no evidence; the card content is built at deploy time', () => {
    const status = validate(pkg({ ModelApprovalStatus: imported('approval') }));
    expect(verdictOf(status, 'P22', 'Package')).toBe('unverifiable');
    expect(status.of('P22')[0]).toMatchObject({ ruleName: 'SecureAI-P22[unverifiable]', level: 'warning' });
    expect(verdictOf(validate(pkg({ ModelApprovalStatus: imported('approval'), ModelMetrics: METRICS })), 'P22', 'Package')).toBe('none');
    const content = validate(pkg({ ModelApprovalStatus: 'Approved', ModelCard: { ModelCardStatus: 'Approved', ModelCardContent: { 'Fn::Sub': ['${C}', { C: imported('card') }] } } }));
    expect(verdictOf(content, 'P22', 'Package')).toBe('unverifiable');
  });

  test('malformed values never throw', () => {
    const run = validate(pkg({ ModelApprovalStatus: 'Approved', ModelCard: 'x', ModelMetrics: [1], SkipModelValidation: 4 }));
    expect(run.tally('P22').errors).toBe(0);
    const json = validate(pkg({ ModelApprovalStatus: 'Approved', ModelCard: { ModelCardStatus: 'Approved', ModelCardContent: '{not json' } }));
    expect(json.tally('P22').errors).toBe(0);
    expect(verdictOf(json, 'P22', 'Package')).toBe('unverifiable');
  });
});
