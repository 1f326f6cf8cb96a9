import { Judgement, NOT_KNOWN } from '../../engine/checks';
import { describe, UnknownValue, Value } from '../../engine/values';
import { acts, allChecks, coversText, isEnum, isSwitchedOn, judgeEntriesAt } from '../../knowledge/bedrock-guardrails';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const FILTERS = 'ContentPolicyConfig.FiltersConfig';

function judgeFilter(filter: Record<string, Value>): Judgement {
  return allChecks([
    { answer: isEnum(filter.InputStrength, 'HIGH'), problem: `the PROMPT_ATTACK filter's InputStrength is ${describe(filter.InputStrength)}, not HIGH` },
    { answer: isSwitchedOn(filter.InputEnabled), problem: `the PROMPT_ATTACK filter's InputEnabled is ${describe(filter.InputEnabled)}: prompts are not screened` },
    { answer: acts(filter.InputAction), problem: `the PROMPT_ATTACK filter's InputAction is ${describe(filter.InputAction)}: attacks are detected but not blocked` },
    { answer: coversText(filter.InputModalities), problem: `the PROMPT_ATTACK filter's InputModalities ${describe(filter.InputModalities)} leave out TEXT` },
  ]);
}

function judgeFilters(filters: ReadonlyArray<Record<string, Value>>): Judgement {
  const candidates = filters.filter((f) => isEnum(f.Type, 'PROMPT_ATTACK') !== false);
  if (candidates.length === 0) {
    return { answer: false, detail: `${FILTERS} has no PROMPT_ATTACK filter: jailbreaks and prompt injection reach the model unscreened` };
  }
  const verdicts = candidates.map((f) => {
    const type = isEnum(f.Type, 'PROMPT_ATTACK');
    const v = judgeFilter(f);
    return type instanceof UnknownValue && v.answer !== false ? { answer: NOT_KNOWN, detail: `a filter's Type is ${describe(f.Type)}` } : v;
  });
  return verdicts.find((v) => v.answer === true) ?? verdicts.find((v) => v.answer instanceof UnknownValue)
    ?? { answer: false, detail: `${verdicts[0].detail}: jailbreaks and prompt injection are not reliably stopped` };
}

export const promptAttackFilter: RuleDefinition = {
  title: 'Guardrails block prompt attacks at high strength',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'you apply appropriate checks and sanitisation of data and inputs',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::Bedrock::Guardrail'],
  compliantWhen: '`ContentPolicyConfig.FiltersConfig[]` holds an entry with `Type: PROMPT_ATTACK`, `InputStrength: HIGH`, '
    + '`InputEnabled` not false, `InputAction` not `NONE` (absent is the blocking default) and `InputModalities` (when given) including '
    + 'TEXT, in every form of the template. `OutputStrength` is not judged: Bedrock requires NONE for this type',
  explanation: 'The prompt-attack filter is the guardrail\'s check of inputs for jailbreaks and prompt injection, direct or hidden in '
    + 'retrieved content. Below HIGH strength, switched off for inputs, or in detect-only mode it lets the attacks that most often '
    + 'subvert an LLM application through to the model.',
  fix: 'Add { type: \'PROMPT_ATTACK\', inputStrength: \'HIGH\', outputStrength: \'NONE\' } to contentPolicyConfig.filtersConfig of the '
    + 'CfnGuardrail, and leave inputEnabled and inputAction at their defaults (true, BLOCK).',
  peers: 'PRW bedrock_guardrail_prompt_attack_filter_enabled (requires HIGH)',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource) {
    return judgeEntriesAt(resource, FILTERS, judgeFilters);
  },
};
