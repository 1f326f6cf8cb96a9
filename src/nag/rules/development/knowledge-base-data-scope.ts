import { combine, COMPLIANT, expectProperty, isNonEmptyList, isOneOf, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable, was } from '../../engine/checks';
import { addToListOnce, listOf } from '../../engine/lists';
import { grantsAction, isAllow } from '../../engine/readers/policy-documents';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, Expression, isPlainObject, ResourceReference, UnknownValue, unknownOf, Value } from '../../engine/values';
import { roleOf, roleStatements } from '../../knowledge/role-permissions';
import { isStackAccount, textOf } from '../../knowledge/stack-account';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const isS3 = isOneOf('S3');
const S3_CONFIG = 'DataSourceConfiguration.S3Configuration';
/** AWS managed policies that let a role read every object of every bucket. */
const BROAD_S3_POLICY = /policy\/Amazon(?:S3ReadOnlyAccess|S3FullAccess)$|policy\/(?:AdministratorAccess|PowerUserAccess|ReadOnlyAccess)$/;

// ---------------------------------------------------------------------------------------------------------------
// Data sources

function bucketPlacement(resource: IndexedResource, index: ResourceIndex): RuleResult {
  const arnPath = `${S3_CONFIG}.BucketArn`;
  const ownerPath = `${S3_CONFIG}.BucketOwnerAccountId`;
  const results: RuleResult[] = [];
  for (const arn of resource.get(arnPath)) {
    if (index.resolveAs('AWS::S3::Bucket', arn.value)) continue;
    for (const owner of resource.get(ownerPath)) {
      const text = owner.value === undefined ? undefined : textOf(owner.value);
      const own = text === undefined ? undefined : isStackAccount(resource, text);
      if (own === true) continue;
      if (own === false) {
        results.push(nonCompliant(`${ownerPath} is ${describe(owner.value)}, not the stack's account: the knowledge base ingests data from a bucket `
          + 'another account controls, which can change what the AI system retrieves', `Properties.${ownerPath}`));
      } else if (own instanceof UnknownValue || unknownOf(arn.value) || owner.value !== undefined) {
        results.push(unverifiable(`${arnPath} is ${describe(arn.value)}, a bucket outside the app, and whether ${ownerPath} `
          + `(${describe(owner.value)}) is the stack's account cannot be known at synth time`, `Properties.${arnPath}`));
      } else {
        results.push(nonCompliant(`${arnPath} is ${describe(arn.value)}, a bucket that is not in the app, and ${ownerPath} is absent: nothing `
          + 'ensures that the knowledge base ingests data from a bucket your account owns', `Properties.${arnPath}`));
      }
    }
  }
  return combine(COMPLIANT, ...results);
}

function checkDataSource(resource: IndexedResource, index: ResourceIndex): RuleResult {
  const types = resource.get('DataSourceConfiguration.Type').map((b) => isS3(b.value));
  if (types.every((t) => t === false)) return NOT_APPLICABLE;
  if (resource.get(S3_CONFIG).every((b) => b.value === undefined)) {
    return types.some((t) => t instanceof UnknownValue) ? unverifiable('DataSourceConfiguration cannot be read at synth time', 'Properties.DataSourceConfiguration') : NOT_APPLICABLE;
  }
  return combine(
    expectProperty(resource, `${S3_CONFIG}.InclusionPrefixes`, isNonEmptyList, (v) => `${S3_CONFIG}.InclusionPrefixes ${was(v)}: the knowledge `
      + 'base ingests every object of the bucket, so anything written there (by any writer, for any purpose) becomes retrievable context'),
    bucketPlacement(resource, index),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The knowledge base's role

/** What a knowledge base may read: a bucket (of the app, or by name) and key prefixes (none: the whole bucket). */
interface Scope {
  readonly bucket: IndexedResource | string;
  readonly prefixes: readonly string[];
}

/**
 * The data sources of a knowledge base that are created. Every data source declared is read once per run, whether it
 * is created or not; only the conditions of this knowledge base's are read here.
 */
function dataSourcesOf(index: ResourceIndex, kb: IndexedResource): readonly IndexedResource[] {
  const declared = index.memo(dataSourcesOf, () => {
    const found = new Map<IndexedResource, IndexedResource[]>();
    for (const source of index.declaredOfType('AWS::Bedrock::DataSource')) {
      for (const branch of source.get('KnowledgeBaseId')) {
        const target = index.resolve(branch.value);
        if (target?.type === 'AWS::Bedrock::KnowledgeBase') addToListOnce(found, target, source);
      }
    }
    return found;
  }).get(kb);
  return declared ? index.keepCreated(declared, (source) => source) : [];
}

/** A bucket named by an ARN, URI or reference: the bucket of the app, its literal name, or undefined when not known. */
function bucketOf(index: ResourceIndex, value: Value): IndexedResource | string | undefined {
  const inApp = index.resolveAs('AWS::S3::Bucket', value);
  if (inApp) return inApp;
  const text = typeof value === 'string' ? value : undefined;
  return text === undefined ? undefined : /^(?:arn:[^:]+:s3:::|s3:\/\/)([^/]+)/.exec(text)?.[1];
}

/** The scopes a knowledge base reads, or why they cannot be known. */
function scopesOf(index: ResourceIndex, kb: IndexedResource): Scope[] | string {
  const scopes: Scope[] = [];
  for (const source of dataSourcesOf(index, kb)) {
    if (source.get('DataSourceConfiguration.Type').every((b) => isS3(b.value) === false)) continue;
    for (const branch of source.get(S3_CONFIG)) {
      const config = branch.value;
      if (config === undefined) continue;
      if (!isPlainObject(config)) return `the S3 configuration of data source ${source.logicalId} cannot be read`;
      const bucket = bucketOf(index, config.BucketArn);
      if (bucket === undefined) return `the bucket of data source ${source.logicalId} is ${describe(config.BucketArn)}`;
      const prefixes = listOf(config.InclusionPrefixes);
      if (prefixes.some((p) => typeof p !== 'string')) return `the InclusionPrefixes of data source ${source.logicalId} are not known at synth time`;
      scopes.push({ bucket, prefixes: prefixes as string[] });
    }
  }
  const storage = 'KnowledgeBaseConfiguration.VectorKnowledgeBaseConfiguration.SupplementalDataStorageConfiguration.SupplementalDataStorageLocations';
  for (const branch of kb.get(storage)) {
    for (const location of listOf(branch.value)) {
      const uri = isPlainObject(location) && isPlainObject(location.S3Location) ? location.S3Location.URI : undefined;
      const text = typeof uri === 'string' ? uri : undefined;
      const bucket = uri === undefined ? undefined : bucketOf(index, uri);
      if (bucket !== undefined) scopes.push({ bucket, prefixes: text ? [text.replace(/^s3:\/\/[^/]+\/?/, '')].filter((p) => p !== '') : [] });
    }
  }
  return scopes;
}

/** An object ARN split into its bucket and key pattern; undefined for a bucket ARN (no objects); a string when not known. */
function objectOf(index: ResourceIndex, value: Value): { bucket: IndexedResource | string; key: string } | undefined | string {
  if (value === '*') return { bucket: '*', key: '*' };
  if (value instanceof ResourceReference) return undefined; // a bucket's ARN: no objects
  if (value instanceof UnknownValue) return `a Resource not known at synth time (${value.reason})`;
  let bucket: IndexedResource | string | undefined;
  let rest: string;
  if (typeof value === 'string') {
    const m = /^arn:[^:]*:s3:::([^/]+)(?:\/(.*))?$/.exec(value);
    if (!m) return undefined; // not an S3 object
    // A bucket ARN names no object, unless its wildcard also matches object ARNs (`arn:aws:s3:::*`, `arn:aws:s3:::data*`).
    if (m[2] === undefined) return m[1].includes('*') ? { bucket: m[1], key: '*' } : undefined;
    bucket = index.resolveAs('AWS::S3::Bucket', `arn:aws:s3:::${m[1]}`) ?? m[1];
    rest = m[2];
  } else if (value instanceof Expression) {
    const [first, ...others] = value.parts;
    const target = first instanceof ResourceReference ? index.resolve(first) : undefined;
    const tail = others.map((p) => (typeof p === 'string' ? p : '*')).join('');
    if (target?.type === 'AWS::S3::Bucket') {
      if (!tail.startsWith('/')) return undefined;
      bucket = target;
      rest = tail.slice(1);
    } else {
      const m = /^arn:[^:]*:s3:::([^/]+)(?:\/(.*))?$/.exec(value.pattern);
      if (!m || m[2] === undefined) return undefined;
      const ref = value.references.map((r) => index.resolve(r)).find((r) => r?.type === 'AWS::S3::Bucket');
      if (!ref && m[1].includes('*')) return `a Resource whose bucket is not known at synth time (${describe(value)})`;
      bucket = ref ?? m[1];
      rest = m[2];
    }
  } else {
    return undefined;
  }
  return { bucket, key: rest };
}

function within(object: { bucket: IndexedResource | string; key: string }, scopes: readonly Scope[]): boolean {
  const literal = object.key.split('*')[0];
  return scopes.some((s) => s.bucket === object.bucket && (s.prefixes.length === 0 || s.prefixes.some((p) => literal.startsWith(p))));
}

function bucketName(bucket: IndexedResource | string): string {
  return typeof bucket === 'string' ? bucket : bucket.logicalId;
}

function checkKnowledgeBase(resource: IndexedResource, index: ResourceIndex): RuleResult {
  if (dataSourcesOf(index, resource).length === 0) return NOT_APPLICABLE;
  const scopes = scopesOf(index, resource);
  if (typeof scopes === 'string') return unverifiable(`what the knowledge base may read cannot be known at synth time: ${scopes}`, 'Properties.RoleArn');
  if (scopes.length === 0) return NOT_APPLICABLE;
  const role = roleOf(resource, 'RoleArn');
  if (!role) {
    const arn = resource.get('RoleArn').map((b) => describe(b.value)).join(' or ');
    return unverifiable(`RoleArn is ${arn}, a role that is not in the app: whether it reads only the data sources' prefixes cannot be verified`, 'Properties.RoleArn');
  }
  const held = roleStatements(index, role);
  const broad: string[] = [];
  let open: string | undefined = held.unknown;
  for (const { statement, from } of held.statements) {
    if (!isAllow(statement) || !grantsAction(statement, 's3:GetObject')) continue;
    if (statement.NotResource !== undefined) {
      broad.push(`${from.logicalId} allows s3:GetObject on everything outside NotResource`);
      continue;
    }
    for (const r of listOf(statement.Resource)) {
      const object = objectOf(index, r);
      if (typeof object === 'string') {open = open ?? object;} else if (object && !within(object, scopes)) {
        broad.push(`${from.logicalId} allows s3:GetObject on ${typeof r === 'string' ? `"${r}"` : `${bucketName(object.bucket)}/${object.key}`}`);
      }
    }
  }
  for (const arn of held.externalPolicyArns) {
    if (BROAD_S3_POLICY.test(arn)) broad.push(`managed policy ${arn} allows reading every bucket`);
    else open = open ?? `managed policy ${arn} is not in the app`;
  }
  const allowed = scopes.map((s) => `${bucketName(s.bucket)}/${s.prefixes.length > 0 ? `{${s.prefixes.join(', ')}}` : ''}*`).join(', ');
  if (broad.length > 0) {
    return nonCompliant(`the knowledge base's role ${role.logicalId} reads beyond its data sources (${allowed}): ${broad.join('; ')}. The `
      + 'knowledge base can then be pointed at (or tricked into ingesting) data it was never meant to serve', 'Properties.RoleArn');
  }
  if (open) return unverifiable(`whether the knowledge base's role ${role.logicalId} reads only ${allowed} cannot be verified: ${open}`, 'Properties.RoleArn');
  return COMPLIANT;
}

export const knowledgeBaseDataScope: RuleDefinition = {
  title: 'Knowledge bases read only named prefixes of buckets your account owns',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Identify, track and protect your assets',
  quote: 'manage what data AI systems can access',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::Bedrock::DataSource', 'AWS::Bedrock::KnowledgeBase'],
  compliantWhen: 'S3 data sources set a non-empty `S3Configuration.InclusionPrefixes` and read a bucket of the app, or one whose '
    + '`BucketOwnerAccountId` is the stack\'s account (a bucket outside the app without an owner is non-compliant; an owner not comparable at '
    + 'synth time is unverifiable); a knowledge base with S3 data sources in the app has a role (`RoleArn`) whose `s3:GetObject` grants stay '
    + 'within its data sources\' buckets and prefixes (and its supplemental data storage): no `Resource: "*"`, no `NotResource`, no other '
    + 'bucket or prefix, no AWS managed S3-wide policy. A role outside the app or statements that cannot be read are unverifiable. Other '
    + 'data source types are not applicable',
  explanation: 'Whatever a knowledge base can read becomes context the model may repeat to its users. Ingesting a whole bucket, a bucket '
    + 'another account controls, or giving the knowledge base\'s role read access beyond its data sources widens what the AI system can '
    + 'access and opens it to poisoning through any writer of that data.',
  fix: 'Set inclusionPrefixes on the S3 data source (and bucketOwnerAccountId for buckets outside the app), and grant the knowledge base role '
    + 's3:GetObject only on arn:aws:s3:::<bucket>/<prefix>* (bucket.grantRead(role, \'<prefix>*\')).',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    return resource.type === 'AWS::Bedrock::DataSource' ? checkDataSource(resource, context.index) : checkKnowledgeBase(resource, context.index);
  },
};
