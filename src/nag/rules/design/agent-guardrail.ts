import { combine, expectProperty, isSet, was } from '../../engine/checks';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

export const agentGuardrail: RuleDefinition = {
  title: 'Bedrock agents have a guardrail',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'your system provides effective guardrails around model outputs',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::Bedrock::Agent'],
  compliantWhen: '`GuardrailConfiguration.GuardrailIdentifier` and `GuardrailConfiguration.GuardrailVersion` are both set (a guardrail '
    + 'of the app, or an ARN or ID known only at deploy time); a `GuardrailConfiguration` that cannot be read is unverifiable',
  explanation: 'An agent without a guardrail passes every user prompt, every retrieved document and every tool result to the model '
    + 'and returns whatever the model produces: nothing screens prompt injection on the way in or harmful or sensitive output on the '
    + 'way out. Both the guardrail and its version must be given for Bedrock to apply it.',
  fix: 'Create a bedrock.CfnGuardrail and a bedrock.CfnGuardrailVersion and set guardrailConfiguration: { guardrailIdentifier: '
    + 'guardrail.attrGuardrailId, guardrailVersion: version.attrVersion } on the CfnAgent.',
  peers: 'CKV_AWS_383 (Terraform only, no CFN check); PRW bedrock_agent_guardrail_enabled',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource) {
    return combine(
      expectProperty(resource, 'GuardrailConfiguration.GuardrailIdentifier', isSet,
        (v) => `GuardrailConfiguration.GuardrailIdentifier ${was(v)}: the agent has no guardrail, so nothing screens prompt injection `
          + 'in its inputs or harmful and sensitive content in its outputs'),
      expectProperty(resource, 'GuardrailConfiguration.GuardrailVersion', isSet,
        (v) => `GuardrailConfiguration.GuardrailVersion ${was(v)}: Bedrock applies an agent's guardrail only with a version`),
    );
  },
};
