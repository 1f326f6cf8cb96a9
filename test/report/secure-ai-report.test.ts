import * as path from 'path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { ACK_REASON, endpointConfig, removeTempDirs, synthesize, synthesizeAllAcknowledgedApp, synthesizeStandardApp, tempDir, validateSarif } from './fixtures';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { SecureAiReport } from '../../src/report/secure-ai-report';

afterAll(removeTempDirs);

describe('SecureAiReport', () => {
  test('from validateScope: every format, findings located by construct path', () => {
    const app = new App();
    const stack = new Stack(app, 'Infer');
    endpointConfig(stack, 'Open');
    Validations.of(endpointConfig(stack, 'Accepted')).acknowledge({ id: 'SecureAI-P6', reason: ACK_REASON });
    const report = SecureAiReport.fromPluginReport(new SecureAiChecks().validateScope(app));

    expect(report.failsPolicy()).toBe(true);
    expect(report.toMarkdown()).toContain('| SecureAI-P6 | error | `Open` (AWS::SageMaker::EndpointConfig) | `Infer/Open` |');
    expect(report.toMarkdown()).toContain(ACK_REASON);
    const json = JSON.parse(report.toJson());
    expect(json.findings.filter((f: { ruleId: string }) => f.ruleId === 'P6')).toHaveLength(1);
    const sarif = JSON.parse(report.toSarif());
    expect(validateSarif(sarif).valid).toBe(true);
    expect(sarif.runs[0].results.every((r: any) => r.locations[0].physicalLocation === undefined)).toBe(true);
  });

  test('from validateScope with failOn none: nothing fails', () => {
    const app = new App();
    endpointConfig(new Stack(app, 'Infer'), 'Open');
    expect(SecureAiReport.fromPluginReport(new SecureAiChecks({ failOn: FailOn.NONE }).validateScope(app)).failsPolicy()).toBe(false);
  });

  test('from a cloud assembly directory, its secure-ai.findings.json or its validation-report.json', () => {
    const dir = synthesizeStandardApp();
    for (const target of [dir, path.join(dir, 'secure-ai.findings.json'), path.join(dir, 'validation-report.json')]) {
      const report = SecureAiReport.fromCloudAssembly(target);
      expect(report.failsPolicy()).toBe(true);
      expect(JSON.parse(report.toSarif()).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('CDKOUT');
    }
  });

  test('a cloud assembly whose findings are all acknowledged passes and reports them with their reasons', () => {
    const report = SecureAiReport.fromCloudAssembly(synthesizeAllAcknowledgedApp());
    expect(report.failsPolicy()).toBe(false);
    expect(report.toMarkdown()).toContain(ACK_REASON);
  });

  test('what the run took as declared instead of checking is in every format, with who declared it', () => {
    // The app's own cdk.json can switch rules off (ai:org-trail=org-managed), and so can its constructs' metadata: a
    // security team reading the report of an app it did not write must see that they did, and who.
    const dir = synthesize((app) => {
      app.node.setContext('ai:org-trail', 'org-managed');
      const stack = new Stack(app, 'Serve', { env: { account: '111122223333', region: 'eu-west-2' } });
      new CfnResource(stack, 'Vpc', { type: 'AWS::EC2::VPC', properties: { CidrBlock: '10.0.0.0/16' } })
        .addMetadata('cdk-secure-ai:organization-trail', { trailArn: 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org', reason: 'The security account runs it' });
      endpointConfig(stack, 'Config');
    }, { props: { orgManaged: { invocationLogging: 'central logging account 222233334444' } } });
    const report = SecureAiReport.fromCloudAssembly(dir);
    const declarations = JSON.parse(report.toJson()).summary.declarations;
    expect(declarations).toEqual([
      { declared: 'orgManaged.auditTrail', source: 'cdk-context', by: 'ai:org-trail', scope: 'the app', reason: null, rules: ['P20', 'P21'], refused: false },
      { declared: 'orgManaged.invocationLogging', source: 'pack-props', by: null, scope: 'the app', reason: 'central logging account 222233334444', rules: ['O7'], refused: false },
      { declared: 'organizationTrail', source: 'template-metadata', by: 'Serve/Vpc', scope: 'account 111122223333, Region eu-west-2', reason: 'The security account runs it', rules: ['P20', 'P21'], refused: false },
    ]);
    const markdown = report.toMarkdown();
    expect(markdown).toContain('| `orgManaged.auditTrail` | context `ai:org-trail` | the app | (none given) | SecureAI-P20, SecureAI-P21 |');
    expect(markdown).toContain('| `organizationTrail` | `Serve/Vpc` (template metadata) | account 111122223333, Region eu-west-2 | The security account runs it | SecureAI-P20, SecureAI-P21 |');
    const sarif = JSON.parse(report.toSarif());
    expect(validateSarif(sarif).valid).toBe(true);
    expect(sarif.runs[0].properties.secureAi.declarations).toEqual(declarations);

    // Without synthesis too; the whole-app scope is a declaration that widens; a run that declares nothing shows no section.
    const app = new App({ context: { 'ai:system': 'whole-app' } });
    endpointConfig(new Stack(app, 'Infer'), 'Open');
    const scoped = SecureAiReport.fromPluginReport(new SecureAiChecks().validateScope(app));
    expect(JSON.parse(scoped.toJson()).summary.declarations).toEqual([
      { declared: 'aiSystem: whole-app', source: 'cdk-context', by: 'ai:system', scope: 'the app', reason: null, rules: [], refused: false },
    ]);
    expect(scoped.toMarkdown()).toContain('| `aiSystem: whole-app` | context `ai:system` | the app | (none given) | none: it widens what the rules judge |');
    const plain = new App();
    endpointConfig(new Stack(plain, 'Infer'), 'Open');
    expect(SecureAiReport.fromPluginReport(new SecureAiChecks().validateScope(plain)).toMarkdown()).not.toContain('### Declarations');
  });

  test('bad input throws an error that names the fix', () => {
    expect(() => SecureAiReport.fromCloudAssembly('/nonexistent/cdk.out')).toThrow(/does not exist: give the cloud assembly directory/);
    expect(() => SecureAiReport.fromCloudAssembly(tempDir())).toThrow(/SecureAiChecks did not run in that synthesis/);
    expect(() => SecureAiReport.fromPluginReport({ success: true, violations: [] })).toThrow(/validateScope/);
  });
});
