// Turns on Bedrock model-invocation logging for the account and Region, for ModelInvocationLogging: CloudFormation has
// no resource type for it. Runs behind the custom-resources Provider framework, which turns a thrown error into a
// failed deployment carrying the message. Fails closed: a configuration it cannot read back as written, or one it
// would silently replace, fails the deployment.
import {
  BedrockClient, DeleteModelInvocationLoggingConfigurationCommand, GetModelInvocationLoggingConfigurationCommand,
  LoggingConfig, PutModelInvocationLoggingConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

const bedrock = new BedrockClient({});

/** The one call this handler makes, as the construct writes it (the form of AwsCustomResource calls). */
const SERVICE = 'Bedrock';
const ACTION = 'PutModelInvocationLoggingConfiguration';
/** The setting is one per account and Region: so is the physical ID. */
const PHYSICAL_ID = 'bedrock-model-invocation-logging';

/** What the Provider framework expects back. */
interface LoggingResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** The logging configuration the construct asks for, checked. */
interface Desired {
  readonly config: LoggingConfig;
  readonly logGroupName: string;
  /** Why an existing configuration of another owner may be replaced, when the construct was given one. */
  readonly replaceReason?: string;
}

export async function handler(event: CloudFormationCustomResourceEvent): Promise<LoggingResponse> {
  if (event.RequestType === 'Delete') return remove(event.ResourceProperties);
  const desired = desiredOf(event.ResourceProperties, event.RequestType);
  const current = await currentConfig();
  // Another owner's configuration (an organisation baseline, another stack) is never replaced without a reason: it may
  // be the one the security team audits. An Update replaces this resource's own earlier configuration.
  if (event.RequestType === 'Create' && current !== undefined && !sameDestination(current, desired.config) && desired.replaceReason === undefined) {
    throw new Error(`Bedrock model-invocation logging of this account and Region is already configured (${describe(current)}); `
      + 'it is not replaced without a reason. Fix: remove the other configuration, or give ModelInvocationLogging '
      + 'replaceExistingConfiguration with the reason it may be replaced.');
  }
  await bedrock.send(new PutModelInvocationLoggingConfigurationCommand({ loggingConfig: desired.config }));
  const written = await currentConfig();
  if (written === undefined || !sameDestination(written, desired.config) || written.textDataDeliveryEnabled !== true) {
    throw new Error(`Bedrock model-invocation logging reads back as ${written === undefined ? 'not configured' : describe(written)} `
      + `after it was set to ${describe(desired.config)}: the prompts are not logged as asked.`);
  }
  return { PhysicalResourceId: PHYSICAL_ID, Data: { LogGroupName: desired.logGroupName } };
}

/** Turns logging off only while it is still this resource's: another owner's later configuration stays. */
async function remove(properties: Record<string, unknown>): Promise<LoggingResponse> {
  let desired: Desired;
  try {
    desired = desiredOf(properties, 'Delete');
  } catch {
    // A resource whose creation failed validation configured nothing.
    return { PhysicalResourceId: PHYSICAL_ID };
  }
  const current = await currentConfig();
  if (current !== undefined && sameDestination(current, desired.config)) {
    await bedrock.send(new DeleteModelInvocationLoggingConfigurationCommand({}));
  }
  return { PhysicalResourceId: PHYSICAL_ID };
}

async function currentConfig(): Promise<LoggingConfig | undefined> {
  const response = await bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}));
  return response.loggingConfig;
}

/** Whether two configurations deliver to the same log group, role and payload bucket. */
function sameDestination(a: LoggingConfig, b: LoggingConfig): boolean {
  const large = (c: LoggingConfig) => c.cloudWatchConfig?.largeDataDeliveryS3Config;
  return a.cloudWatchConfig?.logGroupName === b.cloudWatchConfig?.logGroupName
    && a.cloudWatchConfig?.roleArn === b.cloudWatchConfig?.roleArn
    && large(a)?.bucketName === large(b)?.bucketName
    && (large(a)?.keyPrefix ?? '') === (large(b)?.keyPrefix ?? '');
}

function describe(config: LoggingConfig): string {
  const cw = config.cloudWatchConfig;
  const parts = [
    cw ? `log group ${cw.logGroupName} with role ${cw.roleArn}` : undefined,
    cw?.largeDataDeliveryS3Config ? `large payloads to s3://${cw.largeDataDeliveryS3Config.bucketName}/${cw.largeDataDeliveryS3Config.keyPrefix ?? ''}` : undefined,
    config.s3Config ? `bucket ${config.s3Config.bucketName}` : undefined,
    `text delivery ${config.textDataDeliveryEnabled === true ? 'on' : 'off'}`,
  ];
  return parts.filter((p) => p !== undefined).join(', ');
}

/** The call of `Create` or `Update`, refused unless it is exactly the one logging configuration this handler makes. */
function desiredOf(properties: Record<string, unknown>, requestType: string): Desired {
  const call = properties[requestType === 'Update' ? 'Update' : 'Create'];
  if (!isObject(call) || call.service !== SERVICE || call.action !== ACTION || !isObject(call.parameters)) {
    throw new Error(`The ${requestType} property is not a ${SERVICE} ${ACTION} call; this handler makes no other call.`);
  }
  const logging = call.parameters.loggingConfig;
  if (!isObject(logging)) throw new Error(`The ${ACTION} call has no loggingConfig.`);
  const cw = logging.cloudWatchConfig;
  if (!isObject(cw) || !nonEmpty(cw.logGroupName) || !nonEmpty(cw.roleArn)) {
    throw new Error('loggingConfig.cloudWatchConfig must name logGroupName and roleArn: text is delivered to CloudWatch Logs.');
  }
  const large = cw.largeDataDeliveryS3Config;
  if (!isObject(large) || !nonEmpty(large.bucketName)) {
    throw new Error('loggingConfig.cloudWatchConfig.largeDataDeliveryS3Config.bucketName is missing: payloads too large for a log event would be lost.');
  }
  if (bool(logging.textDataDeliveryEnabled, 'textDataDeliveryEnabled') !== true) {
    throw new Error('loggingConfig.textDataDeliveryEnabled is not true: the prompts and completions themselves would not be logged.');
  }
  const config: LoggingConfig = {
    cloudWatchConfig: {
      logGroupName: cw.logGroupName,
      roleArn: cw.roleArn,
      largeDataDeliveryS3Config: { bucketName: large.bucketName, keyPrefix: nonEmpty(large.keyPrefix) ? large.keyPrefix : undefined },
    },
    textDataDeliveryEnabled: true,
    imageDataDeliveryEnabled: bool(logging.imageDataDeliveryEnabled, 'imageDataDeliveryEnabled') ?? false,
    embeddingDataDeliveryEnabled: bool(logging.embeddingDataDeliveryEnabled, 'embeddingDataDeliveryEnabled') ?? false,
    videoDataDeliveryEnabled: bool(logging.videoDataDeliveryEnabled, 'videoDataDeliveryEnabled') ?? false,
  };
  const reason = properties.ReplaceExistingConfiguration;
  return { config, logGroupName: cw.logGroupName, replaceReason: nonEmpty(reason) ? reason : undefined };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** CloudFormation passes booleans as the strings "true" and "false"; anything else is refused. */
function bool(value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`loggingConfig.${name} is ${JSON.stringify(value)}, not true or false.`);
}
