import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { DEPRECATED_LAMBDA_RUNTIMES } from '../../../../src/nag/rules/operation/supported-platforms';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, stackOf, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const notebook = (platform?: unknown) => ({
  Type: 'AWS::SageMaker::NotebookInstance',
  Properties: { InstanceType: 'ml.t3.medium', RoleArn: 'arn:aws:iam::111122223333:role/nb', PlatformIdentifier: platform },
});
const group = (name: string, extra: Record<string, unknown> = {}) => ({
  InstanceGroupName: name,
  InstanceType: 'ml.p5.48xlarge',
  InstanceCount: 2,
  ExecutionRole: 'arn:aws:iam::111122223333:role/hp',
  LifeCycleConfig: { SourceS3Uri: 's3://lc/', OnCreate: 'on_create.sh' },
  ...extra,
});
const SCHEDULED = { ScheduledUpdateConfig: { ScheduleExpression: 'cron(0 4 ? * SUN *)' } };
const cluster = (groups: unknown) => ({ Type: 'AWS::SageMaker::Cluster', Properties: { ClusterName: 'c', InstanceGroups: groups } });
const executorAgent = (): Resources => ({
  Agent: {
    Type: 'AWS::Bedrock::Agent',
    Properties: { AgentName: 'a', ActionGroups: [{ ActionGroupName: 'g', ActionGroupExecutor: { Lambda: { 'Fn::GetAtt': ['Executor', 'Arn'] } } }] },
  },
});
const fn = (extra: Record<string, unknown>) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Handler: 'i.h', Code: { ZipFile: 'x' }, Role: 'arn:aws:iam::111122223333:role/fn', ...extra },
});
const LIFECYCLE = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 10 }, action: { type: 'expire' } }] });
const repository = (lifecycle: unknown, tags?: unknown) => ({ Type: 'AWS::ECR::Repository', Properties: { LifecyclePolicy: lifecycle, Tags: tags } });

describe('O10 supported platforms and automated updates', () => {
  describe('notebook instances', () => {
    test('compliant: a supported platform (default list, and one given as a parameter)', () => {
      const run = validate({ Resources: { Notebook: notebook('notebook-al2023-v1') } });
      expect(verdictOf(run, 'O10', 'Notebook')).toBe('none');
      expect(run.tally('O10')).toMatchObject({ evaluated: 1, compliant: 1 });
      expect(verdictOf(validate({ Resources: { Notebook: notebook('notebook-al2-v2') } }, { supportedNotebookPlatforms: ['notebook-al2-v2'] }), 'O10', 'Notebook'))
        .toBe('none');
    });

    test('non-compliant: an unsupported platform, or none (CloudFormation default notebook-al2-v2)', () => {
      const old = validate({ Resources: { Notebook: notebook('notebook-al1-v1') } });
      expect(verdictOf(old, 'O10', 'Notebook')).toBe('non-compliant');
      expect(old.of('O10')[0]).toMatchObject({ ruleName: 'SecureAI-O10', level: 'warning', locations: ['Properties.PlatformIdentifier'] });
      const absent = validate({ Resources: { Notebook: notebook() } });
      expect(absent.of('O10')[0].message).toMatch(/PlatformIdentifier is absent \(CloudFormation default notebook-al2-v2\).*supportedNotebookPlatforms: notebook-al2023-v1, notebook-al2-v3/);
    });

    test('intrinsic and unverifiable', () => {
      expect(verdictOf(validate({ Resources: { Notebook: notebook(ifElse('notebook-al2023-v1', 'notebook-al2-v1')) } }), 'O10', 'Notebook')).toBe('non-compliant');
      const parameter = (Default: string, AllowedValues?: string[]) => validate({ Parameters: { Platform: { Default, AllowedValues } }, Resources: { Notebook: notebook({ Ref: 'Platform' }) } });
      expect(verdictOf(parameter('notebook-al2-v3'), 'O10', 'Notebook')).toBe('none');
      expect(verdictOf(parameter('notebook-al2-v3', ['notebook-al2-v3', 'notebook-al2-v1']), 'O10', 'Notebook')).toBe('parameter');
      const unknown = validate({ Resources: { Notebook: notebook(imported('platform')) } });
      expect(verdictOf(unknown, 'O10', 'Notebook')).toBe('unverifiable');
      expect(unknown.of('O10')[0]).toMatchObject({ ruleName: 'SecureAI-O10[unverifiable]', level: 'warning' });
    });
  });

  describe('HyperPod clusters', () => {
    test('compliant: every instance group has a scheduled AMI update or auto-patching', () => {
      const run = validate({ Resources: { Cluster: cluster([group('workers', SCHEDULED), group('controller', { AutoPatchConfig: { PatchingStrategy: 'WhenIdle' } })]) } });
      expect(verdictOf(run, 'O10', 'Cluster')).toBe('none');
    });

    test('non-compliant: one group without patching is named', () => {
      const run = validate({ Resources: { Cluster: cluster([group('workers', SCHEDULED), group('controller')]) } });
      expect(verdictOf(run, 'O10', 'Cluster')).toBe('non-compliant');
      expect(run.of('O10')[0].locations).toEqual(['Properties.InstanceGroups[1]']);
      expect(run.of('O10')[0].message).toMatch(/InstanceGroups\[1\] \("controller"\) has neither ScheduledUpdateConfig/);
    });

    test('intrinsic and unverifiable', () => {
      expect(verdictOf(validate({ Resources: { Cluster: cluster([group('w', { ScheduledUpdateConfig: ifElse(SCHEDULED.ScheduledUpdateConfig, NO_VALUE) })]) } }), 'O10', 'Cluster'))
        .toBe('non-compliant');
      expect(verdictOf(validate({ Resources: { Cluster: cluster(imported('groups')) } }), 'O10', 'Cluster')).toBe('unverifiable');
      expect(verdictOf(validate({ Resources: { Cluster: cluster([group('w', { ScheduledUpdateConfig: { ScheduleExpression: imported('cron') } })]) } }), 'O10', 'Cluster'))
        .toBe('none');
    });
  });

  describe('Lambda functions of the AI system', () => {
    test('compliant: an agent executor on a supported runtime', () => {
      const run = validate({ Resources: { ...executorAgent(), Executor: fn({ Runtime: 'python3.13' }) } });
      expect(verdictOf(run, 'O10', 'Executor')).toBe('none');
      expect(run.tally('O10')).toMatchObject({ compliant: 1 });
    });

    test('non-compliant: a deprecated runtime, with the month it was deprecated', () => {
      for (const runtime of ['python3.9', 'nodejs18.x', 'NODEJS20.X', 'java8', 'go1.x']) {
        const run = validate({ Resources: { ...executorAgent(), Executor: fn({ Runtime: runtime }) } });
        expect(verdictOf(run, 'O10', 'Executor')).toBe('non-compliant');
        expect(run.of('O10')[0].message).toMatch(/which Lambda deprecated in \d{4}-\d{2}.*part of the AI system: referenced by AWS::Bedrock::Agent Agent/);
      }
    });

    test('non-compliant: runtime updates pinned to Manual', () => {
      const run = validate({ Resources: { ...executorAgent(), Executor: fn({ Runtime: 'python3.13', RuntimeManagementConfig: { UpdateRuntimeOn: 'Manual', RuntimeVersionArn: 'arn:x' } }) } });
      expect(run.of('O10')[0].locations).toEqual(['Properties.RuntimeManagementConfig.UpdateRuntimeOn']);
    });

    test('not applicable: functions outside the AI system, and container-image functions', () => {
      const run = validate({ Resources: { Plain: fn({ Runtime: 'python3.8' }), ...executorAgent(), Executor: fn({ Runtime: undefined, PackageType: 'Image', Code: { ImageUri: 'x' } }) } });
      expect(run.tally('O10')).toMatchObject({ evaluated: 2, notApplicable: 2 });
    });

    test('intrinsic and unverifiable', () => {
      expect(verdictOf(validate({ Resources: { ...executorAgent(), Executor: fn({ Runtime: ifElse('python3.13', 'python3.8') }) } }), 'O10', 'Executor')).toBe('non-compliant');
      const parameter = validate({ Parameters: { Runtime: { Default: 'nodejs16.x' } }, Resources: { ...executorAgent(), Executor: fn({ Runtime: { Ref: 'Runtime' } }) } });
      expect(parameter.of('O10')[0].message).toMatch(/parameter Runtime/);
      expect(verdictOf(validate({ Resources: { ...executorAgent(), Executor: fn({ Runtime: imported('runtime') }) } }), 'O10', 'Executor')).toBe('unverifiable');
    });

    test('the documented list holds only identifiers with a month', () => {
      for (const [runtime, month] of DEPRECATED_LAMBDA_RUNTIMES) {
        expect(runtime).toMatch(/^[a-z]+[\d.]*[a-z0-9.-]*$/);
        expect(month).toMatch(/^20\d{2}-(0[1-9]|1[0-2])$/);
      }
      expect(DEPRECATED_LAMBDA_RUNTIMES.has('python3.13')).toBe(false);
    });
  });

  describe('ECR repositories', () => {
    const aiStack = (repo: unknown) => validate({ Resources: { Repo: repo as never, Model: { Type: 'AWS::SageMaker::Model', Properties: { ExecutionRoleArn: 'r' } } } });

    test('compliant: a lifecycle policy with rules in a stack with AI resources', () => {
      expect(verdictOf(aiStack(repository({ LifecyclePolicyText: LIFECYCLE })), 'O10', 'Repo')).toBe('none');
    });

    test('non-compliant: no lifecycle policy, or one without rules', () => {
      const none = aiStack(repository(undefined));
      expect(verdictOf(none, 'O10', 'Repo')).toBe('non-compliant');
      expect(none.of('O10')[0].locations).toEqual(['Properties.LifecyclePolicy.LifecyclePolicyText']);
      expect(verdictOf(aiStack(repository({ LifecyclePolicyText: '{"rules":[]}' })), 'O10', 'Repo')).toBe('non-compliant');
    });

    test('an AI-asset repository in a stack without AI resources; other repositories are not applicable', () => {
      expect(verdictOf(validate({ Resources: { Repo: repository(undefined, [{ Key: 'ai:asset', Value: 'true' }]) } }), 'O10', 'Repo')).toBe('non-compliant');
      expect(validate({ Resources: { Repo: repository(undefined) } }).tally('O10')).toMatchObject({ notApplicable: 1 });
    });

    test('a stack whose AI resources are not created holds no AI images; their parameter warns, and a second stack\'s AI resources do not count', () => {
      const model = { Type: 'AWS::SageMaker::Model', Properties: { ExecutionRoleArn: 'r' } };
      const fixture = (Default: string) => ({
        Parameters: { Models: { Default, AllowedValues: ['on', 'off'] } },
        Conditions: { ModelsOn: { 'Fn::Equals': [{ Ref: 'Models' }, 'on'] } },
        Resources: { Repo: repository(undefined) as never, Model: { ...model, Condition: 'ModelsOn' } },
      });
      expect(validate(fixture('off')).of('O10').map((f) => [f.ruleName, f.logicalId])).toEqual([['SecureAI-O10[parameter]', 'Repo']]);
      expect(verdictOf(validate(fixture('on')), 'O10', 'Repo')).toBe('non-compliant');
      const app = new App();
      stackOf(fixture('off'), app, 'Images');
      stackOf({ Resources: { Model: model } }, app, 'Models');
      const run = new ValidationRun(new SecureAiChecks().validateScope(app));
      expect(run.of('O10').map((f) => [f.ruleName, f.stackPath])).toEqual([['SecureAI-O10[parameter]', 'Images']]);
    });

    test('intrinsic and unverifiable', () => {
      expect(verdictOf(aiStack(repository(ifElse({ LifecyclePolicyText: LIFECYCLE }, NO_VALUE))), 'O10', 'Repo')).toBe('non-compliant');
      expect(verdictOf(aiStack(repository({ LifecyclePolicyText: imported('policy') })), 'O10', 'Repo')).toBe('none');
      expect(verdictOf(aiStack(repository(imported('lifecycle'))), 'O10', 'Repo')).toBe('unverifiable');
    });
  });

  test('reads what the CDK constructs render', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new sagemaker.CfnNotebookInstance(stack, 'Notebook', { instanceType: 'ml.t3.medium', roleArn: 'arn:aws:iam::1:role/x' });
    new ecr.Repository(stack, 'Images', { lifecycleRules: [{ maxImageCount: 20 }] });
    const executor = new lambda.Function(stack, 'Executor', { runtime: lambda.Runtime.PYTHON_3_9, handler: 'i.h', code: lambda.Code.fromInline('x') });
    new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: 'arn:aws:iam::1:role/x', primaryContainer: { environment: { EXECUTOR: executor.functionArn } } });
    const run = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(run.of('O10').map((f) => f.resourceType).sort()).toEqual(['AWS::Lambda::Function', 'AWS::SageMaker::NotebookInstance']);
  });
});
