import { aiAssetReason, isAiAsset, isAiResource } from './ai-assets';
import { aiFunctionReason, modelInvokeGrant } from './model-access';
import { addToListOnce } from '../engine/lists';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { describe, Expression, isPlainObject, ResourceReference, UnknownValue, Value } from '../engine/values';

/**
 * Which API Gateway stages front an AI backend, and what stands in front of them (web ACL associations, CloudFront
 * distributions), for the rules about inference APIs (P14 rate limits, O5 access logging). Built once per run.
 *
 * A stage fronts an AI backend when any one of these holds, found for every method or integration of the app and
 * keyed by the API it belongs to:
 * - an integration URI (or the integration's credentials ARN) that mentions SageMaker or Bedrock, as API Gateway's
 *   AWS integrations do (`arn:aws:apigateway:<region>:runtime.sagemaker:path/...`, `...:bedrock-runtime:path/model/...`),
 *   or that calls a well-known third-party model API;
 * - an integration URI that references an AI resource of the app (a SageMaker endpoint, an AgentCore runtime);
 * - an integration to a Lambda function (directly or through an alias or version) that is an AI asset, that
 *   references an AI resource (an endpoint name in its environment), or whose role names a model-invocation action
 *   of Bedrock, SageMaker or AgentCore (`bedrock:InvokeModel`, `sagemaker:InvokeEndpoint`, ...; a bare `*` does not
 *   count) or holds an AWS managed Bedrock/SageMaker policy;
 * - an integration credentials role that names such an action;
 * - any of these in an `x-amazon-apigateway-integration` of the API's inline OpenAPI `Body` (SpecRestApi, SAM);
 * - the stage or its API tagged `ai:asset=true`.
 */
const AI_SERVICE_TEXT = /sagemaker|bedrock/i;
const AI_PROVIDER_HOSTS = /api\.openai\.com|openai\.azure\.com|api\.anthropic\.com|generativelanguage\.googleapis\.com|aiplatform\.googleapis\.com|api\.mistral\.ai|api\.cohere\.(?:ai|com)/i;
const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Lambda::Alias', 'AWS::Lambda::Version']);
const API_TYPES = new Set(['AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api']);
/** Services whose resources a WebACLAssociation can target besides API Gateway stages. */
const OTHER_WAF_TARGETS = /:(?:elasticloadbalancing|appsync|cognito-idp|apprunner|ec2|amplify):/i;

/** The resource types that create an API Gateway stage (a deployment does when it names a `StageName`). */
export const STAGE_TYPES: readonly string[] = ['AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage', 'AWS::ApiGateway::Deployment'];

/** Where each kind of stage keeps its access log settings (`DestinationArn`, `Format`). */
export const ACCESS_LOG_SETTINGS: Readonly<Record<string, string>> = {
  'AWS::ApiGateway::Stage': 'AccessLogSetting',
  'AWS::ApiGatewayV2::Stage': 'AccessLogSettings',
  'AWS::ApiGateway::Deployment': 'StageDescription.AccessLogSetting',
};

/** What the index knows about the app's APIs, built once per validation run. */
export interface AiApiLookup {
  /** Why an API fronts an AI backend, by API key. */
  readonly aiApis: Map<string, string>;
  /** The web ACL associations that target each stage. */
  readonly associations: Map<IndexedResource, IndexedResource[]>;
  /** Associations whose target cannot be read: any of them may attach to any stage. */
  readonly unresolved: IndexedResource[];
  /** CloudFront distributions with an API of the app as origin, by API. */
  readonly distributions: Map<IndexedResource, IndexedResource[]>;
  /** The Lambda functions (or aliases, versions) that AI APIs integrate with, and why each calls an AI backend. */
  readonly functions: Map<IndexedResource, string | undefined>;
}

/** A key for an API: the resource of the app, or the raw `RestApiId`/`ApiId` text of an API outside it. */
function keyOf(target: IndexedResource | undefined, raw: unknown): string | undefined {
  if (target) return `res:${target.stack.stackPath}/${target.logicalId}`;
  return raw === undefined ? undefined : `raw:${JSON.stringify(raw)}`;
}

/** The API a stage, method or integration belongs to: its key, and the API resource when it is in the app. */
export function apiOf(resource: IndexedResource): { key?: string; api?: IndexedResource } {
  const path = resource.type.startsWith('AWS::ApiGatewayV2::') ? 'ApiId' : 'RestApiId';
  for (const branch of resource.get(path)) {
    const target = resource.resolve(branch.value);
    if (target && API_TYPES.has(target.type)) return { key: keyOf(target, undefined), api: target };
  }
  return { key: keyOf(undefined, resource.properties[path]) };
}

/** The APIs, associations and distributions of the app, read once per validation run. */
export function aiApiLookup(index: ResourceIndex): AiApiLookup {
  return index.memo(aiApiLookup, () => {
    const found: AiApiLookup = { aiApis: new Map(), associations: new Map(), unresolved: [], distributions: new Map(), functions: new Map() };
    const record = (resource: IndexedResource, uriPath: string, credentialsPath: string): void => {
      const { key } = resource.type === 'AWS::ApiGatewayV2::Api' ? { key: keyOf(resource, undefined) } : apiOf(resource);
      if (key === undefined || found.aiApis.has(key)) return;
      const reason = integrationReason(index, found, resource, uriPath, credentialsPath);
      if (reason) found.aiApis.set(key, `${resource.type} ${resource.logicalId}: ${reason}`);
    };
    for (const method of index.ofType('AWS::ApiGateway::Method')) record(method, 'Integration.Uri', 'Integration.Credentials');
    for (const type of API_TYPES) {
      for (const api of index.ofType(type)) {
        const key = keyOf(api, undefined);
        if (key === undefined || found.aiApis.has(key)) continue;
        const reason = bodyReason(index, found, api);
        if (reason) found.aiApis.set(key, `${api.type} ${api.logicalId}: ${reason}`);
      }
    }
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
      for (const stage of targets) addToListOnce(found.associations, stage, association);
      if (unknown && targets.size === 0) found.unresolved.push(association);
    }
    for (const distribution of index.ofType('AWS::CloudFront::Distribution')) {
      for (const ref of index.referencesFrom(distribution)) {
        if (API_TYPES.has(ref.target.type) && ref.path.startsWith('DistributionConfig.Origins')) addToListOnce(found.distributions, ref.target, distribution);
      }
    }
    return found;
  });
}

/**
 * Why a stage (an `AWS::ApiGateway::Stage`, `AWS::ApiGatewayV2::Stage` or a deployment creating a stage) fronts an AI
 * backend, with the API it belongs to; undefined when it does not.
 */
export function aiBackendOf(index: ResourceIndex, stage: IndexedResource): { readonly why: string; readonly api?: IndexedResource } | undefined {
  const lookup = aiApiLookup(index);
  const { key, api } = apiOf(stage);
  const why = (key !== undefined ? lookup.aiApis.get(key) : undefined)
    ?? (isAiAsset(index, stage) ? `the stage is ${aiAssetReason(index, stage)}` : undefined)
    ?? (api && isAiAsset(index, api) ? `API ${api.logicalId} is ${aiAssetReason(index, api)}` : undefined);
  return why ? { why, api } : undefined;
}

/** Why an API of the app (a REST or HTTP API resource) fronts an AI backend, if it does: as {@link aiBackendOf} says of its stages. */
export function aiApiReason(index: ResourceIndex, api: IndexedResource): string | undefined {
  const key = keyOf(api, undefined);
  return (key !== undefined ? aiApiLookup(index).aiApis.get(key) : undefined)
    ?? (isAiAsset(index, api) ? `API ${api.logicalId} is ${aiAssetReason(index, api)}` : undefined);
}

/** Whether a deployment creates no stage (it names no `StageName`): such a deployment is not a stage. */
export function isStagelessDeployment(resource: IndexedResource): boolean {
  return resource.type === 'AWS::ApiGateway::Deployment' && resource.get('StageName').every((b) => b.value === undefined || b.value === '');
}


/** Why an integration calls an AI backend, if it does. */
function integrationReason(
  index: ResourceIndex, lookup: AiApiLookup, resource: IndexedResource, uriPath: string, credentialsPath: string,
): string | undefined {
  for (const branch of resource.get(uriPath)) {
    const why = uriReason(index, lookup, branch.value, 'its integration');
    if (why) return why;
  }
  for (const branch of resource.get(credentialsPath)) {
    const why = credentialsReason(index, branch.value, 'its integration');
    if (why) return why;
  }
  return undefined;
}

/** Why an integration URI calls an AI backend, if it does. */
function uriReason(index: ResourceIndex, lookup: AiApiLookup, value: Value, what: string): string | undefined {
  const text = typeof value === 'string' ? value : value instanceof Expression ? value.pattern : undefined;
  if (text !== undefined && AI_SERVICE_TEXT.test(text)) return `${what} URI ${describe(value)} calls SageMaker or Bedrock`;
  if (text !== undefined && AI_PROVIDER_HOSTS.test(text)) return `${what} URI ${describe(value)} calls a third-party model API`;
  const refs = value instanceof ResourceReference ? [value] : value instanceof Expression ? value.references : [];
  for (const ref of refs) {
    const target = index.resolve(ref);
    if (!target) continue;
    if (isAiResource(target)) return `${what} targets ${target.type} ${target.logicalId}`;
    if (FUNCTION_TYPES.has(target.type)) {
      const why = aiFunctionReason(index, target);
      lookup.functions.set(target, why);
      if (why) return `${what} invokes ${why}`;
    }
  }
  return undefined;
}

/** Why an integration's credentials (a role ARN) call an AI backend, if they do. */
function credentialsReason(index: ResourceIndex, value: Value, what: string): string | undefined {
  if (typeof value === 'string' && AI_SERVICE_TEXT.test(value)) return `${what} credentials ${describe(value)} name SageMaker or Bedrock`;
  const role = index.resolve(value);
  const grant = role && role.type === 'AWS::IAM::Role' ? modelInvokeGrant(index, role) : undefined;
  return role && grant ? `${what} role ${role.logicalId} may call ${grant}` : undefined;
}

/** Past this many operations an OpenAPI body is not read further, here and by the rules that judge its operations: bounds the work on hostile input. */
export const MAX_OPENAPI_OPERATIONS = 10_000;

/**
 * Why an API defined by an inline OpenAPI `Body` (SpecRestApi, SAM) calls an AI backend: the `uri` or `credentials` of an
 * operation's `x-amazon-apigateway-integration`, judged as a method's integration is.
 */
function bodyReason(index: ResourceIndex, lookup: AiApiLookup, api: IndexedResource): string | undefined {
  for (const branch of api.get('Body')) {
    const paths = isPlainObject(branch.value) ? branch.value.paths : undefined;
    if (!isPlainObject(paths)) continue;
    let seen = 0;
    for (const item of Object.values(paths)) {
      if (!isPlainObject(item)) continue;
      for (const operation of Object.values(item)) {
        if (++seen > MAX_OPENAPI_OPERATIONS) return undefined;
        const integration = isPlainObject(operation) ? operation['x-amazon-apigateway-integration'] : undefined;
        if (!isPlainObject(integration)) continue;
        const why = uriReason(index, lookup, integration.uri, 'its OpenAPI Body\'s integration')
          ?? credentialsReason(index, integration.credentials, 'its OpenAPI Body\'s integration');
        if (why) return why;
      }
    }
  }
  return undefined;
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
  return STAGE_TYPES.includes(resource.type);
}
