import { finding, pluginReport, tally } from './fixtures';
import { catalogueMetadata } from '../../src/nag/catalogue';
import { RuleLevel } from '../../src/nag/rule';
import { FailOn } from '../../src/nag/secure-ai-checks';
import { modelFromPluginReport } from '../../src/report/report-model';
import { summarise } from '../../src/report/report-summary';

describe('summarise', () => {
  const model = modelFromPluginReport(pluginReport([
    finding('Open'),
    finding('Imported', { ruleName: 'SecureAI-P6[unverifiable]', level: RuleLevel.WARNING }),
    finding('Accepted', { acknowledged: { reason: 'r', at: 'Infer/Accepted' } }),
    finding('Future', { ruleName: 'SecureAI-Z9', ruleId: 'Z9' }),
  ], { tallies: [tally('P6', { evaluated: 4, compliant: 1, nonCompliant: 2, unverifiable: 1 })], failOn: FailOn.ERROR, resources: 7 }));
  const summary = summarise(model);

  test('counts open findings per level and per section, in guideline order, with other rules last', () => {
    expect(summary.openFindings).toEqual({ total: 3, error: 2, warning: 1 });
    expect(summary.acknowledgedFindings).toBe(1);
    expect(summary.bySection.map((s) => s.section)).toEqual(['design', 'development', 'deployment', 'operation', 'other']);
    expect(summary.bySection.find((s) => s.section === 'deployment')).toMatchObject({ error: 1, warning: 1, acknowledged: 1 });
    expect(summary.bySection.find((s) => s.section === 'other')).toMatchObject({ error: 1, warning: 0 });
  });

  test('counts rules by coverage; rules the run did not tally are not evaluated', () => {
    const catalogue = catalogueMetadata().length;
    expect(summary.rules).toMatchObject({ 'catalogue': catalogue, 'evaluated': 1, 'non-compliant': 1, 'not-evaluated': catalogue - 1 });
  });

  test('the verdict follows failOn', () => {
    expect(summary).toMatchObject({ passed: false, failOn: 'error', failingFindings: 2, resources: 7, pluginError: null, secureAiEntry: 'present' });
  });

  test('a pack that could not run fails with its error and no failOn', () => {
    const failed = summarise(modelFromPluginReport({ success: false, violations: [], metadata: { error: 'boom' } }));
    expect(failed).toMatchObject({ passed: false, failOn: null, pluginError: 'boom', secureAiEntry: 'failed', resources: null });
    expect(failed.rules['not-evaluated']).toBe(catalogueMetadata().length);
  });

  test('the other section is left out when empty', () => {
    expect(summarise(modelFromPluginReport(pluginReport([]))).bySection.map((s) => s.section)).not.toContain('other');
  });
});
