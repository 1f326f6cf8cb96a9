// Checks the rules each construct claims to satisfy (src/construct-kit/satisfied-rules.ts) against the pack's verdicts
// on that construct's own resources in the compliance tests' apps (test/compliance.ts): no app may judge a claimed rule
// non-compliant or unverifiable there, and the apps of the construct's own test file must judge it compliant there at
// least once. A claim the pack never judges fails too: it must be seen to hold, not merely be unrefuted.
import * as path from 'path';
import { IConstruct } from 'constructs';
import { SATISFIED_RULES } from '../src/construct-kit/satisfied-rules';
import { CATALOGUE } from '../src/nag/catalogue';
import { Verdict } from '../src/nag/engine/checks';
import { ResourceIndex } from '../src/nag/engine/resource-index';
import { NO_CONTEXT, resolveParameters } from '../src/nag/parameters';
import { RuleContext } from '../src/nag/secure-ai-rule';

/** One verdict of a rule on one resource. */
interface Judged {
  readonly rule: string;
  readonly constructPath: string;
  readonly verdict: Verdict;
}

/** Every rule's verdict on every resource of `app`, as the pack judges with its default props. */
export function verdictsOf(app: IConstruct): Judged[] {
  const index = ResourceIndex.fromScope(app);
  const context: RuleContext = { index, parameters: resolveParameters({}, NO_CONTEXT) };
  const out: Judged[] = [];
  for (const rule of CATALOGUE) {
    const types = new Set(rule.resourceTypes);
    for (const resource of index.resources) {
      if (!types.has(resource.type) || resource.exists() === false) continue;
      out.push({ rule: rule.id, constructPath: resource.constructPath, verdict: rule.check(resource, context).verdict });
    }
  }
  return out;
}

/** What one app shows of the constructs' claims. */
export interface ClaimEvidence {
  /** Claims the pack refutes: judged non-compliant or unverifiable on a resource of a construct that claims the rule. */
  readonly refuted: string[];
  /** Claims judged compliant on a resource of a construct of the kind, as `<Kind> <rule>`. */
  readonly proven: ReadonlySet<string>;
}

/**
 * The pack's verdicts on the claims of the constructs in `app` (synthesized already, so that the aspects ran). A claim
 * is of a construct class. Any app can refute one; one is proven by a compliant verdict on the kind's resources,
 * which only some apps give: a key of no AI asset, the audit trail's own bucket or an instance type without a volume
 * key are not judged by the rule, and neither prove nor refute it.
 */
export function claimEvidence(app: IConstruct): ClaimEvidence {
  const byKind = new Map<string, IConstruct[]>();
  for (const construct of app.node.findAll()) {
    const kind = construct.constructor.name;
    if (Object.prototype.hasOwnProperty.call(SATISFIED_RULES, kind)) byKind.set(kind, [...(byKind.get(kind) ?? []), construct]);
  }
  const refuted: string[] = [];
  const proven = new Set<string>();
  if (byKind.size === 0) return { refuted, proven };
  const verdicts = verdictsOf(app);
  for (const [kind, constructs] of byKind) {
    const under = (v: Judged) => constructs.some((c) => v.constructPath === c.node.path || v.constructPath.startsWith(`${c.node.path}/`));
    const own = verdicts.filter(under);
    for (const { rule } of SATISFIED_RULES[kind].satisfies) {
      const judged = own.filter((v) => v.rule === rule);
      const against = judged.find((v) => v.verdict === Verdict.NON_COMPLIANT || v.verdict === Verdict.UNVERIFIABLE);
      if (against) refuted.push(`Claim: ${kind} satisfies SecureAI-${rule}, but it is ${against.verdict} on ${against.constructPath}`);
      else if (judged.some((v) => v.verdict === Verdict.COMPLIANT)) proven.add(`${kind} ${rule}`);
    }
  }
  return { refuted, proven };
}

/** The claims of `kind` that no app of `evidence` proved, one line each. */
export function unprovenClaims(kind: string, evidence: Iterable<ClaimEvidence>): string[] {
  const proven = new Set([...evidence].flatMap((e) => [...e.proven]));
  return (SATISFIED_RULES[kind]?.satisfies ?? []).filter(({ rule }) => !proven.has(`${kind} ${rule}`))
    .map(({ rule }) => `Claim: ${kind} satisfies SecureAI-${rule}, but no compliance test app of its test file judges it compliant on its resources`);
}

/** The construct a test file is named for (`test/training/training-pipeline.test.ts`: `TrainingPipeline`), if it claims rules. */
export function claimantOfTestFile(testPath: string): string | undefined {
  const name = path.basename(testPath).replace(/\.test\.ts$/, '').split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return Object.prototype.hasOwnProperty.call(SATISFIED_RULES, name) ? name : undefined;
}
