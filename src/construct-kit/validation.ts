import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { EnvironmentStage } from './environment-stage';

/*
 * How a construct refuses a prop, in one shape: `<Construct> <id>: <prop> is <value>, <what is wrong>. Fix: <fix>.`
 * aws-cdk-lib's own ValidationError is @internal (its constructor is not public API in 2.278), so the error is ours;
 * it carries the construct's path when the construct exists, as the CDK's errors do.
 */

/** Who refuses the prop: the construct itself (its class name and id name it), or its name as text (`InferenceApi Api`). */
export type PropOwner = IConstruct | string;

/** A prop a construct refused: what the message says, as fields. Internal: users read the message. */
export class InvalidPropError extends Error {
  /** The path of the construct that refused the prop, when it was given as a construct. */
  public readonly constructPath?: string;

  public constructor(
    /** The construct, by class and id (`InferenceApi Api`). */
    public readonly owner: string,
    /** The prop as the user writes it (`logRetention`, `internetEgress.reason`). */
    public readonly prop: string,
    /** The value as the message shows it. */
    public readonly value: string,
    /** What to do instead. */
    public readonly fix: string,
    problem: string,
    construct?: IConstruct,
  ) {
    super(`${owner}: ${prop} is ${value}${problem ? `, ${problem}` : ''}. Fix: ${fix}${/[.!?)]$/.test(fix) ? '' : '.'}`);
    this.name = 'InvalidPropError';
    this.constructPath = construct?.node.path;
  }
}

/** The name a message gives a construct: `<class> <id>`. */
export function ownerName(owner: PropOwner): string {
  return typeof owner === 'string' ? owner : `${owner.constructor.name} ${owner.node.id}`;
}

/** How a message shows a value: text quoted, a missing value as `missing`, anything else as it prints. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null) return 'missing';
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(showValue).join(', ')}]`;
  return String(value);
}

/** What a refused prop is: its name, its value, what is wrong with it and the fix. */
export interface PropProblem {
  /** The prop as the user writes it. */
  readonly prop: string;
  /** The value given; shown with {@link showValue} unless `shown` says it otherwise (`30 days`). */
  readonly value?: unknown;
  /** The value as the message shows it, when {@link showValue} would not say it well. */
  readonly shown?: string;
  /** What is wrong, after `<prop> is <value>, ` (`but it must be a whole number between 1 and 100`); may be empty. */
  readonly problem: string;
  /** What to do instead, as an instruction (`give logs.RetentionDays.ONE_YEAR or longer`). */
  readonly fix: string;
}

/** The error for a refused prop, in the one shape; throw it. */
export function invalidProp(owner: PropOwner, problem: PropProblem): InvalidPropError {
  return new InvalidPropError(ownerName(owner), problem.prop, problem.shown ?? showValue(problem.value), problem.fix, problem.problem,
    typeof owner === 'string' ? undefined : owner);
}

/** The bounds of a whole number; `max` absent means no upper bound. */
export interface WholeNumberRange {
  readonly min: number;
  readonly max?: number;
  /** The unit, for the message (`days`). */
  readonly unit?: string;
}

/** A whole number within `range`, or an error naming the prop, the value, the range and `fix`. */
export function requireWholeNumber(owner: PropOwner, prop: string, value: number, range: WholeNumberRange, fix: string): number {
  const { min, max, unit } = range;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && (max === undefined || value <= max)) return value;
  const bounds = max === undefined ? `of at least ${min}` : `between ${min} and ${max}`;
  throw invalidProp(owner, { prop, value, problem: `but it must be a whole number${unit ? ` of ${unit}` : ''} ${bounds}`, fix });
}

/** The fix for a log retention too short: the year production logs are kept. */
const RETENTION_FIX = 'give logs.RetentionDays.ONE_YEAR or longer';

/** What a log group's logs are, for the messages of {@link requireLogRetention}. */
export interface LogRetentionPurpose {
  /** What the logs are evidence of in production (`the record of who queried the model`). */
  readonly evidence: string;
  /** Set when the logs must not be kept for ever: why (`prompts are users' data (SecureAI-V14, V16)`). */
  readonly notForEver?: string;
}

/**
 * A log group's retention: a set number of days (`INFINITE` refused when the logs must not be kept for ever), and a
 * year or more in production, where the logs are evidence for incident response.
 */
export function requireLogRetention(owner: PropOwner, prop: string, retention: logs.RetentionDays, stage: EnvironmentStage,
  purpose: LogRetentionPurpose): logs.RetentionDays {
  const forEver = retention === logs.RetentionDays.INFINITE;
  if (!Number.isInteger(retention) || retention < 1 || (forEver && purpose.notForEver !== undefined)) {
    throw invalidProp(owner, {
      prop,
      value: retention,
      problem: 'but it must be a logs.RetentionDays value of a set number of days'
        + (purpose.notForEver === undefined ? '' : `: ${purpose.notForEver}, not kept for ever`),
      fix: RETENTION_FIX,
    });
  }
  if (stage === EnvironmentStage.PRODUCTION && retention < 365) {
    throw invalidProp(owner, {
      prop,
      shown: `${retention} days`,
      problem: `too short for production, where ${purpose.evidence} is evidence for incident response`,
      fix: RETENTION_FIX,
    });
  }
  return retention;
}
