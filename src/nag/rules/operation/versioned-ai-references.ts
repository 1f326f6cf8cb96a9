import { Answer, combine, judge, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable } from '../../engine/checks';
import { listOf } from '../../engine/lists';
import { member, parseEmbeddedJson } from '../../engine/readers/embedded-json';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { Branch, describe, Expression, isPlainObject, ResourceReference, UnknownValue, Value } from '../../engine/values';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const AGENT = 'AWS::Bedrock::Agent';
const AGENT_ALIAS = 'AWS::Bedrock::AgentAlias';
const FLOW = 'AWS::Bedrock::Flow';
const FLOW_ALIAS = 'AWS::Bedrock::FlowAlias';
const ENFORCED = 'AWS::Bedrock::EnforcedGuardrailConfiguration';

/** Resources whose `Version` attribute is a numbered, immutable version. */
const VERSION_TYPES = new Set(['AWS::Bedrock::GuardrailVersion', 'AWS::Bedrock::FlowVersion', 'AWS::Bedrock::PromptVersion']);
/** Resources whose version attributes are always the working draft (`Version`, `AgentVersion` are `DRAFT`). */
const DRAFT_TYPES = new Set(['AWS::Bedrock::Guardrail', 'AWS::Bedrock::Flow', 'AWS::Bedrock::Prompt', AGENT]);

/**
 * Whether a version value pins a numbered version: a number or numeric string, or the `Version` of a
 * GuardrailVersion/FlowVersion/PromptVersion resource. `DRAFT`, the `Version` of the guardrail, flow or prompt itself,
 * and an agent's `AgentVersion` attribute are the mutable draft.
 */
function isNumberedVersion(index: ResourceIndex): (value: Value) => Answer {
  return (value) => {
    if (value instanceof UnknownValue) return value;
    if (typeof value === 'number') return Number.isInteger(value) && value > 0;
    if (typeof value === 'string') return /^\s*[1-9]\d*\s*$/.test(value);
    if (value instanceof ResourceReference) {
      const target = index.resolve(value);
      if (!target) return new UnknownValue(`a version read from ${describe(value)}, which is not in the app`);
      if (VERSION_TYPES.has(target.type)) return true;
      if (DRAFT_TYPES.has(target.type)) return false;
      return new UnknownValue(`a version read from ${target.type} ${target.logicalId}`);
    }
    if (value instanceof Expression) return value.unknown ?? new UnknownValue(`a version built at deploy time (${describe(value)})`);
    return false;
  };
}

/** Why a version value is the draft, for messages. */
function problem(value: Value): string {
  if (value === undefined) return 'is absent, so the working DRAFT is used';
  if (value instanceof ResourceReference) return `is ${describe(value)}, which is the working DRAFT, not a numbered version`;
  return `is ${describe(value)}, not a numbered version`;
}

const CONSEQUENCE = 'every edit of the draft reaches users at once, untested and without a version to roll back to';

/** A version property read below a list (`RoutingConfiguration[].AgentVersion`), every entry in every form. */
function judgeList(index: ResourceIndex, resource: IndexedResource, list: string, key: string, what: string): RuleResult {
  const forms = resource.get(list);
  const results: RuleResult[] = [];
  for (const form of forms) {
    if (form.value instanceof UnknownValue) {
      results.push(unverifiable(`${list} cannot be verified at synth time: ${form.value.reason}`, `Properties.${list}`));
      continue;
    }
    const entries = listOf(form.value);
    if (entries.length === 0) {
      results.push(nonCompliant(`${list} is absent: the alias routes to a version made from whatever the DRAFT is at deploy time, `
        + `not a reviewed, numbered ${what}`, `Properties.${list}`));
      continue;
    }
    entries.forEach((entry, i) => {
      const value = isPlainObject(entry) ? entry[key] : entry instanceof UnknownValue ? entry : undefined;
      const branch: Branch = { value, parameters: form.parameters };
      const path = `${list}[${i}].${key}`;
      results.push(judge([branch], `Properties.${path}`, isNumberedVersion(index), (v) => `${path} ${problem(v)}: ${CONSEQUENCE}`, path));
    });
  }
  return combine(...results);
}

/** A guardrail version inside a block that is optional (`GuardrailConfiguration`): judged only where the block names a guardrail. */
function judgeGuardrail(index: ResourceIndex, resource: IndexedResource, block: string): RuleResult {
  const forms = resource.get(block)
    .filter((b) => (isPlainObject(b.value) && b.value.GuardrailIdentifier !== undefined) || b.value instanceof UnknownValue);
  if (forms.length === 0) return NOT_APPLICABLE;
  const path = `${block}.GuardrailVersion`;
  return judge(forms.map((b) => ({ value: isPlainObject(b.value) ? b.value.GuardrailVersion : b.value, parameters: b.parameters })),
    `Properties.${path}`, isNumberedVersion(index), (v) => `${path} ${problem(v)}: ${CONSEQUENCE}`, path);
}

/** Prompt and guardrail references inside the nodes of a flow definition. */
function judgeFlow(index: ResourceIndex, flow: IndexedResource): RuleResult {
  const results: RuleResult[] = [];
  const forms: Branch[] = [...flow.get('Definition.Nodes')];
  // A definition given as a JSON string (`DefinitionString`), often built around references.
  for (const b of flow.get('DefinitionString')) {
    if (b.value === undefined) continue;
    const parsed = parseEmbeddedJson(b.value);
    if ('json' in parsed) forms.push({ value: member(parsed.json, 'Nodes'), parameters: b.parameters });
  }
  for (const form of forms) {
    if (form.value instanceof UnknownValue) continue; // a definition from S3 or built at deploy time: nothing to read
    listOf(form.value).forEach((node, i) => {
      const raw = member(node, 'Configuration');
      const configuration = isPlainObject(raw) ? raw : undefined;
      if (!configuration) return;
      for (const [kind, settings] of Object.entries(configuration)) {
        if (!isPlainObject(settings)) continue;
        // Keys are PascalCase in Definition and camelCase in a DefinitionString (the API's shape).
        const guardrail = member(settings, 'GuardrailConfiguration');
        if (member(guardrail, 'GuardrailIdentifier') !== undefined) {
          const path = `Definition.Nodes[${i}].Configuration.${kind}.GuardrailConfiguration.GuardrailVersion`;
          results.push(judge([{ value: member(guardrail, 'GuardrailVersion'), parameters: form.parameters }], `Properties.${path}`,
            isNumberedVersion(index), (v) => `${path} ${problem(v)}: ${CONSEQUENCE}`, path));
        }
        const promptArn = member(member(member(settings, 'SourceConfiguration'), 'Resource'), 'PromptArn');
        if (kind.toLowerCase() === 'prompt' && promptArn !== undefined) {
          const path = `Definition.Nodes[${i}].Configuration.Prompt.SourceConfiguration.Resource.PromptArn`;
          results.push(judge([{ value: promptArn, parameters: form.parameters }], `Properties.${path}`,
            isVersionedPromptArn(index), (v) => `${path} is ${describe(v)}, the prompt's DRAFT rather than a numbered version: ${CONSEQUENCE}`, path));
        }
      }
    });
  }
  return combine(...results);
}

/** A prompt ARN that names a version: `...:prompt/ID:3`, or the ARN of a PromptVersion resource. */
function isVersionedPromptArn(index: ResourceIndex): (value: Value) => Answer {
  return (value) => {
    if (value instanceof UnknownValue) return value;
    if (typeof value === 'string') return /:prompt\/[^:/]+:[1-9]\d*$/.test(value);
    const target = value instanceof ResourceReference || value instanceof Expression ? index.resolve(value) : undefined;
    if (target && target.type === 'AWS::Bedrock::PromptVersion') return true;
    if (target && target.type === 'AWS::Bedrock::Prompt') {
      return value instanceof Expression && /:[1-9]\d*$/.test(value.pattern);
    }
    if (value instanceof Expression) return /:prompt\/[^/]+:[1-9]\d*$/.test(value.pattern) || (value.unknown ?? new UnknownValue('a prompt ARN built at deploy time'));
    return new UnknownValue(`a prompt ARN read from ${describe(value)}`);
  };
}

export const versionedAiReferences: RuleDefinition = {
  title: 'Agents, aliases and flows use numbered versions, never the DRAFT',
  section: GuidelineSection.OPERATION,
  guideline: 'Follow a secure by design approach to updates',
  quote: 'providing preview access and versioned APIs',
  level: RuleLevel.WARNING,
  resourceTypes: [AGENT, AGENT_ALIAS, FLOW, FLOW_ALIAS, ENFORCED],
  compliantWhen: 'a numbered version (a positive integer, or the `Version` of an `AWS::Bedrock::GuardrailVersion`/`FlowVersion`/'
    + '`PromptVersion`) in `AWS::Bedrock::Agent` `GuardrailConfiguration.GuardrailVersion` (when a guardrail is named), every '
    + '`AgentAlias` `RoutingConfiguration[].AgentVersion` and `FlowAlias` `RoutingConfiguration[].FlowVersion` (absent routing on an '
    + 'agent alias snapshots the DRAFT), `EnforcedGuardrailConfiguration.GuardrailVersion`, and in flow nodes the '
    + '`GuardrailConfiguration.GuardrailVersion` and the prompt `PromptArn` (`...:prompt/ID:N`); never `DRAFT`, the `Version` of the '
    + 'guardrail/flow/prompt itself or the agent\'s `AgentVersion` attribute (both DRAFT)',
  explanation: 'The DRAFT of an agent, flow, prompt or guardrail changes with every edit. Serving it means every change reaches '
    + 'users at once, without the evaluation a new version gets and without a known-good version to return to; numbered '
    + 'versions behind aliases give users versioned APIs and let updates be previewed and rolled back.',
  fix: 'Create a bedrock.CfnGuardrailVersion / CfnFlowVersion / CfnPromptVersion and reference its attrVersion (or its ARN for '
    + 'prompts); route agent aliases to a numbered AgentVersion; never use "DRAFT" or guardrail.attrVersion.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    const index = context.index;
    switch (resource.type) {
      case AGENT:
        return judgeGuardrail(index, resource, 'GuardrailConfiguration');
      case AGENT_ALIAS:
        return judgeList(index, resource, 'RoutingConfiguration', 'AgentVersion', 'agent version');
      case FLOW_ALIAS:
        return judgeList(index, resource, 'RoutingConfiguration', 'FlowVersion', 'flow version');
      case FLOW:
        return judgeFlow(index, resource);
      default: {
        const path = 'GuardrailVersion';
        return judge(resource.get(path), `Properties.${path}`, isNumberedVersion(index), (v) => `${path} ${problem(v)}: ${CONSEQUENCE}`, path);
      }
    }
  },
};
