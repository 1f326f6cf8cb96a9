import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const SAGEMAKER_URI = 'arn:aws:apigateway:eu-west-2:runtime.sagemaker:path//endpoints/fraud/invocations';
const API = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } };
const MODEL = { Type: 'AWS::ApiGateway::Model', Properties: { RestApiId: { Ref: 'Api' }, ContentType: 'application/json', Schema: { type: 'object', additionalProperties: false } } };
const validator = (body: unknown, parameters: unknown) => ({
  Type: 'AWS::ApiGateway::RequestValidator',
  Properties: { RestApiId: { Ref: 'Api' }, ValidateRequestBody: body, ValidateRequestParameters: parameters },
});
const method = (properties: Record<string, unknown> = {}, uri: unknown = SAGEMAKER_URI) => ({
  Type: 'AWS::ApiGateway::Method',
  Properties: {
    RestApiId: { Ref: 'Api' },
    ResourceId: 'r',
    HttpMethod: 'POST',
    AuthorizationType: 'AWS_IAM',
    Integration: { Type: 'AWS', IntegrationHttpMethod: 'POST', Uri: uri },
    ...properties,
  },
});
/** A POST method validated against a model: the compliant form. */
const VALIDATED = { RequestValidatorId: { Ref: 'Validator' }, RequestModels: { 'application/json': { Ref: 'Model' } } };
const run = (resources: Resources, parameters?: TemplateFixture['Parameters']) =>
  validate({ Parameters: parameters, Resources: { Api: API, Model: MODEL, Validator: validator(true, true), ...resources } });

describe('D18 methods of APIs in front of AI systems validate their requests', () => {
  test('compliant: a POST validated against a model, a GET validating its parameters', () => {
    const result = run({
      Invoke: method(VALIDATED),
      Status: method({ HttpMethod: 'GET', RequestValidatorId: { Ref: 'Params' }, RequestParameters: { 'method.request.querystring.id': true } }),
      Params: validator(false, true),
    });
    expect(result.of('D18')).toEqual([]);
    expect(result.tally('D18')).toMatchObject({ compliant: 2, nonCompliant: 0 });
  });

  test('non-compliant: no validator, so any body reaches the model', () => {
    const result = run({ Invoke: method() });
    expect(verdictOf(result, 'D18', 'Invoke')).toBe('non-compliant');
    expect(result.of('D18')[0]).toMatchObject({ ruleName: 'SecureAI-D18', level: 'warning', locations: ['Properties.RequestValidatorId', 'Properties.RequestModels'] });
    expect(result.of('D18')[0].message).toMatch(/RequestValidatorId is absent.*RequestModels is absent.*calls SageMaker or Bedrock/);
  });

  test('non-compliant: the validator does not check what the method takes', () => {
    const paramsOnly = run({ Invoke: method(VALIDATED), Validator: validator(false, true) });
    expect(verdictOf(paramsOnly, 'D18', 'Invoke')).toBe('non-compliant');
    expect(paramsOnly.of('D18')[0].message).toMatch(/ValidateRequestBody of request validator Validator is false/);
    const bodyOnly = run({ Status: method({ HttpMethod: 'GET', RequestValidatorId: { Ref: 'Validator' } }), Validator: validator(true, undefined) });
    expect(verdictOf(bodyOnly, 'D18', 'Status')).toBe('non-compliant');
    expect(bodyOnly.of('D18')[0].message).toMatch(/ValidateRequestParameters of request validator Validator is absent/);
  });

  test('non-compliant: a body validated against no model, or the Empty model, is not validated', () => {
    const none = run({ Invoke: method({ RequestValidatorId: { Ref: 'Validator' } }) });
    expect(verdictOf(none, 'D18', 'Invoke')).toBe('non-compliant');
    expect(none.of('D18')[0].message).toMatch(/RequestModels is absent/);
    expect(none.of('D18')[0].locations).toEqual(['Properties.RequestModels']);
    const empty = run({ Invoke: method({ RequestValidatorId: { Ref: 'Validator' }, RequestModels: { 'application/json': 'Empty' } }) });
    expect(verdictOf(empty, 'D18', 'Invoke')).toBe('non-compliant');
    expect(empty.of('D18')[0].message).toMatch(/Empty model/);
  });

  test('non-compliant: a model whose schema places no constraint, a validator whose Condition is false', () => {
    const permissive = (schema: unknown) =>
      run({ Invoke: method(VALIDATED), Model: { ...MODEL, Properties: { ...MODEL.Properties, Schema: schema } } });
    for (const schema of [{}, { $schema: 'http://json-schema.org/draft-04/schema#', title: 'Prompt' }, '{}']) {
      const result = permissive(schema);
      expect(verdictOf(result, 'D18', 'Invoke')).toBe('non-compliant');
      expect(result.of('D18')[0].message).toMatch(/names model Model, which has a schema that places no constraint on the body/);
    }
    expect(verdictOf(permissive({ type: 'object', properties: { prompt: { type: 'string', maxLength: 4000 } } }), 'D18', 'Invoke')).toBe('none');
    const conditioned = validate({
      Conditions: { Strict: { 'Fn::Equals': ['a', 'b'] } },
      Resources: { Api: API, Model: MODEL, Validator: { ...validator(true, true), Condition: 'Strict' }, Invoke: method(VALIDATED) },
    });
    expect(verdictOf(conditioned, 'D18', 'Invoke')).toBe('non-compliant');
    expect(conditioned.of('D18')[0].message).toMatch(/request validator Validator, which is created only under condition Strict, false here/);
  });

  test('an API defined by an OpenAPI Body: every operation names a validator that checks what it takes', () => {
    const SCHEMA = { type: 'object', properties: { prompt: { type: 'string', maxLength: 4000 } }, additionalProperties: false };
    const integration = { type: 'aws', httpMethod: 'POST', uri: SAGEMAKER_URI };
    const bodyApi = (body: Record<string, unknown>) => validate({ Resources: { Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api', Body: body } } } });
    const spec = (root: Record<string, unknown>, operation: Record<string, unknown>) => ({
      'openapi': '3.0.1',
      'info': { title: 'inference', version: '1' },
      'x-amazon-apigateway-request-validators': { all: { validateRequestBody: true, validateRequestParameters: true }, none: { validateRequestBody: false } },
      ...root,
      'paths': {
        '/invoke': { post: { 'x-amazon-apigateway-integration': integration, 'requestBody': { content: { 'application/json': { schema: SCHEMA } } }, ...operation } },
        '/health': { options: { 'x-amazon-apigateway-integration': { type: 'mock' } } },
      },
    });
    expect(verdictOf(bodyApi(spec({ 'x-amazon-apigateway-request-validator': 'all' }, {})), 'D18', 'Api')).toBe('none');
    const missing = bodyApi(spec({}, {}));
    expect(verdictOf(missing, 'D18', 'Api')).toBe('non-compliant');
    expect(missing.of('D18')[0].message).toMatch(/POST \/invoke names no x-amazon-apigateway-request-validator .*in the OpenAPI Body of an API that fronts an AI backend/);
    const weak = bodyApi(spec({ 'x-amazon-apigateway-request-validator': 'all' }, { 'x-amazon-apigateway-request-validator': 'none' }));
    expect(weak.of('D18')[0].message).toMatch(/validator "none" of POST \/invoke does not set validateRequestBody/);
    const schemaless = bodyApi(spec({ 'x-amazon-apigateway-request-validator': 'all' }, { requestBody: { content: { 'application/json': { schema: {} } } } }));
    expect(schemaless.of('D18')[0].message).toMatch(/POST \/invoke declares no request body schema that constrains the body/);
    // An API whose body reaches no AI backend is not judged; an imported body cannot be read.
    const plain = bodyApi({ ...spec({}, {}), paths: { '/x': { post: { 'x-amazon-apigateway-integration': { type: 'http', uri: 'https://example.com' } } } } });
    expect(verdictOf(plain, 'D18', 'Api')).toBe('none');
    const chosen = validate({
      Resources: { Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api', Body: ifElse(spec({ 'x-amazon-apigateway-request-validator': 'all' }, {}), spec({}, {})) } } },
    });
    expect(verdictOf(chosen, 'D18', 'Api')).toBe('non-compliant');
    expect(chosen.of('D18')[0].message).toMatch(/possible forms/);
  });

  test('an API fronts AI through a Lambda whose role invokes models; OPTIONS, MOCK and other APIs are not judged', () => {
    const role = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: 'arn:aws:bedrock:eu-west-2::foundation-model/amazon.nova-pro-v1:0' }] } }],
      },
    };
    const fn = { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Code: { ZipFile: 'x' }, Handler: 'i.h', Runtime: 'python3.12' } };
    const uri = { 'Fn::Join': ['', ['arn:aws:apigateway:eu-west-2:lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': ['Fn', 'Arn'] }, '/invocations']] };
    const result = run({
      Role: role,
      Fn: fn,
      Chat: method({ Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: uri } }),
      Preflight: method({ HttpMethod: 'OPTIONS' }),
      Mock: method({ HttpMethod: 'GET', Integration: { Type: 'MOCK' } }),
    });
    expect(verdictOf(result, 'D18', 'Chat')).toBe('non-compliant');
    expect(result.of('D18')[0].message).toMatch(/Lambda Fn/);
    expect(verdictOf(result, 'D18', 'Preflight')).toBe('none');
    expect(verdictOf(result, 'D18', 'Mock')).toBe('none');
    // The method and its API, which has no OpenAPI body.
    expect(run({ Orders: method({}, 'https://orders.example.com/') }).tally('D18')).toMatchObject({ notApplicable: 2 });
  });

  test('intrinsic: Fn::If without a validator in a branch, a validator flag from a parameter', () => {
    const conditional = run({ Invoke: method({ ...VALIDATED, RequestValidatorId: ifElse({ Ref: 'Validator' }, NO_VALUE) }) });
    expect(verdictOf(conditional, 'D18', 'Invoke')).toBe('non-compliant');
    expect(conditional.of('D18')[0].message).toMatch(/possible forms/);
    const flag = run({ Invoke: method(VALIDATED), Validator: validator(ifElse(true, false), true) });
    expect(verdictOf(flag, 'D18', 'Invoke')).toBe('non-compliant');
    const param = (Default: string) => run({ Invoke: method(VALIDATED), Validator: validator({ Ref: 'Body' }, true) }, { Body: { Type: 'String', Default, AllowedValues: ['true', 'false'] } });
    expect(verdictOf(param('false'), 'D18', 'Invoke')).toBe('non-compliant');
    expect(param('false').of('D18')[0].message).toMatch(/parameter Body/);
  });

  test('unverifiable: a validator outside the app, a flag imported', () => {
    const outside = run({ Invoke: method({ ...VALIDATED, RequestValidatorId: imported('validator') }) });
    expect(verdictOf(outside, 'D18', 'Invoke')).toBe('unverifiable');
    expect(outside.of('D18')[0]).toMatchObject({ ruleName: 'SecureAI-D18[unverifiable]', level: 'warning' });
    expect(verdictOf(run({ Invoke: method({ ...VALIDATED, RequestValidatorId: 'abc123' }) }), 'D18', 'Invoke')).toBe('unverifiable');
    const flag = run({ Invoke: method(VALIDATED), Validator: validator(imported('body'), true) });
    expect(verdictOf(flag, 'D18', 'Invoke')).toBe('unverifiable');
  });

  test('malformed values never throw', () => {
    const result = run({ Invoke: method({ HttpMethod: 42, RequestValidatorId: [], RequestModels: 'x' }) });
    expect(result.tally('D18').errors).toBe(0);
  });

  test('real CDK output: a RestApi in front of a model-calling Lambda, with and without a validator', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const fn = new lambda.Function(stack, 'Chat', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'i.h', code: lambda.Code.fromInline('x') });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:eu-west-2::foundation-model/amazon.nova-pro-v1:0'] }));
    const api = new apigateway.RestApi(stack, 'Api', { defaultCorsPreflightOptions: { allowOrigins: ['https://example.com'] } });
    const model = api.addModel('Prompt', { schema: { type: apigateway.JsonSchemaType.OBJECT, properties: { prompt: { type: apigateway.JsonSchemaType.STRING, maxLength: 2000 } } } });
    const options = { authorizationType: apigateway.AuthorizationType.IAM };
    api.root.addResource('open').addMethod('POST', new apigateway.LambdaIntegration(fn), options);
    api.root.addResource('checked').addMethod('POST', new apigateway.LambdaIntegration(fn), {
      ...options, requestValidatorOptions: { validateRequestBody: true }, requestModels: { 'application/json': model },
    });
    const result = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(result.of('D18').map((f) => f.constructPath)).toEqual(['S/Api/Default/open/POST/Resource']);
  });
});
