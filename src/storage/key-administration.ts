// Who may change a key's policy, disable it or schedule its deletion. The account root keeps the key administration
// the CDK requires, but an administrator of the account could otherwise PutKeyPolicy a key's protections away, or
// ScheduleKeyDeletion the key that decrypts locked model artifacts. Every key of the library denies those three calls
// to every principal but one key-administrator role: by default the CloudFormation execution role of the CDK
// bootstrap, so that only a reviewed deployment changes a key.
import { DefaultStackSynthesizer, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** The calls only the key administrator may make. */
export const KEY_ADMINISTRATION_ACTIONS = ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey'];

const administrators = new WeakMap<Stack, string>();
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;

/** Names the key-administrator role of a stack (AiEnvironment's `keyAdministratorRoleArn`). */
export function setKeyAdministrator(scope: IConstruct, owner: string, roleArn: string): void {
  if (!Token.isUnresolved(roleArn) && !IAM_ROLE_ARN.test(roleArn)) {
    throw new Error(`${owner}: keyAdministratorRoleArn '${roleArn}' is not the ARN of an IAM role. Fix: give arn:aws:iam::<account>:role/<name> `
      + 'of the role that deploys the stack (its CloudFormation execution role) or of your key-administration role.');
  }
  administrators.set(Stack.of(scope), roleArn);
}

/**
 * The key-administrator role of a key's stack, resolved when the template is synthesized: the role named with
 * `setKeyAdministrator`, otherwise the CloudFormation execution role of the stack's synthesizer.
 */
function keyAdministratorOf(scope: IConstruct): string {
  const stack = Stack.of(scope);
  const named = administrators.get(stack);
  if (named !== undefined) return named;
  const synthesizer = stack.synthesizer;
  // The synthesizer's ARN holds placeholders (`${AWS::Partition}`, and the account when the stack has none) that only
  // Fn::Sub turns into the ARN the deploying role really has; written as is, the deny would exempt no one.
  if (synthesizer instanceof DefaultStackSynthesizer) return Fn.sub(synthesizer.cloudFormationExecutionRoleArn);
  throw new Error(`${scope.node.path}: the stack's synthesizer has no CloudFormation execution role, which is the default key `
    + 'administrator: the only principal allowed to change a key policy, disable a key or schedule its deletion. Fix: give the '
    + 'AiEnvironment keyAdministratorRoleArn, the role that deploys the stack.');
}

/** The key policy statement denying key administration to everyone but the key administrator. */
export function keyAdministrationOnlyByAdministrator(key: IConstruct): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'KeyAdministrationOnlyByAdministrator',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: KEY_ADMINISTRATION_ACTIONS,
    resources: ['*'], // in a key policy, '*' means this key
    conditions: { ArnNotEquals: { 'aws:PrincipalArn': keyAdministratorArn(key) } },
  });
}

/** The key administrator's ARN, for other resource policies that only it may change (rendered at synthesis). */
export function keyAdministratorArn(scope: IConstruct): string {
  return Lazy.string({ produce: () => keyAdministratorOf(scope) });
}
