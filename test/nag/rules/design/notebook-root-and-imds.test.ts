import { App, Stack } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { TemplateFixture, ifElse, imported, validate, ValidationRun, verdictOf } from '../../harness';

const IMDS = { MinimumInstanceMetadataServiceVersion: '2' };
const notebook = (properties: Record<string, unknown>) => ({
  Type: 'AWS::SageMaker::NotebookInstance',
  Properties: { InstanceType: 'ml.t3.medium', RoleArn: 'arn:aws:iam::111122223333:role/n', RootAccess: 'Disabled', InstanceMetadataServiceConfiguration: IMDS, ...properties },
});
const run = (properties: Record<string, unknown>, parameters?: TemplateFixture['Parameters']) => validate({ Parameters: parameters, Resources: { Notebook: notebook(properties) } });

describe('D13 notebook instances deny root access and require IMDSv2', () => {
  test('compliant: root disabled and IMDSv2 (string or number)', () => {
    const result = run({});
    expect(verdictOf(result, 'D13', 'Notebook')).toBe('none');
    expect(result.tally('D13')).toMatchObject({ compliant: 1 });
    expect(verdictOf(run({ InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: 2 }, RootAccess: 'DISABLED' }), 'D13', 'Notebook')).toBe('none');
  });

  test('non-compliant: the CloudFormation defaults (RootAccess Enabled, IMDS version 1)', () => {
    const result = run({ RootAccess: undefined, InstanceMetadataServiceConfiguration: undefined });
    expect(verdictOf(result, 'D13', 'Notebook')).toBe('non-compliant');
    const finding = result.of('D13')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-D13', level: 'error' });
    expect(finding.locations).toEqual(['Properties.RootAccess', 'Properties.InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion']);
    expect(finding.message).toMatch(/RootAccess is absent \(CloudFormation default Enabled\)/);
    expect(finding.message).toMatch(/MinimumInstanceMetadataServiceVersion is absent \(CloudFormation default "1"\)/);
  });

  test('non-compliant: each setting on its own', () => {
    const root = run({ RootAccess: 'Enabled' });
    expect(root.of('D13')[0].message).toMatch(/RootAccess is "Enabled"/);
    expect(root.of('D13')[0].message).not.toMatch(/InstanceMetadata/);
    const imds = run({ InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: '1' } });
    expect(imds.of('D13')[0].message).toMatch(/MinimumInstanceMetadataServiceVersion is "1"/);
    expect(imds.of('D13')[0].message).not.toMatch(/RootAccess/);
  });

  test('intrinsic: Fn::If with an insecure branch; parameter allowed values', () => {
    const conditional = run({ RootAccess: ifElse('Disabled', 'Enabled') });
    expect(verdictOf(conditional, 'D13', 'Notebook')).toBe('non-compliant');
    expect(conditional.of('D13')[0].message).toMatch(/possible forms/);
    const param = (AllowedValues: string[]) => run({ InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: { Ref: 'Imds' } } }, { Imds: { AllowedValues } });
    expect(verdictOf(param(['2']), 'D13', 'Notebook')).toBe('none');
    expect(verdictOf(param(['1', '2']), 'D13', 'Notebook')).toBe('unverifiable');
    expect(param(['1', '2']).of('D13')[0].message).toMatch(/parameter Imds/);
  });

  test('unverifiable: imported values', () => {
    const root = run({ RootAccess: imported('root') });
    expect(verdictOf(root, 'D13', 'Notebook')).toBe('unverifiable');
    expect(root.of('D13')[0]).toMatchObject({ ruleName: 'SecureAI-D13[unverifiable]', level: 'warning' });
    expect(verdictOf(run({ InstanceMetadataServiceConfiguration: imported('imds') }), 'D13', 'Notebook')).toBe('unverifiable');
  });

  test('real CDK output: CfnNotebookInstance', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const roleArn = 'arn:aws:iam::111122223333:role/n';
    new sagemaker.CfnNotebookInstance(stack, 'Hardened', {
      instanceType: 'ml.t3.medium', roleArn, rootAccess: 'Disabled', instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: '2' },
    });
    new sagemaker.CfnNotebookInstance(stack, 'Unhardened', { instanceType: 'ml.t3.medium', roleArn });
    const result = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(result.of('D13').map((f) => f.constructPath)).toEqual(['S/Unhardened']);
  });
});
