import { Answer, combine, COMPLIANT, judge, normaliseEnum, NOT_APPLICABLE, RuleResult } from '../../engine/checks';
import { IndexedResource } from '../../engine/resource-index';
import { Branch, describe, isPlainObject, readPath, ResourceReference, UnknownValue, unknownOf, Value } from '../../engine/values';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** The tag that records a deliberate opt-in to a capability: `ai:opt-in:<capability>` = the reason. */
const OPT_IN_TAG = 'ai:opt-in:';

/** The reason given to opt in to capability `name`, when every readable form of the resource's tags gives one. */
function optInReason(resource: IndexedResource, name: string): string | undefined {
  let reason: string | undefined;
  for (const tags of resource.tags()) {
    if (tags instanceof UnknownValue) continue;
    const value = tags.get(`${OPT_IN_TAG}${name}`);
    if (typeof value !== 'string' || value.trim() === '') return undefined;
    reason = reason ?? value;
  }
  return reason;
}

/** An enum that is not `risky` (any spelling); unknown when chosen at deploy time. */
function isNot(risky: string): (value: Value) => Answer {
  return (value) => {
    const unknown = unknownOf(value);
    if (unknown) return unknown;
    if (value instanceof ResourceReference) return new UnknownValue('the value is an attribute of another resource');
    return !(typeof value === 'string' && normaliseEnum(value) === normaliseEnum(risky));
  };
}

/** Not `true` / `"true"`; unknown when chosen at deploy time. */
function isNotTrue(value: Value): Answer {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (value instanceof ResourceReference) return new UnknownValue('the value is an attribute of another resource');
  return !(value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true'));
}

/** Judges a capability switch unless the resource opts in to it. */
function capability(
  resource: IndexedResource, name: string, branches: Branch[], location: string, test: (v: Value) => Answer, failure: (v: Value) => string,
): RuleResult {
  if (optInReason(resource, name) !== undefined) return COMPLIANT;
  return judge(branches, location, test, (v) => `${failure(v)}, and the resource has no ${OPT_IN_TAG}${name} tag recording that `
    + 'users were told of the risk and opted in', location.replace(/^Properties\./, ''));
}

function agent(resource: IndexedResource): RuleResult {
  const forms: Branch[] = resource.get('ActionGroups').map((b) => {
    if (unknownOf(b.value) || !Array.isArray(b.value)) return b;
    const enabled = b.value.filter((g) => !(isPlainObject(g) && typeof g.ActionGroupState === 'string' && normaliseEnum(g.ActionGroupState) === 'disabled'));
    const signatures = enabled.map((g) => (isPlainObject(g) ? g.ParentActionGroupSignature : g));
    const risky = signatures.find((s) => isNot('AMAZON.CodeInterpreter')(s) !== true);
    return { value: risky, parameters: b.parameters };
  });
  return capability(resource, 'code-interpreter', forms, 'Properties.ActionGroups', isNot('AMAZON.CodeInterpreter'),
    (v) => `an enabled action group has ParentActionGroupSignature ${describe(v)}: the agent writes and runs code in a sandbox on any user's request`);
}

function variants(resource: IndexedResource): RuleResult {
  const results: RuleResult[] = [];
  for (const list of ['ProductionVariants', 'ShadowProductionVariants']) {
    const forms: Branch[] = resource.get(list).map((b) => {
      if (unknownOf(b.value)) return { value: new UnknownValue(`${list} is ${describe(b.value)}`), parameters: b.parameters };
      if (!Array.isArray(b.value)) return { value: undefined, parameters: b.parameters };
      const flags = b.value.map((v) => readPath(v, ['EnableSSMAccess']));
      return { value: flags.find((f) => isNotTrue(f) !== true), parameters: b.parameters };
    });
    results.push(capability(resource, 'ssm-access', forms, `Properties.${list}`, isNotTrue,
      (v) => `a variant of ${list} has EnableSSMAccess ${describe(v)}: operators get a shell inside the containers that hold the model `
        + 'and serve its requests'));
  }
  return combine(...results);
}

export const riskyCapabilitiesOptIn: RuleDefinition = {
  title: 'Risky capabilities (code execution, Docker, shell and browser access) are explicitly opted in to',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'explain riskier capabilities to users and require users to opt in to use them',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::Bedrock::Agent', 'AWS::SageMaker::Domain', 'AWS::SageMaker::EndpointConfig',
    'AWS::BedrockAgentCore::CodeInterpreterCustom', 'AWS::BedrockAgentCore::BrowserCustom'],
  compliantWhen: 'no enabled `AWS::Bedrock::Agent` action group has `ParentActionGroupSignature: AMAZON.CodeInterpreter`; '
    + '`AWS::SageMaker::Domain` `DomainSettings.DockerSettings.EnableDockerAccess` is not ENABLED; no '
    + '`AWS::SageMaker::EndpointConfig` `ProductionVariants[]`/`ShadowProductionVariants[]` has `EnableSSMAccess: true`; '
    + '`AWS::BedrockAgentCore::CodeInterpreterCustom` and `BrowserCustom` `NetworkConfiguration.NetworkMode` is not PUBLIC — unless '
    + 'the resource (or its stack) carries the opt-in tag `ai:opt-in:code-interpreter`, `ai:opt-in:docker-access`, '
    + '`ai:opt-in:ssm-access` or `ai:opt-in:browser` with the reason as value, or the finding is acknowledged with a reason',
  explanation: 'Letting an agent write and run code, browse the public web, or giving users Docker or shell access to model '
    + 'containers widens what a prompt-injected agent or a compromised account can do far beyond answering questions. The '
    + 'guideline asks that such riskier capabilities be explained and opted in to deliberately, not switched on by default.',
  fix: 'Remove the capability (the AMAZON.CodeInterpreter action group, enableDockerAccess, enableSsmAccess, PUBLIC network mode: use '
    + 'SANDBOX or VPC), or record the decision: Tags.of(resource).add(\'ai:opt-in:<capability>\', \'<why, and how users are told>\').',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource) {
    switch (resource.type) {
      case 'AWS::Bedrock::Agent':
        return agent(resource);
      case 'AWS::SageMaker::Domain':
        return capability(resource, 'docker-access', resource.get('DomainSettings.DockerSettings.EnableDockerAccess'),
          'Properties.DomainSettings.DockerSettings.EnableDockerAccess', isNot('ENABLED'),
          (v) => `DomainSettings.DockerSettings.EnableDockerAccess is ${describe(v)}: Studio users can build and run arbitrary containers `
            + 'next to the domain\'s data and models');
      case 'AWS::SageMaker::EndpointConfig':
        return variants(resource);
      case 'AWS::BedrockAgentCore::CodeInterpreterCustom':
      case 'AWS::BedrockAgentCore::BrowserCustom': {
        const tool = resource.type.endsWith('CodeInterpreterCustom') ? 'code-interpreter' : 'browser';
        return capability(resource, tool, resource.get('NetworkConfiguration.NetworkMode'), 'Properties.NetworkConfiguration.NetworkMode',
          isNot('PUBLIC'), (v) => `NetworkConfiguration.NetworkMode is ${describe(v)}: the agent's ${tool === 'browser' ? 'browser reads any '
            + 'web page, including pages planted to inject instructions' : 'generated code runs with open internet access'}`);
      }
      default:
        return NOT_APPLICABLE;
    }
  },
};
