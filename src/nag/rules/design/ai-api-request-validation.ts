import { Answer, combine, COMPLIANT, isTrue, judge, nonCompliant, normaliseEnum, NOT_APPLICABLE, qualifier, RuleResult, unverifiable, was } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiBackendOf } from '../../knowledge/ai-apis';
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
    let schema = b.value;
    if (typeof schema === 'string') {
      try {
        schema = JSON.parse(schema);
      } catch {
        return false;
      }
    }
    return isPlainObject(schema) && Object.keys(schema).every((k) => ANNOTATIONS.has(k));
  }) ? model : undefined;
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

export const aiApiRequestValidation: RuleDefinition = {
  title: 'Methods of APIs in front of AI systems validate their requests',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'apply appropriate controls that mitigate attacks on the AI system via the API',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::ApiGateway::Method'],
  compliantWhen: 'on REST APIs that front an AI backend (see D14), every `AWS::ApiGateway::Method` other than OPTIONS and MOCK has '
    + '`RequestValidatorId` naming an `AWS::ApiGateway::RequestValidator` of the app that validates what the method takes: '
    + '`ValidateRequestBody: true` for POST, PUT, PATCH and ANY (which also map a content type to a model other than the built-in '
    + '`Empty` in `RequestModels`, the schema the body is checked against, whose `Schema` constrains something: not `{}` or only '
    + 'annotations such as `$schema` and `title`), `ValidateRequestParameters: true` for the other verbs; '
    + 'in every form of the template. A validator whose `Condition` is false validates nothing; one outside the app is unverifiable. Methods an OpenAPI `Body` defines, and HTTP APIs '
    + '(which have no request validation), are not judged',
  explanation: 'A method without a validator passes any body and parameters straight to the model: oversized prompts that run up '
    + 'cost or exhaust the context, fields the client should never set (a system prompt, model parameters, another tenant\'s ID) '
    + 'and malformed input that makes the model or its container fail in revealing ways. A schema enforced at the API rejects '
    + 'them before they reach the AI system.',
  fix: 'Give the method requestValidatorOptions { validateRequestBody: true } (or validateRequestParameters for GET, HEAD, DELETE) '
    + 'and requestModels { "application/json": api.addModel(...) } with a JSON schema that bounds the prompt\'s length and sets '
    + 'additionalProperties: false; InferenceApi does this.',
  peers: 'none (GRR and CFG check API Gateway caching, logging, authorization and TLS, not request validation)',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    return check(context.index, resource);
  },
};
