// The cross-stage guard at synthesis: every policy document the app renders is read once its references are final, so
// a grant across environment stages is refused however it was made (grant* methods, x.grants.*, addToResourcePolicy,
// grantReplicationPermission, hand-written statements). The grant* overrides of the library's constructs still refuse
// earlier, where they can name the call.
//
// What is refused: a resource or trust policy of one stage whose Allow names a principal of another stage (a role or
// user ARN of its account, its account, or a role exported by its stack), and an identity policy of one stage whose
// Allow names a resource exported by another stage's stack. Stages live in their own accounts (AiEnvironmentStage
// requires it), so an identity policy naming another account's ARN grants nothing without that account's resource
// policy, which the guard reads on the other side. Account principals are accepted where the resource declared a
// read-only share with that account (ModelRegistry's reader accounts).
import { Aspects, CfnResource, IAspect, Stack, Stage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { EnvironmentMark, environmentOf, environmentOfAccount, isDeclaredShare } from '../construct-kit/stage-segregation';

const guardedStages = new WeakSet<IConstruct>();

/**
 * Makes sure the stage (or app) `scope` belongs to checks every policy it renders for grants across environment stages,
 * once per stage: aspects do not cross into nested stages, so each stage carries its own.
 */
export function guardCrossStageGrants(scope: IConstruct): void {
  const stage = Stage.isStage(scope) ? scope : Stage.of(scope) ?? scope.node.root;
  if (guardedStages.has(stage)) return;
  guardedStages.add(stage);
  Aspects.of(stage).add(new CrossStageGrantGuard());
}

const IDENTITY_TYPES = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']);

class CrossStageGrantGuard implements IAspect {
  private readonly validated = new WeakSet<IConstruct>();

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || this.validated.has(node)) return;
    this.validated.add(node);
    const owner = environmentOf(node);
    if (!owner) return;
    node.node.addValidation({ validate: () => crossStageGrants(node, owner) });
  }
}

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Principal?: unknown;
  readonly Resource?: unknown;
}

function crossStageGrants(resource: CfnResource, owner: EnvironmentMark): string[] {
  const stack = Stack.of(resource);
  const rendered = stack.resolve(resource._toCloudFormation()) as { Resources: Record<string, { Properties?: Record<string, unknown> }> };
  const properties = Object.values(rendered.Resources)[0]?.Properties ?? {};
  const errors: string[] = [];
  for (const [property, document] of policyDocuments(properties, '')) {
    const identity = IDENTITY_TYPES.has(resource.cfnResourceType) && property !== 'AssumeRolePolicyDocument';
    for (const statement of statementsOf(document)) {
      if (statement.Effect !== 'Allow') continue;
      const named = identity ? statement.Resource : principalsOf(statement.Principal);
      for (const other of stagesNamed(resource, named, identity, owner)) {
        if (other.stage === owner.stage) continue;
        const actions = ([] as string[]).concat(statement.Action ?? []).join(', ');
        const whom = identity ? `on ${readable(named)}, a resource of the ${other.stage} environment (${other.declaredAt})`
          : `to ${readable(named)}, a principal of the ${other.stage} environment (${other.declaredAt})`;
        errors.push(`${resource.node.path} belongs to the ${owner.stage} environment (${owner.declaredAt}), but its ${property} grants ${actions} `
          + `${whom}. Environments are segregated, whether the grant came from a grant* method, x.grants.*, `
          + 'grantReplicationPermission, addToResourcePolicy or a hand-written statement. Fix: remove the grant and copy the artifact through '
          + 'a reviewed promotion step (or share approved models read-only: ModelRegistry readerAccounts, AiEnvironment.shareAcrossStages).');
      }
    }
  }
  return errors;
}

/**
 * The environments a principal (or, in an identity policy, a resource) names: by the account of a principal, by the
 * stack that exports it, or by the name of a bucket of the app.
 */
function stagesNamed(resource: CfnResource, value: unknown, identity: boolean, owner: EnvironmentMark): EnvironmentMark[] {
  const text = JSON.stringify(value ?? null);
  const found: EnvironmentMark[] = [];
  if (identity) {
    for (const match of text.matchAll(/:s3:::([a-z0-9][a-z0-9.-]+)/g)) {
      const bucket = bucketsByName(resource).get(match[1]);
      if (bucket && !(owner.account && isDeclaredShare(bucket, owner.account))) add(found, environmentOf(bucket));
    }
  }
  const accountPrincipals = !identity;
  // ARNs of IAM principals name their account (the partition may be a reference); a bare account, or its root, is an
  // account principal.
  const roleAccounts = [...text.matchAll(/:(?:iam|sts)::(\d{12}):(?!root)/g)].map((m) => m[1]);
  const bareAccounts = accountPrincipals ? [...text.matchAll(/"(\d{12})"|:iam::(\d{12}):root/g)].map((m) => m[1] ?? m[2]) : [];
  for (const account of roleAccounts) add(found, environmentOfAccount(resource, account));
  for (const account of bareAccounts) {
    if (!isDeclaredShare(resource, account)) add(found, environmentOfAccount(resource, account));
  }
  for (const match of text.matchAll(/"Fn::ImportValue":"([^"]+)"/g)) {
    const exporter = resource.node.root.node.findAll().find((c) => Stack.isStack(c) && match[1].startsWith(`${c.stackName}:`));
    if (exporter) add(found, environmentOf(exporter));
  }
  return found;
}

const bucketNames = new WeakMap<IConstruct, Map<string, IConstruct>>();

/** The buckets of the app whose names are known at synthesis (given, or generated for use in another environment). */
function bucketsByName(scope: IConstruct): Map<string, IConstruct> {
  const root = scope.node.root;
  let names = bucketNames.get(root);
  if (!names) {
    names = new Map();
    for (const bucket of root.node.findAll().filter((c): c is s3.CfnBucket => c instanceof s3.CfnBucket)) {
      const name = Stack.of(bucket).resolve(bucket.bucketName);
      if (typeof name === 'string') names.set(name, bucket);
    }
    bucketNames.set(root, names);
  }
  return names;
}

/** A principal or resource as a reader would write it: intrinsics flattened (`arn:${AWS::Partition}:iam::...`). */
function readable(value: unknown): string {
  const flatten = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.map(flatten).join(', ');
    if (v && typeof v === 'object') {
      const [fn, arg] = Object.entries(v)[0] ?? [];
      if (fn === 'Fn::Join') return ((arg as [string, unknown[]])[1]).map(flatten).join((arg as [string, unknown[]])[0]);
      if (fn === 'Ref') return `\${${String(arg)}}`;
      if (fn === 'Fn::ImportValue') return `\${Import ${flatten(arg)}}`;
      if (fn === 'Fn::GetAtt') return `\${${([] as unknown[]).concat(arg).join('.')}}`;
    }
    return JSON.stringify(v);
  };
  return flatten(value);
}

function add(list: EnvironmentMark[], mark: EnvironmentMark | undefined): void {
  if (mark && !list.includes(mark)) list.push(mark);
}

function principalsOf(principal: unknown): unknown {
  if (principal === undefined || principal === '*') return undefined;
  return (principal as Record<string, unknown>).AWS;
}

/** The policy documents in a resource's properties, with the property they sit in; JSON strings are parsed. */
function policyDocuments(value: unknown, at: string): Array<[string, { Statement: unknown }]> {
  if (typeof value === 'string') {
    if (!value.includes('"Statement"')) return [];
    try {
      return policyDocuments(JSON.parse(value), at);
    } catch {
      return [];
    }
  }
  if (value === null || typeof value !== 'object') return [];
  if ('Statement' in value) return [[at || 'policy', value as { Statement: unknown }]];
  return Object.entries(value).flatMap(([k, v]) => policyDocuments(v, at ? `${at}.${k}` : k));
}

function statementsOf(document: { Statement: unknown }): Statement[] {
  return ([] as Statement[]).concat(document.Statement as Statement | Statement[]);
}
