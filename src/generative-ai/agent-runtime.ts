import { Duration, Lazy, Names, Stack, Tags } from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AgentAuthorizer } from './agent-authorizer';
import { createRuntimeObservability } from './agent-runtime-observability';
import {
  requiredEndpoints, validateEndpointName, validateEnvironmentVariables, validateExposure, validateLifecycle, validateModels,
  validateRuntimeName,
} from './agent-runtime-validation';
import type { AgentToolGateway } from './agent-tool-gateway';
import type { IAiGuardrail } from './ai-guardrail';
import { BedrockModel } from './bedrock-model';
import type { KnowledgeBase } from './knowledge-base';
import { requirePromptLogRetention } from './prompt-log-retention';
import { requireEndpoints } from './required-endpoints';
import { libraryConstruct } from '../construct-kit/library-construct';
import { acknowledgeRules, OWN_POLICY_REASON, RULES, WildcardFindingIds } from '../construct-kit/pack-acknowledgments';
import type { AiEnvironment } from '../environment/ai-environment';
import { WorkloadSecurityGroup } from '../environment/workload-security-group';
import { ModelImage } from '../registry/model-image';
import { DataClassification } from '../storage/data-classification';

/** How callers talk to the agent. */
export enum AgentProtocol {
  /** Plain HTTP requests to `/invocations`. */
  HTTP = 'HTTP',
  /** The Model Context Protocol: the agent is itself a tool server. */
  MCP = 'MCP',
  /** The Agent2Agent protocol. */
  A2A = 'A2A',
}

/** Properties of an {@link AgentRuntime}. */
export interface AgentRuntimeProps {
  /**
   * The environment whose isolated subnets the runtime runs in. Its endpoints must reach Bedrock Runtime, AgentCore, CloudWatch
   * Logs, X-Ray and ECR (and Bedrock Agent Runtime with knowledge bases, AgentCore gateways with a tool gateway).
   */
  readonly environment: AiEnvironment;
  /**
   * The agent's container image (ARM64), vetted or pinned (see `ModelImage`): a private ECR repository with immutable tags,
   * scan on push and KMS, or a digest. The runtime's role may pull it.
   */
  readonly image: ModelImage;
  /**
   * Why an image that is neither in a vetted private ECR repository nor pinned by digest is trusted. Rendered into the
   * runtime's template metadata.
   * @default - such an image throws
   */
  readonly allowExternalImage?: string;
  /**
   * Who may invoke the agent: IAM principals given `grantInvoke`, or users of your identity provider (JWT). Required: an
   * agent runtime is never open.
   */
  readonly authorizer: AgentAuthorizer;
  /**
   * The guardrail every model call of the agent goes through: the role may invoke the models only with its published
   * version (the `bedrock:GuardrailIdentifier` condition), so a call without it is denied.
   */
  readonly guardrail: IAiGuardrail;
  /** The models the agent may invoke, and no other. At least one. */
  readonly models: BedrockModel[];
  /**
   * Knowledge bases the agent may query (`bedrock:Retrieve`).
   * @default - none
   */
  readonly knowledgeBases?: KnowledgeBase[];
  /**
   * The gateway of the agent's tools: the role may list and call them (an IAM-authorized gateway), and the agent learns
   * the gateway's URL and which tools need the user's confirmation.
   * @default - no tools
   */
  readonly toolGateway?: AgentToolGateway;
  /**
   * Whether the agent serves external customers or collaborators: tags it `ai:exposure=external` and requires a JWT
   * authorizer (they sign in with your identity provider, never with IAM credentials of your account).
   * @default false
   */
  readonly externallyExposed?: boolean;
  /**
   * Environment variables of the container. Never secrets: give the agent a secret's ARN instead. Names starting with
   * `AGENT_` are the runtime's own.
   * @default - none
   */
  readonly environmentVariables?: { [name: string]: string };
  /**
   * How the agent is called.
   * @default AgentProtocol.HTTP
   */
  readonly protocol?: AgentProtocol;
  /**
   * The runtime's name: a letter, then letters, digits and underscores, at most 48.
   * @default - derived from the construct path
   */
  readonly runtimeName?: string;
  /**
   * What the agent does.
   * @default - names the construct
   */
  readonly description?: string;
  /**
   * The name of the endpoint that serves the version this deployment creates: a letter, then letters, digits and
   * underscores, at most 48. Not `DEFAULT`, which AgentCore keeps on the latest version.
   * @default 'live'
   */
  readonly endpointName?: string;
  /**
   * How long an idle session lives, between 1 minute and 8 hours.
   * @default Duration.minutes(15)
   */
  readonly idleSessionTimeout?: Duration;
  /**
   * How long a session lives at most, between 1 minute and 8 hours.
   * @default Duration.hours(8)
   */
  readonly maxSessionLifetime?: Duration;
  /**
   * Retention of the runtime's logs; at least a year in production.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * How sensitive what the agent handles is, rendered as the `DataClassification` tag.
   * @default DataClassification.CONFIDENTIAL
   */
  readonly dataClassification?: DataClassification;
}

/** The environment variables the runtime sets for the agent. */
const GUARDRAIL_ID = 'AGENT_GUARDRAIL_ID';
const GUARDRAIL_VERSION = 'AGENT_GUARDRAIL_VERSION';
const MODEL_ARNS = 'AGENT_MODEL_ARNS';
const KNOWLEDGE_BASE_IDS = 'AGENT_KNOWLEDGE_BASE_IDS';
const GATEWAY_URL = 'AGENT_TOOL_GATEWAY_URL';
const CONFIRMATION = 'AGENT_TOOLS_REQUIRING_CONFIRMATION';

/**
 * An agent on Amazon Bedrock AgentCore Runtime, secure by default (agents move to AgentCore: `AWS::Bedrock::Agent` is in
 * maintenance mode).
 *
 * - VPC network mode in the environment's isolated subnets, behind a security group with no ingress whose egress reaches
 *   only the environment's VPC endpoints: the agent has no route to the internet.
 * - An inbound authorizer is required: IAM (`grantInvoke`) or a JWT authorizer restricted to named audiences, clients or
 *   scopes (required for an externally exposed agent).
 * - The container image vetted or pinned by digest (`ModelImage`).
 * - A role only AgentCore runtimes of this account can assume (`aws:SourceAccount`, `aws:SourceArn`), which may: invoke the
 *   named models only through the guardrail's published version; apply that guardrail; query the named knowledge bases;
 *   call the tool gateway; pull the image; write its own log groups; send traces to X-Ray and metrics to its namespace.
 * - Logs in encrypted, retained log groups with a data protection policy (containers' logs per endpoint, application
 *   logs), traces to X-Ray.
 * - An endpoint (`live`) pinned to the numbered version this deployment creates; sessions end after 15 idle minutes and
 *   8 hours at most.
 * - The agent learns what it needs from its environment: the guardrail ID and version to pass with every model call, the
 *   model ARNs, the knowledge base IDs, the gateway URL and the tools that need the user's confirmation.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them).
 */
export class AgentRuntime extends Construct {
  /** The runtime. */
  public readonly runtime: agentcore.CfnRuntime;
  /** The endpoint pinned to this deployment's version. */
  public readonly endpoint: agentcore.CfnRuntimeEndpoint;
  /** The runtime's ARN. */
  public readonly agentRuntimeArn: string;
  /** The runtime's ID. */
  public readonly agentRuntimeId: string;
  /** The numbered version this deployment created. */
  public readonly agentRuntimeVersion: string;
  /** The endpoint's ARN. */
  public readonly endpointArn: string;
  /** The role the agent runs with. */
  public readonly role: iam.Role;
  /** The agent's security group. */
  public readonly securityGroup: WorkloadSecurityGroup;
  /** The log groups of the containers (one per endpoint) and of the application logs. */
  public readonly logGroups: logs.LogGroup[];
  private readonly authorizer: AgentAuthorizer;

  public constructor(scope: Construct, id: string, props: AgentRuntimeProps) {
    super(scope, id);
    const owner = libraryConstruct(this, 'AgentRuntime');
    const env = props.environment;
    const stack = Stack.of(this);
    requireEndpoints(owner, env, requiredEndpoints(props), 'the agent reaches AWS only through them from the isolated subnets');
    const models = validateModels(owner, props.models);
    validateExposure(owner, props.externallyExposed ?? false, props.authorizer);
    const runtimeName = validateRuntimeName(owner, props.runtimeName ?? Names.uniqueResourceName(this, { maxLength: 48, separator: '_' }));
    const endpointName = validateEndpointName(owner, props.endpointName ?? 'live');
    const variables = validateEnvironmentVariables(owner, props.environmentVariables ?? {});
    const lifecycle = validateLifecycle(owner, props.idleSessionTimeout ?? Duration.minutes(15), props.maxSessionLifetime ?? Duration.hours(8));
    const retention = requirePromptLogRetention(this, 'logRetention', props.logRetention ?? logs.RetentionDays.ONE_YEAR, env.stage);
    this.authorizer = props.authorizer;

    this.securityGroup = new WorkloadSecurityGroup(this, 'SecurityGroup', {
      vpc: env.vpc,
      endpointSecurityGroup: env.endpointSecurityGroup,
      description: `AgentCore runtime ${runtimeName}: no ingress, HTTPS to the environment VPC endpoints only`,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('bedrock-agentcore.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'bedrock-agentcore', resource: 'runtime', resourceName: `${runtimeName}*` }) },
        },
      }),
      description: `Runs agent ${runtimeName}`,
    });

    this.runtime = new agentcore.CfnRuntime(this, 'Resource', {
      agentRuntimeName: runtimeName,
      description: props.description ?? `Agent ${this.node.path}`,
      roleArn: this.role.roleArn,
      agentRuntimeArtifact: { containerConfiguration: { containerUri: props.image.imageUri } },
      networkConfiguration: {
        networkMode: 'VPC',
        networkModeConfig: { subnets: env.vpc.selectSubnets(env.workloadSubnets).subnetIds, securityGroups: [this.securityGroup.securityGroupId] },
      },
      authorizerConfiguration: props.authorizer._renderRuntime(),
      protocolConfiguration: props.protocol ?? AgentProtocol.HTTP,
      lifecycleConfiguration: lifecycle,
      environmentVariables: Lazy.any({ produce: () => this.agentVariables(props, models, variables) }) as unknown as Record<string, string>,
    });
    // The role's permissions (image, models, logs) exist before AgentCore creates the runtime with it.
    this.runtime.node.addDependency(this.role);
    props.image._bind({ construct: owner, resource: this.runtime, puller: this.role, allowExternalImage: props.allowExternalImage });
    this.agentRuntimeArn = this.runtime.attrAgentRuntimeArn;
    this.agentRuntimeId = this.runtime.attrAgentRuntimeId;
    this.agentRuntimeVersion = this.runtime.attrAgentRuntimeVersion;

    this.endpoint = new agentcore.CfnRuntimeEndpoint(this, 'Endpoint', {
      name: endpointName,
      description: `Serves the version of ${runtimeName} that this deployment created`,
      agentRuntimeId: this.agentRuntimeId,
      agentRuntimeVersion: this.agentRuntimeVersion,
    });
    this.endpointArn = this.endpoint.attrAgentRuntimeEndpointArn;

    const observability = createRuntimeObservability(this, {
      environment: env, runtime: this.runtime, runtimeName, endpointNames: ['DEFAULT', endpointName], retention, owner,
    });
    this.logGroups = [...observability.containerLogGroups, observability.applicationLogGroup];
    // Nothing is invoked before its log groups exist: they are encrypted from the first line.
    this.endpoint.node.addDependency(...observability.containerLogGroups);

    this.grantRole(props, models, observability.containerLogGroups);

    Tags.of(this).add('DataClassification', props.dataClassification ?? DataClassification.CONFIDENTIAL);
    if (props.externallyExposed) Tags.of(this.runtime).add('ai:exposure', 'external');
  }

  /** Grants invoking the agent through its endpoint, for an IAM-authorized runtime. */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    if (this.authorizer.isJwt) {
      throw new Error(`AgentRuntime ${this.node.id}: grantInvoke is for an IAM-authorized runtime; this one accepts only tokens of its `
        + 'identity provider. Fix: let the caller sign in there, or use AgentAuthorizer.iam().');
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['bedrock-agentcore:InvokeAgentRuntime'],
      resourceArns: [this.agentRuntimeArn, this.endpointArn],
    });
  }

  /** What the agent's role may do, named resource by named resource. */
  private grantRole(props: AgentRuntimeProps, models: BedrockModel[], logGroups: logs.LogGroup[]): void {
    const role = this.role;
    props.guardrail.grantInvokeModels(role, models);
    for (const kb of props.knowledgeBases ?? []) kb.grantRetrieve(role);
    props.toolGateway?.grantInvoke(role);
    // Its own policy: the log groups are named after the runtime's ID, and the runtime waits for its role's default policy.
    const logsPolicy = new iam.Policy(this, 'LogsPolicy', {
      roles: [role],
      statements: [new iam.PolicyStatement({
        sid: 'ItsOwnLogGroups',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        // A log group's ARN attribute ends in :*, which is its streams.
        resources: logGroups.map((g) => g.logGroupArn),
      })],
    });
    this.endpoint.node.addDependency(logsPolicy);
    acknowledgeRules(logsPolicy, RULES.inlinePolicy, OWN_POLICY_REASON);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'TracesToXRay',
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
      resources: ['*'],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'MetricsToItsNamespace',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': 'bedrock-agentcore' } },
    }));
    acknowledgeRules(role, RULES.inlinePolicy, OWN_POLICY_REASON);
    const anyRegion = models.flatMap((m) => m._anyRegionArns(this));
    if (anyRegion.length > 0) {
      acknowledgeRules(role, anyRegion.map((arn) => WildcardFindingIds.resource(this, arn)), 'A cross-Region inference profile routes '
        + 'each request to its foundation model in one of the Regions of its geography, and Bedrock checks the model\'s ARN in the '
        + 'Region it routes to: the model is named, only its Region is open. The profile itself is named in this account and Region.');
    }
    acknowledgeRules(role, [WildcardFindingIds.resource(this, '*')], 'X-Ray\'s PutTraceSegments, PutTelemetryRecords, '
      + 'GetSamplingRules and GetSamplingTargets, and CloudWatch\'s PutMetricData, support no resource-level permissions; '
      + 'PutMetricData is limited by a cloudwatch:namespace condition to the bedrock-agentcore namespace. ECR\'s '
      + 'GetAuthorizationToken supports none either; image layers can be pulled from the agent\'s repository only.');
  }

  /** The agent's environment: the caller's variables and what the runtime tells the agent. */
  private agentVariables(props: AgentRuntimeProps, models: BedrockModel[], variables: Record<string, string>): Record<string, string> {
    const gateway = props.toolGateway;
    const own: Record<string, string | undefined> = {
      [GUARDRAIL_ID]: props.guardrail.guardrailId,
      [GUARDRAIL_VERSION]: props.guardrail.guardrailVersion,
      [MODEL_ARNS]: models.map((m) => m.modelArn(this)).join(','),
      [KNOWLEDGE_BASE_IDS]: props.knowledgeBases?.length ? props.knowledgeBases.map((kb) => kb.knowledgeBaseId).join(',') : undefined,
      [GATEWAY_URL]: gateway?.gatewayUrl,
      [CONFIRMATION]: gateway ? gateway.toolsRequiringConfirmation.join(',') : undefined,
    };
    return { ...variables, ...Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)) as Record<string, string> };
  }
}
