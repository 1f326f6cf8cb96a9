// Writes the performance tables into README.md, between its bench-tables markers, from bench/results.json. Run by
// `npx projen bench` after the benchmark; test/readme-performance.test.ts fails when the two disagree.
import * as fs from 'fs';
import * as path from 'path';
import { BenchResults, renderTables, withTables } from '../bench/results-tables';

const root = path.join(__dirname, '..');
const results = JSON.parse(fs.readFileSync(path.join(root, 'bench', 'results.json'), 'utf-8')) as BenchResults;
const readme = path.join(root, 'README.md');
fs.writeFileSync(readme, withTables(fs.readFileSync(readme, 'utf-8'), renderTables(results)));
process.stdout.write('wrote the performance tables of README.md from bench/results.json\n');
