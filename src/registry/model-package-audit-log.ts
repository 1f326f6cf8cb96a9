import { ArnFormat, Stack, Tags } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { retainedLogGroup } from '../construct-kit/log-group';

/** Properties of a {@link ModelPackageAuditLog}. */
export interface ModelPackageAuditLogProps {
  /** The model package group whose state changes are recorded. */
  readonly modelPackageGroupName: string;
  /** The customer-managed key that encrypts the log group. */
  readonly encryptionKey: kms.IKey;
  /** How long the records are kept. */
  readonly retention: logs.RetentionDays;
}

/**
 * Records every state change of the model packages of one group (registered, approved, rejected, deleted) in an
 * encrypted, retained log group, through an EventBridge rule. The log group's resource policy lets EventBridge write
 * for this rule only; it is a native `AWS::Logs::ResourcePolicy`, so no custom-resource Lambda is involved.
 */
export class ModelPackageAuditLog extends Construct {
  /** The log group receiving the state changes. */
  public readonly logGroup: logs.LogGroup;
  /** The rule that matches them. */
  public readonly rule: events.Rule;

  public constructor(scope: Construct, id: string, props: ModelPackageAuditLogProps) {
    super(scope, id);
    // EventBridge delivers to CloudWatch Logs only under /aws/events/.
    this.logGroup = retainedLogGroup(this, 'LogGroup', {
      logGroupName: `/aws/events/sagemaker/model-packages/${props.modelPackageGroupName}`,
      encryptionKey: props.encryptionKey,
      retention: props.retention,
    });
    Tags.of(this.logGroup).add('ai:asset', 'true');

    this.rule = new events.Rule(this, 'StateChanges', {
      description: `Model package state changes of group ${props.modelPackageGroupName}, recorded for audit`,
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: [props.modelPackageGroupName] },
      },
    });
    const stack = Stack.of(this);
    const logGroup = this.logGroup;
    this.rule.addTarget({
      bind: () => ({
        arn: stack.formatArn({ service: 'logs', resource: 'log-group', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: logGroup.logGroupName }),
        targetResource: logGroup,
      }),
    });
    this.logGroup.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'StateChangesFromThisRule',
      principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [this.logGroup.logGroupArn],
      conditions: { ArnEquals: { 'aws:SourceArn': this.rule.ruleArn } },
    }));
  }
}
