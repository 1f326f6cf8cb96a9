import { ifElse, imported, NO_VALUE, TemplateFixture, validate, verdictOf } from '../../harness';

/** A key used by an endpoint configuration: an AI-asset key. */
const aiKey = (properties: Record<string, unknown>, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: {
    Key: { Type: 'AWS::KMS::Key', Properties: properties },
    Config: {
      Type: 'AWS::SageMaker::EndpointConfig',
      Properties: { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] }, ProductionVariants: [{ VariantName: 'v', ModelName: 'm', InitialInstanceCount: 2, InstanceType: 'ml.m5.xlarge' }] },
    },
  },
});
const ROTATING = { EnableKeyRotation: true };
const policy = (...statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });
const ROOT = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };

describe('P16 key management of AI-asset keys', () => {
  test('compliant: rotation on, account-scoped policy, default pending window', () => {
    const run = validate(aiKey({ ...ROTATING, KeyPolicy: policy(ROOT) }));
    expect(verdictOf(run, 'P16', 'Key')).toBe('none');
    expect(run.tally('P16')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('not applicable: a key no AI resource or AI asset uses', () => {
    const run = validate({ Resources: { Key: { Type: 'AWS::KMS::Key', Properties: {} } } });
    expect(verdictOf(run, 'P16', 'Key')).toBe('none');
    expect(run.tally('P16')).toMatchObject({ notApplicable: 1 });
  });

  test('scope: a key that encrypts the bucket behind a model artifact, and a key tagged ai:asset=true', () => {
    const viaBucket = validate({
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: {} },
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] } } }] } },
        },
        Model: {
          Type: 'AWS::SageMaker::Model',
          Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: { ModelDataUrl: { 'Fn::Join': ['', ['s3://', { Ref: 'Bucket' }, '/model.tar.gz']] } } },
        },
      },
    });
    expect(verdictOf(viaBucket, 'P16', 'Key')).toBe('non-compliant');
    expect(viaBucket.of('P16')[0].message).toMatch(/it encrypts AWS::S3::Bucket Bucket, referenced by AWS::SageMaker::Model Model/);
    const tagged = validate({ Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { Tags: [{ Key: 'ai:asset', Value: 'true' }] } } } });
    expect(verdictOf(tagged, 'P16', 'Key')).toBe('non-compliant');
  });

  test('non-compliant: rotation absent (CloudFormation default false) or off', () => {
    const absent = validate(aiKey({}));
    expect(verdictOf(absent, 'P16', 'Key')).toBe('non-compliant');
    const finding = absent.of('P16')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-P16', level: 'error', locations: ['Properties.EnableKeyRotation'] });
    expect(finding.message).toMatch(/EnableKeyRotation is absent \(CloudFormation default false\)/);
    expect(verdictOf(validate(aiKey({ EnableKeyRotation: 'false' })), 'P16', 'Key')).toBe('non-compliant');
    expect(verdictOf(validate(aiKey({ EnableKeyRotation: true, KeySpec: 'SYMMETRIC_DEFAULT' })), 'P16', 'Key')).toBe('none');
  });

  test('non-compliant: a rotation period longer than a year', () => {
    const run = validate(aiKey({ ...ROTATING, RotationPeriodInDays: 730 }));
    expect(verdictOf(run, 'P16', 'Key')).toBe('non-compliant');
    expect(run.of('P16')[0].message).toMatch(/RotationPeriodInDays is 730/);
    expect(verdictOf(validate(aiKey({ ...ROTATING, RotationPeriodInDays: 90 })), 'P16', 'Key')).toBe('none');
  });

  test('asymmetric and HMAC keys cannot rotate and are not asked to', () => {
    expect(verdictOf(validate(aiKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })), 'P16', 'Key')).toBe('none');
    expect(verdictOf(validate(aiKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })), 'P16', 'Key')).toBe('none');
  });

  test('non-compliant: statements open to every principal without a condition', () => {
    for (const open of [
      { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
      { Sid: 'Everyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:role/a', '*'] }, Action: 'kms:Encrypt', Resource: '*', Condition: {} },
      { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/a' }, Action: 'kms:*', Resource: '*' },
    ]) {
      const run = validate(aiKey({ ...ROTATING, KeyPolicy: policy(ROOT, open) }));
      expect(verdictOf(run, 'P16', 'Key')).toBe('non-compliant');
      expect(run.of('P16')[0].message).toMatch(/allows Principal "\*" without a Condition/);
    }
    const named = validate(aiKey({ ...ROTATING, KeyPolicy: policy(ROOT, { Sid: 'Everyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }) }));
    expect(named.of('P16')[0].message).toMatch(/statement Everyone/);
  });

  test('compliant: a wildcard principal with a condition, a wildcard Deny, and a policy written as a JSON string', () => {
    const conditioned = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } };
    const deny = { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    expect(verdictOf(validate(aiKey({ ...ROTATING, KeyPolicy: policy(ROOT, conditioned, deny) })), 'P16', 'Key')).toBe('none');
    const asString = JSON.stringify(policy(ROOT, { Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }));
    expect(verdictOf(validate(aiKey({ ...ROTATING, KeyPolicy: asString })), 'P16', 'Key')).toBe('non-compliant');
  });

  test('non-compliant: a pending window shorter than 30 days', () => {
    const run = validate(aiKey({ ...ROTATING, PendingWindowInDays: 7 }));
    expect(verdictOf(run, 'P16', 'Key')).toBe('non-compliant');
    expect(run.of('P16')[0].message).toMatch(/PendingWindowInDays is 7/);
    expect(verdictOf(validate(aiKey({ ...ROTATING, PendingWindowInDays: 30 })), 'P16', 'Key')).toBe('none');
  });

  test('intrinsic: Fn::If with rotation off in one branch, or an open statement in one branch', () => {
    expect(verdictOf(validate(aiKey({ EnableKeyRotation: ifElse(true, false) })), 'P16', 'Key')).toBe('non-compliant');
    expect(verdictOf(validate(aiKey({ EnableKeyRotation: ifElse(true, NO_VALUE) })), 'P16', 'Key')).toBe('non-compliant');
    const openBranch = ifElse(policy(ROOT), policy(ROOT, { Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }));
    const run = validate(aiKey({ ...ROTATING, KeyPolicy: openBranch }));
    expect(verdictOf(run, 'P16', 'Key')).toBe('non-compliant');
    expect(run.of('P16')[0].message).toMatch(/possible forms/);
  });

  test('intrinsic: Ref to a parameter judged by its default and its allowed values', () => {
    expect(verdictOf(validate(aiKey({ EnableKeyRotation: { Ref: 'Rotate' } }, { Rotate: { Default: 'true' } })), 'P16', 'Key')).toBe('none');
    const allowed = validate(aiKey({ EnableKeyRotation: { Ref: 'Rotate' } }, { Rotate: { Default: 'true', AllowedValues: ['true', 'false'] } }));
    expect(verdictOf(allowed, 'P16', 'Key')).toBe('parameter');
    expect(allowed.of('P16')[0].message).toMatch(/parameter Rotate/);
    const window = validate(aiKey({ ...ROTATING, PendingWindowInDays: { Ref: 'Window' } }, { Window: { Type: 'Number', Default: 10 } }));
    expect(verdictOf(window, 'P16', 'Key')).toBe('non-compliant');
  });

  test('unverifiable: an imported key policy or rotation flag; a key spec not known while rotation is off', () => {
    const policyImported = validate(aiKey({ ...ROTATING, KeyPolicy: imported('key-policy') }));
    expect(verdictOf(policyImported, 'P16', 'Key')).toBe('unverifiable');
    expect(policyImported.of('P16')[0]).toMatchObject({ ruleName: 'SecureAI-P16[unverifiable]', level: 'warning' });
    expect(verdictOf(validate(aiKey({ EnableKeyRotation: imported('rotate') })), 'P16', 'Key')).toBe('unverifiable');
    expect(verdictOf(validate(aiKey({ KeySpec: imported('spec') })), 'P16', 'Key')).toBe('unverifiable');
    expect(verdictOf(validate(aiKey({ KeySpec: imported('spec'), EnableKeyRotation: true })), 'P16', 'Key')).toBe('none');
  });

  test('malformed values never throw', () => {
    const run = validate(aiKey({ KeyPolicy: { Statement: [1, null, { Effect: 7, Principal: { AWS: 5 } }] }, RotationPeriodInDays: 'soon' }));
    expect(run.tally('P16').errors).toBe(0);
    // Rotation is off (non-compliant) and outweighs the unreadable statements (unverifiable).
    expect(verdictOf(run, 'P16', 'Key')).toBe('non-compliant');
    const odd = validate(aiKey({ KeySpec: [], KeyPolicy: 'not json', PendingWindowInDays: {} }));
    expect(odd.tally('P16').errors).toBe(0);
  });
});
