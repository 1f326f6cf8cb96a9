import { NOT_APPLICABLE, RuleResult, unverifiable } from '../engine/checks';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { describe, Value } from '../engine/values';

/**
 * Where the processing jobs that monitor and evaluate models keep their network, output and cluster settings:
 * the four monitoring job definitions, a monitoring schedule's inline job definition, and a processing job.
 */

/** The monitoring job definition types, by the prefix of their output block (`DataQualityJobOutputConfig`). */
const JOB_DEFINITIONS: Record<string, string> = {
  'AWS::SageMaker::DataQualityJobDefinition': 'DataQuality',
  'AWS::SageMaker::ModelQualityJobDefinition': 'ModelQuality',
  'AWS::SageMaker::ModelBiasJobDefinition': 'ModelBias',
  'AWS::SageMaker::ModelExplainabilityJobDefinition': 'ModelExplainability',
};

const SCHEDULE = 'AWS::SageMaker::MonitoringSchedule';
const PROCESSING_JOB = 'AWS::SageMaker::ProcessingJob';

/** The resource types whose jobs the rules judge. */
export const MONITORING_JOB_TYPES: readonly string[] = [...Object.keys(JOB_DEFINITIONS), SCHEDULE, PROCESSING_JOB];

/** Property paths of one job's settings, relative to the resource's properties. */
export interface MonitoringJobLayout {
  /** `NetworkConfig`. */
  readonly network: string;
  /** The output block holding `KmsKeyId`. */
  readonly output: string;
  /** Whether a job may have no output block at all (a processing job without outputs writes nothing). */
  readonly outputOptional: boolean;
  /** The cluster block holding `InstanceType` and `VolumeKmsKeyId`. */
  readonly cluster: string;
  /** What the job is, for messages. */
  readonly what: string;
}

/**
 * The layout of the job a resource runs; or the verdict itself when the resource runs a job defined elsewhere (a
 * schedule naming a job definition): not applicable when the definition is in the app (it is judged there),
 * unverifiable when it is not.
 */
export function monitoringJobLayout(resource: IndexedResource, index: ResourceIndex): MonitoringJobLayout | RuleResult {
  const kind = JOB_DEFINITIONS[resource.type];
  if (kind) {
    return { network: 'NetworkConfig', output: `${kind}JobOutputConfig`, outputOptional: false, cluster: 'JobResources.ClusterConfig', what: 'the monitoring job' };
  }
  if (resource.type === PROCESSING_JOB) {
    return { network: 'NetworkConfig', output: 'ProcessingOutputConfig', outputOptional: true, cluster: 'ProcessingResources.ClusterConfig', what: 'the processing job' };
  }
  const inline = 'MonitoringScheduleConfig.MonitoringJobDefinition';
  if (resource.get(inline).some((b) => b.value !== undefined)) {
    return {
      network: `${inline}.NetworkConfig`,
      output: `${inline}.MonitoringOutputConfig`,
      outputOptional: false,
      cluster: `${inline}.MonitoringResources.ClusterConfig`,
      what: "the schedule's monitoring job",
    };
  }
  return namedDefinitionVerdict(resource, index);
}

function namedDefinitionVerdict(schedule: IndexedResource, index: ResourceIndex): RuleResult {
  const path = 'MonitoringScheduleConfig.MonitoringJobDefinitionName';
  const unseen: Value[] = [];
  for (const branch of schedule.get(path)) {
    if (branch.value === undefined) continue;
    if (!isDefinitionOfApp(branch.value, index)) unseen.push(branch.value);
  }
  if (unseen.length === 0) return NOT_APPLICABLE;
  return unverifiable(`${path} is ${describe(unseen[0])}, a job definition that is not in the app: its network and `
    + 'encryption settings cannot be seen', `Properties.${path}`);
}

function isDefinitionOfApp(name: Value, index: ResourceIndex): boolean {
  return Object.keys(JOB_DEFINITIONS).some((type) => index.resolveAs(type, name) !== undefined);
}

/** Whether a value is a {@link MonitoringJobLayout} rather than a verdict. */
export function isLayout(value: MonitoringJobLayout | RuleResult): value is MonitoringJobLayout {
  return (value as MonitoringJobLayout).network !== undefined;
}
