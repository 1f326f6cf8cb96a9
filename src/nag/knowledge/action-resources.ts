import { ACTION_RESOURCE_TYPES } from '../../facts/action-resource-types';
import { Expression, Value } from '../engine/values';

/**
 * Which resources of a policy statement an action applies to, by the resource types the Service Authorization
 * Reference gives it (facts/action-resource-types.ts, generated). A statement that allows `sagemaker:InvokeEndpoint`
 * and `sagemaker:Describe*` on `[endpoint/a, endpoint-config/*]` grants invocation on `endpoint/a` only: the
 * `endpoint-config/*` entry is there for the describe actions and grants no invocation.
 */

/** One element of an ARN pattern: a character of a set, once or any number of times (`star`). */
export interface ArnPatternElement {
  readonly chars: (c: string) => boolean;
  readonly star: boolean;
}

const ANY = (): boolean => true;
const MAX_LENGTH = 512;

/**
 * A reference ARN format as a pattern: `${Partition}`, `${Region}` and `${Account}` are any run (possibly empty, as in
 * foundation-model ARNs) of letters, digits and hyphens; a name inside the ARN is one or more characters other than
 * `:` and `/`; the name that ends it is one or more of any character (model IDs hold `:`).
 */
function formatPattern(format: string): ArnPatternElement[] {
  const parts = format.split(/(\$\{[^}]+\})/);
  const last = parts.map((p, i) => (p.startsWith('${') ? i : -1)).filter((i) => i >= 0).pop();
  return parts.flatMap((part, i): ArnPatternElement[] => {
    if (!part.startsWith('${')) return [...part].map((c) => ({ chars: (x: string) => x.toLowerCase() === c.toLowerCase(), star: false }));
    const name = part.slice(2, -1);
    if (name === 'Partition' || name === 'Region' || name === 'Account') return [{ chars: (c) => /[a-z0-9-]/i.test(c), star: true }];
    const chars = i === last ? ANY : (c: string) => c !== ':' && c !== '/';
    return [{ chars, star: false }, { chars, star: true }];
  });
}

/**
 * A policy `Resource` entry as a pattern: `*` any run, `?` any one character, a part not known at synth time any run;
 * within the fields before an ARN's resource part (partition, service, Region, account: `arn:${AWS::Partition}:...`),
 * an unknown part is one field, without a colon.
 */
function resourcePattern(parts: readonly (string | undefined)[]): ArnPatternElement[] {
  let text = '';
  return parts.flatMap((part): ArnPatternElement[] => {
    if (part === undefined) {
      const inHeader = text.startsWith('arn:') && text.split(':').length <= 5;
      return [{ chars: inHeader ? (c: string) => c !== ':' : ANY, star: true }];
    }
    text += part;
    return [...part].map((c) => (c === '*' ? { chars: ANY, star: true } : c === '?' ? { chars: ANY, star: false }
      : { chars: (x: string) => x.toLowerCase() === c.toLowerCase(), star: false }));
  });
}

/** Characters enough to tell whether two elements' sets share one. */
const PROBES = [...'abcdefghijklmnopqrstuvwxyz0123456789-_./:*@+='];

/** Whether some ARN matches both patterns. Two stars never consume a character together: either may be empty there. */
export function arnPatternsOverlap(a: readonly ArnPatternElement[], b: readonly ArnPatternElement[]): boolean {
  const seen = new Map<number, boolean>();
  const visit = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = seen.get(key);
    if (known !== undefined) return known;
    seen.set(key, false);
    let result = i === a.length && j === b.length;
    if (!result && i < a.length && a[i].star) result = visit(i + 1, j);
    if (!result && j < b.length && b[j].star) result = visit(i, j + 1);
    if (!result && i < a.length && j < b.length && !(a[i].star && b[j].star) && PROBES.some((c) => a[i].chars(c) && b[j].chars(c))) {
      result = visit(a[i].star ? i : i + 1, b[j].star ? j : j + 1);
    }
    seen.set(key, result);
    return result;
  };
  return visit(0, 0);
}

const formats = new Map<string, ArnPatternElement[]>();
/** The table by lower-case action name: IAM action names are not case-sensitive. */
const TYPES_BY_ACTION = new Map(Object.entries(ACTION_RESOURCE_TYPES).map(([name, types]) => [name.toLowerCase(), types]));

/**
 * Whether `action` (`service:Action`) applies to a policy `Resource` entry: the entry can name a resource of a type
 * the action applies to. An action the reference does not hold is taken to apply to every entry, as is a reference to
 * a resource of the app or an entry not known at synth time (never a reason to drop it). An action the reference
 * gives no resource type takes only `*`, which names no model: it applies to no entry.
 */
export function actionAppliesTo(action: string, resource: Value): boolean {
  const types = TYPES_BY_ACTION.get(action.toLowerCase());
  if (types === undefined) return true;
  let parts: (string | undefined)[];
  if (typeof resource === 'string') parts = [resource];
  else if (resource instanceof Expression) parts = resource.parts.map((p) => (typeof p === 'string' ? p : undefined));
  else return true;
  if (parts.reduce((n, p) => n + (p?.length ?? 1), 0) > MAX_LENGTH) return true;
  const pattern = resourcePattern(parts);
  return Object.values(types).some((format) => {
    let compiled = formats.get(format);
    if (!compiled) formats.set(format, compiled = formatPattern(format));
    return arnPatternsOverlap(compiled, pattern);
  });
}
