import { App } from 'aws-cdk-lib';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { Expression, UnknownValue } from '../../../src/nag/engine/values';
import { cloudWatchLogGroup, invocationLogging, isCustomResourceType, s3Buckets } from '../../../src/nag/knowledge/invocation-logging';
import { ifElse, imported, stackOf, TemplateFixture } from '../harness';

function indexOf(fixture: TemplateFixture): ResourceIndex {
  const app = new App();
  stackOf(fixture, app);
  return ResourceIndex.fromScope(app);
}

const call = (loggingConfig: unknown, action = 'PutModelInvocationLoggingConfiguration', service = 'Bedrock') =>
  JSON.stringify({ service, action, parameters: { loggingConfig } });

const FIXTURE: TemplateFixture = {
  Resources: {
    Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/bedrock/invocations' } },
    Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    Literal: { Type: 'Custom::AWS', Properties: { Create: call({ cloudWatchConfig: { logGroupName: '/aws/bedrock/invocations' }, textDataDeliveryEnabled: true }) } },
    Joined: {
      Type: 'Custom::BedrockLogging',
      Properties: {
        Update: { 'Fn::Join': ['', ['{"service":"Bedrock","action":"putModelInvocationLoggingConfigurationCommand","parameters":{"loggingConfig":{"cloudWatchConfig":{"logGroupName":"', { Ref: 'Logs' }, '","roleArn":"', { 'Fn::GetAtt': ['Role', 'Arn'] }, '"}}}}']] },
      },
    },
    Other: { Type: 'Custom::AWS', Properties: { Create: JSON.stringify({ service: 'S3', action: 'putBucketPolicy', parameters: {} }) } },
    Mention: { Type: 'Custom::AWS', Properties: { Create: JSON.stringify({ service: 'SageMaker', action: 'PutModelInvocationLoggingConfiguration', parameters: {} }) } },
    NotCustom: { Type: 'AWS::Lambda::Function', Properties: { Description: 'PutModelInvocationLoggingConfiguration' } },
  },
};

describe('invocationLogging', () => {
  test('finds the custom resources that call the action, literal or built with Fn::Join, in any spelling', () => {
    const lookup = invocationLogging(indexOf(FIXTURE));
    expect(lookup.calls.map((c) => c.resource.logicalId)).toEqual(['Literal', 'Joined']);
    expect(lookup.calls[0].forms).toEqual([{
      property: 'Create',
      loggingConfig: { cloudWatchConfig: { logGroupName: '/aws/bedrock/invocations' }, textDataDeliveryEnabled: true },
      branch: expect.objectContaining({ parameters: [] }),
    }]);
    expect(lookup.calls[1].forms.map((f) => f.property)).toEqual(['Update']);
  });

  test('the log groups of the app that receive invocation logs, by literal name or reference, first delivering resource kept', () => {
    const index = indexOf(FIXTURE);
    const lookup = invocationLogging(index);
    expect([...lookup.logGroups.keys()].map((g) => [g.logicalId, lookup.logGroups.first(index, g)?.logicalId])).toEqual([['Logs', 'Literal']]);
  });

  test('a call that is not created is kept, and delivers to no log group: the first created call does, its condition alone read', () => {
    const index = indexOf({
      Conditions: { Never: { 'Fn::Equals': ['yes', 'no'] } },
      Resources: { ...FIXTURE.Resources, Literal: { ...FIXTURE.Resources.Literal, Condition: 'Never' } },
    });
    const lookup = invocationLogging(index);
    expect(lookup.calls.map((c) => c.resource.logicalId)).toEqual(['Literal', 'Joined']);
    expect(index.keepCreated(lookup.calls, (c) => c.resource).map((c) => c.resource.logicalId)).toEqual(['Joined']);
    const logs = index.find('Test', 'Logs')!;
    expect(lookup.logGroups.created(index, logs).map((r) => r.logicalId)).toEqual(['Joined']);
    expect(lookup.logGroups.first(index, logs)?.logicalId).toBe('Joined');
  });

  test('a call that cannot be read gives an unknown loggingConfig, never a throw', () => {
    const lookup = invocationLogging(indexOf({
      Resources: {
        Broken: { Type: 'Custom::AWS', Properties: { Create: '{"action":"PutModelInvocationLoggingConfiguration",' } },
        NoParams: { Type: 'Custom::AWS', Properties: { Create: JSON.stringify({ action: 'PutModelInvocationLoggingConfiguration', parameters: 'x' }) } },
        Imported: { Type: 'Custom::AWS', Properties: { Create: JSON.stringify({ action: 'PutModelInvocationLoggingConfiguration' }), Update: imported('call') } },
      },
    }));
    const byId = new Map(lookup.calls.map((c) => [c.resource.logicalId, c.forms]));
    expect((byId.get('Broken')![0].loggingConfig as UnknownValue).reason).toMatch(/^the call cannot be read: it is not valid JSON/);
    expect((byId.get('NoParams')![0].loggingConfig as UnknownValue).reason).toBe('the parameters of the call are not an object');
    // The Create call names the action but sets no loggingConfig: it configures nothing and is not a form.
    expect(byId.get('Imported')!.map((f) => [f.property, f.loggingConfig instanceof UnknownValue])).toEqual([['Update', true]]);
  });

  test('each Fn::If form of a call is a form of its own', () => {
    const lookup = invocationLogging(indexOf({
      Resources: {
        Cr: { Type: 'Custom::AWS', Properties: { Create: ifElse(call({ s3Config: { bucketName: 'a' } }), call({ s3Config: { bucketName: 'b' } })) } },
        Half: { Type: 'Custom::AWS', Properties: { Create: ifElse(call({ s3Config: { bucketName: 'a' } }), call({}, 'DeleteModelInvocationLoggingConfiguration')) } },
      },
    }));
    expect(lookup.calls[0].forms.map((f) => f.loggingConfig)).toEqual([{ s3Config: { bucketName: 'a' } }, { s3Config: { bucketName: 'b' } }]);
    expect(lookup.calls[0].forms).toHaveLength(2);
    expect(lookup.calls[1].forms).toHaveLength(1);
  });

  test('read once per index; a new index reads afresh', () => {
    const index = indexOf(FIXTURE);
    const first = invocationLogging(index);
    const evaluations = index.statistics.evaluations;
    expect(invocationLogging(index)).toBe(first);
    expect(index.statistics.evaluations).toBe(evaluations);
    expect(invocationLogging(indexOf(FIXTURE))).not.toBe(first);
  });
});

describe('helpers', () => {
  test('isCustomResourceType', () => {
    expect(isCustomResourceType('Custom::AWS')).toBe(true);
    expect(isCustomResourceType('AWS::CloudFormation::CustomResource')).toBe(true);
    expect(isCustomResourceType('AWS::Lambda::Function')).toBe(false);
  });

  test('cloudWatchLogGroup and s3Buckets read the config in any key case', () => {
    const config = { CloudWatchConfig: { LogGroupName: 'g', largeDataDeliveryS3Config: { bucketName: 'big' } }, s3Config: { BucketName: 'b' } };
    expect(cloudWatchLogGroup(config)).toBe('g');
    expect(s3Buckets(config)).toEqual([
      { path: 'loggingConfig.s3Config.bucketName', name: 'b' },
      { path: 'loggingConfig.cloudWatchConfig.largeDataDeliveryS3Config.bucketName', name: 'big' },
    ]);
    expect(cloudWatchLogGroup(undefined)).toBeUndefined();
    expect(s3Buckets(new UnknownValue('x'))).toEqual([]);
    expect(s3Buckets(new Expression(['x']))).toEqual([]);
  });
});
