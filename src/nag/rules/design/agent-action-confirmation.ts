import { COMPLIANT, decidingParameters, isSet, NOT_APPLICABLE, nonCompliant, normaliseEnum, qualifier, unverifiable } from '../../engine/checks';
import { IndexedResource } from '../../engine/resource-index';
import { describe, Expression, isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** An agent tag `ai:read-only:<action group>/<function or operationId>` = reason exempts one read-only action. */
const READ_ONLY_TAG = 'ai:read-only:';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const MAX_SCHEMA_LENGTH = 1_000_000;
/** HTTP methods that are safe (read-only) by their definition (RFC 9110): the operation retrieves, it changes nothing. */
const SAFE_METHODS = new Set(['get', 'head', 'options']);
/** HTTP methods that change the resource by their definition, whatever the operation is named. */
const WRITE_METHODS = new Set(['put', 'delete', 'patch']);
/** Verbs that begin the name of an action that reads: `searchDocuments`, `get_order_status`, `list-orders`. */
const READ_VERBS = ['get', 'list', 'describe', 'search', 'find', 'lookup', 'query', 'read', 'fetch', 'retrieve', 'view', 'show', 'count'];
/** Words that make a name an action that changes something, wherever they appear in it (`getAndDeleteOrder`). */
const WRITE_WORDS = new Set(['create', 'update', 'delete', 'put', 'post', 'patch', 'set', 'add', 'remove', 'insert', 'send', 'write',
  'submit', 'cancel', 'book', 'pay', 'payment', 'refund', 'transfer', 'execute', 'run', 'approve', 'reject', 'modify', 'reset',
  'schedule', 'start', 'stop', 'invoke', 'upload', 'publish', 'grant', 'revoke', 'deploy', 'drop', 'assign', 'register', 'purchase',
  'email', 'notify', 'trigger', 'edit', 'save', 'close', 'void', 'settle', 'charge', 'move', 'copy', 'restore']);

/** What one action group needs, found while reading it. */
interface GroupFindings {
  /** Actions that run without confirmation, by name. */
  readonly unconfirmed: string[];
  /** Why some of the group cannot be read. */
  readonly open: string[];
}

/** One operation of an OpenAPI schema. */
interface Operation {
  readonly name: string;
  readonly operationId?: string;
  readonly confirmation: Value;
  /** The HTTP method, lower case. */
  readonly method: string;
}

/** The words of an action name: `getAndDeleteOrder`, `get_refund` and `list-orders` split where case or separator changes. */
function wordsOf(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
}

/**
 * Whether an action's name says it only reads: its first word is a read verb (or, in a name of one lower-case word such
 * as `getschema`, begins with one), and no word of it is a write word (`getAndDeleteOrder`, `get_refund` write).
 */
function isReadOnlyName(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0) return false;
  const first = words[0];
  const verb = READ_VERBS.includes(first) || (words.length === 1 && READ_VERBS.some((v) => first.startsWith(v)));
  return verb && !words.slice(1).some((w) => WRITE_WORDS.has(w)) && !WRITE_WORDS.has(first);
}

/** Whether an OpenAPI operation only reads: a safe method, or a POST whose operationId names a read (a search). */
function isReadOnlyOperation(op: Operation): boolean {
  if (SAFE_METHODS.has(op.method)) return true;
  if (WRITE_METHODS.has(op.method)) return false;
  return op.operationId !== undefined && isReadOnlyName(op.operationId);
}

function isEnabled(value: Value): boolean {
  return typeof value === 'string' && normaliseEnum(value) === 'enabled';
}

/** The action names the agent's tags exempt as read-only, in every readable form of its tags. */
function readOnlyActions(agent: IndexedResource): Set<string> {
  let exempt: Set<string> | undefined;
  for (const tags of agent.tags()) {
    if (tags instanceof UnknownValue) continue;
    const here = new Set<string>();
    for (const [key, value] of tags) {
      if (key.startsWith(READ_ONLY_TAG) && typeof value === 'string' && value.trim() !== '') here.add(key.slice(READ_ONLY_TAG.length));
    }
    exempt = exempt ? new Set([...exempt].filter((k) => here.has(k))) : here;
  }
  return exempt ?? new Set();
}

/** The operations of an OpenAPI schema given as JSON text; undefined when the text is not JSON. */
function jsonOperations(text: string): Operation[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(doc)) return undefined;
  const operations: Operation[] = [];
  const paths = isPlainObject(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isPlainObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isPlainObject(op)) continue;
      const operationId = typeof op.operationId === 'string' ? op.operationId : undefined;
      operations.push({ name: operationId ?? `${method.toUpperCase()} ${path}`, operationId, confirmation: op['x-requireConfirmation'], method });
    }
  }
  return operations;
}

/**
 * The operations of an OpenAPI schema given as YAML text, read by indentation: each `get:`/`post:`/... key with nothing
 * after it opens an operation, whose deeper lines may hold `operationId` and `x-requireConfirmation`.
 */
function yamlOperations(text: string): Operation[] {
  const operations: Array<{ name: string; operationId?: string; confirmation?: string; indent: number; method: string }> = [];
  let path = '';
  let current: { name: string; operationId?: string; confirmation?: string; indent: number; method: string } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (current && indent <= current.indent) current = undefined;
    const pathKey = /^\s*["']?(\/[^"':]*)["']?\s*:\s*$/.exec(line);
    if (pathKey) path = pathKey[1];
    const method = /^\s*["']?(get|put|post|delete|options|head|patch|trace)["']?\s*:\s*$/i.exec(line);
    if (method) {
      current = { name: `${method[1].toUpperCase()} ${path}`.trim(), indent, method: method[1].toLowerCase() };
      operations.push(current);
      continue;
    }
    if (!current) continue;
    const id = /^\s*["']?operationId["']?\s*:\s*["']?([\w.-]+)["']?\s*$/.exec(line);
    if (id) {
      current.operationId = id[1];
      current.name = id[1];
    }
    const confirm = /^\s*["']?x-requireConfirmation["']?\s*:\s*["']?(\w+)["']?\s*$/.exec(line);
    if (confirm) current.confirmation = confirm[1];
  }
  return operations.map((o) => ({ name: o.name, operationId: o.operationId, confirmation: o.confirmation, method: o.method }));
}

/** Reads the operations of an `ApiSchema.Payload`, or says why it cannot be read. */
function operationsOf(payload: Value): Operation[] | string {
  let text: string;
  if (typeof payload === 'string') {
    text = payload;
  } else if (payload instanceof Expression && payload.unknown === undefined) {
    // A schema with references inside (CDK renders tokens in a JSON string with Fn::Join): the references stand for names.
    text = payload.parts.map((p) => (typeof p === 'string' ? p : 'REFERENCE')).join('');
  } else {
    return `ApiSchema.Payload is ${describe(payload)}`;
  }
  if (text.length > MAX_SCHEMA_LENGTH) return 'ApiSchema.Payload is too large to read';
  const trimmed = text.trimStart();
  const fromJson = trimmed.startsWith('{') ? jsonOperations(text) : undefined;
  const operations = fromJson ?? yamlOperations(text);
  if (operations.length > 0) return operations;
  if (trimmed.startsWith('{') && fromJson === undefined) return 'ApiSchema.Payload is neither valid JSON nor YAML with readable operations';
  return fromJson ? [] : 'ApiSchema.Payload holds no operation the rule can read';
}

function groupName(group: Record<string, Value>, i: number): string {
  return typeof group.ActionGroupName === 'string' ? group.ActionGroupName : `#${i}`;
}

/** What one action group runs without confirmation; undefined when the group needs no confirmation at all. */
function judgeGroup(group: Record<string, Value>, name: string, exempt: Set<string>): GroupFindings | undefined {
  if (typeof group.ActionGroupState === 'string' && normaliseEnum(group.ActionGroupState) === 'disabled') return undefined;
  if (isSet(group.ParentActionGroupSignature) === true) return undefined; // built-in AMAZON.UserInput / CodeInterpreter (D9)
  const executor = group.ActionGroupExecutor;
  if (executor === undefined) return undefined;
  const unknownExecutor = unknownOf(executor);
  if (unknownExecutor || !isPlainObject(executor)) {
    return { unconfirmed: [], open: [`the executor of action group "${name}" cannot be read (${unknownExecutor?.reason ?? describe(executor)})`] };
  }
  const control = executor.CustomControl;
  if (typeof control === 'string' && normaliseEnum(control) === 'returncontrol') return undefined;
  if (executor.Lambda === undefined) {
    return unknownOf(control) ? { unconfirmed: [], open: [`the CustomControl of action group "${name}" is ${describe(control)}`] } : undefined;
  }

  const unconfirmed: string[] = [];
  const open: string[] = [];
  const schema = group.FunctionSchema;
  if (schema !== undefined) {
    const functions = isPlainObject(schema) ? schema.Functions : schema;
    if (unknownOf(functions) || !Array.isArray(functions)) {
      open.push(`the functions of action group "${name}" cannot be read (${describe(functions)})`);
    } else {
      functions.forEach((fn, i) => {
        if (!isPlainObject(fn)) {
          open.push(`function #${i} of action group "${name}" is ${describe(fn)}`);
          return;
        }
        const fnName = typeof fn.Name === 'string' ? fn.Name : `#${i}`;
        if (isEnabled(fn.RequireConfirmation) || exempt.has(`${name}/${fnName}`) || isReadOnlyName(fnName)) return;
        if (unknownOf(fn.RequireConfirmation)) open.push(`RequireConfirmation of function ${fnName} is ${describe(fn.RequireConfirmation)}`);
        else unconfirmed.push(`${fnName} (RequireConfirmation ${describe(fn.RequireConfirmation)})`);
      });
    }
  }
  const api = group.ApiSchema;
  if (api !== undefined) {
    if (!isPlainObject(api)) {
      open.push(`the ApiSchema of action group "${name}" is ${describe(api)}`);
    } else if (api.Payload !== undefined) {
      const operations = operationsOf(api.Payload);
      if (typeof operations === 'string') {
        open.push(`${operations} in action group "${name}", so whether its operations require confirmation cannot be read`);
      } else {
        for (const op of operations) {
          if (isEnabled(op.confirmation) || isReadOnlyOperation(op) || (op.operationId !== undefined && exempt.has(`${name}/${op.operationId}`))) continue;
          unconfirmed.push(`${op.name} (x-requireConfirmation ${describe(op.confirmation)})`);
        }
      }
    } else if (api.S3 !== undefined) {
      open.push(`the OpenAPI schema of action group "${name}" is in S3 (ApiSchema.S3), which the rule cannot read`);
    }
  }
  return { unconfirmed, open };
}

/** What one form of an agent's `ActionGroups` runs without asking the user, what cannot be read, and whether any group is judged. */
function unconfirmedIn(groups: Value, exempt: Set<string>): { problems: string[]; open: string[]; applicable: boolean } {
  const unknown = unknownOf(groups);
  if (unknown) return { problems: [], open: [`ActionGroups cannot be read (${unknown.reason})`], applicable: true };
  const result = { problems: [] as string[], open: [] as string[], applicable: false };
  if (!Array.isArray(groups)) return result;
  groups.forEach((group, i) => {
    if (!isPlainObject(group)) {
      if (unknownOf(group)) result.open.push(`action group #${i} is ${describe(group)}`);
      return;
    }
    const name = groupName(group, i);
    const found = judgeGroup(group, name, exempt);
    if (!found) return;
    result.applicable = true;
    if (found.unconfirmed.length > 0) result.problems.push(`action group "${name}" runs ${found.unconfirmed.join(', ')} without asking the user`);
    result.open.push(...found.open);
  });
  return result;
}

export const agentActionConfirmation: RuleDefinition = {
  title: 'Agent actions executed by Lambda require user confirmation',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'apply appropriate restrictions to the possible actions (this includes external AI and non-AI fail-safes if necessary)',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::Bedrock::Agent'],
  compliantWhen: 'every enabled action group executed by a Lambda function (`ActionGroupExecutor.Lambda`) either returns control to '
    + 'the application (`CustomControl: RETURN_CONTROL`) or requires confirmation for each action: every '
    + '`FunctionSchema.Functions[].RequireConfirmation` is ENABLED (CloudFormation default DISABLED), and every operation of an inline '
    + 'OpenAPI `ApiSchema.Payload` (JSON parsed; YAML read by indentation) has `x-requireConfirmation: ENABLED`. Read-only actions need '
    + 'no confirmation: OpenAPI `GET`, `HEAD` and `OPTIONS` operations, and functions (or `POST` operations, by `operationId`) whose name '
    + 'begins with a read verb (get, list, describe, search, find, lookup, query, read, fetch, retrieve, view, show, count) and holds no '
    + 'write word (delete, update, cancel, refund, order, pay, send, ...); `PUT`, `PATCH` and `DELETE` operations are never read-only. Any '
    + 'other read-only action is exempted one by one with an agent tag `ai:read-only:<action group>/<function name or operationId>` whose value is the reason. '
    + 'A schema in S3, or a payload that cannot be read, is unverifiable',
  explanation: 'An agent decides by itself, from text an attacker can influence (a prompt, a retrieved document, a tool result), '
    + 'which of its tools to call and with what arguments. Requiring the user to confirm each state-changing action, or handing the '
    + 'decision back to the application, is the fail-safe that stops a prompt-injected agent from acting on its own.',
  fix: 'Set requireConfirmation: \'ENABLED\' on each function of the action group\'s functionSchema (or x-requireConfirmation: ENABLED '
    + 'on each OpenAPI operation), or use actionGroupExecutor: { customControl: \'RETURN_CONTROL\' }; tag truly read-only actions with '
    + 'ai:read-only:<group>/<name> = <why it changes nothing>.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource) {
    const branches = resource.get('ActionGroups');
    const exempt = readOnlyActions(resource);
    let applicable = false;
    const open: string[] = [];
    for (const branch of branches) {
      const found = unconfirmedIn(branch.value, exempt);
      applicable = applicable || found.applicable;
      open.push(...found.open);
      if (found.problems.length > 0) {
        const parameters = decidingParameters(resource, 'ActionGroups', branches, branch,
          (b) => unconfirmedIn(b.value, exempt).problems.join('; ') || undefined);
        return nonCompliant(`${found.problems.join('; ')}${qualifier(parameters, branches.length)}: a prompt-injected agent can carry `
          + 'out these actions without a human approving them', 'Properties.ActionGroups');
      }
    }
    if (open.length > 0) return unverifiable(`whether the agent's actions require confirmation cannot be verified: ${[...new Set(open)].join('; ')}`, 'Properties.ActionGroups');
    return applicable ? COMPLIANT : NOT_APPLICABLE;
  },
};
