import { COMPLIANT, expectProperty, isTrue, NOT_APPLICABLE, unverifiable, was } from '../../engine/checks';
import { addToListOnce } from '../../engine/lists';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, unknownOf } from '../../engine/values';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/**
 * The inference components, created or not, deployed to an endpoint using each endpoint configuration, found once per
 * run: {@link hostsComponents} asks whether one of those of a configuration is created.
 */
function componentHosts(index: ResourceIndex): Map<IndexedResource, IndexedResource[]> {
  return index.memo(componentHosts, () => {
    const found = new Map<IndexedResource, IndexedResource[]>();
    for (const component of index.declaredOfType('AWS::SageMaker::InferenceComponent')) {
      for (const b of component.get('EndpointName')) {
        const endpoint = index.resolveAs('AWS::SageMaker::Endpoint', b.value);
        for (const c of endpoint?.get('EndpointConfigName') ?? []) {
          const config = index.resolveAs('AWS::SageMaker::EndpointConfig', c.value);
          if (config) addToListOnce(found, config, component);
        }
      }
    }
    return found;
  });
}

/** Whether an inference component that is created is deployed to an endpoint using the configuration. */
function hostsComponents(index: ResourceIndex, config: IndexedResource): boolean {
  return (componentHosts(index).get(config) ?? []).some((component) => index.isCreated(component));
}

export const endpointNetworkIsolation: RuleDefinition = {
  title: 'Endpoints that host inference components isolate their containers from the network',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'implement scanning and isolation/sandboxing when importing third-party models or serialised weights',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  compliantWhen: '`EnableNetworkIsolation: true` (CloudFormation default false) in every form of the template, mandatory for '
    + 'configurations that host inference components (an `AWS::SageMaker::InferenceComponent` targets an endpoint using the '
    + 'configuration, or no production variant names a model). For configurations whose variants name models, the models\' own '
    + '`EnableNetworkIsolation` (D11) decides: not applicable when every model is in the app, unverifiable when one is not',
  explanation: 'Inference components bring their own model artifacts and containers onto an endpoint after it is created; the '
    + 'models are not `AWS::SageMaker::Model` resources with their own isolation switch. The endpoint configuration\'s isolation is then '
    + 'the only sandbox keeping third-party model code from the network.',
  fix: 'Set enableNetworkIsolation: true on the CfnEndpointConfig that the inference components are deployed to.',
  peers: 'CP aiml-sagemaker-endpoint-network-isolation (custom Guard rule in AWS SageMaker conformance pack)',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource, context) {
    const index = context.index;
    const isolated = resource.get('EnableNetworkIsolation').every((b) => isTrue(b.value) === true);
    const hosts = hostsComponents(index, resource);
    const variants = resource.get('ProductionVariants');
    const unreadable = variants.find((b) => unknownOf(b.value));
    const names = variants.flatMap((b) => (Array.isArray(b.value) ? b.value : []))
      .map((v) => (isPlainObject(v) ? v.ModelName : unknownOf(v) ? v : undefined));
    const componentBased = hosts || (!unreadable && names.every((n) => n === undefined));
    if (componentBased) {
      return expectProperty(resource, 'EnableNetworkIsolation', isTrue,
        (v) => `EnableNetworkIsolation ${was(v)}${v === undefined ? ' (CloudFormation default false)' : ''}: the configuration hosts inference `
          + 'components, whose model containers then run with network access and can exfiltrate the model or fetch further code');
    }
    if (isolated) return COMPLIANT;
    if (unreadable) {
      return unverifiable(`ProductionVariants is ${describe(unreadable.value)}: whether the endpoint hosts inference components or models of `
        + 'the app cannot be seen, and EnableNetworkIsolation is not true', 'Properties.ProductionVariants');
    }
    const outside = names.filter((n) => n !== undefined && !index.resolveAs('AWS::SageMaker::Model', n));
    if (outside.length > 0) {
      return unverifiable(`the variants serve model ${outside.map(describe).join(', ')}, which is not in the app: its network isolation `
        + 'cannot be seen, and EnableNetworkIsolation of the configuration is not true', 'Properties.EnableNetworkIsolation');
    }
    return NOT_APPLICABLE;
  },
};
