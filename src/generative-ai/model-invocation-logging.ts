import { CustomResource, Duration, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ModelInvocationLoggingFunction } from './model-invocation-logging-function';
import { validatePayloadPrefix, validateReplaceReason, validateSingleLogging } from './model-invocation-logging-validation';
import { PromptLogGroup } from './prompt-log-group';
import { requirePromptLogRetention } from './prompt-log-retention';
import { requireEndpoints } from './required-endpoints';
import { EnvironmentStage } from '../construct-kit/environment-stage';
import { libraryConstruct } from '../construct-kit/library-construct';
import { retainedLogGroup } from '../construct-kit/log-group';
import { recordReason } from '../construct-kit/opt-out-reason';
import { acknowledgeRules, OWN_POLICY_REASON, WildcardFindingIds } from '../construct-kit/pack-acknowledgments';
import { AiEndpointService } from '../environment/ai-endpoint-service';
import type { AiEnvironment } from '../environment/ai-environment';
import { InVpcHandlerProvider, inVpcHandlerRole } from '../environment/in-vpc-handler-provider';
import { WorkloadSecurityGroup } from '../environment/workload-security-group';
import { DataClassification } from '../storage/data-classification';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../storage/environment-key';
import { ObjectLockMode } from '../storage/object-lock';
import { SecureBucket } from '../storage/secure-bucket';

/** Properties of a {@link ModelInvocationLogging}. */
export interface ModelInvocationLoggingProps {
  /**
   * The environment whose log key encrypts the log group, whose VPC runs the handler (it needs the
   * `AiEndpointService.BEDROCK` endpoint) and whose stage decides the Object Lock mode.
   */
  readonly environment: AiEnvironment;
  /**
   * How long prompts and completions are kept, in the log group and in the payload bucket. At least a year in production.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;
  /**
   * The key prefix of large payloads in the bucket.
   * @default 'model-invocations'
   */
  readonly payloadPrefix?: string;
  /**
   * How sensitive the logged prompts and completions are, rendered as the bucket's `DataClassification` tag.
   * @default DataClassification.RESTRICTED - they hold whatever users typed, unmasked in the payload bucket
   */
  readonly dataClassification?: DataClassification;
  /**
   * Why an existing model-invocation logging configuration of the account and Region (an organisation baseline,
   * another stack) may be replaced. Rendered into the custom resource's template metadata.
   * @default - the deployment fails if another configuration exists
   */
  readonly replaceExistingConfiguration?: string;
}

const LOG_GROUP_NAME = '/aws/bedrock/model-invocations';

/**
 * Bedrock model-invocation logging for the account and Region, which CloudFormation cannot configure: a custom
 * resource turns it on and reads it back.
 *
 * - Text delivery (prompts and completions) to the log group `/aws/bedrock/model-invocations`, encrypted with the
 *   environment's log key, kept for `retention`, RETAINed, with a data protection policy that audits and masks personal
 *   data and secrets. Image, embedding and video data are not delivered.
 * - Payloads larger than a log event (100 KB) to a `SecureBucket` with its own key and Object Lock (compliance mode in
 *   production, governance otherwise) for the same retention, after which they expire; tagged `ai:retention-days`.
 * - A delivery role only Bedrock of this account can assume (`aws:SourceAccount`, `aws:SourceArn`), which may write to
 *   that log group only; Bedrock writes payloads under the bucket's policy and key policy, for this account only.
 * - The handler runs in the environment's isolated subnets with a no-ingress security group, an encrypted log group and
 *   a role that may only get, put and delete the logging configuration and pass the delivery role to Bedrock. It fails
 *   the deployment when another configuration exists (unless `replaceExistingConfiguration` gives the reason) and when
 *   the configuration does not read back as written. On deletion it turns logging off only if it is still its own.
 *
 * One per account and Region: a second one in the same app is refused at synth time, in another app by the fixed log
 * group name at deploy time.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them).
 */
export class ModelInvocationLogging extends Construct {
  /** The log group that receives prompts and completions. */
  public readonly logGroup: logs.LogGroup;
  /** The bucket that receives payloads too large for a log event. */
  public readonly payloadBucket: SecureBucket;
  /** The role Bedrock assumes to write to the log group. */
  public readonly deliveryRole: iam.Role;
  /** The custom resource that configures logging. */
  public readonly resource: CustomResource;

  public constructor(scope: Construct, id: string, props: ModelInvocationLoggingProps) {
    super(scope, id);
    const owner = libraryConstruct(this, 'ModelInvocationLogging');
    const env = props.environment;
    validateSingleLogging(this);
    requireEndpoints(owner, env, [AiEndpointService.BEDROCK], 'its handler configures Bedrock from the isolated subnets');
    const prefix = validatePayloadPrefix(owner, props.payloadPrefix ?? 'model-invocations');
    const replaceReason = props.replaceExistingConfiguration === undefined ? undefined
      : validateReplaceReason(owner, props.replaceExistingConfiguration);
    const stack = Stack.of(this);

    const retention = requirePromptLogRetention(this, 'retention', props.retention ?? logs.RetentionDays.ONE_YEAR, env.stage);
    this.logGroup = new PromptLogGroup(this, 'LogGroup', { environment: env, logGroupName: LOG_GROUP_NAME, retention, owner });

    // Bedrock of this account and Region only, on behalf of its own resources (the confused-deputy conditions).
    const bedrockOfThisAccount = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'bedrock', resource: '*' }) },
    };
    this.deliveryRole = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', { conditions: bedrockOfThisAccount }),
      description: 'Bedrock writes model-invocation logs to their log group',
    });
    this.logGroup.grantWrite(this.deliveryRole);
    acknowledgeRules(this.deliveryRole, ['NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy'],
      OWN_POLICY_REASON);

    // Payloads: their own key, so that reading users' prompts is a grant of its own.
    const payloadKey = new EnvironmentKey(this, 'PayloadKey', {
      purpose: EnvironmentKeyPurpose.DATA,
      description: 'Bedrock model-invocation payloads too large for a log event',
    });
    payloadKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'BedrockInvocationLogsOfThisAccount',
      principals: [new iam.ServicePrincipal('bedrock.amazonaws.com')],
      actions: ['kms:GenerateDataKey'],
      resources: ['*'],
      conditions: bedrockOfThisAccount,
    }));
    this.payloadBucket = new SecureBucket(this, 'Payloads', {
      environment: env,
      encryptionKey: payloadKey,
      dataClassification: props.dataClassification ?? DataClassification.RESTRICTED,
      objectLock: {
        mode: env.stage === EnvironmentStage.PRODUCTION ? ObjectLockMode.COMPLIANCE : ObjectLockMode.GOVERNANCE,
        retentionDays: retention,
      },
      // An expired payload must be gone, not kept as a noncurrent version for another year.
      noncurrentVersionExpirationDays: 1,
    });
    this.payloadBucket.addLifecycleRule({ id: 'PayloadRetention', expiration: Duration.days(retention) });
    Tags.of(this.payloadBucket).add('ai:retention-days', String(retention));
    this.payloadBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'BedrockInvocationLogsOfThisAccount',
      principals: [new iam.ServicePrincipal('bedrock.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [this.payloadBucket.arnForObjects(`${prefix}/*`)],
      conditions: bedrockOfThisAccount,
    }));

    // The handler, in the isolated subnets.
    const securityGroup = new WorkloadSecurityGroup(this, 'SecurityGroup', {
      vpc: env.vpc,
      endpointSecurityGroup: env.endpointSecurityGroup,
      description: 'Model invocation logging handler: no ingress, HTTPS to the environment VPC endpoints only',
    });
    const handlerLogs = retainedLogGroup(this, 'HandlerLogGroup', {
      encryptionKey: env.logKey,
    });
    const handlerRole = inVpcHandlerRole(this, 'HandlerRole', env, handlerLogs, 'Configures Bedrock model-invocation logging of this account and Region');
    // The logging configuration is an account setting: these actions take no resource.
    handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ModelInvocationLoggingConfiguration',
      actions: ['bedrock:GetModelInvocationLoggingConfiguration', 'bedrock:PutModelInvocationLoggingConfiguration',
        'bedrock:DeleteModelInvocationLoggingConfiguration'],
      resources: ['*'],
    }));
    // Passing the delivery role to Bedrock is what putting the configuration needs, and nothing else may receive it.
    handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PassTheDeliveryRoleToBedrock',
      actions: ['iam:PassRole'],
      resources: [this.deliveryRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
    }));
    acknowledgeRules(handlerRole, ['NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy'],
      OWN_POLICY_REASON);
    acknowledgeRules(handlerRole, [WildcardFindingIds.resource(this, '*')], 'Bedrock\'s model-invocation logging configuration is '
      + 'an account setting: Get, Put and DeleteModelInvocationLoggingConfiguration support no resource-level permissions. EC2 '
      + 'Describe actions support none either; creating and deleting the function\'s network interfaces is limited by an ec2:Vpc '
      + 'condition to the environment\'s VPC.');

    const handler = new ModelInvocationLoggingFunction(this, 'Handler', {
      description: 'Turns on Bedrock model-invocation logging of this account and Region and reads it back',
      role: handlerRole,
      vpc: env.vpc,
      vpcSubnets: env.workloadSubnets,
      securityGroups: [securityGroup],
      logGroup: handlerLogs,
      timeout: Duration.minutes(1),
      reservedConcurrentExecutions: 1,
    });
    const provider = new InVpcHandlerProvider(this, 'Provider', { environment: env, handler, subject: 'model-invocation logging' });

    // The call, written as the SDK call it makes (the form AwsCustomResource uses), so that reviewers and the SecureAI
    // pack (O6, O7, V14, V16) read its destination from the template.
    const call = {
      service: 'Bedrock',
      action: 'PutModelInvocationLoggingConfiguration',
      parameters: {
        loggingConfig: {
          cloudWatchConfig: {
            logGroupName: this.logGroup.logGroupName,
            roleArn: this.deliveryRole.roleArn,
            largeDataDeliveryS3Config: { bucketName: this.payloadBucket.bucketName, keyPrefix: prefix },
          },
          textDataDeliveryEnabled: true,
          imageDataDeliveryEnabled: false,
          embeddingDataDeliveryEnabled: false,
          videoDataDeliveryEnabled: false,
        },
      },
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::ModelInvocationLogging',
      properties: { Create: call, Update: call, ReplaceExistingConfiguration: replaceReason },
    });
    if (replaceReason !== undefined) recordReason(this.resource, 'replaceExistingConfiguration', replaceReason);
    // Bedrock checks the role, the log group and the bucket when the configuration is put.
    this.resource.node.addDependency(this.deliveryRole, handlerRole, this.payloadBucket, this.logGroup);
  }
}
