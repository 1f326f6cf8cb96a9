import { COMPLIANT, Judgement, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable, Verdict } from '../../engine/checks';
import { DeclaredAnswers } from '../../engine/declared-answers';
import { listOf } from '../../engine/lists';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, UnknownValue, Value } from '../../engine/values';
import { isProduction } from '../../knowledge/environment-tags';
import { appHasMadeBy, madeBy } from '../../knowledge/library-origin';
import { cardsFor, judgeCard, judgeEmbeddedCard } from '../../knowledge/model-cards';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** The stack tag that points an agent alias at its evaluation report. */
const EVALUATION_REPORT_TAG = 'ai:evaluation-report';

/** The inference components the app declares, by the endpoint they run on, found once per run; a rule keeps those created. */
interface Lookup {
  readonly components: DeclaredAnswers<IndexedResource, IndexedResource>;
}

function lookupFor(index: ResourceIndex): Lookup {
  return index.memo(lookupFor, () => {
    const lookup: Lookup = { components: new DeclaredAnswers() };
    for (const component of index.declaredOfType('AWS::SageMaker::InferenceComponent')) {
      const endpoints = new Set(component.get('EndpointName').map((b) => index.resolveAs('AWS::SageMaker::Endpoint', b.value)));
      for (const endpoint of endpoints) if (endpoint) lookup.components.add(endpoint, component, component);
    }
    return lookup;
  });
}

/** A resource named by a reference or by its literal name; a description of the name when it is outside the app. */
function named(index: ResourceIndex, value: Value, type: string): IndexedResource | string {
  return index.resolveAs(type, value) ?? describe(value);
}

/** The models an endpoint serves, and the names of those it names that are not in the app. */
function modelsOf(index: ResourceIndex, lookup: Lookup, endpoint: IndexedResource): { models: Set<IndexedResource>; outside: string[] } {
  const models = new Set<IndexedResource>();
  const outside: string[] = [];
  const addModel = (value: Value, via: string): void => {
    if (value === undefined) return;
    const model = named(index, value, 'AWS::SageMaker::Model');
    if (typeof model === 'string') outside.push(`model ${model} (${via})`);
    else models.add(model);
  };
  for (const b of endpoint.get('EndpointConfigName')) {
    const config = named(index, b.value, 'AWS::SageMaker::EndpointConfig');
    if (typeof config === 'string') {
      outside.push(`endpoint configuration ${config}`);
      continue;
    }
    for (const v of config.get('ProductionVariants')) {
      if (v.value instanceof UnknownValue) outside.push(`the production variants of ${config.logicalId}`);
      for (const variant of listOf(v.value)) if (isPlainObject(variant)) addModel(variant.ModelName, `variant of ${config.logicalId}`);
    }
  }
  // Only the conditions of this endpoint's components are read, not every stack's.
  for (const component of lookup.components.created(index, endpoint)) {
    component.get('Specification.ModelName').forEach((b) => addModel(b.value, `inference component ${component.logicalId}`));
  }
  return { models, outside };
}

/** The best model card of a model: its own cards, and those of the model package it deploys. */
function cardOf(index: ResourceIndex, model: IndexedResource): Judgement | undefined {
  const verdicts: Judgement[] = cardsFor(index, model).map((c) => judgeCard(c, true));
  for (const path of ['PrimaryContainer.ModelPackageName', 'Containers']) {
    for (const b of model.get(path)) {
      const names = path === 'Containers' ? listOf(b.value).map((c) => (isPlainObject(c) ? c.ModelPackageName : undefined)) : [b.value];
      for (const name of names) {
        const pkg = name === undefined ? undefined : index.resolve(name);
        if (!pkg || pkg.type !== 'AWS::SageMaker::ModelPackage') continue;
        const embedded = judgeEmbeddedCard(pkg, true);
        if (embedded) verdicts.push(embedded);
        cardsFor(index, pkg).forEach((c) => verdicts.push(judgeCard(c, true)));
      }
    }
  }
  return verdicts.find((v) => v.answer === true) ?? verdicts.find((v) => v.answer instanceof UnknownValue) ?? verdicts[0];
}

function checkEndpoint(index: ResourceIndex, endpoint: IndexedResource): RuleResult {
  const lookup = lookupFor(index);
  const { models, outside } = modelsOf(index, lookup, endpoint);
  if (models.size === 0 && outside.length === 0) return NOT_APPLICABLE;
  const bad: string[] = [];
  const open: string[] = [...outside.map((o) => `${o} is not in the app`)];
  for (const model of models) {
    const card = cardOf(index, model);
    if (!card) bad.push(`model ${model.logicalId} has no model card (AWS::SageMaker::ModelCard or a model package card)`);
    else if (card.answer === false) bad.push(`model ${model.logicalId}: ${card.detail}`);
    else if (card.answer instanceof UnknownValue) open.push(`model ${model.logicalId}: ${card.detail}`);
  }
  if (bad.length > 0) {
    return nonCompliant(`this production endpoint serves models whose limitations are not documented: ${bad.join('; ')}. Users are not `
      + 'told the known limitations and failure modes, and nothing records that the model was evaluated before release');
  }
  if (open.length > 0) return unverifiable(`whether the models of this production endpoint have approved model cards cannot be verified: ${open.join('; ')}`);
  return COMPLIANT;
}

function checkAlias(index: ResourceIndex, alias: IndexedResource): RuleResult {
  const holders = [alias, ...alias.get('AgentId').map((b) => index.resolve(b.value)).filter((r): r is IndexedResource => r?.type === 'AWS::Bedrock::Agent')];
  let open = false;
  for (const holder of holders) {
    const forms = holder.tags();
    const reports = forms.map((tags) => (tags instanceof UnknownValue ? tags : tags.get(EVALUATION_REPORT_TAG)));
    if (reports.every((r) => typeof r === 'string' && r.trim() !== '')) return COMPLIANT;
    if (reports.some((r) => r instanceof UnknownValue || (r !== undefined && typeof r !== 'string'))) open = true;
  }
  if (open) return unverifiable(`the ${EVALUATION_REPORT_TAG} tag of this production agent alias cannot be read at synth time`, 'Properties.Tags');
  return nonCompliant(`this production agent alias has no ${EVALUATION_REPORT_TAG} tag (on the alias, its agent or the stack): nothing points `
    + 'users and auditors to the evaluation that found the agent fit to release, or to its known limitations', 'Properties.Tags');
}

export const endpointModelCard: RuleDefinition = {
  title: 'Production endpoints serve models with approved model cards; production agents point to their evaluation',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Release AI responsibly',
  quote: 'clear to your users about known limitations or potential failure modes',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::Endpoint', 'AWS::Bedrock::AgentAlias'],
  compliantWhen: 'for resources tagged (or in a stack tagged) Environment/Env/Stage = prod/production/prd/live: every model an '
    + '`AWS::SageMaker::Endpoint` serves (EndpointConfig production variants and inference components) has an '
    + '`AWS::SageMaker::ModelCard` (referencing the model or its model package, or naming it) or a model package card with '
    + '`ModelCardStatus: Approved`, non-empty `EvaluationDetails` and non-empty `AdditionalInformation.CaveatsAndRecommendations`; '
    + 'every `AWS::Bedrock::AgentAlias` carries an `ai:evaluation-report` tag (alias, agent or stack). Other environments are not applicable',
  explanation: 'A production model without an approved model card has no record of how it was evaluated and gives its users no '
    + 'statement of its limitations and failure modes, which the guideline asks to make clear before release. For Bedrock agents, '
    + 'which have no model card, the tag points to the evaluation report.',
  fix: 'Add a sagemaker.CfnModelCard for each deployed model (Content.ModelOverview.ModelName or ModelPackageDetails, EvaluationDetails '
    + 'with the benchmark and red-team results, AdditionalInformation.CaveatsAndRecommendations) with ModelCardStatus Approved; tag '
    + 'agent stacks with ai:evaluation-report=<link to the report>.',
  fixByType: {
    'AWS::SageMaker::Endpoint': 'Add a sagemaker.CfnModelCard for each model the endpoint serves (Content.ModelOverview.ModelId or '
      + 'ModelPackageDetails, EvaluationDetails with the benchmark and red-team results, AdditionalInformation.CaveatsAndRecommendations) '
      + 'with ModelCardStatus Approved, or deploy model packages whose embedded card is Approved.',
    'AWS::Bedrock::AgentAlias': 'Tag the alias, its agent or its stack with ai:evaluation-report=<link to the evaluation report>.',
  },
  fixFor(resource, context) {
    if (madeBy(resource) !== 'InferenceEndpoint') return undefined;
    return appHasMadeBy(context.index, 'AWS::SageMaker::ModelCard', 'ModelCard')
      ? 'Approve the ModelCard of the endpoint\'s model: status: ModelCardStatus.APPROVED with approvedBy, its evaluations and '
        + 'limitations filled, and modelId: endpoint.model.ref so that it names the model.'
      : 'Compose a ModelCard beside the InferenceEndpoint with modelId: endpoint.model.ref, its evaluations and limitations, and '
        + 'status: ModelCardStatus.APPROVED with approvedBy once reviewed.';
  },
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    const production = isProduction(resource);
    if (production === false) return NOT_APPLICABLE;
    const result = resource.type === 'AWS::Bedrock::AgentAlias' ? checkAlias(context.index, resource) : checkEndpoint(context.index, resource);
    if (production instanceof UnknownValue && result.verdict === Verdict.NON_COMPLIANT) {
      return unverifiable(`the environment tag is not known at synth time; if this is production: ${result.message}`, ...(result.locations ?? []));
    }
    return result;
  },
};
