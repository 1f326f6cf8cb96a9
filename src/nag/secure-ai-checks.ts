import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation, Stack, Stage } from 'aws-cdk-lib';
import { NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { CATALOGUE, catalogueMetadata } from './catalogue';
import { AI_BOM_FILE, aiBomJson } from '../bom/cyclonedx-bom';
import { toolVersion } from '../package-info';
import { contextDeclarations, declareToIndex, runDeclarations } from './declarations';
import { PackResults } from '../threats/threat-model';
import { writeThreatModelFiles } from '../threats/threat-model-files';
import { AcknowledgmentLookup } from './engine/acknowledgments';
import { NOT_APPLICABLE, RuleResult, Verdict } from './engine/checks';
import { alternativesMessage, judgeWithAlternatives, NO_ALTERNATIVES } from './engine/parameter-alternatives';
import { IndexedResource, IndexStatistics, ResourceIndex } from './engine/resource-index';
import { SynthesizedTemplates } from './engine/synthesized-templates';
import { Declaration, Finding, FINDINGS_FILE, METADATA_KEYS, RecordedPasses, RulePass, RuleTally } from './findings';
import { NO_CONTEXT, resolveParameters } from './parameters';
import { RuleLevel, RuleMetadata } from './rule';
import { fixOf, RuleContext, SecureAiRule } from './secure-ai-rule';

/** Which findings make the pack's report fail (and so, registered on an app, fail synthesis). */
export enum FailOn {
  /** Only unacknowledged error findings fail. Warnings are reported. */
  ERROR = 'error',
  /** Unacknowledged warnings fail too, unverifiable findings included. */
  WARNING = 'warning',
  /** Nothing fails: the pack only reports. For auditing an app nobody hardened yet. */
  NONE = 'none',
}

/** What the pack treats as the AI system: the resources its rules about AI assets apply to. */
export enum AiSystemScope {
  /**
   * SageMaker, Bedrock and AgentCore resources, what they reference (buckets, keys, log groups, functions, backups of
   * those), log groups named for AI services, and resources tagged `ai:asset=true`.
   */
  AI_RESOURCES = 'ai-resources',
  /**
   * Every resource of the app: for platform apps whose stacks hold the AI system's data, backups, keys and network but
   * no AI resource (the models live in another app). Every bucket, key, log group, store, backup plan and vault is then
   * judged as an AI asset.
   */
  WHOLE_APP = 'whole-app',
}

/**
 * Account-level controls that the organisation runs centrally rather than in this app. Each one given, with the
 * reason, turns the rules that look for the control in the app informational (not applicable).
 */
export interface OrgManagedControls {
  /** An organisation CloudTrail trail records the AI data events (P20, P21). Give the trail and who runs it. */
  readonly auditTrail?: string;
  /** Bedrock model-invocation logging is configured account-wide (O7). */
  readonly invocationLogging?: string;
  /** An account-level enforced Bedrock guardrail applies (D17). */
  readonly enforcedGuardrail?: string;
}

/** Configuration of {@link SecureAiChecks}. Every parameter has a secure default. */
export interface SecureAiChecksProps {
  /**
   * Which findings fail the report (and synthesis, when registered on an app).
   * @default FailOn.ERROR
   */
  readonly failOn?: FailOn;
  /**
   * Include each rule's explanation in its findings' descriptions.
   * @default false
   */
  readonly verbose?: boolean;
  /**
   * Override the level of individual rules, keyed by catalogue ID (`P6`).
   * @default - the catalogue's levels
   */
  readonly levels?: { [ruleId: string]: RuleLevel };
  /**
   * Minimum retention of AI log groups (V14) and of CloudTrail Lake event data stores (P20), in days.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Minimum retention of backups of AI assets, in days (P17, P18).
   * @default 35
   */
  readonly minimumBackupRetentionDays?: number;
  /**
   * Container registries trusted besides Amazon ECR, as host names (`registry.example.com`, `*.example.com`) (V1).
   * @default - none: only Amazon ECR
   */
  readonly allowedImageRegistries?: string[];
  /**
   * Buckets outside the app that model artifacts may be loaded from, by name (V2).
   * @default - none: only buckets of the app
   */
  readonly allowedArtifactBuckets?: string[];
  /**
   * Tag keys every AI asset carries (V13).
   * @default ['DataClassification', 'Owner', 'Environment']
   */
  readonly requiredTagKeys?: string[];
  /**
   * Your organisation's own tag keys for a key the tag rules require: D1's `ai:threat-model`, `ai:risk-owner` and
   * `ai:criticality`, and each of `requiredTagKeys` (V13), e.g. `{ 'ai:risk-owner': ['acme:accountable-exec'] }`.
   * Keys are compared without regard to case, to `-`, `_`, `.`, `:` and spaces, and to a prefix ending in `:` or `/`;
   * common conventions (`Environment`/`env`/`stage`, `DataClassification`/`data-classification`/`classification`,
   * `Owner`/`team`/`owner-team`, `threat-model`, `criticality`) are accepted without being named here.
   * @default - the common conventions only
   */
  readonly tagKeyAliases?: { [requiredKey: string]: string[] };
  /**
   * Maximum idle-session TTL of a Bedrock agent, in seconds (V16).
   * @default 3600
   */
  readonly maxAgentSessionTtlSeconds?: number;
  /**
   * Maximum number of days a Bedrock agent keeps session memory (V16).
   * @default 30
   */
  readonly maxAgentMemoryDays?: number;
  /**
   * Minimum threshold of contextual-grounding filters (D6), between 0 and 1.
   * @default 0.5
   */
  readonly minimumGroundingThreshold?: number;
  /**
   * SageMaker notebook platforms still supported (O10).
   * @default ['notebook-al2023-v1', 'notebook-al2-v3']
   */
  readonly supportedNotebookPlatforms?: string[];
  /**
   * Controls the organisation runs centrally. The context keys `ai:org-trail`, `ai:invocation-logging` and
   * `ai:enforced-guardrail` set to `org-managed` have the same effect, unless `allowAppDeclarations` is false.
   * @default - none: the app must carry every control itself
   */
  readonly orgManaged?: OrgManagedControls;
  /**
   * Write the app's AI bill of materials (CycloneDX JSON, `ai-bom.cdx.json`) into the cloud assembly at each
   * synthesis, beside the findings. It lists every model, data source, image, guardrail and prompt the templates
   * define, the training pipelines' formulation and the chain from endpoint to training data.
   * @default true
   */
  readonly aiBom?: boolean;
  /**
   * Write the app's threat model into the cloud assembly at each synthesis, beside the BOM: `threat-model.md` (a
   * Mermaid diagram of the system, then per AI asset the threats the guidelines name, the controls present, the open
   * and acknowledged findings and what remains to decide) and `threat-model.json`, built from the same inventory and
   * this run's results.
   * @default true
   */
  readonly threatModel?: boolean;
  /**
   * What the pack treats as the AI system. `AiSystemScope.WHOLE_APP` declares every resource of the app an AI asset,
   * for platform apps whose infrastructure stacks hold no AI resource: their buckets, stores, keys, log groups, backup
   * plans and vaults are judged as the AI system's. The context key `ai:system` (`whole-app` or `ai-resources`, as in
   * `cdk synth -c ai:system=whole-app`) declares the same without changing the app's code; set with the prop, it must
   * agree with it.
   * @default AiSystemScope.AI_RESOURCES
   */
  readonly aiSystem?: AiSystemScope;
  /**
   * Whether what the app declares for itself settles rules.
   *
   * The app declares through its CDK context (`ai:org-trail`, `ai:invocation-logging`, `ai:enforced-guardrail` set to
   * `org-managed`, from `cdk.json` or `-c`) and through the organisation trail an `AiEnvironment` renders into its
   * template metadata; the app's authors control both, as they control its code. A security team that registers the
   * pack on an app it did not write sets `false`: then only this pack's `orgManaged` settles P20, P21, O7 and D17, the
   * rules are judged as if the app had declared nothing, and the report lists each refused declaration. The context
   * key `ai:system` is still read: it only widens what the rules judge.
   * @default true
   */
  readonly allowAppDeclarations?: boolean;
}

/** Reported when a rule throws: a bug in the pack, never a verdict on the resource. */
const ENGINE_ERROR = 'EngineError';

/**
 * The cdk-nag v3 rule pack that encodes the NCSC/CISA Guidelines for secure AI system development.
 *
 * Register it on an app with `Validations.of(app).addPlugins(new SecureAiChecks())`, or call
 * `validateScope(scope)` in tests. Findings are reported as `SecureAI-<ID>` (`SecureAI-P6`); a value that cannot be
 * known at synth time is reported as `SecureAI-<ID>[unverifiable]` at warning level, never as a pass. A parameter is
 * judged by its default; its other allowed values that would fail are one `SecureAI-<ID>[parameter]` warning. Acknowledge a
 * finding with `Validations.of(construct).acknowledge({ id: 'SecureAI-P6', reason: '...' })`.
 *
 * Each validation run indexes the app once and calls each rule only for the resource types it reads. Inside synthesis
 * the index reads the templates the CDK has just written instead of rendering every resource a second time.
 *
 * It is a cdk-nag `NagPack` although it replaces all that NagPack does (the walk that calls every rule on every
 * resource, the violations it collects): users hold it with cdk-nag's other packs, as a `NagPack` in the list their
 * compliance harness runs through `validateScope` and registers with `Validations.of(app).addPlugins`, read its
 * `readPackName` and `ruleIds` like theirs, and cdk-nag is the pack's peer dependency. A plain
 * `IPolicyValidationPlugin` would drop it from those lists for no gain: the CDK calls both through `validate`.
 */
export class SecureAiChecks extends NagPack {
  /** The pack name that prefixes every rule ID. */
  public static readonly PACK_NAME = 'SecureAI';

  /** Every rule of the pack, as plain data. */
  public static readonly rules: RuleMetadata[] = catalogueMetadata();

  public readonly name = SecureAiChecks.PACK_NAME;
  public readonly version?: string = toolVersion();
  public readonly ruleIds?: string[];
  /** Which findings fail the report. */
  public readonly failOn: FailOn;

  private readonly props: SecureAiChecksProps;
  private readonly rulesByType = new Map<string, SecureAiRule[]>();
  private readonly levels: ReadonlyMap<string, RuleLevel>;
  private lastStatistics?: IndexStatistics & { ruleInvocations: number };

  public constructor(props: SecureAiChecksProps = {}) {
    super(undefined, { verbose: props.verbose });
    this.packName = SecureAiChecks.PACK_NAME;
    this.props = props;
    this.failOn = validateFailOn(props.failOn);
    this.levels = validateLevels(props.levels);
    resolveParameters(props, NO_CONTEXT); // validates the props now, at construction, not at synth
    this.ruleIds = CATALOGUE.map((r) => `${SecureAiChecks.PACK_NAME}-${r.id}`);
    for (const rule of CATALOGUE) {
      for (const type of rule.resourceTypes) {
        const list = this.rulesByType.get(type) ?? [];
        list.push(rule);
        this.rulesByType.set(type, list);
      }
    }
  }

  /**
   * Called by the CDK during synthesis when the pack is registered with `Validations.of(app).addPlugins`. Besides
   * returning the report, writes it to `secure-ai.findings.json` in the cloud assembly, so the report tool has the
   * tallies and acknowledged findings even when the CDK leaves a passing plugin out of validation-report.json.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = context.appConstruct;
    const outdir = Stage.isStage(root) ? root.outdir : path.dirname(context.templatePaths[0] ?? '.');
    const templateOf = (stack: Stack) => path.relative(outdir, path.join(Stage.of(stack)?.outdir ?? outdir, stack.templateFile));
    const { report, index, findings, passed } = this.run(root, { templateOf, outdir, synthesized: new SynthesizedTemplates(context.templatePaths) });
    fs.writeFileSync(path.join(outdir, FINDINGS_FILE), JSON.stringify({
      pluginName: this.name,
      pluginVersion: this.version,
      success: report.success,
      metadata: report.metadata,
      passed: recordedPasses(passed),
    }, undefined, 2));
    this.writeArtefacts(outdir, index, { findings, passed });
    return report;
  }

  /**
   * Writes the AI bill of materials and the threat model beside the findings, from this run's index and results. A
   * step of its own so that the scale benchmark can time the checks and these files apart.
   */
  private writeArtefacts(outdir: string, index: ResourceIndex, results: PackResults): void {
    if (this.props.aiBom ?? true) fs.writeFileSync(path.join(outdir, AI_BOM_FILE), aiBomJson(index));
    if (this.props.threatModel ?? true) writeThreatModelFiles(outdir, index, results);
  }

  /** Validates a construct tree directly: the entry point for tests. */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return this.run(scope).report;
  }

  /**
   * Counts of the last run's work (resources indexed, index look-ups, rule invocations).
   * @internal
   */
  public get _statistics(): (IndexStatistics & { ruleInvocations: number }) | undefined {
    return this.lastStatistics;
  }

  /** Dispatch is by resource type in `run`; the per-resource callback of cdk-nag's tree walk is not used. */
  protected checkResource(_node: CfnResource): void {}

  /**
   * Checks every resource under `scope` (stages included, as cdk-nag's packs do).
   * @param assembly inside synthesis: the cloud assembly directory, where each stack's template is in it, and the
   * templates the CDK wrote
   */
  private run(
    scope: IConstruct,
    assembly?: { outdir: string; templateOf: (stack: Stack) => string; synthesized: SynthesizedTemplates },
  ): { report: PolicyValidationPluginReport; index: ResourceIndex; findings: Finding[]; passed: RulePass[] } {
    const index = ResourceIndex.fromScope(scope, assembly?.templateOf, assembly?.synthesized);
    const declared = contextDeclarations(scope);
    const context: RuleContext = { index, parameters: resolveParameters(this.props, declared) };
    declareToIndex(index, context.parameters);
    const findings: Finding[] = [];
    const passed: RulePass[] = [];
    const acknowledgments = new AcknowledgmentLookup(SecureAiChecks.PACK_NAME);
    const tallies = new Map<string, Tally>(CATALOGUE.map((r) => [r.id, newTally(r.id)]));
    let ruleInvocations = 0;

    for (const resource of index.resources) {
      const rules = this.rulesByType.get(resource.type);
      if (!rules) continue;
      const unrenderable = index.unrenderable.get(resource);
      for (const rule of rules) {
        ruleInvocations++;
        const tally = tallies.get(rule.id)!;
        tally.evaluated++;
        let result: RuleResult;
        let alternatives = NO_ALTERNATIVES;
        if (unrenderable !== undefined) {
          result = { verdict: Verdict.UNVERIFIABLE, message: `the resource's properties could not be rendered: ${unrenderable}` };
        } else {
          try {
            // A resource whose condition rules it out is not created: nothing to judge, unless another allowed value
            // of a parameter creates it.
            ({ result, alternatives } = judgeWithAlternatives(index,
              () => (resource.exists() === false ? NOT_APPLICABLE : rule.check(resource, context))));
          } catch (e) {
            tally.errors++;
            findings.push(this.finding(acknowledgments, resource, ENGINE_ERROR, rule.id, RuleLevel.ERROR,
              `rule SecureAI-${rule.id} threw on ${resource.type} ${resource.logicalId}: ${(e as Error).message}. ` +
              'This is a bug in the pack; the resource was not judged by this rule.', []));
            continue;
          }
        }
        if (result.verdict === Verdict.COMPLIANT) {
          passed.push({ ruleId: rule.id, stackPath: resource.stack.stackPath, logicalId: resource.logicalId });
        }
        this.record(tally, result, resource, rule, findings, acknowledgments, context);
        for (const found of alternatives) {
          findings.push(this.finding(acknowledgments, resource, `${rule.id}[parameter]`, rule.id, RuleLevel.WARNING,
            alternativesMessage(found), [...(found.result.locations ?? [])], fixOf(rule, resource, context)));
        }
      }
    }

    this.lastStatistics = { ...index.statistics, ruleInvocations };
    const declarations = runDeclarations(this.props, declared, context.parameters, index);
    const report = this.report(findings, [...tallies.values()], declarations, index.resources.length, assembly?.outdir);
    return { report, index, findings, passed };
  }

  private record(tally: Tally, result: RuleResult, resource: IndexedResource, rule: SecureAiRule, findings: Finding[],
    acknowledgments: AcknowledgmentLookup, context: RuleContext): void {
    // Most results pass: the finding's parts are made only for one that does not.
    switch (result.verdict) {
      case Verdict.COMPLIANT:
        tally.compliant++;
        return;
      case Verdict.NOT_APPLICABLE:
        tally.notApplicable++;
        return;
      case Verdict.UNVERIFIABLE:
        tally.unverifiable++;
        findings.push(this.finding(acknowledgments, resource, `${rule.id}[unverifiable]`, rule.id, RuleLevel.WARNING,
          result.message ?? 'a value the rule needs is not known at synth time', [...(result.locations ?? [])], fixOf(rule, resource, context)));
        return;
      default:
        tally.nonCompliant++;
        findings.push(this.finding(acknowledgments, resource, rule.id, rule.id, this.levels.get(rule.id) ?? rule.level,
          result.message ?? rule.title, [...(result.locations ?? [])], fixOf(rule, resource, context)));
    }
  }

  private finding(acknowledgments: AcknowledgmentLookup, resource: IndexedResource, suffix: string, ruleId: string, level: RuleLevel,
    message: string, locations: string[], fix?: string): Finding {
    const ruleName = `${SecureAiChecks.PACK_NAME}-${suffix}`;
    return {
      ruleName,
      ruleId,
      level,
      message,
      constructPath: resource.constructPath,
      logicalId: resource.logicalId,
      resourceType: resource.type,
      stackPath: resource.stack.stackPath,
      templatePath: resource.stack.templatePath,
      locations,
      fix, // absent from the JSON when undefined, as templatePath and acknowledged are
      acknowledged: resource.construct ? acknowledgments.find(resource.construct, ruleName) : undefined,
    };
  }

  private report(findings: Finding[], tallies: RuleTally[], declarations: Declaration[], resources: number,
    outdir?: string): PolicyValidationPluginReport {
    const open = findings.filter((f) => !f.acknowledged);
    const failing = open.filter((f) => fails(f.level, this.failOn));
    return {
      success: failing.length === 0,
      violations: this.toViolations(open, outdir),
      metadata: {
        [METADATA_KEYS.findings]: JSON.stringify(findings),
        [METADATA_KEYS.tallies]: JSON.stringify(tallies),
        [METADATA_KEYS.failOn]: this.failOn,
        [METADATA_KEYS.resources]: String(resources),
        [METADATA_KEYS.declarations]: JSON.stringify(declarations),
      },
    };
  }

  /** Groups open findings into the CDK's violations: one per rule, message and fix. The CDK wants absolute template paths. */
  private toViolations(open: Finding[], outdir?: string): PolicyViolation[] {
    const byKey = new Map<string, { finding: Finding; resources: Finding[] }>();
    for (const f of open) {
      const key = `${f.ruleName}\u0000${f.message}\u0000${f.fix ?? ''}`;
      const group = byKey.get(key);
      if (group) group.resources.push(f);
      else byKey.set(key, { finding: f, resources: [f] });
    }
    const rules = new Map(CATALOGUE.map((r) => [r.id, r]));
    return [...byKey.values()].map(({ finding, resources }) => {
      const rule = rules.get(finding.ruleId);
      const explanation = this.props.verbose && rule ? ` ${rule.explanation}` : '';
      return {
        ruleName: finding.ruleName,
        description: `${rule?.title ?? 'Engine error'}: ${finding.message}.${explanation}`,
        fix: finding.fix ?? rule?.fix,
        severity: finding.level,
        ruleMetadata: rule ? { guideline: `${rule.guideline}: "${rule.quote}"`, section: rule.section } : undefined,
        violatingResources: resources.map((r) => ({
          constructPath: r.constructPath,
          resourceLogicalId: r.templatePath ? r.logicalId : undefined,
          templatePath: r.templatePath && outdir ? path.join(outdir, r.templatePath) : undefined,
          locations: r.locations.length > 0 ? r.locations : ['Properties'],
        })),
      };
    });
  }
}

type Tally = { -readonly [K in keyof RuleTally]: RuleTally[K] };

function newTally(ruleId: string): Tally {
  return { ruleId, evaluated: 0, compliant: 0, nonCompliant: 0, notApplicable: 0, unverifiable: 0, errors: 0 };
}

/** The passes as the findings file records them: by stack and logical ID, in a stable order. */
function recordedPasses(passed: readonly RulePass[]): RecordedPasses {
  const out: RecordedPasses = {};
  for (const { ruleId, stackPath, logicalId } of passed) ((out[stackPath] ??= {})[logicalId] ??= []).push(ruleId);
  return out;
}

function fails(level: RuleLevel, failOn: FailOn): boolean {
  if (failOn === FailOn.NONE) return false;
  return level === RuleLevel.ERROR || failOn === FailOn.WARNING;
}

/** `failOn` as JavaScript callers may pass it: checked against the enum's values, which TypeScript alone guarantees. */
function validateFailOn(failOn: unknown): FailOn {
  if (failOn === undefined) return FailOn.ERROR;
  const valid = Object.values(FailOn) as unknown[];
  if (!valid.includes(failOn)) {
    throw new Error(`SecureAiChecks: failOn is ${JSON.stringify(failOn)}. Use FailOn.ERROR, FailOn.WARNING or FailOn.NONE `
      + `(the strings ${valid.map((v) => `"${v}"`).join(', ')}).`);
  }
  return failOn as FailOn;
}

/**
 * `levels` keyed by catalogue ID. A key may be the ID (`P6`) or the reported name (`SecureAI-P6`), as users copy it from a
 * finding; both forms of one rule must agree.
 */
function validateLevels(levels: unknown): ReadonlyMap<string, RuleLevel> {
  if (levels === undefined) return new Map();
  if (levels === null || typeof levels !== 'object' || Array.isArray(levels)) {
    throw new Error(`SecureAiChecks: levels is ${JSON.stringify(levels)}. Pass an object from rule ID to level, such as `
      + '{ P6: RuleLevel.WARNING }.');
  }
  const known = new Set(CATALOGUE.map((r) => r.id));
  const valid = new Set<unknown>(Object.values(RuleLevel));
  const prefix = `${SecureAiChecks.PACK_NAME}-`;
  const out = new Map<string, RuleLevel>();
  for (const [key, level] of Object.entries(levels as Record<string, unknown>)) {
    const id = key.startsWith(prefix) ? key.slice(prefix.length) : key;
    if (/\[(unverifiable|parameter)\]$/.test(id)) {
      throw new Error(`SecureAiChecks: levels names "${key}". Unverifiable and parameter findings are always warnings; set the level of `
        + `the rule itself ("${id.replace(/\[.*$/, '')}"), or acknowledge the finding with its reason.`);
    }
    if (!known.has(id)) {
      throw new Error(`SecureAiChecks: levels names rule "${key}", which the pack does not have. Use a catalogue ID such as "P6" or `
        + '"SecureAI-P6" (see docs/RULES.md).');
    }
    if (!valid.has(level)) {
      throw new Error(`SecureAiChecks: levels.${key} is ${JSON.stringify(level)}. Use RuleLevel.ERROR or RuleLevel.WARNING.`);
    }
    if (out.has(id) && out.get(id) !== level) {
      throw new Error(`SecureAiChecks: levels sets rule ${id} twice, as "${id}" and "${prefix}${id}", to different levels. Keep one key.`);
    }
    out.set(id, level as RuleLevel);
  }
  return out;
}
