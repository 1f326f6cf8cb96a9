import { Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { recordReason, requireReason } from '../construct-kit/opt-out-reason';

/** An `@sha256:` digest: the only reference that cannot be repointed at other bytes. */
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** How the image was given, which decides what can be proven about it. */
enum ImageSource {
  /** An ECR repository: trusted registry; pinned if by digest, or by tag in a repository of this app with immutable tags. */
  ECR = 'ecr',
  /** A CDK image asset: the content-hash tag in the bootstrap repository, which is immutable. */
  ASSET = 'asset',
  /** A URI with an `@sha256:` digest: pinned, registry not vetted here. */
  PINNED_URI = 'pinned-uri',
  /** A URI by tag outside ECR: neither pinned nor vetted. */
  EXTERNAL_URI = 'external-uri',
}

/** How a construct that runs a model container (training job, model) accepts an image. */
export interface ModelImageUse {
  /** The construct and its id, for error messages (`TrainingPipeline Fraud`). */
  readonly construct: string;
  /** The resource the image runs in, where an external image's reason is recorded as metadata. */
  readonly resource: IConstruct;
  /** The role that pulls the image. */
  readonly puller: iam.IGrantable;
  /** The construct's `allowExternalImage` prop: the reason an unvetted or unpinned image is accepted. */
  readonly allowExternalImage?: string;
}

/**
 * The container image of a training job or a model. Models and their code are untrusted input (the guideline's
 * supply-chain section), so the constructs accept an image only from a private ECR repository that is vetted
 * (IMMUTABLE tags, scan on push, KMS encryption) or pinned by digest; anything else needs `allowExternalImage`
 * with a reason.
 */
export class ModelImage {
  /**
   * An image in a private ECR repository, by tag or by digest (`sha256:...`). A tag is accepted only in a repository
   * of this app whose tags are IMMUTABLE; a repository defined elsewhere must be addressed by digest.
   */
  public static fromEcrRepository(repository: ecr.IRepository, tagOrDigest: string): ModelImage {
    return new ModelImage(repository.repositoryUriForTagOrDigest(tagOrDigest), ImageSource.ECR, repository, tagOrDigest);
  }

  /** A CDK image asset, built and pushed by `cdk deploy` and referenced by its content hash. */
  public static fromAsset(asset: ecrAssets.DockerImageAsset): ModelImage {
    return new ModelImage(asset.imageUri, ImageSource.ASSET, asset.repository, asset.imageTag);
  }

  /** An image from any registry, by a URI that ends in `@sha256:<64 hex digits>`. */
  public static fromPinnedUri(imageUri: string): ModelImage {
    const digest = imageUri.slice(imageUri.lastIndexOf('@') + 1);
    if (Token.isUnresolved(imageUri) || !imageUri.includes('@') || !DIGEST.test(digest)) {
      throw new Error(`ModelImage.fromPinnedUri: '${imageUri}' is not pinned by digest. `
        + 'Fix: append @sha256:<64 lowercase hex digits>, or use ModelImage.fromUri with the construct\'s allowExternalImage reason.');
    }
    return new ModelImage(imageUri, ImageSource.PINNED_URI, undefined, digest);
  }

  /**
   * An image by a URI that is neither vetted nor pinned (a public registry tag). The construct that runs it must be
   * given `allowExternalImage` with a reason, which is rendered into the template metadata.
   */
  public static fromUri(imageUri: string): ModelImage {
    return new ModelImage(imageUri, ImageSource.EXTERNAL_URI, undefined, undefined);
  }

  /** The image URI the container definition uses. */
  public readonly imageUri: string;

  private constructor(
    imageUri: string,
    private readonly source: ImageSource,
    /** The ECR repository, when the image is in one (for pull permissions). */
    private readonly repository: ecr.IRepository | undefined,
    private readonly reference: string | undefined,
  ) {
    this.imageUri = imageUri;
  }

  /**
   * Checks the image for a construct, grants the puller what it needs, and records an accepted external image's reason.
   * Throws when the image is neither vetted nor pinned and no reason is given.
   * @internal
   */
  public _bind(use: ModelImageUse): void {
    const problem = this.problem(use.resource);
    if (problem !== undefined) {
      if (use.allowExternalImage === undefined) {
        throw new Error(`${use.construct}: image ${this.imageUri} ${problem}. Fix: use a private ECR repository with IMMUTABLE `
          + 'tags, scan on push and KMS encryption (ModelImage.fromEcrRepository), pin the image by digest (ModelImage.fromPinnedUri), '
          + 'or set allowExternalImage to the reason this image is trusted.');
      }
      const reason = requireReason(use.construct, 'allowExternalImage', use.allowExternalImage, 'who vetted this image and how');
      recordReason(use.resource, 'external-image', { image: this.imageUri, problem, reason });
    }
    this.repository?.grantPull(use.puller);
  }

  /**
   * Lets a principal read the image's digest from its ECR repository (`ecr:DescribeImages`), as the training
   * pipeline's signing step does to record it in the provenance. Nothing for an image outside ECR.
   * @internal
   */
  public _grantDescribeImages(grantee: iam.IGrantable): void {
    this.repository?.grant(grantee, 'ecr:DescribeImages');
  }

  /** What is wrong with the image, or undefined when it is vetted or pinned. */
  private problem(user: IConstruct): string | undefined {
    switch (this.source) {
      case ImageSource.ASSET:
      case ImageSource.PINNED_URI:
        return undefined;
      case ImageSource.EXTERNAL_URI:
        return 'is neither in a private ECR repository nor pinned by digest';
      case ImageSource.ECR:
        return this.ecrProblem(user);
    }
  }

  private ecrProblem(user: IConstruct): string | undefined {
    const byDigest = this.reference !== undefined && DIGEST.test(this.reference);
    const cfn = this.repository instanceof ecr.Repository ? this.repository.node.defaultChild as ecr.CfnRepository : undefined;
    if (cfn === undefined) {
      return byDigest ? undefined : 'is addressed by tag in a repository defined outside this app, whose tags may be mutable';
    }
    const problems: string[] = [];
    if (!byDigest && cfn.imageTagMutability !== ecr.TagMutability.IMMUTABLE) problems.push('mutable tags (set imageTagMutability: IMMUTABLE)');
    const scanning = Stack.of(user).resolve(cfn.imageScanningConfiguration) as { scanOnPush?: boolean } | undefined;
    if (scanning?.scanOnPush !== true) problems.push('no scan on push (set imageScanOnPush: true)');
    const encryption = Stack.of(user).resolve(cfn.encryptionConfiguration) as { encryptionType?: string } | undefined;
    if (encryption?.encryptionType !== 'KMS') problems.push('no KMS encryption (set encryption: RepositoryEncryption.KMS with a key)');
    return problems.length === 0 ? undefined : `is in repository ${this.repository!.node.path} with ${problems.join(', ')}`;
  }
}
