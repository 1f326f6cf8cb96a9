import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FraudScoringStack } from '../../examples/getting-started/lib/fraud-scoring-stack';
import { FailOn, SecureAiChecks } from '../../src';
import { SecureAiReport } from '../../src/report/secure-ai-report';
import { entriesOfKind, missingFromBom, readBom, schemaErrors } from '../bom/bom-expectations';
import { openPluginViolations } from '../compliance';

const ROOT = path.join(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/getting-started');
const ENV = { account: '111111111111', region: 'eu-west-2' };

/** The README's TypeScript blocks that open with a `// <path>` line naming a file of the example. */
function readmeBlocks(): Map<string, string> {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = new Map<string, string>();
  for (const match of readme.matchAll(/```ts\n\/\/ ((?:bin|lib)\/[\w-]+\.ts)\n([\s\S]*?)```/g)) {
    blocks.set(match[1], match[2]);
  }
  return blocks;
}

describe('examples/getting-started, the README\'s first stack', () => {
  test('the README shows exactly the example\'s files', () => {
    const blocks = readmeBlocks();
    expect([...blocks.keys()].sort()).toEqual(['bin/app.ts', 'lib/fraud-scoring-stack.ts']);
    for (const [file, code] of blocks) {
      const source = fs.readFileSync(path.join(EXAMPLE, file), 'utf8').replace(/^#!.*\n/, '');
      expect({ file, code }).toEqual({ file, code: source });
    }
  });

  // As bin/app.ts registers them; the CLI synthesis of the same files, from the installed package, is
  // test/package/installed-package.ts.
  describe.each([
    ['environment-agnostic', undefined],
    ['for an account and Region', ENV],
  ])('synthesized %s with SecureAiChecks at FailOn.WARNING and AwsSolutions', (_name, env) => {
    let outdir: string;
    beforeAll(() => {
      const before = process.env.CDK_VALIDATION;
      process.env.CDK_VALIDATION = 'true'; // the CDK's own template validation, which warns of maintenance-mode services
      try {
        outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'getting-started-'));
        const context = JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'cdk.context.json'), 'utf8'));
        const app = new App({ outdir, context: { ...context, '@aws-cdk/core:validationReportJson': true } });
        new FraudScoringStack(app, 'FraudScoring', { env });
        Validations.of(app).addPlugins(new SecureAiChecks({ failOn: FailOn.WARNING }), new AwsSolutionsChecks());
        app.synth(); // throws when a registered pack fails
      } finally {
        process.env.CDK_VALIDATION = before;
      }
    }, 240_000);
    afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

    test('no SecureAI finding, open or unverifiable', () => {
      const json = JSON.parse(SecureAiReport.fromCloudAssembly(outdir).toJson());
      expect(json.summary.openFindings).toEqual({ total: 0, error: 0, warning: 0 });
    });

    test('no plugin reports an open violation or warning, the CDK\'s template validation included', () => {
      expect(openPluginViolations(outdir)).toEqual([]);
    });

    test('its AI bill of materials is valid CycloneDX 1.7 and lists every AI resource, the endpoint down to its model', async () => {
      const { json, bom } = readBom(outdir);
      expect(await schemaErrors(json)).toBeNull();
      expect(missingFromBom(outdir, bom)).toEqual([]);
      expect(entriesOfKind(bom, 'endpoint')).toHaveLength(1);
    });
  });
});
