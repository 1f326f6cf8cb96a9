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
  const accepted = new Set([ruleName, `Annotation::${ruleName}`, `annotation::${ruleName}`, `${packName}::${ruleName}`]);
  let current: IConstruct | undefined = construct;
  while (current) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        if (accepted.has(id)) return { reason: String(reason ?? ''), at: current.node.path };
      }
    }
    current = current.node.scope;
  }
  return undefined;
}
