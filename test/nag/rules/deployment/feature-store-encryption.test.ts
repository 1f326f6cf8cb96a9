import { ifElse, imported, NO_VALUE, validate, verdictOf } from '../../harness';

const KEY = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
const KEY_REF = { 'Fn::GetAtt': ['Key', 'Arn'] };
const online = (extra: Record<string, unknown> = {}) => ({ EnableOnlineStore: true, SecurityConfig: { KmsKeyId: KEY_REF }, ...extra });
const offline = (extra: Record<string, unknown> = {}) => ({ S3StorageConfig: { S3Uri: 's3://features/', KmsKeyId: KEY_REF, ...extra } });
const group = (stores: Record<string, unknown>) => ({
  Type: 'AWS::SageMaker::FeatureGroup',
  Properties: {
    FeatureGroupName: 'customers',
    RecordIdentifierFeatureName: 'id',
    EventTimeFeatureName: 't',
    FeatureDefinitions: [{ FeatureName: 'id', FeatureType: 'String' }, { FeatureName: 't', FeatureType: 'String' }],
    ...stores,
  },
});
const run = (stores: Record<string, unknown>) => validate({ Resources: { Key: KEY, Group: group(stores) } });

describe('P10 feature store encryption', () => {
  test('compliant: both stores with customer-managed keys', () => {
    const result = run({ OnlineStoreConfig: online(), OfflineStoreConfig: offline() });
    expect(verdictOf(result, 'P10', 'Group')).toBe('none');
    expect(result.tally('P10')).toMatchObject({ compliant: 1 });
  });

  test('non-compliant: online store enabled without a key', () => {
    for (const flag of [true, 'true']) {
      const result = run({ OnlineStoreConfig: { EnableOnlineStore: flag } });
      expect(verdictOf(result, 'P10', 'Group')).toBe('non-compliant');
      expect(result.of('P10')[0]).toMatchObject({ ruleName: 'SecureAI-P10', level: 'warning', locations: ['Properties.OnlineStoreConfig.SecurityConfig.KmsKeyId'] });
      expect(result.of('P10')[0].message).toMatch(/OnlineStoreConfig\.SecurityConfig\.KmsKeyId is absent: the online store/);
    }
  });

  test('non-compliant: offline store without a key or with an AWS-managed key', () => {
    for (const key of [undefined, 'alias/aws/s3']) {
      const result = run({ OfflineStoreConfig: offline({ KmsKeyId: key }) });
      expect(verdictOf(result, 'P10', 'Group')).toBe('non-compliant');
      expect(result.of('P10')[0].locations).toEqual(['Properties.OfflineStoreConfig.S3StorageConfig.KmsKeyId']);
    }
  });

  test('not applicable: online store switched off (or EnableOnlineStore absent: default false) and no offline store', () => {
    for (const config of [{ EnableOnlineStore: false }, { EnableOnlineStore: 'false' }, {}]) {
      const result = run({ OnlineStoreConfig: config });
      expect(verdictOf(result, 'P10', 'Group')).toBe('none');
      expect(result.tally('P10')).toMatchObject({ notApplicable: 1 });
    }
  });

  test('intrinsic: Fn::If with a NoValue key branch is a finding', () => {
    const result = run({ OfflineStoreConfig: offline({ KmsKeyId: ifElse(KEY_REF, NO_VALUE) }) });
    expect(verdictOf(result, 'P10', 'Group')).toBe('non-compliant');
    expect(result.of('P10')[0].message).toMatch(/possible forms/);
    const storeIf = run({ OnlineStoreConfig: ifElse(online(), { EnableOnlineStore: true }) });
    expect(verdictOf(storeIf, 'P10', 'Group')).toBe('non-compliant');
  });

  test('intrinsic: parameters by default and allowed values', () => {
    const withParameter = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { Online: { Default, AllowedValues } },
      Resources: { Group: group({ OnlineStoreConfig: { EnableOnlineStore: { Ref: 'Online' } } }) },
    });
    expect(verdictOf(withParameter('false'), 'P10', 'Group')).toBe('none');
    expect(verdictOf(withParameter('true'), 'P10', 'Group')).toBe('non-compliant');
    expect(withParameter('true').of('P10')[0].message).toMatch(/parameter Online/);
    expect(verdictOf(withParameter('false', ['false', 'true']), 'P10', 'Group')).toBe('parameter');
  });

  test('imported key is set; unverifiable when whether the store is on is not known and it has no key', () => {
    expect(verdictOf(run({ OfflineStoreConfig: offline({ KmsKeyId: imported('features-key') }) }), 'P10', 'Group')).toBe('none');
    const unknownStore = run({ OnlineStoreConfig: { EnableOnlineStore: imported('online-enabled') } });
    expect(verdictOf(unknownStore, 'P10', 'Group')).toBe('unverifiable');
    expect(unknownStore.of('P10')[0]).toMatchObject({ ruleName: 'SecureAI-P10[unverifiable]', level: 'warning' });
    expect(verdictOf(run({ OnlineStoreConfig: online({ EnableOnlineStore: imported('online-enabled') }) }), 'P10', 'Group')).toBe('none');
  });
});
