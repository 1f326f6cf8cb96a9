import { createHash } from 'crypto';
import { Duration, Names, Size, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { canonicalHyperparameters } from './artifact-signer-settings';
import { ArtifactSigningStep, LAMBDA_ENVIRONMENT_LIMIT, SigningStepInput } from './artifact-signing-step';
import { TrainingDataInput } from './training-data-input';
import { TrainingJobState } from './training-job-state';
import { chooseInstanceStorage, HARDWARE_ENCRYPTION_OPT_IN } from '../construct-kit/instance-type';
import { libraryConstruct } from '../construct-kit/library-construct';
import { retainedLogGroup, stateMachineLogGroupName } from '../construct-kit/log-group';
import { recordReason } from '../construct-kit/opt-out-reason';
import { acknowledgeRules, OWN_POLICY_REASON, RULES, WildcardFindingIds } from '../construct-kit/pack-acknowledgments';
import { invalidProp, requireLogRetention, requireWholeNumber } from '../construct-kit/validation';
import { AiEndpointService } from '../environment/ai-endpoint-service';
import type { AiEnvironment } from '../environment/ai-environment';
import { VpcAccessStatements } from '../environment/vpc-access-statements';
import type { ModelImage } from '../registry/model-image';
import type { ModelRegistry } from '../registry/model-registry';

/** Properties of a {@link TrainingPipeline}. */
export interface TrainingPipelineProps {
  /** The environment the training job and the signing step run in: its VPC, subnets, keys and endpoints. */
  readonly environment: AiEnvironment;
  /** The registry the pipeline publishes to: model artifacts and manifests go to its artifact store, packages to its group. */
  readonly registry: ModelRegistry;
  /**
   * The training container image. Accepted only from a vetted private ECR repository (IMMUTABLE tags, scan on push,
   * KMS) or pinned by digest, unless `allowExternalImage` gives a reason. It is also the image of the registered
   * model package's inference specification.
   */
  readonly image: ModelImage;
  /**
   * Why an image that is neither vetted nor pinned is trusted (who vetted it and how), rendered into the state
   * machine's template metadata.
   * @default - none: an unvetted, unpinned image throws
   */
  readonly allowExternalImage?: string;
  /** The training data channels, each with its declared SHA-256 digest. 1 to 20 channels. */
  readonly trainingData: TrainingDataInput[];
  /**
   * The ID of the `com.amazonaws.<region>.s3` managed prefix list (`aws ec2 describe-managed-prefix-lists --filters
   * Name=prefix-list-name,Values=com.amazonaws.<region>.s3`). A training job in a VPC downloads its data and uploads
   * its model through the VPC, and the signing step reads and writes S3 from it: both security groups allow HTTPS to
   * this list (the environment's S3 gateway endpoint) and nothing else outside the environment's endpoints.
   */
  readonly s3PrefixListId: string;
  /**
   * The SageMaker instance type of the training job (`ml.<family>.<size>`). Instance types with local NVMe storage
   * (most GPU types: `ml.g5.*`, `ml.g6.*`, `ml.p4d.*`, `ml.p5.*`; and `ml.trn1.*`, `ml.m5d.*`...) are refused unless
   * `allowHardwareEncryptedStorage` gives the reason: SageMaker refuses a volume key for them.
   * @default 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * Why the job trains on an instance type with local NVMe storage, such as a GPU type the model needs. SageMaker
   * encrypts that storage with the instance's hardware module and refuses a customer-managed volume key, so the job
   * has no `VolumeKmsKeyId`, and the environment's boundary lets the state machine's role (tagged
   * `ai:hardware-encrypted-storage`) create such work without one when every instance type of the request has local
   * storage; every other role, and work on other instance types, still needs the key. The reason is rendered into the
   * template metadata of the state machine and of the boundary. The model artifact stays encrypted with the registry's key.
   * @default - such instance types throw
   */
  readonly allowHardwareEncryptedStorage?: string;
  /**
   * How many instances train. With more than one, the job's security group also lets its instances reach each other
   * (distributed training), and their traffic is encrypted.
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * The size of each instance's ML storage volume, encrypted with the environment's data key. 1 to 16384 GiB.
   * @default Size.gibibytes(30)
   */
  readonly volumeSize?: Size;
  /**
   * How long a training job may run before SageMaker stops it: at least a minute, at most 28 days.
   * @default Duration.days(1)
   */
  readonly maxRuntime?: Duration;
  /**
   * Hyperparameters passed to the training container. At most 100; names of 1 to 256 characters, values of at most
   * 2500. Hyperparameters are readable by anyone who can describe the job, so names that suggest a credential
   * (password, secret, token, API or access key) are refused.
   * @default - none
   */
  readonly hyperparameters?: { [name: string]: string };
  /**
   * The key prefix of this pipeline in the registry's artifact store, without leading or trailing `/`. Jobs write to
   * `<outputPrefix>/<job name>/output/model.tar.gz`, and the manifest is written beside it.
   * @default - 'training/<jobNamePrefix>'
   */
  readonly outputPrefix?: string;
  /**
   * The prefix of the training job names (`<prefix>-<uuid>`): 1 to 26 letters, digits and hyphens, starting and
   * ending with a letter or digit. The state machine may create and stop only jobs of this prefix, and the signing
   * step signs only their artifacts.
   * @default - derived from the construct path
   */
  readonly jobNamePrefix?: string;
  /**
   * Retention of the state machine's and the signing step's log groups. At least a year in production.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Reserved concurrency of the signing step: how many executions can sign at once (others are retried). 1 to 100.
   * @default 2
   */
  readonly signingConcurrency?: number;
}

const CHANNEL_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const JOB_NAME_PREFIX = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,25}$/;
const OUTPUT_PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
const CREDENTIAL_NAME = /pass(word|wd)|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential/i;
/** SageMaker's limit on a training job's MaxRuntimeInSeconds. */
const MAX_RUNTIME_SECONDS = 28 * 24 * 3600;
/** Above the job's own limit: provisioning and data download, then signing (at most the function's 15 minutes, and retries). */
const EXECUTION_MARGIN = Duration.hours(2);

/**
 * A training pipeline that signs what it trains: a Step Functions state machine that runs a SageMaker training job
 * inside the AI environment, then, as soon as the job completes, hashes the model artifact, signs the digest with
 * the registry's KMS key, writes the manifest beside the artifact and registers a model package awaiting manual
 * approval. Any failure fails the execution with the error.
 *
 * - The training job runs in the environment's workload subnets, with a security group of its own that has no
 *   ingress (other than between its own instances in distributed training) and reaches only the environment's
 *   endpoints and S3, network isolation, inter-container traffic encryption, the environment's data key on its
 *   volumes (none on instance types with local NVMe storage, which SageMaker encrypts in hardware: accepted only with
 *   `allowHardwareEncryptedStorage` and a reason) and the registry's artifact key on its output, a maximum runtime,
 *   and an execution role that can read only the declared data, write only this pipeline's prefix of the artifact
 *   store and pull only its image.
 * - The image is accepted only through `ModelImage`: vetted or pinned, or with `allowExternalImage` and a reason.
 * - Each data input carries its declared SHA-256 digest; the signing step recomputes it for single objects and
 *   refuses to sign when it changed, and records every input's digest in the manifest.
 * - The signing step (a Lambda function in the environment's subnets, with its own least-privilege role, encrypted
 *   log group and reserved concurrency) trusts only the job's name: it reads the artifact, image and inputs from
 *   SageMaker and signs only completed jobs of this pipeline whose artifact is under its prefix.
 * - The state machine logs every event (level ALL, with execution data) to a log group encrypted with the
 *   environment's log key and kept `logRetention`, and traces with X-Ray.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them). Clean under AwsSolutions, NIST 800-53 R5, HIPAA, PCI DSS and Control Tower (SF1/SF2
 * logging and tracing, Lambda in a VPC with reserved concurrency), with the acknowledgments each role and the function
 * carry stated where they are made.
 */
export class TrainingPipeline extends Construct {
  /** The state machine; start an execution to train, sign and register a model. */
  public readonly stateMachine: sfn.StateMachine;
  /** The role the training job runs with. */
  public readonly executionRole: iam.Role;
  /** The security group of the training job. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The function of the signing step. */
  public readonly signingFunction: lambda.Function;
  /** The state machine's log group. */
  public readonly logGroup: logs.LogGroup;
  /** The signing step's log group. */
  public readonly signingLogGroup: logs.LogGroup;
  /** Where the training jobs write: `s3://<artifact bucket>/<outputPrefix>/`. */
  public readonly outputUri: string;
  /** The prefix of the training job names. */
  public readonly jobNamePrefix: string;

  public constructor(scope: Construct, id: string, props: TrainingPipelineProps) {
    super(scope, id);
    const name = libraryConstruct(this, 'TrainingPipeline');
    const env = props.environment;
    const registry = props.registry;
    const stack = Stack.of(this);

    const { instanceType, hardwareEncryptionReason } = chooseInstanceStorage(name, props.instanceType ?? 'ml.m5.xlarge',
      props.allowHardwareEncryptedStorage);
    const instanceCount = requireWholeNumber(this, 'instanceCount', props.instanceCount ?? 1, { min: 1, max: 1000 }, 'give how many instances train, for example 1');
    const volumeSizeInGb = validateVolumeSize(name, props.volumeSize ?? Size.gibibytes(30));
    const maxRuntimeInSeconds = validateMaxRuntime(name, props.maxRuntime ?? Duration.days(1));
    const hyperparameters = validateHyperparameters(name, props.hyperparameters ?? {});
    const retention = requireLogRetention(this, 'logRetention', props.logRetention ?? logs.RetentionDays.ONE_YEAR, env.stage,
      { evidence: 'the record of what was trained and signed' });
    const concurrency = requireWholeNumber(this, 'signingConcurrency', props.signingConcurrency ?? 2, { min: 1, max: 100 },
      'give how many executions may sign at once, for example 2');
    validatePrefixListId(name, props.s3PrefixListId);
    validateEndpoints(name, env);
    this.jobNamePrefix = validateJobNamePrefix(name, props.jobNamePrefix
      ?? Names.uniqueResourceName(this, { maxLength: 26, separator: '-' }).replace(/^-+|-+$/g, ''));
    const outputPrefix = validateOutputPrefix(name, props.outputPrefix ?? `training/${this.jobNamePrefix}`);
    const inputs = validateTrainingData(name, props.trainingData);
    this.outputUri = `s3://${registry.artifactBucket.bucketName}/${outputPrefix}/`;
    const idPrefix = Names.uniqueId(this);

    // The training job's network: no ingress, HTTPS to the endpoints and S3 only.
    this.securityGroup = env.addWorkloadSecurityGroup(`${idPrefix}Job`, `Training jobs of ${this.node.path}: no ingress, HTTPS to the environment endpoints and S3`);
    this.securityGroup.addEgressRule(ec2.Peer.prefixList(props.s3PrefixListId), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');
    if (instanceCount > 1) {
      // Distributed training: the instances exchange gradients (and IPsec for the encrypted traffic) with each other only.
      this.securityGroup.connections.allowInternally(ec2.Port.allTraffic(), 'Distributed training between the job\'s own instances');
    }

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `Training jobs of ${this.node.path}: read the declared data, write the pipeline's artifacts`,
    });
    // SageMaker refuses a volume key for local NVMe storage, which the instance's hardware encrypts.
    const volumeKey = hardwareEncryptionReason === undefined ? env.dataKey : undefined;
    this.grantTraining(this.executionRole, env, registry, inputs, outputPrefix, volumeKey);

    const outputPath = `s3://${registry.artifactBucket.bucketName}/${outputPrefix}`;
    const subnetIds = env.vpc.selectSubnets(env.workloadSubnets).subnetIds;
    const stateMachineName = Names.uniqueResourceName(this, { maxLength: 80, separator: '-' });

    // The signing step compares every job with exactly the job the state machine creates.
    const signing = new ArtifactSigningStep(this, 'Signing', {
      environment: env,
      registry,
      outputPrefix,
      jobNamePrefix: this.jobNamePrefix,
      trainingData: inputs,
      image: props.image,
      stateMachineName,
      expectedJob: {
        roleArn: this.executionRole.roleArn,
        imageUri: props.image.imageUri,
        outputPath,
        outputKmsKeyId: registry.artifactKey.keyArn,
        volumeKmsKeyId: volumeKey?.keyArn,
        instanceType,
        instanceCount,
        maxRuntimeInSeconds,
        subnets: subnetIds,
        securityGroups: [this.securityGroup.securityGroupId],
        hyperparametersSha256: createHash('sha256').update(canonicalHyperparameters(hyperparameters)).digest('hex'),
        inputs: inputs.map((i) => ({ channelName: i.channelName, uri: i.uri, sha256: i.sha256, singleObject: i.singleObject })),
      },
      s3PrefixListId: props.s3PrefixListId,
      reservedConcurrency: concurrency,
      logRetention: retention,
      idPrefix,
    });
    this.signingFunction = signing.function;
    this.signingLogGroup = signing.logGroup;

    // The state machine: pin the inputs, train, sign, succeed; any error ends in the Fail state with the error and its cause.
    const failed = new sfn.Fail(this, 'Failed', {
      comment: 'Training, signing or registration failed: the model is not registered',
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    // Each single-object input's current version, read before the job: the signing step refuses a model whose data changed.
    const singles = inputs.filter((i) => i.singleObject);
    const pins = singles.map((input, i) => {
      const pin = new tasks.CallAwsService(this, `Pin${i + 1}`, {
        comment: `Record the version of ${input.uri} (channel ${input.channelName}) the job will read`,
        service: 's3',
        action: 'headObject',
        iamAction: 's3:GetObject',
        parameters: { Bucket: input.bucket.bucketName, Key: input.key },
        iamResources: [input.bucket.arnForObjects(input.key!)],
        resultSelector: { 'VersionId.$': '$.VersionId' },
        resultPath: `$.pinned.c${i}`,
      });
      pin.addCatch(failed, { resultPath: '$.error' });
      return pin;
    });
    const train = new TrainingJobState(this, 'Train', {
      jobNamePrefix: this.jobNamePrefix,
      role: this.executionRole,
      imageUri: props.image.imageUri,
      channels: inputs.map((i) => ({ channelName: i.channelName, uri: i.uri, contentType: i.contentType })),
      outputPath,
      outputKey: registry.artifactKey,
      volumeKey,
      instanceType,
      instanceCount,
      volumeSizeInGb,
      maxRuntimeInSeconds,
      hyperparameters,
      subnetIds,
      securityGroupIds: [this.securityGroup.securityGroupId],
    });
    train.addCatch(failed, { resultPath: '$.error' });
    const inputVersions: Record<string, string> = {};
    singles.forEach((input, i) => { inputVersions[input.channelName] = sfn.JsonPath.stringAt(`$.pinned.c${i}.VersionId`); });
    const sign = new tasks.LambdaInvoke(this, 'SignAndRegister', {
      comment: 'Check the job against the pipeline, copy its artifact to verified/<sha256>/, sign it and its provenance with the '
        + 'registry key, register the model package',
      // The version published with this deployment: the state machine runs exactly the code deployed with it.
      lambdaFunction: signing.function.currentVersion,
      payload: sfn.TaskInput.fromObject({
        trainingJobName: sfn.JsonPath.stringAt('$.trainingJob.TrainingJobName'),
        executionArn: sfn.JsonPath.stringAt('$$.Execution.Id'),
        inputVersions,
      }),
      resultSelector: { 'Payload.$': '$.Payload' },
      resultPath: '$.signing',
    });
    sign.addRetry({ errors: ['Lambda.TooManyRequestsException'], interval: Duration.seconds(30), maxAttempts: 10, backoffRate: 1.5 });
    sign.addCatch(failed, { resultPath: '$.error' });
    const succeeded = new sfn.Succeed(this, 'Registered', { comment: 'The model is signed and awaits manual approval in the registry' });

    this.logGroup = retainedLogGroup(this, 'Logs', {
      logGroupName: stateMachineLogGroupName(this),
      encryptionKey: env.logKey,
      retention,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: `Trains a model, signs its artifact and registers it in ${registry.modelPackageGroupName} for approval`,
      stateMachineName,
      definitionBody: sfn.DefinitionBody.fromChainable(chain([...pins, train, sign]).next(succeeded)),
      timeout: Duration.seconds(maxRuntimeInSeconds).plus(EXECUTION_MARGIN),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    for (const statement of train.policyStatements) this.stateMachine.addToRolePolicy(statement);

    props.image._bind({
      construct: name,
      resource: this.stateMachine.node.defaultChild as sfn.CfnStateMachine,
      puller: this.executionRole,
      allowExternalImage: props.allowExternalImage,
    });
    if (hardwareEncryptionReason !== undefined) {
      recordReason(this.stateMachine, HARDWARE_ENCRYPTION_OPT_IN, hardwareEncryptionReason);
      env.boundary.allowHardwareEncryptedStorage(this.stateMachine, `${this.node.path}: ${hardwareEncryptionReason}`);
    }
    this.acknowledge(registry, inputs, outputPrefix);
  }

  /** The execution role reads the declared data, writes this pipeline's prefix, uses the keys, and manages its ENIs. */
  private grantTraining(role: iam.Role, env: AiEnvironment, registry: ModelRegistry, inputs: SigningStepInput[], outputPrefix: string,
    volumeKey: kms.IKey | undefined): void {
    const stack = Stack.of(this);
    for (const input of inputs) input.bucket.grantRead(role, input.key ?? `${input.location}*`);
    registry._grantTrainingOutput(role, `${outputPrefix}/*`);
    // Model artifacts are uploaded in parts: S3 decrypts the data key of the parts already uploaded.
    registry.artifactKey.grantEncryptDecrypt(role);
    // SageMaker encrypts the job's volumes through a grant it creates for them.
    volumeKey?.grant(role, 'kms:CreateGrant', 'kms:DescribeKey');
    for (const statement of VpcAccessStatements.forSageMaker(this, env.vpc.vpcId)) role.addToPrincipalPolicy(statement);

    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'WriteTrainingJobLogs',
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [trainingLogGroupArn(stack), `${trainingLogGroupArn(stack)}:log-stream:*`],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PublishTrainingMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'], // PutMetricData supports no resource-level permissions; the namespace condition scopes it
      conditions: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/TrainingJobs' } },
    }));
  }

  /** Acknowledges, with the reason, each generic-pack finding that the pipeline's roles carry by design. */
  private acknowledge(registry: ModelRegistry, inputs: SigningStepInput[], outputPrefix: string): void {
    const stack = Stack.of(this);
    const role = this.executionRole;
    acknowledgeRules(role, RULES.inlinePolicy, OWN_POLICY_REASON);
    acknowledgeRules(this.stateMachine.role, RULES.inlinePolicy, OWN_POLICY_REASON);
    acknowledgeRules(role, ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:Abort*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']
      .map(WildcardFindingIds.action), 'These are CDK\'s grant actions for reading objects (with their versions and attributes) and '
      + 'listing a bucket, for abandoning a multipart upload of the model artifact, and for S3\'s use of a KMS key; each is '
      + 'limited to the declared data, the pipeline\'s prefix of the artifact store or a named key.');
    acknowledgeRules(role, [WildcardFindingIds.resource(this, '*')], 'EC2 Describe actions, ecr:GetAuthorizationToken and '
      + 'cloudwatch:PutMetricData support no resource-level permissions (metrics are limited to the SageMaker training namespace by '
      + 'a condition); creating and deleting the job\'s network interfaces is limited by an ec2:Vpc condition to the environment\'s VPC.');
    acknowledgeRules(role, [
      ...inputs.filter((i) => !i.singleObject).map((i) => WildcardFindingIds.resource(this, i.bucket.arnForObjects(`${i.location}*`))),
      WildcardFindingIds.resource(this, registry.artifactBucket.arnForObjects(`${outputPrefix}/*`)),
    ], 'SageMaker reads every object under a declared prefix channel and writes each job\'s artifact under the pipeline\'s prefix '
      + 'with a job name that is new for each execution: the wildcard is the declared prefix and nothing wider.');
    acknowledgeRules(role, [WildcardFindingIds.resource(this, `${trainingLogGroupArn(stack)}:log-stream:*`)], 'SageMaker writes one log stream '
      + 'per job and instance, named when the job starts, in the account\'s /aws/sagemaker/TrainingJobs log group; the wildcard '
      + 'covers that group\'s streams only.');
    acknowledgeRules(this.stateMachine.role, [WildcardFindingIds.resource(this, '*')], 'X-Ray trace upload and the CloudWatch '
      + 'Logs vended-delivery actions Step Functions uses for execution logging support no resource-level permissions.');
    acknowledgeRules(this.stateMachine.role, [
      WildcardFindingIds.resource(this, stack.formatArn({ service: 'sagemaker', resource: 'training-job', resourceName: `${this.jobNamePrefix}-*` })),
    ], 'Each execution starts a training job named <prefix>-<uuid>; the state machine may create, describe and stop only the '
      + 'jobs of this pipeline\'s prefix.');
  }
}

/** The states one after the other. */
function chain(states: Array<sfn.State & sfn.INextable>): sfn.Chain {
  return states.slice(1).reduce((c, state) => c.next(state), sfn.Chain.start(states[0]));
}

/** The account's log group of SageMaker training jobs, where every job writes its container logs. */
function trainingLogGroupArn(stack: Stack): string {
  return `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/aws/sagemaker/TrainingJobs`;
}

function validateVolumeSize(name: string, size: Size): number {
  if (size.isUnresolved()) {
    throw new Error(`${name}: volumeSize is a token. Fix: give a literal size such as Size.gibibytes(30).`);
  }
  let gib: number;
  try {
    gib = size.toGibibytes();
  } catch {
    throw new Error(`${name}: volumeSize ${size.toMebibytes()} MiB is not a whole number of GiB. Fix: give Size.gibibytes(n) with n between 1 and 16384.`);
  }
  if (!Number.isInteger(gib) || gib < 1 || gib > 16384) {
    throw invalidProp(name, { prop: 'volumeSize', shown: `${gib} GiB`, problem: 'but SageMaker accepts 1 to 16384 GiB', fix: 'give Size.gibibytes(n) with n between 1 and 16384' });
  }
  return gib;
}

function validateMaxRuntime(name: string, maxRuntime: Duration): number {
  if (maxRuntime.isUnresolved()) {
    throw new Error(`${name}: maxRuntime is a token. Fix: give a literal Duration such as Duration.hours(12).`);
  }
  const seconds = maxRuntime.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > MAX_RUNTIME_SECONDS) {
    throw invalidProp(name, {
      prop: 'maxRuntime',
      shown: maxRuntime.toHumanString(),
      problem: 'but a training job may run from one minute to 28 days, in whole seconds',
      fix: 'give the longest the job should ever run, for example Duration.hours(12); a runaway job then stops instead of running up cost',
    });
  }
  return seconds;
}

function validateHyperparameters(name: string, hyperparameters: { [name: string]: string }): { [name: string]: string } {
  const entries = Object.entries(hyperparameters);
  if (entries.length > 100) {
    throw new Error(`${name}: hyperparameters has ${entries.length} entries, but SageMaker accepts at most 100. Fix: pass fewer, or a configuration file in a data channel.`);
  }
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 256) {
      throw new Error(`${name}: hyperparameters name '${key.slice(0, 40)}' is ${key.length} characters long. Fix: use names of 1 to 256 characters.`);
    }
    if (typeof value !== 'string' || Token.isUnresolved(value) || value.length > 2500) {
      throw new Error(`${name}: hyperparameters['${key}'] must be a literal string of at most 2500 characters (the signing step compares `
        + 'the job\'s hyperparameters with their SHA-256, computed when the app is synthesized). Fix: shorten it, or pass it as a data channel.');
    }
    if (CREDENTIAL_NAME.test(key)) {
      throw new Error(`${name}: hyperparameters['${key}'] looks like a credential, and hyperparameters are readable by anyone who can `
        + 'describe the training job. Fix: remove it; give the job\'s code the secret\'s name and read it at run time, or rename a '
        + 'parameter that is not a credential.');
    }
  }
  return hyperparameters;
}

function validatePrefixListId(name: string, id: string): void {
  if (typeof id !== 'string' || (!Token.isUnresolved(id) && !/^pl-[0-9a-f]{8,17}$/.test(id))) {
    throw new Error(`${name}: s3PrefixListId '${id}' is not a prefix list ID. Fix: give the ID of the com.amazonaws.<region>.s3 managed `
      + 'prefix list (aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.<region>.s3), such as pl-63a5400a.');
  }
}

/** The signing step reaches KMS and the SageMaker API through interface endpoints (S3 has a gateway endpoint in every environment). */
function validateEndpoints(name: string, env: AiEnvironment): void {
  // Service names render as `<prefix>.<region>.<service><suffix>`, the prefix, region and suffix being tokens.
  const services = env.interfaceEndpoints.map((e) => String((e.node.defaultChild as ec2.CfnVPCEndpoint).serviceName));
  const reached = (service: string) => services.some((n) => n.replace(/\$\{Token\[[^\]]+\]\}$/, '').endsWith(`.${service}`));
  const needed: Array<[AiEndpointService, string]> = [[AiEndpointService.KMS, 'KMS'], [AiEndpointService.SAGEMAKER_API, 'SAGEMAKER_API'],
    [AiEndpointService.STEP_FUNCTIONS, 'STEP_FUNCTIONS'], [AiEndpointService.ECR_API, 'ECR_API']];
  const missing = needed.filter(([service]) => !reached(service));
  if (missing.length > 0) {
    throw new Error(`${name}: the environment has no interface endpoint for ${missing.map(([s]) => s).join(' and ')}, which the signing `
      + `step calls from the isolated subnets. Fix: include ${missing.map(([, member]) => `AiEndpointService.${member}`).join(' and ')} `
      + 'in the AiEnvironment\'s endpoints (both are in the default set).');
  }
}

function validateJobNamePrefix(name: string, prefix: string): string {
  if (Token.isUnresolved(prefix) || !JOB_NAME_PREFIX.test(prefix)) {
    throw new Error(`${name}: jobNamePrefix '${prefix}' is not a valid training job name prefix. Fix: use 1 to 26 letters, digits and `
      + 'hyphens, starting and ending with a letter or digit (job names are <prefix>-<uuid>, at most 63 characters).');
  }
  return prefix;
}

function validateOutputPrefix(name: string, prefix: string): string {
  if (Token.isUnresolved(prefix) || prefix.length > 200 || !OUTPUT_PREFIX.test(prefix)) {
    throw new Error(`${name}: outputPrefix '${prefix}' is not a usable key prefix. Fix: give at most 200 characters of path segments `
      + 'made of letters, digits and !_.*\'()- separated by single slashes, without a slash at either end (for example \'training/fraud\').');
  }
  return prefix;
}

function validateTrainingData(name: string, data: TrainingDataInput[]): SigningStepInput[] {
  if (!Array.isArray(data) || data.length === 0 || data.length > 20) {
    throw new Error(`${name}: trainingData has ${Array.isArray(data) ? data.length : 'no'} channels, but a training job takes 1 to 20. `
      + 'Fix: declare each data channel with its bucket, key or prefix, and SHA-256 digest.');
  }
  const seen = new Set<string>();
  const inputs = data.map((d, i): SigningStepInput => {
    const at = `trainingData[${i}]`;
    if (typeof d.channelName !== 'string' || !CHANNEL_NAME.test(d.channelName)) {
      throw new Error(`${name}: ${at}.channelName '${d.channelName}' is not a channel name. Fix: use 1 to 64 letters, digits, dots, hyphens and underscores, such as 'train'.`);
    }
    if (seen.has(d.channelName)) {
      throw new Error(`${name}: ${at}.channelName '${d.channelName}' is used twice. Fix: give each channel its own name.`);
    }
    seen.add(d.channelName);
    if ((d.key === undefined) === (d.prefix === undefined)) {
      throw new Error(`${name}: ${at} (channel ${d.channelName}) gives ${d.key === undefined ? 'neither key nor prefix' : 'both key and prefix'}. `
        + 'Fix: give key for a single object (its digest is recomputed before signing) or prefix for every object under it.');
    }
    const location = d.key ?? d.prefix!;
    if (Token.isUnresolved(location) || location.length === 0 || location.startsWith('/') || location.length > 900) {
      throw new Error(`${name}: ${at}.${d.key !== undefined ? 'key' : 'prefix'} '${location}' is not a literal S3 key. Fix: give the key `
        + 'without a leading slash, at most 900 characters.');
    }
    if (d.key !== undefined && d.key.endsWith('/')) {
      throw new Error(`${name}: ${at}.key '${d.key}' ends with '/', so it names a folder, not an object. Fix: give prefix '${d.key}' instead, or the object's full key.`);
    }
    if (d.prefix !== undefined && !d.prefix.endsWith('/')) {
      throw new Error(`${name}: ${at}.prefix '${d.prefix}' does not end with '/', so SageMaker would also read objects of keys that merely `
        + `start with it (such as '${d.prefix}-old/'). Fix: end it with '/' ('${d.prefix}/'), or give key for a single object.`);
    }
    if (typeof d.sha256 !== 'string' || !SHA256_HEX.test(d.sha256)) {
      throw new Error(`${name}: ${at}.sha256 '${d.sha256}' is not a SHA-256 digest. Fix: give the 64 lowercase hexadecimal characters `
        + 'that sha256sum prints for the data.');
    }
    return {
      channelName: d.channelName,
      uri: `s3://${d.bucket.bucketName}/${location}`,
      sha256: d.sha256,
      singleObject: d.key !== undefined,
      bucket: d.bucket,
      key: d.key,
      location,
      contentType: d.contentType,
    };
  });
  // Lambda's 4 KB limit covers every variable; bucket names resolved at deploy time are counted at their maximum length.
  const size = JSON.stringify(inputs.map((i) => ({ channelName: i.channelName, uri: i.uri, sha256: i.sha256, singleObject: i.singleObject })))
    .replace(/\$\{Token\[[^\]]*\]\}/g, 'x'.repeat(63)).length;
  if (size > LAMBDA_ENVIRONMENT_LIMIT - 2048) {
    throw new Error(`${name}: trainingData takes about ${size} bytes of the signing step's configuration, over the ${LAMBDA_ENVIRONMENT_LIMIT - 2048} `
      + 'that Lambda\'s environment leaves for it. Fix: declare fewer channels or shorter keys (for example a prefix per dataset).');
  }
  return inputs;
}
