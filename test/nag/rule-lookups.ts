// Counting rather than timing: the index look-ups each rule makes inside its checks, for the linearity tests.
import { CATALOGUE } from '../../src/nag/catalogue';
import { RuleContext } from '../../src/nag/secure-ai-rule';

/** Index look-ups made inside a rule's checks, and how often the rule was called. */
export interface RuleLookups {
  lookups: number;
  invocations: number;
}

/**
 * Runs `run` with every rule's check wrapped to count, by rule ID, the index look-ups made inside it and its calls;
 * the checks are restored afterwards.
 */
export function countingRuleLookups<T>(run: () => T): { result: T; perRule: Map<string, RuleLookups> } {
  const perRule = new Map<string, RuleLookups>();
  const originals = CATALOGUE.map((rule) => rule.check);
  CATALOGUE.forEach((rule, i) => {
    (rule as { check: typeof rule.check }).check = (resource, context: RuleContext) => {
      const before = context.index.statistics.lookups;
      try {
        return originals[i].call(rule, resource, context);
      } finally {
        const tally = perRule.get(rule.id) ?? { lookups: 0, invocations: 0 };
        tally.lookups += context.index.statistics.lookups - before;
        tally.invocations++;
        perRule.set(rule.id, tally);
      }
    };
  });
  try {
    return { result: run(), perRule };
  } finally {
    CATALOGUE.forEach((rule, i) => { (rule as { check: typeof rule.check }).check = originals[i]; });
  }
}
