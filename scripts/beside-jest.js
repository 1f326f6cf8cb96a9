// Runs jest with other checks beside it: `node scripts/beside-jest.js <projen task>... -- <jest command line>`.
// The type check of the tests and eslint are single-threaded: run before and after jest, as projen's test task has them,
// they leave one of CI's 2 cores idle for about a minute. Beside jest they fill it. Jest's output goes to the console
// as it comes; a check's output is shown only when it fails, after jest's, so a passing run stays quiet and the
// closing count (scripts/junit-summary.js, the next step) stays the last line. Exits with the first failure's code.
const { spawn } = require('child_process');

const separator = process.argv.indexOf('--');
if (separator < 0 || separator === process.argv.length - 1) {
  console.error('usage: node scripts/beside-jest.js <projen task>... -- <jest command line>');
  process.exit(2);
}
const tasks = process.argv.slice(2, separator);
const [command, ...args] = process.argv.slice(separator + 1);

// Synthesizing CDK apps allocates many short-lived objects: with V8's default young generation the test workers spend
// much of their time in scavenges. A 64 MB semi-space cut the CPU time of `npm test` from about 480 to 415 s on a
// 2-core machine (wall 246 to 211 s, cold jest cache), for about 200 MB more memory per process.
const env = { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, '--max-semi-space-size=64'].filter(Boolean).join(' ') };

/** Runs a command; resolves with its exit code and, when `quiet`, what it printed. */
function run(file, argv, quiet) {
  return new Promise((resolve) => {
    const child = spawn(file, argv, { env, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (quiet) {
      child.stdout.on('data', (chunk) => { output += chunk; });
      child.stderr.on('data', (chunk) => { output += chunk; });
    }
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? 1, output: signal ? `${output}killed by ${signal}\n` : output }));
  });
}

const checks = tasks.map((task) => run('npx', ['projen', task], true).then((result) => ({ task, ...result })));
const tests = run('npx', [command, ...args], false);

Promise.all([tests, ...checks]).then(([jest, ...results]) => {
  const failed = results.filter((r) => r.code !== 0);
  for (const { task, code, output } of failed) {
    process.stderr.write(output);
    console.error(`\`npx projen ${task}\` failed (exit code ${code}): see above.`);
  }
  process.exit(jest.code || (failed[0]?.code ?? 0));
});
