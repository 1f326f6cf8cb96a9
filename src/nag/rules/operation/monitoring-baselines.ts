import { combine, COMPLIANT, isSet, judge, nonCompliant, NOT_APPLICABLE, qualifier, RuleResult, unverifiable, Verdict, was } from '../../engine/checks';
import { IndexedResource } from '../../engine/resource-index';
import { describe, isPlainObject, readPath, UnknownValue, Value } from '../../engine/values';
import { isLayout, monitoringJobLayout } from '../../knowledge/monitoring-jobs';
import { judgeMonitoringJobs, processingInputs, STATE_MACHINE } from '../../knowledge/monitoring-workflows';
import { Job } from '../../knowledge/workflow-jobs';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const INLINE = 'MonitoringScheduleConfig.MonitoringJobDefinition';

/** Where each kind of monitoring job keeps its baseline, and whether it needs statistics as well as constraints. */
const BASELINES: Record<string, { readonly block: string; readonly statistics: boolean; readonly groundTruth?: string }> = {
  'AWS::SageMaker::DataQualityJobDefinition': { block: 'DataQualityBaselineConfig', statistics: true },
  'AWS::SageMaker::ModelQualityJobDefinition': {
    block: 'ModelQualityBaselineConfig', statistics: false, groundTruth: 'ModelQualityJobInput.GroundTruthS3Input.S3Uri',
  },
  'AWS::SageMaker::ModelBiasJobDefinition': { block: 'ModelBiasBaselineConfig', statistics: false },
  'AWS::SageMaker::ModelExplainabilityJobDefinition': { block: 'ModelExplainabilityBaselineConfig', statistics: false },
  'AWS::SageMaker::MonitoringSchedule': { block: `${INLINE}.BaselineConfig`, statistics: true },
};

const WHY = 'the monitoring job has nothing to compare live traffic with, so out-of-distribution and adversarial inputs are not detected';

/** An input of a state machine's monitoring job that is its baseline: named for it (`baseline`, `baseline-statistics`). */
const BASELINE_INPUT = /baseline/i;

/** A state machine's monitoring job (a processing task over an endpoint's captures) reads a baseline among its inputs. */
function judgeWorkflowBaseline(job: Job): RuleResult {
  const inputs = processingInputs(job);
  const property = `${job.label}${job.name}.ProcessingInputs`;
  if (inputs instanceof UnknownValue) return unverifiable(`${property} cannot be verified at synth time: ${inputs.reason}`, job.location);
  const baseline = inputs.find((i) => typeof i.name === 'string' && BASELINE_INPUT.test(i.name));
  if (baseline === undefined) {
    const unnamed = inputs.filter((i) => typeof i.name !== 'string');
    if (unnamed.length > 0) {
      return unverifiable(`${property} has an input whose InputName is ${describe(unnamed[0].name)}: whether it is a baseline cannot be seen`, job.location);
    }
    return nonCompliant(`${property} has no input named for a baseline (${inputs.map((i) => describe(i.name)).join(', ') || 'no inputs'}): ${WHY}`,
      job.location);
  }
  return isSet(baseline.uri) === false
    ? nonCompliant(`${property} input ${describe(baseline.name)} has no S3Input.S3Uri: ${WHY}`, job.location) : COMPLIANT;
}

/** Judges one form of a baseline block. */
function judgeBaseline(resource: IndexedResource, block: Value, parameters: readonly string[], statistics: boolean): RuleResult {
  const path = BASELINES[resource.type].block;
  const location = `Properties.${path}`;
  if (block instanceof UnknownValue) return unverifiable(`${path} cannot be verified at synth time: ${block.reason}`, location);
  if (block === undefined || !isPlainObject(block)) {
    return nonCompliant(`${path} ${was(block)}: ${WHY}`, location);
  }
  const results: RuleResult[] = [];
  const constraints = readPath(block, ['ConstraintsResource', 'S3Uri']);
  const job = readPath(block, ['BaseliningJobName']);
  const form = (value: Value) => [{ value, parameters }];
  if (constraints === undefined && isSet(job) === true && statistics) {
    // Only the name of the baselining job: its outputs are not in the template.
    results.push(unverifiable(`${path} names baselining job ${describe(job)} but no ConstraintsResource.S3Uri: whether the job's `
      + 'constraints reach the monitor cannot be seen at synth time', `${location}.BaseliningJobName`));
  } else {
    results.push(judge(form(constraints), `${location}.ConstraintsResource.S3Uri`, isSet,
      (v) => `${path}.ConstraintsResource.S3Uri ${was(v)}: ${WHY}`, `${path}.ConstraintsResource.S3Uri`));
  }
  if (statistics) {
    results.push(judge(form(readPath(block, ['StatisticsResource', 'S3Uri'])), `${location}.StatisticsResource.S3Uri`, isSet,
      (v) => `${path}.StatisticsResource.S3Uri ${was(v)}: without the baseline statistics drift in the input distribution cannot be measured`,
      `${path}.StatisticsResource.S3Uri`));
  }
  return combine(...results);
}

export const monitoringBaselines: RuleDefinition = {
  title: 'Monitoring jobs compare traffic with a baseline',
  section: GuidelineSection.OPERATION,
  guideline: "Monitor your system's inputs",
  quote: 'explicit detection of out-of-distribution and/or adversarial inputs',
  level: RuleLevel.WARNING,
  resourceTypes: [...Object.keys(BASELINES), STATE_MACHINE],
  compliantWhen: 'every monitoring job has a baseline, in every form: a processing task of a Step Functions state machine that reads an '
    + 'endpoint\'s data capture (the drift monitoring that replaces SageMaker Model Monitor) has a `ProcessingInputs` entry whose '
    + '`InputName` contains `baseline` with an `S3Input.S3Uri`; for Model Monitor, `DataQualityJobDefinition` '
    + '`DataQualityBaselineConfig.ConstraintsResource.S3Uri` and `StatisticsResource.S3Uri`; `ModelQualityJobDefinition` '
    + '`ModelQualityBaselineConfig.ConstraintsResource.S3Uri` and `ModelQualityJobInput.GroundTruthS3Input.S3Uri`; '
    + '`ModelBias`/`ModelExplainability` job definitions their `…BaselineConfig.ConstraintsResource.S3Uri`; a `MonitoringSchedule` with '
    + 'an inline job `MonitoringJobDefinition.BaselineConfig` constraints and statistics. A `BaseliningJobName` without the S3 URIs is '
    + 'unverifiable; a schedule that names a job definition of the app is judged at the definition (not applicable)',
  explanation: 'A monitoring job detects drift, out-of-distribution and adversarial inputs only by comparing live traffic with '
    + 'the statistics and constraints of a known-good baseline. A job without one runs, costs and reports nothing useful.',
  fix: 'Give the monitoring job the training data\'s baseline: in the state machine\'s sagemaker:createProcessingJob task, a '
    + 'ProcessingInputs entry named baseline whose S3Input.S3Uri is the reference dataset (cdk-secure-ai\'s InferenceEndpoint reads '
    + 'baseline/reference.csv beside the model artifact, or its baselineKey). For Model Monitor, run a baselining job on the training '
    + 'data and set DataQualityBaselineConfig.ConstraintsResource.S3Uri and StatisticsResource.S3Uri (or the ModelQuality/ModelBias/'
    + 'ModelExplainability BaselineConfig) on the job definition, or BaselineConfig on the schedule\'s inline job.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    if (resource.type === STATE_MACHINE) return judgeMonitoringJobs(context.index, resource, (job) => [judgeWorkflowBaseline(job)]);
    const spec = BASELINES[resource.type];
    if (!spec) return NOT_APPLICABLE;
    if (resource.type === 'AWS::SageMaker::MonitoringSchedule') {
      const layout = monitoringJobLayout(resource, context.index);
      if (!isLayout(layout)) {
        if (layout.verdict !== Verdict.UNVERIFIABLE) return layout;
        return unverifiable('the schedule runs a job definition that is not in the app: whether it has a baseline cannot be seen',
          'Properties.MonitoringScheduleConfig.MonitoringJobDefinitionName');
      }
    }
    const forms = resource.get(spec.block);
    const results = forms.map((b) => {
      const result = judgeBaseline(resource, b.value, b.parameters, spec.statistics);
      return forms.length > 1 && result.verdict === Verdict.NON_COMPLIANT && result.message
        ? { ...result, message: `${result.message}${qualifier([], forms.length)}` } : result;
    });
    if (spec.groundTruth) {
      const path = spec.groundTruth;
      results.push(judge(resource.get(path), `Properties.${path}`, isSet,
        (v) => `${path} ${was(v)}: model quality cannot be measured without ground truth`, path));
    }
    return results.length === 0 ? COMPLIANT : combine(...results);
  },
};
