import { App } from 'aws-cdk-lib';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { Expression, ResourceReference, UnknownValue, unknownPseudoParameter } from '../../../src/nag/engine/values';
import {
  aiFunctionReason, awsManagedPolicyName, DIRECT_MODEL_ACTIONS, functionNamed, grantedActions, inlinePolicyDocuments, isAdministratorPolicy,
  isAiFullAccessPolicy, isAttachedPolicy, isFunctionType, MODEL_INVOKE_ACTION_NAMES, modelInvokeGrant,
} from '../../../src/nag/knowledge/model-access';
import { imported, stackOf, TemplateFixture } from '../harness';

const ASSUME = { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

function indexOf(fixture: TemplateFixture): ResourceIndex {
  const app = new App();
  stackOf(fixture, app);
  return ResourceIndex.fromScope(app);
}

function roleWith(statements: unknown[], managed?: unknown[]) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: { AssumeRolePolicyDocument: ASSUME, Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: statements } }], ManagedPolicyArns: managed },
  };
}

describe('AWS managed policies', () => {
  test('awsManagedPolicyName reads the name from an ARN, with or without a path, literal or built with a partition', () => {
    expect(awsManagedPolicyName('arn:aws:iam::aws:policy/AdministratorAccess')).toBe('AdministratorAccess');
    expect(awsManagedPolicyName('arn:aws:iam::aws:policy/service-role/AmazonSageMakerServiceCatalogProductsUseRole')).toBe('AmazonSageMakerServiceCatalogProductsUseRole');
    expect(awsManagedPolicyName(new Expression(['arn:', unknownPseudoParameter('AWS::Partition'), ':iam::aws:policy/AmazonBedrockFullAccess'])))
      .toBe('AmazonBedrockFullAccess');
  });

  test('customer managed policies, non-ARNs and unknowns have no AWS managed name', () => {
    for (const v of ['arn:aws:iam::111122223333:policy/AdministratorAccess', 'AdministratorAccess', undefined, new UnknownValue('x'),
      new ResourceReference('P', 'S'), `arn:aws:iam::aws:policy/${'x'.repeat(3000)}`]) {
      expect(awsManagedPolicyName(v)).toBeUndefined();
    }
  });

  test('full-access and administrator policies by name, any case, whole name only', () => {
    expect(isAiFullAccessPolicy('AmazonBedrockFullAccess')).toBe(true);
    expect(isAiFullAccessPolicy('amazonsagemakerfullaccess')).toBe(true);
    expect(isAiFullAccessPolicy('AmazonSageMakerReadOnly')).toBe(false);
    expect(isAiFullAccessPolicy('AmazonBedrockFullAccessV2')).toBe(false);
    expect(isAdministratorPolicy('AdministratorAccess')).toBe(true);
    expect(isAdministratorPolicy('PowerUserAccess')).toBe(true);
    expect(isAdministratorPolicy('ReadOnlyAccess')).toBe(false);
  });
});

describe('grantedActions', () => {
  test('the invocation actions an Allow statement grants, wildcards and NotAction included', () => {
    expect(grantedActions({ Effect: 'Allow', Action: 'bedrock:Converse*' }, DIRECT_MODEL_ACTIONS)).toEqual(['bedrock:Converse', 'bedrock:ConverseStream']);
    expect(grantedActions({ Effect: 'Allow', Action: '*' }, DIRECT_MODEL_ACTIONS)).toEqual(DIRECT_MODEL_ACTIONS);
    expect(grantedActions({ Effect: 'Allow', NotAction: 'bedrock:InvokeModel*' }, DIRECT_MODEL_ACTIONS)).toEqual(['bedrock:Converse', 'bedrock:ConverseStream']);
    expect(grantedActions({ Effect: 'Deny', Action: '*' }, DIRECT_MODEL_ACTIONS)).toEqual([]);
    expect(MODEL_INVOKE_ACTION_NAMES).toContain('sagemaker:InvokeEndpoint');
    expect(MODEL_INVOKE_ACTION_NAMES).toContain('bedrock-agentcore:InvokeAgentRuntime');
  });
});

describe('modelInvokeGrant', () => {
  test('a named invocation action, an AWS managed AI policy, or nothing (a bare * is not evidence)', () => {
    const index = indexOf({
      Resources: {
        Invoker: roleWith([{ Effect: 'Allow', Action: ['s3:GetObject', 'sagemaker:InvokeEndpoint'], Resource: '*' }]),
        Managed: roleWith([], ['arn:aws:iam::aws:policy/AmazonBedrockReadOnly']),
        Admin: roleWith([{ Effect: 'Allow', Action: '*', Resource: '*' }], ['arn:aws:iam::aws:policy/AdministratorAccess']),
        Denied: roleWith([{ Effect: 'Deny', Action: 'bedrock:InvokeModel', Resource: '*' }]),
      },
    });
    const grant = (id: string) => modelInvokeGrant(index, index.find('Test', id)!);
    expect(grant('Invoker')).toBe('sagemaker:InvokeEndpoint');
    expect(grant('Managed')).toBe('the AWS managed policy AmazonBedrockReadOnly');
    expect(grant('Admin')).toBeUndefined();
    expect(grant('Denied')).toBeUndefined();
  });

  test('found once per role and index', () => {
    const fixture = { Resources: { R: roleWith([{ Effect: 'Allow', Action: 'bedrock:InvokeModel' }]) } };
    const index = indexOf(fixture);
    const role = index.find('Test', 'R')!;
    expect(modelInvokeGrant(index, role)).toBe('bedrock:InvokeModel');
    const lookups = index.statistics.lookups;
    expect(modelInvokeGrant(index, role)).toBe('bedrock:InvokeModel');
    expect(index.statistics.lookups).toBe(lookups);
    const fresh = indexOf(fixture);
    modelInvokeGrant(fresh, fresh.find('Test', 'R')!);
    expect(fresh.statistics.lookups).toBeGreaterThan(0);
  });
});

describe('aiFunctionReason', () => {
  const fixture: TemplateFixture = {
    Resources: {
      Invoker: roleWith([{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }]),
      Plain: roleWith([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]),
      Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'c' } },
      ByRole: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Invoker', 'Arn'] } } },
      ByRef: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Plain', 'Arn'] }, Environment: { Variables: { ENDPOINT: { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] } } } } },
      ByModelId: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Plain', 'Arn'] }, Environment: { Variables: { MODEL: 'eu.anthropic.claude-3-haiku-20240307-v1:0' } } } },
      Tagged: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Plain', 'Arn'] }, Tags: [{ Key: 'ai:asset', Value: 'true' }] } },
      Executor: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Plain', 'Arn'] } } },
      Agent: { Type: 'AWS::Bedrock::Agent', Properties: { ActionGroups: [{ ActionGroupExecutor: { Lambda: { 'Fn::GetAtt': ['Executor', 'Arn'] } } }] } },
      Ordinary: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Plain', 'Arn'] }, Environment: { Variables: { MODE: 'amazon' } } } },
      Alias: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'ByRole' }, FunctionVersion: '1', Name: 'live' } },
      SelfAlias: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'SelfAlias' }, FunctionVersion: '1', Name: 'loop' } },
    },
  };

  test('each kind of evidence, named in the reason', () => {
    const index = indexOf(fixture);
    const reason = (id: string) => aiFunctionReason(index, index.find('Test', id)!);
    expect(reason('ByRole')).toBe('Lambda ByRole, whose role Invoker may call bedrock:InvokeModel');
    expect(reason('ByRef')).toBe('Lambda ByRef, which references AWS::SageMaker::Endpoint Endpoint');
    expect(reason('ByModelId')).toBe('Lambda ByModelId, whose environment names model eu.anthropic.claude-3-haiku-20240307-v1:0');
    expect(reason('Tagged')).toBe('Lambda Tagged, tagged ai:asset=true');
    expect(reason('Executor')).toBe('Lambda Executor, used by AWS::Bedrock::Agent Agent');
    expect(reason('Ordinary')).toBeUndefined();
  });

  test('an alias has the reason of its function; an alias naming itself does not loop', () => {
    const index = indexOf(fixture);
    expect(aiFunctionReason(index, index.find('Test', 'Alias')!)).toBe('Lambda ByRole, whose role Invoker may call bedrock:InvokeModel');
    expect(aiFunctionReason(index, index.find('Test', 'SelfAlias')!)).toBeUndefined();
  });

  test('found once per function and index', () => {
    const index = indexOf(fixture);
    const fn = index.find('Test', 'ByRole')!;
    const first = aiFunctionReason(index, fn);
    const lookups = index.statistics.lookups;
    expect(aiFunctionReason(index, fn)).toBe(first);
    expect(index.statistics.lookups).toBe(lookups);
  });
});

describe('aiFunctionReason under a parameter\'s other values', () => {
  // An agent's action group executor is an AI asset only while the agent is created.
  const fixture: TemplateFixture = {
    Parameters: { CreateAgent: { Type: 'String', Default: 'true', AllowedValues: ['true', 'false'] } },
    Conditions: { AgentCreated: { 'Fn::Equals': [{ Ref: 'CreateAgent' }, 'true'] } },
    Resources: {
      Plain: roleWith([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]),
      Executor: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Plain', 'Arn'] } } },
      Agent: {
        Type: 'AWS::Bedrock::Agent',
        Condition: 'AgentCreated',
        Properties: { ActionGroups: [{ ActionGroupExecutor: { Lambda: { 'Fn::GetAtt': ['Executor', 'Arn'] } } }] },
      },
    },
  };
  const USED = 'Lambda Executor, used by AWS::Bedrock::Agent Agent';

  test('every asker depends on the parameters read for the function, not only the first', () => {
    const index = indexOf(fixture);
    const fn = index.find('Test', 'Executor')!;
    for (let asker = 0; asker < 2; asker++) {
      const read = index.recording(() => aiFunctionReason(index, fn));
      expect(read.result).toBe(USED);
      expect(read.parameters.map((p) => p.parameter)).toEqual(['CreateAgent']);
    }
  });

  test('the reason found with one value of a parameter is not the reason with another, whichever is asked first', () => {
    const defaultsFirst = indexOf(fixture);
    const fn = defaultsFirst.find('Test', 'Executor')!;
    const withoutAgent = { stack: fn.stack, parameter: 'CreateAgent' };
    expect(aiFunctionReason(defaultsFirst, fn)).toBe(USED);
    expect(defaultsFirst.assuming(withoutAgent, 'false', () => aiFunctionReason(defaultsFirst, fn))).toBeUndefined();

    const assumedFirst = indexOf(fixture);
    const other = assumedFirst.find('Test', 'Executor')!;
    expect(assumedFirst.assuming({ stack: other.stack, parameter: 'CreateAgent' }, 'false', () => aiFunctionReason(assumedFirst, other))).toBeUndefined();
    expect(aiFunctionReason(assumedFirst, other)).toBe(USED);
  });
});

describe('functionNamed', () => {
  test('a function, alias or version of the app, by reference, expression or ARN text', () => {
    const index = indexOf({
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'orders' } },
        Bucket: { Type: 'AWS::S3::Bucket' },
      },
    });
    const fn = index.find('Test', 'Fn');
    expect(functionNamed(index, new ResourceReference('Fn', 'Test', 'Arn'))).toBe(fn);
    expect(functionNamed(index, new Expression(['arn:', new ResourceReference('Fn', 'Test'), ':live']))).toBe(fn);
    expect(functionNamed(index, 'arn:aws:lambda:eu-west-2:111122223333:function:orders')).toBe(fn);
    expect(functionNamed(index, new ResourceReference('Bucket', 'Test'))).toBeUndefined();
    expect(functionNamed(index, new UnknownValue('imported'))).toBeUndefined();
    expect(functionNamed(index, 'arn:aws:lambda:eu-west-2:111122223333:function:elsewhere')).toBeUndefined();
    expect(functionNamed(index, undefined)).toBeUndefined();
    expect(isFunctionType('AWS::Serverless::Function')).toBe(true);
    expect(isFunctionType('AWS::Lambda::Permission')).toBe(false);
  });
});

describe('inlinePolicyDocuments', () => {
  test('the documents of inline policies; unknown when a policy or the list cannot be read', () => {
    const doc = { Statement: [] };
    expect(inlinePolicyDocuments([{ PolicyName: 'a', PolicyDocument: doc }, { PolicyName: 'b' }])).toEqual([doc, undefined]);
    expect(inlinePolicyDocuments({ PolicyName: 'a', PolicyDocument: doc })).toEqual([doc]);
    expect(inlinePolicyDocuments(undefined)).toEqual([]);
    const unknown = new UnknownValue('imported value p');
    expect(inlinePolicyDocuments(unknown)).toBe(unknown);
    expect(inlinePolicyDocuments([{ PolicyDocument: doc }, unknown])).toBe(unknown);
    expect(inlinePolicyDocuments(['text'])).toEqual([]);
  });
});

describe('isAttachedPolicy', () => {
  test('a managed policy grants when it names identities or an identity lists it; a boundary or a lone policy does not', () => {
    const doc = { Statement: [{ Effect: 'Allow', Action: 'bedrock:*', Resource: '*' }] };
    const index = indexOf({
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: ASSUME, ManagedPolicyArns: [{ Ref: 'Listed' }], PermissionsBoundary: { Ref: 'Boundary' } } },
        Listed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc } },
        Naming: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc, Users: ['alice'] } },
        EmptyRoles: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc, Roles: [] } },
        Boundary: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc } },
        Lone: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc } },
        Inline: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'x', PolicyDocument: doc } },
        Imported: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc, Groups: imported('groups') } },
      },
    });
    const attached = (id: string) => isAttachedPolicy(index, index.find('Test', id)!);
    expect(attached('Listed')).toBe(true);
    expect(attached('Naming')).toBe(true);
    expect(attached('Inline')).toBe(true);
    expect(attached('Imported')).toBe(true);
    expect(attached('EmptyRoles')).toBe(false);
    expect(attached('Boundary')).toBe(false);
    expect(attached('Lone')).toBe(false);
  });
});
