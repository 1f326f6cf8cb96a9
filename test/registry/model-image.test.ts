import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { ModelImage } from '../../src/registry/model-image';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

function fixture() {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-2' } });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const model = new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: role.roleArn });
  const vetted = new ecr.Repository(stack, 'Vetted', {
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    imageScanOnPush: true,
    encryption: ecr.RepositoryEncryption.KMS,
    encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
  });
  const use = (image: ModelImage, allowExternalImage?: string) => image._bind({ construct: 'InferenceEndpoint Fraud', resource: model, puller: role, allowExternalImage });
  return { stack, role, model, vetted, use };
}

test('a tag in a vetted repository of the app is accepted, and the puller may pull from that repository only', () => {
  const { stack, vetted, use } = fixture();
  use(ModelImage.fromEcrRepository(vetted, 'v1'));
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: [{ Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [stack.getLogicalId(vetted.node.defaultChild as ecr.CfnRepository), 'Arn'] } }, { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' }] },
  });
  expect(Object.values(template.findResources('AWS::SageMaker::Model'))[0].Metadata).toBeUndefined();
});

test.each([
  ['mutable tags', { imageTagMutability: ecr.TagMutability.MUTABLE, imageScanOnPush: true, encryption: ecr.RepositoryEncryption.KMS }, /mutable tags \(set imageTagMutability: IMMUTABLE\)/],
  ['no scan on push', { imageTagMutability: ecr.TagMutability.IMMUTABLE, encryption: ecr.RepositoryEncryption.KMS }, /no scan on push/],
  ['AES-256 encryption', { imageTagMutability: ecr.TagMutability.IMMUTABLE, imageScanOnPush: true }, /no KMS encryption/],
])('a tag in a repository with %s throws, naming the problem and the fixes', (_name, props, problem) => {
  const { stack, use } = fixture();
  const repo = new ecr.Repository(stack, 'Repo', props);
  expect(() => use(ModelImage.fromEcrRepository(repo, 'latest'))).toThrow(problem);
  expect(() => use(ModelImage.fromEcrRepository(repo, 'latest'))).toThrow(/^InferenceEndpoint Fraud: image .*Fix: .*ModelImage\.fromPinnedUri.*allowExternalImage/);
});

test('a digest in a repository with mutable tags is pinned, but scanning and encryption still count', () => {
  const { stack, use } = fixture();
  const repo = new ecr.Repository(stack, 'Repo', { imageTagMutability: ecr.TagMutability.MUTABLE, imageScanOnPush: true, encryption: ecr.RepositoryEncryption.KMS });
  expect(() => use(ModelImage.fromEcrRepository(repo, DIGEST))).not.toThrow();
  const unscanned = new ecr.Repository(stack, 'Unscanned', { encryption: ecr.RepositoryEncryption.KMS });
  expect(() => use(ModelImage.fromEcrRepository(unscanned, DIGEST))).toThrow(/no scan on push/);
});

test('an imported repository is accepted by digest only', () => {
  const { stack, use } = fixture();
  const imported = ecr.Repository.fromRepositoryName(stack, 'Imported', 'models/fraud');
  expect(() => use(ModelImage.fromEcrRepository(imported, DIGEST))).not.toThrow();
  expect(() => use(ModelImage.fromEcrRepository(imported, 'v1'))).toThrow(/addressed by tag in a repository defined outside this app/);
});

test('a URI pinned by digest is accepted; one that is not is refused where it is made', () => {
  const { use } = fixture();
  expect(() => use(ModelImage.fromPinnedUri(`public.ecr.aws/org/model@${DIGEST}`))).not.toThrow();
  expect(() => ModelImage.fromPinnedUri('public.ecr.aws/org/model:latest')).toThrow(/is not pinned by digest\. Fix: append @sha256:/);
  expect(() => ModelImage.fromPinnedUri('public.ecr.aws/org/model@sha256:abc')).toThrow(/is not pinned by digest/);
});

test('an external image needs allowExternalImage with a reason, which lands in the model\'s template metadata', () => {
  const { stack, use } = fixture();
  const image = ModelImage.fromUri('docker.io/vendor/model:2.1');
  expect(() => use(image)).toThrow(/InferenceEndpoint Fraud: image docker\.io\/vendor\/model:2\.1 is neither in a private ECR repository nor pinned by digest/);
  expect(() => use(image, 'ok')).toThrow(/allowExternalImage is too short/);
  use(image, 'Vendor image reviewed by the ML platform team, ticket SEC-123.');
  const model = Object.values(Template.fromStack(stack).findResources('AWS::SageMaker::Model'))[0];
  expect(model.Metadata['cdk-secure-ai:external-image']).toEqual({
    image: 'docker.io/vendor/model:2.1',
    problem: 'is neither in a private ECR repository nor pinned by digest',
    reason: 'Vendor image reviewed by the ML platform team, ticket SEC-123.',
  });
});

test('a CDK image asset is pinned by its content hash and pulled from the bootstrap repository', () => {
  const { stack, use } = fixture();
  const asset = new ecrAssets.DockerImageAsset(stack, 'Asset', { directory: __dirname, file: 'model-image.Dockerfile' });
  const image = ModelImage.fromAsset(asset);
  use(image);
  expect(stack.resolve(image.imageUri)).toEqual({ 'Fn::Sub': expect.stringContaining(`:${asset.assetHash}`) });
});
