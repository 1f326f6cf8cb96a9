import { field, itemsOf, textOf } from './template-text';
import { grantsAction, Statement } from '../nag/engine/readers/policy-documents';
import { leadingLiteral, parseWorkflowDefinition, stateMachineDefinitions } from '../nag/engine/readers/workflow-definitions';
import { IndexedResource, ResourceIndex } from '../nag/engine/resource-index';
import { isPlainObject, Value } from '../nag/engine/values';
import { roleStatements } from '../nag/knowledge/role-permissions';
import { Job, JobKind, pipelineJobs, stateMachineJobs } from '../nag/knowledge/workflow-jobs';

/**
 * The training pipelines of an app: Step Functions state machines and SageMaker Pipelines that run a training or
 * tuning job, with what each job reads and writes, the steps around them, the model package groups the pipeline may
 * register into and whether it may sign. The BOM's `formulation` and the training half of its dependencies.
 */

/** One training (or tuning) job of a pipeline. */
export interface TrainingJob {
  readonly label: string;
  readonly kind: JobKind;
  readonly image: Value;
  readonly inputs: ReadonlyArray<{ readonly channel: string; readonly uri: Value }>;
  readonly output: Value;
  readonly instanceType?: string;
  readonly hyperParameters: ReadonlyArray<readonly [string, string]>;
}

/** One pipeline: the resource that defines it and what it runs. */
export interface TrainingPipeline {
  readonly resource: IndexedResource;
  readonly jobs: readonly TrainingJob[];
  /** Every step or state, in definition order: `Train (Task)`. */
  readonly steps: ReadonlyArray<{ readonly name: string; readonly type: string; readonly comment?: string }>;
  /** Where its training jobs write (`S3OutputPath`). */
  readonly outputs: readonly Value[];
  readonly processingInputs: readonly Value[];
  readonly processingImages: readonly Value[];
  /** Model package groups of the app that a role of the pipeline may register versions into. */
  readonly registersTo: readonly IndexedResource[];
  /** Whether a role of the pipeline may sign with KMS (`kms:Sign`): the artifact's digest is signed at training time. */
  readonly signs: boolean;
}

/** The training pipelines of the app; read once per index. */
export function trainingPipelines(index: ResourceIndex): readonly TrainingPipeline[] {
  return sageMakerWorkflows(index).filter((w) => w.jobs.length > 0);
}

/**
 * Every workflow of the app that runs a SageMaker job: the training pipelines, and the workflows that only process
 * (evaluation, drift monitoring), which have no training jobs but read data of their own; read once per index.
 */
export function sageMakerWorkflows(index: ResourceIndex): readonly TrainingPipeline[] {
  return index.memo(sageMakerWorkflows, () => {
    const out: TrainingPipeline[] = [];
    for (const resource of [...index.ofType('AWS::StepFunctions::StateMachine'), ...index.ofType('AWS::SageMaker::Pipeline')]) {
      const read = readWorkflow(resource);
      if (!read || read.jobs.length === 0) continue;
      const roles = rolesOf(index, resource);
      const statements = roles.flatMap((role) => roleStatements(index, role).statements);
      out.push({
        resource,
        jobs: read.jobs.filter((j) => j.kind === 'training' || j.kind === 'tuning').map((j) => trainingJob(j.job, j.kind)),
        steps: read.steps,
        outputs: read.jobs.map((j) => field(trainingArgs(j.job, j.kind), 'OutputDataConfig', 'S3OutputPath')).filter((o) => o !== undefined),
        processingInputs: read.jobs.filter((j) => j.kind === 'processing')
          .flatMap((j) => itemsOf(field(j.job.args, 'ProcessingInputs')).map((i) => certainPart(field(i, 'S3Input', 'S3Uri'))))
          .filter((v) => v !== undefined),
        processingImages: read.jobs.filter((j) => j.kind === 'processing')
          .map((j) => field(j.job.args, 'AppSpecification', 'ImageUri')).filter((v) => v !== undefined),
        registersTo: groupsRegisteredBy(index, statements),
        signs: statements.some(({ statement }) => grantsAction(statement, 'kms:Sign')),
      });
    }
    return out;
  });
}

function readWorkflow(resource: IndexedResource): { jobs: Array<{ job: Job; kind: JobKind }>; steps: TrainingPipeline['steps'] } | undefined {
  if (resource.type === 'AWS::StepFunctions::StateMachine') {
    const form = stateMachineDefinitions(resource).find((d) => 'json' in d.parsed);
    if (!form || !('json' in form.parsed)) return undefined;
    const states = field(form.parsed.json, 'States');
    const steps = isPlainObject(states) ? Object.entries(states).map(([name, state]) => ({
      name, type: textOf(field(state, 'Type')) ?? 'Task', comment: textOf(field(state, 'Comment')),
    })) : [];
    return { jobs: stateMachineJobs(form.parsed.json, form.location), steps };
  }
  const body = resource.get('PipelineDefinition.PipelineDefinitionBody')[0]?.value;
  const parsed = isPlainObject(body) ? { json: body } : parseWorkflowDefinition(body);
  if (!('json' in parsed) || !isPlainObject(parsed.json)) return undefined;
  const steps = itemsOf(parsed.json.Steps).map((step) => ({
    name: textOf(field(step, 'Name')) ?? '(unnamed)', type: textOf(field(step, 'Type')) ?? '?', comment: textOf(field(step, 'Description')),
  }));
  return { jobs: pipelineJobs(parsed.json, 'Properties.PipelineDefinition'), steps };
}

/** What a JSONata value of a workflow certainly is at synthesis (the literal it starts with), else the value. */
function certainPart(value: Value): Value {
  return leadingLiteral(value)?.value ?? value;
}

/** A tuning job's training settings are in its `TrainingJobDefinition`. */
function trainingArgs(job: Job, kind: JobKind): Value {
  return kind === 'tuning' ? field(job.args, 'TrainingJobDefinition') : job.args;
}

function trainingJob(job: Job, kind: JobKind): TrainingJob {
  const args = trainingArgs(job, kind);
  const hyper = field(args, kind === 'tuning' ? 'StaticHyperParameters' : 'HyperParameters');
  return {
    label: job.label.replace(/: $/, ''),
    kind,
    image: field(args, 'AlgorithmSpecification', 'TrainingImage'),
    inputs: itemsOf(field(args, 'InputDataConfig')).map((channel) => ({
      channel: textOf(field(channel, 'ChannelName')) ?? '(unnamed)',
      uri: field(channel, 'DataSource', 'S3DataSource', 'S3Uri'),
    })).filter((i) => i.uri !== undefined),
    output: field(args, 'OutputDataConfig', 'S3OutputPath'),
    instanceType: textOf(field(args, 'ResourceConfig', 'InstanceType')),
    hyperParameters: isPlainObject(hyper)
      ? Object.entries(hyper).map(([k, v]) => [k, textOf(v) ?? '?'] as const).sort(([a], [b]) => a.localeCompare(b))
      : [],
  };
}

/**
 * The roles a workflow acts with: its own, and those of the functions and resources it invokes (a signing step's
 * Lambda function, reached through a version or alias).
 */
function rolesOf(index: ResourceIndex, workflow: IndexedResource): IndexedResource[] {
  const roles = new Set<IndexedResource>();
  const seen = new Set<IndexedResource>([workflow]);
  let frontier = [workflow];
  for (let depth = 0; depth < 3 && frontier.length > 0; depth++) {
    const next: IndexedResource[] = [];
    for (const resource of frontier) {
      for (const ref of index.referencesFrom(resource)) {
        const target = ref.target;
        if (seen.has(target)) continue;
        seen.add(target);
        if (target.type === 'AWS::IAM::Role') roles.add(target);
        else if (/^AWS::Lambda::(Function|Version|Alias)$/.test(target.type)) next.push(target);
      }
    }
    frontier = next;
  }
  return [...roles];
}

function groupsRegisteredBy(index: ResourceIndex, statements: ReadonlyArray<{ statement: Statement; from: IndexedResource }>): IndexedResource[] {
  const groups = new Set<IndexedResource>();
  for (const { statement, from } of statements) {
    if (!grantsAction(statement, 'sagemaker:CreateModelPackage')) continue;
    for (const ref of index.referencesFrom(from)) {
      if (ref.target.type === 'AWS::SageMaker::ModelPackageGroup') groups.add(ref.target);
    }
  }
  return [...groups];
}
