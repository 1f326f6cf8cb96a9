// The SNS topics that alarms notify: a construct's own (an endpoint's, a guardrail's) and the environment's, which
// EventBridge rules publish to as well. Internal: not exported from the library.
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../storage/environment-key';

/** The encryption context EventBridge sets when it encrypts an event bus or archive with a customer managed key. */
const EVENT_BUS_CONTEXT = 'kms:EncryptionContext:aws:events:event-bus:arn';

/** What a topic is called and who publishes to it. */
export interface AlarmTopicOptions {
  /** The topic's display name (`Alarms of SageMaker endpoint fraud`). */
  readonly displayName: string;
  /** The key's description (`Alarm notifications of endpoint fraud`). */
  readonly keyDescription: string;
  /**
   * EventBridge rules of this account publish to it too (through {@link alarmTopicTarget}).
   * @default false - CloudWatch alarms only
   */
  readonly eventBridgeRules?: boolean;
}

/**
 * A topic for alarms, in `scope` as `AlarmTopicKey` and `AlarmTopic`: encrypted with a key of its own, TLS only,
 * published to by this account's CloudWatch alarms (and, when asked, EventBridge rules) only.
 *
 * The topic policy names this account's alarms and rules (`aws:SourceArn`, `aws:SourceAccount`), so an alarm or rule of
 * another account cannot publish. The key's statement for CloudWatch carries the same conditions. The key's statement
 * for EventBridge cannot: KMS does not receive those keys when SNS encrypts a message that EventBridge published, and a
 * condition on them would drop every notification without an error. That statement applies only to requests with no
 * event-bus encryption context, so another account cannot use this key to encrypt its own event bus.
 */
export function createAlarmTopic(scope: Construct, options: AlarmTopicOptions): sns.Topic {
  const stack = Stack.of(scope);
  const key = new EnvironmentKey(scope, 'AlarmTopicKey', { purpose: EnvironmentKeyPurpose.DATA, description: options.keyDescription });
  const topic = new sns.Topic(scope, 'AlarmTopic', { displayName: options.displayName, masterKey: key, enforceSSL: true });
  const publishers = [
    ...options.eventBridgeRules
      ? [{ name: 'EventBridgeRules', service: 'events.amazonaws.com', sources: stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }) }]
      : [],
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
 * A rule target that publishes to an alarm topic relying on the topic's own statements. aws-cdk-lib's `SnsTopic`
 * target would add an Allow for `events.amazonaws.com` with no condition to the topic and key policies, which lets any
 * account's rule publish; a role (`authorizeUsingRole`) is what EventBridge's documentation advises against for
 * KMS-encrypted topics, and would be one more role to scope.
 */
export function alarmTopicTarget(topic: sns.ITopic): events.IRuleTarget {
  return { bind: () => ({ arn: topic.topicArn, targetResource: topic }) };
}
