/**
 * Acceptance test of the whole guideline: "A stack holding one resource of each catalogue resource type in its
 * insecure default form yields a finding from every rule that applies to that type; the same types configured
 * securely yield none."
 *
 * Both stacks are built in whole-guideline-fixture.ts.
 */
import { App } from 'aws-cdk-lib';
import { stackOf, ValidationRun } from './harness';
import { CATALOGUE_TYPES, fixture, Posture, STACK_TAGS } from './whole-guideline-fixture';
import { CATALOGUE } from '../../src/nag/catalogue';
import { SecureAiChecks } from '../../src/nag/secure-ai-checks';

function run(p: Posture): ValidationRun {
  const app = new App();
  const stack = stackOf({ Resources: fixture(p) }, app);
  for (const [key, value] of Object.entries(STACK_TAGS[p])) stack.tags.setTag(key, value);
  return new ValidationRun(new SecureAiChecks().validateScope(app));
}

const describeFinding = (f: ValidationRun['findings'][number]) => `${f.ruleName} on ${f.resourceType} ${f.logicalId}: ${f.message}`;

describe('the whole guideline', () => {
  test('every catalogue resource type is in both stacks', () => {
    for (const p of ['insecure', 'secure'] as const) {
      const types = new Set(Object.values(fixture(p)).map((r) => r.Type));
      expect(CATALOGUE_TYPES.filter((t) => !types.has(t))).toEqual([]);
    }
  });

  test('insecure default forms: every rule reports a non-compliant finding', () => {
    const insecure = run('insecure');
    const silent = CATALOGUE.map((r) => r.id).filter((id) => !insecure.findings.some((f) => f.ruleName === `SecureAI-${id}`));
    expect({ rulesWithoutFinding: silent }).toEqual({ rulesWithoutFinding: [] });
    // The insecure stack is determinate: no rule had to give up (unverifiable) or threw (EngineError).
    expect(insecure.findings.filter((f) => f.ruleName !== `SecureAI-${f.ruleId}`).map(describeFinding)).toEqual([]);
  });

  test('secure forms: no finding of any kind, and every rule evaluated something', () => {
    const secureRun = run('secure');
    expect(secureRun.findings.map(describeFinding)).toEqual([]);
    const idle = secureRun.tallies.filter((t) => t.evaluated === 0).map((t) => t.ruleId);
    expect({ rulesEvaluatingNothing: idle }).toEqual({ rulesEvaluatingNothing: [] });
    // Stronger still: every rule applied somewhere and found it compliant, so "none" is not "nothing in scope".
    const neverCompliant = secureRun.tallies.filter((t) => t.compliant === 0).map((t) => t.ruleId);
    expect({ rulesNeverCompliant: neverCompliant }).toEqual({ rulesNeverCompliant: [] });
    expect(secureRun.tallies).toHaveLength(CATALOGUE.length);
  });
});
