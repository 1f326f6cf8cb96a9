import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { applicableRuleFiles, guardWithAllRules, typesNamedBy, typesOfTemplates } from './control-tower-rules';

const RULES = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');

interface GuardReport {
  readonly success: boolean;
  readonly violations: Array<{ ruleName: string }>;
}
interface Guard {
  execGuard(config: { templatePaths: string[]; rulePaths: string[] }): GuardReport;
}

/** A stack that breaks Control Tower rules of several services, and a type no rule names. */
function insecureTemplate(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'control-tower-rules-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Insecure');
  new s3.Bucket(stack, 'Bucket');
  new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
  new lambda.Function(stack, 'Function', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = 1') });
  new iam.ManagedPolicy(stack, 'Admin', { statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })] });
  app.synth();
  return path.join(outdir, 'Insecure.template.json');
}

/** The violations in a comparable order, with everything the plugin reports of them. */
const sorted = (report: GuardReport) => report.violations.map((v) => JSON.stringify(v)).sort();

describe('the Control Tower rules a compliance check runs (test/control-tower-rules.ts)', () => {
  const template = insecureTemplate();
  afterAll(() => fs.rmSync(path.dirname(template), { recursive: true, force: true }));

  test('the applicable rule files give exactly the findings of all 474, in a fraction of the runs', () => {
    const validator = new CfnGuardValidator();
    const config = { templatePaths: [template], rulePaths: [RULES] };
    const all = guardWithAllRules(validator, config) as GuardReport;
    const applicable = (validator as unknown as Guard).execGuard(config);
    expect(all.violations.length).toBeGreaterThanOrEqual(4);
    expect(sorted(applicable)).toEqual(sorted(all));
    expect(applicable.success).toBe(all.success);
    const files = applicableRuleFiles([RULES], typesOfTemplates([template]));
    expect(files.length).toBeGreaterThan(20);
    expect(files.length).toBeLessThan(200);
  });

  test('a rule file is run when it names a type of the templates or names none; the plugin\'s disabled rules stay disabled', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'control-tower-rules-'));
    try {
      for (const [name, text] of [['bucket.guard', "let b = Resources.*[ Type == 'AWS::S3::Bucket' ]"], ['table.guard', 'let t = Resources.*[ Type == "AWS::DynamoDB::Table" ]'], ['any.guard', 'rule any { Resources !empty }']]) {
        fs.writeFileSync(path.join(dir, name), text);
      }
      expect(applicableRuleFiles([dir], new Set(['AWS::S3::Bucket'])).map((f) => path.basename(f))).toEqual(['any.guard', 'bucket.guard']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect([...typesNamedBy("let x = %y\nType in ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate']")]).toEqual(['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate']);
    const bucketRule = 'ct-s3-pr-1';
    const config = { templatePaths: [template], rulePaths: [RULES] };
    const enabled = (new CfnGuardValidator() as unknown as Guard).execGuard(config).violations.map((v) => v.ruleName);
    const disabled = (new CfnGuardValidator({ disabledRules: [bucketRule] }) as unknown as Guard).execGuard(config).violations.map((v) => v.ruleName);
    expect(enabled.filter((r) => !disabled.includes(r))).toEqual(['s3_bucket_level_public_access_prohibited_check']);
  });
});
