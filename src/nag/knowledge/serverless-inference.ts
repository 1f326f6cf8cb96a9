import { isSet } from '../engine/checks';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { isPlainObject, Value } from '../engine/values';

/**
 * SageMaker Serverless Inference: variants with a `ServerlessConfig`. It supports no VPC configuration, no network
 * isolation, no data capture and no Model Monitor, so the rules that ask for those skip what is served only that way
 * (P5, D11, O1, O2) and the availability rule (P24) exempts it from an instance count.
 */

function variantsOf(value: Value): Record<string, Value>[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

/** Whether every production variant of one form of `ProductionVariants` is serverless. */
function allServerless(variants: Value): boolean {
  return Array.isArray(variants) && variants.length > 0 && variants.every((v) => isPlainObject(v) && isPlainObject(v.ServerlessConfig));
}

/** Whether an endpoint configuration's variants are serverless in every form of the template. */
export function isServerlessConfig(config: IndexedResource): boolean {
  const forms = config.get('ProductionVariants');
  return forms.length > 0 && forms.every((b) => allServerless(b.value));
}

/**
 * Whether an endpoint is served by an endpoint configuration of the app whose variants are all serverless, in every
 * form its `EndpointConfigName` can take. False when its configuration is outside the app or not known.
 */
export function isServerlessEndpoint(index: ResourceIndex, endpoint: IndexedResource): boolean {
  const forms = endpoint.get('EndpointConfigName');
  return forms.length > 0 && forms.every((b) => {
    const config = index.resolveAs('AWS::SageMaker::EndpointConfig', b.value);
    return config !== undefined && isServerlessConfig(config);
  });
}

/**
 * Whether every endpoint configuration of the app that serves the model does so serverless: the model cannot be given
 * a VPC or network isolation there. False when nothing in the app serves the model.
 */
export function servedOnlyServerless(index: ResourceIndex, model: IndexedResource): boolean {
  let serving = 0;
  for (const ref of index.referencesTo(model)) {
    if (ref.source.type !== 'AWS::SageMaker::EndpointConfig') continue;
    for (const path of ['ProductionVariants', 'ShadowProductionVariants']) {
      for (const branch of ref.source.get(path)) {
        for (const variant of variantsOf(branch.value)) {
          if (index.resolve(variant.ModelName) !== model) continue;
          serving++;
          if (!isSet(variant.ServerlessConfig)) return false;
        }
      }
    }
  }
  return serving > 0;
}
