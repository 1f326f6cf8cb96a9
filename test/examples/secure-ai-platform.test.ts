import * as fs from 'fs';
import * as path from 'path';
import { cfnLintErrors } from './app-synthesis';
import { buildPlatform, registerPacks } from '../../examples/secure-ai-platform/app';
import { SecureAiReport } from '../../src/report/secure-ai-report';
import { entriesOfKind, missingFromBom, propertyOf, readBom, schemaErrors } from '../bom/bom-expectations';
import { cli } from '../cli/run-cli';
import { canaryFindings, checkCompliance, ComplianceResult, isReasoned, openPluginViolations, passedSynthesis, silentPacks } from '../compliance';
import { foreignRules, mermaidBlock, mermaidProblems, readThreatModel, threatsWithoutControlOrOpenItem } from '../threats/threat-expectations';

const ENV_CONTEXT = { account: '111111111111', region: 'eu-west-2' };

/** The README's excerpts of the platform's generated files: each block that follows an `<!-- excerpt: ... -->` line. */
function readmeExcerpts(): Array<{ file: string; lines: string[] }> {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf-8');
  return [...readme.matchAll(/<!-- excerpt: examples\/secure-ai-platform cdk\.out\/([\w.-]+) -->\n```\w*\n([\s\S]*?)```/g)]
    .map((m) => ({ file: m[1], lines: m[2].split('\n').map((l) => l.trim()).filter((l) => l !== '') }));
}

describe('examples/secure-ai-platform', () => {
  // One synthesis for the whole file, as app.ts does it: its packs registered, the CDK's template validation on.
  let result: ComplianceResult;
  beforeAll(() => {
    result = checkCompliance((app) => {
      buildPlatform(app);
    }, '', { register: registerPacks, context: ENV_CONTEXT, templateValidation: true });
  }, 240_000);
  afterAll(() => result && fs.rmSync(result.outdir, { recursive: true, force: true }));

  test('passes SecureAI, AwsSolutions, NIST 800-53 R5, HIPAA, PCI and Control Tower with reasoned acknowledgments only', () => {
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    // The SecureAI acknowledgments: the package's image, which the template cannot show and the deploy-time gate checks; and
    // the drift monitor's AWS scikit-learn image, a tag in AWS's own registry rather than a digest.
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI')).map((a) => `${a.id.replace(/^.*::/, '')} ${a.path}`).sort()).toEqual([
      'SecureAI-V17 SecureAiPlatform/Endpoint/DriftMonitor/StateMachine/Resource',
      'SecureAI-V1[unverifiable] SecureAiPlatform/Endpoint/Model',
    ]);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });

  describe('synthesized as app.ts does, with the CDK\'s template validation on', () => {
    let outdir: string;
    let report: SecureAiReport;
    beforeAll(() => {
      outdir = passedSynthesis(result);
      report = SecureAiReport.fromCloudAssembly(outdir);
    });

    test('the SecureAI report is clean and covers most of the catalogue', () => {
      const json = JSON.parse(report.toJson());
      expect(report.failsPolicy()).toBe(false);
      expect(json.summary.openFindings).toEqual({ total: 0, error: 0, warning: 0 });
      expect(json.summary.resources).toBeGreaterThan(100);
      expect(json.summary.rules.compliant).toBeGreaterThanOrEqual(40);
      // One rule has a non-compliant finding, acknowledged with its reason: V17, the drift monitor's AWS image by tag.
      expect(json.summary.rules['non-compliant']).toBe(1);
      expect(json.acknowledged.filter((f: { ruleName: string }) => !f.ruleName.endsWith('[unverifiable]')).map((f: { ruleName: string }) => f.ruleName)).toEqual(['SecureAI-V17']);
    });

    test('no plugin reports an open violation (the template validation included)', () => {
      expect(openPluginViolations(outdir)).toEqual([]);
    });

    test('its AI bill of materials is valid CycloneDX 1.7 and lists every model, data source and image', async () => {
      const { json, bom } = readBom(outdir);
      expect(await schemaErrors(json)).toBeNull();
      expect(bom.specVersion).toBe('1.7');
      expect(missingFromBom(outdir, bom)).toEqual([]);
      const names = (kind: string) => entriesOfKind(bom, kind).map((e) => e.name).sort();
      expect(names('model-package-group')).toEqual(['fraud-scoring']);
      expect(entriesOfKind(bom, 'model-package').map((e) => [e.name, e.version])).toEqual([['fraud-scoring', '1']]);
      // Training data, the endpoint's captures, and the drift monitor's inputs: its baseline and its script.
      expect(names('data')).toEqual([
        expect.stringMatching(/^s3:\/\/\$\{EndpointDataCapture\w+\}\/captures$/),
        expect.stringMatching(/^s3:\/\/\$\{EndpointDataCapture\w+\}\/captures\/.+\/AllTraffic\/$/),
        expect.stringMatching(/^s3:\/\/\$\{RegistryArtifacts\w+\}\/baselines\/\$\{EndpointSignatureGate\w+\}\/reference\.csv$/),
        expect.stringMatching(/^s3:\/\/\$\{TrainingData\w+\}\/fraud\/2026-11\/train\.csv$/),
        expect.stringMatching(/^s3:\/\/cdk-.+\.py$/),
      ]);
      const training = bom.components.find((c) => /TrainingData/.test(c.name))!;
      expect(training.data).toEqual([expect.objectContaining({ type: 'dataset', classification: 'confidential' })]);
      // The digest the model card records for the training data.
      expect(training.hashes).toEqual([{ alg: 'SHA-256', content: '5f2b8a3c9d4e1f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e' }]);
      const images = bom.components.filter((c) => c.type === 'container');
      expect(images.map((i) => [propertyOf(i, 'pinned')[0].startsWith('by digest'), i.hashes?.[0]?.content ?? i.version])).toEqual([
        [true, '4c'.repeat(32)], [false, expect.any(String)],
      ]);
      expect(propertyOf(images[0], 'use').sort()).toEqual([
        expect.stringMatching(/^training image of /),
      ]);
    });

    test('its BOM holds the chain endpoint → model → model package → artifact → training pipeline → data', () => {
      const { bom } = readBom(outdir);
      const [endpoint] = entriesOfKind(bom, 'endpoint');
      const direct = (ref: string) => bom.dependencies.find((d) => d.ref === ref)?.dependsOn ?? [];
      const [model] = direct(endpoint['bom-ref']);
      expect(entriesOfKind(bom, 'model').map((m) => m['bom-ref'])).toEqual([model]);
      expect(direct(model)).toEqual(['model-package:fraud-scoring/1']);
      expect(direct('model-package:fraud-scoring/1')).toEqual(['artifact:fraud-scoring/1']);
      const [pipeline] = direct('artifact:fraud-scoring/1');
      expect(entriesOfKind(bom, 'training-pipeline').map((p) => p['bom-ref'])).toEqual([pipeline]);
      expect(direct(pipeline)).toEqual([expect.stringMatching(/^data:s3:\/\/\$\{TrainingData/), expect.stringMatching(/^image:/)]);
      const artifact = bom.components.find((c) => c['bom-ref'] === 'artifact:fraud-scoring/1')!;
      expect(propertyOf(artifact, 'signed-digest')).toEqual([expect.stringMatching(/^computed and signed at training time/)]);
    });

    test('its BOM carries the model card and the training pipeline\'s formulation', () => {
      const { bom } = readBom(outdir);
      const [model] = entriesOfKind(bom, 'model');
      const card = bom.components.find((c) => c['bom-ref'] === model['bom-ref'])!.modelCard!;
      expect(card.considerations.useCases).toEqual(['Ranking card transactions for manual review by trained fraud analysts.']);
      expect(card.considerations.technicalLimitations).toEqual(expect.arrayContaining([
        'Out of scope: Automatically declining transactions or accounts without human review.', 'Out of scope: Credit decisions.',
      ]));
      expect(card.properties).toEqual(expect.arrayContaining([{ name: 'secure-ai:risk-rating', value: 'High' }]));
      expect(card.quantitativeAnalysis.performanceMetrics).toEqual([
        { type: 'precision', value: '0.91', slice: 'Holdout November 2026' }, { type: 'recall', value: '0.84', slice: 'Holdout November 2026' },
      ]);
      expect(bom.formulation).toHaveLength(1);
      const [workflow] = bom.formulation![0].workflows;
      expect(workflow.steps.map((s: { name: string }) => s.name)).toEqual(['Pin1', 'Train', 'SignAndRegister', 'Registered', 'Failed']);
      const [task] = workflow.tasks;
      expect(task.inputs.map((i: { resource: { ref: string } }) => i.resource.ref)).toEqual([
        expect.stringMatching(/^data:s3:\/\/\$\{TrainingData/), expect.stringMatching(/^image:/),
      ]);
      expect(task.outputs).toEqual([{ type: 'artifact', resource: { ref: 'artifact:fraud-scoring/1' } }]);
    });

    test('its threat model lists, per asset, threats with their controls and rule IDs, and none without a control or an open item', () => {
      const { model } = readThreatModel(outdir);
      expect(threatsWithoutControlOrOpenItem(model)).toEqual([]);
      expect(foreignRules(model)).toEqual([]);
      const controls = (kind: string, threat: string) => {
        const assets = model.assets.filter((a) => a.kind === kind);
        expect(assets.length).toBeGreaterThan(0);
        return [...new Set(assets.flatMap((a) => a.threats.find((t) => t.id === threat)!.controls.map((c) => c.ruleId)))].sort();
      };
      // The chain's assets, each with the rules that control its threats.
      expect(controls('endpoint', 'drift-and-evasion')).toEqual(['O1', 'O2', 'O8']);
      expect(controls('endpoint', 'model-extraction')).toEqual(expect.arrayContaining(['D14', 'D15', 'P14', 'O5']));
      expect(controls('model', 'model-tampering')).toEqual(['D11', 'V2', 'V8']);
      expect(controls('training-pipeline', 'training-data-poisoning')).toEqual(expect.arrayContaining(['P11', 'V6', 'V7']));
      expect(controls('model-package-group', 'model-tampering')).toEqual(['P15', 'V9']);
      // A control a library construct put there is named as its default.
      const endpoint = model.assets.find((a) => a.kind === 'endpoint')!;
      const theft = endpoint.threats.find((t) => t.id === 'weights-and-data-theft')!;
      expect(theft.controls.find((c) => c.ruleId === 'P6')!.defaultOf).toEqual({ kind: 'InferenceEndpoint', path: 'SecureAiPlatform/Endpoint' });
      // Every asset of the chain has at least one threat with a control; the platform has no open finding.
      for (const asset of model.assets.filter((a) => a.stack !== undefined)) {
        expect({ asset: asset.ref, controlled: asset.threats.some((t) => t.controls.length > 0) }).toEqual({ asset: asset.ref, controlled: true });
      }
      expect(model.assets.flatMap((a) => a.threats.flatMap((t) => t.open))).toEqual([]);
      // The one acknowledged finding, with its reason, under the threat it concerns.
      const [model_] = model.assets.filter((a) => a.kind === 'model');
      const image = model_.threats.find((t) => t.id === 'untrusted-image')!;
      expect(image.acknowledged).toEqual([expect.objectContaining({ rule: 'SecureAI-V1[unverifiable]', acknowledged: expect.objectContaining({ reason: expect.any(String) }) })]);
    });

    test('its threat model opens with a well-formed flowchart: the account, the stack and its VPC, data flowing from training data to clients', () => {
      const { markdown, model } = readThreatModel(outdir);
      const diagram = mermaidBlock(markdown);
      expect(mermaidProblems(diagram)).toEqual([]);
      expect(diagram).toContain('subgraph b1["account 111111111111"]');
      expect(diagram).toContain('stack SecureAiPlatform · environment production');
      expect(diagram).toContain('VPC SecureAiPlatform/Environment/Vpc/Resource');
      const id = (ref: string) => `n${model.assets.findIndex((a) => a.ref === ref) + 1}`;
      const ref = (kind: string, name?: RegExp) => model.assets.find((a) => a.kind === kind && (!name || name.test(a.name)))!.ref;
      const chain = [ref('data', /TrainingData/), ref('training-pipeline'), 'artifact:fraud-scoring/1', 'model-package:fraud-scoring/1', ref('model'), ref('endpoint')];
      for (let i = 1; i < chain.length; i++) expect(diagram).toContain(`${id(chain[i - 1])} --> ${id(chain[i])}`);
      expect(diagram).toContain(`${id(ref('endpoint'))} --> clients`);
    });

    test('`cdk-secure-ai threats` gives the same threats and controls from the cloud assembly', () => {
      const { code, stdout } = cli('threats', outdir, '--format', 'json');
      expect(code).toBe(0);
      const shape = (m: { assets: ReturnType<typeof readThreatModel>['model']['assets'] }) =>
        m.assets.map((a) => [a.ref, a.threats.map((t) => [t.id, t.controls.map((c) => c.ruleId)])]);
      expect(shape(JSON.parse(stdout))).toEqual(shape(readThreatModel(outdir).model));
    });

    test('the README\'s excerpts of its BOM and threat model are lines of the files this synthesis wrote', () => {
      const excerpts = readmeExcerpts();
      expect(excerpts.map((e) => e.file)).toEqual(['ai-bom.cdx.json', 'threat-model.md', 'threat-model.md']);
      for (const { file, lines } of excerpts) {
        const written = new Set(fs.readFileSync(path.join(outdir, file), 'utf-8').split('\n').map((l) => l.trim()));
        expect({ file, missing: lines.filter((l) => !written.has(l)) }).toEqual({ file, missing: [] });
        expect(lines.length).toBeGreaterThan(10);
      }
    });

    test('cfn-lint finds no error in its templates (skipped where cfn-lint is not installed)', () => {
      const errors = cfnLintErrors(outdir, ENV_CONTEXT.region);
      if (errors !== undefined) expect(errors).toEqual([]);
    }, 180_000);
  });
});
