import { combine, COMPLIANT, decidingParametersOf, nonCompliant, NOT_APPLICABLE, qualifier, RuleResult, unverifiable, Verdict } from '../../engine/checks';
import { readArgument } from '../../engine/readers/workflow-definitions';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { UnknownValue } from '../../engine/values';
import { judgeImage } from '../../knowledge/container-images';
import { Job, JobKind, WorkflowForm, workflowForms } from '../../knowledge/workflow-jobs';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** Where each kind of job names its image. Transform jobs run a model's image, which V1 judges on the model. */
const IMAGE_PATHS: Record<JobKind, ReadonlyArray<readonly string[]>> = {
  training: [['AlgorithmSpecification', 'TrainingImage']],
  processing: [['AppSpecification', 'ImageUri']],
  tuning: [['TrainingJobDefinition', 'AlgorithmSpecification', 'TrainingImage']],
  transform: [],
  model: [['PrimaryContainer', 'Image']],
};

/** Lists of containers a model step or task names, each with its own `Image`: CreateModel's and CreateModelPackage's. */
const CONTAINER_LISTS: ReadonlyArray<readonly string[]> = [['Containers'], ['InferenceSpecification', 'Containers']];

const RISK = 'a job image from an unverified source, or one that can be swapped under the same name, runs code you did not vet '
  + 'with the training data and the model it produces';

function judgeJobImage(
  index: ResourceIndex, resource: IndexedResource, job: Job, segments: readonly string[], allowed: readonly string[],
): RuleResult {
  const { value, note } = readArgument(job.args, segments, job.dialect, job.name);
  const property = [job.name, ...segments].join('.');
  // No image: a training job that runs a SageMaker algorithm resource by name (AlgorithmName), or no job settings at all.
  if (value === undefined) return NOT_APPLICABLE;
  const verdict = judgeImage(index, resource, value, allowed);
  if (verdict.answer === false) return nonCompliant(`${job.label}${property} is ${verdict.detail}${note}: ${RISK}`, job.location);
  if (verdict.answer instanceof UnknownValue) return unverifiable(`${job.label}${property} cannot be verified at synth time: ${verdict.detail}`, job.location);
  return COMPLIANT;
}

/**
 * The jobs whose image to judge, with where: a tuning job trains from one definition or several; a model step or task
 * serves from a primary container or a list of containers.
 */
function imageReads(job: Job, kind: JobKind): Array<{ readonly job: Job; readonly segments: readonly string[] }> {
  const reads = IMAGE_PATHS[kind].map((segments) => ({ job, segments }));
  if (kind === 'model') {
    for (const list of CONTAINER_LISTS) {
      const containers = readArgument(job.args, list, job.dialect, job.name).value;
      if (!Array.isArray(containers)) continue;
      containers.forEach((container, i) => reads.push({ job: { ...job, args: container, name: `${job.name}.${list.join('.')}[${i}]` }, segments: ['Image'] }));
    }
    return reads;
  }
  if (kind !== 'tuning') return reads;
  const many = readArgument(job.args, ['TrainingJobDefinitions'], job.dialect, job.name).value;
  if (!Array.isArray(many)) return reads;
  return [...reads, ...many.map((definition, i) => ({
    job: { ...job, args: definition, name: `${job.name}.TrainingJobDefinitions[${i}]` },
    segments: ['AlgorithmSpecification', 'TrainingImage'],
  }))];
}

export const trustedWorkflowImages: RuleDefinition = {
  title: 'Images that pipeline steps and state machine jobs pull come from trusted registries and are pinned by digest',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Secure your supply chain',
  quote: 'from verified commercial, open source, and other third-party developers',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::Pipeline', 'AWS::StepFunctions::StateMachine'],
  compliantWhen: 'the image of every Training (`Arguments.AlgorithmSpecification.TrainingImage`), Processing, QualityCheck and ClarifyCheck '
    + '(`Arguments.AppSpecification.ImageUri`) and Tuning step (`TrainingJobDefinition(s).AlgorithmSpecification.TrainingImage`), and the serving image of every Model and '
    + 'RegisterModel step (`PrimaryContainer.Image`, `Containers[].Image`, `InferenceSpecification.Containers[].Image`) of an inline '
    + 'SageMaker Pipeline definition, and of every Step Functions task calling sagemaker:createTrainingJob/ProcessingJob/'
    + 'HyperParameterTuningJob/Model/ModelPackage (`Parameters…`), meets V1: in an ECR repository of the app, in ECR in the app\'s own account or in a '
    + 'registry of `allowedImageRegistries`, and pinned by an `@sha256:` digest (or an image-asset hash, or a tag of an immutable app '
    + 'repository). A value chosen when the workflow runs, or a definition in S3, is unverifiable; transform jobs run their model\'s '
    + 'image, which V1 judges on the model',
  explanation: 'Training and processing jobs run their container with the training data, the model being produced and the job\'s role. '
    + 'An image pulled from a public registry or by a floating tag can change under the pipeline between runs, so the model can be '
    + 'trained or evaluated by code nobody vetted: a supply-chain path to a poisoned or backdoored model that V1, judging only the '
    + 'serving containers, does not see.',
  fix: 'Copy the image into an ECR repository of your account and reference it by digest: in the SageMaker Python SDK pass '
    + 'image_uri="<account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:<digest>" to the Estimator or Processor; in Step Functions set '
    + 'AlgorithmSpecification.TrainingImage / AppSpecification.ImageUri to that URI (CDK SageMakerCreateTrainingJob: algorithmSpecification.'
    + 'trainingImage: DockerImage.fromEcrRepository(repository, \'sha256:<digest>\')); add registries you have vetted to allowedImageRegistries.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    const allowed = context.parameters.allowedImageRegistries;
    const results: RuleResult[] = [];
    const forms = workflowForms(resource);
    /** The image findings of one form of the workflow, each as judged. */
    const judged = (form: WorkflowForm): RuleResult[] => ('unreadable' in form ? [] : form.jobs.flatMap(({ job: found, kind }) =>
      imageReads(found, kind).map(({ job, segments }) => judgeJobImage(context.index, resource, job, segments, allowed))));
    const failures = (form: WorkflowForm): string | undefined =>
      judged(form).filter((r) => r.verdict === Verdict.NON_COMPLIANT).map((r) => r.message).join('; ') || undefined;
    for (const form of forms) {
      if ('unreadable' in form) {
        results.push(unverifiable(`${form.unreadable}: the images its jobs pull cannot be checked`, form.location));
        continue;
      }
      // A finding names the parameters of the image it is about, not those spliced elsewhere into the definition.
      let note: string | undefined;
      for (const result of judged(form)) {
        if (result.verdict === Verdict.NON_COMPLIANT) {
          note ??= qualifier(decidingParametersOf(resource, () => workflowForms(resource), forms, form, form.parameters, failures), 1);
          results.push(note === '' ? result : { ...result, message: `${result.message}${note}` });
        } else {
          results.push(result);
        }
      }
    }
    return combine(...results);
  },
};
