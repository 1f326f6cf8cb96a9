import { Answer, combine, COMPLIANT, isSet, isTrue, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable, Verdict, was } from '../../engine/checks';
import { EmbeddedJson, parseJsonParts } from '../../engine/readers/embedded-json';
import { IndexedResource } from '../../engine/resource-index';
import { Branch, describe, Expression, ExpressionPart, isPlainObject, ResourceReference, UnknownValue, Value } from '../../engine/values';
import { hasOnlyLocalNvmeStorage, isCustomerManagedKey, keyProblem } from '../../knowledge/customer-managed-key';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/*
 * The jobs inside a SageMaker Pipeline definition and a Step Functions state machine definition: both are JSON
 * documents embedded in a template string, often built by Fn::Join around references (engine/readers/embedded-json.ts).
 */

/** Past this depth the rule stops walking nested steps and states. */
const MAX_DEPTH = 32;


/** Replaces `${name}` in literal parts by the Step Functions definition substitution of that name. */
function substitute(parts: readonly ExpressionPart[], substitutions: Value): ExpressionPart[] | string {
  if (!isPlainObject(substitutions)) return [...parts];
  const out: ExpressionPart[] = [];
  for (const part of parts) {
    if (typeof part !== 'string') {
      out.push(part);
      continue;
    }
    let last = 0;
    for (const match of part.matchAll(/\$\{([^}]*)\}/g)) {
      if (!(match[1] in substitutions)) continue;
      out.push(part.slice(last, match.index));
      const value = substitutions[match[1]];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
      else if (value instanceof Expression) out.push(...value.parts);
      else if (value instanceof UnknownValue || value instanceof ResourceReference) out.push(value);
      else return `DefinitionSubstitutions.${match[1]} is ${describe(value)}`;
      last = (match.index ?? 0) + match[0].length;
    }
    out.push(part.slice(last));
  }
  return out;
}

/** Parses a definition given as text or as an {@link Expression}, after its Step Functions substitutions. */
function parseDefinition(text: Value, substitutions?: Value): EmbeddedJson {
  let parts: ExpressionPart[];
  if (typeof text === 'string') parts = [text];
  else if (text instanceof Expression) parts = [...text.parts];
  else return { failure: `it is ${describe(text)}` };
  const substituted = substitute(parts, substitutions);
  if (typeof substituted === 'string') return { failure: substituted };

  return parseJsonParts(substituted);
}

/** The literal text of a string value, with each part not known at synth time as `*`. */
function textOf(value: Value): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Expression) return value.pattern;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a job's arguments

/** A value a job takes only when it runs: a Step Functions JSONPath or JSONata value, a pipeline expression. */
class RuntimeValue extends UnknownValue {}

/** How a definition language writes values known only at run time. */
interface Dialect {
  /** Whether keys may take a run-time path instead of a value (`Key.$` in Step Functions). */
  readonly pathKeys: boolean;
  /** The value after its run-time expression is resolved as far as the definition allows, with where it came from. */
  resolve(value: Value): { readonly value: Value; readonly note?: string };
}

const STEP_FUNCTIONS: Dialect = {
  pathKeys: true,
  resolve(value) {
    if (typeof value === 'string' && /^\s*\{%[\s\S]*%\}\s*$/.test(value)) {
      return { value: new RuntimeValue(`it is the JSONata expression ${describe(value)}, evaluated when the state runs`) };
    }
    return { value };
  },
};

/** SageMaker Pipelines: `{"Get": "Parameters.X"}` takes the parameter's default; other expressions are run-time. */
function pipelineDialect(definition: Value): Dialect {
  const defaults = new Map<string, Value>();
  const declared = new Set<string>();
  const parameters = isPlainObject(definition) ? definition.Parameters : undefined;
  if (Array.isArray(parameters)) {
    for (const p of parameters) {
      if (!isPlainObject(p) || typeof p.Name !== 'string') continue;
      declared.add(p.Name);
      if (p.DefaultValue !== undefined) defaults.set(p.Name, p.DefaultValue);
    }
  }
  return {
    pathKeys: false,
    resolve(value) {
      if (!isPlainObject(value)) return { value };
      const keys = Object.keys(value);
      if (keys.length !== 1) return { value };
      const get = value.Get;
      if (keys[0] === 'Get' && typeof get === 'string' && get.startsWith('Parameters.')) {
        const name = get.slice('Parameters.'.length);
        if (defaults.has(name)) return { value: defaults.get(name), note: ` (the default of pipeline parameter ${name})` };
        return { value: new RuntimeValue(declared.has(name) ? `pipeline parameter ${name} has no default` : `pipeline parameter ${name} is not declared`) };
      }
      if (keys[0] === 'Get' || keys[0].startsWith('Std:')) {
        return { value: new RuntimeValue(`it is the pipeline expression ${describe(value)}, evaluated when the pipeline runs`) };
      }
      return { value };
    },
  };
}

interface Read {
  readonly value: Value;
  readonly note: string;
}

/** Reads `segments` below a job's arguments; a block on the way known only at run time makes the value run-time. */
function read(args: Value, segments: readonly string[], dialect: Dialect, name: string): Read {
  let { value: current, note } = dialect.resolve(args);
  let at = name;
  for (const segment of segments) {
    if (current instanceof UnknownValue || current instanceof Expression || current instanceof ResourceReference) {
      return { value: new RuntimeValue(`${at} is ${describe(current)}`), note: '' };
    }
    if (!isPlainObject(current)) return { value: undefined, note: '' };
    const pathKey = `${segment}.$`;
    if (segment in current) {
      current = current[segment];
    } else if (dialect.pathKeys && pathKey in current) {
      return { value: new RuntimeValue(`${at}.${pathKey} takes ${describe(current[pathKey])} from the state's input when it runs`), note: '' };
    } else {
      return { value: undefined, note: '' };
    }
    at = `${at}.${segment}`;
    const resolved = dialect.resolve(current);
    current = resolved.value;
    note = resolved.note;
  }
  return { value: current, note: note ?? '' };
}

// ---------------------------------------------------------------------------------------------------------------
// Judging one job

type Expectation = 'true' | 'key' | 'set';

interface Job {
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

function expectOf(expectation: Expectation, value: Value): Answer {
  if (value instanceof RuntimeValue) return value;
  if (expectation === 'true') return isTrue(value);
  if (expectation === 'key') return isCustomerManagedKey(value);
  return isSet(value);
}

function expect(job: Job, segments: readonly string[], expectation: Expectation, why: string): RuleResult {
  const { value, note } = read(job.args, segments, job.dialect, job.name);
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
function localNvmeOnly(job: Job, instanceType: readonly string[], instanceGroups?: readonly string[]): boolean {
  const single = read(job.args, instanceType, job.dialect, job.name).value;
  if (hasOnlyLocalNvmeStorage(single)) return true;
  if (!instanceGroups) return false;
  const groups = read(job.args, instanceGroups, job.dialect, job.name).value;
  return Array.isArray(groups) && groups.length > 0
    && groups.every((g) => hasOnlyLocalNvmeStorage(read(g, ['InstanceType'], job.dialect, '').value));
}

const WHY = {
  isolation: 'the job\'s container can reach the network, so a compromised image or dependency can exfiltrate the training '
    + 'data and model, or pull in code that poisons them',
  traffic: 'data and model parameters exchanged between the job\'s instances travel unencrypted',
  output: 'the job writes its output (model artifacts, processed data) to S3 without a key you control',
  volume: 'the ML storage volume attached to the job, holding the data and model it works on, is not encrypted with a key you control',
  vpc: 'the job does not run in your VPC, so its traffic is not segregated by your subnets, security groups and endpoint policies',
};

function trainingChecks(job: Job): RuleResult[] {
  return [
    expect(job, ['EnableNetworkIsolation'], 'true', WHY.isolation),
    expect(job, ['EnableInterContainerTrafficEncryption'], 'true', WHY.traffic),
    expect(job, ['OutputDataConfig', 'KmsKeyId'], 'key', WHY.output),
    localNvmeOnly(job, ['ResourceConfig', 'InstanceType'], ['ResourceConfig', 'InstanceGroups'])
      ? NOT_APPLICABLE : expect(job, ['ResourceConfig', 'VolumeKmsKeyId'], 'key', WHY.volume),
    expect(job, ['VpcConfig', 'Subnets'], 'set', WHY.vpc),
    expect(job, ['VpcConfig', 'SecurityGroupIds'], 'set', WHY.vpc),
  ];
}

function processingChecks(job: Job): RuleResult[] {
  const hasOutput = read(job.args, ['ProcessingOutputConfig'], job.dialect, job.name).value !== undefined;
  return [
    expect(job, ['NetworkConfig', 'EnableNetworkIsolation'], 'true', WHY.isolation),
    expect(job, ['NetworkConfig', 'EnableInterContainerTrafficEncryption'], 'true', WHY.traffic),
    hasOutput ? expect(job, ['ProcessingOutputConfig', 'KmsKeyId'], 'key', WHY.output) : NOT_APPLICABLE,
    localNvmeOnly(job, ['ProcessingResources', 'ClusterConfig', 'InstanceType'])
      ? NOT_APPLICABLE : expect(job, ['ProcessingResources', 'ClusterConfig', 'VolumeKmsKeyId'], 'key', WHY.volume),
    expect(job, ['NetworkConfig', 'VpcConfig', 'Subnets'], 'set', WHY.vpc),
    expect(job, ['NetworkConfig', 'VpcConfig', 'SecurityGroupIds'], 'set', WHY.vpc),
  ];
}

/** A transform job's network comes from its model; its output and volume keys are its own. */
function transformChecks(job: Job): RuleResult[] {
  return [
    expect(job, ['TransformOutput', 'KmsKeyId'], 'key', 'the job writes the model\'s batch predictions to S3 without a key you control'),
    localNvmeOnly(job, ['TransformResources', 'InstanceType'])
      ? NOT_APPLICABLE : expect(job, ['TransformResources', 'VolumeKmsKeyId'], 'key', WHY.volume),
  ];
}

/** A tuning job runs training jobs from one definition or several. */
function tuningChecks(job: Job): RuleResult[] {
  const results: RuleResult[] = [];
  const single = read(job.args, ['TrainingJobDefinition'], job.dialect, job.name).value;
  if (single !== undefined) results.push(...trainingChecks({ ...job, args: single, name: `${job.name}.TrainingJobDefinition` }));
  const many = read(job.args, ['TrainingJobDefinitions'], job.dialect, job.name).value;
  if (Array.isArray(many)) {
    many.forEach((definition, i) => results.push(...trainingChecks({ ...job, args: definition, name: `${job.name}.TrainingJobDefinitions[${i}]` })));
  } else if (many instanceof UnknownValue) {
    results.push(unverifiable(`${job.label}${job.name}.TrainingJobDefinitions cannot be verified at synth time: ${many.reason}`, job.location));
  }
  if (single === undefined && many === undefined) {
    results.push(...trainingChecks({ ...job, args: undefined, name: `${job.name}.TrainingJobDefinition` }));
  }
  return results;
}

type JobKind = 'training' | 'processing' | 'transform' | 'tuning';

const CHECKS: Record<JobKind, (job: Job) => RuleResult[]> = {
  training: trainingChecks,
  processing: processingChecks,
  transform: transformChecks,
  tuning: tuningChecks,
};

// ---------------------------------------------------------------------------------------------------------------
// SageMaker Pipelines

/** Pipeline step types that run a SageMaker job, by the job they run. Quality and Clarify checks run processing jobs. */
const PIPELINE_STEPS: Record<string, JobKind> = {
  Training: 'training',
  Processing: 'processing',
  QualityCheck: 'processing',
  ClarifyCheck: 'processing',
  Tuning: 'tuning',
  Transform: 'transform',
};

function pipelineJobs(steps: Value, dialect: Dialect, location: string, depth: number, out: Array<{ job: Job; kind: JobKind }>): void {
  if (!Array.isArray(steps) || depth > MAX_DEPTH) return;
  for (const step of steps) {
    if (!isPlainObject(step) || typeof step.Type !== 'string') continue;
    const name = typeof step.Name === 'string' ? step.Name : '(unnamed)';
    if (step.Type === 'Condition' && isPlainObject(step.Arguments)) {
      pipelineJobs(step.Arguments.IfSteps, dialect, location, depth + 1, out);
      pipelineJobs(step.Arguments.ElseSteps, dialect, location, depth + 1, out);
      continue;
    }
    const kind = PIPELINE_STEPS[step.Type];
    if (!kind) continue;
    out.push({ kind, job: { args: step.Arguments, label: `${step.Type} step "${name}": `, name: 'Arguments', dialect, location } });
  }
}

function judgePipelineDefinition(definition: Value, location: string): RuleResult {
  const parsed = isPlainObject(definition) ? { json: definition } : parseDefinition(definition);
  if ('failure' in parsed) {
    return unverifiable(`PipelineDefinition.PipelineDefinitionBody cannot be read: ${parsed.failure}; the steps it runs cannot be checked`, location);
  }
  const json = parsed.json;
  if (!isPlainObject(json) || !Array.isArray(json.Steps)) {
    return unverifiable('PipelineDefinition.PipelineDefinitionBody has no Steps list the rule can read', location);
  }
  const jobs: Array<{ job: Job; kind: JobKind }> = [];
  pipelineJobs(json.Steps, pipelineDialect(json), location, 0, jobs);
  return combine(...jobs.flatMap(({ job, kind }) => CHECKS[kind](job)));
}

function judgePipeline(resource: IndexedResource): RuleResult {
  const results: RuleResult[] = [];
  const location = 'Properties.PipelineDefinition';
  for (const branch of resource.get('PipelineDefinition')) {
    const definition = branch.value;
    let result: RuleResult;
    if (isPlainObject(definition) && definition.PipelineDefinitionBody !== undefined) {
      result = judgePipelineDefinition(definition.PipelineDefinitionBody, `${location}.PipelineDefinitionBody`);
    } else if (isPlainObject(definition) && definition.PipelineDefinitionS3Location !== undefined) {
      result = unverifiable('PipelineDefinition.PipelineDefinitionS3Location: the definition is in S3 and not inspectable at synth '
        + 'time, so the isolation and encryption of its training and processing steps cannot be checked; define the pipeline '
        + 'inline (PipelineDefinitionBody) to have it checked', `${location}.PipelineDefinitionS3Location`);
    } else {
      result = unverifiable(`PipelineDefinition is ${describe(definition)}: the steps it runs cannot be checked`, location);
    }
    results.push(qualify(result, branch));
  }
  return combine(...results);
}

// ---------------------------------------------------------------------------------------------------------------
// Step Functions

const SAGEMAKER_TASK = /^arn:[^:]*:states:::(?:aws-sdk:)?sagemaker:(createTrainingJob|createProcessingJob|createTransformJob|createHyperParameterTuningJob)(?:\.\w+)?$/i;
const SAGEMAKER_TASK_ANYWHERE = /sagemaker:create(?:TrainingJob|ProcessingJob|TransformJob|HyperParameterTuningJob)/i;

const TASK_KINDS: Record<string, JobKind> = {
  createtrainingjob: 'training',
  createprocessingjob: 'processing',
  createtransformjob: 'transform',
  createhyperparametertuningjob: 'tuning',
};

function stateMachineJobs(states: Value, location: string, depth: number, out: Array<{ job: Job; kind: JobKind }>): void {
  if (!isPlainObject(states) || depth > MAX_DEPTH) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isPlainObject(state)) continue;
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      for (const branch of state.Branches) if (isPlainObject(branch)) stateMachineJobs(branch.States, location, depth + 1, out);
      continue;
    }
    if (state.Type === 'Map') {
      for (const inner of [state.Iterator, state.ItemProcessor]) if (isPlainObject(inner)) stateMachineJobs(inner.States, location, depth + 1, out);
      continue;
    }
    if (state.Type !== 'Task') continue;
    const match = SAGEMAKER_TASK.exec(textOf(state.Resource) ?? '');
    if (!match) continue;
    const kind = TASK_KINDS[match[1].toLowerCase()];
    const argsKey = state.Parameters === undefined && state.Arguments !== undefined ? 'Arguments' : 'Parameters';
    out.push({
      kind,
      job: { args: state[argsKey], label: `Task state "${name}" (sagemaker:${match[1]}): `, name: argsKey, dialect: STEP_FUNCTIONS, location },
    });
  }
}

function judgeStateMachineDefinition(definition: Value, substitutions: Value, location: string): RuleResult {
  const parsed = isPlainObject(definition) ? { json: definition } : parseDefinition(definition, substitutions);
  if ('failure' in parsed) {
    // Only a definition that mentions a SageMaker job is the rule's concern.
    if (!SAGEMAKER_TASK_ANYWHERE.test(textOf(definition) ?? '')) return NOT_APPLICABLE;
    return unverifiable(`the state machine definition cannot be read: ${parsed.failure}; its SageMaker job tasks cannot be checked`, location);
  }
  const jobs: Array<{ job: Job; kind: JobKind }> = [];
  if (isPlainObject(parsed.json)) stateMachineJobs(parsed.json.States, location, 0, jobs);
  if (jobs.length === 0) return NOT_APPLICABLE;
  return combine(...jobs.flatMap(({ job, kind }) => CHECKS[kind](job)));
}

function judgeStateMachine(resource: IndexedResource): RuleResult {
  const results: RuleResult[] = [];
  const substitutions = resource.get('DefinitionSubstitutions');
  for (const property of ['DefinitionString', 'Definition']) {
    for (const branch of resource.get(property)) {
      if (branch.value === undefined) continue;
      for (const subs of substitutions) {
        const result = judgeStateMachineDefinition(branch.value, subs.value, `Properties.${property}`);
        results.push(qualify(result, { value: undefined, parameters: [...new Set([...branch.parameters, ...subs.parameters])] }));
      }
    }
  }
  if (results.length > 0) return combine(...results);
  if (resource.get('DefinitionS3Location').some((b) => b.value !== undefined)) {
    return unverifiable('DefinitionS3Location: the state machine definition is in S3 and not inspectable at synth time, so any '
      + 'SageMaker training or processing tasks in it cannot be checked', 'Properties.DefinitionS3Location');
  }
  return NOT_APPLICABLE;
}

/** Notes the template parameters that decided a non-compliant form of the definition. */
function qualify(result: RuleResult, branch: Branch): RuleResult {
  if (result.verdict !== Verdict.NON_COMPLIANT || branch.parameters.length === 0) return result;
  return { ...result, message: `${result.message} (with the value of parameter ${branch.parameters.join(', ')})` };
}

// ---------------------------------------------------------------------------------------------------------------

export const pipelineStepIsolation: RuleDefinition = {
  title: 'Training and processing steps of pipelines run isolated and encrypted',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Secure your infrastructure',
  quote: 'to their training and processing pipelines',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::Pipeline', 'AWS::StepFunctions::StateMachine'],
  compliantWhen: 'every Training, Processing (also QualityCheck/ClarifyCheck) and Tuning step of an inline '
    + '`PipelineDefinitionBody`, and every Step Functions task calling sagemaker:createTrainingJob/ProcessingJob/'
    + 'HyperParameterTuningJob, sets network isolation and inter-container traffic encryption to true, customer-managed '
    + 'output and volume keys, and a VPC (subnets and security groups); transform steps/tasks set output and volume keys. '
    + 'Volume keys are not asked for instance types with only local NVMe storage. `PipelineDefinitionS3Location` is '
    + 'unverifiable (not inspectable)',
  explanation: 'Training and processing jobs turn data into models. A job whose container can reach the network can '
    + 'exfiltrate the training data and model or load code that poisons them; unencrypted traffic, volumes and outputs '
    + 'leave data and model artifacts outside your access controls. No CloudFormation resource exists for these jobs, '
    + 'so their settings are only visible inside the pipeline or state machine definition.',
  fix: 'In each training/processing/tuning step set EnableNetworkIsolation and EnableInterContainerTrafficEncryption to true '
    + '(NetworkConfig for processing), OutputDataConfig.KmsKeyId / ProcessingOutputConfig.KmsKeyId and '
    + 'ResourceConfig.VolumeKmsKeyId / ProcessingResources.ClusterConfig.VolumeKmsKeyId to customer-managed keys, and a '
    + 'VpcConfig with private subnets and security groups (in the SageMaker Python SDK: enable_network_isolation, '
    + 'encrypt_inter_container_traffic, output_kms_key, volume_kms_key, subnets, security_group_ids). In Step Functions set '
    + 'the same task Parameters; CDK SageMakerCreateTrainingJob takes enableNetworkIsolation, outputDataConfig.encryptionKey, '
    + 'resourceConfig.volumeEncryptionKey and vpcConfig but not inter-container encryption: use a CustomState for that.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource) {
    return resource.type === 'AWS::SageMaker::Pipeline' ? judgePipeline(resource) : judgeStateMachine(resource);
  },
};
