import { Names, Stack, Tags } from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { AgentAuthorizer } from './agent-authorizer';
import { validateGatewayName, validateTargetName, validateTools } from './agent-tool-gateway-validation';
import { recordReason } from '../construct-kit/opt-out-reason';
import { acknowledgeRules, OWN_POLICY_REASON, RULES } from '../construct-kit/pack-acknowledgments';
import type { AiEnvironment } from '../environment/ai-environment';
import { DataClassification } from '../storage/data-classification';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../storage/environment-key';

/** One tool an agent may call through the gateway. */
export interface AgentTool {
  /** The tool's name, 1 to 64 letters, digits, hyphens and underscores. */
  readonly name: string;
  /** What the tool does, for the model choosing it. */
  readonly description: string;
  /** The JSON schema of the tool's input (`{ type: 'object', properties: {...}, required: [...] }`). */
  readonly inputSchema: agentcore.CfnGatewayTarget.SchemaDefinitionProperty;
  /**
   * Why the tool changes nothing (it only reads): it is then called without the user's confirmation. Recorded in the
   * template metadata.
   * @default - the tool changes state: it is marked as needing the user's confirmation before each call
   */
  readonly readOnly?: string;
}

/** Tools served by one Lambda function. */
export interface LambdaToolsProps {
  /** The target's name (the prefix of its tools' names, `<target>___<tool>`): letters, digits and single hyphens. */
  readonly targetName: string;
  /** The function that runs the tools; the gateway's role may invoke it, and nothing else may through the gateway. */
  readonly function: lambda.IFunction;
  /** The tools the function serves. */
  readonly tools: AgentTool[];
  /**
   * What the tools are for.
   * @default - none
   */
  readonly description?: string;
}

/** Properties of an {@link AgentToolGateway}. */
export interface AgentToolGatewayProps {
  /** The environment the gateway belongs to (stage, tags). */
  readonly environment: AiEnvironment;
  /**
   * Who may list and call the tools.
   * @default AgentAuthorizer.iam() - IAM principals granted with grantInvoke, such as an AgentRuntime's role
   */
  readonly authorizer?: AgentAuthorizer;
  /**
   * The gateway's name: letters, digits and single hyphens, at most 100.
   * @default - derived from the construct path
   */
  readonly gatewayName?: string;
  /**
   * What the gateway serves.
   * @default - names the construct
   */
  readonly description?: string;
  /**
   * The customer-managed key that encrypts the gateway's configuration and the credentials it holds.
   * @default - a new EnvironmentKey for this gateway
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How sensitive what the tools handle is, rendered as the `DataClassification` tag.
   * @default DataClassification.CONFIDENTIAL
   */
  readonly dataClassification?: DataClassification;
}

/** The metadata keys under which the gateway records which tools need confirmation and which only read. */
const CONFIRMATION_METADATA = 'cdk-secure-ai:tools-requiring-confirmation';
const CONFIRMATION_NOTE = 'Changes state: ask the user to confirm each call, with its arguments, before making it.';

/**
 * An AgentCore gateway through which agents call tools, with outbound authentication to each tool.
 *
 * - MCP, authorized with IAM (the default: only principals given `grantInvoke`) or a JWT authorizer restricted to named
 *   audiences, clients or scopes; no debug error details.
 * - Encrypted with a customer-managed key of its own (rotated, RETAINed), which the gateway's role may use.
 * - A role only AgentCore gateways of this account can assume (`aws:SourceAccount`, `aws:SourceArn`): the gateway calls
 *   each Lambda target with it (outbound IAM authentication), and it may invoke those functions only.
 * - Every tool declares whether it changes state: one that does is marked as needing the user's confirmation (in its
 *   description for the model, in the target's template metadata, and in `toolsRequiringConfirmation`, which an
 *   AgentRuntime passes to the agent as `AGENT_TOOLS_REQUIRING_CONFIRMATION`); a read-only tool says why.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them).
 */
export class AgentToolGateway extends Construct {
  /** The gateway. */
  public readonly gateway: agentcore.CfnGateway;
  /** The gateway's ARN. */
  public readonly gatewayArn: string;
  /** The gateway's ID. */
  public readonly gatewayId: string;
  /** The gateway's MCP endpoint URL. */
  public readonly gatewayUrl: string;
  /** The role the gateway calls its targets with. */
  public readonly role: iam.Role;
  /** The key that encrypts the gateway. */
  public readonly encryptionKey: kms.IKey;
  private readonly confirmation: string[] = [];
  private readonly targetNames = new Set<string>();

  public constructor(scope: Construct, id: string, props: AgentToolGatewayProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = validateGatewayName(`AgentToolGateway ${id}`, props.gatewayName ?? Names.uniqueResourceName(this, { maxLength: 100, separator: '-' }));
    this.encryptionKey = props.encryptionKey ?? new EnvironmentKey(this, 'Key', { purpose: EnvironmentKeyPurpose.DATA, description: `Tool gateway ${name}` });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('bedrock-agentcore.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          // A gateway's ID (and ARN) is generated from its name at creation: any gateway of this account and Region.
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'bedrock-agentcore', resource: 'gateway', resourceName: '*' }) },
        },
      }),
      description: `Calls the tools of gateway ${name}`,
    });
    // The gateway encrypts and decrypts its configuration and the credentials it holds with its key.
    this.encryptionKey.grant(this.role, 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
    acknowledgeRules(this.role, RULES.inlinePolicy, OWN_POLICY_REASON);

    const authorizer = (props.authorizer ?? AgentAuthorizer.iam())._renderGateway();
    this.gateway = new agentcore.CfnGateway(this, 'Resource', {
      name,
      description: props.description ?? `Tools of ${this.node.path}`,
      roleArn: this.role.roleArn,
      protocolType: 'MCP',
      protocolConfiguration: { mcp: { supportedVersions: ['2025-03-26'] } },
      authorizerType: authorizer.authorizerType,
      authorizerConfiguration: authorizer.authorizerConfiguration,
      kmsKeyArn: this.encryptionKey.keyArn,
    });
    // The gateway checks that it can use its key and role when it is created.
    this.gateway.node.addDependency(this.role);
    this.gatewayArn = this.gateway.attrGatewayArn;
    this.gatewayId = this.gateway.attrGatewayIdentifier;
    this.gatewayUrl = this.gateway.attrGatewayUrl;
    Tags.of(this).add('DataClassification', props.dataClassification ?? DataClassification.CONFIDENTIAL);
  }

  /**
   * The tools that change state, by the name agents call them (`<target>___<tool>`): the agent must ask the user to
   * confirm each call.
   */
  public get toolsRequiringConfirmation(): string[] {
    return [...this.confirmation];
  }

  /** Serves the tools of one Lambda function, which the gateway calls with its role. */
  public addLambdaTools(id: string, props: LambdaToolsProps): agentcore.CfnGatewayTarget {
    const owner = `AgentToolGateway ${this.node.id}`;
    const targetName = validateTargetName(owner, props.targetName, this.targetNames);
    const tools = validateTools(owner, targetName, props.tools);
    // The function itself, not its versions and aliases (grantInvoke would add <arn>:*): the target names it unqualified.
    iam.Grant.addToPrincipal({ grantee: this.role, actions: ['lambda:InvokeFunction'], resourceArns: [props.function.functionArn] });
    const target = new agentcore.CfnGatewayTarget(this, id, {
      gatewayIdentifier: this.gatewayId,
      name: targetName,
      description: props.description,
      credentialProviderConfigurations: [{ credentialProviderType: 'GATEWAY_IAM_ROLE' }],
      targetConfiguration: {
        mcp: {
          lambda: {
            lambdaArn: props.function.functionArn,
            toolSchema: {
              inlinePayload: tools.map((t) => ({
                name: t.name,
                description: t.readOnly === undefined ? `${t.description} ${CONFIRMATION_NOTE}` : t.description,
                inputSchema: t.inputSchema,
              })),
            },
          },
        },
      },
    });
    // The gateway's role must be allowed to invoke the function before the target is created and its tools listed.
    target.node.addDependency(this.role);
    const changing = tools.filter((t) => t.readOnly === undefined).map((t) => `${targetName}___${t.name}`);
    this.confirmation.push(...changing);
    target.addMetadata(CONFIRMATION_METADATA, changing);
    const readOnly = tools.filter((t) => t.readOnly !== undefined);
    if (readOnly.length > 0) recordReason(target, 'read-only-tools', Object.fromEntries(readOnly.map((t) => [t.name, t.readOnly])));
    return target;
  }

  /** Grants listing and calling the tools (`bedrock-agentcore:InvokeGateway` on this gateway), for an IAM-authorized gateway. */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['bedrock-agentcore:InvokeGateway'], resourceArns: [this.gatewayArn] });
  }
}
