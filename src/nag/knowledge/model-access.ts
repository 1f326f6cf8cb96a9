import { isAiAsset, isAiResource } from './ai-assets';
import { roleOf, roleStatements } from './role-permissions';
import { MODEL_INVOKE_ACTIONS } from '../../facts/model-invoke-actions';
import { listOf } from '../engine/lists';
import { grantsAction, isAllow, namesServiceAction, Statement } from '../engine/readers/policy-documents';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { Expression, isPlainObject, ResourceReference, UnknownValue, unknownOf, Value } from '../engine/values';

export { MODEL_INVOKE_ACTIONS, MODEL_INVOKE_ACTION_NAMES } from '../../facts/model-invoke-actions';

/**
 * Who may call a model: the IAM actions that invoke Bedrock models, agents and knowledge bases, SageMaker endpoints
 * and AgentCore runtimes; the AWS managed policies that grant them wholesale; and which Lambda functions call models.
 * Shared by the least-privilege (D10) and enforced-guardrail (D17) rules and by the rules that scope API checks to
 * AI backends (D14–D16).
 */

/** The actions that call a foundation model directly, not through an agent: what an enforced guardrail must cover. */
export const DIRECT_MODEL_ACTIONS: readonly string[] = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:Converse', 'bedrock:ConverseStream'];

/** AWS managed policies that grant every Bedrock or SageMaker action on every resource. */
const AI_FULL_ACCESS = /^(?:AmazonBedrockFullAccess|AmazonSageMakerFullAccess)$/i;
/** AWS managed policies that grant (nearly) every action of every service, model invocation included. */
const ADMIN_ACCESS = /^(?:AdministratorAccess|PowerUserAccess)$/i;
/** AWS managed policies that hold Bedrock or SageMaker permissions of some kind. */
const AI_MANAGED = /^Amazon(?:Bedrock|SageMaker)\w*$/i;

/** The name of an AWS managed policy an ARN names (`arn:aws:iam::aws:policy/service-role/X`, a partition built with Fn::Join). */
export function awsManagedPolicyName(value: Value): string | undefined {
  const text = typeof value === 'string' ? value : value instanceof Expression ? value.pattern : undefined;
  if (text === undefined || text.length > 2048) return undefined;
  const m = /^arn:[^:]*:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(text);
  return m ? m[1] : undefined;
}

/** Whether an AWS managed policy grants every Bedrock or SageMaker action (AmazonBedrockFullAccess, AmazonSageMakerFullAccess). */
export function isAiFullAccessPolicy(name: string): boolean {
  return AI_FULL_ACCESS.test(name);
}

/** Whether an AWS managed policy grants nearly everything (AdministratorAccess, PowerUserAccess). */
export function isAdministratorPolicy(name: string): boolean {
  return ADMIN_ACCESS.test(name);
}

/** The model-invocation actions (of `actions`) a statement allows, wildcards and `NotAction` included. */
export function grantedActions(statement: Statement, actions: readonly string[]): string[] {
  if (!isAllow(statement)) return [];
  return actions.filter((action) => grantsAction(statement, action));
}

/**
 * The model-invocation permission a role of the app holds, named as an action of Bedrock, SageMaker or AgentCore
 * (a bare `*` does not count: it is an administrator's wildcard, not evidence that the role calls models), or the AWS
 * managed Bedrock/SageMaker policy it holds. Undefined when it holds neither. Read once per role and run, and again
 * under another allowed value of a parameter it read: whoever asks depends on what was read for this role alone.
 */
export function modelInvokeGrant(index: ResourceIndex, role: IndexedResource): string | undefined {
  return index.memoPer(modelInvokeGrant, role, () => {
    const held = roleStatements(index, role);
    for (const { statement } of held.statements) {
      if (!isAllow(statement)) continue;
      for (const [service, actions] of MODEL_INVOKE_ACTIONS) {
        const action = actions.find((a) => namesServiceAction(statement, service, [a]));
        if (action) return `${service}:${action}`;
      }
    }
    const managed = held.externalPolicyArns.map(awsManagedPolicyName).find((n) => n !== undefined && AI_MANAGED.test(n));
    return managed ? `the AWS managed policy ${managed}` : undefined;
  });
}

/** Bedrock model and inference-profile IDs as functions name them in their environment (`anthropic.claude-3-haiku...`, `eu.amazon.nova-pro-v1:0`). */
const MODEL_ID = /^(?:(?:us|eu|apac|us-gov|global|jp|au|ca)\.)?(?:anthropic|amazon|meta|mistral|cohere|ai21|stability|deepseek|writer|qwen|openai|twelvelabs|luma|minimax|moonshot)\.[\w.:-]+$/i;
const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Lambda::Alias', 'AWS::Lambda::Version', 'AWS::Serverless::Function']);

/** Whether a resource type is a Lambda function, alias or version. */
export function isFunctionType(type: string): boolean {
  return FUNCTION_TYPES.has(type);
}

/**
 * Why a Lambda function (or an alias or version of one) calls models, if it does: it is an AI asset (an agent's action
 * group executor, tagged `ai:asset=true`), it references an AI resource (an endpoint name in its environment), its
 * environment names a Bedrock model ID, or its role may invoke models. Found once per function and run (and again
 * under another allowed value of a parameter it read), so that whoever asks depends on what was read for it alone.
 */
export function aiFunctionReason(index: ResourceIndex, fn: IndexedResource): string | undefined {
  if (fn.type !== 'AWS::Lambda::Alias' && fn.type !== 'AWS::Lambda::Version') return index.memoPer(aiFunctionReason, fn, () => functionReason(index, fn));
  // An alias or version stands for the function it names, through other aliases; one that names itself round stands for none.
  const seen = new Set<IndexedResource>();
  let target: IndexedResource | undefined = fn;
  while (target && (target.type === 'AWS::Lambda::Alias' || target.type === 'AWS::Lambda::Version')) {
    if (seen.has(target)) return undefined;
    seen.add(target);
    const alias: IndexedResource = target;
    target = alias.get('FunctionName').map((b) => alias.resolve(b.value)).find((r) => r !== undefined && isFunctionType(r.type) && r !== alias);
  }
  return target ? aiFunctionReason(index, target) : undefined;
}

/** Why a function (not an alias or version) calls models; see {@link aiFunctionReason}. */
function functionReason(index: ResourceIndex, fn: IndexedResource): string | undefined {
  if (isAiAsset(index, fn)) {
    const ref = index.referencesTo(fn).find((r) => isAiResource(r.source));
    return ref ? `Lambda ${fn.logicalId}, used by ${ref.source.type} ${ref.source.logicalId}` : `Lambda ${fn.logicalId}, tagged ai:asset=true`;
  }
  const ai = index.referencesFrom(fn).find((r) => isAiResource(r.target));
  if (ai) return `Lambda ${fn.logicalId}, which references ${ai.target.type} ${ai.target.logicalId}`;
  const model = modelIdInEnvironment(fn);
  if (model) return `Lambda ${fn.logicalId}, whose environment names model ${model}`;
  const role = roleOf(fn, 'Role');
  const grant = role ? modelInvokeGrant(index, role) : undefined;
  return role && grant ? `Lambda ${fn.logicalId}, whose role ${role.logicalId} may call ${grant}` : undefined;
}

function modelIdInEnvironment(fn: IndexedResource): string | undefined {
  for (const branch of fn.get('Environment.Variables')) {
    if (!isPlainObject(branch.value)) continue;
    for (const value of Object.values(branch.value)) {
      if (typeof value === 'string' && value.length < 200 && MODEL_ID.test(value)) return value;
    }
  }
  return undefined;
}

/** The resource a value names when it is a function, alias or version of the app. */
export function functionNamed(index: ResourceIndex, value: Value): IndexedResource | undefined {
  if (value instanceof UnknownValue) return undefined;
  const refs = value instanceof ResourceReference ? [value] : value instanceof Expression ? value.references : [];
  for (const ref of refs) {
    const target = index.resolve(ref);
    if (target && isFunctionType(target.type)) return target;
  }
  const byText = typeof value === 'string' ? index.resolve(value) : undefined;
  return byText && isFunctionType(byText.type) ? byText : undefined;
}

/** The policy documents of an identity's inline `Policies` (one evaluated form), or why they cannot be read. */
export function inlinePolicyDocuments(policies: Value): Value[] | UnknownValue {
  const unknown = unknownOf(policies);
  if (unknown) return unknown;
  const documents: Value[] = [];
  for (const policy of listOf(policies)) {
    if (isPlainObject(policy)) documents.push(policy.PolicyDocument);
    else if (unknownOf(policy)) return unknownOf(policy)!;
  }
  return documents;
}

const IDENTITY_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']);

/**
 * Whether a managed policy grants anything in the app: it names roles, users or groups (`Roles`, `Users`, `Groups`), or an
 * identity lists it in `ManagedPolicyArns`. A policy used only as a permissions boundary (a ceiling, not a grant) or
 * attached to nothing grants nothing here.
 */
export function isAttachedPolicy(index: ResourceIndex, policy: IndexedResource): boolean {
  if (policy.type !== 'AWS::IAM::ManagedPolicy') return true;
  if (['Roles', 'Users', 'Groups'].some((p) => policy.get(p).some((b) => b.value !== undefined && listOf(b.value).length > 0))) return true;
  return index.referencesTo(policy).some((r) => IDENTITY_TYPES.has(r.source.type) && r.path.startsWith('ManagedPolicyArns'));
}
