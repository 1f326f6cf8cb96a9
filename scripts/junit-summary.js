// Prints "N passed, N failed" from JUnit reports (jest's and node --test's): the closing line the CI harness reads.
// Counts test cases rather than trusting header attributes, which node's reporter does not write.
// Exits 1 when a report is missing (its tests never ran), records a failure, or holds no test at all.
const fs = require('fs');

const files = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = files.filter((file) => !fs.existsSync(file));
for (const file of files.filter((f) => fs.existsSync(f))) {
  const xml = fs.readFileSync(file, 'utf8');
  // A self-closing <testcase .../> passed; an open one passed unless it holds a failure, error or skipped element.
  for (const match of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = match[2] ?? '';
    if (/<(failure|error)\b/.test(body)) failed++;
    else if (/<skipped\b/.test(body)) skipped++;
    else passed++;
  }
}
failed += missing.length;
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
for (const file of missing) console.error(`no JUnit report at ${file}: its tests did not run`);
process.exit(failed > 0 || passed + skipped === 0 ? 1 : 0);
