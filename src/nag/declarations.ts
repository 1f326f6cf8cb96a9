import { IConstruct } from 'constructs';
import { ResourceIndex } from './engine/resource-index';
import { Declaration, DeclarationSource } from './findings';
import { WHOLE_APP } from './knowledge/ai-assets';
import { APP_DECLARATIONS_REFUSED, declaredOrganizationTrails } from './knowledge/audit-coverage';
import { ContextDeclarations, RuleParameters } from './parameters';
import type { OrgManagedControls, SecureAiChecksProps } from './secure-ai-checks';

/*
 * What the pack takes as declared instead of checking it, from three places: the pack's props (the user who registers
 * the pack), the app's CDK context (`cdk.json` or `-c`, which the app's authors control as much as its code) and the
 * template metadata of the library's constructs. Each run reports what it took, and from whom; the pack's user may
 * refuse what the app declares for itself (`allowAppDeclarations: false`), and the report lists that as refused.
 */

/** Each account-level control the organisation may run: its context key, and the rules it settles. */
const ORG_MANAGED_CONTROLS: Record<keyof OrgManagedControls, { readonly contextKey: string; readonly rules: readonly string[] }> = {
  auditTrail: { contextKey: 'ai:org-trail', rules: ['P20', 'P21'] },
  invocationLogging: { contextKey: 'ai:invocation-logging', rules: ['O7'] },
  enforcedGuardrail: { contextKey: 'ai:enforced-guardrail', rules: ['D17'] },
};

/** The context key that declares the AI system's scope. */
const AI_SYSTEM_CONTEXT = 'ai:system';

/**
 * What the app's CDK context declares: org-managed switches (`ai:org-trail=org-managed`) and the AI system's scope
 * (`ai:system`). A switch set to anything else stops the run: ignoring it would leave the team believing it declared.
 */
export function contextDeclarations(scope: IConstruct): ContextDeclarations {
  const orgManaged = new Map<string, string>();
  for (const [control, { contextKey }] of Object.entries(ORG_MANAGED_CONTROLS)) {
    const value: unknown = scope.node.tryGetContext(contextKey);
    if (value === undefined) continue;
    if (value !== 'org-managed') {
      throw new Error(`SecureAiChecks: context ${contextKey} is ${JSON.stringify(value)}. Fix: set it to "org-managed" when the organisation runs `
        + 'this control centrally, or remove it.');
    }
    orgManaged.set(control, `context ${contextKey}=org-managed`);
  }
  return { orgManaged, aiSystem: scope.node.tryGetContext(AI_SYSTEM_CONTEXT) };
}

/**
 * Tells the index, before any rule runs, what the run declares about the whole app: the knowledge that scopes on it
 * (AI assets, audit coverage) reads it there, where the engine keeps it without knowing what it means.
 */
export function declareToIndex(index: ResourceIndex, parameters: RuleParameters): void {
  index.declarations.set(WHOLE_APP.name, parameters.aiSystem);
  if (!parameters.allowAppDeclarations) index.declarations.set(APP_DECLARATIONS_REFUSED.name, APP_DECLARATIONS_REFUSED.value);
}

/**
 * What was declared to this run, in a stable order: the org-managed controls (the prop's reason where the prop and
 * the context both give one, as the run does), the AI system's scope when it is the whole app, then the organisation
 * trails the app's resources declare, in the app's order. What the app declares for itself is marked refused when the
 * props refuse it; the whole-app scope never is, since it only widens what the rules judge.
 * @param parameters the run's parameters, resolved from `props` and `context`: its scope and whether it refuses the app's declarations
 */
export function runDeclarations(props: SecureAiChecksProps, context: ContextDeclarations, parameters: RuleParameters,
  index: ResourceIndex): Declaration[] {
  const scope = 'the app';
  const refused = !parameters.allowAppDeclarations;
  const out: Declaration[] = [];
  for (const [control, { contextKey, rules }] of Object.entries(ORG_MANAGED_CONTROLS)) {
    const declared = `orgManaged.${control}`;
    const reason = props.orgManaged?.[control as keyof OrgManagedControls];
    if (reason !== undefined) {
      out.push({ declared, source: DeclarationSource.PACK_PROPS, scope, reason, rules: [...rules], refused: false });
    } else if (context.orgManaged.has(control)) {
      out.push({ declared, source: DeclarationSource.CDK_CONTEXT, by: contextKey, scope, rules: [...rules], refused });
    }
  }
  if (parameters.aiSystem === WHOLE_APP.value) {
    const declared = 'aiSystem: whole-app';
    if (props.aiSystem !== undefined) out.push({ declared, source: DeclarationSource.PACK_PROPS, scope, rules: [], refused: false });
    else out.push({ declared, source: DeclarationSource.CDK_CONTEXT, by: AI_SYSTEM_CONTEXT, scope, rules: [], refused: false });
  }
  for (const { resource, reason, label } of declaredOrganizationTrails(index)) {
    const rules = [...ORG_MANAGED_CONTROLS.auditTrail.rules];
    out.push({ declared: 'organizationTrail', source: DeclarationSource.TEMPLATE_METADATA, by: resource.constructPath, scope: label, reason, rules, refused });
  }
  return out;
}
