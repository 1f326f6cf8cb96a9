import { allOf, Answer, anyOf, COMPLIANT, nonCompliant, NOT_APPLICABLE, NOT_KNOWN, RuleResult, unverifiable } from '../../engine/checks';
import { listOf } from '../../engine/lists';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { Expression, isPlainObject, ResourceReference, UnknownValue, Value } from '../../engine/values';
import { isAiAsset, mayBeAiAsset, namesOf } from '../../knowledge/ai-assets';
import {
  auditRecorders, AUDITED_AI_TYPES, auditedPlaceOf, describePlace, describeRecorders, EVENT_DATA_STORE, holdsCloudTrailEvents,
} from '../../knowledge/audit-coverage';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/**
 * CloudTrail data-event resource types that record the use of AI resources, and the resource types of the app that
 * need them. `AWS::SageMaker::Endpoint` is not asked for: SageMaker documents that CloudTrail does not capture
 * InvokeEndpoint, so no selector can record it (data capture, rule O1, covers endpoint inputs instead).
 */
const DATA_EVENT_TYPES: ReadonlyArray<{ readonly eventType: string; readonly appTypes: readonly string[]; readonly accepted?: readonly string[] }> = [
  { eventType: 'AWS::Bedrock::AgentAlias', appTypes: ['AWS::Bedrock::Agent', 'AWS::Bedrock::AgentAlias'] },
  { eventType: 'AWS::Bedrock::KnowledgeBase', appTypes: ['AWS::Bedrock::KnowledgeBase'] },
  { eventType: 'AWS::Bedrock::FlowAlias', appTypes: ['AWS::Bedrock::Flow', 'AWS::Bedrock::FlowAlias'] },
  { eventType: 'AWS::Bedrock::Guardrail', appTypes: ['AWS::Bedrock::Guardrail'] },
  { eventType: 'AWS::Bedrock::PromptVersion', appTypes: ['AWS::Bedrock::Prompt', 'AWS::Bedrock::PromptVersion'], accepted: ['AWS::Bedrock::Prompt'] },
  { eventType: 'AWS::BedrockAgentCore::Runtime', appTypes: ['AWS::BedrockAgentCore::Runtime'] },
  { eventType: 'AWS::BedrockAgentCore::Gateway', appTypes: ['AWS::BedrockAgentCore::Gateway'] },
  { eventType: 'AWS::SageMaker::FeatureGroup', appTypes: ['AWS::SageMaker::FeatureGroup'] },
];

/** One kind of data event the app needs recorded. */
interface Requirement {
  readonly eventType: string;
  readonly accepted: readonly string[];
  /** The resources that need it: AI resources of the types, or one AI bucket. */
  readonly resources: readonly IndexedResource[];
  readonly bucket?: IndexedResource;
}

/**
 * The requirements as a finding names them: each AI resource type with its first resources, then the AI buckets
 * together, the first five by name. One requirement per bucket would make the message, and every list of the threat
 * model that repeats it, grow with the app.
 */
function describeRequirements(requirements: readonly Requirement[]): string {
  const buckets = requirements.flatMap((r) => (r.bucket ? [r.bucket] : []));
  const labels = requirements.filter((r) => !r.bucket).map((r) => `${r.eventType} (${namesOf(r.resources)})`);
  if (buckets.length > 0) labels.push(`AWS::S3::Object for AI bucket${buckets.length > 1 ? 's' : ''} ${namesOf(buckets)}`);
  return labels.join('; ');
}

/** A requirement as the app declares it, with whether each recorder records it, read as if every resource were created. */
interface DeclaredRequirement {
  readonly requirement: Requirement;
  /** Per recorder of {@link auditRecorders}, in its order, whether it records the requirement's data events. */
  readonly answers: readonly Answer[];
}

/**
 * Every requirement the app may have, from every AI resource, bucket that may hold AI assets and recorder it declares,
 * created or not, found once per run: which of them are created is asked by {@link hasRequirement} and
 * {@link coverageOf}, so that reading them depends on the conditions they read alone.
 */
function declaredRequirements(index: ResourceIndex): readonly DeclaredRequirement[] {
  return index.memo(declaredRequirements, () => {
    const requirements: Requirement[] = [];
    for (const { eventType, appTypes, accepted } of DATA_EVENT_TYPES) {
      const resources = appTypes.flatMap((t) => index.declaredOfType(t));
      if (resources.length > 0) requirements.push({ eventType, accepted: [eventType, ...(accepted ?? [])], resources });
    }
    for (const bucket of index.declaredOfType('AWS::S3::Bucket').filter((b) => mayBeAiAsset(index, b))) {
      requirements.push({ eventType: 'AWS::S3::Object', accepted: ['AWS::S3::Object'], resources: [bucket], bucket });
    }
    const recorders = auditRecorders(index);
    return requirements.map((requirement) => ({ requirement, answers: recorders.map((r) => recordsDataEvents(index, r, requirement)) }));
  });
}

/** Whether the app has some requirement: an AI resource of the types that is created, or an AI bucket; read in order, up to the first. */
function hasRequirement(index: ResourceIndex): boolean {
  return declaredRequirements(index).some(({ requirement: { bucket, resources } }) =>
    (bucket ? isAiAsset(index, bucket) : resources.some((r) => index.isCreated(r))));
}

interface Coverage {
  readonly requirements: Requirement[];
  /** Per requirement, whether some logging trail or ingesting event data store of the app records it. */
  readonly covered: Map<Requirement, Answer>;
}

/**
 * Every requirement of the app, of what is created, and whether the recorders created record it: what a trail's finding
 * states, about the whole app, so reading it depends on the condition of every AI resource, AI bucket and recorder.
 * A requirement some of whose resources are not created is judged again on those that are (a selector may name them).
 */
function coverageOf(index: ResourceIndex): Coverage {
  return index.memo(coverageOf, () => {
    const declared = auditRecorders(index);
    const created = new Set(index.keepCreated(declared, (r) => r));
    const coverage: Coverage = { requirements: [], covered: new Map() };
    for (const { requirement, answers } of declaredRequirements(index)) {
      const { bucket } = requirement;
      const resources = bucket ? (isAiAsset(index, bucket) ? requirement.resources : []) : index.keepCreated(requirement.resources, (r) => r);
      if (resources.length === 0) continue;
      const kept = resources === requirement.resources ? requirement : { ...requirement, resources };
      const covered = declared.flatMap((r, i) => {
        if (!created.has(r)) return [];
        return [kept === requirement ? answers[i] : recordsDataEvents(index, r, kept)];
      });
      coverage.requirements.push(kept);
      coverage.covered.set(kept, anyOf(covered));
    }
    return coverage;
  });
}

/**
 * Whether a trail or event data store records the requirement's data events in every form of its selectors (a store
 * has advanced selectors only: without them it keeps management events alone).
 */
function recordsDataEvents(index: ResourceIndex, recorder: IndexedResource, requirement: Requirement): Answer {
  const advanced = allOf(recorder.get('AdvancedEventSelectors').map((b) => {
    if (b.value instanceof UnknownValue) return NOT_KNOWN;
    return anyOf(listOf(b.value).map((s) => advancedSelectorRecords(index, s, requirement)));
  }));
  const basic = allOf(recorder.get('EventSelectors').map((b) => {
    if (b.value instanceof UnknownValue) return NOT_KNOWN;
    return anyOf(listOf(b.value).map((s) => basicSelectorRecords(index, s, requirement)));
  }));
  return anyOf([advanced, basic]);
}

function advancedSelectorRecords(index: ResourceIndex, selector: Value, requirement: Requirement): Answer {
  if (selector instanceof UnknownValue) return NOT_KNOWN;
  if (!isPlainObject(selector)) return false;
  const fields = new Map<string, Record<string, Value>>();
  for (const f of listOf(selector.FieldSelectors)) {
    if (f instanceof UnknownValue) return NOT_KNOWN;
    if (isPlainObject(f) && typeof f.Field === 'string') fields.set(f.Field, f);
  }
  const category = fields.get('eventCategory');
  if (!category || !listOf(category.Equals).includes('Data')) return false;
  const type = fields.get('resources.type');
  if (!type) return false;
  const typeMatches = listOf(type.Equals).some((t) => typeof t === 'string' && requirement.accepted.includes(t))
    || listOf(type.StartsWith).some((t) => typeof t === 'string' && t !== '' && requirement.accepted.some((a) => a.startsWith(t)));
  if (!typeMatches) return listOf(type.Equals).some((t) => t instanceof UnknownValue) ? NOT_KNOWN : false;
  const arn = fields.get('resources.ARN');
  if (!arn) return true;
  const included = [...listOf(arn.Equals), ...listOf(arn.StartsWith)];
  const excluded = [...listOf(arn.NotEquals), ...listOf(arn.NotStartsWith)];
  if (excluded.some((v) => namesResource(index, v, requirement) === true)) return false;
  if (included.length === 0) return true;
  return anyOf(included.map((v) => namesResource(index, v, requirement)));
}

function basicSelectorRecords(index: ResourceIndex, selector: Value, requirement: Requirement): Answer {
  if (selector instanceof UnknownValue) return NOT_KNOWN;
  if (!isPlainObject(selector) || !requirement.bucket) return false; // basic selectors cannot log Bedrock or AgentCore events
  return anyOf(listOf(selector.DataResources).map((d) => {
    if (d instanceof UnknownValue) return NOT_KNOWN;
    if (!isPlainObject(d) || d.Type !== 'AWS::S3::Object') return false;
    return anyOf(listOf(d.Values).map((v) => namesResource(index, v, requirement)));
  }));
}

/** Whether an ARN value of a selector names (or is a prefix covering) the requirement's resource. */
function namesResource(index: ResourceIndex, value: Value, requirement: Requirement): Answer {
  if (value instanceof UnknownValue) return NOT_KNOWN;
  if (value instanceof ResourceReference || (value instanceof Expression && value.references.length > 0)) {
    const target = index.resolve(value);
    return target !== undefined && requirement.resources.includes(target);
  }
  const text = typeof value === 'string' ? value : value instanceof Expression ? value.pattern : undefined;
  if (text === undefined) return false;
  if (requirement.bucket) {
    if (/^arn:[^:]*:s3(?::::?)?\/?$/.test(text)) return true; // every bucket
    const target = index.resolve(text);
    if (target) return target === requirement.bucket;
    const name = requirement.bucket.properties.BucketName;
    if (typeof name === 'string') return new RegExp(`^arn:[^:]*:s3:::${name.replace(/[.]/g, '\\.')}(?:/|$)`).test(text);
    return NOT_KNOWN; // a literal bucket ARN, and the bucket's name is generated at deploy time
  }
  // The ARNs of the app's AI resources are generated at deploy time: a literal ARN filter cannot be matched to them.
  return NOT_KNOWN;
}

/**
 * On the first AI resource of an account and Region no trail of the app records: the data events nothing in the app
 * records there, unverifiable as P20's missing trail is (an organisation trail outside the app may record them).
 */
function placeWithoutTrail(index: ResourceIndex, resource: IndexedResource): RuleResult {
  const place = auditedPlaceOf(index, resource);
  // Judged on the trails that record it; an organisation trail declared for it is outside what the pack sees (see P20).
  if (!place || place.firstRecorder(() => true) || place.declaredBy.length > 0) return NOT_APPLICABLE;
  const events = describeRequirements(coverageOf(index).requirements);
  if (place.possibleRecorders.length > 0) {
    return unverifiable(`${describePlace(place)}; whether ${describeRecorders(place.possibleRecorders)}, in an environment-agnostic stack, records `
      + `its data events for ${events} cannot be verified at synth time`);
  }
  return unverifiable(`${describePlace(place)}, and no trail or event data store of the app records that account and Region (see SecureAI-P20), so unless a `
    + `trail outside the app does, nothing records data events for ${events}: invocations of the AI resources and reads of the AI `
    + 'buckets would leave no audit record');
}

export const aiDataEvents: RuleDefinition = {
  title: 'A trail records data events for the app\'s AI resources and AI buckets',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Develop incident management procedures',
  quote: 'to enable their incident response processes',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::CloudTrail::Trail', EVENT_DATA_STORE, ...AUDITED_AI_TYPES],
  compliantWhen: 'for every AI resource type present in the app, some logging trail or ingesting CloudTrail Lake event data store '
    + '(`IngestionEnabled` not false) of the app has an advanced event selector with '
    + '`eventCategory` = `Data` and `resources.type` = its data-event type (AWS::Bedrock::AgentAlias for agents, KnowledgeBase, '
    + 'FlowAlias for flows, Guardrail, PromptVersion for prompts, AWS::BedrockAgentCore::Runtime/Gateway, AWS::SageMaker::FeatureGroup), '
    + 'and every AI-asset bucket is covered by an `AWS::S3::Object` selector (advanced, or basic `EventSelectors[].DataResources`) whose '
    + 'ARN filter, if any, includes it; coverage may be spread over the app\'s trails and event data stores. An account and Region '
    + 'holding AI resources that no trail or event data store of the app records and for which no organisation trail is declared (see P20) is unverifiable, once, on its first AI '
    + 'resource, with the data events nothing in the app records. Not applicable when the app has none of these, or when '
    + 'orgManaged.auditTrail (context ai:org-trail=org-managed) declares an organisation trail',
  explanation: 'Who invoked an agent, queried a knowledge base, hit a guardrail or read a model artifact is recorded only as a '
    + 'CloudTrail data event, which trails do not log unless asked. Without them, responders and customers cannot reconstruct '
    + 'model extraction, data exfiltration through RAG or tampering with artifacts.',
  fix: 'Add to the trail advanced event selectors { eventCategory: Data, resources.type: <type> } for each AI resource type '
    + '(trail.addEventSelector for S3, or CfnTrail or CfnEventDataStore advancedEventSelectors), scoping resources.ARN to the app\'s resources if cost '
    + 'matters, or declare the organisation trail with orgManaged.auditTrail.',
  peers: 'S3 only: GRR CLOUDTRAIL_S3_DATAEVENTS_ENABLED; CFG cloudtrail-s3-dataevents-enabled — Bedrock and AgentCore: none',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    if (context.parameters.orgManaged.has('auditTrail')) return NOT_APPLICABLE;
    if (!hasRequirement(context.index)) return NOT_APPLICABLE;
    if (resource.type === EVENT_DATA_STORE && !holdsCloudTrailEvents(resource)) return NOT_APPLICABLE; // Config items, Insights, outside events
    if (resource.type !== 'AWS::CloudTrail::Trail' && resource.type !== EVENT_DATA_STORE) return placeWithoutTrail(context.index, resource);
    // The verdict of every trail and event data store is the app's: whether its recorders together record every requirement.
    const { requirements, covered } = coverageOf(context.index);
    const missing = requirements.filter((r) => covered.get(r) === false);
    const open = requirements.filter((r) => covered.get(r) instanceof UnknownValue);
    if (missing.length > 0) {
      return nonCompliant(`no logging trail or ingesting event data store of the app records data events for ${describeRequirements(missing)}: invocations of `
        + 'these AI resources and reads or writes of these AI buckets leave no audit record for incident response', 'Properties.AdvancedEventSelectors');
    }
    if (open.length > 0) {
      return unverifiable(`whether a trail or event data store records data events for ${describeRequirements(open)} cannot be verified at synth time `
        + '(a selector or ARN filter is not known or does not name the resource of the app)', 'Properties.AdvancedEventSelectors');
    }
    return COMPLIANT;
  },
};
