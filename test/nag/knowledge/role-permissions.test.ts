import { App } from 'aws-cdk-lib';
import { listOf } from '../../../src/nag/engine/lists';
import { grantsAction, isAllow, matchesPattern, namesServiceAction, policyFormOf, statementsOf } from '../../../src/nag/engine/readers/policy-documents';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { Expression, ResourceReference, UnknownValue } from '../../../src/nag/engine/values';
import { roleOf, roleStatements } from '../../../src/nag/knowledge/role-permissions';
import { ifElse, imported, stackOf, TemplateFixture } from '../harness';

const ASSUME = { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

function indexOf(fixture: TemplateFixture): ResourceIndex {
  const app = new App();
  stackOf(fixture, app);
  return ResourceIndex.fromScope(app);
}

describe('statementsOf', () => {
  test('absent documents and documents without statements have none', () => {
    expect(statementsOf(undefined)).toEqual([]);
    expect(statementsOf(null)).toEqual([]);
    expect(statementsOf({ Version: '2012-10-17' })).toEqual([]);
  });

  test('a single statement object and a list read alike; JSON strings are parsed', () => {
    const s = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
    expect(statementsOf({ Statement: s })).toEqual([s]);
    expect(statementsOf({ Statement: [s, s] })).toEqual([s, s]);
    expect(statementsOf(JSON.stringify({ Statement: [s] }))).toEqual([s]);
  });

  test('unreadable documents are unknown with a reason, never a throw', () => {
    expect((statementsOf('{not json') as UnknownValue).reason).toMatch(/not valid JSON/);
    const unknown = new UnknownValue('imported value doc');
    expect(statementsOf(unknown)).toBe(unknown);
    expect((statementsOf(new ResourceReference('P', 'S')) as UnknownValue).reason).toMatch(/read from another resource/);
    expect((statementsOf(['x']) as UnknownValue).reason).toMatch(/not an object/);
    expect((statementsOf('"text"') as UnknownValue).reason).toMatch(/not an object/);
    expect(statementsOf({ Statement: unknown })).toBe(unknown);
    expect(statementsOf({ Statement: [{ Effect: 'Allow' }, unknown] })).toBe(unknown);
    expect((statementsOf({ Statement: ['text'] }) as UnknownValue).reason).toMatch(/statement that is not an object/);
  });
});

describe('statement helpers', () => {
  test('listOf', () => {
    expect(listOf(undefined)).toEqual([]);
    expect(listOf('a')).toEqual(['a']);
    expect(listOf(['a', 'b'])).toEqual(['a', 'b']);
    expect(listOf(null)).toEqual([null]);
  });

  test('isAllow ignores case; anything else is not an allow', () => {
    expect(isAllow({ Effect: 'Allow' })).toBe(true);
    expect(isAllow({ Effect: 'ALLOW' })).toBe(true);
    expect(isAllow({ Effect: 'Deny' })).toBe(false);
    expect(isAllow({})).toBe(false);
    expect(isAllow({ Effect: new UnknownValue('x') })).toBe(false);
  });

  test('matchesPattern: * and ? wildcards, case-insensitive, anchored, regex characters literal', () => {
    expect(matchesPattern('bedrock:Invoke*', 'bedrock:InvokeModel')).toBe(true);
    expect(matchesPattern('BEDROCK:invokemodel', 'bedrock:InvokeModel')).toBe(true);
    expect(matchesPattern('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(matchesPattern('*', 'anything:at all')).toBe(true);
    expect(matchesPattern('bedrock:Invoke', 'bedrock:InvokeModel')).toBe(false);
    expect(matchesPattern('Model', 'bedrock:InvokeModel')).toBe(false);
    expect(matchesPattern('a.c', 'abc')).toBe(false);
    expect(matchesPattern('arn:aws:s3:::b(x)+', 'arn:aws:s3:::b(x)+')).toBe(true);
    expect(matchesPattern('*', 'line\nbreak')).toBe(true);
  });

  test('matchesPattern: non-strings and over-long patterns never match', () => {
    expect(matchesPattern(undefined, 'x')).toBe(false);
    expect(matchesPattern(['*'], 'x')).toBe(false);
    expect(matchesPattern(new UnknownValue('u'), 'x')).toBe(false);
    expect(matchesPattern('*'.repeat(513), 'x')).toBe(false);
    expect(matchesPattern('*'.repeat(512), 'x')).toBe(true);
  });

  test('grantsAction: Action lists and wildcards; NotAction grants everything it does not name', () => {
    expect(grantsAction({ Action: ['s3:GetObject', 'bedrock:*'] }, 'bedrock:InvokeModel')).toBe(true);
    expect(grantsAction({ Action: 'sagemaker:InvokeEndpoint' }, 'bedrock:InvokeModel')).toBe(false);
    expect(grantsAction({}, 'bedrock:InvokeModel')).toBe(false);
    expect(grantsAction({ NotAction: 'iam:*' }, 'bedrock:InvokeModel')).toBe(true);
    expect(grantsAction({ NotAction: ['bedrock:*'] }, 'bedrock:InvokeModel')).toBe(false);
  });

  test('namesServiceAction: only an action of the service itself, never a bare *', () => {
    expect(namesServiceAction({ Action: 'bedrock:InvokeModel' }, 'bedrock', ['InvokeModel'])).toBe(true);
    expect(namesServiceAction({ Action: 'bedrock:Invoke*' }, 'bedrock', ['InvokeModel'])).toBe(true);
    expect(namesServiceAction({ Action: 'Bedrock:*' }, 'bedrock', ['Converse'])).toBe(true);
    expect(namesServiceAction({ Action: '*' }, 'bedrock', ['InvokeModel'])).toBe(false);
    expect(namesServiceAction({ Action: 'bedrock:ListModels' }, 'bedrock', ['InvokeModel'])).toBe(false);
    expect(namesServiceAction({ Action: 'bedrock-agentcore:InvokeAgentRuntime' }, 'bedrock', ['InvokeAgentRuntime'])).toBe(false);
    expect(namesServiceAction({ NotAction: 'iam:*' }, 'bedrock', ['InvokeModel'])).toBe(false);
  });
});

describe('roleStatements', () => {
  const fixture: TemplateFixture = {
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: ASSUME,
          Policies: [{ PolicyName: 'inline', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }] } }],
          ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSageMakerReadOnly', { Ref: 'Managed' }],
        },
      },
      Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } } },
      Attached: {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: { Effect: 'Deny', Action: 'iam:*', Resource: '*' } } },
      },
      Unrelated: {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyName: 'q', Roles: [{ Ref: 'Other' }], PolicyDocument: { Statement: { Effect: 'Allow', Action: 'ec2:*', Resource: '*' } } },
      },
      Other: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: ASSUME } },
    },
  };

  test('inline policies, policies naming the role, managed policies it lists; AWS managed policies by ARN', () => {
    const index = indexOf(fixture);
    const held = roleStatements(index, index.find('Test', 'Role')!);
    const actions = held.statements.map((s) => `${s.from.logicalId}:${s.statement.Action}`).sort();
    expect(actions).toEqual(['Attached:iam:*', 'Managed:s3:GetObject', 'Role:bedrock:InvokeModel']);
    expect(held.externalPolicyArns).toEqual(['arn:aws:iam::aws:policy/AmazonSageMakerReadOnly']);
    expect(held.unknown).toBeUndefined();
    expect(roleStatements(index, index.find('Test', 'Other')!).statements.map((s) => s.from.logicalId)).toEqual(['Unrelated']);
  });

  test('every Fn::If form of a policy counts', () => {
    const index = indexOf({
      Resources: {
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            Policies: [{
              PolicyName: 'p',
              PolicyDocument: ifElse({ Statement: [{ Effect: 'Allow', Action: 'a:A' }] }, { Statement: [{ Effect: 'Allow', Action: 'b:B' }] }),
            }],
          },
        },
      },
    });
    expect(roleStatements(index, index.find('Test', 'Role')!).statements.map((s) => s.statement.Action)).toEqual(['a:A', 'b:B']);
  });

  test('unreadable policies are reported as unknown alongside what could be read', () => {
    const index = indexOf({
      Resources: {
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: { Policies: [{ PolicyName: 'ok', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'a:A' }] } }, imported('policy')] },
        },
        Role2: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyName: 'bad', PolicyDocument: '{oops' }] } },
      },
    });
    const held = roleStatements(index, index.find('Test', 'Role')!);
    expect(held.statements).toHaveLength(1);
    expect(held.unknown).toMatch(/imported value policy/);
    expect(roleStatements(index, index.find('Test', 'Role2')!).unknown).toMatch(/not valid JSON/);
  });

  test('every asker depends on the parameters the role\'s policies read, and a value assumed for one is not kept for the defaults', () => {
    const index = indexOf({
      Parameters: { Wide: { Default: 'false', AllowedValues: ['true', 'false'] } },
      Conditions: { IsWide: { 'Fn::Equals': [{ Ref: 'Wide' }, 'true'] } },
      Resources: {
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: { 'Fn::If': ['IsWide', '*', 'a:A'] } }] } }] },
        },
      },
    });
    const role = index.find('Test', 'Role')!;
    const actions = () => roleStatements(index, role).statements.map((s) => s.statement.Action);
    const asked = () => {
      const { result, parameters } = index.recording(actions);
      return { result, parameters: parameters.map((p) => p.parameter) };
    };
    expect(asked()).toEqual({ result: ['a:A'], parameters: ['Wide'] });
    expect(asked()).toEqual({ result: ['a:A'], parameters: ['Wide'] });
    const wide = index.recording(actions).parameters[0];
    expect(index.assuming(wide, 'true', actions)).toEqual(['*']);
    expect(actions()).toEqual(['a:A']);
  });

  test('read once per role and index; a new index reads afresh', () => {
    const index = indexOf(fixture);
    const role = index.find('Test', 'Role')!;
    const first = roleStatements(index, role);
    const lookups = index.statistics.lookups;
    expect(roleStatements(index, role)).toBe(first);
    expect(index.statistics.lookups).toBe(lookups);
    const fresh = indexOf(fixture);
    const again = roleStatements(fresh, fresh.find('Test', 'Role')!);
    expect(again).not.toBe(first);
    expect(again.statements).toHaveLength(3);
  });
});

describe('roleOf', () => {
  test('the role of the app a property names, by Ref, GetAtt or ARN text; undefined otherwise', () => {
    const index = indexOf({
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'exec-role', AssumeRolePolicyDocument: ASSUME } },
        Bucket: { Type: 'AWS::S3::Bucket' },
        ByAtt: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
        ByArn: { Type: 'AWS::Lambda::Function', Properties: { Role: 'arn:aws:iam::111122223333:role/exec-role' } },
        ByIf: { Type: 'AWS::Lambda::Function', Properties: { Role: ifElse(imported('role'), { 'Fn::GetAtt': ['Role', 'Arn'] }) } },
        External: { Type: 'AWS::Lambda::Function', Properties: { Role: 'arn:aws:iam::111122223333:role/elsewhere' } },
        NotARole: { Type: 'AWS::Lambda::Function', Properties: { Role: { Ref: 'Bucket' } } },
        NoRole: { Type: 'AWS::Lambda::Function', Properties: {} },
      },
    });
    const role = index.find('Test', 'Role');
    for (const id of ['ByAtt', 'ByArn', 'ByIf']) expect(roleOf(index.find('Test', id)!, 'Role')).toBe(role);
    for (const id of ['External', 'NotARole', 'NoRole']) expect(roleOf(index.find('Test', id)!, 'Role')).toBeUndefined();
  });

  test('a role ARN built with Fn::Join around a reference resolves', () => {
    const index = indexOf({
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: ASSUME } },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::Join': ['', ['', { 'Fn::GetAtt': ['Role', 'Arn'] }]] } } },
      },
    });
    const fnRole = index.find('Test', 'Fn')!.get('Role')[0].value;
    expect(fnRole instanceof Expression || fnRole instanceof ResourceReference).toBe(true);
    expect(roleOf(index.find('Test', 'Fn')!, 'Role')?.logicalId).toBe('Role');
  });
});

describe('policyFormOf', () => {
  const statement = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
  test('reads each form document by document, and says why a form or a document cannot be read', () => {
    const forms = [
      { value: [{ Statement: [statement] }, { Statement: [statement, statement] }], parameters: [] },
      { value: new UnknownValue('imported policies'), parameters: [] },
      { value: [{ Statement: [statement] }, new UnknownValue('imported document')], parameters: ['P'] },
    ];
    const read = (v: unknown) => (v instanceof UnknownValue ? v : (v as unknown[]));
    const result = forms.map((form) => policyFormOf(form, read));
    expect(result.map((f) => f.documents.map((d) => d.length))).toEqual([[1, 2], [], [1]]);
    expect(result.map((f) => f.unreadable)).toEqual([
      undefined,
      'the policies cannot be read (imported policies)',
      expect.stringMatching(/^a policy document cannot be read/),
    ]);
  });
});
