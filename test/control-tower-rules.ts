// Runs only the Control Tower guard rules that can apply to the templates at hand. cfn-guard evaluates every one of the
// 474 rule files of @cdklabs/cdk-validator-cfnguard against every template, which took 11 s of a construct's 12 s
// compliance check; a rule file selects resources by the types it names (`Resources.*[ Type == 'AWS::S3::Bucket' ]`)
// and skips a template that has none of them (each file's "Scenario 1 ... Then: SKIP"). So the rule files that name
// no resource type of the templates are left out of the run, and the findings stay those of the whole rule set
// (test/control-tower-rules.test.ts compares the two on a template).
import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';

/** The CloudFormation resource types a guard rule file names (`AWS::S3::Bucket`), comments included. */
export function typesNamedBy(ruleText: string): Set<string> {
  return new Set(ruleText.match(/\bAWS::\w+::\w+\b/g) ?? []);
}

/** The resource types of the templates. */
export function typesOfTemplates(templatePaths: string[]): Set<string> {
  const types = new Set<string>();
  for (const file of templatePaths) {
    const template = JSON.parse(fs.readFileSync(file, 'utf8')) as { Resources?: Record<string, { Type?: string }> };
    for (const resource of Object.values(template.Resources ?? {})) if (resource.Type) types.add(resource.Type);
  }
  return types;
}

/** Every rule file under the paths (files or folders), sorted. */
function ruleFiles(rulePaths: string[]): string[] {
  return rulePaths.flatMap((p) => fs.statSync(p).isDirectory()
    ? ruleFiles(fs.readdirSync(p).sort().map((entry) => path.join(p, entry)))
    : [p]);
}

const namedByFile = new Map<string, Set<string>>();

/** The rule files of `rulePaths` that can select a resource of `types`: those naming one of them, or naming none. */
export function applicableRuleFiles(rulePaths: string[], types: ReadonlySet<string>): string[] {
  return ruleFiles(rulePaths).filter((file) => {
    let named = namedByFile.get(file);
    if (named === undefined) namedByFile.set(file, named = typesNamedBy(fs.readFileSync(file, 'utf8')));
    return named.size === 0 || [...named].some((t) => types.has(t));
  });
}

interface GuardConfig {
  readonly templatePaths: string[];
  readonly rulePaths: string[];
}
interface GuardInternals {
  execGuard(config: GuardConfig): unknown;
}

const prototype = CfnGuardValidator.prototype as unknown as GuardInternals;
const runAllRules = prototype.execGuard;
if (typeof runAllRules !== 'function') {
  throw new Error('@cdklabs/cdk-validator-cfnguard no longer has CfnGuardValidator.execGuard: update test/control-tower-rules.ts.');
}

/** Runs cfn-guard with every rule file, as the plugin does unpatched (for the comparison test). */
export function guardWithAllRules(validator: CfnGuardValidator, config: GuardConfig): unknown {
  return runAllRules.call(validator, config);
}

// Every CfnGuardValidator of the test process, the examples' own included, runs the applicable rule files only. The
// plugin still leaves out its disabled rules: it filters the files it is given by name.
prototype.execGuard = function execApplicableRules(this: CfnGuardValidator, config: GuardConfig): unknown {
  const rulePaths = applicableRuleFiles(config.rulePaths, typesOfTemplates(config.templatePaths));
  // cfn-guard refuses a run without rules; with none that applies, nothing can fail.
  if (rulePaths.length === 0) return { success: true, violations: [] };
  return runAllRules.call(this, { ...config, rulePaths });
};
