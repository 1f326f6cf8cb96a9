import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnCondition, CfnParameter, CfnResource, Fn, NestedStack, Stack, Stage, Tags, Validations } from 'aws-cdk-lib';
import { NagPack } from 'cdk-nag';
import { ifElse, imported, stackOf, validate, ValidationRun } from './harness';
import { platformApp } from '../../bench/platform-mix';
import * as library from '../../src';
import { CATALOGUE } from '../../src/nag/catalogue';
import { Finding, FINDINGS_FILE, METADATA_KEYS } from '../../src/nag/findings';
import { endpointConfigStorageEncryption } from '../../src/nag/rules/deployment/endpoint-config-storage-encryption';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';

const INSECURE_CONFIG = {
  Type: 'AWS::SageMaker::EndpointConfig',
  Properties: { ProductionVariants: [{ VariantName: 'v', ModelName: 'm', InstanceType: 'ml.m5.large', InitialInstanceCount: 2 }] },
};

/** An app whose only error is P6 on the config: an organisation trail records its account (P20, P21). */
function appWithInsecureConfig(outdir?: string): { app: App; config: CfnResource } {
  const app = new App({ outdir, context: { 'ai:org-trail': 'org-managed' } });
  const stack = new Stack(app, 'Serving');
  const config = new CfnResource(stack, 'Config', { type: INSECURE_CONFIG.Type, properties: INSECURE_CONFIG.Properties });
  return { app, config };
}

describe('SecureAiChecks as a cdk-nag v3 plugin', () => {
  test('is a NagPack named SecureAI, exported from the package, with every catalogue rule', () => {
    const pack = new library.SecureAiChecks();
    expect(pack).toBeInstanceOf(NagPack);
    expect(pack.name).toBe('SecureAI');
    expect(pack.readPackName).toBe('SecureAI');
    expect(pack.ruleIds).toEqual(CATALOGUE.map((r) => `SecureAI-${r.id}`));
    expect(library.SecureAiChecks.rules.map((r) => r.id)).toEqual(CATALOGUE.map((r) => r.id));
    // The public list is plain data: no functions leak into jsii.
    expect(JSON.parse(JSON.stringify(library.SecureAiChecks.rules))).toEqual(library.SecureAiChecks.rules);
  });

  test('registered with Validations, it fails synthesis on an error finding and writes the report', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-ai-'));
    const { app } = appWithInsecureConfig(outdir);
    Validations.of(app).addPlugins(new SecureAiChecks());
    expect(() => app.synth()).toThrow(/KmsKeyId is absent.*\(SecureAI\)/);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    const plugin = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'SecureAI');
    expect(plugin.conclusion).toBe('failure');
    expect(plugin.violations.map((v: { ruleName: string }) => v.ruleName)).toContain('SecureAI-P6');
    expect(plugin.violations[0].violatingConstructs[0].cloudFormationResource).toMatchObject({ logicalId: 'Config', templatePath: 'Serving.template.json' });
  });

  test('inside synthesis it also writes its whole report into the cloud assembly, even when the CDK leaves it out', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-ai-'));
    const { app, config } = appWithInsecureConfig(outdir);
    // Acknowledge every finding, so the pack passes with no open violation and the CDK drops its entry.
    const open = new ValidationRun(new SecureAiChecks().validateScope(app)).findings;
    for (const ruleName of new Set(open.map((f) => f.ruleName))) {
      Validations.of(config).acknowledge({ id: ruleName, reason: 'accepted for the test' });
    }
    Validations.of(app).addPlugins(new SecureAiChecks());
    app.synth();
    const cdkReport = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(cdkReport.pluginReports.map((p: { pluginName: string }) => p.pluginName)).not.toContain('SecureAI');
    const written = JSON.parse(fs.readFileSync(path.join(outdir, FINDINGS_FILE), 'utf8'));
    expect(written).toMatchObject({ pluginName: 'SecureAI', success: true });
    const findings: Finding[] = JSON.parse(written.metadata[METADATA_KEYS.findings]);
    expect(findings.find((f) => f.ruleName === 'SecureAI-P6')).toMatchObject({
      templatePath: 'Serving.template.json', acknowledged: { reason: 'accepted for the test' },
    });
    expect(findings.every((f) => f.acknowledged)).toBe(true);
  });

  test('inside synthesis it reads the templates the CDK wrote instead of rendering each resource again, and finds the same', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-ai-'));
    const app = new App({ outdir });
    platformApp(4, 2, app); // 100 cross-referencing resources in two stacks
    // What synthesis changes or adds: stack tags rendered into resources, a cross-stack reference turned into an export
    // and an Fn::ImportValue, a parameter and an Fn::If, a stage with its own assembly, a nested stack.
    const consumer = new Stack(app, 'Consumer');
    Tags.of(consumer).add('Environment', 'prod');
    const producerKey = app.node.findChild('Platform0').node.findChild('Key0') as CfnResource;
    const encrypted = new CfnParameter(consumer, 'Encrypted', { default: 'yes', allowedValues: ['yes', 'no'] });
    const isEncrypted = new CfnCondition(consumer, 'IsEncrypted', { expression: Fn.conditionEquals(encrypted.valueAsString, 'yes') });
    new CfnResource(consumer, 'Config', {
      type: INSECURE_CONFIG.Type,
      properties: {
        ...INSECURE_CONFIG.Properties,
        KmsKeyId: Fn.conditionIf(isEncrypted.logicalId, producerKey.getAtt('Arn'), Fn.ref('AWS::NoValue')),
        DataCaptureConfig: { EnableCapture: true, DestinationS3Uri: `s3://ai-artifacts-0/${encrypted.valueAsString}` },
      },
    });
    const insecureConfig = { type: INSECURE_CONFIG.Type, properties: INSECURE_CONFIG.Properties };
    new CfnResource(new NestedStack(consumer, 'Inner'), 'NestedConfig', insecureConfig);
    const acknowledged = new CfnResource(new Stack(new Stage(app, 'Prod'), 'Serving'), 'Config', insecureConfig);
    Validations.of(acknowledged).acknowledge({ id: 'SecureAI-P6', reason: 'instance storage only' });

    const pack = new SecureAiChecks({ failOn: FailOn.NONE });
    const validateInSynthesis = pack.validate.bind(pack);
    const rendered: string[] = [];
    pack.validate = (context) => {
      const render = jest.spyOn(CfnResource.prototype as unknown as { _toCloudFormation(): object }, '_toCloudFormation');
      try {
        return validateInSynthesis(context);
      } finally {
        rendered.push(...render.mock.contexts.map((c) => (c as CfnResource).node.path));
        render.mockRestore();
      }
    };
    Validations.of(app).addPlugins(pack);
    app.synth();

    // Only the nested stack, whose template is an asset rather than a stack template of the assembly, is rendered.
    expect(rendered).toEqual(['Consumer/Inner/NestedConfig']);
    const written: Finding[] = JSON.parse(JSON.parse(fs.readFileSync(path.join(outdir, FINDINGS_FILE), 'utf8')).metadata[METADATA_KEYS.findings]);
    expect(written.find((f) => f.constructPath === 'Prod/Serving/Config' && f.ruleId === 'P6')).toMatchObject({
      templatePath: expect.stringMatching(/^assembly-Prod[/\\]ProdServing[0-9A-F]{8}\.template\.json$/),
      acknowledged: { reason: 'instance storage only' },
    });
    // The same app, prepared by that synthesis, validated by rendering every resource: the same findings.
    const rendering = new ValidationRun(new SecureAiChecks({ failOn: FailOn.NONE }).validateScope(app)).findings;
    const comparable = (findings: Finding[]) => findings.map(({ templatePath, ...f }) => f);
    expect(comparable(written)).toEqual(comparable(rendering));
    expect(written.map((f) => f.logicalId)).toEqual(expect.arrayContaining(['Config', 'NestedConfig', 'BackupPlan0']));
  });

  test('failOn NONE reports without failing; the default does not fail on warnings', () => {
    const { app } = appWithInsecureConfig();
    const report = new SecureAiChecks({ failOn: FailOn.NONE }).validateScope(app);
    expect(report.success).toBe(true);
    expect(report.violations.map((v) => v.ruleName)).toContain('SecureAI-P6');
    const warningOnly = new SecureAiChecks({ levels: { P6: library.RuleLevel.WARNING } }).validateScope(app);
    expect(warningOnly.success).toBe(true);
    expect(warningOnly.violations.find((v) => v.ruleName === 'SecureAI-P6')?.severity).toBe('warning');
    expect(new SecureAiChecks({ levels: { P6: library.RuleLevel.WARNING }, failOn: FailOn.WARNING }).validateScope(app).success).toBe(false);
  });

  test.each([
    ['the plain rule ID', 'SecureAI-P6'],
    ['the pack-namespaced ID the CDK suggests', 'SecureAI::SecureAI-P6'],
  ])('an acknowledgment with %s, on the resource or an ancestor, moves the finding to acknowledged with its reason', (_, id) => {
    const { app, config } = appWithInsecureConfig();
    Validations.of(config.stack).acknowledge({ id, reason: 'Instance storage only; encrypted by the Nitro module' });
    const run = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(run.report.violations.map((v) => v.ruleName)).not.toContain('SecureAI-P6');
    expect(run.findings.filter((f) => f.ruleId === 'P6')).toHaveLength(1);
    expect(run.findings.find((f) => f.ruleId === 'P6')?.acknowledged).toEqual({ reason: 'Instance storage only; encrypted by the Nitro module', at: 'Serving' });
    // P6 was the only error: acknowledged, the report passes under the default failOn.
    expect(run.report.success).toBe(true);
  });

  test('an acknowledgment of one finding ID does not hide another', () => {
    const { app, config } = appWithInsecureConfig();
    Validations.of(config).acknowledge({ id: 'SecureAI-P6[unverifiable]', reason: 'not this one' });
    expect(new SecureAiChecks().validateScope(app).violations.map((v) => v.ruleName)).toContain('SecureAI-P6');
  });

  test('a rule that throws is reported as SecureAI-EngineError naming the rule and resource, and the run goes on', () => {
    const spy = jest.spyOn(endpointConfigStorageEncryption, 'check').mockImplementation(() => {
      throw new Error('boom');
    });
    try {
      const run = validate({ Resources: { Config: INSECURE_CONFIG, Second: INSECURE_CONFIG } });
      const errors = run.findings.filter((f) => f.ruleName === 'SecureAI-EngineError');
      expect(errors.map((f) => f.logicalId)).toEqual(['Config', 'Second']);
      expect(errors[0]).toMatchObject({ ruleId: 'P6', level: 'error' });
      expect(errors[0].message).toMatch(/rule SecureAI-P6 threw on AWS::SageMaker::EndpointConfig Config: boom/);
      // The other rules still judged both resources.
      expect(run.tallies.filter((t) => t.ruleId !== 'P6' && t.evaluated > 0).length).toBeGreaterThan(0);
      expect(run.tally('P6').errors).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });

  test('acceptance: P6 on a missing key, on Fn::If(cond, key, NoValue), and not on an imported key ARN', () => {
    const config = (kms?: unknown) => ({
      Type: INSECURE_CONFIG.Type,
      Properties: { ...INSECURE_CONFIG.Properties, ...(kms ? { KmsKeyId: kms } : {}) },
    });
    const run = validate({
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: {} },
        Missing: config(),
        Conditional: config(ifElse({ 'Fn::GetAtt': ['Key', 'Arn'] }, { Ref: 'AWS::NoValue' })),
        Imported: config(imported('platform-endpoint-key-arn')),
      },
    });
    expect(run.of('P6').map((f) => `${f.logicalId}:${f.ruleName}`).sort()).toEqual(['Conditional:SecureAI-P6', 'Missing:SecureAI-P6']);
  });

  test('a resource the CDK cannot name is reported unverifiable, not a crash of the pack', () => {
    const app = new App();
    const stack = new Stack(app, 'Odd');
    new CfnResource(stack, 'Default', { type: INSECURE_CONFIG.Type, properties: INSECURE_CONFIG.Properties });
    const run = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(run.of('P6').map((f) => f.ruleName)).toEqual(['SecureAI-P6[unverifiable]']);
    expect(run.of('P6')[0].message).toMatch(/could not be rendered/);
  });

  test('calls each rule only for the resource types it reads', () => {
    const pack = new SecureAiChecks();
    const app = new App();
    stackOf({ Resources: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`Queue${i}`, { Type: 'AWS::SQS::Queue' }])) }, app);
    pack.validateScope(app);
    expect(pack._statistics?.ruleInvocations).toBe(0);
  });
});

describe('SecureAiChecks props are validated with errors that name the prop and the fix', () => {
  test.each([
    [{ logRetentionDays: 0 }, /logRetentionDays must be a whole number from 1 to 3653, got 0\. Set it to/],
    [{ minimumBackupRetentionDays: 1.5 }, /minimumBackupRetentionDays must be a whole number/],
    [{ allowedImageRegistries: ['https://registry.example.com'] }, /allowedImageRegistries holds "https:\/\/registry.example.com", which is not valid/],
    [{ allowedArtifactBuckets: ['arn:aws:s3:::models'] }, /allowedArtifactBuckets holds "arn:aws:s3:::models".*bucket name/],
    [{ requiredTagKeys: [''] }, /requiredTagKeys holds ""/],
    [{ maxAgentSessionTtlSeconds: 10 }, /maxAgentSessionTtlSeconds must be a whole number from 60 to 5400/],
    [{ minimumGroundingThreshold: 1 }, /minimumGroundingThreshold must be a number from 0 up to/],
    [{ supportedNotebookPlatforms: ['al2'] }, /supportedNotebookPlatforms holds "al2"/],
    [{ orgManaged: { auditTrail: ' ' } }, /orgManaged.auditTrail must be a reason/],
    [{ levels: { P99: library.RuleLevel.ERROR } }, /levels names rule "P99", which the pack does not have/],
    [{ levels: { P6: 'fatal' as library.RuleLevel } }, /levels.P6 is "fatal". Use RuleLevel.ERROR or RuleLevel.WARNING/],
    // What JavaScript callers can pass that TypeScript would refuse.
    [{ failOn: 'errors' as FailOn }, /failOn is "errors"\. Use FailOn\.ERROR, FailOn\.WARNING or FailOn\.NONE \(the strings "error", "warning", "none"\)/],
    [{ failOn: true as unknown as FailOn }, /failOn is true\. Use FailOn\.ERROR/],
    [{ levels: { 'SecureAI-P99': library.RuleLevel.ERROR } }, /levels names rule "SecureAI-P99", which the pack does not have\. Use a catalogue ID such as "P6" or "SecureAI-P6"/],
    [{ levels: { 'SecureAI-P6': 'Warning' as library.RuleLevel } }, /levels\.SecureAI-P6 is "Warning"\. Use RuleLevel\.ERROR or RuleLevel\.WARNING/],
    [{ levels: { 'SecureAI-P6[unverifiable]': library.RuleLevel.ERROR } }, /always warnings; set the level of the rule itself \("P6"\)/],
    [{ levels: { 'P6': library.RuleLevel.ERROR, 'SecureAI-P6': library.RuleLevel.WARNING } }, /sets rule P6 twice/],
    [{ levels: ['P6'] as unknown as Record<string, library.RuleLevel> }, /levels is \["P6"\]\. Pass an object from rule ID to level/],
  ])('%j', (props, message) => {
    expect(() => new SecureAiChecks(props)).toThrow(message);
  });

  test('defaults are valid', () => {
    expect(() => new SecureAiChecks()).not.toThrow();
  });

  test('a level keyed by the reported name (SecureAI-P6) acts like one keyed by the ID', () => {
    const app = new App({ autoSynth: false });
    stackOf({ Resources: { Open: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: [] } } } }, app);
    const byName = new ValidationRun(new SecureAiChecks({ levels: { 'SecureAI-P6': library.RuleLevel.WARNING } }).validateScope(app));
    expect(byName.of('P6').map((f) => f.level)).toEqual([library.RuleLevel.WARNING]);
  });
});
