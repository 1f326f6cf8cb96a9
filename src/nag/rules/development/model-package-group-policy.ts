import { Answer, expectProperty } from '../../engine/checks';
import { listOf } from '../../engine/lists';
import { isAllow, Statement, statementsOf } from '../../engine/readers/policy-documents';
import { describe, Expression, isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** Condition keys that confine a statement to principals of your organisation or named accounts. */
const CONFINING_KEYS = new Set(['aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn']);

/** Whether a statement's `Condition` confines it to your organisation or named accounts (a positive operator, not `*`). */
function isConfined(condition: Value): boolean {
  if (!isPlainObject(condition)) return false;
  for (const [operator, block] of Object.entries(condition)) {
    if (/Not/i.test(operator) || !isPlainObject(block)) continue;
    for (const [key, value] of Object.entries(block)) {
      const values = listOf(value);
      if (CONFINING_KEYS.has(key.toLowerCase()) && values.length > 0 && values.every((v) => v !== '*' && v !== '' && v !== undefined)) return true;
    }
  }
  return false;
}

/** What is wrong with one statement's principals, if anything: open to everyone, or a principal with a wildcard. */
function principalProblem(s: Statement): string | UnknownValue | undefined {
  if (s.NotPrincipal !== undefined) return 'allows every principal except those in NotPrincipal';
  const principal = s.Principal;
  const unknown = unknownOf(principal);
  if (unknown) return unknown;
  if (principal === '*') return 'allows Principal "*"';
  if (!isPlainObject(principal)) return undefined;
  for (const [kind, value] of Object.entries(principal)) {
    for (const p of listOf(value)) {
      if (p instanceof UnknownValue) return p;
      if (p === '*') return `allows Principal {"${kind}": "*"}`;
      // An ARN built around the account (`arn:aws:iam::${AWS::AccountId}:root`) is explicit; a wildcard written into it is not.
      const literal = typeof p === 'string' ? p : p instanceof Expression ? p.parts.filter((part) => typeof part === 'string').join('') : '';
      if (kind === 'AWS' && literal.includes('*')) return `allows principal ${describe(p)}, which is not an explicit account or role`;
    }
  }
  return undefined;
}

function statementName(s: Statement, i: number): string {
  return typeof s.Sid === 'string' ? `statement ${s.Sid}` : `statement #${i + 1}`;
}

function openStatements(policy: Value): string[] | UnknownValue {
  const statements = statementsOf(policy);
  if (statements instanceof UnknownValue) return statements;
  const found: string[] = [];
  let open: UnknownValue | undefined;
  statements.forEach((s, i) => {
    if (!isAllow(s) || isConfined(s.Condition)) return;
    const problem = principalProblem(s);
    if (problem instanceof UnknownValue) open = open ?? problem;
    else if (problem) found.push(`${statementName(s, i)} ${problem}`);
  });
  if (found.length === 0 && open) return open;
  return found;
}

export const modelPackageGroupPolicy: RuleDefinition = {
  title: 'Model registry groups are shared only with named accounts or your organisation',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Identify, track and protect your assets',
  quote: 'You know where your assets reside',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::SageMaker::ModelPackageGroup'],
  compliantWhen: 'no `ModelPackageGroupPolicy` statement with `Effect: Allow` has `Principal: "*"`, a principal map with `"*"` '
    + '(`{"AWS": "*"}`), an AWS principal ARN with a wildcard, or `NotPrincipal`, unless its `Condition` confines it with a positive '
    + 'operator on `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalAccount` or `aws:PrincipalArn`; a group without a policy is '
    + 'compliant (same-account access only); a policy that cannot be read is unverifiable',
  explanation: 'The model registry holds the approved versions of your models and points at their artifacts. A resource policy open to '
    + 'any AWS principal lets any account list, describe and deploy your models, so you no longer know where your assets reside or who '
    + 'uses them.',
  fix: 'Name the consuming accounts or roles explicitly in Principal, or add Condition StringEquals aws:PrincipalOrgID: <your organisation ID> '
    + 'to statements that must reach the whole organisation.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource) {
    return expectProperty(resource, 'ModelPackageGroupPolicy', (v): Answer => {
      const open = openStatements(v);
      return open instanceof UnknownValue ? open : open.length === 0;
    }, (v) => {
      const open = openStatements(v);
      const which = Array.isArray(open) ? open.join('; ') : 'a statement is open to every principal';
      return `ModelPackageGroupPolicy ${which} without a Condition on aws:PrincipalOrgID: any AWS account can reach the registered models`;
    });
  },
};
