import { App, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const GUARDRAIL: Resources = {
  Guardrail: { Type: 'AWS::Bedrock::Guardrail', Properties: { Name: 'g', BlockedInputMessaging: 'no', BlockedOutputsMessaging: 'no' } },
  GuardrailVersion: { Type: 'AWS::Bedrock::GuardrailVersion', Properties: { GuardrailIdentifier: { 'Fn::GetAtt': ['Guardrail', 'GuardrailId'] } } },
};
const agent = (version: unknown, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Bedrock::Agent',
  Properties: { AgentName: 'a', GuardrailConfiguration: { GuardrailIdentifier: { 'Fn::GetAtt': ['Guardrail', 'GuardrailId'] }, GuardrailVersion: version }, ...extra },
});
const agentAlias = (routing: unknown) => ({ Type: 'AWS::Bedrock::AgentAlias', Properties: { AgentId: 'A1', AgentAliasName: 'live', RoutingConfiguration: routing } });
const flowAlias = (routing: unknown) => ({ Type: 'AWS::Bedrock::FlowAlias', Properties: { FlowArn: 'arn:f', Name: 'live', RoutingConfiguration: routing } });
const enforced = (version: unknown) => ({ Type: 'AWS::Bedrock::EnforcedGuardrailConfiguration', Properties: { GuardrailIdentifier: 'g', GuardrailVersion: version } });
const GUARDRAIL_VERSION = { 'Fn::GetAtt': ['GuardrailVersion', 'Version'] };
const one = (logicalId: string, resource: unknown, extra: Resources = {}) =>
  validate({ Resources: { ...GUARDRAIL, ...extra, [logicalId]: resource as never } });

describe('O9 versioned AI references', () => {
  test('compliant: numbered versions everywhere', () => {
    const run = validate({
      Resources: {
        ...GUARDRAIL,
        Agent: agent(GUARDRAIL_VERSION),
        Alias: agentAlias([{ AgentVersion: '3' }]),
        FlowVersion: { Type: 'AWS::Bedrock::FlowVersion', Properties: { FlowArn: 'arn:f' } },
        FlowAlias: flowAlias([{ FlowVersion: { 'Fn::GetAtt': ['FlowVersion', 'Version'] } }]),
        Enforced: enforced(2),
      },
    });
    expect(run.of('O9')).toEqual([]);
    expect(run.tally('O9')).toMatchObject({ evaluated: 4, compliant: 4 });
  });

  test('non-compliant: DRAFT, or the Version attribute of the guardrail itself (always DRAFT)', () => {
    for (const version of ['DRAFT', { 'Fn::GetAtt': ['Guardrail', 'Version'] }]) {
      const run = one('Agent', agent(version));
      expect(verdictOf(run, 'O9', 'Agent')).toBe('non-compliant');
      expect(run.of('O9')[0]).toMatchObject({ ruleName: 'SecureAI-O9', level: 'warning', locations: ['Properties.GuardrailConfiguration.GuardrailVersion'] });
    }
    expect(one('Agent', agent({ 'Fn::GetAtt': ['Guardrail', 'Version'] })).of('O9')[0].message).toMatch(/which is the working DRAFT/);
  });

  test('non-compliant: a guardrail named without a version', () => {
    const run = one('Agent', agent(undefined));
    expect(run.of('O9')[0].message).toMatch(/GuardrailVersion is absent, so the working DRAFT is used/);
  });

  test('not applicable: an agent without a guardrail (D2 asks for one)', () => {
    const run = validate({ Resources: { Agent: { Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a' } } } });
    expect(run.tally('O9')).toMatchObject({ notApplicable: 1 });
  });

  test('agent aliases: DRAFT, the agent\'s AgentVersion attribute, or no routing at all', () => {
    expect(verdictOf(one('Alias', agentAlias([{ AgentVersion: 'DRAFT' }])), 'O9', 'Alias')).toBe('non-compliant');
    const attribute = one('Alias', agentAlias([{ AgentVersion: { 'Fn::GetAtt': ['Agent', 'AgentVersion'] } }]), { Agent: { Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a' } } });
    expect(verdictOf(attribute, 'O9', 'Alias')).toBe('non-compliant');
    const absent = one('Alias', agentAlias(undefined));
    expect(absent.of('O9')[0].message).toMatch(/RoutingConfiguration is absent/);
    const second = one('Alias', agentAlias([{ AgentVersion: '2' }, { AgentVersion: 'DRAFT' }]));
    expect(second.of('O9')[0].locations).toEqual(['Properties.RoutingConfiguration[1].AgentVersion']);
  });

  test('flow aliases and enforced guardrail configurations', () => {
    expect(verdictOf(one('FlowAlias', flowAlias([{ FlowVersion: 'DRAFT' }])), 'O9', 'FlowAlias')).toBe('non-compliant');
    const flowAttr = one('FlowAlias', flowAlias([{ FlowVersion: { 'Fn::GetAtt': ['Flow', 'Version'] } }]), { Flow: { Type: 'AWS::Bedrock::Flow', Properties: { Name: 'f' } } });
    expect(verdictOf(flowAttr, 'O9', 'FlowAlias')).toBe('non-compliant');
    expect(verdictOf(one('Enforced', enforced('DRAFT')), 'O9', 'Enforced')).toBe('non-compliant');
    expect(verdictOf(one('Enforced', enforced('1')), 'O9', 'Enforced')).toBe('none');
  });

  test('flow nodes: prompt ARNs without a version and node guardrails at DRAFT', () => {
    const flow = (nodes: unknown) => ({ Type: 'AWS::Bedrock::Flow', Properties: { Name: 'f', Definition: { Nodes: nodes } } });
    const promptNode = (arn: unknown) => ({ Name: 'p', Type: 'Prompt', Configuration: { Prompt: { SourceConfiguration: { Resource: { PromptArn: arn } } } } });
    const prompt = { Type: 'AWS::Bedrock::Prompt', Properties: { Name: 'p' } };
    const promptVersion = { Type: 'AWS::Bedrock::PromptVersion', Properties: { PromptArn: { 'Fn::GetAtt': ['Prompt', 'Arn'] } } };
    const draft = one('Flow', flow([promptNode({ 'Fn::GetAtt': ['Prompt', 'Arn'] })]), { Prompt: prompt });
    expect(verdictOf(draft, 'O9', 'Flow')).toBe('non-compliant');
    expect(draft.of('O9')[0].locations).toEqual(['Properties.Definition.Nodes[0].Configuration.Prompt.SourceConfiguration.Resource.PromptArn']);
    expect(verdictOf(one('Flow', flow([promptNode({ 'Fn::GetAtt': ['PromptVersion', 'Arn'] })]), { Prompt: prompt, PromptVersion: promptVersion }), 'O9', 'Flow')).toBe('none');
    expect(verdictOf(one('Flow', flow([promptNode('arn:aws:bedrock:eu-west-2:111122223333:prompt/ABC:4')])), 'O9', 'Flow')).toBe('none');
    expect(verdictOf(one('Flow', flow([promptNode('arn:aws:bedrock:eu-west-2:111122223333:prompt/ABC')])), 'O9', 'Flow')).toBe('non-compliant');
    const kb = { Name: 'kb', Type: 'KnowledgeBase', Configuration: { KnowledgeBase: { KnowledgeBaseId: 'K', GuardrailConfiguration: { GuardrailIdentifier: 'g', GuardrailVersion: 'DRAFT' } } } };
    expect(verdictOf(one('Flow', flow([kb])), 'O9', 'Flow')).toBe('non-compliant');
    expect(one('Flow', { Type: 'AWS::Bedrock::Flow', Properties: { Name: 'f' } }).tally('O9')).toMatchObject({ notApplicable: 1 });
  });

  test('flow definitions given as a JSON string (the API shape, camelCase) are read', () => {
    const definition = JSON.stringify({ nodes: [{ name: 'p', type: 'Prompt', configuration: { prompt: { sourceConfiguration: { resource: { promptArn: 'arn:aws:bedrock:eu-west-2:1:prompt/ABC' } } } } }] });
    const run = one('Flow', { Type: 'AWS::Bedrock::Flow', Properties: { Name: 'f', DefinitionString: definition } });
    expect(verdictOf(run, 'O9', 'Flow')).toBe('non-compliant');
  });

  test('intrinsic: Fn::If with a DRAFT form; a version from a parameter', () => {
    const conditional = one('Agent', agent(ifElse(GUARDRAIL_VERSION, 'DRAFT')));
    expect(verdictOf(conditional, 'O9', 'Agent')).toBe('non-compliant');
    expect(conditional.of('O9')[0].message).toMatch(/in one of its 2 possible forms/);
    const parameter = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { AgentVersion: { Default, AllowedValues } },
      Resources: { Alias: agentAlias([{ AgentVersion: { Ref: 'AgentVersion' } }]) },
    });
    expect(verdictOf(parameter('4'), 'O9', 'Alias')).toBe('none');
    expect(verdictOf(parameter('4', ['4', 'DRAFT']), 'O9', 'Alias')).toBe('parameter');
    expect(parameter('DRAFT').of('O9')[0].message).toMatch(/parameter AgentVersion/);
  });

  test('unverifiable: a version imported or built at deploy time', () => {
    const run = one('Agent', agent(imported('guardrail-version')));
    expect(verdictOf(run, 'O9', 'Agent')).toBe('unverifiable');
    expect(run.of('O9')[0]).toMatchObject({ ruleName: 'SecureAI-O9[unverifiable]', level: 'warning' });
    expect(verdictOf(one('Alias', agentAlias(imported('routing'))), 'O9', 'Alias')).toBe('unverifiable');
    expect(verdictOf(one('Alias', agentAlias([{ AgentVersion: { 'Fn::Sub': '${AWS::AccountId}' } }])), 'O9', 'Alias')).toBe('unverifiable');
  });

  test('reads what the CDK L1 constructs render', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const guardrail = new bedrock.CfnGuardrail(stack, 'Guardrail', { name: 'g', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no' });
    const version = new bedrock.CfnGuardrailVersion(stack, 'Version', { guardrailIdentifier: guardrail.attrGuardrailId });
    new bedrock.CfnAgent(stack, 'Pinned', { agentName: 'a', guardrailConfiguration: { guardrailIdentifier: guardrail.attrGuardrailId, guardrailVersion: version.attrVersion } });
    new bedrock.CfnAgent(stack, 'Draft', { agentName: 'b', guardrailConfiguration: { guardrailIdentifier: guardrail.attrGuardrailId, guardrailVersion: guardrail.attrVersion } });
    const run = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(run.of('O9').map((f) => f.logicalId)).toEqual(['Draft']);
  });
});
