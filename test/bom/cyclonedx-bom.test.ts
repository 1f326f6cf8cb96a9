import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dependenciesBelow, entriesOfKind, missingFromBom, propertyOf, readBom, schemaErrors } from './bom-expectations';
import { CLAUDE, IMAGE_DIGEST, RUNTIME_IMAGE, synthesizeL1App as synthesize, TITAN_EMBED } from './l1-app';
import { cli } from '../cli/run-cli';

describe('the AI bill of materials of an app of plain aws-cdk-lib L1 resources', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = synthesize();
  }, 120_000);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('is written by SecureAiChecks into the cloud assembly and is valid CycloneDX 1.7', async () => {
    const { json, bom } = readBom(outdir);
    expect(await schemaErrors(json)).toBeNull();
    expect(missingFromBom(outdir, bom)).toEqual([]);
  });

  test('lists the Bedrock models the app uses, from the agent and from ARNs in policies and configurations', () => {
    const { bom } = readBom(outdir);
    const models = entriesOfKind(bom, 'foundation-model');
    expect(models.map((m) => m.name)).toEqual([TITAN_EMBED, CLAUDE]);
    expect(propertyOf(models[0], 'used-by').sort()).toEqual(['PlainL1/AgentRole', 'PlainL1/KnowledgeBase']);
    const agent = entriesOfKind(bom, 'agent')[0]['bom-ref'];
    const kb = entriesOfKind(bom, 'knowledge-base')[0]['bom-ref'];
    expect([...dependenciesBelow(bom, agent)]).toEqual(expect.arrayContaining([`foundation-model:${CLAUDE}`, kb, `foundation-model:${TITAN_EMBED}`]));
  });

  test('lists the knowledge base\'s data source with its prefix and classification, and the guardrail and instruction with their settings', () => {
    const { bom } = readBom(outdir);
    const source = bom.components.find((c) => propertyOf(c, 'purpose').some((p) => p.startsWith('knowledge-base source')))!;
    expect(source.data).toEqual([expect.objectContaining({ type: 'dataset', classification: 'internal' })]);
    expect(propertyOf(source, 'inclusion-prefix')).toEqual(['manuals/']);
    const [guardrail] = entriesOfKind(bom, 'guardrail');
    expect(propertyOf(guardrail, 'content-filter:PROMPT_ATTACK')).toEqual(['input HIGH, output NONE']);
    expect(propertyOf(guardrail, 'denied-topic')).toEqual(['Investment advice']);
    const [instruction] = entriesOfKind(bom, 'prompt');
    expect(bom.components.find((c) => c['bom-ref'] === instruction['bom-ref'])!.hashes).toEqual([
      { alg: 'SHA-256', content: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  });

  test('chains the endpoint to its model, its pinned image and its artifact, which no pipeline of the app signs', () => {
    const { bom } = readBom(outdir);
    const [endpoint] = entriesOfKind(bom, 'endpoint');
    const below = dependenciesBelow(bom, endpoint['bom-ref']);
    const image = bom.components.find((c) => c.type === 'container')!;
    expect(image.hashes).toEqual([{ alg: 'SHA-256', content: IMAGE_DIGEST }]);
    const artifact = bom.components.find((c) => propertyOf(c, 'asset-kind').includes('artifact'))!;
    expect([...below].sort()).toEqual([artifact['bom-ref'], image['bom-ref'], entriesOfKind(bom, 'model')[0]['bom-ref']].sort());
    expect(propertyOf(artifact, 'signed-digest')).toEqual(['not known at synthesis: no training pipeline of this app produces it']);
    expect(artifact.name).toBe('s3://${Artifacts}/churn/model.tar.gz');
  });

  test('lists every generative AI resource of the app: the agent, its guardrail and knowledge base, the AgentCore runtime and its image', () => {
    const { bom } = readBom(outdir);
    const kinds = ['agent', 'guardrail', 'knowledge-base', 'agent-runtime', 'foundation-model', 'prompt'];
    expect(Object.fromEntries(kinds.map((k) => [k, entriesOfKind(bom, k).length]))).toEqual({
      'agent': 1, 'guardrail': 1, 'knowledge-base': 1, 'agent-runtime': 1, 'foundation-model': 2, 'prompt': 1,
    });
    const [runtime] = entriesOfKind(bom, 'agent-runtime');
    expect([...dependenciesBelow(bom, runtime['bom-ref'])]).toEqual([`image:${RUNTIME_IMAGE}`]);
    expect(propertyOf(runtime, 'network-mode')).toEqual(['PUBLIC']);
  });

  test('is the same file at every synthesis of the same app, and so is the threat model', () => {
    const again = synthesize();
    try {
      expect(readBom(again).json).toEqual(readBom(outdir).json);
      for (const file of ['threat-model.md', 'threat-model.json']) {
        expect(fs.readFileSync(path.join(again, file), 'utf-8')).toEqual(fs.readFileSync(path.join(outdir, file), 'utf-8'));
      }
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  }, 120_000);

  test('`cdk-secure-ai bom cdk.out` writes it from the templates alone, valid and with the same components', async () => {
    const { code, stdout, stderr } = cli('bom', outdir);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(await schemaErrors(stdout)).toBeNull();
    const refs = (json: string) => JSON.parse(json).components.map((c: { 'bom-ref': string }) => c['bom-ref']).sort();
    expect(refs(stdout)).toEqual(refs(readBom(outdir).json));
  });

  test('`cdk-secure-ai bom` exits 2 with the fix on a directory that is not a cloud assembly, and without one', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'not-an-assembly-'));
    try {
      const result = cli('bom', empty);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/has no manifest\.json: give the cloud assembly directory that `cdk synth` wrote/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
    expect(cli('bom').code).toBe(2);
  });
});

test('SecureAiChecks writes no BOM when aiBom is false, and no threat model when threatModel is false', () => {
  const outdir = synthesize({ aiBom: false, threatModel: false });
  try {
    expect(['ai-bom.cdx.json', 'threat-model.md', 'threat-model.json'].filter((f) => fs.existsSync(path.join(outdir, f)))).toEqual([]);
    expect(fs.existsSync(path.join(outdir, 'secure-ai.findings.json'))).toBe(true);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}, 120_000);
