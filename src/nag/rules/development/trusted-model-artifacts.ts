import { combine, COMPLIANT, isSet, isTrue, Judgement, nonCompliant, NOT_KNOWN, RuleResult, unverifiable } from '../../engine/checks';
import { ASSET_BUCKET, bucketOfLocation } from '../../engine/readers/s3-locations';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, Expression, isPlainObject, ResourceReference, UnknownValue, unknownOf, Value } from '../../engine/values';
import { containersOf, judgeContainerForm } from '../../knowledge/model-containers';
import { environmentEntries } from '../../knowledge/secret-literals';
import { isStackAccount, OWN_ACCOUNT, textOf, UNKNOWN_PART } from '../../knowledge/stack-account';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** Judges the bucket an S3 location (`ModelDataUrl`, `S3Uri`, `ArtifactUrl`) names. */
function artifactSource(index: ResourceIndex, resource: IndexedResource, value: Value, allowed: readonly string[]): Judgement {
  if (value instanceof UnknownValue) return { answer: NOT_KNOWN, detail: `it is ${describe(value)}` };
  const refs = value instanceof ResourceReference ? [value] : value instanceof Expression ? value.references : [];
  for (const ref of refs) {
    const target = index.resolve(ref);
    if (target?.type === 'AWS::S3::Bucket') return { answer: true, detail: `bucket ${target.logicalId} of the app` };
  }
  const text = textOf(value);
  const bucket = text === undefined ? undefined : bucketOfLocation(text);
  if (bucket === undefined) {
    if (refs.length > 0 || text === undefined) return { answer: NOT_KNOWN, detail: `it is ${describe(value)}, read from another resource` };
    return { answer: false, detail: `it is ${describe(value)}, not an S3 location of the app` };
  }
  const asset = ASSET_BUCKET.exec(bucket);
  if (asset && isStackAccount(resource, asset[1]) !== false) return { answer: true, detail: 'a file asset of the app' };
  if (bucket.includes(UNKNOWN_PART) || bucket.includes(OWN_ACCOUNT)) return { answer: NOT_KNOWN, detail: `the bucket of ${describe(value)} is not known at synth time` };
  const inApp = index.resolveAs('AWS::S3::Bucket', bucket);
  if (inApp) return { answer: true, detail: `bucket ${inApp.logicalId} of the app` };
  if (allowed.includes(bucket)) return { answer: true, detail: `allow-listed bucket ${bucket}` };
  return { answer: false, detail: `it names bucket "${bucket}", which is neither a bucket of the app nor in allowedArtifactBuckets` };
}

const TRUST_REMOTE_CODE_NAME = /trust[_-]?remote[_-]?code/i;
const TRUST_REMOTE_CODE_TEXT = /--trust[_-]remote[_-]code\b|trust_remote_code\s*=\s*true/i;
/** Variables that tell the Hugging Face and DJL serving containers which model to load. */
const MODEL_ID_NAME = /^(?:HF_MODEL_ID|OPTION_MODEL_ID)$/i;
const HUB_MODEL_ID = /^[\w.-]+\/[\w.-]+$/;

/** Problems in one container's environment: remote code trusted, weights pulled from a public hub, an S3 model of an untrusted bucket. */
function judgeEnvironment(
  index: ResourceIndex, resource: IndexedResource, environment: Value, property: string, note: string, allowed: readonly string[],
): RuleResult[] {
  const entries = environmentEntries(environment);
  const location = `Properties.${property}.Environment`;
  if (entries instanceof UnknownValue) {
    return [unverifiable(`${property}.Environment cannot be read at synth time (${entries.reason}): whether the container trusts remote model code cannot be checked`, location)];
  }
  const results: RuleResult[] = [];
  for (const [name, value] of entries) {
    if (TRUST_REMOTE_CODE_NAME.test(name)) {
      const answer = isTrue(value);
      if (answer === true) {
        results.push(nonCompliant(`${property}.Environment.${name} is ${describe(value)}${note}: the serving container executes Python code `
          + 'shipped with the model repository, so the weights\' source can run arbitrary code with the model\'s role', location));
      } else if (answer instanceof UnknownValue) {
        results.push(unverifiable(`${property}.Environment.${name} cannot be verified at synth time: ${answer.reason}`, location));
      }
    } else if (typeof value === 'string' && TRUST_REMOTE_CODE_TEXT.test(value)) {
      results.push(nonCompliant(`${property}.Environment.${name} passes trust_remote_code${note}: the serving container executes code shipped with the model`, location));
    }
    if (MODEL_ID_NAME.test(name)) {
      const text = textOf(value);
      if (typeof value === 'string' && HUB_MODEL_ID.test(value)) {
        results.push(nonCompliant(`${property}.Environment.${name} is ${describe(value)}${note}: the container downloads the weights from the `
          + 'Hugging Face Hub when it starts, from a source that is neither verified nor pinned, instead of from a bucket you control', location));
      } else if (text !== undefined && bucketOfLocation(text) !== undefined) {
        const source = artifactSource(index, resource, value, allowed);
        if (source.answer === false) results.push(nonCompliant(`${property}.Environment.${name} ${source.detail}${note}`, location));
        if (source.answer instanceof UnknownValue) results.push(unverifiable(`${property}.Environment.${name} cannot be verified at synth time: ${source.detail}`, location));
      }
    }
  }
  return results;
}

/** Judges the model artifacts of one container form. */
function judgeContainer(
  index: ResourceIndex, resource: IndexedResource, container: Record<string, Value>, location: string, note: string, allowed: readonly string[],
): RuleResult {
  const property = location.replace(/^Properties\./, '');
  const results: RuleResult[] = [];
  const judgeUri = (value: Value, path: string): void => {
    if (value === undefined) return;
    const source = artifactSource(index, resource, value, allowed);
    if (source.answer === false) {
      results.push(nonCompliant(`${property}.${path} ${source.detail}${note}: serialised model weights from a source you do not control `
        + 'are untrusted code that the container loads and may execute', `${location}.${path}`));
    } else if (source.answer instanceof UnknownValue) {
      results.push(unverifiable(`${property}.${path} cannot be verified at synth time: ${source.detail}`, `${location}.${path}`));
    }
  };
  judgeUri(container.ModelDataUrl, 'ModelDataUrl');
  judgeUri(container.ArtifactUrl, 'ArtifactUrl');

  const source = isPlainObject(container.ModelDataSource) ? container.ModelDataSource.S3DataSource : container.ModelDataSource;
  if (source instanceof UnknownValue) {
    results.push(unverifiable(`${property}.ModelDataSource cannot be read at synth time (${source.reason})`, `${location}.ModelDataSource`));
  } else if (isPlainObject(source)) {
    const hub = isPlainObject(source.HubAccessConfig) ? source.HubAccessConfig.HubContentArn : unknownOf(source.HubAccessConfig);
    const curated = isSet(hub);
    const eula = isPlainObject(source.ModelAccessConfig) ? isTrue(source.ModelAccessConfig.AcceptEula) : unknownOf(source.ModelAccessConfig) ?? false;
    if (curated !== true) {
      if (eula === true) {
        results.push(nonCompliant(`${property}.ModelDataSource.S3DataSource.ModelAccessConfig.AcceptEula is true without `
          + `HubAccessConfig.HubContentArn${note}: the licence of a gated model is accepted for weights that do not come from curated hub content`,
        `${location}.ModelDataSource.S3DataSource.ModelAccessConfig.AcceptEula`));
      } else if (eula instanceof UnknownValue) {
        results.push(unverifiable(`${property}.ModelDataSource.S3DataSource.ModelAccessConfig.AcceptEula cannot be verified at synth time: ${eula.reason}`,
          `${location}.ModelDataSource`));
      }
      judgeUri(source.S3Uri, 'ModelDataSource.S3DataSource.S3Uri');
    }
  }
  results.push(...judgeEnvironment(index, resource, container.Environment, property, note, allowed));
  return combine(COMPLIANT, ...results);
}

export const trustedModelArtifacts: RuleDefinition = {
  title: 'Model weights come from buckets of the app or allow-listed buckets, and no container trusts remote model code',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'serialised weights, which should be treated as untrusted third-party code',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::Model', 'AWS::SageMaker::InferenceComponent', 'AWS::SageMaker::ModelPackage'],
  compliantWhen: 'every model artifact location (`ModelDataUrl`, `ModelDataSource.S3DataSource.S3Uri` of each container, an inference '
    + 'component\'s `Specification.Container.ArtifactUrl`, a model package\'s `InferenceSpecification.Containers[]`, and an S3 `HF_MODEL_ID`/'
    + '`OPTION_MODEL_ID`) names a bucket of the app, a CDK file asset, or a bucket in `allowedArtifactBuckets` (a bucket named by text that '
    + 'is neither is non-compliant; one read from an import is unverifiable); `ModelAccessConfig.AcceptEula: true` only together with '
    + '`HubAccessConfig.HubContentArn` (curated hub content, whose source is then trusted); no container environment trusts remote code '
    + '(`HF_TRUST_REMOTE_CODE`/`TRUST_REMOTE_CODE`/`OPTION_TRUST_REMOTE_CODE` true, or `--trust-remote-code` in a value) or loads its weights '
    + 'from the Hugging Face Hub at start-up (`HF_MODEL_ID`/`OPTION_MODEL_ID` set to an `org/model` hub ID)',
  explanation: 'Serialised weights are code: pickle-based formats execute on load, and trust_remote_code runs the Python that ships with a '
    + 'model repository. Weights fetched from a bucket you do not control, or from a public hub when the container starts, can be swapped for '
    + 'poisoned or malicious ones without any change to your template.',
  fix: 'Stage the weights in a bucket of the app (or add the vetted bucket to allowedArtifactBuckets) and point ModelDataUrl or '
    + 'ModelDataSource.S3DataSource.S3Uri at it; for gated JumpStart models set HubAccessConfig.HubContentArn; remove HF_TRUST_REMOTE_CODE '
    + 'and load models that need no remote code (or vendor the code into your own image); set HF_MODEL_ID to /opt/ml/model with the weights in ModelDataUrl.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    const allowed = context.parameters.allowedArtifactBuckets;
    const { containers, unreadable } = containersOf(resource);
    const results = containers.map((c) =>
      judgeContainerForm(c, (container, note) => judgeContainer(context.index, resource, container, c.location, note, allowed)));
    for (const u of unreadable) {
      results.push(unverifiable(`${u.location.replace(/^Properties\./, '')} cannot be read at synth time (${u.reason}): its model artifacts cannot be checked`, u.location));
    }
    return combine(...results);
  },
};
