// Prints "N passed, N failed" from jest's JUnit report: the closing line the CI harness reads.
// Exits 1 when the report is missing (the tests never ran) or records a failure.
const fs = require('fs');

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.log('0 passed, 1 failed');
  console.error(`no JUnit report at ${file}: the tests did not run`);
  process.exit(1);
}
const root = /<testsuites\b([^>]*)>/.exec(fs.readFileSync(file, 'utf8'));
const attribute = (name) => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(root ? root[1] : '') || [])[1] || 0);
const total = attribute('tests');
const failed = attribute('failures') + attribute('errors');
const skipped = attribute('skipped');
const passed = total - failed - skipped;
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exit(failed > 0 || total === 0 ? 1 : 0);
