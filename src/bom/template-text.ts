import * as crypto from 'crypto';
import { Expression, isPlainObject, ResourceReference, UnknownValue, Value } from '../nag/engine/values';

/**
 * Values of a template as the bill of materials writes them: text that is the same at every synthesis of the same
 * app (a reference is `${LogicalId}`, a pseudo parameter `${AWS::Region}`, anything else known only at deploy time
 * `${?}`), so that two BOMs diff line by line.
 */

/** A value as stable text; undefined when it is absent or not text (an object, a list). */
export function textOf(value: Value): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof ResourceReference) return `\${${value.logicalId}}`;
  if (value instanceof UnknownValue) return unknownText(value);
  if (value instanceof Expression) {
    return value.parts.map((p) => (typeof p === 'string' ? p : p instanceof ResourceReference ? `\${${p.logicalId}}` : unknownText(p))).join('');
  }
  // A pipeline's runtime value ({ Get: 'Parameters.X' }, { Std:Join: ... }) or a JSONPath argument.
  if (isPlainObject(value) && typeof value.Get === 'string') return `\${${value.Get}}`;
  return undefined;
}

function unknownText(value: UnknownValue): string {
  return value.pseudoParameter !== undefined ? `\${${value.pseudoParameter}}` : '${?}';
}

/** The member at `path` of a plain object value, or undefined. */
export function field(value: Value, ...path: string[]): Value {
  let current = value;
  for (const key of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The items of a list value; none when it is not a list. */
export function itemsOf(value: Value): Value[] {
  return Array.isArray(value) ? value : [];
}

/** Hex SHA-256 of a text: the digest a prompt or an instruction is tracked by between synths. */
export function sha256Of(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf-8').digest('hex');
}

/** The SHA-256 digest an image reference pins (`repo@sha256:<hex>`), if it pins one. */
export function pinnedDigest(image: string): string | undefined {
  return /@sha256:([0-9a-f]{64})$/.exec(image)?.[1];
}

/** Every literal string inside a raw template value (the literal parts of `Fn::Join` and `Fn::Sub` included). */
export function literalStrings(raw: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 64) return out;
  if (typeof raw === 'string') {
    out.push(raw);
  } else if (Array.isArray(raw)) {
    for (const item of raw) literalStrings(item, out, depth + 1);
  } else if (isPlainObject(raw)) {
    for (const item of Object.values(raw)) literalStrings(item, out, depth + 1);
  }
  return out;
}
