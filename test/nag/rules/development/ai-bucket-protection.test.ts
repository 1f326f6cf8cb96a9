import { App, aws_kms as kms, aws_s3 as s3, aws_sagemaker as sagemaker, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const KEY = { 'Fn::GetAtt': ['Key', 'Arn'] };
const ENCRYPTED = { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY } }] };
const BLOCKED = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
const TLS_DENY = {
  Sid: 'DenyInsecure',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 's3:*',
  Resource: [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/*']] }],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
const policy = (...statements: unknown[]) => ({
  Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'Bucket' }, PolicyDocument: { Version: '2012-10-17', Statement: statements } },
});
const app = (bucket: Record<string, unknown>, resources: Resources = {}, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: {
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: ENCRYPTED, PublicAccessBlockConfiguration: BLOCKED, ...bucket } },
    Policy: policy(TLS_DENY),
    Capture: {
      Type: 'AWS::SageMaker::EndpointConfig',
      Properties: { ProductionVariants: [], DataCaptureConfig: { DestinationS3Uri: { 'Fn::Sub': 's3://${Bucket}/capture' } } },
    },
    ...resources,
  },
});

describe('V7 AI-asset buckets: customer-managed key, public access blocked, TLS required', () => {
  test('compliant: KMS with a key of the app, all four flags, a TLS deny statement', () => {
    const run = validate(app({}));
    expect(verdictOf(run, 'V7', 'Bucket')).toBe('none');
    expect(run.tally('V7')).toMatchObject({ evaluated: 2, compliant: 1, notApplicable: 1 }); // the bucket, and the AI resource using it
    expect(verdictOf(validate(app({ BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse', KMSMasterKeyID: KEY } }] } })), 'V7', 'Bucket')).toBe('none');
  });

  test('not applicable: buckets that hold no AI assets', () => {
    expect(validate({ Resources: { Other: { Type: 'AWS::S3::Bucket', Properties: {} } } }).tally('V7')).toMatchObject({ notApplicable: 1 });
  });

  test('non-compliant: encryption absent (SSE-S3), AES256, aws:kms without a key (aws/s3) or with an AWS-managed alias', () => {
    const absent = validate(app({ BucketEncryption: undefined }));
    expect(absent.of('V7')[0]).toMatchObject({ ruleName: 'SecureAI-V7', level: 'error', locations: ['Properties.BucketEncryption'] });
    expect(absent.of('V7')[0].message).toMatch(/BucketEncryption is absent.*SSE-S3.*the bucket holds AI assets: referenced by AWS::SageMaker::EndpointConfig Capture/);
    const sse = (d: Record<string, unknown>) => validate(app({ BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: d }] } })).of('V7')[0]?.message;
    expect(sse({ SSEAlgorithm: 'AES256' })).toMatch(/SSEAlgorithm is "AES256"/);
    expect(sse({ SSEAlgorithm: 'aws:kms' })).toMatch(/KMSMasterKeyID is absent, so S3 uses the AWS-managed aws\/s3 key/);
    expect(sse({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/aws/s3' })).toMatch(/an AWS-managed key/);
  });

  test('non-compliant: public access block absent, or any flag not true', () => {
    // Absent, the block is S3's default for new buckets: the finding is that the template does not declare it, not that
    // an ACL or policy alone could publish the assets.
    const absent = validate(app({ PublicAccessBlockConfiguration: undefined })).of('V7')[0].message;
    expect(absent).toMatch(/PublicAccessBlockConfiguration is absent: the bucket has S3's default for new buckets \(public access blocked\), which the template does not declare/);
    expect(absent).toMatch(/neither undone by a stack update nor reported as drift/);
    expect(absent).not.toMatch(/nothing in the template stops/);
    const partial = validate(app({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: 'true', IgnorePublicAcls: false } }));
    expect(partial.of('V7')[0].message).toMatch(/PublicAccessBlockConfiguration.IgnorePublicAcls, RestrictPublicBuckets are not true/);
  });

  test('non-compliant, worded by what is: "is public" where an ACL or policy makes it so, "can" only where it would take one', () => {
    const unblocked = { PublicAccessBlockConfiguration: Object.fromEntries(Object.keys(BLOCKED).map((flag) => [flag, false])) };
    const acl = validate(app({ ...unblocked, AccessControl: 'PublicRead' })).of('V7')[0].message;
    expect(acl).toMatch(/AccessControl "PublicRead" makes the bucket public/);
    expect(acl).not.toMatch(/can make/);
    const absentBlock = validate(app({ PublicAccessBlockConfiguration: undefined, AccessControl: 'PublicReadWrite' })).of('V7')[0].message;
    expect(absentBlock).toMatch(/PublicAccessBlockConfiguration is absent, and AccessControl "PublicReadWrite" makes the bucket public: unless S3's default block/);
    const everyone = { Sid: 'Website', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
    const open = validate(app(unblocked, { Policy: policy(TLS_DENY, everyone) })).of('V7')[0].message;
    expect(open).toMatch(/bucket policy Policy allows every principal s3:GetObject without a condition, which makes the bucket public/);
    // A condition (a VPC endpoint) or a block flag that neutralises the grant leaves it conditional.
    const fromEndpoint = { ...everyone, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } };
    const conditioned = validate(app(unblocked, { Policy: policy(TLS_DENY, fromEndpoint) })).of('V7')[0].message;
    expect(conditioned).toMatch(/an ACL or bucket policy can make AI assets public/);
    const ignored = validate(app({ PublicAccessBlockConfiguration: { ...BLOCKED, BlockPublicAcls: false }, AccessControl: 'PublicRead' })).of('V7')[0].message;
    expect(ignored).toMatch(/BlockPublicAcls is not true: an ACL or bucket policy can make AI assets public/);
    // Fn::If: an ACL public in one form only can make it public.
    const either = validate(app({ ...unblocked, AccessControl: ifElse('Private', 'PublicRead') })).of('V7')[0].message;
    expect(either).toMatch(/can make AI assets public/);
  });

  test('non-compliant: no bucket policy, or one without a TLS deny', () => {
    const none = validate(app({}, { Policy: { Type: 'AWS::SNS::Topic', Properties: {} } }));
    expect(none.of('V7')[0].message).toMatch(/no AWS::S3::BucketPolicy of the app applies to the bucket/);
    const allowOnly = validate(app({}, { Policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: '*' }) }));
    expect(allowOnly.of('V7')[0].message).toMatch(/bucket policy Policy has no Deny statement/);
    const wrongValue = validate(app({}, { Policy: policy({ ...TLS_DENY, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }) }));
    expect(verdictOf(wrongValue, 'V7', 'Bucket')).toBe('non-compliant');
    const byName = validate(app({ BucketName: 'models-prod' }, { Policy: { ...policy(TLS_DENY), Properties: { Bucket: 'models-prod', PolicyDocument: JSON.stringify({ Statement: [{ ...TLS_DENY, Resource: 'arn:aws:s3:::models-prod/*' }] }) } } }));
    expect(verdictOf(byName, 'V7', 'Bucket')).toBe('none');
  });

  test('intrinsic: Fn::If with an AES256 branch; a public-access flag from a parameter with an insecure allowed value', () => {
    const branch = validate(app({ BucketEncryption: ifElse(ENCRYPTED, { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] }) }));
    expect(verdictOf(branch, 'V7', 'Bucket')).toBe('non-compliant');
    expect(verdictOf(validate(app({ PublicAccessBlockConfiguration: ifElse(BLOCKED, NO_VALUE) })), 'V7', 'Bucket')).toBe('non-compliant');
    const param = validate(app({ PublicAccessBlockConfiguration: { ...BLOCKED, BlockPublicPolicy: { Ref: 'Block' } } }, {}, { Block: { Default: 'true', AllowedValues: ['true', 'false'] } }));
    expect(param.of('V7')[0].message).toMatch(/parameter Block/);
  });

  test('unverifiable: an imported policy document, or a policy whose bucket is imported; an imported key is set', () => {
    const doc = validate(app({}, { Policy: { ...policy(), Properties: { Bucket: { Ref: 'Bucket' }, PolicyDocument: imported('doc') } } }));
    expect(verdictOf(doc, 'V7', 'Bucket')).toBe('unverifiable');
    expect(doc.of('V7')[0].ruleName).toBe('SecureAI-V7[unverifiable]');
    const target = validate(app({}, { Policy: { ...policy(TLS_DENY), Properties: { Bucket: imported('bucket'), PolicyDocument: { Statement: [TLS_DENY] } } } }));
    expect(verdictOf(target, 'V7', 'Bucket')).toBe('unverifiable');
    const key = validate(app({ BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: imported('key') } }] } }));
    expect(verdictOf(key, 'V7', 'Bucket')).toBe('none');
  });

  test('a finding names at most five of the policies whose bucket is imported, however many the app holds', () => {
    const imports: Resources = {};
    for (let i = 0; i < 7; i++) imports[`Imported${i}`] = { ...policy(TLS_DENY), Properties: { Bucket: imported(`bucket${i}`), PolicyDocument: { Statement: [TLS_DENY] } } };
    const run = validate(app({}, { Policy: { Type: 'AWS::SQS::Queue' }, ...imports }));
    expect(run.of('V7').map((f) => f.message)).toEqual([
      expect.stringContaining('the Bucket of Imported0, Imported1, Imported2, Imported3, Imported4 and 2 more cannot be read at synth time'),
    ]);
  });

  test('real CDK output: s3.Bucket with KMS, BLOCK_ALL and enforceSSL passes; defaults fail', () => {
    const render = (secure: boolean) => {
      const cdkApp = new App();
      const stack = new Stack(cdkApp, 'S');
      const bucket = secure
        ? new s3.Bucket(stack, 'Artifacts', { encryptionKey: new kms.Key(stack, 'Key'), blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, enforceSSL: true })
        : new s3.Bucket(stack, 'Artifacts');
      new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: 'arn:aws:iam::111122223333:role/x', primaryContainer: { image: 'x', modelDataUrl: bucket.s3UrlForObject('m.tar.gz') } });
      return new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V7');
    };
    expect(render(true)).toHaveLength(0);
    const insecure = render(false);
    expect(insecure).toHaveLength(1);
    expect(insecure[0].message).toMatch(/BucketEncryption.*PublicAccessBlockConfiguration|PublicAccessBlockConfiguration.*BucketEncryption|no AWS::S3::BucketPolicy/);
  });

  test('malformed values never throw', () => {
    const run = validate(app({ BucketEncryption: { ServerSideEncryptionConfiguration: ['x', { ServerSideEncryptionByDefault: 3 }] }, PublicAccessBlockConfiguration: [1] },
      { Policy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: 5, PolicyDocument: 'not json' } } }));
    expect(run.tally('V7').errors).toBe(0);
  });
});

describe('V7 from the AI resource side: a bucket outside the app cannot be seen', () => {
  const captureTo = (uri: unknown) => ({
    Type: 'AWS::SageMaker::EndpointConfig',
    Properties: {
      ProductionVariants: [{ VariantName: 'v', ModelName: 'm', InstanceType: 'ml.m5.large', InitialInstanceCount: 2 }],
      DataCaptureConfig: { EnableCapture: true, InitialSamplingPercentage: 100, DestinationS3Uri: uri, CaptureOptions: [{ CaptureMode: 'Input' }] },
    },
  });

  test('acceptance: the bucket behind an imported data-capture URI is unverifiable, not a pass and not an error', () => {
    const run = validate({ Resources: { Config: captureTo(imported('capture-bucket-uri')) } });
    expect(verdictOf(run, 'V7', 'Config')).toBe('unverifiable');
    expect(run.of('V7')[0]).toMatchObject({ ruleName: 'SecureAI-V7[unverifiable]', level: 'warning', locations: ['Properties.DataCaptureConfig.DestinationS3Uri'] });
    expect(run.of('V7')[0].message).toMatch(/imported value capture-bucket-uri.*not in the app/);
  });

  test('a literal URI of a bucket the app does not hold is unverifiable; an Fn::If with one such branch too', () => {
    expect(verdictOf(validate({ Resources: { Config: captureTo('s3://partner-capture/x') } }), 'V7', 'Config')).toBe('unverifiable');
    const run = validate({
      Resources: { Bucket: { Type: 'AWS::S3::Bucket' }, Config: captureTo(ifElse({ 'Fn::Sub': 's3://${Bucket}/c' }, 's3://partner-capture/x')) },
    });
    expect(verdictOf(run, 'V7', 'Config')).toBe('unverifiable');
  });

  test('a bucket of the app is judged on its own, not through the resource that uses it', () => {
    const run = validate({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' }, Config: captureTo({ 'Fn::Sub': 's3://${Bucket}/capture' }) } });
    expect(verdictOf(run, 'V7', 'Config')).toBe('none');
    expect(verdictOf(run, 'V7', 'Bucket')).toBe('non-compliant');
  });

  test('CDK file assets and allow-listed artifact buckets are accounted for', () => {
    const model = (url: string) => ({ Type: 'AWS::SageMaker::Model', Properties: { PrimaryContainer: { Image: 'i', ModelDataUrl: url } } });
    const run = validate({
      Resources: {
        Asset: model('s3://cdk-hnb659fds-assets-111122223333-us-east-1/abc.tar.gz'),
        Vetted: model('s3://models-prod-111122223333/fraud/model.tar.gz'),
        Other: model('https://s3.us-east-1.amazonaws.com/unknown-models/model.tar.gz'),
      },
    }, { allowedArtifactBuckets: ['models-prod-111122223333'] });
    expect(['Asset', 'Vetted', 'Other'].map((id) => verdictOf(run, 'V7', id))).toEqual(['none', 'none', 'unverifiable']);
  });
});
