import { App } from 'aws-cdk-lib';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import {
  aiApiBackendReason, aiBackendOf, apiOf, distributionsInFrontOf, isStagelessDeployment, STAGE_TYPES, unresolvedWebAclAssociations,
  webAclAssociationsOf,
} from '../../../src/nag/knowledge/ai-apis';
import { aiFunctionReason } from '../../../src/nag/knowledge/model-access';
import { ifElse, imported, stackOf, TemplateFixture } from '../harness';

const ASSUME = { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

function indexOf(fixture: TemplateFixture): ResourceIndex {
  const app = new App();
  stackOf(fixture, app);
  return ResourceIndex.fromScope(app);
}

function restApi(name: string, uri: unknown, extra: Record<string, { Type: string; Properties?: Record<string, unknown> }> = {}) {
  return {
    [name]: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: name } },
    [`${name}Method`]: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: { Ref: name }, HttpMethod: 'POST', Integration: { Type: 'AWS', Uri: uri } } },
    [`${name}Stage`]: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: name }, StageName: 'prod' } },
    ...extra,
  };
}

const FIXTURE: TemplateFixture = {
  Resources: {
    ...restApi('SageMakerApi', 'arn:aws:apigateway:eu-west-2:runtime.sagemaker:path/endpoints/fraud/invocations'),
    ...restApi('LambdaApi', { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations' }),
    ...restApi('PlainApi', 'https://example.com/orders'),
    ...restApi('AliasApi', { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Alias}/invocations' }),
    ...restApi('EndpointApi', { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:sm:path/endpoints/${Endpoint.EndpointName}/invocations' }),
    Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'c' } },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: { AssumeRolePolicyDocument: ASSUME, Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:Converse', Resource: '*' }] } }] },
    },
    Fn: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
    Alias: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, FunctionVersion: '1', Name: 'live' } },
    OpenAi: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'proxy', ProtocolType: 'HTTP', Target: 'https://api.openai.com/v1/chat' } },
    OpenAiStage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'OpenAi' }, StageName: '$default' } },
    TaggedStage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'PlainApi' }, StageName: 'tagged', Tags: [{ Key: 'ai:asset', Value: 'true' }] } },
    BySub: { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { WebACLArn: 'acl', ResourceArn: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}::/restapis/${SageMakerApi}/stages/prod' } } },
    ByImport: { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { WebACLArn: 'acl', ResourceArn: imported('stage-arn') } },
    ByAlb: { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { WebACLArn: 'acl', ResourceArn: { 'Fn::Sub': 'arn:aws:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:loadbalancer/app/x' } } },
    ExternalStage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: 'abc123', StageName: 'v1' } },
    ByLiteral: { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { WebACLArn: 'acl', ResourceArn: 'arn:aws:apigateway:eu-west-2::/restapis/abc123/stages/v1' } },
    Cdn: {
      Type: 'AWS::CloudFront::Distribution',
      Properties: { DistributionConfig: { Enabled: true, Origins: [{ Id: 'api', DomainName: { 'Fn::Sub': '${LambdaApi}.execute-api.${AWS::Region}.amazonaws.com' } }] } },
    },
  },
};

describe('aiBackendOf', () => {
  const index = indexOf(FIXTURE);
  const stage = (id: string) => index.find('Test', id)!;

  test('an AWS integration calling SageMaker or Bedrock', () => {
    const found = aiBackendOf(index, stage('SageMakerApiStage'));
    expect(found?.why).toMatch(/^AWS::ApiGateway::Method SageMakerApiMethod: its integration URI .* calls SageMaker or Bedrock$/);
    expect(found?.api?.logicalId).toBe('SageMakerApi');
  });

  test('a Lambda integration whose role names a model-invocation action, directly or through an alias', () => {
    expect(aiBackendOf(index, stage('LambdaApiStage'))?.why).toMatch(/invokes Lambda Fn, whose role Role may call bedrock:Converse/);
    expect(aiBackendOf(index, stage('AliasApiStage'))?.why).toMatch(/invokes Lambda Fn, whose role Role may call bedrock:Converse/);
  });

  test('an integration targeting an AI resource of the app', () => {
    expect(aiBackendOf(index, stage('EndpointApiStage'))?.why).toMatch(/its integration targets AWS::SageMaker::Endpoint Endpoint/);
  });

  test('an HTTP API whose target is a third-party model API', () => {
    expect(aiBackendOf(index, stage('OpenAiStage'))?.why).toMatch(/calls a third-party model API/);
  });

  test('a plain API is not an AI backend, unless the stage is tagged ai:asset=true', () => {
    expect(aiBackendOf(index, stage('PlainApiStage'))).toBeUndefined();
    expect(aiBackendOf(index, stage('TaggedStage'))?.why).toBe('the stage is tagged ai:asset=true');
  });
});

describe('the APIs of the app, asked one stage, API or function at a time', () => {
  const names = (resources: readonly { logicalId: string }[]) => resources.map((r) => r.logicalId);

  test('web ACL associations by stage: by Fn::Sub naming the API and stage, by a literal ARN of an API outside the app', () => {
    const index = indexOf(FIXTURE);
    expect(names(webAclAssociationsOf(index, index.find('Test', 'SageMakerApiStage')!))).toEqual(['BySub']);
    expect(names(webAclAssociationsOf(index, index.find('Test', 'ExternalStage')!))).toEqual(['ByLiteral']);
    expect(webAclAssociationsOf(index, index.find('Test', 'LambdaApiStage')!)).toEqual([]);
  });

  test('associations whose target cannot be read are unresolved; one naming a load balancer is not', () => {
    expect(names(unresolvedWebAclAssociations(indexOf(FIXTURE)))).toEqual(['ByImport']);
  });

  test('distributions by the API they front', () => {
    const index = indexOf(FIXTURE);
    expect(names(distributionsInFrontOf(index, index.find('Test', 'LambdaApi')!))).toEqual(['Cdn']);
    expect(distributionsInFrontOf(index, index.find('Test', 'SageMakerApi')!)).toEqual([]);
  });

  test('a function behind an AI API, directly or through an alias, is named with why it calls models', () => {
    const index = indexOf(FIXTURE);
    expect(aiApiBackendReason(index, index.find('Test', 'Fn')!)).toMatch(/^Lambda Fn, whose role Role may call bedrock:Converse$/);
    expect(aiApiBackendReason(index, index.find('Test', 'Alias')!)).toMatch(/^Lambda Fn, whose role Role may call bedrock:Converse$/);
  });

  test('a function that calls models behind a later method of an AI API is a backend of it too', () => {
    const { Role, Fn } = FIXTURE.Resources;
    const index = indexOf({
      Resources: {
        Role,
        Fn,
        ...restApi('MixedApi', 'arn:aws:apigateway:eu-west-2:runtime.sagemaker:path/endpoints/fraud/invocations', {
          LaterMethod: {
            Type: 'AWS::ApiGateway::Method',
            Properties: {
              RestApiId: { Ref: 'MixedApi' },
              HttpMethod: 'GET',
              Integration: { Type: 'AWS_PROXY', Uri: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations' } },
            },
          },
        }),
      },
    });
    expect(aiBackendOf(index, index.find('Test', 'MixedApiStage')!)?.why).toMatch(/^AWS::ApiGateway::Method MixedApiMethod: /);
    expect(aiApiBackendReason(index, index.find('Test', 'Fn')!)).toBe('Lambda Fn, whose role Role may call bedrock:Converse');
  });

  test('a function only a method that is not created integrates with serves no AI API', () => {
    const { Role, Fn, LambdaApi, LambdaApiMethod, LambdaApiStage } = FIXTURE.Resources;
    const index = indexOf({
      Parameters: { Env: { Type: 'String', Default: 'dev', AllowedValues: ['dev', 'prod'] } },
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
      Resources: { Role, Fn, LambdaApi, LambdaApiStage, LambdaApiMethod: { ...LambdaApiMethod, Condition: 'IsProd' } },
    });
    expect(aiApiBackendReason(index, index.find('Test', 'Fn')!)).toBeUndefined();
    expect(aiBackendOf(index, index.find('Test', 'LambdaApiStage')!)).toBeUndefined();
  });

  test('an empty app, and malformed integrations, never throw', () => {
    expect(unresolvedWebAclAssociations(indexOf({ Resources: {} }))).toEqual([]);
    const index = indexOf({
      Resources: {
        M: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: 'x', Integration: 'not an object' } },
        I: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: imported('api'), IntegrationUri: { 'Fn::Join': 'malformed' } } },
        A: { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { ResourceArn: 42 } },
      },
    });
    expect(index.resources.map((r) => aiBackendOf(index, r))).toEqual([undefined, undefined, undefined]);
    expect(unresolvedWebAclAssociations(index)).toEqual([]);
  });
});

describe('apiOf', () => {
  test('the API resource of the app, or a raw key for an API outside it', () => {
    const index = indexOf(FIXTURE);
    expect(apiOf(index.find('Test', 'SageMakerApiStage')!)).toEqual({ key: 'res:Test/SageMakerApi', api: index.find('Test', 'SageMakerApi') });
    expect(apiOf(index.find('Test', 'OpenAiStage')!).api?.logicalId).toBe('OpenAi');
    expect(apiOf(index.find('Test', 'ExternalStage')!)).toEqual({ key: 'raw:"abc123"' });
    expect(apiOf(index.find('Test', 'Endpoint')!)).toEqual({ key: undefined });
  });
});

describe('isStagelessDeployment', () => {
  test('a deployment without a StageName in any form', () => {
    const index = indexOf({
      Resources: {
        Bare: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: 'x' } },
        Empty: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: 'x', StageName: '' } },
        Named: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: 'x', StageName: 'prod' } },
        Maybe: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: 'x', StageName: ifElse('prod', { Ref: 'AWS::NoValue' }) } },
        Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: 'x' } },
      },
    });
    const of = (id: string) => isStagelessDeployment(index.find('Test', id)!);
    expect(of('Bare')).toBe(true);
    expect(of('Empty')).toBe(true);
    expect(of('Named')).toBe(false);
    expect(of('Maybe')).toBe(false);
    expect(of('Stage')).toBe(false);
    expect(STAGE_TYPES).toContain('AWS::ApiGateway::Deployment');
  });
});

describe('agreement with model-access on which Lambda functions call models', () => {
  // ai-apis asks model-access whether a Lambda calls a model, so the API rules (P14, O5, D14-D16) and the function
  // rules scope the same functions: here a streaming retrieval grant and a model ID in the environment.
  const fixture: TemplateFixture = {
    Resources: {
      ...restApi('StreamApi', { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${StreamFn.Arn}/invocations' }),
      ...restApi('ModelIdApi', { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ModelIdFn.Arn}/invocations' }),
      StreamRole: {
        Type: 'AWS::IAM::Role',
        Properties: { AssumeRolePolicyDocument: ASSUME, Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:RetrieveAndGenerateStream', Resource: '*' }] } }] },
      },
      StreamFn: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['StreamRole', 'Arn'] } } },
      ModelIdFn: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0' } } } },
    },
  };

  test('model-access counts both functions as calling models', () => {
    const index = indexOf(fixture);
    expect(aiFunctionReason(index, index.find('Test', 'StreamFn')!)).toMatch(/bedrock:RetrieveAndGenerateStream/);
    expect(aiFunctionReason(index, index.find('Test', 'ModelIdFn')!)).toMatch(/names model/);
  });

  test('a stage fronting a Lambda whose role may call bedrock:RetrieveAndGenerateStream fronts an AI backend', () => {
    const index = indexOf(fixture);
    expect(aiBackendOf(index, index.find('Test', 'StreamApiStage')!)).toBeDefined();
  });

  test('a stage fronting a Lambda whose environment names a Bedrock model ID fronts an AI backend', () => {
    const index = indexOf(fixture);
    expect(aiBackendOf(index, index.find('Test', 'ModelIdApiStage')!)).toBeDefined();
  });
});
