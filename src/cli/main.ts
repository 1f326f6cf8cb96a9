#!/usr/bin/env node
// The `cdk-secure-ai` command. Everything but the process itself lives in program.ts, where tests reach it.
import { run } from './program';

// A reader that stops early (`cdk-secure-ai rules | head`) closes the pipe: that is not an error of this command.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

// exitCode rather than exit(): a report piped to another process is flushed before node ends.
process.exitCode = run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
