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
  /** Bedrock (`bedrock`): the control plane, such as model-invocation logging settings. Not in the default set. */
  BEDROCK = 'bedrock',
  /** Bedrock Agent Runtime (`bedrock-agent-runtime`): query knowledge bases (`Retrieve`). Not in the default set. */
  BEDROCK_AGENT_RUNTIME = 'bedrock-agent-runtime',
  /** AgentCore data plane (`bedrock-agentcore`): runtimes, memory and identity. Not in the default set. */
  BEDROCK_AGENTCORE = 'bedrock-agentcore',
  /** AgentCore gateways (`bedrock-agentcore.gateway`): call the tools of a gateway. Not in the default set. */
  BEDROCK_AGENTCORE_GATEWAY = 'bedrock-agentcore.gateway',
  /** X-Ray (`xray`): send traces. Not in the default set. */
  XRAY = 'xray',
}
