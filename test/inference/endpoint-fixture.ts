// A stack with the pieces an InferenceEndpoint is composed with: an AiEnvironment, a ModelRegistry and a vetted ECR
// repository (IMMUTABLE tags, scan on push, KMS, lifecycle rules).
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEnvironment, AiEnvironmentProps } from '../../src/environment/ai-environment';
import { InferenceEndpoint, InferenceEndpointProps } from '../../src/inference/inference-endpoint';
import { ModelImage } from '../../src/registry/model-image';
import { ModelRegistry } from '../../src/registry/model-registry';

export const ENV = { account: '111111111111', region: 'eu-west-2' };
/** The Region's S3 prefix list, the signature gate's way to the artifact. */
export const S3_PREFIX_LIST = 'pl-7ca54015';
export const ARTIFACT_KEY = `verified/${'c'.repeat(64)}/model.tar.gz`;
/** Version 3 of the fixture registry's group, as the training pipeline's signing step registers it. */
export const PACKAGE_ARN = 'arn:aws:sagemaker:eu-west-2:111111111111:model-package/fraud-detector/3';

export interface EndpointFixture {
  readonly stack: Stack;
  readonly environment: AiEnvironment;
  readonly registry: ModelRegistry;
  readonly repository: ecr.Repository;
  readonly endpoint: InferenceEndpoint;
  template(): Template;
}

/** The environment, registry and repository, without the endpoint. */
export function composition(app: App = new App(), environmentProps: Partial<AiEnvironmentProps> = {}, stackProps: StackProps = { env: ENV }) {
  const stack = new Stack(app, 'Ai', stackProps);
  const environment = new AiEnvironment(stack, 'Env', { owner: 'fraud-ml-team', ...environmentProps });
  const registry = new ModelRegistry(stack, 'Registry', { environment, modelPackageGroupName: 'fraud-detector' });
  const repository = new ecr.Repository(stack, 'Images', {
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    imageScanOnPush: true,
    encryption: ecr.RepositoryEncryption.KMS,
    encryptionKey: environment.dataKey,
    lifecycleRules: [{ maxImageCount: 20 }],
  });
  return { stack, environment, registry, repository };
}

/** An endpoint with the given props over a fresh composition; by default production, from model package PACKAGE_ARN. */
export function endpointFixture(
  props: Partial<InferenceEndpointProps> = {},
  environmentProps: Partial<AiEnvironmentProps> = {},
  stackProps: StackProps = { env: ENV },
): EndpointFixture {
  const { stack, environment, registry, repository } = composition(new App(), environmentProps, stackProps);
  const endpoint = new InferenceEndpoint(stack, 'Fraud', {
    environment,
    registry,
    modelPackageArn: PACKAGE_ARN,
    image: ModelImage.fromEcrRepository(repository, 'v1'),
    s3PrefixListId: S3_PREFIX_LIST,
    ...props,
  });
  return { stack, environment, registry, repository, endpoint, template: () => Template.fromStack(stack) };
}

/** An endpoint deployed from the signed artifact ARTIFACT_KEY, in a test environment: production refuses artifacts by key. */
export function artifactEndpointFixture(
  props: Partial<InferenceEndpointProps> = {},
  environmentProps: Partial<AiEnvironmentProps> = {},
  stackProps: StackProps = { env: ENV },
): EndpointFixture {
  return endpointFixture({ modelPackageArn: undefined, modelArtifactKey: ARTIFACT_KEY, ...props },
    { stage: EnvironmentStage.TEST, ...environmentProps }, stackProps);
}
