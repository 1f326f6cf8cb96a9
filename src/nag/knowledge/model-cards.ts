import { isOneOf, Judgement, NOT_KNOWN } from '../engine/checks';
import { DeclaredAnswers } from '../engine/declared-answers';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { describe, Expression, isPlainObject, ResourceReference, UnknownValue, unknownOf, Value } from '../engine/values';

/**
 * Model cards as release evidence (P22, P23): which cards document a model or model package, and whether a card is
 * approved, carries evaluation results and, when asked, states caveats and recommendations.
 */

const isApproved = isOneOf('Approved');

/** Whether a value is a non-empty list; unknown when it cannot be known. */
function nonEmptyList(value: Value): boolean | UnknownValue {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  return Array.isArray(value) && value.length > 0;
}

/** Whether a value is a non-blank string (or a string built at deploy time). */
function nonEmptyText(value: Value): boolean | UnknownValue {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (typeof value === 'string') return value.trim() !== '';
  return value instanceof ResourceReference || value instanceof Expression;
}

/** Folds the answers about a card's fields, each with what it says when it fails. */
function verdictOf(name: string, checks: Array<{ answers: Array<boolean | UnknownValue>; failure: string }>): Judgement {
  const failures = checks.filter((c) => c.answers.some((a) => a === false)).map((c) => c.failure);
  if (failures.length > 0) return { answer: false, detail: `${name} ${failures.join(', ')}` };
  const unknown = checks.flatMap((c) => c.answers).find((a): a is UnknownValue => a instanceof UnknownValue);
  if (unknown) return { answer: NOT_KNOWN, detail: `${name} cannot be read at synth time (${unknown.reason})` };
  return { answer: true, detail: name };
}

/** Judges an `AWS::SageMaker::ModelCard` resource. */
export function judgeCard(card: IndexedResource, needCaveats: boolean): Judgement {
  const status = card.get('ModelCardStatus');
  const checks = [
    { answers: status.map((b) => isApproved(b.value)), failure: `has ModelCardStatus ${status.map((b) => describe(b.value)).join(' or ')}, not Approved` },
    { answers: card.get('Content.EvaluationDetails').map((b) => nonEmptyList(b.value)), failure: 'has no Content.EvaluationDetails' },
  ];
  if (needCaveats) {
    checks.push({
      answers: card.get('Content.AdditionalInformation.CaveatsAndRecommendations').map((b) => nonEmptyText(b.value)),
      failure: 'has no Content.AdditionalInformation.CaveatsAndRecommendations',
    });
  }
  return verdictOf(`model card ${card.logicalId}`, checks);
}

/** Judges the card embedded in a model package (`ModelCard.ModelCardStatus`, `ModelCard.ModelCardContent` JSON); undefined when it has none. */
export function judgeEmbeddedCard(pkg: IndexedResource, needCaveats: boolean): Judgement | undefined {
  const forms = pkg.get('ModelCard');
  if (forms.every((b) => b.value === undefined)) return undefined;
  const status: Array<boolean | UnknownValue> = [];
  const evaluation: Array<boolean | UnknownValue> = [];
  const caveats: Array<boolean | UnknownValue> = [];
  for (const { value } of forms) {
    if (!isPlainObject(value)) {
      const unknown = unknownOf(value) ?? (value === undefined ? false : new UnknownValue('ModelCard is not an object'));
      [status, evaluation, caveats].forEach((list) => list.push(unknown));
      continue;
    }
    status.push(isApproved(value.ModelCardStatus));
    const content = readContent(value.ModelCardContent);
    if (content instanceof UnknownValue || content === false) {
      evaluation.push(content);
      caveats.push(content);
      continue;
    }
    evaluation.push(nonEmptyList(content.evaluation_details));
    const info = content.additional_information;
    caveats.push(isPlainObject(info) ? nonEmptyText(info.caveats_and_recommendations) : false);
  }
  const checks = [
    { answers: status, failure: 'is not Approved (ModelCard.ModelCardStatus)' },
    { answers: evaluation, failure: 'has no evaluation_details in ModelCard.ModelCardContent' },
  ];
  if (needCaveats) checks.push({ answers: caveats, failure: 'has no additional_information.caveats_and_recommendations in ModelCard.ModelCardContent' });
  return verdictOf(`the model card of package ${pkg.logicalId}`, checks);
}

/** The model-card JSON of a package: parsed, `false` when absent, unknown when built at deploy time or not JSON. */
function readContent(content: Value): Record<string, Value> | false | UnknownValue {
  if (content === undefined) return false;
  if (isPlainObject(content)) return content;
  if (typeof content !== 'string') return unknownOf(content) ?? new UnknownValue('ModelCardContent built at deploy time');
  try {
    const parsed: unknown = JSON.parse(content);
    return isPlainObject(parsed) ? parsed : false;
  } catch {
    return new UnknownValue('ModelCardContent is not valid JSON');
  }
}

/**
 * The `AWS::SageMaker::ModelCard` resources that are created and document a model or model package of the app. Every
 * card the app declares is kept with what it documents, found once per run; only the conditions of this target's cards
 * are read, so that a model is not judged again for the parameters of every stack.
 */
export function cardsFor(index: ResourceIndex, target: IndexedResource): readonly IndexedResource[] {
  const lookup = index.memo(cardsFor, () => {
    const found = new DeclaredAnswers<IndexedResource, IndexedResource>();
    for (const card of index.declaredOfType('AWS::SageMaker::ModelCard')) {
      // What the card documents, each once, with the resources the card's claim rests on besides itself.
      const documented = new Map<IndexedResource, IndexedResource[]>();
      for (const ref of index.declaredReferencesFrom(card)) {
        // A reference counts only while the referenced model is created.
        if (ref.target.type === 'AWS::SageMaker::Model' || ref.target.type === 'AWS::SageMaker::ModelPackage') {
          if (!documented.has(ref.target)) documented.set(ref.target, [ref.target]);
        }
      }
      // A card that names its model by the model's literal name documents it whether or not the model is created.
      for (const path of ['Content.ModelOverview.ModelName', 'Content.ModelOverview.ModelId']) {
        for (const b of card.get(path)) {
          const model = typeof b.value === 'string' ? index.resolveAs('AWS::SageMaker::Model', b.value) : undefined;
          if (model) documented.set(model, []);
        }
      }
      for (const [model, restsOn] of documented) found.add(model, card, card, ...restsOn);
    }
    return found;
  });
  return lookup.created(index, target);
}
