import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { CATALOGUE } from '../../src/nag/catalogue';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { countingRuleLookups } from '../nag/rule-lookups';

/*
 * The field corpus's parameterised templates, each repeated in 2, 4 and 8 stacks of one app (issue 17), as a security
 * team includes one template per environment or team. Counted as test/nag/linearity-workloads.test.ts counts: index
 * look-ups inside each rule's checks, per copy added. A lookup over the whole app that read the Condition of every
 * resource made every judgement run again for each other allowed value of each parameter of every copy (sixteen copies
 * of env-vpc.yaml took 29 s).
 */

const CORPUS = path.join(__dirname, 'corpus');
const COPIES = [2, 4, 8];

interface CorpusTemplate {
  readonly file: string;
  readonly skip?: string;
}

/** Templates with conditions and with parameters whose other allowed values the pack judges. */
const parameterised = (JSON.parse(fs.readFileSync(path.join(CORPUS, 'index.json'), 'utf-8')).templates as CorpusTemplate[])
  .filter((t) => t.skip === undefined)
  .filter((t) => {
    const text = fs.readFileSync(path.join(CORPUS, t.file), 'utf-8');
    return /^Conditions:/m.test(text) && /AllowedValues/.test(text);
  })
  .map((t) => t.file);

function lookupsPerRule(file: string, copies: number): Map<string, number> {
  const { perRule } = countingRuleLookups(() => {
    const app = new App({ autoSynth: false });
    for (let i = 0; i < copies; i++) new CfnInclude(new Stack(app, `Copy${i}`), 'Template', { templateFile: path.join(CORPUS, file) });
    new SecureAiChecks({ failOn: FailOn.NONE }).validateScope(app);
  });
  return new Map([...perRule].map(([id, tally]) => [id, tally.lookups]));
}

describe('the pack on parameterised field templates, each repeated in 2, 4 and 8 stacks', () => {
  test('the corpus holds parameterised templates to repeat', () => {
    expect(parameterised.length).toBeGreaterThanOrEqual(10);
  });

  test.each(parameterised)('%s: no rule costs more per copy as copies are added', (file) => {
    const series = COPIES.map((n) => lookupsPerRule(file, n));
    const growing = CATALOGUE.map((rule) => {
      const counts = series.map((s) => s.get(rule.id) ?? 0);
      const [a, b] = [1, 2].map((i) => (counts[i] - counts[i - 1]) / (COPIES[i] - COPIES[i - 1]));
      return { id: rule.id, perCopy: [a, b] };
    }).filter(({ perCopy: [a, b] }) => b - a > Math.max(0.01, 0.01 * Math.abs(a)));
    expect(growing).toEqual([]);
  });
});
