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
import { agentActionConfirmation } from './rules/design/agent-action-confirmation';
import { agentGuardrail } from './rules/design/agent-guardrail';
import { aiApiAuthorization } from './rules/design/ai-api-authorization';
import { aiApiThrottling } from './rules/design/ai-api-throttling';
import { contextualGroundingFilter } from './rules/design/contextual-grounding-filter';
import { deniedTopics } from './rules/design/denied-topics';
import { directModelGuardrail } from './rules/design/direct-model-guardrail';
import { endpointNetworkIsolation } from './rules/design/endpoint-network-isolation';
import { errorDetailExposure } from './rules/design/error-detail-exposure';
import { leastPrivilegeModelAccess } from './rules/design/least-privilege-model-access';
import { modelNetworkIsolation } from './rules/design/model-network-isolation';
import { notebookRootAndImds } from './rules/design/notebook-root-and-imds';
import { outputContentFilters } from './rules/design/output-content-filters';
import { promptAttackFilter } from './rules/design/prompt-attack-filter';
import { riskyCapabilitiesOptIn } from './rules/design/risky-capabilities-opt-in';
import { sensitiveInformationFilter } from './rules/design/sensitive-information-filter';
import { threatModelTags } from './rules/design/threat-model-tags';
import { agentFunctionCodeSigning } from './rules/development/agent-function-code-signing';
import { aiAssetClassificationTags } from './rules/development/ai-asset-classification-tags';
import { aiBucketProtection } from './rules/development/ai-bucket-protection';
import { aiBucketVersioning } from './rules/development/ai-bucket-versioning';
import { aiDataRetention } from './rules/development/ai-data-retention';
import { aiLogProtection } from './rules/development/ai-log-protection';
import { buildEnvironmentHardening } from './rules/development/build-environment-hardening';
import { imageRepositoryScanning } from './rules/development/image-repository-scanning';
import { knowledgeBaseDataScope } from './rules/development/knowledge-base-data-scope';
import { modelCardEncryption } from './rules/development/model-card-encryption';
import { modelDocumentation } from './rules/development/model-documentation';
import { modelPackageGroupPolicy } from './rules/development/model-package-group-policy';
import { promptSecrets } from './rules/development/prompt-secrets';
import { registeredProductionModels } from './rules/development/registered-production-models';
import { trustedModelArtifacts } from './rules/development/trusted-model-artifacts';
import { trustedModelImages } from './rules/development/trusted-model-images';
import { aiAlarms } from './rules/operation/ai-alarms';
import { aiApiAccessLogging } from './rules/operation/ai-api-access-logging';
import { endpointDeploymentGuardrails } from './rules/operation/endpoint-deployment-guardrails';
import { endpointMonitoringSchedule } from './rules/operation/endpoint-monitoring-schedule';
import { inferenceDataCapture } from './rules/operation/inference-data-capture';
import { modelInvocationLogging } from './rules/operation/model-invocation-logging';
import { monitoringBaselines } from './rules/operation/monitoring-baselines';
import { promptLogDataProtection } from './rules/operation/prompt-log-data-protection';
import { supportedPlatforms } from './rules/operation/supported-platforms';
import { versionedAiReferences } from './rules/operation/versioned-ai-references';
import { SecureAiRule, toMetadata } from './secure-ai-rule';

/**
 * Every rule of the SecureAI pack, in the guideline's order.
 *
 * This list is the single source of the pack's rules, of docs/RULES.md and of the report's rule metadata.
 */
export const CATALOGUE: readonly SecureAiRule[] = [
  // 1. Secure design
  threatModelTags,
  agentGuardrail,
  promptAttackFilter,
  outputContentFilters,
  sensitiveInformationFilter,
  contextualGroundingFilter,
  deniedTopics,
  agentActionConfirmation,
  riskyCapabilitiesOptIn,
  leastPrivilegeModelAccess,
  modelNetworkIsolation,
  endpointNetworkIsolation,
  notebookRootAndImds,
  aiApiAuthorization,
  aiApiThrottling,
  errorDetailExposure,
  directModelGuardrail,
  // <D1-D17 here>
  // 2. Secure development
  trustedModelImages,
  trustedModelArtifacts,
  imageRepositoryScanning,
  agentFunctionCodeSigning,
  buildEnvironmentHardening,
  aiBucketVersioning,
  aiBucketProtection,
  registeredProductionModels,
  modelPackageGroupPolicy,
  modelDocumentation,
  modelCardEncryption,
  promptSecrets,
  aiAssetClassificationTags,
  aiLogProtection,
  knowledgeBaseDataScope,
  aiDataRetention,
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
  inferenceDataCapture,
  endpointMonitoringSchedule,
  monitoringBaselines,
  aiAlarms,
  aiApiAccessLogging,
  promptLogDataProtection,
  modelInvocationLogging,
  endpointDeploymentGuardrails,
  versionedAiReferences,
  supportedPlatforms,
  // <O1-O10 here>
];

/** The catalogue as plain data. */
export function catalogueMetadata(): RuleMetadata[] {
  return CATALOGUE.map(toMetadata);
}
