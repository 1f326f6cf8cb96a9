import { combine, expectProperty, isOneOf, judge, Judgement, normaliseEnum, was } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { cardsFor, judgeCard, judgeEmbeddedCard } from '../../knowledge/model-cards';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const isApproved = isOneOf('Approved');

/** Whether a value holds, anywhere inside, an `S3Uri` that is set: a metrics report or statistics file. */
function hasMetricsReport(value: Value, depth = 0): boolean | UnknownValue {
  if (depth > 8) return false;
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (!isPlainObject(value)) return false;
  let open: UnknownValue | undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'S3Uri' && inner !== undefined && inner !== '') return true;
    const found = hasMetricsReport(inner, depth + 1);
    if (found === true) return true;
    if (found instanceof UnknownValue) open = open ?? found;
  }
  return open ?? false;
}

/** Whether the package carries evaluation evidence: metrics reports, or an approved model card with evaluation details. */
function evidenceOf(index: ResourceIndex, pkg: IndexedResource): Judgement {
  const metrics = pkg.get('ModelMetrics').map((b) => hasMetricsReport(b.value));
  if (metrics.every((a) => a === true)) return { answer: true, detail: 'ModelMetrics' };
  const cards: Judgement[] = cardsFor(index, pkg).map((c) => judgeCard(c, false));
  const embedded = judgeEmbeddedCard(pkg, false);
  if (embedded) cards.unshift(embedded);
  if (cards.some((c) => c.answer === true)) return { answer: true, detail: 'an approved model card' };
  const openMetrics = metrics.find((a): a is UnknownValue => a instanceof UnknownValue);
  const openCard = cards.find((c) => c.answer instanceof UnknownValue);
  if (openMetrics || openCard) {
    return { answer: new UnknownValue(openCard ? openCard.detail : `ModelMetrics ${openMetrics!.reason}`), detail: '' };
  }
  const cardText = cards.length > 0 ? `; ${cards.map((c) => c.detail).join('; ')}` : '; no model card documents it';
  return { answer: false, detail: `ModelMetrics has no metrics report (S3Uri)${cardText}` };
}

export const modelReleaseEvaluation: RuleDefinition = {
  title: 'Model packages are approved only with evaluation evidence, and never skip validation',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Release AI responsibly',
  quote: 'only after subjecting them to appropriate and effective security evaluation such as benchmarking and red teaming',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::ModelPackage'],
  compliantWhen: '`SkipModelValidation` is not `All`; and a package created with `ModelApprovalStatus: Approved` (any spelling, in any '
    + 'form) carries evaluation evidence: `ModelMetrics` with a report `S3Uri`, or an approved model card with evaluation details '
    + '(`ModelCard.ModelCardStatus: Approved` with `evaluation_details` in `ModelCardContent`, or an `AWS::SageMaker::ModelCard` that '
    + 'references the package with `ModelCardStatus: Approved` and `Content.EvaluationDetails`)',
  explanation: 'Approving a model package is the release decision: approved packages are what pipelines deploy. A package approved in '
    + 'the template itself, without metrics or an evaluated model card, was released without the benchmarking and red teaming the '
    + 'guideline asks for; skipping model validation removes the check that the model runs as packaged at all.',
  fix: 'Create packages as PendingManualApproval and approve them after evaluation, or attach the evaluation: ModelMetrics '
    + '(ModelQuality/Bias/Explainability reports with S3Uri) or a ModelCard with ModelCardStatus Approved and evaluation_details. '
    + 'Leave SkipModelValidation unset or None.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    let evidence: Judgement | undefined;
    const evidenceOnce = () => (evidence = evidence ?? evidenceOf(context.index, resource));
    const approval = judge(resource.get('ModelApprovalStatus'), 'Properties.ModelApprovalStatus', (v) => {
      const approved = isApproved(v);
      if (approved === false) return true;
      const found = evidenceOnce().answer;
      // An approval status not known at synth time matters only when evidence is missing.
      return approved instanceof UnknownValue && found === false ? approved : found;
    }, (v) => `ModelApprovalStatus ${was(v)} but the package carries no evaluation evidence (${evidenceOnce().detail}): it is released `
      + 'for deployment without recorded benchmarking or red-teaming results', 'ModelApprovalStatus');
    const skip = expectProperty(resource, 'SkipModelValidation', (v) => {
      const unknown = unknownOf(v);
      if (unknown) return unknown;
      return !(typeof v === 'string' && normaliseEnum(v) === 'all');
    }, (v) => `SkipModelValidation ${was(v)}: SageMaker does not validate that the packaged model can be deployed and run`);
    return combine(approval, skip);
  },
};
