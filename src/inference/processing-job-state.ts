import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { sageMakerSyncTaskStatements } from '../construct-kit/sagemaker-sync-task';

/** One input of the job: an S3 prefix (or object) SageMaker downloads to `localPath` before the container starts. */
export interface ProcessingJobInput {
  readonly inputName: string;
  /** `s3://bucket/key-or-prefix`, or a JSONata expression (`{% ... %}`) that evaluates to one when the state runs. */
  readonly uri: string;
  readonly localPath: string;
}

/** Properties of a {@link ProcessingJobState}. */
export interface ProcessingJobStateProps {
  /**
   * The job's name, 1 to 63 letters, digits and hyphens starting with `<jobNamePrefix>-`: a JSONata expression
   * evaluated when the state runs (a name per execution), such as a workflow variable assigned before.
   */
  readonly jobName: string;
  /** The state machine may start, describe and stop only jobs of this prefix (lowercase, as SageMaker's ARNs are). */
  readonly jobNamePrefix: string;
  /** The execution role the job runs with. */
  readonly role: iam.IRole;
  readonly imageUri: string;
  /** The container's entrypoint; the image's own when absent. */
  readonly entrypoint?: string[];
  readonly inputs: ProcessingJobInput[];
  /** Where the container's `/opt/ml/processing/output` is uploaded at the end of the job (an S3 URI or a JSONata expression). */
  readonly outputUri: string;
  readonly outputLocalPath: string;
  readonly outputKey: kms.IKey;
  readonly volumeKey: kms.IKey;
  readonly instanceType: string;
  readonly volumeSizeInGb: number;
  readonly maxRuntimeInSeconds: number;
  /** The container's environment; values may be JSONata expressions. */
  readonly environment: { [name: string]: string };
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** Workflow variables to assign from the job's description (`$states.result`) when it completes. */
  readonly assign?: { [name: string]: string };
}

/**
 * A `sagemaker:createProcessingJob.sync` task of a JSONata state machine, written as Amazon States Language (the CDK
 * has no processing-job task). Every security setting is a literal in the definition, where the environment's boundary
 * checks it at run time and SecureAI-P8, P9 and P11 read it at synth time: network isolation, inter-container
 * encryption, the environment's subnets and a security group, the output and volume keys, a maximum runtime.
 * `policyStatements` are scoped to the job name prefix, the execution role and Step Functions' own event rule.
 */
export class ProcessingJobState extends sfn.CustomState {
  /** What the state machine's role needs to run this state. */
  public readonly policyStatements: iam.PolicyStatement[];

  public constructor(scope: Construct, id: string, props: ProcessingJobStateProps) {
    super(scope, id, {
      stateJson: {
        Type: 'Task',
        Resource: `arn:${Aws.PARTITION}:states:::sagemaker:createProcessingJob.sync`,
        Arguments: {
          ProcessingJobName: props.jobName,
          RoleArn: props.role.roleArn,
          AppSpecification: {
            ImageUri: props.imageUri,
            ...(props.entrypoint !== undefined ? { ContainerEntrypoint: props.entrypoint } : {}),
          },
          ProcessingInputs: props.inputs.map((input) => ({
            InputName: input.inputName,
            S3Input: {
              S3Uri: input.uri,
              LocalPath: input.localPath,
              S3DataType: 'S3Prefix',
              S3InputMode: 'File',
              S3DataDistributionType: 'FullyReplicated',
            },
          })),
          ProcessingOutputConfig: {
            KmsKeyId: props.outputKey.keyArn,
            Outputs: [{ OutputName: 'report', S3Output: { S3Uri: props.outputUri, LocalPath: props.outputLocalPath, S3UploadMode: 'EndOfJob' } }],
          },
          ProcessingResources: {
            ClusterConfig: {
              InstanceCount: 1,
              InstanceType: props.instanceType,
              VolumeSizeInGB: props.volumeSizeInGb,
              VolumeKmsKeyId: props.volumeKey.keyArn,
            },
          },
          StoppingCondition: { MaxRuntimeInSeconds: props.maxRuntimeInSeconds },
          Environment: props.environment,
          NetworkConfig: {
            EnableNetworkIsolation: true,
            EnableInterContainerTrafficEncryption: true,
            VpcConfig: { Subnets: props.subnetIds, SecurityGroupIds: props.securityGroupIds },
          },
        },
        // The job's full description stays in SageMaker: the next states need only what is assigned.
        Output: {},
        ...(props.assign !== undefined ? { Assign: props.assign } : {}),
      },
    });

    this.policyStatements = sageMakerSyncTaskStatements(this, 'Processing', props.jobNamePrefix, props.role);
  }
}
