// The checks of an AiGuardrail's props, made when the app is synthesized: each throws an Error naming the prop, the
// bad value and the fix, and returns the value the guardrail uses. Limits are Bedrock's (CreateGuardrail). Internal:
// not exported from the library.
import { Token } from 'aws-cdk-lib';
import type { DeniedTopic, SensitivePattern } from './guardrail-types';
import { requireWholeNumber } from '../construct-kit/validation';

const GUARDRAIL_NAME = /^[0-9a-zA-Z_-]{1,50}$/;
const TOPIC_NAME = /^[0-9a-zA-Z_ !?.-]{1,100}$/;
/** The lowest grounding and relevance threshold SecureAI-D6 accepts by default (minimumGroundingThreshold). */
const MINIMUM_THRESHOLD = 0.5;

function literal(owner: string, prop: string, value: string): void {
  if (Token.isUnresolved(value)) {
    throw new Error(`${owner}: ${prop} is a deploy-time value. Fix: give it as text; the guardrail's configuration is reviewed in the template.`);
  }
}

export function validateGuardrailName(owner: string, name: string): string {
  literal(owner, 'guardrailName', name);
  if (!GUARDRAIL_NAME.test(name)) {
    throw new Error(`${owner}: guardrailName '${name}' is not a guardrail name. Fix: use 1 to 50 letters, digits, hyphens and underscores.`);
  }
  return name;
}

export function validateMessaging(owner: string, prop: string, message: string): string {
  literal(owner, prop, message);
  if (message.trim().length === 0 || message.length > 500) {
    throw new Error(`${owner}: ${prop} is ${message.trim().length === 0 ? 'empty' : `${message.length} characters long`}. Fix: give what `
      + 'the user reads when the guardrail intervenes, 1 to 500 characters (without repeating what was blocked).');
  }
  return message;
}

export function validateDeniedTopics(owner: string, topics: DeniedTopic[], externallyExposed: boolean): DeniedTopic[] {
  if (externallyExposed && topics.length === 0) {
    throw new Error(`${owner}: externallyExposed is true but deniedTopics is empty, so the assistant refuses nothing its owner prohibits `
      + '(SecureAI-D7). Fix: give at least one denied topic ({ name, definition, examples }) per prohibited use.');
  }
  if (topics.length > 30) {
    throw new Error(`${owner}: deniedTopics has ${topics.length} topics; a guardrail takes at most 30. Fix: merge related topics.`);
  }
  const names = new Set<string>();
  for (const topic of topics) {
    literal(owner, 'deniedTopics', topic.name);
    if (!TOPIC_NAME.test(topic.name)) {
      throw new Error(`${owner}: deniedTopics name '${topic.name}' is not a topic name. Fix: use 1 to 100 letters, digits, spaces and -_!?. only.`);
    }
    if (names.has(topic.name)) throw new Error(`${owner}: deniedTopics names '${topic.name}' twice. Fix: give each topic its own name.`);
    names.add(topic.name);
    literal(owner, `deniedTopics '${topic.name}' definition`, topic.definition);
    if (topic.definition.trim().length === 0 || topic.definition.length > 200) {
      throw new Error(`${owner}: the definition of denied topic '${topic.name}' is ${topic.definition.trim().length === 0 ? 'empty'
        : `${topic.definition.length} characters long`}. Fix: describe what the topic covers in 1 to 200 characters.`);
    }
    const examples = topic.examples ?? [];
    if (examples.length > 5 || examples.some((e) => Token.isUnresolved(e) || e.trim().length === 0 || e.length > 100)) {
      throw new Error(`${owner}: the examples of denied topic '${topic.name}' must be at most 5 prompts of 1 to 100 characters, as text. `
        + 'Fix: shorten or remove examples.');
    }
  }
  return topics;
}

export function validatePatterns(owner: string, patterns: SensitivePattern[]): SensitivePattern[] {
  if (patterns.length > 10) {
    throw new Error(`${owner}: sensitivePatterns has ${patterns.length} patterns; a guardrail takes at most 10. Fix: combine them with alternation.`);
  }
  const names = new Set<string>();
  for (const p of patterns) {
    literal(owner, 'sensitivePatterns', p.name);
    literal(owner, `sensitivePatterns '${p.name}' pattern`, p.pattern);
    if (p.name.trim().length === 0 || p.name.length > 100 || names.has(p.name)) {
      throw new Error(`${owner}: sensitivePatterns name '${p.name}' is empty, longer than 100 characters or given twice. Fix: give each `
        + 'pattern its own name.');
    }
    names.add(p.name);
    if (p.pattern.length === 0 || p.pattern.length > 500 || !compiles(p.pattern)) {
      throw new Error(`${owner}: sensitivePatterns '${p.name}' has pattern '${p.pattern}', which is not a regular expression of 1 to 500 `
        + 'characters. Fix: give a regular expression that matches the identifier, such as \'CUST-[0-9]{8}\'.');
    }
    if (compiles(p.pattern) && new RegExp(p.pattern).test('')) {
      throw new Error(`${owner}: sensitivePatterns '${p.name}' has pattern '${p.pattern}', which matches the empty string, so it would `
        + 'match everywhere. Fix: make the pattern require at least one character of the identifier.');
    }
  }
  return patterns;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export function validateThreshold(owner: string, prop: string, threshold: number): number {
  if (!(threshold >= MINIMUM_THRESHOLD && threshold <= 0.99)) {
    throw new Error(`${owner}: ${prop} is ${threshold}, but it must be between ${MINIMUM_THRESHOLD} and 0.99: below ${MINIMUM_THRESHOLD} `
      + 'nearly every ungrounded or irrelevant answer passes (SecureAI-D6). Fix: leave it unset (0.75) or give a value in that range.');
  }
  return threshold;
}

export function validateAlarmThreshold(owner: string, threshold: number): number {
  return requireWholeNumber(owner, 'interventionAlarmThreshold', threshold, { min: 1 },
    'give how many interventions in 5 minutes someone must look at, for example 20');
}
