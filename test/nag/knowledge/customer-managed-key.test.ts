import { Expression, readPath, ResourceReference, UnknownValue } from '../../../src/nag/engine/values';
import {
  hasOnlyLocalNvmeStorage, isCustomerManagedKey, keyProblem,
} from '../../../src/nag/knowledge/customer-managed-key';

describe('customer-managed key helpers', () => {
  test('a key ARN, ID or customer alias is customer-managed; values known only at deploy time are set', () => {
    for (const key of ['arn:aws:kms:eu-west-2:111122223333:key/abc', '1234abcd-12ab-34cd-56ef-1234567890ab', 'alias/team-key',
      new UnknownValue('imported'), new ResourceReference('Key', 'Stack', 'Arn'), new Expression(['arn:', new UnknownValue('partition'), ':kms:x:key/abc'])]) {
      expect(isCustomerManagedKey(key)).toBe(true);
    }
  });

  test('absent, empty, AWS-managed aliases and non-strings are not', () => {
    for (const key of [undefined, null, '', 'alias/aws/sagemaker', 'arn:aws:kms:eu-west-2:111122223333:alias/aws/s3', 'ALIAS/AWS/S3', true, 42, ['k'], { Key: 'k' },
      new Expression(['arn:', new UnknownValue('partition'), ':kms:x:alias/aws/bedrock'])]) {
      expect(isCustomerManagedKey(key)).toBe(false);
    }
  });

  test('messages say what is wrong', () => {
    expect(keyProblem('KmsKeyId', undefined)).toBe('KmsKeyId is absent');
    expect(keyProblem('KmsKeyId', 'alias/aws/s3')).toMatch(/^KmsKeyId is "alias\/aws\/s3", an AWS-managed key/);
    expect(keyProblem('KmsKeyId', 7)).toMatch(/not a key ARN/);
  });

  test('a key inside a block not known at synth time cannot be verified, unlike a key that is itself unknown', () => {
    const inside = readPath(new UnknownValue('imported'), ['OutputConfig', 'KmsKeyId']);
    expect(inside).toBeInstanceOf(UnknownValue);
    expect(isCustomerManagedKey(inside)).toBeInstanceOf(UnknownValue);
    expect((isCustomerManagedKey(inside) as UnknownValue).reason).toMatch(/^OutputConfig.KmsKeyId is inside a value not known at synth time \(imported\)/);
    expect(isCustomerManagedKey(readPath({ KmsKeyId: new UnknownValue('imported') }, ['KmsKeyId']))).toBe(true);
    expect(readPath({ A: 'not an object' }, ['A', 'B'])).toBeUndefined();
    expect(readPath(undefined, ['A'])).toBeUndefined();
  });

  test('instance types with only local NVMe storage', () => {
    expect(hasOnlyLocalNvmeStorage('ml.g5.2xlarge')).toBe(true);
    expect(hasOnlyLocalNvmeStorage('ml.p4d.24xlarge')).toBe(true);
    // The constructs' list: families the pack once missed, and a new `d` family before any list names it.
    expect(hasOnlyLocalNvmeStorage('ml.g4ad.xlarge')).toBe(true);
    expect(hasOnlyLocalNvmeStorage('ml.r7gd.large')).toBe(true);
    expect(hasOnlyLocalNvmeStorage('ml.c9gd.large')).toBe(true);
    expect(hasOnlyLocalNvmeStorage('ml.m5.xlarge')).toBe(false);
    expect(hasOnlyLocalNvmeStorage(undefined)).toBe(false);
    expect(hasOnlyLocalNvmeStorage(new UnknownValue('x'))).toBe(false);
  });
});
