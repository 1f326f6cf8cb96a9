import { App, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { TemplateFixture, ifElse, imported, validate, ValidationRun, verdictOf } from '../../harness';

const EXTERNAL = [{ Key: 'ai:exposure', Value: 'external' }];
const TOPIC = { Name: 'investment-advice', Definition: 'Recommendations on buying or selling securities.', Type: 'DENY' };
const guardrail = (topics: unknown, tags: unknown = EXTERNAL) => ({
  Type: 'AWS::Bedrock::Guardrail',
  Properties: { Name: 'g', BlockedInputMessaging: 'no', BlockedOutputsMessaging: 'no', Tags: tags, TopicPolicyConfig: topics === undefined ? undefined : { TopicsConfig: topics } },
});
const run = (topics: unknown, tags?: unknown, extra: TemplateFixture['Resources'] = {}, parameters?: TemplateFixture['Parameters']) =>
  validate({ Parameters: parameters, Resources: { Guardrail: guardrail(topics, tags), ...extra } });

describe('D7 guardrails of externally exposed assistants deny prohibited topics', () => {
  test('compliant: a DENY topic on input and output', () => {
    const result = run([TOPIC]);
    expect(verdictOf(result, 'D7', 'Guardrail')).toBe('none');
    expect(result.tally('D7')).toMatchObject({ compliant: 1 });
    expect(verdictOf(run([{ ...TOPIC, InputEnabled: true, OutputEnabled: 'true', InputAction: 'BLOCK', OutputAction: 'BLOCK' }]), 'D7', 'Guardrail')).toBe('none');
  });

  test('not applicable: guardrails of assistants not tagged external', () => {
    expect(run(undefined, []).tally('D7')).toMatchObject({ notApplicable: 1 });
    expect(run(undefined, [{ Key: 'ai:exposure', Value: 'internal' }]).tally('D7')).toMatchObject({ notApplicable: 1 });
  });

  test('non-compliant: no topic policy on an external guardrail', () => {
    const result = run(undefined);
    expect(verdictOf(result, 'D7', 'Guardrail')).toBe('non-compliant');
    expect(result.of('D7')[0]).toMatchObject({ ruleName: 'SecureAI-D7', level: 'warning', locations: ['Properties.TopicPolicyConfig.TopicsConfig'] });
    expect(result.of('D7')[0].message).toMatch(/has no denied topic.*ai:exposure=external/);
    expect(verdictOf(run([]), 'D7', 'Guardrail')).toBe('non-compliant');
  });

  test('non-compliant: the only topic off for input or output, or in detect-only mode', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ InputEnabled: false }, /topic "investment-advice" has InputEnabled false/],
      [{ OutputEnabled: 'false' }, /has OutputEnabled "false"/],
      [{ InputAction: 'NONE' }, /has InputAction "NONE" \(detect only\)/],
      [{ OutputAction: 'NONE' }, /has OutputAction "NONE"/],
      [{ Type: 'ALLOW' }, /has Type "ALLOW"/],
    ];
    for (const [change, message] of cases) {
      const result = run([{ ...TOPIC, ...change }]);
      expect(verdictOf(result, 'D7', 'Guardrail')).toBe('non-compliant');
      expect(result.of('D7')[0].message).toMatch(message);
    }
  });

  test('exposure is read from the agents that attach the guardrail (map-form tags) and from the stack', () => {
    const agent = {
      Type: 'AWS::Bedrock::Agent',
      Properties: { AgentName: 'a', Tags: { 'ai:exposure': 'External' }, GuardrailConfiguration: { GuardrailIdentifier: { 'Fn::GetAtt': ['Guardrail', 'GuardrailArn'] }, GuardrailVersion: '1' } },
    };
    expect(verdictOf(run(undefined, [], { Agent: agent }), 'D7', 'Guardrail')).toBe('non-compliant');
    const app = new App();
    const stack = new Stack(app, 'Public', { tags: { 'ai:exposure': 'external' } });
    new bedrock.CfnGuardrail(stack, 'Guardrail', { name: 'g', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no' });
    new bedrock.CfnGuardrail(stack, 'WithTopics', {
      name: 't',
      blockedInputMessaging: 'no',
      blockedOutputsMessaging: 'no',
      topicPolicyConfig: { topicsConfig: [{ name: 'legal', definition: 'Legal advice.', type: 'DENY' }] },
    });
    const result = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(result.of('D7').map((f) => f.constructPath)).toEqual(['Public/Guardrail']);
  });

  test('intrinsic: Fn::If on the topics; parameter allowed values', () => {
    const conditional = run(ifElse([TOPIC], []));
    expect(verdictOf(conditional, 'D7', 'Guardrail')).toBe('non-compliant');
    expect(conditional.of('D7')[0].message).toMatch(/possible forms/);
    const param = (AllowedValues: unknown[]) => run([{ ...TOPIC, OutputEnabled: { Ref: 'Output' } }], undefined, {}, { Output: { AllowedValues } });
    expect(verdictOf(param(['true']), 'D7', 'Guardrail')).toBe('none');
    expect(verdictOf(param(['true', 'false']), 'D7', 'Guardrail')).toBe('unverifiable');
  });

  test('unverifiable: topics imported, or the exposure tag chosen at deploy time', () => {
    const topics = run(imported('topics'));
    expect(verdictOf(topics, 'D7', 'Guardrail')).toBe('unverifiable');
    expect(topics.of('D7')[0].ruleName).toBe('SecureAI-D7[unverifiable]');
    const exposure = run(undefined, [{ Key: 'ai:exposure', Value: imported('exposure') }]);
    expect(verdictOf(exposure, 'D7', 'Guardrail')).toBe('unverifiable');
    expect(exposure.of('D7')[0].message).toMatch(/ai:exposure tag is not known/);
    // A compliant guardrail needs no exposure to be known.
    expect(verdictOf(run([TOPIC], [{ Key: 'ai:exposure', Value: imported('exposure') }]), 'D7', 'Guardrail')).toBe('none');
  });
});
