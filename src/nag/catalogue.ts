import { SecureAiRule, toMetadata } from './engine/secure-ai-rule';
import { RuleMetadata } from './rule';
import { agentRuntimeInVpc } from './rules/deployment/agent-runtime-in-vpc';
import { aiDataEvents } from './rules/deployment/ai-data-events';
import { artifactObjectLock } from './rules/deployment/artifact-object-lock';
import { auditTrailIntegrity } from './rules/deployment/audit-trail-integrity';
import { backupPlanCoverage } from './rules/deployment/backup-plan-coverage';
import { bedrockCustomerManagedKeys } from './rules/deployment/bedrock-customer-managed-keys';
import { domainNotebookSharing } from './rules/deployment/domain-notebook-sharing';
import { domainVpcOnly } from './rules/deployment/domain-vpc-only';
import { endpointAvailability } from './rules/deployment/endpoint-availability';
import { endpointConfigStorageEncryption } from './rules/deployment/endpoint-config-storage-encryption';
import { endpointModelCard } from './rules/deployment/endpoint-model-card';
import { endpointOutputEncryption } from './rules/deployment/endpoint-output-encryption';
import { featureStoreEncryption } from './rules/deployment/feature-store-encryption';
import { inferenceApiWafRateLimit } from './rules/deployment/inference-api-waf-rate-limit';
import { keyManagement } from './rules/deployment/key-management';
import { lockedBackupVault } from './rules/deployment/locked-backup-vault';
import { modelInVpc } from './rules/deployment/model-in-vpc';
import { modelReleaseEvaluation } from './rules/deployment/model-release-evaluation';
import { modelSigningKey } from './rules/deployment/model-signing-key';
import { monitoringJobEncryption } from './rules/deployment/monitoring-job-encryption';
import { monitoringJobNetworkIsolation } from './rules/deployment/monitoring-job-network-isolation';
import { notebookAndDomainEncryption } from './rules/deployment/notebook-and-domain-encryption';
import { notebookNetworkSegregation } from './rules/deployment/notebook-network-segregation';
import { pipelineStepIsolation } from './rules/deployment/pipeline-step-isolation';

/**
 * Every rule of the SecureAI pack, in the guideline's order.
 *
 * This list is the single source of the pack's rules, of docs/RULES.md and of the report's rule metadata.
 */
export const CATALOGUE: readonly SecureAiRule[] = [
  // 1. Secure design
  // <D1-D17 here>
  // 2. Secure development
  // <V1-V16 here>
  // 3. Secure deployment
  notebookNetworkSegregation,
  notebookAndDomainEncryption,
  domainVpcOnly,
  domainNotebookSharing,
  modelInVpc,
  // <P1-P5 here>
  endpointConfigStorageEncryption,
  endpointOutputEncryption,
  monitoringJobNetworkIsolation,
  monitoringJobEncryption,
  featureStoreEncryption,
  pipelineStepIsolation,
  bedrockCustomerManagedKeys,
  // <P7-P12 here>
  agentRuntimeInVpc,
  inferenceApiWafRateLimit,
  modelSigningKey,
  keyManagement,
  lockedBackupVault,
  backupPlanCoverage,
  artifactObjectLock,
  auditTrailIntegrity,
  aiDataEvents,
  modelReleaseEvaluation,
  endpointModelCard,
  endpointAvailability,
  // <P13-P24 here>
  // 4. Secure operation and maintenance
  // <O1-O10 here>
];

/** The catalogue as plain data. */
export function catalogueMetadata(): RuleMetadata[] {
  return CATALOGUE.map(toMetadata);
}
