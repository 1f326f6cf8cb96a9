// Every IAM policy document in a synthesized cloud assembly, with CloudFormation intrinsics rendered into strings a
// policy checker or evaluator can read: references to resources of the template become the ARNs or names those
// resources would have (named after their logical IDs), pseudo parameters become fixed values, and what cannot be known
// (imports, Availability Zones) becomes UNRESOLVED.
import * as fs from 'fs';
import * as path from 'path';
import type { PolicyDocument } from './policy-evaluator';

/** Stands for a value the template cannot tell; inside an ARN it is read as a wildcard. */
export const UNRESOLVED = '{{unresolved}}';

/** Where a policy document sits and what it governs. */
export type PolicyKind = 'identity' | 'boundary' | 'trust' | 'key' | 'endpoint' | 'resource';

export interface TemplatePolicy {
  /** The template file, relative to the cloud assembly. */
  readonly template: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** The property path of the document in the resource, e.g. `Policies.0.PolicyDocument`. */
  readonly propertyPath: string;
  readonly kind: PolicyKind;
  readonly document: PolicyDocument;
}

export interface RenderEnvironment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

const DEFAULT_ENV: RenderEnvironment = { account: '111111111111', region: 'us-east-1', partition: 'aws' };

interface CfnTemplate {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Parameters?: Record<string, { Default?: unknown }>;
}

/** What a reference to a resource of each type renders to: its ARN (from its logical ID) and whether Ref gives the ARN. */
interface ArnOfType {
  readonly arn: (name: string, e: RenderEnvironment) => string;
  readonly refIsArn?: boolean;
  readonly refName?: (name: string) => string;
}

const ARN_OF: Record<string, ArnOfType> = {
  'AWS::S3::Bucket': { arn: (n, e) => `arn:${e.partition}:s3:::${n.toLowerCase()}`, refName: (n) => n.toLowerCase() },
  'AWS::KMS::Key': { arn: (n, e) => `arn:${e.partition}:kms:${e.region}:${e.account}:key/${n}` },
  'AWS::Logs::LogGroup': { arn: (n, e) => `arn:${e.partition}:logs:${e.region}:${e.account}:log-group:${n}:*` },
  'AWS::SNS::Topic': { arn: (n, e) => `arn:${e.partition}:sns:${e.region}:${e.account}:${n}`, refIsArn: true },
  'AWS::SQS::Queue': { arn: (n, e) => `arn:${e.partition}:sqs:${e.region}:${e.account}:${n}` },
  'AWS::Lambda::Function': { arn: (n, e) => `arn:${e.partition}:lambda:${e.region}:${e.account}:function:${n}` },
  'AWS::Lambda::Version': { arn: (n, e) => `arn:${e.partition}:lambda:${e.region}:${e.account}:function:${n}:1`, refIsArn: true },
  'AWS::Lambda::Alias': { arn: (n, e) => `arn:${e.partition}:lambda:${e.region}:${e.account}:function:${n}:live`, refIsArn: true },
  'AWS::IAM::Role': { arn: (n, e) => `arn:${e.partition}:iam::${e.account}:role/${n}` },
  'AWS::IAM::ManagedPolicy': { arn: (n, e) => `arn:${e.partition}:iam::${e.account}:policy/${n}`, refIsArn: true },
  'AWS::StepFunctions::StateMachine': { arn: (n, e) => `arn:${e.partition}:states:${e.region}:${e.account}:stateMachine:${n}`, refIsArn: true },
  'AWS::SageMaker::Endpoint': { arn: (n, e) => `arn:${e.partition}:sagemaker:${e.region}:${e.account}:endpoint/${n.toLowerCase()}`, refIsArn: true },
  'AWS::SageMaker::EndpointConfig': { arn: (n, e) => `arn:${e.partition}:sagemaker:${e.region}:${e.account}:endpoint-config/${n.toLowerCase()}`, refIsArn: true },
  'AWS::SageMaker::Model': { arn: (n, e) => `arn:${e.partition}:sagemaker:${e.region}:${e.account}:model/${n.toLowerCase()}`, refIsArn: true },
  'AWS::SageMaker::ModelPackageGroup': { arn: (n, e) => `arn:${e.partition}:sagemaker:${e.region}:${e.account}:model-package-group/${n.toLowerCase()}`, refIsArn: true },
  'AWS::SageMaker::ModelCard': { arn: (n, e) => `arn:${e.partition}:sagemaker:${e.region}:${e.account}:model-card/${n.toLowerCase()}` },
  'AWS::SageMaker::DataQualityJobDefinition': { arn: (n, e) => `arn:${e.partition}:sagemaker:${e.region}:${e.account}:data-quality-job-definition/${n.toLowerCase()}` },
  'AWS::SageMaker::MonitoringSchedule': { arn: (n, e) => `arn:${e.partition}:sagemaker:${e.region}:${e.account}:monitoring-schedule/${n.toLowerCase()}` },
  'AWS::ECR::Repository': { arn: (n, e) => `arn:${e.partition}:ecr:${e.region}:${e.account}:repository/${n.toLowerCase()}`, refName: (n) => n.toLowerCase() },
  'AWS::Backup::BackupVault': { arn: (n, e) => `arn:${e.partition}:backup:${e.region}:${e.account}:backup-vault:${n}` },
  'AWS::Backup::LogicallyAirGappedBackupVault': { arn: (n, e) => `arn:${e.partition}:backup:${e.region}:${e.account}:backup-vault:${n}` },
  'AWS::Backup::BackupPlan': { arn: (n, e) => `arn:${e.partition}:backup:${e.region}:${e.account}:backup-plan:${n}` },
  'AWS::Events::Rule': { arn: (n, e) => `arn:${e.partition}:events:${e.region}:${e.account}:rule/${n}` },
  'AWS::CloudTrail::Trail': { arn: (n, e) => `arn:${e.partition}:cloudtrail:${e.region}:${e.account}:trail/${n}` },
  'AWS::DynamoDB::Table': { arn: (n, e) => `arn:${e.partition}:dynamodb:${e.region}:${e.account}:table/${n}` },
  'AWS::CodeBuild::Project': { arn: (n, e) => `arn:${e.partition}:codebuild:${e.region}:${e.account}:project/${n}` },
  'AWS::CodePipeline::Pipeline': { arn: (n, e) => `arn:${e.partition}:codepipeline:${e.region}:${e.account}:${n}` },
  'AWS::EC2::Subnet': { arn: (n, e) => `arn:${e.partition}:ec2:${e.region}:${e.account}:subnet/subnet-${n.toLowerCase()}`, refName: (n) => `subnet-${n.toLowerCase()}` },
  'AWS::EC2::VPC': { arn: (n, e) => `arn:${e.partition}:ec2:${e.region}:${e.account}:vpc/vpc-${n.toLowerCase()}`, refName: (n) => `vpc-${n.toLowerCase()}` },
  'AWS::EC2::SecurityGroup': { arn: (n, e) => `arn:${e.partition}:ec2:${e.region}:${e.account}:security-group/sg-${n.toLowerCase()}`, refName: (n) => `sg-${n.toLowerCase()}` },
  'AWS::ApiGateway::RestApi': { arn: (n, e) => `arn:${e.partition}:apigateway:${e.region}::/restapis/${n.toLowerCase()}`, refName: (n) => n.toLowerCase() },
  'AWS::WAFv2::WebACL': { arn: (n, e) => `arn:${e.partition}:wafv2:${e.region}:${e.account}:regional/webacl/${n}/id` },
};

const NAME_PROPERTIES = ['ManagedPolicyName', 'BucketName', 'RoleName', 'TopicName', 'FunctionName', 'StateMachineName', 'EndpointName',
  'ModelPackageGroupName', 'RepositoryName', 'LogGroupName', 'TableName', 'TrailName', 'BackupVaultName'];

/** Renders the intrinsics of one template. */
export class TemplateRenderer {
  public constructor(private readonly template: CfnTemplate, private readonly env: RenderEnvironment = DEFAULT_ENV) {}

  public render(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.render(v)).filter((v) => v !== undefined);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0];
      switch (fn) {
        case 'Ref': return this.ref(arg as string);
        case 'Fn::GetAtt': return this.getAtt(...(typeof arg === 'string' ? arg.split('.', 2) : arg as string[]) as [string, string]);
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown];
          const rendered = this.render(parts);
          return Array.isArray(rendered) ? rendered.map(String).join(sep) : UNRESOLVED;
        }
        case 'Fn::Sub': return this.sub(arg as string | [string, Record<string, unknown>]);
        case 'Fn::Select': {
          const [index, items] = arg as [unknown, unknown];
          const list = this.render(items);
          return Array.isArray(list) ? list[Number(this.render(index))] ?? UNRESOLVED : UNRESOLVED;
        }
        case 'Fn::Split': {
          const [sep, text] = arg as [string, unknown];
          const rendered = this.render(text);
          return typeof rendered === 'string' && !rendered.includes(UNRESOLVED) ? rendered.split(sep) : UNRESOLVED;
        }
        case 'Fn::If': return this.render((arg as unknown[])[1]);
        case 'Fn::ImportValue':
        case 'Fn::GetAZs':
        case 'Fn::FindInMap':
        case 'Fn::Base64':
        case 'Fn::Cidr':
          return UNRESOLVED;
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.render(v)]).filter(([, v]) => v !== undefined));
  }

  private ref(name: string): unknown {
    switch (name) {
      case 'AWS::Partition': return this.env.partition;
      case 'AWS::Region': return this.env.region;
      case 'AWS::AccountId': return this.env.account;
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return 'stack';
      case 'AWS::StackId': return `arn:${this.env.partition}:cloudformation:${this.env.region}:${this.env.account}:stack/stack/id`;
      case 'AWS::NoValue': return undefined;
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter) return parameter.Default !== undefined ? this.render(parameter.Default) : UNRESOLVED;
    const resource = this.template.Resources?.[name];
    if (!resource) return UNRESOLVED;
    const kind = ARN_OF[resource.Type];
    if (!kind) return name;
    const physical = this.physicalName(name);
    return kind.refIsArn ? kind.arn(physical, this.env) : (kind.refName?.(physical) ?? physical);
  }

  /** A resource's name: the literal name its properties give, otherwise its logical ID. */
  private physicalName(logicalId: string): string {
    const properties = this.template.Resources?.[logicalId]?.Properties ?? {};
    const named = NAME_PROPERTIES.map((p) => properties[p]).find((v) => typeof v === 'string');
    return (named as string | undefined) ?? logicalId;
  }

  private getAtt(name: string, attribute: string): unknown {
    const resource = this.template.Resources?.[name];
    const kind = resource && ARN_OF[resource.Type];
    if (!kind) return UNRESOLVED;
    if (/Arn$/.test(attribute)) return kind.arn(this.physicalName(name), this.env);
    if (attribute === 'RoleId' || attribute === 'KeyId') return name;
    return UNRESOLVED;
  }

  private sub(arg: string | [string, Record<string, unknown>]): string {
    const [text, vars] = typeof arg === 'string' ? [arg, {}] : arg;
    return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
      if (name in vars) return String(this.render(vars[name]));
      const [ref, attribute] = name.split('.', 2);
      return String(attribute ? this.getAtt(ref, attribute) : this.ref(ref));
    });
  }
}

/** Every policy document in every template of a cloud assembly (nested assemblies of stages included). */
export function policiesOfAssembly(outdir: string, env?: RenderEnvironment): TemplatePolicy[] {
  return templateFiles(outdir).flatMap((file) => policiesOfTemplate(JSON.parse(fs.readFileSync(file, 'utf8')), path.relative(outdir, file), env));
}

export function policiesOfTemplate(template: CfnTemplate, name: string, env?: RenderEnvironment): TemplatePolicy[] {
  const renderer = new TemplateRenderer(template, env);
  const boundaries = new Set(Object.values(template.Resources ?? {})
    .map((r) => r.Properties?.PermissionsBoundary as { Ref?: string } | undefined)
    .flatMap((b) => (b && typeof b === 'object' && b.Ref ? [b.Ref] : [])));
  const found: TemplatePolicy[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const properties = renderer.render(resource.Properties ?? {});
    walk(properties, '', (document, propertyPath) => found.push({
      template: name,
      logicalId,
      resourceType: resource.Type,
      propertyPath,
      document,
      kind: kindOf(resource.Type, propertyPath, boundaries.has(logicalId)),
    }));
  }
  return found;
}

function kindOf(type: string, propertyPath: string, isBoundary: boolean): PolicyKind {
  if (propertyPath === 'AssumeRolePolicyDocument') return 'trust';
  if (isBoundary) return 'boundary';
  if (type === 'AWS::KMS::Key') return 'key';
  if (type === 'AWS::EC2::VPCEndpoint') return 'endpoint';
  if (/^AWS::IAM::(Policy|ManagedPolicy|Role|User|Group)$/.test(type)) return 'identity';
  return 'resource';
}

/** Calls `visit` for each policy document in a value: an object with statements, or a string holding one as JSON. */
function walk(value: unknown, at: string, visit: (document: PolicyDocument, path: string) => void): void {
  if (typeof value === 'string') {
    if (/^\s*\{[\s\S]*"Statement"/.test(value)) {
      try {
        walk(JSON.parse(value), at, visit);
      } catch {
        // A string that only looks like a policy (or holds an unresolved part) is not one.
      }
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (isPolicyDocument(value)) {
    visit(value, at);
    return;
  }
  for (const [k, v] of Object.entries(value)) walk(v, at ? `${at}.${k}` : k, visit);
}

function isPolicyDocument(value: object): value is PolicyDocument {
  const statements = (value as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  return statements !== undefined && list.every((s) => s !== null && typeof s === 'object' && 'Effect' in s);
}

/** The CloudFormation templates of a cloud assembly and of the nested assemblies of its stages. */
export function templateFiles(outdir: string): string[] {
  return fs.readdirSync(outdir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(outdir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('assembly-') ? templateFiles(file) : [];
    return entry.name.endsWith('.template.json') ? [file] : [];
  });
}
