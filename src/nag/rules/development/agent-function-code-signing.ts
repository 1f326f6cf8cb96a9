import { combine, COMPLIANT, isNonEmptyList, isOneOf, judge, nonCompliant, NOT_APPLICABLE, qualifier, RuleResult, unverifiable, was } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, UnknownValue, Value } from '../../engine/values';
import { agentFunctionUses, AGENT_FUNCTION_USER_TYPES, externalAgentFunctions } from '../../knowledge/agent-functions';
import { judgeImage } from '../../knowledge/container-images';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const isEnforce = isOneOf('Enforce');
const isImagePackage = isOneOf('Image');

/** Judges a code signing configuration of the app: it must enforce, and name the signing profiles it trusts. */
function judgeConfig(config: IndexedResource): RuleResult {
  return combine(
    judge(config.get('CodeSigningPolicies.UntrustedArtifactOnDeployment'), 'Properties.CodeSigningPolicies.UntrustedArtifactOnDeployment', isEnforce,
      (v) => `code signing configuration ${config.logicalId} has CodeSigningPolicies.UntrustedArtifactOnDeployment ${was(v)}`
        + `${v === undefined ? ' (default Warn)' : ''}: unsigned or tampered code is deployed with only a warning`,
      `CodeSigningPolicies.UntrustedArtifactOnDeployment of ${config.logicalId}`),
    judge(config.get('AllowedPublishers.SigningProfileVersionArns'), 'Properties.AllowedPublishers.SigningProfileVersionArns', isNonEmptyList,
      (v) => `code signing configuration ${config.logicalId} has AllowedPublishers.SigningProfileVersionArns ${was(v)}: no publisher is trusted`,
      `AllowedPublishers.SigningProfileVersionArns of ${config.logicalId}`),
  );
}

/** Judges one form of `CodeSigningConfigArn`. */
function judgeSigning(index: ResourceIndex, value: Value, note: string, roles: string): RuleResult {
  const location = 'Properties.CodeSigningConfigArn';
  if (value === undefined || value === '') {
    return nonCompliant(`CodeSigningConfigArn is absent${note}: the function is the ${roles}, and its code is deployed without any check `
      + 'that it comes from a trusted publisher and was not altered since signing', location);
  }
  const config = index.resolveAs('AWS::Lambda::CodeSigningConfig', value) ?? index.resolve(value);
  if (config?.type === 'AWS::Lambda::CodeSigningConfig') {
    const result = judgeConfig(config);
    return result.message && note ? { ...result, message: `${result.message}${note}` } : result;
  }
  return unverifiable(`CodeSigningConfigArn is ${describe(value)}, a code signing configuration that is not in the app: whether it enforces `
    + 'signatures from trusted publishers cannot be seen', location);
}

function checkFunction(resource: IndexedResource, index: ResourceIndex, allowed: readonly string[]): RuleResult {
  const uses = agentFunctionUses(index, resource);
  if (uses.length === 0) return NOT_APPLICABLE;
  const roles = uses.map((u) => u.role).join('; ');
  // Code signing covers .zip packages only: a container-image function is judged by where its image comes from.
  const packages = resource.get('PackageType');
  if (packages.some((b) => isImagePackage(b.value) === true)) {
    const branches = resource.get('Code.ImageUri');
    return combine(...branches.map((b) => {
      const verdict = judgeImage(index, resource, b.value, allowed);
      const note = qualifier(b.parameters, branches.length);
      if (verdict.answer === false) {
        return nonCompliant(`Code.ImageUri is ${verdict.detail}${note}. The function is the ${roles}; a container-image function cannot be code `
          + 'signed, so its image must come from a trusted registry and be pinned', 'Properties.Code.ImageUri');
      }
      if (verdict.answer instanceof UnknownValue) return unverifiable(`Code.ImageUri cannot be verified at synth time: ${verdict.detail}`, 'Properties.Code.ImageUri');
      return COMPLIANT;
    }));
  }
  const branches = resource.get('CodeSigningConfigArn');
  return combine(...branches.map((b) => judgeSigning(index, b.value, qualifier(b.parameters, branches.length), roles)));
}

export const agentFunctionCodeSigning: RuleDefinition = {
  title: 'Functions that agents and flows run enforce code signing',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Secure your supply chain',
  quote: 'for tracking attestations of the supply chain and software development life cycles',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::Lambda::Function', ...AGENT_FUNCTION_USER_TYPES],
  compliantWhen: 'every `AWS::Lambda::Function` that a Bedrock agent runs (`ActionGroups[].ActionGroupExecutor.Lambda`, '
    + '`PromptOverrideConfiguration.OverrideLambda`), that a Bedrock flow runs (`LambdaFunction` nodes of `Definition`/`DefinitionString`), '
    + 'that an AgentCore gateway target calls (`TargetConfiguration.Mcp.Lambda.LambdaArn`) or that transforms knowledge-base data sets '
    + '`CodeSigningConfigArn` to an `AWS::Lambda::CodeSigningConfig` with `CodeSigningPolicies.UntrustedArtifactOnDeployment: Enforce` '
    + '(absent is Warn) and non-empty `AllowedPublishers.SigningProfileVersionArns` (a configuration outside the app is unverifiable); a '
    + 'container-image function (which cannot be signed) instead needs a trusted, pinned image as in V1. An agent, flow, gateway target or '
    + 'data source whose functions are not in the app is unverifiable. Other functions are not applicable',
  explanation: 'Agent tools and flow functions act on the model\'s behalf with their own permissions. Code signing with enforcement ties the '
    + 'deployed code to a signing profile your pipeline controls, so code that was not built and signed by that pipeline (or was altered after '
    + 'signing) cannot be deployed as a tool the model can call.',
  fix: 'Create a signer.SigningProfile (platform AWSLambda-SHA384-ECDSA) and a lambda.CodeSigningConfig with signingProfiles: [profile] and '
    + 'untrustedArtifactOnDeployment: UntrustedArtifactOnDeployment.ENFORCE, and set codeSigningConfig on each agent function; sign the code '
    + 'in the build pipeline.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    if (resource.type === 'AWS::Lambda::Function') return checkFunction(resource, context.index, context.parameters.allowedImageRegistries);
    const external = externalAgentFunctions(context.index, resource);
    if (external.length === 0) return NOT_APPLICABLE;
    const names = external.map((e) => `${e.role}: ${describe(e.value)}`).join('; ');
    return unverifiable(`functions outside the app (${names}): whether their code is signed and the signature enforced cannot be seen`,
      ...new Set(external.map((e) => e.location)));
  },
};
