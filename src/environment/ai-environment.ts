import { Annotations, Aspects, Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { AiEndpointService } from './ai-endpoint-service';
import { AuditTrail } from './audit-trail';
import { guardCrossStageGrants } from './cross-stage-guard';
import { createEnvironmentAlarmTopic, watchOutOfBandChanges } from './environment-alarm-topic';
import { EnvironmentBoundary } from './environment-boundary';
import { EnvironmentBoundaryAspect } from './environment-boundary-aspect';
import { serviceControlPolicyDocument } from './environment-guardrails';
import { InternetEgress } from './internet-egress';
import { OrganizationAuditTrail } from './organization-audit-trail';
import { ServiceControlPolicyProps } from './service-control-policy';
import { resourcesOfThisAccount, restrictServiceTrust, ServiceSource, serviceSourceConditions } from './service-trust';
import { WorkloadSecurityGroup } from './workload-security-group';
import { EnvironmentStage } from '../construct-kit/environment-stage';
import { libraryConstruct } from '../construct-kit/library-construct';
import { retainedLogGroup } from '../construct-kit/log-group';
import { requireReason } from '../construct-kit/opt-out-reason';
import { acknowledgeRules, RULES } from '../construct-kit/pack-acknowledgments';
import { concreteAccountOf, declareCrossStageShare, environmentOf, markEnvironment } from '../construct-kit/stage-segregation';
import { requireLogRetention, requireWholeNumber } from '../construct-kit/validation';
import { ORGANIZATION_TRAIL_METADATA, OrganizationTrailDeclaration } from '../facts/organization-trail';
import { AccessLogBucket } from '../storage/access-log-bucket';
import { IBucketEnvironment } from '../storage/bucket-environment';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../storage/environment-key';
import { keyAdministratorsOf, setKeyAdministrator } from '../storage/key-administration';
import { ObjectLockMode } from '../storage/object-lock';

/** The default endpoint set: what SageMaker training and serving with images from ECR need. */
const DEFAULT_ENDPOINT_SERVICES: readonly AiEndpointService[] = [
  AiEndpointService.SAGEMAKER_API,
  AiEndpointService.SAGEMAKER_RUNTIME,
  AiEndpointService.ECR_API,
  AiEndpointService.ECR_DOCKER,
  AiEndpointService.CLOUDWATCH_LOGS,
  AiEndpointService.CLOUDWATCH_MONITORING,
  AiEndpointService.KMS,
  AiEndpointService.STS,
  AiEndpointService.STEP_FUNCTIONS,
];

/** The subnet group the workloads run in. */
const WORKLOAD_SUBNETS = 'Workload';
/** Metadata keys rendered into the template, for reviewers and auditors. */
const INTERNET_EGRESS_METADATA = 'cdk-secure-ai:internet-egress';
/** What the reasons for egress and an organization trail should say. */
const REASON_WHAT = 'which hosts or trail, for what';

const environmentStacks = new WeakSet<Stack>();

/** Properties of an {@link AiEnvironment}. */
export interface AiEnvironmentProps {
  /**
   * Who owns the environment (a team or a person), rendered as the `Owner` tag of every resource (SecureAI-V13).
   */
  readonly owner: string;
  /**
   * The environment stage, rendered as the `ai:environment` and `Environment` tags of every resource.
   * @default - the stage of the enclosing AiEnvironmentStage, otherwise EnvironmentStage.PRODUCTION: the strictest
   */
  readonly stage?: EnvironmentStage;
  /**
   * The VPC's IPv4 CIDR block, between /16 and /28.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * How many Availability Zones the subnets span. At least 1; at least 2 in production, so that an endpoint
   * survives the loss of a zone (SecureAI-P24).
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * The AWS services reached through interface VPC endpoints (S3 always has a gateway endpoint). Each interface
   * endpoint costs per hour and AZ: see the README for the default set's fixed monthly cost.
   * @default - SageMaker API and runtime, ECR API and Docker, CloudWatch Logs and metrics, KMS, STS, Step Functions
   */
  readonly endpoints?: AiEndpointService[];
  /**
   * The AWS Organizations ID (`o-...`) whose principals may use the VPC endpoints.
   * @default - only principals of this account: nothing in the VPC can reach another account's resources through them
   */
  readonly organizationId?: string;
  /**
   * Retention of the flow-log and audit-trail log groups. At least a year in production.
   * @default logs.RetentionDays.ONE_YEAR - the retention SecureAI-V14 asks of AI logs
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Internet egress through NAT gateways, with the reason. Only through this prop: the reason is rendered into the
   * VPC's template metadata.
   * @default - no internet gateway, no NAT: workload subnets are isolated and reach AWS only through VPC endpoints
   */
  readonly internetEgress?: InternetEgress;
  /**
   * An organisation trail that already records this account; the environment then creates no trail, and the
   * declaration, with its reason, is rendered into the VPC's template metadata. The SecureAiChecks pack reads it: the
   * account and Region of this environment's stack need no trail of the app (SecureAI-P20, P21), unless the pack is
   * registered with `allowAppDeclarations: false` (a security team that does not take the app's word for it).
   * @default - the environment creates its own AuditTrail (SecureAI-P20, P21)
   */
  readonly organizationTrail?: OrganizationAuditTrail;
  /**
   * A role that may, besides the role that deploys the stack, change the key policy of, disable, or schedule the
   * deletion of any key of this stack (the environment's keys, a registry's artifact and signing keys), and replace the
   * registry's bucket and group policies. Every other principal of the account, administrators included, is denied;
   * those calls also notify `alarmTopic`. The deploying role is always exempt, since CloudFormation creates and updates
   * the keys with it: with the DefaultStackSynthesizer that is its CloudFormation execution role. A synthesizer that
   * deploys with the caller's credentials (CliCredentialsStackSynthesizer) names no role: then this prop is required,
   * and must be the role you deploy with, or KMS refuses to create the keys.
   * @default - only the stack's CloudFormation execution role (the CDK bootstrap's `cfn-exec-role`): only a reviewed
   * deployment changes a key
   */
  readonly keyAdministratorRoleArn?: string;
}

/**
 * A segregated environment for AI workloads: the construct every other construct of this library sits in. One per
 * stack; it governs that stack (tags, permissions boundary).
 *
 * - A VPC with isolated subnets only (no internet gateway, no NAT) across `maxAzs`, the default security group
 *   closed, flow logs of all traffic to a log group encrypted with the log key and kept a year.
 * - VPC endpoints (S3 gateway; interface endpoints for the `endpoints` set with private DNS, each with a policy limiting
 *   it to this account or organisation, behind a security group with no ingress until a workload is added).
 * - A data key and a log key (customer managed, rotated, RETAINed), an access-log bucket, an audit trail.
 * - A permissions boundary set on every IAM role of the stack by an Aspect, denying SageMaker work outside the VPC,
 *   without isolation or encryption, and turning off encryption or logging.
 * - Tags `ai:environment`, `Environment` and `Owner` on every resource of the stack; production requires two AZs and
 *   tells constructs built in it to run at least two instances (`minimumInstanceCount`).
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them).
 */
export class AiEnvironment extends Construct implements IBucketEnvironment {
  /**
   * Declares a reviewed, read-only share of `resource` with the accounts of other environment stages: its policies may
   * then name those accounts (as account principals, never their roles) without the synthesis-time cross-stage guard
   * refusing them. ModelRegistry does this for its `readerAccounts`; use it for what the registry shares alongside, such
   * as the image repository production pulls from. The reason is rendered into the resource's template metadata.
   */
  public static shareAcrossStages(resource: IConstruct, accounts: string[], reason: string): void {
    requireReason(`AiEnvironment.shareAcrossStages(${resource.node.path})`, 'reason', reason, 'what the other stages read, and why');
    const invalid = accounts.filter((a) => Token.isUnresolved(a) || !/^\d{12}$/.test(a));
    if (accounts.length === 0 || invalid.length > 0) {
      throw new Error(`AiEnvironment.shareAcrossStages(${resource.node.path}): accounts must be 12-digit AWS account IDs, got `
        + `${accounts.length === 0 ? 'none' : invalid.join(', ')}. Fix: name the accounts of the stages that read the resource.`);
    }
    declareCrossStageShare(resource, accounts, reason);
  }

  /**
   * The service control policy an organisation should attach to the accounts (or OU) of its AI environments, as a
   * policy document to attach with AWS Organizations (`JSON.stringify(doc.toJSON())`). A permissions boundary binds only
   * the roles it is attached to; this policy binds every principal of the account, people and pipelines included:
   *
   * - the tampering denies of the boundary (keys, trails, flow logs, log groups and their retention, bucket encryption,
   *   logging, policies, lifecycle and ownership, routes, internet gateways, peering, endpoint policies, event rules,
   *   backup plans and selections), except for the deployment principals;
   * - claiming the tags that mark service roles, and removing or setting permissions boundaries, except for them too;
   * - SageMaker work outside a VPC, without network isolation or inter-container encryption, without volume or output
   *   keys, notebooks with internet or root access, domains outside the VPC: for everyone.
   *
   * Not in it: the environment's own subnets (the boundary pins them, an SCP is shared by accounts) and creating roles
   * without the boundary (other stacks of the account create roles). It fits the 5,120 characters of an SCP.
   */
  public static serviceControlPolicy(props: ServiceControlPolicyProps = {}): iam.PolicyDocument {
    return serviceControlPolicyDocument(props);
  }

  /** The environment stage. */
  public readonly stage: EnvironmentStage;
  /** The VPC. */
  public readonly vpc: ec2.Vpc;
  /** The subnets workloads run in. */
  public readonly workloadSubnets: ec2.SubnetSelection;
  /** Customer-managed key for models, data and volumes. */
  public readonly dataKey: EnvironmentKey;
  /** Customer-managed key for flow logs, the audit trail and other logs. */
  public readonly logKey: EnvironmentKey;
  /** The bucket that receives the S3 server access logs of the environment's buckets. */
  public readonly accessLogBucket: AccessLogBucket;
  /** The log group of the VPC's flow logs. */
  public readonly flowLogGroup: logs.LogGroup;
  /** The security group of the interface endpoints; workloads reach it through `addWorkloadSecurityGroup`. */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** The permissions boundary set on every role of the stack. */
  public readonly boundary: EnvironmentBoundary;
  /** The audit trail, unless an organisation trail was named. */
  public readonly auditTrail?: AuditTrail;
  /** The fewest instances an endpoint built in this environment may run: 2 in production, 1 otherwise. */
  public readonly minimumInstanceCount: number;
  /** The interface endpoints, by service. */
  public readonly interfaceEndpoints: ec2.InterfaceVpcEndpoint[];
  /**
   * The topic of the environment's alarms: key administration and policy changes, and SageMaker serving changes made
   * outside CloudFormation, notify it (EventBridge rules on the trail's management events). Subscribe who responds.
   */
  public readonly alarmTopic: sns.ITopic;
  /** The services the interface endpoints reach, in the order of `interfaceEndpoints`. */
  public readonly endpointServices: AiEndpointService[];

  public constructor(scope: Construct, id: string, props: AiEnvironmentProps) {
    super(scope, id);
    const owner = libraryConstruct(this, 'AiEnvironment');
    const stack = Stack.of(this);
    const enclosing = environmentOf(this);
    this.stage = validateStage(id, props.stage, enclosing?.stage);
    const maxAzs = validateMaxAzs(id, props.maxAzs ?? 2, this.stage);
    const cidr = validateCidr(id, props.cidr ?? '10.0.0.0/16');
    const retention = requireLogRetention(this, 'logRetention', props.logRetention ?? logs.RetentionDays.ONE_YEAR, this.stage,
      { evidence: 'what the flow logs and the audit trail record' });
    validateOwner(id, props.owner);
    if (props.internetEgress) requireReason(owner, 'internetEgress.reason', props.internetEgress.reason, REASON_WHAT);
    if (props.organizationTrail) {
      requireReason(owner, 'organizationTrail.reason', props.organizationTrail.reason, REASON_WHAT);
      if (!Token.isUnresolved(props.organizationTrail.trailArn) && !/^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/.+$/.test(props.organizationTrail.trailArn)) {
        throw new Error(`${owner}: organizationTrail.trailArn '${props.organizationTrail.trailArn}' is not a CloudTrail trail ARN. `
          + 'Fix: give arn:aws:cloudtrail:<region>:<account>:trail/<name> of the organisation trail.');
      }
    }
    if (props.organizationId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(props.organizationId)) {
      throw new Error(`${owner}: organizationId '${props.organizationId}' is not an AWS Organizations ID. `
        + 'Fix: give the ID of the form o-exampleorgid (aws organizations describe-organization).');
    }
    if (environmentStacks.has(stack)) {
      throw new Error(`${owner}: stack ${stack.node.path} already has an AiEnvironment. Fix: one environment per stack; `
        + 'put another environment in its own stack (or AiEnvironmentStage).');
    }
    environmentStacks.add(stack);
    markEnvironment(stack, { stage: this.stage, account: concreteAccountOf(this) ?? enclosing?.account, declaredAt: this.node.path });
    guardCrossStageGrants(this);
    this.minimumInstanceCount = this.stage === EnvironmentStage.PRODUCTION ? 2 : 1;
    if (props.keyAdministratorRoleArn !== undefined) setKeyAdministrator(this, owner, props.keyAdministratorRoleArn);
    keyAdministratorsOf(this); // fails now, not at synthesis, when no one could administer the keys

    this.dataKey = new EnvironmentKey(this, 'DataKey', { purpose: EnvironmentKeyPurpose.DATA, description: `${this.stage} AI environment data key (${this.node.path})` });
    this.logKey = new EnvironmentKey(this, 'LogKey', { purpose: EnvironmentKeyPurpose.LOG, description: `${this.stage} AI environment log key (${this.node.path})` });
    this.accessLogBucket = new AccessLogBucket(this, 'AccessLogs', { retentionDays: Math.max(retention, 1) });

    // VPC: isolated subnets unless internet egress was asked for with a reason.
    const egress = props.internetEgress !== undefined;
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      maxAzs,
      natGateways: egress ? (this.stage === EnvironmentStage.PRODUCTION ? maxAzs : 1) : 0,
      subnetConfiguration: egress
        ? [
          { name: 'Egress', subnetType: ec2.SubnetType.PUBLIC },
          { name: WORKLOAD_SUBNETS, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        ]
        : [{ name: WORKLOAD_SUBNETS, subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      restrictDefaultSecurityGroup: true,
      enableDnsHostnames: true,
      enableDnsSupport: true,
    });
    const cfnVpc = this.vpc.node.defaultChild as ec2.CfnVPC;
    if (props.internetEgress) {
      cfnVpc.addMetadata(INTERNET_EGRESS_METADATA, props.internetEgress.reason);
      Annotations.of(this).addInfo(`Internet egress is enabled: ${props.internetEgress.reason}`);
    }
    this.workloadSubnets = { subnetGroupName: WORKLOAD_SUBNETS };

    // Flow logs of all traffic, encrypted and retained.
    this.flowLogGroup = retainedLogGroup(this, 'FlowLogs', {
      encryptionKey: this.logKey,
      retention,
    });
    const flowLog = this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    // Only this account's flow logs may use the role (confused deputy): VPC Flow Logs supplies both keys.
    restrictServiceTrust(flowLog.node.findChild('IAMRole') as iam.Role, serviceSourceConditions(this, ServiceSource.ACCOUNT_AND_ARN,
      resourcesOfThisAccount(this, 'ec2', 'vpc-flow-log/*')));
    acknowledgeRules(flowLog.node.findChild('IAMRole'), RULES.inlinePolicy, 'The inline policy is the VPC Flow Logs service\'s '
      + 'grant to write to this one log group, on the role only that service can assume; inline keeps it from being attached '
      + 'to any other principal.');
    // CDK closes the default security group with a one-shot custom resource; it calls only EC2's API at deploy time.
    const restrictProvider = stack.node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    if (restrictProvider) {
      acknowledgeRules(restrictProvider, RULES.lambdaInVpc, 'CDK\'s provider that removes the default security group\'s rules '
        + 'runs once per deployment and calls only the EC2 API; placing it in the isolated VPC would need an EC2 interface '
        + 'endpoint for no gain, and it holds no data. Its role carries the environment\'s permissions boundary.');
    }

    // Endpoints: reachable only from workload security groups, usable only by this account (or organisation) and only
    // for resources of this account (or organisation), so that nothing in the VPC writes to another account's bucket.
    const owners = props.organizationId
      ? { principal: { 'aws:PrincipalOrgID': props.organizationId }, resource: { 'aws:ResourceOrgID': props.organizationId } }
      : { principal: { 'aws:PrincipalAccount': stack.account }, resource: { 'aws:ResourceAccount': stack.account } };
    // Not every service supplies aws:ResourceAccount (actions on no resource carry none): it is pinned when supplied.
    const scopedToOwners = new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['*'],
      resources: ['*'],
      conditions: { StringEquals: owners.principal, StringEqualsIfExists: owners.resource },
    });
    const s3Endpoint = this.vpc.addGatewayEndpoint('S3Endpoint', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [this.workloadSubnets],
    });
    // S3 supplies its own key for every request; the organisation form has no S3 key and takes the global one.
    s3Endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['*'],
      resources: ['*'],
      conditions: props.organizationId
        ? { StringEquals: { ...owners.principal, ...owners.resource } }
        : { StringEquals: { ...owners.principal, 's3:ResourceAccount': stack.account } },
    }));
    // Image layers of private ECR repositories are served from an AWS-owned bucket of the Region (ECR's documented
    // gateway-endpoint policy): read-only, and only that bucket.
    s3Endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: [`arn:${stack.partition}:s3:::prod-${stack.region}-starport-layer-bucket/*`],
      conditions: { StringEquals: owners.principal },
    }));
    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'VPC endpoints of the AI environment: HTTPS from workload security groups only',
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    const services = validateEndpoints(id, props.endpoints ?? [...DEFAULT_ENDPOINT_SERVICES]);
    this.endpointServices = services;
    this.interfaceEndpoints = services.map((service) => {
      const endpoint = this.vpc.addInterfaceEndpoint(endpointId(service), {
        service: new ec2.InterfaceVpcEndpointAwsService(service),
        privateDnsEnabled: true,
        subnets: this.workloadSubnets,
        securityGroups: [this.endpointSecurityGroup],
        open: false,
      });
      endpoint.addToPolicy(scopedToOwners);
      return endpoint;
    });

    // The boundary covers every role of the stack, created before or after this point.
    const subnetIds = this.vpc.selectSubnets(this.workloadSubnets).subnetIds;
    this.boundary = new EnvironmentBoundary(this, 'Boundary', { subnetIds });
    Aspects.of(stack).add(new EnvironmentBoundaryAspect(this.boundary.policy));

    if (props.organizationTrail) {
      const declaration: OrganizationTrailDeclaration = { trailArn: props.organizationTrail.trailArn, reason: props.organizationTrail.reason };
      cfnVpc.addMetadata(ORGANIZATION_TRAIL_METADATA, declaration);
    } else {
      this.auditTrail = new AuditTrail(this, 'AuditTrail', {
        logKey: this.logKey,
        accessLogBucket: this.accessLogBucket,
        retention,
        objectLockMode: this.stage === EnvironmentStage.PRODUCTION ? ObjectLockMode.COMPLIANCE : ObjectLockMode.GOVERNANCE,
      });
    }

    this.alarmTopic = createEnvironmentAlarmTopic(this);
    watchOutOfBandChanges(this, this.alarmTopic);

    Tags.of(stack).add('ai:environment', this.stage);
    Tags.of(stack).add('Environment', this.stage);
    Tags.of(stack).add('Owner', props.owner);
  }

  /**
   * Creates a security group for one workload: no ingress, egress only to the environment's endpoints on HTTPS.
   * Open anything else through its `connections`.
   */
  public addWorkloadSecurityGroup(id: string, description?: string): WorkloadSecurityGroup {
    return new WorkloadSecurityGroup(this, id, { vpc: this.vpc, endpointSecurityGroup: this.endpointSecurityGroup, description });
  }

  /**
   * Records the data events (object reads and writes) of an AI bucket in the environment's audit trail. SecureBucket
   * calls this for itself; call it for other AI buckets. Does nothing when an organisation trail was named.
   */
  public recordDataEvents(bucket: s3.IBucket): void {
    this.auditTrail?.recordBucketDataEvents(bucket);
  }
}

function endpointId(service: AiEndpointService): string {
  return service.split(/[.-]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('') + 'Endpoint';
}

function validateStage(id: string, given: EnvironmentStage | undefined, enclosing: EnvironmentStage | undefined): EnvironmentStage {
  if (given !== undefined && enclosing !== undefined && given !== enclosing) {
    throw new Error(`AiEnvironment ${id}: stage '${given}' differs from the enclosing AiEnvironmentStage's '${enclosing}'. `
      + 'Fix: leave stage unset inside an AiEnvironmentStage, or create the environment in a stage of that kind.');
  }
  return given ?? enclosing ?? EnvironmentStage.PRODUCTION;
}

function validateMaxAzs(id: string, maxAzs: number, stage: EnvironmentStage): number {
  requireWholeNumber(`AiEnvironment ${id}`, 'maxAzs', maxAzs, { min: 1 }, 'give 2 (the default) or more');
  if (stage === EnvironmentStage.PRODUCTION && maxAzs < 2) {
    throw new Error(`AiEnvironment ${id}: maxAzs is ${maxAzs} in a production environment, which must survive the loss of an `
      + 'Availability Zone. Fix: give maxAzs of 2 or more, or use the development or test stage.');
  }
  return maxAzs;
}

function validateCidr(id: string, cidr: string): string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octetsOk = match !== null && match.slice(1, 5).every((o) => Number(o) <= 255);
  const prefix = match ? Number(match[5]) : NaN;
  if (!match || !octetsOk || prefix < 16 || prefix > 28) {
    throw new Error(`AiEnvironment ${id}: cidr '${cidr}' is not an IPv4 CIDR block between /16 and /28. `
      + 'Fix: give a block such as \'10.0.0.0/16\' (a VPC accepts prefix lengths /16 to /28).');
  }
  return cidr;
}

function validateOwner(id: string, owner: string): void {
  if (typeof owner !== 'string' || owner.trim() === '') {
    throw new Error(`AiEnvironment ${id}: owner is empty. Fix: name the team or person accountable for the environment.`);
  }
}


function validateEndpoints(id: string, endpoints: AiEndpointService[]): AiEndpointService[] {
  const known = Object.values(AiEndpointService) as string[];
  const unknown = endpoints.filter((e) => !known.includes(e));
  if (unknown.length > 0) {
    throw new Error(`AiEnvironment ${id}: endpoints contains ${unknown.join(', ')}, which is not an AiEndpointService. Fix: use the enum's values.`);
  }
  return [...new Set(endpoints)];
}
