// The environment's alarm topic and the rules that watch for changes made outside a reviewed deployment: key
// administration, policy changes of the chain of custody, and SageMaker models, endpoint configurations and endpoints
// changed other than through CloudFormation. Internal: AiEnvironment creates it.
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
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

/** A topic encrypted with a key of its own, which EventBridge rules and CloudWatch alarms of this account may publish to. */
export function createEnvironmentAlarmTopic(scope: Construct): sns.Topic {
  const stack = Stack.of(scope);
  const key = new EnvironmentKey(scope, 'AlarmTopicKey', { purpose: EnvironmentKeyPurpose.DATA, description: 'Alarm notifications of the AI environment' });
  const topic = new sns.Topic(scope, 'AlarmTopic', { displayName: 'Alarms of the AI environment', masterKey: key, enforceSSL: true });
  const publishers = {
    'events.amazonaws.com': stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }),
    'cloudwatch.amazonaws.com': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
  };
  for (const [service, sources] of Object.entries(publishers)) {
    const conditions = { ArnLike: { 'aws:SourceArn': sources }, StringEquals: { 'aws:SourceAccount': stack.account } };
    const name = service.startsWith('events') ? 'EventBridgeRules' : 'CloudWatchAlarms';
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `${name}OfThisAccount`,
      principals: [new iam.ServicePrincipal(service)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'], // in a key policy, '*' means this key
      conditions,
    }));
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: `${name}OfThisAccount`,
      principals: [new iam.ServicePrincipal(service)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions,
    }));
  }
  return topic;
}

/** The rules that notify `topic` of out-of-band changes (CloudTrail management events, which the environment's trail records). */
export function watchOutOfBandChanges(scope: Construct, topic: sns.ITopic): events.Rule[] {
  const notify = new targets.SnsTopic(topic);
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
