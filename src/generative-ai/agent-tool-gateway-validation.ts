// The checks of an AgentToolGateway's props and tools, made when the app is synthesized: each throws an Error naming
// the prop, the bad value and the fix. Internal: not exported from the library.
import { Token } from 'aws-cdk-lib';
import type { AgentTool } from './agent-tool-gateway';
import { requireReason } from '../construct-kit/opt-out-reason';

const GATEWAY_NAME = /^([0-9a-zA-Z][-]?){1,100}$/;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function validateGatewayName(owner: string, name: string): string {
  if (Token.isUnresolved(name) || !GATEWAY_NAME.test(name) || name.endsWith('-')) {
    throw new Error(`${owner}: gatewayName '${name}' is not a gateway name. Fix: use 1 to 100 letters and digits, with single hyphens `
      + 'between them.');
  }
  return name;
}

export function validateTargetName(owner: string, name: string, taken: Set<string>): string {
  if (Token.isUnresolved(name) || !GATEWAY_NAME.test(name) || name.endsWith('-')) {
    throw new Error(`${owner}: targetName '${name}' is not a target name. Fix: use letters and digits, with single hyphens between them.`);
  }
  if (taken.has(name)) throw new Error(`${owner}: targetName '${name}' is used twice. Fix: give each target its own name.`);
  taken.add(name);
  return name;
}

export function validateTools(owner: string, target: string, tools: AgentTool[]): AgentTool[] {
  if (tools.length === 0) {
    throw new Error(`${owner}: target '${target}' has no tools. Fix: describe each tool the function serves (name, description, inputSchema).`);
  }
  const names = new Set<string>();
  return tools.map((tool) => {
    if (Token.isUnresolved(tool.name) || !TOOL_NAME.test(tool.name) || names.has(tool.name)) {
      throw new Error(`${owner}: tool name '${tool.name}' of target '${target}' is not a tool name or is given twice. Fix: use 1 to 64 `
        + 'letters, digits, hyphens and underscores, once per target.');
    }
    names.add(tool.name);
    if (tool.description.trim().length < 10) {
      throw new Error(`${owner}: tool '${tool.name}' has description '${tool.description}'. Fix: say what the tool does, for the model `
        + 'that chooses it, in a sentence.');
    }
    const readOnly = tool.readOnly === undefined ? undefined
      : requireReason(owner, `tools '${tool.name}' readOnly`, tool.readOnly, 'what the tool reads and why calling it changes nothing');
    return { ...tool, readOnly };
  });
}
