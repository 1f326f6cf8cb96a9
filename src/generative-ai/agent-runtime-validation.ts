// The checks of an AgentRuntime's props, made when the app is synthesized: each throws an Error naming the prop, the bad
// value and the fix, and returns the value the runtime uses. Internal: not exported from the library.
import { Duration, Token } from 'aws-cdk-lib';
import type * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import type { AgentAuthorizer } from './agent-authorizer';
import type { AgentRuntimeProps } from './agent-runtime';
import type { BedrockModel } from './bedrock-model';
import { AiEndpointService } from '../environment/ai-endpoint-service';

const RUNTIME_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/;
/** Looks like a credential in an environment variable's value: agents read secrets from Secrets Manager instead. */
const SECRET_VALUE = /AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|\b(?:sk|ghp|hf)_[A-Za-z0-9]{16,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./;
const SECRET_NAME = /(password|passwd|secret|token|api_?key|private_?key)$/i;

/** The endpoints the agent needs in the environment, by what it is given. */
export function requiredEndpoints(props: AgentRuntimeProps): AiEndpointService[] {
  return [
    AiEndpointService.BEDROCK_RUNTIME, AiEndpointService.BEDROCK_AGENTCORE, AiEndpointService.CLOUDWATCH_LOGS, AiEndpointService.XRAY,
    AiEndpointService.ECR_API, AiEndpointService.ECR_DOCKER,
    ...(props.knowledgeBases?.length ? [AiEndpointService.BEDROCK_AGENT_RUNTIME] : []),
    ...(props.toolGateway ? [AiEndpointService.BEDROCK_AGENTCORE_GATEWAY] : []),
  ];
}

export function validateModels(owner: string, models: BedrockModel[]): BedrockModel[] {
  if (models.length === 0) {
    throw new Error(`${owner}: models is empty, so the agent could invoke no model. Fix: name the models it uses `
      + '(BedrockModel.inferenceProfile(...) or BedrockModel.foundationModel(...)); it may invoke no other.');
  }
  return models;
}

export function validateExposure(owner: string, externallyExposed: boolean, authorizer: AgentAuthorizer): void {
  if (externallyExposed && !authorizer.isJwt) {
    throw new Error(`${owner}: externallyExposed is true but the authorizer is IAM, so external customers or collaborators would need `
      + 'IAM credentials of your account (SecureAI-D14). Fix: use AgentAuthorizer.jwt({ discoveryUrl, allowedClients }) of your identity provider.');
  }
}

export function validateRuntimeName(owner: string, name: string): string {
  if (Token.isUnresolved(name) || !RUNTIME_NAME.test(name)) {
    throw new Error(`${owner}: runtimeName '${name}' is not a runtime name. Fix: a letter, then up to 47 letters, digits and underscores.`);
  }
  return name;
}

export function validateEndpointName(owner: string, name: string): string {
  if (Token.isUnresolved(name) || !RUNTIME_NAME.test(name) || name.toUpperCase() === 'DEFAULT') {
    throw new Error(`${owner}: endpointName '${name}' is not an endpoint name of its own. Fix: a letter, then up to 47 letters, digits and `
      + 'underscores, not DEFAULT (AgentCore keeps DEFAULT on the latest version, unpinned).');
  }
  return name;
}

export function validateEnvironmentVariables(owner: string, variables: Record<string, string>): Record<string, string> {
  const entries = Object.entries(variables);
  if (entries.length > 40) {
    throw new Error(`${owner}: environmentVariables has ${entries.length} variables; the runtime takes 50, of which it sets up to 6. Fix: pass fewer.`);
  }
  for (const [name, value] of entries) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]{0,99}$/.test(name) || name.startsWith('AGENT_')) {
      throw new Error(`${owner}: environment variable '${name}' is not a name the agent may be given. Fix: use letters, digits and `
        + 'underscores, starting with a letter, and not the AGENT_ prefix of the runtime\'s own variables.');
    }
    if (!Token.isUnresolved(value) && (SECRET_VALUE.test(value) || (SECRET_NAME.test(name) && value.length > 0 && !value.startsWith('arn:')))) {
      throw new Error(`${owner}: environment variable '${name}' looks like a secret, and environment variables are readable by anyone who `
        + 'can describe the runtime. Fix: store the secret in Secrets Manager and pass its ARN; grant the role secretsmanager:GetSecretValue on it.');
    }
  }
  return variables;
}

export function validateLifecycle(owner: string, idle: Duration, max: Duration): agentcore.CfnRuntime.LifecycleConfigurationProperty {
  const seconds = (d: Duration) => (d.isUnresolved() ? NaN : d.toSeconds());
  const [idleSeconds, maxSeconds] = [seconds(idle), seconds(max)];
  for (const [prop, value] of [['idleSessionTimeout', idleSeconds], ['maxSessionLifetime', maxSeconds]] as const) {
    if (!(value >= 60 && value <= 28800)) {
      throw new Error(`${owner}: ${prop} must be between 1 minute and 8 hours, as AgentCore requires. Fix: give for example Duration.minutes(15).`);
    }
  }
  if (idleSeconds > maxSeconds) {
    throw new Error(`${owner}: idleSessionTimeout is longer than maxSessionLifetime. Fix: give an idle timeout no longer than the lifetime.`);
  }
  return { idleRuntimeSessionTimeout: idleSeconds, maxLifetime: maxSeconds };
}
