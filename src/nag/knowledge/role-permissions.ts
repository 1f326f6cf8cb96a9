import { listOf } from '../engine/lists';
import { Statement, statementsOf } from '../engine/readers/policy-documents';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { isPlainObject, UnknownValue, unknownOf, Value } from '../engine/values';

/**
 * The permissions a role of the app holds, from every policy that grants them, for the rules that ask "may this role
 * call X" (P14, P15, D10). Reading one policy document is engine/readers/policy-documents.ts.
 */

/** The statements a role holds: inline policies, policies attached to it, and managed policies of the app it lists. */
export interface RoleStatements {
  readonly statements: ReadonlyArray<{ readonly statement: Statement; readonly from: IndexedResource }>;
  /** ARNs (text) of managed policies the role lists that are not in the app, such as AWS managed policies. */
  readonly externalPolicyArns: readonly string[];
  /** Why part of the role's permissions cannot be read, if so. */
  readonly unknown?: string;
}

/**
 * Every statement a role of the app holds, in any form of its policies; read once per role and run. Every asker
 * depends on the parameters read for the role (a cache filled by the first asker would give the others none).
 */
export function roleStatements(index: ResourceIndex, role: IndexedResource): RoleStatements {
  return index.memoPer(roleStatements, role, () => readRole(index, role));
}

function readRole(index: ResourceIndex, role: IndexedResource): RoleStatements {
  const statements: Array<{ statement: Statement; from: IndexedResource }> = [];
  const externalPolicyArns: string[] = [];
  let unknown: string | undefined;
  const addDocument = (document: Value, from: IndexedResource): void => {
    const read = statementsOf(document);
    if (read instanceof UnknownValue) unknown = unknown ?? read.reason;
    else read.forEach((statement) => statements.push({ statement, from }));
  };
  for (const branch of role.get('Policies')) {
    for (const policy of listOf(branch.value)) {
      if (isPlainObject(policy)) addDocument(policy.PolicyDocument, role);
      else if (unknownOf(policy)) unknown = unknown ?? unknownOf(policy)!.reason;
    }
  }
  for (const branch of role.get('ManagedPolicyArns')) {
    for (const arn of listOf(branch.value)) {
      if (typeof arn === 'string' && !index.resolve(arn)) externalPolicyArns.push(arn);
    }
  }
  // Policies that name the role (AWS::IAM::Policy Roles[]), and managed policies the role names or that name it.
  const attached = new Set<IndexedResource>();
  for (const ref of index.referencesTo(role)) {
    if ((ref.source.type === 'AWS::IAM::Policy' || ref.source.type === 'AWS::IAM::ManagedPolicy') && ref.path.startsWith('Roles')) {
      attached.add(ref.source);
    }
  }
  for (const ref of index.referencesFrom(role)) {
    if (ref.target.type === 'AWS::IAM::ManagedPolicy' && ref.path.startsWith('ManagedPolicyArns')) attached.add(ref.target);
  }
  for (const policy of attached) {
    for (const branch of policy.get('PolicyDocument')) addDocument(branch.value, policy);
  }
  return { statements, externalPolicyArns, unknown };
}

/** The IAM role a property (`Role`, `RoleArn`, `ServiceRole`) names, when it is a role of the app. */
export function roleOf(resource: IndexedResource, path: string): IndexedResource | undefined {
  for (const branch of resource.get(path)) {
    const target = resource.resolve(branch.value);
    if (target && target.type === 'AWS::IAM::Role') return target;
  }
  return undefined;
}
