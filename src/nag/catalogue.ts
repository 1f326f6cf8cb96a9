import { RuleMetadata } from './rule';
import { agentRuntimeInVpc } from './rules/deployment/agent-runtime-in-vpc';
import { aiDataEvents } from './rules/deployment/ai-data-events';
import { aiSecurityGroupIngress } from './rules/deployment/ai-security-group-ingress';
import { aiSubnetsPrivate } from './rules/deployment/ai-subnets-private';
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
import { vectorStoreEncryption } from './rules/deployment/vector-store-encryption';
import { vectorStoreNetwork } from './rules/deployment/vector-store-network';
import { agentActionConfirmation } from './rules/design/agent-action-confirmation';
import { agentGuardrail } from './rules/design/agent-guardrail';
import { aiApiAuthorization } from './rules/design/ai-api-authorization';
import { aiApiRequestValidation } from './rules/design/ai-api-request-validation';
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
import { trustedWorkflowImages } from './rules/development/trusted-workflow-images';
import { aiAlarms } from './rules/operation/ai-alarms';
import { aiApiAccessLogging } from './rules/operation/ai-api-access-logging';
import { aiNetworkFlowLogs } from './rules/operation/ai-network-flow-logs';
import { aiWorkflowLogging } from './rules/operation/ai-workflow-logging';
import { endpointDeploymentGuardrails } from './rules/operation/endpoint-deployment-guardrails';
import { endpointMonitoringSchedule } from './rules/operation/endpoint-monitoring-schedule';
import { inferenceDataCapture } from './rules/operation/inference-data-capture';
import { modelInvocationLogging } from './rules/operation/model-invocation-logging';
import { monitoringBaselines } from './rules/operation/monitoring-baselines';
import { promptLogDataProtection } from './rules/operation/prompt-log-data-protection';
import { supportedPlatforms } from './rules/operation/supported-platforms';
import { versionedAiReferences } from './rules/operation/versioned-ai-references';
import { RuleDefinition, SecureAiRule, toMetadata } from './secure-ai-rule';

/**
 * Every rule of the SecureAI pack by its catalogue ID, in the guideline's order: the single source of the pack's
 * rules, of docs/RULES.md, of the command line's rule list and of the report's rule metadata.
 *
 * A rule is `<ID>: { <name> }`, and lives in rules/<its section>/<its name in kebab case>.ts (`D15: { aiApiThrottling }`
 * is rules/design/ai-api-throttling.ts), with its test at the same path under test/. Adding a rule is that file, its
 * test and one line here.
 */
const RULES: Readonly<Record<string, Readonly<Record<string, RuleDefinition>>>> = {
  // 1. Secure design
  D1: { threatModelTags },
  D2: { agentGuardrail },
  D3: { promptAttackFilter },
  D4: { outputContentFilters },
  D5: { sensitiveInformationFilter },
  D6: { contextualGroundingFilter },
  D7: { deniedTopics },
  D8: { agentActionConfirmation },
  D9: { riskyCapabilitiesOptIn },
  D10: { leastPrivilegeModelAccess },
  D11: { modelNetworkIsolation },
  D12: { endpointNetworkIsolation },
  D13: { notebookRootAndImds },
  D14: { aiApiAuthorization },
  D15: { aiApiThrottling },
  D16: { errorDetailExposure },
  D17: { directModelGuardrail },
  D18: { aiApiRequestValidation },
  // 2. Secure development
  V1: { trustedModelImages },
  V2: { trustedModelArtifacts },
  V3: { imageRepositoryScanning },
  V4: { agentFunctionCodeSigning },
  V5: { buildEnvironmentHardening },
  V6: { aiBucketVersioning },
  V7: { aiBucketProtection },
  V8: { registeredProductionModels },
  V9: { modelPackageGroupPolicy },
  V10: { modelDocumentation },
  V11: { modelCardEncryption },
  V12: { promptSecrets },
  V13: { aiAssetClassificationTags },
  V14: { aiLogProtection },
  V15: { knowledgeBaseDataScope },
  V16: { aiDataRetention },
  V17: { trustedWorkflowImages },
  // 3. Secure deployment
  P1: { notebookNetworkSegregation },
  P2: { notebookAndDomainEncryption },
  P3: { domainVpcOnly },
  P4: { domainNotebookSharing },
  P5: { modelInVpc },
  P6: { endpointConfigStorageEncryption },
  P7: { endpointOutputEncryption },
  P8: { monitoringJobNetworkIsolation },
  P9: { monitoringJobEncryption },
  P10: { featureStoreEncryption },
  P11: { pipelineStepIsolation },
  P12: { bedrockCustomerManagedKeys },
  P13: { agentRuntimeInVpc },
  P14: { inferenceApiWafRateLimit },
  P15: { modelSigningKey },
  P16: { keyManagement },
  P17: { lockedBackupVault },
  P18: { backupPlanCoverage },
  P19: { artifactObjectLock },
  P20: { auditTrailIntegrity },
  P21: { aiDataEvents },
  P22: { modelReleaseEvaluation },
  P23: { endpointModelCard },
  P24: { endpointAvailability },
  P25: { aiSecurityGroupIngress },
  P26: { aiSubnetsPrivate },
  P27: { vectorStoreNetwork },
  P28: { vectorStoreEncryption },
  // 4. Secure operation and maintenance
  O1: { inferenceDataCapture },
  O2: { endpointMonitoringSchedule },
  O3: { monitoringBaselines },
  O4: { aiAlarms },
  O5: { aiApiAccessLogging },
  O6: { promptLogDataProtection },
  O7: { modelInvocationLogging },
  O8: { endpointDeploymentGuardrails },
  O9: { versionedAiReferences },
  O10: { supportedPlatforms },
  O11: { aiNetworkFlowLogs },
  O12: { aiWorkflowLogging },
};

/** Every rule of the pack, with its ID, in the guideline's order. */
export const CATALOGUE: readonly SecureAiRule[] = Object.entries(RULES).map(([id, named]) => {
  const [definition] = Object.values(named);
  // The check is called through the definition, so that a test replacing the definition's check reaches the pack.
  return { ...definition, id, check: (resource, context) => definition.check(resource, context) };
});

/** The file that defines a rule, relative to the repository (`src/nag/rules/design/ai-api-throttling.ts`). */
export function ruleSourceFile(ruleId: string): string | undefined {
  const named = RULES[ruleId];
  if (!named) return undefined;
  const [[name, definition]] = Object.entries(named);
  return `src/nag/rules/${definition.section}/${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.ts`;
}

/** The catalogue as plain data. */
export function catalogueMetadata(): RuleMetadata[] {
  return CATALOGUE.map(toMetadata);
}
