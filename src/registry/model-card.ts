import { Duration, Names, RemovalPolicy, Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { metricGroupOverrides, renderModelCardContent } from './model-card-content';
import { ModelCardStatus } from './model-card-status';
import type { ModelEvaluation } from './model-evaluation';
import type { IModelRegistry } from './model-registry-ref';
import type { ModelRiskRating } from './model-risk-rating';
import type { TrainingDataDigest } from './training-data-digest';
import { libraryConstruct } from '../construct-kit/library-construct';
import { assertSameEnvironment } from '../construct-kit/stage-segregation';
import { invalidProp } from '../construct-kit/validation';
import type { AiEnvironment } from '../environment/ai-environment';
import { DataClassification } from '../storage/data-classification';

/** Properties of a {@link ModelCard}. */
export interface ModelCardProps {
  /** The environment the card belongs to: its data key encrypts the card unless `encryptionKey` is given. */
  readonly environment: AiEnvironment;
  /**
   * The name users know the model by (`model_overview.model_name`). When it is the name of a SageMaker model of the
   * app, the SecureAI pack links the card to that model.
   */
  readonly modelName: string;
  /**
   * The SageMaker model's ARN or name, or the ID of a model outside SageMaker (`model_overview.model_id`). A
   * reference to a model of the app (`model.ref`) links the card to it for the SecureAI pack.
   * @default - none
   */
  readonly modelId?: string;
  /**
   * The name of the card: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.
   * @default - derived from the construct path
   */
  readonly modelCardName?: string;
  /** Who is accountable for the model: a team or a person (`model_overview.model_owner`). */
  readonly owner: string;
  /**
   * What the model is, at most 1024 characters (`model_overview.model_description`).
   * @default - none
   */
  readonly description?: string;
  /** What the model is for, in a sentence (`intended_uses.purpose_of_model`). */
  readonly purpose: string;
  /** The uses the model was built and evaluated for (rendered into `intended_uses.intended_uses`). */
  readonly intendedUses: string[];
  /** The uses the model must not be put to (rendered into `intended_uses.intended_uses`, under "Out of scope"). */
  readonly outOfScopeUses: string[];
  /**
   * Every training data source with its SHA-256 digest, at most 15 (`training_details` and, with the digests,
   * `additional_information.custom_details`): the model can be traced to the exact data it saw.
   */
  readonly trainingData: TrainingDataDigest[];
  /**
   * Observations about training, at most 1024 characters (`training_details.training_observations`).
   * @default - none
   */
  readonly trainingObservations?: string;
  /** The evaluations the model went through before release: at least one (`evaluation_details`). */
  readonly evaluations: ModelEvaluation[];
  /** The known limitations users must be told about (`additional_information.caveats_and_recommendations`). */
  readonly limitations: string[];
  /** How the model is known to fail (`intended_uses.factors_affecting_model_efficiency`). */
  readonly failureModes: string[];
  /** The organisation's risk rating of the model (`intended_uses.risk_rating`). */
  readonly riskRating: ModelRiskRating;
  /** Why the model has that rating (`intended_uses.explanations_for_risk_rating`). */
  readonly riskRatingExplanation: string;
  /** How long the model and its card are kept after retirement (custom detail `retention_days`). At least a day. */
  readonly retention: Duration;
  /** How often the card is reviewed (custom detail `review_frequency_days`): between a day and a year. */
  readonly reviewFrequency: Duration;
  /**
   * The review state of the card. APPROVED needs `approvedBy`.
   * @default ModelCardStatus.PENDING_REVIEW - a card written in code is approved by its reviewer, not by default
   */
  readonly status?: ModelCardStatus;
  /**
   * Who approved the card (custom detail `approved_by`). Required when `status` is APPROVED.
   * @default - none
   */
  readonly approvedBy?: string;
  /**
   * Ethical considerations, at most 2048 characters (`additional_information.ethical_considerations`).
   * @default - none
   */
  readonly ethicalConsiderations?: string;
  /**
   * The customer-managed key that encrypts the card (`SecurityConfig.KmsKeyId`).
   * @default - the environment's data key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The registry the model is published to: the card records its model package group and the signing key that
   * verifies the model's artifacts (custom details `model_package_group`, `signing_key_arn`).
   * @default - none
   */
  readonly registry?: IModelRegistry;
  /**
   * How sensitive the card is, rendered as its `DataClassification` tag (SecureAI-V13).
   * @default DataClassification.CONFIDENTIAL - a card holds evaluation results and failure modes
   */
  readonly dataClassification?: DataClassification;
}

const CARD_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/**
 * A SageMaker model card (`AWS::SageMaker::ModelCard`) written from typed props: who owns the model, what it is for
 * and not for, the training data with its SHA-256 digests, the evaluation results, the limitations and failure modes,
 * the risk rating with its reason, and how long it is kept and how often reviewed. A missing or malformed field throws
 * at synth time naming the prop. The card is encrypted with a customer-managed key, tagged and RETAINed.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them).
 */
export class ModelCard extends Construct {
  /** The model card resource. */
  public readonly cfnModelCard: sagemaker.CfnModelCard;
  /** The name of the card. */
  public readonly modelCardName: string;
  /** The ARN of the card. */
  public readonly modelCardArn: string;
  /** The key that encrypts the card. */
  public readonly encryptionKey: kms.IKey;
  /** The review state of the card. */
  public readonly status: ModelCardStatus;

  public constructor(scope: Construct, id: string, props: ModelCardProps) {
    super(scope, id);
    const owner = libraryConstruct(this, 'ModelCard');
    const name = props.modelCardName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' }).toLowerCase();
    if (!Token.isUnresolved(name) && !CARD_NAME.test(name)) {
      throw new Error(`${owner}: modelCardName '${name}' is not a valid model card name. Fix: use 1 to 63 letters, digits and `
        + 'hyphens, starting and ending with a letter or digit (for example \'fraud-detector-v3\'), or leave it unset.');
    }
    this.status = props.status ?? ModelCardStatus.PENDING_REVIEW;
    const approvedBy = validateApproval(id, this.status, props.approvedBy);
    const retentionDays = wholeDays(id, 'retention', props.retention, 1, undefined);
    const reviewDays = wholeDays(id, 'reviewFrequency', props.reviewFrequency, 1, 365);

    const customDetails: Record<string, string> = {
      retention_days: `${retentionDays}`,
      review_frequency_days: `${reviewDays}`,
    };
    if (approvedBy) customDetails.approved_by = approvedBy;
    if (props.registry) {
      customDetails.model_package_group = props.registry.modelPackageGroupName;
      customDetails.signing_key_arn = props.registry.signingKey.keyArn;
    }
    const content = renderModelCardContent(id, { ...props, customDetails });

    this.encryptionKey = props.encryptionKey ?? props.environment.dataKey;
    this.cfnModelCard = new sagemaker.CfnModelCard(this, 'Resource', {
      modelCardName: name,
      modelCardStatus: this.status,
      content,
      securityConfig: { kmsKeyId: this.encryptionKey.keyArn },
    });
    for (const [path, value] of Object.entries(metricGroupOverrides(props.evaluations))) this.cfnModelCard.addPropertyOverride(path, value);
    this.cfnModelCard.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Tags.of(this.cfnModelCard).add('DataClassification', props.dataClassification ?? DataClassification.CONFIDENTIAL);
    this.modelCardName = name;
    this.modelCardArn = this.cfnModelCard.attrModelCardArn;
  }

  /** `sagemaker:DescribeModelCard` on this card and `kms:Decrypt` on its key. Refuses principals of another environment stage. */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    assertSameEnvironment(this, grantee, 'ModelCard');
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:DescribeModelCard'], resourceArns: [this.modelCardArn] })
      .combine(this.encryptionKey.grantDecrypt(grantee));
  }
}

function validateApproval(id: string, status: ModelCardStatus, approvedBy: string | undefined): string | undefined {
  if (!Object.values(ModelCardStatus).includes(status)) {
    throw new Error(`ModelCard ${id}: status '${status}' is not a ModelCardStatus. Fix: use the enum's values.`);
  }
  if (status === ModelCardStatus.APPROVED && (approvedBy === undefined || approvedBy.trim() === '')) {
    throw new Error(`ModelCard ${id}: status is APPROVED but approvedBy is empty. Fix: name who reviewed and approved the card, `
      + 'so that the release decision is recorded, or leave status at PENDING_REVIEW until it is approved.');
  }
  if (approvedBy !== undefined && approvedBy.length > 1024) {
    throw invalidProp(`ModelCard ${id}`, { prop: 'approvedBy', shown: `${approvedBy.length} characters long`, problem: '', fix: 'shorten it to at most 1024 characters' });
  }
  return approvedBy;
}

function wholeDays(id: string, prop: string, duration: Duration, min: number, max: number | undefined): number {
  const days = duration.toDays({ integral: false });
  if (!Number.isInteger(days) || days < min || (max !== undefined && days > max)) {
    const range = max === undefined ? `at least ${min} day` : `between ${min} and ${max} days`;
    throw new Error(`ModelCard ${id}: ${prop} is ${duration.toHumanString()}, but must be a whole number of days, ${range}. `
      + `Fix: give Duration.days(n) with n ${max === undefined ? `>= ${min}` : `from ${min} to ${max}`}.`);
  }
  return days;
}
