import { hasLocalInstanceStorage } from '../../facts/instance-storage';
import { Answer, isSet, judge, RuleResult, was } from '../engine/checks';
import { IndexedResource } from '../engine/resource-index';
import { describe, Expression, ResourceReference, UnknownValue, Value } from '../engine/values';

/**
 * What the deployment rules share about KMS keys: whether a key property names a customer-managed key, and where
 * SageMaker accepts a volume key at all.
 */

/** `alias/aws/<service>` names the AWS-managed key of a service: its policy is not yours to control. */
const AWS_MANAGED_ALIAS = /(^|[:/])alias\/aws\//i;

/** Whether a key value names an AWS-managed key (`alias/aws/...`, alone or in an alias ARN). */
export function namesAwsManagedKey(value: Value): boolean {
  if (typeof value === 'string') return AWS_MANAGED_ALIAS.test(value);
  if (value instanceof Expression) return AWS_MANAGED_ALIAS.test(value.pattern);
  return false;
}

/**
 * A key property set to a key the customer manages: present, not empty, and not an `alias/aws/...` AWS-managed key.
 * A key known only at deploy time (an import, a reference, a parameter) is set: which key it is cannot matter here.
 */
export function isCustomerManagedKey(value: Value): Answer {
  if (value instanceof UnknownValue && value.insideUnknown) return value;
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
 * the instance's hardware module (`ml.g5.2xlarge`, `ml.p4d.24xlarge`). The list of such types is the constructs' own
 * (src/facts/instance-storage.ts), so the pack exempts exactly what the constructs refuse to give a key.
 */
export function hasOnlyLocalNvmeStorage(instanceType: Value): boolean {
  return typeof instanceType === 'string' && hasLocalInstanceStorage(instanceType);
}

/**
 * Judges the key at `path` (`DataCaptureConfig.KmsKeyId`) in every form the resource can take.
 * @param why what the missing key exposes, for the message; a function of the failing value where that changes it
 */
export function expectCustomerManagedKey(resource: IndexedResource, path: string, why: string | ((value: Value) => string)): RuleResult {
  return judge(resource.get(path), `Properties.${path}`, isCustomerManagedKey,
    (v) => `${keyProblem(path, v)}: ${typeof why === 'string' ? why : why(v)}`, path);
}
