import { Answer, combine, COMPLIANT, expectProperty, isOneOf, judge, nonCompliant, normaliseEnum, NOT_APPLICABLE, RuleResult, unverifiable, Verdict, was } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { Branch, describe, isPlainObject, readPath, ResourceReference, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiBackendOf, aiIntegrationReason, apiOf } from '../../knowledge/ai-apis';
import { aiAssetReason, isAiAsset } from '../../knowledge/ai-assets';
import { externalExposure } from '../../knowledge/ai-exposure';
import { aiFunctionReason, functionNamed } from '../../knowledge/model-access';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** An authorization type other than NONE; absent is NONE, the CloudFormation default. */
function isNotNone(value: Value): Answer {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (value instanceof ResourceReference) return new UnknownValue('the value is an attribute of another resource');
  return typeof value === 'string' && value.trim() !== '' && normaliseEnum(value) !== 'none';
}

/** Whether every form of a property equals `value` (any spelling). */
function always(resource: IndexedResource, path: string, value: string): boolean {
  return resource.get(path).every((b) => typeof b.value === 'string' && normaliseEnum(b.value) === normaliseEnum(value));
}

/** Whether some form of a property is `value` (any spelling). */
function sometimes(resource: IndexedResource, path: string, value: string): boolean {
  return resource.get(path).some((b) => typeof b.value === 'string' && normaliseEnum(b.value) === normaliseEnum(value));
}

function method(index: ResourceIndex, resource: IndexedResource): RuleResult {
  if (always(resource, 'HttpMethod', 'OPTIONS')) return NOT_APPLICABLE; // CORS preflight carries no credentials
  if (always(resource, 'Integration.Type', 'MOCK')) return NOT_APPLICABLE; // answers without reaching any backend
  const why = aiBackendOf(index, resource)?.why;
  if (!why) return NOT_APPLICABLE;
  return expectProperty(resource, 'AuthorizationType', isNotNone,
    (v) => `AuthorizationType ${was(v)}${v === undefined ? ' (CloudFormation default NONE)' : ''} on a method of an API that fronts an AI backend (${why}): `
      + 'anyone who finds the URL can query the AI system (an API key, ApiKeyRequired, identifies a client but does not authorize it)');
}

function route(index: ResourceIndex, resource: IndexedResource): RuleResult {
  const { api } = apiOf(resource);
  const websocket = api ? always(api, 'ProtocolType', 'WEBSOCKET') : false;
  const keys = resource.get('RouteKey').map((b) => b.value);
  // A WebSocket API authorizes on $connect only; every other route inherits the connection.
  if (websocket && keys.every((k) => typeof k === 'string' && k !== '$connect')) return NOT_APPLICABLE;
  if (keys.every((k) => typeof k === 'string' && /^OPTIONS\s/i.test(k))) return NOT_APPLICABLE;
  const why = aiBackendOf(index, resource)?.why;
  if (!why) return NOT_APPLICABLE;
  return expectProperty(resource, 'AuthorizationType', isNotNone,
    (v) => `AuthorizationType ${was(v)}${v === undefined ? ' (CloudFormation default NONE)' : ''} on route ${keys.map(describe).join('/')} of an API that fronts an AI backend (${why}): `
      + 'anyone who finds the URL can query the AI system');
}

function quickCreateApi(index: ResourceIndex, resource: IndexedResource): RuleResult {
  if (resource.get('Target').every((b) => b.value === undefined)) return NOT_APPLICABLE;
  // ai-apis weighs a quick-create Target among the API's integrations.
  const why = aiIntegrationReason(index, resource)
    ?? (isAiAsset(index, resource) ? `the API is ${aiAssetReason(index, resource)}` : undefined);
  if (!why) return NOT_APPLICABLE;
  return nonCompliant(`Target is set, so CloudFormation quick-creates a $default route and integration without authorization, and the API fronts an AI backend (${why}): `
    + 'anyone who finds the URL can query the AI system', 'Properties.Target');
}

function functionUrl(index: ResourceIndex, resource: IndexedResource): RuleResult {
  let why: string | undefined;
  for (const b of resource.get('TargetFunctionArn')) {
    const fn = functionNamed(index, b.value);
    why = why ?? (fn ? aiFunctionReason(index, fn) : undefined);
  }
  why = why ?? (isAiAsset(index, resource) ? `the URL, ${aiAssetReason(index, resource)}` : undefined);
  if (!why) return NOT_APPLICABLE;
  return expectProperty(resource, 'AuthType', isOneOf('AWS_IAM'),
    (v) => `AuthType ${was(v)}: the function URL of ${why} accepts unauthenticated requests from anyone who finds it`);
}

const JWT = 'AuthorizerConfiguration.CustomJWTAuthorizer';

/** A JWT authorizer (each given form) that names its discovery URL and restricts the tokens it accepts. */
function judgeJwt(branches: Branch[]): RuleResult {
  return judge(branches, `Properties.${JWT}`, (jwt) => {
    const unknown = unknownOf(jwt);
    if (unknown) return unknown;
    if (!isPlainObject(jwt) || jwt.DiscoveryUrl === undefined || jwt.DiscoveryUrl === '') return false;
    const restrictions = [jwt.AllowedAudience, jwt.AllowedClients, jwt.AllowedScopes, jwt.CustomClaims];
    if (restrictions.some((r) => Array.isArray(r) && r.length > 0)) return true;
    const open = restrictions.map(unknownOf).find((u) => u !== undefined);
    return open ?? false;
  }, (jwt) => (isPlainObject(jwt) && jwt.DiscoveryUrl !== undefined && jwt.DiscoveryUrl !== ''
    ? `${JWT} names no AllowedAudience, AllowedClients, AllowedScopes or CustomClaims: any token the identity provider issues, to any `
      + 'application, is accepted'
    : `${JWT} ${was(jwt)} or has no DiscoveryUrl: callers cannot be authenticated`), JWT);
}

function gateway(resource: IndexedResource): RuleResult {
  const type = expectProperty(resource, 'AuthorizerType', isOneOf('CUSTOM_JWT', 'AWS_IAM'),
    (v) => `AuthorizerType ${was(v)}: the gateway lets any caller list and invoke the tools it exposes to agents`);
  if (type.verdict === Verdict.NON_COMPLIANT || !sometimes(resource, 'AuthorizerType', 'CUSTOM_JWT')) return type;
  return combine(type, judgeJwt(resource.get(JWT)));
}

/**
 * An AgentCore runtime or harness: without `AuthorizerConfiguration` it takes SigV4-signed IAM callers (the default), enough
 * unless it serves external callers; with one, the JWT authorizer must restrict the tokens it accepts.
 */
function runtime(resource: IndexedResource): RuleResult {
  const forms = resource.get('AuthorizerConfiguration');
  const configured: Branch[] = forms.filter((b) => b.value !== undefined)
    .map((b) => ({ value: readPath(b.value, ['CustomJWTAuthorizer']), parameters: b.parameters }));
  const jwt = configured.length > 0 ? judgeJwt(configured) : COMPLIANT;
  if (configured.length === forms.length || jwt.verdict === Verdict.NON_COMPLIANT) return jwt;
  const exposure = externalExposure([resource]);
  if (exposure === false) return jwt;
  const message = `AuthorizerConfiguration is absent${forms.length > 1 ? ' in one of its forms (Fn::If or Fn::FindInMap)' : ''}, so only SigV4-signed IAM `
    + 'callers can invoke it, yet it is tagged ai:exposure=external: external customers or collaborators would need IAM credentials of '
    + 'your account instead of signing in through your identity provider';
  if (exposure instanceof UnknownValue) return unverifiable(`the ai:exposure tag is not known at synth time; if it serves external callers: ${message}`, 'Properties.AuthorizerConfiguration');
  return nonCompliant(message, 'Properties.AuthorizerConfiguration');
}

export const aiApiAuthorization: RuleDefinition = {
  title: 'APIs in front of AI systems require authorization',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'if offering an API to external customers or collaborators, you apply appropriate controls that mitigate attacks on the AI system via the API',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::ApiGateway::Method', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Api', 'AWS::Lambda::Url',
    'AWS::BedrockAgentCore::Gateway', 'AWS::BedrockAgentCore::Runtime', 'AWS::BedrockAgentCore::Harness'],
  compliantWhen: 'on APIs that front an AI backend (an integration calling SageMaker, Bedrock or a third-party model API, an AI resource, '
    + 'a Lambda that calls models, or tagged `ai:asset=true`): every `AWS::ApiGateway::Method` other than OPTIONS and MOCK has '
    + '`AuthorizationType` ≠ NONE (absent is NONE; `ApiKeyRequired` alone does not count); every `AWS::ApiGatewayV2::Route` (on '
    + 'WebSocket APIs, `$connect`; not `OPTIONS ...`) has `AuthorizationType` ≠ NONE; no `AWS::ApiGatewayV2::Api` quick-creates an '
    + 'unauthorized route through `Target`; an `AWS::Lambda::Url` of such a function has `AuthType: AWS_IAM`. Always: '
    + '`AWS::BedrockAgentCore::Gateway` `AuthorizerType` ∈ {CUSTOM_JWT, AWS_IAM}; a CUSTOM_JWT authorizer (gateway, runtime or '
    + 'harness) has a `DiscoveryUrl` and at least one of `AllowedAudience`, `AllowedClients`, `AllowedScopes`, `CustomClaims`; an '
    + '`AWS::BedrockAgentCore::Runtime`/`Harness` without `AuthorizerConfiguration` (IAM SigV4) passes unless tagged `ai:exposure=external`',
  explanation: 'An AI system reachable through an unauthenticated API can be queried by anyone: to extract the model through its '
    + 'answers, to probe it with prompt attacks at scale, to reach the data and tools behind it, or to run up its cost. Authorization '
    + 'on every route to the model is the first control the guideline asks for on APIs offered to customers or collaborators.',
  fix: 'Set authorizationType (AWS_IAM, COGNITO_USER_POOLS or CUSTOM with an authorizer) on every method (defaultMethodOptions on the '
    + 'RestApi), an authorizer on every HTTP API route, authType AWS_IAM on function URLs, authorizerType CUSTOM_JWT with allowedAudience/'
    + 'allowedClients (or AWS_IAM) on AgentCore gateways, and a customJwtAuthorizer on externally exposed AgentCore runtimes.',
  peers: 'NAG AwsSolutions-APIG4, COG4; CKV_AWS_59, CKV_AWS_258; CT.APIGATEWAY.PR.5, CT.LAMBDA.PR.5; GRR API_GW_METHOD_AUTHORIZATION_TYPE_RULE; '
    + 'CFG api-gwv2-authorization-type-configured, bedrockagentcore-gateway-authorizer-enabled; SH APIGateway.8, BedrockAgentCore.2',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    const index = context.index;
    switch (resource.type) {
      case 'AWS::ApiGateway::Method':
        return method(index, resource);
      case 'AWS::ApiGatewayV2::Route':
        return route(index, resource);
      case 'AWS::ApiGatewayV2::Api':
        return quickCreateApi(index, resource);
      case 'AWS::Lambda::Url':
        return functionUrl(index, resource);
      case 'AWS::BedrockAgentCore::Gateway':
        return gateway(resource);
      default:
        return runtime(resource);
    }
  },
};
