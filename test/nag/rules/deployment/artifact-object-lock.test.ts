import { ifElse, imported, TemplateFixture, validate, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const LOCKED = {
  ObjectLockEnabled: true,
  ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
};
const MODEL: Resources = {
  Model: {
    Type: 'AWS::SageMaker::Model',
    Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: { ModelDataUrl: { 'Fn::Join': ['', ['s3://', { Ref: 'Bucket' }, '/model.tar.gz']] } } },
  },
};
const artifactBucket = (properties: Record<string, unknown>, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: { ...MODEL, Bucket: { Type: 'AWS::S3::Bucket', Properties: properties } },
});
const retention = (r: unknown) => ({ ObjectLockEnabled: true, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: r } } });

describe('P19 artifact buckets have Object Lock with a default retention', () => {
  test('compliant: Object Lock in compliance mode for a year', () => {
    const run = validate(artifactBucket(LOCKED));
    expect(verdictOf(run, 'P19', 'Bucket')).toBe('none');
    expect(run.tally('P19')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('compliant: governance mode in years, boolean as a string, enum in lower case', () => {
    expect(verdictOf(validate(artifactBucket(retention({ Mode: 'GOVERNANCE', Years: 1 }))), 'P19', 'Bucket')).toBe('none');
    expect(verdictOf(validate(artifactBucket({ ...retention({ Mode: 'compliance', Days: '30' }), ObjectLockEnabled: 'true' })), 'P19', 'Bucket')).toBe('none');
  });

  test('non-compliant: Object Lock absent (CloudFormation default false)', () => {
    const run = validate(artifactBucket({}));
    expect(verdictOf(run, 'P19', 'Bucket')).toBe('non-compliant');
    const finding = run.of('P19')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-P19', level: 'warning' });
    expect(finding.locations).toEqual(['Properties.ObjectLockEnabled', 'Properties.ObjectLockConfiguration.Rule.DefaultRetention']);
    expect(finding.message).toMatch(/ObjectLockEnabled is absent \(CloudFormation default false\)/);
    expect(finding.message).toMatch(/AWS::SageMaker::Model Model reads or writes artifacts in it \(PrimaryContainer.ModelDataUrl\)/);
  });

  test('non-compliant: Object Lock without a default retention, with no period, or with a zero period', () => {
    const noRule = validate(artifactBucket({ ObjectLockEnabled: true }));
    expect(verdictOf(noRule, 'P19', 'Bucket')).toBe('non-compliant');
    expect(noRule.of('P19')[0].message).toMatch(/DefaultRetention is absent/);
    expect(validate(artifactBucket(retention({ Mode: 'COMPLIANCE' }))).of('P19')[0].message).toMatch(/no positive Days or Years/);
    expect(verdictOf(validate(artifactBucket(retention({ Mode: 'COMPLIANCE', Days: 0 }))), 'P19', 'Bucket')).toBe('non-compliant');
    expect(validate(artifactBucket(retention({ Mode: 'LEGAL_HOLD', Days: 10 }))).of('P19')[0].message).toMatch(/Mode "LEGAL_HOLD"/);
    expect(verdictOf(validate(artifactBucket({ ...LOCKED, ObjectLockEnabled: false })), 'P19', 'Bucket')).toBe('non-compliant');
  });

  test('scope: evidence buckets of model packages and tagged buckets apply; data-capture and plain buckets do not', () => {
    const metrics = validate({
      Resources: {
        Evidence: { Type: 'AWS::S3::Bucket' },
        Package: {
          Type: 'AWS::SageMaker::ModelPackage',
          Properties: { ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: { 'Fn::Sub': 's3://${Evidence}/eval/statistics.json' } } } } },
        },
      },
    });
    expect(verdictOf(metrics, 'P19', 'Evidence')).toBe('non-compliant');
    expect(verdictOf(validate({ Resources: { Tagged: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'ai:artifacts', Value: 'true' }] } } } }), 'P19', 'Tagged')).toBe('non-compliant');
    // Every AI store carries ai:asset=true; only artifacts and evidence must be immutable.
    expect(verdictOf(validate({ Resources: { Data: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'ai:asset', Value: 'true' }] } } } }), 'P19', 'Data')).toBe('none');
    const capture = validate({
      Resources: {
        Capture: { Type: 'AWS::S3::Bucket' },
        Plain: { Type: 'AWS::S3::Bucket' },
        Config: {
          Type: 'AWS::SageMaker::EndpointConfig',
          Properties: { ProductionVariants: [], DataCaptureConfig: { DestinationS3Uri: { 'Fn::Sub': 's3://${Capture}/capture' }, InitialSamplingPercentage: 100, CaptureOptions: [] } },
        },
      },
    });
    expect(verdictOf(capture, 'P19', 'Capture')).toBe('none');
    expect(capture.tally('P19')).toMatchObject({ notApplicable: 2 });
  });

  test('intrinsic: Fn::If with Object Lock off in one branch; a period from a parameter', () => {
    const branch = validate(artifactBucket({ ...LOCKED, ObjectLockEnabled: ifElse(true, false) }));
    expect(verdictOf(branch, 'P19', 'Bucket')).toBe('non-compliant');
    expect(branch.of('P19')[0].message).toMatch(/possible forms/);
    expect(verdictOf(validate(artifactBucket(retention({ Mode: 'COMPLIANCE', Days: { Ref: 'Days' } }), { Days: { Type: 'Number', Default: 30 } })), 'P19', 'Bucket')).toBe('none');
    const zero = validate(artifactBucket(retention({ Mode: { Ref: 'Mode' }, Days: 30 }), { Mode: { Default: 'COMPLIANCE', AllowedValues: ['COMPLIANCE', 'NONE'] } }));
    expect(verdictOf(zero, 'P19', 'Bucket')).toBe('parameter');
    expect(zero.of('P19')[0].message).toMatch(/parameter Mode/);
  });

  test('unverifiable: the retention or the lock flag is imported', () => {
    const days = validate(artifactBucket(retention({ Mode: 'COMPLIANCE', Days: imported('retention-days') })));
    expect(verdictOf(days, 'P19', 'Bucket')).toBe('unverifiable');
    expect(days.of('P19')[0]).toMatchObject({ ruleName: 'SecureAI-P19[unverifiable]', level: 'warning' });
    expect(verdictOf(validate(artifactBucket({ ...LOCKED, ObjectLockEnabled: imported('lock') })), 'P19', 'Bucket')).toBe('unverifiable');
  });

  test('malformed values never throw', () => {
    const run = validate(artifactBucket({ ObjectLockEnabled: [1], ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 5, Days: {}, Years: 'x' } } } }));
    expect(run.tally('P19').errors).toBe(0);
    expect(verdictOf(run, 'P19', 'Bucket')).toBe('non-compliant');
  });
});
