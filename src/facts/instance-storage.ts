// Which SageMaker instance types cannot take a customer-managed key for their storage volume. The constructs refuse
// them unless given a reason, the environment's boundary exempts them from its volume-key deny once a construct is,
// and the pack's key rules exempt them: all from this one list.
//
// The rule, as the SageMaker API reference documents it for CreateEndpointConfig `KmsKeyId` (and alike for the
// `VolumeKmsKeyId` of processing, monitoring, training and transform jobs): "Certain Nitro-based instances include
// local storage, dependent on the instance type. Local storage volumes are encrypted using a hardware module on the
// instance. You can't request a KmsKeyId when using an instance type with local storage. [...] If you specify a value
// for KmsKeyId when using any nitro-based instances with local storage, the call to CreateEndpointConfig fails."
// The instance types with local storage are those the EC2 User Guide lists under "Instance store volumes"; the
// SageMaker training storage guide names ml.p4d, ml.g4dn and ml.g5 as NVMe families. Inf1 and Inf2 are EBS only.

/**
 * Families with NVMe instance store volumes that SageMaker offers, from the EC2 instance store table. Families whose
 * name carries the `d` (disk) attribute (`c5d`, `m6id`, `r5dn`, `p4d`, `g4dn`) are matched by {@link LOCAL_DISK_FAMILY}
 * as well, so a new `d` family is refused before this list is updated.
 */
const LOCAL_STORAGE_FAMILIES: ReadonlySet<string> = new Set([
  'c5d', 'c6id', 'c7gd', 'm5d', 'm5ad', 'm6id', 'm6gd', 'm7gd', 'r5d', 'r5ad', 'r6id', 'r6gd', 'r7gd', 'x2iedn',
  'g4dn', 'g4ad', 'g5', 'g6', 'g6e', 'gr6', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en', 'p6-b200', 'trn1', 'trn1n', 'trn2', 'dl1',
]);

/** A family name with the `d` attribute after its generation: `c5d`, `m6id`, `m5ad`, `r5dn`, `g4dn`, `p4de`. */
const LOCAL_DISK_FAMILY = /^[a-z]+\d+[a-z]*d[a-z]*$/;

/** The family of an `ml.<family>.<size>` instance type (`g5` for `ml.g5.2xlarge`), or undefined for another form. */
export function instanceFamilyOf(instanceType: string): string | undefined {
  const match = /^ml\.([a-z0-9-]+)\.[a-z0-9]+$/.exec(instanceType);
  return match?.[1];
}

/**
 * Whether an instance type stores data on local NVMe instance storage, which its hardware encrypts and for which
 * SageMaker rejects a customer-managed volume key (`ml.g5.2xlarge`, `ml.p4d.24xlarge`, `ml.m5d.large`).
 */
export function hasLocalInstanceStorage(instanceType: string): boolean {
  const family = instanceFamilyOf(instanceType);
  if (family === undefined) return false;
  return LOCAL_STORAGE_FAMILIES.has(family) || LOCAL_DISK_FAMILY.test(family);
}

/**
 * IAM patterns of `sagemaker:InstanceTypes` for the listed families (`ml.g5.*`). Families matched only by the `d`
 * attribute are not among them: the boundary keeps denying them without a volume key until they are listed.
 */
export function localStorageInstanceTypePatterns(): string[] {
  return [...LOCAL_STORAGE_FAMILIES].map((family) => `ml.${family}.*`);
}

/**
 * Whether a family is in the list itself, not only matched by the `d` attribute: the environment's boundary exempts
 * listed families only ({@link localStorageInstanceTypePatterns}).
 */
export function isListedLocalStorageFamily(family: string): boolean {
  return LOCAL_STORAGE_FAMILIES.has(family);
}
