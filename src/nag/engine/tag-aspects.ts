import { Aspects, IAspect, RemoveTag, Tag, TagManager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Value } from './values';

/*
 * `Tags.of(scope).add(...)` and `.remove(...)` do not write tags: they add `Tag` and `RemoveTag` aspects, which the CDK
 * applies to the L1s below `scope` only when the app is synthesized. `validateScope` renders the constructs as they
 * are, usually before any synthesis, so without this a resource tagged through its stack reads as untagged there and
 * as tagged inside synthesis. The index asks each aspect what it would do, through the aspect's own `visit`, instead
 * of restating the CDK's rules for resource types and priorities.
 */

/** What one aspect does to one resource's tags: set `key` to `value`, or remove it (`value` undefined). */
export interface TagOperation {
  readonly key: string;
  readonly value?: string;
  readonly priority: number;
}

/** The priority the CDK gives the tags an L1 is constructed with (`TagManager`'s external tags). */
const INITIAL_TAG_PRIORITY = 50;

/** A tag aspect with its aspect priority, which orders the aspects that reach one construct. */
interface TagAspect {
  readonly aspect: Tag | RemoveTag;
  readonly priority: number;
}

/** The tag aspects that reach each construct, its ancestors' first: computed once per construct of a run. */
export class TagAspects {
  private readonly reaching = new Map<IConstruct, readonly TagAspect[]>();

  /**
   * What the tag aspects that reach `construct` will do to its tags at synthesis, in the order the CDK applies them;
   * undefined when none reaches it or it cannot carry tags. Applied again after synthesis, they change nothing.
   */
  public operationsOn(construct: IConstruct): readonly TagOperation[] | undefined {
    const aspects = this.reachingAspects(construct);
    const manager = aspects.length > 0 ? TagManager.of(construct) : undefined;
    if (!manager) return undefined;
    const operations: TagOperation[] = [];
    // The aspect decides with the resource's own manager whether its resource types apply, and with what priority it
    // sets or removes; the recorder stands in for the manager only where the aspect would write.
    const recorder = {
      applyTagAspectHere: (include?: string[], exclude?: string[]) => manager.applyTagAspectHere(include, exclude),
      setTag: (key: string, value: string, priority = 0) => operations.push({ key, value, priority }),
      removeTag: (key: string, priority: number) => operations.push({ key, priority }),
    };
    const stand = { cdkTagManager: recorder } as unknown as IConstruct;
    // Stable: aspects of one priority keep the order in which they reach the construct, as in the CDK.
    [...aspects].sort((a, b) => a.priority - b.priority).forEach(({ aspect }) => aspect.visit(stand));
    return operations.length > 0 ? operations : undefined;
  }

  private reachingAspects(construct: IConstruct): readonly TagAspect[] {
    let found = this.reaching.get(construct);
    if (!found) {
      const parent = construct.node.scope;
      const own = Aspects.of(construct).applied.flatMap(({ aspect, priority }) => (isTagAspect(aspect) ? [{ aspect, priority }] : []));
      const inherited = parent ? this.reachingAspects(parent) : [];
      found = own.length === 0 ? inherited : [...inherited, ...own];
      this.reaching.set(construct, found);
    }
    return found;
  }
}

function isTagAspect(aspect: IAspect): aspect is Tag | RemoveTag {
  return aspect instanceof Tag || aspect instanceof RemoveTag;
}

/**
 * A resource's tags after `operations`, as the CDK's tag manager resolves them: the template's tags stand at the
 * priority an L1's own tags have, and an operation takes effect at that priority or above.
 */
export function withTagOperations<V extends Value>(tags: ReadonlyMap<string, V>, operations: readonly TagOperation[]): Map<string, V | string> {
  const result = new Map<string, V | string>(tags);
  const priorities = new Map<string, number>([...tags.keys()].map((key) => [key, INITIAL_TAG_PRIORITY]));
  for (const { key, value, priority } of operations) {
    if (priority < (priorities.get(key) ?? 0)) continue;
    priorities.set(key, priority);
    if (value === undefined) result.delete(key);
    else result.set(key, value);
  }
  return result;
}
