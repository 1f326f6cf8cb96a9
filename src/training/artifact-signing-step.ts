import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ArtifactSignerFunction } from './artifact-signer-function';
import { ArtifactSignerSetting, ExpectedTrainingJob, SignerTrainingInput } from './artifact-signer-settings';
import { retainedLogGroup } from '../construct-kit/log-group';
import { acknowledgeRules, OWN_POLICY_REASON, RULES, WildcardFindingIds } from '../construct-kit/pack-acknowledgments';
import type { AiEnvironment } from '../environment/ai-environment';
import { VpcAccessStatements } from '../environment/vpc-access-statements';
import type { ModelImage } from '../registry/model-image';
import type { ModelRegistry } from '../registry/model-registry';
import { VERIFIED_PREFIX } from '../registry/registry-layout';

/** A training data input with the bucket it is read from, for the grants. */
export interface SigningStepInput extends SignerTrainingInput {
  readonly bucket: s3.IBucket;
  /** The object key of a single-object input. */
  readonly key?: string;
  /** The key or prefix. */
  readonly location: string;
  readonly contentType?: string;
}

/** Properties of an {@link ArtifactSigningStep}. */
export interface ArtifactSigningStepProps {
  readonly environment: AiEnvironment;
  readonly registry: ModelRegistry;
  /** The pipeline's prefix in the registry's artifact store (no slashes at either end). */
  readonly outputPrefix: string;
  readonly jobNamePrefix: string;
  readonly trainingData: SigningStepInput[];
  /** The training job the state machine creates, which the step compares every job with. */
  readonly expectedJob: ExpectedTrainingJob;
  /** The image, whose digest the step reads from its ECR repository. */
  readonly image: ModelImage;
  /** The pipeline's state machine, by name: its ARN is known before it exists (the state machine invokes this function). */
  readonly stateMachineName: string;
  /** The S3 managed prefix list: the function reads and writes S3 through the environment's gateway endpoint. */
  readonly s3PrefixListId: string;
  readonly reservedConcurrency: number;
  readonly logRetention: logs.RetentionDays;
  /** For security group ids under the environment. */
  readonly idPrefix: string;
}

/** The Lambda environment's size limit, in bytes, over all variables. */
export const LAMBDA_ENVIRONMENT_LIMIT = 4096;

/**
 * The function that signs a trained model artifact (`artifact-signer.lambda.ts`), with everything it runs on: its
 * own role (only what the step does: read the artifact and the single-object inputs, describe the pipeline's jobs,
 * publish to the registry, write its log group, manage its network interfaces), an encrypted log group kept
 * `logRetention`, a security group with no ingress that reaches only the environment's endpoints and S3, the
 * environment's isolated subnets, and reserved concurrency.
 */
export class ArtifactSigningStep extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly securityGroup: ec2.SecurityGroup;

  public constructor(scope: Construct, id: string, props: ArtifactSigningStepProps) {
    super(scope, id);
    const env = props.environment;
    const stack = Stack.of(this);

    this.logGroup = retainedLogGroup(this, 'Logs', {
      encryptionKey: env.logKey,
      retention: props.logRetention,
    });
    this.securityGroup = env.addWorkloadSecurityGroup(`${props.idPrefix}Signer`, `Signing step of ${this.node.path}: no ingress, HTTPS to the environment endpoints and S3`);
    this.securityGroup.addEgressRule(ec2.Peer.prefixList(props.s3PrefixListId), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');

    // A role of its own: the managed Lambda policies would grant logs on every log group and add what the step never uses.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Signing step of ${this.node.path}: hashes, signs and registers the pipeline's model artifacts`,
    });
    this.logGroup.grantWrite(this.role);
    for (const statement of VpcAccessStatements.forLambda(this, env.vpc.vpcId)) this.role.addToPrincipalPolicy(statement);


    const stateMachineArn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: props.stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const executions = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${props.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.function = new ArtifactSignerFunction(this, 'Function', {
      description: `Signs the model artifacts of ${scope.node.path} and registers them for approval`,
      role: this.role,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1024,
      // Hashing runs at the speed S3 streams the object; a large artifact needs the whole quarter hour.
      timeout: Duration.minutes(15),
      reservedConcurrentExecutions: props.reservedConcurrency,
      logGroup: this.logGroup,
      vpc: env.vpc,
      vpcSubnets: env.workloadSubnets,
      securityGroups: [this.securityGroup],
      environment: {
        [ArtifactSignerSetting.SIGNING_KEY_ARN]: props.registry.signingKey.keyArn,
        [ArtifactSignerSetting.MODEL_PACKAGE_GROUP_NAME]: props.registry.modelPackageGroupName,
        [ArtifactSignerSetting.ARTIFACT_BUCKET]: props.registry.artifactBucket.bucketName,
        [ArtifactSignerSetting.STATE_MACHINE_ARN]: stateMachineArn,
        [ArtifactSignerSetting.TRAINING_JOB_NAME_PREFIX]: props.jobNamePrefix,
        [ArtifactSignerSetting.TRAINING_JOB]: stack.toJsonString(props.expectedJob),
      },
    });

    // Reads its own pipeline's training output, writes only the registered copies and their signatures, signs apart.
    props.registry.grantPublish(this.function, `${VERIFIED_PREFIX}*`);
    props.registry.grantSign(this.function);
    props.registry.grantReadArtifacts(this.function, [`${VERIFIED_PREFIX}*`]);
    props.registry.artifactBucket.grantRead(this.function, `${props.outputPrefix}/*`);
    props.image._grantDescribeImages(this.function);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ConfirmItsOwnExecutions',
      actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
      resources: [executions],
    }));
    for (const input of props.trainingData) {
      if (input.singleObject && input.key !== undefined) input.bucket.grantRead(this.function, input.key);
    }
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DescribeThePipelinesTrainingJobs',
      actions: ['sagemaker:DescribeTrainingJob'],
      resources: [stack.formatArn({ service: 'sagemaker', resource: 'training-job', resourceName: `${props.jobNamePrefix}-*` })],
    }));

    this.acknowledgeRole(props);
    acknowledgeRules(this.function, ['NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ', 'PCI.DSS.321-LambdaDLQ'],
      'The function is only invoked synchronously (RequestResponse) by the pipeline\'s state machine; a dead-letter queue '
      + 'receives failed asynchronous invocations only and would never be used. A failure fails the execution, which is '
      + 'logged with its error by the state machine and by the function\'s own encrypted log group.');
  }

  /** Acknowledges, with the reason, each generic-pack finding that the step's role carries by design. */
  private acknowledgeRole(props: ArtifactSigningStepProps): void {
    const registry = props.registry;
    acknowledgeRules(this.role, RULES.inlinePolicy, OWN_POLICY_REASON);
    acknowledgeRules(this.role, ['s3:GetObject*', 's3:GetBucket*', 's3:List*'].map(WildcardFindingIds.action), 'These are CDK\'s '
      + 'grantRead actions (object reads with their versions and attributes, bucket location, listing), limited to the pipeline\'s '
      + 'prefix of the artifact store and the single-object training inputs the step hashes again.');
    acknowledgeRules(this.role, [WildcardFindingIds.resource(this, '*')], 'EC2 DescribeNetworkInterfaces and DescribeSubnets support no '
      + 'resource-level permissions; creating and deleting the function\'s network interfaces is limited by an ec2:Vpc condition '
      + 'to the environment\'s VPC, as Lambda needs them to run in its subnets.');
    acknowledgeRules(this.role, [
      WildcardFindingIds.resource(this, registry.artifactBucket.arnForObjects(`${props.outputPrefix}/*`)),
    ], 'The step reads back the artifacts of this pipeline only: every job writes under the pipeline\'s prefix, with a job name '
      + 'that is new for each execution, so the objects cannot be named in advance.');
    acknowledgeRules(this.role, [
      WildcardFindingIds.resource(this, registry.artifactBucket.arnForObjects(`${VERIFIED_PREFIX}*`)),
    ], 'The step writes each signed artifact to verified/<sha256>/ with its signatures, named by the digest it computes, and reads an '
      + 'existing copy back to check it; the store\'s policy makes every such write conditional (If-None-Match), so nothing is overwritten.');
    acknowledgeRules(this.role, [
      WildcardFindingIds.resource(this, Stack.of(this).formatArn({ service: 'states', resource: 'execution', resourceName: `${props.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })),
    ], 'The step confirms that the execution named in its request is one of its own state machine\'s and that its history created the '
      + 'training job; executions are named when they start, so only the state machine\'s executions can be named.');
    acknowledgeRules(this.role, [
      WildcardFindingIds.resource(this, registry.modelPackageArnPattern),
    ], 'ModelRegistry.grantPublish registers versions in the registry\'s model package group, whose versions are numbered by '
      + 'SageMaker when registered; signing itself is limited to the registry key, which denies kms:Sign to every other principal.');
    acknowledgeRules(this.role, [
      WildcardFindingIds.resource(this, Stack.of(this).formatArn({ service: 'sagemaker', resource: 'training-job', resourceName: `${props.jobNamePrefix}-*` })),
    ], 'Each execution names its training job <prefix>-<uuid>; the step may describe the jobs of this pipeline\'s prefix only, '
      + 'to read their artifact, image and inputs from SageMaker instead of trusting its request.');
  }
}
