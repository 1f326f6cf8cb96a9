import { App, aws_bedrock as bedrock, aws_iam as iam, aws_s3 as s3, CfnParameter, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const BUCKET_ARN = { 'Fn::GetAtt': ['Docs', 'Arn'] };
const source = (s3Configuration: Record<string, unknown>, type: unknown = 'S3') => ({
  Type: 'AWS::Bedrock::DataSource',
  Properties: { Name: 's', KnowledgeBaseId: { Ref: 'Kb' }, DataSourceConfiguration: { Type: type, S3Configuration: s3Configuration } },
});
const statement = (resource: unknown, action: unknown = ['s3:GetObject', 's3:ListBucket']) => ({ Effect: 'Allow', Action: action, Resource: resource });
const role = (...statements: unknown[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: { AssumeRolePolicyDocument: {}, Policies: [{ PolicyName: 'kb', PolicyDocument: { Version: '2012-10-17', Statement: statements } }] },
});
const SCOPED = statement([BUCKET_ARN, { 'Fn::Join': ['', [BUCKET_ARN, '/policies/*']] }]);
const app = (resources: Resources = {}, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: {
    Docs: { Type: 'AWS::S3::Bucket', Properties: {} },
    Kb: { Type: 'AWS::Bedrock::KnowledgeBase', Properties: { Name: 'kb', RoleArn: { 'Fn::GetAtt': ['KbRole', 'Arn'] } } },
    KbRole: role(SCOPED),
    Source: source({ BucketArn: BUCKET_ARN, InclusionPrefixes: ['policies/'] }),
    ...resources,
  },
});

describe('V15 knowledge bases read only named prefixes of buckets the account owns', () => {
  test('compliant: prefixes set, a bucket of the app, a role limited to the prefix', () => {
    const run = validate(app());
    expect(run.of('V15')).toHaveLength(0);
    expect(run.tally('V15')).toMatchObject({ evaluated: 2, compliant: 2 });
  });

  test('non-compliant data sources: no inclusion prefixes; a bucket outside the app without an owner; another account\'s bucket', () => {
    const whole = validate(app({ Source: source({ BucketArn: BUCKET_ARN }) }));
    expect(whole.of('V15').find((f) => f.logicalId === 'Source')).toMatchObject({
      ruleName: 'SecureAI-V15',
      level: 'warning',
      locations: ['Properties.DataSourceConfiguration.S3Configuration.InclusionPrefixes'],
    });
    expect(verdictOf(validate(app({ Source: source({ BucketArn: BUCKET_ARN, InclusionPrefixes: [] }) })), 'V15', 'Source')).toBe('non-compliant');
    const outside = validate(app({ Source: source({ BucketArn: 'arn:aws:s3:::shared-docs', InclusionPrefixes: ['p/'] }) }));
    expect(outside.of('V15').find((f) => f.logicalId === 'Source')?.message).toMatch(/a bucket that is not in the app, and .*BucketOwnerAccountId is absent/);
    const own = validate(app({ Source: source({ BucketArn: 'arn:aws:s3:::shared-docs', InclusionPrefixes: ['p/'], BucketOwnerAccountId: { Ref: 'AWS::AccountId' } }) }));
    expect(verdictOf(own, 'V15', 'Source')).toBe('none');
    const other = () => {
      const cdkApp = new App();
      const stack = new Stack(cdkApp, 'S', { env: { account: '111122223333', region: 'eu-west-1' } });
      new bedrock.CfnDataSource(stack, 'Source', {
        name: 's',
        knowledgeBaseId: 'kb-1',
        dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::vendor-docs', inclusionPrefixes: ['p/'], bucketOwnerAccountId: '999988887777' } },
      });
      return new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V15');
    };
    expect(other()[0].message).toMatch(/is "999988887777", not the stack's account/);
  });

  test('non-compliant roles: the whole bucket, every bucket, another bucket, NotResource, an AWS managed S3 policy', () => {
    const roleWith = (...statements: unknown[]) => validate(app({ KbRole: role(...statements) })).of('V15').find((f) => f.logicalId === 'Kb')?.message;
    expect(roleWith(statement([BUCKET_ARN, { 'Fn::Join': ['', [BUCKET_ARN, '/*']] }]))).toMatch(/reads beyond its data sources \(Docs\/\{policies\/\}\*\).*allows s3:GetObject on Docs\/\*/);
    expect(roleWith(statement('*', 's3:*'))).toMatch(/allows s3:GetObject on "\*"/);
    expect(roleWith(SCOPED, statement('arn:aws:s3:::finance-data/*'))).toMatch(/finance-data\/\*/);
    expect(roleWith(statement('arn:aws:s3:::*'))).toMatch(/s3:GetObject on "arn:aws:s3:::\*"/);
    expect(roleWith({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' })).toMatch(/NotResource/);
    expect(roleWith(statement({ 'Fn::Join': ['', [BUCKET_ARN, '/pol*']] }))).toMatch(/Docs\/pol\*/);
    const managed = validate(app({ KbRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {}, ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'] } } }));
    expect(verdictOf(managed, 'V15', 'Kb')).toBe('non-compliant');
    expect(roleWith(SCOPED, statement('*', ['bedrock:InvokeModel']))).toBeUndefined();
  });

  test('not applicable: other data source types; knowledge bases without S3 data sources in the app', () => {
    const web = validate(app({ Source: source({}, 'WEB') }));
    expect(web.tally('V15')).toMatchObject({ notApplicable: 2 });
  });

  test('intrinsic: Fn::If with empty prefixes; prefixes from a parameter; owner from a parameter with another account allowed', () => {
    expect(verdictOf(validate(app({ Source: source({ BucketArn: BUCKET_ARN, InclusionPrefixes: ifElse(['policies/'], []) }) })), 'V15', 'Source')).toBe('non-compliant');
    const owner = (p: NonNullable<TemplateFixture['Parameters']>[string]) => {
      const cdkApp = new App();
      const stack = new Stack(cdkApp, 'S', { env: { account: '111122223333', region: 'eu-west-1' } });
      const param = new CfnParameter(stack, 'Owner', { type: 'String', default: p.Default as string, allowedValues: p.AllowedValues as string[] | undefined });
      new bedrock.CfnDataSource(stack, 'Source', {
        name: 's',
        knowledgeBaseId: 'kb-1',
        dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::docs', inclusionPrefixes: ['p/'], bucketOwnerAccountId: param.valueAsString } },
      });
      return new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V15');
    };
    expect(owner({ Default: '111122223333' })).toHaveLength(0);
    expect(owner({ Default: '111122223333', AllowedValues: ['111122223333', '999988887777'] })[0].message).toMatch(/parameter Owner|999988887777/);
  });

  test('unverifiable: an imported bucket without an owner; a role outside the app; an imported policy document', () => {
    const bucket = validate(app({ Source: source({ BucketArn: imported('docs-bucket-arn'), InclusionPrefixes: ['p/'] }) }));
    expect(verdictOf(bucket, 'V15', 'Source')).toBe('unverifiable');
    expect(bucket.of('V15').find((f) => f.logicalId === 'Source')?.ruleName).toBe('SecureAI-V15[unverifiable]');
    const externalRole = validate(app({ Kb: { Type: 'AWS::Bedrock::KnowledgeBase', Properties: { Name: 'kb', RoleArn: 'arn:aws:iam::111122223333:role/kb' } } }));
    expect(verdictOf(externalRole, 'V15', 'Kb')).toBe('unverifiable');
    const doc = validate(app({ KbRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {}, Policies: [{ PolicyName: 'kb', PolicyDocument: imported('doc') }] } } }));
    expect(verdictOf(doc, 'V15', 'Kb')).toBe('unverifiable');
  });

  test('real CDK output: bucket.grantRead(role) (whole bucket) versus grantRead(role, prefix)', () => {
    const render = (prefix?: string) => {
      const cdkApp = new App();
      const stack = new Stack(cdkApp, 'S');
      const docs = new s3.Bucket(stack, 'Docs');
      const kbRole = new iam.Role(stack, 'KbRole', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
      docs.grantRead(kbRole, prefix);
      const kb = new bedrock.CfnKnowledgeBase(stack, 'Kb', {
        name: 'kb',
        roleArn: kbRole.roleArn,
        knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'arn:aws:bedrock:eu-west-1::foundation-model/amazon.titan-embed-text-v2:0' } },
      });
      new bedrock.CfnDataSource(stack, 'Source', {
        name: 's',
        knowledgeBaseId: kb.attrKnowledgeBaseId,
        dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: docs.bucketArn, inclusionPrefixes: ['policies/'] } },
      });
      return new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V15');
    };
    expect(render('policies/*')).toHaveLength(0);
    const whole = render();
    expect(whole.map((f) => f.resourceType)).toEqual(['AWS::Bedrock::KnowledgeBase']);
  });

  test('malformed values never throw', () => {
    const run = validate(app({ Source: source({ BucketArn: 4, InclusionPrefixes: 'x' }), KbRole: role({ Effect: 'Allow', Action: 's3:GetObject', Resource: [5, { a: 1 }] }) }));
    expect(run.tally('V15').errors).toBe(0);
  });
});
