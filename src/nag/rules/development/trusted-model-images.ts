import { combine, COMPLIANT, isOneOf, nonCompliant, NOT_APPLICABLE, qualifier, RuleResult, unverifiable } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, unknownOf, UnknownValue, Value } from '../../engine/values';
import { judgeImage } from '../../knowledge/container-images';
import { containersOf, judgeContainerForm } from '../../knowledge/model-containers';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const isVpcAccess = isOneOf('Vpc');

/** Whether a container pulls from a private registry in the VPC; unknown (undefined) when the mode cannot be read. */
function pullsFromVpc(container: Record<string, Value>): boolean | undefined {
  const config = container.ImageConfig;
  if (config === undefined) return false;
  if (!isPlainObject(config)) return unknownOf(config) ? undefined : false;
  const answer = isVpcAccess(config.RepositoryAccessMode);
  return answer === true ? true : answer === false ? false : undefined;
}

/** Judges the image of one container form; a container without an image (a model package) is judged elsewhere. */
function judgeContainer(
  index: ResourceIndex, resource: IndexedResource, container: Record<string, Value>, location: string,
  note: string, allowed: readonly string[],
): RuleResult {
  const property = location.replace(/^Properties\./, '');
  const image = container.Image;
  if (image === undefined) {
    const pkg = container.ModelPackageName;
    if (pkg === undefined) return NOT_APPLICABLE;
    if (index.resolveAs('AWS::SageMaker::ModelPackage', pkg)) return NOT_APPLICABLE; // the package's own containers are judged
    return unverifiable(`${property}.ModelPackageName is ${describe(pkg)}, a model package that is not in the app: the image it runs cannot be seen`, location);
  }
  const vpc = pullsFromVpc(container);
  const verdict = judgeImage(index, resource, image, allowed, vpc === true);
  if (verdict.answer === false) {
    return nonCompliant(`${property}.Image is ${verdict.detail}${note}. A model container from an unverified source, or one that can be `
      + 'swapped under the same name, runs untrusted code next to your model and data', `${location}.Image`);
  }
  if (verdict.answer instanceof UnknownValue) return unverifiable(`${property}.Image cannot be verified at synth time: ${verdict.detail}`, `${location}.Image`);
  if (vpc === undefined) return unverifiable(`${property}.ImageConfig.RepositoryAccessMode cannot be read at synth time`, `${location}.ImageConfig`);
  return COMPLIANT;
}

function judgeRuntime(index: ResourceIndex, resource: IndexedResource, allowed: readonly string[]): RuleResult {
  const path = 'AgentRuntimeArtifact.ContainerConfiguration.ContainerUri';
  const branches = resource.get(path);
  const results = branches.map((b) => {
    if (b.value === undefined) return NOT_APPLICABLE; // a code artifact, not a container
    const verdict = judgeImage(index, resource, b.value, allowed);
    if (verdict.answer === false) {
      return nonCompliant(`${path} is ${verdict.detail}${qualifier(b.parameters, branches.length)}. The agent runtime runs a container from an `
        + 'unverified source, or one that can be swapped under the same name', `Properties.${path}`);
    }
    if (verdict.answer instanceof UnknownValue) return unverifiable(`${path} cannot be verified at synth time: ${verdict.detail}`, `Properties.${path}`);
    return COMPLIANT;
  });
  return combine(...results);
}

export const trustedModelImages: RuleDefinition = {
  title: 'Model and agent containers come from trusted registries and are pinned by digest',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Secure your supply chain',
  quote: 'from verified commercial, open source, and other third-party developers',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::Model', 'AWS::SageMaker::InferenceComponent', 'AWS::SageMaker::ModelPackage', 'AWS::BedrockAgentCore::Runtime'],
  compliantWhen: 'every container image (`PrimaryContainer.Image`, `Containers[].Image`, an inference component\'s `Specification.Container.Image`, '
    + 'a model package\'s `InferenceSpecification.Containers[].Image`, an AgentCore runtime\'s `AgentRuntimeArtifact.ContainerConfiguration.ContainerUri`) '
    + 'is in an ECR repository of the app, in ECR in the app\'s own account (`${AWS::AccountId}` or the stack\'s account; CDK image assets '
    + 'included) or in a registry of `allowedImageRegistries` (public registries such as docker.io, ghcr.io, quay.io, public.ecr.aws and '
    + 'images without a registry host fail), and is pinned: an `@sha256:` digest, the content-hash tag of a CDK image asset, or a tag of an '
    + 'app repository with `ImageTagMutability: IMMUTABLE` (a versioned tag of an allow-listed registry is accepted); `:latest` or no tag always '
    + 'fails. `ImageConfig.RepositoryAccessMode: Vpc` only with an allow-listed registry. A container naming a model package outside the app is '
    + 'unverifiable',
  explanation: 'A model container runs with the model\'s role, its weights and every request. An image from a public registry has not been '
    + 'verified by you, and an image named by a floating tag can be replaced by whoever can push to the registry: either way code you did not '
    + 'vet runs inside the AI system. Pinning by digest makes the deployed image the one that was scanned and approved.',
  fix: 'Copy the image into an ECR repository of your account (ecr.Repository with imageTagMutability IMMUTABLE and image scanning), and '
    + 'reference it by digest (repository.repositoryUriForDigest(\'sha256:<digest>\')) or build it as an image asset (ContainerImage.fromAsset); add '
    + 'registries you have vetted to the pack\'s allowedImageRegistries.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    const allowed = context.parameters.allowedImageRegistries;
    if (resource.type === 'AWS::BedrockAgentCore::Runtime') return judgeRuntime(context.index, resource, allowed);
    const { containers, unreadable } = containersOf(resource);
    const results = containers.map((c) =>
      judgeContainerForm(c, (container, note) => judgeContainer(context.index, resource, container, c.location, note, allowed)));
    for (const u of unreadable) {
      results.push(unverifiable(`${u.location.replace(/^Properties\./, '')} cannot be read at synth time (${u.reason}): its image cannot be checked`, u.location));
    }
    return combine(...results);
  },
};
