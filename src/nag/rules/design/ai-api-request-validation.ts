import { Answer, combine, COMPLIANT, isTrue, judge, judgeForms, nonCompliant, normaliseEnum, NOT_APPLICABLE, qualifier, RuleResult, unverifiable, was } from '../../engine/checks';
import { parseEmbeddedJson } from '../../engine/readers/embedded-json';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiApiReason, aiBackendOf, MAX_OPENAPI_OPERATIONS } from '../../knowledge/ai-apis';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const VALIDATOR = 'AWS::ApiGateway::RequestValidator';
const MODEL = 'AWS::ApiGateway::Model';
/** Methods whose input is a body (ANY takes every method, POST included); the others take parameters only. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'ANY']);
/** API Gateway's built-in model: its schema accepts any body, so validating against it validates nothing. */
const EMPTY_MODEL = 'Empty';

/** Whether every form of a property is `value` (any spelling). */
function always(resource: IndexedResource, path: string, value: string): boolean {
  return resource.get(path).every((b) => typeof b.value === 'string' && normaliseEnum(b.value) === normaliseEnum(value));
}

/** What a method's input is, over every form of its `HttpMethod`: a body, parameters, or both across its forms. */
function inputsOf(resource: IndexedResource): { body: boolean; parameters: boolean } {
  const verbs = resource.get('HttpMethod').map((b) => (typeof b.value === 'string' ? b.value.toUpperCase() : undefined));
  // A verb not known at synth time may take a body.
  return { body: verbs.some((v) => v === undefined || BODY_METHODS.has(v)), parameters: verbs.some((v) => v !== undefined && !BODY_METHODS.has(v)) };
}

/** JSON Schema keywords that describe a schema without constraining what it accepts. */
const ANNOTATIONS = new Set(['$schema', '$id', 'id', 'title', 'description', '$comment', 'default', 'examples', 'definitions', '$defs']);

/**
 * The model of the app a `RequestModels` entry names whose schema places no constraint on the body (`{}`, or only
 * annotations such as `$schema` and `title`): validating against it validates nothing, as against the Empty model.
 */
function unconstrainedModel(index: ResourceIndex, entry: Value): IndexedResource | undefined {
  const model = index.resolveAs(MODEL, entry);
  if (!model) return undefined;
  return model.get('Schema').some((b) => {
    // A schema is written as an object or as JSON text; text that is not JSON is not judged unconstrained.
    const parsed = typeof b.value === 'string' ? parseEmbeddedJson(b.value) : { json: b.value };
    return 'json' in parsed && isPlainObject(parsed.json) && constrains(parsed.json) === false;
  }) ? model : undefined;
}

/** Whether a JSON schema constrains something: a keyword other than annotations (a `$ref` counts). */
function constrains(schema: Value): Answer {
  const unknown = unknownOf(schema);
  if (unknown) return unknown;
  return isPlainObject(schema) && Object.keys(schema).some((k) => !ANNOTATIONS.has(k));
}

/** Whether one form of `RequestModels` maps a content type to a model that constrains the body (not Empty, not `{}`). */
function hasModel(index: ResourceIndex, models: Value): Answer {
  const unknown = unknownOf(models);
  if (unknown) return unknown;
  if (!isPlainObject(models)) return false;
  const entries = Object.values(models);
  if (entries.some((m) => m !== undefined && m !== EMPTY_MODEL && !(m instanceof UnknownValue) && !unconstrainedModel(index, m))) return true;
  return entries.map(unknownOf).find((u) => u !== undefined) ?? false;
}

/** Why a `RequestModels` form that constrains nothing fails, naming the first unconstrained model of the app. */
function noModelReason(index: ResourceIndex, models: Value): string {
  if (!isPlainObject(models) || Object.keys(models).length === 0) {
    return `RequestModels ${was(models)}: a request validator checks a body only against the model of its content type, so the body is not validated`;
  }
  const permissive = Object.values(models).map((m) => unconstrainedModel(index, m)).find((m) => m !== undefined);
  if (permissive) return `RequestModels names model ${permissive.logicalId}, which has a schema that places no constraint on the body: the body is not validated`;
  return 'RequestModels maps every content type to the Empty model, whose schema accepts any body: the body is not validated';
}

/** One form of `RequestValidatorId`: the validator of the app it names, with what it must validate. */
function judgeValidator(index: ResourceIndex, value: Value, inputs: { body: boolean; parameters: boolean }): RuleResult {
  if (value === undefined || value === '') {
    return nonCompliant(`RequestValidatorId ${was(value)}: API Gateway passes any body and parameters to the integration unchecked`, 'Properties.RequestValidatorId');
  }
  const validator = index.resolveAs(VALIDATOR, value);
  if (!validator) {
    return unverifiable(`RequestValidatorId ${describe(value)} names no request validator of the app, so what it validates cannot be verified at synth time`,
      'Properties.RequestValidatorId');
  }
  if (validator.exists() === false) {
    return nonCompliant(`RequestValidatorId names request validator ${validator.logicalId}, which is created only under condition ${validator.condition}, `
      + 'false here: API Gateway passes any body and parameters to the integration unchecked', 'Properties.RequestValidatorId');
  }
  const flag = (property: string, what: string): RuleResult => judge(validator.get(property), 'Properties.RequestValidatorId', isTrue,
    (v) => `${property} of request validator ${validator.logicalId} ${was(v)}${v === undefined ? ' (CloudFormation default false)' : ''}: `
      + `the method's ${what} reach the integration unchecked`, `${property} of request validator ${validator.logicalId}`);
  return combine(
    inputs.body ? flag('ValidateRequestBody', 'request bodies') : COMPLIANT,
    inputs.parameters ? flag('ValidateRequestParameters', 'required parameters') : COMPLIANT,
  );
}

function check(index: ResourceIndex, resource: IndexedResource): RuleResult {
  if (always(resource, 'HttpMethod', 'OPTIONS')) return NOT_APPLICABLE; // CORS preflight carries no input to the model
  if (always(resource, 'Integration.Type', 'MOCK')) return NOT_APPLICABLE; // answers without reaching any backend
  const why = aiBackendOf(index, resource)?.why;
  if (!why) return NOT_APPLICABLE;
  const inputs = inputsOf(resource);
  const forms = resource.get('RequestValidatorId');
  const validated = combine(...forms.map((form) => {
    const result = judgeValidator(index, form.value, inputs);
    return result.message ? { ...result, message: result.message + qualifier(form.parameters, forms.length) } : result;
  }));
  const models = inputs.body
    ? judge(resource.get('RequestModels'), 'Properties.RequestModels', (v) => hasModel(index, v), (v) => noModelReason(index, v), 'RequestModels')
    : COMPLIANT;
  const result = combine(validated, models);
  return result.message ? { ...result, message: `${result.message} on a method of an API that fronts an AI backend (${why})` } : result;
}

// ---------------------------------------------------------------------------------------------------------------
// APIs an inline OpenAPI Body defines (SpecRestApi, SAM): API Gateway's extensions name the validators.

const VALIDATORS = 'x-amazon-apigateway-request-validators';
const VALIDATOR_OF = 'x-amazon-apigateway-request-validator';
/** OpenAPI operations of a path item, with the verb API Gateway serves; OPTIONS carries no input to the model. */
const OPERATIONS: Readonly<Record<string, string>> = {
  'get': 'GET', 'put': 'PUT', 'post': 'POST', 'delete': 'DELETE', 'patch': 'PATCH', 'head': 'HEAD', 'x-amazon-apigateway-any-method': 'ANY',
};
const SHOWN_FAILURES = 3;

/** The schema an operation's body is checked against: OpenAPI 3 `requestBody.content.*.schema`, Swagger 2 `in: body`. */
function bodySchemaOf(operation: Record<string, Value>): Value {
  const content = isPlainObject(operation.requestBody) ? operation.requestBody.content : undefined;
  if (isPlainObject(content)) {
    const schema = Object.values(content).map((c) => (isPlainObject(c) ? c.schema : undefined)).find((v) => v !== undefined);
    if (schema !== undefined) return schema;
  }
  const parameters = Array.isArray(operation.parameters) ? operation.parameters : [];
  const body = parameters.find((p) => isPlainObject(p) && p.in === 'body');
  return isPlainObject(body) ? body.schema : undefined;
}

/** What is wrong with one operation of one form of a body, if anything; unknown where a value cannot be read. */
function judgeOperation(root: Record<string, Value>, verb: string, path: string, operation: Record<string, Value>): Answer | string {
  const name = operation[VALIDATOR_OF] ?? root[VALIDATOR_OF];
  const where = `${verb} ${path}`;
  if (name === undefined) return `${where} names no ${VALIDATOR_OF} (and the API sets none at its root)`;
  const unknown = unknownOf(name) ?? unknownOf(root[VALIDATORS]);
  if (unknown) return unknown;
  const validator = isPlainObject(root[VALIDATORS]) && typeof name === 'string' ? root[VALIDATORS][name] : undefined;
  if (!isPlainObject(validator)) return `${where} names validator ${describe(name)}, which ${VALIDATORS} does not define`;
  if (!BODY_METHODS.has(verb)) {
    const flag = isTrue(validator.validateRequestParameters);
    return flag === true ? true : flag instanceof UnknownValue ? flag : `validator ${describe(name)} of ${where} does not set validateRequestParameters`;
  }
  const flag = isTrue(validator.validateRequestBody);
  if (flag !== true) return flag instanceof UnknownValue ? flag : `validator ${describe(name)} of ${where} does not set validateRequestBody`;
  const schema = constrains(bodySchemaOf(operation));
  return schema === true ? true : schema instanceof UnknownValue ? schema : `${where} declares no request body schema that constrains the body`;
}

/** Judges one form of an API's OpenAPI `Body`: every operation that reaches a backend validates what it takes. */
function judgeBody(body: Value): RuleResult {
  if (body === undefined) return NOT_APPLICABLE;
  const unknown = unknownOf(body);
  if (unknown) return unverifiable(`Body cannot be read at synth time (${unknown.reason}): the request validation of its operations cannot be verified`, 'Properties.Body');
  if (!isPlainObject(body) || !isPlainObject(body.paths)) return NOT_APPLICABLE;
  const failures: string[] = [];
  let unknownAnswer: UnknownValue | undefined;
  let judged = 0;
  for (const [path, item] of Object.entries(body.paths)) {
    if (!isPlainObject(item)) continue;
    for (const [key, operation] of Object.entries(item)) {
      const verb = OPERATIONS[key.toLowerCase()];
      if (!verb || !isPlainObject(operation) || ++judged > MAX_OPENAPI_OPERATIONS) continue;
      const integration = operation['x-amazon-apigateway-integration'];
      if (isPlainObject(integration) && typeof integration.type === 'string' && integration.type.toLowerCase() === 'mock') continue;
      const answer = judgeOperation(body, verb, path, operation);
      if (typeof answer === 'string') failures.push(answer);
      else if (answer instanceof UnknownValue) unknownAnswer ??= answer;
    }
  }
  if (failures.length > 0) {
    const more = failures.length > SHOWN_FAILURES ? ` and ${failures.length - SHOWN_FAILURES} more operation(s)` : '';
    return nonCompliant(`${failures.slice(0, SHOWN_FAILURES).join('; ')}${more}: API Gateway passes their bodies and parameters to the integration `
      + 'unchecked', 'Properties.Body');
  }
  if (unknownAnswer) return unverifiable(`the request validation of the OpenAPI Body cannot be verified at synth time: ${unknownAnswer.reason}`, 'Properties.Body');
  return judged > 0 ? COMPLIANT : NOT_APPLICABLE;
}

function checkApi(index: ResourceIndex, api: IndexedResource): RuleResult {
  const why = aiApiReason(index, api);
  if (!why) return NOT_APPLICABLE;
  const result = judgeForms(api, 'Body', judgeBody);
  return result.message ? { ...result, message: `${result.message}, in the OpenAPI Body of an API that fronts an AI backend (${why})` } : result;
}

export const aiApiRequestValidation: RuleDefinition = {
  title: 'Methods of APIs in front of AI systems validate their requests',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'apply appropriate controls that mitigate attacks on the AI system via the API',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::ApiGateway::Method', 'AWS::ApiGateway::RestApi'],
  compliantWhen: 'on REST APIs that front an AI backend (see D14), every `AWS::ApiGateway::Method` other than OPTIONS and MOCK has '
    + '`RequestValidatorId` naming an `AWS::ApiGateway::RequestValidator` of the app that validates what the method takes: '
    + '`ValidateRequestBody: true` for POST, PUT, PATCH and ANY (which also map a content type to a model other than the built-in '
    + '`Empty` in `RequestModels`, the schema the body is checked against, whose `Schema` constrains something: not `{}` or only '
    + 'annotations such as `$schema` and `title`), `ValidateRequestParameters: true` for the other verbs; '
    + 'in every form of the template. A validator whose `Condition` is false validates nothing; one outside the app is unverifiable. The operations '
    + 'of a REST API\'s inline OpenAPI `Body` are judged alike: each (other than MOCK integrations) names, or inherits from the root, an '
    + '`x-amazon-apigateway-request-validator` defined in `x-amazon-apigateway-request-validators` with `validateRequestBody` (POST, PUT, '
    + 'PATCH, ANY, which also declare a request body schema that constrains something) or `validateRequestParameters` (other verbs). '
    + 'HTTP APIs (which have no request validation) are not judged',
  explanation: 'A method without a validator passes any body and parameters straight to the model: oversized prompts that run up '
    + 'cost or exhaust the context, fields the client should never set (a system prompt, model parameters, another tenant\'s ID) '
    + 'and malformed input that makes the model or its container fail in revealing ways. A schema enforced at the API rejects '
    + 'them before they reach the AI system.',
  fix: 'Give the method requestValidatorOptions { validateRequestBody: true } (or validateRequestParameters for GET, HEAD, DELETE) '
    + 'and requestModels { "application/json": api.addModel(...) } with a JSON schema that bounds the prompt\'s length and sets '
    + 'additionalProperties: false; InferenceApi does this. In an OpenAPI body (SpecRestApi), define the validators under '
    + 'x-amazon-apigateway-request-validators, name one with x-amazon-apigateway-request-validator at the root or on each operation, '
    + 'and give each operation that takes a body a requestBody schema.',
  peers: 'none (GRR and CFG check API Gateway caching, logging, authorization and TLS, not request validation)',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    return resource.type === 'AWS::ApiGateway::RestApi' ? checkApi(context.index, resource) : check(context.index, resource);
  },
};
