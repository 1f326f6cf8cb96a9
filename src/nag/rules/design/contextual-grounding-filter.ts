import { Judgement, NOT_APPLICABLE, NOT_KNOWN, unverifiable, Verdict } from '../../engine/checks';
import { describe, UnknownValue, Value } from '../../engine/values';
import {
  acts, allChecks, guardrailUsers, isAtLeastNumber, isEnum, isSwitchedOn, judgeEntriesAt,
} from '../../knowledge/bedrock-guardrails';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const FILTERS = 'ContextualGroundingPolicyConfig.FiltersConfig';
const TYPES = ['GROUNDING', 'RELEVANCE'];

function judgeType(type: string, filters: ReadonlyArray<Record<string, Value>>, minimum: number): Judgement {
  const verdicts = filters.filter((f) => isEnum(f.Type, type) !== false).map((f) => allChecks([
    { answer: isEnum(f.Type, type), problem: `a filter's Type is ${describe(f.Type)}` },
    { answer: isAtLeastNumber(f.Threshold, minimum), problem: `${type} has Threshold ${describe(f.Threshold)}, below ${minimum}` },
    { answer: isSwitchedOn(f.Enabled), problem: `${type} has Enabled ${describe(f.Enabled)}` },
    { answer: acts(f.Action), problem: `${type} has Action ${describe(f.Action)} (detect only)` },
  ]));
  if (verdicts.length === 0) return { answer: false, detail: `${type} has no filter` };
  return verdicts.find((v) => v.answer === true) ?? verdicts.find((v) => v.answer instanceof UnknownValue) ?? verdicts[0];
}

export const contextualGroundingFilter: RuleDefinition = {
  title: 'Guardrails of retrieval-augmented agents check grounding and relevance',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'effective guardrails around model outputs',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::Bedrock::Guardrail'],
  compliantWhen: 'for guardrails attached to an `AWS::Bedrock::Agent` with `KnowledgeBases[]` (or to a KnowledgeBase node of an '
    + '`AWS::Bedrock::Flow`): `ContextualGroundingPolicyConfig.FiltersConfig[]` has a GROUNDING and a RELEVANCE filter, each with '
    + '`Threshold` ≥ the pack\'s `minimumGroundingThreshold` (default 0.5), `Enabled` not false and `Action` not `NONE`. Guardrails '
    + 'used by no retrieval in the app are not applicable',
  explanation: 'A retrieval-augmented agent answers from documents that an attacker may have planted or that do not answer the '
    + 'question. Contextual-grounding checks block responses that are not supported by the retrieved sources (hallucinated or '
    + 'injected content) or that are irrelevant to the query; without them, or with a threshold so low that nearly everything passes, '
    + 'poisoned or made-up answers reach users.',
  fix: 'Add contextualGroundingPolicyConfig.filtersConfig to the CfnGuardrail with { type: \'GROUNDING\', threshold: 0.75 } and '
    + '{ type: \'RELEVANCE\', threshold: 0.75 } (at least minimumGroundingThreshold), leaving enabled and action at their defaults.',
  peers: 'PRW bedrock_guardrail_contextual_grounding_filter_enabled',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource, context) {
    const uses = guardrailUsers(context.index, resource).filter((u) => u.retrieval !== false);
    if (uses.length === 0) return NOT_APPLICABLE;
    const minimum = context.parameters.minimumGroundingThreshold;
    const result = judgeEntriesAt(resource, FILTERS, (filters) => {
      const verdicts = TYPES.map((t) => judgeType(t, filters, minimum));
      const failing = verdicts.filter((v) => v.answer === false);
      if (failing.length > 0) return { answer: false, detail: `${FILTERS}: ${failing.map((v) => v.detail).join('; ')}` };
      const open = verdicts.find((v) => v.answer instanceof UnknownValue);
      return open ? { answer: NOT_KNOWN, detail: `${FILTERS} cannot be verified at synth time: ${open.detail}` } : { answer: true, detail: '' };
    });
    if (result.verdict !== Verdict.NON_COMPLIANT) return result;
    const sure = uses.filter((u) => u.retrieval === true);
    const via = (sure.length > 0 ? sure : uses).map((u) => u.via).join(', ');
    const message = `${result.message}. This guardrail screens answers built from knowledge bases (${via}): ungrounded or `
      + 'irrelevant responses, including those steered by poisoned documents, reach users';
    return sure.length > 0 ? { ...result, message } : unverifiable(`the knowledge bases of ${via} are not known at synth time; if it `
      + `retrieves from any: ${message}`, ...(result.locations ?? []));
  },
};
