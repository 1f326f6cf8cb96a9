import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { foreignRules, mermaidBlock, mermaidProblems, readThreatModel, threatsWithoutControlOrOpenItem } from './threat-expectations';
import { Finding } from '../../src/nag/findings';
import { mermaidDiagram } from '../../src/threats/mermaid-diagram';
import { AssetModel, ThreatModel } from '../../src/threats/threat-model';
import { synthesizeL1App } from '../bom/l1-app';
import { cli } from '../cli/run-cli';

/** The pack's findings as it recorded them in the cloud assembly. */
function recordedFindings(outdir: string): Finding[] {
  const content = JSON.parse(fs.readFileSync(path.join(outdir, 'secure-ai.findings.json'), 'utf-8'));
  return JSON.parse(content.metadata['secureai:findings']) as Finding[];
}

function asset(model: ThreatModel, kind: string): AssetModel {
  const found = model.assets.filter((a) => a.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('the threat model of an app of plain aws-cdk-lib L1 resources', () => {
  let outdir: string;
  let model: ThreatModel;
  let markdown: string;
  beforeAll(() => {
    outdir = synthesizeL1App();
    ({ model, markdown } = readThreatModel(outdir));
  }, 120_000);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('lists every open finding of the synthesis, on the threats of the assets it concerns or apart', () => {
    const open = recordedFindings(outdir).filter((f) => !f.acknowledged);
    expect(open.length).toBeGreaterThan(20);
    const listed = new Set([
      ...model.assets.flatMap((a) => a.threats.flatMap((t) => t.open)),
      ...model.otherFindings,
    ].map((f) => `${f.rule} ${f.resource} ${f.message}`));
    expect(open.map((f) => `${f.ruleName} ${f.constructPath} ${f.message}`).filter((f) => !listed.has(f))).toEqual([]);
    // Most concern an AI asset's threats: only account-wide settings and resources no asset reaches are apart.
    expect(model.otherFindings.length).toBeLessThan(open.length / 2);
  });

  test('gives the endpoint its threats with the findings on its configuration, marked on it in the diagram', () => {
    const endpoint = asset(model, 'endpoint');
    const drift = endpoint.threats.find((t) => t.id === 'drift-and-evasion')!;
    expect(drift.open.map((f) => f.rule)).toEqual(expect.arrayContaining(['SecureAI-O1', 'SecureAI-O2']));
    expect(drift.atlas).toEqual(['AML.T0015', 'AML.T0043']);
    expect(endpoint.openOnAsset).toEqual(expect.arrayContaining(['O1', 'O2', 'P6']));
    expect(markdown).toContain('**SecureAI-O1** (warning) on `PlainL1/EndpointConfig`');
    expect(mermaidBlock(markdown)).toMatch(/n\d+\(\["PlainL1\/Endpoint<br\/><i>endpoint<\/i><br\/>⚠ open: [^"]*O1[^"]*"\]\)/);
  });

  test('gives the agent, its guardrail and the AgentCore runtime the generative AI threats, with controls and open items', () => {
    const guardrail = asset(model, 'guardrail');
    const injection = guardrail.threats.find((t) => t.id === 'prompt-injection')!;
    // The guardrail blocks prompt attacks at high strength: a control, with its rule.
    expect(injection.controls.map((c) => [c.ruleId, c.resource])).toEqual(expect.arrayContaining([['D3', 'PlainL1/Guardrail']]));
    expect(injection.owasp).toEqual(['LLM01']);
    const harmful = guardrail.threats.find((t) => t.id === 'harmful-output')!;
    expect(harmful.open.map((f) => f.rule)).toContain('SecureAI-D4');
    const runtime = asset(model, 'agent-runtime');
    expect(runtime.threats.map((t) => t.id)).toEqual(expect.arrayContaining(['excessive-agency', 'untrusted-image']));
    expect(runtime.threats.find((t) => t.id === 'excessive-agency')!.open.map((f) => f.rule)).toContain('SecureAI-P13');
    expect(runtime.threats.find((t) => t.id === 'untrusted-image')!.open.map((f) => f.rule)).toContain('SecureAI-V1');
  });

  test('lists no threat without a control or an open item, and no control under a rule its threat does not name', () => {
    expect(model.assets.length).toBeGreaterThanOrEqual(12);
    expect(threatsWithoutControlOrOpenItem(model)).toEqual([]);
    expect(foreignRules(model)).toEqual([]);
    // None of this app's resources was made by a library construct: no control is claimed as a construct's default.
    expect(model.assets.flatMap((a) => a.threats.flatMap((t) => t.controls)).filter((c) => c.defaultOf)).toEqual([]);
    // Generic threats carry no ATLAS or OWASP entry.
    const generic = model.assets.flatMap((a) => a.threats).filter((t) => t.id === 'excessive-permissions' || t.id === 'unrecoverable-compromise');
    expect(generic.length).toBeGreaterThan(0);
    expect(generic.filter((t) => t.atlas.length + t.owasp.length > 0)).toEqual([]);
  });

  test('opens with a well-formed Mermaid flowchart: the account and stack as boundaries, hosted models outside, data flowing to clients', () => {
    const diagram = mermaidBlock(markdown);
    expect(markdown.indexOf('```mermaid')).toBeLessThan(markdown.indexOf('### '));
    expect(mermaidProblems(diagram)).toEqual([]);
    expect(diagram).toMatch(/subgraph b1\["account 123456789012"\]\n\s+subgraph b2\["stack PlainL1"\]/);
    const outside = diagram.slice(diagram.indexOf('outside the app'));
    expect(outside).toContain('anthropic.claude-3-5-sonnet-20240620-v1:0');
    const id = (name: string) => new RegExp(`(n\\d+)\\W+${name.replace(/[/.]/g, '\\$&')}<br`).exec(diagram)![1];
    for (const [from, to] of [['support-guardrail', 'support-agent'], ['PlainL1/Model', 'PlainL1/Endpoint'], ['support-docs', 'support-agent']]) {
      expect(diagram).toContain(`${id(from)} --> ${id(to)}`);
    }
    expect(diagram).toContain(`${id('PlainL1/Endpoint')} --> clients`);
  });

  test('`cdk-secure-ai threats cdk.out` builds the same model from the templates and the findings file', () => {
    const md = cli('threats', outdir);
    expect({ code: md.code, stderr: md.stderr }).toEqual({ code: 0, stderr: '' });
    expect(mermaidProblems(mermaidBlock(md.stdout))).toEqual([]);
    const json = cli('threats', outdir, '--format', 'json');
    expect(json.code).toBe(0);
    // Without the app, a resource is named by its stack and logical ID rather than its construct path: compare the rest.
    const shape = (m: ThreatModel) => m.assets.map((a) => [a.ref, a.openOnAsset, a.threats.map((t) => [t.id, t.controls.map((c) => c.ruleId),
      t.open.map((f) => f.rule), t.uncontrolled !== undefined])]);
    expect(shape(JSON.parse(json.stdout))).toEqual(shape(model));
  });

  test('`cdk-secure-ai threats` exits 2 on an unknown format, a directory that is no cloud assembly, and one the pack did not run in', () => {
    expect(cli('threats', outdir, '--format', 'yaml').code).toBe(2);
    expect(cli('threats').code).toBe(2);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'not-an-assembly-'));
    const withoutPack = fs.mkdtempSync(path.join(os.tmpdir(), 'without-pack-'));
    try {
      const none = cli('threats', empty);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/has no manifest\.json/);
      fs.cpSync(outdir, withoutPack, { recursive: true });
      fs.rmSync(path.join(withoutPack, 'secure-ai.findings.json'));
      const missing = cli('threats', withoutPack);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/has no secure-ai\.findings\.json: SecureAiChecks did not run in that synthesis.*Validations\.of\(app\)\.addPlugins/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
      fs.rmSync(withoutPack, { recursive: true, force: true });
    }
  });
});

describe('the Mermaid diagram', () => {
  const assetOf = (ref: string, name: string, extra: Partial<AssetModel> = {}): AssetModel => ({
    ref, kind: 'model', name, dependsOn: [], flowsTo: [], openOnAsset: [], threats: [], ...extra,
  });

  test('escapes what would end a label or open a tag, and nests account, stack and VPC', () => {
    const diagram = mermaidDiagram({
      schemaVersion: 1,
      tool: { name: 'cdk-secure-ai', version: '0.0.0' },
      stacks: ['S'],
      otherFindings: [],
      assets: [
        assetOf('a', 'say "hi" <b>', { stack: 'S', account: '1', vpc: 'S/Vpc', openOnAsset: ['D11'] }),
        assetOf('b', 'endpoint', { kind: 'endpoint', stack: 'S', account: '1', dependsOn: ['a'] }),
      ],
    });
    expect(mermaidProblems(diagram)).toEqual([]);
    expect(diagram).toContain('say #quot;hi#quot; #lt;b#gt;');
    expect(diagram.split('\n').filter((l) => l.trim().startsWith('subgraph')).length).toBe(3);
    expect(diagram).toContain('n1 --> n2');
    expect(diagram).toContain('class n1 open');
  });

  test('the checker catches what it must: an unbalanced subgraph and an edge to an undeclared node', () => {
    expect(mermaidProblems('flowchart LR\n  subgraph b1["x"]\n  n1["a"]\n  n1 --> n2\n')).toEqual([
      'edge n1 --> n2 names undeclared node n2', '1 subgraph(s) without end',
    ]);
  });
});
