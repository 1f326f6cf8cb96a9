import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AuditTrail } from '../../src/environment/audit-trail';
import { AccessLogBucket } from '../../src/storage/access-log-bucket';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../../src/storage/environment-key';

describe('AuditTrail', () => {
  test('its bucket is encrypted with the log key, object-locked and not an AI asset; data events of AI services', () => {
    const stack = new Stack(new App(), 'T');
    const logKey = new EnvironmentKey(stack, 'LogKey', { purpose: EnvironmentKeyPurpose.LOG });
    const trail = new AuditTrail(stack, 'Trail', { logKey, accessLogBucket: new AccessLogBucket(stack, 'Logs') });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } },
      Tags: Match.not(Match.arrayWith([{ Key: 'ai:asset', Value: 'true' }])),
    });
    const selectors = Object.values(t.findResources('AWS::CloudTrail::Trail'))[0].Properties.AdvancedEventSelectors;
    const types = selectors.flatMap((s: any) => s.FieldSelectors.filter((f: any) => f.Field === 'resources.type').flatMap((f: any) => f.Equals));
    expect(types).toEqual(expect.arrayContaining(['AWS::Bedrock::AgentAlias', 'AWS::Bedrock::KnowledgeBase', 'AWS::Bedrock::Guardrail', 'AWS::SageMaker::FeatureGroup']));
    expect(types).not.toContain('AWS::S3::Object'); // no AI bucket recorded yet
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: Match.anyValue() });
    expect(trail.bucket).toBeDefined();
  });
});
