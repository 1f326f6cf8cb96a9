import { Answer, combine, COMPLIANT, isOneOf, judge, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable, Verdict } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { Expression, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiNetworkDependents, dependentReason, subnetsOf, VPC } from '../../knowledge/ai-network';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const FLOW_LOG = 'AWS::EC2::FlowLog';

/** The flow logs of the app by what they record: a VPC or subnet of the app, or a resource not known at synth time. */
interface FlowLogs {
  readonly byTarget: Map<IndexedResource, IndexedResource[]>;
  readonly unknown: IndexedResource[];
}

/** Every flow log declared, created or not: a rule asks whether those that record what it judges are created. */
function flowLogsOf(index: ResourceIndex): FlowLogs {
  const byTarget = new Map<IndexedResource, IndexedResource[]>();
  const unknown: IndexedResource[] = [];
  for (const log of index.declaredOfType(FLOW_LOG)) {
    for (const branch of log.get('ResourceId')) {
      const target = index.resolve(branch.value);
      if (target) byTarget.set(target, [...(byTarget.get(target) ?? []), log]);
      else if (unknownOf(branch.value) && !unknown.includes(log)) unknown.push(log);
    }
  }
  return { byTarget, unknown };
}

/** The fields of a flow log record that say who talked to whom: AWS's default format has them, a custom one may not. */
const ADDRESS_FIELDS = ['${srcaddr}', '${dstaddr}'];

/** The address fields a `LogFormat` leaves out: none for AWS's default format (no `LogFormat`). */
function addressesLeftOut(format: string | undefined): string[] {
  if (format === undefined) return [];
  const fields = format.split(/\s+/);
  return ADDRESS_FIELDS.filter((f) => !fields.includes(f));
}

/**
 * Whether a flow log's records keep the addresses. A format built at deploy time keeps them when its literal text
 * holds both fields whole; otherwise the parts not known could hold them, and only the deployed format can tell.
 */
function keepsAddresses(format: Value): Answer {
  if (format === undefined || typeof format === 'string') return addressesLeftOut(format).length === 0;
  if (format instanceof Expression) {
    return addressesLeftOut(format.pattern).length === 0 || (format.unknown ?? new UnknownValue(`the LogFormat "${format.shown}" is built at deploy time`));
  }
  if (format instanceof UnknownValue) return format;
  return new UnknownValue('the LogFormat is not text');
}

/**
 * Judges the flow logs that record one VPC or subnet: some log records ALL traffic, with the addresses, in every form
 * its properties can take.
 */
function judgeLogs(logs: readonly IndexedResource[]): RuleResult | undefined {
  let partial: RuleResult | undefined;
  for (const log of logs) {
    const exists = log.exists();
    if (exists === false) continue;
    const result = exists instanceof UnknownValue
      ? unverifiable(`flow log ${log.logicalId} is created only under condition ${log.condition}, which cannot be evaluated at synth time (${exists.reason})`)
      : combine(
        judge(log.get('TrafficType'), 'Properties.TrafficType', isOneOf('ALL'),
          (v) => `flow log ${log.logicalId} records only ${typeof v === 'string' ? v : 'some'} traffic`, 'TrafficType'),
        judge(log.get('LogFormat'), 'Properties.LogFormat', keepsAddresses,
          // Only a format written as text fails: one built at deploy time keeps the addresses or is not known.
          (v) => `flow log ${log.logicalId} leaves ${addressesLeftOut(v as string).join(' and ')} out of its LogFormat, `
            + 'so its records cannot say which addresses talked', 'LogFormat'),
      );
    if (result.verdict === Verdict.COMPLIANT) return result;
    partial ??= result;
  }
  return partial;
}

const WHY = 'without a record of the connections made to and from the AI workloads, an intrusion into a model server, '
  + 'notebook or agent runtime, or data sent out of it, cannot be seen or investigated';

function judgeVpc(vpc: IndexedResource, index: ResourceIndex): RuleResult {
  const dependents = aiNetworkDependents(index, vpc);
  if (dependents.length === 0) return NOT_APPLICABLE;
  const logs = index.memo(flowLogsOf, () => flowLogsOf(index));
  const whole = judgeLogs(logs.byTarget.get(vpc) ?? []);
  if (whole?.verdict === Verdict.COMPLIANT) return whole;
  // Without a log of the whole VPC, each subnet of it an AI workload uses must have its own.
  const subnets = subnetsOf(index, vpc).filter((s) => aiNetworkDependents(index, s).length > 0);
  const perSubnet = subnets.map((s) => ({ subnet: s, result: judgeLogs(logs.byTarget.get(s) ?? []) }));
  if (subnets.length > 0 && perSubnet.every((s) => s.result?.verdict === Verdict.COMPLIANT)) return COMPLIANT;
  const where = `VPC ${vpc.logicalId} (${dependentReason(dependents)})`;
  // The properties the flow log's result points at are the flow log's, not the VPC's, which the finding is on.
  if (whole) return { ...whole, message: `${whole.message}, of ${where}: ${WHY}`, locations: [] };
  const unknown = index.keepCreated(logs.unknown, (log) => log);
  if (unknown.length > 0) {
    return unverifiable(`no flow log of the app names ${where}, and flow log ${unknown[0].logicalId} records a resource `
      + 'not known at synth time (ResourceId), which may be it');
  }
  const uncovered = perSubnet.filter((s) => s.result?.verdict !== Verdict.COMPLIANT).map((s) => s.subnet.logicalId);
  const subnetNote = uncovered.length > 0 ? ` nor its AI subnets ${uncovered.join(', ')}` : '';
  return nonCompliant(`no AWS::EC2::FlowLog records the traffic of ${where}${subnetNote}: ${WHY}`);
}

export const aiNetworkFlowLogs: RuleDefinition = {
  title: 'The VPCs of AI workloads record their traffic in flow logs',
  section: GuidelineSection.OPERATION,
  guideline: "Monitor your system's behaviour",
  quote: 'account for and identify potential intrusions and compromises',
  level: RuleLevel.WARNING,
  resourceTypes: [VPC],
  compliantWhen: 'a VPC that an AI workload uses (through its subnets, security groups or `VpcId`) has an `AWS::EC2::FlowLog` '
    + 'whose `ResourceId` is the VPC, or one on each of its subnets that AI workloads use, with `TrafficType` `ALL` and a `LogFormat` '
    + 'that keeps `${srcaddr}` and `${dstaddr}` (no `LogFormat` is AWS\'s default format, which has them; a `LogFormat` not known at '
    + 'synth time is unverifiable); a flow log whose `Condition` is false counts as none, one whose condition cannot be evaluated is '
    + 'unverifiable; VPCs no AI workload uses are left to the generic packs',
  explanation: 'Flow logs are the record of which addresses a model server, notebook or agent runtime talked to. Without '
    + 'them a compromised container\'s connections, a prompt-injected agent calling out, or data leaving the VPC leave no '
    + 'trace to detect or investigate; a log of only accepted or only rejected traffic misses half of it, and a custom format without '
    + 'the source and destination addresses records traffic no one can attribute.',
  fix: 'Add a flow log to the VPC: vpc.addFlowLog(\'FlowLog\', { trafficType: ec2.FlowLogTrafficType.ALL }) or the flowLogs '
    + 'prop of ec2.Vpc; on CfnFlowLog set ResourceId to the VPC, ResourceType VPC and TrafficType ALL, with an encrypted '
    + 'log group or bucket as its destination. A custom format (logFormat) keeps ec2.LogFormat.SRC_ADDR and DST_ADDR; on '
    + 'CfnFlowLog, a logFormat keeps ${srcaddr} and ${dstaddr}, or is left out for the default format.',
  peers: 'NAG AwsSolutions-VPC7, NIST.800.53.R5/HIPAA/PCI VPCFlowLogsEnabled; CFG vpc-flow-logs-enabled; SH EC2.6 (all unscoped)',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    return judgeVpc(resource, context.index);
  },
};
