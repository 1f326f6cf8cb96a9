import { Judgement, NOT_KNOWN } from '../../engine/checks';
import { describe, UnknownValue, Value } from '../../engine/values';
import { acts, allChecks, coversText, isEnum, isSwitchedOn, judgeEntriesAt } from '../../knowledge/bedrock-guardrails';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const FILTERS = 'ContentPolicyConfig.FiltersConfig';
const CATEGORIES = ['HATE', 'INSULTS', 'SEXUAL', 'VIOLENCE', 'MISCONDUCT'];

function judgeFilter(category: string, filter: Record<string, Value>): Judgement {
  return allChecks([
    { answer: isEnum(filter.Type, category), problem: `a filter's Type is ${describe(filter.Type)}` },
    { answer: isEnum(filter.OutputStrength, 'MEDIUM', 'HIGH'), problem: `${category} has OutputStrength ${describe(filter.OutputStrength)}, not MEDIUM or HIGH` },
    { answer: isSwitchedOn(filter.OutputEnabled), problem: `${category} has OutputEnabled ${describe(filter.OutputEnabled)}` },
    { answer: acts(filter.OutputAction), problem: `${category} has OutputAction ${describe(filter.OutputAction)} (detect only)` },
    { answer: coversText(filter.OutputModalities), problem: `${category} has OutputModalities ${describe(filter.OutputModalities)}, without TEXT` },
  ]);
}

/** The best verdict over the filters that may be of `category`. */
function judgeCategory(category: string, filters: ReadonlyArray<Record<string, Value>>): Judgement {
  const verdicts = filters.filter((f) => isEnum(f.Type, category) !== false).map((f) => judgeFilter(category, f));
  if (verdicts.length === 0) return { answer: false, detail: `${category} has no filter` };
  return verdicts.find((v) => v.answer === true) ?? verdicts.find((v) => v.answer instanceof UnknownValue) ?? verdicts[0];
}

function judgeFilters(filters: ReadonlyArray<Record<string, Value>>): Judgement {
  const verdicts = CATEGORIES.map((c) => judgeCategory(c, filters));
  const failing = verdicts.filter((v) => v.answer === false);
  if (failing.length > 0) {
    return {
      answer: false,
      detail: `${FILTERS} does not block harmful model output: ${failing.map((v) => v.detail).join('; ')}. Hateful, insulting, sexual, `
        + 'violent or criminal content the model generates reaches users',
    };
  }
  const open = verdicts.find((v) => v.answer instanceof UnknownValue);
  return open ? { answer: NOT_KNOWN, detail: `the output filters cannot be verified at synth time: ${open.detail}` } : { answer: true, detail: '' };
}

export const outputContentFilters: RuleDefinition = {
  title: 'Guardrails filter harmful content in model outputs',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'effective guardrails around model outputs',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::Bedrock::Guardrail'],
  compliantWhen: '`ContentPolicyConfig.FiltersConfig[]` has a filter for each of HATE, INSULTS, SEXUAL, VIOLENCE and MISCONDUCT with '
    + '`OutputStrength` MEDIUM or HIGH, `OutputEnabled` not false, `OutputAction` not `NONE` and `OutputModalities` (when given) '
    + 'including TEXT, in every form of the template',
  explanation: 'Content filters on the output side are what stops the model\'s own harmful generations, including those an attacker '
    + 'provokes, from reaching users. A missing category, a LOW or NONE strength, or a filter in detect-only mode leaves that kind '
    + 'of output unguarded.',
  fix: 'In contentPolicyConfig.filtersConfig of the CfnGuardrail, add a filter for each of HATE, INSULTS, SEXUAL, VIOLENCE and '
    + 'MISCONDUCT with outputStrength MEDIUM or HIGH, leaving outputEnabled and outputAction at their defaults (true, BLOCK).',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource) {
    return judgeEntriesAt(resource, FILTERS, judgeFilters);
  },
};
