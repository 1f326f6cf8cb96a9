import { Arn, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A Bedrock model ID such as `anthropic.claude-3-5-sonnet-20240620-v1:0` or `amazon.titan-embed-text-v2:0`. */
const MODEL_ID = /^[a-z0-9-]+\.[a-zA-Z0-9._:-]+$/;
/** A system-defined cross-Region inference profile: a geography prefix and a model ID (`eu.anthropic.claude-...`). */
const PROFILE_ID = /^(us|eu|apac|us-gov|ca|jp|au|global)\.([a-z0-9-]+\.[a-zA-Z0-9._:-]+)$/;
const MODEL_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:(\d{12})?:(foundation-model|inference-profile|application-inference-profile|provisioned-model|custom-model-deployment|imported-model)\/.+$/;

/** How the model is addressed. */
enum ModelKind { FOUNDATION = 'foundation', PROFILE = 'profile', ARN = 'arn' }

/**
 * A Bedrock model that a role may invoke: named, never `*`, so that a compromised agent or function cannot query other
 * models (SecureAI-D10).
 */
export class BedrockModel {
  /** A foundation model of the stack's Region, by its model ID (`amazon.titan-embed-text-v2:0`). */
  public static foundationModel(modelId: string): BedrockModel {
    if (Token.isUnresolved(modelId) || !MODEL_ID.test(modelId)) {
      throw new Error(`BedrockModel.foundationModel: '${modelId}' is not a Bedrock model ID. Fix: give the ID as text, `
        + 'such as \'amazon.titan-embed-text-v2:0\' (aws bedrock list-foundation-models).');
    }
    return new BedrockModel(ModelKind.FOUNDATION, modelId);
  }

  /**
   * A system-defined cross-Region inference profile (`eu.anthropic.claude-3-7-sonnet-20250219-v1:0`). The role is
   * granted the profile of the stack's account and Region and the foundation model it routes to in any Region, which
   * is what Bedrock checks when the profile forwards a request.
   */
  public static inferenceProfile(profileId: string): BedrockModel {
    if (Token.isUnresolved(profileId) || !PROFILE_ID.test(profileId)) {
      throw new Error(`BedrockModel.inferenceProfile: '${profileId}' is not a system-defined inference profile ID. Fix: give the ID `
        + 'as text, a geography prefix and a model ID, such as \'eu.anthropic.claude-3-7-sonnet-20250219-v1:0\' '
        + '(aws bedrock list-inference-profiles).');
    }
    return new BedrockModel(ModelKind.PROFILE, profileId);
  }

  /**
   * A model by its ARN: a foundation model, an inference profile (system-defined or application), a provisioned
   * model, an imported model or a custom model deployment. A deploy-time ARN (a parameter) is accepted as it is.
   */
  public static fromArn(modelArn: string): BedrockModel {
    if (!Token.isUnresolved(modelArn) && (!MODEL_ARN.test(modelArn) || /[*?]/.test(modelArn))) {
      throw new Error(`BedrockModel.fromArn: '${modelArn}' is not the ARN of one Bedrock model. Fix: give a model ARN without `
        + 'wildcards, such as arn:aws:bedrock:eu-west-2::foundation-model/amazon.titan-embed-text-v2:0.');
    }
    return new BedrockModel(ModelKind.ARN, modelArn);
  }

  private constructor(private readonly kind: ModelKind, private readonly id: string) {}

  /**
   * Whether the model is a foundation model (by ID, or by an ARN of a foundation model): what a knowledge base embeds
   * with. False for a deploy-time ARN, which cannot be told apart.
   */
  public get isFoundationModel(): boolean {
    return this.kind === ModelKind.FOUNDATION || (this.kind === ModelKind.ARN && !Token.isUnresolved(this.id) && this.id.includes(':foundation-model/'));
  }

  /** The ARN a caller names in InvokeModel (`modelId`), in the stack of `scope`. */
  public modelArn(scope: IConstruct): string {
    const stack = Stack.of(scope);
    switch (this.kind) {
      case ModelKind.FOUNDATION:
        return Arn.format({ service: 'bedrock', account: '', resource: 'foundation-model', resourceName: this.id }, stack);
      case ModelKind.PROFILE:
        return Arn.format({ service: 'bedrock', resource: 'inference-profile', resourceName: this.id }, stack);
      default:
        return this.id;
    }
  }

  /** Every ARN a role needs to invoke the model: for a system-defined profile, also its foundation model in any Region. */
  public invocationArns(scope: IConstruct): string[] {
    if (this.kind !== ModelKind.PROFILE) return [this.modelArn(scope)];
    const modelId = PROFILE_ID.exec(this.id)![2];
    const stack = Stack.of(scope);
    return [
      this.modelArn(scope),
      Arn.format({ service: 'bedrock', region: '*', account: '', resource: 'foundation-model', resourceName: modelId }, stack),
    ];
  }

  /**
   * The ARNs of `invocationArns` that name the model in any Region (a system-defined profile's foundation model).
   * @internal
   */
  public _anyRegionArns(scope: IConstruct): string[] {
    return this.kind === ModelKind.PROFILE ? this.invocationArns(scope).slice(1) : [];
  }
}
