import { Judgement, NOT_APPLICABLE, NOT_KNOWN, unverifiable, Verdict } from '../../engine/checks';
import { describe, UnknownValue, Value } from '../../engine/values';
import { externalExposure } from '../../knowledge/ai-exposure';
import { acts, allChecks, guardrailUsers, isEnum, isSwitchedOn, judgeEntriesAt } from '../../knowledge/bedrock-guardrails';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const TOPICS = 'TopicPolicyConfig.TopicsConfig';

function judgeTopic(topic: Record<string, Value>): Judgement {
  const name = typeof topic.Name === 'string' ? `topic "${topic.Name}"` : 'a topic';
  return allChecks([
    { answer: isEnum(topic.Type, 'DENY'), problem: `${name} has Type ${describe(topic.Type)}` },
    { answer: isSwitchedOn(topic.InputEnabled), problem: `${name} has InputEnabled ${describe(topic.InputEnabled)}` },
    { answer: isSwitchedOn(topic.OutputEnabled), problem: `${name} has OutputEnabled ${describe(topic.OutputEnabled)}` },
    { answer: acts(topic.InputAction), problem: `${name} has InputAction ${describe(topic.InputAction)} (detect only)` },
    { answer: acts(topic.OutputAction), problem: `${name} has OutputAction ${describe(topic.OutputAction)} (detect only)` },
  ]);
}

function judgeTopics(topics: ReadonlyArray<Record<string, Value>>): Judgement {
  if (topics.length === 0) {
    return { answer: false, detail: `${TOPICS} has no denied topic: nothing stops the assistant from being used for what it must not do` };
  }
  const verdicts = topics.map(judgeTopic);
  const best = verdicts.find((v) => v.answer === true) ?? verdicts.find((v) => v.answer instanceof UnknownValue);
  if (best) return best.answer === true ? best : { answer: NOT_KNOWN, detail: `${TOPICS} cannot be verified at synth time: ${best.detail}` };
  return { answer: false, detail: `${TOPICS} has no topic that is denied on both input and output: ${verdicts.map((v) => v.detail).join('; ')}` };
}

export const deniedTopics: RuleDefinition = {
  title: 'Guardrails of externally exposed assistants deny prohibited topics',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'you communicate prohibited use cases … controls to prevent the use or deployment of your system in malicious ways',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::Bedrock::Guardrail'],
  compliantWhen: 'for guardrails of externally exposed assistants (the guardrail, an agent or flow of the app that attaches it, or '
    + 'their stack tagged `ai:exposure=external`): `TopicPolicyConfig.TopicsConfig[]` has at least one topic with `Type: DENY`, '
    + '`InputEnabled` and `OutputEnabled` not false and `InputAction`/`OutputAction` not `NONE`. Other guardrails are not applicable',
  explanation: 'An assistant offered to customers or collaborators will be asked to do what its owner prohibits: give regulated '
    + 'advice, help with malicious activity, discuss competitors. Denied topics turn the prohibited use cases that the guideline asks '
    + 'you to communicate into a control that refuses them on the way in and on the way out.',
  fix: 'Add topicPolicyConfig.topicsConfig to the CfnGuardrail with one entry per prohibited use case: { name, definition, '
    + 'examples, type: \'DENY\' }, leaving inputEnabled/outputEnabled and inputAction/outputAction at their defaults (true, BLOCK).',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    const users = guardrailUsers(context.index, resource).map((u) => u.user);
    const exposure = externalExposure([resource, ...users]);
    if (exposure === false) return NOT_APPLICABLE;
    const result = judgeEntriesAt(resource, TOPICS, judgeTopics);
    if (result.verdict !== Verdict.NON_COMPLIANT) return result;
    if (exposure instanceof UnknownValue) {
      return unverifiable(`the ai:exposure tag is not known at synth time; if the assistant is external: ${result.message}`, ...(result.locations ?? []));
    }
    return { ...result, message: `${result.message}. The guardrail serves an externally exposed assistant (ai:exposure=external)` };
  },
};
