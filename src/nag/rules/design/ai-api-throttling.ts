import {
  Answer, anyOf, combine, COMPLIANT, decidingParameters, nonCompliant, normaliseEnum, NOT_APPLICABLE, NOT_KNOWN, qualifier, RuleResult,
  unverifiable, Verdict,
} from '../../engine/checks';
import { addToList, listOf } from '../../engine/lists';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { Expression, isPlainObject, readPath, ResourceReference, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiBackendOf, apiOf, isStagelessDeployment } from '../../knowledge/ai-apis';
import { externalExposure } from '../../knowledge/ai-exposure';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** A throttle limit that is set: a number ≥ 0 (`-1` lifts the limit); maybe when chosen at deploy time. */
function isLimit(value: Value): Answer {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && !Number.isNaN(n)) return n >= 0;
  return value instanceof UnknownValue || value instanceof Expression || value instanceof ResourceReference ? NOT_KNOWN : false;
}

/** Whether a settings block (a `*` `/*` method setting, a stage description, `DefaultRouteSettings`) sets both throttles. */
function throttles(settings: Value): Answer {
  if (!isPlainObject(settings)) return unknownOf(settings) ? NOT_KNOWN : false;
  const answers = [isLimit(settings.ThrottlingRateLimit), isLimit(settings.ThrottlingBurstLimit)];
  return answers.includes(false) ? false : answers.includes(NOT_KNOWN) ? NOT_KNOWN : true;
}

/** Whether a REST API stage's method settings throttle every method (`HttpMethod: "*"`, `ResourcePath: "/*"`). */
function stageWideThrottles(methodSettings: Value): Answer {
  if (methodSettings === undefined) return false;
  if (unknownOf(methodSettings)) return NOT_KNOWN;
  let answer: Answer = false;
  for (const setting of listOf(methodSettings)) {
    if (!isPlainObject(setting)) {
      if (unknownOf(setting)) answer = NOT_KNOWN;
      continue;
    }
    const all = setting.HttpMethod === '*' && setting.ResourcePath === '/*';
    const open = !all && (unknownOf(setting.HttpMethod) !== undefined || unknownOf(setting.ResourcePath) !== undefined);
    const set = throttles(setting);
    if (all && set === true) return true;
    if ((all && set instanceof UnknownValue) || (open && set !== false)) answer = NOT_KNOWN;
  }
  return answer;
}

/** Judges the throttles a stage sets at `path` in every form; `missing` says what is not set. */
function judgeThrottles(resource: IndexedResource, path: string, test: (value: Value) => Answer, missing: string): RuleResult {
  const forms = resource.get(path);
  const location = `Properties.${path}`;
  let open = false;
  for (const form of forms) {
    const answer = test(form.value);
    if (answer === false) {
      const parameters = decidingParameters(resource, path, forms, form, (f) => (test(f.value) === false ? missing : undefined));
      return nonCompliant(`${missing}${qualifier(parameters, forms.length)}: the stage runs on the account-wide default limit, so one `
        + 'caller can send as many queries as the account allows, enough to extract the model, deny service to others or run up its cost', location);
    }
    if (answer instanceof UnknownValue) open = true;
  }
  return open ? unverifiable(`the stage's throttles cannot be verified at synth time (${path})`, location) : COMPLIANT;
}

/** A usage plan naming a stage: by reference, or by its literal name, with the stages of its API of that name. */
interface PlanEntry {
  readonly plan: IndexedResource;
  /** The stages of the API with the name the plan gives, in the app's order: the last created of them is the one named. */
  readonly sameName?: readonly IndexedResource[];
}

/**
 * What the rule knows about usage plans and methods, every resource kept whether it is created or not, found once per
 * run: {@link usagePlan} asks whether those that answer for a stage are created.
 */
interface Lookup {
  /** Usage plans that may name each stage. */
  readonly plans: Map<IndexedResource, PlanEntry[]>;
  /** Usage plans whose API stages cannot be read. */
  readonly unresolved: IndexedResource[];
  /** Methods by API key. */
  readonly methods: Map<string, IndexedResource[]>;
}

function lookupFor(index: ResourceIndex): Lookup {
  return index.memo(lookupFor, () => {
    const lookup: Lookup = { plans: new Map(), unresolved: [], methods: new Map() };
    // Stages by their API (a resource of the app) and literal name, so that a plan naming the stage by name finds it.
    const stagesByName = new Map<IndexedResource, Map<string, IndexedResource[]>>();
    for (const type of ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment']) {
      for (const stage of index.declaredOfType(type)) {
        const name = stage.properties.StageName;
        const { api } = apiOf(stage);
        if (typeof name === 'string' && api) {
          const named = stagesByName.get(api) ?? new Map<string, IndexedResource[]>();
          stagesByName.set(api, named);
          addToList(named, name, stage);
        }
      }
    }
    for (const plan of index.declaredOfType('AWS::ApiGateway::UsagePlan')) {
      let unknown = false;
      for (const b of plan.get('ApiStages')) {
        if (unknownOf(b.value)) unknown = true;
        for (const entry of listOf(b.value)) {
          if (!isPlainObject(entry)) continue;
          const api = index.resolve(entry.ApiId);
          const stage = entry.Stage instanceof ResourceReference ? index.resolve(entry.Stage) : undefined;
          const sameName = !stage && typeof entry.Stage === 'string' && api ? stagesByName.get(api)?.get(entry.Stage) : undefined;
          if (stage) addToList(lookup.plans, stage, { plan });
          else if (sameName) sameName.forEach((named) => addToList(lookup.plans, named, { plan, sameName }));
          else if (!api || unknownOf(entry.Stage)) unknown = true;
        }
      }
      if (unknown) lookup.unresolved.push(plan);
    }
    for (const method of index.declaredOfType('AWS::ApiGateway::Method')) {
      const { key } = apiOf(method);
      if (key !== undefined) addToList(lookup.methods, key, method);
    }
    return lookup;
  });
}

/** The usage plans that are created and name a stage: one naming it by name names the last created stage of that name. */
function plansOf(index: ResourceIndex, lookup: Lookup, stage: IndexedResource): IndexedResource[] {
  return (lookup.plans.get(stage) ?? [])
    .filter((entry) => index.isCreated(entry.plan) && (!entry.sameName || index.lastCreated(entry.sameName) === stage))
    .map((entry) => entry.plan);
}

function hasQuota(plan: IndexedResource): Answer {
  let answer: Answer = true;
  for (const b of plan.get('Quota')) {
    const limit = isLimit(readPath(b.value, ['Limit']));
    const period = readPath(b.value, ['Period']);
    const periodSet: Answer = typeof period === 'string' && period.trim() !== '' ? true : unknownOf(period) ? NOT_KNOWN : false;
    if (limit === false || periodSet === false) return false;
    if (limit instanceof UnknownValue || periodSet instanceof UnknownValue) answer = NOT_KNOWN;
  }
  return answer;
}

/** For an externally exposed REST API stage: a usage plan with a quota, and API keys required so that it applies. */
function usagePlan(index: ResourceIndex, stage: IndexedResource): RuleResult {
  const lookup = lookupFor(index);
  const plans = plansOf(index, lookup, stage);
  const quotas = plans.map((p) => ({ plan: p, quota: hasQuota(p) }));
  const withQuota = quotas.filter((q) => q.quota === true);
  if (withQuota.length === 0) {
    if (quotas.some((q) => q.quota instanceof UnknownValue) || (plans.length === 0 && lookup.unresolved.some((p) => index.isCreated(p)))) {
      return unverifiable('this externally exposed AI API stage may not be bound to a usage plan with a quota: the usage plans\' '
        + 'ApiStages or Quota cannot be read at synth time');
    }
    return nonCompliant(plans.length === 0
      ? 'this stage is tagged ai:exposure=external but no AWS::ApiGateway::UsagePlan names it: no client is held to a quota of queries'
      : `this stage is tagged ai:exposure=external but usage plan ${plans.map((p) => p.logicalId).join(', ')} sets no Quota (Limit and Period): `
        + 'a client can query without bound over time', 'Properties');
  }
  const { key } = apiOf(stage);
  const open = index.keepCreated(key !== undefined ? lookup.methods.get(key) ?? [] : [], (m) => m).filter((m) => {
    const isOptions = m.get('HttpMethod').every((b) => typeof b.value === 'string' && b.value.toUpperCase() === 'OPTIONS');
    const required = m.get('ApiKeyRequired').every((b) => b.value === true || (typeof b.value === 'string' && normaliseEnum(b.value) === 'true'));
    return !isOptions && !required;
  });
  if (open.length > 0) {
    return nonCompliant(`usage plan ${withQuota[0].plan.logicalId} sets a quota, but method ${open.slice(0, 5).map((m) => m.logicalId).join(', ')}`
      + `${open.length > 5 ? ` and ${open.length - 5} more` : ''} of the API do not set ApiKeyRequired: true, so their requests are not `
      + 'counted against any client\'s quota', 'Properties');
  }
  return COMPLIANT;
}

export const aiApiThrottling: RuleDefinition = {
  title: 'APIs in front of AI systems throttle every route; external ones enforce per-client quotas',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'apply appropriate controls that mitigate attacks on the AI system via the API … implementing controls on the query interface',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment', 'AWS::ApiGatewayV2::Stage'],
  compliantWhen: 'on stages of APIs that front an AI backend (see D14): an `AWS::ApiGateway::Stage` has a `MethodSettings[]` entry '
    + 'with `HttpMethod: "*"`, `ResourcePath: "/*"` and both `ThrottlingRateLimit` and `ThrottlingBurstLimit` ≥ 0 (a deployment\'s '
    + '`StageDescription` likewise, or its own throttle properties); an `AWS::ApiGatewayV2::Stage` sets both in '
    + '`DefaultRouteSettings`. REST API stages of APIs tagged `ai:exposure=external` (stage, API or stack) are also named by an '
    + '`AWS::ApiGateway::UsagePlan` with `Quota.Limit` and `Quota.Period`, and every non-OPTIONS method of the API sets '
    + '`ApiKeyRequired: true` so the quota applies (HTTP APIs have no usage plans; their stage throttles are judged alone)',
  explanation: 'Without stage throttles an AI API runs on the account-wide default limit, thousands of requests per second shared '
    + 'by every API: one caller can query the model fast enough to extract it, to deny service to others or to run up its cost. '
    + 'Throttles bound the rate; a usage plan quota bounds how much each external client can query over a day or a month.',
  fix: 'Set deployOptions: { throttlingRateLimit, throttlingBurstLimit } on the RestApi (MethodSettings for "*" "/*"), or '
    + 'defaultRouteSettings throttles on the CfnStage of an HTTP API; for external APIs add api.addUsagePlan(...) with throttle and '
    + 'quota { limit, period }, addApiStage({ stage }), and apiKeyRequired: true on the methods.',
  peers: 'NAG Serverless-APIGWDefaultThrottling (stage throttles only)',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    const index = context.index;
    if (isStagelessDeployment(resource) || !aiBackendOf(index, resource)) return NOT_APPLICABLE;
    if (resource.type === 'AWS::ApiGatewayV2::Stage') {
      return judgeThrottles(resource, 'DefaultRouteSettings', throttles,
        'DefaultRouteSettings does not set both ThrottlingRateLimit and ThrottlingBurstLimit');
    }
    const throttled = resource.type === 'AWS::ApiGateway::Deployment'
      ? judgeThrottles(resource, 'StageDescription',
        (d) => anyOf([throttles(d), stageWideThrottles(readPath(d, ['MethodSettings']))]),
        'StageDescription sets no ThrottlingRateLimit and ThrottlingBurstLimit for every method')
      : judgeThrottles(resource, 'MethodSettings', stageWideThrottles,
        'MethodSettings has no entry for HttpMethod "*" and ResourcePath "/*" with both ThrottlingRateLimit and ThrottlingBurstLimit');
    const { api } = apiOf(resource);
    const exposure = externalExposure(api ? [resource, api] : [resource]);
    if (exposure === false) return throttled;
    const plan = usagePlan(index, resource);
    if (exposure instanceof UnknownValue && plan.verdict === Verdict.NON_COMPLIANT) {
      return combine(throttled, unverifiable(`the ai:exposure tag is not known at synth time; if the API is external: ${plan.message}`));
    }
    return combine(throttled, plan);
  },
};
