import * as fs from 'fs';
import * as path from 'path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { synthesizedTemplates } from '../examples/cfn-lint';

/** The parts of a CycloneDX document the tests read. */
export interface BomDocument {
  readonly specVersion: string;
  readonly components: ReadonlyArray<BomEntry & {
    readonly type: string;
    readonly hashes?: Array<{ alg: string; content: string }>;
    readonly modelCard?: Record<string, any>;
    readonly data?: Array<Record<string, unknown>>;
  }>;
  readonly services?: readonly BomEntry[];
  readonly dependencies: ReadonlyArray<{ readonly ref: string; readonly dependsOn?: readonly string[] }>;
  readonly formulation?: ReadonlyArray<{ readonly workflows: ReadonlyArray<Record<string, any>> }>;
}

export interface BomEntry {
  readonly 'bom-ref': string;
  readonly 'name': string;
  readonly 'version'?: string;
  readonly 'properties'?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

/** The schema errors of a BOM, by the CycloneDX library's own validator against the real 1.7 JSON schema (null: valid). */
export async function schemaErrors(json: string): Promise<unknown> {
  return new Validation.JsonStrictValidator(Spec.Version.v1dot7).validate(json);
}

/** The BOM SecureAiChecks wrote into a cloud assembly. */
export function readBom(outdir: string): { json: string; bom: BomDocument } {
  const json = fs.readFileSync(path.join(outdir, 'ai-bom.cdx.json'), 'utf-8');
  return { json, bom: JSON.parse(json) as BomDocument };
}

/** A property's values on a component or service. */
export function propertyOf(entry: BomEntry, name: string): string[] {
  return (entry.properties ?? []).filter((p) => p.name === `secure-ai:${name}`).map((p) => p.value);
}

/** Components and services of one asset kind. */
export function entriesOfKind(bom: BomDocument, kind: string): BomEntry[] {
  return [...bom.components, ...bom.services ?? []].filter((e) => propertyOf(e, 'asset-kind').includes(kind));
}

/** Everything a ref depends on, transitively. */
export function dependenciesBelow(bom: BomDocument, ref: string): Set<string> {
  const graph = new Map(bom.dependencies.map((d) => [d.ref, d.dependsOn ?? []]));
  const seen = new Set<string>();
  const visit = (r: string) => (graph.get(r) ?? []).forEach((d) => {
    if (!seen.has(d)) {
      seen.add(d);
      visit(d);
    }
  });
  visit(ref);
  return seen;
}

/** AI resource types every BOM must list, each as the component or service of its resource. */
const LISTED_TYPES = [
  'AWS::SageMaker::Model', 'AWS::SageMaker::ModelPackageGroup', 'AWS::SageMaker::ModelPackage', 'AWS::SageMaker::Endpoint',
  'AWS::SageMaker::InferenceComponent', 'AWS::BedrockAgentCore::Runtime', 'AWS::Bedrock::Agent', 'AWS::Bedrock::KnowledgeBase',
  'AWS::Bedrock::Guardrail', 'AWS::Bedrock::Prompt',
];

/**
 * The AI resources of a cloud assembly's templates that its BOM leaves out, as `<type> <logical ID>`; and the
 * endpoints whose dependencies reach no model.
 */
export function missingFromBom(outdir: string, bom: BomDocument): string[] {
  const refs = [...bom.components, ...bom.services ?? []].map((e) => e['bom-ref']);
  const missing: string[] = [];
  for (const file of synthesizedTemplates(outdir)) {
    const template = JSON.parse(fs.readFileSync(file, 'utf-8')) as { Resources?: Record<string, { Type: string }> };
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      if (!LISTED_TYPES.includes(resource.Type)) continue;
      const ref = refs.find((r) => r.endsWith(`/${logicalId}`));
      if (!ref) {
        missing.push(`${resource.Type} ${logicalId}`);
        continue;
      }
      if (resource.Type === 'AWS::SageMaker::Endpoint') {
        const below = dependenciesBelow(bom, ref);
        if (!entriesOfKind(bom, 'model').some((m) => below.has(m['bom-ref']))) missing.push(`the model of endpoint ${logicalId}`);
      }
    }
  }
  return missing;
}
