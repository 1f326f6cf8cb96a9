import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { recordReason, requireReason } from '../../src/construct-kit/opt-out-reason';

test('a reason of substance is returned trimmed', () => {
  expect(requireReason('X a', 'p.reason', '  Vendor image vetted by the platform team.  ', 'who vetted it')).toBe('Vendor image vetted by the platform team.');
});

test.each([
  [undefined, /X a: p\.reason is missing\. Fix: say why \(who vetted it\)/],
  ['   ', /p\.reason is missing/],
  ['trust me', /p\.reason is too short \('trust me'\)/],
])('a missing or token reason (%p) throws naming the prop and the fix', (reason, message) => {
  expect(() => requireReason('X a', 'p.reason', reason, 'who vetted it')).toThrow(message);
});

test('the reason is rendered into the template metadata of the resource, or of an L2\'s resource', () => {
  const stack = new Stack(new App(), 'S');
  const topic = new sns.Topic(stack, 'Topic');
  const queue = new sqs.CfnQueue(stack, 'Queue');
  recordReason(topic, 'external-image', { reason: 'why' });
  recordReason(queue, 'other', 'because');
  const template = Template.fromStack(stack);
  expect(Object.values(template.findResources('AWS::SNS::Topic'))[0].Metadata).toEqual({ 'cdk-secure-ai:external-image': { reason: 'why' } });
  expect(Object.values(template.findResources('AWS::SQS::Queue'))[0].Metadata).toEqual({ 'cdk-secure-ai:other': 'because' });
});

test('a construct without a resource is refused', () => {
  const stack = new Stack(new App(), 'S');
  expect(() => recordReason(stack, 'x', 'y')).toThrow(/S is not a CloudFormation resource/);
});
