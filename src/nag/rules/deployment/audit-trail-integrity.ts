import { combine, COMPLIANT, expectProperty, isAtLeast, isSet, isTrue, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable, was } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { UnknownValue, Value } from '../../engine/values';
import { namesOf } from '../../knowledge/ai-assets';
import {
  AUDITED_AI_TYPES, auditedPlaceOf, describePlace, describeRecorders, EVENT_DATA_STORE, holdsCloudTrailEvents, recordsManagementWrites,
} from '../../knowledge/audit-coverage';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const defaultFalse = (v: Value): string => (v === undefined ? ' (CloudFormation default false)' : '');
/** A flag whose CloudFormation default is true: absent is compliant. */
const trueByDefault = (v: Value) => (v === undefined ? true : isTrue(v));

/**
 * On the first AI resource of each account and Region of the app: whether a trail of the app records it. Without one,
 * the finding is unverifiable, not non-compliant: a trail is account-level infrastructure, often an organisation trail
 * outside the app, and whether one records the account cannot be known at synth time. The finding asks for a trail or
 * the declaration (orgManaged.auditTrail) that settles it.
 */
function trailOfPlace(index: ResourceIndex, resource: IndexedResource): RuleResult {
  const place = auditedPlaceOf(index, resource);
  if (!place) return NOT_APPLICABLE;
  if (place.firstRecorder((r) => recordsManagementWrites(r).answer !== false)) return COMPLIANT;
  // Declared as orgManaged.auditTrail is, for this account and Region alone: the trail is outside what the pack sees.
  if (place.declaredBy.length > 0) return NOT_APPLICABLE;
  if (place.recorders.length > 0) {
    return unverifiable(`${describePlace(place)}, and ${describeRecorders(place.recorders)} of the app that records it keeps no management write `
      + 'events (see its own finding): unless a trail outside the app does, who created, changed or deleted the AI system there leaves no '
      + 'audit record; reported once per account and Region, on its first AI resource');
  }
  if (place.possibleRecorders.length > 0) {
    return unverifiable(`${describePlace(place)}; ${describeRecorders(place.possibleRecorders)} records it only if its environment-agnostic stack `
      + 'is deployed to the same account and Region (or it is multi-Region or organisation-wide), which is not known at synth time');
  }
  if (place.possiblyDeclaredBy.length > 0) {
    return unverifiable(`${describePlace(place)}; the organisation trail ${namesOf(place.possiblyDeclaredBy)} declares records it only if `
      + 'its environment-agnostic stack is deployed to the same account and Region, which is not known at synth time');
  }
  return unverifiable(`${describePlace(place)}, and no CloudTrail trail of the app records that account and Region, nor does a CloudTrail `
    + 'Lake event data store of the app: unless a trail '
    + 'outside the app (an organisation trail) does, who invoked, changed or deleted the AI system there leaves no audit record. Add '
    + 'a trail, or declare the organisation trail with orgManaged.auditTrail (or context ai:org-trail=org-managed); reported once '
    + 'per account and Region, on its first AI resource');
}

/** The selectors keep management write events: without them, who changed or deleted the AI system is not recorded. */
function judgeManagementWrites(recorder: IndexedResource): RuleResult {
  const { answer, property } = recordsManagementWrites(recorder);
  if (answer === true) return COMPLIANT;
  if (answer instanceof UnknownValue) return unverifiable(`${property} cannot be verified at synth time: ${answer.reason}`, `Properties.${property}`);
  return nonCompliant(`${property} record no management write events (IncludeManagementEvents false, ReadWriteType ReadOnly, or no `
    + 'eventCategory Management selector without readOnly true): who created, changed or deleted a model, endpoint, agent or its '
    + `permissions leaves no record, and the ${recorder.type === EVENT_DATA_STORE ? 'event data store' : 'trail'} does not count as recording its account`,
  `Properties.${property}`);
}

/** The retention an event data store has without `RetentionPeriod`: 2557 days under FIXED_RETENTION_PRICING, else 366. */
function defaultRetention(store: IndexedResource): number {
  return store.get('BillingMode').every((b) => b.value === 'FIXED_RETENTION_PRICING') ? 2557 : 366;
}

/**
 * A CloudTrail Lake event data store asked what P20 asks of a trail, where it has the same property: it ingests (as a
 * trail logs), it is multi-Region, its events are encrypted with a customer-managed key, and it keeps management write
 * events. Log file validation has no counterpart (the store's events cannot be edited); its counterpart of a log file
 * silently deleted is the whole store deleted, which termination protection blocks. A store keeps its events itself,
 * so it is asked to keep them as long as the pack's `logRetentionDays` asks of AI logs. CloudWatch Logs delivery does
 * not exist for a store: its events are queried in place. A store of AWS Config items, Insights or events from outside
 * AWS is no audit trail: not applicable.
 */
function judgeEventDataStore(store: IndexedResource, retentionDays: number): RuleResult {
  if (!holdsCloudTrailEvents(store)) return NOT_APPLICABLE;
  const retention = defaultRetention(store);
  return combine(
    expectProperty(store, 'IngestionEnabled', trueByDefault,
      (v) => `IngestionEnabled ${was(v)}: the event data store takes in no events`),
    expectProperty(store, 'KmsKeyId', isSet,
      (v) => `KmsKeyId ${was(v)}: the audit events are not encrypted with a customer-managed key whose policy you control`),
    expectProperty(store, 'TerminationProtectionEnabled', trueByDefault,
      (v) => `TerminationProtectionEnabled ${was(v)}: the event data store, and every audit event in it, can be deleted in one call`),
    expectProperty(store, 'MultiRegionEnabled', trueByDefault,
      (v) => `MultiRegionEnabled ${was(v)}: activity in other Regions (a model or endpoint stood up there) goes unrecorded`),
    expectProperty(store, 'RetentionPeriod', (v) => isAtLeast(retentionDays)(v === undefined ? retention : v),
      (v) => `RetentionPeriod ${was(v)}${v === undefined ? ` (CloudTrail default ${retention} days)` : ''}, less than the ${retentionDays} days `
        + 'of logRetentionDays: the audit events are gone before an incident involving the AI system may be investigated'),
    judgeManagementWrites(store),
  );
}

export const auditTrailIntegrity: RuleDefinition = {
  title: 'The audit trail is logging, multi-Region, encrypted, validated and streamed to CloudWatch Logs',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Develop incident management procedures',
  quote: 'high-quality audit logs',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::CloudTrail::Trail', EVENT_DATA_STORE, ...AUDITED_AI_TYPES],
  compliantWhen: 'every account and Region that holds AI resources of the app (a SageMaker model, endpoint, notebook, domain, pipeline, '
    + 'model package or feature group, a Bedrock agent, knowledge base, guardrail, flow or prompt, an AgentCore runtime or gateway) '
    + 'is recorded by a trail of the app (in a stack of that account, or `IsOrganizationTrail`; of that Region, or '
    + '`IsMultiRegionTrail`) or by a CloudTrail Lake event data store of the app (`AWS::CloudTrail::EventDataStore`: in a stack of that '
    + 'account, or `OrganizationEnabled`; of that Region, or `MultiRegionEnabled`, which defaults to true; `IngestionEnabled` not false), '
    + 'or an organisation trail is declared for it (by a construct of the app in a stack of that account and '
    + 'Region: AiEnvironment\'s `organizationTrail`, rendered into template metadata with its reason); otherwise unverifiable (a trail '
    + 'outside the app may record it), '
    + 'once per account and Region, on its first AI resource; and every trail of the app has `IsLogging: true`, '
    + '`EnableLogFileValidation: true`, `KMSKeyId` set, `CloudWatchLogsLogGroupArn` set, `IsMultiRegionTrail: true` and selectors that keep management write events (no '
    + '`EventSelectors`, or one without `IncludeManagementEvents: false` or `ReadWriteType: ReadOnly`; or an `AdvancedEventSelectors` entry '
    + 'of `eventCategory` Management not limited to `readOnly` true); and every event data store of the app has `IngestionEnabled`, '
    + '`TerminationProtectionEnabled` and `MultiRegionEnabled` not false (each defaults to true), `KmsKeyId` set, a `RetentionPeriod` '
    + '(default 366 days, 2557 under `FIXED_RETENTION_PRICING`) of at least the pack\'s `logRetentionDays` (default 365), and '
    + '`AdvancedEventSelectors` that keep management write events (absent: every management event), judged as a trail\'s. A trail '
    + 'or event data store whose `Condition` is false, or that keeps no management write events, records no account; not '
    + 'applicable when the pack\'s orgManaged.auditTrail (or context ai:org-trail=org-managed) says an organisation trail records the account',
  explanation: 'Investigating an AI incident (who invoked the model, who changed the endpoint, who read the training data) depends on '
    + 'a trail that is on, covers every Region an attacker could use, cannot be silently edited (digest validation), is '
    + 'encrypted under a key you control and reaches CloudWatch Logs where alarms and responders can act on it.',
  fix: 'Add a cloudtrail.Trail to a stack of each account that holds AI resources, with isMultiRegionTrail: true, '
    + 'enableFileValidation: true, encryptionKey, '
    + 'sendToCloudWatchLogs: true (CFN EnableLogFileValidation, IsMultiRegionTrail, KMSKeyId, CloudWatchLogsLogGroupArn and '
    + 'CloudWatchLogsRoleArn, IsLogging: true), or declare the organisation trail with orgManaged.auditTrail. On a CloudTrail Lake '
    + 'event data store (CfnEventDataStore), set kmsKeyId and a retentionPeriod of at least logRetentionDays, and leave '
    + 'ingestionEnabled, multiRegionEnabled and terminationProtectionEnabled at their default, true.',
  peers: 'NAG NIST/HIPAA CloudTrailLogFileValidationEnabled, CloudTrailEncryptionEnabled, CloudTrailCloudWatchLogsEnabled; CKV_AWS_35, 36, 67; '
    + 'CT.CLOUDTRAIL.PR.1/2/3; GRR CLOUD_TRAIL_*; SH CloudTrail.1/2/4/5',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    if (context.parameters.orgManaged.has('auditTrail')) return NOT_APPLICABLE;
    if (resource.type === EVENT_DATA_STORE) return judgeEventDataStore(resource, context.parameters.logRetentionDays);
    if (resource.type !== 'AWS::CloudTrail::Trail') return trailOfPlace(context.index, resource);
    return combine(
      expectProperty(resource, 'IsLogging', isTrue,
        (v) => `IsLogging ${was(v)}: the trail records nothing`),
      expectProperty(resource, 'EnableLogFileValidation', isTrue,
        (v) => `EnableLogFileValidation ${was(v)}${defaultFalse(v)}: log files can be altered or deleted without detection`),
      expectProperty(resource, 'KMSKeyId', isSet,
        (v) => `KMSKeyId ${was(v)}: the audit logs are not encrypted with a customer-managed key whose policy you control`),
      expectProperty(resource, 'CloudWatchLogsLogGroupArn', isSet,
        (v) => `CloudWatchLogsLogGroupArn ${was(v)}: the events never reach CloudWatch Logs, so no metric filter or alarm can act on them`),
      expectProperty(resource, 'IsMultiRegionTrail', isTrue,
        (v) => `IsMultiRegionTrail ${was(v)}${defaultFalse(v)}: activity in other Regions (a model or endpoint stood up there) goes unrecorded`),
      judgeManagementWrites(resource),
    );
  },
};
