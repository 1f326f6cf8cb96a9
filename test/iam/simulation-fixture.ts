// The app the policy simulation evaluates requests against: the reference platform example (environment, registry,
// training, endpoint, API, backup) plus a second training pipeline on a GPU type with local NVMe storage, whose
// principals opted in to hardware-encrypted storage. Synthesized once; its rendered policies are read by logical ID.
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ContextValue, PolicyDocument } from './policy-evaluator';
import { TemplatePolicy, TemplateRenderer, policiesOfTemplate } from './template-policies';
import { buildPlatform } from '../../examples/secure-ai-platform/app';
import { ModelImage } from '../../src/registry/model-image';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../../src/storage/environment-key';
import { SecureBucket } from '../../src/storage/secure-bucket';
import { TrainingPipeline } from '../../src/training/training-pipeline';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-2';
export const OTHER_ACCOUNT = '999999999999';

interface CfnResource { Type: string; Properties?: Record<string, any> }

/** The synthesized platform, with look-ups of its rendered policies. */
export class SimulationFixture {
  public static build(): SimulationFixture {
    const app = new App();
    const platform = buildPlatform(app);
    const images = new ecr.Repository(platform, 'VisionImages', {
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: new EnvironmentKey(platform, 'VisionImagesKey', { purpose: EnvironmentKeyPurpose.DATA }),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const data = new SecureBucket(platform, 'VisionData', { environment: platform.aiEnvironment });
    const vision = new TrainingPipeline(platform, 'Vision', {
      environment: platform.aiEnvironment,
      registry: platform.registry,
      image: ModelImage.fromEcrRepository(images, `sha256:${'5d'.repeat(32)}`),
      s3PrefixListId: 'pl-7ca54015',
      trainingData: [{ channelName: 'train', bucket: data, prefix: 'images/', sha256: 'c'.repeat(64) }],
      instanceType: 'ml.g5.2xlarge',
      allowHardwareEncryptedStorage: 'The detector fine-tunes on the GPUs of ml.g5, whose NVMe storage is encrypted in hardware',
    });
    const template = app.synth().getStackByName(platform.stackName).template;
    return new SimulationFixture(template, platform, platform.pipeline.jobNamePrefix, vision.jobNamePrefix);
  }

  public readonly policies: TemplatePolicy[];
  private readonly renderer: TemplateRenderer;

  private constructor(
    public readonly template: { Resources: Record<string, CfnResource> },
    public readonly stack: Stack,
    /** The job name prefixes of the platform's pipeline and of the GPU pipeline. */
    public readonly trainingJobPrefix: string,
    public readonly visionJobPrefix: string,
  ) {
    const env = { account: ACCOUNT, region: REGION, partition: 'aws' };
    this.policies = policiesOfTemplate(template, 'platform', env);
    this.renderer = new TemplateRenderer(template, env);
  }

  /** The logical ID of the one resource of a type whose ID starts with a prefix. */
  public id(type: string, prefix: string): string {
    const ids = Object.entries(this.template.Resources).filter(([id, r]) => r.Type === type && id.startsWith(prefix)).map(([id]) => id);
    if (ids.length !== 1) throw new Error(`${ids.length} resources of type ${type} start with ${prefix}: ${ids.join(', ')}`);
    return ids[0];
  }

  public arn(type: string, prefix: string): string {
    return String(this.renderer.render({ 'Fn::GetAtt': [this.id(type, prefix), 'Arn'] }));
  }

  public ref(type: string, prefix: string): string {
    return String(this.renderer.render({ Ref: this.id(type, prefix) }));
  }

  /** The role's identity-based policies: its inline policies, policies attached to it and its managed policies of the app. */
  public identityOf(rolePrefix: string): PolicyDocument[] {
    const role = this.id('AWS::IAM::Role', rolePrefix);
    const attached = this.policies.filter((p) => {
      const props = this.template.Resources[p.logicalId].Properties ?? {};
      return p.kind === 'identity' && ((p.logicalId === role && p.propertyPath.startsWith('Policies'))
        || (props.Roles ?? []).some((r: { Ref?: string }) => r.Ref === role));
    });
    const managed = (this.template.Resources[role].Properties?.ManagedPolicyArns ?? []) as Array<{ Ref?: string }>;
    const managedDocs = this.policies.filter((p) => managed.some((m) => m.Ref === p.logicalId));
    return [...attached, ...managedDocs].map((p) => p.document);
  }

  /** The request-context keys a role brings: its tags as aws:PrincipalTag. */
  public principalTagsOf(rolePrefix: string): Record<string, ContextValue> {
    const tags = (this.template.Resources[this.id('AWS::IAM::Role', rolePrefix)].Properties?.Tags ?? []) as Array<{ Key: string; Value: string }>;
    return Object.fromEntries(tags.map((t) => [`aws:PrincipalTag/${t.Key}`, t.Value]));
  }

  public roleArn(rolePrefix: string): string {
    return this.arn('AWS::IAM::Role', rolePrefix);
  }

  /** The one policy document at a resource's property (a trust, key, bucket, topic or endpoint policy). */
  public documentOf(type: string, prefix: string, propertyPath: string): PolicyDocument {
    const id = this.id(type, prefix);
    const found = this.policies.filter((p) => p.logicalId === id && p.propertyPath === propertyPath);
    if (found.length !== 1) throw new Error(`${found.length} policies at ${id}.${propertyPath}`);
    return found[0].document;
  }

  /** The bucket policy of a bucket, by the bucket's logical ID prefix. */
  public bucketPolicyOf(bucketPrefix: string): PolicyDocument {
    const bucket = this.id('AWS::S3::Bucket', bucketPrefix);
    const policy = Object.entries(this.template.Resources).find(([, r]) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties?.Bucket?.Ref === bucket);
    if (!policy) throw new Error(`no bucket policy of ${bucket}`);
    return this.documentOf('AWS::S3::BucketPolicy', policy[0], 'PolicyDocument');
  }

  public get boundary(): PolicyDocument {
    const found = this.policies.filter((p) => p.kind === 'boundary');
    if (found.length !== 1) throw new Error(`${found.length} boundaries`);
    return found[0].document;
  }

  /** The environment's workload subnets, as the boundary names them. */
  public get subnetIds(): string[] {
    return Object.entries(this.template.Resources)
      .filter(([id, r]) => r.Type === 'AWS::EC2::Subnet' && id.includes('Workload'))
      .map(([id]) => String(this.renderer.render({ Ref: id })));
  }
}
