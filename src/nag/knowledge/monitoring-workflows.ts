import { Job, JobKind, SAGEMAKER_TASK_ANYWHERE, stateMachineJobs } from './workflow-jobs';
import { allOf, Answer, anyOf, combine, isOneOf, isTrue, NOT_APPLICABLE, RuleResult } from '../engine/checks';
import { addToList, addToListOnce } from '../engine/lists';
import { S3Location, s3LocationOf } from '../engine/readers/s3-locations';
import { definitionText, leadingLiteral, readArgument, stateMachineDefinitions } from '../engine/readers/workflow-definitions';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { describe, isPlainObject, ResourceReference, UnknownValue, Value } from '../engine/values';

/*
 * Monitoring built from services AWS supports for new customers, in place of SageMaker Model Monitor: a Step Functions
 * state machine, started by a recurring EventBridge Scheduler schedule or EventBridge rule, whose SageMaker processing
 * task reads an endpoint's data capture (its `DataCaptureConfig.DestinationS3Uri`, under `<endpoint name>/`). The
 * task's input is often computed when the state runs (`{% 's3://bucket/captures/endpoint/' & $window & '/' %}`): what
 * it certainly starts with is what counts, so a task that may read anywhere else monitors nothing here.
 */

const ENDPOINT = 'AWS::SageMaker::Endpoint';
const ENDPOINT_CONFIG = 'AWS::SageMaker::EndpointConfig';
const BUCKET = 'AWS::S3::Bucket';
export const STATE_MACHINE = 'AWS::StepFunctions::StateMachine';
const SCHEDULE = 'AWS::Scheduler::Schedule';
const EVENT_RULE = 'AWS::Events::Rule';

/** One input of a processing job: its name and its `S3Input.S3Uri` as the definition writes it. */
export interface ProcessingInput {
  readonly name: Value;
  readonly uri: Value;
}

/** A processing task of a state machine that reads an endpoint's captures, and how it runs. */
export interface CaptureJob {
  readonly stateMachine: IndexedResource;
  readonly job: Job;
  /** `true` when a recurring, enabled schedule starts the state machine; otherwise why not, or why that is not known. */
  readonly scheduled: true | string | UnknownValue;
  /** Whether the job runs with network isolation. */
  readonly isolated: Answer;
}

interface Capture {
  readonly endpoint: IndexedResource;
  readonly destination: S3Location;
  /** The endpoint's literal name: its captures are under `<destination>/<name>/`. */
  readonly name?: string;
}

/** A processing task of a state machine that reads an endpoint's captures, as the templates declare both, created or not. */
interface DeclaredJob {
  readonly endpoint: IndexedResource;
  readonly stateMachine: IndexedResource;
  readonly job: Job;
  readonly isolated: Answer;
}

/**
 * What the app's state machines read, from every endpoint, state machine and schedule the templates declare, created or
 * not: found once per run. A rule asks about one endpoint or state machine whether those that answer it are created, and
 * whether a schedule that is created starts the state machine, so that it depends on their conditions alone.
 */
interface Lookup {
  /** The processing tasks that read each endpoint's captures. */
  readonly byEndpoint: Map<IndexedResource, DeclaredJob[]>;
  /** The processing tasks of each state machine that read some endpoint's captures. */
  readonly byStateMachine: Map<IndexedResource, DeclaredJob[]>;
  /** State machines that may read an endpoint's captures although the template cannot show it. */
  readonly possible: Map<IndexedResource, IndexedResource[]>;
  /** The schedules and EventBridge rules that name each state machine as their target, in the app's order. */
  readonly starters: Map<IndexedResource, IndexedResource[]>;
}

/** Whether a location certainly is (true), is not (false) or may be (unknown) within an endpoint's captures. */
const MAYBE = new UnknownValue('the location is known only at run time');

/** A declared task whose resources are created, with whether a schedule starts its state machine. */
function captureJob(index: ResourceIndex, declared: DeclaredJob): CaptureJob {
  const { stateMachine, job, isolated } = declared;
  return { stateMachine, job, scheduled: scheduleOf(index, stateMachine), isolated };
}

/** The processing tasks that read `endpoint`'s captures, of state machines that are created. */
export function captureJobsOf(index: ResourceIndex, endpoint: IndexedResource): readonly CaptureJob[] {
  const declared = lookupFor(index).byEndpoint.get(endpoint) ?? [];
  return index.keepCreated(declared, (j) => j.stateMachine).map((j) => captureJob(index, j));
}

/** The declared tasks of `stateMachine` that read the captures of an endpoint that is created. */
function declaredJobsOf(index: ResourceIndex, stateMachine: IndexedResource): readonly DeclaredJob[] {
  return index.keepCreated(lookupFor(index).byStateMachine.get(stateMachine) ?? [], (j) => j.endpoint);
}

/** The processing tasks of `stateMachine` that read an endpoint's captures: the monitoring jobs it runs. */
export function monitoringJobsOf(index: ResourceIndex, stateMachine: IndexedResource): readonly CaptureJob[] {
  return declaredJobsOf(index, stateMachine).map((j) => captureJob(index, j));
}

/**
 * A rule's judgement of the monitoring jobs a state machine runs (its processing tasks that read an endpoint's
 * captures), combined; not applicable to a state machine that runs none.
 */
export function judgeMonitoringJobs(index: ResourceIndex, stateMachine: IndexedResource, judge: (job: Job) => RuleResult[]): RuleResult {
  // Whether a schedule starts the state machine does not matter here: it is not asked.
  const jobs = declaredJobsOf(index, stateMachine);
  return jobs.length === 0 ? NOT_APPLICABLE : combine(...jobs.flatMap((j) => judge(j.job)));
}

/**
 * State machines that may read `endpoint`'s captures, but whose definition or inputs cannot be read at synth time: those
 * that are created and that a schedule may start (a state machine that nothing schedules monitors nothing).
 */
export function possibleMonitorsOf(index: ResourceIndex, endpoint: IndexedResource): readonly IndexedResource[] {
  const declared = lookupFor(index).possible.get(endpoint) ?? [];
  return index.keepCreated(declared, (m) => m).filter((m) => typeof scheduleOf(index, m) !== 'string');
}

/** The inputs of a processing job, or why they are known only at run time. */
export function processingInputs(job: Job): ProcessingInput[] | UnknownValue {
  const inputs = readArgument(job.args, ['ProcessingInputs'], job.dialect, job.name).value;
  if (inputs instanceof UnknownValue) return inputs;
  if (!Array.isArray(inputs)) return [];
  return inputs.map((input): ProcessingInput => {
    if (!isPlainObject(input)) return { name: undefined, uri: new UnknownValue(`an input is ${describe(input)}`) };
    const s3 = input.S3Input;
    let uri: Value;
    if (isPlainObject(s3) && 'S3Uri' in s3) uri = s3.S3Uri;
    else if (isPlainObject(s3) && 'S3Uri.$' in s3) uri = new UnknownValue(`S3Uri.$ takes ${describe(s3['S3Uri.$'])} from the state's input`);
    else if (s3 !== undefined) uri = new UnknownValue(`S3Input is ${describe(s3)}`);
    const name = 'InputName.$' in input
      ? new UnknownValue(`InputName.$ takes ${describe(input['InputName.$'])} from the state's input`) : job.dialect.resolve(input.InputName).value;
    return { name, uri };
  });
}

/** The app's captures, and by the bucket they are written to, so that an input is compared only with those in its bucket. */
interface Captures {
  readonly all: readonly Capture[];
  /** By {@link bucketKey} of the resolved destination bucket. */
  readonly byBucket: ReadonlyMap<unknown, readonly Capture[]>;
  /** Captures whose destination bucket is known only at deploy time: any input may read them. */
  readonly unknownBucket: readonly Capture[];
}

function lookupFor(index: ResourceIndex): Lookup {
  return index.memo(lookupFor, () => {
    const lookup: Lookup = { byEndpoint: new Map(), byStateMachine: new Map(), possible: new Map(), starters: new Map() };
    const captures = capturesOf(index);
    if (captures.all.length > 0) {
      for (const stateMachine of index.declaredOfType(STATE_MACHINE)) addStateMachine(index, lookup, stateMachine, captures);
      // In the order `referencesTo` would give them: by source, in the app's order.
      for (const starter of index.resources) {
        if (starter.type !== SCHEDULE && starter.type !== EVENT_RULE) continue;
        const path = starter.type === SCHEDULE ? 'Target.Arn' : 'Targets.Arn';
        for (const ref of index.declaredReferencesFrom(starter)) {
          if (ref.path === path && ref.target.type === STATE_MACHINE) addToListOnce(lookup.starters, ref.target, starter);
        }
      }
    }
    return lookup;
  });
}

/** Where each endpoint of the app captures to, through its endpoint configuration; every endpoint, created or not. */
function capturesOf(index: ResourceIndex): Captures {
  const captures: Capture[] = [];
  for (const endpoint of index.declaredOfType(ENDPOINT)) {
    const names = endpoint.get('EndpointName').map((b) => b.value);
    const name = names.length === 1 && typeof names[0] === 'string' ? names[0] : undefined;
    for (const configName of endpoint.get('EndpointConfigName')) {
      const config = index.resolveAs(ENDPOINT_CONFIG, configName.value);
      for (const uri of config?.get('DataCaptureConfig.DestinationS3Uri') ?? []) {
        const destination = s3LocationOf(uri.value);
        if (destination) captures.push({ endpoint, destination, name });
      }
    }
  }
  const byBucket = new Map<unknown, Capture[]>();
  const unknownBucket: Capture[] = [];
  for (const capture of captures) {
    const bucket = capture.destination.bucket;
    if (bucket instanceof UnknownValue) unknownBucket.push(capture);
    else addToList(byBucket, bucketKey(index, bucket), capture);
  }
  return { all: captures, byBucket, unknownBucket };
}

/**
 * The captures an input location may read: none when it has no location; those in its bucket and those whose bucket
 * is not known at synth time when its bucket is known; every capture otherwise. {@link reads} judges each.
 */
function capturesReadable(index: ResourceIndex, uri: Value, captures: Captures): readonly Capture[] {
  if (uri === undefined) return [];
  const literal = uri instanceof UnknownValue ? undefined : leadingLiteral(uri);
  const bucket = literal === undefined ? undefined : s3LocationOf(literal.value)?.bucket;
  if (bucket === undefined || bucket instanceof UnknownValue) return captures.all;
  const inBucket = captures.byBucket.get(bucketKey(index, bucket)) ?? [];
  return captures.unknownBucket.length === 0 ? inBucket : [...inBucket, ...captures.unknownBucket];
}

/** What tells buckets apart: the bucket of the app a name or reference resolves to, else the name or the reference. */
function bucketKey(index: ResourceIndex, bucket: string | ResourceReference): unknown {
  const resolved = typeof bucket === 'string' ? index.resolveAs(BUCKET, bucket) : index.resolve(bucket);
  if (resolved) return resolved;
  return bucket instanceof ResourceReference ? `${bucket.stackPath}\u0000${bucket.logicalId}` : bucket;
}

function addStateMachine(index: ResourceIndex, lookup: Lookup, stateMachine: IndexedResource, captures: Captures): void {
  const jobs: Array<{ job: Job; kind: JobKind }> = [];
  let unreadable = stateMachine.get('DefinitionS3Location').some((b) => b.value !== undefined);
  for (const form of stateMachineDefinitions(stateMachine)) {
    if ('failure' in form.parsed) unreadable = unreadable || SAGEMAKER_TASK_ANYWHERE.test(definitionText(form.text) ?? '');
    else jobs.push(...stateMachineJobs(form.parsed.json, form.location));
  }
  const maybe = new Set<IndexedResource>();
  if (unreadable) captures.all.forEach((c) => maybe.add(c.endpoint));
  for (const { job, kind } of jobs) {
    if (kind !== 'processing') continue;
    const inputs = processingInputs(job);
    // Endpoints whose captures the job may read; an endpoint that is not here it certainly does not read.
    const matches = new Map<IndexedResource, Answer>();
    const note = (capture: Capture, match: Answer) => matches.set(capture.endpoint, anyOf([matches.get(capture.endpoint) ?? false, match]));
    if (inputs instanceof UnknownValue) {
      captures.all.forEach((capture) => note(capture, MAYBE));
    } else {
      for (const input of inputs) {
        for (const capture of capturesReadable(index, input.uri, captures)) note(capture, reads(index, input.uri, capture));
      }
    }
    for (const [endpoint, match] of matches) {
      if (match instanceof UnknownValue) maybe.add(endpoint);
      if (match !== true) continue;
      const isolation = readArgument(job.args, ['NetworkConfig', 'EnableNetworkIsolation'], job.dialect, job.name).value;
      const declared: DeclaredJob = { endpoint, stateMachine, job, isolated: isolation instanceof UnknownValue ? isolation : isTrue(isolation) };
      addToListOnce(lookup.byEndpoint, endpoint, declared);
      addToListOnce(lookup.byStateMachine, stateMachine, declared);
    }
  }
  for (const endpoint of maybe) addToListOnce(lookup.possible, endpoint, stateMachine);
}

/** Whether an input location (an S3 URI, or a JSONata expression computing one) is within an endpoint's captures. */
function reads(index: ResourceIndex, uri: Value, capture: Capture): Answer {
  if (uri === undefined) return false;
  if (uri instanceof UnknownValue) return MAYBE;
  const literal = leadingLiteral(uri);
  const location = literal === undefined ? undefined : s3LocationOf(literal.value);
  if (literal === undefined || location === undefined) return MAYBE;
  const bucket = sameBucket(index, location.bucket, capture.destination.bucket);
  const key = location.key === undefined || capture.destination.key === undefined ? MAYBE
    : keyMatch(location.key, literal.whole, capture.destination.key, capture.name);
  return allOf([bucket, key]);
}

/**
 * Whether the keys an input reads include the endpoint's captures: the input reads `key` (whole) or keys starting with
 * `key` and something known only at run time (not whole); the captures are under `<destination>/<name>/`.
 */
function keyMatch(key: string, whole: boolean, destinationKey: string, name: string | undefined): Answer {
  const destination = destinationKey === '' ? '' : `${destinationKey.replace(/\/+$/, '')}/`;
  const captures = name === undefined ? undefined : `${destination}${name}/`;
  if (captures !== undefined) {
    if (key.startsWith(captures)) return true;
    if (captures.startsWith(key)) return whole ? true : MAYBE;
    return false;
  }
  // The endpoint's name is known only at deploy time: only a read of the whole destination certainly includes it.
  if (destination.startsWith(key)) return whole ? true : MAYBE;
  return key.startsWith(destination) ? MAYBE : false;
}

function sameBucket(index: ResourceIndex, a: S3Location['bucket'], b: S3Location['bucket']): Answer {
  if (a instanceof UnknownValue || b instanceof UnknownValue) return MAYBE;
  return bucketKey(index, a) === bucketKey(index, b);
}

/**
 * Whether a recurring, enabled schedule starts the state machine: an EventBridge Scheduler schedule (not a one-time
 * `at()`) or an EventBridge rule with a `ScheduleExpression`, naming it as their target, created and not `DISABLED`.
 * Found once per state machine and run, from the conditions of its own schedules alone.
 */
function scheduleOf(index: ResourceIndex, stateMachine: IndexedResource): true | string | UnknownValue {
  return index.memoPer(scheduleOf, stateMachine, () => {
    const starters = index.keepCreated(lookupFor(index).starters.get(stateMachine) ?? [], (s) => s);
    if (starters.length === 0) return 'no EventBridge Scheduler schedule or EventBridge rule starts it';
    const reasons: string[] = [];
    let unknown: UnknownValue | undefined;
    for (const starter of starters) {
      const recurring = recurs(starter);
      if (recurring === true) return true;
      if (recurring instanceof UnknownValue) unknown ??= recurring;
      else reasons.push(recurring);
    }
    return unknown ?? reasons.join('; ');
  });
}

const isDisabled = isOneOf('DISABLED');

function recurs(starter: IndexedResource): true | string | UnknownValue {
  const what = `${starter.type === SCHEDULE ? 'schedule' : 'rule'} ${starter.logicalId}`;
  for (const b of starter.get('State')) {
    const disabled = isDisabled(b.value);
    if (disabled === true) return `${what} is DISABLED`;
    if (disabled instanceof UnknownValue) return new UnknownValue(`the State of ${what} cannot be read at synth time: ${disabled.reason}`);
  }
  for (const b of starter.get('ScheduleExpression')) {
    if (b.value === undefined || b.value === '') return `${what} has no ScheduleExpression`;
    if (typeof b.value !== 'string') return new UnknownValue(`the ScheduleExpression of ${what} is ${describe(b.value)}`);
    if (b.value.trim().startsWith('at(')) return `${what} runs once (${b.value.trim()}), not continuously`;
  }
  return true;
}
