// Renders a ModelCard's props into the content of AWS::SageMaker::ModelCard (the SageMaker model card JSON schema,
// spelled in CloudFormation's PascalCase), checking every required field and every limit of the schema first, so that
// a card that would be incomplete, or rejected at deploy time, fails at synth time with the prop named.
import { Token } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type { ModelCardProps } from './model-card';
import type { EvaluationMetric, ModelEvaluation } from './model-evaluation';
import type { TrainingDataDigest } from './training-data-digest';

/** What the content is rendered from: the card's props, checked here, and what the construct derives. */
export type ModelCardContentInput = Pick<ModelCardProps, 'modelName' | 'owner' | 'description' | 'modelId' | 'purpose'
| 'intendedUses' | 'outOfScopeUses' | 'trainingData' | 'trainingObservations' | 'evaluations' | 'limitations' | 'failureModes'
| 'riskRating' | 'riskRatingExplanation' | 'ethicalConsiderations'> & {
  /** Further facts rendered as `additional_information.custom_details` (keys are valid schema keys). */
  readonly customDetails: Record<string, string>;
};

const SHA256 = /^[0-9a-fA-F]{64}$/;
// Limits of the model card JSON schema (CloudFormation AWS::SageMaker::ModelCard).
const MAX_TEXT = 2048;
const MAX_SHORT_TEXT = 1024;
const MAX_OBSERVATION = 2096;
const MAX_TRAINING_DATASETS = 15;
const MAX_EVALUATION_DATASETS = 10;
const MAX_EVALUATION_NAME = 63;

/** Checks the input and renders the card content; throws naming the first prop that is missing or out of bounds. */
export function renderModelCardContent(id: string, input: ModelCardContentInput): sagemaker.CfnModelCard.ContentProperty {
  const check = new FieldCheck(id);
  check.text('modelName', input.modelName, MAX_SHORT_TEXT, 'the name users know the model by');
  check.text('owner', input.owner, MAX_SHORT_TEXT, 'the team or person accountable for the model');
  check.optionalText('description', input.description, MAX_SHORT_TEXT);
  check.optionalText('modelId', input.modelId, MAX_SHORT_TEXT);
  check.text('purpose', input.purpose, MAX_TEXT, 'what the model is for, in a sentence');
  check.list('intendedUses', input.intendedUses, 'the uses the model was built and evaluated for');
  check.list('outOfScopeUses', input.outOfScopeUses, 'the uses the model must not be put to (for example decisions it was not evaluated for)');
  check.list('limitations', input.limitations, 'the known limitations users must be told about');
  check.list('failureModes', input.failureModes, 'how the model is known to fail (inputs or conditions where it degrades)');
  check.text('riskRatingExplanation', input.riskRatingExplanation, MAX_TEXT, 'why the model has its risk rating');
  check.optionalText('trainingObservations', input.trainingObservations, MAX_SHORT_TEXT);
  check.optionalText('ethicalConsiderations', input.ethicalConsiderations, MAX_TEXT);
  checkTrainingData(check, input.trainingData);
  checkEvaluations(check, input.evaluations);

  const intendedUses = check.fits('intendedUses and outOfScopeUses', 'intended_uses.intended_uses',
    `Intended uses:\n${bullets(input.intendedUses)}\nOut of scope (do not use for):\n${bullets(input.outOfScopeUses)}`, MAX_TEXT);
  const failureModes = check.fits('failureModes', 'intended_uses.factors_affecting_model_efficiency', `Known failure modes:\n${bullets(input.failureModes)}`, MAX_TEXT);
  const caveats = check.fits('limitations', 'additional_information.caveats_and_recommendations', `Limitations:\n${bullets(input.limitations)}`, MAX_TEXT);

  const customDetails: Record<string, string> = { ...input.customDetails };
  input.trainingData.forEach((d, i) => {
    customDetails[`training_data_${i + 1}_uri`] = d.uri;
    customDetails[`training_data_${i + 1}_sha256`] = d.sha256.toLowerCase();
  });

  return {
    modelOverview: {
      modelName: input.modelName,
      modelOwner: input.owner,
      modelDescription: input.description,
      modelId: input.modelId,
    },
    intendedUses: {
      purposeOfModel: input.purpose,
      intendedUses,
      factorsAffectingModelEfficiency: failureModes,
      riskRating: input.riskRating,
      explanationsForRiskRating: input.riskRatingExplanation,
    },
    trainingDetails: {
      trainingJobDetails: { trainingDatasets: input.trainingData.map((d) => d.uri) },
      trainingObservations: input.trainingObservations,
    },
    evaluationDetails: input.evaluations.map(renderEvaluation),
    additionalInformation: {
      caveatsAndRecommendations: caveats,
      ethicalConsiderations: input.ethicalConsiderations,
      customDetails,
    },
  };
}

function checkTrainingData(check: FieldCheck, data: TrainingDataDigest[]): void {
  if (!Array.isArray(data) || data.length === 0) {
    check.fail('trainingData is empty', 'list every training data source with its SHA-256 digest, so the model can be traced to the exact data it saw');
  }
  if (data.length > MAX_TRAINING_DATASETS) {
    check.fail(`trainingData has ${data.length} sources, more than the ${MAX_TRAINING_DATASETS} a model card holds`,
      'list the sources as manifests (one file listing many objects, hashed as a whole)');
  }
  data.forEach((d, i) => {
    check.text(`trainingData[${i}].uri`, d.uri, MAX_SHORT_TEXT, 'where the data was read from (for example s3://bucket/prefix/train.csv)');
    if (!Token.isUnresolved(d.sha256) && (typeof d.sha256 !== 'string' || !SHA256.test(d.sha256))) {
      check.fail(`trainingData[${i}].sha256 is '${d.sha256}', not a SHA-256 digest`,
        'give the 64 hexadecimal characters of the digest (sha256sum <file>), as recorded in the artifact manifest');
    }
  });
}

function checkEvaluations(check: FieldCheck, evaluations: ModelEvaluation[]): void {
  if (!Array.isArray(evaluations) || evaluations.length === 0) {
    check.fail('evaluations is empty', 'record at least one evaluation (benchmark, bias analysis or red-team exercise) with what it found');
  }
  const names = new Set<string>();
  evaluations.forEach((e, i) => {
    check.text(`evaluations[${i}].name`, e.name, MAX_EVALUATION_NAME, 'a short name of the evaluation (for example holdout-2024-q4)');
    if (names.has(e.name)) check.fail(`evaluations[${i}].name '${e.name}' is used twice`, 'give each evaluation its own name');
    names.add(e.name);
    check.text(`evaluations[${i}].observation`, e.observation, MAX_OBSERVATION, 'what the evaluation found');
    check.optionalText(`evaluations[${i}].evaluationJobArn`, e.evaluationJobArn, 256);
    const datasets = e.datasets ?? [];
    if (datasets.length > MAX_EVALUATION_DATASETS) {
      check.fail(`evaluations[${i}].datasets has ${datasets.length} locations, more than the ${MAX_EVALUATION_DATASETS} a model card holds`,
        'list the evaluation data as a manifest');
    }
    datasets.forEach((d, j) => check.text(`evaluations[${i}].datasets[${j}]`, d, MAX_SHORT_TEXT, 'where the evaluation data is'));
    (e.metrics ?? []).forEach((m, j) => checkMetric(check, `evaluations[${i}].metrics[${j}]`, m));
  });
}

function checkMetric(check: FieldCheck, path: string, metric: EvaluationMetric): void {
  check.text(`${path}.name`, metric.name, 255, 'what was measured');
  if (!Token.isUnresolved(metric.value) && (typeof metric.value !== 'number' || !Number.isFinite(metric.value))) {
    check.fail(`${path}.value is ${metric.value}, not a finite number`, 'give the measured value');
  }
  check.optionalText(`${path}.notes`, metric.notes, MAX_SHORT_TEXT);
}

function renderEvaluation(e: ModelEvaluation): sagemaker.CfnModelCard.EvaluationDetailProperty {
  return {
    name: e.name,
    evaluationObservation: e.observation,
    datasets: e.datasets && e.datasets.length > 0 ? e.datasets : undefined,
    evaluationJobArn: e.evaluationJobArn,
  };
}

/**
 * The metric groups of the evaluations, as property overrides (`Content.EvaluationDetails.<i>.MetricGroups`) in
 * CloudFormation's spelling. CloudFormation's SimpleMetric.Value is a number, but the L1 types it as JSON and its
 * validator rejects a bare number, so the groups bypass the L1 (checked above instead).
 */
export function metricGroupOverrides(evaluations: ModelEvaluation[]): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  evaluations.forEach((e, i) => {
    const metrics = e.metrics ?? [];
    if (metrics.length === 0) return;
    overrides[`Content.EvaluationDetails.${i}.MetricGroups`] = [{
      Name: 'results',
      MetricData: metrics.map((m) => ({ Name: m.name, Type: 'number', Value: m.value, Notes: m.notes })),
    }];
  });
  return overrides;
}

function bullets(items: string[]): string {
  return items.map((i) => `- ${i.trim()}`).join('\n');
}

/** Collects the checks of one card, so that each error names the card, the prop and the fix alike. */
class FieldCheck {
  public constructor(private readonly id: string) {}

  public fail(problem: string, fix: string): never {
    throw new Error(`ModelCard ${this.id}: ${problem}. Fix: ${fix}.`);
  }

  public text(prop: string, value: string | undefined, max: number, what: string): void {
    if (value !== undefined && Token.isUnresolved(value)) return;
    if (typeof value !== 'string' || value.trim() === '') this.fail(`${prop} is empty`, `give ${what}`);
    if (value.length > max) this.fail(`${prop} is ${value.length} characters long, over the model card limit of ${max}`, `shorten it to at most ${max} characters`);
  }

  public optionalText(prop: string, value: string | undefined, max: number): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (value.trim() === '') this.fail(`${prop} is blank`, 'give a value or leave it unset');
    if (value.length > max) this.fail(`${prop} is ${value.length} characters long, over the model card limit of ${max}`, `shorten it to at most ${max} characters`);
  }

  public list(prop: string, values: string[], what: string): void {
    if (!Array.isArray(values) || values.length === 0) this.fail(`${prop} is empty`, `list ${what}`);
    values.forEach((v, i) => this.text(`${prop}[${i}]`, v, MAX_TEXT, what));
  }

  /** The rendered text when it fits the schema field; throws naming the props it came from when it does not. */
  public fits(props: string, field: string, text: string, max: number): string {
    if (text.length > max) {
      this.fail(`${props} render to ${text.length} characters in ${field}, over the model card limit of ${max}`,
        'shorten the entries, or link a longer document from one of them');
    }
    return text;
  }
}
