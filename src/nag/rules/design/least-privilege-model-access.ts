import {
  Answer, combine, COMPLIANT, decidingParameters, Judgement, nonCompliant, NOT_APPLICABLE, NOT_KNOWN, qualifier, RuleResult, unverifiable, Verdict,
} from '../../engine/checks';
import { DeclaredAnswers } from '../../engine/declared-answers';
import { listOf } from '../../engine/lists';
import { policyFormOf, Statement, statementsOf } from '../../engine/readers/policy-documents';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { Branch, describe, Expression, isPlainObject, ResourceReference, UnknownValue, Value } from '../../engine/values';
import { actionAppliesTo } from '../../knowledge/action-resources';
import { isAiResource, namesOf } from '../../knowledge/ai-assets';
import {
  awsManagedPolicyName, grantedActions, inlinePolicyDocuments, isAdministratorPolicy, isAttachedPolicy, isAiFullAccessPolicy,
  MODEL_INVOKE_ACTION_NAMES,
} from '../../knowledge/model-access';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** Service principals of AI services: a role they assume is an AI role. */
const AI_SERVICE_PRINCIPAL = /^(?:sagemaker|bedrock|bedrock-agentcore)\.amazonaws\.com$/i;
const IDENTITY_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']);

/**
 * Whether a `Resource` entry spans every resource of its kind: `*`, or an ARN whose resource part (after the account)
 * holds a literal `*` or `?` (`foundation-model/*`, `endpoint/*`). A wildcard Region or account (`arn:aws:bedrock:*::
 * foundation-model/<id>`, as cross-Region inference profiles need) still names the model. References name a resource.
 */
function isBroad(resource: Value): Answer {
  if (resource instanceof ResourceReference) return false;
  if (resource instanceof UnknownValue) return NOT_KNOWN;
  let text: string;
  if (typeof resource === 'string') text = resource;
  else if (resource instanceof Expression) text = resource.parts.map((p) => (typeof p === 'string' ? p : '\u0000')).join('');
  else return false;
  if (text.trim() === '*') return true;
  if (!text.startsWith('arn:')) return /[*?]/.test(text);
  const resourcePart = text.split(':').slice(5).join(':');
  return /[*?]/.test(resourcePart) || resourcePart === '';
}

/** Whether a statement's condition scopes it to tagged resources (attribute-based access control). */
function isTagScoped(statement: Statement): boolean {
  const condition = statement.Condition;
  if (!isPlainObject(condition)) return false;
  return Object.values(condition).some((block) => isPlainObject(block) && Object.keys(block).some((k) => k.toLowerCase().startsWith('aws:resourcetag/')));
}

/** What is wrong with one statement (no, with the problem), or why it cannot be read (unknown). */
function judgeStatement(statement: Statement): Judgement {
  const actions = grantedActions(statement, MODEL_INVOKE_ACTION_NAMES);
  if (actions.length === 0) return { answer: true, detail: '' };
  const sid = typeof statement.Sid === 'string' ? `statement "${statement.Sid}"` : 'a statement';
  const show = (names: string[]) => (names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', '));
  if (statement.NotResource !== undefined) {
    return { answer: false, detail: `${sid} allows ${show(actions)} with NotResource ${describe(statement.NotResource)}, which grants every other model` };
  }
  if (isTagScoped(statement)) return { answer: true, detail: '' };
  // A Resource built with Fn::Join around pseudo parameters or imports is judged on its literal parts (isBroad).
  if (statement.Resource instanceof UnknownValue) return { answer: NOT_KNOWN, detail: `the Resource of ${sid} allowing ${show(actions)} is ${describe(statement.Resource)}` };
  // Each action is judged on the entries of a resource type it applies to (the Service Authorization Reference): the
  // `endpoint-config/*` beside `endpoint/a` in a grant of InvokeEndpoint and Describe* is the describe actions' entry.
  const resources = listOf(statement.Resource).map((r) => ({ r, broad: isBroad(r) }));
  const applying = (r: Value) => actions.filter((a) => actionAppliesTo(a, r));
  const broad = resources.find((v) => v.broad === true && applying(v.r).length > 0);
  if (broad) return { answer: false, detail: `${sid} allows ${show(applying(broad.r))} on ${describe(broad.r)}, not on named models, endpoints or agents` };
  const open = resources.find((v) => v.broad instanceof UnknownValue && applying(v.r).length > 0);
  if (open) return { answer: NOT_KNOWN, detail: `the Resource ${describe(open.r)} of ${sid} allowing ${show(applying(open.r))} is not known at synth time` };
  return { answer: true, detail: '' };
}

/** What is wrong with the statements of one form of an identity's policies, and the first of them that cannot be read. */
function formProblems(form: Branch, read: (value: Value) => Value[] | UnknownValue): { problems: string[]; open?: string } {
  const { documents, unreadable } = policyFormOf(form, read);
  let open = unreadable;
  const problems: string[] = [];
  for (const statement of documents.flat()) {
    const verdict = judgeStatement(statement);
    if (verdict.answer === false) problems.push(verdict.detail);
    else if (verdict.answer instanceof UnknownValue) open = open ?? verdict.detail;
  }
  return { problems, open };
}

/** Judges the statements of every form of the policy documents at `path` (`PolicyDocument`, or `Policies` of an identity). */
function judgeDocuments(resource: IndexedResource, path: string, read: (value: Value) => Value[] | UnknownValue): RuleResult {
  const forms = resource.get(path);
  const location = `Properties.${path}`;
  let open: string | undefined;
  for (const form of forms) {
    const found = formProblems(form, read);
    open = open ?? found.open;
    if (found.problems.length > 0) {
      const parameters = decidingParameters(resource, path, forms, form, (f) => formProblems(f, read).problems.join('; ') || undefined);
      return nonCompliant(`${found.problems.join('; ')}${qualifier(parameters, forms.length)}: whoever holds this policy can query every `
        + 'model of the account, the way to run up cost, extract models or reach models not meant for this workload', location);
    }
  }
  return open ? unverifiable(`model access cannot be verified at synth time: ${open}`, location) : COMPLIANT;
}

/** Whether an identity is an AI role: assumed by SageMaker, Bedrock or AgentCore, or used by an AI resource of the app. */
function isAiRole(index: ResourceIndex, identity: IndexedResource): boolean {
  if (identity.type !== 'AWS::IAM::Role') return false;
  if (index.referencesTo(identity).some((r) => isAiResource(r.source))) return true;
  return identity.get('AssumeRolePolicyDocument').some((b) => {
    const statements = statementsOf(b.value);
    if (statements instanceof UnknownValue) return false;
    return statements.some((s) => isPlainObject(s.Principal) && listOf(s.Principal.Service).some((p) => typeof p === 'string' && AI_SERVICE_PRINCIPAL.test(p)));
  });
}

function managedPolicies(index: ResourceIndex, identity: IndexedResource): RuleResult {
  const path = 'ManagedPolicyArns';
  const forms = identity.get(path);
  let aiRole: boolean | undefined;
  /** The full-access policies one form attaches, else the administrator policies it attaches to an AI role. */
  const attached = (form: Branch): { full: boolean; names: string[] } | undefined => {
    const names = listOf(form.value).map(awsManagedPolicyName).filter((n): n is string => n !== undefined);
    const full = names.filter(isAiFullAccessPolicy);
    if (full.length > 0) return { full: true, names: full };
    const admin = names.filter(isAdministratorPolicy);
    return admin.length > 0 && (aiRole ??= isAiRole(index, identity)) ? { full: false, names: admin } : undefined;
  };
  for (const form of forms) {
    const found = attached(form);
    if (!found) continue;
    const parameters = decidingParameters(identity, path, forms, form, (f) => {
      const other = attached(f);
      return other && `${other.full} ${other.names.join(', ')}`;
    });
    const attaches = `ManagedPolicyArns attaches ${found.names.join(', ')}`;
    return nonCompliant(found.full
      ? `${attaches}${qualifier(parameters, forms.length)}: it grants every Bedrock or SageMaker action on every model, endpoint and agent, `
        + 'including changing and deleting them'
      : `${attaches} to a role of an AI workload${qualifier(parameters, forms.length)}: a prompt-injected agent or a compromised model `
        + 'container acts with nearly every permission of the account', 'Properties.ManagedPolicyArns');
  }
  return COMPLIANT;
}

function roleKey(index: ResourceIndex, value: Value): string | undefined {
  const target = index.resolve(value);
  if (target) return `res:${target.stack.stackPath}/${target.logicalId}`;
  if (typeof value === 'string' && value.trim() !== '') return `arn:${value.trim()}`;
  return undefined;
}

function sharedRole(index: ResourceIndex, agent: IndexedResource): RuleResult {
  // Every agent the app declares, by the role it runs with, found once per run; only the conditions of the agents
  // that name this agent's role are read, so that an agent is not judged again for the parameters of every stack.
  const byRole = index.memo(sharedRole, () => {
    const found = new DeclaredAnswers<string, IndexedResource>();
    for (const other of index.declaredOfType('AWS::Bedrock::Agent')) {
      const keys = new Set(other.get('AgentResourceRoleArn').map((b) => roleKey(index, b.value)).filter((k): k is string => k !== undefined));
      for (const key of keys) found.add(key, other, other);
    }
    return found;
  });
  const sharing = new Set<IndexedResource>();
  for (const b of agent.get('AgentResourceRoleArn')) {
    const key = roleKey(index, b.value);
    if (key) byRole.created(index, key).filter((a) => a !== agent).forEach((a) => sharing.add(a));
  }
  if (sharing.size === 0) return agent.get('AgentResourceRoleArn').every((b) => b.value === undefined) ? NOT_APPLICABLE : COMPLIANT;
  return nonCompliant(`AgentResourceRoleArn is the role of agent${sharing.size > 1 ? 's' : ''} ${namesOf([...sharing])} too: `
    + 'each agent holds the models, knowledge bases and tools of the others, so one prompt-injected agent reaches all of them', 'Properties.AgentResourceRoleArn');
}

export const leastPrivilegeModelAccess: RuleDefinition = {
  title: 'Access to models, endpoints and agents is granted on named resources, never wholesale',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'apply least privilege principles to limit access to a system\'s functionality',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::Bedrock::Agent'],
  compliantWhen: 'no Allow statement (in `AWS::IAM::Policy`/`ManagedPolicy` `PolicyDocument`, or the inline `Policies` of a role, user '
    + 'or group) that grants a model-invocation action — `bedrock:InvokeModel*`, `bedrock:Converse*`, `bedrock:InvokeAgent`, '
    + '`bedrock:Retrieve*`, `bedrock:InvokeFlow`, `sagemaker:InvokeEndpoint*`, `bedrock-agentcore:InvokeAgentRuntime`, also through '
    + '`bedrock:*`, `sagemaker:*`, `*` or `NotAction` — has `Resource: "*"`, an ARN with `*`/`?` in its resource part (a wildcard '
    + 'Region or account is allowed) or `NotResource`; each action is judged only on the `Resource` entries of a resource type it '
    + 'applies to in the Service Authorization Reference (`InvokeEndpoint` on endpoint ARNs, not on `endpoint-config/*`), and one '
    + 'that takes only `*` (`bedrock:RetrieveAndGenerate`) names no model; unless conditioned on `aws:ResourceTag/...`; no `ManagedPolicyArns` entry is '
    + '`AmazonBedrockFullAccess`/`AmazonSageMakerFullAccess` (plain or `Fn::Join`-built ARN), nor `AdministratorAccess`/'
    + '`PowerUserAccess` on a role assumed by SageMaker, Bedrock or AgentCore or used by an AI resource; every `AWS::Bedrock::Agent` '
    + 'has an `AgentResourceRoleArn` no other agent of the app uses',
  explanation: 'Model access granted on every model, endpoint and agent lets whoever holds the permission, including a compromised '
    + 'function or a prompt-injected agent, query models not meant for the workload: to extract them, run up cost or reach data '
    + 'behind other agents. Full-access managed policies add the power to change and delete them. Agents that share a role share '
    + 'each other\'s tools and knowledge bases.',
  fix: 'Grant invocation on named ARNs (model.grantInvoke(role), endpoint ARNs from attrEndpointArn, agent alias ARNs), replace '
    + 'AmazonBedrockFullAccess/AmazonSageMakerFullAccess with statements naming the actions and resources the workload uses, and give '
    + 'each CfnAgent its own iam.Role.',
  peers: 'NAG AwsSolutions-IAM5, IAM4 (generic wildcard / any AWS-managed policy); CKV_AWS_62/63/109/111 (generic); PRW '
    + 'bedrock_full_access_policy_attached, bedrock_agent_role_not_shared_across_agents, sagemaker_full_access_policy_attached',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    if (resource.type === 'AWS::Bedrock::Agent') return sharedRole(context.index, resource);
    if (IDENTITY_TYPES.has(resource.type)) {
      const inline = judgeDocuments(resource, 'Policies', inlinePolicyDocuments);
      const managed = managedPolicies(context.index, resource);
      const result = combine(inline, managed);
      return result.verdict === Verdict.COMPLIANT || result.verdict === Verdict.NOT_APPLICABLE ? COMPLIANT : result;
    }
    if (!isAttachedPolicy(context.index, resource)) return NOT_APPLICABLE;
    return judgeDocuments(resource, 'PolicyDocument', (v) => [v]);
  },
};
