// How the example tests lint what an example's synthesis wrote (the synthesis itself: checkCompliance in test/compliance.ts).
import { cfnLint, describeMatches, synthesizedTemplates } from './cfn-lint';

/** cfn-lint's errors in the templates of a cloud assembly, one line each; undefined (with the reason logged) without cfn-lint. */
export function cfnLintErrors(outdir: string, region: string): string[] | undefined {
  const result = cfnLint(synthesizedTemplates(outdir), { regions: [region] });
  if ('skipped' in result) {
    console.log(result.skipped);
    return undefined;
  }
  return describeMatches(result.errors);
}
