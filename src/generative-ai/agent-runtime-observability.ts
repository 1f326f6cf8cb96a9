// The logs and traces of an AgentRuntime: the log groups its containers write to, its application logs and its traces,
// delivered by CloudWatch's vended-logs deliveries. Created in the runtime's own scope. Internal: not exported from the
// library.
import { ArnFormat, Lazy, Names, Stack } from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import { PromptLogGroup } from './prompt-log-group';
import type { AiEnvironment } from '../environment/ai-environment';

/** Delivery names are at most 60 characters. */
const MAX_DELIVERY_NAME = 60;

export interface RuntimeObservabilitySettings {
  readonly environment: AiEnvironment;
  readonly runtime: agentcore.CfnRuntime;
  readonly runtimeName: string;
  /** The endpoints whose containers write logs: `DEFAULT` and the runtime's named endpoint. */
  readonly endpointNames: string[];
  readonly retention: logs.RetentionDays;
  readonly owner: string;
}

export interface RuntimeObservability {
  /** The log groups the containers write to, one per endpoint. */
  readonly containerLogGroups: logs.LogGroup[];
  /** The log group of the runtime's application logs. */
  readonly applicationLogGroup: logs.LogGroup;
  /** The deliveries of application logs and traces. */
  readonly deliveries: logs.CfnDelivery[];
}

/**
 * The runtime's logs, each in a PromptLogGroup (the environment's log key, the retention, a data protection policy):
 * `/aws/bedrock-agentcore/runtimes/<runtime ID>-<endpoint>` for what the containers write, created before anything can
 * write to them; `/aws/vendedlogs/bedrock-agentcore/runtimes/<name>` for the application logs AgentCore delivers. Traces
 * are delivered to X-Ray, which keeps them 30 days, under a resource policy that lets the delivery service write only
 * this runtime's traces for this account.
 */
export function createRuntimeObservability(scope: Construct, settings: RuntimeObservabilitySettings): RuntimeObservability {
  const { environment, runtime, retention, owner } = settings;
  const stack = Stack.of(scope);
  const containerLogGroups = settings.endpointNames.map((endpoint) => new PromptLogGroup(scope, `${endpoint}LogGroup`, {
    environment,
    logGroupName: `/aws/bedrock-agentcore/runtimes/${runtime.attrAgentRuntimeId}-${endpoint}`,
    retention,
    owner,
  }));
  const applicationLogGroup = new PromptLogGroup(scope, 'ApplicationLogGroup', {
    environment,
    logGroupName: `/aws/vendedlogs/bedrock-agentcore/runtimes/${settings.runtimeName}`,
    retention,
    owner,
  });

  const deliveries: logs.CfnDelivery[] = [];
  const deliver = (id: string, logType: string, destination: logs.CfnDeliveryDestination) => {
    const sourceName = deliveryName(scope, `${id}Source`);
    const source = new logs.CfnDeliverySource(scope, `${id}Source`, { name: sourceName, logType, resourceArn: runtime.attrAgentRuntimeArn });
    const delivery = new logs.CfnDelivery(scope, `${id}Delivery`, {
      deliverySourceName: sourceName,
      deliveryDestinationArn: destination.attrArn,
    });
    delivery.node.addDependency(source);
    delivery.node.addDependency(destination);
    // CloudWatch Logs refuses concurrent changes to the deliveries of one resource.
    if (deliveries.length > 0) delivery.node.addDependency(deliveries[deliveries.length - 1]);
    deliveries.push(delivery);
  };

  // Application logs: to a log group under /aws/vendedlogs/, which the log-delivery service-linked role writes to within
  // the account without a resource policy.
  deliver('ApplicationLogs', 'APPLICATION_LOGS', new logs.CfnDeliveryDestination(scope, 'ApplicationLogsDestination', {
    name: deliveryName(scope, 'ApplicationLogsDestination'),
    deliveryDestinationType: 'CWL',
    destinationResourceArn: applicationLogGroup.logGroupArn,
  }));

  // Traces: to X-Ray, which accepts them from the delivery service under this policy only.
  const tracesPolicy = new xray.CfnResourcePolicy(scope, 'TracesPolicy', {
    policyName: deliveryName(scope, 'TracesPolicy'),
    policyDocument: Lazy.string({
      produce: () => stack.toJsonString(new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({
          sid: 'TracesOfThisRuntime',
          principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
          actions: ['xray:PutTraceSegments'],
          resources: ['*'],
          conditions: {
            'ForAllValues:ArnLike': { 'logs:LogGeneratingResourceArns': [runtime.attrAgentRuntimeArn] },
            'StringEquals': { 'aws:SourceAccount': stack.account },
            'ArnLike': { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: 'delivery-source', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
          },
        })],
      }).toJSON()),
    }),
  });
  const tracesDestination = new logs.CfnDeliveryDestination(scope, 'TracesDestination', {
    name: deliveryName(scope, 'TracesDestination'),
    deliveryDestinationType: 'XRAY',
  });
  tracesDestination.node.addDependency(tracesPolicy);
  deliver('Traces', 'TRACES', tracesDestination);

  return { containerLogGroups, applicationLogGroup, deliveries };
}

function deliveryName(scope: Construct, id: string): string {
  return `${Names.uniqueResourceName(scope, { maxLength: MAX_DELIVERY_NAME - id.length - 1, separator: '-' })}-${id}`;
}
