import { Answer, combine, isOneOf, isSet, judge, NOT_APPLICABLE, RuleResult, unverifiable } from '../../engine/checks';
import { listOf } from '../../engine/lists';
import { IndexedResource, IndexedStack, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, readPath, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiApiBackendReason } from '../../knowledge/ai-apis';
import { aiAssetReason, isAiAsset, isAiResource } from '../../knowledge/ai-assets';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const NOTEBOOK = 'AWS::SageMaker::NotebookInstance';
const CLUSTER = 'AWS::SageMaker::Cluster';
const FUNCTION = 'AWS::Lambda::Function';
const REPOSITORY = 'AWS::ECR::Repository';

/** CloudFormation's default `PlatformIdentifier` for a notebook instance that does not set one. */
const DEFAULT_NOTEBOOK_PLATFORM = 'notebook-al2-v2';

/**
 * Lambda runtime identifiers whose support has ended (Lambda's deprecation phase 1: no more security patches), with the
 * date it began. Reviewed 2026-11 against the Lambda runtimes page and aws-cdk-lib 2.276.0's `Runtime` deprecations;
 * extend it as Lambda deprecates further runtimes. Amazon Linux 2 based runtimes that Lambda still patches past the
 * OS's end of life (java8.al2, java11, java17, python3.10, python3.11, provided.al2) are not listed until Lambda
 * deprecates them.
 */
export const DEPRECATED_LAMBDA_RUNTIMES: ReadonlyMap<string, string> = new Map([
  ['nodejs', '2016-10'], ['nodejs4.3', '2020-03'], ['nodejs4.3-edge', '2019-04'], ['nodejs6.10', '2019-08'],
  ['nodejs8.10', '2020-03'], ['nodejs10.x', '2021-07'], ['nodejs12.x', '2023-03'], ['nodejs14.x', '2023-12'],
  ['nodejs16.x', '2024-06'], ['nodejs18.x', '2025-09'], ['nodejs20.x', '2026-04'],
  ['python2.7', '2021-07'], ['python3.6', '2022-07'], ['python3.7', '2023-12'], ['python3.8', '2024-10'],
  ['python3.9', '2025-12'],
  ['java8', '2024-01'],
  ['dotnetcore1.0', '2019-07'], ['dotnetcore2.0', '2019-05'], ['dotnetcore2.1', '2022-01'], ['dotnetcore3.1', '2023-04'],
  ['dotnet5.0', '2022-05'], ['dotnet6', '2024-12'], ['dotnet7', '2024-05'], ['dotnet8', '2026-11'],
  ['go1.x', '2024-01'], ['provided', '2024-01'],
  ['ruby2.5', '2021-07'], ['ruby2.7', '2023-12'], ['ruby3.2', '2026-03'],
]);

const isManual = isOneOf('Manual');

/**
 * Whether a stack holds an AI resource that is created, found once per stack and run: its container repositories hold AI
 * images. Only the conditions of its AI resources up to the first created one are read.
 */
function holdsAi(index: ResourceIndex, stack: IndexedStack): boolean {
  return index.memoPer(holdsAi, stack, () => [...stack.resources.values()].some((r) => isAiResource(r) && index.isCreated(r)));
}

function checkNotebook(resource: IndexedResource, supported: readonly string[]): RuleResult {
  const allowed = new Set(supported.map((p) => p.toLowerCase()));
  return judge(resource.get('PlatformIdentifier'), 'Properties.PlatformIdentifier', (v) => {
    const platform = v === undefined ? DEFAULT_NOTEBOOK_PLATFORM : v;
    const unknown = unknownOf(platform);
    if (unknown) return unknown;
    return typeof platform === 'string' && allowed.has(platform.trim().toLowerCase());
  }, (v) => `PlatformIdentifier ${v === undefined ? `is absent (CloudFormation default ${DEFAULT_NOTEBOOK_PLATFORM})` : `is ${describe(v)}`}, which is `
    + `not a supported platform (supportedNotebookPlatforms: ${supported.join(', ')}): the notebook runs an operating system and `
    + 'Jupyter stack that no longer receive security updates', 'PlatformIdentifier');
}

/** Whether an instance group is patched automatically: a scheduled AMI update or an auto-patch configuration. */
function isPatched(group: Value): Answer {
  if (group instanceof UnknownValue) return group;
  if (!isPlainObject(group)) return false;
  const schedule = isSet(readPath(group, ['ScheduledUpdateConfig', 'ScheduleExpression']));
  const autoPatch = isSet(readPath(group, ['AutoPatchConfig']));
  if (schedule === true || autoPatch === true) return true;
  return schedule instanceof UnknownValue ? schedule : autoPatch instanceof UnknownValue ? autoPatch : false;
}

function checkCluster(resource: IndexedResource): RuleResult {
  const results: RuleResult[] = [];
  for (const form of resource.get('InstanceGroups')) {
    if (form.value instanceof UnknownValue) {
      results.push(unverifiable(`InstanceGroups cannot be verified at synth time: ${form.value.reason}`, 'Properties.InstanceGroups'));
      continue;
    }
    listOf(form.value).forEach((group, i) => {
      const name = isPlainObject(group) && typeof group.InstanceGroupName === 'string' ? ` ("${group.InstanceGroupName}")` : '';
      const path = `InstanceGroups[${i}]`;
      results.push(judge([{ value: group, parameters: form.parameters }], `Properties.${path}`, isPatched,
        () => `${path}${name} has neither ScheduledUpdateConfig.ScheduleExpression nor AutoPatchConfig: its nodes keep the AMI they `
          + 'were launched with and never receive security patches', path));
    });
  }
  return combine(...results);
}

/** Why a Lambda function is part of the AI system: an agent/flow executor or another AI asset, or an AI API's backend. */
function aiFunctionReason(index: ResourceIndex, fn: IndexedResource): string | undefined {
  if (isAiAsset(index, fn)) return aiAssetReason(index, fn);
  const api = aiApiBackendReason(index, fn);
  return api ? `the backend of an AI API (${api})` : undefined;
}

function checkFunction(index: ResourceIndex, fn: IndexedResource): RuleResult {
  const why = aiFunctionReason(index, fn);
  if (!why) return NOT_APPLICABLE;
  if (fn.get('PackageType').every((b) => typeof b.value === 'string' && b.value.toLowerCase() === 'image')) {
    return NOT_APPLICABLE; // the runtime is inside the image, which V1/V3 govern
  }
  const runtime = judge(fn.get('Runtime'), 'Properties.Runtime', (v) => {
    const unknown = unknownOf(v);
    if (unknown) return unknown;
    return !(typeof v === 'string' && DEPRECATED_LAMBDA_RUNTIMES.has(v.trim().toLowerCase()));
  }, (v) => `Runtime is ${describe(v)}, which Lambda deprecated in ${DEPRECATED_LAMBDA_RUNTIMES.get(String(v).trim().toLowerCase())}: `
    + 'the function runs a language runtime that no longer receives security patches', 'Runtime');
  const updates = judge(fn.get('RuntimeManagementConfig.UpdateRuntimeOn'), 'Properties.RuntimeManagementConfig.UpdateRuntimeOn',
    (v) => {
      const manual = v === undefined ? false : isManual(v);
      return manual instanceof UnknownValue ? manual : !manual;
    },
    (v) => `RuntimeManagementConfig.UpdateRuntimeOn is ${describe(v)}: the runtime version is pinned and Lambda's automatic runtime `
      + 'security patches are switched off', 'RuntimeManagementConfig.UpdateRuntimeOn');
  const result = combine(runtime, updates);
  return result.message ? { ...result, message: `${result.message} (the function is part of the AI system: ${why})` } : result;
}

function checkRepository(index: ResourceIndex, repository: IndexedResource): RuleResult {
  if (!isAiAsset(index, repository) && !holdsAi(index, repository.stack)) return NOT_APPLICABLE;
  return judge(repository.get('LifecyclePolicy.LifecyclePolicyText'), 'Properties.LifecyclePolicy.LifecyclePolicyText', (v) => {
    const set = isSet(v);
    if (set !== true || typeof v !== 'string') return set;
    try {
      const policy: unknown = JSON.parse(v);
      return isPlainObject(policy) && Array.isArray(policy.rules) && policy.rules.length > 0;
    } catch {
      return false;
    }
  }, (v) => `LifecyclePolicy.LifecyclePolicyText ${v === undefined ? 'is absent' : `is ${describe(v)}, with no rules`}: superseded model and `
    + 'inference images pile up in the repository, untracked technical debt that stays deployable', 'LifecyclePolicy.LifecyclePolicyText');
}

export const supportedPlatforms: RuleDefinition = {
  title: 'AI platforms, runtimes and images stay on supported, patched versions',
  section: GuidelineSection.OPERATION,
  guideline: 'Follow a secure by design approach to updates',
  quote: "You include automated updates by default in every product … identify, track and manage your 'technical debt'",
  level: RuleLevel.WARNING,
  resourceTypes: [NOTEBOOK, CLUSTER, FUNCTION, REPOSITORY],
  compliantWhen: 'notebook instances: `PlatformIdentifier` in supportedNotebookPlatforms (absent means CloudFormation\'s default '
    + '`notebook-al2-v2`); HyperPod clusters: every `InstanceGroups[]` entry has `ScheduledUpdateConfig.ScheduleExpression` or '
    + '`AutoPatchConfig`; Lambda functions of the AI system (agent/flow executors and other AI assets, backends of AI APIs): '
    + '`Runtime` not in the documented list of deprecated runtimes and `RuntimeManagementConfig.UpdateRuntimeOn` not `Manual` '
    + '(container-image functions are not applicable); ECR repositories that are AI assets or in a stack with AI resources: a '
    + '`LifecyclePolicy.LifecyclePolicyText` with at least one rule. Other functions and repositories are not applicable',
  explanation: 'AI systems accumulate technical debt fast: notebook platforms and Lambda runtimes go out of support, training '
    + 'clusters keep the AMI they started with, and old model images stay deployable. Automated updates by default and a managed '
    + 'life cycle keep the platform patched and the inventory of what can run small.',
  fix: 'Set PlatformIdentifier to a supported platform (notebook-al2023-v1); give each HyperPod instance group ScheduledUpdateConfig '
    + '{ ScheduleExpression } or AutoPatchConfig; move executor Lambdas to a supported runtime (lambda.Runtime.PYTHON_3_13, '
    + 'NODEJS_22_X) and leave runtime management on Auto; add lifecycleRules to the ECR repository.',
  fixByType: {
    [NOTEBOOK]: 'Set platformIdentifier to a supported platform (notebook-al2023-v1) on the sagemaker.CfnNotebookInstance.',
    [CLUSTER]: 'Give each instance group of the HyperPod cluster scheduledUpdateConfig { scheduleExpression } or autoPatchConfig.',
    [FUNCTION]: 'Move the function to a supported runtime (the newest lambda.Runtime of its language, e.g. NODEJS_26_X or PYTHON_3_13) and '
      + 'leave runtimeManagementMode on Auto.',
    [REPOSITORY]: 'Add lifecycleRules to the ecr.Repository (for example expire untagged images after a few days), so that old, '
      + 'unpatched images are removed.',
  },
  peers: 'SH SageMaker.8, CFG sagemaker-notebook-instance-platform-version; NAG AwsSolutions-L1, CKV_AWS_363, SH Lambda.2; '
    + 'CT.ECR.PR.1, SH ECR.3 — HyperPod patching: none',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    switch (resource.type) {
      case NOTEBOOK:
        return checkNotebook(resource, context.parameters.supportedNotebookPlatforms);
      case CLUSTER:
        return checkCluster(resource);
      case FUNCTION:
        return checkFunction(context.index, resource);
      default:
        return checkRepository(context.index, resource);
    }
  },
};
