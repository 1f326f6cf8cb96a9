import { Answer, combine, COMPLIANT, expectProperty, isOneOf, judge, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable } from '../../engine/checks';
import { DeclaredAnswers } from '../../engine/declared-answers';
import { listOf } from '../../engine/lists';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, ResourceReference, UnknownValue, unknownOf, Value } from '../../engine/values';
import { isAiResource } from '../../knowledge/ai-assets';
import { invocationLogging, s3Buckets } from '../../knowledge/invocation-logging';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** Where AI resources write the data their users send and receive: captured requests, async outputs, monitoring results. */
const DATA_PATH = /^(?:DataCaptureConfig|AsyncInferenceConfig)|MonitoringOutput|JobOutputConfig/;
/** The tag that documents a bucket's retention, in days (on the bucket or its stack). */
const RETENTION_TAG = 'ai:retention-days';
/** The tag that marks a bucket as holding AI data (feedback, conversation exports, ...). */
const DATA_TAG = 'ai:data';
/** Bedrock's defaults when an agent does not set them. */
const DEFAULT_IDLE_SESSION_TTL = 600;
const DEFAULT_STORAGE_DAYS = 30;

const isEnabled = isOneOf('Enabled');

/** A whole number (or numeric string); unknown when not known at synth time; undefined when not a number. */
function numberOf(value: Value): number | UnknownValue | undefined {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (value instanceof ResourceReference) return new UnknownValue('the value is an attribute of another resource');
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && !Number.isNaN(n) ? n : undefined;
}

function isAtMost(maximum: number, absent?: number): (value: Value) => Answer {
  return (value) => {
    const n = value === undefined ? absent : numberOf(value);
    if (n instanceof UnknownValue) return n;
    return typeof n === 'number' && n <= maximum;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Buckets of AI data

/**
 * Why a bucket holds data users send to or receive from AI systems, if it does. The buckets that receive invocation
 * logs are found once per run, from every logging call declared: the first of them that is created gives the reason.
 */
function dataBucketReason(index: ResourceIndex, bucket: IndexedResource): string | undefined {
  const lookup = index.memo(dataBucketReason, () => {
    const found = new DeclaredAnswers<IndexedResource, string>();
    for (const call of invocationLogging(index).calls) {
      for (const form of call.forms) {
        for (const { path, name } of s3Buckets(form.loggingConfig)) {
          const target = index.resolveAs('AWS::S3::Bucket', name);
          if (target) found.add(target, `Bedrock model-invocation logs are delivered to it (${call.resource.logicalId} ${path})`, call.resource);
        }
      }
    }
    return found;
  });
  const known = lookup.first(index, bucket);
  if (known) return known;
  const ref = index.referencesTo(bucket).find((r) => isAiResource(r.source) && DATA_PATH.test(r.path));
  if (ref) return `${ref.source.type} ${ref.source.logicalId} writes to it (${ref.path})`;
  const tags = bucket.tags();
  if (tags.some((t) => !(t instanceof UnknownValue) && (t.has(RETENTION_TAG) || t.has(DATA_TAG)))) return `it is tagged ${DATA_TAG} or ${RETENTION_TAG}`;
  return undefined;
}

/** The retention a bucket's tags document, in every form of its tags: a number, unknown, or undefined when undocumented. */
function documentedRetention(bucket: IndexedResource): Array<number | UnknownValue | undefined> {
  return bucket.tags().map((tags) => {
    if (tags instanceof UnknownValue) return tags;
    const value = tags.get(RETENTION_TAG);
    if (value === undefined) return undefined;
    const n = numberOf(value);
    return n === undefined ? new UnknownValue(`tag ${RETENTION_TAG} is ${describe(value)}, not a number of days`) : n;
  });
}

interface LifecycleRead {
  readonly expirations: Array<number | UnknownValue>;
  readonly noncurrent: boolean;
  readonly open?: UnknownValue;
}

/** The expirations of the enabled rules of one form of `LifecycleConfiguration.Rules`. */
function readRules(rules: Value): LifecycleRead | UnknownValue {
  const unknown = unknownOf(rules);
  if (unknown) return unknown;
  const expirations: Array<number | UnknownValue> = [];
  let noncurrent = false;
  let open: UnknownValue | undefined;
  for (const rule of listOf(rules)) {
    if (!isPlainObject(rule)) {
      open = open ?? unknownOf(rule);
      continue;
    }
    const enabled = isEnabled(rule.Status);
    if (enabled === false) continue;
    if (enabled instanceof UnknownValue) open = open ?? enabled;
    if (rule.ExpirationInDays !== undefined) {
      const n = numberOf(rule.ExpirationInDays);
      if (n !== undefined) expirations.push(n);
    } else if (rule.ExpirationDate !== undefined) {
      expirations.push(new UnknownValue('an ExpirationDate, not a number of days'));
    }
    const noncurrentExpiry = rule.NoncurrentVersionExpiration;
    const nc = isPlainObject(noncurrentExpiry) ? noncurrentExpiry.NoncurrentDays : rule.NoncurrentVersionExpirationInDays;
    if (nc !== undefined) noncurrent = true;
  }
  return { expirations, noncurrent, open };
}

function checkBucket(resource: IndexedResource, index: ResourceIndex): RuleResult {
  const why = dataBucketReason(index, resource);
  if (!why) return NOT_APPLICABLE;
  const versioned = resource.get('VersioningConfiguration.Status').some((b) => isEnabled(b.value) === true);
  const documented = documentedRetention(resource);
  const results: RuleResult[] = [];
  for (const days of documented) {
    results.push(judge(resource.get('LifecycleConfiguration.Rules'), 'Properties.LifecycleConfiguration.Rules', (v) => {
      const read = readRules(v);
      if (read instanceof UnknownValue) return read;
      if (days instanceof UnknownValue) return days;
      const numbers = read.expirations.filter((e): e is number => typeof e === 'number');
      const expires = days === undefined ? numbers.length > 0 || read.expirations.some((e) => e instanceof UnknownValue) : numbers.includes(days);
      if (expires && (!versioned || read.noncurrent)) return true;
      return read.open ?? read.expirations.find((e): e is UnknownValue => e instanceof UnknownValue) ?? false;
    }, (v) => {
      const read = readRules(v);
      const numbers = read instanceof UnknownValue ? [] : read.expirations.filter((e): e is number => typeof e === 'number');
      let problem: string;
      if (typeof days === 'number' && numbers.length > 0 && !numbers.includes(days)) {
        problem = `no enabled lifecycle rule expires objects after the documented ${days} days (tag ${RETENTION_TAG}); the rules say ${numbers.join(', ')} days`;
      } else if (numbers.length === 0) {
        problem = 'no enabled LifecycleConfiguration rule sets ExpirationInDays: the data is kept forever';
      } else {
        problem = 'the bucket is versioned and no enabled lifecycle rule sets NoncurrentVersionExpiration: expired objects stay as noncurrent versions forever';
      }
      return `${problem} (the bucket holds AI data: ${why}), so users' prompts, outputs and feedback are kept longer than any retention you can state to them`;
    }, 'LifecycleConfiguration.Rules'));
  }
  return combine(...results);
}

// ---------------------------------------------------------------------------------------------------------------
// Agents and agent memory

function checkAgent(resource: IndexedResource, maxTtl: number, maxDays: number): RuleResult {
  const results = [
    expectProperty(resource, 'IdleSessionTTLInSeconds', isAtMost(maxTtl, DEFAULT_IDLE_SESSION_TTL),
      (v) => `IdleSessionTTLInSeconds ${v === undefined ? `is absent (Bedrock default ${DEFAULT_IDLE_SESSION_TTL})` : `is ${describe(v)}`}, more than `
        + `${maxTtl} seconds: an idle conversation and what the user shared in it stay available to the next request for longer than needed`),
  ];
  const memory = resource.get('MemoryConfiguration');
  const enabled = memory.some((b) => isPlainObject(b.value) && listOf(b.value.EnabledMemoryTypes).length > 0);
  if (enabled) {
    results.push(expectProperty(resource, 'MemoryConfiguration.StorageDays', isAtMost(maxDays, DEFAULT_STORAGE_DAYS),
      (v) => `MemoryConfiguration.StorageDays ${v === undefined ? `is absent (Bedrock default ${DEFAULT_STORAGE_DAYS})` : `is ${describe(v)}`}, `
        + `more than ${maxDays} days: summaries of users' conversations are kept longer than the retention you allow`));
  }
  return combine(...results);
}

function checkMemory(resource: IndexedResource, maxDays: number): RuleResult {
  const results = [
    expectProperty(resource, 'EventExpiryDuration', isAtMost(maxDays),
      (v) => `EventExpiryDuration ${v === undefined ? 'is absent' : `is ${describe(v)}`}${v === undefined ? '' : `, more than ${maxDays} days`}: `
        + 'raw conversation events are kept longer than the retention you allow'),
  ];
  for (const branch of resource.get('MemoryStrategies')) {
    if (branch.value instanceof UnknownValue) {
      results.push(unverifiable(`MemoryStrategies cannot be read at synth time (${branch.value.reason})`, 'Properties.MemoryStrategies'));
      continue;
    }
    // The strategies without an expiry share one consequence: it is said once, after all of them.
    const unexpiring: Array<{ name: string; location: string }> = [];
    listOf(branch.value).forEach((strategy, i) => {
      if (!isPlainObject(strategy)) return;
      for (const [kind, config] of Object.entries(strategy)) {
        if (!isPlainObject(config)) continue;
        const expiry = config.RecordExpirySpecification;
        const spec = isPlainObject(expiry) ? expiry.RecordExpiryDurationDays : expiry;
        const days = spec ?? config.RecordExpiryDurationDays;
        if (days === undefined) {
          unexpiring.push({ name: `MemoryStrategies[${i}].${kind}`, location: `Properties.MemoryStrategies[${i}]` });
        } else if (unknownOf(days)) {
          results.push(unverifiable(`MemoryStrategies[${i}].${kind}.RecordExpirySpecification cannot be read at synth time`, `Properties.MemoryStrategies[${i}]`));
        }
      }
    });
    if (unexpiring.length > 0) {
      const one = unexpiring.length === 1;
      results.push(nonCompliant(`${unexpiring.map((u) => u.name).join(', ')} set${one ? 's' : ''} no RecordExpirySpecification: the long-term memory `
        + `records ${one ? 'it extracts' : 'they extract'} from users' conversations never expire`, ...unexpiring.map((u) => u.location)));
    }
  }
  return combine(COMPLIANT, ...results);
}

export const aiDataRetention: RuleDefinition = {
  title: 'AI data, agent sessions and agent memory expire after a set retention',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Document your data, models and prompts',
  quote: 'retention time … processes to decommission AI systems … transparent about where (and how) their data might be used, accessed or stored',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::S3::Bucket', 'AWS::Bedrock::Agent', 'AWS::BedrockAgentCore::Memory'],
  compliantWhen: 'buckets of AI data (written by an AI resource at `DataCaptureConfig`, `AsyncInferenceConfig` or a monitoring output, '
    + 'receiving Bedrock model-invocation logs, or tagged `ai:data` or `ai:retention-days`) have an enabled `LifecycleConfiguration` rule '
    + 'with `ExpirationInDays` equal to the retention documented in the tag `ai:retention-days` (bucket or stack) or, without that tag, any '
    + 'expiration; versioned buckets also expire noncurrent versions. Bedrock agents: `IdleSessionTTLInSeconds` ≤ `maxAgentSessionTtlSeconds` '
    + '(default 3600; absent is Bedrock\'s 600) and, with memory enabled, `MemoryConfiguration.StorageDays` ≤ `maxAgentMemoryDays` (default 30; '
    + 'absent is Bedrock\'s 30). AgentCore memories: `EventExpiryDuration` set and ≤ `maxAgentMemoryDays`, and every long-term memory strategy '
    + 'sets a `RecordExpirySpecification` (records otherwise never expire). Other buckets are not applicable',
  explanation: 'Prompts, model outputs, captured requests and agent memories are users\' data. Keeping them without an expiry keeps them '
    + 'exposed to every later compromise and makes the retention you tell users (and the decommissioning of the system) untrue; expiries '
    + 'that match the documented retention make it real.',
  fix: 'Add a lifecycle rule to data buckets (lifecycleRules: [{ expiration: Duration.days(N), noncurrentVersionExpiration: Duration.days(M) }]) '
    + 'and tag them ai:retention-days=N; set idleSessionTtlInSeconds and memoryConfiguration.storageDays on Bedrock agents, and '
    + 'eventExpiryDuration and a recordExpirySpecification per strategy on AgentCore memories.',
  peers: 'CT.S3.PR.6 (any lifecycle rule); CP aiml-bedrock-memory-event-expiry; PRW bedrock_agent_idle_session_ttl_not_excessive',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource, context) {
    const { maxAgentSessionTtlSeconds, maxAgentMemoryDays } = context.parameters;
    switch (resource.type) {
      case 'AWS::S3::Bucket':
        return checkBucket(resource, context.index);
      case 'AWS::Bedrock::Agent':
        return checkAgent(resource, maxAgentSessionTtlSeconds, maxAgentMemoryDays);
      default:
        return checkMemory(resource, maxAgentMemoryDays);
    }
  },
};
