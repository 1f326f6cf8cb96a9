import { Answer, combine, judge, NOT_APPLICABLE, RuleResult } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiNetworkDependents, cidrWidth, dependentReason, isInternetWide, SECURITY_GROUP } from '../../knowledge/ai-network';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** `tcp port 22`, `tcp ports 0-65535`, `all traffic`. */
function portsOf(rule: Record<string, Value>): string {
  const protocol = rule.IpProtocol;
  if (protocol === '-1' || protocol === -1) return 'all traffic';
  const from = rule.FromPort;
  const to = rule.ToPort;
  const ports = from === undefined ? '' : from === to || to === undefined ? ` port ${describe(from)}` : ` ports ${describe(from)}-${describe(to)}`;
  return `${typeof protocol === 'string' ? protocol : describe(protocol)}${ports}`;
}

const PREFIX_LIST = 'AWS::EC2::PrefixList';

/**
 * Whether a `SourcePrefixListId` names a prefix list of the app with an entry that admits the internet at large, with
 * the list and that entry. A managed or imported prefix list is left alone: its entries cannot be read.
 */
function openPrefixList(index: ResourceIndex, value: Value): { readonly list: IndexedResource; readonly cidr: Value } | undefined {
  const list = value === undefined ? undefined : index.resolveAs(PREFIX_LIST, value);
  if (!list) return undefined;
  for (const branch of list.get('Entries')) {
    const entry = Array.isArray(branch.value) ? branch.value.find((e) => isPlainObject(e) && isInternetWide(e.Cidr) === true) : undefined;
    if (isPlainObject(entry)) return { list, cidr: entry.Cidr };
  }
  return undefined;
}

/** Whether an ingress rule admits the whole internet: yes, no, or not known (a CIDR chosen at deploy time). */
function opensToInternet(index: ResourceIndex, rule: Record<string, Value>): Answer {
  const answers = [isInternetWide(rule.CidrIp), isInternetWide(rule.CidrIpv6)];
  if (answers.includes(true) || openPrefixList(index, rule.SourcePrefixListId)) return true;
  return answers.find((a): a is UnknownValue => a instanceof UnknownValue) ?? false;
}

function openRuleText(index: ResourceIndex, rule: Record<string, Value>): string {
  const viaList = openPrefixList(index, rule.SourcePrefixListId);
  if (viaList) return `prefix list ${viaList.list.logicalId} (holding ${describe(viaList.cidr)}) on ${portsOf(rule)}${cidrWidth(viaList.cidr)}`;
  const cidr = isInternetWide(rule.CidrIp) === true ? rule.CidrIp : rule.CidrIpv6;
  return `${describe(cidr)} on ${portsOf(rule)}${cidrWidth(cidr)}`;
}

/** The inline rules of a group: every one must keep the internet out. */
function inlineRulesClosed(index: ResourceIndex, value: Value): Answer {
  if (value === undefined) return true;
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (!Array.isArray(value)) return new UnknownValue(`SecurityGroupIngress is ${describe(value)}, not a list of rules`);
  let answer: Answer = true;
  for (const rule of value) {
    const open = isPlainObject(rule) ? opensToInternet(index, rule) : new UnknownValue(`an ingress rule is ${describe(rule)}`);
    if (open === true) return false;
    if (open instanceof UnknownValue && answer === true) answer = open;
  }
  return answer;
}

function openInlineRules(index: ResourceIndex, value: Value): string {
  const rules = Array.isArray(value) ? value : [];
  const open = rules.filter((r) => isPlainObject(r) && opensToInternet(index, r) === true) as Array<Record<string, Value>>;
  return open.map((r) => openRuleText(index, r)).join(', ');
}

const EXPOSURE = 'anyone on the internet can open connections to the AI workload behind it (its model server, notebook '
  + 'or agent runtime), limited only by whether it has a public address or route';

function judgeGroup(group: IndexedResource, index: ResourceIndex): RuleResult {
  const dependents = aiNetworkDependents(index, group);
  if (dependents.length === 0) return NOT_APPLICABLE;
  return judge(group.get('SecurityGroupIngress'), 'Properties.SecurityGroupIngress', (v) => inlineRulesClosed(index, v),
    (v) => `security group ${group.logicalId} (${dependentReason(dependents)}) admits ${openInlineRules(index, v)}: ${EXPOSURE}`,
    'SecurityGroupIngress');
}

function judgeIngress(ingress: IndexedResource, index: ResourceIndex): RuleResult {
  // A group in a default VPC may be named by GroupName instead of GroupId.
  const group = [...ingress.get('GroupId'), ...ingress.get('GroupName')].map((b) => index.resolveAs(SECURITY_GROUP, b.value)).find((g) => g !== undefined);
  const dependents = group ? aiNetworkDependents(index, group) : [];
  if (!group || dependents.length === 0) return NOT_APPLICABLE;
  const results = ['CidrIp', 'CidrIpv6'].map((path) => judge(ingress.get(path), `Properties.${path}`, (v) => {
    const open = isInternetWide(v);
    return open instanceof UnknownValue ? open : !open;
  }, (v) => {
    const ports = portsOf(ingress.properties as Record<string, Value>);
    return `${path} is ${describe(v)} on ${ports}${cidrWidth(v)}, opening security group ${group.logicalId} (${dependentReason(dependents)}) to the internet: ${EXPOSURE}`;
  }, path));
  results.push(judge(ingress.get('SourcePrefixListId'), 'Properties.SourcePrefixListId', (v) => !openPrefixList(index, v), (v) => {
    const open = openPrefixList(index, v);
    const ports = portsOf(ingress.properties as Record<string, Value>);
    return `SourcePrefixListId names prefix list ${open?.list.logicalId}, which holds ${describe(open?.cidr)}, on ${ports}, opening security group `
      + `${group.logicalId} (${dependentReason(dependents)}) to the internet: ${EXPOSURE}`;
  }, 'SourcePrefixListId'));
  return combine(...results);
}

export const aiSecurityGroupIngress: RuleDefinition = {
  title: 'Security groups of AI workloads admit no traffic from the whole internet',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Secure your infrastructure',
  quote: "apply good infrastructure security principles to the infrastructure used in every part of your system's life cycle",
  level: RuleLevel.ERROR,
  resourceTypes: [SECURITY_GROUP, 'AWS::EC2::SecurityGroupIngress'],
  compliantWhen: 'no inline `SecurityGroupIngress` rule and no separate `AWS::EC2::SecurityGroupIngress` of a security group '
    + 'that an AI workload uses (SageMaker model, endpoint configuration, notebook, domain, processing job or monitoring job, '
    + 'AgentCore runtime, a pipeline or state machine running SageMaker jobs) has a `CidrIp` or `CidrIpv6` that admits the internet '
    + 'at large: `0.0.0.0/0`, `::/0`, or any range wider than one network is given (an IPv4 prefix under /8, such as the halves '
    + '`0.0.0.0/1` and `128.0.0.0/1`, or an IPv6 prefix under /16, such as `2000::/3`), and no `SourcePrefixListId` names an '
    + '`AWS::EC2::PrefixList` of the app with such an entry; '
    + 'groups no AI workload uses are left to the generic packs',
  explanation: 'The security groups of model containers, notebooks and agent runtimes are the last network boundary around '
    + 'the model, its data and the tools an agent can call. A rule that admits 0.0.0.0/0 or ::/0 lets anyone who reaches '
    + 'the subnet (from the internet, through a public address, a load balancer or a peered network) connect to the '
    + 'workload directly, bypassing the API, its authorizer and its throttling.',
  fix: 'Admit only the callers that need the workload: on CfnSecurityGroup give SecurityGroupIngress entries a '
    + 'SourceSecurityGroupId or a narrow CidrIp instead of 0.0.0.0/0 (on AWS::EC2::SecurityGroupIngress set CidrIp, CidrIpv6 '
    + 'or SourceSecurityGroupId likewise); with the L2, securityGroup.addIngressRule(ec2.Peer.securityGroupId(...)) or '
    + 'ec2.Peer.ipv4(<your CIDR>) in place of ec2.Peer.anyIpv4() / anyIpv6().',
  peers: 'NAG AwsSolutions-EC23 (every group, 0.0.0.0/0 and ::/0); CKV_AWS_24, CKV_AWS_25, CKV_AWS_260 (SSH, RDP, HTTP only); '
    + 'CFG restricted-ssh, restricted-common-ports, vpc-sg-open-only-to-authorized-ports; SH EC2.18, EC2.19 (all unscoped)',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    return resource.type === SECURITY_GROUP ? judgeGroup(resource, context.index) : judgeIngress(resource, context.index);
  },
};
