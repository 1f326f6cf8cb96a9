import { combine, COMPLIANT, isOneOf, isSet, Judgement, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable } from '../../engine/checks';
import { addToListOnce, listOf } from '../../engine/lists';
import { parseEmbeddedJson } from '../../engine/readers/embedded-json';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, Expression, isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { namesOf } from '../../knowledge/ai-assets';
import { aiBackupPlans, LAG_VAULT, plansWritingTo } from '../../knowledge/backup-coverage';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/*
 * Alarms that tell someone when an AI workload misbehaves: per SageMaker endpoint an alarm on its errors or latency,
 * per Bedrock guardrail an alarm on its interventions, and notifications on the backup vaults that hold AI backups.
 * An alarm counts only when it acts: AlarmActions set and ActionsEnabled not false, or a composite alarm with actions
 * built on it.
 */

const ENDPOINT = 'AWS::SageMaker::Endpoint';
const GUARDRAIL = 'AWS::Bedrock::Guardrail';
const VAULT = 'AWS::Backup::BackupVault';

const ENDPOINT_NAMESPACE = 'AWS/SageMaker';
const ENDPOINT_METRICS = new Set(['Invocation5XXErrors', 'ModelLatency']);
const GUARDRAIL_NAMESPACE = 'AWS/Bedrock/Guardrails';
const GUARDRAIL_METRICS = new Set(['InvocationsIntervened']);
const ENDPOINT_DIMENSIONS = new Set(['EndpointName']);
/** Dimensions that identify a guardrail; Operation, GuardrailPolicyType or GuardrailContentSource do not. */
const GUARDRAIL_DIMENSIONS = new Set(['GuardrailArn', 'GuardrailId', 'GuardrailIdentifier']);

/** Backup vault events that signal a failure or a change an attacker would make. */
const ALERTING_EVENTS = /FAILED|EXPIRED|MODIFIED|DELETED/i;

/** One metric an alarm watches: its namespace, name and dimensions. */
interface WatchedMetric {
  readonly namespace: Value;
  readonly metricName: Value;
  readonly dimensions: Value;
}

/**
 * An alarm that watches a resource, created or not: the rule that reads it asks whether it is created, and whether a
 * composite alarm built on it is.
 */
interface AlarmCoverage {
  readonly alarm: IndexedResource;
  /** Whether the alarm acts in every form on its own; the reason when it does not. */
  readonly own: Judgement;
  /** The composite alarms built on it that act in every form, created or not. */
  readonly composites: readonly IndexedResource[];
}

/**
 * The alarms of the app, as the templates declare them, created or not: found once per run, and a rule asks about one
 * endpoint or guardrail whether the alarms that watch it are created, so that it depends on their conditions alone.
 */
interface AlarmLookup {
  /** Alarms on each endpoint's errors or latency, and on each guardrail's interventions. */
  readonly alarms: Map<IndexedResource, AlarmCoverage[]>;
  /** Guardrail alarms that name no guardrail (account-wide metrics): they cover every guardrail. */
  readonly allGuardrails: AlarmCoverage[];
  /** Alarms that may act, in the namespaces, whose dimension value cannot be read at synth time: they may watch anything. */
  readonly unresolved: { readonly endpoint: AlarmCoverage[]; readonly guardrail: AlarmCoverage[] };
}

/** The metrics one form of an alarm watches: its own metric, and the metric stats of a metric-math alarm. */
function metricsOf(alarm: Value): WatchedMetric[] {
  if (!isPlainObject(alarm)) return [];
  const out: WatchedMetric[] = [];
  if (alarm.MetricName !== undefined || alarm.Namespace !== undefined) {
    out.push({ namespace: alarm.Namespace, metricName: alarm.MetricName, dimensions: alarm.Dimensions });
  }
  for (const query of listOf(alarm.Metrics)) {
    const metric = isPlainObject(query) && isPlainObject(query.MetricStat) ? query.MetricStat.Metric : undefined;
    if (isPlainObject(metric)) out.push({ namespace: metric.Namespace, metricName: metric.MetricName, dimensions: metric.Dimensions });
  }
  return out;
}

/** An alarm that acts. */
const ACTS: Judgement = { answer: true, detail: 'it acts' };

/** Whether one form of an alarm acts: actions set and ActionsEnabled not false. */
function actsInForm(alarm: Value): Judgement {
  if (!isPlainObject(alarm)) return { answer: false, detail: 'the alarm cannot be read' };
  const enabled = alarm.ActionsEnabled;
  if (enabled === false || (typeof enabled === 'string' && enabled.trim().toLowerCase() === 'false')) return { answer: false, detail: 'its ActionsEnabled is false' };
  const actions = alarm.AlarmActions;
  if (actions instanceof UnknownValue || isSet(actions) === true) return ACTS;
  return { answer: false, detail: 'it has no AlarmActions' };
}

/** Whether an alarm that is created acts in every form, or through a composite alarm that acts and is created. */
function actsOf(index: ResourceIndex, coverage: AlarmCoverage): Judgement {
  if (coverage.own.answer === true) return coverage.own;
  return coverage.composites.some((c) => index.isCreated(c)) ? ACTS : coverage.own;
}

/** The composite alarms that act in every form, by the alarms their `AlarmRule` is built on; created or not. */
function actingComposites(index: ResourceIndex): Map<IndexedResource, IndexedResource[]> {
  const composites = new Map<IndexedResource, IndexedResource[]>();
  for (const composite of index.declaredOfType('AWS::CloudWatch::CompositeAlarm')) {
    const refs = index.declaredReferencesFrom(composite).filter((r) => r.path.startsWith('AlarmRule'));
    if (refs.length === 0 || !composite.get('').every((b) => actsInForm(b.value).answer === true)) continue;
    for (const ref of refs) addToListOnce(composites, ref.target, composite);
  }
  return composites;
}

type Named = { readonly resources: IndexedResource[]; readonly unknown: boolean; readonly named: boolean };

/**
 * The resources of `type` the dimensions of a metric name (by reference, ARN or literal name). `named` is set when an
 * identity dimension (`identities`) names something, in the app or not; `unknown` when one cannot be read.
 */
function dimensionTargets(index: ResourceIndex, dimensions: Value, type: string, identities: ReadonlySet<string>): Named {
  const resources: IndexedResource[] = [];
  let unknown = unknownOf(dimensions) !== undefined;
  let named = false;
  for (const dimension of listOf(dimensions)) {
    if (!isPlainObject(dimension)) {
      unknown = unknown || unknownOf(dimension) !== undefined;
      continue;
    }
    const identity = typeof dimension.Name === 'string' ? identities.has(dimension.Name) : unknownOf(dimension.Name) !== undefined;
    const value = dimension.Value;
    const target = index.resolveAs(type, value);
    if (target) {
      resources.push(target);
      named = true;
    } else if (identity && (value instanceof UnknownValue || value instanceof Expression)) {
      unknown = true;
    } else if (identity && value !== undefined) {
      named = true; // names something outside the app
    }
  }
  return { resources, unknown, named };
}

const isEndpointNamespace = isOneOf(ENDPOINT_NAMESPACE);
const isGuardrailNamespace = isOneOf(GUARDRAIL_NAMESPACE);

function alarmLookup(index: ResourceIndex): AlarmLookup {
  return index.memo(alarmLookup, () => {
    const found: AlarmLookup = { alarms: new Map(), allGuardrails: [], unresolved: { endpoint: [], guardrail: [] } };
    const composites = actingComposites(index);
    for (const alarm of index.declaredOfType('AWS::CloudWatch::Alarm')) {
      const forms = alarm.get('').map((b) => b.value);
      const own = forms.map(actsInForm).find((a) => a.answer !== true) ?? ACTS;
      const coverage: AlarmCoverage = { alarm, own, composites: composites.get(alarm) ?? [] };
      // A resource is covered only when every form of the alarm watches it.
      const perForm: Array<{ endpoints: Set<IndexedResource>; guardrails: Set<IndexedResource>; allGuardrails: boolean }> = [];
      let unknownEndpoint = false;
      let unknownGuardrail = false;
      for (const form of forms) {
        const entry = { endpoints: new Set<IndexedResource>(), guardrails: new Set<IndexedResource>(), allGuardrails: false };
        if (form instanceof UnknownValue) {
          unknownEndpoint = true;
          unknownGuardrail = true;
        }
        for (const metric of metricsOf(form)) {
          const name = metric.metricName;
          if (isEndpointNamespace(metric.namespace) === true && typeof name === 'string' && ENDPOINT_METRICS.has(name)) {
            const t = dimensionTargets(index, metric.dimensions, ENDPOINT, ENDPOINT_DIMENSIONS);
            t.resources.forEach((r) => entry.endpoints.add(r));
            unknownEndpoint = unknownEndpoint || t.unknown;
          } else if (isGuardrailNamespace(metric.namespace) === true && typeof name === 'string' && GUARDRAIL_METRICS.has(name)) {
            const t = dimensionTargets(index, metric.dimensions, GUARDRAIL, GUARDRAIL_DIMENSIONS);
            t.resources.forEach((r) => entry.guardrails.add(r));
            unknownGuardrail = unknownGuardrail || t.unknown;
            if (!t.named && !t.unknown) entry.allGuardrails = true;
          } else if (unknownOf(metric.namespace) || unknownOf(name)) {
            unknownEndpoint = true;
            unknownGuardrail = true;
          }
        }
        perForm.push(entry);
      }
      const every = <T>(pick: (e: typeof perForm[number]) => Set<T>): T[] => {
        if (perForm.length === 0) return [];
        return [...pick(perForm[0])].filter((r) => perForm.every((e) => pick(e).has(r)));
      };
      every((e) => e.endpoints).forEach((r) => addToListOnce(found.alarms, r, coverage));
      every((e) => e.guardrails).forEach((r) => addToListOnce(found.alarms, r, coverage));
      if (perForm.length > 0 && perForm.every((e) => e.allGuardrails)) found.allGuardrails.push(coverage);
      // An alarm that can never notify (actions disabled or absent in some form, and no composite alarm with actions)
      // covers nothing, whatever it watches.
      const mayAct = coverage.own.answer === true || coverage.composites.length > 0;
      if (unknownEndpoint && mayAct) found.unresolved.endpoint.push(coverage);
      if (unknownGuardrail && mayAct) found.unresolved.guardrail.push(coverage);
    }
    return found;
  });
}

/** The enabled EventBridge rules of the app that route AWS Backup events to a target, created or not; found once per run. */
function backupEventRules(index: ResourceIndex): readonly IndexedResource[] {
  return index.memo(backupEventRules, () => index.declaredOfType('AWS::Events::Rule')
    .filter((rule) => rule.get('').every((b) => routesBackupEvents(b.value))));
}

/** Whether one form of an EventBridge rule sends AWS Backup events somewhere. */
function routesBackupEvents(rule: Value): boolean {
  if (!isPlainObject(rule)) return false;
  if (typeof rule.State === 'string' && rule.State.toUpperCase().startsWith('DISABLED')) return false;
  // The pattern is written as an object or as JSON text; text that is not JSON routes nothing known.
  const parsed = typeof rule.EventPattern === 'string' ? parseEmbeddedJson(rule.EventPattern) : { json: rule.EventPattern };
  const pattern = 'json' in parsed ? parsed.json : undefined;
  if (!isPlainObject(pattern)) return false;
  return listOf(pattern.source).includes('aws.backup') && isSet(rule.Targets) === true;
}

/** The names of unresolved alarms, for messages: the same list for every endpoint or guardrail, so written once per run. */
const unresolvedNameLists = new WeakMap<readonly AlarmCoverage[], string>();

function unresolvedNames(unresolved: readonly AlarmCoverage[]): string {
  let names = unresolvedNameLists.get(unresolved);
  if (names === undefined) {
    names = namesOf(unresolved.map((c) => c.alarm));
    unresolvedNameLists.set(unresolved, names);
  }
  return names;
}

function checkAlarmed(index: ResourceIndex, resource: IndexedResource, what: string, how: string): RuleResult {
  const lookup = alarmLookup(index);
  const declared = [...(lookup.alarms.get(resource) ?? []), ...(resource.type === GUARDRAIL ? lookup.allGuardrails : [])];
  // Only the conditions of the alarms up to the first that is created and acts are read, when one does.
  if (declared.some((c) => index.isCreated(c.alarm) && actsOf(index, c).answer === true)) return COMPLIANT;
  const coverage = index.keepCreated(declared, (c) => c.alarm);
  const silent = coverage.map((c) => `${c.alarm.logicalId} (${actsOf(index, c).detail})`);
  const created = index.keepCreated(resource.type === GUARDRAIL ? lookup.unresolved.guardrail : lookup.unresolved.endpoint, (c) => c.alarm);
  // The same list for every endpoint or guardrail, its names written once, unless some alarm is left out.
  const unresolved = created.every((c) => actsOf(index, c).answer === true) ? created : created.filter((c) => actsOf(index, c).answer === true);
  const reason = `no CloudWatch alarm with actions watches ${what}${silent.length > 0 ? `; alarm ${silent.join(', ')} does not notify anyone` : ''}`;
  if (unresolved.length > 0) {
    return unverifiable(`${reason}, unless alarm ${unresolvedNames(unresolved)}, whose metric cannot be read at synth time, does`);
  }
  return nonCompliant(`${reason}: ${how}`);
}

function checkVault(index: ResourceIndex, vault: IndexedResource): RuleResult {
  // The plans that write or copy to this vault and back up AI assets: only their conditions, and those of their
  // selections and stores, are read.
  const plans = aiBackupPlans(index, plansWritingTo(index, vault));
  if (plans.length === 0) return NOT_APPLICABLE;
  if (backupEventRules(index).some((rule) => index.isCreated(rule))) return COMPLIANT;
  const results = vault.get('Notifications').map((b): RuleResult => {
    const notifications = b.value;
    if (notifications instanceof UnknownValue) return unverifiable(`Notifications cannot be verified at synth time: ${notifications.reason}`, 'Properties.Notifications');
    if (!isPlainObject(notifications)) return nonCompliant('Notifications is absent', 'Properties.Notifications');
    const topic = isSet(notifications.SNSTopicArn);
    if (topic !== true) {
      return topic instanceof UnknownValue ? unverifiable(`Notifications.SNSTopicArn cannot be verified: ${topic.reason}`, 'Properties.Notifications.SNSTopicArn')
        : nonCompliant('Notifications.SNSTopicArn is absent', 'Properties.Notifications.SNSTopicArn');
    }
    const events = notifications.BackupVaultEvents;
    if (unknownOf(events)) return unverifiable('Notifications.BackupVaultEvents cannot be verified at synth time', 'Properties.Notifications.BackupVaultEvents');
    const list = listOf(events);
    if (list.some((e) => unknownOf(e))) return unverifiable('an entry of Notifications.BackupVaultEvents cannot be verified at synth time', 'Properties.Notifications.BackupVaultEvents');
    if (!list.some((e) => typeof e === 'string' && ALERTING_EVENTS.test(e))) {
      return nonCompliant(`Notifications.BackupVaultEvents is ${describe(events)}, with no failure or modification event (BACKUP_JOB_FAILED, `
        + 'COPY_JOB_FAILED, RECOVERY_POINT_MODIFIED, BACKUP_PLAN_MODIFIED, ...)', 'Properties.Notifications.BackupVaultEvents');
    }
    return COMPLIANT;
  });
  const result = combine(...results);
  if (!result.message) return result;
  return {
    ...result,
    message: `this vault receives backups of AI assets (plan ${namesOf(plans)}) and ${result.message}: a failed, `
    + 'deleted or altered backup of a model or its data goes unnoticed until it is needed, and no AWS::Events::Rule routes aws.backup events either',
  };
}

export const aiAlarms: RuleDefinition = {
  title: 'Endpoints, guardrails and AI backup vaults raise alarms that notify someone',
  section: GuidelineSection.OPERATION,
  guideline: "Monitor your system's behaviour",
  quote: 'account for and identify potential intrusions and compromises … take action to mitigate and remediate issues quickly',
  level: RuleLevel.WARNING,
  resourceTypes: [ENDPOINT, GUARDRAIL, VAULT, LAG_VAULT],
  compliantWhen: 'each `AWS::SageMaker::Endpoint` is watched by an `AWS::CloudWatch::Alarm` in `AWS/SageMaker` on `Invocation5XXErrors` '
    + 'or `ModelLatency` whose `EndpointName` dimension names it (by reference or literal name; a metric-math alarm counts when a '
    + '`Metrics[].MetricStat` names it); each `AWS::Bedrock::Guardrail` by an alarm in `AWS/Bedrock/Guardrails` on '
    + '`InvocationsIntervened` whose dimensions name it or name no guardrail (account-wide); every form of the alarm watches it and '
    + 'it acts (`AlarmActions` set, `ActionsEnabled` not false, or a `CompositeAlarm` with actions built on it). An alarm whose dimensions cannot be read at synth time makes the verdict unverifiable only when it '
    + 'acts: one that can never notify covers nothing. Each backup vault '
    + 'that receives backups of AI assets has `Notifications.SNSTopicArn` with a failure or modification event in `BackupVaultEvents`, '
    + 'or an enabled `AWS::Events::Rule` routes `aws.backup` events to a target. Vaults without AI backups are not applicable',
  explanation: 'Errors and latency on an endpoint, a burst of guardrail interventions, and a failed or altered backup are how an '
    + 'intrusion, an abuse of the model or a denial of service first shows. An alarm that notifies nobody, or no alarm at all, '
    + 'leaves them to be found after the damage is done.',
  fix: 'Add a cloudwatch.Alarm per endpoint on AWS/SageMaker Invocation5XXErrors or ModelLatency with dimensions EndpointName '
    + '(endpoint.attrEndpointName) and VariantName, and per guardrail on AWS/Bedrock/Guardrails InvocationsIntervened, each with '
    + 'alarm.addAlarmAction(new SnsAction(topic)); give the backup vault notificationTopic and notificationEvents (BACKUP_JOB_FAILED, '
    + 'COPY_JOB_FAILED, RECOVERY_POINT_MODIFIED).',
  peers: 'NAG NIST/HIPAA CloudWatchAlarmAction and CFG cloudwatch-alarm-action-check only check that existing alarms have actions',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    const index = context.index;
    switch (resource.type) {
      case ENDPOINT:
        return checkAlarmed(index, resource, 'the errors or latency of this endpoint (AWS/SageMaker Invocation5XXErrors or ModelLatency '
          + 'with its EndpointName)', 'failures, overload and abuse of the endpoint are not noticed until users report them');
      case GUARDRAIL:
        return checkAlarmed(index, resource, 'the interventions of this guardrail (AWS/Bedrock/Guardrails InvocationsIntervened)',
          'a wave of blocked prompt attacks or harmful outputs, the first sign of an intrusion attempt, goes unnoticed');
      default:
        return checkVault(index, resource);
    }
  },
};
