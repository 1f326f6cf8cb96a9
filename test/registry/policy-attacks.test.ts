// The chain of custody's resource policies, attacked: each attack is a request evaluated against the synthesized
// statements by a small IAM evaluator (below), besides the assertion of the statement itself.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ModelPackageMetadata } from '../../src/registry/model-package-metadata';
import { TrainingPipeline } from '../../src/training/training-pipeline';
import { ENV, fixture, pipelineProps } from '../training/fixture';

// ---- A tiny IAM evaluator: just the elements and operators these policies use. ------------------------------------

type Json = any;
type Context = Record<string, string | string[] | undefined>;
interface Request { readonly principal: string; readonly action: string; readonly resource: string; readonly context?: Context }

const glob = (pattern: string, value: string, caseless = false) => new RegExp(`^${pattern.split('*').map((p) => p.split('?')
  .map((q) => q.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('.')).join('.*')}$`, caseless ? 'i' : '').test(value);
const list = (v: unknown): string[] => (v === undefined ? [] : [v].flat() as string[]);

/** One condition operator over one key, with IAM's rules for a key missing from the request. */
function conditionHolds(operator: string, key: string, wanted: string[], context: Context): boolean {
  const [qualifier, base] = operator.includes(':') ? operator.split(':') : [undefined, operator];
  const ifExists = base.endsWith('IfExists');
  const op = base.replace(/IfExists$/, '');
  const present = context[key];
  if (op === 'Null') return (present === undefined) === (wanted[0] === 'true');
  if (present === undefined) return ifExists || (qualifier === undefined && /Not/.test(op));
  const match = (value: string, pattern: string): boolean => {
    switch (op.replace('Not', '')) {
      case 'StringEquals': case 'ArnEquals': case 'Bool': return value === pattern;
      case 'StringLike': case 'ArnLike': return glob(pattern, value);
      default: throw new Error(`operator ${operator} is not implemented by this evaluator`);
    }
  };
  const values = list(present);
  if (qualifier === 'ForAnyValue') return values.some((v) => wanted.some((w) => match(v, w)));
  if (qualifier !== undefined) throw new Error(`qualifier ${qualifier} is not implemented by this evaluator`);
  const matched = wanted.some((w) => match(values[0], w));
  return /Not/.test(op) ? !matched : matched;
}

function statementApplies(s: Json, r: Request): boolean {
  const actions = (patterns: unknown) => list(patterns).some((a) => glob(a, r.action, true));
  const resources = (patterns: unknown) => list(patterns).some((p) => glob(p, r.resource));
  const principals = (p: Json) => p === '*' || list(p?.AWS).some((a) => a === '*' || a === r.principal) || list(p?.Service).includes(r.principal);
  if (s.Action !== undefined ? !actions(s.Action) : actions(s.NotAction)) return false;
  if (s.Resource !== undefined ? !resources(s.Resource) : resources(s.NotResource)) return false;
  if (s.Principal !== undefined && !principals(s.Principal)) return false;
  if (s.NotPrincipal !== undefined && principals(s.NotPrincipal)) return false;
  return Object.entries<Json>(s.Condition ?? {}).every(([operator, keys]) => Object.entries<Json>(keys)
    .every(([key, wanted]) => conditionHolds(operator, key, list(wanted), { 'aws:PrincipalArn': r.principal, ...r.context })));
}

/** The Sids of the Deny statements that apply to a request. */
function denials(statements: Json[], r: Request): string[] {
  return statements.filter((s) => s.Effect === 'Deny' && statementApplies(s, r)).map((s) => s.Sid);
}

/** 'Deny' if a Deny applies, else 'Allow' if an Allow applies, else 'NoAllow', for one policy. */
function evaluate(statements: Json[], r: Request): 'Deny' | 'Allow' | 'NoAllow' {
  const applying = statements.filter((s) => statementApplies(s, r));
  if (applying.some((s) => s.Effect === 'Deny')) return 'Deny';
  return applying.some((s) => s.Effect === 'Allow') ? 'Allow' : 'NoAllow';
}

/**
 * A same-account request: denied by any explicit deny; otherwise allowed when the principal's identity policies and
 * permissions boundary (if any) allow it, or the resource policy names the principal.
 */
function decide(resourcePolicy: Json[], identity: { policies: Json[]; boundary?: Json[] }, r: Request): 'Allow' | 'Deny' {
  const decisions = [evaluate(resourcePolicy, r), evaluate(identity.policies, r), identity.boundary ? evaluate(identity.boundary, r) : 'Allow'];
  if (decisions.includes('Deny')) return 'Deny';
  const identityAllows = decisions[1] === 'Allow' && decisions[2] === 'Allow';
  return identityAllows || decisions[0] === 'Allow' ? 'Allow' : 'Deny';
}

// ---- Rendering the template into literal ARNs, as the account would see them. --------------------------------------

function render(template: Json): (value: Json) => Json {
  const resources = template.Resources;
  const arnOf = (id: string): string => {
    const r = resources[id];
    switch (r.Type) {
      case 'AWS::IAM::Role': return `arn:aws:iam::${ENV.account}:role/${id}`;
      case 'AWS::S3::Bucket': return `arn:aws:s3:::${id.toLowerCase()}`;
      case 'AWS::KMS::Key': return `arn:aws:kms:${ENV.region}:${ENV.account}:key/${id}`;
      case 'AWS::SNS::Topic': return `arn:aws:sns:${ENV.region}:${ENV.account}:${id}`;
      default: return `arn:aws:${r.Type}:${id}`;
    }
  };
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': ENV.account, 'AWS::Region': ENV.region, 'AWS::URLSuffix': 'amazonaws.com' };
  const rendered = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(rendered);
    if (v === null || typeof v !== 'object') return v;
    if ('Ref' in v) return pseudo[v.Ref] ?? (resources[v.Ref]?.Type === 'AWS::SNS::Topic' ? arnOf(v.Ref) : v.Ref.toLowerCase());
    if ('Fn::GetAtt' in v) return v['Fn::GetAtt'][1] === 'Arn' ? arnOf(v['Fn::GetAtt'][0]) : `${v['Fn::GetAtt'][0]}.${v['Fn::GetAtt'][1]}`;
    if ('Fn::Join' in v) return rendered(v['Fn::Join'][1]).join(v['Fn::Join'][0]);
    if ('Fn::Sub' in v) return (v['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_m, name) => pseudo[name]);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rendered(x)]));
  };
  return rendered;
}

// ---- The platform under attack. -----------------------------------------------------------------------------------

const ADMIN = `arn:aws:iam::${ENV.account}:role/key-admin`;
const DEPLOYER = `arn:aws:iam::${ENV.account}:role/cdk-hnb659fds-cfn-exec-role-${ENV.account}-${ENV.region}`;
const base = fixture(new App(), { keyAdministratorRoleArn: ADMIN });
const f = { ...base, pipeline: new TrainingPipeline(base.stack, 'Fraud', pipelineProps(base)) };
const stack: Stack = f.stack;
const template = Template.fromStack(stack).toJSON();
const literal = render(template);
const resources = Object.entries<Json>(template.Resources);
const idOf = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as iam.CfnRole);
const roleArn = (role: iam.IRole) => `arn:aws:iam::${ENV.account}:role/${idOf(role)}`;
const bucketId = idOf(f.registry.artifactBucket);
const bucket = `arn:aws:s3:::${bucketId.toLowerCase()}`;
const artifactKey = `arn:aws:kms:${ENV.region}:${ENV.account}:key/${idOf(f.registry.artifactKey)}`;
const bucketPolicy: Json[] = literal(resources.find(([, r]) => r.Type === 'AWS::S3::BucketPolicy'
  && r.Properties.Bucket.Ref === bucketId)![1].Properties.PolicyDocument.Statement);

/** The identity policies and permissions boundary of a role of the template. */
function identityOf(role: iam.IRole): { policies: Json[]; boundary?: Json[] } {
  const id = idOf(role);
  const policies = resources.filter(([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${id}"`))
    .flatMap(([, r]) => literal(r.Properties.PolicyDocument.Statement));
  const boundaryRef = template.Resources[id].Properties.PermissionsBoundary?.Ref;
  const boundary = boundaryRef ? literal(template.Resources[boundaryRef].Properties.PolicyDocument.Statement) : undefined;
  return { policies, boundary };
}

const signer = f.pipeline.signingFunction.role!;
const training = f.pipeline.executionRole;
const stranger = `arn:aws:iam::${ENV.account}:role/Admin`;
const DIGEST = 'c'.repeat(64);
/** A create request as S3 authorizes it: object creation, with the headers the writer sends. */
const put = (principal: string, key: string, headers: Context = {}): Request => ({
  principal, action: 's3:PutObject', resource: `${bucket}/${key}`, context: { 's3:ObjectCreationOperation': 'true', ...headers },
});
const CONDITIONAL = { 's3:if-none-match': '*' };

describe('artifact bucket policy under attack', () => {
  const signerIdentity = identityOf(signer);
  const verified = `verified/${DIGEST}/model.tar.gz`;
  const jobOutput = `training/${f.pipeline.jobNamePrefix}/${f.pipeline.jobNamePrefix}-1/output/model.tar.gz`;

  test('the denies are stated as the store documents them', () => {
    expect(bucketPolicy.filter((s) => s.Effect === 'Deny').map((s) => s.Sid)).toEqual(expect.arrayContaining([
      'WritesOnlyByNamedWriters', 'NoOverwrites', 'NoDeletes', 'OnlyTheArtifactKey', 'OnlyKmsEncryption', 'KmsEncryptionNamesTheKey', 'BucketPolicyOnlyByAdministrator',
    ]));
    expect(bucketPolicy.find((s) => s.Sid === 'NoOverwrites')).toEqual(expect.objectContaining({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: `${bucket}/*`,
      Condition: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' }, ArnNotEquals: { 'aws:PrincipalArn': [roleArn(training)] } },
    }));
    expect(bucketPolicy.find((s) => s.Sid === 'NoDeletes')).toEqual(expect.objectContaining({ Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'] }));
  });

  test("the signer's own write of verified/<sha256>/… with If-None-Match and the artifact key is allowed", () => {
    // As the Lambda sends it: no encryption header, so the bucket's default key (the artifact key) applies.
    expect(decide(bucketPolicy, signerIdentity, put(roleArn(signer), verified, CONDITIONAL))).toBe('Allow');
    expect(decide(bucketPolicy, signerIdentity, put(roleArn(signer), verified, {
      ...CONDITIONAL, 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': artifactKey,
    }))).toBe('Allow');
  });

  test('an overwrite (a write without If-None-Match) is denied, even by the signer at its own prefix; a part of an upload is not', () => {
    expect(denials(bucketPolicy, put(roleArn(signer), verified))).toEqual(['NoOverwrites']);
    const part = { ...put(roleArn(signer), verified), context: { 's3:ObjectCreationOperation': 'false' } };
    expect(decide(bucketPolicy, signerIdentity, part)).toBe('Allow');
  });

  test('a write by a principal the policy does not name is denied, though its own policy may allow s3:*', () => {
    expect(denials(bucketPolicy, put(stranger, verified, CONDITIONAL))).toEqual(['WritesOnlyByNamedWriters']);
    expect(decide(bucketPolicy, { policies: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }, put(stranger, verified, CONDITIONAL))).toBe('Deny');
  });

  test("a named writer's write outside its prefix is denied: the signer at the training output, the training role at verified/", () => {
    const own = /^Writer\d+OnlyUnderItsPrefix$/;
    expect(denials(bucketPolicy, put(roleArn(signer), jobOutput, CONDITIONAL))).toEqual([expect.stringMatching(own)]);
    expect(denials(bucketPolicy, put(roleArn(training), verified))).toEqual([expect.stringMatching(own)]);
    expect(denials(bucketPolicy, put(roleArn(training), verified, CONDITIONAL))).toEqual([expect.stringMatching(own)]);
    // SageMaker's upload of the job's output, which cannot be conditional, is the one unconditional write.
    expect(denials(bucketPolicy, put(roleArn(training), jobOutput))).toEqual([]);
  });

  test('PutObject with another KMS key, with S3-managed encryption, or with aws:kms naming no key (aws/s3) is denied', () => {
    const otherKey = `arn:aws:kms:${ENV.region}:${ENV.account}:key/other`;
    const attempts: Array<[Context, string]> = [
      [{ 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': otherKey }, 'OnlyTheArtifactKey'],
      [{ 's3:x-amz-server-side-encryption': 'AES256' }, 'OnlyKmsEncryption'],
      [{ 's3:x-amz-server-side-encryption': 'aws:kms' }, 'KmsEncryptionNamesTheKey'],
    ];
    for (const [headers, sid] of attempts) {
      expect(denials(bucketPolicy,
        put(roleArn(signer), verified, { ...CONDITIONAL, ...headers }))).toEqual([sid]);
    }
  });

  test('DeleteObject and DeleteObjectVersion are denied to everyone, the signer and an administrator included', () => {
    for (const principal of [roleArn(signer), roleArn(training), stranger]) {
      for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion']) {
        expect(denials(bucketPolicy, { principal, action, resource: `${bucket}/${verified}` })).toEqual(['NoDeletes']);
      }
    }
  });

  test('the bucket policy is replaced only by the deploying role and the named administrator', () => {
    for (const principal of [DEPLOYER, ADMIN]) expect(denials(bucketPolicy, { principal, action: 's3:PutBucketPolicy', resource: bucket })).toEqual([]);
    expect(denials(bucketPolicy, { principal: stranger, action: 's3:PutBucketPolicy', resource: bucket })).toEqual(['BucketPolicyOnlyByAdministrator']);
  });
});

describe('key administration under attack', () => {
  const keys = resources.filter(([, r]) => r.Type === 'AWS::KMS::Key').map(([id, r]) => ({ id, statements: literal(r.Properties.KeyPolicy.Statement) as Json[] }));

  test('every key states the deny, exempting the deploying role and the named administrator', () => {
    expect(keys.length).toBeGreaterThanOrEqual(5); // data, log, alarm topic, artifact, signing, images
    for (const { statements } of keys) {
      expect(statements).toContainEqual({
        Sid: 'KeyAdministrationOnlyByAdministrator',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: '*',
        Action: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey'],
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [DEPLOYER, ADMIN] } },
      });
    }
  });

  test('the administrator and the deployer may administer every key; an account administrator, the root and the signer may not', () => {
    for (const { id, statements } of keys) {
      const resource = `arn:aws:kms:${ENV.region}:${ENV.account}:key/${id}`;
      for (const action of ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey']) {
        for (const principal of [DEPLOYER, ADMIN]) expect(denials(statements, { principal, action, resource })).toEqual([]);
        for (const principal of [stranger, `arn:aws:iam::${ENV.account}:root`, roleArn(signer)]) {
          expect(denials(statements, { principal, action, resource })).toEqual(['KeyAdministrationOnlyByAdministrator']);
        }
      }
    }
  });
});

describe('model package group policy under attack', () => {
  const group = resources.find(([, r]) => r.Type === 'AWS::SageMaker::ModelPackageGroup')![1];
  const statements: Json[] = literal(group.Properties.ModelPackageGroupPolicy.Statement);
  const pkg = `arn:aws:sagemaker:${ENV.region}:${ENV.account}:model-package/fraud/3`;
  const approver = `arn:aws:iam::${ENV.account}:role/Approver`;
  const update = (principal: string, context: Context): Request => ({ principal, action: 'sagemaker:UpdateModelPackage', resource: pkg, context });

  test('the denies: each signed key may not be set, and none removed, by UpdateModelPackage', () => {
    expect(statements.find((s) => s.Sid === 'SignedMetadataIsFixed1')).toEqual({
      Sid: 'SignedMetadataIsFixed1',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'sagemaker:UpdateModelPackage',
      Resource: `arn:aws:sagemaker:${ENV.region}:${ENV.account}:model-package/fraud/*`,
      Condition: { Null: { [`sagemaker:CustomerMetadataProperties/${ModelPackageMetadata.ARTIFACT_DIGEST}`]: 'false' } },
    });
  });

  test('an approver repointing an approved package at another digest, or removing a signed key, is denied', () => {
    for (const [i, key] of ModelPackageMetadata.ALL.entries()) {
      expect(denials(statements, update(approver, { [`sagemaker:CustomerMetadataProperties/${key}`]: 'd'.repeat(64) }))).toEqual([`SignedMetadataIsFixed${i + 1}`]);
      expect(denials(statements, update(approver, { 'sagemaker:CustomerMetadataPropertiesToRemove': ['team', key] }))).toEqual(['SignedMetadataIsKept']);
    }
  });

  test('the approver approves, and the pipeline registers the package with its signed metadata', () => {
    expect(denials(statements, update(approver, { 'sagemaker:ModelApprovalStatus': 'Approved' }))).toEqual([]);
    expect(denials(statements, update(approver, { 'sagemaker:CustomerMetadataProperties/team': 'fraud' }))).toEqual([]);
    const register: Request = {
      principal: roleArn(signer),
      action: 'sagemaker:CreateModelPackage',
      resource: pkg,
      context: Object.fromEntries(ModelPackageMetadata.ALL.map((key) => [`sagemaker:CustomerMetadataProperties/${key}`, 'x'])),
    };
    expect(denials(statements, register)).toEqual([]);
  });
});

/** Whether an event matches an EventBridge pattern (lists of values, `anything-but` and `prefix`, nested objects). */
function eventMatches(pattern: Json, event: Json): boolean {
  return Object.entries<Json>(pattern).every(([field, wanted]) => {
    const value = event?.[field];
    if (!Array.isArray(wanted)) return eventMatches(wanted, value);
    return wanted.some((w) => (typeof w !== 'object' ? value === w
      : 'anything-but' in w ? value !== undefined && !list(w['anything-but']).includes(value)
        : 'prefix' in w ? typeof value === 'string' && value.startsWith(w.prefix) : false));
  });
}

describe('alarm topic and out-of-band change rules', () => {
  const topicId = idOf(f.environment.alarmTopic as unknown as { node: { defaultChild?: unknown } });
  const rules = Object.fromEntries(resources.filter(([, r]) => r.Type === 'AWS::Events::Rule' && r.Properties.Targets?.[0]?.Arn?.Ref === topicId)
    .map(([id, r]) => [id.replace(/^Env|[0-9A-F]{8}$/g, ''), r.Properties]));
  const trail = (source: string, eventName: string, sourceIPAddress = 'console.amazonaws.com') => ({
    'source': source, 'detail-type': 'AWS API Call via CloudTrail', 'detail': { eventName, sourceIPAddress },
  });

  const keyId = template.Resources[topicId].Properties.KmsMasterKeyId['Fn::GetAtt'][0];
  const keyStatements: Json[] = literal(template.Resources[keyId].Properties.KeyPolicy.Statement);
  const topicStatements: Json[] = literal(resources.find(([, r]) => r.Type === 'AWS::SNS::TopicPolicy'
    && r.Properties.Topics[0].Ref === topicId)![1].Properties.PolicyDocument.Statement);
  const topicArn = `arn:aws:sns:${ENV.region}:${ENV.account}:${topicId}`;
  const OTHER = '999999999999';
  const publish = (account: string, source = `arn:aws:events:${ENV.region}:${account}:rule/Watch`): Request => ({
    principal: 'events.amazonaws.com', action: 'sns:Publish', resource: topicArn, context: { 'aws:SourceAccount': account, 'aws:SourceArn': source },
  });

  test('two rules target the environment alarm topic', () => {
    expect(Object.keys(rules).sort()).toEqual(['OutOfBandServingChanges', 'ProtectionChanges']);
  });

  test("a rule of this account publishes to the alarm topic; another account's rule, or a rule naming this account's ARN from elsewhere, does not", () => {
    expect(evaluate(topicStatements, publish(ENV.account))).toBe('Allow');
    expect(evaluate(topicStatements, publish(OTHER))).toBe('NoAllow');
    expect(evaluate(topicStatements, publish(OTHER, `arn:aws:events:${ENV.region}:${ENV.account}:rule/Watch`))).toBe('NoAllow');
    expect(evaluate(topicStatements, { ...publish(ENV.account), context: {} })).toBe('NoAllow');
    // An alarm of another account neither.
    const alarm = (account: string): Request => ({
      principal: 'cloudwatch.amazonaws.com',
      action: 'sns:Publish',
      resource: topicArn,
      context: { 'aws:SourceAccount': account, 'aws:SourceArn': `arn:aws:cloudwatch:${ENV.region}:${account}:alarm:Errors` },
    });
    expect(evaluate(topicStatements, alarm(ENV.account))).toBe('Allow');
    expect(evaluate(topicStatements, alarm(OTHER))).toBe('NoAllow');
  });

  test('no statement of the topic or its key lets EventBridge in unconditionally (the SnsTopic target\'s default grant)', () => {
    for (const st of [...topicStatements, ...keyStatements].filter((x) => x.Effect === 'Allow' && list(x.Principal?.Service).includes('events.amazonaws.com'))) {
      expect(Object.keys(st.Condition ?? {})).not.toHaveLength(0);
    }
    expect(topicStatements.filter((x) => x.Effect === 'Allow').map((x) => x.Sid)).toEqual(['EventBridgeRulesOfThisAccount', 'CloudWatchAlarmsOfThisAccount']);
  });

  test("the key encrypts EventBridge's publications, but not another account's event bus", () => {
    const keyArn = `arn:aws:kms:${ENV.region}:${ENV.account}:key/${keyId}`;
    const use = (context: Context): Request => ({ principal: 'events.amazonaws.com', action: 'kms:GenerateDataKey', resource: keyArn, context });
    expect(evaluate(keyStatements, use({}))).toBe('Allow');
    expect(evaluate(keyStatements, use({ 'kms:EncryptionContext:aws:events:event-bus:arn': `arn:aws:events:${ENV.region}:${OTHER}:event-bus/theirs` }))).toBe('NoAllow');
    const own = keyStatements.filter((st) => /OfThisAccount$/.test(st.Sid ?? ''));
    expect(own.map((st) => [st.Principal.Service, st.Condition]))
      .toEqual([['events.amazonaws.com', { Null: { 'kms:EncryptionContext:aws:events:event-bus:arn': 'true' } }],
        ['cloudwatch.amazonaws.com', expect.objectContaining({ StringEquals: { 'aws:SourceAccount': ENV.account } })]]);
  });

  test('key, bucket policy and group policy changes notify, whoever makes them', () => {
    const pattern = rules.ProtectionChanges.EventPattern;
    expect(pattern.source.sort()).toEqual(['aws.kms', 'aws.s3', 'aws.sagemaker']);
    for (const [source, name] of [['aws.kms', 'PutKeyPolicy'], ['aws.kms', 'ScheduleKeyDeletion'], ['aws.kms', 'DisableKey'],
      ['aws.s3', 'PutBucketPolicy'], ['aws.s3', 'DeleteBucketPolicy'], ['aws.sagemaker', 'PutModelPackageGroupPolicy']]) {
      expect(eventMatches(pattern, trail(source, name, 'cloudformation.amazonaws.com'))).toBe(true);
    }
    expect(eventMatches(pattern, trail('aws.kms', 'Decrypt'))).toBe(false);
  });

  test('SageMaker serving changes notify unless CloudFormation made them', () => {
    const pattern = rules.OutOfBandServingChanges.EventPattern;
    for (const name of ['CreateModel', 'CreateEndpointConfig', 'UpdateEndpoint', 'UpdateModelPackage']) {
      expect(eventMatches(pattern, trail('aws.sagemaker', name))).toBe(true);
      expect(eventMatches(pattern, trail('aws.sagemaker', name, 'cloudformation.amazonaws.com'))).toBe(false);
    }
    expect(eventMatches(pattern, trail('aws.sagemaker', 'DescribeEndpoint'))).toBe(false);
  });
});
