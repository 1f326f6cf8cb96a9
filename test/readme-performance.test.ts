import * as fs from 'fs';
import * as path from 'path';
import {
  BenchResults, PLATFORM_MARKERS, PlatformResults, README_MARKERS, renderPlatform, renderTables, withTables,
} from '../bench/results-tables';

const ROOT = path.join(__dirname, '..');
const read = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', file), 'utf-8')) as T;
const results = read<BenchResults>('results.json');
const platform = read<PlatformResults>('platform-results.json');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
const REWRITE = 'rewrite them with `npx ts-node --transpile-only scripts/write-bench-tables.ts`';

describe("the README's performance figures", () => {
  test(`the tables are those of bench/results.json (${REWRITE})`, () => {
    expect(withTables(readme, renderTables(results))).toBe(readme);
  });

  test(`the platform example's paragraph is that of bench/platform-results.json (${REWRITE})`, () => {
    expect(withTables(readme, renderPlatform(platform), PLATFORM_MARKERS)).toBe(readme);
  });

  test('a figure changed by hand, or a run not written into the README, is told apart', () => {
    const edited = readme.replace(/\| 4,000 \| 10 \| \d+ ms/, '| 4,000 | 10 | 1 ms');
    expect(edited).not.toBe(readme);
    expect(withTables(edited, renderTables(results))).not.toBe(edited);
    const [first, ...rest] = results.measurements;
    const newer: BenchResults = { ...results, measurements: [{ ...first, medianMs: first.medianMs + 1000 }, ...rest] };
    expect(withTables(readme, renderTables(newer))).not.toBe(readme);
  });

  test("the platform example's figures changed by hand, or a newer run, are told apart", () => {
    const edited = readme.replace(/adds \d+ ms to a synthesis/, 'adds 1 ms to a synthesis');
    expect(edited).not.toBe(readme);
    expect(withTables(edited, renderPlatform(platform), PLATFORM_MARKERS)).not.toBe(edited);
    const slower: PlatformResults = { ...platform, addedMedianMs: platform.addedMedianMs + 100 };
    expect(withTables(readme, renderPlatform(slower), PLATFORM_MARKERS)).not.toBe(readme);
  });

  test('what the pack does and writes is in the tables, from the run that recorded it', () => {
    const largest = results.measurements.filter((m) => m.series === 'split' && m.tool === 'secureai-in-synth' && m.resources === 4000)[0];
    expect(largest.output?.ruleChecks).toBeGreaterThan(0);
    const row = renderTables(results).split('\n').find((line) => line.startsWith(`| 4,000 | ${largest.output!.ruleChecks.toLocaleString('en-GB')} |`));
    expect(row).toContain(`| ${largest.output!.findings.toLocaleString('en-GB')} | ${largest.output!.violations.toLocaleString('en-GB')} |`);
  });

  test('a README without the markers is refused with a message that names them', () => {
    expect(() => withTables('# no tables here', 'x')).toThrow(README_MARKERS.start);
    expect(() => withTables('# no paragraph here', 'x', PLATFORM_MARKERS)).toThrow(PLATFORM_MARKERS.start);
  });
});
