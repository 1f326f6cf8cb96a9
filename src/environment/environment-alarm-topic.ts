// The environment's alarm topic and the rules that watch for changes made outside a reviewed deployment: key
// administration, policy changes of the chain of custody, and SageMaker models, endpoint configurations and endpoints
// changed other than through CloudFormation. Internal: AiEnvironment creates it.
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmTopicTarget, createAlarmTopic } from './alarm-topic';

/** The SageMaker calls that change what an endpoint serves; through CloudFormation they are reviewed deployments. */
export const SERVING_CHANGES = ['CreateModel', 'DeleteModel', 'CreateEndpointConfig', 'CreateEndpoint', 'UpdateEndpoint',
  'UpdateEndpointWeightsAndCapacities', 'DeleteEndpoint', 'UpdateModelPackage'];

/** Calls that could undo the chain of custody's protections, by any principal. */
export const PROTECTION_CHANGES: Record<string, string[]> = {
  'aws.kms': ['PutKeyPolicy', 'ScheduleKeyDeletion', 'DisableKey'],
  'aws.s3': ['PutBucketPolicy', 'DeleteBucketPolicy'],
  'aws.sagemaker': ['PutModelPackageGroupPolicy', 'DeleteModelPackageGroupPolicy'],
};

/** The environment's alarm topic, which its rules and every CloudWatch alarm of the account may publish to. */
export function createEnvironmentAlarmTopic(scope: Construct): sns.Topic {
  return createAlarmTopic(scope, { displayName: 'Alarms of the AI environment', keyDescription: 'Alarm notifications of the AI environment', eventBridgeRules: true });
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
