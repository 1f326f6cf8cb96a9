import { AiEndpointService } from '../environment/ai-endpoint-service';
import type { AiEnvironment } from '../environment/ai-environment';

/**
 * Throws unless the environment has an interface endpoint for each service: in isolated subnets a workload reaches
 * AWS only through them, and a missing one fails at run time, not at deployment.
 * @param owner the construct, for the message (`AgentRuntime Assistant`)
 * @param why what the workload does with the services
 */
export function requireEndpoints(owner: string, environment: AiEnvironment, services: readonly AiEndpointService[], why: string): void {
  const missing = services.filter((s) => !environment.endpointServices.includes(s));
  if (missing.length === 0) return;
  const names = missing.map((s) => `AiEndpointService.${enumName(s)}`);
  throw new Error(`${owner}: the environment ${environment.node.path} has no VPC endpoint for ${missing.join(', ')}, and ${why}. `
    + `Fix: add ${names.join(', ')} to the environment's endpoints.`);
}

function enumName(service: AiEndpointService): string {
  return Object.entries(AiEndpointService).find(([, v]) => v === service)![0];
}
