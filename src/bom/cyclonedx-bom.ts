import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { AiInventory, aiInventory, Asset, AssetKind, resourceRef } from './ai-inventory';
import { field, itemsOf, textOf } from './template-text';
import { TrainingPipeline, trainingPipelines } from './training-pipelines';
import { CloudAssemblyError, cloudAssemblyTemplates } from '../nag/engine/cloud-assembly-templates';
import { IndexedResource, ResourceIndex } from '../nag/engine/resource-index';
import { isPlainObject, Value } from '../nag/engine/values';
import { TOOL_NAME, toolVersion } from '../package-info';

/**
 * The AI bill of materials of an app in CycloneDX JSON, at the newest specification version the CycloneDX library
 * validates (1.7). The library builds the components, services, hashes, properties and dependency graph; what its
 * models do not hold yet (a component's `modelCard` and `data`, the BOM's `formulation`) is added to its normalized
 * output in the specification's own shape, and the whole document is what the tests validate against the schema.
 * No timestamp and no serial number, and every list sorted: the BOM of the same app is the same file at every synth.
 */

export { CloudAssemblyError };

/** The file the BOM is written to in the cloud assembly. */
export const AI_BOM_FILE = 'ai-bom.cdx.json';
/** The CycloneDX specification version of the BOM. */
export const AI_BOM_SPEC_VERSION = Spec.Version.v1dot7;
/** The namespace of the BOM's properties. */
const NS = 'secure-ai';

const COMPONENT_TYPES: Partial<Record<AssetKind, Enums.ComponentType>> = {
  'model': Enums.ComponentType.MachineLearningModel,
  'model-package': Enums.ComponentType.MachineLearningModel,
  'model-package-group': Enums.ComponentType.MachineLearningModel,
  'foundation-model': Enums.ComponentType.MachineLearningModel,
  'inference-profile': Enums.ComponentType.MachineLearningModel,
  'agent-runtime': Enums.ComponentType.MachineLearningModel,
  'agent': Enums.ComponentType.Application,
  'knowledge-base': Enums.ComponentType.Data,
  'data': Enums.ComponentType.Data,
  'guardrail': Enums.ComponentType.Data,
  'prompt': Enums.ComponentType.Data,
  'artifact': Enums.ComponentType.File,
  'container': Enums.ComponentType.Container,
};

/** The `data[].type` of each kind of data component. */
const DATA_TYPES: Partial<Record<AssetKind, string>> = {
  'data': 'dataset', 'knowledge-base': 'dataset', 'guardrail': 'configuration', 'prompt': 'definition',
};

/** The AI bill of materials of the app an index holds, as a CycloneDX 1.7 JSON document (an object). */
export function aiBomDocument(index: ResourceIndex): Record<string, unknown> {
  const inventory = aiInventory(index);
  const bom = new Models.Bom();
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, TOOL_NAME, { version: toolVersion() }));
  const stacks = [...new Set(index.resources.map((r) => r.stack.stackPath))].sort();
  bom.metadata.component = new Models.Component(Enums.ComponentType.Application, stacks.join(', ') || '(empty app)', {
    bomRef: 'app', description: 'The AI system the app defines, as its templates describe it.',
  });
  bom.metadata.properties.add(new Models.Property(`${NS}:stacks`, String(stacks.length)));

  const components = new Map<string, Models.Component>();
  const services = new Map<string, Models.Service>();
  const assets = [...inventory.assets.values()].sort((a, b) => a.ref.localeCompare(b.ref));
  for (const asset of assets) {
    const properties = new Models.PropertyRepository(propertiesOf(asset));
    const type = COMPONENT_TYPES[asset.kind];
    if (type === undefined) {
      services.set(asset.ref, new Models.Service(asset.name, { bomRef: asset.ref, version: asset.version, properties }));
      continue;
    }
    const component = new Models.Component(type, asset.name, { bomRef: asset.ref, version: asset.version, properties });
    if (asset.sha256) component.hashes.set(Enums.HashAlgorithm['SHA-256'], asset.sha256);
    components.set(asset.ref, component);
  }
  for (const asset of assets) {
    const dependent = components.get(asset.ref) ?? services.get(asset.ref)!;
    for (const ref of asset.dependsOn) {
      const target = components.get(ref) ?? services.get(ref);
      if (target) dependent.dependencies.add(target.bomRef);
    }
  }
  for (const component of components.values()) bom.components.add(component);
  for (const service of services.values()) bom.services.add(service);
  // The app depends on what it serves and trains.
  for (const asset of assets) {
    if (asset.kind === 'endpoint' || asset.kind === 'training-pipeline' || asset.kind === 'agent' || asset.kind === 'agent-runtime') {
      bom.metadata.component.dependencies.add((components.get(asset.ref) ?? services.get(asset.ref))!.bomRef);
    }
  }

  const factory = new Serialize.JSON.Normalize.Factory(Spec.Spec1dot7);
  const document = factory.makeForBom().normalize(bom, { sortLists: true }) as unknown as Record<string, unknown>;
  for (const component of itemsOf(document.components)) {
    if (!isPlainObject(component)) continue;
    const asset = inventory.assets.get(String(component['bom-ref']));
    if (!asset) continue;
    const dataType = DATA_TYPES[asset.kind];
    if (dataType) component.data = [dataOf(asset, dataType)];
    if (asset.card) component.modelCard = modelCardOf(asset, asset.card, inventory);
  }
  const formulation = trainingPipelines(index).map((p) => formulaOf(p, inventory));
  if (formulation.length > 0) document.formulation = formulation;
  return document;
}

/**
 * The BOM of a cloud assembly read after synthesis (cdk.out), from its templates alone.
 * @throws CloudAssemblyError when the directory is not a cloud assembly
 */
export function aiBomOfCloudAssembly(directory: string): string {
  return aiBomJson(ResourceIndex.fromTemplates(cloudAssemblyTemplates(directory)));
}

/** The BOM as the JSON text written to the cloud assembly. */
export function aiBomJson(index: ResourceIndex): string {
  return `${JSON.stringify(aiBomDocument(index), undefined, 2)}\n`;
}

function propertiesOf(asset: Asset): Models.Property[] {
  const out = [new Models.Property(`${NS}:asset-kind`, asset.kind)];
  if (asset.classification) out.push(new Models.Property(`${NS}:classification`, asset.classification));
  for (const [name, values] of asset.properties) {
    for (const value of values) out.push(new Models.Property(`${NS}:${name}`, value));
  }
  return out;
}

function dataOf(asset: Asset, type: string): Record<string, unknown> {
  const purposes = [...asset.properties.get('purpose') ?? []].sort();
  return {
    type,
    name: asset.name,
    ...(asset.classification ? { classification: asset.classification } : {}),
    ...(purposes.length > 0 ? { description: purposes.join('; ') } : {}),
  };
}

/** A SageMaker model card's content in CycloneDX's modelCard shape: intended uses, risk rating, evaluation. */
function modelCardOf(asset: Asset, card: IndexedResource, inventory: AiInventory): Record<string, unknown> {
  const read = (path: string): Value => card.get(`Content.${path}`)[0]?.value;
  const text = (path: string) => textOf(read(path));
  const lines = (path: string) => listedLines(text(path));
  const datasets = itemsOf(read('TrainingDetails.TrainingJobDetails.TrainingDatasets'))
    .map((d) => inventory.assets.get(`data:${textOf(d)}`)?.ref).filter((r): r is string => r !== undefined).sort();
  const metrics = itemsOf(read('EvaluationDetails')).flatMap((evaluation) => itemsOf(field(evaluation, 'MetricGroups'))
    .flatMap((group) => itemsOf(field(group, 'MetricData')).map((metric) => ({
      type: textOf(field(metric, 'Name')) ?? '?',
      value: textOf(field(metric, 'Value')) ?? '?',
      slice: textOf(field(evaluation, 'Name')) ?? textOf(field(group, 'Name')) ?? '?',
    }))));
  const properties = [
    ['risk-rating', text('IntendedUses.RiskRating')],
    ['risk-rating-explanation', text('IntendedUses.ExplanationsForRiskRating')],
    ['purpose', text('IntendedUses.PurposeOfModel')],
    ['card-status', textOf(card.get('ModelCardStatus')[0]?.value)],
    ['card', resourceRef(card)],
    ['evaluation-observation', itemsOf(read('EvaluationDetails')).map((e) => textOf(field(e, 'EvaluationObservation'))).filter(Boolean).join(' | ')],
  ].filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '').map(([name, value]) => ({ name: `${NS}:${name}`, value }));
  return {
    'bom-ref': `${asset.ref}#model-card`,
    ...(datasets.length > 0 ? { modelParameters: { datasets: datasets.map((ref) => ({ ref })) } } : {}),
    ...(metrics.length > 0 ? { quantitativeAnalysis: { performanceMetrics: metrics } } : {}),
    'considerations': {
      useCases: lines('IntendedUses.IntendedUses').filter((l) => !l.outOfScope).map((l) => l.text),
      technicalLimitations: [
        ...lines('IntendedUses.IntendedUses').filter((l) => l.outOfScope).map((l) => `Out of scope: ${l.text}`),
        ...[...lines('AdditionalInformation.CaveatsAndRecommendations'), ...lines('IntendedUses.FactorsAffectingModelEfficiency')].map((l) => l.text),
      ],
    },
    properties,
  };
}

/** A heading that starts the uses a card rules out: what follows it is never listed as an intended use. */
const OUT_OF_SCOPE = /out of scope|do not use|not intended|prohibited/i;

/**
 * The items of a card's free text, one a line (list markers dropped, headings such as `Limitations:` skipped), each
 * marked when it follows a heading that rules uses out.
 */
function listedLines(text: string | undefined): Array<{ readonly text: string; readonly outOfScope: boolean }> {
  const out: Array<{ text: string; outOfScope: boolean }> = [];
  let outOfScope = false;
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.replace(/^\s*[-*•]\s*/, '').trim();
    if (line === '') continue;
    if (line.endsWith(':')) {
      outOfScope = OUT_OF_SCOPE.test(line);
      continue;
    }
    out.push({ text: line, outOfScope });
  }
  return out;
}

/** One training pipeline as a CycloneDX formula: a workflow whose tasks are its jobs, with their image, inputs and outputs. */
function formulaOf(pipeline: TrainingPipeline, inventory: AiInventory): Record<string, unknown> {
  const ref = resourceRef(pipeline.resource);
  const refOf = (prefix: string, value: Value) => {
    const found = inventory.assets.get(`${prefix}:${textOf(value)}`);
    return found?.ref;
  };
  const tasks = pipeline.jobs.map((job, i) => {
    const inputs = job.inputs.map((input) => refOf('data', input.uri)).filter((r): r is string => r !== undefined);
    const image = refOf('image', job.image);
    const artifacts = [...inventory.assets.values()].filter((a) => a.kind === 'artifact' && a.dependsOn.has(ref)).map((a) => a.ref).sort();
    return {
      'bom-ref': `${ref}#job-${i + 1}`,
      'uid': `${ref}#job-${i + 1}`,
      'name': job.label,
      'taskTypes': ['build'],
      ...(inputs.length + (image ? 1 : 0) > 0 ? {
        inputs: [...inputs.map((r) => ({ resource: { ref: r } })), ...(image ? [{ resource: { ref: image } }] : [])],
      } : {}),
      ...(artifacts.length > 0 ? { outputs: artifacts.map((r) => ({ type: 'artifact', resource: { ref: r } })) } : {}),
      'properties': [
        ...(textOf(job.output) ? [{ name: `${NS}:output-path`, value: textOf(job.output)! }] : []),
        ...(job.instanceType ? [{ name: `${NS}:instance-type`, value: job.instanceType }] : []),
        ...job.hyperParameters.map(([k, v]) => ({ name: `${NS}:hyperparameter:${k}`, value: v })),
      ],
    };
  });
  return {
    'bom-ref': `${ref}#formula`,
    'workflows': [{
      'bom-ref': `${ref}#workflow`,
      'uid': ref,
      'name': pipeline.resource.constructPath,
      'taskTypes': ['build'],
      'steps': pipeline.steps.map((s) => ({ name: s.name, description: s.comment ? `${s.type}: ${s.comment}` : s.type })),
      tasks,
      'properties': [
        { name: `${NS}:resource-type`, value: pipeline.resource.type },
        { name: `${NS}:signs-artifact`, value: String(pipeline.signs) },
        ...pipeline.registersTo.map((g) => ({ name: `${NS}:registers-to`, value: g.constructPath })),
      ],
    }],
  };
}
