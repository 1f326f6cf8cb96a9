import { combine, decidingParameters, decidingParametersOf, NOT_APPLICABLE, qualifier, RuleResult, unverifiable, Verdict } from '../../engine/checks';
import {
  definitionText, parseWorkflowDefinition, readArgument, StateMachineDefinition, stateMachineDefinitions,
} from '../../engine/readers/workflow-definitions';
import { IndexedResource } from '../../engine/resource-index';
import { describe, isPlainObject, UnknownValue, Value } from '../../engine/values';
import {
  expectArgument, Job, JobKind, localNvmeOnly, pipelineJobs, processingJobChecks, SAGEMAKER_TASK_ANYWHERE, stateMachineJobs,
} from '../../knowledge/workflow-jobs';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/*
 * The rule judges the SageMaker jobs inside pipeline and state machine definitions (knowledge/workflow-jobs.ts finds
 * them and judges their settings, engine/readers/workflow-definitions.ts reads their arguments as the workflow language
 * resolves them).
 */

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
    expectArgument(job, ['EnableNetworkIsolation'], 'true', WHY.isolation),
    expectArgument(job, ['EnableInterContainerTrafficEncryption'], 'true', WHY.traffic),
    expectArgument(job, ['OutputDataConfig', 'KmsKeyId'], 'key', WHY.output),
    localNvmeOnly(job, ['ResourceConfig', 'InstanceType'], ['ResourceConfig', 'InstanceGroups'])
      ? NOT_APPLICABLE : expectArgument(job, ['ResourceConfig', 'VolumeKmsKeyId'], 'key', WHY.volume),
    expectArgument(job, ['VpcConfig', 'Subnets'], 'set', WHY.vpc),
    expectArgument(job, ['VpcConfig', 'SecurityGroupIds'], 'set', WHY.vpc),
  ];
}


/** A transform job's network comes from its model; its output and volume keys are its own. */
function transformChecks(job: Job): RuleResult[] {
  return [
    expectArgument(job, ['TransformOutput', 'KmsKeyId'], 'key', 'the job writes the model\'s batch predictions to S3 without a key you control'),
    localNvmeOnly(job, ['TransformResources', 'InstanceType'])
      ? NOT_APPLICABLE : expectArgument(job, ['TransformResources', 'VolumeKmsKeyId'], 'key', WHY.volume),
  ];
}

/** A tuning job runs training jobs from one definition or several. */
function tuningChecks(job: Job): RuleResult[] {
  const results: RuleResult[] = [];
  const single = readArgument(job.args, ['TrainingJobDefinition'], job.dialect, job.name).value;
  if (single !== undefined) results.push(...trainingChecks({ ...job, args: single, name: `${job.name}.TrainingJobDefinition` }));
  const many = readArgument(job.args, ['TrainingJobDefinitions'], job.dialect, job.name).value;
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


const CHECKS: Record<JobKind, (job: Job) => RuleResult[]> = {
  training: trainingChecks,
  processing: (job) => processingJobChecks(job, WHY),
  transform: transformChecks,
  tuning: tuningChecks,
  // A model a workflow creates runs no job: its image is V17's, its isolation is set where it is served.
  model: () => [],
};

// ---------------------------------------------------------------------------------------------------------------
// SageMaker Pipelines

function judgePipelineDefinition(definition: Value, location: string): RuleResult {
  const parsed = isPlainObject(definition) ? { json: definition } : parseWorkflowDefinition(definition);
  if ('failure' in parsed) {
    return unverifiable(`PipelineDefinition.PipelineDefinitionBody cannot be read: ${parsed.failure}; the steps it runs cannot be checked`, location);
  }
  const json = parsed.json;
  if (!isPlainObject(json) || !Array.isArray(json.Steps)) {
    return unverifiable('PipelineDefinition.PipelineDefinitionBody has no Steps list the rule can read', location);
  }
  const jobs = pipelineJobs(json, location);
  return combine(...jobs.flatMap(({ job, kind }) => CHECKS[kind](job)));
}

/** Judges one form of a pipeline's `PipelineDefinition`. */
function judgePipelineForm(definition: Value): RuleResult {
  const location = 'Properties.PipelineDefinition';
  if (isPlainObject(definition) && definition.PipelineDefinitionBody !== undefined) {
    return judgePipelineDefinition(definition.PipelineDefinitionBody, `${location}.PipelineDefinitionBody`);
  }
  if (isPlainObject(definition) && definition.PipelineDefinitionS3Location !== undefined) {
    return unverifiable('PipelineDefinition.PipelineDefinitionS3Location: the definition is in S3 and not inspectable at synth '
      + 'time, so the isolation and encryption of its training and processing steps cannot be checked; define the pipeline '
      + 'inline (PipelineDefinitionBody) to have it checked', `${location}.PipelineDefinitionS3Location`);
  }
  return unverifiable(`PipelineDefinition is ${describe(definition)}: the steps it runs cannot be checked`, location);
}

function judgePipeline(resource: IndexedResource): RuleResult {
  const branches = resource.get('PipelineDefinition');
  return combine(...branches.map((branch) => qualify(judgePipelineForm(branch.value),
    () => decidingParameters(resource, 'PipelineDefinition', branches, branch, (b) => failureOf(judgePipelineForm(b.value))))));
}

// ---------------------------------------------------------------------------------------------------------------
// Step Functions

function judgeStateMachineDefinition(form: StateMachineDefinition): RuleResult {
  const { parsed, location } = form;
  if ('failure' in parsed) {
    // Only a definition that mentions a SageMaker job is the rule's concern.
    if (!SAGEMAKER_TASK_ANYWHERE.test(definitionText(form.text) ?? '')) return NOT_APPLICABLE;
    return unverifiable(`the state machine definition cannot be read: ${parsed.failure}; its SageMaker job tasks cannot be checked`, location);
  }
  const jobs = stateMachineJobs(parsed.json, location);
  if (jobs.length === 0) return NOT_APPLICABLE;
  return combine(...jobs.flatMap(({ job, kind }) => CHECKS[kind](job)));
}

function judgeStateMachine(resource: IndexedResource): RuleResult {
  const forms = stateMachineDefinitions(resource);
  const results = forms.map((form) => qualify(judgeStateMachineDefinition(form), () => decidingParametersOf(resource,
    () => stateMachineDefinitions(resource), forms, form, form.parameters, (f) => failureOf(judgeStateMachineDefinition(f)))));
  if (results.length > 0) return combine(...results);
  if (resource.get('DefinitionS3Location').some((b) => b.value !== undefined)) {
    return unverifiable('DefinitionS3Location: the state machine definition is in S3 and not inspectable at synth time, so any '
      + 'SageMaker training or processing tasks in it cannot be checked', 'Properties.DefinitionS3Location');
  }
  return NOT_APPLICABLE;
}

/** The message of a non-compliant result: what a finding on a form of the definition says. */
function failureOf(result: RuleResult): string | undefined {
  return result.verdict === Verdict.NON_COMPLIANT ? result.message : undefined;
}

/**
 * Notes the template parameters a non-compliant form of the definition rests on: of those spliced into it, the ones
 * that decide the settings the finding names (see `decidingParameters`), asked only for a finding.
 */
function qualify(result: RuleResult, parametersOf: () => readonly string[]): RuleResult {
  if (result.verdict !== Verdict.NON_COMPLIANT) return result;
  const note = qualifier(parametersOf(), 1);
  return note === '' ? result : { ...result, message: `${result.message}${note}` };
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
