// What a signature gate (and the endpoint it guards) deploys: a signed artifact of the registry by key, or a versioned
// model package of the registry's group. The checks that can be made when the app is synthesized; the gate makes the
// rest at deploy time. Internal: not exported from the library.
import { Token } from 'aws-cdk-lib';
import type { IModelRegistry } from '../registry/model-registry-ref';
import { VERIFIED_ARTIFACT_KEY } from '../registry/registry-layout';

/** A versioned model package ARN: `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>`. */
const PACKAGE_ARN = /^arn:(aws(?:-[a-z]+)*):sagemaker:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):model-package\/([^/]+)\/([1-9]\d*)$/;

/**
 * Checks that an artifact key names a registered copy, `verified/<sha256>/<file>`: the only objects of the store that are
 * write-once and signed. Throws naming the prop, the value and the fix.
 */
export function validateVerifiedKey(owner: string, prop: string, key: string): string {
  if (Token.isUnresolved(key) || !VERIFIED_ARTIFACT_KEY.test(key)) {
    throw new Error(`${owner}: \`${prop}\` '${key}' is not a registered artifact. Fix: give the key the training pipeline's signing step `
      + 'wrote, verified/<sha256>/model.tar.gz (its model package\'s ModelDataUrl): the registry keeps only those write-once, beside '
      + 'their signatures; training output and other objects can be replaced.');
  }
  return key;
}

/**
 * Checks a literal package ARN against the registry: a versioned package (not a name, not a group) of the registry's
 * group, in the registry's partition, account and Region where those are known. A token is accepted: the gate checks
 * the package it names when it deploys. Throws naming `modelPackageArn`, the value and the fix.
 */
export function validateModelPackageArn(owner: string, arn: string, registry: IModelRegistry): string {
  if (Token.isUnresolved(arn)) return arn;
  const group = registry.modelPackageGroupName;
  const shown = Token.isUnresolved(group) ? '<group>' : group;
  const [, partition, , region, account] = registry.modelPackageArnPattern.split(':');
  const literal = (part: string | undefined, placeholder: string) => (part === undefined || Token.isUnresolved(part) ? placeholder : part);
  const example = `arn:${literal(partition, 'aws')}:sagemaker:${literal(region, '<region>')}:${literal(account, '<account>')}:model-package/${shown}/<version>`;
  const match = PACKAGE_ARN.exec(arn);
  if (!match) {
    throw new Error(`${owner}: \`modelPackageArn\` '${arn}' is not the ARN of a versioned model package. Fix: pass the ModelPackageArn `
      + `the training pipeline's signing step registered (and a reviewer approved), ${example}.`);
  }
  const [, arnPartition, arnRegion, arnAccount, arnGroup] = match;
  if (!Token.isUnresolved(group) && arnGroup !== group) {
    throw new Error(`${owner}: \`modelPackageArn\` '${arn}' is a version of model package group '${arnGroup}', not of the registry's `
      + `group '${group}': the gate verifies packages of its registry only. Fix: deploy a version of ${group} (${example}), or pass `
      + `the registry whose group is ${arnGroup}.`);
  }
  const mismatches = [
    ['partition', partition, arnPartition],
    ['Region', region, arnRegion],
    ['account', account, arnAccount],
  ].filter(([, expected, actual]) => expected !== undefined && !Token.isUnresolved(expected) && expected !== actual);
  if (mismatches.length > 0) {
    const [what, expected, actual] = mismatches[0];
    throw new Error(`${owner}: \`modelPackageArn\` '${arn}' is in ${what} ${actual}, but the registry's group ${shown} is in ${what} `
      + `${expected}. Fix: pass a version of the registry's own group, ${example}.`);
  }
  return arn;
}
