import { COMPLIANT, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable } from '../../engine/checks';
import { IndexedResource, IndexedStack, ResourceIndex } from '../../engine/resource-index';
import { describe, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiAssetReason, isAiAsset } from '../../knowledge/ai-assets';
import { isBlank, TagFinder, tagFinder, TagKeyAliases } from '../../knowledge/tag-conventions';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'];
const CLASSIFICATION_KEY = 'DataClassification';

/** Judges one form of a resource's tags. */
function judgeTags(
  tags: ReadonlyMap<string, Value> | UnknownValue, required: readonly string[], find: TagFinder,
): { missing: string[]; bad: string[]; open?: string } {
  if (tags instanceof UnknownValue) return { missing: [], bad: [], open: `the tags cannot be read at synth time (${tags.reason})` };
  const missing: string[] = [];
  const bad: string[] = [];
  let open: string | undefined;
  for (const key of required) {
    const found = find(tags, key);
    if (isBlank(found)) {
      missing.push(key);
      continue;
    }
    const unknown = unknownOf(found!.value);
    if (unknown) open = open ?? `tag ${found!.key} is not known at synth time (${unknown.reason})`;
  }
  const classification = find(tags, CLASSIFICATION_KEY);
  if (classification && !isBlank(classification)) {
    const value = classification.value;
    if (typeof value === 'string') {
      if (!CLASSIFICATIONS.includes(value.trim().toLowerCase())) bad.push(`${classification.key} is ${describe(value)}, not one of ${CLASSIFICATIONS.join(', ')}`);
    } else {
      open = open ?? `tag ${classification.key} is ${describe(value)}`;
    }
  }
  return { missing, bad, open };
}

/** The AI resource types that carry classification tags; buckets are judged when they hold AI assets. */
const AI_ASSET_TYPES = [
  'AWS::SageMaker::Model', 'AWS::SageMaker::EndpointConfig', 'AWS::SageMaker::Endpoint', 'AWS::SageMaker::ModelPackageGroup',
  'AWS::SageMaker::FeatureGroup', 'AWS::SageMaker::Domain', 'AWS::SageMaker::ModelCard',
  'AWS::Bedrock::Agent', 'AWS::Bedrock::KnowledgeBase', 'AWS::Bedrock::Guardrail', 'AWS::Bedrock::Prompt', 'AWS::Bedrock::Flow',
  'AWS::BedrockAgentCore::Runtime', 'AWS::BedrockAgentCore::Gateway', 'AWS::BedrockAgentCore::Memory',
];
const AI_ASSETS = new Set(AI_ASSET_TYPES);

/** What one asset's tags lack (`problems`), or what of them cannot be read (`open`); neither when it is tagged. */
interface AssetJudgement {
  readonly resource: IndexedResource;
  readonly problems?: string;
  readonly open?: string;
}

function judgeAsset(resource: IndexedResource, required: readonly string[], find: TagFinder): AssetJudgement {
  const tags = resource.tags();
  // Most resources have one form of tags: its lists are used as they are.
  const forms = tags.length === 1 ? [judgeTags(tags[0], required, find)] : tags.map((t) => judgeTags(t, required, find));
  const missing = forms.length === 1 ? forms[0].missing : [...new Set(forms.flatMap((f) => f.missing))];
  const problems = forms.length === 1 ? forms[0].bad : [...new Set(forms.flatMap((f) => f.bad))];
  if (missing.length > 0) problems.unshift(`no ${missing.join(', ')} tag${missing.length > 1 ? 's' : ''} (under any common or configured key)`);
  if (problems.length > 0) return { resource, problems: problems.join('; ') };
  return { resource, open: forms.find((f) => f.open)?.open };
}

/** How a finding names the asset: `the AI resource`, or the bucket and why it holds AI assets. */
function scopeOf(index: ResourceIndex, asset: AssetJudgement): string {
  return asset.resource.type === 'AWS::S3::Bucket' ? `the bucket (${aiAssetReason(index, asset.resource)})` : 'the AI resource';
}

const CONSEQUENCE = 'without a classification, owner and environment the value and sensitivity of the AI asset are not recorded, so '
  + 'access, retention and incident response cannot be matched to it';

/**
 * One finding for all the assets of a stack that fail alike (or cannot be read), on the first of them: the fix is
 * one set of stack tags, so a finding per asset would repeat it. The others are covered by that finding.
 */
function stackResult(index: ResourceIndex, failing: readonly AssetJudgement[], kind: 'problems' | 'open'): RuleResult {
  const only = failing.length === 1 ? failing[0] : undefined;
  if (kind === 'problems') {
    const message = only
      ? `${scopeOf(index, only)} has ${only.problems}: ${CONSEQUENCE}`
      : `${failing.length} AI assets of the stack are not tagged: ${failing.map((a) => `${a.resource.logicalId} has ${a.problems}`).join('; ')}: ${CONSEQUENCE}`;
    return nonCompliant(message, 'Properties.Tags');
  }
  return unverifiable(only ? `${scopeOf(index, only)}: ${only.open}` : failing.map((a) => `${a.resource.logicalId}: ${a.open}`).join('; '), 'Properties.Tags');
}

/**
 * Each asset's result in a stack: compliant, the stack's finding on the first failing (or unreadable) asset, or
 * covered by it. Found once per stack and run.
 */
function resultsFor(index: ResourceIndex, stack: IndexedStack, required: readonly string[], aliases: TagKeyAliases)
  : Map<IndexedResource, RuleResult> {
  return index.memoPer(resultsFor, stack, () => {
    const find = tagFinder(index, aliases);
    const assets = index.createdResourcesOf(stack)
      .filter((r) => (r.type === 'AWS::S3::Bucket' ? isAiAsset(index, r) : AI_ASSETS.has(r.type)))
      .map((r) => judgeAsset(r, required, find));
    const results = new Map<IndexedResource, RuleResult>();
    for (const kind of ['problems', 'open'] as const) {
      const failing = assets.filter((a) => a[kind] !== undefined);
      if (failing.length > 0) results.set(failing[0].resource, stackResult(index, failing, kind));
      failing.slice(1).forEach((a) => results.set(a.resource, NOT_APPLICABLE));
    }
    assets.filter((a) => !results.has(a.resource)).forEach((a) => results.set(a.resource, COMPLIANT));
    return results;
  });
}

export const aiAssetClassificationTags: RuleDefinition = {
  title: 'AI assets carry data classification, owner and environment tags',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Identify, track and protect your assets',
  quote: 'You understand the value to your organisation of your AI-related assets',
  level: RuleLevel.WARNING,
  resourceTypes: [...AI_ASSET_TYPES, 'AWS::S3::Bucket'],
  compliantWhen: 'every SageMaker Model, EndpointConfig, Endpoint, ModelPackageGroup, FeatureGroup, Domain and ModelCard, Bedrock Agent, '
    + 'KnowledgeBase, Guardrail, Prompt and Flow, AgentCore Runtime, Gateway and Memory, and every AI-asset bucket carries each tag of '
    + '`requiredTagKeys` (default `DataClassification`, `Owner`, `Environment`) under that key or a common convention for it '
    + '(`data-classification`, `classification`, `sensitivity`; `owner-team`, `team`; `env`, `stage`; compared without regard to case, '
    + 'separators or a platform prefix such as `acme:`) or a key named for it in `tagKeyAliases`, in list- or map-form `Tags` or through stack tags, with a non-empty value; `DataClassification` is one of public, internal, '
    + 'confidential, restricted (any case). A tag value chosen at deploy time is unverifiable. Buckets that hold no AI assets are not applicable. '
    + 'The assets of a stack that fail are reported in one finding on the first of them (in the app\'s construct order) naming each, '
    + 'and likewise those that cannot be verified: acknowledge it there or on the stack',
  explanation: 'Models, prompts, knowledge bases and the data behind them differ widely in value and sensitivity. A classification, an '
    + 'owner and an environment on each asset are how access policies, retention, monitoring and incident response are matched to that value; '
    + 'an untagged asset is one nobody is accountable for.',
  fix: 'Tag the stack (Tags.of(stack).add(\'DataClassification\', \'confidential\'), Owner, Environment) or each AI resource; Bedrock agents, '
    + 'knowledge bases, prompts and flows take map-form tags (tags: { DataClassification: \'confidential\' }).',
  peers: 'CP aiml-bedrock-*-tags (Environment, DataClassification, OwnerTeam); CFG sagemaker-domain-tagged, sagemaker-feature-group-tagged',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource, context) {
    const { requiredTagKeys, tagKeyAliases } = context.parameters;
    return resultsFor(context.index, resource.stack, requiredTagKeys, tagKeyAliases).get(resource) ?? NOT_APPLICABLE;
  },
};
