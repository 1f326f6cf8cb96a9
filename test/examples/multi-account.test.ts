import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { cfnLint, describeMatches, synthesizedTemplates } from './cfn-lint';
import { buildMultiAccount, DEFAULT_ACCOUNTS, registerPacks } from '../../examples/multi-account/app';
import { IMAGE_PULL_ACTIONS } from '../../examples/multi-account/development-stage';
import * as pipelineAcknowledgments from '../../examples/multi-account/pipeline-acknowledgments';
import { DeliveryPipelineStack } from '../../examples/multi-account/pipeline-stack';
import { dependenciesBelow, entriesOfKind, missingFromBom, readBom, schemaErrors } from '../bom/bom-expectations';
import { canaryFindings, checkCompliance, ComplianceResult, isReasoned, openPluginViolations, passedSynthesis, silentPacks } from '../compliance';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'multi-account');
const { toolingAccount: TOOLING, developmentAccount: DEVELOPMENT, productionAccount: PRODUCTION, region: REGION } = DEFAULT_ACCOUNTS;
const GROUP_ARN = `arn:aws:sagemaker:${REGION}:${DEVELOPMENT}:model-package-group/fraud-scoring`;
/** How a policy renders an account principal. */
const root = (account: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] });

type Statement = { Sid?: string; Effect: string; Principal?: unknown; Action: string | string[]; Condition?: unknown };
const statementsOf = (template: Template, type: string, property: string): Statement[] =>
  Object.values(template.findResources(type)).flatMap((r) => (r.Properties?.[property]?.Statement ?? []) as Statement[]);
/** The statements that name any account but the template's own, by principal. */
const crossAccount = (statements: Statement[], own: string) => statements.filter((s) => {
  const text = JSON.stringify(s.Principal ?? '');
  return /:iam::\d{12}:/.test(text) && !text.includes(`:iam::${own}:`);
});

describe('examples/multi-account', () => {
  // One synthesis for the compliance tests and those of the synthesized app: as `npx cdk synth` does it from the
  // folder (cdk.json, cdk.context.json), with app.ts's packs registered and the CDK's template validation on.
  let result: ComplianceResult;
  beforeAll(() => {
    const cdkJson = JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
    const lookups = JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'cdk.context.json'), 'utf8')) as Record<string, unknown>;
    // What the command line adds: construct paths and the version-reporting resource (whose absence, oddly, makes
    // cfn-lint 1.x report its Fn::Sub style advice on the pipeline's deploy-role ARNs as an E3703 error).
    const cli = { [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true, [cxapi.ANALYTICS_REPORTING_ENABLED_CONTEXT]: true };
    result = checkCompliance((app) => {
      buildMultiAccount(app);
    }, '', { register: registerPacks, context: { ...cli, ...cdkJson.context, ...lookups }, templateValidation: true });
  }, 240_000);
  afterAll(() => result && fs.rmSync(result.outdir, { recursive: true, force: true }));

  describe('compliance of the whole app: the pipeline and both stages', () => {

    test('passes SecureAI, AwsSolutions, NIST 800-53 R5, HIPAA, PCI and Control Tower with reasoned acknowledgments only', () => {
      expect(result.summary).toEqual([]);
      expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
      expect(silentPacks(canaryFindings())).toEqual([]);
    });

    test('the SecureAI acknowledgments are the endpoint\'s own: the package\'s image (the deploy-time gate checks it), the drift monitor\'s AWS image', () => {
      expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI')).map((a) => `${a.id.replace(/^.*::/, '')} ${a.path}`).sort()).toEqual([
        'SecureAI-V17 Tooling/Production/Serving/Endpoint/DriftMonitor/StateMachine/Resource',
        'SecureAI-V1[unverifiable] Tooling/Production/Serving/Endpoint/Model',
      ]);
    });

    test('the app acknowledges only on the pipeline: every acknowledgment in the stages is made by a construct of the library', () => {
      const stageAcknowledgments = result.acknowledgments.filter((a) => /^Tooling\/(Development|Production)\//.test(a.path));
      expect(stageAcknowledgments.length).toBeGreaterThan(0);
      // The app's own files acknowledge only on the pipeline's roles and projects.
      const exampleSources = fs.readdirSync(EXAMPLE).filter((f) => f.endsWith('.ts') && f !== 'pipeline-acknowledgments.ts');
      for (const file of exampleSources) expect(`${file}: ${fs.readFileSync(path.join(EXAMPLE, file), 'utf8')}`).not.toMatch(/acknowledge\(/);
    });

    test('each pipeline acknowledgment answers exactly one finding CDK Pipelines raises, and together they answer all of them', () => {
      const acknowledged = result.acknowledgments.filter((a) => a.path.startsWith('Tooling/Pipeline/')).map((a) => ({ id: a.id.replace(/^Annotation::/, ''), path: a.path }));
      // The same app with the pipeline's acknowledgments left out: what the generic packs find on it.
      const spy = jest.spyOn(pipelineAcknowledgments, 'acknowledgeCdkPipelinesFindings').mockImplementation(() => undefined);
      let raised: Array<{ rule: string; resource: string }>;
      try {
        const app = new App();
        buildMultiAccount(app);
        const packs: NagPack[] = [new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks(), new PCIDSS321Checks()];
        raised = packs.flatMap((pack) => pack.validateScope(app).violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, resource: r.constructPath ?? '' }))));
      } finally {
        spy.mockRestore();
      }
      const answers = (a: { id: string; path: string }, f: { rule: string; resource: string }) => f.rule === a.id
        && (f.resource === a.path || f.resource.startsWith(`${a.path}/`));
      expect(acknowledged.filter((a) => raised.filter((f) => answers(a, f)).length !== 1)).toEqual([]);
      expect(raised.filter((f) => !acknowledged.some((a) => answers(a, f))).map((f) => `${f.rule} ${f.resource}`)).toEqual([]);
      expect(raised.every((f) => f.resource.startsWith('Tooling/Pipeline/'))).toBe(true);
      expect(acknowledged.length).toBeGreaterThan(50);
    }, 60_000);
  });

  describe('accounts, cross-account trust and the release gate', () => {
    const app = new App();
    const tooling = buildMultiAccount(app);
    const development = Template.fromStack(tooling.development.models);
    const production = Template.fromStack(tooling.production.serving);
    const pipeline = Template.fromStack(tooling);

    test('the pipeline lands in the tooling account, each stage\'s stack in its own account', () => {
      expect([tooling, tooling.development.models, tooling.production.serving].map((s) => [s.stackName, s.account, s.region])).toEqual([
        ['Tooling', TOOLING, REGION],
        ['Development-Models', DEVELOPMENT, REGION],
        ['Production-Serving', PRODUCTION, REGION],
      ]);
      expect([tooling.development.environmentStage, tooling.production.environmentStage]).toEqual(['development', 'production']);
      development.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 1);
      production.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 0);
      production.resourceCountIs('AWS::ECR::Repository', 0);
    });

    test('production\'s endpoint deploys a version of the development registry\'s group, which its gate checks', () => {
      const packageArn = `arn:aws:sagemaker:${REGION}:${DEVELOPMENT}:model-package/fraud-scoring/1`;
      development.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', { ModelPackageGroupName: 'fraud-scoring' });
      production.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { ModelPackageName: packageArn } });
      production.hasResourceProperties('Custom::ArtifactSignatureGate', {
        ModelPackageArn: packageArn,
        // The whole group ARN (partition, account, Region and name): a same-named group of another account does not pass.
        ModelPackageGroupArn: `arn:aws:sagemaker:${REGION}:${DEVELOPMENT}:model-package-group/fraud-scoring`,
      });
      // The gate requires the package's image to be this one: the development repository's image, by digest.
      const gateImage = JSON.stringify(Object.values(production.findResources('Custom::ArtifactSignatureGate'))[0].Properties.ImageUri);
      expect(gateImage).toContain(`${DEVELOPMENT}.dkr.ecr.${REGION}.`);
      expect(gateImage).toMatch(/\/fraud-scoring@sha256:[0-9a-f]{64}/);
    });

    test('the registry\'s group, bucket and key policies share it with exactly the production account, read-only', () => {
      const group = statementsOf(development, 'AWS::SageMaker::ModelPackageGroup', 'ModelPackageGroupPolicy');
      const bucket = statementsOf(development, 'AWS::S3::BucketPolicy', 'PolicyDocument');
      const keys = statementsOf(development, 'AWS::KMS::Key', 'KeyPolicy');
      const summary = (statements: Statement[]) => crossAccount(statements, DEVELOPMENT)
        .map((s) => ({ Sid: s.Sid, Principal: s.Principal, Action: s.Action }));
      expect(summary(group)).toEqual([
        { Sid: 'ReaderAccountsDescribeGroup', Principal: { AWS: root(PRODUCTION) }, Action: 'sagemaker:DescribeModelPackageGroup' },
        { Sid: 'ReaderAccountsReadPackages', Principal: { AWS: root(PRODUCTION) }, Action: ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages', 'sagemaker:CreateModel'] },
      ]);
      expect(summary(bucket)).toEqual([
        { Sid: 'ReaderAccountsReadArtifacts', Principal: { AWS: root(PRODUCTION) }, Action: ['s3:GetObject', 's3:GetObjectVersion'] },
      ]);
      expect(summary(keys)).toEqual([
        { Sid: 'ReaderAccountsDecryptArtifacts', Principal: { AWS: root(PRODUCTION) }, Action: 'kms:Decrypt' },
        { Sid: 'ReaderAccountsVerify', Principal: { AWS: root(PRODUCTION) }, Action: ['kms:Verify', 'kms:GetPublicKey', 'kms:DescribeKey'] },
      ]);
      // Decrypting the artifacts only as S3 serves them; the shared key is the registry's own, not the environment's.
      expect(crossAccount(keys, DEVELOPMENT)[0].Condition).toEqual({ StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } });
      const sharedKey = Object.entries(development.findResources('AWS::KMS::Key'))
        .find(([, k]) => JSON.stringify(k.Properties.KeyPolicy).includes('ReaderAccountsDecryptArtifacts'))!;
      expect(sharedKey[1].Properties.Description).toMatch(/Model artifacts of registry fraud-scoring/);
    });

    test('the image repository lets exactly the production account pull, and nothing more', () => {
      development.hasResourceProperties('AWS::ECR::Repository', {
        RepositoryName: 'fraud-scoring',
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.anyValue() },
        RepositoryPolicyText: {
          Version: '2012-10-17',
          Statement: [{ Sid: 'ProductionPullsImages', Effect: 'Allow', Principal: { AWS: root(PRODUCTION) }, Action: IMAGE_PULL_ACTIONS }],
        },
      });
      expect(IMAGE_PULL_ACTIONS.every((a) => /^ecr:(BatchGetImage|GetDownloadUrlForLayer|BatchCheckLayerAvailability)$/.test(a))).toBe(true);
    });

    test('no other policy of development or production names another account, and production changes nothing of development\'s', () => {
      const policies = (template: Template) => ['AWS::S3::BucketPolicy', 'AWS::IAM::Role', 'AWS::KMS::Key', 'AWS::SNS::TopicPolicy', 'AWS::ECR::Repository']
        .flatMap((type) => Object.values(template.findResources(type)).map((r) => JSON.stringify(r.Properties)));
      const naming = (template: Template, account: string) => policies(template).filter((p) => p.includes(`:iam::${account}:`));
      expect(naming(development, TOOLING)).toEqual([]);
      expect(naming(production, DEVELOPMENT)).toEqual([]);
      expect(naming(production, TOOLING)).toEqual([]);
      expect(JSON.stringify(production.toJSON())).not.toContain('Fn::ImportValue');
      expect(tooling.production.serving.dependencies).toEqual([]);
      expect(tooling.development.models.dependencies).toEqual([]);
    });

    test('the development stack publishes, as outputs, every value production takes from context', () => {
      expect(Object.keys(development.findOutputs('*')).sort()).toEqual([
        'ImageRepositoryArn', 'RegistryArtifactBucketName', 'RegistryArtifactKeyArn', 'RegistryGroupArn', 'RegistrySigningKeyArn', 'TrainingDataBucketName',
      ]);
      const contextKeys = Object.values(development.findOutputs('*')).map((o) => String(o.Description).split(':')[0]).sort();
      expect(contextKeys).toEqual(['imageRepositoryArn', 'registryArtifactBucketName', 'registryArtifactKeyArn', 'registryGroupArn', 'registrySigningKeyArn', 'trainingDataBucketName']);
    });

    test('the pipeline deploys development, then a person approves, then production', () => {
      const [pipelineResource] = Object.values(pipeline.findResources('AWS::CodePipeline::Pipeline'));
      type Action = { Name: string; ActionTypeId: { Category: string }; RunOrder: number; RoleArn?: unknown };
      const stages = pipelineResource.Properties.Stages as Array<{ Name: string; Actions: Action[] }>;
      expect(stages.map((s) => s.Name)).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets', 'Development', 'Production']);
      const deploysTo = (account: string) => stages.flatMap((s) => s.Actions.filter((a) => a.ActionTypeId.Category === 'Deploy'
        && JSON.stringify(a.RoleArn).includes(`:iam::${account}:role/cdk-hnb659fds-deploy-role-${account}-${REGION}`)).map((a) => ({ stage: s.Name, runOrder: a.RunOrder })));
      expect(deploysTo(DEVELOPMENT).map((d) => d.stage)).toEqual(['Development', 'Development']);
      const productionStage = stages.find((s) => s.Name === 'Production')!;
      const approvals = productionStage.Actions.filter((a) => a.ActionTypeId.Category === 'Approval');
      expect(approvals.map((a) => [a.Name, a.RunOrder])).toEqual([[DeliveryPipelineStack.APPROVAL_STEP, 1]]);
      // Every production deployment comes after the approval, and nothing else in the stage runs beside it.
      expect(deploysTo(PRODUCTION).length).toBe(2);
      expect(deploysTo(PRODUCTION).every((d) => d.stage === 'Production' && d.runOrder > 1)).toBe(true);
      expect(productionStage.Actions.filter((a) => a.RunOrder === 1)).toHaveLength(1);
    });

    test('the pipeline is hardened: its own key and logged bucket, encrypted and logged builds, none privileged', () => {
      pipeline.hasResourceProperties('AWS::CodePipeline::Pipeline', {
        PipelineType: 'V2',
        ArtifactStore: { Type: 'S3', EncryptionKey: { Type: 'KMS', Id: Match.anyValue() } },
      });
      const kms = { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] };
      const buckets = Object.values(pipeline.findResources('AWS::S3::Bucket', { Properties: { BucketEncryption: kms } }));
      const settings = buckets.map((b) => [b.Properties.VersioningConfiguration, b.Properties.LoggingConfiguration !== undefined, b.DeletionPolicy]);
      expect(settings).toEqual([
        [{ Status: 'Enabled' }, true, 'Retain'],
      ]);
      const projects = Object.values(pipeline.findResources('AWS::CodeBuild::Project'));
      expect(projects).toHaveLength(3);
      for (const project of projects) {
        expect(project.Properties.Environment.PrivilegedMode).toBe(false);
        expect(project.Properties.EncryptionKey).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ArtifactKey/), 'Arn'] });
        expect(project.Properties.LogsConfig).toEqual({ CloudWatchLogs: { GroupName: { Ref: expect.stringMatching(/^BuildLogs/) }, Status: 'ENABLED' } });
      }
      pipeline.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: Match.anyValue() });
      pipeline.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    test('the synth step runs the CDK command line in this folder, where the packs are registered', () => {
      const synth = Object.values(pipeline.findResources('AWS::CodeBuild::Project')).find((p) => String(p.Properties.Description).endsWith('/Build/Synth'));
      const spec = String(synth?.Properties.Source.BuildSpec);
      expect(spec).toContain('npm ci');
      expect(spec).toContain('cd examples/multi-account');
      expect(spec).toContain('npx cdk synth --no-notices');
      expect(fs.readFileSync(path.join(EXAMPLE, 'app.ts'), 'utf8')).toMatch(/require\.main === module\)[\s\S]*registerPacks\(app\)/);
    });
  });

  describe('settings from context', () => {
    test('other accounts move every stack and every cross-account grant with them', () => {
      const app = new App({ context: { toolingAccount: '444444444444', developmentAccount: '555555555555', productionAccount: '666666666666', modelPackageVersion: '7' } });
      const tooling = buildMultiAccount(app);
      expect([tooling.account, tooling.development.models.account, tooling.production.serving.account]).toEqual(['444444444444', '555555555555', '666666666666']);
      const development = Template.fromStack(tooling.development.models);
      expect(JSON.stringify(development.toJSON())).not.toContain(PRODUCTION);
      development.hasResourceProperties('AWS::ECR::Repository', { RepositoryPolicyText: { Statement: [Match.objectLike({ Principal: { AWS: root('666666666666') } })] } });
      Template.fromStack(tooling.production.serving).hasResourceProperties('AWS::SageMaker::Model', {
        PrimaryContainer: { ModelPackageName: 'arn:aws:sagemaker:eu-west-2:555555555555:model-package/fraud-scoring/7' },
      });
    });

    test('the registry\'s published values, given as context, are what production reads', () => {
      const values = {
        registryArtifactBucketName: 'development-models-registryartifacts7c2929de-1x2y3z4w5v6u',
        registryArtifactKeyArn: `arn:aws:kms:${REGION}:${DEVELOPMENT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        registrySigningKeyArn: `arn:aws:kms:${REGION}:${DEVELOPMENT}:key/abcd1234-ab12-cd34-ef56-abcdef123456`,
      };
      const tooling = buildMultiAccount(new App({ context: values }));
      Template.fromStack(tooling.production.serving).hasResourceProperties('Custom::ArtifactSignatureGate', {
        ArtifactBucket: values.registryArtifactBucketName, SigningKeyArn: values.registrySigningKeyArn,
      });
      expect(JSON.stringify(Template.fromStack(tooling.production.serving).toJSON())).toContain(values.registryArtifactKeyArn);
    });

    test('a registry of another account than development, one account for two stages, or no version throws with the fix', () => {
      expect(() => buildMultiAccount(new App({ context: { registryGroupArn: GROUP_ARN.replace(DEVELOPMENT, '999999999999') } })))
        .toThrow(/artifactKeyArn '.*' is in account 222222222222, Region eu-west-2, but the registry's model package group \(modelPackageGroupArn\) is in account 999999999999.*Fix/);
      expect(() => buildMultiAccount(new App({ context: { productionAccount: DEVELOPMENT } }))).toThrow(/readerAccounts\[0\] is the registry's own account 222222222222.*Fix/);
      expect(() => buildMultiAccount(new App({ context: { modelPackageVersion: 'latest' } }))).toThrow(/modelPackageVersion is NaN.*Fix/);
    });
  });

  describe('synthesized as `npx cdk synth` does from the folder (cdk.json, cdk.context.json), with the CDK\'s template validation on', () => {
    let outdir: string;
    let assembly: cxapi.CloudAssembly;
    beforeAll(() => {
      outdir = passedSynthesis(result);
      assembly = new cxapi.CloudAssembly(outdir);
    });

    test('cdk.json names the default accounts and turns telemetry off', () => {
      const { context } = JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
      expect(context).toMatchObject({ 'cli-telemetry': false, ...DEFAULT_ACCOUNTS });
    });

    test('every context lookup is answered by cdk.context.json, so synthesis needs no AWS credentials', () => {
      const missing = [assembly, ...assembly.nestedAssemblies.map((n) => n.nestedAssembly)].flatMap((a) => a.manifest.missing ?? []);
      expect(missing).toEqual([]);
      expect(assembly.stacksRecursively.map((s) => [s.stackName, s.environment.account, s.environment.region]).sort()).toEqual([
        ['Development-Models', DEVELOPMENT, REGION], ['Production-Serving', PRODUCTION, REGION], ['Tooling', TOOLING, REGION],
      ]);
    });

    test('no plugin reports an open violation (the template validation included)', () => {
      expect(openPluginViolations(outdir)).toEqual([]);
    });

    test('its AI bill of materials covers both stages, valid CycloneDX 1.7, with development\'s training formulation', async () => {
      const { json, bom } = readBom(outdir);
      expect(await schemaErrors(json)).toBeNull();
      expect(missingFromBom(outdir, bom)).toEqual([]);
      expect(bom.formulation).toHaveLength(1);
      const [endpoint] = entriesOfKind(bom, 'endpoint');
      expect([...dependenciesBelow(bom, endpoint['bom-ref'])].filter((r) => r.startsWith('model-package:'))).toHaveLength(1);
    });

    test('cfn-lint finds no error in the templates of the pipeline and of both stages (skipped where cfn-lint is not installed)', () => {
      const templates = synthesizedTemplates(outdir);
      // The pipeline's template and one in each stage's nested assembly.
      expect(templates.map((t) => path.relative(outdir, t).split(path.sep).join('/'))).toEqual([
        'Tooling.template.json',
        expect.stringMatching(/^assembly-Tooling-Development\/ToolingDevelopmentModels[0-9A-F]{8}\.template\.json$/),
        expect.stringMatching(/^assembly-Tooling-Production\/ToolingProductionServing[0-9A-F]{8}\.template\.json$/),
      ]);
      const lint = cfnLint(templates, { regions: [REGION] });
      if ('skipped' in lint) {
        console.log(lint.skipped);
        return;
      }
      expect(describeMatches(lint.errors)).toEqual([]);
    }, 180_000);
  });
});
