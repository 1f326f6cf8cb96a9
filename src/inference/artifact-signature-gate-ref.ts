import { CustomResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

/**
 * The deploy-time signature gate an `InferenceEndpoint` makes (`endpoint.signatureGate`): a custom resource that
 * proves the model's artifact was signed by the registry's key before the model is created. Read it to order other
 * resources after the proof or to name the verified artifact; the endpoint builds the gate itself.
 */
export interface IArtifactSignatureGate extends IConstruct {
  /** The function that verifies the artifact. */
  readonly verifier: lambda.IFunction;
  /** The custom resource; make the resources that use the artifact depend on it. */
  readonly resource: CustomResource;
  /** The verified SHA-256 digest of the artifact (known at deploy time). */
  readonly digest: string;
  /**
   * The object key of the verified artifact in the registry's store: the endpoint's `modelArtifactKey`, or the key its
   * model package names (known at deploy time).
   */
  readonly artifactKey: string;
}
