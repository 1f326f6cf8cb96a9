import { App, Duration, Stack, Tags, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { AiEnvironmentStage } from '../../src/environment/ai-environment-stage';
import { SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { ModelCard, ModelCardProps } from '../../src/registry/model-card';
import { ModelCardStatus } from '../../src/registry/model-card-status';
import { ModelRegistry } from '../../src/registry/model-registry';
import { ModelRiskRating } from '../../src/registry/model-risk-rating';
import { DataClassification } from '../../src/storage/data-classification';
import { backUpAiStores, canaryFindings, checkCompliance, isReasoned, silentPacks } from '../compliance';
import { ValidationRun } from '../nag/harness';

const ENV = { account: '111111111111', region: 'us-east-1' };
const TRAIN_SHA = 'a'.repeat(64);
const LABELS_SHA = '0123456789ABCDEF'.repeat(4);

/** A complete card's props, without the environment. */
function cardProps(overrides: Partial<ModelCardProps> = {}): Omit<ModelCardProps, 'environment'> {
  return {
    modelName: 'fraud-detector',
    owner: 'fraud-ml-team',
    description: 'Gradient-boosted trees scoring card transactions for fraud',
    purpose: 'Score card transactions for the likelihood of fraud',
    intendedUses: ['Rank transactions for review by fraud analysts', 'Hold high-risk transactions for step-up authentication'],
    outOfScopeUses: ['Automatically closing customer accounts', 'Credit decisions'],
    trainingData: [
      { uri: 's3://training-data/transactions/2024.parquet', sha256: TRAIN_SHA },
      { uri: 's3://training-data/labels/2024.csv', sha256: LABELS_SHA },
    ],
    trainingObservations: 'Converged after 400 rounds; early stopping on validation AUC',
    evaluations: [{
      name: 'holdout-2024-q4',
      observation: 'AUC 0.94 on the Q4 holdout; recall drops for cross-border transactions',
      metrics: [{ name: 'auc', value: 0.94 }, { name: 'false-positive-rate', value: 0.021, notes: 'at the review threshold' }],
      datasets: ['s3://evaluation-data/holdout-2024-q4.parquet'],
    }, {
      name: 'red-team-evasion',
      observation: 'Feature-space evasion succeeded on 3% of crafted transactions; mitigated by velocity rules',
    }],
    limitations: ['Not evaluated on merchant categories introduced after 2024', 'Scores drift within a quarter'],
    failureModes: ['Recall drops for cross-border transactions', 'Adversarial splitting of payments below thresholds'],
    riskRating: ModelRiskRating.HIGH,
    riskRatingExplanation: 'Wrong scores block legitimate payments or let fraud through at scale',
    retention: Duration.days(2555),
    reviewFrequency: Duration.days(90),
    ...overrides,
  };
}

function build(overrides: Partial<ModelCardProps> = {}, stackProps = { env: ENV }) {
  const stack = new Stack(new App(), 'Cards', stackProps);
  const env = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
  const card = new ModelCard(stack, 'FraudCard', { environment: env, ...cardProps(overrides) });
  return { stack, env, card, template: () => Template.fromStack(stack) };
}

describe('ModelCard defaults', () => {
  const { stack, env, card, template } = build();
  const t = template();

  test('renders the model card JSON schema: overview, intended uses, training, evaluation, additional information', () => {
    t.hasResourceProperties('AWS::SageMaker::ModelCard', {
      Content: {
        ModelOverview: {
          ModelName: 'fraud-detector',
          ModelOwner: 'fraud-ml-team',
          ModelDescription: 'Gradient-boosted trees scoring card transactions for fraud',
        },
        IntendedUses: {
          PurposeOfModel: 'Score card transactions for the likelihood of fraud',
          IntendedUses: 'Intended uses:\n- Rank transactions for review by fraud analysts\n- Hold high-risk transactions for step-up '
            + 'authentication\nOut of scope (do not use for):\n- Automatically closing customer accounts\n- Credit decisions',
          FactorsAffectingModelEfficiency: 'Known failure modes:\n- Recall drops for cross-border transactions\n- Adversarial splitting of payments below thresholds',
          RiskRating: 'High',
          ExplanationsForRiskRating: 'Wrong scores block legitimate payments or let fraud through at scale',
        },
        TrainingDetails: {
          TrainingJobDetails: { TrainingDatasets: ['s3://training-data/transactions/2024.parquet', 's3://training-data/labels/2024.csv'] },
          TrainingObservations: 'Converged after 400 rounds; early stopping on validation AUC',
        },
        EvaluationDetails: [{
          Name: 'holdout-2024-q4',
          EvaluationObservation: 'AUC 0.94 on the Q4 holdout; recall drops for cross-border transactions',
          Datasets: ['s3://evaluation-data/holdout-2024-q4.parquet'],
          MetricGroups: [{
            Name: 'results',
            MetricData: [{ Name: 'auc', Type: 'number', Value: 0.94 }, { Name: 'false-positive-rate', Type: 'number', Value: 0.021, Notes: 'at the review threshold' }],
          }],
        }, {
          Name: 'red-team-evasion',
          EvaluationObservation: 'Feature-space evasion succeeded on 3% of crafted transactions; mitigated by velocity rules',
        }],
        AdditionalInformation: {
          CaveatsAndRecommendations: 'Limitations:\n- Not evaluated on merchant categories introduced after 2024\n- Scores drift within a quarter',
          CustomDetails: {
            retention_days: '2555',
            review_frequency_days: '90',
            training_data_1_uri: 's3://training-data/transactions/2024.parquet',
            training_data_1_sha256: TRAIN_SHA,
            training_data_2_uri: 's3://training-data/labels/2024.csv',
            training_data_2_sha256: LABELS_SHA.toLowerCase(),
          },
        },
      },
    });
  });

  test('the second evaluation, without metrics or datasets, renders neither', () => {
    const cards = Object.values(t.findResources('AWS::SageMaker::ModelCard'));
    const second = cards[0].Properties.Content.EvaluationDetails[1];
    expect(Object.keys(second).sort()).toEqual(['EvaluationObservation', 'Name']);
  });

  test('pending review by default, with no approver recorded', () => {
    t.hasResourceProperties('AWS::SageMaker::ModelCard', { ModelCardStatus: 'PendingReview' });
    expect(card.status).toBe(ModelCardStatus.PENDING_REVIEW);
    const details = Object.values(t.findResources('AWS::SageMaker::ModelCard'))[0].Properties.Content.AdditionalInformation.CustomDetails;
    expect(details.approved_by).toBeUndefined();
    expect(details.model_package_group).toBeUndefined();
  });

  test('encrypted with the environment data key, RETAINed, tagged confidential', () => {
    t.hasResource('AWS::SageMaker::ModelCard', {
      Properties: {
        SecurityConfig: { KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(env.dataKey.node.defaultChild as kms.CfnKey), 'Arn'] } },
        Tags: Match.arrayWith([{ Key: 'DataClassification', Value: 'confidential' }, { Key: 'Owner', Value: 'ml-platform' }]),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(card.encryptionKey).toBe(env.dataKey);
  });

  test('name derived from the path, valid for SageMaker', () => {
    expect(card.modelCardName).toMatch(/^[a-z0-9](-*[a-z0-9]){0,62}$/);
    expect(card.modelCardName).toContain('fraudcard');
    t.hasResourceProperties('AWS::SageMaker::ModelCard', { ModelCardName: card.modelCardName });
    expect(stack.resolve(card.modelCardArn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(card.cfnModelCard), 'ModelCardArn'] });
  });
});

describe('ModelCard options', () => {
  test('approved, with the approver recorded', () => {
    const { template } = build({ status: ModelCardStatus.APPROVED, approvedBy: 'model-risk-committee' });
    template().hasResourceProperties('AWS::SageMaker::ModelCard', {
      ModelCardStatus: 'Approved',
      Content: { AdditionalInformation: { CustomDetails: Match.objectLike({ approved_by: 'model-risk-committee' }) } },
    });
  });

  test('linked to a registry: its group and signing key are recorded', () => {
    const stack = new Stack(new App(), 'Cards', { env: ENV });
    const env = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
    const registry = new ModelRegistry(stack, 'Registry', { environment: env, modelPackageGroupName: 'fraud-detector' });
    new ModelCard(stack, 'Card', { environment: env, registry, ...cardProps() });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::ModelCard', {
      Content: {
        AdditionalInformation: {
          CustomDetails: Match.objectLike({
            model_package_group: 'fraud-detector',
            signing_key_arn: { 'Fn::GetAtt': [stack.getLogicalId(registry.signingKey.node.defaultChild as kms.CfnKey), 'Arn'] },
          }),
        },
      },
    });
  });

  test('a given key, name, model ID, ethical considerations and classification', () => {
    const stack = new Stack(new App(), 'Cards', { env: ENV });
    const env = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
    const key = new kms.Key(stack, 'CardKey', { enableKeyRotation: true });
    new ModelCard(stack, 'Card', {
      environment: env,
      ...cardProps({
        encryptionKey: key,
        modelCardName: 'fraud-detector-v3',
        modelId: 'external-model-17',
        ethicalConsiderations: 'Reviewed for disparate impact across regions',
        dataClassification: DataClassification.RESTRICTED,
      }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::ModelCard', {
      ModelCardName: 'fraud-detector-v3',
      SecurityConfig: { KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } },
      Content: {
        ModelOverview: Match.objectLike({ ModelId: 'external-model-17' }),
        AdditionalInformation: Match.objectLike({ EthicalConsiderations: 'Reviewed for disparate impact across regions' }),
      },
      Tags: Match.arrayWith([{ Key: 'DataClassification', Value: 'restricted' }]),
    });
  });

  test('grantRead: DescribeModelCard on the card and Decrypt on its key, nothing else', () => {
    const { stack, env, card, template } = build();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    card.grantRead(role);
    template().hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: 'sagemaker:DescribeModelCard', Effect: 'Allow', Resource: { 'Fn::GetAtt': [stack.getLogicalId(card.cfnModelCard), 'ModelCardArn'] } },
          { Action: 'kms:Decrypt', Effect: 'Allow', Resource: { 'Fn::GetAtt': [stack.getLogicalId(env.dataKey.node.defaultChild as kms.CfnKey), 'Arn'] } },
        ],
      },
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }],
    });
  });

  test('grantRead refuses a principal of another environment stage', () => {
    const app = new App();
    const prod = new AiEnvironmentStage(app, 'Prod', { environmentStage: EnvironmentStage.PRODUCTION, env: { account: '222222222222', region: 'us-east-1' } });
    const dev = new AiEnvironmentStage(app, 'Dev', { environmentStage: EnvironmentStage.DEVELOPMENT, env: { account: '111111111111', region: 'us-east-1' } });
    const prodStack = new Stack(prod, 'Cards');
    const card = new ModelCard(prodStack, 'Card', { environment: new AiEnvironment(prodStack, 'Env', { owner: 'ml' }), ...cardProps() });
    const devRole = new iam.Role(new Stack(dev, 'Apps'), 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(() => card.grantRead(devRole)).toThrow(/belongs to the production environment .* cannot be granted/);
  });

  test('values known only at deploy time are not judged at synth time', () => {
    const { template } = build({ owner: Token.asString({ Ref: 'Owner' }), trainingData: [{ uri: 's3://data/x', sha256: Token.asString({ Ref: 'Digest' }) }] });
    template().hasResourceProperties('AWS::SageMaker::ModelCard', { Content: { ModelOverview: Match.objectLike({ ModelOwner: { Ref: 'Owner' } }) } });
  });
});

describe('ModelCard invalid props throw naming the prop and the fix', () => {
  const cases: Array<[string, Partial<ModelCardProps>, RegExp]> = [
    ['empty owner', { owner: ' ' }, /ModelCard FraudCard: owner is empty\. Fix: give the team or person accountable/],
    ['empty modelName', { modelName: '' }, /modelName is empty\. Fix:/],
    ['empty purpose', { purpose: '' }, /purpose is empty\. Fix: give what the model is for/],
    ['no intended uses', { intendedUses: [] }, /intendedUses is empty\. Fix: list the uses the model was built and evaluated for/],
    ['a blank intended use', { intendedUses: ['ok', ''] }, /intendedUses\[1\] is empty/],
    ['no out-of-scope uses', { outOfScopeUses: [] }, /outOfScopeUses is empty\. Fix: list the uses the model must not be put to/],
    ['no training data', { trainingData: [] }, /trainingData is empty\. Fix: list every training data source with its SHA-256 digest/],
    ['a short digest', { trainingData: [{ uri: 's3://d/x', sha256: 'abc123' }] }, /trainingData\[0\]\.sha256 is 'abc123', not a SHA-256 digest\. Fix: give the 64 hexadecimal characters/],
    ['a non-hex digest', { trainingData: [{ uri: 's3://d/x', sha256: 'g'.repeat(64) }] }, /trainingData\[0\]\.sha256 is 'g+', not a SHA-256 digest/],
    ['a source without URI', { trainingData: [{ uri: '', sha256: TRAIN_SHA }] }, /trainingData\[0\]\.uri is empty/],
    ['sixteen sources', { trainingData: Array.from({ length: 16 }, (_, i) => ({ uri: `s3://d/${i}`, sha256: TRAIN_SHA })) }, /trainingData has 16 sources, more than the 15 a model card holds/],
    ['no evaluations', { evaluations: [] }, /evaluations is empty\. Fix: record at least one evaluation/],
    ['an evaluation name over 63 characters', { evaluations: [{ name: 'e'.repeat(64), observation: 'fine' }] }, /evaluations\[0\]\.name is 64 characters long, over the model card limit of 63/],
    ['an evaluation without observation', { evaluations: [{ name: 'holdout', observation: '' }] }, /evaluations\[0\]\.observation is empty/],
    ['two evaluations of one name', { evaluations: [{ name: 'a', observation: 'x' }, { name: 'a', observation: 'y' }] }, /evaluations\[1\]\.name 'a' is used twice/],
    ['a metric that is not a number', { evaluations: [{ name: 'a', observation: 'x', metrics: [{ name: 'auc', value: NaN }] }] }, /evaluations\[0\]\.metrics\[0\]\.value is NaN, not a finite number/],
    ['eleven evaluation datasets', { evaluations: [{ name: 'a', observation: 'x', datasets: Array.from({ length: 11 }, (_, i) => `s3://e/${i}`) }] }, /evaluations\[0\]\.datasets has 11 locations/],
    ['no limitations', { limitations: [] }, /limitations is empty\. Fix: list the known limitations/],
    ['no failure modes', { failureModes: [] }, /failureModes is empty\. Fix: list how the model is known to fail/],
    ['no risk explanation', { riskRatingExplanation: '' }, /riskRatingExplanation is empty/],
    ['too long a description', { description: 'd'.repeat(1025) }, /description is 1025 characters long, over the model card limit of 1024/],
    ['uses that render over the schema limit', { intendedUses: ['u'.repeat(1500)], outOfScopeUses: ['o'.repeat(600)] }, /intendedUses and outOfScopeUses render to \d+ characters in intended_uses\.intended_uses, over the model card limit of 2048/],
    ['a zero retention', { retention: Duration.days(0) }, /retention is 0 days, but must be a whole number of days, at least 1 day/],
    ['a retention in hours', { retention: Duration.hours(36) }, /retention is 1 day 12 hours, but must be a whole number of days/],
    ['a review less often than yearly', { reviewFrequency: Duration.days(400) }, /reviewFrequency is 400 days, but must be a whole number of days, between 1 and 365 days\. Fix: give Duration\.days\(n\) with n from 1 to 365/],
    ['approved without approver', { status: ModelCardStatus.APPROVED }, /status is APPROVED but approvedBy is empty\. Fix: name who reviewed and approved the card/],
    ['an invalid card name', { modelCardName: 'fraud_card' }, /modelCardName 'fraud_card' is not a valid model card name\. Fix: use 1 to 63 letters, digits and hyphens/],
  ];
  test.each(cases)('%s', (_name, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});

describe('ModelCard and the SecureAI rules that read model cards', () => {
  function run(status: ModelCardStatus) {
    const app = new App();
    const stack = new Stack(app, 'Cards', { env: ENV });
    const env = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
    const container = { image: '111111111111.dkr.ecr.us-east-1.amazonaws.com/fraud:1', modelDataUrl: 's3://models/fraud/model.tar.gz' };
    const executionRoleArn = 'arn:aws:iam::111111111111:role/x';
    const model = new sagemaker.CfnModel(stack, 'Model', { modelName: 'fraud-detector', executionRoleArn, primaryContainer: container });
    const undocumented = new sagemaker.CfnModel(stack, 'Undocumented', { modelName: 'other-model', executionRoleArn, primaryContainer: container });
    const pkg = new sagemaker.CfnModelPackage(stack, 'Package', { modelPackageGroupName: 'fraud-detector', modelApprovalStatus: 'Approved' });
    const approval = status === ModelCardStatus.APPROVED ? { approvedBy: 'model-risk-committee' } : {};
    new ModelCard(stack, 'ModelCard', { environment: env, ...cardProps({ status, ...approval }) });
    new ModelCard(stack, 'PackageCard', { environment: env, ...cardProps({ status, ...approval, modelId: pkg.attrModelPackageArn }) });
    app.synth(); // the environment's tags are applied by an aspect, at synthesis
    const result = new ValidationRun(new SecureAiChecks().validateScope(app));
    const logicalId = (c: sagemaker.CfnModel | sagemaker.CfnModelPackage) => stack.resolve(stack.getLogicalId(c));
    return { result, model: logicalId(model), undocumented: logicalId(undocumented), pkg: logicalId(pkg) };
  }

  test('V10: a model named by the card and a package referenced by it are documented; a model without a card is not', () => {
    const { result, model, undocumented, pkg } = run(ModelCardStatus.PENDING_REVIEW);
    const v10 = result.of('V10').map((f) => f.logicalId);
    expect(v10).toContain(undocumented);
    expect(v10).not.toContain(model);
    expect(v10).not.toContain(pkg);
  });

  test('V11 and V13 find nothing on the cards', () => {
    const { result } = run(ModelCardStatus.PENDING_REVIEW);
    const onCards = (id: string) => result.of(id).filter((f) => f.resourceType === 'AWS::SageMaker::ModelCard');
    expect(onCards('V11')).toEqual([]);
    expect(onCards('V13')).toEqual([]);
  });

  test('P22: an approved package is released on an approved card, and not on one pending review', () => {
    expect(run(ModelCardStatus.APPROVED).result.of('P22').map((f) => f.logicalId)).toEqual([]);
    const pending = run(ModelCardStatus.PENDING_REVIEW);
    expect(pending.result.of('P22').map((f) => f.logicalId)).toEqual([pending.pkg]);
  });
});

describe('ModelCard compliance', () => {
  test('an environment with a registry and a card passes every pack; acknowledgments are reasoned; the canary proves the packs ran', () => {
    const result = checkCompliance((app) => {
      const stack = new Stack(app, 'Cards', { env: ENV });
      // SecureAI-D1: the stack of an AI system points to its threat model, risk owner and criticality.
      Tags.of(stack).add('ai:threat-model', 'https://wiki.example.com/threat-models/fraud-detector');
      Tags.of(stack).add('ai:risk-owner', 'head-of-fraud');
      Tags.of(stack).add('ai:criticality', 'high');
      const env = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
      const registry = new ModelRegistry(stack, 'Registry', { environment: env });
      new ModelCard(stack, 'Card', { environment: env, registry, ...cardProps({ status: ModelCardStatus.APPROVED, approvedBy: 'model-risk-committee' }) });
      // SecureAI-P18: the registry's artifact bucket is backed up by an OfflineBackup beside the registry and the card.
      backUpAiStores(stack, env);
    });
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.length).toBeGreaterThan(0);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    // No SecureAI rule is acknowledged, by the constructs or the test: P18 included, the backup beside them passes it.
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI')).map((a) => a.path)).toEqual([]);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });
});
