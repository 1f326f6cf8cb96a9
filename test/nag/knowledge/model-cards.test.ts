import { App } from 'aws-cdk-lib';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { UnknownValue } from '../../../src/nag/engine/values';
import { cardsFor, judgeCard, judgeEmbeddedCard } from '../../../src/nag/knowledge/model-cards';
import { ifElse, imported, stackOf, TemplateFixture } from '../harness';

function indexOf(fixture: TemplateFixture): ResourceIndex {
  const app = new App();
  stackOf(fixture, app);
  return ResourceIndex.fromScope(app);
}

const GOOD_CONTENT = { EvaluationDetails: [{ Name: 'accuracy' }], AdditionalInformation: { CaveatsAndRecommendations: 'Not for minors.' } };

function card(status: unknown, content: unknown = GOOD_CONTENT) {
  const index = indexOf({ Resources: { Card: { Type: 'AWS::SageMaker::ModelCard', Properties: { ModelCardName: 'c', ModelCardStatus: status, Content: content } } } });
  return index.find('Test', 'Card')!;
}

function pkg(modelCard: unknown) {
  const index = indexOf({ Resources: { Pkg: { Type: 'AWS::SageMaker::ModelPackage', Properties: { ModelCard: modelCard } } } });
  return index.find('Test', 'Pkg')!;
}

describe('judgeCard', () => {
  test('an approved card with evaluation details (and caveats when asked) is ok', () => {
    expect(judgeCard(card('Approved'), true)).toEqual({ answer: true, detail: 'model card Card' });
    expect(judgeCard(card('APPROVED', { EvaluationDetails: [{}] }), false).answer).toBe(true);
  });

  test('names every missing field', () => {
    const verdict = judgeCard(card('Draft', {}), true);
    expect(verdict.answer).toBe(false);
    expect(verdict.detail).toBe('model card Card has ModelCardStatus "Draft", not Approved, has no Content.EvaluationDetails, has no Content.AdditionalInformation.CaveatsAndRecommendations');
    expect(judgeCard(card('Approved', { EvaluationDetails: [], AdditionalInformation: { CaveatsAndRecommendations: '  ' } }), true).detail)
      .toMatch(/EvaluationDetails, has no Content.AdditionalInformation/);
  });

  test('caveats are checked only when asked', () => {
    expect(judgeCard(card('Approved', { EvaluationDetails: [{}] }), true).answer).toBe(false);
  });

  test('a status of one Fn::If form not approved is bad; a status known only at deploy time is unknown', () => {
    expect(judgeCard(card(ifElse('Approved', 'Draft')), false).detail).toMatch(/"Approved" or "Draft", not Approved/);
    const open = judgeCard(card(imported('status')), false);
    expect(open.answer).toBeInstanceOf(UnknownValue);
    expect(open.detail).toBe('model card Card cannot be read at synth time (imported value status)');
  });
});

describe('judgeEmbeddedCard', () => {
  const content = { evaluation_details: [{ name: 'a' }], additional_information: { caveats_and_recommendations: 'x' } };

  test('no card: undefined', () => {
    expect(judgeEmbeddedCard(pkg(undefined), true)).toBeUndefined();
  });

  test('content as a JSON string or an object', () => {
    expect(judgeEmbeddedCard(pkg({ ModelCardStatus: 'Approved', ModelCardContent: JSON.stringify(content) }), true)?.answer).toBe(true);
    expect(judgeEmbeddedCard(pkg({ ModelCardStatus: 'Approved', ModelCardContent: content }), true)?.answer).toBe(true);
  });

  test('missing status, evaluation or caveats are named', () => {
    const verdict = judgeEmbeddedCard(pkg({ ModelCardStatus: 'Draft', ModelCardContent: JSON.stringify({ evaluation_details: [] }) }), true)!;
    expect(verdict.answer).toBe(false);
    expect(verdict.detail).toBe('the model card of package Pkg is not Approved (ModelCard.ModelCardStatus), has no evaluation_details in ModelCard.ModelCardContent, '
      + 'has no additional_information.caveats_and_recommendations in ModelCard.ModelCardContent');
    expect(judgeEmbeddedCard(pkg({ ModelCardStatus: 'Approved' }), false)?.detail).toMatch(/has no evaluation_details/);
    expect(judgeEmbeddedCard(pkg({ ModelCardStatus: 'Approved', ModelCardContent: '[1]' }), false)?.answer).toBe(false);
  });

  test('content that is not JSON, or built at deploy time, or a card imported whole, is unknown', () => {
    expect(judgeEmbeddedCard(pkg({ ModelCardStatus: 'Approved', ModelCardContent: '{nope' }), false))
      .toEqual({ answer: expect.any(UnknownValue), detail: 'the model card of package Pkg cannot be read at synth time (ModelCardContent is not valid JSON)' });
    expect(judgeEmbeddedCard(pkg({ ModelCardStatus: 'Approved', ModelCardContent: imported('card') }), false)?.answer).toBeInstanceOf(UnknownValue);
    expect(judgeEmbeddedCard(pkg(imported('card')), false)?.answer).toBeInstanceOf(UnknownValue);
    expect(judgeEmbeddedCard(pkg('not an object'), false)?.answer).toBeInstanceOf(UnknownValue);
  });

  test('one Fn::If form without a card is bad', () => {
    expect(judgeEmbeddedCard(pkg(ifElse({ ModelCardStatus: 'Approved', ModelCardContent: content }, { Ref: 'AWS::NoValue' })), false)?.answer).toBe(false);
  });
});

describe('cardsFor', () => {
  const fixture: TemplateFixture = {
    Resources: {
      Model: { Type: 'AWS::SageMaker::Model', Properties: { ModelName: 'fraud-v1' } },
      Other: { Type: 'AWS::SageMaker::Model', Properties: { ModelName: 'other' } },
      ByRef: { Type: 'AWS::SageMaker::ModelCard', Properties: { Content: { ModelOverview: { ModelArtifact: [{ 'Fn::GetAtt': ['Model', 'ModelName'] }] } } } },
      ByName: { Type: 'AWS::SageMaker::ModelCard', Properties: { Content: { ModelOverview: { ModelName: 'fraud-v1' } } } },
      Unrelated: { Type: 'AWS::SageMaker::ModelCard', Properties: { Content: { ModelOverview: { ModelName: 'missing' } } } },
    },
  };

  test('cards documenting a model by reference or by its literal name', () => {
    const index = indexOf(fixture);
    expect(cardsFor(index, index.find('Test', 'Model')!).map((c) => c.logicalId).sort()).toEqual(['ByName', 'ByRef']);
    expect(cardsFor(index, index.find('Test', 'Other')!)).toEqual([]);
  });

  test('found once per index; a new index finds afresh', () => {
    const index = indexOf(fixture);
    cardsFor(index, index.find('Test', 'Model')!);
    const lookups = index.statistics.lookups;
    cardsFor(index, index.find('Test', 'Other')!);
    expect(index.statistics.lookups).toBe(lookups + 1); // the find() above, nothing more
    const fresh = indexOf(fixture);
    const before = fresh.statistics.lookups;
    cardsFor(fresh, fresh.resources[0]);
    expect(fresh.statistics.lookups).toBeGreaterThan(before + 1);
  });
});
