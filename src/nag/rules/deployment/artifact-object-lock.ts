import { Answer, combine, expectProperty, isOneOf, isTrue, judge, NOT_APPLICABLE, Verdict, was } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, ResourceReference, UnknownValue, unknownOf, Value } from '../../engine/values';
import { isAiResource } from '../../knowledge/ai-assets';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/**
 * Property paths at which an AI resource names a model artifact or evaluation evidence: model data and artifact URIs
 * (SageMaker models, model packages, inference components, AgentCore code), model metrics and drift baselines, model
 * card evaluation details, and pipeline definitions (whose steps write the trained artifacts).
 */
const ARTIFACT_PATH = /ModelDataUrl|ModelDataSource|ArtifactUrl|AgentRuntimeArtifact|ModelArtifacts|ModelMetrics|DriftCheckBaselines|EvaluationDetails|PipelineDefinition|InferenceSpecification|SourceAlgorithmSpecification/;

/** The tag that marks a store of artifacts or evidence that nothing in the app references (a registry's store). */
const ARTIFACTS_TAG = 'ai:artifacts';

/** Why a bucket holds AI artifacts or evaluation evidence, if it does. */
function artifactReason(index: ResourceIndex, bucket: IndexedResource): string | undefined {
  const ref = index.referencesTo(bucket).find((r) => isAiResource(r.source) && ARTIFACT_PATH.test(r.path));
  if (ref) return `${ref.source.type} ${ref.source.logicalId} reads or writes artifacts in it (${ref.path})`;
  // Not ai:asset=true: that tag marks every AI store (data, captures), and only artifacts and evidence must be immutable.
  return bucket.hasTag(ARTIFACTS_TAG, 'true') ? `it is tagged ${ARTIFACTS_TAG}=true` : undefined;
}

/** A retention period: `Days` or `Years`, a positive whole number. */
function hasPeriod(retention: Value): Answer {
  const unknown = unknownOf(retention);
  if (unknown) return unknown;
  if (!isPlainObject(retention)) return false;
  const positive = (v: Value): Answer => {
    const u = unknownOf(v) ?? (v instanceof ResourceReference ? new UnknownValue('a period read from another resource') : undefined);
    if (u) return u;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    return typeof n === 'number' && Number.isInteger(n) && n > 0;
  };
  const days = retention.Days === undefined ? false : positive(retention.Days);
  const years = retention.Years === undefined ? false : positive(retention.Years);
  if (days === true || years === true) return true;
  return days instanceof UnknownValue ? days : years instanceof UnknownValue ? years : false;
}

const isMode = isOneOf('COMPLIANCE', 'GOVERNANCE');

/** A default retention with a mode and a period. */
function isRetention(retention: Value): Answer {
  if (!isPlainObject(retention)) return unknownOf(retention) ?? false;
  const mode = isMode(retention.Mode);
  if (mode !== true) return mode;
  return hasPeriod(retention);
}

function retentionProblem(retention: Value): string {
  if (!isPlainObject(retention)) return was(retention);
  if (isMode(retention.Mode) !== true) return `has Mode ${describe(retention.Mode)}, not COMPLIANCE or GOVERNANCE`;
  return 'has no positive Days or Years';
}

export const artifactObjectLock: RuleDefinition = {
  title: 'Buckets of model artifacts and evaluation evidence have Object Lock with a default retention',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Identify, track and protect your assets',
  quote: 'can restore to a known good state in the event of compromise',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::S3::Bucket'],
  compliantWhen: 'for buckets that an AI resource names at an artifact or evidence path (ModelDataUrl, ModelDataSource, ArtifactUrl, '
    + 'AgentRuntimeArtifact, ModelMetrics, DriftCheckBaselines, model card EvaluationDetails, pipeline definitions) or that are tagged '
    + '`ai:artifacts=true`: `ObjectLockEnabled: true` and `ObjectLockConfiguration.Rule.DefaultRetention` with `Mode` `COMPLIANCE` or '
    + '`GOVERNANCE` and a positive `Days` or `Years`. Other buckets (training data, data capture, knowledge-base sources, even when tagged `ai:asset=true`) are not applicable',
  explanation: 'A model artifact or evaluation report that can be overwritten or deleted can be swapped for a poisoned one, '
    + 'or its evidence erased, by anyone with write access. Object Lock with a default retention keeps every version '
    + 'immutable for the period, so a known good model and the evidence it was released on survive a compromise.',
  fix: 'Create the bucket with objectLockEnabled: true and objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(N)) '
    + '(or governance), which renders ObjectLockEnabled and ObjectLockConfiguration.Rule.DefaultRetention. Object Lock can be '
    + 'enabled on existing buckets too.',
  peers: 'NAG NIST.800.53.R4-S3BucketDefaultLockEnabled; CT.S3.PR.9; GRR S3_BUCKET_DEFAULT_LOCK_ENABLED; CFG s3-bucket-default-lock-enabled; SH S3.15 (all unscoped)',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    const why = artifactReason(context.index, resource);
    if (!why) return NOT_APPLICABLE;
    const lockBranches = resource.get('ObjectLockEnabled');
    const configBranches = resource.get('ObjectLockConfiguration.ObjectLockEnabled');
    // CDK renders ObjectLockEnabled: true; an ObjectLockConfiguration.ObjectLockEnabled "Enabled" alone also turns it on.
    const enabled = lockBranches.every((b) => b.value === undefined) && configBranches.some((b) => b.value !== undefined)
      ? expectProperty(resource, 'ObjectLockConfiguration.ObjectLockEnabled', isOneOf('Enabled'),
        (v) => `ObjectLockConfiguration.ObjectLockEnabled ${was(v)}`)
      : judge(lockBranches, 'Properties.ObjectLockEnabled', isTrue,
        (v) => `ObjectLockEnabled ${was(v)}${v === undefined ? ' (CloudFormation default false)' : ''}`, 'ObjectLockEnabled');
    const result = combine(enabled, expectProperty(resource, 'ObjectLockConfiguration.Rule.DefaultRetention', isRetention,
      (v) => `ObjectLockConfiguration.Rule.DefaultRetention ${retentionProblem(v)}`));
    if (result.verdict === Verdict.NON_COMPLIANT || result.verdict === Verdict.UNVERIFIABLE) {
      return {
        ...result,
        message: `${result.message}: the bucket holds model artifacts or evaluation evidence (${why}), which can then be `
        + 'overwritten or deleted instead of staying immutable for a retention period',
      };
    }
    return result;
  },
};
