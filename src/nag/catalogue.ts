import { SecureAiRule, toMetadata } from './engine/secure-ai-rule';
import { RuleMetadata } from './rule';
import { endpointConfigStorageEncryption } from './rules/deployment/endpoint-config-storage-encryption';

/**
 * Every rule of the SecureAI pack, in the guideline's order.
 *
 * This list is the single source of the pack's rules, of docs/RULES.md and of the report's rule metadata.
 */
export const CATALOGUE: readonly SecureAiRule[] = [
  // 3. Secure deployment
  endpointConfigStorageEncryption,
];

/** The catalogue as plain data. */
export function catalogueMetadata(): RuleMetadata[] {
  return CATALOGUE.map(toMetadata);
}
