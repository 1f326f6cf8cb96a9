import { Names, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** A log group the library creates: its key, and the log group settings that differ between groups. */
export interface RetainedLogGroupProps extends Omit<logs.LogGroupProps, 'encryptionKey' | 'removalPolicy'> {
  /** The customer-managed key that encrypts the logs (the environment's log key). */
  readonly encryptionKey: kms.IKey;
}

/**
 * A log group of the library's constructs: encrypted with a customer-managed key and kept when the stack is deleted,
 * since the logs are evidence for incident response (SecureAI-V14). Its logs are kept a year unless `retention` says
 * otherwise (the CDK's own default is two years).
 */
export function retainedLogGroup(scope: Construct, id: string, props: RetainedLogGroupProps): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    ...props,
    retention: props.retention ?? logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * The name of a state machine's log group, unique to `scope`. Vended-log delivery adds a resource policy to the log
 * group unless its name starts with `/aws/vendedlogs/`.
 */
export function stateMachineLogGroupName(scope: Construct): string {
  return `/aws/vendedlogs/states/${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}`;
}
