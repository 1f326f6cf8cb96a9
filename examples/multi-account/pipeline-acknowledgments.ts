/**
 * The findings the generic packs raise on what CDK Pipelines builds itself: its roles' policies and its CodeBuild
 * projects. Each is acknowledged on the one policy or project that raises it, with the wildcard it concerns named
 * exactly, so that any other wildcard (one a future CDK version or an edit to this app adds) is still reported.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { IConstruct } from 'constructs';

const INLINE_POLICY = ['NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy'];
const SOURCE_REPO_URL = ['HIPAA.Security-CodeBuildProjectSourceRepoUrl', 'PCI.DSS.321-CodeBuildProjectSourceRepoUrl'];
const action = (name: string) => `AwsSolutions-IAM5[Action::${name}]`;
const resource = (arn: string) => `AwsSolutions-IAM5[Resource::${arn}]`;

const REASONS = {
  inlinePolicy: 'CDK Pipelines writes the grants of this role (artifact bucket and key, the projects it starts, the roles it '
    + 'assumes) into the role\'s own AWS::IAM::Policy, attached to this role alone; a customer-managed policy could be attached '
    + 'to other principals.',
  artifacts: 'The grant CDK Pipelines makes on the pipeline\'s own artifact bucket and its key (bucket.grantRead or '
    + 'grantReadWrite): the action wildcards are the grant\'s groups of object and key actions, and the objects are the '
    + 'artifacts each execution writes under generated names, in that one bucket only.',
  buildLogs: 'CodeBuild\'s default grant to a project: its own /aws/codebuild/<project> log group, whose streams are named per '
    + 'build, and report groups named after the project. The builds log to the encrypted BuildLogs group instead.',
  selfMutationRoles: 'The self-mutation build runs `cdk deploy` of the pipeline stack, which assumes the tooling account\'s '
    + 'bootstrap roles; their names carry the bootstrap qualifier, so the condition on the aws-cdk:bootstrap-role tag, not the '
    + 'name, limits the role to the deploy and publishing roles cdk bootstrap created.',
  selfMutationReads: 'The self-mutation build\'s `cdk deploy` reads the bootstrap stack\'s version (cloudformation:DescribeStacks) '
    + 'and finds the staging bucket (s3:ListBucket) before it assumes the deploy role; neither action supports a narrower '
    + 'resource that is known before the bootstrap stack exists, and both only read.',
  assetRole: 'CDK Pipelines creates the asset-publishing role once for every asset project, before the projects exist, so it '
    + 'scopes log groups, report groups and builds to the tooling account; only CodeBuild can assume the role, and it can '
    + 'publish only through the file-publishing roles of the development and production accounts.',
  sourceRepoUrl: 'The project\'s source is the pipeline (type CODEPIPELINE): it has no repository URL and holds no credential. '
    + 'The repository is read by the pipeline\'s source action through an AWS CodeConnections connection, an OAuth app '
    + 'installation AWS manages, and reaches the build as an artifact encrypted with the pipeline\'s key.',
} as const;

/** Acknowledges, with their reasons, the findings on the roles and projects CDK Pipelines made for `pipeline`. */
export function acknowledgeCdkPipelinesFindings(pipeline: pipelines.CodePipeline, artifactBucket: s3.IBucket): void {
  const stack = Stack.of(pipeline);
  const { account, region } = stack;
  const logicalId = (token: string) => {
    const resolved = stack.resolve(token) as { 'Ref'?: string; 'Fn::GetAtt'?: [string, string] };
    return resolved.Ref ?? resolved['Fn::GetAtt']![0];
  };
  const artifactObjects = resource(`<${logicalId(artifactBucket.bucketArn)}.Arn>/*`);
  const readArtifacts = [action('s3:GetObject*'), action('s3:GetBucket*'), action('s3:List*'), artifactObjects];
  const writeArtifacts = [...readArtifacts, action('s3:DeleteObject*'), action('s3:Abort*')];
  const useArtifactKey = [action('kms:ReEncrypt*'), action('kms:GenerateDataKey*')];
  const projectLogs = (project: codebuild.IProject) => {
    const id = logicalId(project.projectName);
    return [
      resource(`arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws/codebuild/<${id}>:*`),
      resource(`arn:<AWS::Partition>:codebuild:${region}:${account}:report-group/<${id}>-*`),
    ];
  };

  // The source action's role, made when the action was bound to the pipeline: Pipeline/<stage>/<action>/CodePipelineActionRole.
  const source = pipeline.pipeline.stages[0];
  const sourceRole = pipeline.pipeline.node.findChild(source.stageName).node.findChild(source.actions[0].actionProperties.actionName)
    .node.findChild('CodePipelineActionRole') as iam.IRole;
  const assets = pipeline.node.findChild('Assets');
  const roles: Array<[iam.IRole | undefined, Array<[string[], string]>]> = [
    [pipeline.pipeline.role, [[[...writeArtifacts, ...useArtifactKey], REASONS.artifacts]]],
    [sourceRole, [[[...writeArtifacts, ...useArtifactKey], REASONS.artifacts]]],
    [pipeline.synthProject.role, [
      [[...writeArtifacts, ...useArtifactKey], REASONS.artifacts],
      [projectLogs(pipeline.synthProject), REASONS.buildLogs],
    ]],
    [pipeline.selfMutationProject.role, [
      [[...readArtifacts, ...useArtifactKey], REASONS.artifacts],
      [projectLogs(pipeline.selfMutationProject), REASONS.buildLogs],
      [[resource(`arn:*:iam::${account}:role/*`)], REASONS.selfMutationRoles],
      [[resource('*')], REASONS.selfMutationReads],
    ]],
    [assets.node.findChild('FileRole') as iam.IRole, [
      [readArtifacts, REASONS.artifacts],
      [[
        resource(`arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws/codebuild/*`),
        resource(`arn:<AWS::Partition>:codebuild:${region}:${account}:report-group/*`),
        resource('*'),
      ], REASONS.assetRole],
    ]],
    // Starts the three projects, each by its ARN: no wildcard, only the policy of its own.
    [pipeline.node.findChild('CodeBuildActionRole') as iam.IRole, []],
  ];
  for (const [role, wildcards] of roles) {
    const policy = role?.node.tryFindChild('DefaultPolicy');
    if (policy === undefined) throw new Error(`acknowledgeCdkPipelinesFindings: ${role?.node.path ?? 'a pipeline role'} has no DefaultPolicy.`);
    acknowledge(policy, INLINE_POLICY, REASONS.inlinePolicy);
    for (const [ids, reason] of wildcards) acknowledge(policy, ids, reason);
  }

  const projects = [pipeline.synthProject, pipeline.selfMutationProject, assets.node.findChild('FileAsset') as codebuild.IProject];
  for (const project of projects) acknowledge(project.node.defaultChild!, SOURCE_REPO_URL, REASONS.sourceRepoUrl);
}

function acknowledge(scope: IConstruct, ids: string[], reason: string): void {
  Validations.of(scope).acknowledge(...ids.map((id) => ({ id, reason })));
}
