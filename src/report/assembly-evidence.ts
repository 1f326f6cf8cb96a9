import * as fs from 'fs';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { SecureAiChecks } from '../nag/secure-ai-checks';

/** An acknowledgment of a SecureAI rule recorded in the cloud assembly's construct metadata. */
export interface RecordedAcknowledgment {
  /** The acknowledged ID without namespace: `SecureAI-P6`. */
  readonly ruleName: string;
  readonly reason: string;
  /** The construct path it was recorded on. */
  readonly at: string;
}

/**
 * What the cloud assembly itself tells when validation-report.json has no SecureAI entry, which the CDK does when
 * the pack succeeded with no open violation: its metadata (findings, tallies) is then lost, but the templates still
 * say which resources each rule read, and the construct metadata still holds the acknowledgments.
 */
export interface AssemblyEvidence {
  /** Resources in all templates. */
  readonly resourceCount: number;
  /** Resources per CloudFormation type. */
  readonly resourceTypes: ReadonlyMap<string, number>;
  /** SecureAI acknowledgments anywhere in the app, whether or not a finding matched them. */
  readonly acknowledgments: RecordedAcknowledgment[];
}

const MAX_DEPTH = 4; // nested stages write nested assemblies; templates are never deeper than a few levels

/** Reads every stack template (nested stacks and stages included) and every metadata file of a cloud assembly. */
export function collectAssemblyEvidence(cloudAssemblyDir: string): AssemblyEvidence {
  const resourceTypes = new Map<string, number>();
  const acknowledgments = new Map<string, RecordedAcknowledgment>();
  let resourceCount = 0;

  for (const file of assemblyFiles(cloudAssemblyDir, 0)) {
    const name = path.basename(file);
    const json = readJson(file);
    if (json === undefined) continue;
    if (name.endsWith('.template.json')) {
      for (const resource of Object.values(objectAt(json, 'Resources'))) {
        const type = (resource as { Type?: unknown } | null)?.Type;
        if (typeof type !== 'string') continue;
        resourceCount++;
        resourceTypes.set(type, (resourceTypes.get(type) ?? 0) + 1);
      }
    } else if (name.endsWith('.metadata.json')) {
      addAcknowledgments(json, acknowledgments);
    } else if (name === 'manifest.json') {
      // Older CDK versions write each stack's metadata inline in the manifest rather than in a metadata file.
      for (const artifact of Object.values(objectAt(json, 'artifacts'))) addAcknowledgments(objectAt(artifact, 'metadata'), acknowledgments);
    }
  }
  return { resourceCount, resourceTypes, acknowledgments: [...acknowledgments.values()] };
}

function* assemblyFiles(dir: string, depth: number): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    // asset.* directories hold the app's own files (Lambda code, Docker contexts): never templates of the app
    if (entry.isDirectory() && !entry.name.startsWith('asset.') && depth < MAX_DEPTH) yield* assemblyFiles(full, depth + 1);
    else if (entry.isFile() && isEvidence(entry.name)) yield full;
  }
}

/** Templates, metadata files and manifests; tree.json and the rest can be large and say nothing needed here. */
function isEvidence(name: string): boolean {
  return name.endsWith('.template.json') || name.endsWith('.metadata.json') || name === 'manifest.json';
}

/** `{ "/Stack/Resource": [{ type, data }] }`, as metadata files and manifest artifacts hold it. */
function addAcknowledgments(metadata: unknown, into: Map<string, RecordedAcknowledgment>): void {
  for (const [constructPath, entries] of Object.entries(asObject(metadata))) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (entry?.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(asObject(entry.data))) {
        const ruleName = id.includes('::') ? id.slice(id.lastIndexOf('::') + 2) : id;
        if (!ruleName.startsWith(`${SecureAiChecks.PACK_NAME}-`)) continue;
        const at = constructPath.replace(/^\//, '');
        into.set(`${ruleName}\u0000${at}`, { ruleName, reason: String(reason ?? ''), at });
      }
    }
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch {
    return undefined; // not ours to judge: a broken unrelated file must not stop the report
  }
}

function asObject(value: unknown): Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, any> : {};
}

function objectAt(value: unknown, key: string): Record<string, any> {
  return asObject(asObject(value)[key]);
}
