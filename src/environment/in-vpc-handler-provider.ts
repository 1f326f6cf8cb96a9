import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { AiEnvironment } from './ai-environment';
import { acknowledgeRules, OWN_POLICY_REASON, RULES, WildcardFindingIds } from '../construct-kit/pack-acknowledgments';

/** Why a custom resource's handler and Provider framework need no dead-letter queue: completes "The … function ". */
export const SYNCHRONOUS_INVOCATION = 'is invoked synchronously (RequestResponse) during a deployment: a failure fails the deployment '
  + 'with its reason and is logged in its encrypted log group, and a dead-letter queue receives failed asynchronous invocations only.';

/** Properties of an {@link InVpcHandlerProvider}. */
export interface InVpcHandlerProviderProps {
  /** The environment whose log key encrypts the framework's logs. */
  readonly environment: AiEnvironment;
  /** The handler: a function in the environment's VPC with its own role and encrypted log group. */
  readonly handler: lambda.Function;
  /** What the handler does, for the framework role's description (`Relays <subject> to CloudFormation`). */
  readonly subject: string;
}

/**
 * The custom-resources Provider for a handler that runs in an environment's isolated subnets. The Provider framework's
 * own function relays the handler's result to CloudFormation's pre-signed response URL, which the isolated subnets
 * cannot reach, so it runs outside the VPC: with a role that may only invoke the handler and write its own encrypted
 * log group, and a reserved concurrency of one (one custom resource, one event at a time). What the generic packs
 * report on it is acknowledged with that reason.
 */
export class InVpcHandlerProvider extends Construct {
  /** The service token of the custom resource. */
  public readonly serviceToken: string;

  public constructor(scope: Construct, id: string, props: InVpcHandlerProviderProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: props.environment.logKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Its own role, without AWSLambdaBasicExecutionRole's logs wildcard: it writes to its own log group only.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Relays ${props.subject} to CloudFormation`,
    });
    logGroup.grantWrite(role);
    const provider = new cr.Provider(this, 'Provider', { onEventHandler: props.handler, logGroup, frameworkOnEventRole: role });
    const framework = frameworkOf(provider, props.handler);
    this.serviceToken = provider.serviceToken;

    acknowledgeRules(role, RULES.inlinePolicy, OWN_POLICY_REASON);
    acknowledgeRules(role, [WildcardFindingIds.resource(this, `${props.handler.functionArn}:*`)], 'The custom-resources Provider '
      + 'grants its framework lambda:InvokeFunction on the handler function and its versions (<arn>:*); no other function.');
    acknowledgeRules(props.handler, ['NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ'], `The ${props.subject} handler ${SYNCHRONOUS_INVOCATION}`);
    acknowledgeRules(framework, ['NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ'],
      `The custom-resources Provider framework function ${SYNCHRONOUS_INVOCATION}`);
    acknowledgeRules(framework, [...RULES.lambdaInVpc, 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC',
      'PCI.DSS.321-LambdaInsideVPC'], 'The custom-resources Provider framework function only invokes the handler (which runs in '
      + 'the VPC) and PUTs its result to CloudFormation\'s pre-signed response URL; it reads no data and holds no key. From the '
      + 'isolated subnets it could not: the URL is an object of a CloudFormation-owned bucket, which the S3 gateway endpoint\'s '
      + 'policy (this account\'s principals only) refuses, and there is no Lambda endpoint or other route out.');
  }
}

/**
 * The Provider framework's own function, set for one custom resource: a reserved concurrency of one (CloudFormation
 * sends its events one at a time) and the handler's runtime. The CDK picks the framework's runtime from its per-Region
 * facts, which lag behind Lambda's newest runtime; the framework's code runs on any current Node.js.
 */
export function frameworkOf(provider: cr.Provider, handler: lambda.Function): lambda.Function {
  const framework = provider.node.findChild('framework-onEvent') as lambda.Function;
  const cfn = framework.node.defaultChild as lambda.CfnFunction;
  cfn.reservedConcurrentExecutions = 1;
  cfn.runtime = handler.runtime.name;
  return framework;
}
