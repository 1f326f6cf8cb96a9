import { Answer, combine, COMPLIANT, isOneOf, isTrue, judge, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable, Verdict } from '../../engine/checks';
import { DeclaredAnswers } from '../../engine/declared-answers';
import { listOf } from '../../engine/lists';
import { grantsAction, isAllow, Statement, statementsOf } from '../../engine/readers/policy-documents';
import { ASSET_BUCKET, bucketOfLocation } from '../../engine/readers/s3-locations';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, Expression, isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiAssetReason, isAiAsset, namesOf } from '../../knowledge/ai-assets';
import { isCustomerManagedKey } from '../../knowledge/customer-managed-key';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const isKmsAlgorithm = isOneOf('aws:kms', 'aws:kms:dsse');
const BLOCK_FLAGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

/**
 * Where AI resources name the buckets they write to or read from. A bucket of the app is judged on its own; one
 * outside it cannot be seen, so the AI resource using it is unverifiable.
 */
const BUCKET_PATHS: Record<string, readonly string[]> = {
  'AWS::SageMaker::EndpointConfig': ['DataCaptureConfig.DestinationS3Uri', 'AsyncInferenceConfig.OutputConfig.S3OutputPath',
    'AsyncInferenceConfig.OutputConfig.S3FailurePath'],
  'AWS::SageMaker::Model': ['PrimaryContainer.ModelDataUrl', 'PrimaryContainer.ModelDataSource.S3DataSource.S3Uri'],
  'AWS::Bedrock::DataSource': ['DataSourceConfiguration.S3Configuration.BucketArn'],
};

/**
 * Whether a location names a bucket the rule can judge elsewhere or need not: a bucket of the app, a CDK file-asset
 * bucket, or a bucket the user allow-listed for artifacts.
 */
function isAccountedFor(index: ResourceIndex, value: Value, allowed: readonly string[]): boolean {
  if (value === undefined || index.resolveAs('AWS::S3::Bucket', value)) return true;
  const text = typeof value === 'string' ? value : value instanceof Expression ? value.pattern : undefined;
  const bucket = text === undefined ? undefined : bucketOfLocation(text);
  return bucket !== undefined && (ASSET_BUCKET.test(bucket) || allowed.includes(bucket));
}

function bucketsOutsideTheApp(index: ResourceIndex, resource: IndexedResource, allowed: readonly string[]): RuleResult {
  const outside: RuleResult[] = [];
  for (const path of BUCKET_PATHS[resource.type] ?? []) {
    for (const branch of resource.get(path)) {
      if (isAccountedFor(index, branch.value, allowed)) continue;
      outside.push(unverifiable(`${path} is ${describe(branch.value)}, a bucket that is not in the app: whether it is encrypted with `
        + 'a customer-managed key, blocks public access and requires TLS cannot be seen', `Properties.${path}`));
      break;
    }
  }
  return outside.length > 0 ? combine(...outside) : NOT_APPLICABLE;
}

// ---------------------------------------------------------------------------------------------------------------
// Encryption

function encryptionAnswer(rules: Value): Answer {
  const unknown = unknownOf(rules);
  if (unknown) return unknown;
  if (!Array.isArray(rules) || rules.length === 0) return false;
  let open: UnknownValue | undefined;
  for (const rule of rules) {
    const sse = isPlainObject(rule) ? rule.ServerSideEncryptionByDefault : unknownOf(rule);
    if (!isPlainObject(sse)) {
      if (sse instanceof UnknownValue) open = open ?? sse;
      else return false;
      continue;
    }
    const algorithm = isKmsAlgorithm(sse.SSEAlgorithm);
    const key = isCustomerManagedKey(sse.KMSMasterKeyID);
    if (algorithm === false || key === false) return false;
    if (algorithm instanceof UnknownValue) open = open ?? algorithm;
    if (key instanceof UnknownValue) open = open ?? key;
  }
  return open ?? true;
}

function encryptionProblem(rules: Value): string {
  if (!Array.isArray(rules) || rules.length === 0) {
    return 'BucketEncryption is absent, so S3 encrypts with its own keys (SSE-S3): who may read the objects is not governed by a key policy you control';
  }
  for (const rule of rules) {
    const sse = isPlainObject(rule) ? rule.ServerSideEncryptionByDefault : undefined;
    if (!isPlainObject(sse)) return 'a BucketEncryption rule has no ServerSideEncryptionByDefault';
    if (isKmsAlgorithm(sse.SSEAlgorithm) === false) {
      return `SSEAlgorithm is ${describe(sse.SSEAlgorithm)}, not aws:kms or aws:kms:dsse: the objects are not encrypted with a key you control`;
    }
    if (isCustomerManagedKey(sse.KMSMasterKeyID) === false) {
      return `KMSMasterKeyID ${sse.KMSMasterKeyID === undefined ? 'is absent, so S3 uses the AWS-managed aws/s3 key' : `is ${describe(sse.KMSMasterKeyID)}, an AWS-managed key`}: `
        + 'its key policy cannot restrict who decrypts the objects';
    }
  }
  return 'BucketEncryption does not use a customer-managed KMS key';
}

// ---------------------------------------------------------------------------------------------------------------
// Public access block

function blockAnswer(block: Value): Answer {
  const unknown = unknownOf(block);
  if (unknown) return unknown;
  if (!isPlainObject(block)) return false;
  let open: UnknownValue | undefined;
  for (const flag of BLOCK_FLAGS) {
    const answer = isTrue(block[flag]);
    if (answer === false) return false;
    if (answer instanceof UnknownValue) open = open ?? answer;
  }
  return open ?? true;
}

/** Canned ACLs that grant read (or write) to everyone, or to every AWS account. */
const PUBLIC_ACLS = new Set(['publicread', 'publicreadwrite', 'authenticatedread']);

/**
 * What makes the bucket public now, with its public access block as it is: a canned ACL public in every form (unless
 * `IgnorePublicAcls` holds), or a bucket policy that allows every principal without a condition in every form (unless
 * `RestrictPublicBuckets` or `BlockPublicPolicy` holds). Undefined when it would take another ACL or policy.
 */
function madePublicBy(index: ResourceIndex, bucket: IndexedResource, block: Value): string | undefined {
  const holds = (flag: string) => isPlainObject(block) && isTrue(block[flag]) === true;
  const acls = bucket.get('AccessControl').map((b) => b.value);
  if (!holds('IgnorePublicAcls') && acls.length > 0 && acls.every((v) => typeof v === 'string' && PUBLIC_ACLS.has(v.toLowerCase()))) {
    return `AccessControl ${describe(acls[0])} makes the bucket public`;
  }
  if (holds('RestrictPublicBuckets') || holds('BlockPublicPolicy')) return undefined;
  for (const policy of policiesOf(index, bucket)) {
    const grants = policy.get('PolicyDocument').map((b) => {
      const statements = statementsOf(b.value);
      return statements instanceof UnknownValue ? undefined
        : statements.find((st) => isAllow(st) && isEveryone(st.Principal) && st.Condition === undefined && st.NotPrincipal === undefined);
    });
    if (grants.length > 0 && grants.every((g) => g !== undefined)) {
      return `bucket policy ${policy.logicalId} allows every principal ${listOf(grants[0]!.Action).filter((a) => typeof a === 'string').join(', ') || 'its actions'} `
        + 'without a condition, which makes the bucket public';
    }
  }
  return undefined;
}

/** The public-access problem of one form of the block, worded by whether the bucket is public now or could be made so. */
function blockProblem(index: ResourceIndex, bucket: IndexedResource): (block: Value) => string {
  return (block) => {
    const publicNow = madePublicBy(index, bucket, block);
    // Since April 2023 S3 blocks public access on every new bucket unless told otherwise: absent, the block holds at
    // creation, but nothing in the stack keeps it.
    if (!isPlainObject(block)) {
      return publicNow
        ? `PublicAccessBlockConfiguration is absent, and ${publicNow}: unless S3's default block for new buckets rejects it at deployment, `
          + 'anyone can read the AI assets'
        : 'PublicAccessBlockConfiguration is absent: the bucket has S3\'s default for new buckets (public access blocked), which the template '
          + 'does not declare, so turning it off later is neither undone by a stack update nor reported as drift, and an ACL or bucket policy '
          + 'could then make AI assets public';
    }
    const off = BLOCK_FLAGS.filter((flag) => isTrue(block[flag]) === false);
    const flags = `PublicAccessBlockConfiguration.${off.join(', ')} ${off.length === 1 ? 'is' : 'are'} not true`;
    return publicNow ? `${flags}, and ${publicNow}: anyone can read the AI assets` : `${flags}: an ACL or bucket policy can make AI assets public`;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Bucket policy: deny requests without TLS

/** Every bucket policy the app declares, created or not: the rule keeps those that are created. */
interface PolicyLookup {
  readonly byBucket: DeclaredAnswers<IndexedResource, IndexedResource>;
  /** Bucket policies whose bucket cannot be read: any of them may be the policy of any bucket. */
  readonly unresolved: IndexedResource[];
}

function policyLookup(index: ResourceIndex): PolicyLookup {
  return index.memo(policyLookup, () => {
    const lookup: PolicyLookup = { byBucket: new DeclaredAnswers(), unresolved: [] };
    for (const policy of index.declaredOfType('AWS::S3::BucketPolicy')) {
      let unresolved = false;
      const buckets = new Set<IndexedResource>();
      for (const branch of policy.get('Bucket')) {
        const bucket = index.resolveAs('AWS::S3::Bucket', branch.value);
        if (bucket) buckets.add(bucket);
        else if (typeof branch.value !== 'string') unresolved = true; // an import or a deploy-time value: the policy may be any bucket's
      }
      buckets.forEach((bucket) => lookup.byBucket.add(bucket, policy, policy));
      if (unresolved) lookup.unresolved.push(policy);
    }
    return lookup;
  });
}

/** The bucket policies of a bucket that are created: only their conditions are read, not every stack's. */
function policiesOf(index: ResourceIndex, bucket: IndexedResource): readonly IndexedResource[] {
  return policyLookup(index).byBucket.created(index, bucket);
}

/** Whether a condition block says "when the request is not over TLS": `Bool`/`BoolIfExists` `aws:SecureTransport` false. */
function deniesWithoutTls(condition: Value): boolean {
  if (!isPlainObject(condition)) return false;
  for (const [operator, block] of Object.entries(condition)) {
    if (!/^Bool(IfExists)?$/i.test(operator) || !isPlainObject(block)) continue;
    for (const [key, value] of Object.entries(block)) {
      if (key.toLowerCase() === 'aws:securetransport' && listOf(value).some((v) => v === false || (typeof v === 'string' && v.toLowerCase() === 'false'))) return true;
    }
  }
  return false;
}

function isEveryone(principal: Value): boolean {
  if (principal === '*') return true;
  return isPlainObject(principal) && listOf(principal.AWS).includes('*');
}

function isTlsDeny(s: Statement): boolean {
  return typeof s.Effect === 'string' && s.Effect.toLowerCase() === 'deny' && isEveryone(s.Principal)
    && grantsAction(s, 's3:GetObject') && deniesWithoutTls(s.Condition);
}

/** Whether every form of a bucket policy's document denies requests without TLS. */
function policyDeniesWithoutTls(policy: IndexedResource): Answer {
  let open: UnknownValue | undefined;
  for (const branch of policy.get('PolicyDocument')) {
    const statements = statementsOf(branch.value);
    if (statements instanceof UnknownValue) {
      open = open ?? statements;
      continue;
    }
    if (!statements.some(isTlsDeny)) return false;
  }
  return open ?? true;
}

function transport(index: ResourceIndex, bucket: IndexedResource): RuleResult {
  const policies = policiesOf(index, bucket);
  const answers = policies.map((p) => ({ policy: p, answer: policyDeniesWithoutTls(p) }));
  if (answers.some((a) => a.answer === true)) return COMPLIANT;
  const open = answers.find((a) => a.answer instanceof UnknownValue);
  if (open) {
    return unverifiable(`the PolicyDocument of bucket policy ${open.policy.logicalId} cannot be read at synth time (${(open.answer as UnknownValue).reason}): `
      + 'whether it denies requests without TLS cannot be verified', 'Properties');
  }
  // A bucket no policy names may be named by any policy whose bucket cannot be read, of any stack.
  const unresolved = policies.length === 0 ? index.keepCreated(policyLookup(index).unresolved, (p) => p) : [];
  if (unresolved.length > 0) {
    return unverifiable(`no bucket policy of the app names this bucket, and the Bucket of ${namesOf(unresolved)} `
      + 'cannot be read at synth time: whether a policy denies requests without TLS cannot be verified', 'Properties');
  }
  const which = policies.length === 0 ? 'no AWS::S3::BucketPolicy of the app applies to the bucket'
    : `bucket policy ${policies.map((p) => p.logicalId).join(', ')} has no Deny statement for every principal with Condition Bool aws:SecureTransport "false"`;
  return nonCompliant(`${which}: AI assets can be read and written over unencrypted HTTP`, 'Properties');
}

export const aiBucketProtection: RuleDefinition = {
  title: 'Buckets of AI assets are encrypted with a customer-managed key, block public access and require TLS',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Identify, track and protect your assets',
  quote: 'track, authenticate, version control and secure your assets',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::S3::Bucket', ...Object.keys(BUCKET_PATHS)],
  compliantWhen: 'for AI-asset buckets (referenced by a SageMaker, Bedrock or AgentCore resource, or tagged `ai:asset=true`): every '
    + '`BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault` has `SSEAlgorithm` `aws:kms` or `aws:kms:dsse` '
    + 'with a customer-managed `KMSMasterKeyID` (absent encryption is SSE-S3 and fails); `PublicAccessBlockConfiguration` present with '
    + '`BlockPublicAcls`, `BlockPublicPolicy`, `IgnorePublicAcls` and `RestrictPublicBuckets` all true; and an `AWS::S3::BucketPolicy` of the '
    + 'app for the bucket has a `Deny` statement for every principal covering object reads with `Condition` `Bool`/`BoolIfExists` '
    + '`aws:SecureTransport: false` (no such policy fails; a policy whose document or bucket cannot be read is unverifiable). Other buckets '
    + 'are not applicable. An AI resource whose data-capture, async-output, model-artifact or data-source bucket is not in the app '
    + '(imported, or named by a URI or ARN the app does not hold; CDK file assets and `allowedArtifactBuckets` excepted) is '
    + 'unverifiable: that bucket\'s protection cannot be seen',
  explanation: 'Model artifacts, training data and knowledge-base documents are assets whose theft or exposure enables model extraction '
    + 'and data leakage. A customer-managed key puts reads under a key policy you audit and can revoke, the public access block stops a '
    + 'single ACL or policy mistake from publishing them (S3 blocks public access on new buckets by default, but only a block the template '
    + 'declares is kept by stack updates and checked for drift), and denying plain HTTP keeps them encrypted in transit.',
  fix: 'Create the bucket with encryption: BucketEncryption.KMS and an encryptionKey, blockPublicAccess: BlockPublicAccess.BLOCK_ALL and '
    + 'enforceSSL: true (s3.Bucket), which renders the bucket policy with the aws:SecureTransport deny.',
  peers: 'NAG NIST S3DefaultEncryptionKMS, AwsSolutions-S2, S10; CKV_AWS_19/53/54/56; CT.S3.PR.1/8/10; GRR S3_DEFAULT_ENCRYPTION_KMS (all unscoped)',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    if (resource.type !== 'AWS::S3::Bucket') return bucketsOutsideTheApp(context.index, resource, context.parameters.allowedArtifactBuckets);
    if (!isAiAsset(context.index, resource)) return NOT_APPLICABLE;
    const result = combine(
      judge(resource.get('BucketEncryption.ServerSideEncryptionConfiguration'), 'Properties.BucketEncryption', encryptionAnswer, encryptionProblem,
        'BucketEncryption.ServerSideEncryptionConfiguration'),
      judge(resource.get('PublicAccessBlockConfiguration'), 'Properties.PublicAccessBlockConfiguration', blockAnswer, blockProblem(context.index, resource),
        'PublicAccessBlockConfiguration'),
      transport(context.index, resource),
    );
    if (result.verdict !== Verdict.NON_COMPLIANT) return result;
    return { ...result, message: `${result.message} (the bucket holds AI assets: ${aiAssetReason(context.index, resource)})` };
  },
};
