import { expectProperty, isOneOf, NOT_APPLICABLE, was } from '../../engine/checks';
import { aiAssetReason, isAiAsset } from '../../knowledge/ai-assets';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const isEnabled = isOneOf('Enabled');

export const aiBucketVersioning: RuleDefinition = {
  title: 'Buckets of AI assets keep versions',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Identify, track and protect your assets',
  quote: 'can restore to a known good state in the event of compromise',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::S3::Bucket'],
  compliantWhen: 'for AI-asset buckets (referenced by a SageMaker, Bedrock or AgentCore resource: model artifacts, knowledge-base data '
    + 'sources, data capture, feature-store offline stores, monitoring outputs, pipeline artifacts; or tagged `ai:asset=true`): '
    + '`VersioningConfiguration.Status: Enabled` (absent means never versioned; `Suspended` fails). Other buckets are not applicable',
  explanation: 'Training data, knowledge-base documents and model artifacts are what poisoning attacks change. Without versioning an '
    + 'overwritten or deleted object is gone, so there is no known good state to compare with or restore to after a compromise.',
  fix: 'Create the bucket with versioned: true (s3.Bucket), which renders VersioningConfiguration.Status Enabled; add lifecycle rules for '
    + 'noncurrent versions so that old versions expire on a schedule you document.',
  peers: 'NAG NIST.800.53.R5-S3BucketVersioningEnabled; CKV_AWS_21; CT.S3.PR.11; GRR S3_BUCKET_VERSIONING_ENABLED; CFG s3-bucket-versioning-enabled (all unscoped)',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    if (!isAiAsset(context.index, resource)) return NOT_APPLICABLE;
    return expectProperty(resource, 'VersioningConfiguration.Status', isEnabled,
      (v) => `VersioningConfiguration.Status ${was(v)}${v === undefined ? ' (the bucket is not versioned)' : ''}: the bucket holds AI assets `
        + `(${aiAssetReason(context.index, resource)}), and an overwritten or deleted object cannot be restored to a known good version`);
  },
};
