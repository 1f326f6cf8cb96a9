import { isAiResource } from './ai-assets';
import { definitionText, stateMachineDefinitions } from '../engine/readers/workflow-definitions';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { isPlainObject } from '../engine/values';

/**
 * The state machines of an AI system: those with a task that calls SageMaker or Bedrock (optimised integrations such
 * as `arn:aws:states:::sagemaker:createTrainingJob.sync` and `arn:aws:states:::bedrock:invokeModel`, and SDK
 * integrations such as `arn:aws:states:::aws-sdk:bedrockagentruntime:invokeAgent`), written into the definition or given
 * as one of its `DefinitionSubstitutions`. Together with the AI resources
 * they are the AI workloads whose network, logs and functions the perimeter rules judge. Found once per run.
 */

/** A task resource that calls SageMaker, Bedrock or AgentCore, anywhere in a definition's text. */
const AI_TASK = /:states:::(?:aws-sdk:)?(?:sagemaker\w*|bedrock\w*)[:.]/i;

/** Past this length a definition is read only in its first part: bounds the work on hostile input. */
const MAX_TEXT = 1_000_000;

/** Whether a state machine runs a SageMaker or Bedrock task in some form of its definition. */
export function isAiWorkflow(index: ResourceIndex, stateMachine: IndexedResource): boolean {
  return stateMachine.type === 'AWS::StepFunctions::StateMachine' && index.memo(isAiWorkflow, () => aiWorkflowsOf(index)).has(stateMachine);
}

/** Whether a resource is an AI workload: an AI resource, or a state machine that runs SageMaker or Bedrock tasks. */
export function isAiWorkload(index: ResourceIndex, resource: IndexedResource): boolean {
  return isAiResource(resource) || isAiWorkflow(index, resource);
}

/**
 * Why a Lambda function is part of an AI pipeline because a state machine that runs SageMaker or Bedrock tasks invokes
 * it (names it in its definition, directly or through an alias or version): `Lambda Prepare, invoked by state machine
 * Train, which runs SageMaker or Bedrock tasks`. Undefined for other functions.
 */
export function workflowFunctionReason(index: ResourceIndex, fn: IndexedResource): string | undefined {
  return index.memo(workflowFunctionReason, () => workflowFunctionsOf(index)).get(fn);
}

function workflowFunctionsOf(index: ResourceIndex): Map<IndexedResource, string> {
  const reasons = new Map<IndexedResource, string>();
  for (const machine of index.ofType('AWS::StepFunctions::StateMachine')) {
    if (!isAiWorkflow(index, machine)) continue;
    for (const ref of index.referencesFrom(machine)) {
      const fn = ref.target.type === 'AWS::Lambda::Function' ? ref.target : functionBehind(ref.target);
      if (fn && !reasons.has(fn)) reasons.set(fn, `Lambda ${fn.logicalId}, invoked by state machine ${machine.logicalId}, which runs SageMaker or Bedrock tasks`);
    }
  }
  return reasons;
}

/** The function of the app an alias or version points at. */
function functionBehind(resource: IndexedResource): IndexedResource | undefined {
  if (resource.type !== 'AWS::Lambda::Alias' && resource.type !== 'AWS::Lambda::Version') return undefined;
  for (const branch of resource.get('FunctionName')) {
    const target = resource.resolve(branch.value);
    if (target?.type === 'AWS::Lambda::Function') return target;
  }
  return undefined;
}

function aiWorkflowsOf(index: ResourceIndex): Set<IndexedResource> {
  const found = new Set<IndexedResource>();
  // What a machine runs is read from its definition alone; whether it is created is asked by whoever holds it.
  for (const machine of index.declaredOfType('AWS::StepFunctions::StateMachine')) {
    const texts = stateMachineDefinitions(machine).map((form) => {
      const text = definitionText(form.text) ?? (isPlainObject(form.text) ? safeJson(form.text) : '');
      return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
    });
    if (texts.some((t) => AI_TASK.test(t)) || substitutesAiTask(machine)) found.add(machine);
  }
  return found;
}

/** Whether a definition substitution (`"Resource": "${TrainTask}"`) is a SageMaker or Bedrock task resource. */
function substitutesAiTask(machine: IndexedResource): boolean {
  return machine.get('DefinitionSubstitutions').some((b) => isPlainObject(b.value)
    && Object.values(b.value).some((v) => AI_TASK.test(definitionText(v) ?? '')));
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
