import { App, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, validate, ValidationRun, verdictOf } from '../../harness';

const ATTACK = { Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' };
const HATE = { Type: 'HATE', InputStrength: 'HIGH', OutputStrength: 'HIGH' };
const guardrail = (filters: unknown, parameters?: Record<string, { Default?: unknown; AllowedValues?: unknown[] }>) => validate({
  Parameters: parameters,
  Resources: {
    Guardrail: {
      Type: 'AWS::Bedrock::Guardrail',
      Properties: { Name: 'g', BlockedInputMessaging: 'no', BlockedOutputsMessaging: 'no', ContentPolicyConfig: filters === undefined ? undefined : { FiltersConfig: filters } },
    },
  },
});

describe('D3 guardrails block prompt attacks at high strength', () => {
  test('compliant: PROMPT_ATTACK at HIGH with OutputStrength NONE (required by the service, never flagged)', () => {
    const run = guardrail([HATE, ATTACK]);
    expect(verdictOf(run, 'D3', 'Guardrail')).toBe('none');
    expect(run.tally('D3')).toMatchObject({ compliant: 1 });
    expect(verdictOf(guardrail([{ ...ATTACK, InputEnabled: true, InputAction: 'BLOCK', InputModalities: ['TEXT', 'IMAGE'] }]), 'D3', 'Guardrail')).toBe('none');
    expect(verdictOf(guardrail([{ ...ATTACK, Type: 'prompt_attack', InputStrength: 'high' }]), 'D3', 'Guardrail')).toBe('none');
  });

  test('non-compliant: no content policy, or no PROMPT_ATTACK filter', () => {
    const none = guardrail(undefined);
    expect(verdictOf(none, 'D3', 'Guardrail')).toBe('non-compliant');
    expect(none.of('D3')[0]).toMatchObject({ ruleName: 'SecureAI-D3', level: 'error', locations: ['Properties.ContentPolicyConfig.FiltersConfig'] });
    expect(none.of('D3')[0].message).toMatch(/has no PROMPT_ATTACK filter/);
    expect(guardrail([HATE]).of('D3')[0].message).toMatch(/has no PROMPT_ATTACK filter/);
  });

  test('non-compliant: each part of the filter switched off', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ InputStrength: 'MEDIUM' }, /InputStrength is "MEDIUM", not HIGH/],
      [{ InputStrength: undefined }, /InputStrength is absent, not HIGH/],
      [{ InputEnabled: false }, /InputEnabled is false/],
      [{ InputEnabled: 'false' }, /InputEnabled is "false"/],
      [{ InputAction: 'NONE' }, /InputAction is "NONE": attacks are detected but not blocked/],
      [{ InputModalities: ['IMAGE'] }, /InputModalities \["IMAGE"\] leave out TEXT/],
    ];
    for (const [change, message] of cases) {
      const run = guardrail([{ ...ATTACK, ...change }]);
      expect(verdictOf(run, 'D3', 'Guardrail')).toBe('non-compliant');
      expect(run.of('D3')[0].message).toMatch(message);
    }
  });

  test('intrinsic: Fn::If with a weaker branch; a parameter judged by its allowed values', () => {
    const conditional = guardrail([{ ...ATTACK, InputStrength: ifElse('HIGH', 'LOW') }]);
    expect(verdictOf(conditional, 'D3', 'Guardrail')).toBe('non-compliant');
    expect(conditional.of('D3')[0].message).toMatch(/possible forms/);
    const strength = (AllowedValues: string[]) => guardrail([{ ...ATTACK, InputStrength: { Ref: 'Strength' } }], { Strength: { AllowedValues } });
    expect(verdictOf(strength(['HIGH']), 'D3', 'Guardrail')).toBe('none');
    expect(verdictOf(strength(['HIGH', 'MEDIUM']), 'D3', 'Guardrail')).toBe('unverifiable');
    expect(strength(['HIGH', 'MEDIUM']).of('D3')[0].message).toMatch(/parameter Strength/);
  });

  test('intrinsic: a finding names the parameters of the filter it is about, not those of the other filters', () => {
    const parameters = { HateStrength: { Default: 'HIGH' }, AttackStrength: { Default: 'LOW' } };
    const unrelated = guardrail([{ ...HATE, InputStrength: { Ref: 'HateStrength' } }, { ...ATTACK, InputStrength: 'LOW' }], parameters);
    expect(unrelated.of('D3')[0].message).toBe('the PROMPT_ATTACK filter\'s InputStrength is "LOW", not HIGH: jailbreaks and prompt injection are not reliably stopped');
    const own = guardrail([{ ...HATE, InputStrength: { Ref: 'HateStrength' } }, { ...ATTACK, InputStrength: { Ref: 'AttackStrength' } }], parameters);
    expect(own.of('D3')[0].message).toMatch(/InputStrength is "LOW", not HIGH: jailbreaks and prompt injection are not reliably stopped \(with the value of parameter AttackStrength\)$/);
  });

  test('unverifiable: filters or their strength imported', () => {
    const list = guardrail(imported('filters'));
    expect(verdictOf(list, 'D3', 'Guardrail')).toBe('unverifiable');
    expect(list.of('D3')[0]).toMatchObject({ ruleName: 'SecureAI-D3[unverifiable]', level: 'warning' });
    expect(verdictOf(guardrail([{ ...ATTACK, InputStrength: imported('strength') }]), 'D3', 'Guardrail')).toBe('unverifiable');
    expect(verdictOf(guardrail([HATE, imported('attack-filter')]), 'D3', 'Guardrail')).toBe('unverifiable');
    // A readable compliant filter decides even when another filter cannot be read.
    expect(verdictOf(guardrail([ATTACK, imported('other')]), 'D3', 'Guardrail')).toBe('none');
  });

  test('does not throw on malformed input', () => {
    for (const filters of [[null, 3, 'x'], 'not-a-list', [{ Type: 42 }], [{}]]) {
      const run = guardrail(filters);
      expect(run.ids.filter((id) => id.includes('EngineError'))).toEqual([]);
      expect(verdictOf(run, 'D3', 'Guardrail')).toBe('non-compliant');
    }
  });

  test('real CDK output: CfnGuardrail contentPolicyConfig', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new bedrock.CfnGuardrail(stack, 'Strong', {
      name: 's',
      blockedInputMessaging: 'no',
      blockedOutputsMessaging: 'no',
      contentPolicyConfig: { filtersConfig: [{ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' }] },
    });
    new bedrock.CfnGuardrail(stack, 'Weak', {
      name: 'w',
      blockedInputMessaging: 'no',
      blockedOutputsMessaging: 'no',
      contentPolicyConfig: { filtersConfig: [{ type: 'PROMPT_ATTACK', inputStrength: 'LOW', outputStrength: 'NONE' }] },
    });
    const run = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(run.of('D3').map((f) => f.constructPath)).toEqual(['S/Weak']);
  });
});
