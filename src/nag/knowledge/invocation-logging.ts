import { DeclaredAnswers } from '../engine/declared-answers';
import { member, parseEmbeddedJson } from '../engine/readers/embedded-json';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { Branch, isPlainObject, UnknownValue, Value } from '../engine/values';

/**
 * Bedrock model-invocation logging as an app configures it. CloudFormation has no resource type for it, so apps call
 * `PutModelInvocationLoggingConfiguration` from a custom resource: a CDK `AwsCustomResource` (`Custom::AWS`, or
 * another `Custom::` name given with `resourceType`) whose `Create`/`Update` properties are JSON strings
 * `{"service":"Bedrock","action":"PutModelInvocationLoggingConfiguration","parameters":{"loggingConfig":{...}}}`.
 * Read once per run by O6 (which log groups receive prompts) and O7 (is invocation logging configured). Every call the
 * templates declare is kept, created or not: the rule that reads one asks whether its resource is created, so that it
 * depends on the conditions of the calls that answer it alone, not on those of every call of the app.
 */

/** The properties of a custom resource that hold the SDK calls. */
const CALL_PROPERTIES = ['Create', 'Update'] as const;
const ACTION = 'putmodelinvocationloggingconfiguration';

/** One form of one call (`Create` or `Update`) of a custom resource. */
export interface LoggingCallForm {
  /** `Create` or `Update`. */
  readonly property: string;
  /** The `loggingConfig` parameter, or why it cannot be read. */
  readonly loggingConfig: Value;
  /** The form of the property the call was read from. */
  readonly branch: Branch;
}

/** A custom resource that configures model-invocation logging. */
export interface LoggingCall {
  readonly resource: IndexedResource;
  /** Every form of every call of the resource that configures invocation logging. */
  readonly forms: readonly LoggingCallForm[];
}

export interface InvocationLoggingLookup {
  /**
   * The custom resources that call PutModelInvocationLoggingConfiguration, in index order, created or not: a rule keeps
   * those that are created ({@link ResourceIndex.keepCreated}).
   */
  readonly calls: readonly LoggingCall[];
  /**
   * Log groups of the app that invocation logs are delivered to, each with the custom resources that deliver them, in
   * index order, created or not: `first` gives the first that is created.
   */
  readonly logGroups: DeclaredAnswers<IndexedResource, IndexedResource>;
}

/** Whether a resource type is a custom resource (`Custom::*`, `AWS::CloudFormation::CustomResource`). */
export function isCustomResourceType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/** The app's invocation-logging custom resources and their log groups, created or not, read once per run. */
export function invocationLogging(index: ResourceIndex): InvocationLoggingLookup {
  return index.memo(invocationLogging, () => {
    const calls: LoggingCall[] = [];
    const logGroups = new DeclaredAnswers<IndexedResource, IndexedResource>();
    for (const resource of index.resources) {
      if (!isCustomResourceType(resource.type) || !mentionsAction(resource)) continue;
      const forms = callForms(resource);
      if (forms.length === 0) continue;
      calls.push({ resource, forms });
      const delivered = new Set<IndexedResource>();
      for (const form of forms) {
        const name = cloudWatchLogGroup(form.loggingConfig);
        const group = name === undefined ? undefined : index.resolveAs('AWS::Logs::LogGroup', name);
        if (group && !delivered.has(group)) {
          delivered.add(group);
          logGroups.add(group, resource, resource);
        }
      }
    }
    const lookup: InvocationLoggingLookup = { calls, logGroups };
    return lookup;
  });
}

/** A cheap test on the raw properties before any parsing: does a call name the action at all? */
function mentionsAction(resource: IndexedResource): boolean {
  return CALL_PROPERTIES.some((p) => {
    const raw = resource.properties[p];
    if (raw === undefined) return false;
    let text: string;
    try {
      text = typeof raw === 'string' ? raw : JSON.stringify(raw) ?? '';
    } catch {
      return false;
    }
    return text.toLowerCase().includes(ACTION);
  });
}

/** The forms of the resource's calls that are PutModelInvocationLoggingConfiguration. */
function callForms(resource: IndexedResource): LoggingCallForm[] {
  return CALL_PROPERTIES.flatMap((property) => resource.get(property).map((branch) => callFormOf(property, branch))
    .filter((form): form is LoggingCallForm => form !== undefined));
}

/** One form of a call (`Create` or `Update`) that is PutModelInvocationLoggingConfiguration; undefined for any other. */
export function callFormOf(property: string, branch: Branch): LoggingCallForm | undefined {
  if (branch.value === undefined) return undefined;
  const call = readCall(branch.value);
  return call === undefined ? undefined : { property, loggingConfig: call, branch }; // undefined: another action
}

/**
 * The `loggingConfig` of a call, undefined when the call is another action, an {@link UnknownValue} when the call
 * cannot be read (a string built at deploy time that is not JSON, a value from an import).
 */
function readCall(value: Value): Value {
  let call: Value = value;
  if (!isPlainObject(value)) {
    const parsed = parseEmbeddedJson(value);
    if ('failure' in parsed) return new UnknownValue(`the call cannot be read: ${parsed.failure}`);
    call = parsed.json;
  }
  if (!isPlainObject(call)) return undefined;
  const action = member(call, 'action');
  if (typeof action !== 'string' || action.toLowerCase().replace(/command$/, '') !== ACTION) {
    return typeof action === 'string' || action === undefined ? undefined : new UnknownValue('the action of the call is not known at synth time');
  }
  const service = member(call, 'service');
  if (typeof service === 'string' && !service.toLowerCase().includes('bedrock')) return undefined;
  const parameters = member(call, 'parameters');
  if (parameters instanceof UnknownValue) return parameters;
  const config = member(parameters, 'loggingConfig');
  return config === undefined && !isPlainObject(parameters) && parameters !== undefined
    ? new UnknownValue('the parameters of the call are not an object') : config;
}

/** `loggingConfig.cloudWatchConfig.logGroupName`. */
export function cloudWatchLogGroup(loggingConfig: Value): Value {
  return member(member(loggingConfig, 'cloudWatchConfig'), 'logGroupName');
}

/** `loggingConfig.s3Config.bucketName` and `loggingConfig.cloudWatchConfig.largeDataDeliveryS3Config.bucketName`. */
export function s3Buckets(loggingConfig: Value): Array<{ readonly path: string; readonly name: Value }> {
  const out: Array<{ path: string; name: Value }> = [];
  const s3 = member(member(loggingConfig, 's3Config'), 'bucketName');
  if (s3 !== undefined) out.push({ path: 'loggingConfig.s3Config.bucketName', name: s3 });
  const large = member(member(member(loggingConfig, 'cloudWatchConfig'), 'largeDataDeliveryS3Config'), 'bucketName');
  if (large !== undefined) out.push({ path: 'loggingConfig.cloudWatchConfig.largeDataDeliveryS3Config.bucketName', name: large });
  return out;
}
