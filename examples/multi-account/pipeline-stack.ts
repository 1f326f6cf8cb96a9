/**
 * The tooling account's delivery pipeline (CDK Pipelines): synthesizes the app from the repository, with every pack
 * registered, then deploys the development stage, waits for a person to approve the release, and deploys the
 * production stage. It deploys into the other accounts only through the roles their `cdk bootstrap --trust` created.
 */
import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { DevelopmentStage, DevelopmentStageProps } from './development-stage';
import { acknowledgeCdkPipelinesFindings } from './pipeline-acknowledgments';
import { ProductionStage, ProductionStageProps } from './production-stage';
import { AccessLogBucket, EnvironmentKey, EnvironmentKeyPurpose, SecureBucket } from 'cdk-secure-ai';

/** Where the pipeline's source is: a repository reached through an AWS CodeConnections connection. */
export interface PipelineSource {
  /** `owner/name` of the repository. */
  readonly repository: string;
  /** The branch whose commits are released. */
  readonly branch: string;
  /** The ARN of the connection to the repository's host, created (and authorized) once in the tooling account's console. */
  readonly connectionArn: string;
}

/** What the tooling account's pipeline deploys, and from where. */
export interface DeliveryPipelineStackProps extends StackProps {
  /** The tooling account and Region. */
  readonly env: { readonly account: string; readonly region: string };
  readonly source: PipelineSource;
  readonly development: DevelopmentStageProps;
  readonly production: ProductionStageProps;
}

/** The folder of this app in the repository: the synth step runs the CDK command line there. */
const APP_FOLDER = 'examples/multi-account';

/** The pipeline of the tooling account, and the two stages it deploys. */
export class DeliveryPipelineStack extends Stack {
  /** The name of the manual approval step that gates production. */
  public static readonly APPROVAL_STEP = 'ApproveRelease';

  public readonly pipeline: pipelines.CodePipeline;
  public readonly development: DevelopmentStage;
  public readonly production: ProductionStage;

  public constructor(scope: Construct, id: string, props: DeliveryPipelineStackProps) {
    super(scope, id, { ...props, description: 'Delivery pipeline of the fraud-scoring model: development, approval, production' });

    // Artifacts (cloud assemblies and Lambda code bound for the other accounts) in a versioned, logged, TLS-only
    // bucket under a rotated customer-managed key; CDK Pipelines shares both with the target accounts' deploy roles.
    const accessLogs = new AccessLogBucket(this, 'AccessLogs');
    const artifacts = new SecureBucket(this, 'Artifacts', {
      encryptionKey: new EnvironmentKey(this, 'ArtifactKey', { purpose: EnvironmentKeyPurpose.DATA, description: 'Delivery pipeline artifacts' }),
      serverAccessLogsBucket: accessLogs,
      // Templates and Lambda code, never models or data: outside the SecureAI pack's AI-asset scope.
      aiAsset: false,
    });
    // Every build (synth, self-mutation, asset publishing) logs to one encrypted log group kept a year.
    const buildLogs = new logs.LogGroup(this, 'BuildLogs', {
      encryptionKey: new EnvironmentKey(this, 'LogKey', { purpose: EnvironmentKeyPurpose.LOG, description: 'Delivery pipeline build logs' }),
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName: 'fraud-scoring-delivery',
      pipelineType: codepipeline.PipelineType.V2,
      // Cross-account deployments need a customer-managed key the target accounts' deploy roles can be granted. The
      // artifact bucket brings its own (otherwise crossAccountKeys would create one), and CDK Pipelines checks it has one.
      crossAccountKeys: true,
      artifactBucket: artifacts,
      // One asset-publishing project, not one per asset: fewer roles to review.
      publishAssetsInParallel: false,
      synth: new pipelines.ShellStep('Synth', {
        input: pipelines.CodePipelineSource.connection(props.source.repository, props.source.branch, {
          connectionArn: props.source.connectionArn,
        }),
        // The same synthesis a developer runs: the six packs are registered, so a finding stops the release here.
        commands: ['npm ci', 'npx projen bundle', `cd ${APP_FOLDER}`, 'npx cdk synth --no-notices'],
        env: { CDK_DISABLE_CLI_TELEMETRY: 'true' },
        primaryOutputDirectory: `${APP_FOLDER}/cdk.out`,
      }),
      // The Node.js this repository is developed and tested with.
      synthCodeBuildDefaults: {
        partialBuildSpec: codebuild.BuildSpec.fromObject({ version: '0.2', phases: { install: { 'runtime-versions': { nodejs: '20' } } } }),
      },
      codeBuildDefaults: {
        // No Docker: the app has no image assets, so no build needs privileged mode.
        buildEnvironment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, computeType: codebuild.ComputeType.SMALL, privileged: false },
        logging: { cloudWatch: { logGroup: buildLogs } },
        timeout: Duration.minutes(30),
      },
    });

    this.development = new DevelopmentStage(this, 'Development', props.development);
    this.pipeline.addStage(this.development);
    this.production = new ProductionStage(this, 'Production', props.production);
    this.pipeline.addStage(this.production, {
      pre: [new pipelines.ManualApprovalStep(DeliveryPipelineStack.APPROVAL_STEP, {
        comment: `Release model package version ${props.production.modelPackageVersion} of the development registry to production. `
          + 'Approve only if the version is Approved in the registry and its model card and evaluation were reviewed; '
          + 'the deployment gate refuses a package that is not Approved.',
      })],
    });
    // Built now, so that the pipeline's roles and projects exist to be reviewed, and their inherent findings acknowledged.
    this.pipeline.buildPipeline();
    acknowledgeCdkPipelinesFindings(this.pipeline, artifacts);
  }
}
