// Writes the README's performance figures between their markers: the tables from bench/results.json and the platform
// example's paragraph from bench/platform-results.json. Run by `npx projen bench` and `npx projen bench:platform`
// after their runs; test/readme-performance.test.ts fails when the README and the results disagree.
import * as fs from 'fs';
import * as path from 'path';
import { BenchResults, PLATFORM_MARKERS, PlatformResults, renderPlatform, renderTables, withTables } from '../bench/results-tables';

const root = path.join(__dirname, '..');
const read = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(root, 'bench', file), 'utf-8')) as T;
const readme = path.join(root, 'README.md');
const tables = withTables(fs.readFileSync(readme, 'utf-8'), renderTables(read<BenchResults>('results.json')));
fs.writeFileSync(readme, withTables(tables, renderPlatform(read<PlatformResults>('platform-results.json')), PLATFORM_MARKERS));
process.stdout.write('wrote the performance figures of README.md from bench/results.json and bench/platform-results.json\n');
