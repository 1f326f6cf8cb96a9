/**
 * The values a rule sees after intrinsic evaluation. Plain JSON, except for three markers at the leaves:
 * a value that cannot be known at synth time, a reference to a resource of the app, and a string built from
 * parts that are not all literal.
 */

/** A value that cannot be known at synth time: an import, a pseudo parameter, a parameter without default. */
export class UnknownValue {
  public constructor(
    public readonly reason: string,
    /**
     * Set when this stands for a property inside a block that cannot be read (`DataCaptureConfig` imported as a
     * whole): the property may as well be absent, so it does not even count as set.
     */
    public readonly insideUnknown = false,
    /**
     * How the value reads in a message, where it has a name (`<parameter BucketName>`): a string built from it then
     * reads `s3://<parameter BucketName>/model.tar.gz`, never like a literal wildcard.
     */
    public readonly shown?: string,
    /** The pseudo parameter it stands for (`AWS::Region`), where the stack's environment does not fix it. */
    public readonly pseudoParameter?: string,
  ) {}
}

/** A pseudo parameter the stack's environment does not fix: it reads as itself in messages (`${AWS::Region}`). */
export function unknownPseudoParameter(name: string): UnknownValue {
  return new UnknownValue(`pseudo parameter ${name}`, false, '${' + name + '}', name);
}

/** A `Ref` or `Fn::GetAtt` that points at a resource of the app. */
export class ResourceReference {
  public constructor(
    /** The logical ID of the target. */
    public readonly logicalId: string,
    /** The construct path of the stack holding the target. */
    public readonly stackPath: string,
    /** The attribute for `Fn::GetAtt`; absent for `Ref`. */
    public readonly attribute?: string,
  ) {}
}

/** One part of an {@link Expression}. */
export type ExpressionPart = string | UnknownValue | ResourceReference;

/** A string built by `Fn::Join` or `Fn::Sub` from parts that are not all literal, such as an ARN built from a Ref. */
export class Expression {
  public constructor(public readonly parts: readonly ExpressionPart[]) {}

  /** The resource references inside the string. */
  public get references(): ResourceReference[] {
    return this.parts.filter((p): p is ResourceReference => p instanceof ResourceReference);
  }

  /** The first part that cannot be known, if any. */
  public get unknown(): UnknownValue | undefined {
    return this.parts.find((p): p is UnknownValue => p instanceof UnknownValue);
  }

  /** The literal text, with every non-literal part replaced by `*`: for matching, never for messages. */
  public get pattern(): string {
    return this.parts.map((p) => (typeof p === 'string' ? p : '*')).join('');
  }

  /**
   * The text for messages: named parts by name (`<parameter Name>`, `${AWS::Region}`), a resource reference as the
   * `Fn::Sub` that names it (`${Bucket.Arn}`), other non-literal parts as `*`. A named part never reads as a wildcard.
   */
  public get shown(): string {
    return this.parts.map((p) => {
      if (typeof p === 'string') return p;
      if (p instanceof ResourceReference) return '${' + p.logicalId + (p.attribute ? '.' + p.attribute : '') + '}';
      return p.shown ?? '*';
    }).join('');
  }
}

/** A value after evaluation: `undefined` is an absent property (never set, or `AWS::NoValue`). */
export type Value = unknown;

/** One way a property can come out, given the template's conditions and parameters. */
export interface Branch {
  readonly value: Value;
  /** Parameters whose default (or allowed values) decided this branch. */
  readonly parameters: readonly string[];
}

/** Whether a value is a reference to a resource of the app. */
export function isReference(value: Value): value is ResourceReference {
  return value instanceof ResourceReference;
}

/** Whether a value is a plain object (not an array, not a marker). */
export function isPlainObject(value: Value): value is Record<string, Value> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && !(value instanceof UnknownValue) && !(value instanceof ResourceReference) && !(value instanceof Expression);
}

/** The unknown part of a value, if the value as a whole cannot be known. */
export function unknownOf(value: Value): UnknownValue | undefined {
  if (value instanceof UnknownValue) return value;
  if (value instanceof Expression) return value.unknown;
  return undefined;
}

/**
 * The value at `segments` below an evaluated value. A block on the way that cannot be read (an unknown, a reference,
 * a string built at deploy time) gives an {@link UnknownValue} marked `insideUnknown`: the property may be absent,
 * so it does not even count as set. A block that is absent or not an object gives `undefined`.
 */
export function readPath(value: Value, segments: readonly string[]): Value {
  let current: Value = value;
  for (let i = 0; i < segments.length; i++) {
    if (current instanceof UnknownValue || current instanceof ResourceReference || current instanceof Expression) {
      const reason = current instanceof UnknownValue ? current.reason : describe(current);
      return new UnknownValue(`${segments.join('.')} is inside a value not known at synth time (${reason})`, true);
    }
    if (!isPlainObject(current)) return undefined;
    current = current[segments[i]];
  }
  return current;
}

/** The tags of a resource in either rendering: a list of `{Key, Value}` or a map. Unknown when not readable. */
export function readTags(value: Value): Map<string, Value> | UnknownValue {
  const tags = new Map<string, Value>();
  if (value === undefined) return tags;
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (Array.isArray(value)) {
    for (const tag of value) {
      if (!isPlainObject(tag)) return new UnknownValue('a tag that is not a {Key, Value} pair');
      if (typeof tag.Key !== 'string') return new UnknownValue('a tag key not known at synth time');
      tags.set(tag.Key, tag.Value);
    }
    return tags;
  }
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) tags.set(k, v);
    return tags;
  }
  return new UnknownValue('Tags in a form that is neither a list nor a map');
}

/** A short text for a value, for messages. */
export function describe(value: Value): string {
  if (value === undefined) return 'absent';
  if (value instanceof UnknownValue) return value.shown ?? `unknown (${value.reason})`;
  if (value instanceof ResourceReference) return `a reference to ${value.logicalId}${value.attribute ? '.' + value.attribute : ''}`;
  if (value instanceof Expression) return `"${value.shown}"`;
  const text = JSON.stringify(value);
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
}
