import { Token } from 'aws-cdk-lib';
import { metricGroupOverrides, ModelCardContentInput, renderModelCardContent } from '../../src/registry/model-card-content';
import { ModelRiskRating } from '../../src/registry/model-risk-rating';

const INPUT: ModelCardContentInput = {
  modelName: 'churn',
  owner: 'retention-team',
  purpose: 'Predict churn',
  intendedUses: ['Prioritise retention calls'],
  outOfScopeUses: ['Pricing'],
  trainingData: [{ uri: 's3://d/train.csv', sha256: 'ABCDEF0123456789'.repeat(4) }],
  evaluations: [{ name: 'holdout', observation: 'AUC 0.81' }],
  limitations: ['Trained on one market'],
  failureModes: ['New customers have no history'],
  riskRating: ModelRiskRating.LOW,
  riskRatingExplanation: 'Advisory only',
  customDetails: { review_frequency_days: '180' },
};

const render = (overrides: Partial<ModelCardContentInput> = {}) => renderModelCardContent('Card', { ...INPUT, ...overrides });
/** Intended uses whose rendering ("Intended uses:\n- <use>\nOut of scope (do not use for):\n- Pricing") is `length` long. */
const usesRenderingTo = (length: number) => ['u'.repeat(length - 'Intended uses:\n- \nOut of scope (do not use for):\n- Pricing'.length)];

describe('renderModelCardContent', () => {
  test('digests are recorded lowercase, beside their sources, after the given custom details', () => {
    expect(render().additionalInformation).toEqual({
      caveatsAndRecommendations: 'Limitations:\n- Trained on one market',
      ethicalConsiderations: undefined,
      customDetails: {
        review_frequency_days: '180',
        training_data_1_uri: 's3://d/train.csv',
        training_data_1_sha256: 'abcdef0123456789'.repeat(4),
      },
    });
  });

  test('a rendering of exactly 2048 characters fits; one more does not', () => {
    expect(render({ intendedUses: usesRenderingTo(2048) }).intendedUses).toEqual(expect.objectContaining({ riskRating: 'Low' }));
    expect(() => render({ intendedUses: usesRenderingTo(2049) }))
      .toThrow('ModelCard Card: intendedUses and outOfScopeUses render to 2049 characters in intended_uses.intended_uses, over the model card limit of 2048.');
  });

  test('an observation may use the evaluation limit of 2096 characters, not more', () => {
    expect(() => render({ evaluations: [{ name: 'e', observation: 'o'.repeat(2096) }] })).not.toThrow();
    expect(() => render({ evaluations: [{ name: 'e', observation: 'o'.repeat(2097) }] })).toThrow(/evaluations\[0\]\.observation is 2097 characters long, over the model card limit of 2096/);
  });

  test('fifteen training sources fit', () => {
    const trainingData = Array.from({ length: 15 }, (_, i) => ({ uri: `s3://d/${i}`, sha256: 'f'.repeat(64) }));
    expect(render({ trainingData }).trainingDetails).toEqual({
      trainingJobDetails: { trainingDatasets: trainingData.map((d) => d.uri) },
      trainingObservations: undefined,
    });
  });

  test('values known only at deploy time pass unjudged', () => {
    const owner = Token.asString({ Ref: 'Owner' });
    expect(render({ owner, trainingData: [{ uri: 's3://d/x', sha256: Token.asString({ Ref: 'Digest' }) }] }).modelOverview).toEqual(expect.objectContaining({ modelOwner: owner }));
  });

  test('a blank optional text is refused rather than rendered empty', () => {
    expect(() => render({ trainingObservations: '  ' })).toThrow('ModelCard Card: trainingObservations is blank. Fix: give a value or leave it unset.');
  });
});

describe('metricGroupOverrides', () => {
  test('one group of number metrics per evaluation that has metrics, at its index, in CloudFormation spelling', () => {
    expect(metricGroupOverrides([
      { name: 'a', observation: 'x' },
      { name: 'b', observation: 'y', metrics: [{ name: 'auc', value: 0.8 }, { name: 'f1', value: 0.7, notes: 'macro' }] },
    ])).toEqual({
      'Content.EvaluationDetails.1.MetricGroups': [{
        Name: 'results',
        MetricData: [{ Name: 'auc', Type: 'number', Value: 0.8, Notes: undefined }, { Name: 'f1', Type: 'number', Value: 0.7, Notes: 'macro' }],
      }],
    });
  });
});
