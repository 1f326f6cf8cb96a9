// Who may change a key's policy, disable it or schedule its deletion. The account root keeps the key administration
// the CDK requires, but an administrator of the account could otherwise PutKeyPolicy a key's protections away, or
// ScheduleKeyDeletion the key that decrypts locked model artifacts. Every key of the library denies those three calls
// to every principal but the key administrators: the role that deploys the stack, and the role the user names.
//
// The deploying role is always exempt. CloudFormation creates and updates a key with it, and KMS refuses a CreateKey
// whose policy would keep its caller from a later PutKeyPolicy (the policy lockout check): a deny without it would
// fail the first deployment, or every later change of a key policy.
import { Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** The calls only the key administrators may make. */
export const KEY_ADMINISTRATION_ACTIONS = ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey'];

const administrators = new WeakMap<Stack, string>();
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;

/** Names the key-administrator role of a stack (AiEnvironment's `keyAdministratorRoleArn`). */
export function setKeyAdministrator(scope: IConstruct, owner: string, roleArn: string): void {
  if (!Token.isUnresolved(roleArn) && !IAM_ROLE_ARN.test(roleArn)) {
    throw new Error(`${owner}: keyAdministratorRoleArn '${roleArn}' is not the ARN of an IAM role. Fix: give arn:aws:iam::<account>:role/<name> `
      + 'of your key-administration role.');
  }
  administrators.set(Stack.of(scope), roleArn);
}

/**
 * The role that deploys a stack, as its synthesizer tells it: the CloudFormation execution role of the
 * DefaultStackSynthesizer (and of synthesizers built on it); none for synthesizers that deploy with the caller's own
 * credentials (CliCredentialsStackSynthesizer, LegacyStackSynthesizer).
 */
function deployingRoleOf(stack: Stack): string | undefined {
  const role = stack.synthesizer.cloudFormationExecutionRole;
  // The synthesizer's ARN holds placeholders (`${AWS::Partition}`, and the account when the stack has none) that only
  // Fn::Sub turns into the ARN the deploying role really has; written as is, the deny would exempt no one.
  return role === undefined ? undefined : Fn.sub(role);
}

/**
 * The key administrators of a stack: the role that deploys it and the role named with `setKeyAdministrator`.
 * Throws when there is neither, which would leave every key to the deny.
 */
export function keyAdministratorsOf(scope: IConstruct): string[] {
  const stack = Stack.of(scope);
  const admins = [deployingRoleOf(stack), administrators.get(stack)].filter((a): a is string => a !== undefined);
  if (admins.length === 0) {
    throw new Error(`${scope.node.path}: keyAdministratorRoleArn is not set and the stack's synthesizer (${stack.synthesizer.constructor.name}) `
      + 'names no role that deploys it, so no principal could change a key policy, disable a key or schedule its deletion, and '
      + 'KMS would refuse to create the keys. Fix: give the AiEnvironment keyAdministratorRoleArn, the ARN of the role you deploy '
      + 'the stack with, or deploy with the DefaultStackSynthesizer (its CloudFormation execution role is then the administrator).');
  }
  return admins;
}

/** The key policy statement denying key administration to everyone but the key administrators. */
export function keyAdministrationOnlyByAdministrator(key: IConstruct): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'KeyAdministrationOnlyByAdministrator',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: KEY_ADMINISTRATION_ACTIONS,
    resources: ['*'], // in a key policy, '*' means this key
    conditions: { ArnNotEquals: { 'aws:PrincipalArn': keyAdministratorArns(key) } },
  });
}

/** The key administrators' ARNs, for other resource policies that only they may change (rendered at synthesis). */
export function keyAdministratorArns(scope: IConstruct): string[] {
  return Lazy.list({ produce: () => keyAdministratorsOf(scope) });
}
