import { isStackAccount, OWN_ACCOUNT, textOf, UNKNOWN_PART } from './stack-account';
import { isOneOf, Judgement, NOT_KNOWN } from '../engine/checks';
import { matchesPattern } from '../engine/readers/policy-documents';
import { IndexedResource, ResourceIndex } from '../engine/resource-index';
import { describe, Expression, ResourceReference, UnknownValue, Value } from '../engine/values';

/**
 * Where a container image comes from and whether the reference is pinned: the supply-chain question of model
 * containers (V1) and container-image functions (V4). An image is trusted when it is in an ECR repository of the app,
 * in ECR in the app's own account (the CDK's image assets among them), or in a registry the pack's
 * `allowedImageRegistries` names; it is pinned by an `@sha256:` digest, by the content-hash tag of a CDK image asset
 * (whose bootstrap repository is immutable), or by a tag of an app repository with `ImageTagMutability: IMMUTABLE`.
 */

const ECR_HOST = /^([^.]+)\.dkr\.ecr(?:-fips)?\.[^.]+\.amazonaws\.com(?:\.cn)?$/i;
/** The repository the CDK's default synthesizer pushes image assets to: `cdk-<qualifier>-container-assets-<account>-<region>`. */
const ASSET_REPOSITORY = /^cdk-[a-z0-9]+-container-assets-/;
const DIGEST = /^sha256:(?:[0-9a-f]{64}|.*\u0003.*)$/i;
const isImmutable = isOneOf('IMMUTABLE');

/** An image reference split into its parts. */
interface ImageName {
  readonly host: string;
  /** Whether the host was left out (Docker Hub). */
  readonly implicitHost: boolean;
  readonly repository: string;
  readonly tag?: string;
  /** The text after `@`, if any. */
  readonly digest?: string;
}

function parseImage(text: string): ImageName {
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  const explicitHost = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.includes(OWN_ACCOUNT) || first.includes(UNKNOWN_PART));
  const host = explicitHost ? first.toLowerCase() : 'docker.io';
  let repository = explicitHost ? rest.slice(slash + 1) : rest;
  let tag: string | undefined;
  const lastSlash = repository.lastIndexOf('/');
  const colon = repository.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
  }
  return { host, implicitHost: !explicitHost, repository, tag, digest };
}

/** The allow-list entry (`host`, `*.host`, `host/path-prefix`) an image matches, if any. */
function allowedBy(name: ImageName, allowed: readonly string[]): string | undefined {
  return allowed.find((entry) => {
    const slash = entry.indexOf('/');
    const hostPattern = slash < 0 ? entry : entry.slice(0, slash);
    const pathPrefix = slash < 0 ? '' : entry.slice(slash + 1).replace(/\/+$/, '');
    if (!matchesPattern(hostPattern, name.host)) return false;
    return pathPrefix === '' || name.repository === pathPrefix || name.repository.startsWith(`${pathPrefix}/`);
  });
}

/** How the registry of an image is trusted. */
type Registry =
  | { readonly kind: 'app-repository'; readonly repository: IndexedResource }
  | { readonly kind: 'asset' | 'own-ecr' | 'allowed'; readonly detail: string }
  | { readonly kind: 'untrusted' | 'unknown'; readonly detail: string };

function registryOf(index: ResourceIndex, resource: IndexedResource, value: Value, name: ImageName, allowed: readonly string[]): Registry {
  const refs = value instanceof ResourceReference ? [value] : value instanceof Expression ? value.references : [];
  for (const ref of refs) {
    const target = index.resolve(ref);
    if (target?.type === 'AWS::ECR::Repository') return { kind: 'app-repository', repository: target };
  }
  const allowEntry = allowedBy(name, allowed);
  if (allowEntry) return { kind: 'allowed', detail: `registry ${name.host} is allow-listed (${allowEntry})` };
  const ecr = ECR_HOST.exec(name.host);
  if (ecr) {
    const byName = index.resolveAs('AWS::ECR::Repository', name.repository);
    const own = isStackAccount(resource, ecr[1]);
    if (byName && own !== false) return { kind: 'app-repository', repository: byName };
    if (own === true) {
      return ASSET_REPOSITORY.test(name.repository)
        ? { kind: 'asset', detail: 'a CDK image asset of the app' } : { kind: 'own-ecr', detail: "ECR in the app's account" };
    }
    if (own === false) {
      return { kind: 'untrusted', detail: `ECR registry ${name.host} belongs to account ${ecr[1]}, not the app's account, and is not in allowedImageRegistries` };
    }
    if (/^\d{12}$/.test(ecr[1])) {
      return { kind: 'unknown', detail: `ECR registry ${name.host} belongs to account ${ecr[1]}, and the stack's account is not known at synth time` };
    }
    return { kind: 'unknown', detail: 'the account of the ECR registry is not known at synth time' };
  }
  if (name.host.includes(UNKNOWN_PART) || name.host.includes(OWN_ACCOUNT)) {
    return { kind: 'unknown', detail: 'the registry host is not known at synth time' };
  }
  if (refs.length > 0 && name.implicitHost) return { kind: 'unknown', detail: `the image URI is read from ${refs.map((r) => r.logicalId).join(', ')}` };
  const where = name.implicitHost ? 'Docker Hub (no registry host given)' : `registry ${name.host}`;
  return { kind: 'untrusted', detail: `${where} is a public or third-party registry that is not in allowedImageRegistries` };
}

function pinning(registry: Registry, name: ImageName): Judgement {
  if (name.digest !== undefined) {
    return DIGEST.test(name.digest) ? { answer: true, detail: 'pinned by digest' }
      : { answer: false, detail: `@${name.digest.replace(/[\u0001\u0003]/g, '*')} is not an @sha256: digest` };
  }
  const tag = name.tag;
  if (tag === undefined || tag === '' || /^latest$/i.test(tag)) {
    return { answer: false, detail: `${tag ? `the tag :${tag}` : 'no tag (which pulls :latest)'} floats (each pull may get a different image)` };
  }
  if (tag.includes(UNKNOWN_PART) || tag.includes(OWN_ACCOUNT)) return { answer: NOT_KNOWN, detail: 'the tag is chosen at deploy time' };
  if (registry.kind === 'asset') return { answer: true, detail: 'the content-hash tag of an image asset' };
  if (registry.kind === 'allowed') return { answer: true, detail: `tag :${tag} of an allow-listed registry` };
  if (registry.kind === 'app-repository') {
    const forms = registry.repository.get('ImageTagMutability').map((b) => isImmutable(b.value));
    if (forms.every((a) => a === true)) return { answer: true, detail: `tag :${tag} of immutable repository ${registry.repository.logicalId}` };
    return { answer: false, detail: `tag :${tag} of repository ${registry.repository.logicalId}, whose tags are mutable, can be moved to another image` };
  }
  return { answer: false, detail: `tag :${tag} can be moved to another image` };
}

/**
 * Judges one image reference (`PrimaryContainer.Image`, `ContainerUri`, `Code.ImageUri`) of `resource`.
 * @param privateRegistry the container pulls from a private registry in the VPC (`RepositoryAccessMode: Vpc`): only an
 * allow-listed registry is acceptable
 */
export function judgeImage(
  index: ResourceIndex, resource: IndexedResource, value: Value, allowed: readonly string[], privateRegistry = false,
): Judgement {
  if (value instanceof UnknownValue) return { answer: NOT_KNOWN, detail: `the image is ${describe(value)}` };
  if (value instanceof ResourceReference) {
    const target = index.resolve(value);
    if (target?.type !== 'AWS::ECR::Repository') return { answer: NOT_KNOWN, detail: `the image is ${describe(value)}` };
    return { answer: false, detail: `the image is the URI of repository ${target.logicalId} without a tag or digest, which pulls :latest` };
  }
  const text = textOf(value);
  if (text === undefined) return { answer: false, detail: `the image is ${describe(value)}, not an image URI` };
  const name = parseImage(text);
  const registry = registryOf(index, resource, value, name, allowed);
  const problems: string[] = [];
  const open: string[] = [];
  if (privateRegistry && registry.kind !== 'allowed') {
    problems.push(`RepositoryAccessMode is Vpc, so the image is pulled from a private registry (${name.host.replace(/[\u0001\u0003]/g, '*')}) that is not in allowedImageRegistries`);
  } else if (registry.kind === 'untrusted') {
    problems.push(registry.detail);
  } else if (registry.kind === 'unknown') {
    open.push(registry.detail);
  }
  const pinned = pinning(registry, name);
  if (pinned.answer === false) problems.push(`${pinned.detail}; pin it by an @sha256 digest`);
  if (pinned.answer instanceof UnknownValue) open.push(pinned.detail);
  const shown = describe(value).replace(/[\u0001\u0003]/g, '*');
  if (problems.length > 0) return { answer: false, detail: `${shown}: ${problems.join('; ')}` };
  if (open.length > 0) return { answer: NOT_KNOWN, detail: `${shown}: ${open.join('; ')}` };
  return { answer: true, detail: shown };
}
