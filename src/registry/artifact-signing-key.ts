import { Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { assertSameEnvironment } from '../construct-kit/stage-segregation';
import { grantsOnlyForAwsResources } from '../storage/key-policy';

/** Properties of an {@link ArtifactSigningKey}. */
export interface ArtifactSigningKeyProps {
  /**
   * A description shown in the KMS console.
   * @default - says that the key signs model artifacts
   */
  readonly description?: string;
}

/**
 * The asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs the digests of trained model artifacts, so that a
 * deployment can prove an artifact is the one the training pipeline produced.
 *
 * Only the principals granted `kms:Sign` through this key (`grantSign`, or `grant` with `kms:Sign`) can sign: the key
 * policy denies `kms:Sign` to every other principal ARN, so an IAM policy elsewhere in the account cannot hand out the
 * ability to forge signatures. The exempted ARNs are computed when the template is synthesized, from the grants made
 * by then. The account root stays exempt because it can rewrite the key policy anyway; key administration is not
 * denied. KMS grants may only be created by AWS services for AWS resources (Control Tower CT.KMS.PR.3). RETAINed,
 * 30-day deletion window. Grantees must be in the key's stack or imported there by ARN. Asymmetric keys cannot be
 * rotated by KMS: rotate by creating a new registry key and re-signing, keeping the old public key to verify older
 * artifacts.
 *
 * Satisfies by default: SecureAI-P15 (a signing key for the model registry), P16 (no open key policy, 30-day window).
 */
export class ArtifactSigningKey extends kms.Key {
  /** The signing algorithm every signature of this key uses. */
  public static readonly SIGNING_ALGORITHM = 'ECDSA_SHA_256';

  private readonly signerArns: string[] = [];

  public constructor(scope: Construct, id: string, props: ArtifactSigningKeyProps = {}) {
    super(scope, id, {
      description: props.description ?? 'Signs the digests of trained model artifacts (ECDSA_SHA_256)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      enableKeyRotation: false, // KMS rotates symmetric keys only
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const root = new iam.AccountRootPrincipal().arn;
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'SignOnlyByPublishers',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Sign'],
      resources: ['*'], // in a key policy, '*' means this key
      // Rendered at synthesis, after every grant of the app has been made.
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => [root, ...this.signerArns] }) } },
    }));
    // A KMS grant would let its holder sign outside the key policy.
    this.addToResourcePolicy(grantsOnlyForAwsResources());
  }

  /**
   * Grants actions on the key in both the principal's policy and the key policy. A grant that includes `kms:Sign`
   * also exempts the principal from the key policy's deny of signing. Refuses principals of another environment stage.
   */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    assertSameEnvironment(this, grantee, 'Key');
    assertSameStack(this, grantee);
    if (actions.includes('kms:Sign')) this.signerArns.push(...signerArnsOf(this.node.path, grantee));
    return iam.Grant.addToPrincipalAndResource({
      grantee,
      actions,
      resourceArns: [this.keyArn],
      resource: this,
      resourceSelfArns: ['*'],
    });
  }

  /** Grants `kms:Sign`: the principal may sign artifact digests. */
  public grantSign(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'kms:Sign');
  }

  /** Grants `kms:Verify` and `kms:GetPublicKey`: the principal may check signatures, online or offline. */
  public grantVerify(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'kms:Verify', 'kms:GetPublicKey');
  }

  /** Always throws: a signing key neither encrypts nor decrypts. */
  public grantDecrypt(_grantee: iam.IGrantable): iam.Grant {
    throw notForEncryption(this.node.path, 'grantDecrypt');
  }

  /** Always throws: a signing key neither encrypts nor decrypts. */
  public grantEncrypt(_grantee: iam.IGrantable): iam.Grant {
    throw notForEncryption(this.node.path, 'grantEncrypt');
  }

  /** Always throws: a signing key neither encrypts nor decrypts. */
  public grantEncryptDecrypt(_grantee: iam.IGrantable): iam.Grant {
    throw notForEncryption(this.node.path, 'grantEncryptDecrypt');
  }
}

/** The principal ARNs a signer is recognised by in `aws:PrincipalArn`: those of an IAM role or user. */
function signerArnsOf(keyPath: string, grantee: iam.IGrantable): string[] {
  const principal = grantee.grantPrincipal;
  const arns = principal instanceof iam.AccountPrincipal ? [] : (principal.policyFragment.principalJson.AWS ?? []);
  if (arns.length === 0) {
    throw new Error(`ArtifactSigningKey ${keyPath}: kms:Sign can only be granted to an IAM role or user, not to ${principal}. `
      + 'Fix: grant the role that runs the signing step (for a Lambda function, the function itself or its role).');
  }
  return arns;
}

/**
 * The key policy names each grantee, and the grantee's policy names the key: across stacks the two references would
 * make the stacks depend on each other. A principal known by a literal ARN (an imported role) can be named anywhere.
 */
function assertSameStack(key: ArtifactSigningKey, grantee: iam.IGrantable): void {
  const principal = grantee.grantPrincipal;
  if (!Construct.isConstruct(principal) || Stack.of(principal) === Stack.of(key)) return;
  const arns = principal.policyFragment.principalJson.AWS ?? [];
  if (arns.every((arn) => !Token.isUnresolved(arn))) return;
  throw new Error(`ArtifactSigningKey ${key.node.path}: ${principal.node.path} is in stack ${Stack.of(principal).stackName}, not in the `
    + `key's stack ${Stack.of(key).stackName}; the key policy and the principal's policy would reference each other across stacks. `
    + 'Fix: create the principal in the key\'s stack, or import it there by ARN (iam.Role.fromRoleArn) and grant the imported role.');
}

function notForEncryption(keyPath: string, method: string): Error {
  return new Error(`ArtifactSigningKey ${keyPath}: ${method} is not available; this key only signs and verifies (SIGN_VERIFY). `
    + 'Fix: use grantSign or grantVerify, and an EnvironmentKey for encryption.');
}
