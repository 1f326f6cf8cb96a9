// The signed provenance of a trained model: an in-toto Statement v1 with the SLSA provenance v1 predicate, binding the
// model to the run that built it (the state machine and its execution), the training job with its image, role,
// isolation and encryption settings and hyperparameters, every input (S3 URI, VersionId, SHA-256; a prefix input is
// declared, not measured) and the output. Everything `cdk-secure-ai verify` shows as fact comes from here, signed.
// Pure Node.js: the signing step bundles this file.
import { IN_TOTO_STATEMENT_TYPE, parseStatement, StatementError } from './model-signature';

export const SLSA_PROVENANCE_PREDICATE_TYPE = 'https://slsa.dev/provenance/v1';
/** The build type of a TrainingPipeline run: what `externalParameters` and `resolvedDependencies` hold. */
export const TRAINING_BUILD_TYPE = 'https://github.com/maintainers/cdk-secure-ai/training-pipeline/v1';

/** One S3 object as the provenance records it. */
export interface ProvenanceObject {
  /** `s3://bucket/key` (a prefix ends with `/`). */
  readonly uri: string;
  /** The object version read or written; absent for a prefix. */
  readonly versionId?: string;
  /** Lowercase hex. */
  readonly sha256: string;
}

/** One training data channel. */
export interface ProvenanceInput extends ProvenanceObject {
  readonly channelName: string;
  /**
   * Whether the digest was measured by the signing step (a single object, at the recorded version) or only declared
   * by the pipeline (a prefix, which cannot be hashed as one object).
   */
  readonly measured: boolean;
}

/** The training job's settings that decide what it could do. */
export interface TrainingSettings {
  readonly roleArn: string;
  readonly imageUri: string;
  /** `sha256:<hex>` when known: from a pinned URI, or resolved from the registry for an immutable tag. */
  readonly imageDigest?: string;
  readonly networkIsolation: boolean;
  readonly interContainerEncryption: boolean;
  readonly subnets: string[];
  readonly securityGroups: string[];
  readonly outputPath: string;
  readonly outputKmsKeyId?: string;
  readonly volumeKmsKeyId?: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly maxRuntimeInSeconds: number;
  readonly hyperparameters: Record<string, string>;
}

/** What a TrainingPipeline run produced and how. */
export interface TrainingProvenance {
  /** The registered model: the content-addressed copy the registry serves, with the digest of its bytes. */
  readonly artifact: ProvenanceObject;
  /** What the training job wrote, at the version the signing step read. */
  readonly trainingOutput: ProvenanceObject;
  /** The state machine that ran the pipeline (the builder). */
  readonly builderId: string;
  /** The execution that started the job. */
  readonly executionArn: string;
  readonly trainingJobArn: string;
  readonly settings: TrainingSettings;
  readonly inputs: ProvenanceInput[];
  /** ISO 8601. */
  readonly startedOn?: string;
  readonly finishedOn?: string;
}

/** The statement's JSON text. */
export function renderTrainingProvenance(p: TrainingProvenance): string {
  const s = p.settings;
  const imageDigest = s.imageDigest?.replace(/^sha256:/, '');
  return JSON.stringify({
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: basename(p.artifact.uri), uri: p.artifact.uri, digest: { sha256: p.artifact.sha256 } }],
    predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
    predicate: {
      buildDefinition: {
        buildType: TRAINING_BUILD_TYPE,
        externalParameters: {
          trainingJob: {
            roleArn: s.roleArn,
            image: s.imageUri,
            networkIsolation: s.networkIsolation,
            interContainerEncryption: s.interContainerEncryption,
            vpc: { subnets: s.subnets, securityGroups: s.securityGroups },
            output: { path: s.outputPath, kmsKeyId: s.outputKmsKeyId },
            resources: { instanceType: s.instanceType, instanceCount: s.instanceCount, volumeKmsKeyId: s.volumeKmsKeyId },
            maxRuntimeInSeconds: s.maxRuntimeInSeconds,
            hyperparameters: s.hyperparameters,
          },
        },
        resolvedDependencies: [
          { name: 'image', uri: s.imageUri, ...(imageDigest ? { digest: { sha256: imageDigest } } : {}) },
          ...p.inputs.map((i) => ({
            name: `input/${i.channelName}`,
            uri: i.uri,
            digest: { sha256: i.sha256 },
            annotations: { channel: i.channelName, measured: i.measured, ...(i.versionId !== undefined ? { versionId: i.versionId } : {}) },
          })),
        ],
      },
      runDetails: {
        builder: { id: p.builderId },
        metadata: {
          invocationId: p.executionArn,
          ...(p.startedOn ? { startedOn: p.startedOn } : {}),
          ...(p.finishedOn ? { finishedOn: p.finishedOn } : {}),
        },
        byproducts: [
          { name: 'training-job', uri: p.trainingJobArn },
          { name: 'training-output', uri: p.trainingOutput.uri, digest: { sha256: p.trainingOutput.sha256 }, annotations: versionOf(p.trainingOutput) },
          { name: 'registered-artifact', uri: p.artifact.uri, digest: { sha256: p.artifact.sha256 }, annotations: versionOf(p.artifact) },
        ],
      },
    },
  }, undefined, 2);
}

/** Reads a provenance statement back. Throws a `StatementError` naming the field that is missing or wrong. */
export function parseTrainingProvenance(payload: Buffer): TrainingProvenance {
  const statement = parseStatement(payload);
  if (statement.predicateType !== SLSA_PROVENANCE_PREDICATE_TYPE) {
    throw new StatementError(`its predicateType is ${JSON.stringify(statement.predicateType)}, not ${SLSA_PROVENANCE_PREDICATE_TYPE}`);
  }
  const read = reader(statement.predicate);
  if (read.text('buildDefinition.buildType') !== TRAINING_BUILD_TYPE) {
    throw new StatementError(`its buildType is not ${TRAINING_BUILD_TYPE}`);
  }
  const job = reader(read.value('buildDefinition.externalParameters.trainingJob'));
  const dependencies = read.list('buildDefinition.resolvedDependencies').map(reader);
  const image = dependencies.find((d) => d.text('name') === 'image');
  const byproducts = read.list('runDetails.byproducts').map(reader);
  const byproduct = (name: string) => {
    const found = byproducts.find((b) => b.text('name') === name);
    if (!found) throw new StatementError(`runDetails.byproducts has no ${name}`);
    return found;
  };
  const object = (r: Reader): ProvenanceObject => ({ uri: r.text('uri'), sha256: r.text('digest.sha256'), versionId: r.optionalText('annotations.versionId') });
  const imageDigest = image?.optionalText('digest.sha256');
  return {
    artifact: object(byproduct('registered-artifact')),
    trainingOutput: object(byproduct('training-output')),
    builderId: read.text('runDetails.builder.id'),
    executionArn: read.text('runDetails.metadata.invocationId'),
    trainingJobArn: byproduct('training-job').text('uri'),
    startedOn: read.optionalText('runDetails.metadata.startedOn'),
    finishedOn: read.optionalText('runDetails.metadata.finishedOn'),
    settings: {
      roleArn: job.text('roleArn'),
      imageUri: job.text('image'),
      imageDigest: imageDigest ? `sha256:${imageDigest}` : undefined,
      networkIsolation: job.value('networkIsolation') === true,
      interContainerEncryption: job.value('interContainerEncryption') === true,
      subnets: job.list('vpc.subnets').map(String),
      securityGroups: job.list('vpc.securityGroups').map(String),
      outputPath: job.text('output.path'),
      outputKmsKeyId: job.optionalText('output.kmsKeyId'),
      volumeKmsKeyId: job.optionalText('resources.volumeKmsKeyId'),
      instanceType: job.text('resources.instanceType'),
      instanceCount: Number(job.value('resources.instanceCount')),
      maxRuntimeInSeconds: Number(job.value('maxRuntimeInSeconds')),
      hyperparameters: (job.value('hyperparameters') ?? {}) as Record<string, string>,
    },
    inputs: dependencies.filter((d) => d.text('name').startsWith('input/')).map((d) => ({
      channelName: d.text('annotations.channel'),
      uri: d.text('uri'),
      sha256: d.text('digest.sha256'),
      versionId: d.optionalText('annotations.versionId'),
      measured: d.value('annotations.measured') === true,
    })),
  };
}

function basename(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

function versionOf(o: ProvenanceObject): Record<string, string> {
  return o.versionId !== undefined ? { versionId: o.versionId } : {};
}

interface Reader {
  value(path: string): unknown;
  text(path: string): string;
  optionalText(path: string): string | undefined;
  list(path: string): unknown[];
}

/** Reads dotted paths of a JSON value; a missing required field is a `StatementError` naming it. */
function reader(root: unknown): Reader {
  const value = (p: string) => p.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), root);
  return {
    value,
    text(p) {
      const v = value(p);
      if (typeof v !== 'string' || v.length === 0) throw new StatementError(`its ${p} is missing or not text`);
      return v;
    },
    optionalText(p) {
      const v = value(p);
      return typeof v === 'string' && v.length > 0 ? v : undefined;
    },
    list(p) {
      const v = value(p);
      if (!Array.isArray(v)) throw new StatementError(`its ${p} is missing or not a list`);
      return v;
    },
  };
}
