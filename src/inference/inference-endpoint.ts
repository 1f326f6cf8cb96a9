import { createHash } from 'crypto';
import { Duration, Lazy, Names, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ArtifactSignatureGate } from './artifact-signature-gate';
import { IArtifactSignatureGate } from './artifact-signature-gate-ref';
import { DriftMonitor, DriftMonitoringOptions } from './drift-monitor';
import { validateDriftOptions } from './drift-monitor-validation';
import { createEndpointAlarms } from './inference-endpoint-alarms';
import { IInferenceEndpointRef } from './inference-endpoint-ref';
import {
  validateBakeTime, validateBandWidth, validateEndpointName, validateInstanceCount, validateLatency,
  validateModelSource, validateObjectKey, validateRetention, validateSampling,
} from './inference-endpoint-validation';
import { chooseInstanceStorage, HARDWARE_ENCRYPTION_OPT_IN } from '../construct-kit/instance-type';
import { libraryConstruct } from '../construct-kit/library-construct';
import { retainedLogGroup } from '../construct-kit/log-group';
import { recordReason } from '../construct-kit/opt-out-reason';
import { acknowledgeRules, OWN_POLICY_REASON, RULES, WildcardFindingIds } from '../construct-kit/pack-acknowledgments';
import type { AiEnvironment } from '../environment/ai-environment';
import { alarmTopicTarget } from '../environment/alarm-topic';
import { ServiceSource, resourcesOfThisAccount, servicePrincipalOfThisAccount } from '../environment/service-trust';
import { VpcAccessStatements } from '../environment/vpc-access-statements';
import { WorkloadSecurityGroup } from '../environment/workload-security-group';
import { ModelImage } from '../registry/model-image';
import type { IModelRegistry } from '../registry/model-registry-ref';
import { BASELINES_PREFIX, VERIFIED_ARTIFACT_KEY, VERIFIED_PREFIX } from '../registry/registry-layout';
import { DataClassification } from '../storage/data-classification';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../storage/environment-key';
import { SecureBucket } from '../storage/secure-bucket';

/**
 * Properties of an {@link InferenceEndpoint}. The model comes from exactly one of `modelPackageArn` (required in
 * production) and `modelArtifactKey`.
 */
export interface InferenceEndpointProps {
  /** The environment whose VPC, subnets, keys and stage the endpoint uses. */
  readonly environment: AiEnvironment;
  /**
   * The registry whose model package group, artifact store and signing key the model comes from: a `ModelRegistry`,
   * or one of another account or stack (`ModelRegistry.fromModelRegistryAttributes`, whose owner names this account
   * in `readerAccounts`).
   */
  readonly registry: IModelRegistry;
  /**
   * A versioned model package of the registry's group, `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>`,
   * as the training pipeline's signing step registers it: the model is created from it (`PrimaryContainer.ModelPackageName`,
   * SecureAI-V8). The deployment fails unless the package is Approved, its only container runs `image` and its artifact
   * is the one the registry signed, with metadata that agrees with the artifact's manifest. A literal ARN must name a
   * version of the registry's group; a deploy-time value (a parameter) is checked by the gate. Production deploys only
   * packages.
   * @default - none: give modelArtifactKey (outside production)
   */
  readonly modelPackageArn?: string;
  /**
   * The object key of the model artifact (`model.tar.gz`) in the registry's artifact bucket, deployed by image and
   * artifact (`Image`, `ModelDataUrl`). Its manifest (`<key>.manifest.json`) must sit beside it: the deployment fails
   * unless the artifact matches it and its signature verifies with the registry's signing key. Give each artifact a key
   * of its own: the gate verifies the version current at deployment, and runs again only when this key changes.
   * Refused in a production environment, which deploys only approved model packages (`modelPackageArn`).
   * @default - none: give modelPackageArn
   */
  readonly modelArtifactKey?: string;
  /**
   * The inference container image, vetted or pinned (see `ModelImage`); the execution role may pull it. With
   * `modelPackageArn` the model runs the package's image, and the signature gate requires that image to be exactly
   * this one (the same URI: registry, repository and tag or digest), so that only a vetted image is ever deployed.
   */
  readonly image: ModelImage;
  /**
   * Why an image that is neither in a vetted private ECR repository nor pinned by digest is trusted. Rendered into the
   * model's template metadata.
   * @default - such an image throws
   */
  readonly allowExternalImage?: string;
  /**
   * Environment variables of the inference container. Never secrets: give the container a secret's ARN instead.
   * @default - none
   */
  readonly containerEnvironment?: { [key: string]: string };
  /**
   * The instance type of the endpoint's instances, `ml.<family>.<size>`. Types with local NVMe instance storage
   * (most GPU types: `ml.g5.*`, `ml.g6.*`, `ml.p4d.*`; and `ml.m5d.*`, ...) are refused unless
   * `allowHardwareEncryptedStorage` gives the reason: SageMaker cannot encrypt their storage with your key.
   * @default 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * Why the endpoint runs on an instance type with local NVMe instance storage, such as a GPU type the model needs.
   * SageMaker refuses a customer-managed key for such storage and encrypts it with the instance's hardware module
   * instead, outside your key policy; the endpoint configuration then has no `KmsKeyId`. The reason is rendered into
   * its template metadata, and the generic packs' endpoint-key findings are acknowledged with it. Captured data stays
   * encrypted with the capture bucket's key.
   * @default - such instance types throw
   */
  readonly allowHardwareEncryptedStorage?: string;
  /**
   * How many instances serve the model. At least `environment.minimumInstanceCount` (2 in production, so that the
   * endpoint survives the loss of an instance or an Availability Zone).
   * @default environment.minimumInstanceCount
   */
  readonly instanceCount?: number;
  /**
   * The endpoint's name, 1 to 63 letters, digits and hyphens. Also names its log group and alarms' dimensions.
   * @default - derived from the construct path
   */
  readonly endpointName?: string;
  /**
   * The share of requests whose input and output are captured, a whole number from 1 to 100.
   * @default 100 - every request is recorded, as the guideline's "monitor and log inputs" asks
   */
  readonly dataCaptureSamplingPercentage?: number;
  /**
   * For how many days captured requests and responses (and the monitoring reports computed from them) are kept
   * before they expire; tagged `ai:retention-days` on the capture bucket.
   * @default 90 - a quarter: time to investigate what monitoring or an incident reveals, without keeping users'
   * requests indefinitely
   */
  readonly captureRetentionDays?: number;
  /**
   * How sensitive the requests, responses and model are, rendered as the `DataClassification` tag (SecureAI-V13).
   * @default DataClassification.CONFIDENTIAL
   */
  readonly dataClassification?: DataClassification;
  /**
   * The object key, in the registry's artifact bucket, of the baseline the drift monitor compares traffic with: the
   * reference dataset, a CSV whose first row names the features in the order the endpoint receives them, then rows of
   * the training data (or a representative sample).
   * @default - `baselines/<sha256 of the served artifact>/reference.csv`, known at deploy time: baselines are written once,
   * by a publisher the registry names (`grantPublish` with the `baselines/*` pattern), never by training
   */
  readonly baselineKey?: string;
  /**
   * How the endpoint's input drift is monitored (`driftMonitor`): window, schedule, threshold, instance type, image.
   * @default - hourly, over the previous hour's captures, with the library's drift script on AWS's scikit-learn
   * processing container, drift above a population stability index of 0.2
   */
  readonly driftMonitoring?: DriftMonitoringOptions;
  /**
   * The model latency (p90 over a minute, three minutes in a row) above which the latency alarm fires and a deployment
   * in progress rolls back.
   * @default Duration.seconds(1)
   */
  readonly maxModelLatency?: Duration;
  /**
   * How long a canary (and then the full new fleet) serves traffic, watched by the alarms, before an update proceeds.
   * Between 1 and 60 minutes.
   * @default Duration.minutes(10)
   */
  readonly canaryBakeTime?: Duration;
  /**
   * The width, in standard deviations, of the expected band of invocations; more invocations than its upper edge (for
   * two five-minute periods) raise the query-flood alarm.
   * @default 3
   */
  readonly invocationAnomalyBandWidth?: number;
  /**
   * The managed prefix list of the environment's S3 gateway endpoint (`pl-...`, the Region's `com.amazonaws.<region>.s3`
   * list), through which the signature gate reads the artifact: its only egress besides the environment's endpoints.
   */
  readonly s3PrefixListId: string;
}

const DEFAULT_INSTANCE_TYPE = 'ml.m5.xlarge';
const VARIANT = 'AllTraffic';
const CAPTURE_PREFIX = 'captures';

/**
 * A SageMaker real-time endpoint that serves a signed model of a model registry, records what it is asked and
 * answers, and watches itself.
 *
 * - **Model source**: an approved, versioned model package of the registry's group (`modelPackageArn`, the only source
 *   production accepts), or outside production a signed artifact of the registry by key (`modelArtifactKey`).
 * - **Deploy-time gate**: an `ArtifactSignatureGate` custom resource runs before the model is created; the deployment
 *   fails unless the artifact matches its manifest and the signature verifies with the registry's signing key, and,
 *   for a package, unless the package is an Approved version of the registry's group whose one container runs `image`
 *   and whose signing-step metadata agrees with the manifest. It runs again whenever the package (or key) changes.
 * - **Model**: network isolation, the environment's workload subnets and a security group with no ingress, the image
 *   through `ModelImage` (vetted or pinned, or an external image with a recorded reason), created from the package
 *   (`ModelPackageName`) or from the image and the artifact of the registry's object-locked store; an execution role
 *   that may read that one artifact (for a package, the object the gate verified, known at deploy time), pull the
 *   image, write captures and its own log group, and place network interfaces. It is not given
 *   `sagemaker:DescribeModelPackage`: CreateModel reads the package with the deploying principal's credentials, and
 *   the role only pulls the image and downloads the artifact.
 * - **Endpoint configuration**: the storage volume encrypted with the environment's data key (instance types with local
 *   NVMe storage, most GPU types, are refused unless `allowHardwareEncryptedStorage` gives the reason: SageMaker then
 *   encrypts that storage in hardware and refuses a key), `instanceCount` instances (two in production), data capture
 *   of inputs and outputs (100 % by default) into a `SecureBucket` with its own key whose captures expire after
 *   `captureRetentionDays`.
 * - **Endpoint**: blue/green updates with a one-instance canary baked for `canaryBakeTime` (all at once for a single
 *   instance, where a canary cannot be at most half the fleet), rolled back automatically by the error and latency alarms.
 * - **Alarms** notifying a KMS-encrypted, TLS-only SNS topic: `Invocation5XXErrors`, `ModelLatency`, and an anomaly
 *   band on `Invocations` that flags extraction-style query floods.
 * - **Drift monitoring** (`driftMonitor`, a `DriftMonitor`): every hour an EventBridge Scheduler schedule starts a Step
 *   Functions state machine that runs a SageMaker Processing job over the previous hour's captures and the baseline
 *   stored in the registry beside the artifact (network isolation, inter-container encryption, KMS-encrypted volume and
 *   report, in the VPC), and alarms to the topic on drift or failure. SageMaker Model Monitor is not used: it is closed
 *   to new customers ("Amazon SageMaker Model Monitor availability change", SageMaker Developer Guide).
 * - A log group for the endpoint's containers (`/aws/sagemaker/Endpoints/<name>`) encrypted with the environment's
 *   log key and kept a year.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them). Outside production, where V8 does not apply, `modelArtifactKey` is accepted too; the
 * gate still proves that artifact signed.
 */
export class InferenceEndpoint extends Construct implements IInferenceEndpointRef {
  /** The endpoint's name. */
  public readonly endpointName: string;
  /** The endpoint's ARN. */
  public readonly endpointArn: string;
  /** The SageMaker model. */
  public readonly model: sagemaker.CfnModel;
  /** The endpoint configuration. */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The endpoint. */
  public readonly endpoint: sagemaker.CfnEndpoint;
  /** The model's execution role. */
  public readonly executionRole: iam.Role;
  /** The bucket receiving captured requests and responses (under `captures/`) and drift reports (`monitoring/`). */
  public readonly dataCaptureBucket: SecureBucket;
  /** The deploy-time signature gate the model depends on. */
  public readonly signatureGate: IArtifactSignatureGate;
  /** The topic the alarms notify: subscribe the people and systems that respond. */
  public readonly alarmTopic: sns.Topic;
  /** Fires on server errors of the model (`Invocation5XXErrors`); also rolls back deployments. */
  public readonly errorAlarm: cloudwatch.Alarm;
  /** Fires on slow responses (`ModelLatency`); also rolls back deployments. */
  public readonly latencyAlarm: cloudwatch.Alarm;
  /** Fires on more invocations than the learned band expects: a query flood such as a model-extraction attempt. */
  public readonly invocationAnomalyAlarm: cloudwatch.Alarm;
  /** Every alarm of the endpoint, the drift monitor's included. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The log group of the endpoint's containers. */
  public readonly logGroup: logs.LogGroup;
  /** The drift monitor: a schedule, a state machine and the processing job it runs over each window of captures. */
  public readonly driftMonitor: DriftMonitor;

  public constructor(scope: Construct, id: string, props: InferenceEndpointProps) {
    super(scope, id);
    const owner = libraryConstruct(this, 'InferenceEndpoint');
    const env = props.environment;
    const registry = props.registry;

    const source = validateModelSource(owner, props);
    const givenBaselineKey = props.baselineKey === undefined ? undefined : validateObjectKey(owner, 'baselineKey', props.baselineKey);
    validateDriftOptions(owner, 'driftMonitoring.', props.driftMonitoring ?? {});
    const { instanceType, hardwareEncryptionReason } = chooseInstanceStorage(owner, props.instanceType ?? DEFAULT_INSTANCE_TYPE,
      props.allowHardwareEncryptedStorage);
    const instanceCount = validateInstanceCount(owner, props.instanceCount ?? env.minimumInstanceCount, env);
    const sampling = validateSampling(owner, props.dataCaptureSamplingPercentage ?? 100);
    const retentionDays = validateRetention(owner, props.captureRetentionDays ?? 90);
    const maxLatency = validateLatency(owner, props.maxModelLatency ?? Duration.seconds(1));
    const bakeSeconds = validateBakeTime(owner, props.canaryBakeTime ?? Duration.minutes(10));
    const bandWidth = validateBandWidth(owner, props.invocationAnomalyBandWidth ?? 3);
    const endpointName = validateEndpointName(owner, props.endpointName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' }));
    const classification = props.dataClassification ?? DataClassification.CONFIDENTIAL;
    Tags.of(this).add('DataClassification', classification);

    // First: the model and its role depend on what the gate verifies (with a package, the artifact it names).
    this.signatureGate = new ArtifactSignatureGate(this, 'SignatureGate', {
      environment: env,
      registry,
      artifactKey: source.artifactKey,
      modelPackageArn: source.packageArn,
      imageUri: source.packageArn === undefined ? undefined : props.image.imageUri,
      s3PrefixListId: props.s3PrefixListId,
      // A model replaced for any reason is created again from the package: the gate runs again before it.
      revision: Lazy.string({ produce: () => createHash('sha256').update(JSON.stringify(Stack.of(this).resolve(this.model._toCloudFormation()))).digest('hex') }),
      owner,
    });
    // Baselines by the digest of the model they describe, written once by a publisher the registry names (never by
    // training): known at synth time for an artifact given by its registered key, at deploy time for a package.
    const digest = (source.artifactKey === undefined ? undefined : VERIFIED_ARTIFACT_KEY.exec(source.artifactKey)?.[1]) ?? this.signatureGate.digest;
    const baselineKey = givenBaselineKey ?? `${BASELINES_PREFIX}${digest}/reference.csv`;

    // Captures: their own key, so that reading users' requests is a separate grant from reading models and data.
    const captureKey = new EnvironmentKey(this, 'CaptureKey', {
      purpose: EnvironmentKeyPurpose.DATA,
      description: `Captured requests, responses and drift reports of endpoint ${endpointName}`,
    });
    this.dataCaptureBucket = new SecureBucket(this, 'DataCapture', {
      environment: env,
      encryptionKey: captureKey,
      dataClassification: classification,
      // An expired capture must be gone, not kept as a noncurrent version for another year.
      noncurrentVersionExpirationDays: 1,
    });
    this.dataCaptureBucket.addLifecycleRule({ id: 'CaptureRetention', expiration: Duration.days(retentionDays) });
    Tags.of(this.dataCaptureBucket).add('ai:retention-days', String(retentionDays));

    // The endpoint's container logs: created here so that they are encrypted and retained from the first line.
    this.logGroup = retainedLogGroup(this, 'LogGroup', {
      logGroupName: `/aws/sagemaker/Endpoints/${endpointName}`,
      encryptionKey: env.logKey,
    });

    // The model.
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: servicePrincipalOfThisAccount(this, 'sagemaker.amazonaws.com', ServiceSource.ACCOUNT_AND_ARN, resourcesOfThisAccount(this, 'sagemaker')),
      description: `Execution role of SageMaker endpoint ${endpointName}`,
    });
    const role = this.executionRole;
    for (const statement of VpcAccessStatements.forSageMaker(this, env.vpc.vpcId)) role.addToPrincipalPolicy(statement);
    // The one artifact, not the whole registry: registry.grantRead would also open every other model. With a package,
    // the object the gate verified: its key is a deploy-time attribute of the gate, so the policy names that object only.
    registry.grantReadArtifacts(role, [this.signatureGate.artifactKey]);
    // SageMaker writes captures with the execution role.
    iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:PutObject'], resourceArns: [this.dataCaptureBucket.arnForObjects(`${CAPTURE_PREFIX}/*`)] });
    captureKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    this.logGroup.grant(role, 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams');
    acknowledgeRules(role, RULES.inlinePolicy, OWN_POLICY_REASON);
    acknowledgeRules(role, [WildcardFindingIds.resource(this, '*')], 'EC2 Describe actions and ecr:GetAuthorizationToken support no '
      + 'resource-level permissions; creating and deleting the model\'s network interfaces is limited by an ec2:Vpc condition to the '
      + 'environment\'s VPC. Image layers can be pulled from the model\'s repository only.');
    acknowledgeRules(role, [WildcardFindingIds.resource(this, this.dataCaptureBucket.arnForObjects(`${CAPTURE_PREFIX}/*`))],
      'SageMaker data capture writes one object per batch of requests under captures/<endpoint>/<variant>/<date>/ with a generated '
      + 'name, so the objects cannot be named in advance; the role may only write (never read) under captures/ of this endpoint\'s own bucket.');

    const securityGroup = new WorkloadSecurityGroup(this, 'SecurityGroup', {
      vpc: env.vpc,
      endpointSecurityGroup: env.endpointSecurityGroup,
      description: `SageMaker endpoint ${endpointName}: no ingress, HTTPS to the environment VPC endpoints only`,
    });
    const subnetIds = env.vpc.selectSubnets(env.workloadSubnets).subnetIds;

    this.model = new sagemaker.CfnModel(this, 'Model', {
      executionRoleArn: role.roleArn,
      enableNetworkIsolation: true,
      vpcConfig: { subnets: subnetIds, securityGroupIds: [securityGroup.securityGroupId] },
      // A package carries its image and artifact: naming them here as well would not be the registry's version.
      primaryContainer: source.packageArn !== undefined
        ? { modelPackageName: source.packageArn, environment: props.containerEnvironment }
        : {
          image: props.image.imageUri,
          modelDataUrl: registry.artifactBucket.s3UrlForObject(source.artifactKey!),
          environment: props.containerEnvironment,
        },
    });
    props.image._bind({ construct: owner, resource: this.model, puller: role, allowExternalImage: props.allowExternalImage });
    if (source.packageArn !== undefined) {
      acknowledgeRules(this.model, ['SecureAI-V1[unverifiable]'], 'The model is created from a versioned package of the model '
        + 'registry, whose image the template cannot show. The signature gate this model depends on refuses, at deploy time, a '
        + 'package whose only container image is not exactly this endpoint\'s image, which ModelImage vetted (private ECR '
        + 'repository with immutable tags, scan on push and KMS, or pinned by digest) or recorded with its allowExternalImage reason.');
    }
    // Created only after the artifact is proven signed, and once the role can read it.
    this.model.node.addDependency(this.signatureGate.resource, role);

    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'EndpointConfig', {
      // SageMaker refuses a key for local NVMe storage, which the instance's hardware encrypts.
      kmsKeyId: hardwareEncryptionReason === undefined ? env.dataKey.keyArn : undefined,
      productionVariants: [{
        variantName: VARIANT,
        modelName: this.model.attrModelName,
        initialInstanceCount: instanceCount,
        instanceType,
        initialVariantWeight: 1,
      }],
      dataCaptureConfig: {
        enableCapture: true,
        initialSamplingPercentage: sampling,
        destinationS3Uri: this.dataCaptureBucket.s3UrlForObject(CAPTURE_PREFIX),
        kmsKeyId: captureKey.keyArn,
        captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
      },
    });
    if (hardwareEncryptionReason !== undefined) {
      recordReason(this.endpointConfig, HARDWARE_ENCRYPTION_OPT_IN, hardwareEncryptionReason);
      acknowledgeRules(this.endpointConfig, RULES.endpointKey, `${instanceType} has only local NVMe instance storage, which `
        + `SageMaker encrypts with the instance's hardware module and for which it refuses a KMS key. ${hardwareEncryptionReason}`);
    }

    // Alarms, on the literal name: the endpoint refers to them for rollback, so they cannot refer to the endpoint.
    const alarms = createEndpointAlarms(this, { endpointName, variantName: VARIANT, maxLatency, bandWidth });
    this.alarmTopic = alarms.topic;
    this.errorAlarm = alarms.errorAlarm;
    this.latencyAlarm = alarms.latencyAlarm;
    this.invocationAnomalyAlarm = alarms.invocationAnomalyAlarm;

    this.endpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', {
      endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      deploymentConfig: {
        autoRollbackConfiguration: { alarms: [this.errorAlarm, this.latencyAlarm].map((a) => ({ alarmName: a.alarmName })) },
        blueGreenUpdatePolicy: {
          trafficRoutingConfiguration: instanceCount >= 2
            ? { type: 'CANARY', canarySize: { type: 'INSTANCE_COUNT', value: 1 }, waitIntervalInSeconds: bakeSeconds }
            : { type: 'ALL_AT_ONCE', waitIntervalInSeconds: bakeSeconds },
          // The old fleet stays ready for a rollback while the alarms watch the new one.
          terminationWaitInSeconds: bakeSeconds,
        },
      },
    });
    // Logs must be encrypted from the first line the containers write.
    this.endpoint.node.addDependency(this.logGroup);
    this.endpointName = this.endpoint.attrEndpointName;
    this.endpointArn = this.endpoint.ref;

    // Nothing may appear beside the deployed artifact once it is registered: a new object there is notified.
    new events.Rule(this, 'DeployedArtifactWrites', {
      description: `New objects beside the artifact endpoint ${endpointName} serves`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created', 'Object Deleted'],
        detail: { bucket: { name: [registry.artifactBucket.bucketName] }, object: { key: [{ prefix: `${VERIFIED_PREFIX}${this.signatureGate.digest}/` }] } },
      },
      targets: [alarmTopicTarget(env.alarmTopic)],
    });

    this.driftMonitor = new DriftMonitor(this, 'DriftMonitor', {
      ...props.driftMonitoring,
      environment: env,
      registry,
      baselineKey,
      endpointName,
      variantName: VARIANT,
      captureBucket: this.dataCaptureBucket,
      captureKey,
      capturePrefix: CAPTURE_PREFIX,
      alarmTopic: this.alarmTopic,
    });
    // Monitoring starts once the endpoint serves.
    this.driftMonitor.schedule.node.addDependency(this.endpoint);
    this.alarms = [...alarms.alarms, this.driftMonitor.alarm];
  }
}
