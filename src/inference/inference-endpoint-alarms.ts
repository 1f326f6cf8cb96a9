// The alarms of an InferenceEndpoint and the topic they notify. Created in the endpoint's own scope, so that their
// construct IDs (and logical IDs) are the endpoint's children. Internal: not exported from the library.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createAlarmTopic } from '../environment/alarm-topic';

/** What the alarms watch and when they fire. */
export interface EndpointAlarmSettings {
  /** The endpoint's literal name: the metrics' dimension, and the name in the descriptions. */
  readonly endpointName: string;
  /** The production variant the metrics are of. */
  readonly variantName: string;
  /** The p90 model latency above which the latency alarm fires. */
  readonly maxLatency: Duration;
  /** The width, in standard deviations, of the invocation anomaly band. */
  readonly bandWidth: number;
}

/** The topic and the alarms that notify it. */
export interface EndpointAlarms {
  readonly topic: sns.Topic;
  readonly errorAlarm: cloudwatch.Alarm;
  readonly latencyAlarm: cloudwatch.Alarm;
  readonly invocationAnomalyAlarm: cloudwatch.Alarm;
  /** Every alarm, each notifying the topic. */
  readonly alarms: cloudwatch.Alarm[];
}

/**
 * The alarm topic and the error, latency and invocation anomaly alarms of an endpoint, in `scope` (the endpoint):
 * `AlarmTopicKey`, `AlarmTopic`, `ErrorAlarm`, `LatencyAlarm` and `InvocationAnomalyAlarm`.
 */
export function createEndpointAlarms(scope: Construct, settings: EndpointAlarmSettings): EndpointAlarms {
  const { endpointName, maxLatency, bandWidth } = settings;
  const topic = createAlarmTopic(scope, { displayName: `Alarms of SageMaker endpoint ${endpointName}`, keyDescription: `Alarm notifications of endpoint ${endpointName}` });
  const metric = (metricName: string, statistic: string, period: Duration) => new cloudwatch.Metric({
    namespace: 'AWS/SageMaker',
    metricName,
    dimensionsMap: { EndpointName: endpointName, VariantName: settings.variantName },
    statistic,
    period,
  });
  const errorAlarm = new cloudwatch.Alarm(scope, 'ErrorAlarm', {
    alarmDescription: `Endpoint ${endpointName} answered with server errors (Invocation5XXErrors) in 2 of 3 minutes`,
    metric: metric('Invocation5XXErrors', 'Sum', Duration.minutes(1)),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const latencyAlarm = new cloudwatch.Alarm(scope, 'LatencyAlarm', {
    alarmDescription: `Endpoint ${endpointName}: p90 model latency above ${maxLatency.toMilliseconds()} ms for 3 minutes`,
    // ModelLatency is reported in microseconds.
    metric: metric('ModelLatency', 'p90', Duration.minutes(1)),
    threshold: maxLatency.toMilliseconds() * 1000,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 3,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const invocationAnomalyAlarm = new cloudwatch.AnomalyDetectionAlarm(scope, 'InvocationAnomalyAlarm', {
    alarmDescription: `Endpoint ${endpointName} received more requests than its learned pattern expects (query flood, `
      + 'possibly model extraction)',
    metric: metric('Invocations', 'Sum', Duration.minutes(5)),
    stdDevs: bandWidth,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
    evaluationPeriods: 2,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const alarms = [errorAlarm, latencyAlarm, invocationAnomalyAlarm];
  for (const alarm of alarms) alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
  return { topic, errorAlarm, latencyAlarm, invocationAnomalyAlarm, alarms };
}
