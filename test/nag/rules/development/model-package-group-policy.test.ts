import { App, aws_sagemaker as sagemaker, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

const ACTIONS = ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'];
const statement = (principal: unknown, extra: Record<string, unknown> = {}) => ({ Sid: 'Share', Effect: 'Allow', Principal: principal, Action: ACTIONS, Resource: '*', ...extra });
const group = (policy: unknown, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: { Group: { Type: 'AWS::SageMaker::ModelPackageGroup', Properties: { ModelPackageGroupName: 'fraud', ModelPackageGroupPolicy: policy } } },
});
const doc = (...statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });

describe('V9 model package groups are shared only with named accounts or the organisation', () => {
  test('compliant: no policy; explicit accounts; everyone confined by aws:PrincipalOrgID', () => {
    const run = validate(group(undefined));
    expect(verdictOf(run, 'V9', 'Group')).toBe('none');
    expect(run.tally('V9')).toMatchObject({ evaluated: 1, compliant: 1 });
    expect(verdictOf(validate(group(doc(statement({ AWS: ['arn:aws:iam::444455556666:root', '777788889999'] })))), 'V9', 'Group')).toBe('none');
    expect(verdictOf(validate(group(doc(statement('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } })))), 'V9', 'Group')).toBe('none');
    expect(verdictOf(validate(group(doc(statement({ AWS: '*' }, { Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc/r-1/ou-2/*' } } })))), 'V9', 'Group'))
      .toBe('none');
    expect(verdictOf(validate(group(doc({ ...statement('*'), Effect: 'Deny' }))), 'V9', 'Group')).toBe('none');
  });

  test('non-compliant: Principal "*", {"AWS": "*"}, a wildcard account ARN, NotPrincipal; a negated or wildcard condition does not confine', () => {
    const star = validate(group(doc(statement('*'))));
    expect(verdictOf(star, 'V9', 'Group')).toBe('non-compliant');
    expect(star.of('V9')[0]).toMatchObject({ ruleName: 'SecureAI-V9', level: 'error', locations: ['Properties.ModelPackageGroupPolicy'] });
    expect(star.of('V9')[0].message).toMatch(/statement Share allows Principal "\*"/);
    expect(validate(group(doc(statement({ AWS: ['arn:aws:iam::444455556666:root', '*'] })))).of('V9')[0].message).toMatch(/\{"AWS": "\*"\}/);
    expect(validate(group(doc(statement({ AWS: 'arn:aws:iam::*:root' })))).of('V9')[0].message).toMatch(/not an explicit account or role/);
    expect(verdictOf(validate(group(doc({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ACTIONS, Resource: '*' }))), 'V9', 'Group'))
      .toBe('non-compliant');
    expect(verdictOf(validate(group(doc(statement('*', { Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } } })))), 'V9', 'Group')).toBe('non-compliant');
    expect(verdictOf(validate(group(doc(statement('*', { Condition: { StringLike: { 'aws:PrincipalOrgID': '*' } } })))), 'V9', 'Group')).toBe('non-compliant');
    expect(verdictOf(validate(group(JSON.stringify(doc(statement('*'))))), 'V9', 'Group')).toBe('non-compliant');
  });

  test('intrinsic: Fn::If with an open branch; a principal from a parameter with an insecure allowed value', () => {
    expect(verdictOf(validate(group(doc(statement(ifElse({ AWS: '444455556666' }, '*'))))), 'V9', 'Group')).toBe('non-compliant');
    const param = validate(group(doc(statement({ AWS: { Ref: 'Consumer' } })), { Consumer: { Default: '444455556666', AllowedValues: ['444455556666', '*'] } }));
    expect(param.of('V9')[0].message).toMatch(/parameter Consumer/);
    expect(verdictOf(validate(group(doc(statement({ AWS: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:root' } })))), 'V9', 'Group')).toBe('none');
  });

  test('unverifiable: an imported policy or principal', () => {
    const run = validate(group(imported('policy')));
    expect(verdictOf(run, 'V9', 'Group')).toBe('unverifiable');
    expect(run.of('V9')[0].ruleName).toBe('SecureAI-V9[unverifiable]');
    expect(verdictOf(validate(group(doc(statement({ AWS: imported('consumer') })))), 'V9', 'Group')).toBe('unverifiable');
  });

  test('real CDK output: CfnModelPackageGroup with an open policy', () => {
    const cdkApp = new App();
    const stack = new Stack(cdkApp, 'S');
    new sagemaker.CfnModelPackageGroup(stack, 'Group', { modelPackageGroupName: 'g', modelPackageGroupPolicy: doc(statement('*')) });
    expect(new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V9')).toHaveLength(1);
  });

  test('malformed values never throw', () => {
    expect(validate(group({ Statement: ['x', { Effect: 'Allow', Principal: 5, Condition: 'y' }] })).tally('V9').errors).toBe(0);
  });
});
