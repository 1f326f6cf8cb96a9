import {
  BedrockClient, DeleteModelInvocationLoggingConfigurationCommand, GetModelInvocationLoggingConfigurationCommand,
  LoggingConfig, PutModelInvocationLoggingConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/generative-ai/model-invocation-logging.lambda';

const bedrock = mockClient(BedrockClient);

const LOG_GROUP = '/aws/bedrock/model-invocations';
const ROLE = 'arn:aws:iam::111111111111:role/Ai-LoggingDeliveryRole';
const BUCKET = 'ai-loggingpayloads-1a2b3c';

/** The call as CloudFormation passes it to the handler: booleans as strings. */
function call(overrides: Record<string, unknown> = {}) {
  return {
    service: 'Bedrock',
    action: 'PutModelInvocationLoggingConfiguration',
    parameters: {
      loggingConfig: {
        cloudWatchConfig: { logGroupName: LOG_GROUP, roleArn: ROLE, largeDataDeliveryS3Config: { bucketName: BUCKET, keyPrefix: 'model-invocations' } },
        textDataDeliveryEnabled: 'true',
        imageDataDeliveryEnabled: 'false',
        embeddingDataDeliveryEnabled: 'false',
        videoDataDeliveryEnabled: 'false',
        ...overrides,
      },
    },
  };
}

/** What Bedrock stores for `call()`. */
const WRITTEN: LoggingConfig = {
  cloudWatchConfig: { logGroupName: LOG_GROUP, roleArn: ROLE, largeDataDeliveryS3Config: { bucketName: BUCKET, keyPrefix: 'model-invocations' } },
  textDataDeliveryEnabled: true,
  imageDataDeliveryEnabled: false,
  embeddingDataDeliveryEnabled: false,
  videoDataDeliveryEnabled: false,
};
const OTHER: LoggingConfig = {
  cloudWatchConfig: { logGroupName: '/org/bedrock-baseline', roleArn: 'arn:aws:iam::111111111111:role/OrgLogging' },
  textDataDeliveryEnabled: true,
};

function event(requestType: 'Create' | 'Update' | 'Delete', properties: Record<string, unknown> = { Create: call(), Update: call() }): CloudFormationCustomResourceEvent {
  const base = {
    ServiceToken: 'arn:aws:lambda:eu-west-2:111111111111:function:provider',
    ResponseURL: 'https://example.invalid/response',
    StackId: 'arn:aws:cloudformation:eu-west-2:111111111111:stack/Ai/guid',
    RequestId: 'request',
    LogicalResourceId: 'Logging',
    ResourceType: 'Custom::ModelInvocationLogging',
    ResourceProperties: { ServiceToken: 'token', ...properties },
  };
  if (requestType === 'Create') return { ...base, RequestType: 'Create' };
  if (requestType === 'Update') return { ...base, RequestType: 'Update', PhysicalResourceId: 'bedrock-model-invocation-logging', OldResourceProperties: base.ResourceProperties };
  return { ...base, RequestType: 'Delete', PhysicalResourceId: 'bedrock-model-invocation-logging' };
}

/** Bedrock that stores what it is given, starting from `initial`. */
function bedrockStoring(initial?: LoggingConfig, store: (given: LoggingConfig) => LoggingConfig | undefined = (g) => g): void {
  let current = initial;
  bedrock.on(GetModelInvocationLoggingConfigurationCommand).callsFake(async () => ({ loggingConfig: current }));
  bedrock.on(PutModelInvocationLoggingConfigurationCommand).callsFake(async (input) => {
    current = store(input.loggingConfig);
    return {};
  });
  bedrock.on(DeleteModelInvocationLoggingConfigurationCommand).callsFake(async () => {
    current = undefined;
    return {};
  });
}

beforeEach(() => bedrock.reset());

describe('model-invocation logging handler: create and update', () => {
  test('puts text delivery to the log group with large payloads to the bucket, and reads it back', async () => {
    bedrockStoring(undefined);
    await expect(handler(event('Create'))).resolves.toEqual({ PhysicalResourceId: 'bedrock-model-invocation-logging', Data: { LogGroupName: LOG_GROUP } });
    expect(bedrock.commandCalls(PutModelInvocationLoggingConfigurationCommand)[0].args[0].input).toEqual({ loggingConfig: WRITTEN });
    expect(bedrock.commandCalls(GetModelInvocationLoggingConfigurationCommand)).toHaveLength(2);
  });

  test('an update puts its own new configuration over its earlier one', async () => {
    bedrockStoring({ ...WRITTEN, cloudWatchConfig: { ...WRITTEN.cloudWatchConfig!, roleArn: 'arn:aws:iam::111111111111:role/Old' } });
    await handler(event('Update'));
    expect(bedrock.commandCalls(PutModelInvocationLoggingConfigurationCommand)).toHaveLength(1);
  });

  test('a create over its own configuration (a retried deployment) puts it again', async () => {
    bedrockStoring(WRITTEN);
    await expect(handler(event('Create'))).resolves.toMatchObject({ PhysicalResourceId: 'bedrock-model-invocation-logging' });
  });
});

describe('model-invocation logging handler fails closed', () => {
  test('another owner\'s configuration is not replaced without a reason', async () => {
    bedrockStoring(OTHER);
    await expect(handler(event('Create'))).rejects.toThrow(/already configured \(log group \/org\/bedrock-baseline.*replaceExistingConfiguration/);
    expect(bedrock.commandCalls(PutModelInvocationLoggingConfigurationCommand)).toHaveLength(0);
  });

  test('with a reason it is replaced', async () => {
    bedrockStoring(OTHER);
    await handler(event('Create', { Create: call(), Update: call(), ReplaceExistingConfiguration: 'The security team moved logging to this stack.' }));
    expect(bedrock.commandCalls(PutModelInvocationLoggingConfigurationCommand)).toHaveLength(1);
  });

  test('a configuration that does not read back as written (another writer raced it, or Bedrock dropped the bucket)', async () => {
    bedrockStoring(undefined, () => OTHER);
    await expect(handler(event('Create'))).rejects.toThrow(/reads back as log group \/org\/bedrock-baseline.*the prompts are not logged as asked/);
    bedrockStoring(undefined, (g) => ({ ...g, cloudWatchConfig: { ...g.cloudWatchConfig!, largeDataDeliveryS3Config: undefined } }));
    await expect(handler(event('Create'))).rejects.toThrow(/reads back as/);
    bedrockStoring(undefined, () => undefined);
    await expect(handler(event('Create'))).rejects.toThrow(/reads back as not configured/);
  });

  test('text delivery read back as off', async () => {
    bedrockStoring(undefined, (g) => ({ ...g, textDataDeliveryEnabled: false }));
    await expect(handler(event('Create'))).rejects.toThrow(/reads back as .*text delivery off/);
  });

  test('an error from Bedrock fails the deployment', async () => {
    bedrock.on(GetModelInvocationLoggingConfigurationCommand).resolves({});
    bedrock.on(PutModelInvocationLoggingConfigurationCommand).rejects(new Error('ValidationException: Failed to validate permissions for log group'));
    await expect(handler(event('Create'))).rejects.toThrow(/Failed to validate permissions/);
  });

  test.each([
    ['another action', { Create: { ...call(), action: 'DeleteModelInvocationLoggingConfiguration' } }, /not a Bedrock PutModelInvocationLoggingConfiguration call/],
    ['another service', { Create: { ...call(), service: 'S3' } }, /not a Bedrock PutModelInvocationLoggingConfiguration call/],
    ['no call', {}, /The Create property is not/],
    ['text delivery off', { Create: call({ textDataDeliveryEnabled: 'false' }) }, /textDataDeliveryEnabled is not true/],
    ['text delivery not a boolean', { Create: call({ textDataDeliveryEnabled: 'yes' }) }, /textDataDeliveryEnabled is "yes", not true or false/],
    ['no log group', { Create: call({ cloudWatchConfig: { roleArn: ROLE } }) }, /must name logGroupName and roleArn/],
    ['no payload bucket', { Create: call({ cloudWatchConfig: { logGroupName: LOG_GROUP, roleArn: ROLE } }) }, /largeDataDeliveryS3Config.bucketName is missing/],
  ])('%s is refused before anything is called', async (_what, properties, message) => {
    bedrockStoring(undefined);
    await expect(handler(event('Create', properties))).rejects.toThrow(message);
    expect(bedrock.calls()).toHaveLength(0);
  });
});

describe('model-invocation logging handler: delete', () => {
  test('turns logging off while it is still its own', async () => {
    bedrockStoring(WRITTEN);
    await expect(handler(event('Delete'))).resolves.toEqual({ PhysicalResourceId: 'bedrock-model-invocation-logging' });
    expect(bedrock.commandCalls(DeleteModelInvocationLoggingConfigurationCommand)).toHaveLength(1);
  });

  test('leaves another owner\'s later configuration, and nothing configured, alone', async () => {
    bedrockStoring(OTHER);
    await handler(event('Delete'));
    bedrockStoring(undefined);
    await handler(event('Delete'));
    expect(bedrock.commandCalls(DeleteModelInvocationLoggingConfigurationCommand)).toHaveLength(0);
  });

  test('a resource whose properties never validated configured nothing and deletes nothing', async () => {
    bedrockStoring(WRITTEN);
    await handler(event('Delete', { Create: { ...call(), action: 'Other' } }));
    expect(bedrock.calls()).toHaveLength(0);
  });

  test('an error reading the configuration fails the deletion', async () => {
    bedrock.on(GetModelInvocationLoggingConfigurationCommand).rejects(new Error('AccessDeniedException'));
    await expect(handler(event('Delete'))).rejects.toThrow(/AccessDeniedException/);
  });
});
