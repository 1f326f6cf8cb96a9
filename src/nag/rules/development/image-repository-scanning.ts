import { Answer, anyOf, combine, COMPLIANT, expectProperty, isOneOf, isTrue, NOT_APPLICABLE, NOT_KNOWN, RuleResult, unverifiable, Verdict, was } from '../../engine/checks';
import { listOf } from '../../engine/lists';
import { matchesPattern } from '../../engine/readers/policy-documents';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { isPlainObject, UnknownValue, Value } from '../../engine/values';
import { isAiAsset } from '../../knowledge/ai-assets';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const AI_PREFIXES = ['AWS::SageMaker::', 'AWS::Bedrock::', 'AWS::BedrockAgentCore::'];
const isScanningFrequency = isOneOf('SCAN_ON_PUSH', 'CONTINUOUS_SCAN');
const isImmutable = isOneOf('IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION');

/** Whether a registry scanning rule's filters select a repository (by its literal name; a generated name only matches `*`). */
function filtersSelect(filters: Value, name: Value): Answer {
  if (filters instanceof UnknownValue) return NOT_KNOWN;
  const answers: Answer[] = [];
  for (const filter of listOf(filters)) {
    if (!isPlainObject(filter)) {
      answers.push(filter instanceof UnknownValue ? NOT_KNOWN : false);
      continue;
    }
    const pattern = filter.Filter;
    if (typeof pattern !== 'string') answers.push(NOT_KNOWN);
    else if (pattern === '*') answers.push(true);
    else if (typeof name === 'string') answers.push(matchesPattern(pattern, name));
    else answers.push(NOT_KNOWN);
  }
  return anyOf(answers);
}

/** Whether an `AWS::ECR::RegistryScanningConfiguration` of the app scans a repository on push or continuously. */
function registryScans(index: ResourceIndex, repository: IndexedResource): Answer {
  const name = repository.properties.RepositoryName;
  const answers: Answer[] = [];
  for (const config of index.ofType('AWS::ECR::RegistryScanningConfiguration')) {
    for (const branch of config.get('Rules')) {
      if (branch.value instanceof UnknownValue) {
        answers.push(NOT_KNOWN);
        continue;
      }
      const forms: Answer[] = listOf(branch.value).map((rule) => {
        if (!isPlainObject(rule)) return rule instanceof UnknownValue ? NOT_KNOWN : false;
        const frequency = isScanningFrequency(rule.ScanFrequency);
        if (frequency === false) return false;
        const selects = filtersSelect(rule.RepositoryFilters, name);
        return frequency === true ? selects : selects === false ? false : NOT_KNOWN;
      });
      answers.push(anyOf(forms));
    }
  }
  return anyOf(answers);
}

function scanning(index: ResourceIndex, repository: IndexedResource): RuleResult {
  const own = expectProperty(repository, 'ImageScanningConfiguration.ScanOnPush', isTrue,
    (v) => `ImageScanningConfiguration.ScanOnPush ${was(v)}${v === undefined ? ' (default false)' : ''}: images pushed for the AI system are not scanned for known vulnerabilities`);
  if (own.verdict === Verdict.COMPLIANT) return own;
  const registry = registryScans(index, repository);
  if (registry === true) return COMPLIANT;
  if (registry instanceof UnknownValue && own.verdict === Verdict.NON_COMPLIANT) {
    return unverifiable(`${own.message}, unless the registry scanning configuration of the app scans it: whether its filters select this `
      + 'repository cannot be known at synth time', ...(own.locations ?? []));
  }
  return own;
}

export const imageRepositoryScanning: RuleDefinition = {
  title: 'Image repositories scan on push and keep tags immutable',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Secure your supply chain',
  quote: 'assess and monitor the security of your AI supply chains across a system\'s life cycle',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::ECR::Repository'],
  compliantWhen: 'for repositories of an app with AI resources (or referenced by one, or tagged `ai:asset=true`): '
    + '`ImageScanningConfiguration.ScanOnPush: true`, or an `AWS::ECR::RegistryScanningConfiguration` of the app with a rule of '
    + '`ScanFrequency` `SCAN_ON_PUSH`/`CONTINUOUS_SCAN` whose `RepositoryFilters` select the repository; and `ImageTagMutability` '
    + '`IMMUTABLE` (or `IMMUTABLE_WITH_EXCLUSION`); absent is CloudFormation\'s default `MUTABLE` and fails. Repositories of apps without '
    + 'SageMaker, Bedrock or AgentCore resources are not applicable',
  explanation: 'The images that serve models and run agents are part of the AI supply chain. Without scanning, known vulnerabilities in '
    + 'their OS packages and ML libraries go unnoticed; with mutable tags, an image already reviewed and deployed by tag can be replaced by '
    + 'another under the same tag.',
  fix: 'Create the repository with imageScanOnPush: true and imageTagMutability: TagMutability.IMMUTABLE (ecr.Repository), or configure '
    + 'registry-level enhanced scanning (ecr.CfnRegistryScanningConfiguration with ScanType ENHANCED and a SCAN_ON_PUSH or CONTINUOUS_SCAN rule).',
  peers: 'CKV_AWS_163, CKV_AWS_51; CT.ECR.PR.2, CT.ECR.PR.3; GRR ECR_REPO_SCAN_ON_PUSH; CFG ecr-private-image-scanning-enabled, '
    + 'ecr-private-tag-immutability-enabled; SH ECR.1, ECR.2',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    const index = context.index;
    if (!isAiAsset(index, resource) && !AI_PREFIXES.some((p) => index.hasTypePrefix(p))) return NOT_APPLICABLE;
    return combine(
      scanning(index, resource),
      expectProperty(resource, 'ImageTagMutability', isImmutable, (v) => `ImageTagMutability ${was(v)}${v === undefined ? ' (CloudFormation default MUTABLE)' : ''}: `
        + 'a tag can be moved to another image after the reviewed one was deployed'),
    );
  },
};
