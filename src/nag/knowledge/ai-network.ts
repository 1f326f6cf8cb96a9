import { isAiWorkload } from './ai-workflows';
import { Answer } from '../engine/checks';
import { addToList, addToListOnce } from '../engine/lists';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { unknownOf, Value } from '../engine/values';

/**
 * The network an AI system runs on: the security groups, subnets and VPCs of the app that AI workloads (SageMaker
 * models, jobs, notebooks and domains, AgentCore runtimes, state machines and pipelines that run SageMaker jobs) name,
 * and the VPCs of those groups and subnets. The perimeter rules judge these and nothing else, so a VPC that holds no AI
 * workload is left to the generic packs. Found once per run.
 */

export const SECURITY_GROUP = 'AWS::EC2::SecurityGroup';
export const SUBNET = 'AWS::EC2::Subnet';
export const VPC = 'AWS::EC2::VPC';

const NETWORK_TYPES = new Set([SECURITY_GROUP, SUBNET, VPC]);

/** An AI workload that depends on a network resource, and the property through which it does. */
export interface NetworkDependent {
  readonly workload: IndexedResource;
  readonly path: string;
  /** The security group or subnet through which the workload depends on a VPC; undefined where it names the VPC. */
  readonly through?: IndexedResource;
}

/**
 * The AI workloads that depend on a security group, subnet or VPC of the app, each once; empty when none does, or when
 * the resource is not created. A workload that is not created runs on nothing, nor does one whose subnet or group is
 * not created depend on its VPC.
 */
export function aiNetworkDependents(index: ResourceIndex, resource: IndexedResource): readonly NetworkDependent[] {
  index.statistics.lookups++;
  const declared = index.memo(aiNetworkDependents, () => dependentsOf(index)).get(resource);
  if (!declared || !index.isCreated(resource)) return [];
  const created = index.keepCreated(declared, (d) => (d.through ? [d.workload, d.through] : d.workload));
  // A workload may reach a VPC through several of its subnets and groups: it is one dependent.
  if (!created.some((d) => d.through)) return created;
  const seen = new Set<IndexedResource>();
  return created.filter((d) => !seen.has(d.workload) && Boolean(seen.add(d.workload)));
}

/** Why a network resource is judged, for messages: `used by AWS::SageMaker::Model Model (VpcConfig.Subnets)`. */
export function dependentReason(dependents: readonly NetworkDependent[]): string {
  const [first] = dependents;
  if (!first) return 'used by an AI workload';
  const more = dependents.length > 1 ? ` and ${dependents.length - 1} more AI workload${dependents.length > 2 ? 's' : ''}` : '';
  return `used by ${first.workload.type} ${first.workload.logicalId}${first.path ? ` (${first.path})` : ''}${more}`;
}

/** The VPC of the app a security group or subnet is in, if its `VpcId` names one. */
export function vpcOf(resource: IndexedResource): IndexedResource | undefined {
  for (const branch of resource.get('VpcId')) {
    const vpc = resource.resolve(branch.value);
    if (vpc?.type === VPC) return vpc;
  }
  return undefined;
}

/** The subnets of the app in a VPC (those whose `VpcId` names it) that are created, in the app's order. */
export function subnetsOf(index: ResourceIndex, vpc: IndexedResource): readonly IndexedResource[] {
  index.statistics.lookups++;
  const declared = index.memo(subnetsOf, () => {
    const byVpc = new Map<IndexedResource, IndexedResource[]>();
    for (const subnet of index.declaredOfType(SUBNET)) {
      const of = vpcOf(subnet);
      if (of) addToList(byVpc, of, subnet);
    }
    return byVpc;
  }).get(vpc) ?? [];
  return index.keepCreated(declared, (subnet) => subnet);
}

/** Every dependency of every AI workload declared, created or not: {@link aiNetworkDependents} keeps those created. */
function dependentsOf(index: ResourceIndex): Map<IndexedResource, NetworkDependent[]> {
  const dependents = new Map<IndexedResource, NetworkDependent[]>();
  const add = (target: IndexedResource, dependent: NetworkDependent): void => {
    const list = dependents.get(target);
    if (list?.some((d) => d.workload === dependent.workload && d.through === dependent.through)) return;
    addToListOnce(dependents, target, dependent);
  };
  for (const workload of index.resources) {
    if (!isAiWorkload(index, workload)) continue;
    for (const ref of index.declaredReferencesFrom(workload)) {
      if (!NETWORK_TYPES.has(ref.target.type)) continue;
      add(ref.target, { workload, path: ref.path });
      const vpc = ref.target.type === VPC ? undefined : vpcOf(ref.target);
      if (vpc) add(vpc, { workload, path: ref.path, through: ref.target });
    }
  }
  return dependents;
}

/*
 * The whole internet is not only 0.0.0.0/0 and ::/0. A range is the internet at large when its prefix is shorter than any
 * one network is given: a /0 written with host bits (1.2.3.4/0), halves that together cover everything (0.0.0.0/1 and
 * 128.0.0.0/1), IPv6's whole unicast space (2000::/3). The widest private range, 10.0.0.0/8, and an IPv6 /16 stay within
 * what a network holds, so IPv4 prefixes under /8 and IPv6 prefixes under /16 are the internet's.
 */
const IPV4_NARROWEST_INTERNET = 7;
const IPV6_NARROWEST_INTERNET = 15;

/** The family and prefix length of a CIDR written as text; undefined for anything else. */
function parseCidr(value: string): { readonly v6: boolean; readonly length: number } | undefined {
  const [address, length, extra] = value.trim().split('/');
  if (extra !== undefined || length === undefined || !/^\d{1,3}$/.test(length)) return undefined;
  const n = Number(length);
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(address) && n <= 32) return { v6: false, length: n };
  if (address.includes(':') && /^[0-9a-f:.]+$/i.test(address) && n <= 128) return { v6: true, length: n };
  return undefined;
}

/** A CIDR that is the internet at large: `0.0.0.0/0`, `::/0`, or any range wider than one network is given. */
export function isInternetWide(value: Value): Answer {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (typeof value !== 'string') return false;
  const cidr = parseCidr(value);
  if (!cidr) return false;
  return cidr.length <= (cidr.v6 ? IPV6_NARROWEST_INTERNET : IPV4_NARROWEST_INTERNET);
}

/** For a range that is not written as the whole address space, how wide it is: ` (a /1, 2147483648 addresses)`. */
export function cidrWidth(value: Value): string {
  const cidr = typeof value === 'string' ? parseCidr(value) : undefined;
  if (!cidr || cidr.length === 0) return '';
  return ` (a /${cidr.length}, ${cidr.v6 ? `2^${128 - cidr.length}` : 2 ** (32 - cidr.length)} addresses)`;
}
