import { App, aws_bedrock as bedrock, aws_sagemaker as sagemaker, Stack, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { SecureAiChecks } from '../../../src/nag/secure-ai-checks';
import { ValidationRun } from '../harness';

/*
 * `Tags.of(scope).add` and `.remove` are aspects: the CDK applies them to the L1s only when the app is synthesized.
 * Tests call `validateScope` on apps that have not been synthesized, so the index must read the tags those aspects
 * will write (the pack's own fixes tell users to tag with `Tags.of(stack)`). Each case is judged before and after
 * synthesis, and the two must agree.
 */

const THREAT_MODEL = { 'ai:threat-model': 'https://wiki/tm', 'ai:risk-owner': 'ml-platform', 'ai:criticality': 'high' };

/** The message of the D1 finding on `build`'s app before synthesis (undefined: none), which must be the same after. */
function d1BeforeAndAfterSynthesis(build: (stack: Stack) => void): string | undefined {
  const app = new App();
  build(new Stack(app, 'S'));
  const message = (run: ValidationRun) => run.of('D1').map((f) => f.message)[0];
  const before = message(new ValidationRun(new SecureAiChecks().validateScope(app)));
  app.synth();
  const after = message(new ValidationRun(new SecureAiChecks().validateScope(app)));
  expect(before).toEqual(after);
  return before;
}

const guardrail = (scope: Construct, tags?: Record<string, string>) => new bedrock.CfnGuardrail(scope, 'Guardrail', {
  name: 'g', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no', tags: tags && Object.entries(tags).map(([key, value]) => ({ key, value })),
});

describe('tags written by Tags.of aspects are read before synthesis', () => {
  test('Tags.of(stack).add on list-form and map-form tags', () => {
    expect(d1BeforeAndAfterSynthesis((stack) => {
      guardrail(stack);
      Object.entries(THREAT_MODEL).forEach(([k, v]) => Tags.of(stack).add(k, v));
    })).toBeUndefined();
    expect(d1BeforeAndAfterSynthesis((stack) => {
      new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a' });
      Object.entries(THREAT_MODEL).forEach(([k, v]) => Tags.of(stack).add(k, v));
    })).toBeUndefined();
  });

  test('a tag added on a construct reaches only the resources below it', () => {
    const message = d1BeforeAndAfterSynthesis((stack) => {
      const tagged = new Construct(stack, 'Tagged');
      guardrail(tagged);
      new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: 'arn:aws:iam::111111111111:role/r' });
      Object.entries(THREAT_MODEL).forEach(([k, v]) => Tags.of(tagged).add(k, v));
    });
    expect(message).toMatch(/absent on Model[^,]/);
    expect(message).not.toMatch(/Guardrail/);
  });

  test('Tags.of(...).remove takes away a tag the L1 or the stack set', () => {
    expect(d1BeforeAndAfterSynthesis((stack) => {
      const g = guardrail(stack, THREAT_MODEL);
      Tags.of(g).remove('ai:criticality');
    })).toMatch(/ai:criticality is absent/);
  });

  test('includeResourceTypes and excludeResourceTypes choose the resources', () => {
    // On a construct below the stack: the stack's own tags reach every resource, as CloudFormation propagates them.
    expect(d1BeforeAndAfterSynthesis((stack) => {
      const workload = new Construct(stack, 'Workload');
      guardrail(workload);
      Object.entries(THREAT_MODEL).forEach(([k, v]) => Tags.of(workload).add(k, v, { excludeResourceTypes: ['AWS::Bedrock::Guardrail'] }));
    })).toMatch(/ai:threat-model is absent/);
    expect(d1BeforeAndAfterSynthesis((stack) => {
      const workload = new Construct(stack, 'Workload');
      guardrail(workload);
      Object.entries(THREAT_MODEL).forEach(([k, v]) => Tags.of(workload).add(k, v, { includeResourceTypes: ['AWS::Bedrock::Guardrail'] }));
    })).toBeUndefined();
  });

  test('Tags.of(stack) also tags the stack, whose tags CloudFormation propagates to every resource', () => {
    expect(d1BeforeAndAfterSynthesis((stack) => {
      guardrail(stack);
      Object.entries(THREAT_MODEL).forEach(([k, v]) => Tags.of(stack).add(k, v, { excludeResourceTypes: ['AWS::Bedrock::Guardrail'] }));
    })).toBeUndefined();
  });

  test('priority: a tag the L1 sets wins over an aspect of lower priority, and loses to one of the default priority', () => {
    expect(d1BeforeAndAfterSynthesis((stack) => {
      guardrail(stack, THREAT_MODEL);
      Tags.of(stack).add('ai:criticality', 'extreme', { priority: 10 });
    })).toBeUndefined();
    expect(d1BeforeAndAfterSynthesis((stack) => {
      guardrail(stack, THREAT_MODEL);
      Tags.of(stack).add('ai:criticality', 'extreme');
    })).toMatch(/ai:criticality is "extreme"/);
  });

  test('the index reads every resource\'s tags before synthesis as it reads them after', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const workload = new Construct(stack, 'Workload');
    guardrail(workload, { 'Team': 'ml', 'ai:criticality': 'high' });
    new bedrock.CfnGuardrailVersion(workload, 'Version', { guardrailIdentifier: 'g' });
    Tags.of(stack).add('Owner', 'ml');
    Tags.of(workload).add('ai:threat-model', 'tm');
    Tags.of(workload).remove('ai:criticality');
    const tagsOf = (index: ResourceIndex) => index.resources.map((r) => [r.logicalId,
      r.tags().map((form) => (form instanceof Map ? Object.fromEntries(form) : form)), r.hasTag('ai:threat-model', 'TM'), r.hasTag('ai:criticality', 'high')]);
    const before = tagsOf(ResourceIndex.fromScope(app));
    app.synth();
    expect(before).toEqual(tagsOf(ResourceIndex.fromScope(app)));
    expect(before).toContainEqual(['WorkloadGuardrailF876C74A', [{ 'Owner': 'ml', 'Team': 'ml', 'ai:threat-model': 'tm' }], true, false]);
  });
});
