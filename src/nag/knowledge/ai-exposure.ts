import { Answer, NOT_KNOWN } from '../engine/checks';
import { IndexedResource } from '../engine/resource-index';
import { UnknownValue } from '../engine/values';

/**
 * Who an AI system serves: resources declared to serve customers or collaborators outside the organisation carry the
 * tag `ai:exposure=external` (on the resource or its stack). Denied topics (D7), authorization of AgentCore runtimes
 * (D14) and per-client quotas (D15) apply to them. Which APIs front an AI backend is `ai-apis.ts`.
 */

/** The tag that declares who a resource serves. */
export const EXPOSURE_TAG = 'ai:exposure';
/** Values of {@link EXPOSURE_TAG} that mean external callers, in any case. */
const EXTERNAL_VALUES = /^(?:external|public|internet)$/i;

/**
 * Whether some form of the resources' tags (stack tags included) declares `ai:exposure=external` (or `public`,
 * `internet`): yes, no, or maybe when a tag value is chosen at deploy time.
 */
export function externalExposure(resources: readonly IndexedResource[]): Answer {
  let answer: Answer = false;
  for (const resource of resources) {
    for (const tags of resource.tags()) {
      if (tags instanceof UnknownValue) {
        answer = NOT_KNOWN;
        continue;
      }
      const value = tags.get(EXPOSURE_TAG);
      if (typeof value === 'string') {
        if (EXTERNAL_VALUES.test(value.trim())) return true;
      } else if (value !== undefined) {
        answer = NOT_KNOWN;
      }
    }
  }
  return answer;
}
