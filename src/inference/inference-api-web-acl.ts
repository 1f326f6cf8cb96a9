import { ArnFormat, Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { retainedLogGroup } from '../construct-kit/log-group';

/** The body size above which the common rule set's SizeRestrictions_BODY rule blocks, fixed by AWS. */
export const COMMON_RULE_SET_BODY_LIMIT = 8192;
/** The largest body API Gateway can forward to AWS WAF for inspection. */
export const MAX_INSPECTABLE_BODY = 65536;
/** The body size API Gateway forwards to AWS WAF without extra charge. */
const DEFAULT_INSPECTION_LIMIT = 16384;
/** The id aws-cdk-lib gives the stack's shared log-delivery resource policy: one per stack, as accounts allow only ten. */
const DELIVERY_POLICY_ID = 'CdkLogGroupLogsDeliveryPolicy';

/** Properties of an {@link InferenceApiWebAcl}. */
export interface InferenceApiWebAclProps {
  /** The ARN of the API Gateway stage the web ACL protects. */
  readonly stageArn: string;
  /** Requests one source IP may send in any 5-minute window before it is blocked. */
  readonly rateLimit: number;
  /** The largest request body allowed, in bytes (at most 64 KiB). */
  readonly maxRequestBodyBytes: number;
  /** The key that encrypts the web ACL's log group. */
  readonly logKey: kms.IKey;
  /** How long the web ACL's log is kept. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * The AWS WAF web ACL in front of an inference API's stage: a per-IP rate limit, a body-size limit (API Gateway has
 * none of its own), AWS's known-bad-inputs and common rule sets, and a log of every request it sees in an encrypted,
 * retained `aws-waf-logs-` log group with the `Authorization` header redacted.
 */
export class InferenceApiWebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The log group the web ACL logs to. */
  public readonly logGroup: logs.LogGroup;
  /** The web ACL's logging configuration. */
  public readonly loggingConfiguration: wafv2.CfnLoggingConfiguration;

  public constructor(scope: Construct, id: string, props: InferenceApiWebAclProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const metricPrefix = Names.uniqueResourceName(this, { maxLength: 96, separator: '-' });
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${metricPrefix}-${name}`,
      // Sampled requests show headers (bearer tokens included) in the console; the redacted log is the record.
      sampledRequestsEnabled: false,
    });
    const bodyLimit = props.maxRequestBodyBytes;

    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: 'REGIONAL',
      description: 'Inference API: per-IP rate limit, body-size limit, AWS known-bad-inputs and common rule sets',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('WebAcl'),
      // Bodies are inspected whole: API Gateway forwards 16 KiB by default, more only when asked (and charged).
      associationConfig: bodyLimit > DEFAULT_INSPECTION_LIMIT
        ? { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: `KB_${Math.ceil(bodyLimit / 16384) * 16}` } } }
        : undefined,
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: { rateBasedStatement: { limit: props.rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        {
          name: 'MaxRequestBodySize',
          priority: 1,
          action: { block: { customResponse: { responseCode: 413 } } },
          statement: {
            sizeConstraintStatement: {
              // MATCH: a body larger than WAF receives is over the limit too, never waved through uninspected.
              fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
              comparisonOperator: 'GT',
              size: bodyLimit,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: visibility('MaxRequestBodySize'),
        },
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 2, visibility('KnownBadInputs')),
        // The common rule set blocks bodies over 8 KiB; above that, MaxRequestBodySize enforces the chosen limit instead.
        managedRuleGroup('AWSManagedRulesCommonRuleSet', 3, visibility('CommonRuleSet'),
          bodyLimit > COMMON_RULE_SET_BODY_LIMIT ? [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] : undefined),
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: props.stageArn, webAclArn: this.webAcl.attrArn });

    // WAF logs only to log groups named aws-waf-logs-*, and takes their ARN without the trailing ':*'.
    const logGroupName = `aws-waf-logs-${Names.uniqueResourceName(this, { maxLength: 240, separator: '-' })}`;
    this.logGroup = retainedLogGroup(this, 'Logs', {
      logGroupName,
      encryptionKey: props.logKey,
      retention: props.logRetention,
    });
    const logGroupArn = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const deliveryPolicy = this.deliveryPolicy(stack, logGroupName);

    this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [logGroupArn],
      // SigV4 signatures and Cognito bearer tokens stay out of the log.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
    });
    this.loggingConfiguration.node.addDependency(this.logGroup, deliveryPolicy);
  }

  /**
   * Lets the log delivery service write this log group, as WAF requires (aws-cdk-lib's log deliveries do the same), in
   * the stack's one shared resource policy: an account holds at most ten per Region. Scoped to this account's deliveries.
   */
  private deliveryPolicy(stack: Stack, logGroupName: string): logs.ResourcePolicy {
    // Should the stack hold something else under aws-cdk-lib's id, the web ACLs share a policy of their own.
    const id = stack.node.tryFindChild(DELIVERY_POLICY_ID) instanceof logs.ResourcePolicy || !stack.node.tryFindChild(DELIVERY_POLICY_ID)
      ? DELIVERY_POLICY_ID : `${DELIVERY_POLICY_ID}ForWebAcls`;
    const existing = stack.node.tryFindChild(id);
    const policy = existing instanceof logs.ResourcePolicy ? existing : new logs.ResourcePolicy(stack, id);
    policy.document.addStatements(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: `${logGroupName}:log-stream:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
      },
    }));
    return policy;
  }
}

function managedRuleGroup(
  name: string, priority: number, visibilityConfig: wafv2.CfnWebACL.VisibilityConfigProperty,
  ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[],
): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ruleActionOverrides } },
    visibilityConfig,
  };
}
