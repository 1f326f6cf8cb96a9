/**
 * The development account: where the model is trained, signed and registered, and where its image is built. It
 * shares three things with the production account, each by an explicit, read-only policy that names that account:
 * the model package group, the artifact store (with its key and the signing key) and the image repository.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FRAUD_MODEL } from './fraud-model';
import {
  AiEnvironment, AiEnvironmentStage, EnvironmentKey, EnvironmentKeyPurpose, EnvironmentStage, ModelImage, ModelRegistry,
  ObjectLockMode, OfflineBackup, SecureBucket, TrainingPipeline,
} from 'cdk-secure-ai';

/** The actions that pull an image, and nothing else: no push, no listing, no repository settings. */
export const IMAGE_PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/** What the development account needs to know. */
export interface DevelopmentStageProps {
  /** The development account and Region. */
  readonly env: { readonly account: string; readonly region: string };
  /** The production account: the only account that may read the registry and pull the image. */
  readonly productionAccount: string;
  /** The image the model is trained with and served by (`sha256:...`, in the image repository). */
  readonly imageDigest: string;
  /** The ID of the Region's S3 managed prefix list (`com.amazonaws.<region>.s3`), which training jobs reach S3 through. */
  readonly s3PrefixListId: string;
}

/** The development account's stage: one stack of model development. */
export class DevelopmentStage extends AiEnvironmentStage {
  public readonly models: ModelDevelopmentStack;

  public constructor(scope: Construct, id: string, props: DevelopmentStageProps) {
    super(scope, id, { env: props.env, environmentStage: EnvironmentStage.DEVELOPMENT });
    this.models = new ModelDevelopmentStack(this, 'Models', props);
  }
}

/** Trains, signs and registers the fraud-scoring model; publishes what production needs as stack outputs. */
export class ModelDevelopmentStack extends Stack {
  public readonly aiEnvironment: AiEnvironment;
  public readonly registry: ModelRegistry;
  public readonly images: ecr.Repository;
  public readonly trainingData: SecureBucket;
  public readonly training: TrainingPipeline;
  public readonly backup: OfflineBackup;

  public constructor(scope: Construct, id: string, props: DevelopmentStageProps & StackProps) {
    super(scope, id, { env: props.env, description: 'Fraud-scoring model development: training, signing, registry, image repository' });
    Tags.of(this).add('ai:threat-model', FRAUD_MODEL.threatModel);
    Tags.of(this).add('ai:risk-owner', 'head-of-fraud-risk');
    Tags.of(this).add('ai:criticality', 'high');

    // The stage (development) comes from the enclosing AiEnvironmentStage.
    this.aiEnvironment = new AiEnvironment(this, 'Environment', { owner: FRAUD_MODEL.owner });

    // Shared with production, read-only: the group policy, the artifact bucket policy and the policies of the
    // registry's own artifact key and signing key name the production account and nothing else.
    this.registry = new ModelRegistry(this, 'Registry', {
      environment: this.aiEnvironment,
      modelPackageGroupName: FRAUD_MODEL.modelPackageGroupName,
      readerAccounts: [props.productionAccount],
    });

    // The training and serving image. Production pulls it by digest, so it runs exactly the bytes trained with here.
    this.images = new ecr.Repository(this, 'Images', {
      repositoryName: FRAUD_MODEL.imageRepositoryName,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: new EnvironmentKey(this, 'ImagesKey', { purpose: EnvironmentKeyPurpose.DATA, description: 'Fraud-scoring model images' }),
      lifecycleRules: [{ maxImageCount: 50 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Pull only, production only. ECR decrypts the layers under the grant it holds on the repository's key, so the
    // production account needs no permission on that key; its own IAM policies narrow the pull to the endpoint's role.
    this.images.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ProductionPullsImages',
      principals: [new iam.AccountPrincipal(props.productionAccount)],
      actions: IMAGE_PULL_ACTIONS,
    }));
    AiEnvironment.shareAcrossStages(this.images, [props.productionAccount], 'Production pulls the images of the models it serves, '
      + 'the same images the registry\'s approved packages name');
    const image = ModelImage.fromEcrRepository(this.images, props.imageDigest);

    // Training data is locked like the models: a declared digest stays true only while the data cannot be rewritten.
    this.trainingData = new SecureBucket(this, 'TrainingData', {
      environment: this.aiEnvironment,
      objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: 365 },
    });

    // Each run registers a signed model package awaiting approval (PendingManualApproval) in the shared group.
    this.training = new TrainingPipeline(this, 'Training', {
      environment: this.aiEnvironment,
      registry: this.registry,
      image,
      s3PrefixListId: props.s3PrefixListId,
      trainingData: [{
        channelName: 'train',
        bucket: this.trainingData,
        key: FRAUD_MODEL.trainingDataKey,
        sha256: FRAUD_MODEL.trainingDataSha256,
        contentType: 'text/csv',
      }],
      hyperparameters: { epochs: '20', learning_rate: '0.01' },
      maxRuntime: Duration.hours(4),
    });

    // Offline, locked backups of the released models and the data they were trained on.
    this.backup = new OfflineBackup(this, 'Backup', { environment: this.aiEnvironment });
    this.backup.protectBucket(this.registry.artifactBucket);
    this.backup.protectBucket(this.trainingData);

    // What the production account's app is given as literal context values (no cross-account references exist).
    const outputs: Record<string, [string, string]> = {
      RegistryGroupArn: [this.registry.modelPackageGroupArn, 'registryGroupArn: the model package group production deploys from'],
      RegistryArtifactBucketName: [this.registry.artifactBucket.bucketName, 'registryArtifactBucketName: the signed model artifacts'],
      RegistryArtifactKeyArn: [this.registry.artifactKey.keyArn, 'registryArtifactKeyArn: the key of the artifact store'],
      RegistrySigningKeyArn: [this.registry.signingKey.keyArn, 'registrySigningKeyArn: the key the artifacts are signed with'],
      ImageRepositoryArn: [this.images.repositoryArn, 'imageRepositoryArn: the training and serving image'],
      TrainingDataBucketName: [this.trainingData.bucketName, 'trainingDataBucketName: the training data the model card cites'],
    };
    for (const [outputId, [value, description]] of Object.entries(outputs)) new CfnOutput(this, outputId, { value, description });
  }
}
