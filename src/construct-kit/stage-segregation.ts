import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { EnvironmentStage } from './environment-stage';

/** What the construct tree records about an environment: its stage and, when known, its account. */
export interface EnvironmentMark {
  readonly stage: EnvironmentStage;
  readonly account?: string;
  /** Path of the construct that declared it, for error messages. */
  readonly declaredAt: string;
}

// Marks live beside the tree instead of in node metadata so that they never reach the template.
const marks = new WeakMap<IConstruct, EnvironmentMark>();
// Per app: which concrete account belongs to which stage, to recognise principals given by account or ARN.
const accountStages = new WeakMap<IConstruct, Map<string, EnvironmentMark>>();

/**
 * Records that everything under `scope` belongs to an environment of the given stage. A concrete account is also
 * registered app-wide; an account claimed by two stages throws, because the stages would share keys and data.
 */
export function markEnvironment(scope: IConstruct, mark: EnvironmentMark): void {
  const existing = marks.get(scope);
  if (existing && existing.stage !== mark.stage) {
    throw new Error(`${mark.declaredAt}: ${scope.node.path} already belongs to the ${existing.stage} environment declared at `
      + `${existing.declaredAt}, so it cannot also be ${mark.stage}. Fix: put each environment in its own stack (or AiEnvironmentStage).`);
  }
  marks.set(scope, mark);
  if (mark.account && !Token.isUnresolved(mark.account)) {
    const root = scope.node.root;
    const accounts = accountStages.get(root) ?? new Map<string, EnvironmentMark>();
    accountStages.set(root, accounts);
    const other = accounts.get(mark.account);
    if (other && other.stage !== mark.stage) {
      throw new Error(`${mark.declaredAt}: account ${mark.account} is already the ${other.stage} account (${other.declaredAt}); `
        + `a ${mark.stage} environment must not share it. Fix: give each stage its own AWS account in env.account.`);
    }
    accounts.set(mark.account, mark);
  }
}

/** The environment a construct belongs to: the nearest marked ancestor (its stack, or its AiEnvironmentStage). */
export function environmentOf(construct: IConstruct): EnvironmentMark | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const mark = marks.get(scope);
    if (mark) return mark;
  }
  return undefined;
}

/** The environment whose account this is, when an environment of the app declared it. */
export function environmentOfAccount(scope: IConstruct, account: string): EnvironmentMark | undefined {
  return accountStages.get(scope.node.root)?.get(account);
}

// Per construct: the accounts of other stages it is declared to share with (read-only, reviewed), and why.
const shares = new WeakMap<IConstruct, Set<string>>();

/**
 * Declares that the policies of `resource` (and of the constructs under it) may name other stages' accounts, as
 * account principals only: a reviewed, read-only share such as a model registry's reader accounts. Roles of another
 * stage stay refused. The reason is rendered into the template metadata of the resource's default child.
 */
export function declareCrossStageShare(resource: IConstruct, accounts: string[], reason: string): void {
  const declared = shares.get(resource) ?? new Set<string>();
  accounts.forEach((a) => declared.add(a));
  shares.set(resource, declared);
  const cfn = resource.node.defaultChild;
  if (cfn && CfnResource.isCfnResource(cfn)) cfn.addMetadata('cdk-secure-ai:shared-across-stages', { accounts: [...declared], reason });
}

/** Whether `construct` or one of its scopes declared a share with `account`. */
export function isDeclaredShare(construct: IConstruct, account: string): boolean {
  return construct.node.scopes.some((scope) => shares.get(scope)?.has(account) ?? false);
}

/** The environment of a principal: from its construct when it is one, otherwise from the account it names. */
function environmentOfPrincipal(root: IConstruct, principal: iam.IPrincipal): EnvironmentMark | undefined {
  if (Construct.isConstruct(principal)) {
    const mark = environmentOf(principal);
    if (mark) return mark;
  }
  const account = principal.principalAccount;
  if (account === undefined || Token.isUnresolved(account)) return undefined;
  return accountStages.get(root)?.get(account);
}

/**
 * Throws when a grant would give a principal of one stage access to a key or bucket of another stage: a production
 * role must never read development data (which may be poisoned) and a development role must never read production
 * data or use production keys.
 */
export function assertSameEnvironment(resource: IConstruct, grantee: iam.IGrantable, what: string): void {
  const owner = environmentOf(resource);
  if (!owner) return;
  const principal = grantee.grantPrincipal;
  const other = environmentOfPrincipal(resource.node.root, principal);
  if (!other || other.stage === owner.stage) return;
  const who = Construct.isConstruct(principal) ? principal.node.path : principal.toString();
  throw new Error(`${what} ${resource.node.path} belongs to the ${owner.stage} environment (${owner.declaredAt}) and cannot be `
    + `granted to ${who}, which belongs to the ${other.stage} environment (${other.declaredAt}). Environments are segregated: `
    + 'copy the artifact through a reviewed promotion step instead of granting across stages.');
}

/** The account of a stack when it is known at synth time. */
export function concreteAccountOf(scope: IConstruct): string | undefined {
  const account = Stack.of(scope).account;
  return Token.isUnresolved(account) ? undefined : account;
}
