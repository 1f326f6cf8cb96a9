import { Expression, isPlainObject, UnknownValue } from './values';

/*
 * How ARNs and S3 URIs written as text name the resources of an app: by service, by the resource type the ARN gives
 * and by the resource's literal name. The index links such text to the resource it names.
 */

/**
 * The property that holds a resource's literal name, so that ARNs and URIs written as text find their resource; the
 * service an ARN of that resource names (`arn:aws:<service>:…`): a name alone would take `arn:aws:es:…:domain/kb` for
 * the Aurora cluster `kb`; and the resource type its ARN names (`cluster:kb`, `db:kb`), where the ARN has one: RDS
 * clusters and instances, and SageMaker's endpoints and endpoint configurations, may share a name.
 */
export const NAMED_BY_TEXT: Record<string, { readonly property: string; readonly service: string; readonly arnType?: string }> = {
  'AWS::S3::Bucket': { property: 'BucketName', service: 's3' },
  'AWS::IAM::Role': { property: 'RoleName', service: 'iam', arnType: 'role' },
  'AWS::Logs::LogGroup': { property: 'LogGroupName', service: 'logs', arnType: 'log-group' },
  'AWS::Lambda::Function': { property: 'FunctionName', service: 'lambda', arnType: 'function' },
  'AWS::SNS::Topic': { property: 'TopicName', service: 'sns' },
  'AWS::ECR::Repository': { property: 'RepositoryName', service: 'ecr', arnType: 'repository' },
  'AWS::KMS::Alias': { property: 'AliasName', service: 'kms', arnType: 'alias' },
  'AWS::Backup::BackupVault': { property: 'BackupVaultName', service: 'backup', arnType: 'backup-vault' },
  'AWS::Backup::LogicallyAirGappedBackupVault': { property: 'BackupVaultName', service: 'backup', arnType: 'backup-vault' },
  'AWS::DynamoDB::Table': { property: 'TableName', service: 'dynamodb', arnType: 'table' },
  'AWS::SageMaker::Model': { property: 'ModelName', service: 'sagemaker', arnType: 'model' },
  'AWS::SageMaker::Endpoint': { property: 'EndpointName', service: 'sagemaker', arnType: 'endpoint' },
  'AWS::SageMaker::EndpointConfig': { property: 'EndpointConfigName', service: 'sagemaker', arnType: 'endpoint-config' },
  'AWS::SageMaker::ModelPackageGroup': { property: 'ModelPackageGroupName', service: 'sagemaker', arnType: 'model-package-group' },
  'AWS::SageMaker::ModelCard': { property: 'ModelCardName', service: 'sagemaker', arnType: 'model-card' },
  'AWS::SageMaker::MonitoringSchedule': { property: 'MonitoringScheduleName', service: 'sagemaker', arnType: 'monitoring-schedule' },
  'AWS::SageMaker::DataQualityJobDefinition': { property: 'JobDefinitionName', service: 'sagemaker', arnType: 'data-quality-job-definition' },
  'AWS::SageMaker::ModelQualityJobDefinition': { property: 'JobDefinitionName', service: 'sagemaker', arnType: 'model-quality-job-definition' },
  'AWS::SageMaker::ModelBiasJobDefinition': { property: 'JobDefinitionName', service: 'sagemaker', arnType: 'model-bias-job-definition' },
  'AWS::SageMaker::ModelExplainabilityJobDefinition': { property: 'JobDefinitionName', service: 'sagemaker', arnType: 'model-explainability-job-definition' },
  'AWS::SageMaker::FeatureGroup': { property: 'FeatureGroupName', service: 'sagemaker', arnType: 'feature-group' },
  'AWS::SageMaker::Pipeline': { property: 'PipelineName', service: 'sagemaker', arnType: 'pipeline' },
  // The stores a knowledge base names by ARN (`RdsConfiguration.ResourceArn`, `DomainArn`, `VectorBucketArn`). OpenSearch
  // Serverless collections and Neptune Analytics graphs are named by a generated ID in their ARNs, not by their name.
  'AWS::RDS::DBCluster': { property: 'DBClusterIdentifier', service: 'rds', arnType: 'cluster' },
  'AWS::RDS::DBInstance': { property: 'DBInstanceIdentifier', service: 'rds', arnType: 'db' },
  'AWS::OpenSearchService::Domain': { property: 'DomainName', service: 'es', arnType: 'domain' },
  'AWS::S3Vectors::VectorBucket': { property: 'VectorBucketName', service: 's3vectors', arnType: 'bucket' },
};

/**
 * The services whose names match ignoring case: RDS keeps `DBClusterIdentifier` and `DBInstanceIdentifier` in lower
 * case, so a template's `KbDb` is the cluster an ARN names as `kbdb` (or `KBDB`). Names of other services keep their case.
 */
const CASE_INSENSITIVE_SERVICES: ReadonlySet<string> = new Set(['rds']);

/** The key a literal name of a resource of `service` is indexed and looked up by. */
export function nameKey(service: string | undefined, name: string): string {
  return service !== undefined && CASE_INSENSITIVE_SERVICES.has(service) ? name.toLowerCase() : name;
}

/**
 * The pseudo parameters an ARN may be written with, by the field they fill: `Stack.formatArn` writes an ARN as
 * `Fn::Join` around `AWS::Partition`, `AWS::Region` and `AWS::AccountId`, a hand-written template as `Fn::Sub` with them.
 */
const ARN_PSEUDO_FIELDS: ReadonlyMap<string, number> = new Map([['AWS::Partition', 1], ['AWS::Region', 3], ['AWS::AccountId', 4]]);

/** Stands for a pseudo parameter in the text of an ARN built from them, followed by its field: no ARN holds it. */
const PSEUDO_MARK = '\u0002';

/**
 * The text of an ARN whose only parts not known at synth time are its partition, Region and account fields, each
 * written whole as its pseudo parameter (`arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:kb`), with
 * {@link PSEUDO_MARK} and the field in their place. Undefined for any other string: a parameter without default, an
 * import or a resource's attribute anywhere, or a pseudo parameter in another field or beside other text in its own.
 */
export function pseudoArnText(value: Expression): string | undefined {
  let text = '';
  for (const part of value.parts) {
    if (typeof part === 'string') {
      if (part.includes(PSEUDO_MARK)) return undefined;
      text += part;
      continue;
    }
    // The evaluator leaves a pseudo parameter unknown outside choices, even where the stack's environment fixes it.
    const pseudo = part instanceof UnknownValue ? part.pseudoParameter : undefined;
    const field = pseudo === undefined ? undefined : ARN_PSEUDO_FIELDS.get(pseudo);
    if (field === undefined) return undefined;
    text += PSEUDO_MARK + field;
  }
  const fields = text.split(':');
  if (fields[0] !== 'arn' || fields.length < 6) return undefined;
  return fields.every((f, i) => !f.includes(PSEUDO_MARK) || f === PSEUDO_MARK + i) ? text : undefined;
}

/** The pseudo parameters an ARN's text from {@link pseudoArnText} is written with. */
export function pseudoParametersOf(text: string): string[] {
  const fields = text.split(':');
  return [...ARN_PSEUDO_FIELDS].filter(([, i]) => fields[i] === PSEUDO_MARK + i).map(([name]) => name);
}

/** Whether the list of an `Fn::Join` holds a pseudo parameter an ARN is written with, as `Stack.formatArn` writes it. */
export function joinsPseudoParameters(arg: unknown): boolean {
  const items = Array.isArray(arg) && arg.length === 2 ? arg[1] : undefined;
  return Array.isArray(items) && items.some((item) => isPlainObject(item) && typeof item.Ref === 'string' && ARN_PSEUDO_FIELDS.has(item.Ref));
}

/** What an ARN or S3 URI names: the service, the resource type its ARN gives (`cluster` of `cluster:kb`), the name. */
export interface TextName {
  readonly service: string;
  readonly arnType?: string;
  readonly name: string;
}

/**
 * The name an ARN or S3 URI written as text gives, if any: the segment after the ARN's resource type, before a
 * qualifier, a stream or an index (`function:name:live`, `table/name/stream/…`); except a log group's
 * (`log-group:name:*`), a repository's with its namespace (`repository/team/model`), an alias's with the `alias/`
 * prefix `AliasName` holds, and a role's last segment, after its path.
 */
export function nameInText(text: string): TextName | undefined {
  const s3 = /^(?:s3:\/\/|arn:[^:/]+:s3:::)([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/.*)?$/.exec(text);
  if (s3) return { service: 's3', name: s3[1] };
  if (!text.startsWith('arn:')) return undefined;
  const fields = text.split(':');
  const resourcePart = fields.slice(5).join(':');
  const arnType = /^([^/:]+)[/:]/.exec(resourcePart)?.[1];
  const rest = resourcePart.slice((arnType?.length ?? -1) + 1);
  const name = arnType === undefined || arnType === 'alias' ? resourcePart
    : arnType === 'log-group' ? rest.replace(/:\*$/, '')
      : arnType === 'repository' ? rest
        : arnType === 'role' ? rest.split('/').filter((s) => s !== '').pop()
          : rest.split(/[/:]/)[0];
  return name ? { service: fields[2], arnType, name } : undefined;
}
