// Writes docs/RULES.md from the rule catalogue (src/nag/catalogue.ts). Run by `npx projen docs:rules` after
// compile, so the committed file always matches the rules the pack runs; CI compares the two.
import * as fs from 'fs';
import * as path from 'path';
import { rulesMarkdown } from '../src/report/rules-doc';

const target = path.join(__dirname, '..', 'docs', 'RULES.md');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, rulesMarkdown());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
