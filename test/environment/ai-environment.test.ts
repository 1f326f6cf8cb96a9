import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEndpointService } from '../../src/environment/ai-endpoint-service';
import { AiEnvironment, AiEnvironmentProps } from '../../src/environment/ai-environment';
import { SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { ObjectLockMode } from '../../src/storage/object-lock';
import { SecureBucket } from '../../src/storage/secure-bucket';
import { backUpAiStores, canaryFindings, checkCompliance, isReasoned, silentPacks } from '../compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };

function build(props: Partial<AiEnvironmentProps> = {}) {
  const stack = new Stack(new App(), 'Ai', { env: ENV });
  const env = new AiEnvironment(stack, 'Env', { owner: 'ml-platform', ...props });
  return { stack, env };
}

describe('AiEnvironment defaults', () => {
  const { stack, env } = build();
  const role = new iam.Role(stack, 'WorkloadRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  env.addWorkloadSecurityGroup('Training');
  const t = Template.fromStack(stack);

  test('isolated subnets only across two AZs: no internet gateway, no NAT', () => {
    t.resourceCountIs('AWS::EC2::Subnet', 2);
    t.resourceCountIs('AWS::EC2::InternetGateway', 0);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    t.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
  });

  test('S3 gateway endpoint and the nine default interface endpoints, private DNS, scoped to the account\'s principals and resources', () => {
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 10);
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111', 's3:ResourceAccount': '111111111111' } } }),
          // ECR's image layers, in the Region's AWS-owned bucket: read only.
          Match.objectLike({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-us-east-1-starport-layer-bucket/*']] } }),
        ],
      },
    });
    for (const service of ['sagemaker.api', 'sagemaker.runtime', 'ecr.api', 'ecr.dkr', 'logs', 'monitoring', 'kms', 'sts', 'states']) {
      t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: `com.amazonaws.us-east-1.${service}`,
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        PolicyDocument: {
          Statement: [Match.objectLike({
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' }, StringEqualsIfExists: { 'aws:ResourceAccount': '111111111111' } },
          })],
        },
      });
    }
    expect(JSON.stringify(t.findResources('AWS::EC2::VPCEndpoint'))).not.toContain('bedrock-runtime');
  });

  test('flow logs of all traffic into a log group encrypted with the log key, kept 365 days, retained', () => {
    t.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', LogGroupName: { Ref: Match.stringLikeRegexp('^EnvFlowLogs') } });
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnvLogKey'), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
  });

  test('a data key and a log key: rotation on, retained, log key open to Logs and CloudTrail of this account only', () => {
    const keys = t.findResources('AWS::KMS::Key');
    expect(Object.keys(keys).filter((k) => /^Env(Data|Log)Key/.test(k))).toHaveLength(2);
    for (const key of Object.values(keys)) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    }
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'CloudWatchLogsOfThisAccount', Principal: { Service: 'logs.us-east-1.amazonaws.com' }, Condition: { ArnLike: Match.anyValue() } }),
          Match.objectLike({ Sid: 'CloudTrailOfThisAccount', Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '111111111111' } }) }),
        ]),
      },
    });
  });

  test('every resource is tagged with the stage and owner; production is the default stage', () => {
    expect(env.stage).toBe(EnvironmentStage.PRODUCTION);
    expect(env.minimumInstanceCount).toBe(2);
    t.hasResourceProperties('AWS::EC2::VPC', { Tags: Match.arrayWith([{ Key: 'ai:environment', Value: 'production' }, { Key: 'Owner', Value: 'ml-platform' }]) });
    t.hasResourceProperties('AWS::KMS::Key', { Tags: Match.arrayWith([{ Key: 'ai:environment', Value: 'production' }]) });
  });

  test('every role of the stack gets the permissions boundary, CDK provider roles included', () => {
    const boundaryRef = { Ref: Match.stringLikeRegexp('^EnvBoundaryPolicy') };
    const roles = t.findResources('AWS::IAM::Role');
    expect(Object.keys(roles).length).toBeGreaterThanOrEqual(4);
    for (const [id, r] of Object.entries(roles)) {
      expect([id, r.Properties.PermissionsBoundary]).toEqual([id, expect.objectContaining({ Ref: expect.stringMatching(/^EnvBoundaryPolicy/) })]);
    }
    expect(role).toBeDefined();
    t.hasResourceProperties('AWS::IAM::Role', { PermissionsBoundary: boundaryRef });
  });

  test('security groups: endpoints have no ingress until a workload is added; workloads have no ingress, egress 443 to endpoints', () => {
    const groups = t.findResources('AWS::EC2::SecurityGroup');
    for (const g of Object.values(groups)) expect(g.Properties.SecurityGroupIngress).toBeUndefined();
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 443, ToPort: 443, IpProtocol: 'tcp', SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnvTraining'), 'GroupId'] } });
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { FromPort: 443, DestinationSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnvEndpointSecurityGroup'), 'GroupId'] } });
  });

  test('an audit trail: multi-Region, validated, encrypted, to CloudWatch Logs, with AI data events', () => {
    t.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      IsLogging: true,
      KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnvLogKey'), 'Arn'] },
      CloudWatchLogsLogGroupArn: Match.anyValue(),
      AdvancedEventSelectors: Match.arrayWith([
        { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        Match.objectLike({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Bedrock::AgentAlias'] }] }),
      ]),
    });
  });
});

describe('AiEnvironment options', () => {
  test('the endpoint set is a prop; an organisation scopes the endpoint policies', () => {
    const { stack } = build({ endpoints: [AiEndpointService.BEDROCK_RUNTIME], organizationId: 'o-abcdefghij' });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.us-east-1.bedrock-runtime', PolicyDocument: { Statement: [Match.objectLike({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' }, StringEqualsIfExists: { 'aws:ResourceOrgID': 'o-abcdefghij' } } })] } });
  });

  test('internet egress only with a reason, which lands in the template metadata', () => {
    const reason = 'Training pulls Python wheels from pypi.org through a proxy allow-list';
    const { stack } = build({ internetEgress: { reason } });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::InternetGateway', 1);
    t.resourceCountIs('AWS::EC2::NatGateway', 2);
    t.hasResource('AWS::EC2::VPC', { Metadata: Match.objectLike({ 'cdk-secure-ai:internet-egress': reason }) });
    Annotations.fromStack(stack).hasInfo('*', Match.stringLikeRegexp('Internet egress is enabled'));
  });

  test('an organisation trail replaces the environment trail, with its reason in the metadata', () => {
    const { stack, env } = build({ organizationTrail: { trailArn: 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org', reason: 'The security account runs the org trail with AI data events' } });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudTrail::Trail', 0);
    expect(env.auditTrail).toBeUndefined();
    t.hasResource('AWS::EC2::VPC', { Metadata: Match.objectLike({ 'cdk-secure-ai:organization-trail': Match.objectLike({ trailArn: 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org' }) }) });
  });

  test('the pack reads the declaration: AI resources of the environment\'s stack need no trail of the app', () => {
    const trailFindings = (stack: Stack) => {
      new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: 'arn:aws:iam::111122223333:role/model' });
      return new SecureAiChecks().validateScope(stack).violations.map((v) => v.ruleName).filter((name) => /^SecureAI-P2[01]\b/.test(name));
    };
    const { stack } = build({ organizationTrail: { trailArn: 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org', reason: 'The security account runs the org trail' } });
    expect(trailFindings(stack)).toEqual([]);
    // Canary: the same model in a stack of the account without the environment is reported.
    expect(trailFindings(new Stack(new App(), 'Bare', { env: ENV }))).toEqual(['SecureAI-P20[unverifiable]']);
  });

  test('development may use one AZ and one instance', () => {
    const { stack, env } = build({ stage: EnvironmentStage.DEVELOPMENT, maxAzs: 1, logRetention: logs.RetentionDays.ONE_MONTH });
    expect(env.minimumInstanceCount).toBe(1);
    Template.fromStack(stack).resourceCountIs('AWS::EC2::Subnet', 1);
  });

  test.each<[string, Partial<AiEnvironmentProps>, RegExp]>([
    ['cidr that does not parse', { cidr: '10.0.0/16' }, /cidr '10\.0\.0\/16' is not an IPv4 CIDR block.*Fix: give a block such as '10\.0\.0\.0\/16'/],
    ['cidr with a bad octet', { cidr: '10.0.300.0/16' }, /cidr '10\.0\.300\.0\/16'/],
    ['cidr too large', { cidr: '10.0.0.0/8' }, /between \/16 and \/28/],
    ['maxAzs < 1', { maxAzs: 0, stage: EnvironmentStage.DEVELOPMENT }, /maxAzs is 0, but it must be a whole number of at least 1.*Fix/],
    ['one AZ in production', { maxAzs: 1 }, /maxAzs is 1 in a production environment.*Fix: give maxAzs of 2/],
    ['internet egress without reason', { internetEgress: { reason: '' } }, /internetEgress\.reason is missing.*Fix: say why/],
    ['internet egress with a token reason', { internetEgress: { reason: 'needed' } }, /internetEgress\.reason is too short/],
    ['short retention in production', { logRetention: logs.RetentionDays.ONE_MONTH }, /logRetention is 30 days, too short for production.*Fix/],
    ['empty owner', { owner: ' ' }, /owner is empty.*Fix/],
    ['bad organisation ID', { organizationId: 'org-1' }, /organizationId 'org-1' is not an AWS Organizations ID.*Fix/],
    ['bad trail ARN', { organizationTrail: { trailArn: 'trail', reason: 'The security account runs the org trail' } }, /organizationTrail\.trailArn 'trail'.*Fix/],
  ])('%s throws naming the prop and the fix', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('one environment per stack', () => {
    const { stack } = build();
    expect(() => new AiEnvironment(stack, 'Second', { owner: 'x' })).toThrow(/already has an AiEnvironment.*Fix: one environment per stack/);
  });
});

describe('AiEnvironment compliance', () => {
  test('passes every pack with reasoned acknowledgments; the canary proves the packs ran', () => {
    const result = checkCompliance((app) => {
      const stack = new Stack(app, 'Ai', { env: ENV });
      const env = new AiEnvironment(stack, 'Env', { owner: 'ml-platform' });
      env.addWorkloadSecurityGroup('Training');
      new iam.Role(stack, 'WorkloadRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
      new SecureBucket(stack, 'Models', { environment: env, objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: 365 } });
      // SecureAI-P18: the AI bucket is backed up by an OfflineBackup beside the environment.
      backUpAiStores(stack, env);
    });
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    // No SecureAI rule is acknowledged, by the constructs or the test: P18 included, the backup beside them passes it.
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI')).map((a) => a.path)).toEqual([]);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });
});
