import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Acknowledged } from '../findings';

/**
 * The acknowledgment of `ruleName` recorded on a construct or any of its ancestors, nearest first.
 *
 * `Validations.of(c).acknowledge({ id })` records an ID without a namespace as `Annotation::<id>`; the pack also
 * accepts its own namespace (`SecureAI::SecureAI-P6`), so either spelling acknowledges the finding.
 */
export function findAcknowledgment(construct: IConstruct, ruleName: string, packName: string): Acknowledged | undefined {
  return new AcknowledgmentLookup(packName).find(construct, ruleName);
}

/**
 * {@link findAcknowledgment} for a whole validation run: each construct's acknowledgments are read from its metadata
 * once, however many findings of the resources below it are looked up.
 */
export class AcknowledgmentLookup {
  /** Per construct: it and its ancestors that record acknowledgments, nearest first (empty in most apps). */
  private readonly chains = new Map<IConstruct, readonly AcknowledgingScope[]>();

  public constructor(private readonly packName: string) {}

  /** The acknowledgment of `ruleName` on `construct` or its nearest ancestor that has one. */
  public find(construct: IConstruct, ruleName: string): Acknowledged | undefined {
    const chain = this.chainOf(construct);
    if (chain.length === 0) return undefined;
    const accepted = [ruleName, `Annotation::${ruleName}`, `annotation::${ruleName}`, `${this.packName}::${ruleName}`];
    for (const { scope, entries } of chain) {
      for (const [id, reason] of entries) {
        if (accepted.includes(id)) return { reason: String(reason ?? ''), at: scope.node.path };
      }
    }
    return undefined;
  }

  /** The constructs from `construct` up that record acknowledgments: read once per construct and shared down the tree. */
  private chainOf(construct: IConstruct): readonly AcknowledgingScope[] {
    let chain = this.chains.get(construct);
    if (!chain) {
      const parent = construct.node.scope;
      const above = parent ? this.chainOf(parent) : [];
      const entries = recordedOn(construct);
      chain = entries.length === 0 ? above : [{ scope: construct, entries }, ...above];
      this.chains.set(construct, chain);
    }
    return chain;
  }
}

/** A construct that records acknowledgments, with its acknowledged IDs and reasons in the order recorded. */
interface AcknowledgingScope {
  readonly scope: IConstruct;
  readonly entries: ReadonlyArray<readonly [id: string, reason: unknown]>;
}

/** The acknowledged IDs and reasons recorded on one construct, in the order recorded. */
function recordedOn(construct: IConstruct): ReadonlyArray<readonly [string, unknown]> {
  const found: Array<readonly [string, unknown]> = [];
  for (const entry of construct.node.metadata) {
    if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
    found.push(...Object.entries(entry.data as Record<string, unknown>));
  }
  return found;
}
