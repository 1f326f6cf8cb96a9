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
  private readonly recorded = new Map<IConstruct, ReadonlyArray<readonly [id: string, reason: unknown]>>();

  public constructor(private readonly packName: string) {}

  /** The acknowledgment of `ruleName` on `construct` or its nearest ancestor that has one. */
  public find(construct: IConstruct, ruleName: string): Acknowledged | undefined {
    const accepted = [ruleName, `Annotation::${ruleName}`, `annotation::${ruleName}`, `${this.packName}::${ruleName}`];
    let current: IConstruct | undefined = construct;
    while (current) {
      for (const [id, reason] of this.recordedOn(current)) {
        if (accepted.includes(id)) return { reason: String(reason ?? ''), at: current.node.path };
      }
      current = current.node.scope;
    }
    return undefined;
  }

  /** The acknowledged IDs and reasons recorded on one construct, in the order recorded. */
  private recordedOn(construct: IConstruct): ReadonlyArray<readonly [string, unknown]> {
    let entries = this.recorded.get(construct);
    if (!entries) {
      const found: Array<readonly [string, unknown]> = [];
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
        found.push(...Object.entries(entry.data as Record<string, unknown>));
      }
      entries = found;
      this.recorded.set(construct, entries);
    }
    return entries;
  }
}
