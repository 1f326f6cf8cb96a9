import { Answer, COMPLIANT, decidingParameters, nonCompliant, NOT_APPLICABLE, NOT_KNOWN, qualifier, RuleResult, unverifiable } from '../../engine/checks';
import { listOf } from '../../engine/lists';
import { grantsAction, policyFormOf, Statement, statementsOf } from '../../engine/readers/policy-documents';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { Branch, describe, isPlainObject, UnknownValue, Value } from '../../engine/values';
import { DIRECT_MODEL_ACTIONS, grantedActions, inlinePolicyDocuments, isAttachedPolicy } from '../../knowledge/model-access';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const GUARDRAIL_KEY = 'bedrock:guardrailidentifier';
const BEDROCK_SERVICE = /^bedrock\.amazonaws\.com$/i;
const IDENTITY_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']);

/** Whether an account-level enforced guardrail of the app applies to every direct model call. */
interface Enforcement {
  readonly answer: Answer;
  readonly detail: string;
}

function isNumericVersion(value: Value): Answer {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0;
  if (typeof value === 'string') return /^[1-9]\d*$/.test(value.trim());
  // A version of the app's guardrail read with Fn::GetAtt [GuardrailVersion, Version] is numeric by construction.
  return value === undefined ? false : NOT_KNOWN;
}

/** Whether one enforced guardrail configuration names a guardrail and a published version; found once per configuration and run. */
function configVerdict(index: ResourceIndex, config: IndexedResource): Enforcement {
  return index.memoPer(configVerdict, config, () => {
    const ids = config.get('GuardrailIdentifier').map((b) => (b.value !== undefined && b.value !== '') as Answer);
    const versions = config.get('GuardrailVersion').map((b) => {
      const target = config.resolve(b.value);
      return target?.type === 'AWS::Bedrock::GuardrailVersion' ? true : isNumericVersion(b.value);
    });
    const all = [...ids, ...versions];
    const answer: Answer = all.includes(false) ? false : all.includes(NOT_KNOWN) ? NOT_KNOWN : true;
    return {
      answer,
      detail: answer === false ? `enforced guardrail configuration ${config.logicalId} has no GuardrailIdentifier or a GuardrailVersion `
        + `that is not a published number (${config.get('GuardrailVersion').map((b) => describe(b.value)).join(', ')})`
        : `the GuardrailVersion of enforced guardrail configuration ${config.logicalId} is not known at synth time`,
    };
  });
}

/**
 * The app's enforcement: its first enforced guardrail configuration that is created and enforces, else the first that
 * may, else the first. The configurations are read in the app's order up to the one that decides, so that a rule does
 * not depend on the condition of every configuration of the app once one enforces.
 */
function enforcementOf(index: ResourceIndex): Enforcement {
  const configs = index.declaredOfType('AWS::Bedrock::EnforcedGuardrailConfiguration');
  const first = (holds: (answer: Answer) => boolean): IndexedResource | undefined =>
    configs.find((config) => holds(configVerdict(index, config).answer) && index.isCreated(config));
  const config = first((a) => a === true) ?? first((a) => a instanceof UnknownValue) ?? first(() => true);
  return config ? configVerdict(index, config) : { answer: false, detail: 'the app has no AWS::Bedrock::EnforcedGuardrailConfiguration' };
}

/** Whether a statement's condition names `bedrock:GuardrailIdentifier`, under any operator. */
function conditionsGuardrail(statement: Statement): boolean {
  const condition = statement.Condition;
  return isPlainObject(condition) && Object.values(condition).some((block) => isPlainObject(block)
    && Object.keys(block).some((k) => k.toLowerCase() === GUARDRAIL_KEY));
}

function isDeny(statement: Statement): boolean {
  return typeof statement.Effect === 'string' && statement.Effect.toLowerCase() === 'deny';
}

/** The direct model actions of a document's Allow statements that no guardrail condition covers; whether it grants any. */
function unguarded(statements: readonly Statement[]): { found: string[]; grants: boolean } {
  const denials = statements.filter((s) => isDeny(s) && conditionsGuardrail(s));
  const found: string[] = [];
  let grants = false;
  for (const statement of statements) {
    const granted = grantedActions(statement, DIRECT_MODEL_ACTIONS);
    grants = grants || granted.length > 0;
    if (conditionsGuardrail(statement)) continue;
    const actions = granted.filter((a) => !denials.some((d) => grantsAction(d, a)));
    if (actions.length === 0) continue;
    const sid = typeof statement.Sid === 'string' ? `statement "${statement.Sid}"` : 'a statement';
    found.push(`${sid} allows ${actions.join(', ')}`);
  }
  return { found, grants };
}

/** Whether a role is a Bedrock service role (agent, knowledge base, flow): its model calls run behind the agent's own guardrail. */
function isBedrockServiceRole(role: IndexedResource): boolean {
  return role.get('AssumeRolePolicyDocument').every((b) => {
    const statements = statementsOf(b.value);
    if (statements instanceof UnknownValue || statements.length === 0) return false;
    return statements.every((s) => isPlainObject(s.Principal) && Object.keys(s.Principal).length === 1
      && listOf(s.Principal.Service).length > 0 && listOf(s.Principal.Service).every((p) => typeof p === 'string' && BEDROCK_SERVICE.test(p)));
  });
}

/** Whether a policy is attached only to Bedrock service roles of the app. */
function onlyForBedrockServiceRoles(index: ResourceIndex, policy: IndexedResource): boolean {
  const holders = ['Users', 'Groups'].some((p) => policy.get(p).some((b) => listOf(b.value).length > 0));
  if (holders) return false;
  const roles = policy.get('Roles').flatMap((b) => listOf(b.value));
  if (roles.length === 0) return false;
  return roles.every((r) => {
    const role = index.resolveAs('AWS::IAM::Role', r);
    return role !== undefined && isBedrockServiceRole(role);
  });
}

/** The unguarded direct model actions of one form of a resource's policies, whether it grants any, and what cannot be read. */
function formProblems(form: Branch, read: (v: Value) => Value[] | UnknownValue): { problems: string[]; grants: boolean; unreadable?: string } {
  const { documents, unreadable } = policyFormOf(form, read);
  const problems: string[] = [];
  let grants = false;
  for (const statements of documents) {
    const verdict = unguarded(statements);
    problems.push(...verdict.found);
    grants = grants || verdict.grants;
  }
  return { problems, grants, unreadable };
}

function judgeDocuments(resource: IndexedResource, path: string, read: (v: Value) => Value[] | UnknownValue, index: ResourceIndex): RuleResult {
  const forms = resource.get(path);
  const location = `Properties.${path}`;
  const enforcement = enforcementOf(index);
  let open: string | undefined;
  let grants = false;
  for (const form of forms) {
    const found = formProblems(form, read);
    open = open ?? found.unreadable;
    grants = grants || found.grants;
    if (found.problems.length === 0) continue;
    if (enforcement.answer === true) return COMPLIANT;
    const parameters = decidingParameters(resource, path, forms, form, (f) => formProblems(f, read).problems.join('; ') || undefined);
    const message = `${found.problems.join('; ')}${qualifier(parameters, forms.length)} with no bedrock:GuardrailIdentifier condition, and `
      + `${enforcement.detail}: the principal can call foundation models directly with no guardrail at all, bypassing every agent guardrail`;
    if (enforcement.answer instanceof UnknownValue) return unverifiable(`whether direct model calls are guarded cannot be verified: ${message}`, location);
    return nonCompliant(message, location);
  }
  if (open) return unverifiable(`direct model access cannot be verified at synth time: ${open}`, location);
  return grants ? COMPLIANT : NOT_APPLICABLE;
}

export const directModelGuardrail: RuleDefinition = {
  title: 'Direct model invocation is always guarded: an enforced guardrail or a guardrail condition',
  section: GuidelineSection.DESIGN,
  guideline: 'Make it easy for users to do the right things',
  quote: 'the most secure setting will be integrated into the system as the only option',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'],
  compliantWhen: 'every Allow statement granting `bedrock:InvokeModel*` or `bedrock:Converse*` (also through wildcards or `NotAction`) '
    + 'in an `AWS::IAM::Policy`/`ManagedPolicy` or the inline `Policies` of a role, user or group either has a `Condition` on '
    + '`bedrock:GuardrailIdentifier` (any operator) or is covered by a Deny statement of the same document conditioned on it; or the '
    + 'app has an `AWS::Bedrock::EnforcedGuardrailConfiguration` with a `GuardrailIdentifier` and a numeric `GuardrailVersion`. '
    + 'Policies of Bedrock service roles (trusted only by bedrock.amazonaws.com: agents, knowledge bases, flows, whose calls the '
    + 'agent\'s guardrail covers, D2) and statements granting no direct model action are not applicable; the whole rule is not '
    + 'applicable when the pack\'s `orgManaged.enforcedGuardrail` (or context `ai:enforced-guardrail=org-managed`) says an '
    + 'account-level enforced guardrail is run centrally',
  explanation: 'A guardrail attached to an agent protects only calls made through that agent. Any role that may call InvokeModel or '
    + 'Converse directly can bypass it, by mistake or after compromise. Making the guardrail the only option, account-wide through an '
    + 'enforced guardrail configuration or per principal through the bedrock:GuardrailIdentifier condition key, closes that path.',
  fix: 'Add a bedrock.CfnEnforcedGuardrailConfiguration (guardrailIdentifier, numeric guardrailVersion) to the account baseline, or add '
    + 'conditions: { StringEquals: { \'bedrock:GuardrailIdentifier\': \'<guardrail ARN>:<version>\' } } to every statement granting '
    + 'bedrock:InvokeModel* / bedrock:Converse*; if the organisation enforces one centrally, set orgManaged.enforcedGuardrail.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    if (context.parameters.orgManaged.has('enforcedGuardrail')) return NOT_APPLICABLE;
    const index = context.index;
    if (IDENTITY_TYPES.has(resource.type)) {
      if (resource.type === 'AWS::IAM::Role' && isBedrockServiceRole(resource)) return NOT_APPLICABLE;
      return judgeDocuments(resource, 'Policies', inlinePolicyDocuments, index);
    }
    if (!isAttachedPolicy(index, resource) || onlyForBedrockServiceRoles(index, resource)) return NOT_APPLICABLE;
    return judgeDocuments(resource, 'PolicyDocument', (v) => [v], index);
  },
};
