import * as fs from 'fs';
import * as path from 'path';
import { ACK_REASON, finding, lineOf, modelOf, pluginReport, removeTempDirs, synthesizeAllAcknowledgedApp, synthesizeStandardApp, tally } from './fixtures';
import { RuleLevel } from '../../src/nag/rule';
import { FailOn } from '../../src/nag/secure-ai-checks';
import { SECTION_TITLES, SECTIONS_IN_ORDER } from '../../src/report/guideline-sections';
import { markdownReport, markdownSummary } from '../../src/report/markdown-report';
import { modelFromPluginReport } from '../../src/report/report-model';

afterAll(removeTempDirs);

describe('the Markdown report of a synthesized app', () => {
  let dir: string;
  let md: string;
  beforeAll(() => {
    dir = synthesizeStandardApp();
    md = markdownReport(modelOf(dir));
  });

  test('opens with the file read, the verdict under the run\'s failOn and the counts', () => {
    expect(md.startsWith('# SecureAI report\n')).toBe(true);
    expect(md).toContain(`Read from \`${path.join(dir, 'secure-ai.findings.json')}\`.`);
    expect(md).toMatch(/## Summary\n\n\*\*FAIL\*\* under failOn `error`: \d+ open findings? fails? the policy\./);
    expect(md).toMatch(/- \*\*Resources:\*\* \d+/);
    expect(md).toMatch(/- \*\*Rules checked:\*\* \d+ in the catalogue; \d+ evaluated/);
    expect(md).toContain('- **Acknowledged findings:** 1');
    expect(md).toContain('| 3. Secure deployment |');
  });

  test('the summary alone is the report\'s head, up to the first guideline section', () => {
    const summary = markdownSummary(modelOf(dir));
    expect(md.startsWith(summary)).toBe(true);
    expect(md.slice(summary.length)).toMatch(/^\n## 1\. Secure design\n/);
    expect(summary).toContain('### Findings by section');
  });

  test('has every guideline section, in order, after the summary', () => {
    const at = SECTIONS_IN_ORDER.map((s) => md.indexOf(`\n## ${SECTION_TITLES[s]}\n`));
    expect(at.every((p) => p > md.indexOf('## Summary'))).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  test('lists the rule with its title, quoted phrase and level, linked to RULES.md', () => {
    expect(md).toContain('| [SecureAI-P6](https://github.com/maintainers/cdk-secure-ai/blob/main/docs/RULES.md#secureai-p6) | ' +
      'Endpoint storage is encrypted with a customer-managed key | "protect the model and data from direct and indirect access" ' +
      '(Protect your model continuously) | error | non-compliant |');
  });

  test('shows the finding with logical ID, template line, construct path and message', () => {
    const line = lineOf(fs.readFileSync(path.join(dir, 'Infer.template.json'), 'utf-8'), '"Open": {');
    expect(md).toContain(`| SecureAI-P6 | error | \`Open\` (AWS::SageMaker::EndpointConfig, Infer.template.json line ${line}) | \`Infer/Open\` | KmsKeyId is absent`);
  });

  test('shows the acknowledged finding with its reason and where it was acknowledged', () => {
    const section = md.slice(md.indexOf('### Acknowledged findings'));
    expect(section).toMatch(new RegExp(`\\| SecureAI-P6 \\| error \\| \`Accepted\` .* \\| \`Infer/Accepted\` \\| KmsKeyId is absent.* \\| ${ACK_REASON} \\| \`Infer/Accepted\` \\|`));
  });

  test('shows coverage from the tallies and names the rules with no applicable resource', () => {
    expect(md).toContain('| SecureAI-P6 | 3 | 1 | 2 | 0 | 0 | 0 | non-compliant |');
    expect(md).toMatch(/No applicable resource: SecureAI-/);
  });

  test('summarises the other plugins per plugin', () => {
    expect(md).toContain('### Other validation plugins');
    expect(md).toContain('| AwsSolutions | failure | 2 | 0 | 0 | 0 |');
  });
});

describe('the Markdown report in other cases', () => {
  test('all findings acknowledged, in a stage: a pass, each acknowledged finding with its reason and template, coverage from the tallies', () => {
    const dir = synthesizeAllAcknowledgedApp();
    const md = markdownReport(modelOf(dir));
    expect(md).toContain('**PASS** under failOn `error`: no open finding fails the policy.');
    expect(md).not.toContain('**Note:**');
    expect(md).toMatch(/\| Section \| Errors \| Warnings \| Acknowledged \|\n.*\n.*\n.*\n\| 3\. Secure deployment \| 0 \| 0 \| [1-9]\d* \|/);
    const template = fs.readdirSync(path.join(dir, 'assembly-Prod')).find((f) => f.endsWith('.template.json'))!;
    const line = lineOf(fs.readFileSync(path.join(dir, 'assembly-Prod', template), 'utf-8'), '"Config": {');
    expect(md).toContain(`| SecureAI-P6 | error | \`Config\` (AWS::SageMaker::EndpointConfig, assembly-Prod/${template} line ${line}) | ` +
      '`Prod/Serve/Config` | KmsKeyId is absent');
    expect(md).toMatch(new RegExp(`\\| ${ACK_REASON} \\| \`Prod/Serve/Config\` \\|`));
    expect(md).toContain('| SecureAI-P6 | 1 | 0 | 1 | 0 | 0 | 0 | non-compliant |');
  });

  test('a pass under failOn, engine errors, unverifiable findings and rules outside the catalogue', () => {
    const md = markdownReport(modelFromPluginReport(pluginReport([
      finding('Broken', { ruleName: 'SecureAI-EngineError', message: 'rule SecureAI-P6 threw' }),
      finding('Imported', { ruleName: 'SecureAI-P6[unverifiable]', level: RuleLevel.WARNING }),
      finding('Future', { ruleName: 'SecureAI-Z9', ruleId: 'Z9' }),
    ], { tallies: [tally('P6', { evaluated: 2, errors: 1, unverifiable: 1 })], failOn: FailOn.NONE })));
    expect(md).toContain('**PASS** under failOn `none`: no open finding fails the policy.');
    expect(md).toContain('| SecureAI-EngineError (SecureAI-P6) | error | `Broken` (AWS::SageMaker::EndpointConfig) | `Infer/Broken` | rule SecureAI-P6 threw |');
    expect(md).toContain('| SecureAI-P6[unverifiable] | warning | `Imported`');
    expect(md).toContain('| SecureAI-P6 | 2 | 0 | 0 | 0 | 1 | 1 | engine error |');
    expect(md).toContain('## Rules not in this catalogue');
    expect(md).toContain('| SecureAI-Z9 | error | `Future`');
    expect(md).toContain('Read from the plugin report of `SecureAiChecks.validateScope`');
  });

  test('a pack that could not run fails with its error', () => {
    const md = markdownReport(modelFromPluginReport({ success: false, violations: [], metadata: { error: "Validation plugin 'SecureAI' failed: boom" } }));
    expect(md).toContain("**FAIL**: the pack could not run: Validation plugin 'SecureAI' failed: boom");
  });

  test('pipes and line breaks in messages do not break the tables', () => {
    const md = markdownReport(modelFromPluginReport(pluginReport([finding('Odd', { message: 'a | b\nc' })])));
    expect(md).toContain('| a \\| b<br>c |');
  });
});
