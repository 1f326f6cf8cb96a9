// The evaluator against the facts of AWS's IAM User Guide: policy evaluation logic (single account, cross-account,
// resource-based policies and implicit denies, boundaries, SCPs), condition operators, set operators and policy variables.
// Each case restates one documented outcome with this project's own policies.
import { EvaluationRequest, PolicyDocument, evaluate } from './policy-evaluator';

const ROLE = 'arn:aws:iam::111122223333:role/analyst';
const OTHER_ACCOUNT_ROLE = 'arn:aws:iam::444455556666:role/partner';
const doc = (...Statement: PolicyDocument['Statement'][]): PolicyDocument => ({ Version: '2012-10-17', Statement: Statement.flat() });
const allow = (Action: string | string[], Resource: string | string[] = '*', extra: object = {}) => ({ Effect: 'Allow' as const, Action, Resource, ...extra });
const deny = (Action: string | string[], Resource: string | string[] = '*', extra: object = {}) => ({ Effect: 'Deny' as const, Action, Resource, ...extra });
const request = (action: string, resource: string, context: EvaluationRequest['context'] = {}, arn = ROLE): EvaluationRequest =>
  ({ principal: { arn }, action, resource, context });
const BUCKET = 'arn:aws:s3:::amzn-s3-demo-bucket';

describe('policy types and how they combine', () => {
  test('within one account, an allow in the identity policy or in the resource policy is enough', () => {
    const put = request('s3:PutObject', `${BUCKET}/logs/a.txt`);
    expect(evaluate(put, { identity: [doc(allow('s3:PutObject', `${BUCKET}/*`))] }).decision).toBe('Allow');
    expect(evaluate(put, { resource: doc(allow('s3:PutObject', `${BUCKET}/*`, { Principal: { AWS: ROLE } })) }).decision).toBe('Allow');
    expect(evaluate(put, {}).decision).toBe('ImplicitDeny');
  });

  test('an explicit deny in any policy overrides every allow', () => {
    const put = request('s3:PutObject', `${BUCKET}/a`);
    const identity = [doc(allow('s3:*', '*'))];
    expect(evaluate(put, { identity, resource: doc(deny('s3:PutObject', `${BUCKET}/*`, { Principal: '*' })) }).decision).toBe('ExplicitDeny');
    expect(evaluate(put, { identity, boundary: doc(allow('*'), deny('s3:PutObject')) }).decision).toBe('ExplicitDeny');
  });

  test('a boundary caps identity policies: allowed only what both allow (the S3, CloudWatch, EC2 boundary and iam:CreateUser)', () => {
    const boundary = doc(allow(['s3:*', 'cloudwatch:*', 'ec2:*']));
    expect(evaluate(request('iam:CreateUser', '*'), { identity: [doc(allow('iam:CreateUser'))], boundary }).decision).toBe('ImplicitDeny');
    expect(evaluate(request('s3:ListBucket', BUCKET), { identity: [doc(allow('s3:ListBucket', BUCKET))], boundary }).decision).toBe('Allow');
  });

  test('a resource policy that names the role ARN is limited by an implicit deny in its boundary; one naming the account needs the identity policy', () => {
    const get = request('s3:GetObject', `${BUCKET}/a`);
    const byRole = doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ROLE } }));
    expect(evaluate(get, { resource: byRole, boundary: doc(allow('ec2:*')) }).decision).toBe('ImplicitDeny');
    expect(evaluate(get, { resource: byRole, boundary: doc(allow('s3:*')) }).decision).toBe('Allow');
    const byAccount = doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: 'arn:aws:iam::111122223333:root' } }));
    expect(evaluate(get, { resource: byAccount }).decision).toBe('ImplicitDeny');
    expect(evaluate(get, { resource: byAccount, identity: [doc(allow('s3:GetObject', `${BUCKET}/*`))] }).decision).toBe('Allow');
  });

  test('KMS key policies and trust policies must allow: an identity-based allow alone is not enough', () => {
    const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const decrypt = request('kms:Decrypt', key);
    const identity = [doc(allow('kms:Decrypt', key))];
    expect(evaluate(decrypt, { identity, resource: doc(allow('kms:Describe*', '*', { Principal: { AWS: ROLE } })), resourcePolicyRequired: true }).decision).toBe('ImplicitDeny');
    expect(evaluate(decrypt, { identity, resource: doc(allow('kms:*', '*', { Principal: { AWS: 'arn:aws:iam::111122223333:root' } })), resourcePolicyRequired: true }).decision).toBe('Allow');
  });

  test('across accounts, both the principal\'s identity policy and the resource policy must allow', () => {
    const get = request('s3:GetObject', `${BUCKET}/a`, { 'aws:ResourceAccount': '111122223333' }, OTHER_ACCOUNT_ROLE);
    const identity = [doc(allow('s3:GetObject', `${BUCKET}/*`))];
    const resource = doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: '444455556666' } }));
    expect(evaluate(get, { identity }).decision).toBe('ImplicitDeny');
    expect(evaluate(get, { resource }).decision).toBe('ImplicitDeny');
    expect(evaluate(get, { identity, resource }).decision).toBe('Allow');
  });

  test('with an SCP and a boundary, the SCP, the boundary and the identity policy must all allow', () => {
    const run = request('ec2:RunInstances', '*');
    const identity = [doc(allow('ec2:RunInstances'))];
    const boundary = doc(allow('ec2:*'));
    expect(evaluate(run, { identity, boundary, scps: [[doc(allow('*'))]] }).decision).toBe('Allow');
    expect(evaluate(run, { identity, boundary, scps: [[doc(allow('*'))], [doc(allow('s3:*'))]] }).decision).toBe('ImplicitDeny');
    expect(evaluate(run, { identity, boundary, scps: [[doc(allow('*'), deny('ec2:RunInstances'))]] }).decision).toBe('ExplicitDeny');
  });

  test('a Deny with NotPrincipal always applies to a principal that has a permissions boundary', () => {
    const resource = doc(
      allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ROLE } }),
      { Effect: 'Deny', NotPrincipal: { AWS: ROLE }, Action: 's3:*', Resource: `${BUCKET}/*` },
    );
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), { resource }).decision).toBe('Allow');
    const withBoundary = { principal: { arn: ROLE, hasBoundary: true }, action: 's3:GetObject', resource: `${BUCKET}/a` };
    expect(evaluate(withBoundary, { resource, boundary: doc(allow('s3:*')) }).decision).toBe('ExplicitDeny');
  });

  test('an AWS service is allowed only by a resource policy naming it; SCPs and the endpoint policy do not apply to it', () => {
    const service = { principal: { service: 'cloudtrail.amazonaws.com' }, action: 's3:PutObject', resource: `${BUCKET}/AWSLogs/x` };
    const resource = doc(allow('s3:PutObject', `${BUCKET}/AWSLogs/*`, { Principal: { Service: 'cloudtrail.amazonaws.com' } }));
    expect(evaluate(service, { resource, scps: [[doc(deny('*'))]] }).decision).toBe('Allow');
    expect(evaluate(service, { resource: doc(allow('s3:PutObject', `${BUCKET}/*`, { Principal: { Service: 'config.amazonaws.com' } })) }).decision).toBe('ImplicitDeny');
  });

  test('NotAction and NotResource match everything but what they list', () => {
    const identity = [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', NotResource: [BUCKET, `${BUCKET}/*`] })];
    expect(evaluate(request('ec2:RunInstances', '*'), { identity }).decision).toBe('Allow');
    expect(evaluate(request('iam:CreateRole', '*'), { identity }).decision).toBe('ImplicitDeny');
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::other/a'), { identity }).decision).toBe('ExplicitDeny');
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), { identity }).decision).toBe('Allow');
  });
});

describe('condition operators', () => {
  const allowWhen = (Condition: object) => [doc(allow('s3:ListBucket', BUCKET, { Condition }))];
  const list = (context: EvaluationRequest['context']) => request('s3:ListBucket', BUCKET, context);
  const decision = (Condition: object, context: EvaluationRequest['context']) => evaluate(list(context), { identity: allowWhen(Condition) }).decision;

  test('a key absent from the request: positive operators are false, negated ones true, IfExists true, Null tests presence', () => {
    expect(decision({ StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, {})).toBe('ImplicitDeny');
    expect(decision({ StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, { 'aws:PrincipalTag/job-category': 'iamuser-admin' })).toBe('Allow');
    expect(decision({ StringNotLike: { 'aws:PrincipalTag/team': 'ml-*' } }, {})).toBe('Allow');
    expect(decision({ ArnNotLike: { 'aws:SourceArn': 'arn:aws:s3:::x' } }, {})).toBe('Allow');
    expect(decision({ StringEqualsIfExists: { 'ec2:InstanceType': 't3.micro' } }, {})).toBe('Allow');
    expect(decision({ StringEqualsIfExists: { 'ec2:InstanceType': 't3.micro' } }, { 'ec2:InstanceType': 'p4d.24xlarge' })).toBe('ImplicitDeny');
    expect(decision({ Null: { 'aws:TokenIssueTime': 'true' } }, {})).toBe('Allow');
    expect(decision({ Null: { 'aws:TokenIssueTime': 'false' } }, {})).toBe('ImplicitDeny');
  });

  test('several values: a positive operator matches any of them, a negated one none of them', () => {
    const tags = { StringEquals: { 'aws:PrincipalTag/department': ['finance', 'hr', 'legal'] } };
    expect(decision(tags, { 'aws:PrincipalTag/department': 'hr' })).toBe('Allow');
    expect(decision(tags, { 'aws:PrincipalTag/department': 'it' })).toBe('ImplicitDeny');
    const notTags = { StringNotEquals: { 'aws:PrincipalTag/department': ['finance', 'hr', 'legal'] } };
    expect(decision(notTags, { 'aws:PrincipalTag/department': 'hr' })).toBe('ImplicitDeny');
    expect(decision(notTags, { 'aws:PrincipalTag/department': 'it' })).toBe('Allow');
  });

  test('several operators and keys must all hold', () => {
    const both = { StringEquals: { 'aws:PrincipalTag/team': 'ml' }, Bool: { 'aws:SecureTransport': 'true' } };
    expect(decision(both, { 'aws:PrincipalTag/team': 'ml', 'aws:SecureTransport': true })).toBe('Allow');
    expect(decision(both, { 'aws:PrincipalTag/team': 'ml', 'aws:SecureTransport': false })).toBe('ImplicitDeny');
  });

  test('Bool: the documented deny of requests not over TLS', () => {
    const resource = doc(deny('s3:*', [BUCKET, `${BUCKET}/*`], { Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const identity = [doc(allow('s3:*'))];
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`, { 'aws:SecureTransport': false }), { identity, resource }).decision).toBe('ExplicitDeny');
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`, { 'aws:SecureTransport': true }), { identity, resource }).decision).toBe('Allow');
  });

  test('Numeric and Date: list up to 10 keys; credentials issued after a date', () => {
    expect(decision({ NumericLessThanEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': 10 })).toBe('Allow');
    expect(decision({ NumericLessThanEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': 100 })).toBe('ImplicitDeny');
    expect(decision({ DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } }, { 'aws:TokenIssueTime': '2020-06-01T00:00:00Z' })).toBe('Allow');
    expect(decision({ DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } }, {})).toBe('ImplicitDeny');
  });

  test('IpAddress: a CIDR range; an address without a prefix is /32', () => {
    expect(decision({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.77' })).toBe('Allow');
    expect(decision({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '198.51.100.1' })).toBe('ImplicitDeny');
    expect(decision({ NotIpAddress: { 'aws:SourceIp': '203.0.113.5' } }, { 'aws:SourceIp': '203.0.113.6' })).toBe('Allow');
  });

  test('Arn operators compare each of the six parts, wildcards included', () => {
    const like = { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:111122223333:trail/*' } };
    expect(decision(like, { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/main' })).toBe('Allow');
    expect(decision(like, { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:444455556666:trail/main' })).toBe('ImplicitDeny');
  });

  test('ForAllValues: every requested attribute must be listed; ForAnyValue: any one listed is enough (the DynamoDB Thread table)', () => {
    const table = 'arn:aws:dynamodb:us-east-1:111122223333:table/Thread';
    const attrs = ['PostDateTime', 'Message', 'Tags'];
    const identity = [doc(allow('dynamodb:GetItem', table, { Condition: { 'ForAllValues:StringLike': { 'dynamodb:Attributes': attrs } } }))];
    const get = (values: string[]) => evaluate(request('dynamodb:GetItem', table, { 'dynamodb:Attributes': values }), { identity }).decision;
    expect(get(['PostDateTime', 'Message'])).toBe('Allow');
    expect(get(['PostDateTime', 'UserName'])).toBe('ImplicitDeny');
    expect(get([])).toBe('Allow'); // an empty set: ForAllValues is true

    const denyPut = [doc(allow('dynamodb:PutItem', table), deny('dynamodb:PutItem', table, { Condition: { 'ForAnyValue:StringLike': { 'dynamodb:Attributes': ['ID', 'PostDateTime'] } } }))];
    const put = (values: string[]) => evaluate(request('dynamodb:PutItem', table, { 'dynamodb:Attributes': values }), { identity: denyPut }).decision;
    expect(put(['UserName', 'Message', 'PostDateTime'])).toBe('ExplicitDeny');
    expect(put(['UserName'])).toBe('Allow');
    expect(put([])).toBe('Allow'); // an empty set: ForAnyValue is false
  });

  test('a set operator over a negated operator: ForAllValues:StringNotLike holds when no value matches any pattern', () => {
    const cond = { 'ForAllValues:StringNotLike': { 'sagemaker:InstanceTypes': ['ml.g5.*', 'ml.p4d.*'] } };
    expect(decision(cond, { 'sagemaker:InstanceTypes': ['ml.m5.xlarge', 'ml.c5.xlarge'] })).toBe('Allow');
    expect(decision(cond, { 'sagemaker:InstanceTypes': ['ml.g5.xlarge', 'ml.m5.xlarge'] })).toBe('ImplicitDeny');
    const any = { 'ForAnyValue:StringNotLike': { 'sagemaker:InstanceTypes': ['ml.g5.*', 'ml.p4d.*'] } };
    expect(decision(any, { 'sagemaker:InstanceTypes': ['ml.g5.xlarge', 'ml.m5.xlarge'] })).toBe('Allow');
    expect(decision(any, { 'sagemaker:InstanceTypes': ['ml.g5.xlarge'] })).toBe('ImplicitDeny');
  });

  test('a multivalued key with a single-valued operator is refused: the policy needs a set operator', () => {
    expect(() => decision({ StringEquals: { 'aws:TagKeys': 'team' } }, { 'aws:TagKeys': ['team'] })).toThrow(/multivalued/);
  });

  test('policy variables: each user reaches only the home folder named after it', () => {
    const identity = [doc(allow('s3:*', [`${BUCKET}/home/\${aws:username}`, `${BUCKET}/home/\${aws:username}/*`]))];
    expect(evaluate(request('s3:GetObject', `${BUCKET}/home/carlos/a`, { 'aws:username': 'carlos' }), { identity }).decision).toBe('Allow');
    expect(evaluate(request('s3:GetObject', `${BUCKET}/home/shirley/a`, { 'aws:username': 'carlos' }), { identity }).decision).toBe('ImplicitDeny');
    expect(evaluate(request('s3:GetObject', `${BUCKET}/home/carlos/a`), { identity }).decision).toBe('ImplicitDeny');
  });

  test('actions match case-insensitively and with wildcards; resources case-sensitively', () => {
    const identity = [doc(allow('S3:get*', `${BUCKET}/*`))];
    expect(evaluate(request('s3:GetObjectVersion', `${BUCKET}/a`), { identity }).decision).toBe('Allow');
    expect(evaluate(request('s3:PutObject', `${BUCKET}/a`), { identity }).decision).toBe('ImplicitDeny');
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::AMZN-S3-DEMO-BUCKET/a'), { identity }).decision).toBe('ImplicitDeny');
  });
});

describe('VPC endpoint policies', () => {
  test('a request through an endpoint needs the endpoint policy\'s allow as well as the identity\'s', () => {
    const endpoint = doc(allow('*', '*', { Principal: '*', Condition: { StringEquals: { 'aws:ResourceAccount': '111122223333' } } }));
    const identity = [doc(allow('s3:PutObject'))];
    expect(evaluate(request('s3:PutObject', `${BUCKET}/a`, { 'aws:ResourceAccount': '111122223333' }), { identity, endpoint }).decision).toBe('Allow');
    expect(evaluate(request('s3:PutObject', 'arn:aws:s3:::exfil/a', { 'aws:ResourceAccount': '444455556666' }), { identity, endpoint }).decision).toBe('ImplicitDeny');
  });
});
