import { combine, COMPLIANT, isSet, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable, Verdict } from '../../engine/checks';
import { ResourceIndex } from '../../engine/resource-index';
import { describe, UnknownValue, Value } from '../../engine/values';
import { isProduction, PRODUCTION_TAGS_TEXT } from '../../knowledge/environment-tags';
import { containersOf, judgeContainerForm } from '../../knowledge/model-containers';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/**
 * Judges one container of a production model, at `where` (`Properties.PrimaryContainer`): it must deploy a versioned
 * package of a model package group. `note` ends a failure's first sentence.
 */
function judgeContainer(index: ResourceIndex, container: Record<string, Value>, where: string, note: string): RuleResult {
  const property = `${where.replace(/^Properties\./, '')}.ModelPackageName`;
  const location = `${where}.ModelPackageName`;
  const name = container.ModelPackageName;
  const set = isSet(name);
  if (set instanceof UnknownValue) return unverifiable(`${property} cannot be verified at synth time: ${set.reason}`, location);
  if (set === false) {
    const image = container.Image === undefined ? '' : ` (it runs ${describe(container.Image)} directly)`;
    return nonCompliant(`${property} is absent${image}${note}: the production model is not deployed from the model registry, so which `
      + 'version runs, who approved it and where its artifacts came from are not tracked', location);
  }
  const pkg = index.resolveAs('AWS::SageMaker::ModelPackage', name);
  if (!pkg) return COMPLIANT; // a registry ARN or name: set is what the rule asks
  const group = pkg.get('ModelPackageGroupName');
  if (group.every((b) => isSet(b.value) === false)) {
    return nonCompliant(`${property} names model package ${pkg.logicalId}, which has no ModelPackageGroupName${note}: an unversioned package `
      + 'is not tracked as a version of a model in the registry', location);
  }
  return COMPLIANT;
}

export const registeredProductionModels: RuleDefinition = {
  title: 'Production models are deployed from versioned packages of the model registry',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Identify, track and protect your assets',
  quote: 'track, authenticate, version control and secure your assets',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::Model'],
  compliantWhen: `for models tagged (or in a stack tagged) ${PRODUCTION_TAGS_TEXT}: \`PrimaryContainer.ModelPackageName\` and every `
    + '`Containers[].ModelPackageName` set (a model package of the app must belong to a group: `ModelPackageGroupName`); other environments are '
    + 'not applicable; an environment tag chosen at deploy time makes a finding unverifiable',
  explanation: 'A production model deployed straight from an image and an S3 URI has no registry entry: nothing records which trained '
    + 'version it is, whether it was approved, or which artifacts, metrics and lineage belong to it, so it cannot be tracked, audited or '
    + 'rolled back to a known version.',
  fix: 'Register the trained model as a model package in a sagemaker.CfnModelPackageGroup (from the training pipeline) and create the model '
    + 'with primaryContainer: { modelPackageName: <package ARN> } instead of image and modelDataUrl.',
  peers: 'PRW sagemaker_models_registry_in_use',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource, context) {
    const production = isProduction(resource);
    if (production === false) return NOT_APPLICABLE;
    const { containers, unreadable } = containersOf(resource);
    const results = containers.map((c) => judgeContainerForm(c, (container, note) => judgeContainer(context.index, container, c.location, note)));
    for (const u of unreadable) results.push(unverifiable(`${u.location.replace(/^Properties\./, '')} cannot be read at synth time (${u.reason})`, u.location));
    const result = combine(...results);
    if (production instanceof UnknownValue && result.verdict === Verdict.NON_COMPLIANT) {
      return unverifiable(`the environment tag is not known at synth time; if this is production: ${result.message}`, ...(result.locations ?? []));
    }
    return result;
  },
};
