import { functionNamed } from './model-access';
import { DeclaredAnswers } from '../engine/declared-answers';
import { listOf } from '../engine/lists';
import { parseEmbeddedJson } from '../engine/readers/embedded-json';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { describe, Expression, isPlainObject, UnknownValue, unknownOf, Value } from '../engine/values';

/**
 * The Lambda functions that agents run: action-group executors and the pre/post-processing parser of a Bedrock agent,
 * the Lambda nodes of a Bedrock flow, the Lambda targets of an AgentCore gateway, and the custom transformation
 * functions of a knowledge-base data source. Code signing (V4) and log protection (V14) apply to them. Found once per run
 * from every user the templates declare: a use counts while its user is created, so that a rule asking about one function
 * depends on the conditions of that function's users alone.
 */

/** The resource types that name agent functions. */
export const AGENT_FUNCTION_USER_TYPES: readonly string[] = [
  'AWS::Bedrock::Agent', 'AWS::Bedrock::Flow', 'AWS::BedrockAgentCore::GatewayTarget', 'AWS::Bedrock::DataSource',
];

/** How a resource uses a function: `action-group executor of AWS::Bedrock::Agent Agent (action group "Orders")`. */
export interface AgentFunctionUse {
  readonly user: IndexedResource;
  readonly role: string;
}

/** A function a resource names that is not in the app (or that cannot be read), with how it is used. */
export interface ExternalFunction {
  readonly value: Value;
  readonly role: string;
  readonly location: string;
}

interface Lookup {
  /** The uses of each function, each resting on its user. */
  readonly uses: DeclaredAnswers<IndexedResource, AgentFunctionUse>;
  /** By user: asked about the user judged, which is created. */
  readonly external: Map<IndexedResource, ExternalFunction[]>;
}

/** How agents, flows, gateways and data sources that are created use a Lambda function of the app; empty when none does. */
export function agentFunctionUses(index: ResourceIndex, fn: IndexedResource): readonly AgentFunctionUse[] {
  return lookupFor(index).uses.created(index, fn);
}

/**
 * Whether some agent, flow, gateway target or data source the templates declare names a Lambda function of the app,
 * created or not: for lookups that keep every declared resource ({@link agentFunctionUses} says which uses count).
 */
export function isDeclaredAgentFunction(index: ResourceIndex, fn: IndexedResource): boolean {
  return lookupFor(index).uses.has(fn);
}

/** The functions an agent, flow, gateway target or data source names that are not in the app or cannot be read. */
export function externalAgentFunctions(index: ResourceIndex, user: IndexedResource): readonly ExternalFunction[] {
  return lookupFor(index).external.get(user) ?? [];
}

function lookupFor(index: ResourceIndex): Lookup {
  return index.memo(lookupFor, () => {
    const found: Lookup = { uses: new DeclaredAnswers(), external: new Map() };
    const seen = new Map<IndexedResource, AgentFunctionUse[]>();

    const add = (user: IndexedResource, value: Value, role: string, location: string): void => {
      if (value === undefined || value === '') return;
      const target = functionOf(index, value);
      const fn = target && target.type !== 'AWS::Lambda::Function' ? underlyingFunction(index, target) : target;
      if (fn) {
        const list = seen.get(fn) ?? [];
        if (!list.some((u) => u.user === user && u.role === role)) {
          list.push({ user, role });
          found.uses.add(fn, { user, role }, user);
        }
        seen.set(fn, list);
        return;
      }
      if (target) return; // an alias or version whose function cannot be found: nothing more to judge
      const list = found.external.get(user) ?? [];
      if (!list.some((e) => e.location === location && describe(e.value) === describe(value))) list.push({ value, role, location });
      found.external.set(user, list);
    };

    for (const agent of index.declaredOfType('AWS::Bedrock::Agent')) {
      const of = `of AWS::Bedrock::Agent ${agent.logicalId}`;
      for (const branch of agent.get('ActionGroups')) {
        const groups = listOf(branch.value);
        for (let i = 0; i < groups.length; i++) {
          const group = groups[i];
          const location = `Properties.ActionGroups[${i}].ActionGroupExecutor.Lambda`;
          if (group instanceof UnknownValue) {
            add(agent, group, `action-group executor ${of}`, location);
          } else if (isPlainObject(group) && (isPlainObject(group.ActionGroupExecutor) || group.ActionGroupExecutor instanceof UnknownValue)) {
            const name = typeof group.ActionGroupName === 'string' ? ` (action group "${group.ActionGroupName}")` : '';
            const executor = group.ActionGroupExecutor;
            add(agent, isPlainObject(executor) ? executor.Lambda : executor, `action-group executor ${of}${name}`, location);
          }
        }
      }
      for (const branch of agent.get('PromptOverrideConfiguration.OverrideLambda')) {
        add(agent, branch.value, `pre/post-processing parser ${of}`, 'Properties.PromptOverrideConfiguration.OverrideLambda');
      }
    }

    for (const flow of index.declaredOfType('AWS::Bedrock::Flow')) {
      const role = `Lambda node of AWS::Bedrock::Flow ${flow.logicalId}`;
      for (const branch of flow.get('Definition')) flowNodes(branch.value).forEach((arn) => add(flow, arn, role, 'Properties.Definition'));
      const substitutions = flow.get('DefinitionSubstitutions').map((b) => b.value);
      for (const branch of flow.get('DefinitionString')) {
        if (branch.value === undefined) continue;
        const parsed = parseEmbeddedJson(branch.value);
        if ('failure' in parsed) {
          add(flow, new UnknownValue(`DefinitionString cannot be read: ${parsed.failure}`), role, 'Properties.DefinitionString');
          continue;
        }
        for (const arn of flowNodes(parsed.json)) {
          const variable = typeof arn === 'string' ? /^\$\{([^}]+)\}$/.exec(arn)?.[1] : undefined;
          if (variable === undefined) {
            add(flow, arn, role, 'Properties.DefinitionString');
            continue;
          }
          for (const subs of substitutions) add(flow, isPlainObject(subs) ? subs[variable] : undefined, role, `Properties.DefinitionSubstitutions.${variable}`);
        }
      }
      if (flow.get('DefinitionS3Location').some((b) => b.value !== undefined)) {
        add(flow, new UnknownValue('the flow definition is in S3 (DefinitionS3Location)'), role, 'Properties.DefinitionS3Location');
      }
    }

    for (const target of index.declaredOfType('AWS::BedrockAgentCore::GatewayTarget')) {
      for (const branch of target.get('TargetConfiguration.Mcp.Lambda.LambdaArn')) {
        add(target, branch.value, `Lambda target of AWS::BedrockAgentCore::GatewayTarget ${target.logicalId}`, 'Properties.TargetConfiguration.Mcp.Lambda.LambdaArn');
      }
    }

    for (const source of index.declaredOfType('AWS::Bedrock::DataSource')) {
      for (const branch of source.get('VectorIngestionConfiguration.CustomTransformationConfiguration.Transformations')) {
        const transformations = listOf(branch.value);
        for (let i = 0; i < transformations.length; i++) {
          const t = transformations[i];
          const transformation = isPlainObject(t) ? t.TransformationFunction : undefined;
          const lambda = isPlainObject(transformation) ? transformation.TransformationLambdaConfiguration : undefined;
          const fn = isPlainObject(lambda) ? lambda.LambdaArn : unknownOf(lambda) ?? unknownOf(t);
          add(source, fn, `knowledge-base transformation function of AWS::Bedrock::DataSource ${source.logicalId}`,
            `Properties.VectorIngestionConfiguration.CustomTransformationConfiguration.Transformations[${i}]`);
        }
      }
    }
    return found;
  });
}

/** The Lambda ARNs of a flow definition's `LambdaFunction` nodes. */
function flowNodes(definition: Value): Value[] {
  if (definition instanceof UnknownValue) return [definition];
  if (!isPlainObject(definition)) return definition instanceof Expression ? [new UnknownValue('the flow definition is built at deploy time')] : [];
  const nodes = definition.Nodes;
  if (nodes instanceof UnknownValue) return [nodes];
  const out: Value[] = [];
  for (const node of listOf(nodes)) {
    if (!isPlainObject(node) || node.Type !== 'LambdaFunction') continue;
    const config = isPlainObject(node.Configuration) ? node.Configuration.LambdaFunction : undefined;
    out.push(isPlainObject(config) ? config.LambdaArn : node.Configuration instanceof UnknownValue ? node.Configuration : undefined);
  }
  return out;
}

/** The function an alias or version of the app points at. */
function underlyingFunction(index: ResourceIndex, target: IndexedResource): IndexedResource | undefined {
  for (const branch of target.get('FunctionName')) {
    const fn = functionOf(index, branch.value) ?? index.resolveAs('AWS::Lambda::Function', branch.value);
    if (fn?.type === 'AWS::Lambda::Function') return fn;
  }
  return undefined;
}

const QUALIFIED_FUNCTION_ARN = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+):[^:]+$/;

/** A function, alias or version of the app named by a value, a qualified function ARN (`...:function:name:live`) included. */
function functionOf(index: ResourceIndex, value: Value): IndexedResource | undefined {
  const named = functionNamed(index, value);
  if (named) return named;
  const name = typeof value === 'string' ? QUALIFIED_FUNCTION_ARN.exec(value)?.[1] : undefined;
  return name ? index.resolveAs('AWS::Lambda::Function', name) : undefined;
}
