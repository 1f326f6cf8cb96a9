import { CfnCondition, CfnElement, CfnMapping, CfnOutput, CfnParameter, CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { joinsPseudoParameters, NAMED_BY_TEXT, nameInText, nameKey, pseudoArnText, pseudoParametersOf, TextName } from './arn-names';
import { Condition, evaluate, evaluateCondition, EvaluationScope, intrinsicName, ParameterDefinition } from './intrinsics';
import { addToList } from './lists';
import { SynthesizedTemplates, TemplateSections } from './synthesized-templates';
import { TagAspects, TagOperation, withTagOperations } from './tag-aspects';
import { Branch, Expression, isPlainObject, readPath, readTags, ResourceReference, UnknownValue, Value } from './values';

/** Resource types whose tags are not in `Tags`. */
const TAG_PROPERTIES: Record<string, string> = {
  'AWS::EFS::FileSystem': 'FileSystemTags',
};

/** An edge of the reference graph: `source` names `target` at `path` (a property path such as `KmsKeyId`). */
export interface Reference {
  readonly source: IndexedResource;
  readonly target: IndexedResource;
  readonly path: string;
  readonly attribute?: string;
}

/** One stack's template, for {@link ResourceIndex.fromTemplates}. */
export interface TemplateStack {
  /** The stack's path in the app (its construct path, which a cloud assembly records as the stack's display name). */
  readonly stackPath: string;
  /** The template, parsed. */
  readonly template: TemplateSections;
  /** The template file relative to the cloud assembly, when read from one. */
  readonly templatePath?: string;
  /** The account the stack deploys to, when known. */
  readonly account?: string;
  /** The Region the stack deploys to, when known. */
  readonly region?: string;
}

/** A parameter of a stack whose value decided what a rule read. */
export interface ParameterUse {
  readonly stack: IndexedStack;
  readonly parameter: string;
}

/** Whether a resource is created: false only where its `Condition` is known to be false. */
function isCreated(resource: IndexedResource): boolean {
  return resource.condition === undefined || resource.exists() !== false;
}

/** A value assumed for a parameter instead of its default. */
export interface ParameterAssumption {
  readonly stackPath: string;
  readonly parameter: string;
  readonly value: unknown;
  /** Tells one assumption from another in caches. */
  readonly key: string;
  /** The assumption this one was made within: both hold (two parameters' other values together). */
  readonly outer?: ParameterAssumption;
}

/** One parameter of one stack, as a key. */
function parameterKey(stackPath: string, parameter: string): string {
  return `${stackPath}\u0000${parameter}`;
}

/**
 * Whether a lookup read a parameter whose value `assumption` (or one it is made within) assumes. A lookup that reads
 * every resource's Condition has read every parameter of the app's conditions: the set is made once, not searched per ask.
 */
function readsAssumed(memo: Memo<unknown>, assumption: ParameterAssumption): boolean {
  if (memo.parameters.length === 0) return false;
  memo.read ??= new Set(memo.parameters.map((p) => parameterKey(p.stack.stackPath, p.parameter)));
  for (let a: ParameterAssumption | undefined = assumption; a; a = a.outer) {
    if (memo.read.has(parameterKey(a.stackPath, a.parameter))) return true;
  }
  return false;
}

/** The parameter uses of a judgement that read none: shared, never changed. */
const NO_PARAMETERS: readonly ParameterUse[] = Object.freeze([]);
/** The metadata of a resource whose template entry has none: shared, never changed. */
const NO_METADATA: Readonly<Record<string, unknown>> = Object.freeze({});

/** A lookup of {@link ResourceIndex.memo}, with the parameters whose defaults decided it. */
interface Memo<T> {
  readonly value: T;
  readonly parameters: readonly ParameterUse[];
  /** The same parameters as {@link parameterKey}s, made when first asked under an assumption. */
  read?: ReadonlySet<string>;
}

/** Counts of the work an index did, so tests can prove the pack stays linear. */
export interface IndexStatistics {
  resources: number;
  /** Calls of {@link IndexedResource.get}, {@link ResourceIndex.ofType}, {@link ResourceIndex.referencesTo} and friends. */
  lookups: number;
  /** Property paths evaluated (each at most once per resource). */
  evaluations: number;
}

/** One stack of the app as the index holds it. */
export class IndexedStack implements EvaluationScope {
  public readonly resources = new Map<string, IndexedResource>();
  public readonly parameters = new Map<string, ParameterDefinition>();
  public readonly outputs = new Map<string, { value: unknown; exportName?: string }>();
  /** The `Conditions` section: expressions as written. */
  public readonly conditions = new Map<string, unknown>();
  /** The `Mappings` section. */
  public readonly mappings = new Map<string, unknown>();
  /** The account the stack deploys to, when known at synth time. */
  public readonly account?: string;
  /** The Region the stack deploys to, when known at synth time. */
  public readonly region?: string;
  /** Pseudo parameters the stack's environment fixes (`AWS::Region`, `AWS::AccountId`). */
  private readonly pseudo = new Map<string, string>();
  /** Conditions evaluated, per parameter assumption: a condition is read by every `Fn::If` that names it. */
  private readonly evaluatedConditions = new Map<string, Map<string, Condition>>();

  public constructor(
    private readonly index: ResourceIndex,
    /** The stack's construct path. */
    public readonly stackPath: string,
    /** The stack's template file relative to the cloud assembly, when known (inside synthesis). */
    public readonly templatePath: string | undefined,
    /** The tags given to the stack, which the CDK renders into each taggable resource when it synthesizes. */
    public readonly tags: ReadonlyMap<string, string>,
    /** The template the CDK wrote for the stack in this synthesis, when the index runs inside one. */
    public readonly template?: TemplateSections,
    env: { readonly region?: string; readonly account?: string } = {},
  ) {
    const region = env.region;
    if (region !== undefined && !Token.isUnresolved(region)) {
      this.region = region;
      this.pseudo.set('AWS::Region', region);
      const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
      this.pseudo.set('AWS::Partition', partition);
      this.pseudo.set('AWS::URLSuffix', partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com');
    }
    if (env.account !== undefined && !Token.isUnresolved(env.account)) {
      this.account = env.account;
      this.pseudo.set('AWS::AccountId', env.account);
    }
  }

  /** The parameter, with its default replaced by the value assumed while a rule is run again with another allowed value. */
  public parameter(name: string): ParameterDefinition | undefined {
    const parameter = this.parameters.get(name);
    if (!parameter) return parameter;
    for (let assumed = this.index.assumption; assumed; assumed = assumed.outer) {
      if (assumed.stackPath === this.stackPath && assumed.parameter === name) return { ...parameter, Default: assumed.value };
    }
    return parameter;
  }

  public condition(name: string): Condition | undefined {
    const key = this.index.assumption?.key ?? '';
    let cache = this.evaluatedConditions.get(key);
    if (!cache) {
      cache = new Map();
      this.evaluatedConditions.set(key, cache);
    }
    const known = cache.get(name);
    if (known) return known;
    if (!this.conditions.has(name)) return undefined;
    // Marked before evaluating: a condition that names itself, directly or not, is unknown instead of endless.
    const cyclic: Condition = { answer: new UnknownValue(`condition ${name} refers to itself`), parameters: [] };
    cache.set(name, cyclic);
    const condition = evaluateCondition(this.conditions.get(name), this);
    cache.set(name, condition);
    return condition;
  }

  public mapping(name: string): unknown {
    return this.mappings.get(name);
  }

  public pseudoParameter(name: string): string | undefined {
    return this.pseudo.get(name);
  }

  public resourceStack(logicalId: string): string | undefined {
    if (this.resources.has(logicalId)) return this.stackPath;
    // A cross-stack reference resolved before the app was prepared still reads as a plain Ref.
    return this.index.uniqueStackOf(logicalId);
  }

  public exported(name: string): { value: unknown; scope: EvaluationScope } | undefined {
    return this.index.exported(name);
  }
}

/** One CloudFormation resource of the app, with its properties as rendered and evaluated on demand. */
export class IndexedResource {
  private readonly evaluated = new Map<string, Branch[]>();
  /** Properties evaluated while the index assumes another allowed value of a parameter: the last assumption only. */
  private assumed?: { readonly key: string; readonly evaluated: Map<string, Branch[]> };
  private readTags?: ReadonlyArray<ReadonlyMap<string, Value> | UnknownValue>;
  /** The parameters that decided the tags, recorded again on each read of {@link readTags}. */
  private tagParameters: readonly string[] = [];
  private path?: string;

  public constructor(
    private readonly index: ResourceIndex,
    public readonly stack: IndexedStack,
    public readonly logicalId: string,
    public readonly type: string,
    /** The properties as rendered into the template: intrinsics not yet evaluated. */
    public readonly properties: Record<string, unknown>,
    /**
     * The L1 construct that renders the resource, read only for its acknowledgments; absent when the index was built
     * from templates alone ({@link ResourceIndex.fromTemplates}).
     */
    public readonly construct?: IConstruct,
    /** The name of the condition the resource is created under (its `Condition` attribute), if any. */
    public readonly condition?: string,
    /** The resource's template `Metadata`, as rendered: what constructs declare about it, and `aws:cdk:path`. */
    public readonly metadata: Readonly<Record<string, unknown>> = NO_METADATA,
    /**
     * What the `Tags.of` aspects that reach the construct will do to its tags at synthesis, when the resource was
     * rendered from its construct (see tag-aspects.ts); undefined otherwise and where none reaches it.
     */
    private readonly tagOperations?: readonly TagOperation[],
  ) {}

  /**
   * The construct path of the resource; for a resource read from a template without its construct, the path the
   * template records (`aws:cdk:path`), else stack path and logical ID.
   */
  public get constructPath(): string {
    // The construct library joins the path anew on each read; a resource with findings is asked once per finding.
    if (this.path === undefined) {
      const recorded = this.metadata['aws:cdk:path'];
      this.path = this.construct?.node.path ?? (typeof recorded === 'string' ? recorded : `${this.stack.stackPath}/${this.logicalId}`);
    }
    return this.path;
  }

  /**
   * Every form the property at `path` (dot-separated, `DataCaptureConfig.KmsKeyId`) can take, with intrinsics
   * evaluated. Evaluated once per resource and path, however many rules ask.
   */
  public get(path: string): Branch[] {
    this.index.statistics.lookups++;
    const cache = this.cache();
    let branches = cache.get(path);
    if (!branches) {
      this.index.statistics.evaluations++;
      branches = navigate(this.properties, path === '' ? [] : path.split('.'), this.stack);
      cache.set(path, branches);
    }
    for (const branch of branches) this.index.record(this.stack, branch.parameters);
    return branches;
  }

  /**
   * What `read` reads of the resource were `parameter` (of the resource's stack) not known at synth time: every form a
   * property would take whatever its value, which tells whether a finding rests on that value (see `decidingParameters`).
   */
  public withUnknown<T>(parameter: string, read: () => T): T {
    return this.index.assuming({ stack: this.stack, parameter }, undefined, read);
  }

  /**
   * Whether the resource is created: its `Condition` evaluated over the parameters' defaults and the stack's
   * environment. True without a condition; unknown where the condition's inputs are.
   */
  public exists(): boolean | UnknownValue {
    if (this.condition === undefined) return true;
    const condition = this.stack.condition(this.condition);
    if (!condition) return new UnknownValue(`condition ${this.condition}, which is not in the template`);
    this.index.record(this.stack, condition.parameters);
    return condition.answer;
  }

  private cache(): Map<string, Branch[]> {
    const assumption = this.index.assumption;
    if (!assumption) return this.evaluated;
    if (this.assumed?.key !== assumption.key) this.assumed = { key: assumption.key, evaluated: new Map() };
    return this.assumed.evaluated;
  }

  /** The resource a reference points at, if it is in the app. */
  public resolve(value: Value): IndexedResource | undefined {
    return this.index.resolve(value);
  }

  /**
   * The resource's tags, list or map form, in every form its tag property can take, with the stack's tags and those of
   * the `Tags.of` aspects filled in (the CDK renders them into the resource only when the app is synthesized;
   * `validateScope` may run before).
   */
  public tags(): ReadonlyArray<ReadonlyMap<string, Value> | UnknownValue> {
    const assuming = this.index.assumption !== undefined;
    if (this.readTags && !assuming) {
      this.index.statistics.lookups++;
      this.index.record(this.stack, this.tagParameters);
      return this.readTags;
    }
    // Read once per resource: many rules and the AI-asset scoping ask for the tags of the same resource.
    const branches = this.get(TAG_PROPERTIES[this.type] ?? 'Tags');
    if (!assuming) this.tagParameters = [...new Set(branches.flatMap((b) => b.parameters))];
    const tags = branches.map((branch) => {
      let read = readTags(branch.value);
      if (read instanceof UnknownValue) return read;
      if (this.tagOperations) read = withTagOperations(read, this.tagOperations);
      if (this.stack.tags.size === 0) return read;
      return new Map([...this.stack.tags, ...read]);
    });
    if (!assuming) this.readTags = tags;
    return tags;
  }

  /** Whether some form of the resource's tags holds `key` = `value` (the value ignoring case). */
  public hasTag(key: string, value: string): boolean {
    // Asked of every resource of the app (the AI-asset scoping): a tag written as a literal is read as it is, without
    // evaluating and keeping every form of the resource's tags.
    const literal = this.tagOperations ? NOT_LITERAL : literalTag(this.properties[TAG_PROPERTIES[this.type] ?? 'Tags'], key);
    if (literal !== NOT_LITERAL) {
      const v = literal ?? this.stack.tags.get(key);
      return typeof v === 'string' && v.toLowerCase() === value.toLowerCase();
    }
    return this.tags().some((tags) => {
      const v = tags instanceof UnknownValue ? undefined : tags.get(key);
      return typeof v === 'string' && v.toLowerCase() === value.toLowerCase();
    });
  }
}

/** What {@link literalTag} returns where the tags hold an intrinsic that decides the answer. */
const NOT_LITERAL = Symbol('not literal');

/**
 * The value of tag `key` in a resource's raw tags (list or map form) when the template writes it, and every key
 * before it, as a literal; undefined when the resource has no such tag; `NOT_LITERAL` when an intrinsic could decide it.
 */
function literalTag(raw: unknown, key: string): string | undefined | typeof NOT_LITERAL {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) {
    let found: string | undefined;
    for (const tag of raw) {
      if (!isPlainObject(tag) || typeof tag.Key !== 'string') return NOT_LITERAL;
      if (tag.Key !== key) continue;
      if (typeof tag.Value !== 'string') return NOT_LITERAL;
      found = tag.Value;
    }
    return found;
  }
  if (!isPlainObject(raw) || intrinsicName(raw)) return NOT_LITERAL;
  const value = raw[key];
  return value === undefined || typeof value === 'string' ? value : NOT_LITERAL;
}

/** Walks down a path of raw properties, branching on every `Fn::If` met on the way. */
function navigate(raw: unknown, segments: readonly string[], scope: EvaluationScope): Branch[] {
  let current = raw;
  for (let i = 0; i < segments.length; i++) {
    if (current === undefined) return [{ value: undefined, parameters: [] }];
    if (intrinsicName(current)) {
      const rest = segments.slice(i);
      return evaluate(current, scope).map((b) => ({ value: readPath(b.value, rest), parameters: b.parameters }));
    }
    if (!isPlainObject(current)) return [{ value: undefined, parameters: [] }];
    current = current[segments[i]];
  }
  return evaluate(current, scope);
}

/**
 * Every CloudFormation resource of an app, indexed once per validation run: by type, by logical ID, and by the
 * references between them (`Ref`, `Fn::GetAtt`, `Fn::Sub`, cross-stack exports, ARNs and S3 URIs written as
 * text, ARNs built from the partition, Region and account pseudo parameters). Rules ask the index; no rule walks the
 * construct tree.
 */
export class ResourceIndex {
  /**
   * Indexes every stack and resource under `root` (nested stages included).
   * @param templateOf the template file of a stack, when known (inside synthesis)
   * @param synthesized inside synthesis: the templates the CDK wrote, read instead of rendering each resource again
   */
  public static fromScope(root: IConstruct, templateOf?: (stack: Stack) => string, synthesized?: SynthesizedTemplates): ResourceIndex {
    const index = new ResourceIndex();
    const resolved: Array<{ element: CfnElement; stack: IndexedStack }> = [];
    const stacks = new Map<Stack, IndexedStack>();
    const visit = (node: IConstruct): void => {
      if (CfnElement.isCfnElement(node)) {
        const stack = node.stack;
        let indexedStack = stacks.get(stack);
        if (!indexedStack) {
          indexedStack = index.stackFor(stack, templateOf, synthesized);
          stacks.set(stack, indexedStack);
        }
        resolved.push({ element: node, stack: indexedStack });
      }
      for (const child of node.node.children) visit(child);
    };
    visit(root);
    for (const { element, stack } of resolved) index.add(element, stack);
    index.linkReferences();
    return index;
  }

  /**
   * Indexes templates alone, without the app that wrote them: a cloud assembly read after synthesis (the command
   * line), or templates of any origin. Acknowledgments, which live on constructs, are then not known.
   */
  public static fromTemplates(stacks: readonly TemplateStack[]): ResourceIndex {
    const index = new ResourceIndex();
    const entries = (part: unknown) => Object.entries(isPlainObject(part) ? part : {});
    for (const input of stacks) {
      const env = { account: input.account, region: input.region };
      const stack = new IndexedStack(index, input.stackPath, input.templatePath, new Map(), input.template, env);
      index.stacks.set(input.stackPath, stack);
      const template = input.template;
      for (const [logicalId, parameter] of entries(template.Parameters)) {
        stack.parameters.set(logicalId, (isPlainObject(parameter) ? parameter : {}) as ParameterDefinition);
      }
      for (const [logicalId, condition] of entries(template.Conditions)) stack.conditions.set(logicalId, condition);
      for (const [logicalId, mapping] of entries(template.Mappings)) stack.mappings.set(logicalId, mapping);
      for (const [, output] of entries(template.Outputs)) {
        const exportName = isPlainObject(output) && isPlainObject(output.Export) ? output.Export.Name : undefined;
        if (typeof exportName === 'string') index.exports.set(exportName, { value: (output as { Value?: unknown }).Value, scope: stack });
      }
      for (const [logicalId, resource] of entries(template.Resources)) {
        if (!isPlainObject(resource) || typeof resource.Type !== 'string') continue;
        const properties = isPlainObject(resource.Properties) ? resource.Properties : {};
        const condition = typeof resource.Condition === 'string' ? resource.Condition : undefined;
        const metadata = isPlainObject(resource.Metadata) ? resource.Metadata : undefined;
        index.addResource(resource.Type, stack, logicalId, properties, undefined, undefined, condition, metadata);
      }
    }
    index.linkReferences();
    return index;
  }

  public readonly statistics: IndexStatistics = { resources: 0, lookups: 0, evaluations: 0 };
  /**
   * What the pack's user declares about the whole app for this run (`aiSystem` → `whole-app`), set by the pack before
   * any rule runs: the engine keeps them without knowing what they mean; the knowledge that scopes on them reads them.
   */
  public readonly declarations = new Map<string, string>();
  /** Resources whose properties could not be rendered, with the reason. */
  public readonly unrenderable = new Map<IndexedResource, string>();

  private readonly stacks = new Map<string, IndexedStack>();
  private readonly byType = new Map<string, IndexedResource[]>();
  private readonly byLogicalId = new Map<string, IndexedResource[]>();
  private readonly byName = new Map<string, IndexedResource[]>();
  private readonly byTypeAndName = new Map<string, IndexedResource[]>();
  private readonly exports = new Map<string, { value: unknown; scope: EvaluationScope }>();
  /**
   * Each ARN written with pseudo parameters that the reference graph met ({@link pseudoArnText}), with the resource it
   * names from each stack that writes it: what {@link resolve} answers for it.
   */
  private readonly pseudoArns = new Map<string, Map<IndexedStack, IndexedResource | undefined>>();
  private readonly outgoing = new Map<IndexedResource, Reference[]>();
  private readonly incoming = new Map<IndexedResource, Reference[]>();
  private readonly all: IndexedResource[] = [];
  private readonly memos = new Map<object, Memo<unknown>>();
  /** The `Tags.of` aspects of the construct tree, read for resources rendered from their constructs. */
  private readonly tagAspects = new TagAspects();
  private readonly computing = new Set<object>();
  /** The key of {@link memo} for each part of a lookup of {@link memoPer}. */
  private readonly partKeys = new Map<object, Map<object, object>>();
  /** Lookups over the whole app computed while a parameter's other allowed value is assumed, by assumption. */
  private readonly assumedMemos = new Map<string, Map<object, Memo<unknown>>>();
  /** Whether a judgement is being recorded; its parameter uses, once it has any (most record none). */
  private recordingOn = false;
  /** How many resources have a `Condition`: none in most apps, where lookups need not ask whether a resource is created. */
  private conditional = 0;
  private recorder?: Map<string, ParameterUse>;
  private choices?: boolean;

  /**
   * The value of a parameter assumed instead of its default, while a rule runs again to learn whether another allowed
   * value would fail it; undefined otherwise.
   * @internal
   */
  public assumption?: ParameterAssumption;

  private constructor() {}

  /** All resources of the app: what the pack judges, each resource that is not created as not applicable. */
  public get resources(): readonly IndexedResource[] {
    return this.all;
  }

  /**
   * The resources of the app that are created, as {@link ofType} reads them: what a lookup over the whole app must
   * read, so that a resource whose `Condition` is false neither protects another (a logging configuration that is never
   * created) nor stands for the app (the first AI resource of a stack, where a finding about the stack is reported).
   */
  public get createdResources(): readonly IndexedResource[] {
    this.statistics.lookups++;
    return this.keepCreated(this.all, (r) => r);
  }

  /**
   * Whether a parameter of the app lists `AllowedValues`: only then can a rule be judged again with another value, and
   * most apps (every CDK app without `CfnParameter`s of its own) have none.
   * @internal
   */
  public get offersChoices(): boolean {
    this.choices ??= [...this.stacks.values()].some((stack) => [...stack.parameters.values()].some((p) => Array.isArray(p.AllowedValues)));
    return this.choices;
  }

  /** The resources of one stack that are created, in the app's order: what a lookup made per stack reads. */
  public createdResourcesOf(stack: IndexedStack): readonly IndexedResource[] {
    this.statistics.lookups++;
    return this.keepCreated([...stack.resources.values()], (r) => r);
  }

  /** The resources of one CloudFormation type. */
  public ofType(type: string): readonly IndexedResource[] {
    this.statistics.lookups++;
    const all = this.byType.get(type) ?? [];
    return this.keepCreated(all, (r) => r);
  }

  /**
   * The resources of one type as the templates declare them, created or not. For a lookup over the whole app that keeps
   * with each answer the resources it rests on and leaves it to the rule that reads the answer to ask, with
   * {@link keepCreated}, whether those are created. A lookup that read every resource's `Condition` itself would make
   * every rule that asks depend on every parameter those conditions name, and each judgement would be run again for each
   * other allowed value of each of them: with many parameterised stacks, that grows with the square of the app.
   */
  public declaredOfType(type: string): readonly IndexedResource[] {
    this.statistics.lookups++;
    return this.byType.get(type) ?? [];
  }

  /** The references a resource makes, to resources created or not; see {@link declaredOfType}. */
  public declaredReferencesFrom(resource: IndexedResource): readonly Reference[] {
    this.statistics.lookups++;
    return this.outgoing.get(resource) ?? [];
  }

  /** Whether the app holds any resource of a type starting with `prefix` (for example `AWS::SageMaker::`). */
  public hasTypePrefix(prefix: string): boolean {
    this.statistics.lookups++;
    for (const type of this.byType.keys()) if (type.startsWith(prefix)) return true;
    return false;
  }

  /** A resource by stack path and logical ID. */
  public find(stackPath: string, logicalId: string): IndexedResource | undefined {
    this.statistics.lookups++;
    return this.stacks.get(stackPath)?.resources.get(logicalId);
  }

  /**
   * The resource a reference value (or an ARN or S3 URI naming a resource of the app) points at. An ARN written with
   * pseudo parameters names what the reference graph linked it to, where every stack that writes it names the same
   * resource (the pseudo parameters are those of the stack that writes them: see {@link namedFrom}).
   */
  public resolve(value: Value): IndexedResource | undefined {
    if (value instanceof ResourceReference) return this.find(value.stackPath, value.logicalId);
    if (value instanceof Expression) {
      const refs = value.references;
      if (refs.length > 0) return this.resolve(refs[0]);
      const text = pseudoArnText(value);
      const named = text === undefined ? undefined : new Set(this.pseudoArns.get(text)?.values());
      return named?.size === 1 ? [...named][0] : undefined;
    }
    if (typeof value === 'string') return this.findByText(value);
    return undefined;
  }

  /**
   * The resource of `type` a value names: by reference, by ARN or S3 URI, or by its literal name (an endpoint config
   * named `"fraud-v2"` in `EndpointConfigName`). Undefined when the value names nothing of that type in the app.
   */
  public resolveAs(type: string, value: Value): IndexedResource | undefined {
    this.statistics.lookups++;
    if (typeof value === 'string' && !value.startsWith('arn:') && !value.startsWith('s3://')) {
      const matches = this.byTypeAndName.get(`${type}\u0000${nameKey(NAMED_BY_TEXT[type]?.service, value)}`);
      return matches && matches.length === 1 ? matches[0] : undefined;
    }
    const target = this.resolve(value);
    return target?.type === type ? target : undefined;
  }

  /** The references a resource makes. */
  public referencesFrom(resource: IndexedResource): readonly Reference[] {
    this.statistics.lookups++;
    const all = this.outgoing.get(resource) ?? [];
    return this.keepCreated(all, (r) => r.target);
  }

  /** The references made to a resource. */
  public referencesTo(resource: IndexedResource): readonly Reference[] {
    this.statistics.lookups++;
    const all = this.incoming.get(resource) ?? [];
    return this.keepCreated(all, (r) => r.source);
  }

  /**
   * The items whose resources are all created: a resource whose `Condition` is false with the parameters' defaults (or
   * the value assumed for one) is not, and another resource cannot count on it (a monitoring schedule that is not
   * created monitors nothing). Reading a condition records its parameters, so their other allowed values are judged too.
   * A condition not known at synth time keeps the resource. The list itself is returned when nothing is left out.
   * A rule keeps with it what it reads of a lookup built from {@link declaredOfType}: only the conditions of the
   * resources that answer the rule are read, and recorded on it.
   */
  public keepCreated<T>(items: readonly T[], resourcesOf: (item: T) => IndexedResource | readonly IndexedResource[]): readonly T[] {
    if (this.conditional === 0) return items;
    let kept: T[] | undefined;
    for (let i = 0; i < items.length; i++) {
      const resources = resourcesOf(items[i]);
      const dropped = Array.isArray(resources) ? !resources.every(isCreated) : !isCreated(resources as IndexedResource);
      if (dropped && !kept) kept = items.slice(0, i);
      else if (!dropped && kept) kept.push(items[i]);
    }
    return kept ?? items;
  }

  /** Whether a resource is created (see {@link keepCreated}): false only where its `Condition` is known to be false. */
  public isCreated(resource: IndexedResource): boolean {
    return isCreated(resource);
  }

  /**
   * The last of `resources` that is created: of several resources that share a literal name (stages of one API, vaults),
   * the one the name names, since two of one name deploy together only where conditions keep one from being created.
   * Conditions are read from the last, up to the one returned.
   */
  public lastCreated(resources: readonly IndexedResource[]): IndexedResource | undefined {
    for (let i = resources.length - 1; i >= 0; i--) {
      if (isCreated(resources[i])) return resources[i];
    }
    return undefined;
  }

  /**
   * What `compute` finds in this index, computed once per index (one validation run) however many rules and
   * resources ask: the lookups built over the whole app (which stages front an AI backend, which backup selections
   * cover which stores). `key` tells one lookup from another: give the function that asks, declared once at module
   * level. A lookup that asks for itself while it is being computed is a bug, and throws.
   */
  public memo<T>(key: object, compute: () => T): T {
    const assumption = this.assumption;
    // A lookup is the same under an assumed value unless it read the assumed parameter: the lookup as the defaults give
    // it is computed once and reused for every assumption it does not read, instead of anew each time a rule runs again
    // with another allowed value. (A lookup that reads the Condition of every resource of the app reads every parameter
    // those conditions name, and is still computed per assumption.)
    let memo = assumption ? this.withoutAssumption(() => this.memoOf(key, compute, this.memos)) : this.memoOf(key, compute, this.memos);
    if (assumption && readsAssumed(memo, assumption)) memo = this.memoOf(key, compute, this.memosAssuming(assumption));
    // Whoever asks depends on every parameter the lookup read. Running the asking rule again with each of their other
    // allowed values tells which of them matter to it: only those are named in a finding.
    for (const use of memo.parameters) this.record(use.stack, [use.parameter]);
    return memo.value;
  }

  /**
   * {@link memo} for one part of the app (a stack): computed once per part, and depending only on what was read for
   * that part, so that a rule asking about one stack is not judged again for each parameter of every other stack.
   */
  public memoPer<T>(key: object, part: object, compute: () => T): T {
    let parts = this.partKeys.get(key);
    if (!parts) {
      parts = new Map();
      this.partKeys.set(key, parts);
    }
    let partKey = parts.get(part);
    if (!partKey) {
      partKey = {};
      parts.set(part, partKey);
    }
    return this.memo(partKey, compute);
  }

  private memoOf<T>(key: object, compute: () => T, memos: Map<object, Memo<unknown>>): Memo<T> {
    let memo = memos.get(key) as Memo<T> | undefined;
    if (!memo) {
      if (this.computing.has(key)) throw new Error('a lookup of the index asked for itself while it was being computed');
      this.computing.add(key);
      try {
        const { result, parameters } = this.recording(compute);
        memo = { value: result, parameters };
        memos.set(key, memo);
      } finally {
        this.computing.delete(key);
      }
    }
    return memo;
  }

  /** Runs `read` with the parameters' defaults, from inside an assumption. */
  private withoutAssumption<T>(read: () => T): T {
    const assumption = this.assumption;
    this.assumption = undefined;
    try {
      return read();
    } finally {
      this.assumption = assumption;
    }
  }

  /**
   * Runs `read` and returns with its result the parameters whose defaults decided the values it read from
   * resources (through {@link IndexedResource.get} and {@link IndexedResource.exists}; lookups of {@link memo} do not
   * count).
   * @internal
   */
  public recording<T>(read: () => T): { result: T; parameters: readonly ParameterUse[] } {
    // Every rule invocation is recorded: the map is made only when a parameter is met.
    const outerOn = this.recordingOn;
    const outer = this.recorder;
    this.recordingOn = true;
    this.recorder = undefined;
    try {
      const result = read();
      // Set by `record` while `read` ran (the compiler cannot see that through the call).
      const uses = this.recorder as Map<string, ParameterUse> | undefined;
      return { result, parameters: uses ? [...uses.values()] : NO_PARAMETERS };
    } finally {
      this.recordingOn = outerOn;
      this.recorder = outer;
    }
  }

  /**
   * Runs `read` with `value` assumed for a parameter instead of its default, besides any value assumed already for
   * another (inside `assuming`, two parameters' other values hold together).
   * @internal
   */
  public assuming<T>(use: ParameterUse, value: unknown, read: () => T): T {
    const outer = this.assumption;
    const key = `${parameterKey(use.stack.stackPath, use.parameter)}\u0000${JSON.stringify(value)}`;
    this.assumption = { stackPath: use.stack.stackPath, parameter: use.parameter, value, key: outer ? `${outer.key}\u0001${key}` : key, outer };
    try {
      return read();
    } finally {
      this.assumption = outer;
    }
  }

  /** @internal */
  public record(stack: IndexedStack, parameters: readonly string[]): void {
    if (!this.recordingOn || parameters.length === 0) return;
    this.recorder ??= new Map();
    for (const parameter of parameters) {
      const key = parameterKey(stack.stackPath, parameter);
      if (!this.recorder.has(key)) this.recorder.set(key, { stack, parameter });
    }
  }

  private memosAssuming(assumption: ParameterAssumption): Map<object, Memo<unknown>> {
    let memos = this.assumedMemos.get(assumption.key);
    if (!memos) {
      memos = new Map();
      this.assumedMemos.set(assumption.key, memos);
    }
    return memos;
  }

  /** @internal */
  public uniqueStackOf(logicalId: string): string | undefined {
    const matches = this.byLogicalId.get(logicalId);
    return matches && matches.length === 1 ? matches[0].stack.stackPath : undefined;
  }

  /** @internal */
  public exported(name: string): { value: unknown; scope: EvaluationScope } | undefined {
    return this.exports.get(name);
  }

  private stackFor(stack: Stack, templateOf?: (stack: Stack) => string, synthesized?: SynthesizedTemplates): IndexedStack {
    const path = stack.node.path;
    let indexed = this.stacks.get(path);
    if (!indexed) {
      const template = synthesized?.of(stack);
      // The stack's tags, which CloudFormation propagates to its resources, include those `Tags.of` aspects give it.
      let tags: ReadonlyMap<string, string> = new Map(Object.entries(stack.tags.tagValues()));
      const operations = template ? undefined : this.tagAspects.operationsOn(stack);
      if (operations) tags = withTagOperations(tags, operations);
      indexed = new IndexedStack(this, path, templateOf?.(stack), tags, template, { region: stack.region, account: stack.account });
      this.stacks.set(path, indexed);
    }
    return indexed;
  }

  private add(element: CfnElement, stack: IndexedStack): void {
    let logicalId: string;
    try {
      logicalId = logicalIdOf(element);
    } catch (e) {
      // The CDK cannot name this element (it would fail synthesis too); index the resource as unrenderable so every
      // rule that reads it reports it unverifiable instead of the whole pack failing.
      if (CfnResource.isCfnResource(element)) this.addResource(element.cfnResourceType, stack, element.node.path, {}, element, (e as Error).message);
      return;
    }
    if (element instanceof CfnCondition || element instanceof CfnMapping) {
      // A condition or mapping that cannot be rendered stays out of the index: what reads it is then unknown.
      try {
        if (element instanceof CfnCondition) stack.conditions.set(logicalId, section(element, stack, 'Conditions', logicalId));
        else stack.mappings.set(logicalId, section(element, stack, 'Mappings', logicalId));
      } catch {
        // nothing to index
      }
      return;
    }
    if (element instanceof CfnParameter || element instanceof CfnOutput) {
      // A parameter or output that cannot be rendered stays out of the index: a Ref to it is then unknown.
      try {
        this.addParameterOrOutput(element, stack, logicalId);
      } catch {
        // nothing to index
      }
      return;
    }
    if (!CfnResource.isCfnResource(element)) return;

    let properties: Record<string, unknown> = {};
    let condition: string | undefined;
    let metadata: Record<string, unknown> | undefined;
    let failure: string | undefined;
    try {
      const rendered = section(element, stack, 'Resources', logicalId) as { Properties?: unknown; Condition?: unknown; Metadata?: unknown } | undefined;
      if (isPlainObject(rendered?.Properties)) properties = rendered.Properties;
      if (typeof rendered?.Condition === 'string') condition = rendered.Condition;
      if (isPlainObject(rendered?.Metadata)) metadata = rendered.Metadata;
    } catch (e) {
      failure = (e as Error).message;
    }
    // Rendered from the construct, the resource does not yet carry the tags its aspects will write; a template the CDK
    // wrote does.
    const tagOperations = stack.template ? undefined : this.tagAspects.operationsOn(element);
    this.addResource(element.cfnResourceType, stack, logicalId, properties, element, failure, condition, metadata, tagOperations);
  }

  private addParameterOrOutput(element: CfnParameter | CfnOutput, stack: IndexedStack, logicalId: string): void {
    if (element instanceof CfnParameter) {
      stack.parameters.set(logicalId, section(element, stack, 'Parameters', logicalId) as ParameterDefinition ?? {});
      return;
    }
    const output = section(element, stack, 'Outputs', logicalId) as { Value?: unknown; Export?: { Name?: unknown } } | undefined;
    const exportName = output?.Export?.Name;
    if (typeof exportName === 'string') this.exports.set(exportName, { value: output?.Value, scope: stack });
  }

  private addResource(type: string, stack: IndexedStack, logicalId: string, properties: Record<string, unknown>,
    construct: IConstruct | undefined, failure?: string, condition?: string, metadata?: Record<string, unknown>,
    tagOperations?: readonly TagOperation[]): void {
    const resource = new IndexedResource(this, stack, logicalId, type, properties, construct, condition, metadata, tagOperations);
    if (failure !== undefined) this.unrenderable.set(resource, failure);
    stack.resources.set(logicalId, resource);
    this.all.push(resource);
    this.statistics.resources++;
    if (condition !== undefined) this.conditional++;
    addToList(this.byType, resource.type, resource);
    addToList(this.byLogicalId, logicalId, resource);
    const named = NAMED_BY_TEXT[resource.type];
    const name = named ? properties[named.property] : undefined;
    if (typeof name === 'string') {
      const key = nameKey(named.service, name);
      addToList(this.byName, key, resource);
      addToList(this.byTypeAndName, `${resource.type}\u0000${key}`, resource);
    }
  }

  /** Walks every resource's properties once, recording what each one references. */
  private linkReferences(): void {
    for (const source of this.all) {
      const found: Reference[] = [];
      this.collectReferences(source, source.properties, [], found);
      this.outgoing.set(source, found);
      for (const ref of found) addToList(this.incoming, ref.target, ref);
    }
  }

  /** @param path the property path down to `raw`, as segments: joined only for a reference found (most values hold none) */
  private collectReferences(source: IndexedResource, raw: unknown, path: string[], found: Reference[]): void {
    if (typeof raw === 'string') {
      const target = this.findByText(raw);
      if (target && target !== source) found.push({ source, target, path: path.join('.') });
      return;
    }
    if (raw === null || typeof raw !== 'object') return;
    if (Array.isArray(raw)) {
      for (const item of raw) this.collectReferences(source, item, path, found);
      return;
    }
    const obj = raw as Record<string, unknown>;
    const name = intrinsicName(obj);
    if (name === 'Ref' || name === 'Fn::GetAtt' || name === 'Fn::ImportValue') {
      for (const b of evaluate(obj, source.stack)) this.addReference(source, b.value, path, found);
      return;
    }
    if (name === 'Fn::Sub') {
      for (const b of evaluate(obj, source.stack)) {
        if (!(b.value instanceof Expression)) this.collectReferences(source, b.value, path, found);
        else if (b.value.references.length > 0) b.value.references.forEach((r) => this.addReference(source, r, path, found));
        // Without references, an ARN written with pseudo parameters, perhaps.
        else this.addReference(source, b.value, path, found);
      }
      // Variables of the long form may hold further intrinsics.
      const arg = obj[name];
      if (Array.isArray(arg) && arg.length === 2) this.collectReferences(source, arg[1], path, found);
      return;
    }
    if (name === 'Fn::Join' && joinsPseudoParameters(obj[name])) {
      // An ARN as the CDK writes it: its parts name nothing alone, so the whole is read; its references are found below.
      for (const b of evaluate(obj, source.stack)) {
        if (b.value instanceof Expression && b.value.references.length === 0) this.addReference(source, b.value, path, found);
      }
    }
    for (const key of Object.keys(obj)) {
      // The key of any other intrinsic (Fn::If, Fn::Join) is not part of the property path.
      if (name) {
        this.collectReferences(source, obj[key], path, found);
      } else {
        path.push(key);
        this.collectReferences(source, obj[key], path, found);
        path.pop();
      }
    }
  }

  private addReference(source: IndexedResource, value: Value, path: readonly string[], found: Reference[]): void {
    let target: IndexedResource | undefined;
    if (value instanceof Expression && value.references.length === 0) {
      // Without references, a string names a resource only as an ARN written with its own stack's pseudo parameters:
      // read once here, not again by `resolve`.
      const text = pseudoArnText(value);
      target = text === undefined ? undefined : this.namedFrom(source.stack, text);
    } else {
      target = this.resolve(value);
    }
    if (!target || target === source) return;
    found.push({ source, target, path: path.join('.'), attribute: value instanceof ResourceReference ? value.attribute : undefined });
  }

  /** A resource named by text: `s3://bucket/key`, `arn:aws:s3:::bucket/*`, or an ARN ending in a resource's name. */
  private findByText(text: string): IndexedResource | undefined {
    // Only ARNs and S3 URIs name resources; most strings of a template are neither.
    if (this.byName.size === 0 || text.length > 2048 || !(text.startsWith('arn:') || text.startsWith('s3://'))) return undefined;
    const named = nameInText(text);
    return named && this.findNamed(named);
  }

  /**
   * The resource an ARN written with the pseudo parameters of `stack` names ({@link pseudoArnText}), matched by service,
   * type and name as a literal ARN is. The pseudo parameters name that stack's partition, Region and account (an
   * imported value too: `Fn::ImportValue` reads only exports of its own account and Region), so the ARN names a resource
   * of that stack, or of another stack whose environment gives each of them the same known value; never a resource of a
   * stack that may deploy elsewhere. Kept for {@link resolve}.
   */
  private namedFrom(stack: IndexedStack, text: string): IndexedResource | undefined {
    let byStack = this.pseudoArns.get(text);
    if (!byStack) {
      byStack = new Map();
      this.pseudoArns.set(text, byStack);
    }
    if (byStack.has(stack)) return byStack.get(stack);
    const named = nameInText(text);
    const pseudo = pseudoParametersOf(text);
    const target = named && this.findNamed(named, (r) => r.stack === stack
      || pseudo.every((p) => stack.pseudoParameter(p) !== undefined && stack.pseudoParameter(p) === r.stack.pseudoParameter(p)));
    byStack.set(stack, target);
    return target;
  }

  /**
   * The one resource of the app named so (of the service, and of the ARN's resource type where its ARN has one), among
   * those `where` keeps.
   */
  private findNamed(named: TextName, where?: (resource: IndexedResource) => boolean): IndexedResource | undefined {
    const matches = this.byName.get(nameKey(named.service, named.name))?.filter((r) => {
      const { service, arnType } = NAMED_BY_TEXT[r.type];
      return service === named.service && (arnType === undefined || arnType === named.arnType) && (where?.(r) ?? true);
    });
    return matches && matches.length === 1 ? matches[0] : undefined;
  }
}

/**
 * The logical ID of an element, as its template names it. `logicalId` is a lazy token; resolving it through the
 * stack's token resolver costs more than rendering many a resource, so the index asks the element for the value the
 * token produces (`_synthesizeLogicalId`, internal to aws-cdk-lib but stable across v2) and resolves the token only
 * when that is not available or gives a token.
 */
function logicalIdOf(element: CfnElement): string {
  const synthesize = (element as unknown as { _synthesizeLogicalId?: () => unknown })._synthesizeLogicalId;
  if (typeof synthesize === 'function') {
    const id = synthesize.call(element);
    if (typeof id === 'string' && !Token.isUnresolved(id)) return id;
  }
  return element.stack.resolve(element.logicalId) as string;
}

/**
 * One element's entry of a template section: from the template the CDK wrote for its stack in this synthesis, or
 * else rendered from the element.
 */
function section(element: CfnElement, stack: IndexedStack, name: keyof TemplateSections, logicalId: string): unknown {
  if (stack.template) {
    const entries = stack.template[name];
    return isPlainObject(entries) ? entries[logicalId] : undefined;
  }
  return renderSection(element, name, logicalId);
}

/** Renders one element's entry of a template section, with tokens resolved in its stack. */
function renderSection(element: CfnElement, name: string, logicalId: string): unknown {
  // `_toCloudFormation` is how a stack renders its template; it is internal to aws-cdk-lib but stable across v2.
  const fragment = (element as unknown as { _toCloudFormation(): Record<string, Record<string, unknown>> })._toCloudFormation();
  const entries = fragment?.[name];
  const keys = isPlainObject(entries) ? Object.keys(entries) : [];
  // The element's one entry is keyed by its logical ID as a token: resolve the entry alone rather than the key again.
  if (keys.length === 1) return Stack.of(element).resolve(entries[keys[0]]);
  const resolved = Stack.of(element).resolve(fragment) as Record<string, Record<string, unknown>>;
  return resolved?.[name]?.[logicalId];
}
