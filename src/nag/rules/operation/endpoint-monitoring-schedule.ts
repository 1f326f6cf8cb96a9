import { COMPLIANT, isOneOf, nonCompliant, NOT_APPLICABLE, unverifiable } from '../../engine/checks';
import { addToListOnce, listOf } from '../../engine/lists';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, Expression, readPath, UnknownValue, unknownOf, Value } from '../../engine/values';
import { namesOf } from '../../knowledge/ai-assets';
import { MONITORING_JOB_TYPES } from '../../knowledge/monitoring-jobs';
import { captureJobsOf, CaptureJob, possibleMonitorsOf } from '../../knowledge/monitoring-workflows';
import { isServerlessEndpoint } from '../../knowledge/serverless-inference';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const ENDPOINT = 'AWS::SageMaker::Endpoint';
const SCHEDULE = 'AWS::SageMaker::MonitoringSchedule';
const PREFIX = 'AWS::SageMaker::';
const SUFFIX = 'JobDefinition';

/** The four monitoring job definition types, with their kind (`DataQuality`), from the engine's list of monitoring jobs. */
const DEFINITION_KINDS = new Map(MONITORING_JOB_TYPES.filter((t) => t.endsWith(SUFFIX))
  .map((t) => [t, t.slice(PREFIX.length, -SUFFIX.length)] as const));

type Kind = string;

/** What one monitoring schedule watches, read once per run. */
interface ScheduleInfo {
  readonly schedule: IndexedResource;
  readonly kind: Kind | undefined;
  /** Why the schedule does not run continuously, if it does not (stopped, one-time, no expression). */
  readonly inactive?: string;
}

/**
 * The monitoring schedules and model-quality definitions of the app as the templates declare them, created or not, found
 * once per run: a rule asks about one endpoint whether those that name it are created, and depends on their conditions
 * alone (a schedule that is not created monitors nothing).
 */
interface Lookup {
  /** The schedules that name each endpoint of the app. */
  readonly schedules: Map<IndexedResource, ScheduleInfo[]>;
  /** Schedules whose endpoint cannot be read: any of them may watch any endpoint. */
  readonly unresolved: ScheduleInfo[];
  /** Model-quality job definitions naming each endpoint. */
  readonly groundTruth: Map<IndexedResource, IndexedResource[]>;
}


/**
 * Adds the endpoint a value names (by reference or literal name) to `found`; true when the value cannot be read at
 * synth time and may name any endpoint. A literal name of an endpoint outside the app names nothing here.
 */
function endpointsNamed(index: ResourceIndex, value: Value, found: Set<IndexedResource>): boolean {
  if (value === undefined || value === null) return false;
  const endpoint = index.resolveAs(ENDPOINT, value);
  if (endpoint) {
    found.add(endpoint);
    return false;
  }
  return value instanceof UnknownValue || value instanceof Expression;
}

/** The job definition a schedule's `MonitoringJobDefinitionName` names, by reference or literal name. */
function definitionNamed(index: ResourceIndex, value: Value): IndexedResource | undefined {
  if (value === undefined) return undefined;
  for (const type of DEFINITION_KINDS.keys()) {
    const definition = index.resolveAs(type, value);
    if (definition) return definition;
  }
  return undefined;
}

/** The endpoints a job definition's `<Kind>JobInput.EndpointInput.EndpointName` names. */
function definitionEndpoints(index: ResourceIndex, definition: IndexedResource, found: Set<IndexedResource>): boolean {
  const kind = DEFINITION_KINDS.get(definition.type);
  let unknown = false;
  for (const b of definition.get(`${kind}JobInput.EndpointInput.EndpointName`)) unknown = endpointsNamed(index, b.value, found) || unknown;
  return unknown;
}

const isStopped = isOneOf('Stopped', 'Failed');

/** Why a schedule does not monitor continuously, in any form: no expression, a one-time `NOW` run, stopped. */
function inactivity(schedule: IndexedResource): string | undefined {
  for (const b of schedule.get('MonitoringScheduleConfig.ScheduleConfig.ScheduleExpression')) {
    if (b.value === undefined || b.value === '') return 'it has no ScheduleConfig.ScheduleExpression';
    if (typeof b.value === 'string' && b.value.trim().toUpperCase() === 'NOW') return 'it runs once (ScheduleExpression NOW), not continuously';
  }
  for (const b of schedule.get('MonitoringScheduleStatus')) {
    if (isStopped(b.value) === true) return `its MonitoringScheduleStatus is ${describe(b.value)}`;
  }
  return undefined;
}

function lookupFor(index: ResourceIndex): Lookup {
  return index.memo(lookupFor, () => {
    const lookup: Lookup = { schedules: new Map(), unresolved: [], groundTruth: new Map() };
    for (const schedule of index.declaredOfType(SCHEDULE)) {
      const endpoints = new Set<IndexedResource>();
      let unknown = false;
      let definition: IndexedResource | undefined;
      for (const b of schedule.get('EndpointName')) unknown = endpointsNamed(index, b.value, endpoints) || unknown;
      for (const b of schedule.get('MonitoringScheduleConfig.MonitoringJobDefinition.MonitoringInputs')) {
        if (unknownOf(b.value)) unknown = true;
        for (const input of listOf(b.value)) unknown = endpointsNamed(index, readPath(input, ['EndpointInput', 'EndpointName']), endpoints) || unknown;
      }
      for (const b of schedule.get('MonitoringScheduleConfig.MonitoringJobDefinitionName')) {
        const named = definitionNamed(index, b.value);
        if (named) {
          definition = definition ?? named;
          unknown = definitionEndpoints(index, named, endpoints) || unknown;
        } else if (b.value !== undefined && typeof b.value !== 'string') {
          unknown = true; // a definition outside the app, named at deploy time
        }
      }
      const declared = schedule.get('MonitoringScheduleConfig.MonitoringType').map((b) => b.value).find((v) => typeof v === 'string') as string | undefined;
      const kind = declared ?? (definition ? DEFINITION_KINDS.get(definition.type) : 'DataQuality');
      const info: ScheduleInfo = { schedule, kind, inactive: inactivity(schedule) };
      for (const endpoint of endpoints) addToListOnce(lookup.schedules, endpoint, info);
      if (unknown && endpoints.size === 0) lookup.unresolved.push(info);
    }
    for (const definition of index.declaredOfType('AWS::SageMaker::ModelQualityJobDefinition')) {
      const groundTruth = definition.get('ModelQualityJobInput.GroundTruthS3Input.S3Uri').some((b) => b.value !== undefined && b.value !== '');
      if (!groundTruth) continue;
      const endpoints = new Set<IndexedResource>();
      definitionEndpoints(index, definition, endpoints);
      for (const endpoint of endpoints) addToListOnce(lookup.groundTruth, endpoint, definition);
    }
    return lookup;
  });
}

const isKind = (wanted: string) => (kind: Kind | undefined) => kind !== undefined && isOneOf(wanted)(kind) === true;

/** Why a state machine that reads the endpoint's captures does not monitor it, or undefined when it does. */
function workflowProblem(w: CaptureJob): string | undefined {
  const name = `state machine ${w.stateMachine.logicalId}`;
  if (typeof w.scheduled === 'string') return `${name} reads its captures, but ${w.scheduled}`;
  if (w.isolated === false) {
    return `${name} reads its captures in a processing job without NetworkConfig.EnableNetworkIsolation, which does not count: a job that `
      + 'can reach the network can send the captures out';
  }
  return undefined;
}

/** Why it cannot be known whether a state machine that reads the endpoint's captures monitors it. */
function workflowUnknown(w: CaptureJob): string | undefined {
  if (w.scheduled instanceof UnknownValue) return `state machine ${w.stateMachine.logicalId} reads its captures, but ${w.scheduled.reason}`;
  if (w.isolated instanceof UnknownValue) {
    return `state machine ${w.stateMachine.logicalId} reads its captures, but whether its job is network-isolated cannot be seen: ${w.isolated.reason}`;
  }
  return undefined;
}

export const endpointMonitoringSchedule: RuleDefinition = {
  title: 'Every endpoint is monitored for drift on a schedule',
  section: GuidelineSection.OPERATION,
  guideline: "Monitor your system's behaviour",
  quote: 'observe sudden and gradual changes in behaviour affecting security … natural data drift',
  level: RuleLevel.WARNING,
  resourceTypes: [ENDPOINT],
  compliantWhen: 'either a Step Functions state machine started by a recurring, enabled schedule (an `AWS::Scheduler::Schedule` whose '
    + '`Target.Arn` is the state machine and whose `ScheduleExpression` is not a one-time `at()`, or an `AWS::Events::Rule` with a '
    + '`ScheduleExpression` targeting it) runs a SageMaker processing task (`sagemaker:createProcessingJob`) with '
    + '`NetworkConfig.EnableNetworkIsolation` true whose `ProcessingInputs` read the endpoint\'s captures (the '
    + '`DataCaptureConfig.DestinationS3Uri` of its configuration, under the endpoint\'s name; for an input computed by JSONata, the '
    + 'string it certainly starts with); or an `AWS::SageMaker::MonitoringSchedule` (SageMaker Model Monitor, for the customers '
    + 'who still have it) names the endpoint (its `EndpointName`, an inline job\'s `MonitoringInputs[].EndpointInput.EndpointName`, or '
    + 'the `EndpointInput` of the job definition named by `MonitoringJobDefinitionName`; by reference or literal name) with '
    + '`MonitoringType` DataQuality (the default for an inline job), a recurring `ScheduleConfig.ScheduleExpression` (not the one-time '
    + '`NOW`) and a `MonitoringScheduleStatus` other than Stopped. Where a `ModelQualityJobDefinition` with `GroundTruthS3Input` names '
    + 'the endpoint, an active ModelQuality schedule too. Not applicable to an endpoint whose configuration (in the app, in every form) '
    + 'has only serverless variants, which support neither data capture nor Model Monitor',
  explanation: 'A model in production drifts as the data it sees drifts, and an attacker probing or poisoning it shifts the input '
    + 'distribution too. Without a scheduled job that compares live traffic with a baseline, these sudden and gradual changes in '
    + 'behaviour go unnoticed. A job that can reach the network is not trusted with the captured traffic.',
  fix: 'Monitor drift with services AWS supports for new customers (SageMaker Model Monitor is closed to them): an '
    + 'aws_scheduler.Schedule that starts a Step Functions state machine running a network-isolated SageMaker processing job over the '
    + 'last window of the endpoint\'s data capture and a baseline, as cdk-secure-ai\'s InferenceEndpoint does by default (its '
    + 'driftMonitor, options in driftMonitoring); or, where Model Monitor is still available to you, a sagemaker.CfnMonitoringSchedule '
    + '(MonitoringType DataQuality, hourly) running a CfnDataQualityJobDefinition on the endpoint. Where ground truth is collected, '
    + 'schedule the ModelQualityJobDefinition as well.',
  peers: 'PRW sagemaker_models_monitor_enabled; CP aiml-sagemaker-monitoring-active (status only)',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource, context) {
    const index = context.index;
    if (isServerlessEndpoint(index, resource)) return NOT_APPLICABLE;
    const lookup = lookupFor(index);
    const schedules = index.keepCreated(lookup.schedules.get(resource) ?? [], (s) => s.schedule);
    const active = schedules.filter((s) => s.inactive === undefined);
    const workflows = captureJobsOf(index, resource);
    const problems: string[] = [];
    const unknowns: string[] = [];
    const monitoredByWorkflow = workflows.some((w) => w.scheduled === true && w.isolated === true);
    if (!active.some((s) => isKind('DataQuality')(s.kind)) && !monitoredByWorkflow) {
      const inactive = schedules.filter((s) => s.inactive !== undefined).map((s) => `${s.schedule.logicalId} (${s.inactive})`);
      const others = active.map((s) => `${s.schedule.logicalId} (${s.kind ?? 'unknown type'})`);
      problems.push('no scheduled, network-isolated processing job reads its captures and no active DataQuality monitoring schedule '
        + 'watches this endpoint'
        + workflows.map(workflowProblem).filter((p) => p !== undefined).map((p) => `; ${p}`).join('')
        + (inactive.length > 0 ? `; schedule ${inactive.join(', ')} does not run continuously` : '')
        + (others.length > 0 ? `; it only has ${others.join(', ')}` : ''));
      unknowns.push(...workflows.map(workflowUnknown).filter((u): u is string => u !== undefined));
      const possible = possibleMonitorsOf(index, resource).filter((m) => !workflows.some((w) => w.stateMachine === m));
      if (possible.length > 0) {
        unknowns.push(`state machine ${namesOf(possible)}, whose definition or processing inputs cannot be read at synth time, monitors it`);
      }
    }
    const truth = index.keepCreated(lookup.groundTruth.get(resource) ?? [], (d) => d);
    if (truth.length > 0 && !active.some((s) => isKind('ModelQuality')(s.kind))) {
      problems.push(`ground truth is collected for it (${namesOf(truth)}) but no active ModelQuality schedule runs `
        + 'the comparison, so falling accuracy is not observed');
    }
    if (problems.length === 0) return COMPLIANT;
    const unresolved = index.keepCreated(lookup.unresolved, (s) => s.schedule);
    if (unresolved.length > 0) {
      unknowns.push(`schedule ${namesOf(unresolved.map((s) => s.schedule))}, whose endpoint cannot be read at synth time, watches it`);
    }
    if (unknowns.length > 0) return unverifiable(`${problems.join('; ')}, unless ${unknowns.join(', or ')}`);
    return nonCompliant(`${problems.join('; ')}: sudden and gradual changes in the endpoint's behaviour, natural drift or the `
      + 'input shift of an attack, go unnoticed');
  },
};
