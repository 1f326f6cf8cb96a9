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
  // Up the scopes from the construct itself: `node.scopes` would build the list of every ancestor on each call.
  for (let current = construct; current !== undefined; current = current.node.scope) {
    const kind = (current as unknown as Record<symbol, unknown>)[MARK];
    if (typeof kind === 'string') return { kind, path: current.node.path };
  }
  return undefined;
}
