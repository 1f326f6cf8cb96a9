import { describe, Expression, ExpressionPart, isPlainObject, UnknownValue, Value } from '../values';

/**
 * JSON documents embedded in a template string, such as the `Create`/`Update` calls of a CDK `AwsCustomResource`:
 * the CDK renders them as `Fn::Join` around references (a log group name, a role ARN). The document is rebuilt with a
 * placeholder for each part not known at synth time, parsed, and each placeholder is put back as the part itself (a
 * whole value) or as an {@link Expression} (inside a longer string).
 */

/** Past this size a document is not parsed. */
export const MAX_EMBEDDED_JSON_CHARS = 2_000_000;

const MARK = '@@secure-ai-json-';
const PLACEHOLDER = /@@secure-ai-json-(\d+)@@/g;

/** A parsed document, or why it could not be parsed. */
export type EmbeddedJson = { readonly json: Value } | { readonly failure: string };

/** Parses a JSON document given as text or as an {@link Expression}; never throws. */
export function parseEmbeddedJson(text: Value): EmbeddedJson {
  let parts: readonly ExpressionPart[];
  if (typeof text === 'string') parts = [text];
  else if (text instanceof Expression) parts = text.parts;
  else return { failure: `it is ${describe(text)}, not a JSON string` };
  return parseJsonParts(parts);
}

/** Parses a JSON document given as the parts of a string (literal text and values known only at deploy time). */
export function parseJsonParts(parts: readonly ExpressionPart[]): EmbeddedJson {
  const markers: ExpressionPart[] = [];
  let source = '';
  let inString = false;
  let escaped = false;
  for (const part of parts) {
    if (typeof part === 'string') {
      for (const ch of part) {
        if (escaped) escaped = false;
        else if (ch === '\\' && inString) escaped = true;
        else if (ch === '"') inString = !inString;
      }
      source += part;
    } else {
      const token = `${MARK}${markers.push(part) - 1}@@`;
      // A part outside a JSON string stands for a whole value: quote it so that the document still parses.
      source += inString ? token : `"${token}"`;
      escaped = false;
    }
    if (source.length > MAX_EMBEDDED_JSON_CHARS) return { failure: `it is longer than ${MAX_EMBEDDED_JSON_CHARS} characters` };
  }
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (e) {
    return { failure: `it is not valid JSON (${(e as Error).message})` };
  }
  return { json: restore(json, markers, 0) };
}

function restore(value: unknown, markers: readonly ExpressionPart[], depth: number): Value {
  if (depth > 200) return new UnknownValue('the document nests too deep to read');
  if (typeof value === 'string') {
    if (!value.includes(MARK)) return value;
    const parts: ExpressionPart[] = [];
    let last = 0;
    for (const match of value.matchAll(PLACEHOLDER)) {
      const at = match.index ?? 0;
      if (at > last) parts.push(value.slice(last, at));
      parts.push(markers[Number(match[1])] ?? '');
      last = at + match[0].length;
    }
    if (last < value.length) parts.push(value.slice(last));
    return parts.length === 1 && typeof parts[0] !== 'string' ? parts[0] : new Expression(parts);
  }
  if (Array.isArray(value)) return value.map((v) => restore(v, markers, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(value)) out[k] = restore(v, markers, depth + 1);
    return out;
  }
  return value;
}

/** The value of `key` in an object, matching the key without regard to case (`loggingConfig`, `LoggingConfig`). */
export function member(value: Value, key: string): Value {
  if (!isPlainObject(value)) return undefined;
  if (Object.prototype.hasOwnProperty.call(value, key)) return value[key];
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(value)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}
