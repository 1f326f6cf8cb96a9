import { App, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { TemplateFixture, ifElse, imported, validate, ValidationRun, verdictOf } from '../../harness';

const CODE = { ActionGroupName: 'code', ParentActionGroupSignature: 'AMAZON.CodeInterpreter' };
const agent = (groups: unknown, tags?: unknown) => ({ Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a', ActionGroups: groups, Tags: tags } });
const domain = (docker: unknown, tags?: unknown) => ({
  Type: 'AWS::SageMaker::Domain',
  Properties: { DomainName: 'd', AuthMode: 'IAM', DefaultUserSettings: {}, DomainSettings: docker === undefined ? undefined : { DockerSettings: { EnableDockerAccess: docker } }, Tags: tags },
});
const variant = (ssm?: unknown) => ({ VariantName: 'v', ModelName: 'm', InitialInstanceCount: 1, InstanceType: 'ml.m5.large', EnableSSMAccess: ssm });
const config = (variants: unknown, shadow?: unknown, tags?: unknown) => ({
  Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: variants, ShadowProductionVariants: shadow, Tags: tags },
});
const tool = (type: string, mode: unknown, tags?: unknown) => ({ Type: `AWS::BedrockAgentCore::${type}`, Properties: { Name: 't', NetworkConfiguration: { NetworkMode: mode }, Tags: tags } });
const one = (id: string, resource: TemplateFixture['Resources'][string], parameters?: TemplateFixture['Parameters']) => validate({ Parameters: parameters, Resources: { [id]: resource } });

describe('D9 risky capabilities are explicitly opted in to', () => {
  test('compliant: none of the capabilities switched on', () => {
    const result = validate({
      Resources: {
        Agent: agent([{ ActionGroupName: 'ask', ParentActionGroupSignature: 'AMAZON.UserInput' }]),
        Domain: domain('DISABLED'),
        NoDocker: domain(undefined),
        Config: config([variant(false)]),
        Interpreter: tool('CodeInterpreterCustom', 'SANDBOX'),
        Browser: tool('BrowserCustom', 'VPC'),
      },
    });
    expect(result.of('D9')).toEqual([]);
    expect(result.tally('D9')).toMatchObject({ evaluated: 6, compliant: 6 });
  });

  test('non-compliant: each capability switched on, at its property', () => {
    const cases: Array<[string, TemplateFixture['Resources'][string], string, RegExp]> = [
      ['Agent', agent([CODE]), 'Properties.ActionGroups', /ParentActionGroupSignature "AMAZON.CodeInterpreter".*ai:opt-in:code-interpreter/],
      ['Domain', domain('ENABLED'), 'Properties.DomainSettings.DockerSettings.EnableDockerAccess', /EnableDockerAccess is "ENABLED".*ai:opt-in:docker-access/],
      ['Config', config([variant(false), variant(true)]), 'Properties.ProductionVariants', /ProductionVariants has EnableSSMAccess true.*ai:opt-in:ssm-access/],
      ['Shadow', config([variant()], [variant('true')]), 'Properties.ShadowProductionVariants', /ShadowProductionVariants has EnableSSMAccess "true"/],
      ['Interpreter', tool('CodeInterpreterCustom', 'PUBLIC'), 'Properties.NetworkConfiguration.NetworkMode', /generated code runs with open internet access/],
      ['Browser', tool('BrowserCustom', 'PUBLIC'), 'Properties.NetworkConfiguration.NetworkMode', /ai:opt-in:browser/],
    ];
    for (const [id, resource, location, message] of cases) {
      const result = one(id, resource);
      expect(verdictOf(result, 'D9', id)).toBe('non-compliant');
      expect(result.of('D9')[0]).toMatchObject({ ruleName: 'SecureAI-D9', level: 'warning', locations: [location] });
      expect(result.of('D9')[0].message).toMatch(message);
    }
  });

  test('a disabled code-interpreter action group is not a capability', () => {
    expect(verdictOf(one('Agent', agent([{ ...CODE, ActionGroupState: 'DISABLED' }])), 'D9', 'Agent')).toBe('none');
  });

  test('compliant: the opt-in tag with a reason, list or map form; an empty reason does not opt in', () => {
    expect(verdictOf(one('Agent', agent([CODE], { 'ai:opt-in:code-interpreter': 'analysts run charts; the UI warns' })), 'D9', 'Agent')).toBe('none');
    expect(verdictOf(one('Domain', domain('ENABLED', [{ Key: 'ai:opt-in:docker-access', Value: 'build team, approved RISK-12' }])), 'D9', 'Domain')).toBe('none');
    expect(verdictOf(one('Config', config([variant(true)], undefined, [{ Key: 'ai:opt-in:ssm-access', Value: 'break-glass debugging' }])), 'D9', 'Config')).toBe('none');
    expect(verdictOf(one('Agent', agent([CODE], { 'ai:opt-in:code-interpreter': '' })), 'D9', 'Agent')).toBe('non-compliant');
    // The opt-in names the capability: another capability's tag does not count.
    expect(verdictOf(one('Agent', agent([CODE], { 'ai:opt-in:browser': 'x' })), 'D9', 'Agent')).toBe('non-compliant');
  });

  test('compliant: a stack-wide opt-in tag', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { tags: { 'ai:opt-in:code-interpreter': 'data-analysis assistant, documented in the user guide' } });
    new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a', actionGroups: [{ actionGroupName: 'code', parentActionGroupSignature: 'AMAZON.CodeInterpreter' }] });
    const result = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(result.of('D9')).toEqual([]);
  });

  test('intrinsic: Fn::If with a risky branch; parameter allowed values', () => {
    const conditional = one('Domain', domain(ifElse('DISABLED', 'ENABLED')));
    expect(verdictOf(conditional, 'D9', 'Domain')).toBe('non-compliant');
    expect(conditional.of('D9')[0].message).toMatch(/possible forms/);
    const param = (AllowedValues: string[]) => one('Interpreter', tool('CodeInterpreterCustom', { Ref: 'Mode' }), { Mode: { AllowedValues } });
    expect(verdictOf(param(['SANDBOX', 'VPC']), 'D9', 'Interpreter')).toBe('none');
    expect(verdictOf(param(['SANDBOX', 'PUBLIC']), 'D9', 'Interpreter')).toBe('unverifiable');
    expect(verdictOf(one('Agent', agent(ifElse([], [CODE]))), 'D9', 'Agent')).toBe('non-compliant');
  });

  test('unverifiable: switches imported', () => {
    const docker = one('Domain', domain(imported('docker')));
    expect(verdictOf(docker, 'D9', 'Domain')).toBe('unverifiable');
    expect(docker.of('D9')[0].ruleName).toBe('SecureAI-D9[unverifiable]');
    expect(verdictOf(one('Config', config(imported('variants'))), 'D9', 'Config')).toBe('unverifiable');
    expect(verdictOf(one('Agent', agent([{ ActionGroupName: 'x', ParentActionGroupSignature: imported('sig') }])), 'D9', 'Agent')).toBe('unverifiable');
  });
});
