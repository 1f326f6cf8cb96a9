import { App, aws_codebuild as codebuild, aws_kms as kms, aws_lambda as lambda, aws_sagemaker as sagemaker, SecretValue, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const project = (environment: Record<string, unknown> = {}, properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::CodeBuild::Project',
  Properties: {
    Artifacts: { Type: 'NO_ARTIFACTS' },
    ServiceRole: 'arn:aws:iam::111122223333:role/build',
    Source: { Type: 'NO_SOURCE', BuildSpec: 'version: 0.2' },
    Environment: { ComputeType: 'BUILD_GENERAL1_SMALL', Image: 'aws/codebuild/standard:7.0', Type: 'LINUX_CONTAINER', ...environment },
    EncryptionKey: KEY,
    ...properties,
  },
});
/** An app with an AI resource, so that its build projects are in scope. */
const app = (resources: Resources, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters, Resources: { Group: { Type: 'AWS::SageMaker::ModelPackageGroup', Properties: { ModelPackageGroupName: 'g' } }, ...resources },
});
const build = (environment?: Record<string, unknown>, properties?: Record<string, unknown>) =>
  validate(app({ Build: project(environment, properties) }));
const variables = (...vars: unknown[]) => ({ EnvironmentVariables: vars });
const model = (environment: unknown) => ({
  Type: 'AWS::SageMaker::Model', Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: { Image: 'img', Environment: environment } },
});

describe('V5 hardened build environments and no plain-text secrets', () => {
  test('compliant: unprivileged, customer-managed key, default logs, secrets passed by reference', () => {
    const run = build(variables(
      { Name: 'DB_PASSWORD', Type: 'SECRETS_MANAGER', Value: 'prod/db:password' },
      { Name: 'HF_TOKEN', Type: 'PARAMETER_STORE', Value: '/ml/hf-token' },
      { Name: 'MODEL_NAME', Value: 'fraud-v3' },
      { Name: 'API_KEY_SECRET_ARN', Value: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:k' },
    ));
    expect(verdictOf(run, 'V5', 'Build')).toBe('none');
    expect(run.tally('V5')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('not applicable: build projects of apps without AI resources', () => {
    expect(validate({ Resources: { Build: project({ PrivilegedMode: true }) } }).tally('V5')).toMatchObject({ notApplicable: 1 });
  });

  test('non-compliant: privileged mode, no key or an AWS-managed key, logs switched off', () => {
    const privileged = build({ PrivilegedMode: true });
    expect(privileged.of('V5')[0]).toMatchObject({ ruleName: 'SecureAI-V5', level: 'error', locations: ['Properties.Environment.PrivilegedMode'] });
    expect(privileged.of('V5')[0].message).toMatch(/acknowledge this finding with a reason if the project builds container images/);
    expect(build({}, { EncryptionKey: undefined }).of('V5')[0].message).toMatch(/EncryptionKey is absent \(CodeBuild uses the AWS-managed aws\/s3 key\)/);
    expect(build({}, { EncryptionKey: 'alias/aws/s3' }).of('V5')[0].message).toMatch(/AWS-managed key/);
    expect(verdictOf(build({}, { LogsConfig: { CloudWatchLogs: { Status: 'DISABLED' } } }), 'V5', 'Build')).toBe('non-compliant');
    expect(verdictOf(build({}, { LogsConfig: { CloudWatchLogs: { Status: 'DISABLED' }, S3Logs: { Status: 'ENABLED', Location: 'b/logs' } } }), 'V5', 'Build')).toBe('none');
    expect(verdictOf(build({}, { LogsConfig: { CloudWatchLogs: { Status: 'ENABLED', GroupName: 'g' } } }), 'V5', 'Build')).toBe('none');
  });

  test('non-compliant: plain-text credentials in build variables (untyped is PLAINTEXT) and in an inline buildspec', () => {
    for (const variable of [
      { Name: 'AWS_ACCESS_KEY_ID', Type: 'PLAINTEXT', Value: 'AKIAIOSFODNN7EXAMPLE' },
      { Name: 'AWS_SECRET_ACCESS_KEY', Value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      { Name: 'DB_PASSWORD', Value: 'hunter2hunter2' },
      { Name: 'OpenAiApiKey', Value: 'some-literal-key' },
      { Name: 'NOTES', Value: 'token hf_abcdefghijklmnopqrstuvwxyzABCDEFGH' },
    ]) {
      const run = build(variables(variable));
      expect(verdictOf(run, 'V5', 'Build')).toBe('non-compliant');
      expect(run.of('V5')[0].message).toContain(`variable ${variable.Name}`);
      expect(run.of('V5')[0].message).not.toContain(variable.Value);
    }
    const spec = build({}, { Source: { Type: 'NO_SOURCE', BuildSpec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - curl -H "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123" https://x' } });
    expect(spec.of('V5')[0].message).toMatch(/Source.BuildSpec holds a bearer token/);
    expect(verdictOf(build(variables({ Name: 'TOKEN_TTL', Value: '3600' }, { Name: 'SECRET_NAME', Value: 'prod/db' }, { Name: 'PASSWORD_REQUIRED', Value: 'true' })), 'V5', 'Build'))
      .toBe('none');
  });

  test('the same check on model containers, AgentCore runtimes and AI functions; a resolved secret is plain text too', () => {
    expect(verdictOf(validate({ Resources: { Model: model({ HF_TOKEN: 'hf_abcdefghijklmnopqrstuvwxyz0123456789' }) } }), 'V5', 'Model')).toBe('non-compliant');
    expect(verdictOf(validate({ Resources: { Model: model({ DB_URL: 'postgres://admin:s3cretpw@db.internal:5432/app' }) } }), 'V5', 'Model')).toBe('non-compliant');
    const benign = { SAGEMAKER_PROGRAM: 'serve.py', HF_MODEL_ID: '/opt/ml/model', MAX_TOTAL_TOKENS: '8192', HF_TOKENIZER: 'meta-llama/Llama-3-8B', TOKENIZERS_PARALLELISM: 'false' };
    expect(verdictOf(validate({ Resources: { Model: model(benign) } }), 'V5', 'Model')).toBe('none');
    const runtime = validate({ Resources: { R: { Type: 'AWS::BedrockAgentCore::Runtime', Properties: { EnvironmentVariables: { OPENAI_API_KEY: 'sk-proj-abcdefghijklmnopqrstuvwxyz' } } } } });
    expect(verdictOf(runtime, 'V5', 'R')).toBe('non-compliant');
    const tool = (vars: Record<string, unknown>) => validate({
      Resources: {
        Tool: { Type: 'AWS::Lambda::Function', Properties: { Role: 'arn:aws:iam::111122223333:role/x', Code: { ZipFile: 'x' }, Environment: { Variables: vars } } },
        Agent: { Type: 'AWS::Bedrock::Agent', Properties: { ActionGroups: [{ ActionGroupName: 'g', ActionGroupExecutor: { Lambda: { 'Fn::GetAtt': ['Tool', 'Arn'] } } }] } },
      },
    });
    const resolved = tool({ CRM_PASSWORD: '{{resolve:secretsmanager:crm:SecretString:password}}' });
    expect(verdictOf(resolved, 'V5', 'Tool')).toBe('non-compliant');
    expect(resolved.of('V5')[0].message).toMatch(/dynamic reference.*the function is an AI workload: Lambda Tool, used by AWS::Bedrock::Agent Agent/);
    expect(verdictOf(tool({ CRM_SECRET_ARN: { Ref: 'Agent' } }), 'V5', 'Tool')).toBe('none');
    // A password under a short name, and a Basic credential under a name that reads as a reference, are secrets too.
    expect(verdictOf(tool({ DB_PASS: 'hunter2hunter2' }), 'V5', 'Tool')).toBe('non-compliant');
    const basic = tool({ CRM_AUTH_HEADER: 'Basic YWRtaW46czNjcmV0cHc=' });
    expect(verdictOf(basic, 'V5', 'Tool')).toBe('non-compliant');
    expect(basic.of('V5')[0].message).toMatch(/CRM_AUTH_HEADER holds an HTTP Basic credential/);
    expect(tool({ API_KEY: '{{resolve:ssm-secure:/crm/key}}' }).of('V5')[0].message).toMatch(/\{\{resolve:ssm-secure:…\}\}/);
    const plain = validate({ Resources: { Plain: { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'x' }, Environment: { Variables: { DB_PASSWORD: 'hunter2hunter2' } } } } } });
    expect(plain.tally('V5')).toMatchObject({ notApplicable: 1 });
  });

  test('functions that a state machine running SageMaker or Bedrock tasks invokes hold no plain-text secrets', () => {
    const pipeline = (vars: unknown, task = 'arn:aws:states:::bedrock:invokeModel', via = 'Prepare') => validate({
      Resources: {
        Prepare: { Type: 'AWS::Lambda::Function', Properties: { Role: 'arn:aws:iam::111122223333:role/x', Code: { ZipFile: 'x' }, Environment: { Variables: vars } } },
        Live: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Prepare' }, FunctionVersion: '$LATEST', Name: 'live' } },
        Workflow: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            RoleArn: 'arn:aws:iam::111122223333:role/sfn',
            DefinitionString: {
              'Fn::Join': ['', ['{"StartAt":"Prepare","States":{"Prepare":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",',
                '"Parameters":{"FunctionName":"', { Ref: via }, `"},"Next":"Ask"},"Ask":{"Type":"Task","Resource":"${task}","End":true}}}`]],
            },
          },
        },
      },
    });
    const secret = pipeline({ HF_TOKEN: 'hf_' + 'a'.repeat(34) });
    expect(verdictOf(secret, 'V5', 'Prepare')).toBe('non-compliant');
    expect(secret.of('V5')[0].message).toMatch(/Lambda Prepare, invoked by state machine Workflow, which runs SageMaker or Bedrock tasks/);
    expect(verdictOf(pipeline({ HF_TOKEN: 'hf_' + 'a'.repeat(34) }, 'arn:aws:states:::sagemaker:createTrainingJob.sync', 'Live'), 'V5', 'Prepare')).toBe('non-compliant');
    expect(verdictOf(pipeline({ HF_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:hf' }), 'V5', 'Prepare')).toBe('none');
    expect(verdictOf(pipeline({ HF_TOKEN: { 'Fn::ImportValue': 'hf-token' } }), 'V5', 'Prepare')).toBe('unverifiable');
    expect(verdictOf(pipeline({ HF_TOKEN: ifElse('{{resolve:ssm:/hf}}', 'hf_' + 'b'.repeat(34)) }), 'V5', 'Prepare')).toBe('non-compliant');
    // A state machine without AI tasks does not make its functions AI workloads.
    const plain = pipeline({ HF_TOKEN: 'hf_' + 'a'.repeat(34) }, 'arn:aws:states:::sns:publish');
    expect(plain.tally('V5')).toMatchObject({ notApplicable: 1 });
  });

  test('intrinsic: Fn::If with a privileged branch; a secret from a parameter default; Fn::Join building a URL with a password', () => {
    expect(verdictOf(build({ PrivilegedMode: ifElse(false, true) }), 'V5', 'Build')).toBe('non-compliant');
    const param = validate(app({ Build: project(variables({ Name: 'DB_PASSWORD', Value: { Ref: 'Pw' } })) }, { Pw: { Default: 'changeme123' } }));
    expect(verdictOf(param, 'V5', 'Build')).toBe('non-compliant');
    expect(param.of('V5')[0].message).toMatch(/parameter Pw/);
    const joined = { 'Fn::Join': ['', ['mongodb://app:Passw0rd@', { 'Fn::GetAtt': ['Group', 'ModelPackageGroupArn'] }]] };
    expect(verdictOf(validate(app({ Model: model({ DB: joined }) })), 'V5', 'Model')).toBe('non-compliant');
    expect(verdictOf(validate(app({ Model: model(ifElse({ A: 'b' }, { API_KEY: 'literal-key-1' })) })), 'V5', 'Model')).toBe('non-compliant');
  });

  test('intrinsic: a finding names the parameters of the secret it is about, not those of the other variables', () => {
    const parameters = { Table: { Default: 'items' }, Pw: { Default: 'changeme123' } };
    const tool = (vars: Record<string, unknown>) => validate({
      Parameters: parameters,
      Resources: {
        Tool: { Type: 'AWS::Lambda::Function', Properties: { Role: 'arn:aws:iam::111122223333:role/x', Code: { ZipFile: 'x' }, Environment: { Variables: vars } } },
        Agent: { Type: 'AWS::Bedrock::Agent', Properties: { ActionGroups: [{ ActionGroupName: 'g', ActionGroupExecutor: { Lambda: { 'Fn::GetAtt': ['Tool', 'Arn'] } } }] } },
      },
    });
    expect(tool({ DB_PASSWORD: 'hunter2hunter2', TABLE: { Ref: 'Table' } }).of('V5')[0].message).not.toMatch(/parameter/);
    expect(tool({ DB_PASSWORD: { Ref: 'Pw' }, TABLE: { Ref: 'Table' } }).of('V5')[0].message).toMatch(/\(with the value of parameter Pw\)/);
    const codeBuild = validate(app({ Build: project(variables({ Name: 'DB_PASSWORD', Value: 'hunter2hunter2' }, { Name: 'TABLE', Value: { Ref: 'Table' } })) }, parameters));
    expect(codeBuild.of('V5')[0].message).not.toMatch(/parameter/);
  });

  test('intrinsic: a container\'s secret finding names the parameters of its environment, not those of its image', () => {
    const parameters = { ImageUri: { Default: 'img' } };
    const container = validate({
      Parameters: parameters,
      Resources: {
        Model: {
          Type: 'AWS::SageMaker::Model',
          Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: { Image: { Ref: 'ImageUri' }, Environment: { DB_PASSWORD: 'hunter2hunter2' } } },
        },
      },
    });
    expect(container.of('V5')[0].message).toMatch(/DB_PASSWORD/);
    expect(container.of('V5')[0].message).not.toMatch(/parameter/);
  });

  test('unverifiable: a credential-named variable with an imported value; an imported key; an imported environment', () => {
    const run = build(variables({ Name: 'DB_PASSWORD', Value: imported('db-password') }));
    expect(verdictOf(run, 'V5', 'Build')).toBe('unverifiable');
    expect(run.of('V5')[0]).toMatchObject({ ruleName: 'SecureAI-V5[unverifiable]', level: 'warning' });
    expect(verdictOf(build({ PrivilegedMode: imported('privileged') }), 'V5', 'Build')).toBe('unverifiable');
    expect(verdictOf(validate({ Resources: { Model: model(imported('env')) } }), 'V5', 'Model')).toBe('unverifiable');
    expect(verdictOf(build({}, { EncryptionKey: imported('key') }), 'V5', 'Build')).toBe('none');
  });

  test('real CDK output: codebuild.Project with a plaintext secret, a CfnModel and a Lambda with SecretValue in its environment', () => {
    const cdkApp = new App();
    const stack = new Stack(cdkApp, 'S');
    new sagemaker.CfnModelPackageGroup(stack, 'Group', { modelPackageGroupName: 'g' });
    new codebuild.Project(stack, 'Build', {
      buildSpec: codebuild.BuildSpec.fromObject({ version: '0.2' }),
      encryptionKey: new kms.Key(stack, 'Key'),
      environmentVariables: {
        HF_TOKEN: { value: 'hf_abcdefghijklmnopqrstuvwxyz0123456789' },
        DB: { type: codebuild.BuildEnvironmentVariableType.SECRETS_MANAGER, value: 'prod/db' },
      },
    });
    const tool = new lambda.Function(stack, 'Tool', {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: 'i.h',
      code: lambda.Code.fromInline('x'),
      environment: { API_TOKEN: SecretValue.secretsManager('crm').unsafeUnwrap() },
    });
    new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: 'arn:aws:iam::111122223333:role/x', primaryContainer: { image: 'x', environment: { MODEL: tool.functionName } } });
    const run = new ValidationRun(new SecureAiChecks().validateScope(cdkApp));
    expect(run.of('V5').map((f) => f.resourceType).sort()).toEqual(['AWS::CodeBuild::Project', 'AWS::Lambda::Function']);
  });

  test('malformed values never throw', () => {
    const run = validate(app({
      Build: project({ EnvironmentVariables: 'x', PrivilegedMode: { a: 1 } }, { LogsConfig: 'x', Source: { BuildSpec: 4 } }),
      Build2: project(variables(1, { Name: 2 }, { Name: 'X_TOKEN', Type: 7, Value: 'abc123def' })),
      Model: model('x'),
      R: { Type: 'AWS::BedrockAgentCore::Runtime', Properties: { EnvironmentVariables: [1] } },
    }));
    expect(run.tally('V5').errors).toBe(0);
  });
});
