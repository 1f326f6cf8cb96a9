/**
 * The four sections of the NCSC/CISA Guidelines for secure AI system development.
 */
export enum GuidelineSection {
  /** 1. Secure design */
  DESIGN = 'design',
  /** 2. Secure development */
  DEVELOPMENT = 'development',
  /** 3. Secure deployment */
  DEPLOYMENT = 'deployment',
  /** 4. Secure operation and maintenance */
  OPERATION = 'operation',
}

/** How serious a finding of a rule is. */
export enum RuleLevel {
  /** Fails synthesis under the default `failOn`. */
  ERROR = 'error',
  /** Reported; fails synthesis only with `failOn: FailOn.WARNING`. */
  WARNING = 'warning',
}

/**
 * Whether any other tool already checks what a rule checks (the catalogue's "Cov" column).
 */
export enum PeerCoverage {
  /** No peer checks this at all. */
  NONE = 'none',
  /** Only detective or runtime peers check it after deployment. */
  RUNTIME_ONLY = 'runtime-only',
  /** A template-time or synth-time peer exists (cdk-nag, checkov CFN, Guard, Control Tower). */
  SYNTH_TIME = 'synth-time',
}

/**
 * A rule of the SecureAI pack as plain data: what the pack reports, RULES.md lists and the report cites.
 */
export interface RuleMetadata {
  /** The catalogue ID, for example `P6`. Reported as `SecureAI-P6`. */
  readonly id: string;
  /** A short title of what the rule checks. */
  readonly title: string;
  /** The guideline section the rule encodes. */
  readonly section: GuidelineSection;
  /** The guideline heading the quote comes from, for example "Protect your model continuously". */
  readonly guideline: string;
  /** The phrase quoted verbatim from the guideline. */
  readonly quote: string;
  /** The level of a non-compliant finding. */
  readonly level: RuleLevel;
  /** The CloudFormation resource types the rule is evaluated on. */
  readonly resourceTypes: string[];
  /** Which condition makes a resource compliant. */
  readonly compliantWhen: string;
  /** Why the rule exists: the risk in the guideline's terms. */
  readonly explanation: string;
  /** How to fix a finding: the general advice, for resource types without their own. */
  readonly fix: string;
  /**
   * How to fix a finding on a resource of a given CloudFormation type, where it differs from `fix`.
   * @default - `fix` for every type
   */
  readonly fixByType?: { [resourceType: string]: string };
  /** Peers that already check this, as named in the catalogue (empty when none). */
  readonly peers: string;
  /** Whether another tool already checks it. */
  readonly coverage: PeerCoverage;
}
