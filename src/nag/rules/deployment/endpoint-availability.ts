import { Answer, combine, isAtLeast, isOneOf, judge, NOT_APPLICABLE, RuleResult, unverifiable } from '../../engine/checks';
import { describe, isPlainObject, unknownOf, Value } from '../../engine/values';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const atLeastTwo = isAtLeast(2);
const isEnabled = isOneOf('ENABLED');

/** Managed instance scaling that is on and may scale the variant below two instances. */
function scalesBelowTwo(variant: Record<string, Value>): Answer {
  const scaling = variant.ManagedInstanceScaling;
  if (!isPlainObject(scaling) || scaling.MinInstanceCount === undefined) return false;
  const enabled = isEnabled(scaling.Status);
  if (enabled !== true) return enabled;
  const min = atLeastTwo(scaling.MinInstanceCount);
  return min === true ? false : min === false ? true : min;
}

/** One production variant (in one form): serverless, or at least two instances that scaling keeps. */
function isAvailable(variant: Value): Answer {
  if (variant === undefined) return true; // this form has fewer variants
  if (!isPlainObject(variant)) return unknownOf(variant) ?? true;
  if (variant.ServerlessConfig !== undefined) return true;
  const count = atLeastTwo(variant.InitialInstanceCount);
  if (count !== true) return count;
  const below = scalesBelowTwo(variant);
  return below === true ? false : below === false ? true : below;
}

function problem(variant: Value): string {
  const v = isPlainObject(variant) ? variant : {};
  const name = typeof v.VariantName === 'string' ? `variant ${v.VariantName}` : 'a production variant';
  if (atLeastTwo(v.InitialInstanceCount) !== true) {
    return `${name} has InitialInstanceCount ${describe(v.InitialInstanceCount)}: one instance is a single point of failure, and the endpoint `
      + 'is unavailable whenever it fails or is replaced';
  }
  const scaling = isPlainObject(v.ManagedInstanceScaling) ? v.ManagedInstanceScaling : {};
  return `${name} has ManagedInstanceScaling.MinInstanceCount ${describe(scaling.MinInstanceCount)}: scaling can take it below two instances`;
}

export const endpointAvailability: RuleDefinition = {
  title: 'Instance-based endpoint variants run at least two instances',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Executive summary',
  quote: 'are available when needed',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  compliantWhen: 'every `ProductionVariants[]` entry without `ServerlessConfig` has `InitialInstanceCount` ≥ 2 and, when '
    + '`ManagedInstanceScaling.Status` is `ENABLED`, `ManagedInstanceScaling.MinInstanceCount` (if set) ≥ 2; serverless variants are exempt',
  explanation: 'SageMaker spreads the instances of a variant across Availability Zones only when there are at least two. With one '
    + 'instance, an instance failure, a zone outage or a patch replacement takes the model offline, and a flood of requests '
    + 'has nothing to spread over: the system is not available when needed.',
  fix: 'Set InitialInstanceCount to 2 or more on each instance-based production variant (and ManagedInstanceScaling.MinInstanceCount '
    + 'to 2 or more), or use a ServerlessConfig variant.',
  peers: 'CFG sagemaker-endpoint-config-prod-instance-count; SH SageMaker.4; PRW sagemaker_endpoint_config_prod_variant_instances',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource) {
    const forms = resource.get('ProductionVariants');
    const open = forms.find((b) => unknownOf(b.value));
    if (open) return unverifiable(`ProductionVariants cannot be verified at synth time: ${unknownOf(open.value)!.reason}`, 'Properties.ProductionVariants');
    const length = Math.max(0, ...forms.map((b) => (Array.isArray(b.value) ? b.value.length : 0)));
    if (length === 0) return NOT_APPLICABLE;
    const results: RuleResult[] = [];
    for (let i = 0; i < length; i++) {
      const branches = forms.map((b) => ({ value: Array.isArray(b.value) ? b.value[i] : undefined, parameters: b.parameters }));
      results.push(judge(branches, `Properties.ProductionVariants.${i}`, isAvailable, problem, `ProductionVariants[${i}]`));
    }
    return combine(...results);
  },
};
