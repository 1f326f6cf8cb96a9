import { Value } from './values';

/** General helpers for lists: one item or many as a list, and maps from a key to a list. */

/** A value that may be one item or a list, as a list (`undefined` is the empty list). */
export function listOf(value: Value): Value[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
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
