import { combine, COMPLIANT, expectProperty, isSet, isTrue, judge, nonCompliant, NOT_APPLICABLE, not, RuleResult, unverifiable, was } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { UnknownValue } from '../../engine/values';
import { COLLECTION, DB_CLUSTER, DOMAIN, NEPTUNE_GRAPH, judgeCoveringPolicies, policySwitch, vectorStoreUse } from '../../knowledge/vector-stores';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const EXPOSED = 'anyone who reaches the endpoint from the internet can try to read the embedded documents or write vectors that '
  + 'poison what the knowledge base retrieves; only its authentication stands in the way';

function judgeCollection(collection: IndexedResource, index: ResourceIndex, why: string): RuleResult {
  return judgeCoveringPolicies(index, collection, 'network', ({ policy, entry, dashboardsOnly }) => {
    const open = policySwitch(entry.AllowFromPublic);
    const what = dashboardsOnly ? `the OpenSearch Dashboards of collection ${collection.logicalId}` : `collection ${collection.logicalId}`;
    if (open === true) return nonCompliant(`network policy ${policy.logicalId} sets AllowFromPublic to true for ${what} (${why}): ${EXPOSED}`);
    if (open instanceof UnknownValue) return unverifiable(`AllowFromPublic of network policy ${policy.logicalId} cannot be read at synth time`);
    return COMPLIANT;
  }, {
    unknown: (rules) => unverifiable(`the network access of collection ${collection.logicalId} (${why}) cannot be verified: ${rules.reason}`),
    none: () => unverifiable(`no network policy of the app covers collection ${collection.logicalId} (${why}): the policy that decides whether it is public is outside the app`),
  });
}

function judgeDomain(domain: IndexedResource, why: string): RuleResult {
  return expectProperty(domain, 'VPCOptions.SubnetIds', isSet,
    (v) => `VPCOptions.SubnetIds ${was(v)}: OpenSearch domain ${domain.logicalId} (${why}) has a public endpoint, so ${EXPOSED}`);
}

function judgeCluster(cluster: IndexedResource, index: ResourceIndex, why: string): RuleResult {
  const results = [expectProperty(cluster, 'PubliclyAccessible', (v) => not(isTrue(v)),
    (v) => `PubliclyAccessible ${was(v)}: cluster ${cluster.logicalId} (${why}) has a public address, so ${EXPOSED}`)];
  for (const ref of index.referencesTo(cluster)) {
    if (ref.source.type !== 'AWS::RDS::DBInstance' || ref.path !== 'DBClusterIdentifier') continue;
    const instance = ref.source;
    const result = judge(instance.get('PubliclyAccessible'), 'Properties.PubliclyAccessible', (v) => not(isTrue(v)),
      (v) => `PubliclyAccessible ${was(v)} on instance ${instance.logicalId} of cluster ${cluster.logicalId} (${why}): ${EXPOSED}`, 'PubliclyAccessible');
    // The finding is on the cluster; its location is the instance's property, so name it in the message only.
    results.push({ ...result, locations: [] });
  }
  return combine(...results);
}

function judgeGraph(graph: IndexedResource, why: string): RuleResult {
  return expectProperty(graph, 'PublicConnectivity', (v) => not(isTrue(v)),
    (v) => `PublicConnectivity ${was(v)}: Neptune Analytics graph ${graph.logicalId} (${why}) has a public endpoint, so ${EXPOSED}`);
}

export const vectorStoreNetwork: RuleDefinition = {
  title: 'Vector stores of knowledge bases are not reachable from the internet',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Protect your model continuously',
  quote: 'protect the model and data from direct and indirect access',
  level: RuleLevel.ERROR,
  resourceTypes: [COLLECTION, DOMAIN, DB_CLUSTER, NEPTUNE_GRAPH],
  compliantWhen: 'a store a knowledge base\'s `StorageConfiguration` names is private: an OpenSearch Serverless collection is covered by '
    + 'network policies of the app (`AWS::OpenSearchServerless::SecurityPolicy` of `Type` network) none of which sets `AllowFromPublic` '
    + 'for it or for its OpenSearch Dashboards (no covering policy in the app is unverifiable); a Neptune Analytics graph does not set '
    + '`PublicConnectivity` to true; an OpenSearch domain sets `VPCOptions.SubnetIds`; an RDS/Aurora cluster '
    + 'and its instances do not set `PubliclyAccessible` to true. S3 vector buckets are always private; stores no knowledge base uses '
    + 'are not applicable',
  explanation: 'A knowledge base\'s vector store holds the embedded text of every document it can retrieve. Reachable from the '
    + 'internet, it can be read past the agent and its guardrails, and anyone who can write to it can plant vectors that steer what the '
    + 'model is told (indirect prompt injection, RAG poisoning).',
  fix: 'On CfnSecurityPolicy (type network) set AllowFromPublic to false with SourceVPCEs naming your VPC endpoints for the collection '
    + 'and its dashboards; leave publicConnectivity false on neptunegraph.CfnGraph; '
    + 'give CfnDomain vpcOptions.subnetIds (private subnets) and securityGroupIds (opensearch.Domain: vpc and vpcSubnets); leave '
    + 'publiclyAccessible false on CfnDBCluster and CfnDBInstance (rds.DatabaseCluster: vpcSubnets with private subnets).',
  peers: 'NAG AwsSolutions-OS1, NIST.800.53.R5 OpenSearchInVPCOnly, RDSInstancePublicAccess; CFG opensearch-in-vpc-only, '
    + 'rds-instance-public-access-check (all unscoped) — OpenSearch Serverless network policies: none',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    const why = vectorStoreUse(context.index, resource);
    if (why === undefined) return NOT_APPLICABLE;
    if (resource.type === COLLECTION) return judgeCollection(resource, context.index, why);
    if (resource.type === DOMAIN) return judgeDomain(resource, why);
    if (resource.type === NEPTUNE_GRAPH) return judgeGraph(resource, why);
    return judgeCluster(resource, context.index, why);
  },
};
