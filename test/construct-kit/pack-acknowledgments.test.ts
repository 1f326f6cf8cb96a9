import { App, Stack, Validations } from 'aws-cdk-lib';
import { acknowledgeRules, RULES } from '../../src/construct-kit/pack-acknowledgments';

test('acknowledgeRules records every ID with the reason on the construct', () => {
  const stack = new Stack(new App(), 'S');
  acknowledgeRules(stack, RULES.replication, 'a reason long enough for a reviewer to read and judge it');
  const recorded = stack.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.keys(m.data));
  expect(recorded).toHaveLength(RULES.replication.length);
  expect(recorded.join(' ')).toContain('NIST.800.53.R5-S3BucketReplicationEnabled');
});
