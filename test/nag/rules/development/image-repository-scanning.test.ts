import { App, aws_ecr as ecr, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

/** An app with an AI resource, so that its repositories are in scope. */
const app = (repo: Record<string, unknown>, extra: TemplateFixture['Resources'] = {}, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: {
    Repo: { Type: 'AWS::ECR::Repository', Properties: repo },
    Agent: { Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a' } },
    ...extra,
  },
});
const GOOD = { ImageScanningConfiguration: { ScanOnPush: true }, ImageTagMutability: 'IMMUTABLE' };
const registryScanning = (rules: unknown) => ({ Scanning: { Type: 'AWS::ECR::RegistryScanningConfiguration', Properties: { ScanType: 'ENHANCED', Rules: rules } } });

describe('V3 image repositories scan on push and keep tags immutable', () => {
  test('compliant: scan on push and immutable tags', () => {
    const run = validate(app(GOOD));
    expect(verdictOf(run, 'V3', 'Repo')).toBe('none');
    expect(run.tally('V3')).toMatchObject({ evaluated: 1, compliant: 1 });
    expect(verdictOf(validate(app({ ...GOOD, ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' })), 'V3', 'Repo')).toBe('none');
  });

  test('non-compliant: scanning absent or false; mutability absent (CloudFormation default MUTABLE) or MUTABLE', () => {
    const noScan = validate(app({ ImageTagMutability: 'IMMUTABLE' }));
    expect(verdictOf(noScan, 'V3', 'Repo')).toBe('non-compliant');
    expect(noScan.of('V3')[0]).toMatchObject({ ruleName: 'SecureAI-V3', level: 'error', locations: ['Properties.ImageScanningConfiguration.ScanOnPush'] });
    expect(noScan.of('V3')[0].message).toMatch(/ScanOnPush is absent \(default false\)/);
    expect(verdictOf(validate(app({ ...GOOD, ImageScanningConfiguration: { ScanOnPush: 'false' } })), 'V3', 'Repo')).toBe('non-compliant');
    const mutable = validate(app({ ImageScanningConfiguration: { ScanOnPush: true } }));
    expect(mutable.of('V3')[0].message).toMatch(/ImageTagMutability is absent \(CloudFormation default MUTABLE\)/);
    expect(verdictOf(validate(app({ ...GOOD, ImageTagMutability: 'MUTABLE' })), 'V3', 'Repo')).toBe('non-compliant');
  });

  test('registry scanning configuration as the alternative to ScanOnPush', () => {
    const immutable = { ImageTagMutability: 'IMMUTABLE' };
    const all = validate(app(immutable, registryScanning([{ ScanFrequency: 'CONTINUOUS_SCAN', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }])));
    expect(verdictOf(all, 'V3', 'Repo')).toBe('none');
    const named = (filter: string, name = 'models-fraud') => validate(app({ ...immutable, RepositoryName: name },
      registryScanning([{ ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: filter, FilterType: 'WILDCARD' }] }])));
    expect(verdictOf(named('models-*'), 'V3', 'Repo')).toBe('none');
    expect(verdictOf(named('web-*'), 'V3', 'Repo')).toBe('non-compliant');
    const manual = validate(app(immutable, registryScanning([{ ScanFrequency: 'MANUAL', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }])));
    expect(verdictOf(manual, 'V3', 'Repo')).toBe('non-compliant');
    // A generated repository name and a narrower filter: the filter may or may not select it.
    const generated = validate(app(immutable, registryScanning([{ ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: 'models-*', FilterType: 'WILDCARD' }] }])));
    expect(verdictOf(generated, 'V3', 'Repo')).toBe('unverifiable');
  });

  test('not applicable: repositories of an app without AI resources; in scope when an AI resource uses the repository', () => {
    const run = validate({ Resources: { Repo: { Type: 'AWS::ECR::Repository', Properties: {} } } });
    expect(run.tally('V3')).toMatchObject({ notApplicable: 1 });
    const tagged = validate({ Resources: { Repo: { Type: 'AWS::ECR::Repository', Properties: { Tags: [{ Key: 'ai:asset', Value: 'true' }] } } } });
    expect(verdictOf(tagged, 'V3', 'Repo')).toBe('non-compliant');
  });

  test('intrinsic: Fn::If with a mutable branch, NoValue, a parameter with an insecure allowed value', () => {
    expect(verdictOf(validate(app({ ...GOOD, ImageTagMutability: ifElse('IMMUTABLE', 'MUTABLE') })), 'V3', 'Repo')).toBe('non-compliant');
    expect(verdictOf(validate(app({ ...GOOD, ImageTagMutability: ifElse('IMMUTABLE', NO_VALUE) })), 'V3', 'Repo')).toBe('non-compliant');
    const param = validate(app({ ...GOOD, ImageTagMutability: { Ref: 'Mutability' } }, {}, { Mutability: { Default: 'IMMUTABLE', AllowedValues: ['IMMUTABLE', 'MUTABLE'] } }));
    expect(verdictOf(param, 'V3', 'Repo')).toBe('parameter');
    expect(param.of('V3')[0].message).toMatch(/with the value of parameter Mutability/);
    expect(verdictOf(validate(app({ ...GOOD, ImageScanningConfiguration: { ScanOnPush: { Ref: 'Scan' } } }, {}, { Scan: { Default: 'true' } })), 'V3', 'Repo')).toBe('none');
  });

  test('unverifiable: imported settings', () => {
    const run = validate(app({ ...GOOD, ImageTagMutability: imported('mutability') }));
    expect(verdictOf(run, 'V3', 'Repo')).toBe('unverifiable');
    expect(run.of('V3')[0]).toMatchObject({ ruleName: 'SecureAI-V3[unverifiable]', level: 'warning' });
  });

  test('real CDK output: ecr.Repository defaults fail; scan on push and immutable tags pass', () => {
    const render = (props: ecr.RepositoryProps) => {
      const cdkApp = new App();
      const stack = new Stack(cdkApp, 'S', { tags: { 'ai:asset': 'true' } });
      new ecr.Repository(stack, 'Repo', props);
      return new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V3');
    };
    expect(render({})).toHaveLength(1);
    expect(render({ imageScanOnPush: true, imageTagMutability: ecr.TagMutability.IMMUTABLE })).toHaveLength(0);
  });

  test('malformed values never throw', () => {
    const run = validate(app({ ImageScanningConfiguration: 'x', ImageTagMutability: 4 }, registryScanning(['x', { ScanFrequency: 3, RepositoryFilters: 'y' }])));
    expect(run.tally('V3').errors).toBe(0);
  });
});
