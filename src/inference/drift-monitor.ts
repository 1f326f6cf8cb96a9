import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DRIFT_DETECTED, DRIFT_PATHS, DRIFT_SCRIPT_PATH, DriftDetectorImage, SKLEARN_IMAGE_REASON } from './drift-detector';
import {
  validateBaselineKey, validateCapturePrefix, validateDriftOptions, validateEndpointName, validateVariantName, WINDOW_SECONDS,
} from './drift-monitor-validation';
import { DriftWindow } from './drift-window';
import { ProcessingJobInput, ProcessingJobState } from './processing-job-state';
import { libraryConstruct } from '../construct-kit/library-construct';
import { retainedLogGroup, stateMachineLogGroupName } from '../construct-kit/log-group';
import { recordReason } from '../construct-kit/opt-out-reason';
import { acknowledgeRules, OWN_POLICY_REASON, RULES, WildcardFindingIds } from '../construct-kit/pack-acknowledgments';
import type { AiEnvironment } from '../environment/ai-environment';
import { resourcesOfThisAccount, ServiceSource, servicePrincipalOfThisAccount } from '../environment/service-trust';
import { VpcAccessStatements } from '../environment/vpc-access-statements';
import { WorkloadSecurityGroup } from '../environment/workload-security-group';
import type { ModelImage } from '../registry/model-image';
import type { IModelRegistry } from '../registry/model-registry-ref';

/** How an endpoint's drift is monitored: when, over which window, on what, and when it is drift. */
export interface DriftMonitoringOptions {
  /**
   * Which captures each run reads: the whole hour or day (UTC) before the time the run was scheduled for.
   * @default DriftWindow.HOUR
   */
  readonly window?: DriftWindow;
  /**
   * When the monitor runs: a recurring EventBridge Scheduler expression, no more often than the window. Run a few
   * minutes after the window closes, so that SageMaker has delivered its last captures.
   * @default - 15 minutes past every hour (`cron(15 * * * ? *)`) for an hourly window, 00:30 UTC for a daily one
   */
  readonly schedule?: scheduler.ScheduleExpression;
  /**
   * The population stability index of a feature above which it has drifted.
   * @default 0.2 - the usual mark of a significant shift (0.1 to 0.2 is moderate)
   */
  readonly driftThreshold?: number;
  /**
   * The fewest records a window needs to be judged; fewer pass as too few to tell (a quiet hour is not drift).
   * @default 100
   */
  readonly minimumRecords?: number;
  /**
   * The instance type of the processing job; like the endpoint's, without local instance storage.
   * @default 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * How long a run may take before SageMaker stops it (and the monitor alarms). One minute to one day.
   * @default Duration.hours(1)
   */
  readonly maxRuntime?: Duration;
  /**
   * An image of your own that computes drift instead of the library's script (for example one built from AWS's
   * Evidently AI sample), vetted or pinned through `ModelImage`. It runs with its own entrypoint, finds the window's
   * captures under `/opt/ml/processing/input/capture`, the baseline under `/opt/ml/processing/input/baseline` and the
   * settings in `DRIFT_THRESHOLD`, `DRIFT_MINIMUM_RECORDS`, `DRIFT_BASELINE_FILE` and `DRIFT_WINDOW`; writes its
   * report to `/opt/ml/processing/output`; and on drift writes a line starting with `DRIFT_DETECTED` to
   * `/opt/ml/output/message` and exits non-zero.
   * @default - AWS's SageMaker scikit-learn processing container running the library's drift script
   */
  readonly image?: ModelImage;
  /**
   * Why an `image` that is neither in a vetted private ECR repository nor pinned by digest is trusted.
   * @default - such an image throws
   */
  readonly allowExternalImage?: string;
}

/** Properties of a {@link DriftMonitor}. `InferenceEndpoint` creates one for itself. */
export interface DriftMonitorProps extends DriftMonitoringOptions {
  /** The environment whose subnets, data key and log key the monitor uses. */
  readonly environment: AiEnvironment;
  /** The registry whose artifact bucket holds the baseline. */
  readonly registry: IModelRegistry;
  /**
   * The key, in the registry's artifact bucket, of the reference dataset: a CSV whose first row names the features in
   * the order the endpoint receives them, then rows of the training data (or a representative sample of it).
   */
  readonly baselineKey: string;
  /** The literal name of the endpoint monitored. */
  readonly endpointName: string;
  /**
   * The production variant whose captures are read.
   * @default 'AllTraffic'
   */
  readonly variantName?: string;
  /** The bucket the endpoint captures into; reports are written to it too, under `monitoring/<endpoint>/`. */
  readonly captureBucket: s3.IBucket;
  /** The key of the capture bucket, which encrypts the reports too. */
  readonly captureKey: kms.IKey;
  /** The key prefix of the endpoint's `DataCaptureConfig.DestinationS3Uri` in the capture bucket, without slashes at the ends. */
  readonly capturePrefix: string;
  /** The topic the alarm notifies. */
  readonly alarmTopic: sns.ITopic;
}

const WINDOW_PICTURES: Readonly<Record<string, string>> = { [DriftWindow.HOUR]: '[Y0001]/[M01]/[D01]/[H01]', [DriftWindow.DAY]: '[Y0001]/[M01]/[D01]' };
/** Where the reports go in the capture bucket. */
const REPORTS_PREFIX = 'monitoring';
/** What one run does, once the props are validated. */
interface RunSettings {
  readonly window: DriftWindow;
  /** The key prefix of the endpoint's captures, ending with `/`. */
  readonly captures: string;
  /** The key prefix of its reports, ending with `/`. */
  readonly reports: string;
  readonly imageUri: string;
  readonly entrypoint?: string[];
  readonly inputs: ProcessingJobInput[];
  readonly instanceType: string;
  readonly maxRuntimeInSeconds: number;
  readonly environment: { [name: string]: string };
}

/** Above the job's own limit: provisioning, download, upload. */
const EXECUTION_MARGIN = Duration.minutes(30);

/**
 * Watches an endpoint for input drift with services open to new customers, in place of SageMaker Model Monitor.
 *
 * Model Monitor is closed to new customers since 2026-07-30 ("Amazon SageMaker Model Monitor availability change",
 * SageMaker Developer Guide). Here an EventBridge Scheduler schedule starts a Step Functions state machine that runs a
 * SageMaker Processing job over the last window of the endpoint's data capture and the model's baseline, and an alarm
 * notifies the endpoint's topic when a run finds drift, fails, times out or cannot start.
 *
 * - **Window**: each run reads the whole hour (or day) before the time it was scheduled for, the prefix
 *   `<capturePrefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/` computed by the state machine from the scheduled time (the
 *   start time for a manual run; a run started with `{"scheduledTime": "<ISO 8601>"}` re-reads that time's window).
 *   The path is formatted from a timestamp, so no input can point it anywhere else. A window without captures ends the
 *   run without a job.
 * - **Job**: AWS's SageMaker scikit-learn processing container running the library's drift script (population stability
 *   index per feature, numeric and categorical, against the reference dataset; malformed requests count as missing
 *   values), or your own image through `ModelImage`. Network isolation, inter-container encryption, the environment's
 *   subnets with a security group of its own that has no ingress, the environment's data key on its volume, the capture
 *   key on its report, a maximum runtime, and a role of its own that reads only this endpoint's captures and the
 *   baseline and writes only the reports.
 * - **Reports**: `monitoring/<endpoint>/<window>/<execution>/drift-report.json` in the capture bucket, encrypted with
 *   its key and expiring with the captures.
 * - **State machine**: JSONata, logging every event with execution data to a log group encrypted with the
 *   environment's log key and kept a year, X-Ray tracing; it fails with `DriftDetected` (the report's summary as the
 *   cause) or `MonitoringFailed`.
 * - **Alarm** (`alarm`) on failed, timed-out and aborted executions and on runs the schedule could not start, notifying
 *   the topic.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them).
 */
export class DriftMonitor extends Construct {
  /** The state machine a run executes. */
  public readonly stateMachine: sfn.StateMachine;
  /** The schedule that starts the runs. */
  public readonly schedule: scheduler.Schedule;
  /** The role the processing job runs with. */
  public readonly jobRole: iam.Role;
  /** The processing job's security group: no ingress. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The state machine's log group. */
  public readonly logGroup: logs.LogGroup;
  /** Fires when a run finds drift, fails, times out, is aborted or cannot be started; notifies the alarm topic. */
  public readonly alarm: cloudwatch.Alarm;
  /** Where the reports are written: `s3://<capture bucket>/monitoring/<endpoint>/`. */
  public readonly reportsUri: string;
  /** The prefix of the processing jobs' names (`<prefix>-<32 hex digits>`). */
  public readonly jobNamePrefix: string;

  public constructor(scope: Construct, id: string, props: DriftMonitorProps) {
    super(scope, id);
    const owner = libraryConstruct(this, 'DriftMonitor');
    const env = props.environment;

    const endpointName = validateEndpointName(owner, props.endpointName);
    const variantName = validateVariantName(owner, props.variantName ?? 'AllTraffic');
    const capturePrefix = validateCapturePrefix(owner, props.capturePrefix);
    const baseline = validateBaselineKey(owner, 'baselineKey', props.baselineKey);
    const { window, schedule, threshold, minimumRecords, instanceType, maxRuntimeInSeconds } = validateDriftOptions(owner, '', props);
    this.jobNamePrefix = `${endpointName.slice(0, 24).replace(/-+$/, '')}-drift`.toLowerCase();

    const bucket = props.captureBucket;
    const captures = `${capturePrefix}/${endpointName}/${variantName}/`;
    const reports = `${REPORTS_PREFIX}/${endpointName}/`;
    this.reportsUri = bucket.s3UrlForObject(reports);

    this.securityGroup = new WorkloadSecurityGroup(this, 'SecurityGroup', {
      vpc: env.vpc,
      endpointSecurityGroup: env.endpointSecurityGroup,
      description: `Drift monitoring of SageMaker endpoint ${endpointName}: no ingress, HTTPS to the environment VPC endpoints only`,
    });

    // The job's role: this endpoint's captures, the baseline and the script (read), the reports (write), its volume key.
    this.jobRole = new iam.Role(this, 'JobRole', {
      assumedBy: servicePrincipalOfThisAccount(this, 'sagemaker.amazonaws.com', ServiceSource.ACCOUNT_AND_ARN, resourcesOfThisAccount(this, 'sagemaker')),
      description: `Drift monitoring jobs of SageMaker endpoint ${endpointName}: read its captures and baseline, write reports`,
    });
    const processingLogs = this.grantJob(props, captures, reports, baseline.key);
    const detector = this.detector(props, owner);
    const inputs = [
      ...detector.inputs,
      { inputName: 'baseline', uri: props.registry.artifactBucket.s3UrlForObject(baseline.key), localPath: DRIFT_PATHS.baseline },
      { inputName: 'capture', uri: `{% 's3://${bucket.bucketName}/${captures}' & $window & '/' %}`, localPath: DRIFT_PATHS.capture },
    ];

    this.logGroup = retainedLogGroup(this, 'Logs', {
      logGroupName: stateMachineLogGroupName(this),
      encryptionKey: env.logKey,
    });

    const states = this.states(props, {
      window,
      captures,
      reports,
      imageUri: detector.imageUri,
      entrypoint: detector.entrypoint,
      inputs,
      instanceType,
      maxRuntimeInSeconds,
      environment: {
        DRIFT_THRESHOLD: String(threshold),
        DRIFT_MINIMUM_RECORDS: String(minimumRecords),
        DRIFT_BASELINE_FILE: baseline.fileName,
        DRIFT_WINDOW: '{% $window %}',
      },
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(states.chain),
      queryLanguage: sfn.QueryLanguage.JSONATA,
      timeout: Duration.seconds(maxRuntimeInSeconds).plus(EXECUTION_MARGIN),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    for (const statement of states.job.policyStatements) this.stateMachine.addToRolePolicy(statement);
    // Whether the window has captures: a listing of this endpoint's captures, nothing else.
    this.stateMachine.addToRolePolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${captures}*`] } },
    }));
    const cfnStateMachine = this.stateMachine.node.defaultChild as sfn.CfnStateMachine;
    if (props.image === undefined) {
      recordReason(cfnStateMachine, 'aws-managed-image', { image: 'sagemaker-scikit-learn', reason: SKLEARN_IMAGE_REASON });
      // SecureAI-V17 asks job images to be pinned by digest in a trusted registry: AWS's framework image is neither, by design.
      acknowledgeRules(cfnStateMachine, ['SecureAI-V17'], SKLEARN_IMAGE_REASON);
    } else {
      props.image._bind({ construct: owner, resource: cfnStateMachine, puller: this.jobRole, allowExternalImage: props.allowExternalImage });
    }

    this.schedule = this.createSchedule(endpointName, schedule);
    this.alarm = this.createAlarm(endpointName, props.alarmTopic);
    this.acknowledge(bucket, captures, reports, processingLogs);
  }

  /** What the job reads, writes and gets from the library's script or the given image. */
  private grantJob(props: DriftMonitorProps, captures: string, reports: string, baselineKey: string): string {
    const stack = Stack.of(this);
    const role = this.jobRole;
    const env = props.environment;
    const bucket = props.captureBucket;
    for (const statement of VpcAccessStatements.forSageMaker(this, env.vpc.vpcId)) role.addToPrincipalPolicy(statement);
    iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:GetObject'], resourceArns: [bucket.arnForObjects(`${captures}*`)] });
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['s3:ListBucket'],
      resourceArns: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${captures}*`] } },
    });
    iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:PutObject'], resourceArns: [bucket.arnForObjects(`${reports}*`)] });
    props.captureKey.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
    props.registry.grantReadArtifacts(role, [baselineKey]);
    // SageMaker encrypts the job's volume through a grant it creates with the role.
    env.dataKey.grant(role, 'kms:CreateGrant', 'kms:DescribeKey');
    const processingLogs = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/aws/sagemaker/ProcessingJobs`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'WriteProcessingJobLogs',
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [processingLogs, `${processingLogs}:log-stream:*`],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PublishProcessingMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'], // PutMetricData supports no resource-level permissions; the namespace condition scopes it
      conditions: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/ProcessingJobs' } },
    }));
    return processingLogs;
  }

  /** What the job runs: the library's script on AWS's scikit-learn image (given as an input), or the given image as it is. */
  private detector(props: DriftMonitorProps, owner: string): { imageUri: string; entrypoint?: string[]; inputs: ProcessingJobInput[] } {
    if (props.image !== undefined) return { imageUri: props.image.imageUri, inputs: [] };
    const script = new s3assets.Asset(this, 'Script', { path: DRIFT_SCRIPT_PATH });
    const scriptFile = script.s3ObjectKey.slice(script.s3ObjectKey.lastIndexOf('/') + 1);
    if (Token.isUnresolved(scriptFile)) {
      throw new Error(`${owner}: the stack's synthesizer names file assets only at deploy time, but the job needs the drift script's `
        + 'file name. Fix: use the DefaultStackSynthesizer (the default), or give driftMonitoring.image.');
    }
    iam.Grant.addToPrincipal({ grantee: this.jobRole, actions: ['s3:GetObject'], resourceArns: [script.bucket.arnForObjects(script.s3ObjectKey)] });
    return {
      imageUri: DriftDetectorImage.uriFor(this, owner),
      entrypoint: ['python3', `${DRIFT_PATHS.code}/${scriptFile}`],
      inputs: [{ inputName: 'code', uri: script.s3ObjectUrl, localPath: DRIFT_PATHS.code }],
    };
  }

  /** The states of a run: the window, whether it has captures, the job, and drift told apart from failure. */
  private states(props: DriftMonitorProps, s: RunSettings): { chain: sfn.IChainable; job: ProcessingJobState } {
    const env = props.environment;
    const bucket = props.captureBucket;
    const milliseconds = WINDOW_SECONDS[s.window] * 1000;
    const scheduled = '($exists($states.input.scheduledTime) ? $states.input.scheduledTime : $states.context.Execution.StartTime)';
    const window = sfn.Pass.jsonata(this, 'Window', {
      comment: 'The window before the scheduled time (or the start time of a manual run), and a job name of this run',
      assign: {
        window: `{% $fromMillis($toMillis(${scheduled}) - ${milliseconds}, '${WINDOW_PICTURES[s.window]}') %}`,
        jobName: `{% '${this.jobNamePrefix}-' & $replace($uuid(), '-', '') %}`,
      },
    });
    const listWindow = new sfn.CustomState(this, 'ListWindow', {
      stateJson: {
        Type: 'Task',
        Comment: 'Whether SageMaker captured anything in the window',
        Resource: `arn:${Stack.of(this).partition}:states:::aws-sdk:s3:listObjectsV2`,
        Arguments: { Bucket: bucket.bucketName, Prefix: `{% '${s.captures}' & $window & '/' %}`, MaxKeys: 1 },
        Assign: { captured: '{% $states.result.KeyCount %}' },
        Output: {},
      },
    });
    const job = new ProcessingJobState(this, 'DetectDrift', {
      jobName: '{% $jobName %}',
      jobNamePrefix: this.jobNamePrefix,
      role: this.jobRole,
      imageUri: s.imageUri,
      entrypoint: s.entrypoint,
      inputs: s.inputs,
      outputUri: `{% 's3://${bucket.bucketName}/${s.reports}' & $window & '/' & $states.context.Execution.Name & '/' %}`,
      outputLocalPath: DRIFT_PATHS.output,
      outputKey: props.captureKey,
      volumeKey: env.dataKey,
      instanceType: s.instanceType,
      volumeSizeInGb: 30,
      maxRuntimeInSeconds: s.maxRuntimeInSeconds,
      environment: s.environment,
      subnetIds: env.vpc.selectSubnets(env.workloadSubnets).subnetIds,
      securityGroupIds: [this.securityGroup.securityGroupId],
    });
    // A failed job is drift only when the detector says so in its exit message; anything else is a failure of the monitor.
    const failed = sfn.Fail.jsonata(this, 'MonitoringFailed', {
      comment: 'The monitor could not judge the window: the job failed, timed out or could not start',
      error: 'MonitoringFailed',
      cause: '{% $substring($string($failure), 0, 30000) %}',
    });
    const readExitMessage = new sfn.CustomState(this, 'ReadExitMessage', {
      stateJson: {
        Type: 'Task',
        Comment: 'The detector\'s exit message, which tells drift from failure',
        Resource: `arn:${Stack.of(this).partition}:states:::aws-sdk:sagemaker:describeProcessingJob`,
        Arguments: { ProcessingJobName: '{% $jobName %}' },
        Assign: { exitMessage: '{% $exists($states.result.ExitMessage) ? $states.result.ExitMessage : \'\' %}' },
        Output: {},
      },
    });
    readExitMessage.addCatch(failed, { assign: { failure: '{% $states.errorOutput %}' } });
    job.addCatch(readExitMessage, { assign: { failure: '{% $states.errorOutput %}' } });
    const drift = sfn.Fail.jsonata(this, 'DriftDetected', {
      comment: 'The window\'s inputs drifted from the baseline: the report is under monitoring/ in the capture bucket',
      error: 'DriftDetected',
      cause: '{% $exitMessage %}',
    });
    const isDrift = sfn.Choice.jsonata(this, 'DriftOrFailure')
      .when(sfn.Condition.jsonata(`{% $substring($exitMessage, 0, ${DRIFT_DETECTED.length}) = '${DRIFT_DETECTED}' %}`), drift)
      .otherwise(failed);
    const anyCaptures = sfn.Choice.jsonata(this, 'AnyCaptures')
      .when(sfn.Condition.jsonata('{% $captured > 0 %}'), job.next(sfn.Succeed.jsonata(this, 'NoDrift', { comment: 'The window is within the baseline' })))
      .otherwise(sfn.Succeed.jsonata(this, 'NoCaptures', { comment: 'Nothing was captured in the window: nothing to judge' }));
    readExitMessage.next(isDrift);
    return { chain: window.next(listWindow).next(anyCaptures), job };
  }

  /** A schedule group of its own (its metrics are this monitor's) and a schedule whose role may start only this state machine. */
  private createSchedule(endpointName: string, expression: scheduler.ScheduleExpression): scheduler.Schedule {
    const stack = Stack.of(this);
    const name = `${endpointName.slice(0, 50)}-drift`;
    const group = new scheduler.ScheduleGroup(this, 'ScheduleGroup', { scheduleGroupName: name });
    const role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${name}/${name}` }),
          },
        },
      }),
      description: `Starts the drift monitor of SageMaker endpoint ${endpointName}`,
    });
    acknowledgeRules(role, RULES.inlinePolicy, OWN_POLICY_REASON);
    return new scheduler.Schedule(this, 'Schedule', {
      scheduleName: name,
      scheduleGroup: group,
      description: `Drift monitoring of SageMaker endpoint ${endpointName}`,
      schedule: expression,
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        role,
        // The time the run was scheduled for, not when it started: the window follows the schedule, not delays.
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        maxEventAge: Duration.hours(1),
        retryAttempts: 3,
      }),
    });
  }

  private createAlarm(endpointName: string, topic: sns.ITopic): cloudwatch.Alarm {
    const period = Duration.minutes(5);
    const group = this.schedule.scheduleGroup!;
    const groupMetric = (metricName: string) => group.metric(metricName, { statistic: 'Sum', period });
    const alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription: `Drift monitor of endpoint ${endpointName}: a run found drift (execution error DriftDetected, report under `
        + `${REPORTS_PREFIX}/${endpointName}/ in the capture bucket), failed, timed out, was aborted or could not be started`,
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0) + FILL(targetErrors, 0) + FILL(dropped, 0)',
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ period }),
          timedOut: this.stateMachine.metricTimedOut({ period }),
          aborted: this.stateMachine.metricAborted({ period }),
          targetErrors: groupMetric('TargetErrorCount'),
          dropped: groupMetric('InvocationDroppedCount'),
        },
        period,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    return alarm;
  }

  /** Acknowledges, with the reason, each generic-pack finding that the monitor's roles carry by design. */
  private acknowledge(bucket: s3.IBucket, captures: string, reports: string, processingLogs: string): void {
    const role = this.jobRole;
    acknowledgeRules(role, RULES.inlinePolicy, OWN_POLICY_REASON);
    acknowledgeRules(this.stateMachine.role, RULES.inlinePolicy, OWN_POLICY_REASON);
    acknowledgeRules(role, [WildcardFindingIds.resource(this, '*')], 'EC2 Describe actions and cloudwatch:PutMetricData support no '
      + 'resource-level permissions (metrics are limited to the SageMaker processing namespace by a condition); creating and deleting the '
      + 'job\'s network interfaces is limited by an ec2:Vpc condition to the environment\'s VPC.');
    acknowledgeRules(role, [
      WildcardFindingIds.resource(this, bucket.arnForObjects(`${captures}*`)),
      WildcardFindingIds.resource(this, bucket.arnForObjects(`${reports}*`)),
    ], 'Each run reads the captures of its window, which SageMaker names when it writes them under <prefix>/<endpoint>/<variant>/<date>/, '
      + 'and writes its report under monitoring/<endpoint>/<window>/<execution>/: the role may read only this endpoint\'s captures and '
      + 'write only its reports, in this endpoint\'s own capture bucket.');
    acknowledgeRules(role, [WildcardFindingIds.resource(this, `${processingLogs}:log-stream:*`)], 'SageMaker writes one log stream per '
      + 'processing job and instance, named when the job starts, in the account\'s /aws/sagemaker/ProcessingJobs log group; the wildcard '
      + 'covers that group\'s streams only.');
    acknowledgeRules(this.stateMachine.role, [WildcardFindingIds.resource(this, '*')], 'X-Ray trace upload and the CloudWatch Logs '
      + 'vended-delivery actions Step Functions uses for execution logging support no resource-level permissions.');
    acknowledgeRules(this.stateMachine.role, [WildcardFindingIds.resource(this, Stack.of(this).formatArn({
      service: 'sagemaker', resource: 'processing-job', resourceName: `${this.jobNamePrefix}-*`,
    }))], 'Each run starts a processing job named <prefix>-<uuid>; the state machine may create, describe and stop only the jobs of this '
      + 'monitor\'s prefix.');
  }
}
