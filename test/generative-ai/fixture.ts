// A stack with what the generative-AI constructs are composed with: an AiEnvironment whose endpoints reach Bedrock and
// AgentCore, and the threat-model tags every AI stack carries (SecureAI-D1).
import { App, Stack, StackProps, Tags } from 'aws-cdk-lib';
import { AiEndpointService } from '../../src/environment/ai-endpoint-service';
import { AiEnvironment, AiEnvironmentProps } from '../../src/environment/ai-environment';

export const ENV = { account: '111111111111', region: 'eu-west-2' };

/** The environment's default endpoints and those the generative-AI constructs need. */
export const GENERATIVE_AI_ENDPOINTS = [
  AiEndpointService.ECR_API, AiEndpointService.ECR_DOCKER, AiEndpointService.CLOUDWATCH_LOGS, AiEndpointService.CLOUDWATCH_MONITORING,
  AiEndpointService.KMS, AiEndpointService.STS, AiEndpointService.BEDROCK, AiEndpointService.BEDROCK_RUNTIME,
  AiEndpointService.BEDROCK_AGENT_RUNTIME, AiEndpointService.BEDROCK_AGENTCORE, AiEndpointService.BEDROCK_AGENTCORE_GATEWAY,
  AiEndpointService.XRAY,
];

export interface Composition {
  readonly stack: Stack;
  readonly environment: AiEnvironment;
}

/** A stack `Ai` with an environment `Env` (production unless told otherwise) and the threat-model tags. */
export function composition(
  app: App = new App(), environmentProps: Partial<AiEnvironmentProps> = {}, stackProps: StackProps = { env: ENV },
): Composition {
  const stack = new Stack(app, 'Ai', stackProps);
  Tags.of(stack).add('ai:threat-model', 'https://wiki.example.com/ai/assistant/threat-model');
  Tags.of(stack).add('ai:risk-owner', 'head-of-customer-service');
  Tags.of(stack).add('ai:criticality', 'high');
  const environment = new AiEnvironment(stack, 'Env', { owner: 'assistant-team', endpoints: GENERATIVE_AI_ENDPOINTS, ...environmentProps });
  return { stack, environment };
}
