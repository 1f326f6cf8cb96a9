// Which construct of this library made a resource. The constructs mark themselves; the pack reads the mark to word a
// finding's fix for what the user wrote (`ModelCard`'s `modelId`, `OfflineBackup.protectBucket`) instead of for the L1
// resource they never touched. A global symbol, so that two copies of the library in one app still see each other's marks.
import { IConstruct } from 'constructs';

const MARK = Symbol.for('cdk-secure-ai.library-construct');

/** The library construct a resource belongs to. */
export interface LibraryConstruct {
  /** The construct's class name, for example `InferenceEndpoint`. */
  readonly kind: string;
  /** Its construct path. */
  readonly path: string;
}

/** Marks `construct` as an instance of the library's class `kind`. */
export function markLibraryConstruct(construct: IConstruct, kind: string): void {
  Object.defineProperty(construct, MARK, { value: kind, enumerable: false });
}

/** The nearest library construct at or above `construct`, if a library construct made it. */
export function libraryConstructOf(construct: IConstruct | undefined): LibraryConstruct | undefined {
  if (construct === undefined) return undefined;
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const kind = (scopes[i] as unknown as Record<symbol, unknown>)[MARK];
    if (typeof kind === 'string') return { kind, path: scopes[i].node.path };
  }
  return undefined;
}
