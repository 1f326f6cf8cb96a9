import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, DefaultStackSynthesizer, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AI_BOM_FILE } from '../../src/bom/cyclonedx-bom';
import { Finding, FINDINGS_FILE, METADATA_KEYS } from '../../src/nag/findings';
import { SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { THREAT_MODEL_JSON_FILE, THREAT_MODEL_MARKDOWN_FILE } from '../../src/threats/threat-model-files';
import { schemaErrors } from '../bom/bom-expectations';

/*
 * The field corpus (test/field/corpus) as an app runs the pack: registered, inside `app.synth()`, writing its findings,
 * the AI bill of materials and the threat model into the cloud assembly. Each template must give the same findings
 * there as through `validateScope`, a BOM the CycloneDX schema accepts, and a threat model.
 */

const CORPUS = path.join(__dirname, 'corpus');

interface CorpusTemplate {
  readonly file: string;
  readonly skip?: string;
}

/**
 * Templates the CDK itself cannot synthesize once included, before the pack runs: a Lambda function whose properties
 * cloudformation-include reads in a shape the L1 then refuses to render.
 */
const CDK_CANNOT_SYNTHESIZE = [
  'aws-samples/amazon-sagemaker-studio-secure-data-science-workshop/cloudformation/ds_admin_detective.yaml',
  'aws-samples/secure-data-science-reference-architecture/cloudformation/ds_admin_detective.yaml',
];
/** The CDK's error for each of them. */
const CDK_ERROR = /Supplied properties not correct for "CfnFunctionProps"/;

const corpus: CorpusTemplate[] = (JSON.parse(fs.readFileSync(path.join(CORPUS, 'index.json'), 'utf-8')).templates as CorpusTemplate[])
  .filter((t) => t.skip === undefined);

/** What one finding says, for comparing two runs. */
const key = (f: Finding) => `${f.ruleName} ${f.logicalId}: ${f.message}`;

function appOf(template: CorpusTemplate, outdir?: string): App {
  const app = new App({ outdir, autoSynth: false });
  // The CDK's integration templates declare the bootstrap version parameter a default synthesizer would add again.
  const stack = new Stack(app, 'Field', { synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
  new CfnInclude(stack, 'Template', { templateFile: path.join(CORPUS, template.file) });
  return app;
}

interface Synthesized {
  readonly findings?: string[];
  readonly bom?: string;
  readonly threatModel?: boolean;
  readonly failure?: string;
}

function synthesize(template: CorpusTemplate): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'field-synth-'));
  try {
    const app = appOf(template, outdir);
    Validations.of(app).addPlugins(new SecureAiChecks());
    try {
      app.synth();
    } catch (e) {
      // The pack fails synthesis on error-level findings, as registered; any other error is a failure to report.
      if (!fs.existsSync(path.join(outdir, FINDINGS_FILE))) return { failure: (e as Error).message.split('\n')[0] };
    }
    const written = JSON.parse(fs.readFileSync(path.join(outdir, FINDINGS_FILE), 'utf-8'));
    const findings: Finding[] = JSON.parse(written.metadata[METADATA_KEYS.findings]);
    return {
      findings: findings.map(key).sort(),
      bom: fs.readFileSync(path.join(outdir, AI_BOM_FILE), 'utf-8'),
      threatModel: [THREAT_MODEL_MARKDOWN_FILE, THREAT_MODEL_JSON_FILE].every((f) => fs.existsSync(path.join(outdir, f)))
        && JSON.parse(fs.readFileSync(path.join(outdir, THREAT_MODEL_JSON_FILE), 'utf-8')) !== undefined,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('the pack inside synthesis on the field corpus', () => {
  const outcomes = new Map<string, Synthesized>();
  beforeAll(() => {
    for (const template of corpus) outcomes.set(template.file, synthesize(template));
  }, 600_000);

  test('every template the CDK can synthesize is synthesized with the pack registered', () => {
    const failures = [...outcomes].filter(([, o]) => o.failure !== undefined);
    expect(failures.map(([file]) => file).sort()).toEqual([...CDK_CANNOT_SYNTHESIZE].sort());
    for (const [, o] of failures) expect(o.failure).toMatch(CDK_ERROR);
  });

  test('findings inside synthesis are those of validateScope', () => {
    const compared = corpus.filter((t) => outcomes.get(t.file)?.findings);
    expect(compared.length).toBeGreaterThanOrEqual(30);
    const differing = compared.filter((t) => {
      const report = new SecureAiChecks().validateScope(appOf(t));
      const direct: Finding[] = JSON.parse(report.metadata?.[METADATA_KEYS.findings] ?? '[]');
      return JSON.stringify(direct.map(key).sort()) !== JSON.stringify(outcomes.get(t.file)!.findings);
    });
    expect(differing.map((t) => t.file)).toEqual([]);
  });

  test('each writes a BOM the CycloneDX 1.7 schema accepts, and a threat model', async () => {
    const written = [...outcomes].filter(([, o]) => o.bom !== undefined);
    expect(written.length).toBeGreaterThanOrEqual(30);
    const invalid: string[] = [];
    for (const [file, o] of written) if ((await schemaErrors(o.bom!)) !== null) invalid.push(file);
    expect(invalid).toEqual([]);
    expect(written.filter(([, o]) => !o.threatModel).map(([file]) => file)).toEqual([]);
  }, 120_000);
});
