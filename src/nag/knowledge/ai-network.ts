import { isAiWorkload } from './ai-workflows';
import { addToListOnce } from '../engine/lists';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';

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
}

/** The AI workloads that depend on a security group, subnet or VPC of the app; empty when none does. */
export function aiNetworkDependents(index: ResourceIndex, resource: IndexedResource): readonly NetworkDependent[] {
  index.statistics.lookups++;
  return index.memo(aiNetworkDependents, () => dependentsOf(index)).get(resource) ?? [];
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

function dependentsOf(index: ResourceIndex): Map<IndexedResource, NetworkDependent[]> {
  const dependents = new Map<IndexedResource, NetworkDependent[]>();
  const add = (target: IndexedResource, dependent: NetworkDependent): void => {
    const list = dependents.get(target);
    if (list?.some((d) => d.workload === dependent.workload)) return;
    addToListOnce(dependents, target, dependent);
  };
  for (const workload of index.resources) {
    if (!isAiWorkload(index, workload)) continue;
    for (const ref of index.referencesFrom(workload)) {
      if (!NETWORK_TYPES.has(ref.target.type)) continue;
      const dependent = { workload, path: ref.path };
      add(ref.target, dependent);
      const vpc = ref.target.type === VPC ? undefined : vpcOf(ref.target);
      if (vpc) add(vpc, dependent);
    }
  }
  return dependents;
}
