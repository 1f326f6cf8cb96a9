import { Token } from 'aws-cdk-lib';
import { requireReason } from './opt-out-reason';
import { hasLocalInstanceStorage, instanceFamilyOf, isListedLocalStorageFamily } from '../facts/instance-storage';

/*
 * How a construct takes a SageMaker instance type: one whose storage SageMaker encrypts with your key, or, given a
 * reason, one with local NVMe storage (src/facts/instance-storage.ts says which those are).
 */

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
  if (!isListedLocalStorageFamily(instanceFamilyOf(instanceType)!)) {
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
