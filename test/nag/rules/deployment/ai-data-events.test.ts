import { App } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, stackOf, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const AI: Resources = {
  Guardrail: { Type: 'AWS::Bedrock::Guardrail', Properties: { Name: 'g', BlockedInputMessaging: 'no', BlockedOutputsMessaging: 'no' } },
  Bucket: { Type: 'AWS::S3::Bucket' },
  Model: {
    Type: 'AWS::SageMaker::Model',
    Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: { ModelDataUrl: { 'Fn::Join': ['', ['s3://', { Ref: 'Bucket' }, '/model.tar.gz']] } } },
  },
};
const selector = (type: unknown, arn?: Record<string, unknown>) => ({
  Name: `data ${String(type)}`,
  FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: [type] }, ...(arn ? [{ Field: 'resources.ARN', ...arn }] : [])],
});
const trail = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, S3BucketName: 'audit', IsMultiRegionTrail: true, ...properties },
});
const BOTH = [selector('AWS::Bedrock::Guardrail'), selector('AWS::S3::Object')];

describe('P21 data events for AI resources and AI buckets', () => {
  test('compliant: advanced selectors for the guardrail and for S3 objects', () => {
    const run = validate({ Resources: { ...AI, Trail: trail({ AdvancedEventSelectors: BOTH }) } });
    expect(verdictOf(run, 'P21', 'Trail')).toBe('none');
    // The guardrail and the model are evaluated too, as the first AI resource of the account and Region (see P20).
    expect(run.tally('P21')).toMatchObject({ evaluated: 3, compliant: 1, nonCompliant: 0, unverifiable: 0 });
  });

  test('non-compliant: a management-events-only trail names every missing data-event type', () => {
    const run = validate({ Resources: { ...AI, Trail: trail() } });
    expect(verdictOf(run, 'P21', 'Trail')).toBe('non-compliant');
    const finding = run.of('P21')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-P21', level: 'warning' });
    expect(finding.message).toMatch(/AWS::Bedrock::Guardrail \(Guardrail\)/);
    expect(finding.message).toMatch(/AWS::S3::Object for AI bucket Bucket/);
  });

  test('S3 selectors: an ARN filter must include the AI bucket', () => {
    const other = validate({ Resources: { ...AI, Trail: trail({ AdvancedEventSelectors: [BOTH[0], selector('AWS::S3::Object', { StartsWith: ['arn:aws:s3:::logs-bucket/'] })] }) } });
    expect(verdictOf(other, 'P21', 'Trail')).toBe('unverifiable'); // the AI bucket's name is generated: a literal ARN may or may not be it
    const named = { ...AI, Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'models-prod' } } };
    expect(verdictOf(validate({ Resources: { ...named, Trail: trail({ AdvancedEventSelectors: [BOTH[0], selector('AWS::S3::Object', { StartsWith: ['arn:aws:s3:::logs-bucket/'] })] }) } }), 'P21', 'Trail')).toBe('non-compliant');
    expect(verdictOf(validate({ Resources: { ...named, Trail: trail({ AdvancedEventSelectors: [BOTH[0], selector('AWS::S3::Object', { StartsWith: ['arn:aws:s3:::models-prod/'] })] }) } }), 'P21', 'Trail')).toBe('none');
    const byReference = selector('AWS::S3::Object', { StartsWith: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/']] }] });
    expect(verdictOf(validate({ Resources: { ...AI, Trail: trail({ AdvancedEventSelectors: [BOTH[0], byReference] }) } }), 'P21', 'Trail')).toBe('none');
    const excluded = selector('AWS::S3::Object', { NotStartsWith: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/']] }] });
    expect(verdictOf(validate({ Resources: { ...AI, Trail: trail({ AdvancedEventSelectors: [BOTH[0], excluded] }) } }), 'P21', 'Trail')).toBe('non-compliant');
  });

  test('basic event selectors cover S3 but not Bedrock', () => {
    const basic = [{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }];
    const run = validate({ Resources: { ...AI, Trail: trail({ EventSelectors: basic }) } });
    expect(verdictOf(run, 'P21', 'Trail')).toBe('non-compliant');
    expect(run.of('P21')[0].message).toMatch(/AWS::Bedrock::Guardrail/);
    expect(run.of('P21')[0].message).not.toMatch(/AWS::S3::Object for AI bucket/);
  });

  test('a finding names at most five AI buckets, however many the app holds: its message does not grow with the app', () => {
    // Each finding of P21 is also listed under every AI asset of the threat model: a message that names every bucket
    // made that file grow with the square of the app.
    const buckets: Resources = {};
    for (let i = 0; i < 12; i++) {
      buckets[`Bucket${i}`] = { Type: 'AWS::S3::Bucket' };
      buckets[`Model${i}`] = {
        Type: 'AWS::SageMaker::Model',
        Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: { ModelDataUrl: { 'Fn::Join': ['', ['s3://', { Ref: `Bucket${i}` }, '/model.tar.gz']] } } },
      };
    }
    const many = 'AWS::S3::Object for AI buckets Bucket0, Bucket1, Bucket2, Bucket3, Bucket4 and 7 more';
    const withTrail = validate({ Resources: { ...buckets, Trail: trail({ AdvancedEventSelectors: [] }) } });
    expect(withTrail.of('P21').map((f) => f.message)).toEqual([expect.stringContaining(many)]);
    expect(withTrail.of('P21')[0].message).not.toMatch(/Bucket11/);
    const withoutTrail = validate({ Resources: buckets });
    expect(withoutTrail.of('P21').map((f) => f.message)).toEqual([expect.stringContaining(many)]);
  });

  test('coverage may be split over trails; a trail that is not logging does not count', () => {
    const split = validate({ Resources: { ...AI, Mgmt: trail(), Data: trail({ AdvancedEventSelectors: BOTH }) } });
    expect(verdictOf(split, 'P21', 'Mgmt')).toBe('none');
    expect(verdictOf(split, 'P21', 'Data')).toBe('none');
    const stopped = validate({ Resources: { ...AI, Mgmt: trail(), Data: trail({ IsLogging: false, AdvancedEventSelectors: BOTH }) } });
    expect(verdictOf(stopped, 'P21', 'Mgmt')).toBe('non-compliant');
  });

  test('agents need AgentAlias events; prompts accept PromptVersion or Prompt; SageMaker endpoints need none', () => {
    const agentApp = { Agent: { Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a' } }, Prompt: { Type: 'AWS::Bedrock::Prompt', Properties: { Name: 'p' } } };
    const missing = validate({ Resources: { ...agentApp, Trail: trail({ AdvancedEventSelectors: [selector('AWS::Bedrock::Prompt')] }) } });
    expect(missing.of('P21')[0].message).toMatch(/AWS::Bedrock::AgentAlias \(Agent\)/);
    expect(missing.of('P21')[0].message).not.toMatch(/PromptVersion/);
    const endpointOnly = validate({ Resources: { Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'c' } }, Trail: trail() } });
    expect(verdictOf(endpointOnly, 'P21', 'Trail')).toBe('none');
    expect(endpointOnly.tally('P21')).toMatchObject({ notApplicable: 2, nonCompliant: 0 });
  });

  test('a trail whose Condition is false records no data events', () => {
    const run = validate({
      Conditions: { Audited: { 'Fn::Equals': ['prod', 'dev'] } },
      Resources: { ...AI, Trail: { ...trail({ AdvancedEventSelectors: BOTH }), Condition: 'Audited' }, Other: trail() },
    });
    expect(verdictOf(run, 'P21', 'Other')).toBe('non-compliant');
    expect(run.of('P21').find((f) => f.logicalId === 'Other')?.message).toMatch(/AWS::Bedrock::Guardrail/);
  });

  test('not applicable when an organisation trail is declared', () => {
    const run = validate({ Resources: { ...AI, Trail: trail() } }, { orgManaged: { auditTrail: 'organisation trail with Bedrock data events' } });
    expect(verdictOf(run, 'P21', 'Trail')).toBe('none');
    expect(run.tally('P21')).toMatchObject({ notApplicable: 3, nonCompliant: 0 });
  });

  test('intrinsic: Fn::If without the data selectors in one branch; a resource type from a parameter', () => {
    const branch = validate({ Resources: { ...AI, Trail: trail({ AdvancedEventSelectors: ifElse(BOTH, []) }) } });
    expect(verdictOf(branch, 'P21', 'Trail')).toBe('non-compliant');
    const byDefault = validate({
      Parameters: { DataType: { Default: 'AWS::Bedrock::Guardrail' } },
      Resources: { ...AI, Trail: trail({ AdvancedEventSelectors: [selector({ Ref: 'DataType' }), BOTH[1]] }) },
    });
    expect(verdictOf(byDefault, 'P21', 'Trail')).toBe('none');
    const allowed = validate({
      Parameters: { DataType: { Default: 'AWS::Bedrock::Guardrail', AllowedValues: ['AWS::Bedrock::Guardrail', 'AWS::Lambda::Function'] } },
      Resources: { ...AI, Trail: trail({ AdvancedEventSelectors: [selector({ Ref: 'DataType' }), BOTH[1]] }) },
    });
    expect(verdictOf(allowed, 'P21', 'Trail')).toBe('parameter');
  });

  test('unverifiable: the selectors are imported', () => {
    const run = validate({ Resources: { ...AI, Trail: trail({ AdvancedEventSelectors: imported('selectors') }) } });
    expect(verdictOf(run, 'P21', 'Trail')).toBe('unverifiable');
    expect(run.of('P21')[0]).toMatchObject({ ruleName: 'SecureAI-P21[unverifiable]', level: 'warning' });
  });

  test('malformed values never throw', () => {
    const run = validate({ Resources: { ...AI, Trail: trail({ AdvancedEventSelectors: [5, { FieldSelectors: 'x' }, { FieldSelectors: [null, { Field: 3 }] }], EventSelectors: [{ DataResources: 'y' }] }) } });
    expect(run.tally('P21').errors).toBe(0);
    expect(verdictOf(run, 'P21', 'Trail')).toBe('non-compliant');
  });
});

describe('P21: a CloudTrail Lake event data store records data events as a trail\'s advanced selectors do', () => {
  const store = (properties: Record<string, unknown> = {}) => ({
    Type: 'AWS::CloudTrail::EventDataStore', Properties: { Name: 'audit', KmsKeyId: 'arn:aws:kms:eu-west-2:111122223333:key/abc', ...properties },
  });
  const byReference = selector('AWS::S3::Object', { StartsWith: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/']] }] });

  test('compliant: a store, and no trail, with data selectors for the guardrail and the AI bucket', () => {
    // The attack: an app audited by CloudTrail Lake alone was told nothing recorded its data events.
    for (const selectors of [BOTH, [BOTH[0], byReference]]) {
      const run = validate({ Resources: { ...AI, Lake: store({ AdvancedEventSelectors: selectors }) } });
      expect(run.of('P21')).toEqual([]);
      expect(run.tally('P21')).toMatchObject({ compliant: 1, nonCompliant: 0, unverifiable: 0 });
    }
  });

  test('non-compliant: a store of management events only (no selectors) names every missing data-event type', () => {
    const run = validate({ Resources: { ...AI, Lake: store() } });
    expect(verdictOf(run, 'P21', 'Lake')).toBe('non-compliant');
    expect(run.of('P21')[0].message).toMatch(/no logging trail or ingesting event data store of the app records data events for AWS::Bedrock::Guardrail \(Guardrail\); AWS::S3::Object for AI bucket Bucket/);
    const excluded = selector('AWS::S3::Object', { NotStartsWith: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/']] }] });
    expect(verdictOf(validate({ Resources: { ...AI, Lake: store({ AdvancedEventSelectors: [BOTH[0], excluded] }) } }), 'P21', 'Lake')).toBe('non-compliant');
  });

  test('a store of AWS Config items is no audit trail: not applicable', () => {
    const config = store({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['ConfigurationItem'] }] }] });
    const run = validate({ Resources: { ...AI, Lake: config } });
    expect(verdictOf(run, 'P21', 'Lake')).toBe('none');
    expect(run.of('P21').map((f) => f.logicalId)).toEqual(['Guardrail']); // the account's first AI resource: nothing records it
  });

  test('coverage may be split over a trail and a store; a store that does not ingest counts for nothing', () => {
    const guardrailOnly = trail({ AdvancedEventSelectors: [BOTH[0]] });
    const split = validate({ Resources: { ...AI, Trail: guardrailOnly, Lake: store({ AdvancedEventSelectors: [BOTH[1]] }) } });
    expect(split.of('P21')).toEqual([]);
    const stopped = validate({ Resources: { ...AI, Trail: guardrailOnly, Lake: store({ IngestionEnabled: 'false', AdvancedEventSelectors: [BOTH[1]] }) } });
    expect(verdictOf(stopped, 'P21', 'Trail')).toBe('non-compliant');
    expect(stopped.of('P21').find((f) => f.logicalId === 'Trail')!.message).toMatch(/AWS::S3::Object for AI bucket Bucket/);
  });

  test('intrinsic: Fn::If without the data selectors in one branch; a resource type from a parameter', () => {
    expect(verdictOf(validate({ Resources: { ...AI, Lake: store({ AdvancedEventSelectors: ifElse(BOTH, { Ref: 'AWS::NoValue' }) }) } }), 'P21', 'Lake')).toBe('non-compliant');
    const byDefault = (allowed?: string[]) => validate({
      Parameters: { DataType: { Default: 'AWS::S3::Object', AllowedValues: allowed } },
      Resources: { ...AI, Lake: store({ AdvancedEventSelectors: [BOTH[0], selector({ Ref: 'DataType' })] }) },
    });
    expect(verdictOf(byDefault(), 'P21', 'Lake')).toBe('none');
    expect(verdictOf(byDefault(['AWS::S3::Object', 'AWS::Lambda::Function']), 'P21', 'Lake')).toBe('parameter');
  });

  test('unverifiable: imported selectors; a store in an environment-agnostic stack, the AI resources in a known account', () => {
    const run = validate({ Resources: { ...AI, Lake: store({ AdvancedEventSelectors: imported('selectors') }) } });
    expect(verdictOf(run, 'P21', 'Lake')).toBe('unverifiable');
    expect(run.of('P21')[0]).toMatchObject({ ruleName: 'SecureAI-P21[unverifiable]', level: 'warning' });
    const app = new App({ autoSynth: false });
    stackOf({ Resources: { Lake: store({ AdvancedEventSelectors: BOTH }) } }, app, 'Audit');
    stackOf({ Resources: AI }, app, 'Ai', { env: { account: '111122223333', region: 'eu-west-2' } });
    const agnostic = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(agnostic.of('P21').find((f) => f.stackPath === 'Ai')!.message).toMatch(/whether event data store Lake, in an environment-agnostic stack, records/);
  });

  test('a store whose Condition is false records no data events', () => {
    const run = validate({
      Conditions: { Audited: { 'Fn::Equals': ['prod', 'dev'] } },
      Resources: { ...AI, Lake: { ...store({ AdvancedEventSelectors: BOTH }), Condition: 'Audited' }, Other: trail() },
    });
    expect(verdictOf(run, 'P21', 'Other')).toBe('non-compliant');
    expect(run.of('P21').find((f) => f.logicalId === 'Other')!.message).toMatch(/AWS::Bedrock::Guardrail/);
  });
});
