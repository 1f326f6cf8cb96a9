import { ifElse, imported, NO_VALUE, validate, verdictOf } from '../../harness';

const KEY = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
const BUCKET = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'team-shared-notebooks' } };
const domain = (sharing?: unknown) => ({
  Type: 'AWS::SageMaker::Domain',
  Properties: {
    DomainName: 'team',
    AuthMode: 'IAM',
    VpcId: 'vpc-1',
    SubnetIds: ['subnet-1'],
    DefaultUserSettings: { ExecutionRole: 'arn:aws:iam::111122223333:role/studio', SharingSettings: sharing },
  },
});
const profile = (sharing?: unknown) => ({
  Type: 'AWS::SageMaker::UserProfile',
  Properties: { DomainId: 'd-123', UserProfileName: 'alice', UserSettings: sharing === undefined ? {} : { SharingSettings: sharing } },
});
const allowed = (extra: Record<string, unknown>) => ({ NotebookOutputOption: 'Allowed', ...extra });
const SECURE_ALLOWED = allowed({ S3KmsKeyId: { Ref: 'Key' }, S3OutputPath: { 'Fn::Sub': 's3://${Bucket}/sharing' } });
const run = (resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>) =>
  validate({ Resources: { Key: KEY, Bucket: BUCKET, ...resources } });

describe('P4 Studio notebook sharing', () => {
  test('compliant: sharing settings absent (sharing not allowed) or output Disabled', () => {
    const result = run({ Domain: domain(), Other: domain({ NotebookOutputOption: 'Disabled' }), Third: domain({ S3OutputPath: 's3://x/y' }) });
    expect(result.of('P4')).toEqual([]);
    expect(result.tally('P4')).toMatchObject({ evaluated: 3, compliant: 3 });
  });

  test('compliant: Allowed with a customer-managed key and a bucket of the app (by reference or by name)', () => {
    const result = run({
      Domain: domain(SECURE_ALLOWED),
      Profile: profile(allowed({ S3KmsKeyId: 'arn:aws:kms:eu-west-2:111122223333:key/abc', S3OutputPath: 's3://team-shared-notebooks/alice' })),
    });
    expect(verdictOf(result, 'P4', 'Domain')).toBe('none');
    expect(verdictOf(result, 'P4', 'Profile')).toBe('none');
  });

  test('non-compliant: Allowed without a key, or with an AWS-managed key', () => {
    for (const key of [undefined, 'alias/aws/s3']) {
      const result = run({ Domain: domain(allowed({ S3KmsKeyId: key, S3OutputPath: 's3://team-shared-notebooks/x' })) });
      expect(verdictOf(result, 'P4', 'Domain')).toBe('non-compliant');
      expect(result.of('P4')[0]).toMatchObject({ ruleName: 'SecureAI-P4', level: 'warning', locations: ['Properties.DefaultUserSettings.SharingSettings'] });
      expect(result.of('P4')[0].message).toMatch(/NotebookOutputOption is "Allowed" and DefaultUserSettings\.SharingSettings\.S3KmsKeyId/);
    }
  });

  test('non-compliant: Allowed without an output path, or with a path that is not an S3 URI', () => {
    const noPath = run({ Domain: domain(allowed({ S3KmsKeyId: { Ref: 'Key' } })) });
    expect(verdictOf(noPath, 'P4', 'Domain')).toBe('non-compliant');
    expect(noPath.of('P4')[0].message).toMatch(/S3OutputPath is absent/);
    const notS3 = run({ Domain: domain(allowed({ S3KmsKeyId: { Ref: 'Key' }, S3OutputPath: 'team-shared-notebooks' })) });
    expect(verdictOf(notS3, 'P4', 'Domain')).toBe('non-compliant');
  });

  test('non-compliant on a user profile that overrides the domain', () => {
    const result = run({ Profile: profile(allowed({ S3OutputPath: 's3://team-shared-notebooks/x' })) });
    expect(verdictOf(result, 'P4', 'Profile')).toBe('non-compliant');
    expect(result.of('P4')[0].locations).toEqual(['Properties.UserSettings.SharingSettings']);
  });

  test('not applicable: a user profile without its own sharing settings inherits the domain', () => {
    const result = run({ Profile: profile() });
    expect(verdictOf(result, 'P4', 'Profile')).toBe('none');
    expect(result.tally('P4')).toMatchObject({ notApplicable: 1 });
  });

  test('unverifiable: output path in a bucket outside the app, or imported', () => {
    const outside = run({ Domain: domain(allowed({ S3KmsKeyId: { Ref: 'Key' }, S3OutputPath: 's3://someone-elses-bucket/shared' })) });
    expect(verdictOf(outside, 'P4', 'Domain')).toBe('unverifiable');
    expect(outside.of('P4')[0]).toMatchObject({ ruleName: 'SecureAI-P4[unverifiable]', level: 'warning' });
    expect(outside.of('P4')[0].message).toMatch(/outside the app/);
    const importedPath = run({ Domain: domain(allowed({ S3KmsKeyId: { Ref: 'Key' }, S3OutputPath: imported('shared-path') })) });
    expect(verdictOf(importedPath, 'P4', 'Domain')).toBe('unverifiable');
    const importedOption = run({ Domain: domain({ NotebookOutputOption: imported('option') }) });
    expect(verdictOf(importedOption, 'P4', 'Domain')).toBe('unverifiable');
  });

  test('intrinsic: Fn::If between Disabled and an unencrypted Allowed is a finding', () => {
    const result = run({ Domain: domain(ifElse({ NotebookOutputOption: 'Disabled' }, allowed({ S3OutputPath: 's3://team-shared-notebooks/x' }))) });
    expect(verdictOf(result, 'P4', 'Domain')).toBe('non-compliant');
    expect(result.of('P4')[0].message).toMatch(/possible forms/);
    const keyIf = run({ Domain: domain(allowed({ S3KmsKeyId: ifElse({ Ref: 'Key' }, NO_VALUE), S3OutputPath: 's3://team-shared-notebooks/x' })) });
    expect(verdictOf(keyIf, 'P4', 'Domain')).toBe('non-compliant');
  });

  test('intrinsic: Ref to a parameter judged by its default and allowed values', () => {
    const withParameter = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { Sharing: { Default, AllowedValues } },
      Resources: { Domain: domain({ NotebookOutputOption: { Ref: 'Sharing' } }) },
    });
    expect(verdictOf(withParameter('Disabled'), 'P4', 'Domain')).toBe('none');
    expect(verdictOf(withParameter('Allowed'), 'P4', 'Domain')).toBe('non-compliant');
    expect(withParameter('Allowed').of('P4')[0].message).toMatch(/parameter Sharing/);
    expect(verdictOf(withParameter('Disabled', ['Disabled', 'Allowed']), 'P4', 'Domain')).toBe('parameter');
  });
});
