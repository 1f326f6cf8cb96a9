import { Value } from '../engine/values';

/**
 * Which tag keys satisfy a key the tag rules require (D1's `ai:threat-model`, `ai:risk-owner`, `ai:criticality`;
 * V13's `requiredTagKeys`). Teams tag by their own conventions: `Environment`, `env`, `data-classification`,
 * `DataClassification`, `acme:owner`. Keys are compared without regard to case or to the separators `-`, `_`, `.`, `:`,
 * spaces, and a platform's prefix (what ends in the last `:` or `/`) may stand before the key.
 */

/** The tag keys D1 requires on every AI resource of a stack: where its threat model is, who owns the risk, how critical it is. */
export const THREAT_MODEL_TAG_KEYS: readonly string[] = ['ai:threat-model', 'ai:risk-owner', 'ai:criticality'];

/** A key as compared: lower case, without separators (`data-classification` and `DataClassification` are one key). */
export function normaliseTagKey(key: string): string {
  return key.toLowerCase().replace(/[-_.:\s]/g, '');
}

/** The key without a platform's prefix (`acme:data-classification` → `data-classification`), normalised. */
function unprefixed(key: string): string {
  const cut = Math.max(key.lastIndexOf(':'), key.lastIndexOf('/'));
  return normaliseTagKey(cut >= 0 ? key.slice(cut + 1) : key);
}

/** A tag key's two normalised forms: whole, and without a prefix. */
interface KeyForms {
  readonly plain: string;
  readonly unprefixed: string;
}

/**
 * The normalised forms of the keys met so far. An app repeats a handful of tag keys on every resource, and the tag
 * rules look each one up several times per resource; bounded, as a long-lived process may check many apps.
 */
const KEY_FORMS = new Map<string, KeyForms>();
const KEY_FORMS_LIMIT = 10_000;

function formsOf(key: string): KeyForms {
  let forms = KEY_FORMS.get(key);
  if (!forms) {
    if (KEY_FORMS.size >= KEY_FORMS_LIMIT) KEY_FORMS.clear();
    forms = { plain: normaliseTagKey(key), unprefixed: unprefixed(key) };
    KEY_FORMS.set(key, forms);
  }
  return forms;
}

/** Common conventions for the keys the pack requires, normalised: each required key is satisfied by any of its list. */
const CONVENTIONS: ReadonlyArray<readonly string[]> = [
  ['aithreatmodel', 'threatmodel', 'threatmodelurl', 'threatmodellink', 'threatmodelref'],
  ['airiskowner', 'riskowner', 'owner', 'ownerteam', 'team', 'owningteam', 'teamowner', 'businessowner', 'technicalowner'],
  ['aicriticality', 'criticality', 'businesscriticality'],
  ['dataclassification', 'classification', 'dataclass', 'datasensitivity', 'sensitivity', 'confidentiality', 'informationclassification'],
  ['owner', 'ownerteam', 'team', 'owningteam', 'teamowner', 'businessowner', 'technicalowner', 'owneremail', 'contact'],
  ['environment', 'env', 'stage', 'environmentname', 'envname', 'environmenttype'],
];

/**
 * The normalised keys that satisfy `required`: the key itself, its common conventions, and the keys the team named for
 * it (`tagKeyAliases`, already normalised).
 */
export function acceptedTagKeys(required: string, aliases: ReadonlyMap<string, readonly string[]>): ReadonlySet<string> {
  // Asked for each resource and required key, with the same aliases throughout a run.
  let byRequired = ACCEPTED.get(aliases);
  if (!byRequired) {
    byRequired = new Map();
    ACCEPTED.set(aliases, byRequired);
  }
  let accepted = byRequired.get(required);
  if (!accepted) {
    const key = normaliseTagKey(required);
    const convention = CONVENTIONS.find((c) => c[0] === key) ?? [key];
    accepted = new Set([...convention, ...(aliases.get(key) ?? [])]);
    byRequired.set(required, accepted);
  }
  return accepted;
}

const ACCEPTED = new WeakMap<ReadonlyMap<string, readonly string[]>, Map<string, ReadonlySet<string>>>();

/** The first tag whose key is one of `accepted` (plain or after a prefix), with its value; undefined when none is. */
export function findTag(tags: ReadonlyMap<string, Value>, accepted: ReadonlySet<string>): { key: string; value: Value } | undefined {
  let prefixed: { key: string; value: Value } | undefined;
  // Keys alone: iterating entries would allocate a pair per tag, for each required key of every AI resource.
  for (const key of tags.keys()) {
    const forms = formsOf(key);
    if (accepted.has(forms.plain)) return { key, value: tags.get(key) };
    if (!prefixed && accepted.has(forms.unprefixed)) prefixed = { key, value: tags.get(key) };
  }
  return prefixed;
}

/** A tag found with a value that says nothing: absent or blank. */
export function isBlank(found: { value: Value } | undefined): boolean {
  return found === undefined || found.value === undefined || found.value === null || (typeof found.value === 'string' && found.value.trim() === '');
}
