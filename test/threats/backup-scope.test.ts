import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, aws_backup as backup, aws_s3 as s3, aws_sagemaker as sagemaker, Stack, Validations } from 'aws-cdk-lib';
import { readThreatModel } from './threat-expectations';
import { SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { ThreatModel } from '../../src/threats/threat-model';

/*
 * A backup plan protects the stores it selects, not every asset of its account: a plan's SecureAI-P17 finding belongs
 * under the threat "unrecoverable compromise" of the assets it backs up. Listed under every asset, an app of n plans
 * and m assets carried n × m entries (about 100,000 and 50 MB of threat model at 4,000 resources).
 */
function synthesize(models: number): { outdir: string; model: ThreatModel } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-scope-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Models', { env: { account: '123456789012', region: 'eu-west-2' } });
  // One unlocked vault in the account: each plan backing up to it is non-compliant with P17.
  const vault = new backup.CfnBackupVault(stack, 'Vault', { backupVaultName: 'unlocked' });
  for (let n = 0; n < models; n++) {
    const bucket = new s3.CfnBucket(stack, `Artifacts${n}`);
    new sagemaker.CfnModel(stack, `Model${n}`, {
      executionRoleArn: 'arn:aws:iam::123456789012:role/sagemaker',
      primaryContainer: { image: '123456789012.dkr.ecr.eu-west-2.amazonaws.com/model@sha256:' + 'a'.repeat(64), modelDataUrl: `s3://${bucket.ref}/model.tar.gz` },
    });
    const plan = new backup.CfnBackupPlan(stack, `Plan${n}`, {
      backupPlan: { backupPlanName: `plan-${n}`, backupPlanRule: [{ ruleName: 'daily', targetBackupVault: vault.ref, scheduleExpression: 'cron(0 5 * * ? *)', lifecycle: { deleteAfterDays: 35 } }] },
    });
    new backup.CfnBackupSelection(stack, `Selection${n}`, {
      backupPlanId: plan.ref,
      backupSelection: { selectionName: `artifacts-${n}`, iamRoleArn: 'arn:aws:iam::123456789012:role/backup', resources: [bucket.attrArn] },
    });
  }
  Validations.of(app).addPlugins(new SecureAiChecks());
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch (e) {
    if ((e as Error).name !== 'ValidationFailed') throw e;
  } finally {
    spy.mockRestore();
  }
  return { outdir, model: readThreatModel(outdir).model };
}

describe('the threat model lists a backup plan\'s findings under the assets the plan backs up', () => {
  let run: { outdir: string; model: ThreatModel };
  beforeAll(() => {
    run = synthesize(3);
  }, 60_000);
  afterAll(() => fs.rmSync(run.outdir, { recursive: true, force: true }));

  test('each model\'s artifact bucket lists the P17 finding of its own plan only', () => {
    const listed = run.model.assets.filter((a) => a.kind === 'artifact').map((a) => ({
      asset: a.name,
      plans: a.threats.find((t) => t.id === 'unrecoverable-compromise')!.open.filter((f) => f.ruleId === 'P17').map((f) => f.resource),
    }));
    expect(listed).toEqual([0, 1, 2].map((n) => ({ asset: expect.stringContaining(`Artifacts${n}`), plans: [`Models/Plan${n}`] })));
  });

  test('the vault a plan writes to is judged under the assets of that plan, and every P17 finding is listed somewhere', () => {
    const all = run.model.assets.flatMap((a) => a.threats.flatMap((t) => t.open)).concat(run.model.otherFindings);
    const p17 = [...new Set(all.filter((f) => f.ruleId === 'P17').map((f) => f.resource))].sort();
    expect(p17).toEqual(expect.arrayContaining(['Models/Plan0', 'Models/Plan1', 'Models/Plan2']));
  });
});
