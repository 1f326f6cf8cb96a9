import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

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

  test('malformed values never throw', () => {
    const run = validate(trail({ IsLogging: { nested: [1] }, KMSKeyId: [], IsMultiRegionTrail: 3 }));
    expect(run.tally('P20').errors).toBe(0);
    expect(verdictOf(run, 'P20', 'Trail')).toBe('non-compliant');
  });
});
