import { Answer, NOT_KNOWN } from '../engine/checks';
import { IndexedResource } from '../engine/resource-index';
import { UnknownValue } from '../engine/values';

/**
 * Which environment a resource is deployed to, read from its tags (stack tags included): the rules that apply to
 * production only (V8, P23) decide "prod" here.
 */

/** Tag keys that name a resource's environment. */
export const ENVIRONMENT_TAG_KEYS = /^(?:environment|env|stage)$/i;

/** Tag values that mean production, in any case. */
export const PRODUCTION_TAG_VALUES = /^(?:prod|production|prd|live)$/i;

/** A description of the tags {@link isProduction} accepts, for a rule's `compliantWhen`. */
export const PRODUCTION_TAGS_TEXT = 'Environment/Env/Stage = prod/production/prd/live (any case)';

/**
 * Whether a resource is tagged as production in some form of its tags: yes when a form carries an environment tag
 * with a production value, unknown when a form's tags or an environment tag's value are chosen at deploy time, else no.
 */
export function isProduction(resource: IndexedResource): Answer {
  let answer: Answer = false;
  for (const tags of resource.tags()) {
    if (tags instanceof UnknownValue) {
      answer = NOT_KNOWN;
      continue;
    }
    for (const [key, value] of tags) {
      if (!ENVIRONMENT_TAG_KEYS.test(key)) continue;
      if (typeof value === 'string' && PRODUCTION_TAG_VALUES.test(value)) return true;
      if (typeof value !== 'string') answer = NOT_KNOWN;
    }
  }
  return answer;
}
