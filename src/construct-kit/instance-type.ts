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

import { Token } from 'aws-cdk-lib';
import { requireReason } from './opt-out-reason';

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

/** The prop with which a construct accepts local NVMe storage, encrypted by the instance's hardware, with a reason. */
export const HARDWARE_ENCRYPTION_OPT_IN = 'allowHardwareEncryptedStorage';

/**
 * An instance type whose storage SageMaker encrypts with your key: local NVMe storage is refused.
 * @param owner the construct, for the message (`InferenceEndpoint Fraud`)
 * @param optIn whether the construct offers {@link HARDWARE_ENCRYPTION_OPT_IN}, which the fix then names
 */
export function validateInstanceType(owner: string, prop: string, instanceType: string, optIn = false): string {
  if (Token.isUnresolved(instanceType) || instanceFamilyOf(instanceType) === undefined) {
    throw new Error(`${owner}: ${prop} '${instanceType}' is not a SageMaker instance type. Fix: give one such as 'ml.m5.xlarge'.`);
  }
  if (hasLocalInstanceStorage(instanceType)) {
    throw new Error(`${owner}: ${prop} '${instanceType}' has local NVMe instance storage, for which SageMaker refuses a customer-managed `
      + 'KMS key (the volume would be encrypted only by the instance\'s hardware, outside your key policy). Fix: choose an instance '
      + 'type whose storage is EBS, for example ml.m5.xlarge, ml.c5.2xlarge or, with GPUs, ml.p3.2xlarge'
      + (optIn ? `, or set ${HARDWARE_ENCRYPTION_OPT_IN} to the reason this workload needs it (a GPU type, say).` : '.'));
  }
  return instanceType;
}

/** A construct's instance type, and why its storage is left to the hardware's encryption when it has local storage. */
export interface InstanceStorageChoice {
  readonly instanceType: string;
  /** Set when the type has local NVMe storage and {@link HARDWARE_ENCRYPTION_OPT_IN} gave the reason. */
  readonly hardwareEncryptionReason?: string;
}

/** {@link validateInstanceType}, for a construct whose `instanceType` may have local storage given `allowReason`. */
export function chooseInstanceStorage(owner: string, instanceType: string, allowReason: string | undefined): InstanceStorageChoice {
  if (allowReason === undefined) return { instanceType: validateInstanceType(owner, 'instanceType', instanceType, true) };
  if (Token.isUnresolved(instanceType) || !hasLocalInstanceStorage(instanceType)) {
    validateInstanceType(owner, 'instanceType', instanceType);
    throw new Error(`${owner}: ${HARDWARE_ENCRYPTION_OPT_IN} is set, but instanceType '${instanceType}' stores on EBS, which is `
      + `encrypted with the environment's data key. Fix: remove ${HARDWARE_ENCRYPTION_OPT_IN}.`);
  }
  if (!LOCAL_STORAGE_FAMILIES.has(instanceFamilyOf(instanceType)!)) {
    throw new Error(`${owner}: instanceType '${instanceType}' looks like a type with local storage (its family carries the \`d\` `
      + 'attribute) but is not in this library\'s list of such types, so the environment\'s boundary cannot let work on it run '
      + 'without a volume key. Fix: choose a listed family (ml.g5, ml.g6, ml.p4d, ml.p5, ml.trn1, ...) or a type whose storage is EBS.');
  }
  return {
    instanceType,
    hardwareEncryptionReason: requireReason(owner, HARDWARE_ENCRYPTION_OPT_IN, allowReason,
      'why the workload needs an instance type with local storage, such as a GPU type'),
  };
}
