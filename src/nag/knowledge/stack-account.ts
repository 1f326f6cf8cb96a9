import { environmentOf } from './backup-coverage';
import { Answer, NOT_KNOWN } from '../engine/checks';
import { IndexedResource } from '../engine/resource-index';
import { Expression, ExpressionPart, ResourceReference, UnknownValue, Value } from '../engine/values';

/**
 * Whether an account ID written in a template (an ECR host, an S3 asset bucket name, `BucketOwnerAccountId`) is the
 * account the resource's own stack deploys to. The CDK writes the app's account as the pseudo parameter
 * `${AWS::AccountId}` inside `Fn::Sub`/`Fn::Join`; an environment-agnostic stack has no literal account to compare with.
 */

/** Stands for `${AWS::AccountId}` in {@link textOf}: the account of the resource's own stack. */
export const OWN_ACCOUNT = '\u0001';
/** Stands for a part of a string not known at synth time (an import, a resource attribute) in {@link textOf}. */
export const UNKNOWN_PART = '\u0003';

function partText(part: ExpressionPart): string {
  if (typeof part === 'string') return part;
  if (part instanceof ResourceReference) return UNKNOWN_PART;
  switch (part.pseudoParameter) {
    case 'AWS::AccountId': return OWN_ACCOUNT;
    case 'AWS::Partition': return 'aws';
    case 'AWS::URLSuffix': return 'amazonaws.com';
    case 'AWS::Region': return 'region';
    default: return UNKNOWN_PART;
  }
}

/**
 * The text of a string value with its deploy-time parts marked: the app's account as {@link OWN_ACCOUNT}, the
 * partition, URL suffix and Region as their usual spelling, anything else as {@link UNKNOWN_PART}. Undefined for
 * values that are not strings (a whole unknown, a reference, an object).
 */
export function textOf(value: Value): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Expression) return value.parts.map(partText).join('');
  if (value instanceof UnknownValue && value.pseudoParameter !== undefined) return partText(value);
  return undefined;
}

/** Whether an account as {@link textOf} writes it is the account of `resource`'s stack. */
export function isStackAccount(resource: IndexedResource, account: string): Answer {
  if (account === OWN_ACCOUNT) return true;
  if (!/^\d{12}$/.test(account)) return NOT_KNOWN;
  const own = environmentOf(resource).account;
  if (own === undefined) return NOT_KNOWN;
  return own === account ? true : false;
}
