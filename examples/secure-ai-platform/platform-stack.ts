/**
 * The reference secure AI platform: everything the library builds, composed as a team would for one production model.
 * Copy this file as the starting point of your own platform stack.
 */
import { Duration, RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import {
  AiEnvironment, EnvironmentKey, EnvironmentKeyPurpose, EnvironmentStage, InferenceApi, InferenceEndpoint, ModelCard,
  ModelCardStatus, ModelImage, ModelRegistry, ModelRiskRating, ObjectLockMode, OfflineBackup, SecureBucket, TrainingPipeline,
} from 'cdk-secure-ai';

/** What differs between deployments of the platform. */
export interface SecureAiPlatformProps extends StackProps {
  /**
   * The approved model package version the endpoint serves. The training pipeline registers each signed model as a
   * new version awaiting approval; a reviewer approves it in the registry, and the next deployment names it here.
   */
  readonly modelPackageVersion: number;
  /** The image the model was trained and is served with (an image digest, `sha256:...`, in the platform's repository). */
  readonly imageDigest: string;
  /** The ID of the region's S3 managed prefix list (`com.amazonaws.<region>.s3`), which training jobs reach S3 through. */
  readonly s3PrefixListId: string;
}

/** A fraud-scoring model: trained, signed, registered, documented, served, monitored and backed up. */
export class SecureAiPlatformStack extends Stack {
  public readonly aiEnvironment: AiEnvironment;
  public readonly registry: ModelRegistry;
  public readonly pipeline: TrainingPipeline;
  public readonly endpoint: InferenceEndpoint;
  public readonly api: InferenceApi;
  public readonly backup: OfflineBackup;

  public constructor(scope: Construct, id: string, props: SecureAiPlatformProps) {
    super(scope, id, props);

    // The threat model, risk owner and criticality of the system (SecureAI-D1): where a reviewer starts.
    Tags.of(this).add('ai:threat-model', 'https://wiki.example.com/ai/fraud-scoring/threat-model');
    Tags.of(this).add('ai:risk-owner', 'head-of-fraud-risk');
    Tags.of(this).add('ai:criticality', 'high');

    // An isolated VPC with endpoints and flow logs, per-environment keys, an audit trail and a permissions boundary.
    this.aiEnvironment = new AiEnvironment(this, 'Environment', { owner: 'fraud-ml-team', stage: EnvironmentStage.PRODUCTION });

    // Model packages, an object-locked artifact store, the signing key and the audit log of approvals.
    this.registry = new ModelRegistry(this, 'Registry', { environment: this.aiEnvironment, modelPackageGroupName: 'fraud-scoring' });

    // The training and serving image: a private repository with immutable tags, scanned on push, encrypted.
    const images = new ecr.Repository(this, 'Images', {
      repositoryName: 'fraud-scoring',
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: new EnvironmentKey(this, 'ImagesKey', { purpose: EnvironmentKeyPurpose.DATA, description: 'Model images' }),
      lifecycleRules: [{ maxImageCount: 50 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const image = ModelImage.fromEcrRepository(images, props.imageDigest);

    // Training data is locked like the models: a declared digest stays true only while the data cannot be rewritten.
    const trainingData = new SecureBucket(this, 'TrainingData', {
      environment: this.aiEnvironment,
      objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: 365 },
    });
    const trainDigest = '5f2b8a3c9d4e1f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e';

    this.pipeline = new TrainingPipeline(this, 'Training', {
      environment: this.aiEnvironment,
      registry: this.registry,
      image,
      s3PrefixListId: props.s3PrefixListId,
      trainingData: [{ channelName: 'train', bucket: trainingData, key: 'fraud/2026-11/train.csv', sha256: trainDigest, contentType: 'text/csv' }],
      hyperparameters: { epochs: '20', learning_rate: '0.01' },
      maxRuntime: Duration.hours(4),
    });

    // The production endpoint serves only an approved, signed package; the gate verifies it before the model exists.
    this.endpoint = new InferenceEndpoint(this, 'Endpoint', {
      environment: this.aiEnvironment,
      registry: this.registry,
      // Written out rather than formatArn(), whose partition is a deploy-time token: with a literal ARN the construct
      // checks at synth time that the package is a version of this registry's group.
      modelPackageArn: `arn:aws:sagemaker:${this.region}:${this.account}:model-package/${this.registry.modelPackageGroupName}/${props.modelPackageVersion}`,
      image,
      s3PrefixListId: props.s3PrefixListId,
    });

    // What the model is for and not for, what it was trained on, how it was evaluated, and its risks (SecureAI-V10).
    new ModelCard(this, 'ModelCard', {
      environment: this.aiEnvironment,
      registry: this.registry,
      modelName: 'fraud-scoring',
      modelId: this.endpoint.model.attrModelName,
      owner: 'fraud-ml-team',
      purpose: 'Scores card transactions for the likelihood of fraud, for review by fraud analysts.',
      intendedUses: ['Ranking card transactions for manual review by trained fraud analysts.'],
      outOfScopeUses: ['Automatically declining transactions or accounts without human review.', 'Credit decisions.'],
      trainingData: [{ uri: `s3://${trainingData.bucketName}/fraud/2026-11/train.csv`, sha256: trainDigest }],
      evaluations: [{
        name: 'Holdout November 2026',
        observation: 'Precision and recall on a time-split holdout set of the last month of labelled transactions.',
        metrics: [{ name: 'precision', value: 0.91 }, { name: 'recall', value: 0.84 }],
      }],
      limitations: ['Trained on card-present and card-not-present transactions of one region only.'],
      failureModes: ['Scores drift when merchant mix changes; the drift monitor alarms on it.'],
      riskRating: ModelRiskRating.HIGH,
      riskRatingExplanation: 'Wrong scores delay legitimate payments or let fraud through; analysts review every decision.',
      retention: Duration.days(7 * 365),
      reviewFrequency: Duration.days(90),
      status: ModelCardStatus.APPROVED,
      approvedBy: 'model-risk-committee',
    });

    // Clients reach the model only through an authenticated, throttled, WAF-protected API that logs every call.
    this.api = new InferenceApi(this, 'Api', { environment: this.aiEnvironment, endpoint: this.endpoint });

    // Offline, locked backups of the model artifacts, the training data and the captured inferences.
    this.backup = new OfflineBackup(this, 'Backup', { environment: this.aiEnvironment });
    this.backup.protectBucket(this.registry.artifactBucket);
    this.backup.protectBucket(trainingData);
    this.backup.protectBucket(this.endpoint.dataCaptureBucket);
  }
}
