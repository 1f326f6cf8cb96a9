import { namesOf } from './ai-assets';
import { environmentOf } from './backup-coverage';
import { ORGANIZATION_TRAIL_METADATA } from '../../facts/organization-trail';
import { allOf, Answer, anyOf, NOT_KNOWN } from '../engine/checks';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { isPlainObject, UnknownValue, unknownOf, Value } from '../engine/values';

/**
 * Which accounts and Regions of the app hold AI resources, and which of them no CloudTrail trail or CloudTrail Lake
 * event data store of the app records, for P20 and P21: a missing trail is an account-level gap, reported once per
 * account and Region on the first AI resource there (in the app's construct order), never on every resource. Built
 * once per run.
 *
 * A trail of the app records an account and Region when its stack is in that account (or is an organisation trail,
 * `IsOrganizationTrail`, which records every member account) and in that Region (or may be multi-Region,
 * `IsMultiRegionTrail`). An event data store records them alike, from its own properties and their documented
 * defaults: `OrganizationEnabled` (default false), `MultiRegionEnabled` (default true). Two environment-agnostic
 * stacks deploy to the same account and Region; an agnostic stack and a stack with a known environment may or may
 * not (unverifiable). A trail switched off in every form (`IsLogging: false`), or an event data store that ingests
 * nothing in every form (`IngestionEnabled: false`; default true), records nothing. How well each records is judged
 * on the trail or store itself.
 *
 * An organisation trail that a construct of the app declares (AiEnvironment's `organizationTrail`, rendered into
 * template metadata with its reason) settles the account and Region of the declaring stack, as `orgManaged.auditTrail`
 * settles every one: the pack cannot see that trail, so it takes the reasoned declaration, as it takes the prop's.
 */

/** The AI resource types on which an account-level finding can be placed: the first of them in an account and Region. */
export const AUDITED_AI_TYPES: readonly string[] = [
  'AWS::SageMaker::Model', 'AWS::SageMaker::Endpoint', 'AWS::SageMaker::EndpointConfig', 'AWS::SageMaker::InferenceComponent',
  'AWS::SageMaker::NotebookInstance', 'AWS::SageMaker::Domain', 'AWS::SageMaker::Pipeline', 'AWS::SageMaker::ModelPackage',
  'AWS::SageMaker::ModelPackageGroup', 'AWS::SageMaker::FeatureGroup',
  'AWS::Bedrock::Agent', 'AWS::Bedrock::KnowledgeBase', 'AWS::Bedrock::Guardrail', 'AWS::Bedrock::Flow', 'AWS::Bedrock::Prompt',
  'AWS::BedrockAgentCore::Runtime', 'AWS::BedrockAgentCore::Gateway',
];

/** A CloudTrail Lake event data store: it records an account's events as a trail does, and keeps them itself. */
export const EVENT_DATA_STORE = 'AWS::CloudTrail::EventDataStore';
const TRAIL = 'AWS::CloudTrail::Trail';

/** One account and Region of the app that holds AI resources, as the rule that asks reads it: of what is created. */
export interface AuditedPlace {
  /** `account 111122223333, Region eu-west-2`, or `the account and Region of environment-agnostic stacks`. */
  readonly label: string;
  /** The AI resources there that are created, in the app's order; the first carries the account-level findings. */
  readonly aiResources: readonly IndexedResource[];
  /** The trails and event data stores of the app that are created and record it. */
  readonly recorders: readonly IndexedResource[];
  /** Trails and event data stores created that may record it: one of the two stacks is environment-agnostic, the other not. */
  readonly possibleRecorders: readonly IndexedResource[];
  /** Resources of the app that declare, with a reason, an organisation trail recording it. */
  readonly declaredBy: readonly IndexedResource[];
  /** Declarations that may speak for it: one of the two stacks is environment-agnostic, the other not. */
  readonly possiblyDeclaredBy: readonly IndexedResource[];
  /**
   * The first of {@link recorders} that passes `test`, in the app's order: only the conditions of the recorders up to it
   * are read, where reading {@link recorders} reads them all.
   */
  firstRecorder(test: (recorder: IndexedResource) => boolean): IndexedResource | undefined;
}

/** An account and Region as the lookup finds it: each list of every resource the app declares there, created or not. */
type DeclaredPlace = Omit<AuditedPlace, 'firstRecorder'>;

/**
 * A place read for one judgement: each list of what is created is made when the rule reads it, so that the rule
 * depends on the conditions of what it reads alone.
 */
class CreatedPlace implements AuditedPlace {
  public readonly label: string;
  public readonly declaredBy: readonly IndexedResource[];
  public readonly possiblyDeclaredBy: readonly IndexedResource[];

  public constructor(private readonly index: ResourceIndex, private readonly declared: DeclaredPlace) {
    this.label = declared.label;
    // A declaration is read from template metadata, whether or not the resource that carries it is created.
    this.declaredBy = declared.declaredBy;
    this.possiblyDeclaredBy = declared.possiblyDeclaredBy;
  }

  public get aiResources(): readonly IndexedResource[] {
    return this.created(this.declared.aiResources);
  }

  public get recorders(): readonly IndexedResource[] {
    return this.created(this.declared.recorders);
  }

  public get possibleRecorders(): readonly IndexedResource[] {
    return this.created(this.declared.possibleRecorders);
  }

  public firstRecorder(test: (recorder: IndexedResource) => boolean): IndexedResource | undefined {
    return this.declared.recorders.find((r) => this.index.isCreated(r) && test(r));
  }

  private created(resources: readonly IndexedResource[]): readonly IndexedResource[] {
    return this.index.keepCreated(resources, (r) => r);
  }
}

interface Place { readonly account?: string; readonly region?: string }

function labelOf(place: Place): string {
  if (place.account === undefined && place.region === undefined) return 'the account and Region of its environment-agnostic stacks';
  return `account ${place.account ?? '(not known at synth time)'}, Region ${place.region ?? '(not known at synth time)'}`;
}

/**
 * Whether two stacks' accounts (or Regions) are the same: yes when both are known and equal, or both unknown (an
 * environment-agnostic app deploys its stacks to one account and Region); not known when only one is known.
 */
function same(a: string | undefined, b: string | undefined): Answer {
  if (a === undefined && b === undefined) return true;
  if (a === undefined || b === undefined) return NOT_KNOWN;
  return a === b;
}

/**
 * Whether some form of a boolean property may be true (true, "true", or a value not known at synth time); an absent
 * property is its CloudFormation default, `absent`.
 */
function mayBeTrue(resource: IndexedResource, path: string, absent = false): boolean {
  return resource.get(path).some((b) => (b.value === undefined ? absent : b.value === true
    || (typeof b.value === 'string' && b.value.toLowerCase() === 'true') || (typeof b.value !== 'boolean' && typeof b.value !== 'string')));
}

/** The `eventCategory` values of CloudTrail events; a store of any other (Config items, Insights, events from outside AWS) holds none. */
const CLOUDTRAIL_CATEGORIES: readonly string[] = ['Management', 'Data', 'NetworkActivity'];

/**
 * Whether an event data store may hold CloudTrail events, the audit record P20 and P21 judge: yes without selectors
 * (every management event), no when in every form every selector takes only another category (AWS Config items,
 * Insights, events from outside AWS: a store holds one kind only), yes when a form cannot be read.
 */
export function holdsCloudTrailEvents(store: IndexedResource): boolean {
  return store.get('AdvancedEventSelectors').some((b) => !Array.isArray(b.value) || b.value.length === 0 || b.value.some((selector) => {
    const fields = isPlainObject(selector) ? selector.FieldSelectors : undefined;
    if (!Array.isArray(fields)) return true;
    const category = fields.find((f) => isPlainObject(f) && f.Field === 'eventCategory');
    const equals = isPlainObject(category) ? category.Equals : undefined;
    return !Array.isArray(equals) || equals.some((v) => typeof v !== 'string' || CLOUDTRAIL_CATEGORIES.includes(v));
  }));
}

/**
 * The trails and event data stores the app declares that take in CloudTrail events in some form, created or not, in the
 * app's order of types (trails first): a trail that is logging (`IsLogging`), an event data store that ingests
 * (`IngestionEnabled`, default true) and {@link holdsCloudTrailEvents}. Read once per run; which events each keeps, and
 * whether it is created, is for each rule to ask of those it reads, so that it depends on their conditions alone.
 */
export function auditRecorders(index: ResourceIndex): readonly IndexedResource[] {
  return index.memo(auditRecorders, () => [
    ...index.declaredOfType(TRAIL).filter((trail) => !isOffInEveryForm(trail, 'IsLogging')),
    ...index.declaredOfType(EVENT_DATA_STORE).filter((store) => !isOffInEveryForm(store, 'IngestionEnabled') && holdsCloudTrailEvents(store)),
  ]);
}

function isOffInEveryForm(resource: IndexedResource, path: string): boolean {
  return resource.get(path).every((b) => b.value === false || b.value === 'false');
}

/** Trails and event data stores by name, for a message: `trail Audit`, `event data store Lake`, or both. */
export function describeRecorders(recorders: readonly IndexedResource[]): string {
  const trails = recorders.filter((r) => r.type !== EVENT_DATA_STORE);
  const stores = recorders.filter((r) => r.type === EVENT_DATA_STORE);
  return [...(trails.length > 0 ? [`trail ${namesOf(trails)}`] : []), ...(stores.length > 0 ? [`event data store ${namesOf(stores)}`] : [])].join(' and ');
}

/** An organisation trail a resource of the app declares in its template metadata, with the reason it must give. */
export interface OrganizationTrailDeclared {
  readonly resource: IndexedResource;
  readonly reason: string;
  /** The account and Region it speaks for: its stack's. */
  readonly label: string;
}

/** The run's refusal of what the app declares for itself (the pack's `allowAppDeclarations: false`), as the index holds it. */
export const APP_DECLARATIONS_REFUSED = { name: 'allowAppDeclarations', value: 'false' } as const;

/** Whether the organisation trails the app declares settle nothing in this run. */
function refusesAppDeclarations(index: ResourceIndex): boolean {
  return index.declarations.get(APP_DECLARATIONS_REFUSED.name) === APP_DECLARATIONS_REFUSED.value;
}

/**
 * The organisation trails the app's resources declare, in the app's order, whether or not the run takes them (the
 * report lists both); a declaration without a reason is none.
 */
export function declaredOrganizationTrails(index: ResourceIndex): readonly OrganizationTrailDeclared[] {
  return index.memo(declaredOrganizationTrails, () => {
    const declared: OrganizationTrailDeclared[] = [];
    for (const resource of index.resources) {
      const declaration = resource.metadata[ORGANIZATION_TRAIL_METADATA];
      const reason = isPlainObject(declaration) ? declaration.reason : undefined;
      if (typeof reason === 'string' && reason.trim() !== '') declared.push({ resource, reason, label: labelOf(environmentOf(resource)) });
    }
    return declared;
  });
}

/** Whether a declaration in `declaring`'s stack speaks for `place`: the same account and the same Region. */
function speaksFor(declaring: IndexedResource, place: Place): Answer {
  const at = environmentOf(declaring);
  return allOf([same(at.account, place.account), same(at.region, place.region)]);
}

function records(recorder: IndexedResource, place: Place): Answer {
  const at = environmentOf(recorder);
  const store = recorder.type === EVENT_DATA_STORE;
  const account = mayBeTrue(recorder, store ? 'OrganizationEnabled' : 'IsOrganizationTrail') || same(at.account, place.account);
  const region = mayBeTrue(recorder, store ? 'MultiRegionEnabled' : 'IsMultiRegionTrail', store) || same(at.region, place.region);
  return allOf([account, region]);
}

/** One form of `EventSelectors`: whether some selector keeps management write events (the default, absent any selector). */
function selectorsKeepWrites(value: Value): Answer {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return true;
  if (!Array.isArray(value)) return NOT_KNOWN;
  return anyOf(value.map((selector) => {
    if (!isPlainObject(selector)) return unknownOf(selector) ?? false;
    const management = selector.IncludeManagementEvents;
    const included = management === undefined ? true : management === false || management === 'false' ? false : management === true || management === 'true' ? true : NOT_KNOWN;
    const readWrite = selector.ReadWriteType;
    const writes = readWrite === undefined ? true : typeof readWrite === 'string' ? readWrite !== 'ReadOnly' : NOT_KNOWN;
    return allOf([included, writes]);
  }));
}

/** One form of `AdvancedEventSelectors`: whether some selector takes management events without limiting them to reads. */
function advancedSelectorsKeepWrites(value: Value): Answer {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (!Array.isArray(value)) return NOT_KNOWN;
  return anyOf(value.map((selector) => {
    const fields = isPlainObject(selector) ? selector.FieldSelectors : undefined;
    if (!Array.isArray(fields)) return unknownOf(fields) ?? unknownOf(selector) ?? false;
    const equals = (field: string): Value => {
      const found = fields.find((f) => isPlainObject(f) && f.Field === field);
      return isPlainObject(found) ? found.Equals : undefined;
    };
    const category = equals('eventCategory');
    const readOnly = equals('readOnly');
    if (unknownOf(category) || unknownOf(readOnly)) return NOT_KNOWN;
    const management = Array.isArray(category) && category.includes('Management');
    const readsOnly = Array.isArray(readOnly) && readOnly.length > 0 && readOnly.every((v) => v === 'true');
    return management && !readsOnly;
  }));
}

/**
 * Whether a trail or event data store records management write events (who created, changed or deleted a model,
 * endpoint or agent) in every form of its selectors: `AdvancedEventSelectors` where set, else a trail's
 * `EventSelectors` (none: every management event). An event data store has advanced selectors only; without them it
 * keeps every management event (CloudTrail's documented default).
 * @returns the answer, with the property that decided it
 */
export function recordsManagementWrites(recorder: IndexedResource): { readonly answer: Answer; readonly property: string } {
  const advanced = recorder.get('AdvancedEventSelectors');
  const none = (value: Value): boolean => value === undefined || (Array.isArray(value) && value.length === 0);
  if (recorder.type === EVENT_DATA_STORE || advanced.some((b) => !none(b.value))) {
    return { answer: allOf(advanced.map((b) => (none(b.value) ? true : advancedSelectorsKeepWrites(b.value)))), property: 'AdvancedEventSelectors' };
  }
  return { answer: allOf(recorder.get('EventSelectors').map((b) => selectorsKeepWrites(b.value))), property: 'EventSelectors' };
}

/**
 * Every account and Region of the app that holds AI resources of {@link AUDITED_AI_TYPES}, with each AI resource,
 * recorder and declaration there, created or not: {@link auditedPlaceOf} asks which are created.
 */
function auditedPlaces(index: ResourceIndex): ReadonlyMap<IndexedResource, DeclaredPlace> {
  return index.memo(auditedPlaces, () => {
    // Which events a trail or store keeps is for each rule to judge: P20 asks for management writes, P21 for data events.
    const recorders = auditRecorders(index);
    const byKey = new Map<string, { place: Place; resources: IndexedResource[] }>();
    const types = new Set(AUDITED_AI_TYPES);
    const declarations = refusesAppDeclarations(index) ? [] : declaredOrganizationTrails(index).map((d) => d.resource);
    for (const resource of index.resources) {
      if (!types.has(resource.type)) continue;
      const place = environmentOf(resource);
      const key = `${place.account ?? ''}|${place.region ?? ''}`;
      const entry = byKey.get(key) ?? { place, resources: [] };
      entry.resources.push(resource);
      byKey.set(key, entry);
    }
    const places = new Map<IndexedResource, DeclaredPlace>();
    for (const { place, resources } of byKey.values()) {
      const answers = recorders.map((r) => ({ recorder: r, answer: records(r, place) }));
      const declared = declarations.map((d) => ({ by: d, answer: speaksFor(d, place) }));
      const audited: DeclaredPlace = {
        label: labelOf(place),
        aiResources: resources,
        recorders: answers.filter((a) => a.answer === true).map((a) => a.recorder),
        possibleRecorders: answers.filter((a) => a.answer instanceof UnknownValue).map((a) => a.recorder),
        declaredBy: declared.filter((d) => d.answer === true).map((d) => d.by),
        possiblyDeclaredBy: declared.filter((d) => d.answer instanceof UnknownValue).map((d) => d.by),
      };
      for (const resource of resources) places.set(resource, audited);
    }
    return places;
  });
}

/**
 * The account and Region whose account-level findings a resource carries: defined only for the first created AI
 * resource of each. Only the conditions of the AI resources up to that one are read for the others, so that each is
 * not judged again for the parameters of every AI resource of the place; what the finding's rule reads of the place
 * (its AI resources, its recorders) is kept to what is created as it reads it.
 */
export function auditedPlaceOf(index: ResourceIndex, resource: IndexedResource): AuditedPlace | undefined {
  const place = auditedPlaces(index).get(resource);
  if (!place || place.aiResources.find((r) => index.isCreated(r)) !== resource) return undefined;
  return new CreatedPlace(index, place);
}

/** The AI resources of a place, for a message. */
export function describePlace(place: AuditedPlace): string {
  return `${place.label} holds ${place.aiResources.length === 1 ? 'AI resource' : 'AI resources'} ${namesOf(place.aiResources)}`;
}
