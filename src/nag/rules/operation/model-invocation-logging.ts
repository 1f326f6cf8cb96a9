import { COMPLIANT, decidingParameters, isTrue, Judgement, nonCompliant, NOT_APPLICABLE, NOT_KNOWN, qualifier, RuleResult, unverifiable, Verdict } from '../../engine/checks';
import { addToListOnce, listOf } from '../../engine/lists';
import { member } from '../../engine/readers/embedded-json';
import { isAllow, namesServiceAction, Statement, statementsOf } from '../../engine/readers/policy-documents';
import { IndexedResource, IndexedStack, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { namesOf } from '../../knowledge/ai-assets';
import { isCustomerManagedKey } from '../../knowledge/customer-managed-key';
import { callFormOf, cloudWatchLogGroup, invocationLogging, LoggingCall, LoggingCallForm, s3Buckets } from '../../knowledge/invocation-logging';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/*
 * CloudFormation has no resource type for Bedrock model-invocation logging: apps configure it with a custom resource
 * calling PutModelInvocationLoggingConfiguration (knowledge/invocation-logging.ts). The rule judges that call on the
 * `Custom::AWS` resource itself. When the app has none, the finding is about the account: it attaches once per account
 * and Region of the app to the first resource there (in the app's order) that makes Bedrock invoke models: agents,
 * knowledge bases, flows, guardrails, and IAM policies and roles granting direct model invocation (bedrock:InvokeModel*,
 * bedrock:Converse*; a bare `*` is not evidence of model use), naming the others. One lookup per run.
 */

const CUSTOM_AWS = 'Custom::AWS';
const BEDROCK_USERS = ['AWS::Bedrock::Agent', 'AWS::Bedrock::KnowledgeBase', 'AWS::Bedrock::Flow', 'AWS::Bedrock::Guardrail'];
const IAM_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role'];
const INVOKE_ACTIONS = ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream'];
const KMS_ALGORITHMS = /^aws:kms(?::dsse)?$/i;

/** Whether text delivery is on in one form of `loggingConfig` (`true`, `"true"`, or AwsCustomResource's `"TRUE:BOOLEAN"`). */
function textDelivery(config: Value): Judgement {
  const value = member(config, 'textDataDeliveryEnabled');
  if (typeof value === 'string' && /^true(:boolean)?$/i.test(value.trim())) return { answer: true, detail: '' };
  const answer = isTrue(value);
  if (answer === true) return { answer: true, detail: '' };
  if (answer instanceof UnknownValue) return { answer: NOT_KNOWN, detail: `textDataDeliveryEnabled cannot be read (${answer.reason})` };
  return { answer: false, detail: `textDataDeliveryEnabled is ${describe(value)}: the prompts and completions themselves are not logged` };
}

/** Whether a log group of the app is encrypted with a customer-managed key. */
function logGroupEncryption(index: ResourceIndex, name: Value): Judgement {
  const group = index.resolveAs('AWS::Logs::LogGroup', name);
  if (!group) return { answer: NOT_KNOWN, detail: `log group ${describe(name)} is not in the app, so its encryption cannot be seen` };
  const answers = group.get('KmsKeyId').map((b) => isCustomerManagedKey(b.value));
  if (answers.every((a) => a === true)) return { answer: true, detail: '' };
  if (answers.includes(false)) return { answer: false, detail: `log group ${group.logicalId} has no customer-managed KmsKeyId` };
  return { answer: NOT_KNOWN, detail: `the KmsKeyId of log group ${group.logicalId} cannot be read` };
}

/** Whether a bucket of the app encrypts by default with a KMS key (SSE-KMS or DSSE-KMS with `KMSMasterKeyID`). */
function bucketEncryption(index: ResourceIndex, name: Value): Judgement {
  const bucket = index.resolveAs('AWS::S3::Bucket', name);
  if (!bucket) return { answer: NOT_KNOWN, detail: `bucket ${describe(name)} is not in the app, so its encryption cannot be seen` };
  let unknown: string | undefined;
  for (const b of bucket.get('BucketEncryption.ServerSideEncryptionConfiguration')) {
    if (unknownOf(b.value)) {
      unknown = unknown ?? `the encryption of bucket ${bucket.logicalId} cannot be read`;
      continue;
    }
    const kms = listOf(b.value).some((rule) => {
      const byDefault = isPlainObject(rule) ? rule.ServerSideEncryptionByDefault : undefined;
      if (!isPlainObject(byDefault)) return false;
      const algorithm = byDefault.SSEAlgorithm;
      return typeof algorithm === 'string' && KMS_ALGORITHMS.test(algorithm) && isCustomerManagedKey(byDefault.KMSMasterKeyID) !== false;
    });
    if (!kms) return { answer: false, detail: `bucket ${bucket.logicalId} is not encrypted with a customer-managed KMS key (SSE-KMS)` };
  }
  return unknown ? { answer: NOT_KNOWN, detail: unknown } : { answer: true, detail: '' };
}

/** Judges one form of the logging configuration. */
function judgeForm(index: ResourceIndex, form: LoggingCallForm): Judgement {
  const config = form.loggingConfig;
  if (config instanceof UnknownValue) return { answer: NOT_KNOWN, detail: `the ${form.property} call cannot be read (${config.reason})` };
  if (!isPlainObject(config)) return { answer: false, detail: `the ${form.property} call has no loggingConfig` };
  const states: Judgement[] = [textDelivery(config)];
  const logGroup = cloudWatchLogGroup(config);
  const buckets = s3Buckets(config);
  if (logGroup === undefined && buckets.length === 0) {
    states.push({ answer: false, detail: 'loggingConfig names no destination (cloudWatchConfig.logGroupName or s3Config.bucketName)' });
  }
  if (logGroup !== undefined) states.push(logGroupEncryption(index, logGroup));
  buckets.forEach((b) => states.push(bucketEncryption(index, b.name)));
  const bad = states.filter((s) => s.answer === false).map((s) => s.detail);
  if (bad.length > 0) return { answer: false, detail: `${form.property}: ${bad.join('; ')}` };
  const open = states.find((s) => s.answer instanceof UnknownValue);
  return open ?? { answer: true, detail: '' };
}

function judgeCall(index: ResourceIndex, call: LoggingCall): RuleResult {
  const states = call.forms.map((f) => ({ form: f, state: judgeForm(index, f) }));
  const bad = states.find((s) => s.state.answer === false);
  if (bad) {
    // The finding names the parameters of the settings it is about, not those of the rest of the call.
    const { property, branch } = bad.form;
    const parameters = decidingParameters(call.resource, property, call.resource.get(property), branch, (b) => {
      const other = callFormOf(property, b);
      const state = other && judgeForm(index, other);
      return state?.answer === false ? state.detail : undefined;
    });
    return nonCompliant(`the model-invocation logging this resource configures is not fit for audit: ${bad.state.detail}`
      + qualifier(parameters, 1), `Properties.${property}`);
  }
  const open = states.find((s) => s.state.answer instanceof UnknownValue);
  if (open) {
    return unverifiable(`whether this model-invocation logging is fit for audit cannot be verified: ${open.state.detail}`,
      `Properties.${open.form.property}`);
  }
  return COMPLIANT;
}

/** What the app declares, created or not, read once per run: a judgement asks whether what answers it is created. */
interface Lookup {
  readonly calls: ReadonlyMap<IndexedResource, LoggingCall>;
  /** The resources that make Bedrock invoke models, by account and Region, in the app's order. */
  readonly users: ReadonlyMap<string, readonly IndexedResource[]>;
}

/** The account and Region a stack deploys to, as a key and as words; a stack without an environment, the app's. */
function accountRegionOf(stack: IndexedStack): { key: string; words: string } {
  const account = stack.pseudoParameter('AWS::AccountId');
  const region = stack.pseudoParameter('AWS::Region');
  const words = `${account ? `account ${account}` : 'the account the app deploys to'}, ${region ? `Region ${region}` : 'the Region it deploys to'}`;
  return { key: `${account ?? ''}/${region ?? ''}`, words };
}

function lookupFor(index: ResourceIndex): Lookup {
  return index.memo(lookupFor, () => {
    const users = new Map<string, IndexedResource[]>();
    for (const resource of index.resources) {
      const uses = BEDROCK_USERS.includes(resource.type) || (IAM_TYPES.includes(resource.type) && iamGrantsInvoke(resource));
      if (uses) addToListOnce(users, accountRegionOf(resource.stack).key, resource);
    }
    const lookup: Lookup = { calls: new Map(invocationLogging(index).calls.map((c) => [c.resource, c])), users };
    return lookup;
  });
}

/** Which call's verdict the users get: the first compliant one, else the first unverifiable one, else the first. */
function rankOf(result: RuleResult): number {
  return result.verdict === Verdict.COMPLIANT ? 2 : result.verdict === Verdict.UNVERIFIABLE ? 1 : 0;
}

/**
 * The verdict the resources that use Bedrock models get, from the logging calls of the app that are created; found
 * once per run. Only the conditions of the calls up to the one that decides it are read: the first `Custom::AWS`
 * (judged on itself) or, without one, the first compliant call.
 */
function verdictForUsers(index: ResourceIndex): RuleResult {
  return index.memo(verdictForUsers, () => {
    const calls = invocationLogging(index).calls;
    if (calls.some((c) => c.resource.type === CUSTOM_AWS && index.isCreated(c.resource))) return NOT_APPLICABLE; // judged on the custom resource itself
    // Custom resources of another type are not dispatched to the rule: their verdict goes to the users instead.
    let best: { call: LoggingCall; result: RuleResult } | undefined;
    for (const call of calls) {
      if (call.resource.type === CUSTOM_AWS || !index.isCreated(call.resource)) continue;
      const result = judgeCall(index, call);
      if (!best || rankOf(result) > rankOf(best.result)) best = { call, result };
      if (result.verdict === Verdict.COMPLIANT) break;
    }
    if (!best) {
      return nonCompliant('no resource of the app configures Bedrock model-invocation logging (no custom resource calls '
        + 'PutModelInvocationLoggingConfiguration): the prompts sent to the models and what they answered are not recorded, so misuse '
        + 'and compromise cannot be audited or investigated');
    }
    return best.result.message
      ? { ...best.result, message: `${best.call.resource.type} ${best.call.resource.logicalId}: ${best.result.message}`, locations: [] }
      : best.result;
  });
}

/** Whether one statement grants direct model invocation. */
function grantsInvoke(statement: Statement): boolean {
  return isAllow(statement) && namesServiceAction(statement, 'bedrock', INVOKE_ACTIONS);
}

/** Whether an IAM policy or role grants direct model invocation in some form; unknown documents grant nothing known. */
function iamGrantsInvoke(resource: IndexedResource): boolean {
  const documents: Value[] = [];
  if (resource.type === 'AWS::IAM::Role') {
    for (const b of resource.get('Policies')) for (const p of listOf(b.value)) if (isPlainObject(p)) documents.push(p.PolicyDocument);
  } else {
    resource.get('PolicyDocument').forEach((b) => documents.push(b.value));
  }
  return documents.some((d) => {
    const statements = statementsOf(d);
    return !(statements instanceof UnknownValue) && statements.some(grantsInvoke);
  });
}

export const modelInvocationLogging: RuleDefinition = {
  title: 'Bedrock model-invocation logging is on, with text delivery, to an encrypted destination',
  section: GuidelineSection.OPERATION,
  guideline: "Monitor your system's inputs",
  quote: 'monitor and log inputs to your system (such as inference requests, queries or prompts)',
  level: RuleLevel.WARNING,
  resourceTypes: [CUSTOM_AWS, ...BEDROCK_USERS, ...IAM_TYPES],
  compliantWhen: 'a custom resource (`Custom::AWS` from AwsCustomResource, or any `Custom::` type) calls Bedrock '
    + '`PutModelInvocationLoggingConfiguration` in `Create`/`Update` with `loggingConfig.textDataDeliveryEnabled` true and a '
    + 'destination (`cloudWatchConfig.logGroupName`, `s3Config.bucketName`) whose log group has a customer-managed `KmsKeyId` or '
    + 'whose bucket uses SSE-KMS with a key (destinations outside the app: unverifiable). The call is judged on `Custom::AWS`; '
    + 'when the app has no such call, the account and Region are non-compliant: the finding is reported once per account and Region '
    + 'of the app, on the first (in the app\'s order) Bedrock agent, knowledge base, flow or guardrail, or IAM policy or role granting '
    + '`bedrock:InvokeModel*`/`bedrock:Converse*`, there, naming the others. Not applicable when `orgManaged.invocationLogging` (or context '
    + '`ai:invocation-logging=org-managed`) says the account logs centrally',
  explanation: 'Bedrock logs nothing about model invocations unless the account turns invocation logging on. Without it, or '
    + 'without text delivery, there is no record of the prompts sent to the models and what they answered: prompt injection, '
    + 'data exfiltration through the model and misuse cannot be audited or investigated. The logs hold prompts and must be encrypted.',
  fix: 'Add an AwsCustomResource calling Bedrock PutModelInvocationLoggingConfiguration with loggingConfig { textDataDeliveryEnabled: '
    + 'true, cloudWatchConfig { logGroupName (a log group with encryptionKey), roleArn } or s3Config { bucketName (an SSE-KMS bucket) } }, '
    + 'or set orgManaged.invocationLogging when an organisation baseline configures it.',
  peers: 'PRW bedrock_model_invocation_logging_enabled, _text_data_enabled, _logs_encryption_enabled; requested in cdk-nag issue #2163 (open)',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource, context) {
    if (context.parameters.orgManaged.has('invocationLogging')) return NOT_APPLICABLE;
    const index = context.index;
    if (resource.type === CUSTOM_AWS) {
      const call = lookupFor(index).calls.get(resource);
      return call ? judgeCall(index, call) : NOT_APPLICABLE;
    }
    const { key, words } = accountRegionOf(resource.stack);
    const users = lookupFor(index).users.get(key) ?? [];
    // An account-level control: reported once per account and Region, on the first resource there that uses Bedrock and
    // is created. Only the conditions of the users before it are read, not those of every user of the app.
    if (users.find((r) => index.isCreated(r)) !== resource) return NOT_APPLICABLE;
    const result = verdictForUsers(index);
    if (!result.message) return result;
    const others = index.keepCreated(users, (r) => r).slice(1);
    const also = others.length === 0 ? '' : ` (and ${namesOf(others)}, which are not reported again)`;
    const placement = `Bedrock model-invocation logging is a setting of ${words}, reported once there, on its first resource that makes `
      + `Bedrock invoke models: this ${resource.type}${also}.`;
    return { ...result, message: `${placement} ${result.message.charAt(0).toUpperCase()}${result.message.slice(1)}` };
  },
};
