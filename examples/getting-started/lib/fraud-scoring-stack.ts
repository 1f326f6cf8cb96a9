import { Duration, RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import {
  AiEnvironment, EnvironmentKey, EnvironmentKeyPurpose, EnvironmentStage, InferenceApi, InferenceEndpoint, ModelCard,
  ModelCardStatus, ModelImage, ModelRegistry, ModelRiskRating, ObjectLockMode, OfflineBackup, SecureBucket,
  TrainingPipeline,
} from 'cdk-secure-ai';

/** One model, from training data to an authenticated API: trained, signed, approved, served, monitored, backed up. */
export class FraudScoringStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // Where a reviewer starts: the threat model, who owns the risk, how critical the system is (SecureAI-D1).
    Tags.of(this).add('ai:threat-model', 'https://wiki.example.com/fraud-scoring/threat-model');
    Tags.of(this).add('ai:risk-owner', 'head-of-fraud-risk');
    Tags.of(this).add('ai:criticality', 'high');

    // The stage defaults to PRODUCTION, the strictest; pass EnvironmentStage.DEVELOPMENT or TEST for the others.
    const environment = new AiEnvironment(this, 'Environment', { owner: 'fraud-ml-team', stage: EnvironmentStage.PRODUCTION });
    const registry = new ModelRegistry(this, 'Registry', { environment, modelPackageGroupName: 'fraud-scoring' });

    // The training and serving image, pinned by digest in a private repository with immutable tags.
    const repository = new ecr.Repository(this, 'Images', {
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: new EnvironmentKey(this, 'ImagesKey', { purpose: EnvironmentKeyPurpose.DATA, description: 'Model images' }),
      lifecycleRules: [{ maxImageCount: 50 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const image = ModelImage.fromEcrRepository(repository, `sha256:${'4c'.repeat(32)}`);

    const trainingData = new SecureBucket(this, 'TrainingData', {
      environment,
      objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: 365 },
    });
    const trainDigest = '5f2b8a3c9d4e1f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e';
    // Jobs and the deploy-time gate reach S3 only through the Region's com.amazonaws.<region>.s3 prefix list (eu-west-2's).
    const s3PrefixListId = 'pl-7ca54015';
    new TrainingPipeline(this, 'Training', {
      environment,
      registry,
      image,
      s3PrefixListId,
      trainingData: [{ channelName: 'train', bucket: trainingData, key: 'fraud/train.csv', sha256: trainDigest, contentType: 'text/csv' }],
      maxRuntime: Duration.hours(4),
    });

    // Serves only an approved, signed version of the registry's package; a deploy-time gate verifies it.
    const endpoint = new InferenceEndpoint(this, 'Endpoint', {
      environment,
      registry,
      modelPackageArn: `arn:aws:sagemaker:${this.region}:${this.account}:model-package/fraud-scoring/1`,
      image,
      s3PrefixListId,
    });

    new ModelCard(this, 'ModelCard', {
      environment,
      registry,
      modelName: 'fraud-scoring',
      modelId: endpoint.model.attrModelName,
      owner: 'fraud-ml-team',
      purpose: 'Scores card transactions for the likelihood of fraud, for review by fraud analysts.',
      intendedUses: ['Ranking card transactions for manual review by trained fraud analysts.'],
      outOfScopeUses: ['Declining transactions without human review.'],
      trainingData: [{ uri: `s3://${trainingData.bucketName}/fraud/train.csv`, sha256: trainDigest }],
      evaluations: [{ name: 'Holdout', observation: 'Time-split holdout of the last month.', metrics: [{ name: 'recall', value: 0.84 }] }],
      limitations: ['Trained on the transactions of one region only.'],
      failureModes: ['Scores drift when the merchant mix changes; the drift monitor alarms on it.'],
      riskRating: ModelRiskRating.HIGH,
      riskRatingExplanation: 'Wrong scores delay legitimate payments or let fraud through; analysts review every decision.',
      retention: Duration.days(7 * 365),
      reviewFrequency: Duration.days(90),
      status: ModelCardStatus.APPROVED,
      approvedBy: 'model-risk-committee',
    });

    // Clients reach the model only through an authenticated, throttled API behind a WAF.
    new InferenceApi(this, 'Api', { environment, endpoint });

    // Locked, air-gapped backups of the artifacts, the training data and the captured inferences.
    const backup = new OfflineBackup(this, 'Backup', { environment });
    backup.protectBucket(registry.artifactBucket);
    backup.protectBucket(trainingData);
    backup.protectBucket(endpoint.dataCaptureBucket);
  }
}
