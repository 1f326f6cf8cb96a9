import { App } from 'aws-cdk-lib';
import { stackOf, TemplateFixture } from './harness';
import { monitoredByWorkflow } from './monitoring-workflow-fixture';
import { networkFixture } from './network-fixture';
import { CATALOGUE } from '../../src/nag/catalogue';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { RuleContext } from '../../src/nag/secure-ai-rule';

/*
 * Linearity of workloads the benchmark's platform mix does not hold, counted as linearity.test.ts counts it: index
 * look-ups inside each rule's checks, per copy of a workload added to the app. Each copy is a stack of its own, so that
 * logical IDs repeat and every lookup over the whole app meets every copy.
 * - Endpoints monitored by a scheduled state machine (what every InferenceEndpoint builds): matching each state
 *   machine's inputs with every endpoint's captures made O2 and O3 grow with the square of the endpoints.
 * - VPCs whose AI subnets each carry their own flow log: finding the subnets of each VPC among all the app's subnets
 *   made O11 grow with the square of the VPCs.
 */

const COPIES = [2, 8, 32];

function lookupsPerRule(fixture: TemplateFixture, copies: number): Map<string, number> {
  const perRule = new Map<string, number>();
  const originals = CATALOGUE.map((rule) => rule.check);
  CATALOGUE.forEach((rule, i) => {
    (rule as { check: typeof rule.check }).check = (resource, context: RuleContext) => {
      const before = context.index.statistics.lookups;
      try {
        return originals[i].call(rule, resource, context);
      } finally {
        perRule.set(rule.id, (perRule.get(rule.id) ?? 0) + context.index.statistics.lookups - before);
      }
    };
  });
  try {
    const app = new App({ autoSynth: false });
    for (let i = 0; i < copies; i++) stackOf(fixture, app, `Copy${i}`);
    new SecureAiChecks({ failOn: FailOn.NONE }).validateScope(app);
    return perRule;
  } finally {
    CATALOGUE.forEach((rule, i) => { (rule as { check: typeof rule.check }).check = originals[i]; });
  }
}

/** The rules whose look-ups per copy added are not the same from 2 to 8 copies as from 8 to 32 (within 1%). */
function growingRules(fixture: TemplateFixture): Array<{ id: string; marginals: number[] }> {
  const series = COPIES.map((copies) => lookupsPerRule(fixture, copies));
  return CATALOGUE.map((rule) => {
    const counts = series.map((s) => s.get(rule.id) ?? 0);
    const marginals = [1, 2].map((i) => (counts[i] - counts[i - 1]) / (COPIES[i] - COPIES[i - 1]));
    return { id: rule.id, marginals };
  }).filter(({ marginals: [a, b] }) => Math.abs(b - a) > Math.max(0.01, 0.01 * Math.abs(a)));
}

describe('SecureAiChecks over 2, 8 and 32 copies of a workload the platform mix lacks', () => {
  test('endpoints monitored by scheduled state machines: no rule scans every capture for each state machine', () => {
    expect(growingRules({ Resources: monitoredByWorkflow() })).toEqual([]);
  });

  test('VPCs logged subnet by subnet: no rule scans every subnet of the app for each VPC', () => {
    const fixture = networkFixture({
      FlowLog: { Type: 'AWS::EC2::FlowLog', Properties: { ResourceId: { Ref: 'Subnet' }, ResourceType: 'Subnet', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-logs' } },
    });
    expect(growingRules(fixture)).toEqual([]);
  });
});
