import { App } from 'aws-cdk-lib';
import { stackOf, TemplateFixture } from './harness';
import { monitoredByWorkflow } from './monitoring-workflow-fixture';
import { networkFixture } from './network-fixture';
import { countingRuleLookups, RuleLookups } from './rule-lookups';
import { fixture as wholeGuideline, STACK_TAGS } from './whole-guideline-fixture';
import { CATALOGUE } from '../../src/nag/catalogue';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';

/*
 * Linearity of workloads the benchmark's platform mix does not hold, counted as linearity.test.ts counts it: index
 * look-ups inside each rule's checks, per copy of a workload added to the app. Each copy is a stack of its own, so that
 * logical IDs repeat and every lookup over the whole app meets every copy.
 * - Endpoints monitored by a scheduled state machine (what every InferenceEndpoint builds): matching each state
 *   machine's inputs with every endpoint's captures made O2 and O3 grow with the square of the endpoints.
 * - VPCs whose AI subnets each carry their own flow log: finding the subnets of each VPC among all the app's subnets
 *   made O11 grow with the square of the VPCs.
 * - The whole guideline, secure and insecure: one resource of every type a rule reads, so that every lookup of every
 *   rule meets copies of what it looks for. Reading every security policy of the app again for each collection made P27
 *   and P28 grow with the square of the collections. Two rules relate pairs by what they judge, and still grow:
 *   - P21 asks, of each AI bucket and AI resource type, whether some trail or event data store of the app records its
 *     data events: AI buckets × recorders, and each copy adds both. Apps hold one or a few recorders (most often one
 *     organisation trail).
 *   - P15 asks, of each model pipeline, whether its role may sign with some signing key of the app: pipelines × signing
 *     keys, and each secure copy adds both. Apps hold a few signing keys.
 * - Parameterised stacks whose resources are created under conditions, the network alone and the whole guideline with
 *   every resource conditional: a lookup over the whole app that read the Condition of every resource made every rule
 *   asking it depend on every parameter of every stack, so each judgement was run again for each other allowed value of
 *   each. Lookups now keep every declared resource, and a rule asks whether those that answer it are created.
 */

/** The rules that relate pairs, by posture of the whole guideline (see above). */
const PAIRWISE = { insecure: ['P21'], secure: ['P15', 'P21'] };

const COPIES = [2, 8, 32];

function lookupsPerRule(fixture: TemplateFixture, copies: number, tags: Record<string, string> = {}): Map<string, RuleLookups> {
  return countingRuleLookups(() => {
    const app = new App({ autoSynth: false });
    for (let i = 0; i < copies; i++) {
      const stack = stackOf(fixture, app, `Copy${i}`);
      for (const [key, value] of Object.entries(tags)) stack.tags.setTag(key, value);
    }
    new SecureAiChecks({ failOn: FailOn.NONE }).validateScope(app);
  }).perRule;
}

/**
 * The rules whose look-ups per copy added grow from 2 to 8 copies to 8 to 32 (by more than 1%). Fewer per copy, as the
 * app's fixed costs are shared by more copies, is linear.
 */
function growingRules(fixture: TemplateFixture, copies = COPIES, tags: Record<string, string> = {}): Array<{ id: string; marginals: number[] }> {
  const series = copies.map((n) => lookupsPerRule(fixture, n, tags));
  return CATALOGUE.map((rule) => {
    const counts = series.map((s) => s.get(rule.id)?.lookups ?? 0);
    const marginals = [1, 2].map((i) => (counts[i] - counts[i - 1]) / (copies[i] - copies[i - 1]));
    return { id: rule.id, marginals };
  }).filter(({ marginals: [a, b] }) => b - a > Math.max(0.01, 0.01 * Math.abs(a)));
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

  test('parameterised network stacks whose resources are created under conditions: no rule is judged again for another stack\'s parameters', () => {
    const created = (condition: string, resource: TemplateFixture['Resources'][string]) => ({ ...resource, Condition: condition });
    const network = networkFixture();
    const fixture: TemplateFixture = {
      Parameters: {
        CreateModel: { Type: 'String', Default: 'true', AllowedValues: ['true', 'false'] },
        CreateFlowLogs: { Type: 'String', Default: 'true', AllowedValues: ['true', 'false'] },
        CreateSubnet: { Type: 'String', Default: 'true', AllowedValues: ['true', 'false'] },
      },
      Conditions: {
        ModelCreated: { 'Fn::Equals': [{ Ref: 'CreateModel' }, 'true'] },
        FlowLogsCreated: { 'Fn::Equals': [{ Ref: 'CreateFlowLogs' }, 'true'] },
        SubnetCreated: { 'Fn::Equals': [{ Ref: 'CreateSubnet' }, 'true'] },
      },
      Resources: {
        ...network.Resources,
        Model: created('ModelCreated', network.Resources.Model),
        FlowLog: created('FlowLogsCreated', network.Resources.FlowLog),
        Subnet: created('SubnetCreated', network.Resources.Subnet),
        Bucket: created('ModelCreated', { Type: 'AWS::S3::Bucket', Properties: {} }),
      },
    };
    expect(growingRules(fixture)).toEqual([]);
  });

  test.each(['insecure', 'secure'] as const)('the whole guideline, %s, each resource created under a condition: no rule is judged again for another stack\'s parameters', (posture) => {
    const resources = Object.fromEntries(Object.entries(wholeGuideline(posture)).map(([id, r]) => [id, { ...r, Condition: 'Created' }]));
    const fixture: TemplateFixture = {
      Parameters: { Create: { Type: 'String', Default: 'true', AllowedValues: ['true', 'false'] } },
      Conditions: { Created: { 'Fn::Equals': [{ Ref: 'Create' }, 'true'] } },
      Resources: resources,
    };
    const growing = growingRules(fixture, [2, 4, 8], STACK_TAGS[posture]).map((r) => r.id);
    expect(growing.sort()).toEqual(PAIRWISE[posture]);
  });

  test.each(['insecure', 'secure'] as const)('the whole guideline, %s: no rule scans the app per resource, but the two that relate pairs', (posture) => {
    const growing = growingRules({ Resources: wholeGuideline(posture) }, [2, 4, 8], STACK_TAGS[posture]).map((r) => r.id);
    expect(growing.sort()).toEqual(PAIRWISE[posture]);
  });
});
