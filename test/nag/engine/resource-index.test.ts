import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Arn, ArnFormat, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { isSet } from '../../../src/nag/engine/checks';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { SynthesizedTemplates } from '../../../src/nag/engine/synthesized-templates';
import { UnknownValue } from '../../../src/nag/engine/values';
import { isAiAsset } from '../../../src/nag/knowledge/ai-assets';
import { stackOf } from '../harness';

const CONFIG = 'AWS::SageMaker::EndpointConfig';

describe('ResourceIndex', () => {
  test('indexes resources by type and logical ID across stacks', () => {
    const app = new App();
    stackOf({ Resources: { A: { Type: 'AWS::S3::Bucket' }, B: { Type: CONFIG } } }, app, 'One');
    stackOf({ Resources: { C: { Type: 'AWS::S3::Bucket' } } }, app, 'Two');
    const index = ResourceIndex.fromScope(app);
    expect(index.ofType('AWS::S3::Bucket').map((r) => r.logicalId).sort()).toEqual(['A', 'C']);
    expect(index.find('Two', 'C')?.type).toBe('AWS::S3::Bucket');
    expect(index.find('One', 'C')).toBeUndefined();
    expect(index.hasTypePrefix('AWS::SageMaker::')).toBe(true);
    expect(index.hasTypePrefix('AWS::Bedrock::')).toBe(false);
  });

  test('a resource whose Condition is false is not created: lookups of the app leave it out, and depend on the condition\'s parameters', () => {
    const app = new App();
    stackOf({
      Parameters: { Monitor: { Default: 'false', AllowedValues: ['true', 'false'] } },
      Conditions: { MonitorOn: { 'Fn::Equals': [{ Ref: 'Monitor' }, 'true'] } },
      Resources: {
        Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'cfg' } },
        Schedule: { Type: 'AWS::SageMaker::MonitoringSchedule', Condition: 'MonitorOn', Properties: { EndpointName: { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] } } },
        Always: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { EndpointName: 'elsewhere', Tags: [{ Key: 'twin', Value: { Ref: 'Schedule' } }] } },
      },
    }, app, 'One');
    const index = ResourceIndex.fromScope(app);
    const endpoint = index.find('One', 'Endpoint')!;
    const always = index.find('One', 'Always')!;
    const seen = index.recording(() => ({
      schedules: index.ofType('AWS::SageMaker::MonitoringSchedule').map((r) => r.logicalId),
      watchers: index.referencesTo(endpoint).map((r) => r.source.logicalId),
      named: index.referencesFrom(always).map((r) => r.target.logicalId),
    }));
    expect(seen.result).toEqual({ schedules: ['Always'], watchers: [], named: [] });
    expect(seen.parameters.map((p) => p.parameter)).toEqual(['Monitor']);
    // With the other allowed value the schedule is created.
    const assumed = index.assuming(seen.parameters[0], 'true', () => index.ofType('AWS::SageMaker::MonitoringSchedule').map((r) => r.logicalId));
    expect(assumed).toEqual(['Schedule', 'Always']);
    expect(index.assuming(seen.parameters[0], 'true', () => index.referencesTo(endpoint).map((r) => r.source.logicalId))).toEqual(['Schedule']);
    expect(index.assuming(seen.parameters[0], 'true', () => index.referencesFrom(always).map((r) => r.target.logicalId))).toEqual(['Schedule']);
    // Every resource is still listed for the pack to judge (it judges a resource that is not created as not applicable);
    // lookups over the whole app read only those created.
    expect(index.resources.map((r) => r.logicalId)).toEqual(['Endpoint', 'Schedule', 'Always']);
    expect(index.createdResources.map((r) => r.logicalId)).toEqual(['Endpoint', 'Always']);
    expect(index.assuming(seen.parameters[0], 'true', () => index.createdResources.map((r) => r.logicalId))).toEqual(['Endpoint', 'Schedule', 'Always']);
  });

  test('records references made by Ref, Fn::GetAtt, Fn::Sub, Fn::Join and text naming a resource', () => {
    const app = new App();
    stackOf({
      Resources: {
        Key: { Type: 'AWS::KMS::Key' },
        Named: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'capture-bucket' } },
        Other: { Type: 'AWS::S3::Bucket' },
        Config: {
          Type: CONFIG,
          Properties: {
            KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] },
            DataCaptureConfig: { DestinationS3Uri: 's3://capture-bucket/prefix', KmsKeyId: { Ref: 'Key' } },
            AsyncInferenceConfig: { OutputConfig: { S3OutputPath: { 'Fn::Sub': 's3://${Other}/async' } } },
          },
        },
        Policy: {
          Type: 'AWS::IAM::Policy',
          Properties: { PolicyDocument: { Statement: [{ Resource: { 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'Other' }, '/*']] } }] } },
        },
      },
    }, app);
    const index = ResourceIndex.fromScope(app);
    const config = index.find('Test', 'Config')!;
    const refs = index.referencesFrom(config).map((r) => `${r.path}->${r.target.logicalId}${r.attribute ? '.' + r.attribute : ''}`);
    expect(refs.sort()).toEqual([
      'AsyncInferenceConfig.OutputConfig.S3OutputPath->Other',
      'DataCaptureConfig.DestinationS3Uri->Named',
      'DataCaptureConfig.KmsKeyId->Key',
      'KmsKeyId->Key.Arn',
    ]);
    expect(index.referencesTo(index.find('Test', 'Other')!).map((r) => r.source.logicalId).sort()).toEqual(['Config', 'Policy']);
  });

  test('follows cross-stack references, before and after synthesis', () => {
    const app = new App();
    const producer = new Stack(app, 'Producer');
    const consumer = new Stack(app, 'Consumer');
    const bucket = new s3.Bucket(producer, 'Bucket');
    new CfnResource(consumer, 'Config', {
      type: CONFIG,
      properties: { DataCaptureConfig: { DestinationS3Uri: Fn.join('', ['s3://', bucket.bucketName, '/capture']) } },
    });
    const before = ResourceIndex.fromScope(app);
    const target = (index: ResourceIndex) =>
      index.referencesFrom(index.ofType(CONFIG)[0]).map((r) => `${r.target.stack.stackPath}/${r.target.type}`);
    expect(target(before)).toEqual(['Producer/AWS::S3::Bucket']);
    app.synth(); // turns the reference into an export and an Fn::ImportValue
    expect(target(ResourceIndex.fromScope(app))).toEqual(['Producer/AWS::S3::Bucket']);
  });

  test('keeps each resource\'s template metadata, rendered before synthesis and read from the templates inside it', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'metadata-')) });
    const stack = new Stack(app, 'Declaring');
    const declared = new CfnResource(stack, 'Vpc', { type: 'AWS::EC2::VPC', properties: { CidrBlock: '10.0.0.0/16' } });
    declared.addMetadata('cdk-secure-ai:organization-trail', { trailArn: stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: 'org' }), reason: 'org' });
    new CfnResource(stack, 'Plain', { type: 'AWS::EC2::VPC' });
    const read = (index: ResourceIndex) => ({
      declared: index.ofType('AWS::EC2::VPC').find((r) => r.construct === declared || r.logicalId.startsWith('Vpc'))!.metadata['cdk-secure-ai:organization-trail'],
      plain: index.ofType('AWS::EC2::VPC').find((r) => r.logicalId.startsWith('Plain'))!.metadata,
    });
    const rendered = read(ResourceIndex.fromScope(app));
    // Tokens in the metadata are resolved, as in the template.
    expect(rendered.declared).toEqual({ trailArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':trail/org']] }, reason: 'org' });
    expect(rendered.plain['cdk-secure-ai:organization-trail']).toBeUndefined();
    const assembly = app.synth();
    const templateOf = (s: Stack) => s.templateFile;
    const synthesized = read(ResourceIndex.fromScope(app, templateOf, new SynthesizedTemplates(assembly.stacks.map((s) => s.templateFullPath))));
    expect(synthesized.declared).toEqual(rendered.declared);
  });

  test('memo computes a lookup once per index and key, and refuses a lookup that asks for itself', () => {
    const app = new App();
    stackOf({ Resources: { A: { Type: 'AWS::S3::Bucket' } } }, app);
    const index = ResourceIndex.fromScope(app);
    const keyA = {};
    const keyB = {};
    let computed = 0;
    const first = index.memo(keyA, () => ({ n: ++computed }));
    expect(index.memo(keyA, () => ({ n: ++computed }))).toBe(first);
    expect(index.memo(keyB, () => ({ n: ++computed }))).toEqual({ n: 2 });
    expect(ResourceIndex.fromScope(app).memo(keyA, () => ({ n: ++computed }))).toEqual({ n: 3 });
    const selfAsking = (): unknown => index.memo(selfAsking, selfAsking);
    expect(selfAsking).toThrow(/asked for itself/);
  });

  test('a lookup is computed again under another allowed value of a parameter only when it read that parameter', () => {
    // Computed anew for every assumed value, every lookup over the whole app made an app whose stacks have parameters
    // cost the square of its size.
    const index = ResourceIndex.fromTemplates([{
      stackPath: 'Test',
      template: {
        Parameters: {
          Size: { Type: 'Number', Default: 1, AllowedValues: [1, 2] },
          Name: { Type: 'String', Default: 'a', AllowedValues: ['a', 'b'] },
        },
        Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'Name' } } } },
      },
    }]);
    const bucket = index.ofType('AWS::S3::Bucket')[0];
    const use = (parameter: string) => ({ stack: bucket.stack, parameter });
    const computed = { name: 0, nothing: 0 };
    const readsName = () => index.memo(readsName, () => (++computed.name, bucket.get('BucketName')[0].value));
    const readsNothing = () => index.memo(readsNothing, () => ++computed.nothing);
    expect([readsName(), readsNothing()]).toEqual(['a', 1]);
    expect(index.assuming(use('Size'), 2, () => [readsName(), readsNothing()])).toEqual(['a', 1]);
    expect(index.assuming(use('Name'), 'b', () => [readsName(), readsNothing()])).toEqual(['b', 1]);
    expect(computed).toEqual({ name: 2, nothing: 1 });
    // Asked first under an assumption, the lookup is computed with the defaults once, and reused.
    const late = () => index.memo(late, () => ++computed.nothing);
    expect(index.assuming(use('Size'), 2, late)).toBe(2);
    expect(late()).toBe(2);
  });

  test('reads templates brought in with CfnInclude, as a security team auditing a template would', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'include-'));
    const file = path.join(dir, 'template.json');
    fs.writeFileSync(file, JSON.stringify({
      Parameters: { Encrypt: { Type: 'String', Default: 'no', AllowedValues: ['yes', 'no'] } },
      Conditions: { DoEncrypt: { 'Fn::Equals': [{ Ref: 'Encrypt' }, 'yes'] } },
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: {} } },
        Config: {
          Type: CONFIG,
          Properties: {
            ProductionVariants: [{ VariantName: 'v', ModelName: 'm', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }],
            KmsKeyId: { 'Fn::If': ['DoEncrypt', { 'Fn::GetAtt': ['Key', 'Arn'] }, { Ref: 'AWS::NoValue' }] },
          },
        },
      },
    }));
    const app = new App();
    new CfnInclude(new Stack(app, 'Included'), 'Template', { templateFile: file });
    const index = ResourceIndex.fromScope(app);
    const config = index.ofType(CONFIG)[0];
    expect(config.logicalId).toBe('Config');
    // The template's condition is read: Encrypt defaults to "no", so the key is absent, and the form is Encrypt's.
    expect(config.get('KmsKeyId')).toEqual([{ value: undefined, parameters: ['Encrypt'] }]);
    expect(isAiAsset(index, index.find('Included', 'Key')!)).toBe(true);
  });

  test('evaluates each property path once per resource, however many times it is asked', () => {
    const app = new App();
    stackOf({ Resources: { Config: { Type: CONFIG, Properties: { KmsKeyId: 'k' } } } }, app);
    const index = ResourceIndex.fromScope(app);
    const config = index.ofType(CONFIG)[0];
    for (let i = 0; i < 5; i++) config.get('KmsKeyId');
    expect(index.statistics.evaluations).toBe(1);
    expect(config.get('DataCaptureConfig.KmsKeyId')).toEqual([{ value: undefined, parameters: [] }]);
  });

  test('a property inside a block that is imported as a whole is unknown, and does not even count as set', () => {
    const app = new App();
    stackOf({ Resources: { Config: { Type: CONFIG, Properties: { DataCaptureConfig: { 'Fn::ImportValue': 'capture-config' } } } } }, app);
    const [branch] = ResourceIndex.fromScope(app).ofType(CONFIG)[0].get('DataCaptureConfig.KmsKeyId');
    expect(branch.value).toBeInstanceOf(UnknownValue);
    expect((branch.value as UnknownValue).insideUnknown).toBe(true);
    expect(isSet(branch.value)).toBeInstanceOf(UnknownValue);
    expect(isSet(new UnknownValue('imported value key-arn'))).toBe(true);
  });

  test('resolves a resource of a type by reference, by ARN, or by its literal name', () => {
    const app = new App();
    stackOf({
      Resources: {
        Config: { Type: CONFIG, Properties: { EndpointConfigName: 'fraud-v2' } },
        Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'fraud-v2' } },
        ByRef: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: { 'Fn::GetAtt': ['Config', 'EndpointConfigName'] } } },
      },
    }, app);
    const index = ResourceIndex.fromScope(app);
    const [byName] = index.find('Test', 'Endpoint')!.get('EndpointConfigName');
    const [byRef] = index.find('Test', 'ByRef')!.get('EndpointConfigName');
    expect(index.resolveAs(CONFIG, byName.value)?.logicalId).toBe('Config');
    expect(index.resolveAs(CONFIG, byRef.value)?.logicalId).toBe('Config');
    expect(index.resolveAs('AWS::SageMaker::Model', byName.value)).toBeUndefined();
    expect(index.resolveAs(CONFIG, 'another-config')).toBeUndefined();
  });

  test('RDS identifiers name their cluster or instance ignoring case, by ARN or literal name; other services\' names keep their case', () => {
    const app = new App();
    stackOf({
      Resources: {
        Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { DBClusterIdentifier: 'KbDb' } },
        Instance: { Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceIdentifier: 'KbDb-Writer' } },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'Ingest' } },
        Policy: {
          Type: 'AWS::IAM::Policy',
          Properties: { PolicyDocument: { Statement: [{ Resource: ['arn:aws:rds:eu-west-2:111122223333:cluster:kbdb', 'arn:aws:lambda:eu-west-2:111122223333:function:ingest'] }] } },
        },
      },
    }, app);
    const index = ResourceIndex.fromScope(app);
    const rds = (resource: string) => index.resolve(`arn:aws:rds:eu-west-2:111122223333:${resource}`)?.logicalId;
    expect([rds('cluster:kbdb'), rds('cluster:KBDB'), rds('cluster:KbDb'), rds('db:kbdb-writer')]).toEqual(['Cluster', 'Cluster', 'Cluster', 'Instance']);
    expect(rds('cluster:kbdb2')).toBeUndefined();
    expect(index.resolveAs('AWS::RDS::DBCluster', 'KBDB')?.logicalId).toBe('Cluster');
    expect(index.resolveAs('AWS::RDS::DBInstance', 'kbdb-writer')?.logicalId).toBe('Instance');
    expect(index.resolve('arn:aws:lambda:eu-west-2:111122223333:function:ingest')).toBeUndefined();
    expect(index.resolveAs('AWS::Lambda::Function', 'ingest')).toBeUndefined();
    expect(index.referencesFrom(index.find('Test', 'Policy')!).map((r) => r.target.logicalId)).toEqual(['Cluster']);
  });

  test('an ARN names the resource of its own resource type: a cluster and an instance, an endpoint and its configuration, sharing a name', () => {
    const app = new App();
    stackOf({
      Resources: {
        Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { DBClusterIdentifier: 'kbdb' } },
        Instance: { Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceIdentifier: 'KbDb' } },
        Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointName: 'fraud', EndpointConfigName: 'fraud' } },
        Config: { Type: CONFIG, Properties: { EndpointConfigName: 'fraud' } },
        Policy: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyDocument: {
              Statement: [{
                Resource: [
                  'arn:aws:rds:eu-west-2:111122223333:cluster:kbdb', 'arn:aws:rds:eu-west-2:111122223333:db:kbdb',
                  'arn:aws:sagemaker:eu-west-2:111122223333:endpoint/fraud', 'arn:aws:sagemaker:eu-west-2:111122223333:endpoint-config/fraud',
                ],
              }],
            },
          },
        },
      },
    }, app);
    const index = ResourceIndex.fromScope(app);
    const named = (arn: string) => index.resolve(arn)?.logicalId;
    expect(named('arn:aws:rds:eu-west-2:111122223333:cluster:KBDB')).toBe('Cluster');
    expect(named('arn:aws:rds:eu-west-2:111122223333:db:kbdb')).toBe('Instance');
    expect(named('arn:aws:sagemaker:eu-west-2:111122223333:endpoint/fraud')).toBe('Endpoint');
    expect(named('arn:aws:sagemaker:eu-west-2:111122223333:endpoint-config/fraud')).toBe('Config');
    expect(index.resolveAs('AWS::RDS::DBInstance', 'arn:aws:rds:eu-west-2:111122223333:cluster:kbdb')).toBeUndefined();
    // A type the ARN does not give is no other resource's either: a snapshot of the cluster is not the cluster.
    expect(named('arn:aws:rds:eu-west-2:111122223333:cluster-snapshot:kbdb')).toBeUndefined();
    expect(index.referencesFrom(index.find('Test', 'Policy')!).map((r) => r.target.logicalId)).toEqual(['Cluster', 'Instance', 'Endpoint', 'Config']);
  });

  test('an ARN names its resource by the part of it that is the name: an alias whole, a repository with its namespace, '
    + 'a role after its path, a function before its qualifier, a table before its stream', () => {
    const app = new App();
    stackOf({
      Resources: {
        Alias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/models', TargetKeyId: 'k' } },
        Repo: { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'team/model' } },
        Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'trainer', Path: '/ml/' } },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'ingest' } },
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'features' } },
        Live: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'live' } },
      },
    }, app);
    const index = ResourceIndex.fromScope(app);
    const named = (arn: string) => index.resolve(`arn:aws:${arn}`)?.logicalId;
    expect([
      named('kms:eu-west-2:111122223333:alias/models'),
      named('ecr:eu-west-2:111122223333:repository/team/model'),
      named('iam::111122223333:role/ml/trainer'),
      named('lambda:eu-west-2:111122223333:function:ingest:live'),
      named('dynamodb:eu-west-2:111122223333:table/features/stream/2026-12-07T00:00:00.000'),
      named('dynamodb:eu-west-2:111122223333:table/features/index/byId'),
    ]).toEqual(['Alias', 'Repo', 'Role', 'Fn', 'Table', 'Table']);
    // The namespace is part of a repository's name; a qualifier is not a function's name.
    expect(named('ecr:eu-west-2:111122223333:repository/model')).toBeUndefined();
    expect(named('lambda:eu-west-2:111122223333:function:live')).toBe('Live');
  });

  describe('an ARN written with the pseudo parameters of its own stack', () => {
    const CLUSTER = { Type: 'AWS::RDS::DBCluster', Properties: { DBClusterIdentifier: 'kbdb' } };
    const statement = (resource: unknown) => ({ Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ Action: 'rds:*', Resource: resource }] } } });
    const sub = (text: string) => ({ 'Fn::Sub': text });
    /** The logical IDs the reference graph links `source` to, and those `resolve` finds for each form of its Resource. */
    const linksOf = (index: ResourceIndex, stackPath: string, source = 'Policy') => {
      const resource = index.find(stackPath, source)!;
      const resolved = resource.get('PolicyDocument.Statement').flatMap((b) => (b.value as Array<{ Resource: unknown }>))
        .flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource])).map((v) => index.resolve(v)?.logicalId);
      return { graph: index.referencesFrom(resource).map((r) => r.target.logicalId), resolved };
    };

    test('names the resource of the same stack: Fn::Join as Stack.formatArn and Arn.format write it, Fn::Sub, with the env known or not', () => {
      const indexIn = (env?: { account: string; region: string }) => {
        const app = new App();
        const stack = stackOf({
          Resources: {
            Cluster: CLUSTER,
            Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointName: 'fraud', EndpointConfigName: 'fraud' } },
            Config: { Type: CONFIG, Properties: { EndpointConfigName: 'fraud' } },
            Data: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'ai-data' } },
          },
        }, app, 'Test', { env });
        new CfnResource(stack, 'Policy', {
          type: 'AWS::IAM::Policy',
          properties: {
            PolicyDocument: {
              Statement: [{
                Action: '*',
                Resource: [
                  stack.formatArn({ service: 'rds', resource: 'cluster', resourceName: 'kbdb', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
                  Arn.format({ service: 'sagemaker', resource: 'endpoint-config', resourceName: 'fraud' }, stack),
                  sub('arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint/fraud'),
                  sub('arn:${AWS::Partition}:s3:::ai-data/*'),
                ],
              }],
            },
          },
        }).overrideLogicalId('Policy');
        return ResourceIndex.fromScope(app);
      };
      const expected = ['Cluster', 'Config', 'Endpoint', 'Data'];
      const agnostic = indexIn();
      expect(linksOf(agnostic, 'Test')).toEqual({ graph: expected, resolved: expected });
      // In a stack whose environment is known the CDK writes the Region and account as literals, and the partition still
      // as AWS::Partition, which the evaluator leaves unknown outside choices: the ARN is an Fn::Join all the same.
      expect(linksOf(indexIn({ account: '111122223333', region: 'eu-west-2' }), 'Test')).toEqual({ graph: expected, resolved: expected });
      const [form] = agnostic.find('Test', 'Policy')!.get('PolicyDocument.Statement');
      const [first] = form.value as Array<{ Resource: unknown[] }>;
      expect(agnostic.resolveAs('AWS::RDS::DBCluster', first.Resource[0])?.logicalId).toBe('Cluster');
      expect(agnostic.resolveAs('AWS::RDS::DBInstance', first.Resource[0])).toBeUndefined();
    });

    test('names nothing where a part other than the partition, Region and account is not literal, or a pseudo parameter is out of its field', () => {
      const app = new App();
      stackOf({
        Parameters: { Name: { Type: 'String' } },
        Resources: {
          Cluster: CLUSTER,
          Policy: statement([
            sub('arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:${Name}'),
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':cluster:', { Ref: 'Name' }]] },
            sub('arn:${AWS::Partition}:rds:${AWS::AccountId}:${AWS::Region}:cluster:kbdb'),
            sub('arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:${AWS::StackName}'),
            sub('arn:${AWS::Partition}:rds:${AWS::Region}-x:${AWS::AccountId}:cluster:kbdb'),
            sub('arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:other'),
          ]),
        },
      }, app);
      const index = ResourceIndex.fromScope(app);
      expect(linksOf(index, 'Test')).toEqual({ graph: [], resolved: [undefined, undefined, undefined, undefined, undefined, undefined] });
    });

    test('reads a parameter with a default as its default, as in an ARN whose other fields are literal', () => {
      const app = new App();
      stackOf({
        Parameters: { Name: { Type: 'String', Default: 'kbdb' } },
        Resources: {
          Cluster: CLUSTER,
          Policy: statement([sub('arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:${Name}'), sub('arn:aws:rds:eu-west-2:111122223333:cluster:${Name}')]),
        },
      }, app);
      const index = ResourceIndex.fromScope(app);
      expect(linksOf(index, 'Test')).toEqual({ graph: ['Cluster', 'Cluster'], resolved: ['Cluster', 'Cluster'] });
    });

    test('names a resource of another stack only where both stacks\' environments give the pseudo parameters the same known values', () => {
      const KB_ARN = sub('arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:kbdb');
      const app = new App();
      const here = { account: '111122223333', region: 'eu-west-2' };
      const stores: Array<[string, { account: string; region: string } | undefined]> = [['Unknown', undefined], ['Same', here]];
      for (const [id, env] of stores) stackOf({ Resources: { Cluster: CLUSTER, [`${id}Policy`]: statement(KB_ARN) } }, app, id, { env });
      const index = ResourceIndex.fromScope(app);
      // Two clusters kbdb: each stack's ARN names its own.
      expect(linksOf(index, 'Unknown', 'UnknownPolicy').graph).toEqual(['Cluster']);
      expect(index.referencesFrom(index.find('Unknown', 'UnknownPolicy')!)[0].target.stack.stackPath).toBe('Unknown');
      expect(index.referencesFrom(index.find('Same', 'SamePolicy')!)[0].target.stack.stackPath).toBe('Same');
      // Both stacks write the same text and name different clusters: resolve, which cannot tell which stack a value is
      // from, names neither.
      expect(linksOf(index, 'Same', 'SamePolicy').resolved).toEqual([undefined]);

      const apart = new App();
      stackOf({ Resources: { Policy: statement(KB_ARN) } }, apart, 'Writer', { env: here });
      stackOf({ Resources: { Cluster: CLUSTER } }, apart, 'Unknown');
      stackOf({ Resources: { Policy: statement(KB_ARN) } }, apart, 'AgnosticWriter');
      const apartIndex = ResourceIndex.fromScope(apart);
      // A cluster of a stack that may deploy to any account and Region is not named from another stack.
      expect(linksOf(apartIndex, 'Writer')).toEqual({ graph: [], resolved: [undefined] });
      expect(linksOf(apartIndex, 'AgnosticWriter')).toEqual({ graph: [], resolved: [undefined] });

      const together = new App();
      stackOf({ Resources: { Policy: statement(KB_ARN) } }, together, 'Writer', { env: here });
      stackOf({ Resources: { Cluster: CLUSTER } }, together, 'Store', { env: here });
      stackOf({ Resources: { Policy: statement(KB_ARN) } }, together, 'Elsewhere', { env: { ...here, region: 'us-east-1' } });
      const togetherIndex = ResourceIndex.fromScope(together);
      expect(linksOf(togetherIndex, 'Writer').graph).toEqual(['Cluster']);
      expect(linksOf(togetherIndex, 'Elsewhere').graph).toEqual([]);
      // Written from two stacks that name different things (the cluster, and nothing), resolve names neither.
      expect(linksOf(togetherIndex, 'Writer').resolved).toEqual([undefined]);
    });
  });

  test('tags: list and map forms, every Fn::If form, and the stack tags the CDK renders only at synthesis', () => {
    const app = new App();
    const stack = stackOf({
      Resources: {
        Listed: { Type: 'AWS::SageMaker::Model', Properties: { Tags: [{ Key: 'Owner', Value: 'ml-platform' }] } },
        Mapped: { Type: 'AWS::Bedrock::Agent', Properties: { Tags: { Owner: 'agents' } } },
        Either: { Type: 'AWS::SageMaker::Model', Properties: { Tags: { 'Fn::If': ['C', [{ Key: 'Owner', Value: 'a' }], { Ref: 'AWS::NoValue' }] } } },
      },
    }, app);
    stack.tags.setTag('Environment', 'prod');
    const index = ResourceIndex.fromScope(app);
    const owners = (id: string) => index.find('Test', id)!.tags().map((t) => (t instanceof UnknownValue ? 'unknown' : t.get('Owner')));
    expect(owners('Listed')).toEqual(['ml-platform']);
    expect(owners('Mapped')).toEqual(['agents']);
    expect(owners('Either')).toEqual(['a', undefined]);
    expect(index.find('Test', 'Listed')!.hasTag('Environment', 'PROD')).toBe(true);
  });

  test('hasTag answers as the tags read in every form do, whether the tag is written as a literal or not', () => {
    const app = new App();
    const stack = stackOf({
      Parameters: { Asset: { Type: 'String', Default: 'true', AllowedValues: ['true', 'false'] } },
      Conditions: { C: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-2'] } },
      Resources: {
        Literal: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'ai:asset', Value: 'TRUE' }] } },
        Mapped: { Type: 'AWS::Bedrock::Agent', Properties: { Tags: { 'ai:asset': 'true' } } },
        Overridden: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'Environment', Value: 'dev' }] } },
        Repeated: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'ai:asset', Value: 'true' }, { Key: 'ai:asset', Value: 'false' }] } },
        FromParameter: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'ai:asset', Value: { Ref: 'Asset' } }] } },
        Either: { Type: 'AWS::S3::Bucket', Properties: { Tags: { 'Fn::If': ['C', [{ Key: 'ai:asset', Value: 'true' }], { Ref: 'AWS::NoValue' }] } } },
        Untagged: { Type: 'AWS::S3::Bucket' },
      },
    }, app);
    stack.tags.setTag('Environment', 'prod');
    const index = ResourceIndex.fromScope(app);
    const viaForms = (id: string, key: string, value: string) => index.find('Test', id)!.tags()
      .some((t) => !(t instanceof UnknownValue) && String(t.get(key)).toLowerCase() === value);
    const cases: Array<[string, string, string, boolean]> = [
      ['Literal', 'ai:asset', 'true', true], ['Mapped', 'ai:asset', 'true', true], ['Overridden', 'Environment', 'dev', true],
      ['Overridden', 'Environment', 'prod', false], ['Repeated', 'ai:asset', 'true', false], ['FromParameter', 'ai:asset', 'true', true],
      ['Either', 'ai:asset', 'true', true], ['Untagged', 'Environment', 'prod', true], ['Untagged', 'ai:asset', 'true', false],
    ];
    for (const [id, key, value, expected] of cases) {
      expect([id, key, value, index.find('Test', id)!.hasTag(key, value)]).toEqual([id, key, value, expected]);
      expect([id, key, value, viaForms(id, key, value)]).toEqual([id, key, value, expected]);
    }
    // A tag decided by a parameter is still recorded as read, so its other allowed values are judged.
    expect(index.recording(() => index.find('Test', 'FromParameter')!.hasTag('ai:asset', 'true')).parameters.map((u) => u.parameter)).toEqual(['Asset']);
    expect(index.recording(() => index.find('Test', 'Literal')!.hasTag('ai:asset', 'true')).parameters).toEqual([]);
  });
});

describe('ResourceIndex.fromTemplates, for a cloud assembly read without its app', () => {
  const index = ResourceIndex.fromTemplates([{
    stackPath: 'Prod/Model',
    account: '111111111111',
    region: 'eu-west-2',
    template: {
      Parameters: { Stage: { Type: 'String', Default: 'dev' } },
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } },
      Mappings: { Sizes: { 'eu-west-2': { Instance: 'ml.m5.large' } } },
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Metadata: { 'aws:cdk:path': 'Prod/Model/Bucket/Resource' } },
        Extra: { Type: 'AWS::S3::Bucket', Condition: 'IsProd' },
        Config: {
          Type: 'AWS::SageMaker::EndpointConfig',
          Properties: { ProductionVariants: [{ InstanceType: { 'Fn::FindInMap': ['Sizes', { Ref: 'AWS::Region' }, 'Instance'] } }] },
        },
      },
    },
  }]);

  test('evaluates conditions, mappings and pseudo parameters as inside synthesis, and keeps the stack\'s environment as data', () => {
    expect(index.find('Prod/Model', 'Extra')!.exists()).toBe(false);
    const [variants] = index.find('Prod/Model', 'Config')!.get('ProductionVariants');
    expect(variants.value).toEqual([{ InstanceType: 'ml.m5.large' }]);
    const stack = index.find('Prod/Model', 'Bucket')!.stack;
    expect([stack.account, stack.region]).toEqual(['111111111111', 'eu-west-2']);
  });

  test('names a resource by the construct path its template records, else by its stack and logical ID; it has no construct', () => {
    expect(index.find('Prod/Model', 'Bucket')!.constructPath).toBe('Prod/Model/Bucket/Resource');
    expect(index.find('Prod/Model', 'Bucket')!.metadata).toEqual({ 'aws:cdk:path': 'Prod/Model/Bucket/Resource' });
    expect(index.find('Prod/Model', 'Extra')!.constructPath).toBe('Prod/Model/Extra');
    expect(index.find('Prod/Model', 'Extra')!.construct).toBeUndefined();
  });
});
