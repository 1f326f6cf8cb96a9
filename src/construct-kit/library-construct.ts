import { IConstruct } from 'constructs';
import { markLibraryConstruct } from '../facts/library-constructs';

/**
 * Marks `construct` as an instance of the library's class `kind` (so that the pack words its fixes for what the user
 * wrote) and returns the name its error messages give it, `<kind> <id>`: a construct states its class name once.
 */
export function libraryConstruct(construct: IConstruct, kind: string): string {
  markLibraryConstruct(construct, kind);
  return `${kind} ${construct.node.id}`;
}
