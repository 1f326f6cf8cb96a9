import { aiAssetReason } from '../../engine/ai-assets';
import { COMPLIANT, isTrue, NOT_APPLICABLE, nonCompliant, unverifiable } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { isAllow, namesServiceAction, roleOf, roleStatements } from '../../engine/role-permissions';
import { RuleResult, SecureAiRule } from '../../engine/secure-ai-rule';
import { describe, Expression, isPlainObject, ResourceReference, UnknownValue, Value } from '../../engine/values';
import { Verdict } from '../../findings';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';

/**
 * How the rule decides that an API stage fronts an AI backend. Any one of these, found once per run for every
 * method or integration of the app and keyed by the API it belongs to:
 * - an integration URI (or the integration's credentials ARN) that mentions SageMaker or Bedrock, as API Gateway's
 *   AWS integrations do (`arn:aws:apigateway:<region>:runtime.sagemaker:path/...`, `...:bedrock-runtime:path/model/...`),
 *   or that calls a well-known third-party model API;
 * - an integration URI that references an AI resource of the app (a SageMaker endpoint, an AgentCore runtime);
 * - an integration to a Lambda function (directly or through an alias or version) that is an AI asset, that
 *   references an AI resource (an endpoint name in its environment), or whose role names a model-invocation action
 *   of Bedrock, SageMaker or AgentCore (`bedrock:InvokeModel`, `sagemaker:InvokeEndpoint`, ...; a bare `*` does not
 *   count) or holds an AWS managed Bedrock/SageMaker policy;
 * - an integration credentials role that names such an action;
 * - the stage or its API tagged `ai:asset=true`.
 */
const AI_SERVICE_TEXT = /sagemaker|bedrock/i;
const AI_PROVIDER_HOSTS = /api\.openai\.com|openai\.azure\.com|api\.anthropic\.com|generativelanguage\.googleapis\.com|aiplatform\.googleapis\.com|api\.mistral\.ai|api\.cohere\.(?:ai|com)/i;
const AI_INVOKE_ACTIONS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['bedrock', ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream', 'InvokeAgent', 'InvokeInlineAgent',
    'Retrieve', 'RetrieveAndGenerate', 'InvokeFlow']],
  ['sagemaker', ['InvokeEndpoint', 'InvokeEndpointAsync', 'InvokeEndpointWithResponseStream']],
  ['bedrock-agentcore', ['InvokeAgentRuntime']],
];
const AI_MANAGED_POLICY = /policy\/(?:service-role\/)?Amazon(?:Bedrock|SageMaker)\w*/i;
const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Lambda::Alias', 'AWS::Lambda::Version']);
const API_TYPES = new Set(['AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api']);
/** Services whose resources a WebACLAssociation can target besides API Gateway stages. */
const OTHER_WAF_TARGETS = /:(?:elasticloadbalancing|appsync|cognito-idp|apprunner|ec2|amplify):/i;

/** Whether a web ACL limits the request rate: per form of its rules, the weakest form decides. */
type RateLimit = { readonly kind: 'limited' } | { readonly kind: 'count' | 'none' | 'unknown'; readonly detail: string };

/** What the rule knows about the app, built once per validation run. */
interface Lookup {
  /** Why an API fronts an AI backend, by API key. */
  readonly aiApis: Map<string, string>;
  /** The web ACL associations that target each stage. */
  readonly associations: Map<IndexedResource, IndexedResource[]>;
  /** Associations whose target cannot be read: any of them may attach to any stage. */
  readonly unresolved: IndexedResource[];
  /** CloudFront distributions with an API of the app as origin, by API. */
  readonly distributions: Map<IndexedResource, IndexedResource[]>;
  readonly functions: Map<IndexedResource, string | undefined>;
  readonly acls: Map<IndexedResource, RateLimit>;
}

const lookups = new WeakMap<ResourceIndex, Lookup>();

/** A key for an API: the resource of the app, or the raw `RestApiId`/`ApiId` text of an API outside it. */
function keyOf(target: IndexedResource | undefined, raw: unknown): string | undefined {
  if (target) return `res:${target.stack.stackPath}/${target.logicalId}`;
  return raw === undefined ? undefined : `raw:${JSON.stringify(raw)}`;
}

/** The API a stage, method or integration belongs to. */
function apiOf(resource: IndexedResource): { key?: string; api?: IndexedResource } {
  const path = resource.type.startsWith('AWS::ApiGatewayV2::') ? 'ApiId' : 'RestApiId';
  for (const branch of resource.get(path)) {
    const target = resource.resolve(branch.value);
    if (target && API_TYPES.has(target.type)) return { key: keyOf(target, undefined), api: target };
  }
  return { key: keyOf(undefined, resource.properties[path]) };
}

function lookupFor(index: ResourceIndex): Lookup {
  let lookup = lookups.get(index);
  if (lookup) return lookup;
  lookup = { aiApis: new Map(), associations: new Map(), unresolved: [], distributions: new Map(), functions: new Map(), acls: new Map() };
  lookups.set(index, lookup);
  const found = lookup;
  const record = (resource: IndexedResource, uriPath: string, credentialsPath: string): void => {
    const { key } = resource.type === 'AWS::ApiGatewayV2::Api' ? { key: keyOf(resource, undefined) } : apiOf(resource);
    if (key === undefined || found.aiApis.has(key)) return;
    const reason = integrationReason(index, found, resource, uriPath, credentialsPath);
    if (reason) found.aiApis.set(key, `${resource.type} ${resource.logicalId}: ${reason}`);
  };
  for (const method of index.ofType('AWS::ApiGateway::Method')) record(method, 'Integration.Uri', 'Integration.Credentials');
  for (const integration of index.ofType('AWS::ApiGatewayV2::Integration')) record(integration, 'IntegrationUri', 'CredentialsArn');
  for (const api of index.ofType('AWS::ApiGatewayV2::Api')) record(api, 'Target', 'CredentialsArn');

  // Stages by API and name, so that an ARN naming the stage by its literal name finds it.
  const stagesByName = new Map<string, IndexedResource>();
  for (const type of ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment']) {
    for (const stage of index.ofType(type)) {
      const name = stage.properties.StageName;
      const { key } = apiOf(stage);
      if (typeof name === 'string' && key) stagesByName.set(`${key}|${name}`, stage);
    }
  }
  for (const association of index.ofType('AWS::WAFv2::WebACLAssociation')) {
    const targets = new Set<IndexedResource>();
    let unknown = false;
    for (const branch of association.get('ResourceArn')) {
      const read = stagesNamedBy(index, branch.value, stagesByName);
      read.stages.forEach((s) => targets.add(s));
      unknown = unknown || read.unknown;
    }
    for (const stage of targets) push(found.associations, stage, association);
    if (unknown && targets.size === 0) found.unresolved.push(association);
  }
  for (const distribution of index.ofType('AWS::CloudFront::Distribution')) {
    for (const ref of index.referencesFrom(distribution)) {
      if (API_TYPES.has(ref.target.type) && ref.path.startsWith('DistributionConfig.Origins')) push(found.distributions, ref.target, distribution);
    }
  }
  return found;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** Why an integration calls an AI backend, if it does. */
function integrationReason(
  index: ResourceIndex, lookup: Lookup, resource: IndexedResource, uriPath: string, credentialsPath: string,
): string | undefined {
  for (const branch of resource.get(uriPath)) {
    const value = branch.value;
    const text = typeof value === 'string' ? value : value instanceof Expression ? value.pattern : undefined;
    if (text !== undefined && AI_SERVICE_TEXT.test(text)) return `its integration URI ${describe(value)} calls SageMaker or Bedrock`;
    if (text !== undefined && AI_PROVIDER_HOSTS.test(text)) return `its integration URI ${describe(value)} calls a third-party model API`;
    const refs = value instanceof ResourceReference ? [value] : value instanceof Expression ? value.references : [];
    for (const ref of refs) {
      const target = index.resolve(ref);
      if (!target) continue;
      if (target.isAiResource) return `its integration targets ${target.type} ${target.logicalId}`;
      if (FUNCTION_TYPES.has(target.type)) {
        const why = functionReason(index, lookup, target);
        if (why) return `its integration invokes ${why}`;
      }
    }
  }
  for (const branch of resource.get(credentialsPath)) {
    if (typeof branch.value === 'string' && AI_SERVICE_TEXT.test(branch.value)) return `its integration credentials ${describe(branch.value)} name SageMaker or Bedrock`;
    const role = resource.resolve(branch.value);
    const grant = role && role.type === 'AWS::IAM::Role' ? aiInvokeGrant(index, role) : undefined;
    if (role && grant) return `its integration role ${role.logicalId} may call ${grant}`;
  }
  return undefined;
}

function functionReason(index: ResourceIndex, lookup: Lookup, fn: IndexedResource): string | undefined {
  if (lookup.functions.has(fn)) return lookup.functions.get(fn);
  lookup.functions.set(fn, undefined); // guards against alias cycles
  let reason: string | undefined;
  if (fn.type !== 'AWS::Lambda::Function') {
    const target = fn.get('FunctionName').map((b) => fn.resolve(b.value)).find((r) => r?.type === 'AWS::Lambda::Function');
    reason = target ? functionReason(index, lookup, target) : undefined;
  } else if (index.isAiAsset(fn)) {
    reason = `Lambda ${fn.logicalId}, ${aiAssetReason(index, fn)}`;
  } else {
    const ai = index.referencesFrom(fn).find((r) => r.target.isAiResource);
    const role = ai ? undefined : roleOf(fn, 'Role');
    const grant = role ? aiInvokeGrant(index, role) : undefined;
    if (ai) reason = `Lambda ${fn.logicalId}, which references ${ai.target.type} ${ai.target.logicalId}`;
    else if (role && grant) reason = `Lambda ${fn.logicalId}, whose role ${role.logicalId} may call ${grant}`;
  }
  lookup.functions.set(fn, reason);
  return reason;
}

/** The model-invocation action (or AWS managed AI policy) a role holds, if any. */
function aiInvokeGrant(index: ResourceIndex, role: IndexedResource): string | undefined {
  const held = roleStatements(index, role);
  for (const { statement } of held.statements) {
    if (!isAllow(statement)) continue;
    for (const [service, actions] of AI_INVOKE_ACTIONS) {
      if (namesServiceAction(statement, service, actions)) return `${service}:${actions.find((a) => namesServiceAction(statement, service, [a]))}`;
    }
  }
  return held.externalPolicyArns.find((arn) => AI_MANAGED_POLICY.test(arn));
}

/** The stages of the app an association's `ResourceArn` (one form of it) names. */
function stagesNamedBy(
  index: ResourceIndex, value: Value, stagesByName: Map<string, IndexedResource>,
): { stages: IndexedResource[]; unknown: boolean } {
  if (value instanceof UnknownValue) return { stages: [], unknown: true };
  if (value instanceof ResourceReference) {
    const target = index.resolve(value);
    return { stages: target && isStage(target) ? [target] : [], unknown: false };
  }
  if (typeof value === 'string') {
    const m = /\/restapis\/([^/]+)\/stages\/([^/]+)$/.exec(value);
    const stage = m ? stagesByName.get(`${keyOf(undefined, m[1])}|${m[2]}`) : undefined;
    return { stages: stage ? [stage] : [], unknown: false };
  }
  if (!(value instanceof Expression)) return { stages: [], unknown: false };
  const direct = value.references.map((r) => index.resolve(r)).filter((r): r is IndexedResource => r !== undefined && isStage(r));
  if (direct.length > 0) return { stages: direct, unknown: false };
  // `.../restapis/<api>/stages/<name>` with the API a reference or literal and the stage name literal.
  const marked = value.parts.map((p, i) => (typeof p === 'string' ? p : `\u0000${i}\u0000`)).join('');
  const m = /\/restapis\/(.+?)\/stages\/([^/\u0000]+)$/.exec(marked);
  if (m) {
    const part = /^\u0000(\d+)\u0000$/.exec(m[1]);
    const apiPart = part ? value.parts[Number(part[1])] : m[1];
    const api = apiPart instanceof ResourceReference ? index.resolve(apiPart) : undefined;
    const key = typeof apiPart === 'string' ? keyOf(undefined, apiPart) : api ? keyOf(api, undefined) : undefined;
    const stage = key ? stagesByName.get(`${key}|${m[2]}`) : undefined;
    return { stages: stage ? [stage] : [], unknown: key === undefined };
  }
  const names = value.pattern;
  if (names.includes('/restapis/')) return { stages: [], unknown: true };
  if (OTHER_WAF_TARGETS.test(names) || value.references.length > 0) return { stages: [], unknown: false };
  return { stages: [], unknown: value.unknown !== undefined };
}

function isStage(resource: IndexedResource): boolean {
  return resource.type === 'AWS::ApiGateway::Stage' || resource.type === 'AWS::ApiGatewayV2::Stage' || resource.type === 'AWS::ApiGateway::Deployment';
}

/** Whether a web ACL (or a rule group it references) has a rate-based rule that acts, read once per ACL and run. */
function rateLimitOf(index: ResourceIndex, lookup: Lookup, acl: IndexedResource): RateLimit {
  let known = lookup.acls.get(acl);
  if (!known) {
    known = worst(acl.get('Rules').map((b) => rateLimitOfRules(index, b.value, `web ACL ${acl.logicalId}`, false)));
    lookup.acls.set(acl, known);
  }
  return known;
}

const ORDER = ['none', 'count', 'unknown', 'limited'] as const;

function worst(limits: RateLimit[]): RateLimit {
  return [...limits].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind))[0] ?? { kind: 'none', detail: 'has no rules' };
}

function best(limits: RateLimit[]): RateLimit | undefined {
  return [...limits].sort((a, b) => ORDER.indexOf(b.kind) - ORDER.indexOf(a.kind))[0];
}

function rateLimitOfRules(index: ResourceIndex, rules: Value, owner: string, inGroup: boolean): RateLimit {
  if (rules instanceof UnknownValue) return { kind: 'unknown', detail: `the rules of ${owner} cannot be read (${rules.reason})` };
  if (!Array.isArray(rules) || rules.length === 0) return { kind: 'none', detail: `${owner} has no rules` };
  const found: RateLimit[] = [];
  for (const rule of rules) {
    if (!isPlainObject(rule)) {
      if (rule instanceof UnknownValue) found.push({ kind: 'unknown', detail: `a rule of ${owner} cannot be read (${rule.reason})` });
      continue;
    }
    const statement = rule.Statement;
    const name = typeof rule.Name === 'string' ? `rule ${rule.Name}` : 'a rule';
    if (isPlainObject(statement) && isPlainObject(statement.RateBasedStatement)) {
      found.push(countsOnly(rule.Action) ? { kind: 'count', detail: `${name} of ${owner} is rate-based but only counts (Action Count): it detects and does not prevent` }
        : { kind: 'limited' });
    } else if (!inGroup && isPlainObject(statement) && isPlainObject(statement.RuleGroupReferenceStatement)) {
      const arn = statement.RuleGroupReferenceStatement.Arn;
      const group = index.resolve(arn);
      if (!group || group.type !== 'AWS::WAFv2::RuleGroup') {
        found.push({ kind: 'unknown', detail: `${name} of ${owner} references rule group ${describe(arn)}, which is not in the app` });
        continue;
      }
      const inner = worst(group.get('Rules').map((b) => rateLimitOfRules(index, b.value, `rule group ${group.logicalId}`, true)));
      found.push(inner.kind === 'limited' && countsOnly(rule.OverrideAction)
        ? { kind: 'count', detail: `${name} of ${owner} overrides rule group ${group.logicalId} to Count` } : inner);
    }
  }
  return best(found) ?? { kind: 'none', detail: `${owner} has no RateBasedStatement rule` };
}

function countsOnly(action: Value): boolean {
  return isPlainObject(action) && Object.keys(action).length === 1 && 'Count' in action;
}

/** The verdict of one path of protection: a web ACL named by `aclValues` (the forms of a WebACLArn or WebACLId). */
function judgeAcl(index: ResourceIndex, lookup: Lookup, aclValues: Value[], via: string): RuleResult {
  const limits: RateLimit[] = [];
  for (const value of aclValues) {
    const acl = index.resolve(value);
    if (acl && acl.type === 'AWS::WAFv2::WebACL') limits.push(rateLimitOf(index, lookup, acl));
    else if (value === undefined || value === '') limits.push({ kind: 'none', detail: `${via} names no web ACL` });
    else limits.push({ kind: 'unknown', detail: `${via} names web ACL ${describe(value)}, which is not in the app` });
  }
  const limit = worst(limits);
  if (limit.kind === 'limited') return COMPLIANT;
  if (limit.kind === 'unknown') return unverifiable(`whether the web ACL of ${via} limits the request rate cannot be verified: ${limit.detail}`);
  return nonCompliant(`${via} attaches a web ACL without an acting rate limit: ${limit.detail}`);
}

function judgeDistribution(index: ResourceIndex, lookup: Lookup, distribution: IndexedResource, api: IndexedResource): RuleResult {
  const via = `CloudFront distribution ${distribution.logicalId} in front of ${api.logicalId}`;
  const acl = judgeAcl(index, lookup, distribution.get('DistributionConfig.WebACLId').map((b) => b.value), via);
  if (acl.verdict !== Verdict.COMPLIANT) return acl;
  // The WAF at CloudFront protects nothing while the API's own endpoint answers directly.
  const disabled = api.get('DisableExecuteApiEndpoint').map((b) => isTrue(b.value));
  if (disabled.every((a) => a === true)) return COMPLIANT;
  if (disabled.some((a) => a instanceof UnknownValue)) return unverifiable(`whether ${api.logicalId}'s execute-api endpoint is disabled cannot be verified`);
  return nonCompliant(`${via} has a rate-limited web ACL, but DisableExecuteApiEndpoint of ${api.logicalId} is not true: `
    + 'callers can bypass the WAF through the default execute-api endpoint');
}

export const inferenceApiWafRateLimit: SecureAiRule = {
  id: 'P14',
  title: 'Inference APIs are behind a WAF web ACL with a rate-based rule',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Protect your model continuously',
  quote: 'controls on the query interface to detect and prevent attempts to access, modify, and exfiltrate confidential information',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage', 'AWS::ApiGateway::Deployment'],
  compliantWhen: 'every API Gateway stage that fronts an AI backend has an `AWS::WAFv2::WebACLAssociation` to a web ACL with a '
    + '`RateBasedStatement` rule whose action is not Count (directly or in a referenced rule group); or the API sits behind a '
    + 'CloudFront distribution with such a web ACL and `DisableExecuteApiEndpoint: true`. Stages that front no AI backend '
    + '(SageMaker/Bedrock/AgentCore or third-party model integrations, AI Lambdas, `ai:asset=true`) are not applicable',
  explanation: 'An inference API without a rate limit lets one caller query the model as fast as they can pay for: the '
    + 'volume needed to extract the model\'s behaviour or training data, or to run up cost and deny service. A WAF '
    + 'association alone, as peers check, does not bound the query rate.',
  fix: 'Create a wafv2.CfnWebACL (Scope REGIONAL) with a rule whose Statement is a RateBasedStatement (Limit, '
    + 'AggregateKeyType IP or a header/API-key aggregate) and Action Block, plus AWSManagedRulesKnownBadInputsRuleSet, and '
    + 'attach it with wafv2.CfnWebACLAssociation (ResourceArn: stage.stageArn, WebACLArn: webAcl.attrArn). For HTTP APIs, '
    + 'which WAF cannot attach to, front the API with CloudFront (WebACLId) and set DisableExecuteApiEndpoint.',
  peers: 'association only: NAG AwsSolutions-APIG3, NIST APIGWAssociatedWithWAF; CFG api-gw-associated-with-waf; SH APIGateway.4; '
    + 'CT.WAFV2.PR.1 — rate-based rule: none',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    const index = context.index;
    if (resource.type === 'AWS::ApiGateway::Deployment' && resource.get('StageName').every((b) => b.value === undefined || b.value === '')) {
      return NOT_APPLICABLE; // a deployment without StageName creates no stage
    }
    const lookup = lookupFor(index);
    const { key, api } = apiOf(resource);
    const why = (key !== undefined ? lookup.aiApis.get(key) : undefined)
      ?? (index.isAiAsset(resource) ? `the stage is ${aiAssetReason(index, resource)}` : undefined)
      ?? (api && index.isAiAsset(api) ? `API ${api.logicalId} is ${aiAssetReason(index, api)}` : undefined);
    if (!why) return NOT_APPLICABLE;

    const results = (lookup.associations.get(resource) ?? []).map((association) => judgeAcl(index, lookup,
      association.get('WebACLArn').map((b) => b.value), `WebACLAssociation ${association.logicalId}`));
    if (api) (lookup.distributions.get(api) ?? []).forEach((d) => results.push(judgeDistribution(index, lookup, d, api)));
    if (results.some((r) => r.verdict === Verdict.COMPLIANT)) return COMPLIANT;
    const context_ = `This stage fronts an AI backend (${why})`;
    const open = results.find((r) => r.verdict === Verdict.UNVERIFIABLE);
    if (open) return unverifiable(`${context_}; ${open.message}`);
    if (results.length > 0) return nonCompliant(`${context_}; ${results.map((r) => r.message).join('; ')}`);
    if (lookup.unresolved.length > 0) {
      return unverifiable(`${context_}; no WebACLAssociation names it, but the ResourceArn of ${lookup.unresolved.map((a) => a.logicalId).join(', ')} `
        + 'cannot be read at synth time and may name it');
    }
    if (resource.type === 'AWS::ApiGatewayV2::Stage') {
      return nonCompliant(`${context_}; it is an HTTP/WebSocket API stage, which AWS WAF cannot be associated with, and no CloudFront `
        + 'distribution with a rate-limited web ACL fronts its API: nothing limits the rate at which callers can query the model');
    }
    return nonCompliant(`${context_}; no AWS::WAFv2::WebACLAssociation attaches a web ACL to it: nothing limits the rate at which `
      + 'callers can query the model, extract it or run up its cost');
  },
};
