import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { sageMakerSyncTaskStatements } from '../construct-kit/sagemaker-sync-task';

/** One input channel as the training job reads it. */
export interface TrainingJobChannel {
  readonly channelName: string;
  /** `s3://bucket/key-or-prefix`. */
  readonly uri: string;
  readonly contentType?: string;
}

/** Properties of a {@link TrainingJobState}. */
export interface TrainingJobStateProps {
  /** Job names are `<prefix>-<uuid>`; the state machine may start and stop only jobs of this prefix. */
  readonly jobNamePrefix: string;
  /** The execution role the job runs with. */
  readonly role: iam.IRole;
  readonly imageUri: string;
  readonly channels: TrainingJobChannel[];
  /** `s3://bucket/prefix`: SageMaker appends `<job name>/output/model.tar.gz`. */
  readonly outputPath: string;
  readonly outputKey: kms.IKey;
  /** The key of the instances' storage volumes; none for instance types with local NVMe storage, which refuse one. */
  readonly volumeKey?: kms.IKey;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly volumeSizeInGb: number;
  readonly maxRuntimeInSeconds: number;
  readonly hyperparameters?: { [name: string]: string };
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
}

/**
 * A `sagemaker:createTrainingJob.sync` task written as Amazon States Language. `SageMakerCreateTrainingJob` is not
 * used because it cannot set `EnableInterContainerTrafficEncryption`, always adds to the job's `VpcConfig` a security
 * group of its own that allows all egress, and grants `sagemaker:ListTags` on `*` and, for generated job names, the
 * training-job actions on every job of the account. This state sets every field, and `policyStatements` are scoped
 * to the job name prefix, the execution role and Step Functions' own event rule.
 */
export class TrainingJobState extends sfn.CustomState {
  /** What the state machine's role needs to run this state. */
  public readonly policyStatements: iam.PolicyStatement[];

  public constructor(scope: Construct, id: string, props: TrainingJobStateProps) {
    super(scope, id, {
      stateJson: {
        Type: 'Task',
        Resource: `arn:${Aws.PARTITION}:states:::sagemaker:createTrainingJob.sync`,
        Parameters: {
          // A fresh name per execution; the prefix keeps it within the role's scope and within 63 characters.
          'TrainingJobName.$': `States.Format('${props.jobNamePrefix}-{}', States.UUID())`,
          'RoleArn': props.role.roleArn,
          'AlgorithmSpecification': { TrainingImage: props.imageUri, TrainingInputMode: 'File' },
          'InputDataConfig': props.channels.map((c) => ({
            ChannelName: c.channelName,
            DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: c.uri, S3DataDistributionType: 'FullyReplicated' } },
            ...(c.contentType !== undefined ? { ContentType: c.contentType } : {}),
          })),
          'OutputDataConfig': { S3OutputPath: props.outputPath, KmsKeyId: props.outputKey.keyArn },
          'ResourceConfig': {
            InstanceType: props.instanceType,
            InstanceCount: props.instanceCount,
            VolumeSizeInGB: props.volumeSizeInGb,
            ...(props.volumeKey !== undefined ? { VolumeKmsKeyId: props.volumeKey.keyArn } : {}),
          },
          'StoppingCondition': { MaxRuntimeInSeconds: props.maxRuntimeInSeconds },
          ...(props.hyperparameters !== undefined && Object.keys(props.hyperparameters).length > 0
            ? { HyperParameters: props.hyperparameters } : {}),
          'VpcConfig': { Subnets: props.subnetIds, SecurityGroupIds: props.securityGroupIds },
          'EnableNetworkIsolation': true,
          'EnableInterContainerTrafficEncryption': true,
        },
        // Only what the next steps need travels on: the job's full description stays in SageMaker.
        ResultSelector: {
          'TrainingJobName.$': '$.TrainingJobName',
          'TrainingJobArn.$': '$.TrainingJobArn',
          'ModelArtifacts.$': '$.ModelArtifacts',
        },
        ResultPath: '$.trainingJob',
      },
    });

    this.policyStatements = sageMakerSyncTaskStatements(this, 'Training', props.jobNamePrefix, props.role);
  }
}
