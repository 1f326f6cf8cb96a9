import { Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { assertSameStack, principalArnsOf } from './resource-policy-principals';
import { assertSameEnvironment } from '../construct-kit/stage-segregation';
import { keyAdministrationOnlyByAdministrator } from '../storage/key-administration';
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
 * by then. The account root stays exempt from the signing deny because only the key administrators (the role that
 * deploys the stack, and the AiEnvironment's `keyAdministratorRoleArn`) may rewrite the key policy, disable the key or schedule its deletion. KMS grants may only be created by AWS services for AWS resources (Control Tower CT.KMS.PR.3). RETAINed,
 * 30-day deletion window. Grantees must be in the key's stack or imported there by ARN. Asymmetric keys cannot be
 * rotated by KMS: rotate by creating a new registry key and re-signing, keeping the old public key to verify older
 * artifacts.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them).
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
    this.addToResourcePolicy(keyAdministrationOnlyByAdministrator(this));
  }

  /**
   * Grants actions on the key in both the principal's policy and the key policy. A grant that includes `kms:Sign`
   * also exempts the principal from the key policy's deny of signing. Refuses principals of another environment stage.
   */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    assertSameEnvironment(this, grantee, 'Key');
    assertSameStack(`ArtifactSigningKey ${this.node.path}`, this, grantee);
    if (actions.includes('kms:Sign')) this.signerArns.push(...principalArnsOf(`ArtifactSigningKey ${this.node.path}`, 'kms:Sign', grantee));
    return iam.Grant.addToPrincipalAndResource({
      grantee,
      actions,
      resourceArns: [this.keyArn],
      resource: this,
      resourceSelfArns: ['*'],
    });
  }

  /** Grants `kms:Sign` and `kms:GetPublicKey`: the principal may sign, and read the public key its bundles name. */
  public grantSign(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'kms:Sign', 'kms:GetPublicKey');
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

function notForEncryption(keyPath: string, method: string): Error {
  return new Error(`ArtifactSigningKey ${keyPath}: ${method} is not available; this key only signs and verifies (SIGN_VERIFY). `
    + 'Fix: use grantSign or grantVerify, and an EnvironmentKey for encryption.');
}
