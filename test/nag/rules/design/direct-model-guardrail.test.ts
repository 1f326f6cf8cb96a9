import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { TemplateFixture, ifElse, imported, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const MODEL_ARN = 'arn:aws:bedrock:eu-west-2::foundation-model/amazon.nova-pro-v1:0';
const GUARDRAIL_ARN = 'arn:aws:bedrock:eu-west-2:111122223333:guardrail/abc123';
const trust = (service: string) => ({ Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
const ROLE = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust('lambda.amazonaws.com') } };
const invoke = (change: Record<string, unknown> = {}) => ({ Sid: 'Invoke', Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:Converse'], Resource: MODEL_ARN, ...change });
const CONDITION = { StringEquals: { 'bedrock:GuardrailIdentifier': `${GUARDRAIL_ARN}:1` } };
const policy = (statements: unknown[], roles: unknown = [{ Ref: 'Role' }]) => ({
  Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: roles, PolicyDocument: { Statement: statements } },
});
const enforced = (version: unknown = '1') => ({
  Type: 'AWS::Bedrock::EnforcedGuardrailConfiguration', Properties: { GuardrailIdentifier: GUARDRAIL_ARN, GuardrailVersion: version },
});
const run = (resources: Resources, props?: Parameters<typeof validate>[1], parameters?: TemplateFixture['Parameters']) =>
  validate({ Parameters: parameters, Resources: { Role: ROLE, ...resources } }, props);

describe('D17 direct model invocation is always guarded', () => {
  test('compliant: a bedrock:GuardrailIdentifier condition on the statement', () => {
    const result = run({ Policy: policy([invoke({ Condition: CONDITION })]) });
    expect(verdictOf(result, 'D17', 'Policy')).toBe('none');
    expect(result.tally('D17')).toMatchObject({ compliant: 1, nonCompliant: 0, notApplicable: 1 });
  });

  test('compliant: a Deny statement of the same document conditioned on the guardrail', () => {
    const deny = { Effect: 'Deny', Action: 'bedrock:*', Resource: '*', Condition: { StringNotEquals: { 'bedrock:GuardrailIdentifier': `${GUARDRAIL_ARN}:1` } } };
    expect(verdictOf(run({ Policy: policy([invoke(), deny]) }), 'D17', 'Policy')).toBe('none');
  });

  test('compliant: an enforced guardrail configuration with a numeric version (or a version resource of the app)', () => {
    expect(verdictOf(run({ Policy: policy([invoke()]), Enforced: enforced('3') }), 'D17', 'Policy')).toBe('none');
    const version = { Type: 'AWS::Bedrock::GuardrailVersion', Properties: { GuardrailIdentifier: 'g' } };
    expect(verdictOf(run({ Policy: policy([invoke()]), Version: version, Enforced: enforced({ 'Fn::GetAtt': ['Version', 'Version'] }) }), 'D17', 'Policy')).toBe('none');
  });

  test('non-compliant: direct model actions with neither, in every policy form', () => {
    const result = run({ Policy: policy([invoke()]) });
    expect(verdictOf(result, 'D17', 'Policy')).toBe('non-compliant');
    expect(result.of('D17')[0]).toMatchObject({ ruleName: 'SecureAI-D17', level: 'warning', locations: ['Properties.PolicyDocument'] });
    expect(result.of('D17')[0].message).toMatch(/statement "Invoke" allows bedrock:InvokeModel, bedrock:Converse with no bedrock:GuardrailIdentifier condition, and the app has no AWS::Bedrock::EnforcedGuardrailConfiguration/);
    for (const action of ['bedrock:InvokeModelWithResponseStream', 'bedrock:ConverseStream', 'bedrock:*', 'bedrock:Invoke*', '*']) {
      expect(verdictOf(run({ Policy: policy([invoke({ Action: action })]) }), 'D17', 'Policy')).toBe('non-compliant');
    }
    expect(verdictOf(run({ Policy: policy([invoke({ Action: undefined, NotAction: 's3:*' })]) }), 'D17', 'Policy')).toBe('non-compliant');
    const managed = run({ Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [invoke()] } } } });
    expect(verdictOf(managed, 'D17', 'Managed')).toBe('non-compliant');
    const inline = validate({ Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust('bedrock-agentcore.amazonaws.com'), Policies: [{ PolicyName: 'i', PolicyDocument: { Statement: [invoke()] } }] } } } });
    expect(verdictOf(inline, 'D17', 'Role')).toBe('non-compliant');
    expect(inline.of('D17')[0].locations).toEqual(['Properties.Policies']);
  });

  test('non-compliant: an enforced configuration on DRAFT does not count', () => {
    const result = run({ Policy: policy([invoke()]), Enforced: enforced('DRAFT') });
    expect(verdictOf(result, 'D17', 'Policy')).toBe('non-compliant');
    expect(result.of('D17')[0].message).toMatch(/GuardrailVersion that is not a published number \("DRAFT"\)/);
  });

  test('not applicable: no direct model action; Bedrock service roles (agents, knowledge bases); a policy attached to nothing', () => {
    expect(run({ Policy: policy([invoke({ Action: 'bedrock:InvokeAgent' })]) }).tally('D17')).toMatchObject({ notApplicable: 2 });
    const agentRole = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust('bedrock.amazonaws.com'), Policies: [{ PolicyName: 'i', PolicyDocument: { Statement: [invoke()] } }] } };
    const service = validate({ Resources: { Role: agentRole, Policy: policy([invoke()]) } });
    expect(service.of('D17')).toEqual([]);
    expect(run({ Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [invoke()] } } } }).of('D17')).toEqual([]);
  });

  test('not applicable: an enforced guardrail run by the organisation (prop or context)', () => {
    const result = run({ Policy: policy([invoke()]) }, { orgManaged: { enforcedGuardrail: 'org baseline stack in the security account' } });
    expect(result.of('D17')).toEqual([]);
    const app = new App({ context: { 'ai:enforced-guardrail': 'org-managed' } });
    const stack = new Stack(app, 'S');
    new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') })
      .addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [MODEL_ARN] }));
    expect(new ValidationRun(new SecureAiChecks().validateScope(app)).of('D17')).toEqual([]);
  });

  test('intrinsic: Fn::If dropping the condition; parameter allowed versions', () => {
    const conditional = run({ Policy: policy([invoke({ Condition: ifElse(CONDITION, { Ref: 'AWS::NoValue' }) })]) });
    expect(verdictOf(conditional, 'D17', 'Policy')).toBe('non-compliant');
    expect(conditional.of('D17')[0].message).toMatch(/possible forms/);
    const param = (AllowedValues: string[]) => run({ Policy: policy([invoke()]), Enforced: enforced({ Ref: 'Version' }) }, undefined, { Version: { AllowedValues } });
    expect(verdictOf(param(['1', '2']), 'D17', 'Policy')).toBe('none');
    expect(verdictOf(param(['DRAFT']), 'D17', 'Policy')).toBe('unverifiable');
  });

  test('an enforced configuration created under a condition guards only while it is created; the first created that enforces decides', () => {
    const conditional = (resources: Resources) => validate({
      Parameters: { Enforce: { Type: 'String', Default: 'yes', AllowedValues: ['yes', 'no'] } },
      Conditions: { IsEnforced: { 'Fn::Equals': [{ Ref: 'Enforce' }, 'yes'] }, NotEnforced: { 'Fn::Not': [{ Condition: 'IsEnforced' }] } },
      Resources: { Role: ROLE, Policy: policy([invoke()]), ...resources },
    });
    expect(verdictOf(conditional({ Enforced: { ...enforced(), Condition: 'IsEnforced' } }), 'D17', 'Policy')).toBe('parameter');
    const notCreated = conditional({ Enforced: { ...enforced(), Condition: 'NotEnforced' } });
    expect(verdictOf(notCreated, 'D17', 'Policy')).toBe('non-compliant');
    expect(notCreated.of('D17')[0].message).toMatch(/the app has no AWS::Bedrock::EnforcedGuardrailConfiguration/);
    // A DRAFT configuration that is created does not make up for an enforcing one that is not, whichever comes first.
    expect(verdictOf(conditional({ Draft: enforced('DRAFT'), Enforced: { ...enforced(), Condition: 'IsEnforced' } }), 'D17', 'Policy')).toBe('parameter');
    expect(verdictOf(conditional({ Enforced: { ...enforced(), Condition: 'NotEnforced' }, Always: enforced() }), 'D17', 'Policy')).toBe('none');
  });

  test('intrinsic: a finding names the parameters of the statements it is about, not those of the policy\'s other statements', () => {
    const parameters = { IndexId: { Type: 'String' }, Stage: { Type: 'String', Default: 'prod' } };
    const kendra = { Sid: 'Kendra', Effect: 'Allow', Action: 'kendra:Query', Resource: { 'Fn::Sub': 'arn:aws:kendra:eu-west-2:111122223333:index/${IndexId}' } };
    const unrelated = run({ Policy: policy([invoke(), kendra]) }, undefined, parameters);
    expect(unrelated.of('D17')[0].message).toMatch(/^statement "Invoke" allows bedrock:InvokeModel, bedrock:Converse with no bedrock:GuardrailIdentifier condition/);
    const chosen = validate({
      Parameters: parameters,
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } },
      Resources: { Role: ROLE, Policy: policy([{ 'Fn::If': ['IsProd', invoke(), invoke({ Condition: CONDITION })] }, kendra]) },
    });
    expect(chosen.of('D17')[0].message).toMatch(/^statement "Invoke" allows bedrock:InvokeModel, bedrock:Converse \(with the value of parameter Stage\) with no /);
  });

  test('unverifiable: a policy document or the enforced version imported', () => {
    const document = run({ Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: imported('doc') } } });
    expect(verdictOf(document, 'D17', 'Policy')).toBe('unverifiable');
    expect(document.of('D17')[0]).toMatchObject({ ruleName: 'SecureAI-D17[unverifiable]', level: 'warning' });
    expect(verdictOf(run({ Policy: policy([invoke()]), Enforced: enforced(imported('version')) }), 'D17', 'Policy')).toBe('unverifiable');
  });

  test('real CDK output: grants with and without the guardrail condition', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const guarded = new iam.Role(stack, 'Guarded', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    guarded.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [MODEL_ARN], conditions: CONDITION }));
    const open = new iam.Role(stack, 'Open', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    open.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:Converse'], resources: [MODEL_ARN] }));
    const result = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(result.of('D17').map((f) => f.constructPath)).toEqual(['S/Open/DefaultPolicy/Resource']);
  });
});
