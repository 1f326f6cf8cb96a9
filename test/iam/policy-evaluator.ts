// A small IAM policy evaluator for tests: the operators and policy types the library's policies use, evaluated as the
// IAM User Guide describes (policy evaluation logic, condition operators, set operators, permissions boundaries).
// @cloud-copilot/iam-simulate is AGPL-3.0 and pbac (MIT) differs from IAM where it matters here (negated operators
// with several values, absent keys, Null with string values, no boundary or SCP), so the project has its own.
// Its own tests (policy-evaluator.test.ts) carry over the examples of AWS's documentation.

/** A policy document as written in a template, after intrinsics are rendered. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: Statement | Statement[];
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: PrincipalElement;
  readonly NotPrincipal?: PrincipalElement;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export type PrincipalElement = '*' | Record<string, string | string[]>;

/** A value of the request context: single-valued keys hold a string, number or boolean; multivalued keys a list. */
export type ContextValue = string | number | boolean | string[];

/** Who makes the request: an IAM principal (a role or user, by ARN) or an AWS service. */
export interface RequestPrincipal {
  /** The role's (or user's) ARN; for a role this stands for its sessions too. */
  readonly arn?: string;
  /** The service principal, such as `cloudtrail.amazonaws.com`. */
  readonly service?: string;
  /** Whether the IAM principal has a permissions boundary (NotPrincipal with Deny then always applies to it). */
  readonly hasBoundary?: boolean;
}

export interface EvaluationRequest {
  readonly principal: RequestPrincipal;
  readonly action: string;
  readonly resource: string;
  /** The request context, by condition key (case-insensitive). aws:PrincipalArn/Account are added from the principal. */
  readonly context?: Record<string, ContextValue>;
}

/** The policies that apply to a request. */
export interface ApplicablePolicies {
  /** Identity-based policies of the principal (inline and managed). */
  readonly identity?: PolicyDocument[];
  /** The principal's permissions boundary. */
  readonly boundary?: PolicyDocument;
  /** The resource's policy (bucket, topic, key or trust policy). */
  readonly resource?: PolicyDocument;
  /**
   * Whether the resource policy must allow the principal itself or its account (KMS key policies and role trust
   * policies): an identity-based allow alone is not enough.
   */
  readonly resourcePolicyRequired?: boolean;
  /** Service control policies, one list per level of the organisation (root, OU, account): every level must allow. */
  readonly scps?: PolicyDocument[][];
  /** The policy of the VPC endpoint the request passes through: it must allow, as an SCP must. */
  readonly endpoint?: PolicyDocument;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export interface Evaluation {
  readonly decision: Decision;
  /** Which policy decided, for readable test failures. */
  readonly reason: string;
}

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals',
  'ArnNotEquals', 'ArnNotLike', 'NotIpAddress', 'BinaryNotEquals']);
const POSITIVE_OF: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NotIpAddress: 'IpAddress',
  BinaryNotEquals: 'BinaryEquals',
};

/** Evaluates one request against the policies that apply to it. */
export function evaluate(request: EvaluationRequest, policies: ApplicablePolicies): Evaluation {
  const ctx = requestContext(request);
  const isService = request.principal.service !== undefined;
  const principalAccount = accountOfArn(request.principal.arn);
  const resourceAccount = stringValue(ctx.get('aws:resourceaccount')) ?? accountOfArn(request.resource) ?? principalAccount;
  const crossAccount = !isService && principalAccount !== undefined && resourceAccount !== undefined && principalAccount !== resourceAccount;

  // 1. Any applicable explicit deny decides.
  const applicable: Array<[string, PolicyDocument | undefined, boolean]> = [
    ['resource policy', policies.resource, true],
    ['VPC endpoint policy', policies.endpoint, true],
    ...(isService ? [] : [
      ...(policies.identity ?? []).map((p, i): [string, PolicyDocument, boolean] => [`identity policy ${i}`, p, false]),
      ['permissions boundary', policies.boundary, false] as [string, PolicyDocument | undefined, boolean],
      ...(policies.scps ?? []).flat().map((p, i): [string, PolicyDocument, boolean] => [`SCP ${i}`, p, false]),
    ]),
  ];
  for (const [name, doc, withPrincipal] of applicable) {
    const deny = doc && statementsOf(doc).find((s) => s.Effect === 'Deny' && applies(s, request, ctx, withPrincipal) !== 'none');
    if (deny) return { decision: 'ExplicitDeny', reason: `${name}${deny.Sid ? ` (${deny.Sid})` : ''}` };
  }

  // 2. Service control policies: every level must allow (they do not apply to service principals).
  if (!isService) {
    for (const [i, level] of (policies.scps ?? []).entries()) {
      if (!level.some((doc) => allows(doc, request, ctx, false) !== 'none')) return { decision: 'ImplicitDeny', reason: `SCP level ${i} allows nothing here` };
    }
  }
  // The VPC endpoint's policy must allow as well.
  if (policies.endpoint && allows(policies.endpoint, request, ctx, true) === 'none') {
    return { decision: 'ImplicitDeny', reason: 'the VPC endpoint policy does not allow it' };
  }

  // 3. Resource-based policy, then identity-based policies and the boundary.
  const byResource = policies.resource ? allows(policies.resource, request, ctx, true) : 'none';
  if (isService) {
    return byResource === 'none' ? { decision: 'ImplicitDeny', reason: 'no resource policy allows the service' } : { decision: 'Allow', reason: 'resource policy' };
  }
  const byIdentity = (policies.identity ?? []).some((doc) => allows(doc, request, ctx, false) !== 'none');
  const byBoundary = policies.boundary === undefined || allows(policies.boundary, request, ctx, false) !== 'none';

  if (crossAccount) {
    // Across accounts, the principal's account must allow (identity within its boundary) and the resource must allow.
    if (!(byIdentity && byBoundary)) return { decision: 'ImplicitDeny', reason: 'the principal\'s identity policies or boundary do not allow it' };
    return byResource === 'none' ? { decision: 'ImplicitDeny', reason: 'the resource policy does not allow the other account' } : { decision: 'Allow', reason: 'identity and resource policy' };
  }
  // Within one account: a resource policy naming the role (or everyone) allows within the role's boundary; one naming the
  // account delegates to the identity policies. Key policies and trust policies must allow one way or the other.
  if (byResource === 'principal' && byBoundary) return { decision: 'Allow', reason: 'resource policy' };
  if (policies.resourcePolicyRequired && byResource === 'none') return { decision: 'ImplicitDeny', reason: 'the key or trust policy does not allow the principal or its account' };
  if (!byIdentity) return { decision: 'ImplicitDeny', reason: 'no identity policy allows it' };
  if (!byBoundary) return { decision: 'ImplicitDeny', reason: 'the permissions boundary does not allow it' };
  return { decision: 'Allow', reason: 'identity policy' };
}

/** How a policy allows a request: through a statement naming the principal (or everyone), only its account, or not. */
type Grant = 'principal' | 'account' | 'none';

function allows(doc: PolicyDocument, request: EvaluationRequest, ctx: Context, withPrincipal: boolean): Grant {
  let best: Grant = 'none';
  for (const s of statementsOf(doc)) {
    if (s.Effect !== 'Allow') continue;
    const grant = applies(s, request, ctx, withPrincipal);
    if (grant === 'principal') return grant;
    if (grant === 'account') best = grant;
  }
  return best;
}

function applies(s: Statement, request: EvaluationRequest, ctx: Context, withPrincipal: boolean): Grant {
  if (s.Action !== undefined && !list(s.Action).some((a) => actionMatches(a, request.action))) return 'none';
  if (s.NotAction !== undefined && list(s.NotAction).some((a) => actionMatches(a, request.action))) return 'none';
  if (s.Resource !== undefined && !list(s.Resource).some((r) => resourceMatches(r, request.resource, ctx))) return 'none';
  if (s.NotResource !== undefined && list(s.NotResource).some((r) => resourceMatches(r, request.resource, ctx))) return 'none';
  let grant: Grant = 'principal';
  if (withPrincipal) {
    if (s.Principal !== undefined) {grant = principalMatches(s.Principal, request.principal);} else if (s.NotPrincipal !== undefined) {
      // A Deny with NotPrincipal always applies to a principal with a permissions boundary (IAM User Guide).
      const excluded = principalMatches(s.NotPrincipal, request.principal) !== 'none';
      grant = excluded && !(s.Effect === 'Deny' && request.principal.hasBoundary) ? 'none' : 'principal';
    }
    if (grant === 'none') return 'none';
  }
  return conditionHolds(s.Condition, ctx) ? grant : 'none';
}

function principalMatches(element: PrincipalElement, principal: RequestPrincipal): Grant {
  if (element === '*') return 'principal';
  let best: Grant = 'none';
  for (const [kind, values] of Object.entries(element)) {
    for (const value of list(values)) {
      if (kind === 'Service' && principal.service !== undefined && value === principal.service) return 'principal';
      if (kind !== 'AWS' || principal.arn === undefined) continue;
      if (value === '*' || value === principal.arn) return 'principal';
      const account = /^\d{12}$/.test(value) ? value : /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(value)?.[1];
      if (account !== undefined && account === accountOfArn(principal.arn)) best = 'account';
    }
  }
  return best;
}

/** The request context with case-insensitive keys and the principal's own keys. */
type Context = Map<string, ContextValue>;

function requestContext(request: EvaluationRequest): Context {
  const ctx: Context = new Map();
  if (request.principal.arn) {
    ctx.set('aws:principalarn', request.principal.arn);
    const account = accountOfArn(request.principal.arn);
    if (account) ctx.set('aws:principalaccount', account);
  }
  if (request.principal.service) {
    ctx.set('aws:principalisawsservice', true);
    ctx.set('aws:principalservicename', request.principal.service);
  } else if (request.principal.arn) {
    ctx.set('aws:principalisawsservice', false);
  }
  for (const [key, value] of Object.entries(request.context ?? {})) ctx.set(key.toLowerCase(), value);
  return ctx;
}

function conditionHolds(condition: Statement['Condition'], ctx: Context): boolean {
  if (condition === undefined) return true;
  return Object.entries(condition).every(([operator, block]) => Object.entries(block).every(([key, values]) =>
    operatorHolds(operator, key, list(values as string | string[]).map(String), ctx)));
}

function operatorHolds(operator: string, key: string, policyValues: string[], ctx: Context): boolean {
  const [qualifier, rest] = operator.includes(':') ? operator.split(':', 2) : [undefined, operator];
  const ifExists = rest.endsWith('IfExists');
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const value = ctx.get(key.toLowerCase());
  if (base === 'Null') {
    if (policyValues.length !== 1 || !/^(true|false)$/i.test(policyValues[0])) throw new Error(`Null takes "true" or "false", got ${policyValues.join(',')}`);
    const absent = value === undefined || (Array.isArray(value) && value.length === 0);
    return absent === (policyValues[0].toLowerCase() === 'true');
  }
  const negated = NEGATED.has(base);
  const positive = POSITIVE_OF[base] ?? base;
  const one = (v: ContextValue): boolean => {
    const matched = policyValues.some((p) => compare(positive, v, substitute(p, ctx)));
    return negated ? !matched : matched;
  };
  if (value === undefined && ifExists) return true;
  if (qualifier === 'ForAllValues' || qualifier === 'ForAnyValue') {
    const values = value === undefined ? [] : list(value as string | string[]);
    return qualifier === 'ForAllValues' ? values.every(one) : values.some(one);
  }
  if (qualifier !== undefined) throw new Error(`Unknown set operator ${qualifier}`);
  if (value === undefined) return ifExists || negated;
  if (Array.isArray(value)) throw new Error(`${key} is multivalued: ${operator} needs ForAllValues or ForAnyValue`);
  return one(value);
}

function compare(operator: string, value: ContextValue, policy: string | undefined): boolean {
  if (policy === undefined) return false; // a policy variable without a value matches nothing
  const v = String(value);
  switch (operator) {
    case 'StringEquals': return v === policy;
    case 'StringEqualsIgnoreCase': return v.toLowerCase() === policy.toLowerCase();
    case 'StringLike': return glob(policy).test(v);
    case 'ArnEquals':
    case 'ArnLike': return arnMatches(policy, v);
    case 'Bool': return v.toLowerCase() === policy.toLowerCase();
    case 'NumericEquals': return Number(v) === Number(policy);
    case 'NumericLessThan': return Number(v) < Number(policy);
    case 'NumericLessThanEquals': return Number(v) <= Number(policy);
    case 'NumericGreaterThan': return Number(v) > Number(policy);
    case 'NumericGreaterThanEquals': return Number(v) >= Number(policy);
    case 'DateEquals': return dateOf(v) === dateOf(policy);
    case 'DateLessThan': return dateOf(v) < dateOf(policy);
    case 'DateLessThanEquals': return dateOf(v) <= dateOf(policy);
    case 'DateGreaterThan': return dateOf(v) > dateOf(policy);
    case 'DateGreaterThanEquals': return dateOf(v) >= dateOf(policy);
    case 'IpAddress': return inCidr(v, policy);
    case 'BinaryEquals': return Buffer.from(v).toString('base64') === policy;
    default: throw new Error(`Condition operator ${operator} is not supported by this evaluator`);
  }
}

/** Replaces policy variables (`${aws:username}`, `${*}`); undefined when a variable has no value in the request. */
function substitute(text: string, ctx: Context): string | undefined {
  let missing = false;
  const out = text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name === '*' || name === '?' || name === '$') return name;
    const value = ctx.get(name.toLowerCase());
    if (value === undefined || Array.isArray(value)) {
      missing = true;
      return '';
    }
    return String(value);
  });
  return missing ? undefined : out;
}

function actionMatches(pattern: string, action: string): boolean {
  return glob(pattern, true).test(action);
}

function resourceMatches(pattern: string, resource: string, ctx: Context): boolean {
  const p = substitute(pattern, ctx);
  if (p === undefined) return false;
  return p === '*' || arnMatches(p, resource);
}

/** ARN matching: each of the six colon-separated parts is matched on its own, wildcards included. */
function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (p === undefined || a === undefined) return glob(pattern).test(arn);
  return p.every((part, i) => glob(part).test(a[i]));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

const globCache = new Map<string, RegExp>();
function glob(pattern: string, ignoreCase = false): RegExp {
  const cacheKey = `${ignoreCase}${pattern}`;
  let re = globCache.get(cacheKey);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    globCache.set(cacheKey, re);
  }
  return re;
}

function dateOf(text: string): number {
  return /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, bits = '32'] = cidr.split('/');
  const block = 2 ** (32 - Number(bits));
  const toNumber = (address: string) => address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  return Math.floor(toNumber(ip) / block) === Math.floor(toNumber(net) / block);
}

function stringValue(value: ContextValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function accountOfArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

export function statementsOf(doc: PolicyDocument): Statement[] {
  return list(doc.Statement);
}

function list<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
