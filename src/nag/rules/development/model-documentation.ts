import { Answer, COMPLIANT, Judgement, nonCompliant, NOT_APPLICABLE, NOT_KNOWN, RuleResult, unverifiable } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, Expression, isPlainObject, readPath, ResourceReference, UnknownValue, unknownOf, Value } from '../../engine/values';
import { appHasMadeBy, madeBy } from '../../knowledge/library-origin';
import { cardsFor } from '../../knowledge/model-cards';
import { containersOf } from '../../knowledge/model-containers';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';


function text(value: Value): Answer {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (typeof value === 'string') return value.trim() !== '';
  return value instanceof ResourceReference || value instanceof Expression;
}

function block(value: Value): Answer {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  return isPlainObject(value) && Object.keys(value).length > 0;
}

/** A risk rating that records an assessment: set, and not `Unknown`. */
function riskRating(value: Value): Answer {
  const answer = text(value);
  if (answer !== true) return answer;
  return !(typeof value === 'string' && value.trim().toLowerCase() === 'unknown');
}

function either(a: Answer, b: Answer): Answer {
  if (a === true || b === true) return true;
  return a instanceof UnknownValue ? a : b;
}

/** The fields a card must fill, in the CloudFormation (PascalCase) and model-card JSON (snake_case) spellings. */
const FIELDS: ReadonlyArray<{ readonly name: string; readonly test: (read: (pascal: string, snake: string) => Value) => Answer }> = [
  {
    name: 'ModelOverview.ModelName or ModelId',
    test: (read) => either(text(read('ModelOverview.ModelName', 'model_overview.model_name')), text(read('ModelOverview.ModelId', 'model_overview.model_id'))),
  },
  { name: 'IntendedUses.PurposeOfModel', test: (read) => text(read('IntendedUses.PurposeOfModel', 'intended_uses.purpose_of_model')) },
  { name: 'IntendedUses.IntendedUses', test: (read) => text(read('IntendedUses.IntendedUses', 'intended_uses.intended_uses')) },
  { name: 'IntendedUses.RiskRating (other than Unknown)', test: (read) => riskRating(read('IntendedUses.RiskRating', 'intended_uses.risk_rating')) },
  {
    name: 'AdditionalInformation.CaveatsAndRecommendations',
    test: (read) => text(read('AdditionalInformation.CaveatsAndRecommendations', 'additional_information.caveats_and_recommendations')),
  },
  { name: 'TrainingDetails', test: (read) => block(read('TrainingDetails', 'training_details')) },
];

function judgeFields(name: string, forms: Array<(pascal: string, snake: string) => Value>): Judgement {
  const missing: string[] = [];
  let open: UnknownValue | undefined;
  for (const field of FIELDS) {
    const answers = forms.map((read) => field.test(read));
    if (answers.some((a) => a === false)) missing.push(field.name);
    else open = open ?? answers.find((a): a is UnknownValue => a instanceof UnknownValue);
  }
  if (missing.length > 0) return { answer: false, detail: `${name} leaves empty ${missing.join(', ')}` };
  if (open) return { answer: NOT_KNOWN, detail: `${name} cannot be read at synth time (${open.reason})` };
  return { answer: true, detail: name };
}

/** Judges an `AWS::SageMaker::ModelCard` resource. */
function judgeCard(card: IndexedResource): Judgement {
  const contents = card.get('Content');
  return judgeFields(`model card ${card.logicalId}`, contents.map((b) => (pascal: string) => readPath(b.value, pascal.split('.'))));
}

/** The model-card JSON a package embeds: parsed, `undefined` when absent, unknown when it cannot be read. */
function embeddedContent(value: Value): Value {
  if (value === undefined || isPlainObject(value)) return value;
  if (typeof value !== 'string') return unknownOf(value) ?? new UnknownValue('ModelCardContent built at deploy time');
  try {
    const parsed: unknown = JSON.parse(value);
    return isPlainObject(parsed) ? parsed : new UnknownValue('ModelCardContent is not a JSON object');
  } catch {
    return new UnknownValue('ModelCardContent is not valid JSON');
  }
}

/** Judges the card a model package embeds (`ModelCard.ModelCardContent`); undefined when it has none. */
function judgeEmbedded(pkg: IndexedResource): Judgement | undefined {
  const forms = pkg.get('ModelCard.ModelCardContent');
  if (forms.every((b) => b.value === undefined)) return undefined;
  return judgeFields(`the model card of package ${pkg.logicalId}`,
    forms.map((b) => (_pascal: string, snake: string) => readPath(embeddedContent(b.value), snake.split('.'))));
}

/** The documentation of a model package: its embedded card and the card resources that document it. */
function packageDocumentation(index: ResourceIndex, pkg: IndexedResource): Judgement[] {
  const found = cardsFor(index, pkg).map(judgeCard);
  const embedded = judgeEmbedded(pkg);
  if (embedded) found.push(embedded);
  return found;
}

function best(found: readonly Judgement[]): Judgement | undefined {
  return found.find((d) => d.answer === true) ?? found.find((d) => d.answer instanceof UnknownValue) ?? found[0];
}

function verdictOf(subject: string, found: readonly Judgement[], outside: readonly string[]): RuleResult {
  const doc = best(found);
  if (doc?.answer === true) return COMPLIANT;
  if (outside.length > 0 && doc?.answer !== false) {
    return unverifiable(`${subject} has no model card in the app; it deploys ${outside.join(', ')}, which is not in the app, so its card cannot be read`);
  }
  if (doc?.answer instanceof UnknownValue) return unverifiable(`whether ${subject} is documented cannot be verified: ${doc.detail}`);
  const problem = doc ? doc.detail : 'has no model card (no AWS::SageMaker::ModelCard documents it, and no model package card)';
  return nonCompliant(`${subject} ${doc ? `is documented by a card that is incomplete: ${problem}` : problem}: its purpose, intended uses, `
    + 'risk rating, limitations and training data are not recorded for the people who deploy, use and audit it');
}

export const modelDocumentation: RuleDefinition = {
  title: 'Every model and model package has a complete model card',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Document your data, models and prompts',
  quote: 'include model cards, data cards and software bills of materials (SBOMs) … intended scope and limitations',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::Model', 'AWS::SageMaker::ModelPackage'],
  compliantWhen: 'every `AWS::SageMaker::Model` and `AWS::SageMaker::ModelPackage` has a model card that fills '
    + '`ModelOverview.ModelName` (or `ModelId`), `IntendedUses.PurposeOfModel`, `IntendedUses.IntendedUses`, `IntendedUses.RiskRating` '
    + '(not `Unknown`), `AdditionalInformation.CaveatsAndRecommendations` and `TrainingDetails`: an `AWS::SageMaker::ModelCard` of the app '
    + 'that references or names it (`Content.*`), or the card a package embeds (`ModelCard.ModelCardContent`, snake_case JSON); a model is '
    + 'also documented by the card of the model package it deploys. A model deploying a package outside the app, with no card of its own, is '
    + 'unverifiable',
  explanation: 'A model card is where the guideline\'s documentation lives: what the model is for, what it must not be used for, how risky '
    + 'it is, its known limitations and where its training data came from. Without it the people who deploy, use and audit the model cannot '
    + 'judge whether a use is in scope, and security-relevant facts about its data and failure modes are lost.',
  fix: 'Add a sagemaker.CfnModelCard per model (content.modelOverview.modelName, intendedUses.{purposeOfModel, intendedUses, riskRating}, '
    + 'additionalInformation.caveatsAndRecommendations, trainingDetails), or embed the card in the model package (modelCard.modelCardContent).',
  fixByType: {
    'AWS::SageMaker::Model': 'Add a sagemaker.CfnModelCard whose content.modelOverview.modelId is the model (model.ref) or whose modelName is '
      + 'its name, filling intendedUses.{purposeOfModel, intendedUses, riskRating}, additionalInformation.caveatsAndRecommendations and '
      + 'trainingDetails; or deploy a model package that embeds its card.',
    'AWS::SageMaker::ModelPackage': 'Embed the card in the package (modelCard.modelCardContent, snake_case JSON with model_overview, '
      + 'intended_uses.{purpose_of_model, intended_uses, risk_rating}, additional_information.caveats_and_recommendations, training_details), '
      + 'or add a sagemaker.CfnModelCard that references the package.',
  },
  peers: '',
  coverage: PeerCoverage.NONE,
  fixFor(resource, context) {
    if (madeBy(resource) !== 'InferenceEndpoint') return undefined;
    return appHasMadeBy(context.index, 'AWS::SageMaker::ModelCard', 'ModelCard')
      ? 'Link the app\'s ModelCard to this model: set its modelId to the endpoint\'s model (modelId: endpoint.model.ref), and fill '
        + 'intendedUses, riskRating, limitations and trainingData.'
      : 'Compose a ModelCard beside the InferenceEndpoint with modelId: endpoint.model.ref (its purpose, intendedUses, riskRating, '
        + 'limitations, trainingData and evaluations).';
  },
  check(resource, context) {
    const index = context.index;
    if (resource.type === 'AWS::SageMaker::ModelPackage') {
      return verdictOf(`model package ${resource.logicalId}`, packageDocumentation(index, resource), []);
    }
    const found = cardsFor(index, resource).map(judgeCard);
    const outside: string[] = [];
    const { containers } = containersOf(resource);
    for (const { container } of containers) {
      const name = container.ModelPackageName;
      if (name === undefined) continue;
      const pkg = index.resolveAs('AWS::SageMaker::ModelPackage', name);
      if (pkg) found.push(...packageDocumentation(index, pkg));
      else outside.push(`model package ${describe(name)}`);
    }
    if (containers.length === 0 && found.length === 0) return NOT_APPLICABLE;
    return verdictOf(`model ${resource.logicalId}`, found, outside);
  },
};
