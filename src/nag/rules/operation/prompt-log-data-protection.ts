import { COMPLIANT, judgeForms, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable, Verdict } from '../../engine/checks';
import { DeclaredAnswers } from '../../engine/declared-answers';
import { listOf } from '../../engine/lists';
import { member } from '../../engine/readers/embedded-json';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, Expression, isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiApiBackendReason } from '../../knowledge/ai-apis';
import { aiAssetReason, isAiAsset } from '../../knowledge/ai-assets';
import { invocationLogging } from '../../knowledge/invocation-logging';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const LOG_GROUP = 'AWS::Logs::LogGroup';
const FUNCTION = 'AWS::Lambda::Function';
/** Log groups Bedrock and AgentCore write prompts and completions to (agents, flows, runtimes, invocation logs). */
const PROMPT_LOG_PREFIXES = ['/aws/bedrock/', '/aws/bedrock-agentcore/', '/aws/vendedlogs/bedrock'];
const LAMBDA_PREFIX = '/aws/lambda/';

/** The text of a name, with parts not known at synth time as `*`. */
function textOf(value: Value): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Expression) return value.pattern;
  return undefined;
}

/** Why a Lambda function handles prompts or completions: an agent/flow executor (an AI asset) or the backend of an AI API. */
function promptFunctionReason(index: ResourceIndex, fn: IndexedResource): string | undefined {
  if (isAiAsset(index, fn)) return `the log group of Lambda ${fn.logicalId}, ${aiAssetReason(index, fn)}`;
  const api = aiApiBackendReason(index, fn);
  return api ? `the log group of ${api}, which serves an AI API` : undefined;
}

/** Why a log group receives prompts or completions, or undefined where it does not after all: found when a rule asks. */
type Reason = () => string | undefined;

/**
 * The log groups of the app that receive prompts or completions, with why; found once per run from every resource the
 * templates declare. Each reason rests on the resources that make it so (the custom resource delivering invocation logs,
 * the function whose logs the group holds): a rule asks about one log group whether they are created.
 */
function promptLogGroups(index: ResourceIndex): DeclaredAnswers<IndexedResource, Reason> {
  return index.memo(promptLogGroups, () => {
    const groups = new DeclaredAnswers<IndexedResource, Reason>();
    const add = (group: IndexedResource | undefined, why: Reason, ...restsOn: IndexedResource[]): void => {
      if (group && group.type === LOG_GROUP) groups.add(group, why, ...restsOn);
    };
    const invocationLogs = invocationLogging(index).logGroups;
    for (const group of invocationLogs.keys()) {
      add(group, () => {
        const call = invocationLogs.first(index, group);
        return call && `Bedrock model-invocation logging (${call.type} ${call.logicalId}) delivers prompts and completions to it`;
      });
    }
    for (const group of index.declaredOfType(LOG_GROUP)) {
      for (const b of group.get('LogGroupName')) {
        const text = textOf(b.value);
        if (text === undefined) continue;
        if (PROMPT_LOG_PREFIXES.some((p) => text.startsWith(p))) {
          const why = `its name ${describe(b.value)} is a Bedrock or AgentCore log group`;
          add(group, () => why);
        }
        if (!text.startsWith(LAMBDA_PREFIX)) continue;
        // `/aws/lambda/<function name>`, written literally or built from a reference to the function.
        const fn = typeof b.value === 'string' ? index.resolveAs(FUNCTION, text.slice(LAMBDA_PREFIX.length))
          : index.resolve(b.value);
        if (fn && fn.type === FUNCTION) add(group, () => promptFunctionReason(index, fn), fn);
      }
    }
    for (const fn of index.declaredOfType(FUNCTION)) {
      for (const b of fn.get('LoggingConfig.LogGroup')) add(index.resolveAs(LOG_GROUP, b.value), () => promptFunctionReason(index, fn), fn);
    }
    // A stage's access log is not one: an access-log format has $context variables, none of which is the request body.
    return groups;
  });
}

/** The statements of one form of a data protection policy (object or JSON text); unknown when unreadable. */
function statementsOf(policy: Value): Value[] | UnknownValue | undefined {
  let document: Value = policy;
  if (document === undefined) return undefined;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document);
    } catch {
      return new UnknownValue('DataProtectionPolicy is not valid JSON');
    }
  }
  const unknown = unknownOf(document);
  if (unknown) return unknown;
  if (!isPlainObject(document)) return new UnknownValue(`DataProtectionPolicy is ${describe(document)}, not a policy document`);
  const statements = document.Statement;
  const unknownStatements = unknownOf(statements);
  if (unknownStatements) return unknownStatements;
  return listOf(statements);
}

/** Whether a statement applies `operation` (`Audit`, `Deidentify`) to at least one data identifier. */
function applies(statement: Value, operation: string): boolean | UnknownValue {
  if (!isPlainObject(statement)) return unknownOf(statement) ?? false;
  const operations = statement.Operation;
  const unknown = unknownOf(operations) ?? unknownOf(statement.DataIdentifier);
  if (unknown) return unknown;
  if (!isPlainObject(operations) || member(operations, operation) === undefined) return false;
  return listOf(statement.DataIdentifier).length > 0;
}

function judgePolicy(policy: Value): RuleResult {
  const statements = statementsOf(policy);
  const location = 'Properties.DataProtectionPolicy';
  if (statements === undefined) return nonCompliant('DataProtectionPolicy is absent', location);
  if (statements instanceof UnknownValue) return unverifiable(`DataProtectionPolicy cannot be verified at synth time: ${statements.reason}`, location);
  const missing: string[] = [];
  let unknown: UnknownValue | undefined;
  for (const operation of ['Audit', 'Deidentify']) {
    const answers = statements.map((s) => applies(s, operation));
    if (answers.includes(true)) continue;
    const open = answers.find((a): a is UnknownValue => a instanceof UnknownValue);
    if (open) unknown = unknown ?? open;
    else missing.push(operation);
  }
  if (missing.length > 0) {
    return nonCompliant(`DataProtectionPolicy has no statement with the ${missing.join(' and ')} operation over data identifiers`, location);
  }
  if (unknown) return unverifiable(`DataProtectionPolicy cannot be verified at synth time: ${unknown.reason}`, location);
  return COMPLIANT;
}

export const promptLogDataProtection: RuleDefinition = {
  title: 'Log groups that receive prompts and completions mask personal data',
  section: GuidelineSection.OPERATION,
  guideline: "Monitor your system's inputs",
  quote: 'In line with privacy and data protection requirements',
  level: RuleLevel.WARNING,
  resourceTypes: [LOG_GROUP],
  compliantWhen: 'every log group that receives prompts or completions (the destination of Bedrock model-invocation logging, a '
    + '`/aws/bedrock/`, `/aws/bedrock-agentcore/` or `/aws/vendedlogs/bedrock` group, the log group of an agent/flow executor Lambda '
    + 'or of a Lambda behind an AI API (`LoggingConfig.LogGroup` or `/aws/lambda/<name>`)) has a `DataProtectionPolicy` with a statement using the `Audit` operation and one using `Deidentify`, each over at '
    + 'least one data identifier, in every form. Other log groups are not applicable, API Gateway access logs among them: an access-log '
    + 'format cannot carry request or response bodies',
  explanation: 'Prompts, completions and the requests that carry them hold whatever users typed: names, addresses, card numbers, '
    + 'health data. Logged verbatim, they copy personal data to everyone who can read the logs. A data protection policy audits '
    + 'where such data appears and masks it, so that monitoring inputs stays in line with privacy and data protection requirements.',
  fix: 'Set dataProtectionPolicy on the log group (new logs.DataProtectionPolicy({ identifiers: [DataIdentifier.EMAILADDRESS, '
    + 'DataIdentifier.NAME, ...], logGroupAuditDestination })), which renders an Audit and a Deidentify statement, or write '
    + 'DataProtectionPolicy on CfnLogGroup with both operations.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    // The first reason whose resources are created and which holds.
    const why = promptLogGroups(context.index).pick(context.index, resource, (reason) => reason());
    if (!why) return NOT_APPLICABLE;
    const result = judgeForms(resource, 'DataProtectionPolicy', judgePolicy);
    if (result.verdict !== Verdict.NON_COMPLIANT) return result;
    return {
      ...result,
      message: `${result.message}: this log group receives prompts or completions (${why}), and the personal data in them is `
        + 'stored unmasked and unaudited',
    };
  },
};
