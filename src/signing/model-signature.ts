// The payload of an OpenSSF Model Signing (OMS) v1.0 signature: an in-toto Statement v1 whose predicate lists every
// file of the model with its SHA-256 ("files" serialization), and whose one subject carries the digest over them.
// Pure Node.js: the Lambda handlers bundle this file.
import { createHash } from 'crypto';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const OMS_PREDICATE_TYPE = 'https://model_signing/signature/v1.0';
/** The paths the format always leaves out of a model directory. */
export const DEFAULT_IGNORE_PATHS: readonly string[] = ['.git', '.gitattributes', '.github', '.gitignore'];
/** The resource name of a model that is a single file. */
export const SINGLE_FILE_RESOURCE = '.';

/** One file of a signed model. */
export interface ModelResource {
  /** The path relative to the model directory, POSIX separators; `.` for a single-file model. */
  readonly name: string;
  /** Always `sha256` here. */
  readonly algorithm: string;
  /** Lowercase hex. */
  readonly digest: string;
}

/** What a verifier reads from the statement. */
export interface ModelStatement {
  /** The model's name (informational). */
  readonly subjectName: string;
  /** The digest over every resource's digest, in payload order. */
  readonly rootDigest: string;
  readonly method: string;
  readonly hashType: string;
  readonly ignorePaths: string[];
  /** In payload order, never re-sorted. */
  readonly resources: ModelResource[];
}

/** A statement that is not an OMS v1.0 model signature: the message says which field. */
export class StatementError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'StatementError';
  }
}

/** The SHA-256 over the concatenated raw digests, in the given order: the subject digest of the format. */
export function rootDigest(resources: readonly ModelResource[]): string {
  const hash = createHash('sha256');
  for (const r of resources) hash.update(Buffer.from(r.digest, 'hex'));
  return hash.digest('hex');
}

/**
 * The reference implementation's order: by path, component by component (`tokenizer/vocab.txt` before
 * `tokenizer.json`). Verifiers accept any order; signing in this one gives the reference's payload.
 */
export function compareResourceNames(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

/** The statement's JSON text for a model named `subjectName` whose files are `resources`, sorted as the reference sorts. */
export function renderModelStatement(
  subjectName: string, resources: readonly ModelResource[], ignorePaths: readonly string[] = DEFAULT_IGNORE_PATHS,
): string {
  const sorted = [...resources].sort((a, b) => compareResourceNames(a.name, b.name));
  return JSON.stringify({
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: subjectName, digest: { sha256: rootDigest(sorted) } }],
    predicateType: OMS_PREDICATE_TYPE,
    predicate: {
      serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: [...ignorePaths] },
      resources: sorted.map((r) => ({ name: r.name, algorithm: r.algorithm, digest: r.digest })),
    },
  }, undefined, 2);
}

/**
 * Reads and checks a statement: in-toto Statement v1, the OMS predicate type, exactly one subject, and a subject digest
 * that is the digest over the resources in payload order. Throws a `StatementError` naming the field.
 */
export function parseModelStatement(payload: Buffer): ModelStatement {
  const statement = parseStatement(payload);
  if (statement.predicateType !== OMS_PREDICATE_TYPE) {
    throw new StatementError(`its predicateType is ${JSON.stringify(statement.predicateType)}, not ${OMS_PREDICATE_TYPE}`);
  }
  const subjects = statement.subject;
  if (!Array.isArray(subjects) || subjects.length !== 1) {
    throw new StatementError(`it has ${Array.isArray(subjects) ? subjects.length : 'no'} subjects, not exactly one`);
  }
  const subject = subjects[0] as { name?: unknown; digest?: { sha256?: unknown } } | null;
  const predicate = statement.predicate as { serialization?: Record<string, unknown>; resources?: unknown } | undefined;
  const serialization = predicate?.serialization ?? {};
  const resources = predicate?.resources;
  if (!Array.isArray(resources)) throw new StatementError('its predicate has no resources list');
  const parsed = resources.map((r, i): ModelResource => {
    const entry = r as Record<string, unknown> | null;
    if (typeof entry?.name !== 'string' || typeof entry.algorithm !== 'string' || typeof entry.digest !== 'string' || !/^[0-9a-f]+$/.test(entry.digest)) {
      throw new StatementError(`resources[${i}] needs a name, an algorithm and a lowercase hex digest`);
    }
    return { name: entry.name, algorithm: entry.algorithm, digest: entry.digest };
  });
  const recorded = subject?.digest?.sha256;
  const computed = rootDigest(parsed);
  if (recorded !== computed) {
    throw new StatementError(`its subject digest ${String(recorded)} is not the digest over its resources (${computed}): the manifest is inconsistent`);
  }
  return {
    subjectName: typeof subject?.name === 'string' ? subject.name : '',
    rootDigest: computed,
    method: String(serialization.method),
    hashType: String(serialization.hash_type),
    ignorePaths: Array.isArray(serialization.ignore_paths) ? serialization.ignore_paths.map(String) : [],
    resources: parsed,
  };
}

/** The fields every in-toto Statement v1 has; the caller checks its predicate. */
export interface InTotoStatement {
  readonly _type: unknown;
  readonly subject: unknown;
  readonly predicateType: unknown;
  readonly predicate: unknown;
}

/** Parses a payload as an in-toto Statement v1 (its `_type`), or throws a `StatementError`. */
export function parseStatement(payload: Buffer): InTotoStatement {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch (e) {
    throw new StatementError(`its payload is not JSON (${(e as Error).message})`);
  }
  const statement = json as InTotoStatement | null;
  if (typeof statement !== 'object' || statement === null || statement._type !== IN_TOTO_STATEMENT_TYPE) {
    throw new StatementError(`its payload is not an in-toto Statement v1 (_type ${JSON.stringify(statement?._type)})`);
  }
  return statement;
}
