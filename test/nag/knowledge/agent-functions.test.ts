import { App } from 'aws-cdk-lib';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { describe as describeValue } from '../../../src/nag/engine/values';
import { AGENT_FUNCTION_USER_TYPES, agentFunctionUses, externalAgentFunctions } from '../../../src/nag/knowledge/agent-functions';
import { imported, stackOf, TemplateFixture } from '../harness';

function indexOf(fixture: TemplateFixture): ResourceIndex {
  const app = new App();
  stackOf(fixture, app);
  return ResourceIndex.fromScope(app);
}

const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

const FIXTURE: TemplateFixture = {
  Resources: {
    Executor: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'orders' } },
    Parser: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'parser' } },
    Node: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'node' } },
    Sub: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'sub' } },
    Target: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'target' } },
    Transform: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'transform' } },
    Unused: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'unused' } },
    Live: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Target' }, FunctionVersion: '1', Name: 'live' } },
    Agent: {
      Type: 'AWS::Bedrock::Agent',
      Properties: {
        ActionGroups: [
          { ActionGroupName: 'Orders', ActionGroupExecutor: { Lambda: arn('Executor') } },
          { ActionGroupName: 'Return', ActionGroupExecutor: { CustomControl: 'RETURN_CONTROL' } },
          { ActionGroupName: 'Qualified', ActionGroupExecutor: { Lambda: 'arn:aws:lambda:eu-west-2:111122223333:function:orders:live' } },
          { ActionGroupName: 'Outside', ActionGroupExecutor: { Lambda: 'arn:aws:lambda:eu-west-2:111122223333:function:elsewhere' } },
          imported('group'),
        ],
        PromptOverrideConfiguration: { OverrideLambda: arn('Parser'), PromptConfigurations: [] },
      },
    },
    Flow: {
      Type: 'AWS::Bedrock::Flow',
      Properties: {
        Definition: { Nodes: [{ Name: 'n', Type: 'LambdaFunction', Configuration: { LambdaFunction: { LambdaArn: arn('Node') } } }, { Name: 'p', Type: 'Prompt', Configuration: {} }] },
      },
    },
    StringFlow: {
      Type: 'AWS::Bedrock::Flow',
      Properties: {
        DefinitionString: JSON.stringify({ Nodes: [{ Type: 'LambdaFunction', Configuration: { LambdaFunction: { LambdaArn: '${Fn}' } } }] }),
        DefinitionSubstitutions: { Fn: arn('Sub') },
      },
    },
    BrokenFlow: { Type: 'AWS::Bedrock::Flow', Properties: { DefinitionString: '{not json' } },
    S3Flow: { Type: 'AWS::Bedrock::Flow', Properties: { DefinitionS3Location: { Bucket: 'b', Key: 'k' } } },
    Gateway: { Type: 'AWS::BedrockAgentCore::GatewayTarget', Properties: { TargetConfiguration: { Mcp: { Lambda: { LambdaArn: { Ref: 'Live' } } } } } },
    Source: {
      Type: 'AWS::Bedrock::DataSource',
      Properties: {
        VectorIngestionConfiguration: {
          CustomTransformationConfiguration: { Transformations: [{ TransformationFunction: { TransformationLambdaConfiguration: { LambdaArn: arn('Transform') } } }] },
        },
      },
    },
  },
};

describe('agentFunctionUses', () => {
  const index = indexOf(FIXTURE);
  const uses = (id: string) => agentFunctionUses(index, index.find('Test', id)!).map((u) => `${u.user.logicalId}: ${u.role}`);

  test('action-group executors (by reference and by qualified ARN) and the prompt-override parser of an agent', () => {
    expect(uses('Executor')).toEqual([
      'Agent: action-group executor of AWS::Bedrock::Agent Agent (action group "Orders")',
      'Agent: action-group executor of AWS::Bedrock::Agent Agent (action group "Qualified")',
    ]);
    expect(uses('Parser')).toEqual(['Agent: pre/post-processing parser of AWS::Bedrock::Agent Agent']);
  });

  test('Lambda nodes of flows, in Definition and in DefinitionString with substitutions', () => {
    expect(uses('Node')).toEqual(['Flow: Lambda node of AWS::Bedrock::Flow Flow']);
    expect(uses('Sub')).toEqual(['StringFlow: Lambda node of AWS::Bedrock::Flow StringFlow']);
  });

  test('gateway targets through an alias, and data-source transformations', () => {
    expect(uses('Target')).toEqual(['Gateway: Lambda target of AWS::BedrockAgentCore::GatewayTarget Gateway']);
    expect(uses('Transform')).toEqual(['Source: knowledge-base transformation function of AWS::Bedrock::DataSource Source']);
  });

  test('a function no agent uses has no uses', () => {
    expect(uses('Unused')).toEqual([]);
    expect(AGENT_FUNCTION_USER_TYPES).toHaveLength(4);
  });
});

describe('externalAgentFunctions', () => {
  const index = indexOf(FIXTURE);
  const external = (id: string) => externalAgentFunctions(index, index.find('Test', id)!).map((e) => [e.location, describeValue(e.value)]);

  test('functions outside the app and unreadable action groups, with their locations', () => {
    expect(external('Agent')).toEqual([
      ['Properties.ActionGroups[3].ActionGroupExecutor.Lambda', '"arn:aws:lambda:eu-west-2:111122223333:function:elsewhere"'],
      ['Properties.ActionGroups[4].ActionGroupExecutor.Lambda', 'unknown (imported value group)'],
    ]);
  });

  test('flow definitions that cannot be read, or live in S3, are unknown', () => {
    expect(external('BrokenFlow')).toEqual([['Properties.DefinitionString', expect.stringMatching(/^unknown \(DefinitionString cannot be read: it is not valid JSON/)]]);
    expect(external('S3Flow')).toEqual([['Properties.DefinitionS3Location', 'unknown (the flow definition is in S3 (DefinitionS3Location))']]);
    expect(external('Flow')).toEqual([]);
    expect(external('Gateway')).toEqual([]);
  });

  test('found once per index; a new index finds afresh', () => {
    const lookups = index.statistics.lookups;
    externalAgentFunctions(index, index.resources[0]);
    agentFunctionUses(index, index.resources[0]);
    expect(index.statistics.lookups).toBe(lookups);
    const fresh = indexOf(FIXTURE);
    const before = fresh.statistics.lookups;
    agentFunctionUses(fresh, fresh.resources[0]);
    expect(fresh.statistics.lookups).toBeGreaterThan(before);
  });
});
