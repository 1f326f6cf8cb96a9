// `npm pack` / `npm publish` outside projen's package:js: the tarball must hold the compiled library and the Lambda
// assets its constructs load (assets/ is git-ignored, built by `projen bundle`). Bundles them, and refuses to pack
// a library that was never compiled rather than ship a package that cannot be imported.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
if (!fs.existsSync(path.join(root, 'lib', 'index.js')) || !fs.existsSync(path.join(root, '.jsii'))) {
  console.error('cdk-secure-ai: nothing to pack: lib/ is not compiled. Run `npx projen compile` first (or `npx projen build`).');
  process.exit(1);
}
execFileSync('npx', ['projen', 'bundle'], { cwd: root, stdio: 'inherit' });
