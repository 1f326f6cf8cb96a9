import { App, Stack, Tags } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, validate, ValidationRun, verdictOf } from '../../harness';

const TAGS = [
  { Key: 'ai:threat-model', Value: 'https://wiki.example.com/tm/fraud' },
  { Key: 'ai:risk-owner', Value: 'head-of-fraud' },
  { Key: 'ai:criticality', Value: 'High' },
];
const MAP_TAGS = { 'ai:threat-model': 'https://wiki.example.com/tm/agent', 'ai:risk-owner': 'cx-lead', 'ai:criticality': 'critical' };
const model = (tags: unknown = TAGS) => ({ Type: 'AWS::SageMaker::Model', Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/m', Tags: tags } });
const agent = (tags: unknown = MAP_TAGS) => ({ Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a', Tags: tags } });

describe('D1 stacks with AI resources point to their threat model', () => {
  test('compliant: list-form and map-form tags carry all three keys; criticality in any case', () => {
    const run = validate({ Resources: { Model: model(), Agent: agent() } });
    expect(run.of('D1')).toEqual([]);
    expect(run.tally('D1')).toMatchObject({ evaluated: 2, compliant: 1, notApplicable: 1 });
  });

  test('judged once per stack, on its first AI resource, naming every resource that lacks the tags', () => {
    const run = validate({ Resources: { Model: model([]), Agent: agent({}), Topic: { Type: 'AWS::SNS::Topic' } } });
    expect(run.of('D1')).toHaveLength(1);
    const finding = run.of('D1')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-D1', level: 'warning', logicalId: 'Model', locations: ['Properties.Tags'] });
    expect(finding.message).toMatch(/ai:threat-model is absent, ai:risk-owner is absent, ai:criticality is absent on Model, Agent/);
  });

  test('compliant: common conventions and a team\'s own keys (tagKeyAliases)', () => {
    const conventions = { 'threat-model': 'https://wiki.example.com/tm', 'Owner': 'fraud-team', 'Criticality': 'low' };
    expect(validate({ Resources: { Model: model(), Agent: agent(conventions) } }).of('D1')).toEqual([]);
    const own = { 'acme:threat-model': 'https://wiki.example.com/tm', 'acme:accountable': 'cx-lead', 'acme:criticality': 'high' };
    expect(validate({ Resources: { Agent: agent(own) } }).of('D1')[0].message).toMatch(/ai:risk-owner is absent on Agent/);
    expect(validate({ Resources: { Agent: agent(own) } }, { tagKeyAliases: { 'ai:risk-owner': ['acme:accountable'] } }).of('D1')).toEqual([]);
    expect(validate({ Resources: { Agent: agent({ ...conventions, Criticality: 'severe' }) } }).of('D1')[0].message).toMatch(/Criticality is "severe", not one of/);
  });

  test('non-compliant: each key missing, an empty value, and a criticality outside the scale', () => {
    const without = (key: string) => TAGS.filter((t) => t.Key !== key);
    for (const key of ['ai:threat-model', 'ai:risk-owner', 'ai:criticality']) {
      const run = validate({ Resources: { Model: model(without(key)) } });
      expect(verdictOf(run, 'D1', 'Model')).toBe('non-compliant');
      expect(run.of('D1')[0].message).toContain(`${key} is absent on Model`);
    }
    const empty = validate({ Resources: { Model: model([...without('ai:risk-owner'), { Key: 'ai:risk-owner', Value: ' ' }]) } });
    expect(empty.of('D1')[0].message).toContain('ai:risk-owner is absent');
    const urgent = validate({ Resources: { Model: model([...without('ai:criticality'), { Key: 'ai:criticality', Value: 'urgent' }]) } });
    expect(urgent.of('D1')[0].message).toMatch(/ai:criticality is "urgent", not one of critical, high, medium, low/);
  });

  test('one resource of the stack without the tags makes the stack non-compliant', () => {
    const run = validate({ Resources: { Model: model(), Agent: agent({ 'ai:threat-model': 'x' }) } });
    expect(verdictOf(run, 'D1', 'Model')).toBe('non-compliant');
    expect(run.of('D1')[0].message).toMatch(/ai:risk-owner is absent, ai:criticality is absent on Agent/);
  });

  test('resource types that cannot carry tags are not judged', () => {
    const run = validate({ Resources: { Version: { Type: 'AWS::Bedrock::GuardrailVersion', Properties: { GuardrailIdentifier: 'g' } }, Model: model() } });
    expect(run.of('D1')).toEqual([]);
    expect(run.tally('D1').evaluated).toBe(1);
  });

  test('stack tags count for every resource of the stack', () => {
    const app = new App();
    const stack = new Stack(app, 'Tagged', { tags: { 'ai:threat-model': 'tm', 'ai:risk-owner': 'owner', 'ai:criticality': 'LOW' } });
    new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a' });
    new bedrock.CfnGuardrail(stack, 'Guardrail', { name: 'g', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no' });
    const run = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(run.of('D1')).toEqual([]);
    expect(run.tally('D1')).toMatchObject({ compliant: 1 });
  });

  test('real CDK output: Tags.of on the stack renders into the L1s at synthesis', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new bedrock.CfnGuardrail(stack, 'Guardrail', { name: 'g', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no' });
    const untagged = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(untagged.of('D1')).toHaveLength(1);
    Tags.of(stack).add('ai:threat-model', 'tm');
    app.synth();
    const partial = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(partial.of('D1')[0].message).toMatch(/ai:risk-owner is absent/);
    expect(partial.of('D1')[0].message).not.toMatch(/ai:threat-model is absent/);
  });

  test('intrinsic: Fn::If with an insecure branch, and a parameter with an insecure allowed value', () => {
    const ifTags = [...TAGS.slice(0, 2), { Key: 'ai:criticality', Value: ifElse('high', 'whatever') }];
    expect(verdictOf(validate({ Resources: { Model: model(ifTags) } }), 'D1', 'Model')).toBe('non-compliant');
    const param = (AllowedValues: string[]) => validate({
      Parameters: { Criticality: { AllowedValues } },
      Resources: { Model: model([...TAGS.slice(0, 2), { Key: 'ai:criticality', Value: { Ref: 'Criticality' } }]) },
    });
    expect(verdictOf(param(['high', 'low']), 'D1', 'Model')).toBe('none');
    expect(verdictOf(param(['high', 'none']), 'D1', 'Model')).toBe('unverifiable');
  });

  test('unverifiable: a tag value imported at deploy time, or tags as a whole imported', () => {
    const value = validate({ Resources: { Model: model([...TAGS.slice(1), { Key: 'ai:threat-model', Value: imported('tm-link') }]) } });
    expect(verdictOf(value, 'D1', 'Model')).toBe('unverifiable');
    expect(value.of('D1')[0]).toMatchObject({ ruleName: 'SecureAI-D1[unverifiable]', level: 'warning' });
    expect(verdictOf(validate({ Resources: { Model: model(imported('tags')) } }), 'D1', 'Model')).toBe('unverifiable');
  });

  test('not applicable: stacks without AI resources', () => {
    const run = validate({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } });
    expect(run.tally('D1').evaluated).toBe(0);
  });

  test('each stack of the app is judged on its own', () => {
    const app = new App();
    new bedrock.CfnAgent(new Stack(app, 'One', { tags: { 'ai:threat-model': 'tm', 'ai:risk-owner': 'o', 'ai:criticality': 'medium' } }), 'Agent', { agentName: 'a' });
    new bedrock.CfnAgent(new Stack(app, 'Two'), 'Agent', { agentName: 'b' });
    const run = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(run.of('D1').map((f) => f.stackPath)).toEqual(['Two']);
  });
});

describe('D1: a resource that is not created', () => {
  const never = { Conditions: { Never: { 'Fn::Equals': ['yes', 'no'] } } };

  test('non-compliant: the stack\'s first AI resource is not created, so the finding is reported on the next', () => {
    const run = validate({ ...never, Resources: { Ghost: { ...model([]), Condition: 'Never' }, Agent: agent({}) } });
    expect(verdictOf(run, 'D1', 'Agent')).toBe('non-compliant');
    expect(run.of('D1')[0].message).toMatch(/absent on Agent\./);
  });

  test('compliant: an untagged AI resource that is not created needs no tags', () => {
    const run = validate({ ...never, Resources: { Ghost: { ...model([]), Condition: 'Never' }, Agent: agent() } });
    expect(run.of('D1')).toEqual([]);
  });
});
