// The environment's alarm topic and the rules that watch for changes made outside a reviewed deployment: key
// administration, policy changes of the chain of custody, and SageMaker models, endpoint configurations and endpoints
// changed other than through CloudFormation. Internal: AiEnvironment creates it.
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../storage/environment-key';

/** The SageMaker calls that change what an endpoint serves; through CloudFormation they are reviewed deployments. */
export const SERVING_CHANGES = ['CreateModel', 'DeleteModel', 'CreateEndpointConfig', 'CreateEndpoint', 'UpdateEndpoint',
  'UpdateEndpointWeightsAndCapacities', 'DeleteEndpoint', 'UpdateModelPackage'];

/** Calls that could undo the chain of custody's protections, by any principal. */
export const PROTECTION_CHANGES: Record<string, string[]> = {
  'aws.kms': ['PutKeyPolicy', 'ScheduleKeyDeletion', 'DisableKey'],
  'aws.s3': ['PutBucketPolicy', 'DeleteBucketPolicy'],
  'aws.sagemaker': ['PutModelPackageGroupPolicy', 'DeleteModelPackageGroupPolicy'],
};

/** The encryption context EventBridge sets when it encrypts an event bus or archive with a customer managed key. */
const EVENT_BUS_CONTEXT = 'kms:EncryptionContext:aws:events:event-bus:arn';

/**
 * A topic encrypted with a key of its own, which EventBridge rules and CloudWatch alarms of this account may publish to.
 *
 * The topic policy names this account's rules and alarms (`aws:SourceArn`, `aws:SourceAccount`), so a rule or alarm of
 * another account cannot publish. The key's statement for CloudWatch carries the same conditions. The key's statement
 * for EventBridge cannot: KMS does not receive those keys when SNS encrypts a message that EventBridge published, and a
 * condition on them would drop every notification without an error. That statement applies only to requests with no
 * event-bus encryption context, so another account cannot use this key to encrypt its own event bus.
 */
export function createEnvironmentAlarmTopic(scope: Construct): sns.Topic {
  const stack = Stack.of(scope);
  const key = new EnvironmentKey(scope, 'AlarmTopicKey', { purpose: EnvironmentKeyPurpose.DATA, description: 'Alarm notifications of the AI environment' });
  const topic = new sns.Topic(scope, 'AlarmTopic', { displayName: 'Alarms of the AI environment', masterKey: key, enforceSSL: true });
  const publishers = [
    { name: 'EventBridgeRules', service: 'events.amazonaws.com', sources: stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }) },
    {
      name: 'CloudWatchAlarms',
      service: 'cloudwatch.amazonaws.com',
      sources: stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    },
  ];
  for (const { name, service, sources } of publishers) {
    const ofThisAccount = { ArnLike: { 'aws:SourceArn': sources }, StringEquals: { 'aws:SourceAccount': stack.account } };
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `${name}OfThisAccount`,
      principals: [new iam.ServicePrincipal(service)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'], // in a key policy, '*' means this key
      conditions: service === 'events.amazonaws.com' ? { Null: { [EVENT_BUS_CONTEXT]: 'true' } } : ofThisAccount,
    }));
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: `${name}OfThisAccount`,
      principals: [new iam.ServicePrincipal(service)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: ofThisAccount,
    }));
  }
  return topic;
}

/**
 * A rule target that publishes to the environment's alarm topic relying on the topic's own statements. aws-cdk-lib's
 * `SnsTopic` target would add an Allow for `events.amazonaws.com` with no condition to the topic and key policies,
 * which lets any account's rule publish; a role (`authorizeUsingRole`) is what EventBridge's documentation advises
 * against for KMS-encrypted topics, and would be one more role to scope.
 */
export function alarmTopicTarget(topic: sns.ITopic): events.IRuleTarget {
  return { bind: () => ({ arn: topic.topicArn, targetResource: topic }) };
}

/** The rules that notify `topic` of out-of-band changes (CloudTrail management events, which the environment's trail records). */
export function watchOutOfBandChanges(scope: Construct, topic: sns.ITopic): events.Rule[] {
  const notify = alarmTopicTarget(topic);
  const protection = new events.Rule(scope, 'ProtectionChanges', {
    description: 'Key policy, key deletion or disabling, bucket policy and model package group policy changes: the protections of the chain of custody',
    eventPattern: {
      source: Object.keys(PROTECTION_CHANGES),
      detailType: ['AWS API Call via CloudTrail'],
      detail: { eventName: Object.values(PROTECTION_CHANGES).flat() },
    },
    targets: [notify],
  });
  const serving = new events.Rule(scope, 'OutOfBandServingChanges', {
    description: 'SageMaker models, endpoint configurations, endpoints and model packages changed other than through CloudFormation',
    eventPattern: {
      source: ['aws.sagemaker'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: { eventName: SERVING_CHANGES, sourceIPAddress: [{ 'anything-but': 'cloudformation.amazonaws.com' }] },
    },
    targets: [notify],
  });
  return [protection, serving];
}
