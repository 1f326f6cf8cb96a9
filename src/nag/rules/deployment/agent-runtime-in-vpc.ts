import { Answer, combine, expectProperty, isOneOf, Verdict, was } from '../../engine/checks';
import { Expression, ResourceReference, UnknownValue, Value } from '../../engine/values';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/**
 * A list of subnets or security groups is given: a non-empty list, or a value chosen at deploy time (a
 * `List<AWS::EC2::Subnet::Id>` parameter's comma-separated default, an `Fn::Split` of an import). Only an absent or
 * empty list fails: the rule asks that the runtime be placed in a VPC, not which subnets it uses.
 */
function listIsGiven(value: Value): Answer {
  // Inside a NetworkConfiguration that cannot be read, the list may as well be absent.
  if (value instanceof UnknownValue && value.insideUnknown) return value;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'string') return value.trim() !== '';
  return value instanceof UnknownValue || value instanceof Expression || value instanceof ResourceReference;
}

export const agentRuntimeInVpc: RuleDefinition = {
  title: 'AgentCore runtimes run inside a VPC',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Secure your infrastructure',
  quote: 'appropriate segregation of environments holding sensitive code or data',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::BedrockAgentCore::Runtime'],
  compliantWhen: '`NetworkConfiguration.NetworkMode` is `VPC` and `NetworkModeConfig.Subnets` and `NetworkModeConfig.SecurityGroups` are non-empty',
  explanation: 'An agent runtime in PUBLIC network mode executes agent code and tools with open internet egress and no '
    + 'network boundary: a prompt-injected agent can reach any endpoint to exfiltrate data, and the runtime cannot be '
    + 'segregated from the rest of the estate by security groups, VPC endpoints or flow logs.',
  fix: 'Set NetworkConfiguration.NetworkMode to VPC with NetworkModeConfig.Subnets (private subnets) and '
    + 'NetworkModeConfig.SecurityGroups (RuntimeNetworkConfiguration.usingVpc(...) in the aws-bedrockagentcore L2).',
  peers: 'CFG bedrockagentcore-runtime-private-network-required; SH BedrockAgentCore.1; CP aiml-bedrock-runtime-vpc, aiml-bedrock-runtime-security-groups',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource) {
    const mode = expectProperty(resource, 'NetworkConfiguration.NetworkMode', isOneOf('VPC'),
      (v) => `NetworkConfiguration.NetworkMode ${was(v)}: the agent runtime runs with public internet access instead of inside your VPC, `
        + 'outside any network segregation of the agent\'s code and the data it reaches');
    // A public runtime has no subnets to judge: name the mode alone.
    if (mode.verdict === Verdict.NON_COMPLIANT) return mode;
    return combine(mode,
      expectProperty(resource, 'NetworkConfiguration.NetworkModeConfig.Subnets', listIsGiven,
        (v) => `NetworkConfiguration.NetworkModeConfig.Subnets ${was(v)}: a runtime in VPC mode needs the private subnets it runs in`),
      expectProperty(resource, 'NetworkConfiguration.NetworkModeConfig.SecurityGroups', listIsGiven,
        (v) => `NetworkConfiguration.NetworkModeConfig.SecurityGroups ${was(v)}: without security groups the runtime's traffic is not restricted`),
    );
  },
};
