import { chooseInstanceStorage } from '../../src/construct-kit/instance-type';

describe('choosing instance storage', () => {
  const REASON = 'The model needs the GPUs of this family for its size.';

  test('an EBS type needs no reason; a local-storage type needs one', () => {
    expect(chooseInstanceStorage('Owner X', 'ml.m5.xlarge', undefined)).toEqual({ instanceType: 'ml.m5.xlarge' });
    expect(chooseInstanceStorage('Owner X', 'ml.g5.2xlarge', REASON)).toEqual({ instanceType: 'ml.g5.2xlarge', hardwareEncryptionReason: REASON });
    expect(() => chooseInstanceStorage('Owner X', 'ml.g5.2xlarge', undefined)).toThrow(/Owner X: instanceType 'ml\.g5\.2xlarge' has local NVMe.*or set allowHardwareEncryptedStorage/);
  });

  test('a reason for an EBS type, a malformed type, or a `d` family the list (and so the boundary) does not know', () => {
    expect(() => chooseInstanceStorage('Owner X', 'ml.p3.2xlarge', REASON)).toThrow(/allowHardwareEncryptedStorage is set, but instanceType 'ml\.p3\.2xlarge' stores on EBS/);
    expect(() => chooseInstanceStorage('Owner X', 'g5.2xlarge', REASON)).toThrow(/instanceType 'g5\.2xlarge' is not a SageMaker instance type/);
    expect(() => chooseInstanceStorage('Owner X', 'ml.c9gd.large', REASON)).toThrow(/ml\.c9gd\.large' looks like a type with local storage.*not in this library's list/);
  });
});
