// The checks of a ModelInvocationLogging's props, made when the app is synthesized: each throws an Error naming the
// prop, the bad value and the fix. Internal: not exported from the library.
import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { requireReason } from '../construct-kit/opt-out-reason';

// Per app: where invocation logging is configured, by account and Region (or by stack when they are not known).
const configured = new WeakMap<IConstruct, Map<string, string>>();

/** Throws when the app already configures invocation logging for the same account and Region: the setting is one. */
export function validateSingleLogging(logging: IConstruct): void {
  const stack = Stack.of(logging);
  const known = !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
  const key = known ? `${stack.account}/${stack.region}` : `stack:${stack.node.path}`;
  const root = logging.node.root;
  const seen = configured.get(root) ?? new Map<string, string>();
  configured.set(root, seen);
  const other = seen.get(key);
  if (other !== undefined) {
    throw new Error(`ModelInvocationLogging ${logging.node.id}: ${other} already configures Bedrock model-invocation logging for `
      + `${known ? `account ${stack.account} in ${stack.region}` : `stack ${stack.node.path}`}, and there is one configuration per account `
      + 'and Region. Fix: keep one ModelInvocationLogging per account and Region (in the account\'s baseline stack).');
  }
  seen.set(key, logging.node.path);
}

export function validatePayloadPrefix(owner: string, prefix: string): string {
  if (Token.isUnresolved(prefix) || !/^[a-zA-Z0-9!_.'()-]+(\/[a-zA-Z0-9!_.'()-]+)*$/.test(prefix) || prefix.length > 512) {
    throw new Error(`${owner}: payloadPrefix '${prefix}' is not a key prefix. Fix: give folder names of letters, digits and !_.'()- `
      + 'separated by slashes, without a leading or trailing slash, such as \'model-invocations\'.');
  }
  return prefix;
}

export function validateReplaceReason(owner: string, reason: string): string {
  return requireReason(owner, 'replaceExistingConfiguration', reason, 'whose configuration it replaces, and who agreed');
}
