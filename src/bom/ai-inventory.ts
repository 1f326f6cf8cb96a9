import { field, itemsOf, literalStrings, pinnedDigest, sha256Of, textOf } from './template-text';
import { sageMakerWorkflows, trainingPipelines, TrainingPipeline } from './training-pipelines';
import { s3LocationOf } from '../nag/engine/readers/s3-locations';
import { IndexedResource, ResourceIndex } from '../nag/engine/resource-index';
import { isPlainObject, Value } from '../nag/engine/values';
import { cardsFor } from '../nag/knowledge/model-cards';
import { containersOf } from '../nag/knowledge/model-containers';

/**
 * The AI assets of an app and how they connect, read from its templates the way the pack's rules read them: what
 * the bill of materials lists and the threat model reasons about. Nothing here depends on the app having been built
 * with this library's constructs.
 */

/** What an asset is, which decides its CycloneDX component type and the threats that concern it. */
export type AssetKind =
  | 'endpoint' | 'model' | 'model-package-group' | 'model-package' | 'foundation-model' | 'inference-profile'
  | 'agent-runtime' | 'agent' | 'knowledge-base' | 'artifact' | 'data' | 'container' | 'guardrail' | 'prompt'
  | 'training-pipeline';

/** One AI asset. */
export interface Asset {
  /** Its bom-ref: stable across synths of the same app. */
  readonly ref: string;
  readonly kind: AssetKind;
  readonly name: string;
  readonly version?: string;
  /** The template resource that defines it, when one does (a foundation model or an image has none). */
  readonly resource?: IndexedResource;
  /** Its settings, and facts about it, as `secure-ai:<name>` properties (each name may hold several values). */
  readonly properties: Map<string, Set<string>>;
  /** The assets it depends on: endpoint → model → artifact → training pipeline → data. */
  readonly dependsOn: Set<string>;
  /** A SHA-256 known at synthesis (a pinned image, a training dataset's recorded digest, a prompt's text). */
  sha256?: string;
  /** The `DataClassification` tag of the data or of the bucket that holds it. */
  classification?: string;
  /** The model card that documents a model. */
  card?: IndexedResource;
}

/** The inventory of an app's AI assets. */
export interface AiInventory {
  /** Every asset, by bom-ref. */
  readonly assets: ReadonlyMap<string, Asset>;
  /** The training pipelines, with the jobs they run, for the BOM's formulation. */
  readonly pipelines: readonly TrainingPipeline[];
}

/** The inventory of the app an index holds; read once per index. */
export function aiInventory(index: ResourceIndex): AiInventory {
  return index.memo(aiInventory, () => new InventoryReader(index).read());
}

/** The bom-ref of the asset a template resource defines. */
export function resourceRef(resource: IndexedResource): string {
  return `${resource.stack.stackPath}/${resource.logicalId}`;
}

const BEDROCK_MODEL = /(foundation-model|application-inference-profile|inference-profile)\/([A-Za-z0-9._:-]+)/g;
const PACKAGE_ARN = /:model-package\/([^/]+)(?:\/(\d+))?$/;

class InventoryReader {
  private readonly assets = new Map<string, Asset>();

  public constructor(private readonly index: ResourceIndex) {}

  public read(): AiInventory {
    const pipelines = trainingPipelines(this.index);
    for (const pipeline of pipelines) this.addPipeline(pipeline);
    for (const workflow of sageMakerWorkflows(this.index).filter((w) => w.jobs.length === 0)) {
      for (const input of workflow.processingInputs) this.data(input, `processing input of ${workflow.resource.constructPath}`);
      for (const image of workflow.processingImages) this.image(image, `processing image of ${workflow.resource.constructPath}`);
    }
    for (const group of this.index.ofType('AWS::SageMaker::ModelPackageGroup')) {
      this.forResource(group, 'model-package-group', literal(group, 'ModelPackageGroupName'));
    }
    for (const pkg of this.index.ofType('AWS::SageMaker::ModelPackage')) this.addModelPackage(pkg);
    for (const model of this.index.ofType('AWS::SageMaker::Model')) this.addModel(model);
    for (const component of this.index.ofType('AWS::SageMaker::InferenceComponent')) this.addInferenceComponent(component);
    for (const endpoint of this.index.ofType('AWS::SageMaker::Endpoint')) this.addEndpoint(endpoint);
    for (const guardrail of this.index.ofType('AWS::Bedrock::Guardrail')) this.addGuardrail(guardrail);
    for (const prompt of this.index.ofType('AWS::Bedrock::Prompt')) this.addPrompt(prompt);
    for (const kb of this.index.ofType('AWS::Bedrock::KnowledgeBase')) this.forResource(kb, 'knowledge-base', literal(kb, 'Name'));
    for (const source of this.index.ofType('AWS::Bedrock::DataSource')) this.addDataSource(source);
    for (const agent of this.index.ofType('AWS::Bedrock::Agent')) this.addAgent(agent);
    for (const runtime of this.index.ofType('AWS::BedrockAgentCore::Runtime')) this.addRuntime(runtime);
    this.addBedrockModels();
    this.addModelCards();
    return { assets: this.assets, pipelines };
  }

  private asset(ref: string, kind: AssetKind, name: string, resource?: IndexedResource, version?: string): Asset {
    let asset = this.assets.get(ref);
    if (!asset) {
      asset = { ref, kind, name, resource, version, properties: new Map(), dependsOn: new Set() };
      this.assets.set(ref, asset);
    }
    return asset;
  }

  private forResource(resource: IndexedResource, kind: AssetKind, name?: string): Asset {
    const asset = this.asset(resourceRef(resource), kind, name ?? nameOf(resource), resource);
    property(asset, 'resource-type', resource.type);
    property(asset, 'construct-path', resource.constructPath);
    property(asset, 'stack', resource.stack.stackPath);
    const classification = tagOf(resource, 'DataClassification');
    if (classification) asset.classification = classification;
    return asset;
  }

  /** The data asset an S3 location names, classified by the bucket that holds it. */
  public data(location: Value, purpose: string): Asset | undefined {
    const uri = textOf(location);
    if (!uri) return undefined;
    const asset = this.asset(`data:${uri}`, 'data', uri);
    property(asset, 'purpose', purpose);
    const bucket = this.bucketOf(location);
    if (bucket) {
      property(asset, 'bucket', bucket.constructPath);
      const classification = tagOf(bucket, 'DataClassification');
      if (classification) asset.classification = classification;
    }
    return asset;
  }

  private bucketOf(location: Value): IndexedResource | undefined {
    const named = s3LocationOf(location)?.bucket;
    const target = named === undefined ? this.index.resolve(location) : typeof named === 'string'
      ? this.index.resolveAs('AWS::S3::Bucket', named) : this.index.resolve(named);
    return target?.type === 'AWS::S3::Bucket' ? target : undefined;
  }

  /** The container asset of an image reference, with its pinned digest. */
  public image(reference: Value, use: string): Asset | undefined {
    const text = textOf(reference);
    if (!text) return undefined;
    const digest = pinnedDigest(text);
    const name = text.replace(/@sha256:[0-9a-f]{64}$/, '');
    const tag = digest ? undefined : /:([\w][\w.-]{0,127})$/.exec(name.slice(name.lastIndexOf('/') + 1))?.[1];
    // An image of a repository of the app is named by the repository, whose URI is known only at deploy time.
    const repository = this.index.resolve(reference);
    const inApp = repository?.type === 'AWS::ECR::Repository' ? repository : undefined;
    const display = inApp ? literal(inApp, 'RepositoryName') ?? nameOf(inApp) : tag ? name.slice(0, -tag.length - 1) : name;
    const asset = this.asset(`image:${text}`, 'container', display, undefined, tag);
    property(asset, 'image', text);
    property(asset, 'use', use);
    property(asset, 'pinned', digest ? 'by digest' : 'no: a tag or none, which can be moved to other bytes');
    if (digest) asset.sha256 = digest;
    if (inApp) property(asset, 'repository', inApp.constructPath);
    return asset;
  }

  private addPipeline(pipeline: TrainingPipeline): void {
    const asset = this.forResource(pipeline.resource, 'training-pipeline');
    for (const job of pipeline.jobs) {
      for (const input of job.inputs) {
        const data = this.data(input.uri, `training input (channel ${input.channel}) of ${pipeline.resource.constructPath}`);
        if (data) asset.dependsOn.add(data.ref);
      }
      const image = this.image(job.image, `training image of ${pipeline.resource.constructPath}`);
      if (image) asset.dependsOn.add(image.ref);
    }
    for (const input of pipeline.processingInputs) this.data(input, `processing input of ${pipeline.resource.constructPath}`);
    for (const image of pipeline.processingImages) this.image(image, `processing image of ${pipeline.resource.constructPath}`);
    for (const group of pipeline.registersTo) property(asset, 'registers-to', group.constructPath);
  }

  /** The artifact a model loads: a model package version's, or an S3 location. */
  private artifactOfPackage(arn: string): Asset | undefined {
    const match = PACKAGE_ARN.exec(arn);
    if (!match) return undefined;
    const [, groupName, version] = match;
    const pkg = this.asset(`model-package:${groupName}${version ? `/${version}` : ''}`, 'model-package', groupName, undefined, version);
    property(pkg, 'arn', arn);
    const group = this.index.resolveAs('AWS::SageMaker::ModelPackageGroup', groupName);
    if (group) property(pkg, 'model-package-group', resourceRef(group));
    const artifact = this.asset(`artifact:${groupName}${version ? `/${version}` : ''}`, 'artifact', `model artifact of ${groupName}${version ? ` version ${version}` : ''}`);
    pkg.dependsOn.add(artifact.ref);
    const producers = group ? this.pipelinesRegisteringTo(group) : [];
    this.linkProducers(artifact, producers);
    return pkg;
  }

  private pipelinesRegisteringTo(group: IndexedResource): Asset[] {
    return [...this.assets.values()].filter((a) => a.kind === 'training-pipeline' && a.properties.get('registers-to')?.has(group.constructPath));
  }

  private linkProducers(artifact: Asset, producers: readonly Asset[]): void {
    for (const producer of producers) {
      artifact.dependsOn.add(producer.ref);
      const signed = producer.resource && trainingPipelines(this.index).find((p) => p.resource === producer.resource)?.signs;
      property(artifact, 'signed-digest', signed
        ? `computed and signed at training time by ${producer.name}: recorded in the model package's customer metadata and in the signed manifest beside the artifact`
        : `not signed by ${producer.name}: no digest of the artifact is recorded`);
    }
    if (producers.length === 0) property(artifact, 'signed-digest', 'not known at synthesis: no training pipeline of this app produces it');
  }

  private artifactAt(location: Value, use: string): Asset | undefined {
    const uri = textOf(location);
    if (!uri) return undefined;
    const artifact = this.asset(`artifact:${uri}`, 'artifact', uri);
    property(artifact, 'use', use);
    const bucket = this.bucketOf(location);
    if (bucket) property(artifact, 'bucket', bucket.constructPath);
    const producers = [...this.assets.values()].filter((a) => a.kind === 'training-pipeline'
      && trainingPipelines(this.index).find((p) => p.resource === a.resource)?.outputs.some((o) => {
        const out = textOf(o);
        return out !== undefined && uri.startsWith(out);
      }));
    this.linkProducers(artifact, producers);
    return artifact;
  }

  private addContainers(resource: IndexedResource, asset: Asset): void {
    for (const { container } of containersOf(resource).containers) {
      const image = this.image(container.Image, `inference image of ${resource.constructPath}`);
      if (image) asset.dependsOn.add(image.ref);
      const packageName = textOf(container.ModelPackageName);
      const pkg = packageName ? this.artifactOfPackage(packageName) : undefined;
      if (pkg) asset.dependsOn.add(pkg.ref);
      for (const location of [container.ModelDataUrl, field(container.ModelDataSource, 'S3DataSource', 'S3Uri'), container.ArtifactUrl]) {
        const artifact = this.artifactAt(location, `model data of ${resource.constructPath}`);
        if (artifact) asset.dependsOn.add(artifact.ref);
      }
    }
  }

  private addModelPackage(pkg: IndexedResource): void {
    const asset = this.forResource(pkg, 'model-package', literal(pkg, 'ModelPackageGroupName'));
    property(asset, 'approval-status', literal(pkg, 'ModelApprovalStatus'));
    this.addContainers(pkg, asset);
  }

  private addModel(model: IndexedResource): void {
    const asset = this.forResource(model, 'model', literal(model, 'ModelName'));
    property(asset, 'network-isolation', literal(model, 'EnableNetworkIsolation') ?? 'false (not set)');
    this.addContainers(model, asset);
  }

  private addInferenceComponent(component: IndexedResource): void {
    const asset = this.forResource(component, 'model', literal(component, 'InferenceComponentName'));
    this.addContainers(component, asset);
    const model = this.index.resolveAs('AWS::SageMaker::Model', first(component, 'Specification.ModelName'));
    if (model) asset.dependsOn.add(resourceRef(model));
    const endpoint = this.index.resolveAs('AWS::SageMaker::Endpoint', first(component, 'EndpointName'));
    if (endpoint) this.forResource(endpoint, 'endpoint', literal(endpoint, 'EndpointName')).dependsOn.add(asset.ref);
  }

  private addEndpoint(endpoint: IndexedResource): void {
    const asset = this.forResource(endpoint, 'endpoint', literal(endpoint, 'EndpointName'));
    const config = this.index.resolveAs('AWS::SageMaker::EndpointConfig', first(endpoint, 'EndpointConfigName'));
    if (!config) return;
    property(asset, 'endpoint-config', config.constructPath);
    for (const variant of itemsOf(first(config, 'ProductionVariants'))) {
      const model = this.index.resolveAs('AWS::SageMaker::Model', field(variant, 'ModelName'));
      if (model) asset.dependsOn.add(resourceRef(model));
      const instanceType = textOf(field(variant, 'InstanceType'));
      if (instanceType) property(asset, 'instance-type', instanceType);
    }
    const capture = this.data(first(config, 'DataCaptureConfig.DestinationS3Uri'), `inference capture of ${endpoint.constructPath}`);
    if (capture) property(asset, 'captures-to', capture.ref);
  }

  private addGuardrail(guardrail: IndexedResource): void {
    const asset = this.forResource(guardrail, 'guardrail', literal(guardrail, 'Name'));
    for (const filter of itemsOf(first(guardrail, 'ContentPolicyConfig.FiltersConfig'))) {
      property(asset, `content-filter:${textOf(field(filter, 'Type'))}`,
        `input ${textOf(field(filter, 'InputStrength')) ?? '-'}, output ${textOf(field(filter, 'OutputStrength')) ?? '-'}`);
    }
    for (const topic of itemsOf(first(guardrail, 'TopicPolicyConfig.TopicsConfig'))) {
      property(asset, 'denied-topic', textOf(field(topic, 'Name')));
    }
    for (const entity of itemsOf(first(guardrail, 'SensitiveInformationPolicyConfig.PiiEntitiesConfig'))) {
      property(asset, `pii:${textOf(field(entity, 'Type'))}`, textOf(field(entity, 'Action')));
    }
    for (const regex of itemsOf(first(guardrail, 'SensitiveInformationPolicyConfig.RegexesConfig'))) {
      property(asset, `regex:${textOf(field(regex, 'Name'))}`, textOf(field(regex, 'Action')));
    }
    for (const filter of itemsOf(first(guardrail, 'ContextualGroundingPolicyConfig.FiltersConfig'))) {
      property(asset, `grounding:${textOf(field(filter, 'Type'))}`, textOf(field(filter, 'Threshold')));
    }
    for (const [key, path] of [['blocked-input-message', 'BlockedInputMessaging'], ['blocked-output-message', 'BlockedOutputsMessaging']]) {
      property(asset, key, literal(guardrail, path));
    }
  }

  private addPrompt(prompt: IndexedResource): void {
    const asset = this.forResource(prompt, 'prompt', literal(prompt, 'Name'));
    const texts: string[] = [];
    for (const variant of itemsOf(first(prompt, 'Variants'))) {
      const name = textOf(field(variant, 'Name')) ?? '(unnamed)';
      property(asset, `variant:${name}:model`, textOf(field(variant, 'ModelId')));
      const text = textOf(field(variant, 'TemplateConfiguration', 'Text', 'Text'))
        ?? literalStrings(field(variant, 'TemplateConfiguration', 'Chat')).join('\n');
      if (text) texts.push(text);
    }
    if (texts.length > 0) asset.sha256 = sha256Of(texts.join('\n'));
  }

  private addDataSource(source: IndexedResource): void {
    const kb = this.index.resolveAs('AWS::Bedrock::KnowledgeBase', first(source, 'KnowledgeBaseId'));
    const kbAsset = kb ? this.forResource(kb, 'knowledge-base', literal(kb, 'Name')) : undefined;
    const s3 = first(source, 'DataSourceConfiguration.S3Configuration');
    const bucketArn = field(s3, 'BucketArn');
    const prefixes = itemsOf(field(s3, 'InclusionPrefixes')).map(textOf).filter((p): p is string => p !== undefined);
    const bucket = this.index.resolve(bucketArn);
    const data = bucket?.type === 'AWS::S3::Bucket'
      ? this.data(bucketArn, `knowledge-base source of ${kb?.constructPath ?? source.constructPath}`)
      : this.dataOther(source);
    if (!data) return;
    for (const prefix of prefixes) property(data, 'inclusion-prefix', prefix);
    property(data, 'data-source', source.constructPath);
    kbAsset?.dependsOn.add(data.ref);
  }

  /** A data source that is not an S3 bucket of the app (a web crawler, an external bucket): named by its resource. */
  private dataOther(source: IndexedResource): Asset {
    const asset = this.forResource(source, 'data', literal(source, 'Name'));
    property(asset, 'purpose', 'knowledge-base source');
    property(asset, 'source-type', literal(source, 'DataSourceConfiguration.Type'));
    const bucketArn = textOf(first(source, 'DataSourceConfiguration.S3Configuration.BucketArn'));
    if (bucketArn) property(asset, 'bucket', bucketArn);
    return asset;
  }

  private addAgent(agent: IndexedResource): void {
    const asset = this.forResource(agent, 'agent', literal(agent, 'AgentName'));
    const guardrail = this.index.resolveAs('AWS::Bedrock::Guardrail', first(agent, 'GuardrailConfiguration.GuardrailIdentifier'));
    if (guardrail) asset.dependsOn.add(resourceRef(guardrail));
    for (const kb of itemsOf(first(agent, 'KnowledgeBases'))) {
      const target = this.index.resolveAs('AWS::Bedrock::KnowledgeBase', field(kb, 'KnowledgeBaseId'));
      if (target) asset.dependsOn.add(resourceRef(target));
    }
    const model = textOf(first(agent, 'FoundationModel'));
    if (model && !model.includes('/') && !model.includes('$')) {
      asset.dependsOn.add(this.bedrockModel('foundation-model', model, agent).ref);
    }
    const instruction = textOf(first(agent, 'Instruction'));
    if (instruction) {
      const prompt = this.asset(`${resourceRef(agent)}#instruction`, 'prompt', `instruction of ${asset.name}`);
      prompt.sha256 = sha256Of(instruction);
      property(prompt, 'agent', agent.constructPath);
      asset.dependsOn.add(prompt.ref);
    }
    for (const group of itemsOf(first(agent, 'ActionGroups'))) {
      property(asset, 'action-group', textOf(field(group, 'ActionGroupName')));
    }
  }

  private addRuntime(runtime: IndexedResource): void {
    const asset = this.forResource(runtime, 'agent-runtime', literal(runtime, 'AgentRuntimeName'));
    const image = this.image(first(runtime, 'AgentRuntimeArtifact.ContainerConfiguration.ContainerUri'), `agent runtime image of ${runtime.constructPath}`);
    if (image) asset.dependsOn.add(image.ref);
    property(asset, 'network-mode', literal(runtime, 'NetworkConfiguration.NetworkMode'));
  }

  private bedrockModel(kind: 'foundation-model' | 'inference-profile', id: string, user: IndexedResource): Asset {
    const asset = this.asset(`${kind}:${id}`, kind, id);
    property(asset, 'provider', id.split('.').length > 1 && kind === 'foundation-model' ? id.split('.')[0] : undefined);
    property(asset, 'used-by', user.constructPath);
    return asset;
  }

  /** Bedrock foundation models and inference profiles named anywhere in the app: policies, configurations, ARNs. */
  private addBedrockModels(): void {
    for (const resource of this.index.resources) {
      for (const text of literalStrings(resource.properties)) {
        for (const match of text.matchAll(BEDROCK_MODEL)) {
          const id = match[2];
          if (id.includes('*')) continue;
          const model = this.bedrockModel(match[1] === 'foundation-model' ? 'foundation-model' : 'inference-profile', id, resource);
          const user = this.assets.get(resourceRef(resource));
          if (user && user !== model) user.dependsOn.add(model.ref);
        }
      }
    }
  }

  private addModelCards(): void {
    for (const card of this.index.ofType('AWS::SageMaker::ModelCard')) {
      const documented = [...this.assets.values()].filter((a) => a.resource && cardsFor(this.index, a.resource).includes(card));
      const targets = documented.length > 0 ? documented
        : [this.asset(resourceRef(card), 'model', literal(card, 'Content.ModelOverview.ModelName') ?? card.logicalId, card)];
      for (const target of targets) target.card = card;
      // Training datasets whose digest the card records (`<name>_uri` and `<name>_sha256` pairs of CustomDetails).
      const details = first(card, 'Content.AdditionalInformation.CustomDetails');
      if (!isPlainObject(details)) continue;
      for (const [key, value] of Object.entries(details)) {
        const uri = textOf(value);
        const digest = key.endsWith('_uri') ? textOf(details[`${key.slice(0, -'_uri'.length)}_sha256`]) : undefined;
        const data = uri ? this.assets.get(`data:${uri}`) : undefined;
        if (data && digest && /^[0-9a-f]{64}$/.test(digest)) {
          data.sha256 = digest;
          property(data, 'digest-recorded-by', card.constructPath);
        }
      }
    }
  }
}

/** Adds a value to an asset's property (ignored when undefined). */
export function property(asset: Asset, name: string, value: string | undefined): void {
  if (value === undefined || value === '') return;
  const values = asset.properties.get(name) ?? new Set<string>();
  values.add(value);
  asset.properties.set(name, values);
}

/** A resource's name when it has no literal one: its construct path, without the `Resource` of an L2's L1. */
function nameOf(resource: IndexedResource): string {
  return resource.constructPath.replace(/\/Resource$/, '');
}

/** The first form of a property. */
function first(resource: IndexedResource, path: string): Value {
  return resource.get(path)[0]?.value;
}

/** A property's text in its first form. */
function literal(resource: IndexedResource, path: string): string | undefined {
  return textOf(first(resource, path));
}

/** The value of a resource's tag, in its first form that holds one. */
export function tagOf(resource: IndexedResource, key: string): string | undefined {
  for (const tags of resource.tags()) {
    const value = tags instanceof Map ? tags.get(key) : undefined;
    if (typeof value === 'string') return value;
  }
  return undefined;
}
