// The layers of src/ point down only (docs/ARCHITECTURE.md). The import graph is read with the TypeScript compiler's
// own pre-processor, which sees every form of import: `import`, `import type`, `export ... from`, `import()` and
// `require`. A part of src/ that is not in the table fails the test until it is given its place.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', 'src');

/** The construct layers, lowest first: a part imports its own folder and lower layers only. */
const CONSTRUCT_LAYERS: ReadonlyArray<readonly string[]> = [
  // Facts about AWS, and the signing formats (OpenSSF Model Signing, SLSA) the signer, the gate and verify share.
  ['facts', 'signing'],
  ['construct-kit'],
  ['storage'],
  ['environment'],
  ['registry', 'backup'],
  ['training'],
  ['inference', 'generative-ai'],
];

/** The pack, its report and the command line: what each part may import besides itself. */
const PACK_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  'nag/rule.ts': [],
  'nag/findings.ts': ['nag/rule.ts'],
  'nag/engine': ['nag/rule.ts', 'nag/findings.ts'],
  'nag/knowledge': ['nag/engine', 'facts'],
  'nag/rules': ['nag/knowledge', 'nag/engine', 'nag/secure-ai-rule.ts', 'nag/rule.ts', 'nag/findings.ts'],
  'nag/secure-ai-rule.ts': ['nag/engine', 'nag/parameters.ts', 'nag/rule.ts'],
  // The pack's props as its rules read them: the props type is the one reference up, a type only; tag keys are
  // validated and normalised by the conventions the tag rules compare them with.
  'nag/parameters.ts': ['nag/secure-ai-checks.ts', 'nag/knowledge'],
  'nag/catalogue.ts': ['nag/rules', 'nag/secure-ai-rule.ts', 'nag/rule.ts'],
  // What the run takes as declared: the props type (a type only), the context it reads, the declarations knowledge finds.
  'nag/declarations.ts': ['nag/secure-ai-checks.ts', 'nag/parameters.ts', 'nag/knowledge', 'nag/engine', 'nag/findings.ts'],
  'nag/secure-ai-checks.ts': ['nag/catalogue.ts', 'nag/declarations.ts', 'nag/engine', 'nag/parameters.ts', 'nag/secure-ai-rule.ts', 'nag/rule.ts',
    'nag/findings.ts', 'package-info.ts', 'bom', 'threats'],
  // The AI bill of materials: a second reader of templates beside the rules, on the engine and knowledge.
  'bom': ['nag/knowledge', 'nag/engine', 'package-info.ts'],
  // The threat model: the BOM's inventory, judged with one run's results; rendered with the report's Markdown helpers.
  'threats': ['facts', 'bom', 'nag/knowledge', 'nag/engine', 'nag/catalogue.ts', 'nag/findings.ts', 'nag/rule.ts', 'report/markdown-text.ts', 'package-info.ts'],
  'report/markdown-text.ts': [],
  'report': ['report/markdown-text.ts', 'nag/catalogue.ts', 'nag/secure-ai-checks.ts', 'nag/rule.ts', 'nag/findings.ts', 'package-info.ts'],
  'cli': ['report', 'registry', 'bom', 'threats', 'package-info.ts'],
  'package-info.ts': [],
};

/** What each part of src/ may import besides itself. `index.ts`, the public surface, re-exports any part. */
export function allowedImports(): Map<string, ReadonlySet<string>> {
  const allowed = new Map<string, ReadonlySet<string>>();
  CONSTRUCT_LAYERS.forEach((layer, i) => {
    for (const part of layer) allowed.set(part, new Set(CONSTRUCT_LAYERS.slice(0, i).flat()));
  });
  for (const [part, imports] of Object.entries(PACK_IMPORTS)) allowed.set(part, new Set(imports));
  return allowed;
}

/** The part a file of src/ belongs to: the longest entry of the table that is the file or a folder above it. */
export function partOf(file: string, parts: Iterable<string>): string | undefined {
  let found: string | undefined;
  for (const part of parts) {
    if ((file === part || file.startsWith(`${part}/`)) && (found === undefined || part.length > found.length)) found = part;
  }
  return found;
}

/** One import of the graph: `from` imports `to`, both relative to src/. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

/** The imports that cross layers the wrong way, and the files of src/ that have no place in the table. */
export function violations(edges: readonly ImportEdge[]): string[] {
  const allowed = allowedImports();
  const parts = [...allowed.keys()];
  const out = new Set<string>();
  for (const { from, to } of edges) {
    if (from === 'index.ts') continue;
    const source = partOf(from, parts);
    const target = partOf(to, parts);
    if (source === undefined) {
      out.add(`src/${from} is in no layer: give its folder a place in test/layers.test.ts and docs/ARCHITECTURE.md`);
      continue;
    }
    if (target === undefined) {
      out.add(`src/${to} (imported by src/${from}) is in no layer: give its folder a place in test/layers.test.ts`);
      continue;
    }
    if (target === source || allowed.get(source)!.has(target)) continue;
    out.add(`src/${from} imports src/${to}: ${source} may import ${[...allowed.get(source)!].join(', ') || 'nothing else'}`);
  }
  return [...out];
}

/** Every relative import of every .ts file under src/, resolved to a file. */
function importGraph(): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        continue;
      }
      if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
      const from = path.relative(SRC, full).split(path.sep).join('/');
      edges.push({ from, to: from }); // every file is placed, importing or not
      const info = ts.preProcessFile(fs.readFileSync(full, 'utf-8'), true, true);
      for (const ref of info.importedFiles) {
        if (!ref.fileName.startsWith('.')) continue;
        const target = resolve(path.resolve(path.dirname(full), ref.fileName));
        edges.push({ from, to: path.relative(SRC, target).split(path.sep).join('/') });
      }
    }
  };
  walk(SRC);
  return edges;
}

function resolve(base: string): string {
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return `${base}.ts`;
}

describe('the layers of src/', () => {
  const graph = importGraph();

  test('the graph is read: the pack, the constructs and the public surface are all in it', () => {
    const files = new Set(graph.map((e) => e.from));
    for (const file of ['index.ts', 'nag/secure-ai-checks.ts', 'nag/engine/resource-index.ts', 'storage/secure-bucket.ts']) {
      expect(files.has(file)).toBe(true);
    }
    expect(graph.some((e) => e.from === 'storage/secure-bucket.ts' && e.to === 'construct-kit/stage-segregation.ts')).toBe(true);
  });

  test('every import points down', () => {
    expect(violations(graph)).toEqual([]);
  });

  test.each([
    ['the pack importing a construct module', 'nag/knowledge/customer-managed-key.ts', 'storage/secure-bucket.ts'],
    ['the pack importing construct helpers', 'nag/rules/design/agent-guardrail.ts', 'construct-kit/opt-out-reason.ts'],
    ['a construct importing the pack', 'inference/inference-endpoint.ts', 'nag/secure-ai-checks.ts'],
    ['a construct importing the report', 'registry/model-registry.ts', 'report/json-report.ts'],
    ['storage importing the environment', 'storage/secure-bucket.ts', 'environment/ai-environment.ts'],
    ['storage importing a construct above it', 'storage/environment-key.ts', 'registry/model-registry.ts'],
    ['the engine importing AI knowledge', 'nag/engine/resource-index.ts', 'nag/knowledge/ai-assets.ts'],
    ['AI knowledge importing a rule', 'nag/knowledge/model-access.ts', 'nag/rules/design/agent-guardrail.ts'],
    ['facts importing construct helpers', 'facts/instance-storage.ts', 'construct-kit/instance-type.ts'],
  ])('%s is refused', (_what, from, to) => {
    expect(violations([{ from, to }])).toEqual([expect.stringContaining(`src/${from} imports src/${to}`)]);
  });

  test('a folder without a place is refused until it is given one', () => {
    expect(violations([{ from: 'newfolder/thing.ts', to: 'storage/secure-bucket.ts' }])).toEqual([expect.stringMatching(/src\/newfolder\/thing\.ts is in no layer/)]);
  });

  test('what is allowed stays allowed: facts from the pack, lower construct layers, the public surface', () => {
    expect(violations([
      { from: 'nag/knowledge/customer-managed-key.ts', to: 'facts/instance-storage.ts' },
      { from: 'inference/inference-endpoint.ts', to: 'training/model-package-metadata.ts' },
      { from: 'storage/secure-bucket.ts', to: 'construct-kit/stage-segregation.ts' },
      { from: 'index.ts', to: 'nag/secure-ai-checks.ts' },
    ])).toEqual([]);
  });
});
