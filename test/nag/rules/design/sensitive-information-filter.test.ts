import { App, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, validate, ValidationRun, verdictOf } from '../../harness';

const EMAIL = { Type: 'EMAIL', Action: 'ANONYMIZE' };
const KEY = { Type: 'AWS_SECRET_KEY', Action: 'BLOCK' };
const REGEX = { Name: 'account-id', Pattern: 'ACC-\\d{8}', Action: 'ANONYMIZE' };
const guardrail = (policy: unknown, parameters?: Record<string, { Default?: unknown; AllowedValues?: unknown[] }>) => validate({
  Parameters: parameters,
  Resources: {
    Guardrail: { Type: 'AWS::Bedrock::Guardrail', Properties: { Name: 'g', BlockedInputMessaging: 'no', BlockedOutputsMessaging: 'no', SensitiveInformationPolicyConfig: policy } },
  },
});

describe('D5 guardrails block or anonymise sensitive information in model outputs', () => {
  test('compliant: PII entities and regexes that block or anonymise', () => {
    expect(verdictOf(guardrail({ PiiEntitiesConfig: [EMAIL, KEY] }), 'D5', 'Guardrail')).toBe('none');
    expect(verdictOf(guardrail({ RegexesConfig: [REGEX] }), 'D5', 'Guardrail')).toBe('none');
    // OutputAction overrides Action on the output side.
    expect(verdictOf(guardrail({ PiiEntitiesConfig: [{ Type: 'NAME', Action: 'NONE', OutputAction: 'ANONYMIZE' }] }), 'D5', 'Guardrail')).toBe('none');
    expect(guardrail({ PiiEntitiesConfig: [EMAIL] }).tally('D5')).toMatchObject({ compliant: 1 });
  });

  test('non-compliant: no policy, or a policy without entities', () => {
    const run = guardrail(undefined);
    expect(verdictOf(run, 'D5', 'Guardrail')).toBe('non-compliant');
    expect(run.of('D5')[0]).toMatchObject({ ruleName: 'SecureAI-D5', level: 'warning', locations: ['Properties.SensitiveInformationPolicyConfig'] });
    expect(run.of('D5')[0].message).toMatch(/has no PII entity or regex/);
    expect(verdictOf(guardrail({ PiiEntitiesConfig: [], RegexesConfig: [] }), 'D5', 'Guardrail')).toBe('non-compliant');
  });

  test('non-compliant: any entity in detect-only mode or off for outputs, even beside good ones', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ Type: 'PHONE', Action: 'NONE' }, /PII entity PHONE has Action "NONE"/],
      [{ Type: 'PHONE', Action: 'BLOCK', OutputAction: 'NONE' }, /PII entity PHONE has OutputAction "NONE"/],
      [{ Type: 'PHONE', Action: 'BLOCK', OutputEnabled: false }, /PII entity PHONE has OutputEnabled false/],
    ];
    for (const [entity, message] of cases) {
      const run = guardrail({ PiiEntitiesConfig: [EMAIL, entity] });
      expect(verdictOf(run, 'D5', 'Guardrail')).toBe('non-compliant');
      expect(run.of('D5')[0].message).toMatch(message);
    }
    expect(guardrail({ PiiEntitiesConfig: [EMAIL], RegexesConfig: [{ ...REGEX, Action: 'NONE' }] }).of('D5')[0].message).toMatch(/regex "account-id" has Action "NONE"/);
  });

  test('intrinsic: Fn::If on the action; a parameter with a detect-only allowed value', () => {
    const run = guardrail({ PiiEntitiesConfig: [{ Type: 'EMAIL', Action: ifElse('BLOCK', 'NONE') }] });
    expect(verdictOf(run, 'D5', 'Guardrail')).toBe('non-compliant');
    expect(run.of('D5')[0].message).toMatch(/possible forms/);
    const param = (AllowedValues: string[]) => guardrail({ PiiEntitiesConfig: [{ Type: 'EMAIL', Action: { Ref: 'PiiAction' } }] }, { PiiAction: { AllowedValues } });
    expect(verdictOf(param(['BLOCK', 'ANONYMIZE']), 'D5', 'Guardrail')).toBe('none');
    expect(verdictOf(param(['ANONYMIZE', 'NONE']), 'D5', 'Guardrail')).toBe('unverifiable');
    const wholePolicy = guardrail(ifElse({ PiiEntitiesConfig: [EMAIL] }, { Ref: 'AWS::NoValue' }));
    expect(verdictOf(wholePolicy, 'D5', 'Guardrail')).toBe('non-compliant');
  });

  test('unverifiable: the policy, a list or an action imported', () => {
    expect(verdictOf(guardrail(imported('policy')), 'D5', 'Guardrail')).toBe('unverifiable');
    expect(verdictOf(guardrail({ PiiEntitiesConfig: imported('entities') }), 'D5', 'Guardrail')).toBe('unverifiable');
    const action = guardrail({ PiiEntitiesConfig: [{ Type: 'EMAIL', Action: imported('action') }] });
    expect(verdictOf(action, 'D5', 'Guardrail')).toBe('unverifiable');
    expect(action.of('D5')[0].ruleName).toBe('SecureAI-D5[unverifiable]');
  });

  test('real CDK output: CfnGuardrail sensitiveInformationPolicyConfig', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new bedrock.CfnGuardrail(stack, 'Masking', {
      name: 'm',
      blockedInputMessaging: 'no',
      blockedOutputsMessaging: 'no',
      sensitiveInformationPolicyConfig: { piiEntitiesConfig: [{ type: 'EMAIL', action: 'ANONYMIZE' }], regexesConfig: [{ name: 'id', pattern: 'x', action: 'BLOCK' }] },
    });
    new bedrock.CfnGuardrail(stack, 'DetectOnly', {
      name: 'd',
      blockedInputMessaging: 'no',
      blockedOutputsMessaging: 'no',
      sensitiveInformationPolicyConfig: { piiEntitiesConfig: [{ type: 'EMAIL', action: 'NONE' }] },
    });
    const run = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(run.of('D5').map((f) => f.constructPath)).toEqual(['S/DetectOnly']);
  });
});
