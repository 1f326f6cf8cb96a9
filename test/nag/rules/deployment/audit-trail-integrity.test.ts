import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { FailOn, SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, stackOf, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

const GOOD = {
  IsLogging: true,
  S3BucketName: 'audit-logs',
  EnableLogFileValidation: true,
  KMSKeyId: 'arn:aws:kms:eu-west-2:111122223333:key/abc',
  CloudWatchLogsLogGroupArn: 'arn:aws:logs:eu-west-2:111122223333:log-group:trail:*',
  CloudWatchLogsRoleArn: 'arn:aws:iam::111122223333:role/trail',
  IsMultiRegionTrail: true,
};
const trail = (properties: Record<string, unknown>, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: { Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { ...GOOD, ...properties } } },
});

describe('P20 audit trail integrity', () => {
  test('compliant: logging, validated, encrypted, streamed and multi-Region', () => {
    const run = validate(trail({}));
    expect(verdictOf(run, 'P20', 'Trail')).toBe('none');
    expect(run.tally('P20')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('non-compliant: each property off, with CloudFormation defaults for absent flags', () => {
    const cases: Array<[Record<string, unknown>, RegExp, string]> = [
      [{ EnableLogFileValidation: undefined }, /EnableLogFileValidation is absent \(CloudFormation default false\)/, 'Properties.EnableLogFileValidation'],
      [{ EnableLogFileValidation: false }, /EnableLogFileValidation is false/, 'Properties.EnableLogFileValidation'],
      [{ KMSKeyId: undefined }, /KMSKeyId is absent/, 'Properties.KMSKeyId'],
      [{ CloudWatchLogsLogGroupArn: '' }, /CloudWatchLogsLogGroupArn is ""/, 'Properties.CloudWatchLogsLogGroupArn'],
      [{ IsMultiRegionTrail: undefined }, /IsMultiRegionTrail is absent \(CloudFormation default false\)/, 'Properties.IsMultiRegionTrail'],
      [{ IsLogging: 'false' }, /IsLogging is "false": the trail records nothing/, 'Properties.IsLogging'],
    ];
    for (const [change, message, location] of cases) {
      const run = validate(trail(change));
      expect(verdictOf(run, 'P20', 'Trail')).toBe('non-compliant');
      expect(run.of('P20')[0]).toMatchObject({ ruleName: 'SecureAI-P20', level: 'error', locations: [location] });
      expect(run.of('P20')[0].message).toMatch(message);
    }
  });

  test('non-compliant: selectors that leave out management write events; compliant where some selector keeps them', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ EventSelectors: [{ IncludeManagementEvents: false, ReadWriteType: 'All' }] }, /EventSelectors record no management write events/],
      [{ EventSelectors: [{ ReadWriteType: 'ReadOnly' }] }, /EventSelectors record no management write events/],
      [{ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }] },
        /AdvancedEventSelectors record no management write events/],
      [{ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['true'] }] }] },
        /AdvancedEventSelectors record no management write events/],
    ];
    for (const [change, message] of cases) {
      const run = validate(trail(change));
      expect(verdictOf(run, 'P20', 'Trail')).toBe('non-compliant');
      expect(run.of('P20')[0].message).toMatch(message);
    }
    const kept = [
      { EventSelectors: [{ IncludeManagementEvents: false }, { ReadWriteType: 'WriteOnly' }] },
      { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }, { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] },
    ];
    for (const change of kept) expect(verdictOf(validate(trail(change)), 'P20', 'Trail')).toBe('none');
    expect(verdictOf(validate(trail({ EventSelectors: imported('selectors') })), 'P20', 'Trail')).toBe('unverifiable');
  });

  test('an imported key or log group is set', () => {
    expect(verdictOf(validate(trail({ KMSKeyId: imported('audit-key'), CloudWatchLogsLogGroupArn: imported('audit-log-group') })), 'P20', 'Trail')).toBe('none');
  });

  test('intrinsic: Fn::If without validation in one branch; Ref to a parameter', () => {
    const branch = validate(trail({ EnableLogFileValidation: ifElse(true, NO_VALUE) }));
    expect(verdictOf(branch, 'P20', 'Trail')).toBe('non-compliant');
    expect(branch.of('P20')[0].message).toMatch(/possible forms/);
    expect(verdictOf(validate(trail({ IsMultiRegionTrail: { Ref: 'Multi' } }, { Multi: { Default: 'true' } })), 'P20', 'Trail')).toBe('none');
    const allowed = validate(trail({ IsMultiRegionTrail: { Ref: 'Multi' } }, { Multi: { Default: 'true', AllowedValues: ['true', 'false'] } }));
    expect(verdictOf(allowed, 'P20', 'Trail')).toBe('parameter');
    expect(allowed.of('P20')[0].message).toMatch(/parameter Multi/);
  });

  test('unverifiable: a flag read from an import', () => {
    const run = validate(trail({ EnableLogFileValidation: imported('validate') }));
    expect(verdictOf(run, 'P20', 'Trail')).toBe('unverifiable');
    expect(run.of('P20')[0]).toMatchObject({ ruleName: 'SecureAI-P20[unverifiable]', level: 'warning' });
  });

  test('not applicable when an organisation trail is declared, by prop or by context', () => {
    const byProp = validate(trail({ EnableLogFileValidation: false }), { orgManaged: { auditTrail: 'organisation trail in the audit account' } });
    expect(verdictOf(byProp, 'P20', 'Trail')).toBe('none');
    expect(byProp.tally('P20')).toMatchObject({ notApplicable: 1 });
    const app = new App({ context: { 'ai:org-trail': 'org-managed' } });
    new CfnResource(new Stack(app, 'Test'), 'Trail', { type: 'AWS::CloudTrail::Trail', properties: { IsLogging: true } }).overrideLogicalId('Trail');
    const byContext = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(byContext.tally('P20')).toMatchObject({ notApplicable: 1, nonCompliant: 0 });
  });

  test('a context switch set to anything but org-managed stops the run, naming the key, the value and the fix', () => {
    // `-c ai:org-trail=true` looks like a declaration; ignoring it would leave the team believing the trail declared.
    const app = new App({ context: { 'ai:org-trail': 'true' } });
    new CfnResource(new Stack(app, 'Test'), 'Trail', { type: 'AWS::CloudTrail::Trail', properties: { IsLogging: true } });
    expect(() => new SecureAiChecks().validateScope(app))
      .toThrow('SecureAiChecks: context ai:org-trail is "true". Fix: set it to "org-managed" when the organisation runs this control centrally, or remove it.');
  });

  test('malformed values never throw', () => {
    const run = validate(trail({ IsLogging: { nested: [1] }, KMSKeyId: [], IsMultiRegionTrail: 3 }));
    expect(run.tally('P20').errors).toBe(0);
    expect(verdictOf(run, 'P20', 'Trail')).toBe('non-compliant');
  });
});

describe('P20 and P21: an account and Region that holds AI resources has a trail', () => {
  type Resources = TemplateFixture['Resources'];
  const MODEL = { Type: 'AWS::SageMaker::Model', Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/m' } };
  const GUARDRAIL = { Type: 'AWS::Bedrock::Guardrail', Properties: { Name: 'g', BlockedInputMessaging: 'no', BlockedOutputsMessaging: 'no' } };
  const TRAIL = { Type: 'AWS::CloudTrail::Trail', Properties: GOOD };
  /** An app of stacks, each with its environment (absent: environment-agnostic) and resources. */
  const appOf = (stacks: Record<string, { env?: { account: string; region: string }; resources: Resources }>, context?: Record<string, string>) => {
    const app = new App({ autoSynth: false, context });
    for (const [id, { env, resources }] of Object.entries(stacks)) stackOf({ Resources: resources }, app, id, { env });
    return app;
  };
  const check = (app: App, props = {}) => new ValidationRun(new SecureAiChecks(props).validateScope(app));
  const LONDON = { account: '111122223333', region: 'eu-west-2' };
  const DUBLIN = { account: '111122223333', region: 'eu-west-1' };

  test('unverifiable, not a pass: AI resources and no trail in the app, reported once per account and Region on the first AI resource', () => {
    const run = check(appOf({
      Ai: { env: LONDON, resources: { Model: MODEL, Guardrail: GUARDRAIL } },
      More: { env: LONDON, resources: { Other: MODEL } },
    }));
    expect(run.of('P20')).toHaveLength(1);
    // A trail is account-level: an organisation trail outside the app may record the account, which synth cannot know.
    expect(run.of('P20')[0]).toMatchObject({ ruleName: 'SecureAI-P20[unverifiable]', level: 'warning', logicalId: 'Model', stackPath: 'Ai' });
    expect(run.of('P20')[0].message).toMatch(/account 111122223333, Region eu-west-2 holds AI resources Model, Guardrail, Other, and no CloudTrail trail of the app records that account and Region, nor does a CloudTrail Lake event data store/);
    expect(run.of('P20')[0].message).toMatch(/declare the organisation trail with orgManaged\.auditTrail/);
    expect(run.of('P21')).toHaveLength(1);
    expect(run.of('P21')[0]).toMatchObject({ ruleName: 'SecureAI-P21[unverifiable]', level: 'warning', logicalId: 'Model' });
    expect(run.of('P21')[0].message).toMatch(/nothing records data events for AWS::Bedrock::Guardrail \(Guardrail\)/);
    const environmentAgnostic = check(appOf({ Ai: { resources: { Model: MODEL } } }));
    expect(verdictOf(environmentAgnostic, 'P20', 'Model')).toBe('unverifiable');
    // Failing on warnings, the missing trail fails the app.
    expect(check(appOf({ Ai: { env: LONDON, resources: { Model: MODEL } } }), { failOn: FailOn.WARNING }).report.success).toBe(false);
  });

  test('a trail of one Region records another only if it is multi-Region', () => {
    const londonOnly = { ...TRAIL, Properties: { ...GOOD, IsMultiRegionTrail: false } };
    const single = check(appOf({ Audit: { env: LONDON, resources: { Trail: londonOnly } }, Ai: { env: DUBLIN, resources: { Model: MODEL } } }));
    expect(verdictOf(single, 'P20', 'Model')).toBe('unverifiable');
    expect(single.of('P20').find((f) => f.logicalId === 'Model')!.message).toMatch(/Region eu-west-1/);
    const multi = check(appOf({ Audit: { env: LONDON, resources: { Trail: TRAIL } }, Ai: { env: DUBLIN, resources: { Model: MODEL } } }));
    expect(verdictOf(multi, 'P20', 'Model')).toBe('none');
    expect(multi.tally('P20')).toMatchObject({ compliant: 2, nonCompliant: 0 });
  });

  test('compliant: a trail in another stack of the account, or an organisation trail of another account', () => {
    expect(check(appOf({ Audit: { env: LONDON, resources: { Trail: TRAIL } }, Ai: { env: LONDON, resources: { Model: MODEL } } })).of('P20')).toEqual([]);
    const org = { ...TRAIL, Properties: { ...GOOD, IsOrganizationTrail: true } };
    const management = { account: '999999999999', region: 'eu-west-2' };
    const run = check(appOf({ Audit: { env: management, resources: { Trail: org } }, Ai: { env: LONDON, resources: { Model: MODEL } } }));
    expect(run.of('P20')).toEqual([]);
    expect(run.of('P21').filter((f) => f.logicalId === 'Model')).toEqual([]);
  });

  test('not applicable when the organisation trail is declared, by prop or by context', () => {
    const stacks = { Ai: { env: LONDON, resources: { Model: MODEL, Guardrail: GUARDRAIL } } };
    const trailFindings = (run: ValidationRun) => run.findings.filter((f) => ['P20', 'P21'].includes(f.ruleId));
    expect(trailFindings(check(appOf(stacks), { orgManaged: { auditTrail: 'organisation trail in the audit account' } }))).toEqual([]);
    expect(trailFindings(check(appOf(stacks, { 'ai:org-trail': 'org-managed' })))).toEqual([]);
  });

  test('an organisation trail an AiEnvironment declares settles the account and Region of its stack, and only those', () => {
    // AiEnvironment's organizationTrail renders this into its VPC's metadata instead of creating a trail.
    const declaring = (declaration: Record<string, unknown>) => ({
      Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' }, Metadata: { 'cdk-secure-ai:organization-trail': declaration },
    });
    const ORG_TRAIL = { trailArn: 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org', reason: 'The security account runs the org trail' };
    const run = check(appOf({
      Ai: { env: LONDON, resources: { Vpc: declaring(ORG_TRAIL), Model: MODEL, Guardrail: GUARDRAIL } },
      Serving: { env: LONDON, resources: { Endpoint: MODEL } },
      Dublin: { env: DUBLIN, resources: { Other: MODEL } },
    }));
    expect(verdictOf(run, 'P20', 'Model')).toBe('none');
    expect(verdictOf(run, 'P21', 'Model')).toBe('none');
    expect(run.tally('P20')).toMatchObject({ notApplicable: 3, unverifiable: 1 });
    // The declaration speaks for its own account and Region: Dublin is still open.
    expect(verdictOf(run, 'P20', 'Other')).toBe('unverifiable');
    expect(verdictOf(run, 'P21', 'Other')).toBe('unverifiable');
    // Without its reason, or in a stack whose account is not known where the AI resources' is, it settles nothing.
    const unreasoned = check(appOf({ Ai: { env: LONDON, resources: { Vpc: declaring({ trailArn: ORG_TRAIL.trailArn }), Model: MODEL } } }));
    expect(verdictOf(unreasoned, 'P20', 'Model')).toBe('unverifiable');
    const agnostic = check(appOf({ Network: { resources: { Vpc: declaring(ORG_TRAIL) } }, Ai: { env: LONDON, resources: { Model: MODEL } } }));
    expect(verdictOf(agnostic, 'P20', 'Model')).toBe('unverifiable');
    expect(agnostic.of('P20')[0].message).toMatch(/the organisation trail Vpc declares records it only if its environment-agnostic stack is deployed to the same account and Region/);
  });

  test('intrinsic: a trail switched off in every form records nothing; one that may log or be multi-Region counts', () => {
    const off = { ...TRAIL, Properties: { ...GOOD, IsLogging: ifElse(false, 'false') } };
    expect(verdictOf(check(appOf({ Ai: { env: LONDON, resources: { Model: MODEL, Trail: off } } })), 'P20', 'Model')).toBe('unverifiable');
    const maybe = { ...TRAIL, Properties: { ...GOOD, IsMultiRegionTrail: ifElse(true, false) } };
    const run = check(appOf({ Audit: { env: LONDON, resources: { Trail: maybe } }, Ai: { env: DUBLIN, resources: { Model: MODEL } } }));
    expect(verdictOf(run, 'P20', 'Model')).toBe('none');
    expect(verdictOf(run, 'P20', 'Trail')).toBe('non-compliant'); // the trail itself: not multi-Region in one form
  });

  test('a trail whose Condition is false, or that records no management write events, does not record the account', () => {
    const conditioned = new App({ autoSynth: false });
    stackOf({
      Conditions: { Audited: { 'Fn::Equals': ['prod', 'dev'] } },
      Resources: { Model: MODEL, Trail: { ...TRAIL, Condition: 'Audited' } },
    }, conditioned, 'Ai', { env: LONDON });
    expect(verdictOf(check(conditioned), 'P20', 'Model')).toBe('unverifiable');
    expect(check(conditioned).of('P20')[0].message).toMatch(/no CloudTrail trail of the app records that account and Region, nor does a CloudTrail Lake event data store of the app/);
    const dataOnly = { ...TRAIL, Properties: { ...GOOD, EventSelectors: [{ IncludeManagementEvents: false }] } };
    const run = check(appOf({ Ai: { env: LONDON, resources: { Model: MODEL, Trail: dataOnly } } }));
    expect(verdictOf(run, 'P20', 'Model')).toBe('unverifiable');
    expect(run.of('P20').find((f) => f.logicalId === 'Model')!.message).toMatch(/trail Trail of the app that records it keeps no management write events/);
    // A data-events trail beside a management trail leaves the account recorded.
    const both = check(appOf({ Ai: { env: LONDON, resources: { Model: MODEL, Trail: dataOnly, Management: TRAIL } } }));
    expect(verdictOf(both, 'P20', 'Model')).toBe('none');
  });

  test('unverifiable: the trail is in an environment-agnostic stack, the AI resources in a known account', () => {
    const run = check(appOf({ Audit: { resources: { Trail: TRAIL } }, Ai: { env: LONDON, resources: { Model: MODEL, Guardrail: GUARDRAIL } } }));
    expect(verdictOf(run, 'P20', 'Model')).toBe('unverifiable');
    expect(run.of('P20').find((f) => f.logicalId === 'Model')!.message).toMatch(/trail Trail records it only if its environment-agnostic stack/);
    expect(verdictOf(run, 'P21', 'Model')).toBe('unverifiable');
  });
});

describe('P20: a CloudTrail Lake event data store records an account as a trail does', () => {
  type Resources = TemplateFixture['Resources'];
  const MODEL = { Type: 'AWS::SageMaker::Model', Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/m' } };
  /** Documented defaults: ingesting, multi-Region, not organisation-wide, termination protection on, every management event. */
  const STORE_PROPS = { Name: 'audit', KmsKeyId: 'arn:aws:kms:eu-west-2:111122223333:key/abc' };
  const store = (properties: Record<string, unknown> = {}) => ({ Type: 'AWS::CloudTrail::EventDataStore', Properties: { ...STORE_PROPS, ...properties } });
  const appOf = (stacks: Record<string, { env?: { account: string; region: string }; resources: Resources }>) => {
    const app = new App({ autoSynth: false });
    for (const [id, { env, resources }] of Object.entries(stacks)) stackOf({ Resources: resources }, app, id, { env });
    return app;
  };
  const MANAGEMENT = { account: '999999999999', region: 'eu-west-2' };
  const check = (app: App, props = {}) => new ValidationRun(new SecureAiChecks(props).validateScope(app));
  const LONDON = { account: '111122223333', region: 'eu-west-2' };
  const DUBLIN = { account: '111122223333', region: 'eu-west-1' };
  const onModel = (run: ValidationRun) => run.of('P20').find((f) => f.logicalId === 'Model');
  const managementOnlyReads = [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['true'] }] }];
  const dataOnly = [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }];

  test('compliant: an event data store and no trail records its account, in every Region by default', () => {
    // The attack: an app audited by CloudTrail Lake alone was told it had no audit record.
    const run = check(appOf({ Ai: { env: LONDON, resources: { Model: MODEL, Lake: store() } } }));
    expect(run.of('P20')).toEqual([]);
    expect(run.tally('P20')).toMatchObject({ compliant: 2, nonCompliant: 0, unverifiable: 0 });
    const otherRegion = check(appOf({ Audit: { env: LONDON, resources: { Lake: store() } }, Ai: { env: DUBLIN, resources: { Model: MODEL } } }));
    expect(verdictOf(otherRegion, 'P20', 'Model')).toBe('none');
    const organisation = check(appOf({
      Audit: { env: MANAGEMENT, resources: { Lake: store({ OrganizationEnabled: true }) } }, Ai: { env: LONDON, resources: { Model: MODEL } },
    }));
    expect(verdictOf(organisation, 'P20', 'Model')).toBe('none');
  });

  test('a store that does not ingest, is single-Region elsewhere, not organisation-wide, or keeps no management writes records nothing', () => {
    const notIngesting = check(appOf({ Ai: { env: LONDON, resources: { Model: MODEL, Lake: store({ IngestionEnabled: false }) } } }));
    expect(onModel(notIngesting)!.message).toMatch(/no CloudTrail trail of the app records that account and Region, nor does a CloudTrail Lake event data store of the app/);
    expect(notIngesting.of('P20').find((f) => f.logicalId === 'Lake')!.message).toMatch(/IngestionEnabled is false: the event data store takes in no events/);
    const singleRegion = check(appOf({ Audit: { env: LONDON, resources: { Lake: store({ MultiRegionEnabled: 'false' }) } }, Ai: { env: DUBLIN, resources: { Model: MODEL } } }));
    expect(verdictOf(singleRegion, 'P20', 'Model')).toBe('unverifiable');
    const ownAccount = check(appOf({ Audit: { env: MANAGEMENT, resources: { Lake: store() } }, Ai: { env: LONDON, resources: { Model: MODEL } } }));
    expect(verdictOf(ownAccount, 'P20', 'Model')).toBe('unverifiable');
    for (const selectors of [dataOnly, managementOnlyReads]) {
      const run = check(appOf({ Ai: { env: LONDON, resources: { Model: MODEL, Lake: store({ AdvancedEventSelectors: selectors }) } } }));
      expect(onModel(run)!.message).toMatch(/event data store Lake of the app that records it keeps no management write events/);
      expect(run.of('P20').find((f) => f.logicalId === 'Lake')).toMatchObject({ ruleName: 'SecureAI-P20', level: 'error', locations: ['Properties.AdvancedEventSelectors'] });
    }
  });

  test('a store of AWS Config items, Insights or events from outside AWS is no audit trail: not applicable, and it records nothing', () => {
    for (const category of ['ConfigurationItem', 'Insight', 'ActivityAuditLog']) {
      const other = store({ KmsKeyId: undefined, AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: [category] }] }] });
      const run = check(appOf({ Ai: { env: LONDON, resources: { Model: MODEL, Lake: other } } }));
      expect(verdictOf(run, 'P20', 'Lake')).toBe('none');
      expect(run.tally('P20')).toMatchObject({ notApplicable: 1, unverifiable: 1 });
      expect(onModel(run)!.message).toMatch(/no CloudTrail trail of the app records that account and Region, nor does a CloudTrail Lake event data store/);
    }
  });

  test('non-compliant: the store itself without a customer-managed key, termination protection, multi-Region or retention', () => {
    const cases: Array<[Record<string, unknown>, RegExp, string]> = [
      [{ KmsKeyId: undefined }, /KmsKeyId is absent: the audit events are not encrypted with a customer-managed key/, 'Properties.KmsKeyId'],
      [{ TerminationProtectionEnabled: false }, /TerminationProtectionEnabled is false: the event data store, and every audit event in it, can be deleted/, 'Properties.TerminationProtectionEnabled'],
      [{ MultiRegionEnabled: false }, /MultiRegionEnabled is false: activity in other Regions/, 'Properties.MultiRegionEnabled'],
      [{ RetentionPeriod: 90 }, /RetentionPeriod is 90, less than the 365 days of logRetentionDays/, 'Properties.RetentionPeriod'],
    ];
    for (const [change, message, location] of cases) {
      const run = validate({ Resources: { Lake: store(change) } });
      expect(verdictOf(run, 'P20', 'Lake')).toBe('non-compliant');
      expect(run.of('P20')[0]).toMatchObject({ ruleName: 'SecureAI-P20', level: 'error', locations: [location] });
      expect(run.of('P20')[0].message).toMatch(message);
    }
    // The default retention (366 days, 2557 under fixed pricing) is judged against the pack's logRetentionDays.
    expect(verdictOf(validate({ Resources: { Lake: store() } }), 'P20', 'Lake')).toBe('none');
    const longer = validate({ Resources: { Lake: store() } }, { logRetentionDays: 730 });
    expect(longer.of('P20')[0].message).toMatch(/RetentionPeriod is absent \(CloudTrail default 366 days\), less than the 730 days/);
    expect(verdictOf(validate({ Resources: { Lake: store({ BillingMode: 'FIXED_RETENTION_PRICING' }) } }, { logRetentionDays: 730 }), 'P20', 'Lake')).toBe('none');
  });

  test('intrinsic: a store that may ingest or be multi-Region counts; the store itself is judged in every form; a parameter by its default', () => {
    const maybe = store({ IngestionEnabled: ifElse(true, false), MultiRegionEnabled: ifElse(true, false) });
    const run = check(appOf({ Audit: { env: LONDON, resources: { Lake: maybe } }, Ai: { env: DUBLIN, resources: { Model: MODEL } } }));
    expect(verdictOf(run, 'P20', 'Model')).toBe('none');
    expect(verdictOf(run, 'P20', 'Lake')).toBe('non-compliant');
    expect(run.of('P20').find((f) => f.logicalId === 'Lake')!.message).toMatch(/possible forms/);
    const off = check(appOf({ Ai: { env: LONDON, resources: { Model: MODEL, Lake: store({ IngestionEnabled: ifElse(false, 'false') }) } } }));
    expect(verdictOf(off, 'P20', 'Model')).toBe('unverifiable');
    const byDefault = (values?: string[]) => validate({
      Parameters: { Protect: { Type: 'String', Default: 'true', AllowedValues: values } },
      Resources: { Lake: store({ TerminationProtectionEnabled: { Ref: 'Protect' } }) },
    });
    expect(verdictOf(byDefault(), 'P20', 'Lake')).toBe('none');
    expect(verdictOf(byDefault(['true', 'false']), 'P20', 'Lake')).toBe('parameter');
  });

  test('unverifiable: imported selectors; the store in an environment-agnostic stack; a key from an import is set', () => {
    const imports = validate({ Resources: { Lake: store({ AdvancedEventSelectors: imported('selectors'), KmsKeyId: imported('key') }) } });
    expect(verdictOf(imports, 'P20', 'Lake')).toBe('unverifiable');
    expect(imports.of('P20')[0].message).toMatch(/AdvancedEventSelectors cannot be verified at synth time/);
    const agnostic = check(appOf({ Audit: { resources: { Lake: store() } }, Ai: { env: LONDON, resources: { Model: MODEL } } }));
    expect(verdictOf(agnostic, 'P20', 'Model')).toBe('unverifiable');
    expect(onModel(agnostic)!.message).toMatch(/event data store Lake records it only if its environment-agnostic stack/);
  });

  test('a store whose Condition is false is not created and records nothing', () => {
    const app = new App({ autoSynth: false });
    stackOf({
      Conditions: { Audited: { 'Fn::Equals': ['prod', 'dev'] } },
      Resources: { Model: MODEL, Lake: { ...store(), Condition: 'Audited' } },
    }, app, 'Ai', { env: LONDON });
    const run = check(app);
    expect(verdictOf(run, 'P20', 'Model')).toBe('unverifiable');
    expect(run.of('P20')[0].message).toMatch(/no CloudTrail trail of the app records that account and Region, nor does a CloudTrail Lake event data store of the app/);
  });
});
