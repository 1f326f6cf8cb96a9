import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AcknowledgmentLookup, findAcknowledgment } from '../../../src/nag/engine/acknowledgments';

function tree() {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const group = new Construct(stack, 'Group');
  const resource = new CfnResource(group, 'Config', { type: 'AWS::SageMaker::EndpointConfig' });
  return { app, stack, group, resource };
}

describe('findAcknowledgment', () => {
  test('nothing acknowledged: undefined', () => {
    const { resource } = tree();
    expect(findAcknowledgment(resource, 'SecureAI-P6', 'SecureAI')).toBeUndefined();
  });

  test('an acknowledgment on the resource itself, with its reason and path', () => {
    const { resource } = tree();
    Validations.of(resource).acknowledge({ id: 'SecureAI-P6', reason: 'key managed centrally' });
    expect(findAcknowledgment(resource, 'SecureAI-P6', 'SecureAI')).toEqual({ reason: 'key managed centrally', at: 'Stack/Group/Config' });
  });

  test('an acknowledgment on an ancestor applies to what is below it; the nearest one wins', () => {
    const { stack, group, resource } = tree();
    Validations.of(stack).acknowledge({ id: 'SecureAI-P6', reason: 'whole stack' });
    expect(findAcknowledgment(resource, 'SecureAI-P6', 'SecureAI')).toEqual({ reason: 'whole stack', at: 'Stack' });
    Validations.of(group).acknowledge({ id: 'SecureAI-P6', reason: 'this group' });
    expect(findAcknowledgment(resource, 'SecureAI-P6', 'SecureAI')?.at).toBe('Stack/Group');
  });

  test("the pack's own namespace and the Annotation namespace both acknowledge", () => {
    const { resource } = tree();
    Validations.of(resource).acknowledge({ id: 'SecureAI::SecureAI-P6', reason: 'namespaced' });
    expect(findAcknowledgment(resource, 'SecureAI-P6', 'SecureAI')?.reason).toBe('namespaced');
    expect(findAcknowledgment(resource, 'SecureAI-P6', 'OtherPack')).toBeUndefined();
  });

  test('another rule, or a rule whose ID only starts the same, is not acknowledged', () => {
    const { resource } = tree();
    Validations.of(resource).acknowledge({ id: 'SecureAI-P1', reason: 'other' });
    expect(findAcknowledgment(resource, 'SecureAI-P16', 'SecureAI')).toBeUndefined();
    expect(findAcknowledgment(resource, 'SecureAI-P6', 'SecureAI')).toBeUndefined();
  });

  test('an acknowledgment recorded as raw metadata, in each accepted spelling; other metadata is ignored', () => {
    for (const id of ['SecureAI-P6', 'Annotation::SecureAI-P6', 'annotation::SecureAI-P6']) {
      const { resource } = tree();
      resource.node.addMetadata('aws:cdk:info', { 'SecureAI-P6': 'not an acknowledgment' });
      resource.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: 'raw' });
      expect(findAcknowledgment(resource, 'SecureAI-P6', 'SecureAI')).toEqual({ reason: 'raw', at: 'Stack/Group/Config' });
    }
  });

  test('an acknowledgment without a reason has an empty reason', () => {
    const { resource } = tree();
    resource.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { 'SecureAI-P6': null });
    expect(findAcknowledgment(resource, 'SecureAI-P6', 'SecureAI')).toEqual({ reason: '', at: 'Stack/Group/Config' });
  });
});

describe('AcknowledgmentLookup', () => {
  test('answers as findAcknowledgment does, reading each construct once however often it is asked', () => {
    const { stack, group, resource } = tree();
    Validations.of(stack).acknowledge({ id: 'SecureAI-P6', reason: 'whole stack' });
    Validations.of(group).acknowledge({ id: 'SecureAI::SecureAI-P7', reason: 'this group' });
    const lookup = new AcknowledgmentLookup('SecureAI');
    const reads = jest.spyOn(resource.node, 'metadata', 'get');
    for (let i = 0; i < 3; i++) {
      for (const rule of ['SecureAI-P6', 'SecureAI-P7', 'SecureAI-P8']) {
        expect(lookup.find(resource, rule)).toEqual(findAcknowledgment(resource, rule, 'SecureAI'));
      }
    }
    expect(lookup.find(resource, 'SecureAI-P7')).toEqual({ reason: 'this group', at: 'Stack/Group' });
    expect(lookup.find(resource, 'SecureAI-P8')).toBeUndefined();
    // Once by the lookup, and once per findAcknowledgment call (9) made for comparison.
    expect(reads).toHaveBeenCalledTimes(10);
    reads.mockRestore();
  });
});
