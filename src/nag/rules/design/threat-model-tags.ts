import { COMPLIANT, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable } from '../../engine/checks';
import { addToList } from '../../engine/lists';
import { IndexedResource, IndexedStack, ResourceIndex } from '../../engine/resource-index';
import { describe, UnknownValue, Value } from '../../engine/values';
import { isBlank, TagFinder, tagFinder, TagKeyAliases, THREAT_MODEL_TAG_KEYS } from '../../knowledge/tag-conventions';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const CRITICALITY = THREAT_MODEL_TAG_KEYS[2];
const CRITICALITY_VALUES = ['critical', 'high', 'medium', 'low'];

/**
 * The AI resource types (aws-cdk-lib 2.276.0) that carry `Tags`, so that stack tags render into them. Types without
 * tags (`AWS::Bedrock::GuardrailVersion`, `AWS::Bedrock::DataSource`, `AWS::BedrockAgentCore::GatewayTarget`, ...)
 * cannot show the stack's tags in a template and are left out.
 */
const TAGGABLE_AI_TYPES = [
  ...['AIWorkloadConfig', 'Action', 'Algorithm', 'App', 'AppImageConfig', 'Artifact', 'Cluster', 'ClusterSchedulerConfig',
    'CodeRepository', 'ComputeQuota', 'Context', 'DataQualityJobDefinition', 'Device', 'DeviceFleet', 'Domain', 'Endpoint',
    'EndpointConfig', 'Experiment', 'ExperimentTrialComponent', 'FeatureGroup', 'Hub', 'HumanTaskUi', 'Image', 'InferenceComponent',
    'InferenceExperiment', 'MlflowApp', 'MlflowTrackingServer', 'Model', 'ModelBiasJobDefinition', 'ModelCard',
    'ModelExplainabilityJobDefinition', 'ModelPackage', 'ModelPackageGroup', 'ModelQualityJobDefinition', 'MonitoringSchedule',
    'NotebookInstance', 'NotebookInstanceLifecycleConfig', 'PartnerApp', 'Pipeline', 'ProcessingJob', 'Project', 'Space',
    'StudioLifecycleConfig', 'TrialComponent', 'UserProfile', 'Workforce', 'Workteam'].map((t) => `AWS::SageMaker::${t}`),
  ...['Agent', 'AgentAlias', 'ApplicationInferenceProfile', 'AutomatedReasoningPolicy', 'AutomatedReasoningPolicyVersion', 'Blueprint',
    'DataAutomationLibrary', 'DataAutomationProject', 'Flow', 'FlowAlias', 'Guardrail', 'IntelligentPromptRouter', 'KnowledgeBase',
    'Prompt', 'PromptVersion', 'RetrievalInstruction', 'Session'].map((t) => `AWS::Bedrock::${t}`),
  ...['ApiKeyCredentialProvider', 'BrowserCustom', 'BrowserProfile', 'CapacityProvider', 'CodeInterpreterCustom', 'ConfigurationBundle',
    'ConsentPortal', 'Dataset', 'Evaluator', 'Gateway', 'Harness', 'HarnessEndpoint', 'Memory', 'OAuth2CredentialProvider',
    'OnlineEvaluationConfig', 'PaymentCredentialProvider', 'PaymentManager', 'PolicyEngine', 'Runtime', 'RuntimeEndpoint',
    'WorkloadIdentity'].map((t) => `AWS::BedrockAgentCore::${t}`),
];
const TAGGABLE = new Set(TAGGABLE_AI_TYPES);

/** The verdict of a stack, given to the first AI resource of the stack; found once per stack and run. */
interface StackVerdict {
  readonly first: IndexedResource;
  readonly result: RuleResult;
}

function verdictOf(index: ResourceIndex, stack: IndexedStack, aliases: TagKeyAliases): StackVerdict | undefined {
  return index.memoPer(verdictOf, stack, () => {
    const resources = index.createdResourcesOf(stack).filter((r) => TAGGABLE.has(r.type));
    return resources.length === 0 ? undefined : { first: resources[0], result: judgeStack(resources, tagFinder(index, aliases)) };
  });
}

/** What is wrong with one form of a resource's tags, and what cannot be read. */
function problemsOf(tags: ReadonlyMap<string, Value> | UnknownValue, find: TagFinder): { problems: string[]; open: string[] } {
  if (tags instanceof UnknownValue) return { problems: [], open: [`its Tags cannot be read (${tags.reason})`] };
  const problems: string[] = [];
  const open: string[] = [];
  for (const key of THREAT_MODEL_TAG_KEYS) {
    const found = find(tags, key);
    const value = found?.value;
    if (isBlank(found)) {
      problems.push(`${key} is absent`);
    } else if (typeof value !== 'string') {
      open.push(`${found!.key} is ${describe(value)}`);
    } else if (key === CRITICALITY && !CRITICALITY_VALUES.includes(value.trim().toLowerCase())) {
      problems.push(`${found!.key} is "${value}", not one of ${CRITICALITY_VALUES.join(', ')}`);
    }
  }
  return { problems, open };
}

function judgeStack(resources: readonly IndexedResource[], find: TagFinder): RuleResult {
  const failing = new Map<string, string[]>();
  const open = new Map<string, string[]>();
  for (const resource of resources) {
    const problems = new Set<string>();
    const unknown = new Set<string>();
    for (const form of resource.tags()) {
      const found = problemsOf(form, find);
      found.problems.forEach((p) => problems.add(p));
      found.open.forEach((p) => unknown.add(p));
    }
    if (problems.size > 0) addToList(failing, [...problems].join(', '), resource.logicalId);
    else if (unknown.size > 0) addToList(open, [...unknown].join(', '), resource.logicalId);
  }
  const list = (map: Map<string, string[]>) => [...map].map(([text, ids]) => `${text} on ${names(ids)}`).join('; ');
  if (failing.size > 0) {
    return nonCompliant(`the stack's AI resources do not point to a threat model: ${list(failing)}. Nothing records where the `
      + 'assessment of AI-specific threats and its decisions are documented, who owns the risk, or how critical the system is', 'Properties.Tags');
  }
  if (open.size > 0) return unverifiable(`the threat-model tags of the stack's AI resources cannot be verified at synth time: ${list(open)}`, 'Properties.Tags');
  return COMPLIANT;
}

function names(ids: readonly string[]): string {
  return ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', ');
}

export const threatModelTags: RuleDefinition = {
  title: 'Stacks with AI resources point to their threat model, risk owner and criticality',
  section: GuidelineSection.DESIGN,
  guideline: 'Model the threats to your system',
  quote: 'documenting your decision making',
  level: RuleLevel.WARNING,
  resourceTypes: TAGGABLE_AI_TYPES,
  compliantWhen: 'judged once per stack, on its first taggable SageMaker, Bedrock or AgentCore resource (the finding names every '
    + 'resource concerned; acknowledge it on the stack): every taggable AI resource of the stack carries, through the stack\'s tags or '
    + 'its own `Tags` (list or map form), a non-empty `ai:threat-model` (where the threat model is documented), a non-empty '
    + '`ai:risk-owner`, and `ai:criticality` ∈ {critical, high, medium, low} (any case); each under that key or a common convention '
    + '(`threat-model`; `risk-owner`, `owner`, `team`; `criticality`, `business-criticality`; compared without regard to case, '
    + 'separators or a platform prefix such as `acme:`) or a key named for it in `tagKeyAliases`. Tag values known only at deploy time are unverifiable',
  explanation: 'The guideline asks for a holistic assessment of AI-specific threats and for documenting the decisions taken, and '
    + 'says that AI cyber security risks should be treated as critical where compromise could cause serious harm. A template cannot '
    + 'hold the threat model, but every deployed AI resource can point to it, name who owns the risk, and state how critical it is, so '
    + 'that reviewers and responders find the assessment and the decisions behind the configuration.',
  fix: 'Tag the stack: Tags.of(stack).add(\'ai:threat-model\', \'<link to the reviewed threat model>\'), '
    + 'Tags.of(stack).add(\'ai:risk-owner\', \'<named owner>\'), Tags.of(stack).add(\'ai:criticality\', \'high\') '
    + '(or pass them in the Stack\'s tags prop).',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    const verdict = verdictOf(context.index, resource.stack, context.parameters.tagKeyAliases);
    return verdict && verdict.first === resource ? verdict.result : NOT_APPLICABLE;
  },
};
