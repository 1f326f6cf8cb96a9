import { Value } from './values';

/** General helpers for lists: one item or many as a list, a long list in a message, and maps from a key to a list. */

/** A value that may be one item or a list, as a list (`undefined` is the empty list). */
export function listOf(value: Value): Value[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The first `shown` items, joined with commas, and how many more there are. A message that names a list the app can
 * grow (the buckets of the app, the agents sharing a role) stays the same size however large the app is, so the report
 * and the threat model, which repeats a finding under every asset it concerns, grow in step with the app, not with its
 * square.
 */
export function firstOf(items: readonly string[], shown = 5): string {
  const first = items.slice(0, shown).join(', ');
  return items.length > shown ? `${first} and ${items.length - shown} more` : first;
}

/**
 * Maps from a key to a list, built in place: the per-run lookups group resources this way, and copying the list on
 * each addition would grow quadratically with the size of a group.
 */

/** Adds `value` to the list under `key`. */
export function addToList<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Adds `value` to the list under `key` unless the list holds it already. */
export function addToListOnce<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}
