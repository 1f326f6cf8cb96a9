import { CustomResource, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ArtifactSignatureGateFunction } from './artifact-signature-gate-function';
import { IArtifactSignatureGate } from './artifact-signature-gate-ref';
import { validateModelPackageArn, validateVerifiedKey } from './artifact-signature-gate-source';
import { retainedLogGroup } from '../construct-kit/log-group';
import { acknowledgeRules, OWN_POLICY_REASON, RULES, WildcardFindingIds } from '../construct-kit/pack-acknowledgments';
import type { AiEnvironment } from '../environment/ai-environment';
import { inVpcHandlerRole, relayProvider } from '../environment/in-vpc-handler-provider';
import { WorkloadSecurityGroup } from '../environment/workload-security-group';
import type { IModelRegistry } from '../registry/model-registry-ref';
import { signatureKeyOf, VERIFIED_PREFIX } from '../registry/registry-layout';

/** Properties of an {@link ArtifactSignatureGate}. Give exactly one of `artifactKey` and `modelPackageArn`. */
export interface ArtifactSignatureGateProps {
  /** The environment whose VPC, subnets and log key the gate uses. */
  readonly environment: AiEnvironment;
  /**
   * The registry whose artifact store holds the artifact and whose signing key signed it: a `ModelRegistry`, or one of
   * another account or stack (`ModelRegistry.fromModelRegistryAttributes`).
   */
  readonly registry: IModelRegistry;
  /**
   * The object key of a registered artifact in the registry's artifact bucket, `verified/<sha256>/model.tar.gz` as the
   * training pipeline's signing step writes it (write-once): its signature bundle `<key>.sig` must verify with the
   * registry's signing key and sign exactly that digest.
   * @default - none: give modelPackageArn
   */
  readonly artifactKey?: string;
  /**
   * A versioned model package of the registry's group (`arn:...:model-package/<group>/<version>`): the gate requires it
   * to be Approved, to be in the registry's partition, account and Region, to name `imageUri` and the registered copy
   * its signed metadata and signed provenance name, then verifies the artifact. A deploy-time value is accepted; a literal one is checked when the app is
   * synthesized.
   * @default - none: give artifactKey
   */
  readonly modelPackageArn?: string;
  /**
   * The container image the package's only container must name, exactly as written (same registry, repository and tag
   * or digest). Required with `modelPackageArn`.
   * @default - none; required with modelPackageArn
   */
  readonly imageUri?: string;
  /**
   * The managed prefix list of the environment's S3 gateway endpoint (`pl-...`), which the gate reads the artifact
   * through: its only egress besides the environment's endpoints.
   */
  readonly s3PrefixListId: string;
  /**
   * A value that changes whenever what the guarded model is made from changes (the endpoint passes a hash of its
   * model's configuration): the gate then runs again before a replaced model is created, even for the same package.
   * @default - the gate runs again only when the package, artifact, image or registry changes
   */
  readonly revision?: string;
  /**
   * The construct that owns the gate, as error messages name it (`InferenceEndpoint Fraud`).
   * @default - `ArtifactSignatureGate <id>`
   */
  readonly owner?: string;
}

/** How long the gate may take: it streams the whole artifact, and Lambda stops at 15 minutes. */
const GATE_TIMEOUT = Duration.minutes(15);

/**
 * A deploy-time check that a model artifact is the one the registry signed, as a custom resource that whatever deploys
 * the artifact depends on. On create and update its function reads the artifact's manifest, requires the manifest to
 * name this artifact and the registry's signing key (the key named in a manifest is never trusted), streams the
 * artifact to recompute its SHA-256, and verifies the signature with `kms:Verify` against the registry's key. Any
 * mismatch fails the deployment with a message naming the artifact. Delete does nothing.
 *
 * Given a model package (`modelPackageArn`) instead of an artifact key, it first describes the package and requires
 * it to belong to the registry's group, to be `Approved`, to have exactly one container whose image is `imageUri` and
 * whose `ModelDataUrl` is an artifact of the registry's store, and to carry the signing step's metadata (artifact
 * digest, manifest location, signing key) in agreement with the manifest; then it verifies that artifact as above. It
 * runs again whenever the package ARN changes; an approval revoked after deployment is not seen until then.
 *
 * It verifies the version of the artifact that is current when it runs, and runs again only when the artifact key or
 * package (or the registry) changes: publish every artifact under a key of its own, as the training pipeline does,
 * rather than writing a new version over a deployed key.
 *
 * The function runs in the environment's VPC with a no-ingress security group, a KMS-encrypted log group kept a year,
 * a reserved concurrency of one, and a role that may read only this artifact and its manifest (with a package, whose
 * artifact is known only at deploy time: the training artifacts `<prefix>/<job>/output/model.tar.gz` and their manifests, and
 * `sagemaker:DescribeModelPackage` on that one package), decrypt them and verify with the signing key. The Provider
 * framework's own function, which only relays the result to CloudFormation, runs outside the VPC (see the
 * acknowledgments below).
 */
export class ArtifactSignatureGate extends Construct implements IArtifactSignatureGate {
  /** The function that verifies the artifact. */
  public readonly verifier: lambda.Function;
  /** The custom resource; make the resources that use the artifact depend on it. */
  public readonly resource: CustomResource;
  /** The verified SHA-256 digest of the artifact (known at deploy time). */
  public readonly digest: string;
  /**
   * The object key of the verified artifact in the registry's store: `artifactKey`, or the key the package names (known
   * at deploy time).
   */
  public readonly artifactKey: string;
  public constructor(scope: Construct, id: string, props: ArtifactSignatureGateProps) {
    super(scope, id);
    const env = props.environment;
    const owner = props.owner ?? `ArtifactSignatureGate ${id}`;
    const bucket = props.registry.artifactBucket;
    const source = gateSource(owner, props);

    const securityGroup = new WorkloadSecurityGroup(this, 'SecurityGroup', {
      vpc: env.vpc,
      endpointSecurityGroup: env.endpointSecurityGroup,
      description: 'Model artifact signature gate: no ingress; HTTPS to the environment VPC endpoints and S3',
      s3PrefixListId: props.s3PrefixListId,
    });

    const logGroup = retainedLogGroup(this, 'LogGroup', {
      encryptionKey: env.logKey,
    });
    const subject = source.packageArn !== undefined ? `model package ${source.packageArn}` : `model artifact ${source.artifactKey}`;
    const role = inVpcHandlerRole(this, 'Role', env, logGroup, `Verifies the signature of ${subject} before it is deployed`);

    this.verifier = new ArtifactSignatureGateFunction(this, 'Function', {
      description: `Verifies the signed ${subject} against the registry's signing key before deployment`,
      role,
      vpc: env.vpc,
      vpcSubnets: env.workloadSubnets,
      securityGroups: [securityGroup],
      logGroup,
      memorySize: 1024,
      timeout: GATE_TIMEOUT,
      // One deployment verifies one artifact at a time; nothing else may run this code with this role.
      reservedConcurrentExecutions: 1,
    });
    let properties: Record<string, string>;
    if (source.packageArn !== undefined) {
      // The package names its artifact only at deploy time: the registered copies with their signatures, no other object.
      const readable = [`${VERIFIED_PREFIX}*`];
      iam.Grant.addToPrincipal({ grantee: role, actions: ['sagemaker:DescribeModelPackage'], resourceArns: [source.packageArn] });
      props.registry.grantReadArtifacts(role, readable);
      acknowledgeRules(role, readable.map((key) => WildcardFindingIds.resource(this, bucket.arnForObjects(key))), 'The model package '
        + 'names its artifact only when the gate runs, so the gate may read the registered copies (verified/<sha256>/, the only '
        + 'artifacts the training pipeline registers, with their signatures and provenance): no training data, training output, '
        + 'baseline or other object of the registry\'s store.');
      properties = {
        ArtifactBucket: bucket.bucketName,
        ModelPackageArn: source.packageArn,
        ModelPackageGroupArn: props.registry.modelPackageGroupArn,
        ImageUri: source.imageUri!,
        SigningKeyArn: props.registry.signingKey.keyArn,
      };
    } else {
      const artifactKey = source.artifactKey!;
      const manifestKey = signatureKeyOf(artifactKey);
      // Only this artifact and its signature; ListBucket (for these two keys) makes a missing object a 404, not a 403.
      props.registry.grantReadArtifacts(role, [artifactKey, manifestKey]);
      iam.Grant.addToPrincipal({
        grantee: role,
        actions: ['s3:ListBucket'],
        resourceArns: [bucket.bucketArn],
        conditions: { StringEquals: { 's3:prefix': [artifactKey, manifestKey] } },
      });
      properties = { ArtifactBucket: bucket.bucketName, ArtifactKey: artifactKey, SigningKeyArn: props.registry.signingKey.keyArn };
    }
    props.registry.grantVerify(role);

    const provider = relayProvider(this, {
      environment: env,
      handler: this.verifier,
      subject: `the signature gate of ${subject}`,
      ids: { logGroup: 'ProviderLogGroup', role: 'ProviderRole', provider: 'Provider' },
      handlerName: 'gate function',
      handlerFunction: 'gate function',
      handlerTitle: 'signature gate',
      frameworkReads: 'it reads no artifact, manifest or key. From the isolated subnets it could do neither',
    });
    this.acknowledge(role);

    // A changed package ARN or artifact key is a changed property: CloudFormation sends an Update and the gate runs again.
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::ArtifactSignatureGate',
      properties: props.revision === undefined ? properties : { ...properties, Revision: props.revision },
    });
    // The gate may run only once it can read and verify: its role's policies exist first.
    this.resource.node.addDependency(role);
    this.digest = this.resource.getAttString('Digest');
    if (source.artifactKey !== undefined) {
      this.artifactKey = source.artifactKey;
    } else {
      this.artifactKey = this.resource.getAttString('ArtifactKey');
    }
  }

  /** What the packs report on the gate function's role, and why it is as narrow as it can be. */
  private acknowledge(gateRole: iam.Role): void {
    acknowledgeRules(gateRole, RULES.inlinePolicy, OWN_POLICY_REASON);
    acknowledgeRules(gateRole, [WildcardFindingIds.resource(this, '*')], 'EC2 DescribeNetworkInterfaces and DescribeSubnets support no '
      + 'resource-level permissions; creating and deleting the function\'s network interfaces is limited by an ec2:Vpc condition to '
      + 'the environment\'s VPC, as Lambda needs them to run the gate in its subnets.');
  }
}

/** The gate's source, checked: exactly one of an artifact key and a package ARN (with the image it must name). */
interface GateSource {
  readonly artifactKey?: string;
  readonly packageArn?: string;
  readonly imageUri?: string;
}

function gateSource(owner: string, props: ArtifactSignatureGateProps): GateSource {
  if ((props.artifactKey === undefined) === (props.modelPackageArn === undefined)) {
    throw new Error(`${owner}: give exactly one of \`artifactKey\` (a signed artifact of the registry) and \`modelPackageArn\` (an `
      + `approved model package of the registry's group); ${props.artifactKey === undefined ? 'neither was' : 'both were'} given.`);
  }
  if (props.modelPackageArn === undefined) return { artifactKey: validateVerifiedKey(owner, 'artifactKey', props.artifactKey!) };
  if (props.imageUri === undefined) {
    throw new Error(`${owner}: \`imageUri\` is required with \`modelPackageArn\`: the gate refuses a package whose container image is `
      + 'not the one the deployment pulls. Fix: pass the image URI the model runs (ModelImage.imageUri).');
  }
  return { packageArn: validateModelPackageArn(owner, props.modelPackageArn, props.registry), imageUri: props.imageUri };
}
