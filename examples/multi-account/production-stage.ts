/**
 * The production account: serves an approved model package of the development account's registry, through an
 * authenticated API, with its data captures backed up. It knows the development account only by the literal names
 * and ARNs in `RegistryReference`: CDK forbids references between accounts, and a literal cannot silently change.
 */
import { Duration, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { FRAUD_MODEL } from './fraud-model';
import {
  AiEnvironment, AiEnvironmentStage, EnvironmentStage, IModelRegistry, InferenceApi, InferenceEndpoint, ModelCard,
  ModelCardStatus, ModelImage, ModelRegistry, ModelRiskRating, OfflineBackup,
} from 'cdk-secure-ai';

/**
 * The development account's registry and image repository, as literal values: the outputs of the development stack
 * (`Development-Models`), copied into the app's context after it is deployed.
 */
export interface RegistryReference {
  /** `arn:aws:sagemaker:<region>:<development account>:model-package-group/fraud-scoring`. */
  readonly modelPackageGroupArn: string;
  /** The name of the registry's artifact bucket. */
  readonly artifactBucketName: string;
  /** The ARN of the registry's artifact key. */
  readonly artifactKeyArn: string;
  /** The ARN of the registry's signing key. */
  readonly signingKeyArn: string;
  /** `arn:aws:ecr:<region>:<development account>:repository/fraud-scoring`. */
  readonly imageRepositoryArn: string;
  /** The name of the training data bucket, which the model card cites. */
  readonly trainingDataBucketName: string;
}

/** What the production account needs to know. */
export interface ProductionStageProps {
  /** The production account and Region. */
  readonly env: { readonly account: string; readonly region: string };
  /** The development account's registry and image repository. */
  readonly registry: RegistryReference;
  /** The approved version of the model package group to serve. */
  readonly modelPackageVersion: number;
  /** The image the package was trained with and is served by (`sha256:...`): the gate requires the package to name it. */
  readonly imageDigest: string;
  /** The Region's `com.amazonaws.<region>.s3` prefix list, through which the signature gate reads the artifact. */
  readonly s3PrefixListId: string;
}

/** The production account's stage: one stack serving the model. */
export class ProductionStage extends AiEnvironmentStage {
  public readonly serving: ModelServingStack;

  public constructor(scope: Construct, id: string, props: ProductionStageProps) {
    super(scope, id, { env: props.env, environmentStage: EnvironmentStage.PRODUCTION });
    this.serving = new ModelServingStack(this, 'Serving', props);
  }
}

/** Serves the approved fraud-scoring model. */
export class ModelServingStack extends Stack {
  public readonly aiEnvironment: AiEnvironment;
  public readonly registry: IModelRegistry;
  public readonly endpoint: InferenceEndpoint;
  public readonly api: InferenceApi;
  public readonly backup: OfflineBackup;

  public constructor(scope: Construct, id: string, props: ProductionStageProps & StackProps) {
    super(scope, id, { env: props.env, description: 'Fraud-scoring model serving: an approved package of the development registry' });
    if (!Number.isInteger(props.modelPackageVersion) || props.modelPackageVersion < 1) {
      throw new Error(`ModelServingStack ${id}: modelPackageVersion is ${props.modelPackageVersion}, but a model package version is a `
        + 'whole number from 1. Fix: give the version a reviewer approved in the registry (-c modelPackageVersion=<n>).');
    }
    Tags.of(this).add('ai:threat-model', FRAUD_MODEL.threatModel);
    Tags.of(this).add('ai:risk-owner', 'head-of-fraud-risk');
    Tags.of(this).add('ai:criticality', 'high');

    this.aiEnvironment = new AiEnvironment(this, 'Environment', { owner: FRAUD_MODEL.owner });

    // The development registry, read through the grants its readerAccounts policy gives this account. The import
    // checks each ARN's service, type, account and Region when the app is synthesized.
    this.registry = ModelRegistry.fromModelRegistryAttributes(this, 'Registry', {
      modelPackageGroupArn: props.registry.modelPackageGroupArn,
      artifactBucketName: props.registry.artifactBucketName,
      artifactKeyArn: props.registry.artifactKeyArn,
      signingKeyArn: props.registry.signingKeyArn,
    });
    const images = ecr.Repository.fromRepositoryArn(this, 'Images', props.registry.imageRepositoryArn);
    // By digest: a repository of another account may not be trusted for immutable tags, and the gate compares the
    // package's image with this URI character for character.
    const image = ModelImage.fromEcrRepository(images, props.imageDigest);

    // A version of the registry's group, written out: the construct checks at synth time that it is one, and the gate
    // refuses it at deploy time unless it is Approved, runs `image` and carries the artifact the registry signed.
    const modelPackageArn = `${props.registry.modelPackageGroupArn.replace(':model-package-group/', ':model-package/')}/${props.modelPackageVersion}`;
    this.endpoint = new InferenceEndpoint(this, 'Endpoint', {
      environment: this.aiEnvironment, registry: this.registry, modelPackageArn, image, s3PrefixListId: props.s3PrefixListId,
    });

    // What the model is for and not for, what it was trained on, how it was evaluated, and its risks (SecureAI-V10, P23).
    new ModelCard(this, 'ModelCard', {
      environment: this.aiEnvironment,
      registry: this.registry,
      modelName: FRAUD_MODEL.modelPackageGroupName,
      modelId: this.endpoint.model.attrModelName,
      owner: FRAUD_MODEL.owner,
      purpose: 'Scores card transactions for the likelihood of fraud, for review by fraud analysts.',
      intendedUses: ['Ranking card transactions for manual review by trained fraud analysts.'],
      outOfScopeUses: ['Automatically declining transactions or accounts without human review.', 'Credit decisions.'],
      trainingData: [{ uri: `s3://${props.registry.trainingDataBucketName}/${FRAUD_MODEL.trainingDataKey}`, sha256: FRAUD_MODEL.trainingDataSha256 }],
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

    // The captured requests and responses are production's own data: backed up offline here. The models and training
    // data are backed up in the development account, which owns them.
    this.backup = new OfflineBackup(this, 'Backup', { environment: this.aiEnvironment });
    this.backup.protectBucket(this.endpoint.dataCaptureBucket);
  }
}
