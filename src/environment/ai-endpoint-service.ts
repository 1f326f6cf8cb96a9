/**
 * AWS services an AI environment reaches through interface VPC endpoints, so that workloads in isolated subnets
 * need no route to the internet. (S3 is always reached through a gateway endpoint, which has no hourly charge.)
 */
export enum AiEndpointService {
  /** SageMaker API (`sagemaker.api`): create and describe jobs, models and endpoints. */
  SAGEMAKER_API = 'sagemaker.api',
  /** SageMaker Runtime (`sagemaker.runtime`): invoke endpoints. */
  SAGEMAKER_RUNTIME = 'sagemaker.runtime',
  /** ECR API (`ecr.api`): image metadata and authorisation tokens. */
  ECR_API = 'ecr.api',
  /** ECR Docker registry (`ecr.dkr`): pull images. */
  ECR_DOCKER = 'ecr.dkr',
  /** CloudWatch Logs (`logs`). */
  CLOUDWATCH_LOGS = 'logs',
  /** CloudWatch metrics (`monitoring`). */
  CLOUDWATCH_MONITORING = 'monitoring',
  /** KMS (`kms`): encrypt and decrypt with the environment's keys. */
  KMS = 'kms',
  /** STS (`sts`): assume roles and get caller identity. */
  STS = 'sts',
  /** Step Functions (`states`): training and evaluation pipelines. */
  STEP_FUNCTIONS = 'states',
  /** Bedrock Runtime (`bedrock-runtime`): invoke foundation models. Not in the default set. */
  BEDROCK_RUNTIME = 'bedrock-runtime',
}
