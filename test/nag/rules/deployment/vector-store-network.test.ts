import { App } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, stackOf, validate, ValidationRun, verdictOf } from '../../harness';
import { knowledgeBase, securityPolicy } from '../../vector-store-fixture';

/** A knowledge base whose vectors are in the Neptune Analytics graph `Graph` (a store type the shared fixture does not build). */
const graphKnowledgeBase = (() => {
  const kb = knowledgeBase(undefined, 'S3_VECTORS');
  const storage = { Type: 'NEPTUNE_ANALYTICS', NeptuneAnalyticsConfiguration: { GraphArn: { 'Fn::GetAtt': ['Graph', 'GraphArn'] }, FieldMapping: { TextField: 't', MetadataField: 'm' } } };
  return { ...kb, Properties: { ...kb.Properties, StorageConfiguration: storage } };
})();

const COLLECTION = { Type: 'AWS::OpenSearchServerless::Collection', Properties: { Name: 'kb', Type: 'VECTORSEARCH' } };
const network = (allowFromPublic: unknown, resource = 'collection/kb*') =>
  securityPolicy('network', [{ Rules: [{ ResourceType: 'collection', Resource: [resource] }], AllowFromPublic: allowFromPublic, SourceVPCEs: ['vpce-1'] }]);

describe('P27 vector stores of knowledge bases are not reachable from the internet', () => {
  test('compliant: a private collection, a domain in a VPC, a private cluster', () => {
    const run = validate({
      Resources: {
        Collection: COLLECTION,
        Network: network(false),
        Kb: knowledgeBase({ 'Fn::GetAtt': ['Collection', 'Arn'] }),
        Domain: { Type: 'AWS::OpenSearchService::Domain', Properties: { VPCOptions: { SubnetIds: ['subnet-1'] } } },
        DomainKb: knowledgeBase({ 'Fn::GetAtt': ['Domain', 'DomainArn'] }, 'OPENSEARCH_MANAGED_CLUSTER'),
        Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql' } },
        Instance: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Cluster' }, PubliclyAccessible: false } },
        RdsKb: knowledgeBase({ 'Fn::GetAtt': ['Cluster', 'DBClusterArn'] }, 'RDS'),
      },
    });
    expect(run.of('P27')).toEqual([]);
    expect(run.tally('P27')).toMatchObject({ compliant: 3 });
  });

  test('non-compliant: a network policy open to the public, a domain without a VPC, a public instance', () => {
    const run = validate({
      Resources: {
        Collection: COLLECTION,
        Network: network(true),
        Kb: knowledgeBase({ 'Fn::GetAtt': ['Collection', 'Arn'] }),
        Domain: { Type: 'AWS::OpenSearchService::Domain', Properties: {} },
        DomainKb: knowledgeBase({ 'Fn::GetAtt': ['Domain', 'DomainArn'] }, 'OPENSEARCH_MANAGED_CLUSTER'),
        Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql' } },
        Instance: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Cluster' }, PubliclyAccessible: true } },
        RdsKb: knowledgeBase({ 'Fn::GetAtt': ['Cluster', 'DBClusterArn'] }, 'RDS'),
      },
    });
    expect(verdictOf(run, 'P27', 'Collection')).toBe('non-compliant');
    expect(run.of('P27').find((f) => f.logicalId === 'Collection')?.message)
      .toMatch(/network policy Network sets AllowFromPublic to true for collection Collection \(the vector store of AWS::Bedrock::KnowledgeBase Kb\)/);
    expect(verdictOf(run, 'P27', 'Domain')).toBe('non-compliant');
    expect(verdictOf(run, 'P27', 'Cluster')).toBe('non-compliant');
    expect(run.of('P27').find((f) => f.logicalId === 'Cluster')?.message).toMatch(/instance Instance of cluster Cluster/);
    expect(run.of('P27')[0].level).toBe('error');
  });

  test('non-compliant: a collection private itself whose Dashboards a second policy entry opens; a public Neptune Analytics graph', () => {
    const dashboards = validate({
      Resources: {
        Collection: COLLECTION,
        Network: securityPolicy('network', [
          { Rules: [{ ResourceType: 'collection', Resource: ['collection/kb'] }], AllowFromPublic: false, SourceVPCEs: ['vpce-1'] },
          { Rules: [{ ResourceType: 'dashboard', Resource: ['collection/*'] }], AllowFromPublic: true },
        ]),
        Kb: knowledgeBase({ 'Fn::GetAtt': ['Collection', 'Arn'] }),
      },
    });
    expect(verdictOf(dashboards, 'P27', 'Collection')).toBe('non-compliant');
    expect(dashboards.of('P27')[0].message).toMatch(/network policy Network sets AllowFromPublic to true for the OpenSearch Dashboards of collection Collection/);
    const graph = (publicConnectivity: unknown) => validate({
      Resources: {
        Graph: { Type: 'AWS::NeptuneGraph::Graph', Properties: { ProvisionedMemory: 16, PublicConnectivity: publicConnectivity } },
        Kb: graphKnowledgeBase,
      },
    });
    expect(verdictOf(graph(true), 'P27', 'Graph')).toBe('non-compliant');
    expect(graph(true).of('P27')[0].message).toMatch(/PublicConnectivity is true: Neptune Analytics graph Graph \(the vector store of AWS::Bedrock::KnowledgeBase Kb\)/);
    expect(verdictOf(graph(false), 'P27', 'Graph')).toBe('none');
    expect(verdictOf(graph({ 'Fn::ImportValue': 'public' }), 'P27', 'Graph')).toBe('unverifiable');
  });

  test('the message names the instance\'s setting plainly', () => {
    const run = validate({
      Resources: {
        Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql' } },
        Instance: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Cluster' }, PubliclyAccessible: true } },
        RdsKb: knowledgeBase({ 'Fn::GetAtt': ['Cluster', 'DBClusterArn'] }, 'RDS'),
      },
    });
    expect(run.of('P27')[0].message).toMatch(/^PubliclyAccessible is true on instance Instance of cluster Cluster/);
  });

  test('not applicable: stores no knowledge base uses; a policy for another collection does not cover this one', () => {
    const unused = validate({ Resources: { Collection: COLLECTION, Network: network(true) } });
    expect(unused.of('P27')).toEqual([]);
    const other = validate({ Resources: { Collection: COLLECTION, Network: network(true, 'collection/other'), Kb: knowledgeBase({ 'Fn::GetAtt': ['Collection', 'Arn'] }) } });
    expect(verdictOf(other, 'P27', 'Collection')).toBe('unverifiable');
    expect(other.of('P27')[0].message).toMatch(/no network policy of the app covers collection Collection/);
  });

  test('a network policy created under a condition covers the collection only while it is created', () => {
    const conditional = (resources: Record<string, unknown>) => validate({
      Parameters: { Open: { Type: 'String', Default: 'no', AllowedValues: ['yes', 'no'] } },
      Conditions: { IsOpen: { 'Fn::Equals': [{ Ref: 'Open' }, 'yes'] }, IsClosed: { 'Fn::Not': [{ Condition: 'IsOpen' }] } },
      Resources: { Collection: COLLECTION, Kb: knowledgeBase({ 'Fn::GetAtt': ['Collection', 'Arn'] }), ...resources } as never,
    });
    // A public policy that is created only with another allowed value opens the collection then.
    expect(verdictOf(conditional({ Private: network(false), Public: { ...network(true), Condition: 'IsOpen' } }), 'P27', 'Collection')).toBe('parameter');
    // A private policy that is not created covers nothing: no policy of the app covers the collection.
    const uncovered = conditional({ Private: { ...network(false), Condition: 'IsOpen' } });
    expect(verdictOf(uncovered, 'P27', 'Collection')).toBe('unverifiable');
    expect(uncovered.of('P27')[0].message).toMatch(/no network policy of the app covers collection Collection/);
    // Of two private policies, one created under each value, either covers it.
    expect(verdictOf(conditional({ A: { ...network(false), Condition: 'IsOpen' }, B: { ...network(false), Condition: 'IsClosed' } }), 'P27', 'Collection'))
      .toBe('none');
  });

  test('intrinsic: a policy chosen by Fn::If, a domain VPC by parameter', () => {
    const run = validate({
      Resources: {
        Collection: COLLECTION,
        Network: securityPolicy('network', ifElse(network(false).Properties.Policy, network(true).Properties.Policy)),
        Kb: knowledgeBase({ 'Fn::GetAtt': ['Collection', 'Arn'] }),
      },
    });
    expect(verdictOf(run, 'P27', 'Collection')).toBe('non-compliant');
    const parameter = validate({
      Parameters: { Subnets: { Type: 'CommaDelimitedList', Default: '' } },
      Resources: {
        Domain: { Type: 'AWS::OpenSearchService::Domain', Properties: { VPCOptions: { SubnetIds: ifElse(['subnet-1'], { Ref: 'AWS::NoValue' }) } } },
        DomainKb: knowledgeBase({ 'Fn::GetAtt': ['Domain', 'DomainArn'] }, 'OPENSEARCH_MANAGED_CLUSTER'),
      },
    });
    expect(verdictOf(parameter, 'P27', 'Domain')).toBe('non-compliant');
  });

  test('unverifiable: an imported policy document, an imported public switch', () => {
    const run = validate({ Resources: { Collection: COLLECTION, Network: securityPolicy('network', imported('policy')), Kb: knowledgeBase({ 'Fn::GetAtt': ['Collection', 'Arn'] }) } });
    expect(verdictOf(run, 'P27', 'Collection')).toBe('unverifiable');
    const cluster = validate({
      Resources: {
        Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { PubliclyAccessible: imported('public') } },
        RdsKb: knowledgeBase({ 'Fn::GetAtt': ['Cluster', 'DBClusterArn'] }, 'RDS'),
      },
    });
    expect(verdictOf(cluster, 'P27', 'Cluster')).toBe('unverifiable');
  });

  test('malformed values never throw', () => {
    const run = validate({ Resources: { Collection: COLLECTION, Network: securityPolicy('network', '[{"Rules": 3}, 7, "x"]'), Kb: knowledgeBase({ 'Fn::GetAtt': ['Collection', 'Arn'] }) } });
    expect(run.tally('P27').errors).toBe(0);
  });
});

describe('P27: RDS stores its identifiers in lower case, so a knowledge base\'s ARN names its cluster whatever the case of either', () => {
  const arn = (identifier: string) => `arn:aws:rds:eu-west-2:111122223333:cluster:${identifier}`;
  const cluster = (identifier: string, kbArn: unknown, props: Record<string, unknown> = {}) => validate({
    Resources: {
      Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', DBClusterIdentifier: identifier, ...props } },
      RdsKb: knowledgeBase(kbArn, 'RDS'),
    },
  });

  test.each([
    ['KbDb', 'kbdb'],
    ['KbDb', 'KBDB'],
    ['kbdb', 'KbDb'],
  ])('non-compliant: a public cluster %s, which the ARN names as %s', (identifier, named) => {
    const run = cluster(identifier, arn(named), { PubliclyAccessible: true });
    expect(verdictOf(run, 'P27', 'Cluster')).toBe('non-compliant');
    expect(run.of('P27')[0].message).toMatch(/cluster Cluster \(the vector store of AWS::Bedrock::KnowledgeBase RdsKb\)/);
  });

  test('compliant: a private cluster named in another case is judged, and passes', () => {
    const run = cluster('KbDb', arn('kbdb'), { PubliclyAccessible: false });
    expect(run.of('P27')).toEqual([]);
    expect(run.tally('P27')).toMatchObject({ compliant: 1 });
  });

  test('not applicable: an ARN naming another cluster links to nothing, whatever its case', () => {
    for (const named of ['otherdb', 'KbDb2', 'kb']) {
      const run = cluster('KbDb', arn(named), { PubliclyAccessible: true });
      expect(run.of('P27')).toEqual([]);
      expect(run.tally('P27')).toMatchObject({ compliant: 0 });
    }
  });

  test('non-compliant: the ARN names the cluster, not the instance of the same identifier, and the cluster\'s public instance is found', () => {
    const run = validate({
      Resources: {
        Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', DBClusterIdentifier: 'kbdb' } },
        Instance: { Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceIdentifier: 'kbdb', DBClusterIdentifier: { Ref: 'Cluster' }, PubliclyAccessible: true } },
        RdsKb: knowledgeBase(arn('KbDb'), 'RDS'),
      },
    });
    expect(verdictOf(run, 'P27', 'Cluster')).toBe('non-compliant');
    expect(run.of('P27')[0].message).toMatch(/instance Instance of cluster Cluster \(the vector store of AWS::Bedrock::KnowledgeBase RdsKb\)/);
  });

  test('intrinsic and unverifiable: an ARN built by Fn::Sub, one chosen by Fn::If; a public switch imported', () => {
    const sub = { 'Fn::Sub': ['arn:aws:rds:eu-west-2:111122223333:cluster:${Id}', { Id: 'KBDB' }] };
    expect(verdictOf(cluster('KbDb', sub, { PubliclyAccessible: true }), 'P27', 'Cluster')).toBe('non-compliant');
    const chosen = validate({
      Conditions: { IsProduction: { 'Fn::Equals': ['a', 'a'] } },
      Resources: {
        Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { DBClusterIdentifier: 'KbDb', PubliclyAccessible: true } },
        RdsKb: knowledgeBase(ifElse(arn('KBDB'), { Ref: 'AWS::NoValue' }), 'RDS'),
      },
    });
    expect(verdictOf(chosen, 'P27', 'Cluster')).toBe('non-compliant');
    expect(verdictOf(cluster('KbDb', arn('kbdb'), { PubliclyAccessible: imported('public') }), 'P27', 'Cluster')).toBe('unverifiable');
  });
});

describe('P27: a knowledge base names its cluster by an ARN written with its stack\'s pseudo parameters', () => {
  const PUBLIC_CLUSTER = { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', DBClusterIdentifier: 'kbdb', PubliclyAccessible: true } };
  const subArn = (name: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:rds:\${AWS::Region}:\${AWS::AccountId}:cluster:${name}` });
  const joinArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':cluster:kbdb']] };

  test.each([
    ['Fn::Sub', subArn('KbDb')],
    ['Fn::Join as Stack.formatArn writes it', joinArn],
  ])('non-compliant: a public cluster named by %s', (_, kbArn) => {
    const run = validate({ Resources: { Cluster: PUBLIC_CLUSTER, RdsKb: knowledgeBase(kbArn, 'RDS') } });
    expect(verdictOf(run, 'P27', 'Cluster')).toBe('non-compliant');
    expect(run.of('P27')[0].message).toMatch(/cluster Cluster \(the vector store of AWS::Bedrock::KnowledgeBase RdsKb\)/);
  });

  test('not applicable: the cluster\'s name a parameter without default, or the cluster in another stack that may deploy elsewhere', () => {
    const parameter = validate({ Parameters: { Name: { Type: 'String' } }, Resources: { Cluster: PUBLIC_CLUSTER, RdsKb: knowledgeBase(subArn('${Name}'), 'RDS') } });
    expect(parameter.of('P27')).toEqual([]);
    expect(parameter.tally('P27')).toMatchObject({ compliant: 0 });
    const app = new App({ autoSynth: false });
    stackOf({ Resources: { RdsKb: knowledgeBase(subArn('kbdb'), 'RDS') } }, app, 'Knowledge');
    stackOf({ Resources: { Cluster: PUBLIC_CLUSTER } }, app, 'Store');
    const apart = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(apart.of('P27')).toEqual([]);
    expect(apart.tally('P27')).toMatchObject({ compliant: 0 });
  });
});
