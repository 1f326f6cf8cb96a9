import { GuidelineSection } from '../nag/rule';

/** How the report, RULES.md and SARIF name and order the four sections of the guidelines. */

/** Display titles of the guideline sections, in the guideline's order. */
export const SECTION_TITLES: Record<GuidelineSection, string> = {
  [GuidelineSection.DESIGN]: '1. Secure design',
  [GuidelineSection.DEVELOPMENT]: '2. Secure development',
  [GuidelineSection.DEPLOYMENT]: '3. Secure deployment',
  [GuidelineSection.OPERATION]: '4. Secure operation and maintenance',
};

/** The guideline sections in the guideline's order (the order of SECTION_TITLES). */
export const SECTIONS_IN_ORDER = Object.keys(SECTION_TITLES) as GuidelineSection[];
