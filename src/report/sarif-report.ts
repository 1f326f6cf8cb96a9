import { createHash } from 'crypto';
import { pathToFileURL } from 'url';
import type * as sarif from 'sarif';
import { SECTION_TITLES } from './guideline-sections';
import { ReportFinding, ReportModel } from './report-model';
import { summarise } from './report-summary';
import { ruleHelpUri, ruleName } from './rules-doc';
import { RuleLevel, RuleMetadata } from '../nag/rule';
import { SecureAiChecks } from '../nag/secure-ai-checks';
import { repositoryUrl, TOOL_NAME, toolVersion } from '../package-info';

/** The SARIF schema the log declares: the OASIS standard's, as SARIF validators expect. */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The base the template URIs are relative to: the cloud assembly directory (cdk.out). */
export const CLOUD_ASSEMBLY_BASE_ID = 'CDKOUT';

const ENGINE_ERROR = `${SecureAiChecks.PACK_NAME}-EngineError`;
const UNVERIFIABLE_SUFFIX = '[unverifiable]';
const PARAMETER_SUFFIX = '[parameter]';

/**
 * The report as a SARIF 2.1.0 log for code scanning: one reporting descriptor per catalogue rule (plus the
 * `[unverifiable]` and `[parameter]` variants and the engine-error descriptor when results use them), one result per finding,
 * acknowledged findings as results with an external, accepted suppression carrying the reason.
 */
export function sarifReport(model: ReportModel): sarif.Log {
  const rules = new RuleDescriptors(model);
  const results = [...model.findings, ...model.acknowledged].map((f) => result(f, rules));
  const summary = summarise(model);
  const notifications: sarif.Notification[] = [
    ...(model.pluginError !== undefined ? [{ level: 'error' as const, message: { text: endWithPeriod(`The pack could not run: ${model.pluginError}`) } }] : []),
    ...model.notes.map((note) => ({ level: 'warning' as const, message: { text: endWithPeriod(note) } })),
  ];
  const run: sarif.Run = {
    tool: {
      driver: {
        name: TOOL_NAME,
        fullName: `${TOOL_NAME} ${SecureAiChecks.PACK_NAME} pack: NCSC/CISA Guidelines for secure AI system development`,
        version: toolVersion(),
        informationUri: repositoryUrl(),
        rules: rules.descriptors,
      },
    },
    invocations: [{
      executionSuccessful: model.pluginError === undefined,
      ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
    }],
    results,
    properties: { secureAi: summary },
  };
  if (model.source.cloudAssemblyDir) {
    run.originalUriBaseIds = {
      [CLOUD_ASSEMBLY_BASE_ID]: {
        uri: `${pathToFileURL(model.source.cloudAssemblyDir).href.replace(/\/?$/, '/')}`,
        description: { text: 'The cloud assembly directory (cdk.out) that the templates were synthesized into.' },
      },
    };
  }
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

/** The driver's rules: every catalogue rule in order, then the variants results need, each looked up by ID. */
class RuleDescriptors {
  public readonly descriptors: sarif.ReportingDescriptor[];
  private readonly indexById = new Map<string, number>();
  private readonly rulesById: Map<string, RuleMetadata>;

  public constructor(private readonly model: ReportModel) {
    this.rulesById = new Map(model.rules.map((r) => [r.id, r]));
    this.descriptors = [];
    for (const rule of model.rules) this.add(this.catalogueDescriptor(rule));
  }

  /** The index of the descriptor of a finding's reported ID, adding the descriptor on first use. */
  public indexOf(f: ReportFinding): number {
    const known = this.indexById.get(f.ruleName);
    if (known !== undefined) return known;
    const rule = this.rulesById.get(f.ruleId);
    if (f.ruleName === ENGINE_ERROR) return this.add(engineErrorDescriptor());
    if (rule && f.ruleName === `${ruleName(rule.id)}${UNVERIFIABLE_SUFFIX}`) return this.add(unverifiableDescriptor(rule));
    if (rule && f.ruleName === `${ruleName(rule.id)}${PARAMETER_SUFFIX}`) return this.add(parameterDescriptor(rule));
    return this.add(unknownRuleDescriptor(f));
  }

  private add(descriptor: sarif.ReportingDescriptor): number {
    this.descriptors.push(descriptor);
    this.indexById.set(descriptor.id, this.descriptors.length - 1);
    return this.descriptors.length - 1;
  }

  private catalogueDescriptor(rule: RuleMetadata): sarif.ReportingDescriptor {
    const coverage = this.model.coverage.find((c) => c.ruleId === rule.id);
    return {
      id: ruleName(rule.id),
      name: pascalCase(rule.title),
      shortDescription: { text: rule.title },
      fullDescription: {
        text: `"${rule.quote}" (${rule.guideline}, ${SECTION_TITLES[rule.section]}). ${rule.explanation}`,
        markdown: `> "${rule.quote}"\n> — *${rule.guideline}* (${SECTION_TITLES[rule.section]})\n\n${rule.explanation}`,
      },
      help: {
        text: `Compliant when: ${rule.compliantWhen}. Fix: ${rule.fix}`,
        markdown: `**Compliant when:** ${rule.compliantWhen}\n\n**Fix:** ${rule.fix}\n\n[Rule documentation](${ruleHelpUri(rule.id)})`,
      },
      helpUri: ruleHelpUri(rule.id),
      defaultConfiguration: { level: rule.level === RuleLevel.ERROR ? 'error' : 'warning' },
      properties: {
        tags: ['security', 'ai', rule.section],
        section: rule.section,
        sectionTitle: SECTION_TITLES[rule.section],
        guideline: rule.guideline,
        resourceTypes: [...rule.resourceTypes],
        peerCoverage: rule.coverage,
        peers: rule.peers,
        ...(coverage ? { runCoverage: coverage } : {}),
      },
    };
  }
}

function unverifiableDescriptor(rule: RuleMetadata): sarif.ReportingDescriptor {
  const id = `${ruleName(rule.id)}${UNVERIFIABLE_SUFFIX}`;
  return {
    id,
    name: `${pascalCase(rule.title)}Unverifiable`,
    shortDescription: { text: `${rule.title} (cannot be verified at synth time)` },
    fullDescription: {
      text: `A value ${ruleName(rule.id)} needs cannot be known at synth time (an import, a parameter without a default), ` +
        'so the resource is neither passed nor failed. Always a warning.',
    },
    help: { text: `Make the value known in the app (a literal, a parameter default, a reference within the app) or acknowledge ${id} with the reason. Fix: ${rule.fix}` },
    helpUri: ruleHelpUri(rule.id),
    defaultConfiguration: { level: 'warning' },
    properties: { tags: ['security', 'ai', rule.section], section: rule.section, unverifiableVariantOf: ruleName(rule.id) },
  };
}

function parameterDescriptor(rule: RuleMetadata): sarif.ReportingDescriptor {
  const id = `${ruleName(rule.id)}${PARAMETER_SUFFIX}`;
  return {
    id,
    name: `${pascalCase(rule.title)}Parameter`,
    shortDescription: { text: `${rule.title} (fails with another allowed value of a parameter)` },
    fullDescription: {
      text: `The resource passes ${ruleName(rule.id)} with its template parameters' defaults, but fails it with another ` +
        'value a parameter allows: whoever deploys the template can choose it. Always a warning.',
    },
    help: { text: `Remove the failing values from the parameter's AllowedValues, or acknowledge ${id} with the reason. Fix: ${rule.fix}` },
    helpUri: ruleHelpUri(rule.id),
    defaultConfiguration: { level: 'warning' },
    properties: { tags: ['security', 'ai', rule.section], section: rule.section, parameterVariantOf: ruleName(rule.id) },
  };
}

function engineErrorDescriptor(): sarif.ReportingDescriptor {
  return {
    id: ENGINE_ERROR,
    name: 'EngineError',
    shortDescription: { text: 'A rule of the pack threw' },
    fullDescription: { text: 'A rule threw while checking a resource: a bug in the pack, not a verdict on the resource, which was not judged by that rule.' },
    help: { text: `Report the message with the resource's template fragment at ${repositoryUrl()}/issues.` },
    helpUri: `${repositoryUrl()}/issues`,
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['security', 'ai'] },
  };
}

function unknownRuleDescriptor(f: ReportFinding): sarif.ReportingDescriptor {
  return {
    id: f.ruleName,
    shortDescription: { text: `${f.ruleName}: a rule this version of ${TOOL_NAME} does not know` },
    defaultConfiguration: { level: f.level === RuleLevel.ERROR ? 'error' : 'warning' },
  };
}

function result(f: ReportFinding, rules: RuleDescriptors): sarif.Result {
  const logicalLocations: sarif.LogicalLocation[] = [{
    name: f.logicalId,
    fullyQualifiedName: f.constructPath,
    kind: 'resource',
    properties: { resourceType: f.resourceType, stackPath: f.stackPath },
  }];
  // Without a template (validateScope, no synthesis) the construct path is the only location there is.
  const location: sarif.Location = f.template
    ? {
      physicalLocation: {
        artifactLocation: { uri: f.template.uri, uriBaseId: CLOUD_ASSEMBLY_BASE_ID },
        ...(f.template.line ? { region: { startLine: f.template.line } } : {}),
      },
      logicalLocations,
    }
    : { logicalLocations };
  return {
    ruleId: f.ruleName,
    ruleIndex: rules.indexOf(f),
    level: f.level === RuleLevel.ERROR ? 'error' : 'warning',
    kind: 'fail',
    message: { text: endWithPeriod(`${f.resourceType} ${f.logicalId}: ${f.message}`) },
    locations: [location],
    // Line numbers move when templates change; the rule and the resource identify the finding across runs.
    partialFingerprints: { 'secureAiFinding/v1': createHash('sha256').update(`${f.ruleName}\u0000${f.stackPath}\u0000${f.logicalId}`).digest('hex') },
    properties: { ruleId: f.ruleId, section: f.section ?? null, propertyPaths: [...f.locations], fix: f.fix ?? null },
    ...(f.acknowledged
      ? {
        suppressions: [{
          kind: 'external' as const,
          status: 'accepted' as const,
          justification: f.acknowledged.reason,
          location: { logicalLocations: [{ fullyQualifiedName: f.acknowledged.at }] },
        }],
      }
      : {}),
  };
}

/** `Endpoint storage is encrypted with a customer-managed key` → `EndpointStorageIsEncryptedWithACustomerManagedKey`. */
function pascalCase(text: string): string {
  return text.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function endWithPeriod(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}
