import { combine, expectProperty, isAtLeast, isSet, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable, Verdict, was } from '../../engine/checks';
import { DeclaredAnswers } from '../../engine/declared-answers';
import { addToListOnce } from '../../engine/lists';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, Expression } from '../../engine/values';
import { agentFunctionUses, isDeclaredAgentFunction } from '../../knowledge/agent-functions';
import { ACCESS_LOG_SETTINGS, aiBackendOf, STAGE_TYPES } from '../../knowledge/ai-apis';
import { aiAssetReason, isAiAsset } from '../../knowledge/ai-assets';
import { invocationLogging } from '../../knowledge/invocation-logging';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const LOG_GROUP = 'AWS::Logs::LogGroup';
/** Log group names of AI services, also when the CDK builds the name around a reference (`/aws/sagemaker/Endpoints/${Name}`). */
const AI_LOG_GROUP_NAME = /^\/aws\/(?:sagemaker|bedrock|bedrock-agentcore)\//;

/** Why a log group holds AI logs, or undefined where it does not after all: found when a rule asks. */
type Reason = () => string | undefined;

/**
 * What makes log groups AI logs, from every resource the templates declare: each answer rests on the resources that make
 * it so (the custom resource that delivers invocation logs, the agent function, the stage), and a rule asks about one
 * log group whether they are created, and depends on their conditions alone.
 */
interface Lookup {
  /** Why a log group holds AI logs, beyond what `isAiAsset` knows. */
  readonly aiLogGroups: DeclaredAnswers<IndexedResource, Reason>;
  /** Log groups that hold only the access logs of stages fronting an AI backend, with why: no prompts, a record to keep. */
  readonly accessLogGroups: DeclaredAnswers<IndexedResource, Reason>;
  /** The log groups of the app that each agent function writes to. */
  readonly functionLogGroups: DeclaredAnswers<IndexedResource, IndexedResource>;
}

function lookupFor(index: ResourceIndex): Lookup {
  return index.memo(lookupFor, () => {
    const found: Lookup = { aiLogGroups: new DeclaredAnswers(), accessLogGroups: new DeclaredAnswers(), functionLogGroups: new DeclaredAnswers() };
    const mark = (group: IndexedResource | undefined, why: Reason, ...restsOn: IndexedResource[]): void => {
      if (group?.type === LOG_GROUP) found.aiLogGroups.add(group, why, ...restsOn);
    };

    for (const group of index.declaredOfType(LOG_GROUP)) {
      for (const branch of group.get('LogGroupName')) {
        if (branch.value instanceof Expression && AI_LOG_GROUP_NAME.test(branch.value.pattern)) {
          const why = `its name ${describe(branch.value)} is an AI service's log group`;
          mark(group, () => why);
        }
      }
    }

    const invocationLogs = invocationLogging(index).logGroups;
    for (const group of invocationLogs.keys()) {
      mark(group, () => {
        const call = invocationLogs.first(index, group);
        return call && `Bedrock model-invocation logs are delivered to it (${call.logicalId})`;
      });
    }

    // The log groups whose name a function's reference builds (`/aws/lambda/${fn}`), by function.
    const named = new Map<IndexedResource, IndexedResource[]>();
    for (const group of index.declaredOfType(LOG_GROUP)) {
      for (const ref of index.declaredReferencesFrom(group)) if (ref.path === 'LogGroupName') addToListOnce(named, ref.target, group);
    }
    for (const fn of index.declaredOfType('AWS::Lambda::Function')) {
      if (!isDeclaredAgentFunction(index, fn)) continue;
      // Each group with the resources it rests on besides the function: a group that names it must be created too.
      const groups = new Map<IndexedResource, IndexedResource[]>();
      for (const branch of fn.get('LoggingConfig.LogGroup')) {
        const group = index.resolveAs(LOG_GROUP, branch.value);
        if (group && !groups.has(group)) groups.set(group, []);
      }
      for (const group of named.get(fn) ?? []) if (!groups.has(group)) groups.set(group, [group]);
      for (const branch of fn.get('FunctionName')) {
        const group = typeof branch.value === 'string' ? index.resolveAs(LOG_GROUP, `/aws/lambda/${branch.value}`) : undefined;
        if (group && !groups.has(group)) groups.set(group, []);
      }
      for (const [group, restsOn] of groups) {
        found.functionLogGroups.add(fn, group, ...restsOn);
        mark(group, () => {
          const uses = agentFunctionUses(index, fn);
          return uses.length > 0 ? `it holds the logs of Lambda ${fn.logicalId}, the ${uses[0].role}` : undefined;
        }, fn);
      }
    }

    for (const type of STAGE_TYPES) {
      const path = `${ACCESS_LOG_SETTINGS[type]}.DestinationArn`;
      for (const stage of index.declaredOfType(type)) {
        const destinations = stage.get(path).map((b) => index.resolveAs(LOG_GROUP, b.value) ?? index.resolve(b.value));
        for (const d of new Set(destinations)) {
          if (d?.type !== LOG_GROUP) continue;
          found.accessLogGroups.add(d, () => {
            const backend = aiBackendOf(index, stage);
            return backend && `it receives the access logs of ${stage.type} ${stage.logicalId}, which fronts an AI backend (${backend.why})`;
          }, stage);
        }
      }
    }
    return found;
  });
}

/** The first reason a log group is given whose resources are created and which holds. */
function reasonOf(index: ResourceIndex, reasons: DeclaredAnswers<IndexedResource, Reason>, group: IndexedResource): string | undefined {
  return reasons.pick(index, group, (why) => why());
}

function whyAiLogGroup(index: ResourceIndex, group: IndexedResource): string | undefined {
  if (isAiAsset(index, group)) {
    const name = group.properties.LogGroupName;
    return typeof name === 'string' && AI_LOG_GROUP_NAME.test(name) ? `its name ${name} is an AI service's log group` : aiAssetReason(index, group);
  }
  return reasonOf(index, lookupFor(index).aiLogGroups, group);
}

function retention(resource: IndexedResource, days: number): RuleResult {
  return expectProperty(resource, 'RetentionInDays', isAtLeast(days), (v) => (v === undefined
    ? `RetentionInDays is absent: the logs never expire, so there is no retention decision for sensitive AI logs; set a documented retention of at least ${days} days`
    : `RetentionInDays ${was(v)}, less than ${days} days: the logs are gone before an incident involving the AI system may be investigated`));
}

function checkLogGroup(resource: IndexedResource, index: ResourceIndex, days: number): RuleResult {
  const why = whyAiLogGroup(index, resource);
  // An access log holds who called the model and when, never a prompt (its format has no request body): the record of
  // an investigation, kept for its window; a service key is enough for it.
  const access = why ? undefined : reasonOf(index, lookupFor(index).accessLogGroups, resource);
  if (access) {
    const kept = retention(resource, days);
    return kept.verdict === Verdict.NON_COMPLIANT ? { ...kept, message: `${kept.message} (the access log of an AI API: ${access})` } : kept;
  }
  if (!why) return NOT_APPLICABLE;
  const result = combine(
    expectProperty(resource, 'KmsKeyId', isSet, (v) => `KmsKeyId ${was(v)}: the AI logs (prompts, completions, tool inputs, inference `
      + 'requests) are encrypted only with a service key, outside a key policy you control'),
    retention(resource, days),
  );
  if (result.verdict !== Verdict.NON_COMPLIANT) return result;
  return { ...result, message: `${result.message} (an AI log group: ${why})` };
}

function checkFunction(resource: IndexedResource, index: ResourceIndex): RuleResult {
  const uses = agentFunctionUses(index, resource);
  if (uses.length === 0) return NOT_APPLICABLE;
  if (lookupFor(index).functionLogGroups.created(index, resource).length > 0) return NOT_APPLICABLE; // judged on the log group
  const configured = resource.get('LoggingConfig.LogGroup').find((b) => b.value !== undefined);
  if (configured) {
    return unverifiable(`LoggingConfig.LogGroup is ${describe(configured.value)}, a log group that is not in the app: whether it is encrypted `
      + 'and retained cannot be verified', 'Properties.LoggingConfig.LogGroup');
  }
  return nonCompliant(`the function is the ${uses.map((u) => u.role).join('; ')}, and no log group of the app receives its logs: Lambda `
    + 'creates /aws/lambda/<name> on first use without a KMS key and with logs that never expire', 'Properties.LoggingConfig');
}

export const aiLogProtection: RuleDefinition = {
  title: 'AI log groups are encrypted with a customer-managed key and retained for a set period',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Identify, track and protect your assets',
  quote: 'You treat logs as sensitive data and implement controls to protect their confidentiality, integrity and availability',
  level: RuleLevel.ERROR,
  resourceTypes: [LOG_GROUP, 'AWS::Lambda::Function'],
  compliantWhen: 'AI log groups (named /aws/sagemaker/*, /aws/bedrock/*, /aws/bedrock-agentcore/* also when built around a reference; '
    + 'referenced by an AI resource; tagged `ai:asset=true`; the log group of a Lambda that an agent, flow, gateway target or data source '
    + 'runs; the destination of Bedrock model-invocation logs configured by a custom resource) set `KmsKeyId` and `RetentionInDays` ≥ '
    + '`logRetentionDays` (default 365). The access-log destination of an API Gateway stage fronting an AI backend, which holds who '
    + 'called the model but no prompt (an access-log format has no request body), needs only the retention. Absent `RetentionInDays` (never expire) is non-compliant: the catalogue asks for a retention that is '
    + 'set, and indefinite retention of prompts and completions is no retention decision. An agent function with no log group in the app '
    + '(Lambda creates one without key or retention) is non-compliant; one whose `LoggingConfig.LogGroup` is outside the app is unverifiable. '
    + 'Other log groups and functions are not applicable',
  explanation: 'AI logs hold prompts, completions, retrieved documents and tool inputs: sensitive data in their own right, and the record '
    + 'needed to investigate misuse of the AI system. A customer-managed key puts reading them under a key policy you control; a set '
    + 'retention of at least the investigation window keeps them available without keeping them forever.',
  fix: 'Create the log group in the app (logs.LogGroup with encryptionKey and retention: RetentionDays.ONE_YEAR or longer, as your log '
    + 'policy requires) and pass it to the function (logGroup), the stage (accessLogDestination) or name it as the service expects.',
  peers: 'NAG NIST/HIPAA CloudWatchLogGroupEncrypted, CloudWatchLogGroupRetentionPeriod (presence only); CKV_AWS_158, CKV_AWS_66; '
    + 'CT.CLOUDWATCH.PR.3; GRR CLOUDWATCH_LOG_GROUP_ENCRYPTED, CW_LOGGROUP_RETENTION_PERIOD_CHECK; CFG cloudwatch-log-group-encrypted, '
    + 'cw-loggroup-retention-period-check (≥365) (all unscoped)',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    return resource.type === LOG_GROUP
      ? checkLogGroup(resource, context.index, context.parameters.logRetentionDays)
      : checkFunction(resource, context.index);
  },
};
