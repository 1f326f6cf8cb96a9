import { App, aws_bedrock as bedrock, aws_lambda as lambda, aws_signer as signer, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const fn = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Runtime: 'python3.12', Handler: 'i.h', Role: 'arn:aws:iam::111122223333:role/x', Code: { S3Bucket: 'b', S3Key: 'k' }, ...properties },
});
const SIGNED = { CodeSigningConfigArn: { 'Fn::GetAtt': ['Signing', 'CodeSigningConfigArn'] } };
const signing = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::CodeSigningConfig',
  Properties: {
    AllowedPublishers: { SigningProfileVersionArns: ['arn:aws:signer:eu-west-1:111122223333:/signing-profiles/p/abc'] },
    CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
    ...properties,
  },
});
const agent = (executor: unknown, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Bedrock::Agent',
  Properties: { AgentName: 'orders', ActionGroups: [{ ActionGroupName: 'Orders', ActionGroupExecutor: { Lambda: executor } }], ...extra },
});
const app = (resources: Resources, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: { Signing: signing(), Tool: fn(SIGNED), Agent: agent({ 'Fn::GetAtt': ['Tool', 'Arn'] }), ...resources },
});

describe('V4 agent functions enforce code signing', () => {
  test('compliant: the action-group executor has an enforcing code signing configuration', () => {
    const run = validate(app({}));
    expect(verdictOf(run, 'V4', 'Tool')).toBe('none');
    expect(run.tally('V4')).toMatchObject({ compliant: 1 });
  });

  test('not applicable: functions no agent, flow or gateway runs', () => {
    const run = validate({ Resources: { Other: fn() } });
    expect(run.tally('V4')).toMatchObject({ evaluated: 1, notApplicable: 1 });
  });

  test('non-compliant: no code signing configuration; a configuration that only warns (absent policy is Warn) or trusts no publisher', () => {
    const unsigned = validate(app({ Tool: fn() }));
    expect(verdictOf(unsigned, 'V4', 'Tool')).toBe('non-compliant');
    const finding = unsigned.of('V4')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-V4', level: 'warning', locations: ['Properties.CodeSigningConfigArn'] });
    expect(finding.message).toMatch(/action-group executor of AWS::Bedrock::Agent Agent \(action group "Orders"\)/);
    expect(validate(app({ Signing: signing({ CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' } }) })).of('V4')[0].message).toMatch(/Warn/);
    expect(validate(app({ Signing: signing({ CodeSigningPolicies: undefined }) })).of('V4')[0].message).toMatch(/absent \(default Warn\)/);
    expect(validate(app({ Signing: signing({ AllowedPublishers: { SigningProfileVersionArns: [] } }) })).of('V4')[0].message).toMatch(/no publisher is trusted/);
  });

  test('every way an agent function is found: aliases, literal and qualified ARNs, parsers, flows, gateway targets, KB transformations', () => {
    const unsignedVia = (resources: Resources) => verdictOf(validate({ Resources: { Tool: fn({ FunctionName: 'order-tool' }), ...resources } }), 'V4', 'Tool');
    expect(unsignedVia({ Alias: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Tool' }, FunctionVersion: '1', Name: 'live' } }, Agent: agent({ Ref: 'Alias' }) }))
      .toBe('non-compliant');
    expect(unsignedVia({ Agent: agent('arn:aws:lambda:eu-west-1:111122223333:function:order-tool') })).toBe('non-compliant');
    expect(unsignedVia({ Agent: agent('arn:aws:lambda:eu-west-1:111122223333:function:order-tool:live') })).toBe('non-compliant');
    expect(unsignedVia({ Agent: { Type: 'AWS::Bedrock::Agent', Properties: { PromptOverrideConfiguration: { OverrideLambda: { 'Fn::GetAtt': ['Tool', 'Arn'] }, PromptConfigurations: [] } } } }))
      .toBe('non-compliant');
    const flowNode = { Name: 'n', Type: 'LambdaFunction', Configuration: { LambdaFunction: { LambdaArn: { 'Fn::GetAtt': ['Tool', 'Arn'] } } } };
    expect(unsignedVia({ Flow: { Type: 'AWS::Bedrock::Flow', Properties: { Definition: { Nodes: [{ Name: 'in', Type: 'Input' }, flowNode] } } } })).toBe('non-compliant');
    const definitionString = JSON.stringify({ Nodes: [{ Name: 'n', Type: 'LambdaFunction', Configuration: { LambdaFunction: { LambdaArn: '${ToolArn}' } } }] });
    expect(unsignedVia({ Flow: { Type: 'AWS::Bedrock::Flow', Properties: { DefinitionString: definitionString, DefinitionSubstitutions: { ToolArn: { 'Fn::GetAtt': ['Tool', 'Arn'] } } } } }))
      .toBe('non-compliant');
    expect(unsignedVia({ Target: { Type: 'AWS::BedrockAgentCore::GatewayTarget', Properties: { TargetConfiguration: { Mcp: { Lambda: { LambdaArn: { 'Fn::GetAtt': ['Tool', 'Arn'] } } } } } } }))
      .toBe('non-compliant');
    const transformation = { StepToApply: 'POST_CHUNKING', TransformationFunction: { TransformationLambdaConfiguration: { LambdaArn: { 'Fn::GetAtt': ['Tool', 'Arn'] } } } };
    expect(unsignedVia({ Source: { Type: 'AWS::Bedrock::DataSource', Properties: { VectorIngestionConfiguration: { CustomTransformationConfiguration: { Transformations: [transformation] } } } } }))
      .toBe('non-compliant');
  });

  test('container-image functions cannot be signed: judged by their image instead', () => {
    const image = (uri: unknown) => validate(app({ Tool: fn({ PackageType: 'Image', Code: { ImageUri: uri } }) }));
    expect(verdictOf(image('docker.io/acme/tool:latest'), 'V4', 'Tool')).toBe('non-compliant');
    expect(image('docker.io/acme/tool:latest').of('V4')[0].message).toMatch(/cannot be code signed/);
    expect(verdictOf(image({ 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/cdk-hnb659fds-container-assets-\${AWS::AccountId}-\${AWS::Region}:${'c'.repeat(64)}` }), 'V4', 'Tool'))
      .toBe('none');
  });

  test('intrinsic: Fn::If without a configuration in one branch; enforcement from a parameter with an insecure allowed value', () => {
    expect(verdictOf(validate(app({ Tool: fn({ CodeSigningConfigArn: ifElse({ 'Fn::GetAtt': ['Signing', 'CodeSigningConfigArn'] }, { Ref: 'AWS::NoValue' }) }) })), 'V4', 'Tool'))
      .toBe('non-compliant');
    const param = validate(app({ Signing: signing({ CodeSigningPolicies: { UntrustedArtifactOnDeployment: { Ref: 'Mode' } } }) },
      { Mode: { Default: 'Enforce', AllowedValues: ['Enforce', 'Warn'] } }));
    expect(verdictOf(param, 'V4', 'Tool')).toBe('parameter');
    expect(param.of('V4')[0].message).toMatch(/parameter Mode/);
  });

  test('unverifiable: a code signing configuration outside the app; an agent whose executor is outside the app', () => {
    const external = validate(app({ Tool: fn({ CodeSigningConfigArn: imported('signing-config-arn') }) }));
    expect(verdictOf(external, 'V4', 'Tool')).toBe('unverifiable');
    expect(external.of('V4')[0]).toMatchObject({ ruleName: 'SecureAI-V4[unverifiable]', level: 'warning' });
    const outside = validate({ Resources: { Agent: agent('arn:aws:lambda:eu-west-1:111122223333:function:elsewhere') } });
    expect(verdictOf(outside, 'V4', 'Agent')).toBe('unverifiable');
    expect(outside.of('V4')[0].message).toMatch(/functions outside the app/);
    expect(verdictOf(validate({ Resources: { Agent: agent(imported('tool-arn')) } }), 'V4', 'Agent')).toBe('unverifiable');
    expect(verdictOf(validate(app({})), 'V4', 'Agent')).toBe('none');
  });

  test('real CDK output: a lambda.Function with a CodeSigningConfig as a CfnAgent executor', () => {
    const render = (enforce: boolean) => {
      const cdkApp = new App();
      const stack = new Stack(cdkApp, 'S');
      const profile = new signer.SigningProfile(stack, 'Profile', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
      const codeSigningConfig = new lambda.CodeSigningConfig(stack, 'Signing', {
        signingProfiles: [profile],
        untrustedArtifactOnDeployment: enforce ? lambda.UntrustedArtifactOnDeployment.ENFORCE : lambda.UntrustedArtifactOnDeployment.WARN,
      });
      const tool = new lambda.Function(stack, 'Tool', {
        runtime: lambda.Runtime.PYTHON_3_12, handler: 'i.h', code: lambda.Code.fromInline('def h(e, c): pass'), codeSigningConfig,
      });
      new bedrock.CfnAgent(stack, 'Agent', {
        agentName: 'a', actionGroups: [{ actionGroupName: 'g', actionGroupExecutor: { lambda: tool.functionArn } }],
      });
      return new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V4');
    };
    expect(render(true)).toHaveLength(0);
    const warn = render(false);
    expect(warn).toHaveLength(1);
    expect(warn[0].message).toMatch(/UntrustedArtifactOnDeployment is "Warn"/);
  });

  test('malformed values never throw', () => {
    const run = validate({
      Resources: {
        Tool: fn({ CodeSigningConfigArn: 5, PackageType: 7 }),
        Agent: { Type: 'AWS::Bedrock::Agent', Properties: { ActionGroups: ['x', { ActionGroupExecutor: 'y' }, { ActionGroupExecutor: { Lambda: 3 } }], PromptOverrideConfiguration: 'z' } },
        Flow: { Type: 'AWS::Bedrock::Flow', Properties: { Definition: { Nodes: 'x' }, DefinitionString: '{not json' } },
      },
    });
    expect(run.tally('V4').errors).toBe(0);
  });
});
