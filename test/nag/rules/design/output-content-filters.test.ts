import { ifElse, imported, validate, verdictOf } from '../../harness';

const CATEGORIES = ['HATE', 'INSULTS', 'SEXUAL', 'VIOLENCE', 'MISCONDUCT'];
const filter = (Type: string, change: Record<string, unknown> = {}) => ({ Type, InputStrength: 'HIGH', OutputStrength: 'HIGH', ...change });
const ALL = CATEGORIES.map((c) => filter(c));
const guardrail = (filters: unknown, parameters?: Record<string, { Default?: unknown; AllowedValues?: unknown[] }>) => validate({
  Parameters: parameters,
  Resources: {
    Guardrail: {
      Type: 'AWS::Bedrock::Guardrail',
      Properties: { Name: 'g', BlockedInputMessaging: 'no', BlockedOutputsMessaging: 'no', ContentPolicyConfig: filters === undefined ? undefined : { FiltersConfig: filters } },
    },
  },
});
const replace = (category: string, change: Record<string, unknown>) => ALL.map((f) => (f.Type === category ? { ...f, ...change } : f));

describe('D4 guardrails filter harmful content in model outputs', () => {
  test('compliant: every category at MEDIUM or HIGH on output', () => {
    expect(verdictOf(guardrail(ALL), 'D4', 'Guardrail')).toBe('none');
    expect(verdictOf(guardrail(replace('HATE', { OutputStrength: 'medium', OutputAction: 'BLOCK', OutputEnabled: 'true' })), 'D4', 'Guardrail')).toBe('none');
    expect(verdictOf(guardrail([...ALL, { Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' }]), 'D4', 'Guardrail')).toBe('none');
  });

  test('non-compliant: no content policy names every missing category', () => {
    const run = guardrail(undefined);
    expect(verdictOf(run, 'D4', 'Guardrail')).toBe('non-compliant');
    expect(run.of('D4')[0]).toMatchObject({ ruleName: 'SecureAI-D4', level: 'warning', locations: ['Properties.ContentPolicyConfig.FiltersConfig'] });
    expect(run.of('D4')[0].message).toMatch(/HATE has no filter; INSULTS has no filter; SEXUAL has no filter; VIOLENCE has no filter; MISCONDUCT has no filter/);
  });

  test('non-compliant: each category missing, and each output setting switched off', () => {
    for (const category of CATEGORIES) {
      const run = guardrail(ALL.filter((f) => f.Type !== category));
      expect(run.of('D4')[0].message).toContain(`${category} has no filter`);
    }
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ OutputStrength: 'LOW' }, /VIOLENCE has OutputStrength "LOW", not MEDIUM or HIGH/],
      [{ OutputStrength: 'NONE' }, /VIOLENCE has OutputStrength "NONE"/],
      [{ OutputStrength: undefined }, /VIOLENCE has OutputStrength absent/],
      [{ OutputEnabled: false }, /VIOLENCE has OutputEnabled false/],
      [{ OutputAction: 'NONE' }, /VIOLENCE has OutputAction "NONE" \(detect only\)/],
      [{ OutputModalities: ['IMAGE'] }, /VIOLENCE has OutputModalities \["IMAGE"\], without TEXT/],
    ];
    for (const [change, message] of cases) {
      const run = guardrail(replace('VIOLENCE', change));
      expect(verdictOf(run, 'D4', 'Guardrail')).toBe('non-compliant');
      expect(run.of('D4')[0].message).toMatch(message);
    }
  });

  test('a second, strong filter of the same category passes', () => {
    expect(verdictOf(guardrail([...replace('SEXUAL', { OutputStrength: 'LOW' }), filter('SEXUAL')]), 'D4', 'Guardrail')).toBe('none');
  });

  test('intrinsic: Fn::If with a weak branch; parameter allowed values', () => {
    const run = guardrail(replace('INSULTS', { OutputStrength: ifElse('HIGH', 'LOW') }));
    expect(verdictOf(run, 'D4', 'Guardrail')).toBe('non-compliant');
    expect(run.of('D4')[0].message).toMatch(/possible forms/);
    const param = (AllowedValues: string[]) => guardrail(replace('INSULTS', { OutputStrength: { Ref: 'Strength' } }), { Strength: { AllowedValues } });
    expect(verdictOf(param(['MEDIUM', 'HIGH']), 'D4', 'Guardrail')).toBe('none');
    expect(verdictOf(param(['HIGH', 'LOW']), 'D4', 'Guardrail')).toBe('unverifiable');
  });

  test('unverifiable: the filter list or a strength imported', () => {
    expect(verdictOf(guardrail(imported('filters')), 'D4', 'Guardrail')).toBe('unverifiable');
    const strength = guardrail(replace('HATE', { OutputStrength: imported('s') }));
    expect(verdictOf(strength, 'D4', 'Guardrail')).toBe('unverifiable');
    expect(strength.of('D4')[0].ruleName).toBe('SecureAI-D4[unverifiable]');
  });
});
