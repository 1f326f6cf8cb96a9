import { aiAssetReason, isAiAsset, isAiResource } from './ai-assets';
import { aiFunctionReason, modelInvokeGrant } from './model-access';
import { addToList, addToListOnce } from '../engine/lists';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { describe, Expression, isPlainObject, ResourceReference, UnknownValue, Value } from '../engine/values';

/**
 * Which API Gateway stages front an AI backend, and what stands in front of them (web ACL associations, CloudFront
 * distributions), for the rules about inference APIs (P14 rate limits, O5 access logging). What the templates declare
 * is read once per run; whether the resources that answer a rule are created is asked by that rule.
 *
 * A stage fronts an AI backend when any one of these holds, found for the methods and integrations of the app that are
 * created, keyed by the API they belong to:
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

/**
 * Where an API may be found to front an AI backend: a method, integration or API resource of the app, created or not,
 * and the properties that say so (an integration's URI and credentials; none for an API's inline OpenAPI `Body`).
 */
interface Evidence {
  readonly resource: IndexedResource;
  readonly paths?: { readonly uri: string; readonly credentials: string };
}

/**
 * A stage a web ACL association's `ResourceArn` names: by reference, or by its API and literal name, when the stages
 * of the app with that API and name are given (the last created of them is the stage the ARN names).
 */
interface AssociationTarget {
  readonly stage: IndexedResource;
  readonly sameName?: readonly IndexedResource[];
}

/** A web ACL association of the app, created or not, with the stages its `ResourceArn` may name. */
export interface DeclaredAssociation {
  readonly association: IndexedResource;
  readonly targets: readonly AssociationTarget[];
  /** Whether some form of the `ResourceArn` cannot be read: it may then name any stage. */
  readonly unknown: boolean;
}

/**
 * What the templates declare about the app's APIs, every resource kept whether it is created or not, found once per
 * run: the rule that reads an answer asks whether the resources that make it are created, so that it depends on their
 * conditions alone and not on those of every API of the app.
 */
interface DeclaredApis {
  /** The evidence of each API, by API key, in the order it is weighed. */
  readonly evidence: Map<string, Evidence[]>;
  /** The associations that may name each stage, in the app's order. */
  readonly associations: Map<IndexedResource, DeclaredAssociation[]>;
  /** Associations whose `ResourceArn` cannot be read and names no stage by reference. */
  readonly unknownTargets: DeclaredAssociation[];
  /** CloudFront distributions with an API of the app as origin, by API. */
  readonly distributions: Map<IndexedResource, IndexedResource[]>;
  /** The APIs whose evidence references each Lambda function, alias or version, by API key. */
  readonly keysReferencing: Map<IndexedResource, string[]>;
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

function declaredApis(index: ResourceIndex): DeclaredApis {
  return index.memo(declaredApis, () => {
    const found: DeclaredApis = {
      evidence: new Map(), associations: new Map(), unknownTargets: [], distributions: new Map(), keysReferencing: new Map(),
    };
    // Methods first, then inline OpenAPI bodies, then HTTP API integrations and quick-create targets: the first that
    // says an API fronts an AI backend is its reason.
    const add = (resource: IndexedResource, paths?: Evidence['paths']): void => {
      const { key } = API_TYPES.has(resource.type) ? { key: keyOf(resource, undefined) } : apiOf(resource);
      if (key === undefined) return;
      addToList(found.evidence, key, { resource, paths });
      for (const ref of index.declaredReferencesFrom(resource)) {
        if (FUNCTION_TYPES.has(ref.target.type)) addToListOnce(found.keysReferencing, ref.target, key);
      }
    };
    for (const method of index.declaredOfType('AWS::ApiGateway::Method')) add(method, { uri: 'Integration.Uri', credentials: 'Integration.Credentials' });
    for (const type of API_TYPES) for (const api of index.declaredOfType(type)) add(api);
    for (const integration of index.declaredOfType('AWS::ApiGatewayV2::Integration')) add(integration, { uri: 'IntegrationUri', credentials: 'CredentialsArn' });
    for (const api of index.declaredOfType('AWS::ApiGatewayV2::Api')) add(api, { uri: 'Target', credentials: 'CredentialsArn' });

    // Stages by API and name, so that an ARN naming the stage by its literal name finds it.
    const stagesByName = new Map<string, IndexedResource[]>();
    for (const type of ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment']) {
      for (const stage of index.declaredOfType(type)) {
        const name = stage.properties.StageName;
        const { key } = apiOf(stage);
        if (typeof name === 'string' && key) addToList(stagesByName, `${key}|${name}`, stage);
      }
    }
    for (const association of index.declaredOfType('AWS::WAFv2::WebACLAssociation')) {
      const targets: AssociationTarget[] = [];
      let unknown = false;
      for (const branch of association.get('ResourceArn')) {
        const read = stagesNamedBy(index, branch.value, stagesByName);
        for (const target of read.stages) if (!targets.some((t) => t.stage === target.stage && t.sameName === target.sameName)) targets.push(target);
        unknown = unknown || read.unknown;
      }
      const declared: DeclaredAssociation = { association, targets, unknown };
      for (const target of targets) {
        for (const stage of target.sameName ?? [target.stage]) addToListOnce(found.associations, stage, declared);
      }
      if (unknown && targets.every((t) => t.sameName)) found.unknownTargets.push(declared);
    }
    for (const distribution of index.declaredOfType('AWS::CloudFront::Distribution')) {
      for (const ref of index.declaredReferencesFrom(distribution)) {
        if (API_TYPES.has(ref.target.type) && ref.path.startsWith('DistributionConfig.Origins')) addToListOnce(found.distributions, ref.target, distribution);
      }
    }
    return found;
  });
}

/** What weighing an API's evidence found: why it fronts an AI backend, and each Lambda function its created integrations invoke, with why it calls models. */
interface Weighing {
  readonly reason?: string;
  readonly functions: ReadonlyMap<IndexedResource, string | undefined>;
}

/**
 * Why an API fronts an AI backend, by its key: the first of its methods, integrations or inline OpenAPI body that is
 * created and says so. Found once per API and run, depending on the conditions of that API's resources alone.
 */
function weighing(index: ResourceIndex, key: string): Weighing | undefined {
  const evidence = declaredApis(index).evidence.get(key);
  return evidence ? index.memoPer(weighing, evidence, () => weigh(index, evidence)) : undefined;
}

function weigh(index: ResourceIndex, evidence: readonly Evidence[]): Weighing {
  const functions = new Map<IndexedResource, string | undefined>();
  let reason: string | undefined;
  // Every created method is weighed, past the first that gives the API's reason: a function behind a later method that
  // calls models is a backend of the AI API too.
  for (const { resource, paths } of evidence) {
    if (!index.isCreated(resource)) continue;
    const why = paths ? integrationReason(index, functions, resource, paths.uri, paths.credentials) : bodyReason(index, functions, resource);
    if (why && !reason) reason = `${resource.type} ${resource.logicalId}: ${why}`;
  }
  return reason ? { reason, functions } : { functions };
}

function apiReason(index: ResourceIndex, key: string): string | undefined {
  return weighing(index, key)?.reason;
}

/**
 * Why a Lambda function (or an alias or version of one) that an API of the app integrates with calls an AI backend;
 * undefined when it does not, or no created integration of an API invokes it. Only the conditions of the APIs that
 * reference the function are read.
 */
export function aiApiBackendReason(index: ResourceIndex, fn: IndexedResource): string | undefined {
  for (const key of declaredApis(index).keysReferencing.get(fn) ?? []) {
    const why = weighing(index, key)?.functions.get(fn);
    if (why) return why;
  }
  return undefined;
}

/** Whether an association attaches to `stage` through `target`. */
function attaches(index: ResourceIndex, target: AssociationTarget, stage: IndexedResource): boolean {
  // A literal name names the last created of the API's stages with that name.
  return (target.sameName ? index.lastCreated(target.sameName) : target.stage) === stage;
}

/** The web ACL associations of the app that are created and attach to a stage, in the app's order. */
export function webAclAssociationsOf(index: ResourceIndex, stage: IndexedResource): readonly IndexedResource[] {
  return associationsAttaching(index, declaredApis(index).associations.get(stage) ?? [], stage);
}

/**
 * Of `declared`, the associations of the app that are created and attach to `stage`: only their conditions, and
 * those of the stages of the same name, are read.
 */
export function associationsAttaching(
  index: ResourceIndex, declared: readonly DeclaredAssociation[], stage: IndexedResource,
): readonly IndexedResource[] {
  return declared.filter((d) => index.isCreated(d.association) && d.targets.some((t) => attaches(index, t, stage))).map((d) => d.association);
}

/** The web ACL associations of the app that may name a stage, created or not, by stage: for a lookup by web ACL. */
export function declaredWebAclAssociations(index: ResourceIndex): ReadonlyMap<IndexedResource, readonly DeclaredAssociation[]> {
  return declaredApis(index).associations;
}

/** The web ACL associations that are created and whose target cannot be read: any of them may attach to any stage. */
export function unresolvedWebAclAssociations(index: ResourceIndex): readonly IndexedResource[] {
  return declaredApis(index).unknownTargets
    .filter((d) => index.isCreated(d.association) && !d.targets.some((t) => (t.sameName ?? []).some((s) => index.isCreated(s))))
    .map((d) => d.association);
}

/** The CloudFront distributions with an API of the app as origin, created or not: for a lookup that asks later which are created. */
export function declaredDistributionsInFrontOf(index: ResourceIndex, api: IndexedResource): readonly IndexedResource[] {
  return declaredApis(index).distributions.get(api) ?? [];
}

/** The CloudFront distributions that are created and have an API of the app (created) as origin. */
export function distributionsInFrontOf(index: ResourceIndex, api: IndexedResource): readonly IndexedResource[] {
  const declared = declaredApis(index).distributions.get(api);
  return declared && index.isCreated(api) ? index.keepCreated(declared, (d) => d) : [];
}

/**
 * Why a stage (an `AWS::ApiGateway::Stage`, `AWS::ApiGatewayV2::Stage` or a deployment creating a stage) fronts an AI
 * backend, with the API it belongs to; undefined when it does not.
 */
export function aiBackendOf(index: ResourceIndex, stage: IndexedResource): { readonly why: string; readonly api?: IndexedResource } | undefined {
  const { key, api } = apiOf(stage);
  const why = (key !== undefined ? apiReason(index, key) : undefined)
    ?? (isAiAsset(index, stage) ? `the stage is ${aiAssetReason(index, stage)}` : undefined)
    ?? (api && isAiAsset(index, api) ? `API ${api.logicalId} is ${aiAssetReason(index, api)}` : undefined);
  return why ? { why, api } : undefined;
}

/** Why an API of the app (a REST or HTTP API resource) calls an AI backend through its methods, integrations or body, if it does. */
export function aiIntegrationReason(index: ResourceIndex, api: IndexedResource): string | undefined {
  const key = keyOf(api, undefined);
  return key !== undefined ? apiReason(index, key) : undefined;
}

/** Why an API of the app (a REST or HTTP API resource) fronts an AI backend, if it does: as {@link aiBackendOf} says of its stages. */
export function aiApiReason(index: ResourceIndex, api: IndexedResource): string | undefined {
  return aiIntegrationReason(index, api) ?? (isAiAsset(index, api) ? `API ${api.logicalId} is ${aiAssetReason(index, api)}` : undefined);
}

/** Whether a deployment creates no stage (it names no `StageName`): such a deployment is not a stage. */
export function isStagelessDeployment(resource: IndexedResource): boolean {
  return resource.type === 'AWS::ApiGateway::Deployment' && resource.get('StageName').every((b) => b.value === undefined || b.value === '');
}


/** Why an integration calls an AI backend, if it does. */
function integrationReason(
  index: ResourceIndex, functions: Map<IndexedResource, string | undefined>, resource: IndexedResource, uriPath: string, credentialsPath: string,
): string | undefined {
  for (const branch of resource.get(uriPath)) {
    const why = uriReason(index, functions, branch.value, 'its integration');
    if (why) return why;
  }
  for (const branch of resource.get(credentialsPath)) {
    const why = credentialsReason(index, branch.value, 'its integration');
    if (why) return why;
  }
  return undefined;
}

/** Why an integration URI calls an AI backend, if it does. */
function uriReason(index: ResourceIndex, functions: Map<IndexedResource, string | undefined>, value: Value, what: string): string | undefined {
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
      functions.set(target, why);
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
function bodyReason(index: ResourceIndex, functions: Map<IndexedResource, string | undefined>, api: IndexedResource): string | undefined {
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
        const why = uriReason(index, functions, integration.uri, 'its OpenAPI Body\'s integration')
          ?? credentialsReason(index, integration.credentials, 'its OpenAPI Body\'s integration');
        if (why) return why;
      }
    }
  }
  return undefined;
}

/** The stages of the app an association's `ResourceArn` (one form of it) names. */
function stagesNamedBy(
  index: ResourceIndex, value: Value, stagesByName: Map<string, IndexedResource[]>,
): { stages: AssociationTarget[]; unknown: boolean } {
  const named = (key: string | undefined, name: string): AssociationTarget[] => {
    const sameName = key ? stagesByName.get(`${key}|${name}`) : undefined;
    return sameName ? [{ stage: sameName[0], sameName }] : [];
  };
  if (value instanceof UnknownValue) return { stages: [], unknown: true };
  if (value instanceof ResourceReference) {
    const target = index.resolve(value);
    return { stages: target && isStage(target) ? [{ stage: target }] : [], unknown: false };
  }
  if (typeof value === 'string') {
    const m = /\/restapis\/([^/]+)\/stages\/([^/]+)$/.exec(value);
    return { stages: m ? named(keyOf(undefined, m[1]), m[2]) : [], unknown: false };
  }
  if (!(value instanceof Expression)) return { stages: [], unknown: false };
  const direct = value.references.map((r) => index.resolve(r)).filter((r): r is IndexedResource => r !== undefined && isStage(r));
  if (direct.length > 0) return { stages: direct.map((stage) => ({ stage })), unknown: false };
  // `.../restapis/<api>/stages/<name>` with the API a reference or literal and the stage name literal.
  const marked = value.parts.map((p, i) => (typeof p === 'string' ? p : `\u0000${i}\u0000`)).join('');
  const m = /\/restapis\/(.+?)\/stages\/([^/\u0000]+)$/.exec(marked);
  if (m) {
    const part = /^\u0000(\d+)\u0000$/.exec(m[1]);
    const apiPart = part ? value.parts[Number(part[1])] : m[1];
    const api = apiPart instanceof ResourceReference ? index.resolve(apiPart) : undefined;
    const key = typeof apiPart === 'string' ? keyOf(undefined, apiPart) : api ? keyOf(api, undefined) : undefined;
    return { stages: named(key, m[2]), unknown: key === undefined };
  }
  const names = value.pattern;
  if (names.includes('/restapis/')) return { stages: [], unknown: true };
  if (OTHER_WAF_TARGETS.test(names) || value.references.length > 0) return { stages: [], unknown: false };
  return { stages: [], unknown: value.unknown !== undefined };
}

function isStage(resource: IndexedResource): boolean {
  return STAGE_TYPES.includes(resource.type);
}
