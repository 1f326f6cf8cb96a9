import { createHash } from 'crypto';
import { Duration, Lazy, Stack, Tags } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  validateAlarmThreshold, validateDeniedTopics, validateGuardrailName, validateMessaging, validatePatterns, validateThreshold,
} from './ai-guardrail-validation';
import { BedrockModel } from './bedrock-model';
import { contentPolicy, groundingPolicy, sensitiveInformationPolicy, topicPolicy } from './guardrail-policies';
import { ContentFilterStrength, DeniedTopic, PiiEntity, SensitiveInformationAction, SensitivePattern } from './guardrail-types';
import { libraryConstruct } from '../construct-kit/library-construct';
import { createAlarmTopic } from '../environment/alarm-topic';
import { DataClassification } from '../storage/data-classification';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../storage/environment-key';

/** Properties of an {@link AiGuardrail}. */
export interface AiGuardrailProps {
  /**
   * The guardrail's name: letters, digits, hyphens and underscores, at most 50.
   * @default - derived from the construct path
   */
  readonly guardrailName?: string;
  /**
   * What the guardrail protects, shown in the console.
   * @default - names the construct
   */
  readonly description?: string;
  /**
   * The uses the assistant refuses (regulated advice, competitors, anything the owner prohibits), in prompts and in
   * responses (SecureAI-D7). At most 30. Required, with at least one topic, when `externallyExposed` is true.
   * @default - none
   */
  readonly deniedTopics?: DeniedTopic[];
  /**
   * Whether the assistant serves external customers or collaborators: tags the guardrail `ai:exposure=external` and
   * requires `deniedTopics`.
   * @default false
   */
  readonly externallyExposed?: boolean;
  /**
   * The strength of the harmful-content filters (hate, insults, sexual content, violence, misconduct) on prompts and
   * responses. The prompt-attack filter is always HIGH.
   * @default ContentFilterStrength.HIGH
   */
  readonly contentFilterStrength?: ContentFilterStrength;
  /**
   * What the guardrail does with personal data (names, e-mail addresses, phone numbers, addresses, ...), in prompts and
   * responses. Credentials, card and account numbers and national identifiers are always blocked.
   * @default SensitiveInformationAction.ANONYMIZE - the assistant keeps working, without repeating personal data
   */
  readonly personalDataAction?: SensitiveInformationAction;
  /**
   * More personal-data types handled with `personalDataAction`.
   * @default - none beyond the default set
   */
  readonly additionalPersonalData?: PiiEntity[];
  /**
   * Identifiers of your own, found by regular expression (customer numbers, internal hostnames). At most 10.
   * @default - none
   */
  readonly sensitivePatterns?: SensitivePattern[];
  /**
   * The confidence below which a response is blocked as not grounded in the retrieved sources: between 0.5 (the pack's
   * minimum) and 0.99.
   * @default 0.75
   */
  readonly groundingThreshold?: number;
  /**
   * The confidence below which a response is blocked as not relevant to the question: between 0.5 and 0.99.
   * @default 0.75
   */
  readonly relevanceThreshold?: number;
  /**
   * What the user reads when a prompt is blocked, at most 500 characters.
   * @default 'Sorry, I cannot help with that request.'
   */
  readonly blockedInputMessaging?: string;
  /**
   * What the user reads when a response is blocked, at most 500 characters.
   * @default 'Sorry, I cannot provide that answer.'
   */
  readonly blockedOutputsMessaging?: string;
  /**
   * The customer-managed key that encrypts the guardrail's policies (topics, patterns).
   * @default - a new EnvironmentKey for this guardrail
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Whether the published version is enforced on every model invocation of the account and Region
   * (`AWS::Bedrock::EnforcedGuardrailConfiguration`, on all models, system prompts and messages in full), so that no
   * principal can call a model without it (SecureAI-D17). One per account and Region: enable it in one stack only.
   * @default false - the guardrail applies where it is named (grantInvokeModels, agents)
   */
  readonly enforceAccountWide?: boolean;
  /**
   * How many interventions (blocked or masked prompts and responses) in five minutes raise the alarm: a wave of them is
   * the first sign of an attack on the assistant (SecureAI-O4). A whole number of at least 1.
   * @default 20
   */
  readonly interventionAlarmThreshold?: number;
  /**
   * How sensitive the guardrail's policies are, rendered as the `DataClassification` tag (SecureAI-V13).
   * @default DataClassification.CONFIDENTIAL
   */
  readonly dataClassification?: DataClassification;
}

/** A guardrail that consumers reference by its published version. */
export interface IAiGuardrail {
  /** The guardrail's ARN. */
  readonly guardrailArn: string;
  /** The guardrail's ID. */
  readonly guardrailId: string;
  /** The numbered version consumers use: never the DRAFT. */
  readonly guardrailVersion: string;
  /**
   * Grants invoking the given models, and only through this guardrail's version: InvokeModel and
   * InvokeModelWithResponseStream on the models' ARNs with a `bedrock:GuardrailIdentifier` condition, ApplyGuardrail on
   * the guardrail, and decryption with its key.
   */
  grantInvokeModels(grantee: iam.IGrantable, models: BedrockModel[]): iam.Grant;
  /** Grants applying the guardrail (ApplyGuardrail on the guardrail, decryption with its key). */
  grantApply(grantee: iam.IGrantable): iam.Grant;
}

const DEFAULT_THRESHOLD = 0.75;

/**
 * A Bedrock guardrail, secure by default, with a numbered version that consumers reference.
 *
 * - Prompt attacks (jailbreaks, prompt injection) blocked on inputs at HIGH strength.
 * - Hate, insults, sexual content, violence and misconduct blocked on prompts and responses (HIGH by default).
 * - Credentials, card and account numbers and national identifiers blocked; personal data (names, e-mail addresses,
 *   phone numbers, addresses, ...) anonymised (or blocked); patterns of your own blocked or anonymised.
 * - Contextual grounding and relevance checks at 0.75 for retrieval-augmented answers.
 * - Denied topics from `deniedTopics` (required for an externally exposed assistant).
 * - Encrypted with a customer-managed key of its own, rotated and RETAINed.
 * - An alarm on a wave of interventions of the published version, notifying an encrypted, TLS-only topic.
 * - A published version (`AWS::Bedrock::GuardrailVersion`), republished whenever the configuration changes: consumers
 *   use `guardrailVersion`, never the DRAFT. Optionally enforced account-wide (`enforceAccountWide`).
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them).
 */
export class AiGuardrail extends Construct implements IAiGuardrail {
  public readonly guardrailArn: string;
  public readonly guardrailId: string;
  public readonly guardrailVersion: string;
  /** The guardrail (its DRAFT is what the configuration edits). */
  public readonly guardrail: bedrock.CfnGuardrail;
  /** The published version. */
  public readonly version: bedrock.CfnGuardrailVersion;
  /** The key that encrypts the guardrail. */
  public readonly encryptionKey: kms.IKey;
  /** The topic the intervention alarm notifies: subscribe the people and systems that respond. */
  public readonly alarmTopic: sns.Topic;
  /** Fires on a wave of interventions (`AWS/Bedrock/Guardrails` `InvocationsIntervened` of the published version). */
  public readonly interventionAlarm: cloudwatch.Alarm;
  /** The account-wide enforcement, when `enforceAccountWide` is set. */
  public readonly enforcement?: bedrock.CfnEnforcedGuardrailConfiguration;

  public constructor(scope: Construct, id: string, props: AiGuardrailProps = {}) {
    super(scope, id);
    const owner = libraryConstruct(this, 'AiGuardrail');
    const name = validateGuardrailName(owner, props.guardrailName ?? defaultName(this));
    const topics = validateDeniedTopics(owner, props.deniedTopics ?? [], props.externallyExposed ?? false);
    const patterns = validatePatterns(owner, props.sensitivePatterns ?? []);
    const grounding = validateThreshold(owner, 'groundingThreshold', props.groundingThreshold ?? DEFAULT_THRESHOLD);
    const relevance = validateThreshold(owner, 'relevanceThreshold', props.relevanceThreshold ?? DEFAULT_THRESHOLD);
    const blockedInput = validateMessaging(owner, 'blockedInputMessaging', props.blockedInputMessaging ?? 'Sorry, I cannot help with that request.');
    const blockedOutput = validateMessaging(owner, 'blockedOutputsMessaging', props.blockedOutputsMessaging ?? 'Sorry, I cannot provide that answer.');
    const alarmThreshold = validateAlarmThreshold(owner, props.interventionAlarmThreshold ?? 20);

    this.encryptionKey = props.encryptionKey ?? new EnvironmentKey(this, 'Key', {
      purpose: EnvironmentKeyPurpose.DATA,
      description: `Policies of guardrail ${name}`,
    });
    const guardrailProps: bedrock.CfnGuardrailProps = {
      name,
      description: props.description ?? `Guardrail ${this.node.path}`,
      blockedInputMessaging: blockedInput,
      blockedOutputsMessaging: blockedOutput,
      kmsKeyArn: this.encryptionKey.keyArn,
      contentPolicyConfig: contentPolicy(props.contentFilterStrength ?? ContentFilterStrength.HIGH),
      sensitiveInformationPolicyConfig: sensitiveInformationPolicy(props.personalDataAction ?? SensitiveInformationAction.ANONYMIZE,
        props.additionalPersonalData ?? [], patterns),
      topicPolicyConfig: topicPolicy(topics),
      contextualGroundingPolicyConfig: groundingPolicy(grounding, relevance),
    };
    this.guardrail = new bedrock.CfnGuardrail(this, 'Resource', guardrailProps);
    // A version is a snapshot of the DRAFT when it is created: its description carries a digest of the configuration,
    // so that a changed configuration replaces the version resource and publishes a new numbered version.
    this.version = new bedrock.CfnGuardrailVersion(this, 'Version', {
      guardrailIdentifier: this.guardrail.attrGuardrailId,
      description: Lazy.string({ produce: () => `Published by ${this.node.path}; configuration ${configurationDigest(this, guardrailProps)}` }),
    });
    this.guardrailArn = this.guardrail.attrGuardrailArn;
    this.guardrailId = this.guardrail.attrGuardrailId;
    this.guardrailVersion = this.version.attrVersion;

    this.alarmTopic = createAlarmTopic(this, { displayName: `Alarms of guardrail ${name}`, keyDescription: `Alarm notifications of guardrail ${name}` });
    this.interventionAlarm = new cloudwatch.Alarm(this, 'InterventionAlarm', {
      alarmDescription: `Guardrail ${name} intervened ${alarmThreshold} or more times in 5 minutes: prompt attacks, harmful or `
        + 'sensitive content at a rate that may be an attack on the assistant',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Bedrock/Guardrails',
        metricName: 'InvocationsIntervened',
        dimensionsMap: { GuardrailArn: this.guardrailArn, GuardrailVersion: this.guardrailVersion },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: alarmThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.interventionAlarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));

    if (props.enforceAccountWide) {
      this.enforcement = new bedrock.CfnEnforcedGuardrailConfiguration(this, 'AccountEnforcement', {
        guardrailIdentifier: this.version.attrGuardrailArn,
        guardrailVersion: this.version.attrVersion,
        // Everything, whatever the caller tags: a selective guard would let the caller choose what is checked.
        selectiveContentGuarding: { messages: 'COMPREHENSIVE', system: 'COMPREHENSIVE' },
      });
    }

    Tags.of(this).add('DataClassification', props.dataClassification ?? DataClassification.CONFIDENTIAL);
    if (props.externallyExposed) Tags.of(this.guardrail).add('ai:exposure', 'external');
  }

  /** The value of the `bedrock:GuardrailIdentifier` condition key for this version: `<guardrail ARN>:<version>`. */
  public get guardrailIdentifierCondition(): string {
    return `${this.version.attrGuardrailArn}:${this.version.attrVersion}`;
  }

  public grantInvokeModels(grantee: iam.IGrantable, models: BedrockModel[]): iam.Grant {
    if (models.length === 0) {
      throw new Error(`AiGuardrail ${this.node.id}: grantInvokeModels was given no model. Fix: name the models the principal `
        + 'invokes (BedrockModel.foundationModel(...) or BedrockModel.inferenceProfile(...)).');
    }
    const resourceArns = [...new Set(models.flatMap((m) => m.invocationArns(this)))];
    const invoke = iam.Grant.addToPrincipal({
      grantee,
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      resourceArns,
      conditions: { StringEquals: { 'bedrock:GuardrailIdentifier': this.guardrailIdentifierCondition } },
    });
    return invoke.combine(this.grantApply(grantee));
  }

  public grantApply(grantee: iam.IGrantable): iam.Grant {
    const apply = iam.Grant.addToPrincipal({ grantee, actions: ['bedrock:ApplyGuardrail'], resourceArns: [this.guardrailArn] });
    return apply.combine(this.encryptionKey.grantDecrypt(grantee));
  }
}

function defaultName(scope: Construct): string {
  const path = scope.node.path.replace(/[^0-9a-zA-Z_-]/g, '-');
  const suffix = scope.node.addr.slice(-8);
  return `${path.slice(0, 50 - suffix.length - 1)}-${suffix}`;
}

/** A short digest of the guardrail's configuration as rendered in the template. */
function configurationDigest(scope: Construct, props: bedrock.CfnGuardrailProps): string {
  const rendered = Stack.of(scope).resolve(props);
  return createHash('sha256').update(JSON.stringify(rendered)).digest('hex').slice(0, 16);
}
