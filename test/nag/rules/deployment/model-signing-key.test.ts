import { ifElse, imported, TemplateFixture, validate, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const signingKey = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::KMS::Key', Properties: { KeyUsage: 'SIGN_VERIFY', KeySpec: 'ECC_NIST_P384', ...properties },
});
const role = (statements: unknown[] = []) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    Policies: statements.length > 0 ? [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: statements } }] : undefined,
  },
});
const SIGN_GRANT = { Effect: 'Allow', Action: 'kms:Sign', Resource: { 'Fn::GetAtt': ['Key', 'Arn'] } };
const pipeline = (roleArn: unknown = { 'Fn::GetAtt': ['Role', 'Arn'] }) => ({
  Type: 'AWS::SageMaker::Pipeline',
  Properties: { PipelineName: 'train', RoleArn: roleArn, PipelineDefinition: { PipelineDefinitionBody: '{"Version":"2020-12-01","Steps":[]}' } },
});
const withPipeline = (resources: Resources): TemplateFixture => ({ Resources: { Pipeline: pipeline(), ...resources } });

describe('P15 model pipelines have a signing key', () => {
  test('compliant: an ECC signing key whose default key policy delegates to IAM, and the pipeline role may kms:Sign', () => {
    const run = validate(withPipeline({ Key: signingKey(), Role: role([SIGN_GRANT]) }));
    expect(verdictOf(run, 'P15', 'Pipeline')).toBe('none');
    expect(run.tally('P15')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('compliant: the key policy names the pipeline role itself', () => {
    const keyPolicy = {
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/admins' }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': ['Role', 'Arn'] } }, Action: ['kms:Sign', 'kms:GetPublicKey'], Resource: '*' },
      ],
    };
    const run = validate(withPipeline({ Key: signingKey({ KeySpec: 'RSA_3072', KeyPolicy: keyPolicy }), Role: role() }));
    expect(verdictOf(run, 'P15', 'Pipeline')).toBe('none');
  });

  test('non-compliant: no key in the app', () => {
    const run = validate(withPipeline({ Role: role() }));
    expect(verdictOf(run, 'P15', 'Pipeline')).toBe('non-compliant');
    const finding = run.of('P15')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-P15', level: 'warning' });
    expect(finding.message).toMatch(/no asymmetric signing key/);
  });

  test('non-compliant: only a symmetric encryption key, or a signing key on a non-NIST curve', () => {
    const symmetric = validate(withPipeline({ Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } }, Role: role([SIGN_GRANT]) }));
    expect(verdictOf(symmetric, 'P15', 'Pipeline')).toBe('non-compliant');
    expect(symmetric.of('P15')[0].message).toMatch(/KMS key Key \(KeyUsage absent, KeySpec absent\)/);
    const secg = validate(withPipeline({ Key: signingKey({ KeySpec: 'ECC_SECG_P256K1' }), Role: role([SIGN_GRANT]) }));
    expect(verdictOf(secg, 'P15', 'Pipeline')).toBe('non-compliant');
    const disabled = validate(withPipeline({ Key: signingKey({ Enabled: false }), Role: role([SIGN_GRANT]) }));
    expect(verdictOf(disabled, 'P15', 'Pipeline')).toBe('non-compliant');
  });

  test('non-compliant: the signing key exists but the pipeline role may not sign with it', () => {
    const run = validate(withPipeline({ Key: signingKey(), Role: role([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }]) }));
    expect(verdictOf(run, 'P15', 'Pipeline')).toBe('non-compliant');
    expect(run.of('P15')[0].message).toMatch(/role Role may not use it/);
  });

  test('non-compliant: an identity grant is not enough when the key policy does not delegate to the account', () => {
    const keyPolicy = { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/admins' }, Action: 'kms:*', Resource: '*' }] };
    const run = validate(withPipeline({ Key: signingKey({ KeyPolicy: keyPolicy }), Role: role([SIGN_GRANT]) }));
    expect(verdictOf(run, 'P15', 'Pipeline')).toBe('non-compliant');
    const delegating = {
      Statement: [{
        Effect: 'Allow',
        Action: 'kms:*',
        Resource: '*',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
      }],
    };
    const ok = validate(withPipeline({ Key: signingKey({ KeyPolicy: delegating }), Role: role([{ ...SIGN_GRANT, Resource: '*' }]) }));
    expect(verdictOf(ok, 'P15', 'Pipeline')).toBe('none');
  });

  test('model package groups need the key only', () => {
    const group = { Type: 'AWS::SageMaker::ModelPackageGroup', Properties: { ModelPackageGroupName: 'fraud' } };
    expect(verdictOf(validate({ Resources: { Group: group, Key: signingKey() } }), 'P15', 'Group')).toBe('none');
    expect(verdictOf(validate({ Resources: { Group: group } }), 'P15', 'Group')).toBe('non-compliant');
  });

  describe('CodeBuild projects', () => {
    const project = (extra: Record<string, unknown> = {}) => ({
      Type: 'AWS::CodeBuild::Project',
      Properties: {
        ServiceRole: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Artifacts: { Type: 'NO_ARTIFACTS' },
        Environment: { Type: 'LINUX_CONTAINER', ComputeType: 'BUILD_GENERAL1_SMALL', Image: 'aws/codebuild/standard:7.0' },
        Source: { Type: 'NO_SOURCE', BuildSpec: 'version: 0.2' },
        ...extra,
      },
    });
    const TRAINING = { Effect: 'Allow', Action: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob'], Resource: '*' };

    test('not applicable: a project that builds no models', () => {
      const run = validate({ Resources: { Build: project(), Role: role([{ Effect: 'Allow', Action: '*', Resource: '*' }]) } });
      expect(verdictOf(run, 'P15', 'Build')).toBe('none');
      expect(run.tally('P15')).toMatchObject({ notApplicable: 1 });
    });

    test('a project whose role trains models needs a signing key or profile', () => {
      const run = validate({ Resources: { Build: project(), Role: role([TRAINING]) } });
      expect(verdictOf(run, 'P15', 'Build')).toBe('non-compliant');
      expect(run.of('P15')[0].message).toMatch(/sagemaker model-building actions/);
      expect(run.of('P15')[0].message).toMatch(/or Notation signing profile/);
    });

    test('a project whose buildspec runs SageMaker is model-building; a Notation profile it may use satisfies it', () => {
      const buildspec = { Source: { Type: 'NO_SOURCE', BuildSpec: 'phases:\n  build:\n    commands:\n      - python -m sagemaker.train' } };
      const profile = { Type: 'AWS::Signer::SigningProfile', Properties: { PlatformId: 'Notation-OCI-SHA384-ECDSA' } };
      const granted = validate({
        Resources: { Build: project(buildspec), Profile: profile, Role: role([{ Effect: 'Allow', Action: 'signer:SignPayload', Resource: '*' }]) },
      });
      expect(verdictOf(granted, 'P15', 'Build')).toBe('none');
      const notGranted = validate({ Resources: { Build: project(buildspec), Profile: profile, Role: role() } });
      expect(verdictOf(notGranted, 'P15', 'Build')).toBe('non-compliant');
      const lambdaProfile = validate({
        Resources: { Build: project(buildspec), Profile: { ...profile, Properties: { PlatformId: 'AWSLambda-SHA384-ECDSA' } }, Role: role() },
      });
      expect(verdictOf(lambdaProfile, 'P15', 'Build')).toBe('non-compliant');
    });
  });

  test('intrinsic: Fn::If on KeyUsage with an encryption branch does not make a signing key', () => {
    const run = validate(withPipeline({ Key: signingKey({ KeyUsage: ifElse('SIGN_VERIFY', 'ENCRYPT_DECRYPT') }), Role: role([SIGN_GRANT]) }));
    expect(verdictOf(run, 'P15', 'Pipeline')).toBe('non-compliant');
  });

  test('intrinsic: KeySpec from a parameter judged by its default and its allowed values', () => {
    const byDefault = validate({
      Parameters: { Spec: { Default: 'ECC_NIST_P256' } },
      Resources: { Pipeline: pipeline(), Key: signingKey({ KeySpec: { Ref: 'Spec' } }), Role: role([SIGN_GRANT]) },
    });
    expect(verdictOf(byDefault, 'P15', 'Pipeline')).toBe('none');
    const allowed = validate({
      Parameters: { Spec: { Default: 'ECC_NIST_P256', AllowedValues: ['ECC_NIST_P256', 'SYMMETRIC_DEFAULT'] } },
      Resources: { Pipeline: pipeline(), Key: signingKey({ KeySpec: { Ref: 'Spec' } }), Role: role([SIGN_GRANT]) },
    });
    expect(verdictOf(allowed, 'P15', 'Pipeline')).toBe('parameter');
  });

  test('unverifiable: the key spec is imported, or the pipeline role is outside the app', () => {
    const spec = validate(withPipeline({ Key: signingKey({ KeySpec: imported('key-spec') }), Role: role([SIGN_GRANT]) }));
    expect(verdictOf(spec, 'P15', 'Pipeline')).toBe('unverifiable');
    expect(spec.of('P15')[0]).toMatchObject({ ruleName: 'SecureAI-P15[unverifiable]', level: 'warning' });
    const outsideRole = validate({ Resources: { Pipeline: pipeline(imported('pipeline-role-arn')), Key: signingKey() } });
    expect(verdictOf(outsideRole, 'P15', 'Pipeline')).toBe('unverifiable');
    expect(outsideRole.of('P15')[0].message).toMatch(/not in the app/);
  });

  test('a finding names at most five of the app\'s keys, however many it holds', () => {
    const keys: Resources = {};
    for (let i = 0; i < 7; i++) keys[`Key${i}`] = signingKey();
    const outsideRole = validate({ Resources: { Pipeline: pipeline(imported('pipeline-role-arn')), ...keys } });
    expect(outsideRole.of('P15').map((f) => f.message)).toEqual([expect.stringContaining('may sign with Key0, Key1, Key2, Key3, Key4 and 2 more cannot')]);
    const noGrant = validate(withPipeline({ Role: role(), ...keys }));
    expect(noGrant.of('P15').map((f) => f.message)).toEqual([expect.stringContaining('signing material (Key0, Key1, Key2, Key3, Key4 and 2 more)')]);
    const encryption: Resources = {};
    for (let i = 0; i < 7; i++) encryption[`Key${i}`] = { Type: 'AWS::KMS::Key', Properties: {} };
    const none = validate(withPipeline({ Role: role(), ...encryption }));
    expect(none.of('P15')[0].message).toContain("(the app's keys: KMS key Key0 (KeyUsage absent, KeySpec absent), KMS key Key1");
    expect(none.of('P15')[0].message).toContain('KMS key Key4 (KeyUsage absent, KeySpec absent) and 2 more)');
  });

  test('unverifiable: the key policy cannot be read', () => {
    const run = validate(withPipeline({ Key: signingKey({ KeyPolicy: imported('policy') }), Role: role() }));
    expect(verdictOf(run, 'P15', 'Pipeline')).toBe('unverifiable');
  });

  test('malformed values never throw', () => {
    const run = validate(withPipeline({
      Key: signingKey({ KeyPolicy: { Statement: ['x', { Effect: 'Allow', Principal: 5, Action: 7 }] }, KeySpec: 12 }),
      Role: { Type: 'AWS::IAM::Role', Properties: { Policies: 'nope', ManagedPolicyArns: [3] } },
    }));
    expect(run.tally('P15').errors).toBe(0);
  });
});
