import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { composition, ENV, logicalId, policyOfRole } from './fixture';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEndpointService } from '../../src/environment/ai-endpoint-service';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { AiGuardrail } from '../../src/generative-ai/ai-guardrail';
import { ModelInvocationLogging, ModelInvocationLoggingProps } from '../../src/generative-ai/model-invocation-logging';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { DataClassification } from '../../src/storage/data-classification';
import { backUpAiStores } from '../compliance';
import { unknownIamNames } from '../iam-reference';

type Resources = Record<string, { Type: string; Properties: any; DeletionPolicy?: string; Metadata?: any; DependsOn?: string[] }>;

function loggingFixture(props: Partial<ModelInvocationLoggingProps> = {}, stage?: EnvironmentStage) {
  const app = new App();
  const { stack, environment } = composition(app, stage === undefined ? {} : { stage });
  const logging = new ModelInvocationLogging(stack, 'Logging', { environment, ...props });
  return { app, stack, environment, logging, template: () => Template.fromStack(stack) };
}

describe('ModelInvocationLogging defaults', () => {
  let t: Template;
  let resources: Resources;
  let logGroupId: string;
  let bucketId: string;
  let roleId: string;
  const bedrockOfThisAccount = {
    StringEquals: { 'aws:SourceAccount': ENV.account },
    ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:${ENV.region}:${ENV.account}:*`]] } },
  };
  beforeAll(() => {
    t = loggingFixture().template();
    resources = t.toJSON().Resources;
    logGroupId = logicalId(t, 'AWS::Logs::LogGroup', 'LoggingLogGroup');
    bucketId = logicalId(t, 'AWS::S3::Bucket', 'LoggingPayloads');
    roleId = logicalId(t, 'AWS::IAM::Role', 'LoggingDeliveryRole');
  });

  test('the custom resource puts text delivery to the log group, large payloads to the bucket, nothing else, as Create and Update', () => {
    const cr = Object.values(t.findResources('Custom::ModelInvocationLogging'));
    expect(cr).toHaveLength(1);
    const call = {
      service: 'Bedrock',
      action: 'PutModelInvocationLoggingConfiguration',
      parameters: {
        loggingConfig: {
          cloudWatchConfig: {
            logGroupName: { Ref: logGroupId },
            roleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
            largeDataDeliveryS3Config: { bucketName: { Ref: bucketId }, keyPrefix: 'model-invocations' },
          },
          textDataDeliveryEnabled: true,
          imageDataDeliveryEnabled: false,
          embeddingDataDeliveryEnabled: false,
          videoDataDeliveryEnabled: false,
        },
      },
    };
    expect(cr[0].Properties).toEqual({ ServiceToken: expect.anything(), Create: call, Update: call });
    // Put only once the role, its policy, the bucket (and its policy) and the log group exist: Bedrock checks them.
    expect(cr[0].DependsOn).toEqual(expect.arrayContaining([roleId, logGroupId, bucketId, expect.stringMatching(/^LoggingDeliveryRoleDefaultPolicy/),
      expect.stringMatching(/^LoggingPayloadsPolicy/)]));
  });

  test('log group: named under /aws/bedrock/, the environment\'s log key, a year, retained, personal data and secrets audited and masked', () => {
    const group = resources[logGroupId];
    expect(group.Properties).toMatchObject({
      LogGroupName: '/aws/bedrock/model-invocations',
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^EnvLogKey/), 'Arn'] },
      RetentionInDays: 365,
    });
    expect(group.DeletionPolicy).toBe('Retain');
    const statements = group.Properties.DataProtectionPolicy.Statement;
    expect(statements.map((s: any) => Object.keys(s.Operation)[0])).toEqual(['Audit', 'Deidentify']);
    const identifiers = JSON.stringify(statements[1].DataIdentifier);
    for (const id of ['EmailAddress', 'Name', 'CreditCardNumber', 'AwsSecretKey', 'NationalInsuranceNumber-GB']) expect(identifiers).toContain(`data-identifier/${id}`);
  });

  test('delivery role: only Bedrock of this account can assume it, and it may write to that log group only', () => {
    expect(resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'bedrock.amazonaws.com' }, Condition: bedrockOfThisAccount,
    }]);
    const statements = policyOfRole(t, 'LoggingDeliveryRole');
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(JSON.stringify(statements[0].Resource)).toContain(logGroupId);
  });

  test('payload bucket: its own rotated key, Object Lock (compliance in production) and expiry after a year, restricted, retention tagged', () => {
    const keyId = logicalId(t, 'AWS::KMS::Key', 'LoggingPayloadKey');
    expect(resources[bucketId].Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } }] },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(resources[bucketId].Properties.LifecycleConfiguration.Rules).toEqual(expect.arrayContaining([
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 1 } }),
      expect.objectContaining({ Id: 'PayloadRetention', ExpirationInDays: 365 }),
    ]));
    expect(resources[bucketId].Properties.Tags).toEqual(expect.arrayContaining([
      { Key: 'ai:retention-days', Value: '365' }, { Key: 'DataClassification', Value: 'restricted' }, { Key: 'ai:asset', Value: 'true' },
    ]));
    expect(resources[bucketId].DeletionPolicy).toBe('Retain');
    expect(resources[keyId].Properties.EnableKeyRotation).toBe(true);
  });

  test('Bedrock of this account may write payloads under the prefix and encrypt them with the payload key, nothing more', () => {
    const policy = Object.values(t.findResources('AWS::S3::BucketPolicy'))
      .find((p) => p.Properties.Bucket.Ref === bucketId)!.Properties.PolicyDocument.Statement;
    expect(policy).toContainEqual({
      Sid: 'BedrockInvocationLogsOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/model-invocations/*']] },
      Condition: bedrockOfThisAccount,
    });
    const keyPolicy = resources[logicalId(t, 'AWS::KMS::Key', 'LoggingPayloadKey')].Properties.KeyPolicy.Statement;
    expect(keyPolicy).toContainEqual({
      Sid: 'BedrockInvocationLogsOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
      Condition: bedrockOfThisAccount,
    });
  });

  test('handler: in the workload subnets with a no-ingress group, one at a time, its own encrypted logs', () => {
    const handlers = Object.values(t.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Description?.startsWith('Turns on Bedrock'));
    expect(handlers).toHaveLength(1);
    expect(handlers[0].Properties).toMatchObject({
      Runtime: 'nodejs26.x',
      ReservedConcurrentExecutions: 1,
      VpcConfig: { SubnetIds: [{ Ref: expect.stringMatching(/^EnvVpcWorkloadSubnet1/) }, { Ref: expect.stringMatching(/^EnvVpcWorkloadSubnet2/) }] },
      LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/^LoggingHandlerLogGroup/) } },
    });
    const sgId = logicalId(t, 'AWS::EC2::SecurityGroup', 'LoggingSecurityGroup');
    expect(resources[sgId].Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('handler role: the logging configuration, and passing the delivery role to Bedrock only', () => {
    const statements = policyOfRole(t, 'LoggingHandlerRole');
    expect(statements).toEqual(expect.arrayContaining([
      {
        Sid: 'ModelInvocationLoggingConfiguration',
        Effect: 'Allow',
        Resource: '*',
        Action: ['bedrock:GetModelInvocationLoggingConfiguration', 'bedrock:PutModelInvocationLoggingConfiguration', 'bedrock:DeleteModelInvocationLoggingConfiguration'],
      },
      {
        Sid: 'PassTheDeliveryRoleToBedrock',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [roleId, 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
      },
    ]));
    expect(JSON.stringify(statements)).not.toMatch(/"s3:|"kms:|bedrock:Invoke/);
  });

  test('every IAM action and condition key exists in the Service Authorization Reference', async () => {
    expect(await unknownIamNames(t.toJSON())).toEqual([]);
  });
});

describe('ModelInvocationLogging options', () => {
  test('two years, another prefix and classification, a development environment (governance lock), a reason to replace', () => {
    const reason = 'The organisation baseline stops configuring logging in this account; the platform team owns it now.';
    const t = loggingFixture({
      retention: logs.RetentionDays.TWO_YEARS,
      payloadPrefix: 'bedrock/payloads',
      dataClassification: DataClassification.CONFIDENTIAL,
      replaceExistingConfiguration: reason,
    }, EnvironmentStage.DEVELOPMENT).template();
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/bedrock/model-invocations', RetentionInDays: 731 });
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 731 } } },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'PayloadRetention', ExpirationInDays: 731 })]) },
    });
    const bucket = t.toJSON().Resources[logicalId(t, 'AWS::S3::Bucket', 'LoggingPayloads')];
    expect(bucket.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'DataClassification', Value: 'confidential' }, { Key: 'ai:retention-days', Value: '731' }]));
    const cr = Object.values(t.findResources('Custom::ModelInvocationLogging'))[0];
    expect(cr.Properties.Create.parameters.loggingConfig.cloudWatchConfig.largeDataDeliveryS3Config.keyPrefix).toBe('bedrock/payloads');
    expect(cr.Properties.ReplaceExistingConfiguration).toBe(reason);
    expect(cr.Metadata['cdk-secure-ai:replaceExistingConfiguration']).toBe(reason);
  });

  test('one per account and Region in an app, in different accounts fine', () => {
    const app = new App();
    const first = composition(app);
    new ModelInvocationLogging(first.stack, 'Logging', { environment: first.environment });
    const other = new Stack(app, 'Other', { env: { account: '222222222222', region: ENV.region } });
    const otherEnv = new AiEnvironment(other, 'Env', { owner: 'team', stage: EnvironmentStage.DEVELOPMENT, endpoints: [AiEndpointService.BEDROCK] });
    expect(() => new ModelInvocationLogging(other, 'Logging', { environment: otherEnv })).not.toThrow();
    const same = new Stack(app, 'Same', { env: ENV });
    const sameEnv = new AiEnvironment(same, 'Env', { owner: 'team', endpoints: [AiEndpointService.BEDROCK] });
    expect(() => new ModelInvocationLogging(same, 'Logging', { environment: sameEnv })).toThrow(
      /Ai\/Logging already configures Bedrock model-invocation logging for account 111111111111 in eu-west-2.*Fix:/);
  });
});

describe('ModelInvocationLogging refuses bad props, naming the prop and the fix', () => {
  test('an environment without a Bedrock endpoint', () => {
    const app = new App();
    const { stack, environment } = composition(app, { endpoints: [AiEndpointService.KMS] });
    expect(() => new ModelInvocationLogging(stack, 'Logging', { environment })).toThrow(
      /no VPC endpoint for bedrock, and its handler configures Bedrock.*Fix: add AiEndpointService.BEDROCK/);
  });

  test('a retention shorter than a year in production, or never expiring', () => {
    expect(() => loggingFixture({ retention: logs.RetentionDays.ONE_MONTH })).toThrow(/retention is 30 days, too short for production.*Fix:/);
    expect(() => loggingFixture({ retention: logs.RetentionDays.INFINITE })).toThrow(/retention is 9999, but it must be a logs\.RetentionDays value of a set number of days.*Fix:/);
    expect(() => loggingFixture({ retention: logs.RetentionDays.ONE_MONTH }, EnvironmentStage.DEVELOPMENT)).not.toThrow();
  });

  test('a prefix that is not one, a reason that says nothing', () => {
    expect(() => loggingFixture({ payloadPrefix: '/logs/' })).toThrow(/payloadPrefix '\/logs\/' is not a key prefix.*Fix:/);
    expect(() => loggingFixture({ payloadPrefix: 'logs/*' })).toThrow(/payloadPrefix 'logs\/\*' is not a key prefix/);
    expect(() => loggingFixture({ replaceExistingConfiguration: 'yes' })).toThrow(/replaceExistingConfiguration is too short \('yes'\)/);
  });
});

describe('ModelInvocationLogging against the SecureAI pack', () => {
  /** The SecureAI rules that fire on a guardrail beside logging whose rendered configuration `tamper` changed. */
  function findingsAfter(tamper: (logging: ModelInvocationLogging) => void): string[] {
    const f = loggingFixture();
    new AiGuardrail(f.stack, 'Guardrail');
    backUpAiStores(f.stack, f.environment);
    tamper(f.logging);
    f.app.synth();
    return new SecureAiChecks({ failOn: FailOn.WARNING }).validateScope(f.stack).violations.map((v) => v.ruleName.trim());
  }
  const cfn = (l: ModelInvocationLogging) => l.resource.node.defaultChild as unknown as { addPropertyOverride(p: string, v: unknown): void };

  test('as built: no finding', () => {
    expect(findingsAfter(() => undefined)).toEqual([]);
  });

  test.each([
    ['text delivery off', 'SecureAI-O7', (l: ModelInvocationLogging) => {
      cfn(l).addPropertyOverride('Create.parameters.loggingConfig.textDataDeliveryEnabled', false);
      cfn(l).addPropertyOverride('Update.parameters.loggingConfig.textDataDeliveryEnabled', false);
    }],
    ['the log group without its key', 'SecureAI-V14', (l: ModelInvocationLogging) => (l.logGroup.node.defaultChild as logs.CfnLogGroup).addPropertyDeletionOverride('KmsKeyId')],
    ['the log group without masking', 'SecureAI-O6', (l: ModelInvocationLogging) => (l.logGroup.node.defaultChild as logs.CfnLogGroup).addPropertyDeletionOverride('DataProtectionPolicy')],
    ['payloads kept ten times longer than documented', 'SecureAI-V16', (l: ModelInvocationLogging) =>
      (l.payloadBucket.node.defaultChild as any).addPropertyOverride('LifecycleConfiguration.Rules.1.ExpirationInDays', 3650)],
  ])('%s: %s fires', (_what, rule, tamper) => {
    expect(findingsAfter(tamper)).toContain(rule);
  });
});
