import { DEFAULT_REQUIRED_TAG_KEYS, DEFAULT_SUPPORTED_NOTEBOOK_PLATFORMS, NO_CONTEXT, resolveParameters } from '../../src/nag/parameters';
import type { SecureAiChecksProps } from '../../src/nag/secure-ai-checks';

const none = NO_CONTEXT;
const resolve = (props: Record<string, unknown>) => resolveParameters(props as SecureAiChecksProps, none);

describe('resolveParameters', () => {
  test('defaults', () => {
    const p = resolveParameters({}, none);
    expect(p).toMatchObject({
      logRetentionDays: 365,
      minimumBackupRetentionDays: 35,
      allowedImageRegistries: [],
      allowedArtifactBuckets: [],
      requiredTagKeys: DEFAULT_REQUIRED_TAG_KEYS,
      maxAgentSessionTtlSeconds: 3600,
      maxAgentMemoryDays: 30,
      minimumGroundingThreshold: 0.5,
      supportedNotebookPlatforms: DEFAULT_SUPPORTED_NOTEBOOK_PLATFORMS,
    });
    expect(p.orgManaged.size).toBe(0);
  });

  test('valid values are taken, and lists are copied', () => {
    const registries = ['registry.example.com', '*.example.com', 'ghcr.io/org', 'localhost:5000'];
    const p = resolveParameters({
      logRetentionDays: 3653,
      minimumBackupRetentionDays: 1,
      allowedImageRegistries: registries,
      allowedArtifactBuckets: ['models-prod-123456789012'],
      requiredTagKeys: ['CostCentre'],
      maxAgentSessionTtlSeconds: 60,
      maxAgentMemoryDays: 365,
      minimumGroundingThreshold: 0,
      supportedNotebookPlatforms: ['notebook-al2023-v2'],
    }, none);
    expect(p.logRetentionDays).toBe(3653);
    expect(p.allowedImageRegistries).toEqual(registries);
    expect(p.allowedImageRegistries).not.toBe(registries);
    expect(p.requiredTagKeys).toEqual(['CostCentre']);
    expect(p.minimumGroundingThreshold).toBe(0);
    expect(p.maxAgentSessionTtlSeconds).toBe(60);
  });

  test.each([
    ['logRetentionDays', 0], ['logRetentionDays', 3654], ['logRetentionDays', 1.5], ['logRetentionDays', '365'],
    ['minimumBackupRetentionDays', 0], ['maxAgentSessionTtlSeconds', 59], ['maxAgentSessionTtlSeconds', 5401], ['maxAgentMemoryDays', 366],
  ])('%s = %p is rejected, naming the prop, the range and the value', (prop, value) => {
    expect(() => resolve({ [prop]: value })).toThrow(new RegExp(`^SecureAiChecks: ${prop} must be a whole number from \\d+ to \\d+, got ${JSON.stringify(JSON.stringify(value)).slice(1, -1)}\\.`));
  });

  test.each([[1], [-0.1], [NaN], ['0.5']])('minimumGroundingThreshold = %p is rejected', (value) => {
    expect(() => resolve({ minimumGroundingThreshold: value })).toThrow(/minimumGroundingThreshold must be a number from 0 up to \(not including\) 1/);
  });

  test.each([
    ['allowedImageRegistries', 'https://registry.example.com'],
    ['allowedImageRegistries', ''],
    ['allowedArtifactBuckets', 'arn:aws:s3:::bucket'],
    ['allowedArtifactBuckets', 's3://bucket'],
    ['allowedArtifactBuckets', 'Upper-Case'],
    ['requiredTagKeys', ''],
    ['requiredTagKeys', 'k'.repeat(129)],
    ['supportedNotebookPlatforms', 'al2023'],
  ])('%s holding %p is rejected, naming the entry', (prop, entry) => {
    expect(() => resolve({ [prop]: [entry] })).toThrow(`SecureAiChecks: ${prop} holds ${JSON.stringify(entry)}, which is not valid.`);
  });

  test('a list prop that is not a list, or holds a non-string, is rejected', () => {
    expect(() => resolve({ requiredTagKeys: 'Owner' })).toThrow(/requiredTagKeys must be a list of strings, got "Owner"/);
    expect(() => resolve({ allowedArtifactBuckets: [42] })).toThrow(/allowedArtifactBuckets holds 42/);
  });

  test('orgManaged controls need a reason and join the controls switched on through context', () => {
    const context = { orgManaged: new Map([['auditTrail', 'from context']]) };
    const p = resolveParameters({ orgManaged: { invocationLogging: 'central logging account' } }, context);
    expect([...p.orgManaged]).toEqual([['auditTrail', 'from context'], ['invocationLogging', 'central logging account']]);
    expect(context.orgManaged.size).toBe(1); // the context's map is not changed
    const override = resolveParameters({ orgManaged: { auditTrail: 'from props' } }, context);
    expect(override.orgManaged.get('auditTrail')).toBe('from props');
    expect(() => resolveParameters({ orgManaged: { auditTrail: '  ' } }, none)).toThrow(/orgManaged\.auditTrail must be a reason naming the central control/);
    expect(() => resolve({ orgManaged: { auditTrail: true } })).toThrow(/got true/);
  });
});

describe('tagKeyAliases', () => {
  test('entries for keys the pack requires are taken, keys and aliases normalised', () => {
    const p = resolve({ tagKeyAliases: { 'AI:Risk-Owner': ['acme:accountable-exec'], 'Environment': ['Lifecycle'] } });
    expect([...p.tagKeyAliases]).toEqual([['airiskowner', ['acmeaccountableexec']], ['environment', ['lifecycle']]]);
    expect(resolve({ requiredTagKeys: ['CostCentre'], tagKeyAliases: { costcentre: ['cost-center'] } }).tagKeyAliases.get('costcentre')).toEqual(['costcenter']);
  });

  test('rejected at construction, naming the prop, the value and the fix', () => {
    expect(() => resolve({ tagKeyAliases: { CostCentre: ['cc'] } }))
      .toThrow(/^SecureAiChecks: tagKeyAliases holds "CostCentre", which is no tag key the pack requires\. Use one of "ai:threat-model", .*"Environment" \(add a key to requiredTagKeys first/);
    expect(() => resolve({ tagKeyAliases: { Owner: ['bad*key'] } })).toThrow('SecureAiChecks: tagKeyAliases.Owner holds "bad*key", which is not valid.');
    expect(() => resolve({ tagKeyAliases: { Owner: 'team' } })).toThrow(/tagKeyAliases.Owner must be a list of strings, got "team"/);
    expect(() => resolve({ tagKeyAliases: ['Owner'] })).toThrow(/tagKeyAliases must map a required tag key to a list of your own keys, got \["Owner"\]/);
  });
});
