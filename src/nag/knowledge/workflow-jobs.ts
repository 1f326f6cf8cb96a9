import { hasOnlyLocalNvmeStorage, isCustomerManagedKey, keyProblem } from './customer-managed-key';
import { Answer, COMPLIANT, isSet, isTrue, nonCompliant, RuleResult, unverifiable, was } from '../engine/checks';
import {
  Dialect, definitionText, parseWorkflowDefinition, pipelineDialect, readArgument, RuntimeValue, STEP_FUNCTIONS, stateMachineDefinitions,
} from '../engine/readers/workflow-definitions';
import { IndexedResource } from '../engine/resource-index';
import { describe, isPlainObject, UnknownValue, Value } from '../engine/values';

/**
 * The SageMaker jobs a workflow runs: the Training, Processing (QualityCheck and ClarifyCheck too), Tuning and
 * Transform steps of a SageMaker Pipeline definition, and the Step Functions tasks that call sagemaker:create*Job.
 * No CloudFormation resource exists for these jobs, so the rules and the bill of materials find them here.
 */

/** Past this depth the walk stops following nested steps and states. */
const MAX_DEPTH = 32;

/**
 * The kind of SageMaker job a step or task runs; `model` is a step or task that creates a model (CreateModel) or
 * registers one (CreateModelPackage), whose serving image the workflow chooses.
 */
export type JobKind = 'training' | 'processing' | 'transform' | 'tuning' | 'model';

/** One SageMaker job of a workflow: its request arguments and where they are. */
export interface Job {
  /** The job's request arguments. */
  readonly args: Value;
  /** `Training step "Train": ` */
  readonly label: string;
  /** The name of the arguments in messages: `Arguments`, `Parameters`, `Arguments.TrainingJobDefinition`. */
  readonly name: string;
  readonly dialect: Dialect;
  /** The template property the job is in. */
  readonly location: string;
}

/** Pipeline step types that run a SageMaker job, by the job they run. Quality and Clarify checks run processing jobs. */
const PIPELINE_STEPS: Record<string, JobKind> = {
  Training: 'training',
  Processing: 'processing',
  QualityCheck: 'processing',
  ClarifyCheck: 'processing',
  Tuning: 'tuning',
  Transform: 'transform',
  Model: 'model',
  RegisterModel: 'model',
};

/** The jobs of a SageMaker Pipeline definition's `Steps`, nested Condition steps included. */
export function pipelineJobs(definition: Record<string, Value>, location: string): Array<{ job: Job; kind: JobKind }> {
  const out: Array<{ job: Job; kind: JobKind }> = [];
  pipelineSteps(definition.Steps, pipelineDialect(definition), location, 0, out);
  return out;
}

function pipelineSteps(steps: Value, dialect: Dialect, location: string, depth: number, out: Array<{ job: Job; kind: JobKind }>): void {
  if (!Array.isArray(steps) || depth > MAX_DEPTH) return;
  for (const step of steps) {
    if (!isPlainObject(step) || typeof step.Type !== 'string') continue;
    const name = typeof step.Name === 'string' ? step.Name : '(unnamed)';
    if (step.Type === 'Condition' && isPlainObject(step.Arguments)) {
      pipelineSteps(step.Arguments.IfSteps, dialect, location, depth + 1, out);
      pipelineSteps(step.Arguments.ElseSteps, dialect, location, depth + 1, out);
      continue;
    }
    const kind = PIPELINE_STEPS[step.Type];
    if (!kind) continue;
    out.push({ kind, job: { args: step.Arguments, label: `${step.Type} step "${name}": `, name: 'Arguments', dialect, location } });
  }
}

/** The SageMaker tasks of a state machine that run a job or create a model, by their action in lower case. */
const TASK_KINDS: Record<string, JobKind> = {
  createtrainingjob: 'training',
  createprocessingjob: 'processing',
  createtransformjob: 'transform',
  createhyperparametertuningjob: 'tuning',
  createmodel: 'model',
  createmodelpackage: 'model',
};
const SAGEMAKER_TASK = new RegExp(`^arn:[^:]*:states:::(?:aws-sdk:)?sagemaker:(${Object.keys(TASK_KINDS).join('|')})(?:\\.\\w+)?$`, 'i');
/** Text that names a SageMaker job task anywhere: whether an unreadable definition concerns the rules at all. */
export const SAGEMAKER_TASK_ANYWHERE = /sagemaker:create(?:TrainingJob|ProcessingJob|TransformJob|HyperParameterTuningJob)/i;

/** The SageMaker job tasks of a state machine definition, in Parallel branches and Map iterators too. */
export function stateMachineJobs(definition: Value, location: string): Array<{ job: Job; kind: JobKind }> {
  const out: Array<{ job: Job; kind: JobKind }> = [];
  if (isPlainObject(definition)) stateMachineStates(definition.States, location, 0, out);
  return out;
}

function stateMachineStates(states: Value, location: string, depth: number, out: Array<{ job: Job; kind: JobKind }>): void {
  if (!isPlainObject(states) || depth > MAX_DEPTH) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isPlainObject(state)) continue;
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      for (const branch of state.Branches) if (isPlainObject(branch)) stateMachineStates(branch.States, location, depth + 1, out);
      continue;
    }
    if (state.Type === 'Map') {
      for (const inner of [state.Iterator, state.ItemProcessor]) if (isPlainObject(inner)) stateMachineStates(inner.States, location, depth + 1, out);
      continue;
    }
    if (state.Type !== 'Task') continue;
    const match = SAGEMAKER_TASK.exec(definitionText(state.Resource) ?? '');
    if (!match) continue;
    const kind = TASK_KINDS[match[1].toLowerCase()];
    const argsKey = state.Parameters === undefined && state.Arguments !== undefined ? 'Arguments' : 'Parameters';
    out.push({
      kind,
      job: { args: state[argsKey], label: `Task state "${name}" (sagemaker:${match[1]}): `, name: argsKey, dialect: STEP_FUNCTIONS, location },
    });
  }
}

/** One form of a workflow's definition: the jobs it runs, or why it cannot be read. */
export type WorkflowForm =
  | { readonly jobs: ReadonlyArray<{ readonly job: Job; readonly kind: JobKind }>; readonly parameters: readonly string[] }
  | { readonly unreadable: string; readonly location: string; readonly parameters: readonly string[] };

/**
 * Every form of the SageMaker jobs a SageMaker Pipeline or a state machine runs: one per `Fn::If` branch of its
 * definition, each with the jobs found or why it cannot be read (a definition in S3, text that does not parse). A state
 * machine definition that cannot be read and names no SageMaker job has no jobs.
 */
export function workflowForms(resource: IndexedResource): WorkflowForm[] {
  if (resource.type === 'AWS::SageMaker::Pipeline') {
    const location = 'Properties.PipelineDefinition';
    return resource.get('PipelineDefinition').map((branch): WorkflowForm => {
      const { value: definition, parameters } = branch;
      if (isPlainObject(definition) && definition.PipelineDefinitionBody !== undefined) {
        const body = definition.PipelineDefinitionBody;
        const parsed = isPlainObject(body) ? { json: body } : parseWorkflowDefinition(body);
        const where = `${location}.PipelineDefinitionBody`;
        if ('failure' in parsed) return { unreadable: `PipelineDefinition.PipelineDefinitionBody cannot be read: ${parsed.failure}`, location: where, parameters };
        if (!isPlainObject(parsed.json) || !Array.isArray(parsed.json.Steps)) {
          return { unreadable: 'PipelineDefinition.PipelineDefinitionBody has no Steps list that can be read', location: where, parameters };
        }
        return { jobs: pipelineJobs(parsed.json, where), parameters };
      }
      if (isPlainObject(definition) && definition.PipelineDefinitionS3Location !== undefined) {
        return { unreadable: 'PipelineDefinition.PipelineDefinitionS3Location: the definition is in S3 and not inspectable at synth time', location: `${location}.PipelineDefinitionS3Location`, parameters };
      }
      return { unreadable: `PipelineDefinition is ${describe(definition)}`, location, parameters };
    });
  }
  const forms: WorkflowForm[] = stateMachineDefinitions(resource).map((form) => {
    if (!('failure' in form.parsed)) return { jobs: stateMachineJobs(form.parsed.json, form.location), parameters: form.parameters };
    if (!SAGEMAKER_TASK_ANYWHERE.test(definitionText(form.text) ?? '')) return { jobs: [], parameters: form.parameters };
    return { unreadable: `the state machine definition cannot be read: ${form.parsed.failure}`, location: form.location, parameters: form.parameters };
  });
  if (forms.length === 0 && resource.get('DefinitionS3Location').some((b) => b.value !== undefined)) {
    forms.push({ unreadable: 'DefinitionS3Location: the state machine definition is in S3 and not inspectable at synth time', location: 'Properties.DefinitionS3Location', parameters: [] });
  }
  return forms;
}

// ---------------------------------------------------------------------------------------------------------------
// Judging the settings of a job (P11 on every job of a workflow, P8 and P9 on the monitoring jobs of a state machine)

/** What a job's setting must be: `true`, a customer-managed key, or set at all. */
export type Expectation = 'true' | 'key' | 'set';

function expectOf(expectation: Expectation, value: Value): Answer {
  if (value instanceof RuntimeValue) return value;
  if (expectation === 'true') return isTrue(value);
  if (expectation === 'key') return isCustomerManagedKey(value);
  return isSet(value);
}

/** Judges the argument at `segments` of a job against `expectation`; `why` says what a wrong value costs. */
export function expectArgument(job: Job, segments: readonly string[], expectation: Expectation, why: string): RuleResult {
  const { value, note } = readArgument(job.args, segments, job.dialect, job.name);
  const property = [job.name, ...segments].join('.');
  const answer = expectOf(expectation, value);
  if (answer === true) return COMPLIANT;
  if (answer instanceof UnknownValue) {
    return unverifiable(`${job.label}${property} cannot be verified at synth time: ${answer.reason}`, job.location);
  }
  let problem: string;
  if (expectation === 'key') problem = keyProblem(property, value);
  else if (expectation === 'true' && value === undefined) problem = `${property} is absent (default false)`;
  else problem = `${property} ${was(value)}`;
  return nonCompliant(`${job.label}${problem}${note}: ${why}`, job.location);
}

/** Whether the job's instances have only local NVMe storage, for which SageMaker refuses a volume key. */
export function localNvmeOnly(job: Job, instanceType: readonly string[], instanceGroups?: readonly string[]): boolean {
  const single = readArgument(job.args, instanceType, job.dialect, job.name).value;
  if (hasOnlyLocalNvmeStorage(single)) return true;
  if (!instanceGroups) return false;
  const groups = readArgument(job.args, instanceGroups, job.dialect, job.name).value;
  return Array.isArray(groups) && groups.length > 0
    && groups.every((g) => hasOnlyLocalNvmeStorage(readArgument(g, ['InstanceType'], job.dialect, '').value));
}

/** Why each setting of a processing job matters, as a finding says it. */
export interface ProcessingJobReasons {
  readonly isolation: string;
  readonly traffic: string;
  readonly output: string;
  readonly volume: string;
  readonly vpc: string;
}

/**
 * The judgements of the settings of a processing job that `why` gives a reason for, in this order: network isolation,
 * inter-container encryption, the output key (when it writes output), the volume key (unless its instances have only
 * local NVMe storage) and its VPC.
 */
export function processingJobChecks(job: Job, why: Partial<ProcessingJobReasons>): RuleResult[] {
  const results: RuleResult[] = [];
  if (why.isolation !== undefined) results.push(expectArgument(job, ['NetworkConfig', 'EnableNetworkIsolation'], 'true', why.isolation));
  if (why.traffic !== undefined) results.push(expectArgument(job, ['NetworkConfig', 'EnableInterContainerTrafficEncryption'], 'true', why.traffic));
  if (why.output !== undefined && readArgument(job.args, ['ProcessingOutputConfig'], job.dialect, job.name).value !== undefined) {
    results.push(expectArgument(job, ['ProcessingOutputConfig', 'KmsKeyId'], 'key', why.output));
  }
  if (why.volume !== undefined && !localNvmeOnly(job, ['ProcessingResources', 'ClusterConfig', 'InstanceType'])) {
    results.push(expectArgument(job, ['ProcessingResources', 'ClusterConfig', 'VolumeKmsKeyId'], 'key', why.volume));
  }
  if (why.vpc !== undefined) {
    results.push(expectArgument(job, ['NetworkConfig', 'VpcConfig', 'Subnets'], 'set', why.vpc));
    results.push(expectArgument(job, ['NetworkConfig', 'VpcConfig', 'SecurityGroupIds'], 'set', why.vpc));
  }
  return results;
}
