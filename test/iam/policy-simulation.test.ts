// The attacks of issue 16, one row each, evaluated against the policies the library writes (the reference platform
// plus a GPU training pipeline that opted in to hardware-encrypted storage): what must be allowed, and every bypass and
// tampering that must be denied. The table was written before the fix: on the policies before it, 48 of the first 64
// rows failed (each "a bypass" row but five, which were denied only because the deprecated-key denies refused those
// actions whatever the request carried; and the pipeline's own job, which was denied for the same reason).
import { ApplicablePolicies, ContextValue, Decision, EvaluationRequest, PolicyDocument, evaluate } from './policy-evaluator';
import { ACCOUNT, OTHER_ACCOUNT, REGION, SimulationFixture } from './simulation-fixture';
import { AiEnvironment } from '../../src/environment/ai-environment';

const f = SimulationFixture.build();
const ALLOW_ALL: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const arn = (service: string, resource: string, account = ACCOUNT) => `arn:aws:${service}:${REGION}:${account}:${resource}`;

const dataKey = f.arn('AWS::KMS::Key', 'EnvironmentDataKey');
const artifactKey = dataKey; // the registry's store is encrypted with the environment's data key
const subnets = f.subnetIds;
const otherSubnets = ['subnet-0attacker00000001'];

/** A request by one of the environment's roles, within its boundary. */
interface Row {
  readonly name: string;
  /** The role making the request (its logical ID prefix). */
  readonly role: string;
  /** `own`: the role's own policies; `any`: a policy allowing everything, so that only the boundary (and SCP) decide. */
  readonly identity: 'own' | 'any';
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, ContextValue>;
  readonly resourcePolicy?: PolicyDocument;
  readonly expected: Decision | 'Deny';
}

function run(row: Row): Decision {
  const request: EvaluationRequest = {
    principal: { arn: f.roleArn(row.role), hasBoundary: true },
    action: row.action,
    resource: row.resource,
    context: { ...f.principalTagsOf(row.role), ...row.context },
  };
  const policies: ApplicablePolicies = {
    identity: row.identity === 'own' ? f.identityOf(row.role) : [ALLOW_ALL],
    boundary: f.boundary,
    resource: row.resourcePolicy,
  };
  return evaluate(request, policies).decision;
}

function table(rows: Row[]): void {
  test.each(rows.map((r) => [r.name, r] as const))('%s', (_, row) => {
    const decision = run(row);
    if (row.expected === 'Deny') expect(decision).not.toBe('Allow');
    else expect(decision).toBe(row.expected);
  });
}

/** The keys a compliant SageMaker request carries: this environment's subnets, keys, isolation and encryption. */
const compliant = (instanceTypes: string[] = ['ml.m5.xlarge']): Record<string, ContextValue> => ({
  'sagemaker:VpcSubnets': subnets,
  'sagemaker:VpcSecurityGroupIds': ['sg-0workload'],
  'sagemaker:VolumeKmsKeyArn': dataKey,
  'sagemaker:OutputKmsKeyArn': artifactKey,
  'sagemaker:NetworkIsolation': true,
  'sagemaker:InterContainerTrafficEncryption': true,
  'sagemaker:InstanceTypes': instanceTypes,
});
const without = (context: Record<string, ContextValue>, ...keys: string[]) =>
  Object.fromEntries(Object.entries(context).filter(([k]) => !keys.includes(k)));
const trainingJob = (name: string) => arn('sagemaker', `training-job/${name}`);

describe('1. current condition keys: the pipeline\'s own jobs run, jobs without keys do not', () => {
  table([
    { name: 'allowed: the pipeline starts its training job with the documented keys (denied before: the boundary tested keys no request carries)', role: 'TrainingStateMachineRole', identity: 'own', action: 'sagemaker:CreateTrainingJob', resource: trainingJob(`${f.trainingJobPrefix}-1`), context: compliant(), expected: 'Allow' },
    { name: 'denied: a training job without a volume key', role: 'TrainingStateMachineRole', identity: 'any', action: 'sagemaker:CreateTrainingJob', resource: trainingJob('x'), context: without(compliant(), 'sagemaker:VolumeKmsKeyArn'), expected: 'Deny' },
    { name: 'denied: a training job without an output key', role: 'TrainingStateMachineRole', identity: 'any', action: 'sagemaker:CreateTrainingJob', resource: trainingJob('x'), context: without(compliant(), 'sagemaker:OutputKmsKeyArn'), expected: 'Deny' },
    { name: 'denied: a processing job without a volume key', role: 'EndpointDriftMonitorJobRole', identity: 'any', action: 'sagemaker:CreateProcessingJob', resource: arn('sagemaker', 'processing-job/x'), context: without(compliant(), 'sagemaker:VolumeKmsKeyArn'), expected: 'Deny' },
  ]);
});

describe('2. hardware-encrypted storage: exempt only when every instance type has local storage, only for principals that opted in', () => {
  const gpu = without(compliant(['ml.g5.2xlarge']), 'sagemaker:VolumeKmsKeyArn');
  table([
    { name: 'allowed: the GPU pipeline trains on ml.g5 without a volume key', role: 'VisionStateMachineRole', identity: 'own', action: 'sagemaker:CreateTrainingJob', resource: trainingJob(`${f.visionJobPrefix}-1`), context: gpu, expected: 'Allow' },
    { name: 'allowed: an opted-in principal, an endpoint configuration whose every instance type has local storage', role: 'VisionStateMachineRole', identity: 'any', action: 'sagemaker:CreateEndpointConfig', resource: arn('sagemaker', 'endpoint-config/x'), context: { ...gpu, 'sagemaker:InstanceTypes': ['ml.g5.xlarge', 'ml.p4d.24xlarge'] }, expected: 'Allow' },
    { name: 'denied (a bypass): mixed ml.g5.xlarge and ml.m5.xlarge without a key', role: 'VisionStateMachineRole', identity: 'any', action: 'sagemaker:CreateEndpointConfig', resource: arn('sagemaker', 'endpoint-config/x'), context: { ...gpu, 'sagemaker:InstanceTypes': ['ml.g5.xlarge', 'ml.m5.xlarge'] }, expected: 'Deny' },
    { name: 'denied (a bypass): a training job on ml.g5 and ml.m5 without a key', role: 'VisionStateMachineRole', identity: 'any', action: 'sagemaker:CreateTrainingJob', resource: trainingJob('x'), context: { ...gpu, 'sagemaker:InstanceTypes': ['ml.g5.2xlarge', 'ml.m5.xlarge'] }, expected: 'Deny' },
    { name: 'denied (a bypass): a principal that did not opt in, on ml.g5 without a key', role: 'TrainingStateMachineRole', identity: 'any', action: 'sagemaker:CreateTrainingJob', resource: trainingJob('x'), context: gpu, expected: 'Deny' },
    { name: 'denied (a bypass): another role of the environment, on ml.g5 without a key', role: 'EndpointExecutionRole', identity: 'any', action: 'sagemaker:CreateEndpointConfig', resource: arn('sagemaker', 'endpoint-config/x'), context: { ...gpu, 'sagemaker:InstanceTypes': ['ml.g5.xlarge'] }, expected: 'Deny' },
    { name: 'denied: an opted-in principal, work without instance types and without a key', role: 'VisionStateMachineRole', identity: 'any', action: 'sagemaker:CreateAutoMLJobV2', resource: arn('sagemaker', 'automl-job/x'), context: without(gpu, 'sagemaker:InstanceTypes'), expected: 'Deny' },
    { name: 'denied: a principal claims the opt-in by tagging itself', role: 'TrainingStateMachineRole', identity: 'any', action: 'iam:TagRole', resource: f.roleArn('TrainingStateMachineRole'), context: { 'aws:TagKeys': ['ai:hardware-encrypted-storage'] }, expected: 'Deny' },
  ]);
});

describe('3. every action the reference lists with the keys, and tampering', () => {
  const role = 'EndpointDriftMonitorJobRole';
  const sm = (action: string, resource: string, context: Record<string, ContextValue>): Omit<Row, 'name' | 'expected'> => ({ role, identity: 'any', action: `sagemaker:${action}`, resource: arn('sagemaker', resource), context });
  table([
    { name: 'allowed: a compliant data-quality job definition', ...sm('CreateDataQualityJobDefinition', 'data-quality-job-definition/x', compliant()), expected: 'Allow' },
    { name: 'denied (a bypass): CreateMonitoringSchedule with an inline job without a volume key', ...sm('CreateMonitoringSchedule', 'monitoring-schedule/x', without(compliant(), 'sagemaker:VolumeKmsKeyArn')), expected: 'Deny' },
    { name: 'denied (a bypass): UpdateMonitoringSchedule with an inline job in other subnets', ...sm('UpdateMonitoringSchedule', 'monitoring-schedule/x', { ...compliant(), 'sagemaker:VpcSubnets': otherSubnets }), expected: 'Deny' },
    { name: 'denied (a bypass): CreateMonitoringSchedule with an inline job without network isolation', ...sm('CreateMonitoringSchedule', 'monitoring-schedule/x', { ...compliant(), 'sagemaker:NetworkIsolation': false }), expected: 'Deny' },
    ...['DataQuality', 'ModelQuality', 'ModelBias', 'ModelExplainability'].flatMap((kind): Row[] => [
      { name: `denied (a bypass): Create${kind}JobDefinition without a volume key`, ...sm(`Create${kind}JobDefinition`, `${kind.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}-job-definition/x`, without(compliant(), 'sagemaker:VolumeKmsKeyArn')), expected: 'Deny' },
      { name: `denied (a bypass): Create${kind}JobDefinition outside the VPC`, ...sm(`Create${kind}JobDefinition`, `${kind.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}-job-definition/x`, without(compliant(), 'sagemaker:VpcSubnets')), expected: 'Deny' },
    ]),
    { name: 'denied (a bypass): CreateAutoMLJob outside the VPC', ...sm('CreateAutoMLJob', 'automl-job/x', without(compliant(), 'sagemaker:VpcSubnets', 'sagemaker:InstanceTypes')), expected: 'Deny' },
    { name: 'denied (a bypass): CreateAutoMLJobV2 without a volume key', ...sm('CreateAutoMLJobV2', 'automl-job/x', without(compliant(), 'sagemaker:VolumeKmsKeyArn', 'sagemaker:InstanceTypes')), expected: 'Deny' },
    { name: 'denied (a bypass): CreateDomain with public internet access', ...sm('CreateDomain', 'domain/x', { ...compliant(), 'sagemaker:AppNetworkAccessType': 'PublicInternetOnly' }), expected: 'Deny' },
    { name: 'denied (a bypass): CreateDomain without a volume key', ...sm('CreateDomain', 'domain/x', { ...without(compliant(), 'sagemaker:VolumeKmsKeyArn'), 'sagemaker:AppNetworkAccessType': 'VpcOnly' }), expected: 'Deny' },
    { name: 'denied (a bypass): UpdateDomain into other subnets', ...sm('UpdateDomain', 'domain/x', { 'sagemaker:VpcSubnets': otherSubnets }), expected: 'Deny' },
    { name: 'denied (a bypass): UpdateDomain to public internet access', ...sm('UpdateDomain', 'domain/x', { 'sagemaker:AppNetworkAccessType': 'PublicInternetOnly' }), expected: 'Deny' },
    { name: 'denied (a bypass): CreateCluster outside the VPC', ...sm('CreateCluster', 'cluster/x', without(compliant(), 'sagemaker:VpcSubnets')), expected: 'Deny' },
    { name: 'denied (a bypass): CreateEndpointConfig without network isolation', ...sm('CreateEndpointConfig', 'endpoint-config/x', { ...compliant(), 'sagemaker:NetworkIsolation': false }), expected: 'Deny' },
    { name: 'denied (a bypass): CreateNotebookInstance with direct internet access', ...sm('CreateNotebookInstance', 'notebook-instance/x', { ...compliant(), 'sagemaker:DirectInternetAccess': 'Enabled', 'sagemaker:RootAccess': 'Disabled' }), expected: 'Deny' },
    { name: 'denied (a bypass): CreateNotebookInstance without saying Disabled (internet access is its default)', ...sm('CreateNotebookInstance', 'notebook-instance/x', { ...compliant(), 'sagemaker:RootAccess': 'Disabled' }), expected: 'Deny' },
  ]);

  const boundaryArn = f.ref('AWS::IAM::ManagedPolicy', 'EnvironmentBoundaryPolicy');
  const tamper = (action: string, resource: string, context: Record<string, ContextValue> = {}): Omit<Row, 'name' | 'expected'> => ({ role: 'EndpointExecutionRole', identity: 'any', action, resource, context });
  const artifacts = f.arn('AWS::S3::Bucket', 'RegistryArtifacts');
  table([
    { name: 'denied (a bypass): logs:PutRetentionPolicy on the flow logs', ...tamper('logs:PutRetentionPolicy', arn('logs', 'log-group:flow-logs')), expected: 'Deny' },
    { name: 'denied (a bypass): s3:PutBucketPolicy on the artifact store', ...tamper('s3:PutBucketPolicy', artifacts), expected: 'Deny' },
    { name: 'denied (a bypass): s3:DeleteBucketPolicy on the artifact store', ...tamper('s3:DeleteBucketPolicy', artifacts), expected: 'Deny' },
    { name: 'denied (a bypass): s3:PutLifecycleConfiguration on the artifact store', ...tamper('s3:PutLifecycleConfiguration', artifacts), expected: 'Deny' },
    { name: 'denied (a bypass): iam:CreatePolicyVersion of the boundary itself', ...tamper('iam:CreatePolicyVersion', boundaryArn), expected: 'Deny' },
    { name: 'denied (a bypass): iam:SetDefaultPolicyVersion of the boundary itself', ...tamper('iam:SetDefaultPolicyVersion', boundaryArn), expected: 'Deny' },
    { name: 'denied (a bypass): iam:CreateRole without the boundary', ...tamper('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/escape`), expected: 'Deny' },
    { name: 'denied (a bypass): iam:CreateRole with another boundary', ...tamper('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/escape`, { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/open` }), expected: 'Deny' },
    { name: 'allowed: iam:CreateRole with the environment\'s boundary', ...tamper('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/helper`, { 'iam:PermissionsBoundary': boundaryArn }), expected: 'Allow' },
    { name: 'denied (a bypass): ec2:CreateRoute', ...tamper('ec2:CreateRoute', arn('ec2', 'route-table/rtb-1')), expected: 'Deny' },
    { name: 'denied (a bypass): ec2:AttachInternetGateway', ...tamper('ec2:AttachInternetGateway', arn('ec2', 'internet-gateway/igw-1')), expected: 'Deny' },
    { name: 'denied (a bypass): ec2:ModifyVpcEndpoint', ...tamper('ec2:ModifyVpcEndpoint', arn('ec2', 'vpc-endpoint/vpce-1')), expected: 'Deny' },
    { name: 'denied (a bypass): events:DisableRule', ...tamper('events:DisableRule', arn('events', 'rule/model-package-state')), expected: 'Deny' },
    { name: 'denied (a bypass): backup:DeleteBackupPlan', ...tamper('backup:DeleteBackupPlan', arn('backup', 'backup-plan:p')), expected: 'Deny' },
    { name: 'denied (a bypass): backup:DeleteBackupSelection', ...tamper('backup:DeleteBackupSelection', arn('backup', 'backup-plan:p')), expected: 'Deny' },
    { name: 'denied: cloudtrail:StopLogging', ...tamper('cloudtrail:StopLogging', arn('cloudtrail', 'trail/t')), expected: 'Deny' },
    { name: 'denied: kms:ScheduleKeyDeletion', ...tamper('kms:ScheduleKeyDeletion', dataKey), expected: 'Deny' },
  ]);
});

describe('4. confused deputy: services act for this account (and this resource) only', () => {
  const assume = (rolePrefix: string, service: string, sourceArn: string | undefined, sourceAccount: string) => {
    const context: Record<string, ContextValue> = { 'aws:SourceAccount': sourceAccount };
    if (sourceArn) context['aws:SourceArn'] = sourceArn;
    return evaluate(
      { principal: { service }, action: 'sts:AssumeRole', resource: f.roleArn(rolePrefix), context },
      { resource: f.documentOf('AWS::IAM::Role', rolePrefix, 'AssumeRolePolicyDocument'), resourcePolicyRequired: true },
    ).decision;
  };
  const scheduleArn = (): string => {
    const trust = f.documentOf('AWS::IAM::Role', 'EndpointDriftMonitorSchedulerRole', 'AssumeRolePolicyDocument') as unknown as { Statement: Array<{ Condition: { StringEquals: Record<string, unknown> } }> };
    return String(trust.Statement[0].Condition.StringEquals['aws:SourceArn']);
  };
  const roles: Array<[string, string, string, (account: string) => string | undefined]> = [
    ['the endpoint execution role', 'EndpointExecutionRole', 'sagemaker.amazonaws.com', (a) => `arn:aws:sagemaker:${REGION}:${a}:model/x`],
    ['the drift monitor\'s job role', 'EndpointDriftMonitorJobRole', 'sagemaker.amazonaws.com', (a) => `arn:aws:sagemaker:${REGION}:${a}:processing-job/x`],
    // The schedule's own ARN, as the role's trust names it, in this account or another.
    ['the drift monitor\'s scheduler role', 'EndpointDriftMonitorSchedulerRole', 'scheduler.amazonaws.com', (a) => scheduleArn().replace(`:${ACCOUNT}:`, `:${a}:`)],
    ['the backup role', 'BackupBackupRole', 'backup.amazonaws.com', (a) => `arn:aws:backup:${REGION}:${a}:backup-vault:v`],
    ['the restore role', 'BackupRestoreRole', 'backup.amazonaws.com', (a) => `arn:aws:backup:${REGION}:${a}:restore-testing-plan:p`],
    ['the flow-log role', 'EnvironmentVpcFlowLogIAMRole', 'vpc-flow-logs.amazonaws.com', (a) => `arn:aws:ec2:${REGION}:${a}:vpc-flow-log/fl-1`],
    ['the CloudTrail-to-Logs role', 'EnvironmentAuditTrailLogsRole', 'cloudtrail.amazonaws.com', (a) => `arn:aws:cloudtrail:${REGION}:${a}:trail/t`],
    ['the API Gateway integration role', 'ApiIntegrationRole', 'apigateway.amazonaws.com', (a) => `arn:aws:execute-api:${REGION}:${a}:api/prod/POST/invocations`],
    ['the training execution role', 'TrainingExecutionRole', 'sagemaker.amazonaws.com', (a) => `arn:aws:sagemaker:${REGION}:${a}:training-job/x`],
  ];
  test.each(roles)('%s: assumed for this account, not for another (a bypass before, except training)', (_, prefix, service, source) => {
    expect(assume(prefix, service, source(ACCOUNT), ACCOUNT)).toBe('Allow');
    expect(assume(prefix, service, source(OTHER_ACCOUNT), OTHER_ACCOUNT)).not.toBe('Allow');
  });

  test('the CloudTrail bucket takes log files from this account\'s trails only (a bypass before)', () => {
    const put = (account: string) => evaluate({
      principal: { service: 'cloudtrail.amazonaws.com' },
      action: 's3:PutObject',
      resource: `${f.arn('AWS::S3::Bucket', 'EnvironmentAuditTrailBucket')}/AWSLogs/${ACCOUNT}/CloudTrail/x.json.gz`,
      context: { 'aws:SourceAccount': account, 'aws:SourceArn': `arn:aws:cloudtrail:${REGION}:${account}:trail/t`, 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SecureTransport': true },
    }, { resource: f.bucketPolicyOf('EnvironmentAuditTrailBucket') }).decision;
    expect(put(ACCOUNT)).toBe('Allow');
    expect(put(OTHER_ACCOUNT)).not.toBe('Allow');
  });
});

describe('5. VPC endpoint policies pin the resource account', () => {
  const through = (endpoint: string, action: string, resource: string, resourceAccount: string, resourcePolicy?: PolicyDocument) => evaluate({
    principal: { arn: f.roleArn('TrainingExecutionRole'), hasBoundary: true },
    action,
    resource,
    context: { 'aws:ResourceAccount': resourceAccount, 's3:ResourceAccount': resourceAccount, 'aws:SecureTransport': true },
  }, {
    identity: [ALLOW_ALL],
    boundary: f.boundary,
    resource: resourcePolicy,
    endpoint: f.documentOf('AWS::EC2::VPCEndpoint', endpoint, 'PolicyDocument'),
  }).decision;
  const attackerBucket: PolicyDocument = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::exfil/*' }] };

  test('allowed: writing the account\'s own artifact store through the S3 gateway endpoint', () => {
    expect(through('EnvironmentVpcS3Endpoint', 's3:PutObject', `${f.arn('AWS::S3::Bucket', 'RegistryArtifacts')}/training/x`, ACCOUNT)).toBe('Allow');
  });
  test('denied (a bypass): writing a bucket of another account that accepts anyone', () => {
    expect(through('EnvironmentVpcS3Endpoint', 's3:PutObject', 'arn:aws:s3:::exfil/data.csv', OTHER_ACCOUNT, attackerBucket)).not.toBe('Allow');
  });
  test('denied (a bypass): using another account\'s KMS key through the KMS endpoint', () => {
    const open: PolicyDocument = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] };
    expect(through('EnvironmentVpcKmsEndpoint', 'kms:Encrypt', arn('kms', 'key/attacker', OTHER_ACCOUNT), OTHER_ACCOUNT, open)).not.toBe('Allow');
  });
});

describe('6. another stage\'s role', () => {
  test('denied: a production role using the development account\'s data key (not named by its key policy)', () => {
    const decision = evaluate({
      principal: { arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/production-training`, hasBoundary: true },
      action: 'kms:Decrypt',
      resource: dataKey,
    }, { identity: [ALLOW_ALL], resource: f.documentOf('AWS::KMS::Key', 'EnvironmentDataKey', 'KeyPolicy'), resourcePolicyRequired: true }).decision;
    expect(decision).not.toBe('Allow');
  });
});

describe('the service control policy binds principals the boundary does not', () => {
  const scp = (hardware = false): PolicyDocument[][] => [[
    { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, // FullAWSAccess
    AiEnvironment.serviceControlPolicy({ allowHardwareEncryptedStorage: hardware }).toJSON() as PolicyDocument,
  ]];
  const ADMIN = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef`;
  const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`;
  const asPrincipal = (principal: string, action: string, resource: string, context: Record<string, ContextValue> = {}, hardware = false) =>
    evaluate({ principal: { arn: principal }, action, resource, context }, { identity: [ALLOW_ALL], scps: scp(hardware) }).decision;

  test('denied: an administrator without the boundary stops the trail or shortens log retention', () => {
    expect(asPrincipal(ADMIN, 'cloudtrail:StopLogging', arn('cloudtrail', 'trail/t'))).toBe('ExplicitDeny');
    expect(asPrincipal(ADMIN, 'logs:PutRetentionPolicy', arn('logs', 'log-group:flow-logs'))).toBe('ExplicitDeny');
    expect(asPrincipal(ADMIN, 'iam:DeleteRolePermissionsBoundary', f.roleArn('TrainingExecutionRole'))).toBe('ExplicitDeny');
  });
  test('allowed: the deployment role updates the trail', () => {
    expect(asPrincipal(DEPLOYER, 'cloudtrail:UpdateTrail', arn('cloudtrail', 'trail/t'))).toBe('Allow');
  });
  test('denied: anyone, deployments included, creates a notebook with internet access or a training job without a key', () => {
    expect(asPrincipal(ADMIN, 'sagemaker:CreateNotebookInstance', arn('sagemaker', 'notebook-instance/x'), { ...compliant(), 'sagemaker:DirectInternetAccess': 'Enabled' })).toBe('ExplicitDeny');
    expect(asPrincipal(DEPLOYER, 'sagemaker:CreateTrainingJob', trainingJob('x'), without(compliant(), 'sagemaker:VolumeKmsKeyArn'))).toBe('ExplicitDeny');
  });
  test('with hardware-encrypted storage allowed: only work whose every instance type has local storage goes without a key', () => {
    const gpu = without(compliant(['ml.g5.xlarge']), 'sagemaker:VolumeKmsKeyArn');
    expect(asPrincipal(DEPLOYER, 'sagemaker:CreateEndpointConfig', arn('sagemaker', 'endpoint-config/x'), gpu, true)).toBe('Allow');
    expect(asPrincipal(DEPLOYER, 'sagemaker:CreateEndpointConfig', arn('sagemaker', 'endpoint-config/x'), { ...gpu, 'sagemaker:InstanceTypes': ['ml.g5.xlarge', 'ml.m5.xlarge'] }, true)).toBe('ExplicitDeny');
    expect(asPrincipal(DEPLOYER, 'sagemaker:CreateEndpointConfig', arn('sagemaker', 'endpoint-config/x'), gpu, false)).toBe('ExplicitDeny');
  });
});
