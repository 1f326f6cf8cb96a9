import { IndexedResource, ResourceIndex } from './resource-index';

/** One answer of a lookup, and the resources it holds on. */
interface Answer<V> {
  readonly value: V;
  readonly restsOn: readonly IndexedResource[];
}

/**
 * What a lookup over the whole app finds for each key (most often a resource), built from every resource the templates
 * declare ({@link ResourceIndex.declaredOfType}), each answer with the resources it rests on: the logging configuration
 * that makes a log group a prompt log, the AI resource that makes a bucket an AI asset. The rule that reads an answer
 * asks whether those resources are created, so it depends on their conditions alone. A lookup that asked this itself
 * would make every rule that reads it depend on the condition of every resource of the app, and each of its judgements
 * would be run again for every other allowed value of every parameter those conditions name.
 */
export class DeclaredAnswers<K, V> {
  private readonly answers = new Map<K, Answer<V>[]>();

  /** Adds an answer for `key` that holds while each of `restsOn` is created. */
  public add(key: K, value: V, ...restsOn: IndexedResource[]): void {
    const list = this.answers.get(key);
    if (list) list.push({ value, restsOn });
    else this.answers.set(key, [{ value, restsOn }]);
  }

  /** Whether some answer for `key` is declared, whether or not what it rests on is created. */
  public has(key: K): boolean {
    return this.answers.has(key);
  }

  /** The keys with some declared answer, in the order first added. */
  public keys(): IterableIterator<K> {
    return this.answers.keys();
  }

  /** The answers for `key` whose resources are all created, in the order added. */
  public created(index: ResourceIndex, key: K): readonly V[] {
    const list = this.answers.get(key);
    return list ? index.keepCreated(list, (a) => a.restsOn).map((a) => a.value) : [];
  }

  /**
   * The first of the answers {@link created} gives for `key` that `pick` makes something of (a reason found when a
   * rule asks, which may not hold after all), and what it makes; undefined when none.
   */
  public pick<R>(index: ResourceIndex, key: K, pick: (value: V) => R | undefined): R | undefined {
    for (const value of this.created(index, key)) {
      const picked = pick(value);
      if (picked !== undefined) return picked;
    }
    return undefined;
  }

  /**
   * The first answer for `key` whose resources are all created, in the order added. Only the conditions of the
   * answers up to it are read.
   */
  public first(index: ResourceIndex, key: K): V | undefined {
    for (const answer of this.answers.get(key) ?? []) {
      if (answer.restsOn.every((r) => index.isCreated(r))) return answer.value;
    }
    return undefined;
  }
}
