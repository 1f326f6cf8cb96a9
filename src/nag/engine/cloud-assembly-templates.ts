import * as fs from 'fs';
import * as path from 'path';
import { TemplateStack } from './resource-index';
import { TemplateSections } from './synthesized-templates';
import { isPlainObject } from './values';

/**
 * The stack templates of a cloud assembly that `cdk synth` wrote (cdk.out), read after synthesis and without the app:
 * what {@link ResourceIndex.fromTemplates} indexes for the command line. Stages are nested assemblies; each stack is
 * named by its display name (its construct path, `Prod/Model`) and placed by the environment the manifest records.
 */

/** Why a directory cannot be read as a cloud assembly: the message names the path and the fix. */
export class CloudAssemblyError extends Error {}

const STACK_ARTIFACT = 'aws:cloudformation:stack';
const NESTED_ASSEMBLY = 'cdk:cloud-assembly';
/** Past this depth the reader stops following nested assemblies (stages in stages). */
const MAX_DEPTH = 16;

/**
 * Every stack template of the cloud assembly in `directory`, nested stages included, in manifest order.
 * @throws CloudAssemblyError when the directory has no manifest.json or a file it names is missing or malformed
 */
export function cloudAssemblyTemplates(directory: string): TemplateStack[] {
  const root = path.resolve(directory);
  if (!fs.existsSync(path.join(root, 'manifest.json'))) {
    throw new CloudAssemblyError(`${directory} has no manifest.json: give the cloud assembly directory that \`cdk synth\` wrote (cdk.out).`);
  }
  const out: TemplateStack[] = [];
  readAssembly(root, root, 0, out);
  return out;
}

function readAssembly(root: string, directory: string, depth: number, out: TemplateStack[]): void {
  if (depth > MAX_DEPTH) return;
  const manifest = readJson(path.join(directory, 'manifest.json'));
  const artifacts = isPlainObject(manifest) && isPlainObject(manifest.artifacts) ? manifest.artifacts : {};
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (!isPlainObject(artifact)) continue;
    const properties = isPlainObject(artifact.properties) ? artifact.properties : {};
    if (artifact.type === NESTED_ASSEMBLY && typeof properties.directoryName === 'string') {
      readAssembly(root, path.join(directory, properties.directoryName), depth + 1, out);
    }
    if (artifact.type !== STACK_ARTIFACT || typeof properties.templateFile !== 'string') continue;
    const file = path.join(directory, properties.templateFile);
    const template = readJson(file);
    if (!isPlainObject(template)) throw new CloudAssemblyError(`${file} is not a CloudFormation template: synthesize the app again.`);
    const environment = typeof artifact.environment === 'string' ? /^aws:\/\/([^/]*)\/(.*)$/.exec(artifact.environment) : null;
    const known = (value: string | undefined) => (value && !value.startsWith('unknown-') ? value : undefined);
    out.push({
      stackPath: typeof artifact.displayName === 'string' ? artifact.displayName : id,
      template: template as TemplateSections,
      templatePath: path.relative(root, file),
      account: known(environment?.[1]),
      region: known(environment?.[2]),
    });
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    throw new CloudAssemblyError(`cannot read ${file} (${(e as Error).message}): synthesize the app again to rewrite it.`);
  }
}
