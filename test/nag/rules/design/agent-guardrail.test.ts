import { App, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, validate, ValidationRun, verdictOf } from '../../harness';

const GUARDRAIL = { Type: 'AWS::Bedrock::Guardrail', Properties: { Name: 'g', BlockedInputMessaging: 'no', BlockedOutputsMessaging: 'no' } };
const VERSION = { Type: 'AWS::Bedrock::GuardrailVersion', Properties: { GuardrailIdentifier: { 'Fn::GetAtt': ['Guardrail', 'GuardrailId'] } } };
const agent = (guardrail: unknown) => ({ Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a', GuardrailConfiguration: guardrail } });
const CONFIG = { GuardrailIdentifier: { 'Fn::GetAtt': ['Guardrail', 'GuardrailId'] }, GuardrailVersion: { 'Fn::GetAtt': ['Version', 'Version'] } };
const run = (guardrail: unknown, parameters?: Record<string, { Default?: unknown; AllowedValues?: unknown[] }>) =>
  validate({ Parameters: parameters, Resources: { Guardrail: GUARDRAIL, Version: VERSION, Agent: agent(guardrail) } });

describe('D2 Bedrock agents have a guardrail', () => {
  test('compliant: a guardrail of the app and its version', () => {
    expect(verdictOf(run(CONFIG), 'D2', 'Agent')).toBe('none');
    expect(run(CONFIG).tally('D2')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('compliant: a guardrail ARN and version imported from another stack are set', () => {
    expect(verdictOf(run({ GuardrailIdentifier: imported('guardrail-arn'), GuardrailVersion: '3' }), 'D2', 'Agent')).toBe('none');
  });

  test('non-compliant: no GuardrailConfiguration (the default)', () => {
    const result = run(undefined);
    expect(verdictOf(result, 'D2', 'Agent')).toBe('non-compliant');
    expect(result.of('D2')[0]).toMatchObject({ ruleName: 'SecureAI-D2', level: 'error' });
    expect(result.of('D2')[0].locations).toEqual(['Properties.GuardrailConfiguration.GuardrailIdentifier', 'Properties.GuardrailConfiguration.GuardrailVersion']);
    expect(result.of('D2')[0].message).toMatch(/GuardrailIdentifier is absent: the agent has no guardrail/);
  });

  test('non-compliant: the identifier without a version, and the version without an identifier', () => {
    const noVersion = run({ GuardrailIdentifier: CONFIG.GuardrailIdentifier });
    expect(noVersion.of('D2')[0].message).toMatch(/GuardrailVersion is absent/);
    expect(noVersion.of('D2')[0].message).not.toMatch(/GuardrailIdentifier is absent/);
    expect(run({ GuardrailVersion: '1' }).of('D2')[0].message).toMatch(/GuardrailIdentifier is absent/);
    expect(verdictOf(run({ GuardrailIdentifier: '', GuardrailVersion: '1' }), 'D2', 'Agent')).toBe('non-compliant');
  });

  test('intrinsic: Fn::If with an AWS::NoValue branch, and a parameter whose default is empty', () => {
    const conditional = run(ifElse(CONFIG, NO_VALUE));
    expect(verdictOf(conditional, 'D2', 'Agent')).toBe('non-compliant');
    expect(conditional.of('D2')[0].message).toMatch(/possible forms/);
    const param = (Default: string) => run({ GuardrailIdentifier: { Ref: 'GuardrailId' }, GuardrailVersion: '1' }, { GuardrailId: { Default } });
    expect(verdictOf(param('gr-123'), 'D2', 'Agent')).toBe('none');
    expect(verdictOf(param(''), 'D2', 'Agent')).toBe('non-compliant');
    expect(param('').of('D2')[0].message).toMatch(/parameter GuardrailId/);
  });

  test('unverifiable: the whole GuardrailConfiguration imported', () => {
    const result = run(imported('guardrail-config'));
    expect(verdictOf(result, 'D2', 'Agent')).toBe('unverifiable');
    expect(result.of('D2')[0].ruleName).toBe('SecureAI-D2[unverifiable]');
  });

  test('real CDK output: CfnAgent with and without guardrailConfiguration', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const guardrail = new bedrock.CfnGuardrail(stack, 'Guardrail', { name: 'g', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no' });
    const version = new bedrock.CfnGuardrailVersion(stack, 'Version', { guardrailIdentifier: guardrail.attrGuardrailId });
    new bedrock.CfnAgent(stack, 'Guarded', { agentName: 'g', guardrailConfiguration: { guardrailIdentifier: guardrail.attrGuardrailId, guardrailVersion: version.attrVersion } });
    new bedrock.CfnAgent(stack, 'Open', { agentName: 'o' });
    const result = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(result.of('D2').map((f) => f.constructPath)).toEqual(['S/Open']);
  });
});
