import { COMPLIANT, isTrue, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable, Verdict } from '../../engine/checks';
import { addToListOnce } from '../../engine/lists';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, UnknownValue, Value } from '../../engine/values';
import {
  aiBackendOf, associationsAttaching, DeclaredAssociation, declaredWebAclAssociations, distributionsInFrontOf, isStagelessDeployment, STAGE_TYPES,
  unresolvedWebAclAssociations, webAclAssociationsOf,
} from '../../knowledge/ai-apis';
import { namesOf } from '../../knowledge/ai-assets';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** Whether a web ACL limits the request rate: per form of its rules, the weakest form decides. */
type RateLimit = { readonly kind: 'limited' } | { readonly kind: 'count' | 'none' | 'unknown'; readonly detail: string };

/** The rate limit of each web ACL, read once per ACL and run. Which stages front an AI backend: knowledge/ai-apis.ts. */
function limitsFor(index: ResourceIndex): Map<IndexedResource, RateLimit> {
  return index.memo(limitsFor, (): Map<IndexedResource, RateLimit> => new Map());
}

/** Whether a web ACL (or a rule group it references) has a rate-based rule that acts, read once per ACL and run. */
function rateLimitOf(index: ResourceIndex, acl: IndexedResource): RateLimit {
  const limits = limitsFor(index);
  let known = limits.get(acl);
  if (!known) {
    known = worst(acl.get('Rules').map((b) => rateLimitOfRules(index, b.value, `web ACL ${acl.logicalId}`, false)));
    limits.set(acl, known);
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

/**
 * The names of a rule group's rules that a reference to it sets to Count: `RuleActionOverrides` whose `ActionToUse` is
 * Count, and `ExcludedRules` (the older form of the same).
 */
function countedByReference(reference: Record<string, Value>): Set<string> {
  const counted = new Set<string>();
  for (const override of Array.isArray(reference.RuleActionOverrides) ? reference.RuleActionOverrides : []) {
    if (isPlainObject(override) && typeof override.Name === 'string' && countsOnly(override.ActionToUse)) counted.add(override.Name);
  }
  for (const excluded of Array.isArray(reference.ExcludedRules) ? reference.ExcludedRules : []) {
    if (isPlainObject(excluded) && typeof excluded.Name === 'string') counted.add(excluded.Name);
  }
  return counted;
}

/**
 * @param counted inside a rule group: the names of its rules the referencing web ACL sets to Count, with what says so
 */
function rateLimitOfRules(index: ResourceIndex, rules: Value, owner: string, inGroup: boolean,
  counted?: { readonly names: ReadonlySet<string>; readonly by: string }): RateLimit {
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
      if (counted && typeof rule.Name === 'string' && counted.names.has(rule.Name)) {
        found.push({ kind: 'count', detail: `${name} of ${owner} is set to Count by ${counted.by} (RuleActionOverrides or ExcludedRules): it detects and does not prevent` });
        continue;
      }
      found.push(countsOnly(rule.Action) ? { kind: 'count', detail: `${name} of ${owner} is rate-based but only counts (Action Count): it detects and does not prevent` }
        : { kind: 'limited' });
    } else if (!inGroup && isPlainObject(statement) && isPlainObject(statement.RuleGroupReferenceStatement)) {
      const arn = statement.RuleGroupReferenceStatement.Arn;
      const group = index.resolve(arn);
      if (!group || group.type !== 'AWS::WAFv2::RuleGroup') {
        found.push({ kind: 'unknown', detail: `${name} of ${owner} references rule group ${describe(arn)}, which is not in the app` });
        continue;
      }
      const names = countedByReference(statement.RuleGroupReferenceStatement);
      const inner = worst(group.get('Rules').map((b) => rateLimitOfRules(index, b.value, `rule group ${group.logicalId}`, true,
        { names, by: `${name} of ${owner}` })));
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
function judgeAcl(index: ResourceIndex, aclValues: Value[], via: string): RuleResult {
  const limits: RateLimit[] = [];
  for (const value of aclValues) {
    const acl = index.resolve(value);
    if (acl && acl.type === 'AWS::WAFv2::WebACL') limits.push(rateLimitOf(index, acl));
    else if (value === undefined || value === '') limits.push({ kind: 'none', detail: `${via} names no web ACL` });
    else limits.push({ kind: 'unknown', detail: `${via} names web ACL ${describe(value)}, which is not in the app` });
  }
  const limit = worst(limits);
  if (limit.kind === 'limited') return COMPLIANT;
  if (limit.kind === 'unknown') return unverifiable(`whether the web ACL of ${via} limits the request rate cannot be verified: ${limit.detail}`);
  return nonCompliant(`${via} attaches a web ACL without an acting rate limit: ${limit.detail}`);
}

function judgeDistribution(index: ResourceIndex, distribution: IndexedResource, api: IndexedResource): RuleResult {
  const via = `CloudFront distribution ${distribution.logicalId} in front of ${api.logicalId}`;
  const acl = judgeAcl(index, distribution.get('DistributionConfig.WebACLId').map((b) => b.value), via);
  if (acl.verdict !== Verdict.COMPLIANT) return acl;
  // The WAF at CloudFront protects nothing while the API's own endpoint answers directly.
  const disabled = api.get('DisableExecuteApiEndpoint').map((b) => isTrue(b.value));
  if (disabled.every((a) => a === true)) return COMPLIANT;
  if (disabled.some((a) => a instanceof UnknownValue)) return unverifiable(`whether ${api.logicalId}'s execute-api endpoint is disabled cannot be verified`);
  return nonCompliant(`${via} has a rate-limited web ACL, but DisableExecuteApiEndpoint of ${api.logicalId} is not true: `
    + 'callers can bypass the WAF through the default execute-api endpoint');
}

const WEB_ACL = 'AWS::WAFv2::WebACL';

/**
 * The stages each web ACL of the app may be associated with, each with the associations that may attach it, created or
 * not, read once per run (not once per web ACL): {@link judgeWebAcl} asks which of them are created.
 */
function stagesByWebAcl(index: ResourceIndex): Map<IndexedResource, Map<IndexedResource, DeclaredAssociation[]>> {
  return index.memo(stagesByWebAcl, () => {
    const stages = new Map<IndexedResource, Map<IndexedResource, DeclaredAssociation[]>>();
    for (const [stage, associations] of declaredWebAclAssociations(index)) {
      for (const association of associations) {
        for (const b of association.association.get('WebACLArn')) {
          const acl = index.resolve(b.value);
          if (acl?.type !== WEB_ACL) continue;
          const byStage = stages.get(acl) ?? new Map<IndexedResource, DeclaredAssociation[]>();
          stages.set(acl, byStage);
          addToListOnce(byStage, stage, association);
        }
      }
    }
    return stages;
  });
}

/**
 * A web ACL attached to a stage that fronts an AI backend is judged too, so that the finding also stands where the
 * fix is made (the ACL's Rules), which may be in another stack or owned by another team than the API.
 */
function judgeWebAcl(index: ResourceIndex, acl: IndexedResource): RuleResult {
  const fronted: string[] = [];
  for (const [stage, associations] of stagesByWebAcl(index).get(acl) ?? []) {
    if (associationsAttaching(index, associations, stage).length === 0) continue;
    const backend = isStagelessDeployment(stage) ? undefined : aiBackendOf(index, stage);
    if (backend) fronted.push(`${stage.type} ${stage.logicalId} (${backend.why})`);
  }
  if (fronted.length === 0) return NOT_APPLICABLE;
  const limit = rateLimitOf(index, acl);
  const what = `web ACL ${acl.logicalId} protects ${fronted[0]}${fronted.length > 1 ? ` and ${fronted.length - 1} more AI stage(s)` : ''}`;
  if (limit.kind === 'limited') return COMPLIANT;
  if (limit.kind === 'unknown') return unverifiable(`${what}; whether it limits the request rate cannot be verified: ${limit.detail}`, 'Properties.Rules');
  return nonCompliant(`${what}, but ${limit.detail}: nothing limits the rate at which callers can query the model, extract it or run up its cost`,
    'Properties.Rules');
}

export const inferenceApiWafRateLimit: RuleDefinition = {
  title: 'Inference APIs are behind a WAF web ACL with a rate-based rule',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Protect your model continuously',
  quote: 'controls on the query interface to detect and prevent attempts to access, modify, and exfiltrate confidential information',
  level: RuleLevel.ERROR,
  resourceTypes: [...STAGE_TYPES, WEB_ACL],
  compliantWhen: 'every API Gateway stage that fronts an AI backend has an `AWS::WAFv2::WebACLAssociation` (one whose `Condition` '
    + 'is false attaches nothing) to a web ACL with a '
    + '`RateBasedStatement` rule whose action is not Count (directly, or in a referenced rule group whose reference neither '
    + 'overrides the group to Count nor sets that rule to Count through `RuleActionOverrides` or `ExcludedRules`); or the API sits behind a '
    + 'CloudFront distribution with such a web ACL and `DisableExecuteApiEndpoint: true`. Stages that front no AI backend '
    + '(SageMaker/Bedrock/AgentCore or third-party model integrations, AI Lambdas, `ai:asset=true`; in methods or in the '
    + 'API\'s inline OpenAPI `Body`) are not applicable. A web ACL '
    + 'associated with such a stage is judged as well, so the finding also stands on the resource the fix is made on',
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
    if (resource.type === WEB_ACL) return judgeWebAcl(index, resource);
    if (isStagelessDeployment(resource)) return NOT_APPLICABLE; // a deployment without StageName creates no stage
    const backend = aiBackendOf(index, resource);
    if (!backend) return NOT_APPLICABLE;
    const { why, api } = backend;
    const results = webAclAssociationsOf(index, resource).map((association) => judgeAcl(index,
      association.get('WebACLArn').map((b) => b.value), `WebACLAssociation ${association.logicalId}`));
    if (api) distributionsInFrontOf(index, api).forEach((d) => results.push(judgeDistribution(index, d, api)));
    if (results.some((r) => r.verdict === Verdict.COMPLIANT)) return COMPLIANT;
    const context_ = `This stage fronts an AI backend (${why})`;
    const open = results.find((r) => r.verdict === Verdict.UNVERIFIABLE);
    if (open) return unverifiable(`${context_}; ${open.message}`);
    if (results.length > 0) return nonCompliant(`${context_}; ${results.map((r) => r.message).join('; ')}`);
    const unresolved = unresolvedWebAclAssociations(index);
    if (unresolved.length > 0) {
      return unverifiable(`${context_}; no WebACLAssociation names it, but the ResourceArn of ${namesOf(unresolved)} `
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
