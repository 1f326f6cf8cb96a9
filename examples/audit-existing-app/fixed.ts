/**
 * The same app after the review: the same model behind the same kind of API, rebuilt from cdk-secure-ai's
 * constructs. Each construct replaces hand-written resources and clears the findings the README maps to it.
 */
import { App, Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  AiEnvironment, InferenceApi, InferenceEndpoint, ModelCard, ModelCardStatus, ModelImage, ModelRegistry, ModelRiskRating,
  OfflineBackup,
} from 'cdk-secure-ai';

/** The same account and Region as the unhardened app. */
export const FIXED_ENV = { account: '111122223333', region: 'eu-west-2' };

/** The registry's model package group. */
const MODEL_PACKAGE_GROUP = 'fraud-scoring';
/**
 * The approved model version: a package the training pipeline registered in the group, with the signed artifact, and a
 * reviewer approved. Production deploys nothing else.
 */
const MODEL_PACKAGE_ARN = `arn:aws:sagemaker:${FIXED_ENV.region}:${FIXED_ENV.account}:model-package/${MODEL_PACKAGE_GROUP}/3`;
/** The inference image, copied from the AWS Deep Learning Containers into the team's own repository, by immutable tag. */
const IMAGE_TAG = 'pytorch-inference-2.1.0-cpu-py310';
/** The Region's com.amazonaws.<region>.s3 prefix list, the signature gate's way to the artifact. */
const S3_PREFIX_LIST = 'pl-7ca54015';

/** The fraud-scoring model, its endpoint and the REST API in front of it, built from the library's constructs. */
export class FraudScoringStack extends Stack {
  /** The inference API. */
  public readonly api: InferenceApi;

  public constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, {
      ...props,
      // Where the threat model, its risk owner and the system's criticality are recorded (SecureAI-D1).
      tags: {
        'ai:threat-model': 'https://wiki.example.com/security/threat-models/fraud-scoring',
        'ai:risk-owner': 'head-of-fraud-risk',
        'ai:criticality': 'high',
        ...props.tags,
      },
    });

    // Isolated VPC, keys, audit trail, permissions boundary, Owner and Environment tags (production by default).
    const environment = new AiEnvironment(this, 'Environment', { owner: 'fraud-ml-team' });

    // Replaces the ModelData bucket: an object-locked, versioned, KMS-encrypted store for signed artifacts, and the model
    // package group their versions are registered in.
    const registry = new ModelRegistry(this, 'Registry', {
      environment,
      modelPackageGroupName: MODEL_PACKAGE_GROUP,
      description: 'Fraud-scoring models, signed when trained',
    });

    // The image lives in the team's account, with immutable tags, scanned on push and encrypted with its key.
    const repository = new ecr.Repository(this, 'InferenceImages', {
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: environment.dataKey,
      removalPolicy: RemovalPolicy.RETAIN,
      // Superseded images do not stay deployable forever: the newest ten are kept, enough to roll back.
      lifecycleRules: [{ description: 'Keep the ten newest images', maxImageCount: 10 }],
    });

    const endpoint = new InferenceEndpoint(this, 'Scoring', {
      environment,
      registry,
      modelPackageArn: MODEL_PACKAGE_ARN,
      image: ModelImage.fromEcrRepository(repository, IMAGE_TAG),
      containerEnvironment: { SAGEMAKER_PROGRAM: 'inference.py' },
      instanceType: 'ml.m5.large',
      endpointName: 'fraud-scoring',
      s3PrefixListId: S3_PREFIX_LIST,
    });

    new ModelCard(this, 'ModelCard', {
      environment,
      registry,
      modelName: 'fraud-scoring',
      modelId: endpoint.model.ref,
      owner: 'fraud-ml-team',
      description: 'Gradient-boosted classifier scoring card transactions for fraud',
      purpose: 'Score card transactions for the likelihood of fraud, so that risky ones are held for review.',
      intendedUses: ['Scoring card-not-present transactions of retail customers before authorisation'],
      outOfScopeUses: ['Credit decisions', 'Scoring transactions of business accounts', 'Any decision made without human review'],
      trainingData: [{
        uri: 's3://fraud-ml-training-data/transactions/2025-05/',
        sha256: 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78',
      }],
      evaluations: [{
        name: 'holdout-2025-05',
        observation: 'AUC 0.94 on the May 2025 holdout set; the false-positive rate stays under 2% in every customer segment.',
        metrics: [{ name: 'auc', value: 0.94 }, { name: 'false-positive-rate', value: 0.018 }],
      }],
      limitations: ['Trained on one year of data: seasonal fraud patterns older than that are not represented.'],
      failureModes: ['Scores drift when merchant categories change; the drift monitor flags the input shift.'],
      riskRating: ModelRiskRating.HIGH,
      riskRatingExplanation: 'A wrong score blocks a customer\'s payment or lets fraud through.',
      retention: Duration.days(2555),
      reviewFrequency: Duration.days(90),
      status: ModelCardStatus.APPROVED,
      approvedBy: 'model-risk-committee',
    });

    // Replaces the open LambdaRestApi: IAM-authorized, validated, throttled, behind WAF, logged, no Lambda in the path.
    this.api = new InferenceApi(this, 'ScoringApi', { environment, endpoint });
    // The payment service is the one caller: it signs its requests (SigV4) with this role.
    const caller = new iam.Role(this, 'PaymentServiceRole', {
      assumedBy: new iam.AccountPrincipal(this.account),
      description: 'Assumed by the payment service to score transactions through the inference API',
    });
    this.api.grantInvoke(caller);
    // The generic packs refuse inline policies; this one is the grant above and nothing else.
    const grantReason = 'The inline policy holds only InferenceApi.grantInvoke\'s execute-api:Invoke on the POST method of this API '
      + 'stage; inline, it stays bound to the payment service\'s role, where a managed policy could be attached to other principals.';
    Validations.of(caller).acknowledge(...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']
      .map((pack) => ({ id: `${pack}-IAMNoInlinePolicy`, reason: grantReason })));

    // Daily, weekly and monthly backups of the model artifacts and captured traffic, locked and air-gapped.
    const backup = new OfflineBackup(this, 'Backup', { environment });
    backup.protectBucket(registry.artifactBucket);
    backup.protectBucket(endpoint.dataCaptureBucket);
  }
}

/** Builds the fixed app's stacks into `app`. */
export function addFixedStacks(app: App): Stack[] {
  return [new FraudScoringStack(app, 'FraudScoring', { env: FIXED_ENV })];
}
