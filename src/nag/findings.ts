import { RuleLevel } from './rule';

/**
 * One reported finding of the SecureAI pack: a rule that is not satisfied by one resource.
 *
 * This is the record the pack writes into its report's metadata (key `secureai:findings`, a JSON array) and the
 * report tool reads back, so Markdown, JSON and SARIF are produced from the same data.
 */
export interface Finding {
  /** The reported ID: `SecureAI-P6`, `SecureAI-P6[unverifiable]`, `SecureAI-P6[parameter]` or `SecureAI-EngineError`. */
  readonly ruleName: string;
  /** The catalogue ID of the rule (`P6`); for an engine error, the rule that threw. */
  readonly ruleId: string;
  /** The level of this finding. Unverifiable and parameter findings are always warnings. */
  readonly level: RuleLevel;
  /** What is wrong with this resource, naming the property. */
  readonly message: string;
  /** The construct path of the resource. */
  readonly constructPath: string;
  /** The resource's logical ID in its template. */
  readonly logicalId: string;
  /** The resource's CloudFormation type. */
  readonly resourceType: string;
  /** The construct path of the stack holding the resource. */
  readonly stackPath: string;
  /** The template file relative to the cloud assembly (`cdk.out`), when the pack ran inside synthesis. */
  readonly templatePath?: string;
  /** The property paths concerned, relative to the resource (`Properties.KmsKeyId`). */
  readonly locations: string[];
  /**
   * How to fix it, worded for this resource: its type, and the library construct and prop when one of this library's
   * constructs made it. Absent for engine errors.
   */
  readonly fix?: string;
  /** Set when the finding was acknowledged with `Validations.of(scope).acknowledge`. */
  readonly acknowledged?: Acknowledged;
}

/** An acknowledgment of a finding. */
export interface Acknowledged {
  /** The reason given with the acknowledgment. */
  readonly reason: string;
  /** The construct path where the acknowledgment was recorded. */
  readonly at: string;
}

/** How one rule fared across the app: the coverage part of the report. */
export interface RuleTally {
  /** The catalogue ID. */
  readonly ruleId: string;
  /** Resources the rule was evaluated on. */
  readonly evaluated: number;
  readonly compliant: number;
  readonly nonCompliant: number;
  readonly notApplicable: number;
  readonly unverifiable: number;
  /** Rule invocations that threw. */
  readonly errors: number;
}

/** A rule a resource satisfied: what the threat model lists as a control present. */
export interface RulePass {
  /** The catalogue ID of the rule (`P6`). */
  readonly ruleId: string;
  /** The construct path of the stack holding the resource. */
  readonly stackPath: string;
  /** The resource's logical ID in its template. */
  readonly logicalId: string;
}

/**
 * The rules each resource satisfied, as the findings file records them: by stack path, then logical ID, the rule IDs
 * in catalogue order. Passes are not in the report's metadata (the CDK copies that into validation-report.json).
 */
export type RecordedPasses = Record<string, Record<string, string[]>>;

/** Where a declaration was made. */
export enum DeclarationSource {
  /** The pack's props: whoever registers the pack. */
  PACK_PROPS = 'pack-props',
  /** The app's CDK context (`cdk.json`, `-c`): the app's authors. */
  CDK_CONTEXT = 'cdk-context',
  /** A resource's template metadata, rendered by a construct of this library: the app's authors. */
  TEMPLATE_METADATA = 'template-metadata',
}

/**
 * What was declared to a run instead of being checked: an account-level control the organisation runs, the AI system's
 * scope, or an organisation trail a construct of the app declares. Reports list them, so that a reader sees what the
 * app or the pack's user switched off or widened, who did, and which of it the run refused.
 */
export interface Declaration {
  /** What is declared: `orgManaged.auditTrail`, `orgManaged.invocationLogging`, `orgManaged.enforcedGuardrail`, `aiSystem: whole-app`, `organizationTrail`. */
  readonly declared: string;
  /** Where it was declared. */
  readonly source: DeclarationSource;
  /** The context key (`ai:org-trail`), or the construct path of the declaring resource; absent for the pack's props. */
  readonly by?: string;
  /** Where it holds: `the app`, or an account and Region. */
  readonly scope: string;
  /** The reason given; absent where the declaration takes none (a context key). */
  readonly reason?: string;
  /** The rules it settles (not applicable where it holds), by catalogue ID; empty for a declaration that widens what rules judge. */
  readonly rules: string[];
  /**
   * Whether the run refused it: the app declared it for itself and the pack's `allowAppDeclarations` is false, so its
   * rules were judged as if it were not there. Absent in reports of versions before the prop: none was refused.
   */
  readonly refused?: boolean;
}

/**
 * The file the pack writes into the cloud assembly (`cdk.out`) when it runs inside synthesis: its whole report,
 * `{ pluginName, pluginVersion, success, metadata, passed }` (`passed`: {@link RecordedPasses}). The CDK leaves a plugin that passed with no open finding out of
 * validation-report.json, and with it the pack's tallies and acknowledged findings; this file keeps them.
 */
export const FINDINGS_FILE = 'secure-ai.findings.json';

/** Metadata keys of the pack's report. */
export const METADATA_KEYS = {
  /** JSON array of {@link Finding}, acknowledged ones included. */
  findings: 'secureai:findings',
  /** JSON array of {@link RuleTally}. */
  tallies: 'secureai:tallies',
  /** The `failOn` the run used. */
  failOn: 'secureai:failOn',
  /** Number of CloudFormation resources in the app. */
  resources: 'secureai:resources',
  /** JSON array of {@link Declaration}. */
  declarations: 'secureai:declarations',
} as const;
