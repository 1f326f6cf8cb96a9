import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { AiEnvironment } from './ai-environment';
import { VpcAccessStatements } from './vpc-access-statements';
import { retainedLogGroup } from '../construct-kit/log-group';
import { acknowledgeRules, OWN_POLICY_REASON, RULES, WildcardFindingIds } from '../construct-kit/pack-acknowledgments';

/** Why a custom resource's handler and Provider framework need no dead-letter queue: completes "The … function ". */
const SYNCHRONOUS_INVOCATION = 'is invoked synchronously (RequestResponse) during a deployment: a failure fails the deployment '
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
    const provider = relayProvider(this, {
      ...props,
      ids: { logGroup: 'LogGroup', role: 'Role', provider: 'Provider' },
      handlerName: 'handler',
      handlerFunction: 'handler function',
      handlerTitle: `${props.subject} handler`,
      frameworkReads: 'it reads no data and holds no key. From the isolated subnets it could not',
    });
    this.serviceToken = provider.serviceToken;
  }
}

/** How {@link relayProvider} names the parts it adds to its scope and the handler in its acknowledgments. */
export interface RelayProviderSettings extends InVpcHandlerProviderProps {
  /** The construct IDs of the framework's log group, its role and the Provider, in the scope. */
  readonly ids: { readonly logGroup: string; readonly role: string; readonly provider: string };
  /** The handler as the framework's acknowledgment names it (`handler`, `gate function`). */
  readonly handlerName: string;
  /** The handler's function as the role's acknowledgment names it (`handler function`, `gate function`). */
  readonly handlerFunction: string;
  /** The handler as its own acknowledgment names it, after `The ` (`model-invocation logging handler`). */
  readonly handlerTitle: string;
  /** What the framework function does not read, and so could not do from the isolated subnets either. */
  readonly frameworkReads: string;
}

/**
 * The custom-resources Provider of an in-VPC handler, added to `scope` (see {@link InVpcHandlerProvider}, which is one
 * in a construct of its own): the framework's encrypted log group, a role that may only invoke the handler and write
 * that group, the framework function set by {@link frameworkOf}, and the acknowledgments of what the generic packs
 * report on them and on the handler.
 */
export function relayProvider(scope: Construct, settings: RelayProviderSettings): cr.Provider {
  const { handler, ids } = settings;
  const logGroup = retainedLogGroup(scope, ids.logGroup, { encryptionKey: settings.environment.logKey });
  // Its own role, without AWSLambdaBasicExecutionRole's logs wildcard: it writes to its own log group only.
  const role = new iam.Role(scope, ids.role, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Relays ${settings.subject} to CloudFormation`,
  });
  logGroup.grantWrite(role);
  const provider = new cr.Provider(scope, ids.provider, { onEventHandler: handler, logGroup, frameworkOnEventRole: role });
  const framework = frameworkOf(provider, handler);

  acknowledgeRules(role, RULES.inlinePolicy, OWN_POLICY_REASON);
  acknowledgeRules(role, [WildcardFindingIds.resource(scope, `${handler.functionArn}:*`)], 'The custom-resources Provider '
    + `grants its framework lambda:InvokeFunction on the ${settings.handlerFunction} and its versions (<arn>:*); no other function.`);
  acknowledgeRules(handler, ['NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ'], `The ${settings.handlerTitle} ${SYNCHRONOUS_INVOCATION}`);
  acknowledgeRules(framework, ['NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ'],
    `The custom-resources Provider framework function ${SYNCHRONOUS_INVOCATION}`);
  acknowledgeRules(framework, [...RULES.lambdaInVpc, 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC',
    'PCI.DSS.321-LambdaInsideVPC'], `The custom-resources Provider framework function only invokes the ${settings.handlerName} (which `
    + `runs in the VPC) and PUTs its result to CloudFormation's pre-signed response URL; ${settings.frameworkReads}: the URL is an `
    + 'object of a CloudFormation-owned bucket, which the S3 gateway endpoint\'s policy (this account\'s principals only) refuses, '
    + 'and there is no Lambda endpoint or other route out.');
  return provider;
}

/**
 * The role of a custom resource's handler that runs in the environment's VPC: its own (the managed Lambda policies would
 * grant logs on every log group), assumed by Lambda, with the network-interface access a function in a VPC needs
 * ({@link VpcAccessStatements}) and write access to its own log group only.
 */
export function inVpcHandlerRole(scope: Construct, id: string, environment: AiEnvironment, logGroup: logs.ILogGroup,
  description: string): iam.Role {
  const role = new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
  for (const statement of VpcAccessStatements.forLambda(scope, environment.vpc.vpcId)) role.addToPrincipalPolicy(statement);
  logGroup.grantWrite(role);
  return role;
}

/**
 * The Provider framework's own function, set for one custom resource: a reserved concurrency of one (CloudFormation
 * sends its events one at a time) and the handler's runtime. The CDK picks the framework's runtime from its per-Region
 * facts, which lag behind Lambda's newest runtime; the framework's code runs on any current Node.js.
 */
function frameworkOf(provider: cr.Provider, handler: lambda.Function): lambda.Function {
  const framework = provider.node.findChild('framework-onEvent') as lambda.Function;
  const cfn = framework.node.defaultChild as lambda.CfnFunction;
  cfn.reservedConcurrentExecutions = 1;
  cfn.runtime = handler.runtime.name;
  return framework;
}
