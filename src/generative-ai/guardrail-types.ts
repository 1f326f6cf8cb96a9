/** What a guardrail does with sensitive information it finds. */
export enum SensitiveInformationAction {
  /** Refuses the prompt or the response. */
  BLOCK = 'BLOCK',
  /** Replaces the information with its type (`{NAME}`, `{EMAIL}`) and lets the rest through. */
  ANONYMIZE = 'ANONYMIZE',
}

/** How strictly the harmful-content filters judge. Below MEDIUM, SecureAI-D4 reports the guardrail. */
export enum ContentFilterStrength {
  /** Blocks content of medium and high confidence. */
  MEDIUM = 'MEDIUM',
  /** Blocks content of low, medium and high confidence: the most blocked. */
  HIGH = 'HIGH',
}

/** Personal and secret information types Bedrock guardrails detect (`SensitiveInformationPolicyConfig` PII types). */
export enum PiiEntity {
  ADDRESS = 'ADDRESS',
  AGE = 'AGE',
  AWS_ACCESS_KEY = 'AWS_ACCESS_KEY',
  AWS_SECRET_KEY = 'AWS_SECRET_KEY',
  CA_HEALTH_NUMBER = 'CA_HEALTH_NUMBER',
  CA_SOCIAL_INSURANCE_NUMBER = 'CA_SOCIAL_INSURANCE_NUMBER',
  CREDIT_DEBIT_CARD_CVV = 'CREDIT_DEBIT_CARD_CVV',
  CREDIT_DEBIT_CARD_EXPIRY = 'CREDIT_DEBIT_CARD_EXPIRY',
  CREDIT_DEBIT_CARD_NUMBER = 'CREDIT_DEBIT_CARD_NUMBER',
  DRIVER_ID = 'DRIVER_ID',
  EMAIL = 'EMAIL',
  INTERNATIONAL_BANK_ACCOUNT_NUMBER = 'INTERNATIONAL_BANK_ACCOUNT_NUMBER',
  IP_ADDRESS = 'IP_ADDRESS',
  LICENSE_PLATE = 'LICENSE_PLATE',
  MAC_ADDRESS = 'MAC_ADDRESS',
  NAME = 'NAME',
  PASSWORD = 'PASSWORD',
  PHONE = 'PHONE',
  PIN = 'PIN',
  SWIFT_CODE = 'SWIFT_CODE',
  UK_NATIONAL_HEALTH_SERVICE_NUMBER = 'UK_NATIONAL_HEALTH_SERVICE_NUMBER',
  UK_NATIONAL_INSURANCE_NUMBER = 'UK_NATIONAL_INSURANCE_NUMBER',
  UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER = 'UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER',
  URL = 'URL',
  USERNAME = 'USERNAME',
  US_BANK_ACCOUNT_NUMBER = 'US_BANK_ACCOUNT_NUMBER',
  US_BANK_ROUTING_NUMBER = 'US_BANK_ROUTING_NUMBER',
  US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER = 'US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER',
  US_PASSPORT_NUMBER = 'US_PASSPORT_NUMBER',
  US_SOCIAL_SECURITY_NUMBER = 'US_SOCIAL_SECURITY_NUMBER',
  VEHICLE_IDENTIFICATION_NUMBER = 'VEHICLE_IDENTIFICATION_NUMBER',
}

/** A use the assistant refuses, in prompts and in responses (a guardrail denied topic). */
export interface DeniedTopic {
  /** A short name, 1 to 100 letters, digits, spaces and `-_!?.`. */
  readonly name: string;
  /** What the topic covers, in at most 200 characters, as the guardrail's classifier reads it. */
  readonly definition: string;
  /**
   * Up to five example prompts of the topic, each at most 100 characters.
   * @default - none
   */
  readonly examples?: string[];
}

/** An identifier of your own that the guardrail finds by regular expression (account numbers, internal IDs). */
export interface SensitivePattern {
  /** A name, 1 to 100 characters. */
  readonly name: string;
  /** The regular expression, 1 to 500 characters. */
  readonly pattern: string;
  /**
   * What it is, at most 1,000 characters.
   * @default - none
   */
  readonly description?: string;
  /**
   * What the guardrail does with a match.
   * @default SensitiveInformationAction.BLOCK
   */
  readonly action?: SensitiveInformationAction;
}
