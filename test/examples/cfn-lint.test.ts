import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { cfnLint, CfnLintMatch, cfnLintMissing, CfnLintReport, describeMatches, synthesizedTemplates } from './cfn-lint';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function writeTemplate(dir: string, name: string, template: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(template, undefined, 1));
  return file;
}

// The tests that need cfn-lint itself are skipped, visibly, on a machine without it.
const missing = cfnLintMissing();
if (missing !== undefined) console.log(missing);
const withCfnLint = missing === undefined ? test : test.skip;

function linted(templates: string[], options = {}): CfnLintReport {
  const result = cfnLint(templates, options);
  if ('skipped' in result) throw new Error(result.skipped);
  return result;
}

describe('cfnLint', () => {
  // The templates linted with cfn-lint's defaults, in one run shared by the tests that read them: each run of cfn-lint
  // costs seconds of start-up. Linted on first use, so nothing runs where cfn-lint is missing.
  const dir = tempDir();
  const broken = writeTemplate(dir, 'broken.template.json', {
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketNam: 'models' } },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 'soon' } },
    },
  });
  const role = 'arn:aws:iam::111111111111:role/r';
  const fn = (runtime: string) => ({ Type: 'AWS::Lambda::Function', Properties: { Runtime: runtime, Handler: 'index.handler', Role: role, Code: { ZipFile: 'x' } } });
  const runtimes = writeTemplate(dir, 'runtimes.template.json', { Resources: { Newest: fn('nodejs26.x'), Invented: fn('nodejs99.x') } });
  const good = writeTemplate(dir, 'good.template.json', { Resources: { Queue: { Type: 'AWS::SQS::Queue' } } });
  const bad = writeTemplate(dir, 'bad.template.json', { Resources: { Thing: { Type: 'AWS::S3::Buckett' } } });
  let shared: CfnLintReport | undefined;
  const sharedRun = (): CfnLintReport => (shared ??= linted([broken, runtimes, good, bad]));
  const of = (matches: CfnLintMatch[], file: string) => matches.filter((m) => m.file === file);

  withCfnLint('a template with a misspelt property and a value of the wrong type gives errors naming the rule and place', () => {
    const errors = of(sharedRun().errors, broken);
    expect(errors.map((e) => [e.rule, e.file, e.location])).toEqual(expect.arrayContaining([
      ['E3002', broken, 'Resources/Bucket/Properties/BucketNam'],
      ['E3012', broken, 'Resources/Queue/Properties/DelaySeconds'],
    ]));
    expect(errors.every((e) => e.level === 'Error' && e.line !== null)).toBe(true);
    expect(describeMatches(errors).join('\n')).toMatch(/^E3002 Error .*broken\.template\.json:\d+ Resources\/Bucket\/Properties\/BucketNam: .*BucketName/m);
  }, 120_000);

  withCfnLint('a valid template gives no error; a redundant DependsOn is a warning, not an error, and can be ignored', () => {
    const file = writeTemplate(dir, 'valid.template.json', {
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue' },
        Policy: {
          Type: 'AWS::SQS::QueuePolicy',
          DependsOn: ['Queue'],
          Properties: {
            Queues: [{ Ref: 'Queue' }],
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
            },
          },
        },
      },
    });
    const report = linted([file], { regions: ['eu-west-2'] });
    expect(report.errors).toEqual([]);
    // One per reference (Ref and Fn::GetAtt) that already orders the two resources.
    expect(new Set(report.warnings.map((w) => `${w.rule} ${w.level} ${w.location}`))).toEqual(new Set(['W3005 Warning Resources/Policy/DependsOn/0']));
    expect(linted([file], { ignoreChecks: ['W3005'] })).toEqual({ errors: [], warnings: [] });
  }, 120_000);

  withCfnLint('a Lambda runtime newer than cfn-lint\'s schema is a warning when aws-cdk-lib declares it; an unknown one stays an error', () => {
    const report = sharedRun();
    expect(of(report.errors, runtimes).map((e) => `${e.rule} ${e.location}`)).toEqual(['E3030 Resources/Invented/Properties/Runtime']);
    // Where cfn-lint already knows nodejs26.x there is nothing to downgrade; otherwise it is kept as a warning.
    expect(of(report.warnings, runtimes).filter((w) => w.location === 'Resources/Newest/Properties/Runtime').every((w) => /predates this runtime/.test(w.message))).toBe(true);
  }, 120_000);

  withCfnLint('several templates are linted in one run, each match naming its file', () => {
    const report = sharedRun();
    expect(of(report.errors, bad).length).toBeGreaterThan(0);
    // The valid template has no error; every error names the template it is in.
    expect(new Set(report.errors.map((e) => e.file))).toEqual(new Set([broken, runtimes, bad]));
  }, 120_000);

  test('without cfn-lint on the PATH, the lint is skipped with a message saying so', () => {
    const file = writeTemplate(tempDir(), 'any.template.json', { Resources: {} });
    const result = cfnLint([file], { env: { ...process.env, PATH: tempDir() } });
    expect(result).toEqual({ skipped: expect.stringMatching(/^cfn-lint not installed: skipped \(.*ENOENT.*\)\. Install it with `pip install cfn-lint`/) });
  });

  test('a command name that does not exist is skipped the same way', () => {
    const file = writeTemplate(tempDir(), 'any.template.json', { Resources: {} });
    expect(cfnLint([file], { command: 'cfn-lint-not-on-this-machine' })).toEqual({ skipped: expect.stringContaining('cfn-lint not installed: skipped') });
  });

  test('a command that runs but does not print cfn-lint JSON is an error, not a pass', () => {
    const file = writeTemplate(tempDir(), 'any.template.json', { Resources: {} });
    // node answers --version, then rejects cfn-lint's options.
    expect(() => cfnLint([file], { command: process.execPath })).toThrow(/without JSON output: .*--format/);
  });

  test('an empty list of templates is refused: a lint of nothing cannot fail', () => {
    expect(() => cfnLint([])).toThrow('cfnLint: `templatePaths` is empty: give at least one template to lint.');
  });
});

describe('synthesizedTemplates', () => {
  test('lists every template of a cloud assembly, those of nested assemblies (stages) included', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    new sqs.Queue(new Stack(app, 'Top'), 'Queue');
    const inner = new Stack(new Stage(app, 'Prod'), 'Inner');
    new sqs.Queue(inner, 'Queue');
    app.synth();
    expect(synthesizedTemplates(outdir).map((f) => path.relative(outdir, f))).toEqual([
      'Top.template.json',
      path.join('assembly-Prod', inner.templateFile),
    ]);
  });
});
