// The SNS topic that a construct's CloudWatch alarms notify. Internal: not exported from the library.
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../storage/environment-key';

/**
 * A topic for alarms, in `scope` as `AlarmTopicKey` and `AlarmTopic`: encrypted with a key of its own that only
 * CloudWatch (for this account's alarms) and you may use, TLS only, published to by this account's alarms only.
 * @param displayName the topic's display name (`Alarms of SageMaker endpoint fraud`)
 * @param keyDescription the key's description (`Alarm notifications of endpoint fraud`)
 */
export function createAlarmTopic(scope: Construct, displayName: string, keyDescription: string): sns.Topic {
  const stack = Stack.of(scope);
  const key = new EnvironmentKey(scope, 'AlarmTopicKey', {
    purpose: EnvironmentKeyPurpose.DATA,
    description: keyDescription,
  });
  const alarmsOfThisAccount = {
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    StringEquals: { 'aws:SourceAccount': stack.account },
  };
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchAlarmsOfThisAccount',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'], // in a key policy, '*' means this key
    conditions: alarmsOfThisAccount,
  }));
  const topic = new sns.Topic(scope, 'AlarmTopic', { displayName, masterKey: key, enforceSSL: true });
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchAlarmsOfThisAccount',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: alarmsOfThisAccount,
  }));
  return topic;
}
