import { LOCAL_NVME_FAMILIES } from './endpoint-config-storage-encryption';
import { Answer, isSet, judge, was } from '../../engine/checks';
import { IndexedResource } from '../../engine/resource-index';
import { RuleResult } from '../../engine/secure-ai-rule';
import { describe, Expression, isPlainObject, ResourceReference, UnknownValue, Value } from '../../engine/values';

/**
 * What the deployment rules share about KMS keys: whether a key property names a customer-managed key, and where
 * SageMaker accepts a volume key at all.
 */

/** `alias/aws/<service>` names the AWS-managed key of a service: its policy is not yours to control. */
const AWS_MANAGED_ALIAS = /(^|[:/])alias\/aws\//i;

function namesAwsManagedKey(value: Value): boolean {
  if (typeof value === 'string') return AWS_MANAGED_ALIAS.test(value);
  if (value instanceof Expression) return AWS_MANAGED_ALIAS.test(value.pattern);
  return false;
}

/**
 * A key property set to a key the customer manages: present, not empty, and not an `alias/aws/...` AWS-managed key.
 * A key known only at deploy time (an import, a reference, a parameter) is set: which key it is cannot matter here.
 */
export function isCustomerManagedKey(value: Value): Answer {
  if (value instanceof UnknownValue || value instanceof ResourceReference) return true;
  if (value instanceof Expression) return !namesAwsManagedKey(value);
  if (typeof value !== 'string') return false;
  return isSet(value) === true && !namesAwsManagedKey(value);
}

/** What is wrong with a key property's value: `KmsKeyId is absent`, `KmsKeyId is "alias/aws/sagemaker", an AWS-managed key`. */
export function keyProblem(property: string, value: Value): string {
  if (namesAwsManagedKey(value)) return `${property} is ${describe(value)}, an AWS-managed key whose policy you do not control`;
  if (value !== undefined && typeof value !== 'string' && isSet(value)) return `${property} is ${describe(value)}, which is not a key ARN, ID or alias`;
  return `${property} ${was(value)}`;
}

/**
 * Whether SageMaker refuses a volume key for an instance type: types whose only storage is local NVMe, encrypted by
 * the instance's hardware module (`ml.g5.2xlarge`, `ml.p4d.24xlarge`).
 */
export function hasOnlyLocalNvmeStorage(instanceType: Value): boolean {
  return typeof instanceType === 'string' && LOCAL_NVME_FAMILIES.has(instanceType.split('.')[1] ?? '');
}

/**
 * A value read through a block that is itself not known at synth time (`DataCaptureConfig` imported as a whole).
 * Unlike a key that is unknown, which is set, a key inside an unknown block may be absent.
 */
class InsideUnknownBlock extends UnknownValue {}

/**
 * Reads `segments` below an evaluated value. A block on the way that cannot be known yields an {@link UnknownValue}
 * that {@link isCustomerManagedKey} does not take for a key; a block that is absent or not an object yields `undefined`.
 */
export function readBelow(value: Value, segments: readonly string[], name: string): Value {
  let current: Value = value;
  let at = name;
  for (const segment of segments) {
    if (current instanceof UnknownValue || current instanceof Expression || current instanceof ResourceReference) {
      return new InsideUnknownBlock(`${at} is ${describe(current)}`);
    }
    if (!isPlainObject(current)) return undefined;
    current = current[segment];
    at = `${at}.${segment}`;
  }
  return current;
}

/** {@link isCustomerManagedKey}, except that a key inside a block not known at synth time cannot be verified. */
export function isReadableCustomerManagedKey(value: Value): Answer {
  return value instanceof InsideUnknownBlock ? value : isCustomerManagedKey(value);
}

/**
 * Judges the key at `path` (`DataCaptureConfig.KmsKeyId`) in every form the resource can take.
 * @param why what the missing key exposes, for the message
 */
export function expectCustomerManagedKey(resource: IndexedResource, path: string, why: string): RuleResult {
  const [top, ...below] = path.split('.');
  const forms = resource.get(top).map((b) => ({ value: readBelow(b.value, below, top), parameters: b.parameters }));
  return judge(forms, `Properties.${path}`, isReadableCustomerManagedKey, (v) => `${keyProblem(path, v)}: ${why}`, path);
}
