import * as fs from 'fs';
import * as path from 'path';
import { CATALOGUE } from '../../src/nag/catalogue';
import { ThreatModel } from '../../src/threats/threat-model';

/** The threat model SecureAiChecks wrote into a cloud assembly: its JSON and its Markdown. */
export function readThreatModel(outdir: string): { model: ThreatModel; markdown: string } {
  return {
    model: JSON.parse(fs.readFileSync(path.join(outdir, 'threat-model.json'), 'utf-8')) as ThreatModel,
    markdown: fs.readFileSync(path.join(outdir, 'threat-model.md'), 'utf-8'),
  };
}

/** The threats listed with neither a control nor an open item (a finding, or the record that nothing controls it). */
export function threatsWithoutControlOrOpenItem(model: ThreatModel): string[] {
  return model.assets.flatMap((a) => a.threats
    .filter((t) => t.controls.length === 0 && t.open.length === 0 && t.acknowledged.length === 0 && !t.uncontrolled)
    .map((t) => `${a.ref}: ${t.id}`));
}

/** Controls and findings that name a rule the catalogue does not have, or a rule the threat does not list. */
export function foreignRules(model: ThreatModel): string[] {
  const known = new Set(CATALOGUE.map((r) => r.id));
  return model.assets.flatMap((a) => a.threats.flatMap((t) => [...t.controls, ...t.open, ...t.acknowledged]
    .filter((c) => !known.has(c.ruleId) || ![...t.rules, ...t.accountRules].includes(c.ruleId))
    .map((c) => `${a.ref}: ${t.id}: ${c.ruleId}`)));
}

/** The Mermaid block of a threat model's Markdown. */
export function mermaidBlock(markdown: string): string {
  const match = /```mermaid\n([\s\S]*?)```/.exec(markdown);
  if (!match) throw new Error('no mermaid block');
  return match[1];
}

/**
 * What makes a Mermaid flowchart malformed, as far as the tests read it: a first line other than `flowchart`,
 * `subgraph` and `end` unbalanced, an edge between nodes never declared, a node declared twice, a label with a raw
 * quote inside.
 */
export function mermaidProblems(diagram: string): string[] {
  const problems: string[] = [];
  const lines = diagram.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (!/^flowchart (LR|TD|TB|RL|BT)$/.test(lines[0] ?? '')) problems.push(`first line is not a flowchart header: ${lines[0]}`);
  const declared = new Set<string>();
  let depth = 0;
  for (const line of lines.slice(1)) {
    if (line.startsWith('subgraph ')) {
      depth++;
      continue;
    }
    if (line === 'end') {
      if (--depth < 0) problems.push('an end without its subgraph');
      continue;
    }
    if (line.startsWith('classDef ') || line.startsWith('class ')) continue;
    const edge = /^(\w+) --> (\w+)$/.exec(line);
    if (edge) {
      for (const id of [edge[1], edge[2]]) if (!declared.has(id)) problems.push(`edge ${line} names undeclared node ${id}`);
      continue;
    }
    const node = /^(\w+)[[({]+"(.*)"[\])}]+$/.exec(line);
    if (!node) {
      problems.push(`unreadable line: ${line}`);
      continue;
    }
    if (declared.has(node[1])) problems.push(`node ${node[1]} declared twice`);
    if (node[2].includes('"')) problems.push(`label of ${node[1]} holds a raw quote`);
    declared.add(node[1]);
  }
  if (depth !== 0) problems.push(`${depth} subgraph(s) without end`);
  const classed = lines.find((l) => l.startsWith('class '));
  for (const id of classed?.slice('class '.length).split(' ')[0].split(',') ?? []) {
    if (!declared.has(id)) problems.push(`class names undeclared node ${id}`);
  }
  return problems;
}
