// Which of this library's constructs made a resource, so that a fix names the construct and prop the user wrote.
import { libraryConstructOf } from '../../facts/library-constructs';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';

/** The class name of the library construct that made `resource` (`InferenceEndpoint`), if one did. */
export function madeBy(resource: IndexedResource): string | undefined {
  // A resource read from a cloud assembly alone has no construct to ask.
  return resource.construct === undefined ? undefined : libraryConstructOf(resource.construct)?.kind;
}

/** Whether the app holds a resource of `type` that the library construct `kind` made (a `ModelCard`'s card). */
export function appHasMadeBy(index: ResourceIndex, type: string, kind: string): boolean {
  // Asked for the fix of every finding of a rule: answered once per run for each type and kind.
  const answers = index.memo(appHasMadeBy, () => new Map<string, boolean>());
  const key = `${type}\u0000${kind}`;
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = index.ofType(type).some((r) => madeBy(r) === kind);
    answers.set(key, answer);
  }
  return answer;
}
