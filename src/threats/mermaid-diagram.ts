import { AssetModel, ThreatModel } from './threat-model';
import { addToList } from '../nag/engine/lists';

/**
 * The system as the app defines it, as a Mermaid flowchart: its AI assets as nodes inside their trust boundaries
 * (account, stack with its environment, VPC) as nested subgraphs, what lies outside the app (hosted models, images
 * and buckets of others) outside them, data flowing from data to training to registry to endpoint to its clients, and
 * each asset with open findings marked with their rule IDs. Node and subgraph IDs are numbered in a sorted order, so
 * the same app draws the same text.
 */

/** Kinds whose assets serve callers: the flow ends at their clients. */
const SERVING = new Set(['endpoint', 'agent', 'agent-runtime']);
const SHAPES: Record<string, [string, string]> = {
  'data': ['[(', ')]'], 'endpoint': ['([', '])'], 'agent': ['([', '])'], 'agent-runtime': ['([', '])'], 'container': ['[[', ']]'],
};
const MAX_LABEL = 60;

/** The Mermaid flowchart of a threat model's system. */
export function mermaidDiagram(model: ThreatModel): string {
  const ids = new Map(model.assets.map((a, i) => [a.ref, `n${i + 1}`]));
  const lines = ['flowchart LR'];
  let boundaries = 0;
  const subgraph = (label: string, indent: string, body: () => void) => {
    lines.push(`${indent}subgraph b${++boundaries}["${text(label)}"]`);
    body();
    lines.push(`${indent}end`);
  };
  const node = (asset: AssetModel, indent: string) => {
    const [open, close] = SHAPES[asset.kind] ?? ['[', ']'];
    const findings = asset.openOnAsset;
    const marker = findings.length > 0 ? `<br/>⚠ open: ${findings.join(', ')}` : '';
    lines.push(`${indent}${ids.get(asset.ref)}${open}"${text(shorten(asset.name))}<br/><i>${asset.kind}</i>${marker}"${close}`);
  };

  const accounts = groupBy(model.assets.filter((a) => a.stack !== undefined), (a) => a.account ?? '');
  for (const [account, inAccount] of accounts) {
    const stacks = () => {
      const indent = account ? '    ' : '  ';
      for (const [stack, inStack] of groupBy(inAccount, (a) => a.stack!)) {
        const environment = inStack.map((a) => a.environment).find((e) => e !== undefined);
        subgraph(`stack ${stack}${environment ? ` · environment ${environment}` : ''}`, indent, () => {
          for (const [vpc, inVpc] of groupBy(inStack, (a) => a.vpc ?? '')) {
            if (vpc) subgraph(`VPC ${vpc}`, `${indent}  `, () => inVpc.forEach((a) => node(a, `${indent}    `)));
            else inVpc.forEach((a) => node(a, `${indent}  `));
          }
        });
      }
    };
    if (account) subgraph(`account ${account}`, '  ', stacks);
    else stacks();
  }
  const outside = model.assets.filter((a) => a.stack === undefined);
  if (outside.length > 0) subgraph('outside the app: hosted models, images and data of others', '  ', () => outside.forEach((a) => node(a, '    ')));
  if (model.assets.some((a) => SERVING.has(a.kind))) lines.push('  clients(("clients"))');

  const edges = new Set<string>();
  for (const asset of model.assets) {
    for (const ref of asset.dependsOn) {
      if (ids.has(ref)) edges.add(`  ${ids.get(ref)} --> ${ids.get(asset.ref)}`);
    }
    for (const ref of asset.flowsTo) if (ids.has(ref)) edges.add(`  ${ids.get(asset.ref)} --> ${ids.get(ref)}`);
    if (SERVING.has(asset.kind)) edges.add(`  ${ids.get(asset.ref)} --> clients`);
  }
  lines.push(...[...edges].sort(byNumber));
  const marked = model.assets.filter((a) => a.openOnAsset.length > 0).map((a) => ids.get(a.ref)!);
  if (marked.length > 0) {
    lines.push('  classDef open stroke:#c00,stroke-width:3px');
    lines.push(`  class ${marked.join(',')} open`);
  }
  return `${lines.join('\n')}\n`;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const item of items) addToList(groups, keyOf(item), item);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Mermaid label text: quotes and angle brackets as entity codes, so a name cannot end the label or open a tag. */
function text(value: string): string {
  return value.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function shorten(value: string): string {
  return value.length > MAX_LABEL ? `${value.slice(0, MAX_LABEL - 1)}…` : value;
}

/** `localeCompare(b, 'en', { numeric: true })`, with the collator made once instead of for every comparison. */
const NUMERIC = new Intl.Collator('en', { numeric: true });

function byNumber(a: string, b: string): number {
  return NUMERIC.compare(a, b);
}
