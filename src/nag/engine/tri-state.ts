/**
 * A three-valued answer for cross-resource questions whose inputs may only be known at deploy time (does this
 * selection select that bucket, does this trail record that resource type): yes, no, or maybe.
 */
export type Tri = 'yes' | 'no' | 'maybe';

/** Yes if any answer is yes; else maybe if any is maybe; else no (no answers: no). */
export function anyOf(answers: readonly Tri[]): Tri {
  return answers.includes('yes') ? 'yes' : answers.includes('maybe') ? 'maybe' : 'no';
}

/** No if any answer is no; else maybe if any is maybe; else yes (no answers: yes). */
export function allOf(answers: readonly Tri[]): Tri {
  return answers.includes('no') ? 'no' : answers.includes('maybe') ? 'maybe' : 'yes';
}
