import { ResourceIndex } from '../engine/resource-index';
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

/** Common conventions for the keys the pack requires, normalised: each required key is satisfied by any of its list. */
const CONVENTIONS: ReadonlyArray<readonly string[]> = [
  ['aithreatmodel', 'threatmodel', 'threatmodelurl', 'threatmodellink', 'threatmodelref'],
  ['airiskowner', 'riskowner', 'owner', 'ownerteam', 'team', 'owningteam', 'teamowner', 'businessowner', 'technicalowner'],
  ['aicriticality', 'criticality', 'businesscriticality'],
  ['dataclassification', 'classification', 'dataclass', 'datasensitivity', 'sensitivity', 'confidentiality', 'informationclassification'],
  ['owner', 'ownerteam', 'team', 'owningteam', 'teamowner', 'businessowner', 'technicalowner', 'owneremail', 'contact'],
  ['environment', 'env', 'stage', 'environmentname', 'envname', 'environmenttype'],
];

/** The keys a team named for each required key (`tagKeyAliases`), normalised: the pack's parameter. */
export type TagKeyAliases = ReadonlyMap<string, readonly string[]>;

/**
 * The normalised keys that satisfy `required`: the key itself, its common conventions, and the keys the team named for
 * it (`tagKeyAliases`, already normalised).
 */
function acceptedTagKeys(required: string, aliases: TagKeyAliases): ReadonlySet<string> {
  const key = normaliseTagKey(required);
  const convention = CONVENTIONS.find((c) => c[0] === key) ?? [key];
  return new Set([...convention, ...(aliases.get(key) ?? [])]);
}

/** A tag found for a required key: the key it is under, and its value. */
export interface FoundTag {
  readonly key: string;
  readonly value: Value;
}

/**
 * The first tag (in the order of `tags`) whose key satisfies `required`, plain or after a prefix; undefined when none
 * does.
 */
export type TagFinder = (tags: ReadonlyMap<string, Value>, required: string) => FoundTag | undefined;

/**
 * The run's {@link TagFinder}, with `aliases` the run's `tagKeyAliases`. D1 and V13 look up several required keys on
 * every AI resource of the app, whose tags repeat a handful of keys: each key is normalised, and each required key's
 * accepted set built, once per run.
 */
export function tagFinder(index: ResourceIndex, aliases: TagKeyAliases): TagFinder {
  return index.memo(tagFinder, () => {
    const forms = new Map<string, { readonly plain: string; readonly unprefixed: string }>();
    const accepted = new Map<string, ReadonlySet<string>>();
    return (tags, required) => {
      let keys = accepted.get(required);
      if (!keys) {
        keys = acceptedTagKeys(required, aliases);
        accepted.set(required, keys);
      }
      let prefixed: FoundTag | undefined;
      // Keys alone: iterating entries would allocate a pair per tag.
      for (const key of tags.keys()) {
        let form = forms.get(key);
        if (!form) {
          form = { plain: normaliseTagKey(key), unprefixed: unprefixed(key) };
          forms.set(key, form);
        }
        if (keys.has(form.plain)) return { key, value: tags.get(key) };
        if (!prefixed && keys.has(form.unprefixed)) prefixed = { key, value: tags.get(key) };
      }
      return prefixed;
    };
  });
}

/** A tag found with a value that says nothing: absent or blank. */
export function isBlank(found: { value: Value } | undefined): boolean {
  return found === undefined || found.value === undefined || found.value === null || (typeof found.value === 'string' && found.value.trim() === '');
}
