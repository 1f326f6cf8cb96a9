import * as fs from 'fs';
import * as path from 'path';
import { BenchResults, README_MARKERS, renderTables, withTables } from '../bench/results-tables';

const ROOT = path.join(__dirname, '..');
const results = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf-8')) as BenchResults;
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');

describe("the README's performance tables", () => {
  test('are the tables of bench/results.json (rewrite them with `npx ts-node --transpile-only scripts/write-bench-tables.ts`)', () => {
    expect(withTables(readme, renderTables(results))).toBe(readme);
  });

  test('a figure changed by hand, or a run not written into the README, is told apart', () => {
    const edited = readme.replace(/\| 4,000 \| 10 \| \d+ ms/, '| 4,000 | 10 | 1 ms');
    expect(edited).not.toBe(readme);
    expect(withTables(edited, renderTables(results))).not.toBe(edited);
    const [first, ...rest] = results.measurements;
    const newer: BenchResults = { ...results, measurements: [{ ...first, medianMs: first.medianMs + 1000 }, ...rest] };
    expect(withTables(readme, renderTables(newer))).not.toBe(readme);
  });

  test('a README without the markers is refused with a message that names them', () => {
    expect(() => withTables('# no tables here', 'x')).toThrow(README_MARKERS.start);
  });
});
