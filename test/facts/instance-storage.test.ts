import { hasLocalInstanceStorage, instanceFamilyOf, localStorageInstanceTypePatterns } from '../../src/facts/instance-storage';

describe('instance storage', () => {
  test.each([
    'ml.g5.2xlarge', 'ml.g4dn.xlarge', 'ml.g6.4xlarge', 'ml.g6e.xlarge', 'ml.p3dn.24xlarge', 'ml.p4d.24xlarge', 'ml.p4de.24xlarge',
    'ml.p5.48xlarge', 'ml.m5d.large', 'ml.c5d.xlarge', 'ml.r5d.2xlarge', 'ml.m6id.large', 'ml.c6id.xlarge', 'ml.r6id.large',
    'ml.trn1.32xlarge', 'ml.trn1n.32xlarge', 'ml.dl1.24xlarge', 'ml.r7gd.large', 'ml.g4ad.xlarge',
  ])('%s has local NVMe instance storage', (type) => expect(hasLocalInstanceStorage(type)).toBe(true));

  test.each([
    'ml.m5.xlarge', 'ml.m5.large', 'ml.c5.2xlarge', 'ml.r5.large', 'ml.p3.2xlarge', 'ml.p2.xlarge', 'ml.inf1.xlarge', 'ml.inf2.xlarge',
    'ml.t2.medium', 'ml.m6i.large', 'ml.c7i.large', 'ml.c6i.large',
  ])('%s stores on EBS', (type) => expect(hasLocalInstanceStorage(type)).toBe(false));

  test('reads the family of ml.<family>.<size> only', () => {
    expect(instanceFamilyOf('ml.g5.2xlarge')).toBe('g5');
    expect(instanceFamilyOf('g5.2xlarge')).toBeUndefined();
    expect(instanceFamilyOf('ml.g5')).toBeUndefined();
    expect(hasLocalInstanceStorage('not-an-instance')).toBe(false);
  });

  test('IAM patterns name each listed family, and no EBS one', () => {
    const patterns = localStorageInstanceTypePatterns();
    expect(patterns).toEqual(expect.arrayContaining(['ml.g5.*', 'ml.g4dn.*', 'ml.p4d.*', 'ml.trn1.*', 'ml.p6-b200.*']));
    expect(patterns.filter((p) => ['ml.m5.*', 'ml.p3.*', 'ml.inf2.*', 'ml.c5.*'].includes(p))).toEqual([]);
  });
});
