// A stack with an AiEnvironment, a ModelRegistry and a TrainingPipeline whose image comes from a vetted ECR repository.
import { RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { AiEnvironment, AiEnvironmentProps } from '../../src/environment/ai-environment';
import { ModelImage } from '../../src/registry/model-image';
import { ModelRegistry, ModelRegistryProps } from '../../src/registry/model-registry';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../../src/storage/environment-key';
import { ObjectLockMode } from '../../src/storage/object-lock';
import { SecureBucket } from '../../src/storage/secure-bucket';
import { TrainingPipeline, TrainingPipelineProps } from '../../src/training/training-pipeline';

export const ENV = { account: '111111111111', region: 'us-east-1' };
export const S3_PREFIX_LIST = 'pl-63a5400a';
export const TRAIN_DIGEST = 'a'.repeat(64);
export const VALIDATION_DIGEST = 'b'.repeat(64);

export interface Fixture {
  readonly stack: Stack;
  readonly environment: AiEnvironment;
  readonly registry: ModelRegistry;
  readonly data: SecureBucket;
  readonly repository: ecr.Repository;
  readonly image: ModelImage;
}

/** The environment, registry, data bucket and vetted image repository a pipeline is built on. */
export function fixture(
  scope: Construct, environmentProps: Partial<AiEnvironmentProps> = {}, registryProps: Partial<ModelRegistryProps> = {},
): Fixture {
  const stack = new Stack(scope, 'Training', { env: ENV });
  Tags.of(stack).add('ai:threat-model', 'https://wiki.example.com/threat-models/fraud');
  Tags.of(stack).add('ai:risk-owner', 'head-of-fraud');
  Tags.of(stack).add('ai:criticality', 'high');
  const environment = new AiEnvironment(stack, 'Env', { owner: 'ml-platform', ...environmentProps });
  const registry = new ModelRegistry(stack, 'Registry', { environment, modelPackageGroupName: 'fraud', ...registryProps });
  // Declared digests stay true only while the data cannot be overwritten: the data is locked like the models.
  const data = new SecureBucket(stack, 'Data', { environment, objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: 365 } });
  const repository = new ecr.Repository(stack, 'Images', {
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    imageScanOnPush: true,
    encryption: ecr.RepositoryEncryption.KMS,
    encryptionKey: new EnvironmentKey(stack, 'ImagesKey', { purpose: EnvironmentKeyPurpose.DATA }),
    lifecycleRules: [{ maxImageCount: 50 }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return { stack, environment, registry, data, repository, image: ModelImage.fromEcrRepository(repository, 'v1.2.0') };
}

/** The props of a pipeline on the fixture; override any. */
export function pipelineProps(f: Fixture, overrides: Partial<TrainingPipelineProps> = {}): TrainingPipelineProps {
  return {
    environment: f.environment,
    registry: f.registry,
    image: f.image,
    s3PrefixListId: S3_PREFIX_LIST,
    trainingData: [
      { channelName: 'train', bucket: f.data, key: 'fraud/2026-11/train.csv', sha256: TRAIN_DIGEST, contentType: 'text/csv' },
      { channelName: 'validation', bucket: f.data, prefix: 'fraud/2026-11/validation/', sha256: VALIDATION_DIGEST },
    ],
    hyperparameters: { epochs: '10', learning_rate: '0.01' },
    ...overrides,
  };
}

/** A pipeline on a fresh fixture. */
export function pipeline(scope: Construct, overrides: Partial<TrainingPipelineProps> = {}): Fixture & { readonly pipeline: TrainingPipeline } {
  const f = fixture(scope);
  return { ...f, pipeline: new TrainingPipeline(f.stack, 'Fraud', pipelineProps(f, overrides)) };
}
