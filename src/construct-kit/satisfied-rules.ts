/*
 * Which SecureAI rules each construct satisfies by default, as data: docs/CONSTRUCTS.md is rendered from it
 * (`npx projen docs:constructs`), and every compliance test (test/compliance.ts) checks each claim against the pack's
 * verdicts on the construct's own resources: a rule listed under `satisfies` must be judged compliant there at least
 * once and never non-compliant or unverifiable. Rules a construct only prepares the ground for, judged on resources
 * other constructs create, are listed under `supports` and are not claims. Internal: not exported from the library.
 */

/** One rule and what the construct does for it. */
export interface RuleClaim {
  /** The catalogue ID (`P11`). */
  readonly rule: string;
  /** What the construct does, in a few words. */
  readonly how: string;
}

/** What a construct does for the pack's rules when its props are left at their defaults. */
export interface ConstructRules {
  /** Where the construct is defined, relative to src/. */
  readonly file: string;
  /** Rules the pack judges compliant on the construct's own resources. */
  readonly satisfies: readonly RuleClaim[];
  /** Rules judged on resources other constructs create, for which this construct provides what they need. */
  readonly supports?: readonly RuleClaim[];
  /** What else a reader should know (a rule met by composing another construct beside it, say). */
  readonly note?: string;
}

/** Every construct that satisfies rules by default, by class name, in the order docs/CONSTRUCTS.md lists them. */
export const SATISFIED_RULES: { readonly [construct: string]: ConstructRules } = {
  AiEnvironment: {
    file: 'environment/ai-environment.ts',
    satisfies: [
      { rule: 'P16', how: 'its data, log and backup keys rotate, are not open to everyone and wait 30 days before deletion' },
      { rule: 'P20', how: 'its audit trail logs, is multi-Region, encrypted, validated and streamed to CloudWatch Logs' },
      { rule: 'P21', how: 'its audit trail records the data events of the AI buckets and resources' },
    ],
    supports: [
      { rule: 'P1', how: 'isolated subnets and workload security groups for notebooks' },
      { rule: 'P3', how: 'a VPC with interface endpoints for Studio domains' },
      { rule: 'P5', how: 'isolated subnets and security groups for models and endpoints' },
      { rule: 'P13', how: 'subnets and security groups for AgentCore runtimes' },
      { rule: 'P24', how: 'two Availability Zones in production, so endpoints can spread their instances' },
      { rule: 'V13', how: 'the Environment and Owner tags on everything in it' },
    ],
    note: 'Its permissions boundary (EnvironmentBoundary) enforces at run time what P1, P5, P8, P9, P11, P16 and P20 check at synth '
      + 'time. Its flow-log and trail log groups are encrypted with the log key and retained, as V14 asks of AI log groups.',
  },
  AiEnvironmentStage: {
    file: 'environment/ai-environment-stage.ts',
    satisfies: [],
    supports: [
      { rule: 'P1', how: 'the "appropriate segregation of environments holding sensitive code or data" at the account level' },
      { rule: 'P3', how: 'the same segregation for Studio domains' },
    ],
  },
  EnvironmentBoundary: {
    file: 'environment/environment-boundary.ts',
    satisfies: [],
    note: 'It enforces at run time, on every role of the environment\'s stack, what SecureAI-P1, P5, P8, P9, P11, P16 and P20 check '
      + 'at synth time; AiEnvironment applies it.',
  },
  WorkloadSecurityGroup: {
    file: 'environment/workload-security-group.ts',
    satisfies: [],
    supports: [
      { rule: 'P1', how: 'the security group for notebooks' },
      { rule: 'P3', how: 'the security group for Studio domains' },
      { rule: 'P5', how: 'the security group for models and endpoints' },
      { rule: 'P13', how: 'the security group for AgentCore runtimes' },
    ],
  },
  AuditTrail: {
    file: 'environment/audit-trail.ts',
    satisfies: [
      { rule: 'P20', how: 'logging, multi-Region, encrypted, with file validation, streamed to CloudWatch Logs' },
      { rule: 'P21', how: 'data events of the AI buckets and resources' },
    ],
  },
  SecureBucket: {
    file: 'storage/secure-bucket.ts',
    satisfies: [
      { rule: 'V6', how: 'versioning' },
      { rule: 'V7', how: 'a customer-managed key, public access blocked, TLS-only policy' },
      { rule: 'V13', how: 'the DataClassification tag, with the environment\'s Environment and Owner tags' },
    ],
    note: 'P19 holds when `objectLock` is given; P21 when the bucket is created with an environment whose trail records its data '
      + 'events. Overwritten versions expire (`noncurrentVersionExpirationDays`); V16 judges buckets of captured or tagged AI data '
      + '(`ai:data`, `ai:retention-days`), which need an expiry of the current versions too.',
  },
  EnvironmentKey: {
    file: 'storage/environment-key.ts',
    satisfies: [{ rule: 'P16', how: 'yearly rotation, a 30-day deletion window, no open key policy' }],
    supports: [
      { rule: 'V7', how: 'the key of bucket encryption' },
      { rule: 'V14', how: 'the key of log encryption' },
      { rule: 'P20', how: 'the key of trail encryption' },
    ],
  },
  ModelRegistry: {
    file: 'registry/model-registry.ts',
    satisfies: [
      { rule: 'V6', how: 'a versioned artifact store' },
      { rule: 'V7', how: 'an encrypted, private artifact store' },
      { rule: 'V9', how: 'the group is shared with named accounts only' },
      { rule: 'V13', how: 'the DataClassification tag, with the environment\'s Owner and Environment tags' },
      { rule: 'V14', how: 'an encrypted, retained audit log' },
      { rule: 'P15', how: 'a signing key for what the pipelines produce' },
      { rule: 'P16', how: 'key policies of the store\'s and the signing keys' },
      { rule: 'P19', how: 'Object Lock in compliance mode on the artifact store' },
    ],
    supports: [{ rule: 'P21', how: 'the environment\'s trail records the store\'s data events' }],
  },
  ArtifactSigningKey: {
    file: 'registry/artifact-signing-key.ts',
    satisfies: [{ rule: 'P16', how: 'no open key policy, a 30-day deletion window' }],
    supports: [{ rule: 'P15', how: 'the signing key of the model registry' }],
  },
  ModelCard: {
    file: 'registry/model-card.ts',
    satisfies: [
      { rule: 'V11', how: 'encrypted with a customer-managed key' },
      { rule: 'V13', how: 'the DataClassification tag, with the environment\'s Owner and Environment tags' },
    ],
    supports: [
      { rule: 'V10', how: 'name, purpose, intended uses, a risk rating other than Unknown, caveats and training details always filled' },
      { rule: 'P22', how: 'with `status` APPROVED, the release evidence (evaluation details and caveats)' },
      { rule: 'P23', how: 'with `status` APPROVED, the approved card a production endpoint needs' },
    ],
  },
  OfflineBackup: {
    file: 'backup/offline-backup.ts',
    satisfies: [
      { rule: 'P17', how: 'locked, encrypted and logically air-gapped vaults' },
      { rule: 'P18', how: 'a plan with retention and an air-gapped copy for the stores it protects' },
      { rule: 'O4', how: 'vault notifications of failed and modified backups' },
    ],
    note: 'Its backup key is an EnvironmentKey (rotation, 30-day window). P19 (Object Lock on artifact buckets) is the bucket\'s own '
      + 'setting: give SecureBucket `objectLock`.',
  },
  TrainingPipeline: {
    file: 'training/training-pipeline.ts',
    satisfies: [
      { rule: 'P11', how: 'network-isolated training with inter-container encryption, customer-managed output and volume keys, in the VPC' },
    ],
    supports: [{ rule: 'P15', how: 'every artifact is signed with the registry\'s key as soon as it is trained' }],
    note: 'Its signing function has no credentials in its environment and runs the newest Node.js runtime with automatic '
      + 'updates, credential-like hyperparameters are refused, and its log groups are encrypted and retained: what V5, O10 and '
      + 'V14 ask of AI functions and log groups, though the pack does not count the signing step as one.',
  },
  InferenceEndpoint: {
    file: 'inference/inference-endpoint.ts',
    satisfies: [
      { rule: 'D11', how: 'network isolation' },
      { rule: 'P5', how: 'the environment\'s VPC and a security group' },
      { rule: 'V2', how: 'weights from the registry\'s store' },
      { rule: 'V6', how: 'a versioned capture bucket' },
      { rule: 'V7', how: 'the capture bucket\'s own key, TLS only' },
      { rule: 'V13', how: 'the DataClassification tag, with the environment\'s Owner and Environment tags' },
      { rule: 'V14', how: 'encrypted log groups kept a year' },
      { rule: 'V16', how: 'captures expire after `captureRetentionDays`' },
      { rule: 'P6', how: 'the endpoint\'s volume key' },
      { rule: 'P7', how: 'the capture key' },
      { rule: 'P8', how: 'the drift job is network-isolated' },
      { rule: 'P9', how: 'the drift job encrypts traffic, volumes and output' },
      { rule: 'P16', how: 'its keys' },
      { rule: 'P24', how: 'two instances in production' },
      { rule: 'O1', how: 'capture of inputs and outputs' },
      { rule: 'O2', how: 'a scheduled drift job over the captures' },
      { rule: 'O3', how: 'the drift job compares with a baseline' },
      { rule: 'O4', how: 'error and latency alarms that notify' },
      { rule: 'O8', how: 'canary deployments with alarm rollback' },
    ],
    supports: [
      { rule: 'V1', how: 'a vetted or pinned image, an external one only with a recorded reason; for a package, the deploy-time gate proves the image' },
      { rule: 'V8', how: 'production deploys a versioned, Approved model package of the registry' },
    ],
    note: 'V10 and P23 are met by a `ModelCard` of the model (`modelId: endpoint.model.ref`) composed beside it.',
  },
  DriftMonitor: {
    file: 'inference/drift-monitor.ts',
    satisfies: [
      { rule: 'P8', how: 'the processing job is network-isolated' },
      { rule: 'P9', how: 'inter-container encryption, output and volume keys' },
      { rule: 'P11', how: 'the job runs isolated and encrypted' },
      { rule: 'O3', how: 'the job reads a baseline' },
    ],
    supports: [{ rule: 'O2', how: 'a recurring schedule runs the job over the endpoint\'s captures' }],
    note: 'Its state machine\'s log group is encrypted and retained, as V14 asks of AI log groups.',
  },
  InferenceApi: {
    file: 'inference/inference-api.ts',
    satisfies: [
      { rule: 'D14', how: 'authorization on the method' },
      { rule: 'D15', how: 'stage throttles for every method; with `apiKeyRequired`, a usage-plan quota' },
      { rule: 'D16', how: 'no data tracing' },
      { rule: 'P14', how: 'a web ACL with a blocking rate-based rule' },
      { rule: 'O5', how: 'stage access logs and web ACL logging' },
      { rule: 'V14', how: 'access, execution and WAF logs encrypted with the log key and retained a year' },
    ],
  },
  AiGuardrail: {
    file: 'generative-ai/ai-guardrail.ts',
    satisfies: [
      { rule: 'D3', how: 'prompt attacks blocked at high strength' },
      { rule: 'D4', how: 'harmful output filtered' },
      { rule: 'D5', how: 'sensitive information blocked or anonymised' },
      { rule: 'P12', how: 'a customer-managed key' },
      { rule: 'O4', how: 'an intervention alarm' },
      { rule: 'V13', how: 'the DataClassification tag, with the environment\'s Owner and Environment tags' },
    ],
    supports: [
      { rule: 'D6', how: 'grounding and relevance checks, which D6 asks of the guardrails of retrieval-augmented agents' },
      { rule: 'D7', how: 'denied topics, when externally exposed' },
      { rule: 'D17', how: 'for the roles given `grantInvokeModels` (or the account, with `enforceAccountWide`)' },
      { rule: 'O9', how: 'a numbered version' },
    ],
  },
  AgentRuntime: {
    file: 'generative-ai/agent-runtime.ts',
    satisfies: [
      { rule: 'P13', how: 'runs in the environment\'s VPC' },
      { rule: 'D14', how: 'an inbound authorizer' },
      { rule: 'V1', how: 'a vetted, pinned image' },
      { rule: 'D10', how: 'named models, knowledge bases and gateway' },
      { rule: 'D17', how: 'every model call guarded' },
      { rule: 'V13', how: 'tags' },
      { rule: 'V14', how: 'its log groups encrypted and retained' },
      { rule: 'O6', how: 'its log groups mask personal data' },
    ],
    supports: [{ rule: 'P21', how: 'through the environment\'s trail' }],
  },
  AgentToolGateway: {
    file: 'generative-ai/agent-tool-gateway.ts',
    satisfies: [
      { rule: 'D14', how: 'inbound authorization' },
      { rule: 'D16', how: 'no debug errors' },
      { rule: 'P12', how: 'a customer-managed key' },
      { rule: 'V13', how: 'tags' },
    ],
    supports: [{ rule: 'P21', how: 'through the environment\'s trail' }],
    note: 'The functions behind the tools are the caller\'s: give them code signing (V4) and an encrypted, retained log group with a '
      + 'data protection policy (V14, O6).',
  },
  KnowledgeBase: {
    file: 'generative-ai/knowledge-base.ts',
    satisfies: [
      { rule: 'V15', how: 'a named prefix of a bucket of the account, a role that reads only it' },
      { rule: 'V13', how: 'tags' },
      { rule: 'D10', how: 'the embedding model named' },
      { rule: 'P16', how: 'the vector key' },
    ],
    note: 'The documents\' bucket meets V6, V7, V16 and P21 as a SecureBucket.',
  },
  ModelInvocationLogging: {
    file: 'generative-ai/model-invocation-logging.ts',
    satisfies: [
      { rule: 'O6', how: 'the log group masks personal data' },
      { rule: 'V14', how: 'the log group\'s key and retention' },
      { rule: 'V16', how: 'payload expiry' },
      { rule: 'V6', how: 'a versioned payload bucket' },
      { rule: 'V7', how: 'an encrypted, private payload bucket' },
      { rule: 'V13', how: 'the payload bucket\'s tags' },
      { rule: 'P16', how: 'its keys' },
    ],
    supports: [{
      rule: 'O7',
      how: 'the account\'s invocation logging, with text delivery to an encrypted destination, for the Bedrock '
      + 'resources that call models',
    }],
    note: 'The payload bucket is also Object Locked, as P19 asks of artifact buckets.',
  },
};
