import { App, aws_bedrock as bedrock, aws_s3 as s3, aws_sagemaker as sagemaker, Duration, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const expire = (days: unknown, extra: Record<string, unknown> = {}) => ({ LifecycleConfiguration: { Rules: [{ Id: 'expire', Status: 'Enabled', ExpirationInDays: days, ...extra }] } });
/** A bucket that receives an endpoint's data capture. */
const captured = (bucket: Record<string, unknown>, resources: Resources = {}, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: {
    Capture: { Type: 'AWS::S3::Bucket', Properties: bucket },
    Config: {
      Type: 'AWS::SageMaker::EndpointConfig',
      Properties: { ProductionVariants: [], DataCaptureConfig: { DestinationS3Uri: { 'Fn::Join': ['', ['s3://', { Ref: 'Capture' }, '/capture']] } } },
    },
    ...resources,
  },
});
const agent = (properties: Record<string, unknown>) => ({ Resources: { Agent: { Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a', ...properties } } } });
const memory = (properties: Record<string, unknown>) => ({ Resources: { Memory: { Type: 'AWS::BedrockAgentCore::Memory', Properties: { Name: 'm', ...properties } } } });

describe('V16 AI data, sessions and memory expire', () => {
  test('compliant: a capture bucket with an expiration; an agent within the limits; a memory with expiries', () => {
    const run = validate(captured(expire(90)));
    expect(verdictOf(run, 'V16', 'Capture')).toBe('none');
    expect(run.tally('V16')).toMatchObject({ evaluated: 1, compliant: 1 });
    expect(verdictOf(validate(agent({ IdleSessionTTLInSeconds: 900, MemoryConfiguration: { EnabledMemoryTypes: ['SESSION_SUMMARY'], StorageDays: 7 } })), 'V16', 'Agent')).toBe('none');
    expect(verdictOf(validate(agent({})), 'V16', 'Agent')).toBe('none');
    const strategy = { SemanticMemoryStrategy: { Name: 's', RecordExpirySpecification: { RecordExpiryDurationDays: 60 } } };
    expect(verdictOf(validate(memory({ EventExpiryDuration: 30, MemoryStrategies: [strategy] })), 'V16', 'Memory')).toBe('none');
  });

  test('not applicable: buckets that hold no AI data (a model-artifact bucket is not user data)', () => {
    const run = validate({
      Resources: {
        Web: { Type: 'AWS::S3::Bucket', Properties: {} },
        Artifacts: { Type: 'AWS::S3::Bucket', Properties: {} },
        Model: { Type: 'AWS::SageMaker::Model', Properties: { PrimaryContainer: { ModelDataUrl: { 'Fn::Sub': 's3://${Artifacts}/m.tar.gz' } } } },
      },
    });
    expect(run.tally('V16')).toMatchObject({ evaluated: 2, notApplicable: 2 });
  });

  test('non-compliant buckets: no lifecycle; a disabled rule; versioned without noncurrent expiry; an expiration other than the documented one', () => {
    const none = validate(captured({}));
    expect(none.of('V16')[0]).toMatchObject({ ruleName: 'SecureAI-V16', level: 'warning', locations: ['Properties.LifecycleConfiguration.Rules'] });
    expect(none.of('V16')[0].message).toMatch(/no enabled LifecycleConfiguration rule sets ExpirationInDays.*AWS::SageMaker::EndpointConfig Config writes to it \(DataCaptureConfig.DestinationS3Uri\)/);
    expect(verdictOf(validate(captured({ LifecycleConfiguration: { Rules: [{ Status: 'Disabled', ExpirationInDays: 30 }] } })), 'V16', 'Capture')).toBe('non-compliant');
    const versioned = validate(captured({ ...expire(30), VersioningConfiguration: { Status: 'Enabled' } }));
    expect(versioned.of('V16')[0].message).toMatch(/NoncurrentVersionExpiration/);
    expect(verdictOf(validate(captured({ ...expire(30, { NoncurrentVersionExpiration: { NoncurrentDays: 7 } }), VersioningConfiguration: { Status: 'Enabled' } })), 'V16', 'Capture'))
      .toBe('none');
    const documented = (days: number) => validate(captured({ ...expire(days), Tags: [{ Key: 'ai:retention-days', Value: '30' }] }));
    expect(verdictOf(documented(30), 'V16', 'Capture')).toBe('none');
    expect(documented(365).of('V16')[0].message).toMatch(/no enabled lifecycle rule expires objects after the documented 30 days \(tag ai:retention-days\); the rules say 365 days/);
    const feedback = validate({ Resources: { Feedback: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'ai:data', Value: 'feedback' }] } } } });
    expect(verdictOf(feedback, 'V16', 'Feedback')).toBe('non-compliant');
  });

  test('a bucket receiving Bedrock model-invocation logs through a custom resource is AI data', () => {
    const call = JSON.stringify({ service: 'Bedrock', action: 'PutModelInvocationLoggingConfiguration', parameters: { loggingConfig: { s3Config: { bucketName: 'invocation-logs' } } } });
    const run = validate({ Resources: { Logs: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'invocation-logs' } }, Logging: { Type: 'Custom::AWS', Properties: { Create: call } } } });
    expect(verdictOf(run, 'V16', 'Logs')).toBe('non-compliant');
    expect(run.of('V16')[0].message).toMatch(/model-invocation logs are delivered to it/);
  });

  test('a bucket whose only logging call is not created holds no AI data; the parameter that creates the call warns', () => {
    const call = JSON.stringify({ service: 'Bedrock', action: 'PutModelInvocationLoggingConfiguration', parameters: { loggingConfig: { s3Config: { bucketName: 'invocation-logs' } } } });
    const run = validate({
      Parameters: { LogInvocations: { Default: 'off', AllowedValues: ['on', 'off'] } },
      Conditions: { LoggingOn: { 'Fn::Equals': [{ Ref: 'LogInvocations' }, 'on'] } },
      Resources: { Logs: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'invocation-logs' } }, Logging: { Type: 'Custom::AWS', Condition: 'LoggingOn', Properties: { Create: call } } },
    });
    expect(run.of('V16').map((f) => [f.ruleName, f.logicalId])).toEqual([['SecureAI-V16[parameter]', 'Logs']]);
    expect(run.of('V16')[0].message).toMatch(/parameter LogInvocations defaults to "off", but also allows "on"/);
  });

  test('non-compliant agents: a long session TTL; memory beyond the maximum (absent is Bedrock\'s 30 days against a lower maximum)', () => {
    const ttl = validate(agent({ IdleSessionTTLInSeconds: 5400 }));
    expect(ttl.of('V16')[0].message).toMatch(/IdleSessionTTLInSeconds is 5400, more than 3600 seconds/);
    expect(verdictOf(validate(agent({ IdleSessionTTLInSeconds: 1800 }), { maxAgentSessionTtlSeconds: 900 }), 'V16', 'Agent')).toBe('non-compliant');
    expect(verdictOf(validate(agent({}), { maxAgentSessionTtlSeconds: 300 }), 'V16', 'Agent')).toBe('non-compliant');
    const days = validate(agent({ MemoryConfiguration: { EnabledMemoryTypes: ['SESSION_SUMMARY'], StorageDays: 365 } }));
    expect(days.of('V16')[0].message).toMatch(/StorageDays is 365, more than 30 days/);
    const absent = validate(agent({ MemoryConfiguration: { EnabledMemoryTypes: ['SESSION_SUMMARY'] } }), { maxAgentMemoryDays: 14 });
    expect(absent.of('V16')[0].message).toMatch(/StorageDays is absent \(Bedrock default 30\)/);
  });

  test('non-compliant memories: no event expiry, one beyond the maximum, a strategy whose records never expire', () => {
    expect(validate(memory({})).of('V16')[0].message).toMatch(/EventExpiryDuration is absent/);
    expect(validate(memory({ EventExpiryDuration: 365 })).of('V16')[0].message).toMatch(/EventExpiryDuration is 365, more than 30 days/);
    const strategy = validate(memory({ EventExpiryDuration: 7, MemoryStrategies: [{ UserPreferenceMemoryStrategy: { Name: 'prefs' } }] }));
    expect(strategy.of('V16')[0].message).toMatch(/MemoryStrategies\[0\].UserPreferenceMemoryStrategy sets no RecordExpirySpecification/);
    // Several strategies without an expiry are named together, and what that means is said once.
    const three = validate(memory({
      EventExpiryDuration: 7,
      MemoryStrategies: [
        { SemanticMemoryStrategy: { Name: 'facts' } }, { SummaryMemoryStrategy: { Name: 'sum' } },
        { UserPreferenceMemoryStrategy: { Name: 'prefs', RecordExpirySpecification: { RecordExpiryDurationDays: 30 } } },
      ],
    })).of('V16')[0];
    expect(three.message).toBe('MemoryStrategies[0].SemanticMemoryStrategy, MemoryStrategies[1].SummaryMemoryStrategy set no '
      + 'RecordExpirySpecification: the long-term memory records they extract from users\' conversations never expire');
    expect(three.locations).toEqual(['Properties.MemoryStrategies[0]', 'Properties.MemoryStrategies[1]']);
  });

  test('intrinsic: Fn::If with a longer TTL; a parameter with a long allowed value; expiration from a parameter default', () => {
    expect(verdictOf(validate(agent({ IdleSessionTTLInSeconds: ifElse(600, 5400) })), 'V16', 'Agent')).toBe('non-compliant');
    const param = validate({ Parameters: { Ttl: { Default: '600', AllowedValues: ['600', '5400'] } }, Resources: agent({ IdleSessionTTLInSeconds: { Ref: 'Ttl' } }).Resources });
    expect(param.of('V16')[0].message).toMatch(/parameter Ttl/);
    expect(verdictOf(validate(captured(expire({ Ref: 'Days' }), {}, { Days: { Default: '30' } })), 'V16', 'Capture')).toBe('none');
    expect(verdictOf(validate(captured({ LifecycleConfiguration: ifElse(expire(30).LifecycleConfiguration, { Ref: 'AWS::NoValue' }) })), 'V16', 'Capture')).toBe('non-compliant');
  });

  test('unverifiable: imported rules, TTL or event expiry', () => {
    const rules = validate(captured({ LifecycleConfiguration: { Rules: imported('rules') } }));
    expect(verdictOf(rules, 'V16', 'Capture')).toBe('unverifiable');
    expect(rules.of('V16')[0].ruleName).toBe('SecureAI-V16[unverifiable]');
    expect(verdictOf(validate(agent({ IdleSessionTTLInSeconds: imported('ttl') })), 'V16', 'Agent')).toBe('unverifiable');
    expect(verdictOf(validate(memory({ EventExpiryDuration: imported('days') })), 'V16', 'Memory')).toBe('unverifiable');
  });

  test('real CDK output: s3.Bucket lifecycle rules behind a CfnEndpointConfig data capture, and a CfnAgent', () => {
    const render = (expiring: boolean) => {
      const cdkApp = new App();
      const stack = new Stack(cdkApp, 'S');
      const bucket = new s3.Bucket(stack, 'Capture', expiring ? { lifecycleRules: [{ expiration: Duration.days(30) }] } : {});
      new sagemaker.CfnEndpointConfig(stack, 'Config', {
        productionVariants: [{ variantName: 'v', modelName: 'm', initialInstanceCount: 1, instanceType: 'ml.m5.large' }],
        dataCaptureConfig: { destinationS3Uri: bucket.s3UrlForObject('capture'), initialSamplingPercentage: 100, captureOptions: [{ captureMode: 'Input' }] },
      });
      new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a', idleSessionTtlInSeconds: expiring ? 600 : 5400 });
      return new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V16');
    };
    expect(render(true)).toHaveLength(0);
    expect(render(false).map((f) => f.resourceType).sort()).toEqual(['AWS::Bedrock::Agent', 'AWS::S3::Bucket']);
  });

  test('malformed values never throw', () => {
    const run = validate({
      Resources: {
        ...captured({ LifecycleConfiguration: { Rules: ['x', { Status: 5, ExpirationInDays: 'abc' }] }, Tags: [{ Key: 'ai:retention-days', Value: 'forever' }] }).Resources,
        ...agent({ IdleSessionTTLInSeconds: 'x', MemoryConfiguration: 'y' }).Resources,
        ...memory({ EventExpiryDuration: [1], MemoryStrategies: ['x', { A: 3 }] }).Resources,
      },
    });
    expect(run.tally('V16').errors).toBe(0);
  });
});
