// Writes docs/CONSTRUCTS.md from src/construct-kit/satisfied-rules.ts. Run by `npx projen docs:constructs` after
// compile; a test compares the committed file with what this writes.
import * as fs from 'fs';
import * as path from 'path';
import { constructsMarkdown } from './constructs-doc';

const target = path.join(__dirname, '..', 'docs', 'CONSTRUCTS.md');
fs.writeFileSync(target, constructsMarkdown());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
