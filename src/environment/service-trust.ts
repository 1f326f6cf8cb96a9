// Confused-deputy conditions for the roles and resource policies that AWS services use on this account's behalf.
// Which keys each service supplies, from its documentation:
// - SageMaker, VPC Flow Logs and CloudTrail supply aws:SourceAccount and aws:SourceArn when they assume a role or
//   write to a resource: both are required (the account, and the ARN pattern of this account's own resources).
// - AWS Backup and API Gateway are handed their role with iam:PassRole, which never crosses accounts, and their
//   documentation does not say they supply the keys on AssumeRole: the account is pinned when supplied (IfExists), so
//   that the role keeps working if they do not.
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** How a service proves whom it acts for. */
export enum ServiceSource {
  /** aws:SourceAccount and aws:SourceArn are always supplied: both must name this account. */
  ACCOUNT_AND_ARN = 'account-and-arn',
  /** The keys may be absent: aws:SourceAccount must name this account when present. */
  ACCOUNT_IF_SUPPLIED = 'account-if-supplied',
}

/**
 * The conditions a service principal of this account must meet: its request comes from this account and, when
 * `sourceArn` is given (an ARN pattern of this account's resources of the service), from one of those resources.
 */
export function serviceSourceConditions(scope: IConstruct, source: ServiceSource, sourceArn?: string): Record<string, Record<string, string>> {
  const account = Stack.of(scope).account;
  if (source === ServiceSource.ACCOUNT_IF_SUPPLIED) return { StringEqualsIfExists: { 'aws:SourceAccount': account } };
  return { StringEquals: { 'aws:SourceAccount': account }, ...(sourceArn ? { ArnLike: { 'aws:SourceArn': sourceArn } } : {}) };
}

/** A service principal that only this account's resources of the service can use (SageMaker, VPC Flow Logs, CloudTrail). */
export function servicePrincipalOfThisAccount(
  scope: IConstruct, service: string, source: ServiceSource, resourcePattern?: string,
): iam.ServicePrincipal {
  return new iam.ServicePrincipal(service, { conditions: serviceSourceConditions(scope, source, resourcePattern) });
}

/** The ARN pattern of every resource of a service in this account and Region (`arn:aws:sagemaker:eu-west-2:111111111111:*`). */
export function resourcesOfThisAccount(scope: IConstruct, service: string, resource = '*'): string {
  return Stack.of(scope).formatArn({ service, resource, arnFormat: ArnFormat.NO_RESOURCE_NAME });
}

/**
 * Adds the conditions to the trust of a role another construct created (CDK's flow-log and CloudTrail roles), whose
 * one statement lets a service assume it.
 */
export function restrictServiceTrust(role: iam.IRole, conditions: Record<string, Record<string, string>>): void {
  const cfn = role.node.defaultChild as iam.CfnRole;
  const trust = Stack.of(role).resolve(cfn.assumeRolePolicyDocument) as { Statement: Array<{ Principal?: { Service?: unknown } }> };
  if (trust.Statement.length !== 1 || trust.Statement[0].Principal?.Service === undefined) {
    throw new Error(`restrictServiceTrust: the trust of ${role.node.path} is not one statement for a service principal; set its conditions where it is created.`);
  }
  cfn.addPropertyOverride('AssumeRolePolicyDocument.Statement.0.Condition', conditions);
}
