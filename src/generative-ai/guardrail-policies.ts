// How an AiGuardrail renders its policies: the CloudFormation configuration of each filter. Internal: not exported
// from the library.
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { ContentFilterStrength, DeniedTopic, PiiEntity, SensitiveInformationAction, SensitivePattern } from './guardrail-types';

/**
 * Secrets and identifiers whose disclosure is harm in itself (credentials, card and account numbers, national
 * identifiers): always blocked, in prompts and responses.
 */
export const BLOCKED_PII: readonly PiiEntity[] = [
  PiiEntity.AWS_ACCESS_KEY, PiiEntity.AWS_SECRET_KEY, PiiEntity.PASSWORD, PiiEntity.PIN,
  PiiEntity.CREDIT_DEBIT_CARD_NUMBER, PiiEntity.CREDIT_DEBIT_CARD_CVV, PiiEntity.CREDIT_DEBIT_CARD_EXPIRY,
  PiiEntity.INTERNATIONAL_BANK_ACCOUNT_NUMBER, PiiEntity.US_BANK_ACCOUNT_NUMBER, PiiEntity.US_SOCIAL_SECURITY_NUMBER,
  PiiEntity.UK_NATIONAL_INSURANCE_NUMBER, PiiEntity.US_PASSPORT_NUMBER,
];

/** Personal data an assistant meets in ordinary use: handled with `personalDataAction` (anonymised by default). */
export const PERSONAL_PII: readonly PiiEntity[] = [
  PiiEntity.NAME, PiiEntity.EMAIL, PiiEntity.PHONE, PiiEntity.ADDRESS, PiiEntity.IP_ADDRESS, PiiEntity.AGE,
  PiiEntity.DRIVER_ID, PiiEntity.LICENSE_PLATE, PiiEntity.USERNAME, PiiEntity.UK_NATIONAL_HEALTH_SERVICE_NUMBER,
];

/** The harmful-content categories filtered on both sides: SecureAI-D4 asks for each of them on outputs. */
const HARMFUL_CONTENT = ['HATE', 'INSULTS', 'SEXUAL', 'VIOLENCE', 'MISCONDUCT'];

/**
 * Prompt attacks filtered at HIGH on inputs (Bedrock requires NONE on outputs for this type), and each harmful-content
 * category filtered at `strength` on inputs and outputs, blocking.
 */
export function contentPolicy(strength: ContentFilterStrength): bedrock.CfnGuardrail.ContentPolicyConfigProperty {
  return {
    filtersConfig: [
      { type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE', inputAction: 'BLOCK', inputEnabled: true },
      ...HARMFUL_CONTENT.map((type) => ({
        type,
        inputStrength: strength,
        outputStrength: strength,
        inputAction: 'BLOCK',
        outputAction: 'BLOCK',
        inputEnabled: true,
        outputEnabled: true,
      })),
    ],
  };
}

/** Each entity acts on prompts and responses alike: an entity that only detects (NONE) leaks while it records. */
export function sensitiveInformationPolicy(
  personalDataAction: SensitiveInformationAction, extraPersonalData: readonly PiiEntity[], patterns: readonly SensitivePattern[],
): bedrock.CfnGuardrail.SensitiveInformationPolicyConfigProperty {
  const acting = (action: SensitiveInformationAction) => ({
    action, inputAction: action, outputAction: action, inputEnabled: true, outputEnabled: true,
  });
  const personal = [...new Set([...PERSONAL_PII, ...extraPersonalData])].filter((t) => !BLOCKED_PII.includes(t));
  return {
    piiEntitiesConfig: [
      ...BLOCKED_PII.map((type) => ({ type, ...acting(SensitiveInformationAction.BLOCK) })),
      ...personal.map((type) => ({ type, ...acting(personalDataAction) })),
    ],
    regexesConfig: patterns.length === 0 ? undefined : patterns.map((p) => ({
      name: p.name,
      pattern: p.pattern,
      description: p.description,
      ...acting(p.action ?? SensitiveInformationAction.BLOCK),
    })),
  };
}

/** Denied topics refused on both sides. */
export function topicPolicy(topics: readonly DeniedTopic[]): bedrock.CfnGuardrail.TopicPolicyConfigProperty | undefined {
  if (topics.length === 0) return undefined;
  return {
    topicsConfig: topics.map((t) => ({
      name: t.name,
      definition: t.definition,
      examples: t.examples,
      type: 'DENY',
      inputAction: 'BLOCK',
      outputAction: 'BLOCK',
      inputEnabled: true,
      outputEnabled: true,
    })),
  };
}

/** Responses not grounded in the retrieved sources, or not relevant to the question, are blocked. */
export function groundingPolicy(grounding: number, relevance: number): bedrock.CfnGuardrail.ContextualGroundingPolicyConfigProperty {
  return {
    filtersConfig: [
      { type: 'GROUNDING', threshold: grounding, action: 'BLOCK', enabled: true },
      { type: 'RELEVANCE', threshold: relevance, action: 'BLOCK', enabled: true },
    ],
  };
}
