// A stack with what the generative-AI constructs are composed with: an AiEnvironment whose endpoints reach Bedrock and
// AgentCore, and the threat-model tags every AI stack carries (SecureAI-D1).
import { App, Stack, StackProps, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as signer from 'aws-cdk-lib/aws-signer';
import { acknowledgeRules, OWN_POLICY_REASON, RULES, WildcardFindingIds } from '../../src/construct-kit/pack-acknowledgments';
import { AiEndpointService } from '../../src/environment/ai-endpoint-service';
import { AiEnvironment, AiEnvironmentProps } from '../../src/environment/ai-environment';
import { VpcAccessStatements } from '../../src/environment/vpc-access-statements';
import { PromptLogGroup } from '../../src/generative-ai/prompt-log-group';

export const ENV = { account: '111111111111', region: 'eu-west-2' };

/** The environment's default endpoints and those the generative-AI constructs need. */
export const GENERATIVE_AI_ENDPOINTS = [
  AiEndpointService.ECR_API, AiEndpointService.ECR_DOCKER, AiEndpointService.CLOUDWATCH_LOGS, AiEndpointService.CLOUDWATCH_MONITORING,
  AiEndpointService.KMS, AiEndpointService.STS, AiEndpointService.BEDROCK, AiEndpointService.BEDROCK_RUNTIME,
  AiEndpointService.BEDROCK_AGENT_RUNTIME, AiEndpointService.BEDROCK_AGENTCORE, AiEndpointService.BEDROCK_AGENTCORE_GATEWAY,
  AiEndpointService.XRAY,
];

export interface Composition {
  readonly stack: Stack;
  readonly environment: AiEnvironment;
}

/** A stack `Ai` with an environment `Env` (production unless told otherwise) and the threat-model tags. */
export function composition(
  app: App = new App(), environmentProps: Partial<AiEnvironmentProps> = {}, stackProps: StackProps = { env: ENV },
): Composition {
  const stack = new Stack(app, 'Ai', stackProps);
  Tags.of(stack).add('ai:threat-model', 'https://wiki.example.com/ai/assistant/threat-model');
  Tags.of(stack).add('ai:risk-owner', 'head-of-customer-service');
  Tags.of(stack).add('ai:criticality', 'high');
  const environment = new AiEnvironment(stack, 'Env', { owner: 'assistant-team', endpoints: GENERATIVE_AI_ENDPOINTS, ...environmentProps });
  return { stack, environment };
}

/**
 * A tool function as an agent's gateway calls it: in the environment's subnets, code signing enforced (SecureAI-V4), an
 * encrypted, retained log group that masks personal data (V14, O6), one concurrent execution per session budget.
 */
export function toolFunction(stack: Stack, environment: AiEnvironment, id = 'OrderTools'): lambda.Function {
  const profile = new signer.SigningProfile(stack, `${id}SigningProfile`, { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
  const codeSigning = new lambda.CodeSigningConfig(stack, `${id}CodeSigning`, {
    signingProfiles: [profile],
    untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.ENFORCE,
  });
  const logGroup = new PromptLogGroup(stack, `${id}LogGroup`, { environment });
  // Its own role, without the AWS managed policies' logs wildcard.
  const role = new iam.Role(stack, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  for (const statement of VpcAccessStatements.forLambda(stack, environment.vpc.vpcId)) role.addToPrincipalPolicy(statement);
  logGroup.grantWrite(role);
  acknowledgeRules(role, [WildcardFindingIds.resource(stack, '*')], 'EC2 Describe actions support no resource-level permissions; '
    + 'creating and deleting the function\'s network interfaces is limited by an ec2:Vpc condition to the environment\'s VPC.');
  const fn = new lambda.Function(stack, id, {
    role,
    runtime: lambda.Runtime.NODEJS_26_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ status: "ok" });'),
    codeSigningConfig: codeSigning,
    vpc: environment.vpc,
    vpcSubnets: environment.workloadSubnets,
    securityGroups: [environment.addWorkloadSecurityGroup(`${id}SecurityGroup`, 'Order tools: no ingress, HTTPS to the VPC endpoints')],
    logGroup,
    reservedConcurrentExecutions: 5,
    description: 'Looks up and cancels orders for the assistant',
  });
  acknowledgeRules(fn, ['NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ'], 'The tool gateway invokes the function synchronously '
    + 'and returns a failure to the agent, which tells the user; a dead-letter queue receives failed asynchronous invocations only.');
  acknowledgeRules(role, RULES.inlinePolicy, OWN_POLICY_REASON);
  return fn;
}

/** The logical ID of the one resource of `type` whose ID starts with `prefix`; fails the test when there is none. */
export function logicalId(t: Template, type: string, prefix: string): string {
  const id = Object.keys(t.findResources(type)).find((k) => k.startsWith(prefix));
  expect(id).toBeDefined();
  return id!;
}

/** The statements of the policy attached to the role whose logical ID starts with `rolePrefix`. */
export function policyOfRole(t: Template, rolePrefix: string): any[] {
  const policy = Object.values(t.findResources('AWS::IAM::Policy'))
    .find((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref.startsWith(rolePrefix)));
  expect(policy).toBeDefined();
  return policy!.Properties.PolicyDocument.Statement;
}
