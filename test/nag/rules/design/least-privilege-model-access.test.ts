import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { TemplateFixture, ifElse, imported, validate, ValidationRun, verdictOf } from '../../harness';

const MODEL_ARN = 'arn:aws:bedrock:eu-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0';
const TRUST = { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const ROLE = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST } };
const statement = (change: Record<string, unknown> = {}) => ({ Sid: 'Invoke', Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: MODEL_ARN, ...change });
const policy = (statements: unknown, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::IAM::Policy',
  Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: { Version: '2012-10-17', Statement: statements }, ...extra },
});
const run = (resources: TemplateFixture['Resources'], parameters?: TemplateFixture['Parameters']) =>
  validate({ Parameters: parameters, Resources: { Role: ROLE, ...resources } });

describe('D10 access to models is granted on named resources', () => {
  test('compliant: invocation on named models, endpoints (references) and agents; a wildcard Region for inference profiles', () => {
    const result = run({
      Policy: policy([
        statement(),
        statement({ Sid: 'Profile', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: 'arn:aws:bedrock:*::foundation-model/anthropic.claude-3-haiku-20240307-v1:0' }),
        statement({ Sid: 'Endpoint', Action: 'sagemaker:InvokeEndpoint', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-2:111122223333:endpoint/', { Ref: 'Endpoint' }]] } }),
        statement({ Sid: 'Listing', Action: 'bedrock:ListFoundationModels', Resource: '*' }),
        statement({ Sid: 'Tagged', Action: 'bedrock:InvokeModel', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'fraud' } } }),
      ]),
      Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'c' } },
    });
    expect(verdictOf(result, 'D10', 'Policy')).toBe('none');
    expect(verdictOf(result, 'D10', 'Role')).toBe('none');
  });

  test('non-compliant: Resource "*" or a wildcard resource part for each invocation action', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ Resource: '*' }, /statement "Invoke" allows bedrock:InvokeModel on "\*", not on named models/],
      [{ Resource: 'arn:aws:bedrock:eu-west-2::foundation-model/*' }, /on "arn:aws:bedrock:eu-west-2::foundation-model\/\*"/],
      [{ Action: 'bedrock:Converse', Resource: [MODEL_ARN, 'arn:aws:bedrock:*::foundation-model/anthropic.*'] }, /allows bedrock:Converse on/],
      [{ Action: 'bedrock:InvokeAgent', Resource: 'arn:aws:bedrock:eu-west-2:111122223333:agent-alias/*' }, /bedrock:InvokeAgent/],
      [{ Action: 'bedrock:Retrieve', Resource: '*' }, /bedrock:Retrieve/],
      [{ Action: 'sagemaker:InvokeEndpoint', Resource: 'arn:aws:sagemaker:eu-west-2:111122223333:endpoint/*' }, /sagemaker:InvokeEndpoint/],
      [{ Action: 'sagemaker:InvokeEndpointAsync', Resource: '*' }, /sagemaker:InvokeEndpointAsync/],
      [{ Action: 'bedrock:*', Resource: '*' }, /allows bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream, bedrock:Converse and \d+ more/],
      [{ Action: 'sagemaker:*', Resource: '*' }, /sagemaker:InvokeEndpoint/],
      [{ Action: '*', Resource: '*' }, /bedrock:InvokeModel/],
      [{ Action: 'bedrock:Invoke*', Resource: '*' }, /bedrock:InvokeModel/],
      [{ Action: undefined, NotAction: 'iam:*', Resource: '*' }, /bedrock:InvokeModel/],
      [{ NotResource: 'arn:aws:bedrock:eu-west-2::foundation-model/secret-model', Resource: undefined }, /NotResource/],
      [{ Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, '::foundation-model/*']] } }, /foundation-model\/\*/],
    ];
    for (const [change, message] of cases) {
      const result = run({ Policy: policy([statement(change)]) });
      expect(verdictOf(result, 'D10', 'Policy')).toBe('non-compliant');
      expect(result.of('D10')[0]).toMatchObject({ ruleName: 'SecureAI-D10', level: 'error', locations: ['Properties.PolicyDocument'] });
      expect(result.of('D10')[0].message).toMatch(message);
    }
  });

  test('one insecure statement among secure ones, in a JSON-string document, in a managed policy, and inline in a role', () => {
    expect(verdictOf(run({ Policy: policy([statement(), statement({ Sid: 'Wide', Resource: '*' })]) }), 'D10', 'Policy')).toBe('non-compliant');
    const json = run({ Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: JSON.stringify({ Statement: [statement({ Resource: '*' })] }) } } });
    expect(verdictOf(json, 'D10', 'Policy')).toBe('non-compliant');
    const managed = run({ Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [statement({ Resource: '*' })] } } } });
    expect(verdictOf(managed, 'D10', 'Managed')).toBe('non-compliant');
    const inline = validate({ Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST, Policies: [{ PolicyName: 'i', PolicyDocument: { Statement: statement({ Resource: '*' }) } }] } } } });
    expect(verdictOf(inline, 'D10', 'Role')).toBe('non-compliant');
    expect(inline.of('D10')[0].locations).toEqual(['Properties.Policies']);
  });

  test('not applicable: a managed policy used only as a permissions boundary, or attached to nothing', () => {
    const boundary = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Sid: 'Ceiling', Effect: 'Allow', Action: '*', Resource: '*' }] } } };
    const result = run({ Boundary: boundary, Bounded: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST, PermissionsBoundary: { Ref: 'Boundary' } } } });
    expect(verdictOf(result, 'D10', 'Boundary')).toBe('none');
    // Attached through the role's ManagedPolicyArns, the same policy grants.
    const attached = run({ Boundary: boundary, User: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST, ManagedPolicyArns: [{ Ref: 'Boundary' }] } } });
    expect(verdictOf(attached, 'D10', 'Boundary')).toBe('non-compliant');
  });

  test('non-compliant: AmazonBedrockFullAccess / AmazonSageMakerFullAccess, as text or built with Fn::Join', () => {
    const role = (arns: unknown[]) => validate({ Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST, ManagedPolicyArns: arns } } } });
    const text = role(['arn:aws:iam::aws:policy/AmazonBedrockFullAccess']);
    expect(verdictOf(text, 'D10', 'Role')).toBe('non-compliant');
    expect(text.of('D10')[0]).toMatchObject({ locations: ['Properties.ManagedPolicyArns'] });
    expect(text.of('D10')[0].message).toMatch(/attaches AmazonBedrockFullAccess/);
    const joined = role([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSageMakerFullAccess']] }]);
    expect(joined.of('D10')[0].message).toMatch(/AmazonSageMakerFullAccess/);
    expect(verdictOf(role(['arn:aws:iam::aws:policy/AmazonBedrockReadOnly']), 'D10', 'Role')).toBe('none');
    const user = validate({ Resources: { User: { Type: 'AWS::IAM::User', Properties: { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonBedrockFullAccess'] } } } });
    expect(verdictOf(user, 'D10', 'User')).toBe('non-compliant');
  });

  test('non-compliant: AdministratorAccess on an AI role only', () => {
    const aiTrust = { Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const admin = (trust: unknown) => validate({ Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust, ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] } } } });
    expect(verdictOf(admin(aiTrust), 'D10', 'Role')).toBe('non-compliant');
    expect(admin(aiTrust).of('D10')[0].message).toMatch(/AdministratorAccess to a role of an AI workload/);
    expect(verdictOf(admin(TRUST), 'D10', 'Role')).toBe('none');
  });

  test('non-compliant: agents sharing one role; compliant with one role each', () => {
    const agent = (role: unknown) => ({ Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a', AgentResourceRoleArn: role } });
    const shared = run({ A: agent({ 'Fn::GetAtt': ['Role', 'Arn'] }), B: agent({ 'Fn::GetAtt': ['Role', 'Arn'] }) });
    expect(verdictOf(shared, 'D10', 'A')).toBe('non-compliant');
    expect(shared.of('D10').find((f) => f.logicalId === 'A')!.message).toMatch(/AgentResourceRoleArn is the role of agent B too/);
    expect(shared.of('D10').find((f) => f.logicalId === 'A')!.locations).toEqual(['Properties.AgentResourceRoleArn']);
    const sharedArn = run({ A: agent('arn:aws:iam::111122223333:role/agents'), B: agent('arn:aws:iam::111122223333:role/agents') });
    expect(verdictOf(sharedArn, 'D10', 'B')).toBe('non-compliant');
    const own = run({ Other: ROLE, A: agent({ 'Fn::GetAtt': ['Role', 'Arn'] }), B: agent({ 'Fn::GetAtt': ['Other', 'Arn'] }) });
    expect(own.of('D10')).toEqual([]);
    expect(verdictOf(run({ A: agent(ifElse({ 'Fn::GetAtt': ['Role', 'Arn'] }, 'x')), B: agent({ 'Fn::GetAtt': ['Role', 'Arn'] }) }), 'D10', 'A')).toBe('non-compliant');
  });

  test('a finding names at most five of the agents that share the role, however many do', () => {
    const agents: TemplateFixture['Resources'] = {};
    for (let i = 0; i < 8; i++) agents[`Agent${i}`] = { Type: 'AWS::Bedrock::Agent', Properties: { AgentName: `a${i}`, AgentResourceRoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } } };
    const shared = run(agents);
    expect(shared.of('D10').find((f) => f.logicalId === 'Agent0')!.message)
      .toMatch(/^AgentResourceRoleArn is the role of agents Agent1, Agent2, Agent3, Agent4, Agent5 and 2 more too: /);
  });

  test('intrinsic: Fn::If with a wildcard branch; parameter allowed values', () => {
    const conditional = run({ Policy: policy([statement({ Resource: ifElse(MODEL_ARN, '*') })]) });
    expect(verdictOf(conditional, 'D10', 'Policy')).toBe('non-compliant');
    expect(conditional.of('D10')[0].message).toMatch(/possible forms/);
    const param = (AllowedValues: string[]) => run({ Policy: policy([statement({ Resource: { Ref: 'ModelArn' } })]) }, { ModelArn: { AllowedValues } });
    expect(verdictOf(param([MODEL_ARN]), 'D10', 'Policy')).toBe('none');
    expect(verdictOf(param([MODEL_ARN, '*']), 'D10', 'Policy')).toBe('unverifiable');
    expect(param([MODEL_ARN, '*']).of('D10')[0].message).toMatch(/parameter ModelArn/);
  });

  test('intrinsic: a finding names the parameters of what it is about, not those of the policy\'s other statements or name', () => {
    const parameters = {
      IndexId: { Type: 'String' },
      Env: { Type: 'String', Default: 'dev' },
      ModelId: { Type: 'String', Default: '*' },
      Stage: { Type: 'String', Default: 'prod' },
    };
    const wide = statement({ Sid: 'Wide', Resource: 'arn:aws:bedrock:eu-west-2::foundation-model/*' });
    const kendra = { Sid: 'Kendra', Effect: 'Allow', Action: 'kendra:Query', Resource: { 'Fn::Sub': 'arn:aws:kendra:eu-west-2:111122223333:index/${IndexId}' } };
    const named = (name: string) => ({ 'Fn::Sub': `\${Env}-${name}` });
    // The attack on the message: parameters read elsewhere in the policy were named as if the finding rested on them.
    const unrelated = run({ Policy: policy([wide, kendra], { PolicyName: named('agent') }) }, parameters);
    expect(unrelated.of('D10')[0].message).toMatch(/^statement "Wide" allows bedrock:InvokeModel on "arn:aws:bedrock:eu-west-2::foundation-model\/\*", not on named models, endpoints or agents: /);
    const inline = run({
      Role: {
        ...ROLE,
        Properties: {
          ...ROLE.Properties,
          RoleName: named('role'),
          Policies: [{ PolicyName: named('a'), PolicyDocument: { Statement: [wide, kendra] } }],
        },
      },
    }, parameters);
    expect(inline.of('D10')[0].message).not.toMatch(/parameter/);
    // A parameter that builds the failing Resource, or whose condition chooses the failing statement, is named.
    const built = run({ Policy: policy([statement({ Sid: 'Built', Resource: { 'Fn::Sub': 'arn:aws:bedrock:eu-west-2::foundation-model/${ModelId}' } }), kendra]) }, parameters);
    expect(built.of('D10')[0].message).toMatch(/ \(with the value of parameter ModelId\): /);
    const chosen = validate({
      Parameters: parameters,
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } },
      Resources: { Role: ROLE, Policy: policy([{ 'Fn::If': ['IsProd', wide, statement()] }, kendra]) },
    });
    expect(chosen.of('D10')[0].message).toMatch(/ \(with the value of parameter Stage\): /);
  });

  test('unverifiable: a Resource or a whole document imported', () => {
    const resource = run({ Policy: policy([statement({ Resource: imported('model-arn') })]) });
    expect(verdictOf(resource, 'D10', 'Policy')).toBe('unverifiable');
    expect(resource.of('D10')[0]).toMatchObject({ ruleName: 'SecureAI-D10[unverifiable]', level: 'warning' });
    const document = run({ Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: imported('doc') } } });
    expect(verdictOf(document, 'D10', 'Policy')).toBe('unverifiable');
  });

  test('real CDK output: grants rendered by iam.PolicyStatement and ManagedPolicy.fromAwsManagedPolicyName', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const narrow = new iam.Role(stack, 'Narrow', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    narrow.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [`arn:${stack.partition}:bedrock:${stack.region}::foundation-model/amazon.nova-pro-v1:0`] }));
    const wide = new iam.Role(stack, 'Wide', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    wide.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] }));
    new iam.Role(stack, 'Full', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonBedrockFullAccess')],
    });
    const result = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(result.of('D10').map((f) => f.constructPath).sort()).toEqual(['S/Full/Resource', 'S/Wide/DefaultPolicy/Resource']);
  });
});

describe('D10 judges each action on the resources of its own types (the Service Authorization Reference)', () => {
  const ENDPOINT = 'arn:aws:sagemaker:eu-west-2:111122223333:endpoint/fraud-scoring';
  test('compliant: InvokeEndpoint with Describe* on a named endpoint and every endpoint configuration (the CDK grant shape)', () => {
    const result = run({ Policy: policy([statement({ Action: ['sagemaker:InvokeEndpoint', 'sagemaker:Describe*'], Resource: [ENDPOINT, 'arn:aws:sagemaker:eu-west-2:111122223333:endpoint-config/*'] })]) });
    expect(verdictOf(result, 'D10', 'Policy')).toBe('none');
  });

  test('compliant: actions that take only "*" (RetrieveAndGenerate) name no model', () => {
    const result = run({ Policy: policy([statement({ Action: ['bedrock:RetrieveAndGenerate', 'bedrock:Retrieve'], Resource: ['*', 'arn:aws:bedrock:eu-west-2:111122223333:knowledge-base/KB12345678'] })]) });
    expect(result.of('D10').map((f) => f.message)).toEqual(['statement "Invoke" allows bedrock:Retrieve on "*", not on named models, endpoints or agents: '
      + 'whoever holds this policy can query every model of the account, the way to run up cost, extract models or reach models not meant for this workload']);
  });

  test('non-compliant: a wildcard entry of the action\'s own type, named with only the actions it applies to', () => {
    const result = run({ Policy: policy([statement({ Action: ['sagemaker:InvokeEndpoint', 'bedrock:InvokeAgent'], Resource: [ENDPOINT, 'arn:aws:bedrock:eu-west-2:111122223333:agent-alias/*'] })]) });
    expect(verdictOf(result, 'D10', 'Policy')).toBe('non-compliant');
    expect(result.of('D10')[0].message).toMatch(/allows bedrock:InvokeAgent on "arn:aws:bedrock:eu-west-2:111122223333:agent-alias\/\*"/);
    // A wildcard service or resource part can be an endpoint.
    for (const wide of ['arn:aws:sagemaker:eu-west-2:111122223333:*', 'arn:aws:*:eu-west-2:111122223333:endpoint*', 'arn:*']) {
      expect(verdictOf(run({ Policy: policy([statement({ Action: 'sagemaker:InvokeEndpoint', Resource: wide })]) }), 'D10', 'Policy')).toBe('non-compliant');
    }
  });

  test('intrinsic: a wildcard built with Fn::Join around pseudo parameters is judged by the type its literal parts name', () => {
    const join = (type: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${type}/*`]] });
    const configs = run({ Policy: policy([statement({ Action: ['sagemaker:InvokeEndpoint', 'sagemaker:DescribeEndpointConfig'], Resource: [ENDPOINT, join('endpoint-config')] })]) });
    expect(verdictOf(configs, 'D10', 'Policy')).toBe('none');
    const endpoints = run({ Policy: policy([statement({ Action: 'sagemaker:InvokeEndpoint', Resource: join('endpoint') })]) });
    expect(verdictOf(endpoints, 'D10', 'Policy')).toBe('non-compliant');
  });

  test('unverifiable: an imported entry beside a named one may be of any type', () => {
    const result = run({ Policy: policy([statement({ Action: 'sagemaker:InvokeEndpoint', Resource: [ENDPOINT, imported('other-arn')] })]) });
    expect(verdictOf(result, 'D10', 'Policy')).toBe('unverifiable');
  });
});
