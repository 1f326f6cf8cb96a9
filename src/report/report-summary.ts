import { SECTION_TITLES, SECTIONS_IN_ORDER } from './guideline-sections';
import { CoverageStatus, failingFindings, failsPolicy, ReportFinding, ReportModel, SecureAiEntry } from './report-model';
import { DeclarationSource } from '../nag/findings';
import { GuidelineSection, RuleLevel } from '../nag/rule';

/** Open and acknowledged findings of one guideline section. */
export interface SectionCounts {
  /** The section, or `other` for rules this version's catalogue does not know and acknowledgments of engine errors. */
  readonly section: GuidelineSection | 'other';
  readonly title: string;
  readonly error: number;
  readonly warning: number;
  readonly acknowledged: number;
}

/** A declaration the run took instead of a check, as every format shows it: a reason not given is null. */
export interface DeclarationSummary {
  /** What is declared (`orgManaged.auditTrail`, `aiSystem: whole-app`, `organizationTrail`). */
  readonly declared: string;
  /** `pack-props` (the pack's user), `cdk-context` (the app's `cdk.json` or `-c`) or `template-metadata` (the app's constructs). */
  readonly source: DeclarationSource;
  /** The context key, or the construct path of the declaring resource; null for the pack's props. */
  readonly by: string | null;
  /** `the app`, or an account and Region. */
  readonly scope: string;
  readonly reason: string | null;
  /** The rules it settles (not applicable where it holds); empty for a declaration that widens what rules judge. */
  readonly rules: string[];
  /** Whether the run refused it (`allowAppDeclarations: false`) and judged its rules. */
  readonly refused: boolean;
}

/** How many catalogue rules are in each coverage status. */
export type RuleCounts = { readonly catalogue: number; readonly evaluated: number } & { readonly [S in CoverageStatus]: number };

/** The numbers at the top of every format. */
export interface ReportSummary {
  /** False when an open finding fails the run's failOn, or the pack could not run. */
  readonly passed: boolean;
  /** The run's failOn; null when the pack could not run. */
  readonly failOn: string | null;
  /** Open findings that fail the policy. */
  readonly failingFindings: number;
  /** Why the pack could not run; null when it ran. */
  readonly pluginError: string | null;
  readonly secureAiEntry: SecureAiEntry;
  /** Resources in the app; null when unknown. */
  readonly resources: number | null;
  /** `evaluated`: rules with at least one resource they apply to; then one count per coverage status. */
  readonly rules: RuleCounts;
  readonly openFindings: { readonly total: number; readonly error: number; readonly warning: number };
  readonly acknowledgedFindings: number;
  /** Per guideline section, in order; `other` only when it has findings. */
  readonly bySection: SectionCounts[];
  /**
   * What was declared to the run instead of being checked, and who declared it: the app's authors can declare through
   * its CDK context and constructs, so a reader must see what was switched off, and what the run refused.
   */
  readonly declarations: DeclarationSummary[];
}

const APPLICABLE: ReadonlySet<CoverageStatus> = new Set<CoverageStatus>(['compliant', 'non-compliant', 'engine-error', 'unverifiable']);

export function summarise(model: ReportModel): ReportSummary {
  const catalogueIds = new Set(model.rules.map((r) => r.id));
  const ofCatalogue = model.coverage.filter((c) => catalogueIds.has(c.ruleId));
  const statusCount = (status: CoverageStatus) => ofCatalogue.filter((c) => c.status === status).length;
  const rules: RuleCounts = {
    'catalogue': model.rules.length,
    'evaluated': ofCatalogue.filter((c) => APPLICABLE.has(c.status)).length,
    'compliant': statusCount('compliant'),
    'non-compliant': statusCount('non-compliant'),
    'engine-error': statusCount('engine-error'),
    'unverifiable': statusCount('unverifiable'),
    'no-applicable-resource': statusCount('no-applicable-resource'),
    'not-evaluated': statusCount('not-evaluated'),
  };
  const sectionCounts = (section: GuidelineSection | undefined): Omit<SectionCounts, 'section' | 'title'> => {
    const open = model.findings.filter((f) => f.section === section);
    return {
      error: countLevel(open, RuleLevel.ERROR),
      warning: countLevel(open, RuleLevel.WARNING),
      acknowledged: model.acknowledged.filter((f) => f.section === section).length,
    };
  };
  const bySection: SectionCounts[] = SECTIONS_IN_ORDER.map((s) => ({ section: s, title: SECTION_TITLES[s], ...sectionCounts(s) }));
  const other = sectionCounts(undefined);
  if (other.error + other.warning + other.acknowledged > 0) bySection.push({ section: 'other', title: 'No section (rules this catalogue does not know, engine errors)', ...other });

  return {
    passed: !failsPolicy(model),
    failOn: model.failOn ?? null,
    failingFindings: failingFindings(model).length,
    pluginError: model.pluginError ?? null,
    secureAiEntry: model.secureAiEntry,
    resources: model.resources ?? null,
    rules,
    openFindings: {
      total: model.findings.length,
      error: countLevel(model.findings, RuleLevel.ERROR),
      warning: countLevel(model.findings, RuleLevel.WARNING),
    },
    acknowledgedFindings: model.acknowledged.length,
    bySection,
    declarations: model.declarations.map((d) => ({
      declared: d.declared,
      source: d.source,
      by: d.by ?? null,
      scope: d.scope,
      reason: d.reason ?? null,
      rules: [...d.rules],
      refused: d.refused ?? false,
    })),
  };
}

function countLevel(findings: ReportFinding[], level: RuleLevel): number {
  return findings.filter((f) => f.level === level).length;
}
