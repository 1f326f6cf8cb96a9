import { Answer, combine, expectProperty, isAtLeast, isOneOf, isTrue, judge, NOT_APPLICABLE, RuleResult, unverifiable, Verdict, was } from '../../engine/checks';
import { listOf } from '../../engine/lists';
import { isAllow, Statement, statementsOf } from '../../engine/readers/policy-documents';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiAssetReason, isAiAsset } from '../../knowledge/ai-assets';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/**
 * The keys of AI assets: keys an AI resource references, keys tagged `ai:asset=true`, and keys that encrypt an AI
 * asset (the bucket behind a model artifact URI, an AI log group), one reference further than `isAiAsset` reaches.
 */
function aiKeyReason(index: ResourceIndex, key: IndexedResource): string | undefined {
  if (isAiAsset(index, key)) return aiAssetReason(index, key);
  const via = index.referencesTo(key).find((r) => isAiAsset(index, r.source));
  return via ? `it encrypts ${via.source.type} ${via.source.logicalId}, ${aiAssetReason(index, via.source)}` : undefined;
}

/** Whether a statement lets anyone use the key: `Principal: "*"` (or `{AWS: "*"}`, or `NotPrincipal`) with no condition. */
function isOpenStatement(s: Statement): boolean {
  if (!isAllow(s)) return false;
  const condition = s.Condition;
  if (condition !== undefined && !(isPlainObject(condition) && Object.keys(condition).length === 0)) return false;
  if (s.NotPrincipal !== undefined) return true;
  const principal = s.Principal;
  if (principal === '*') return true;
  return isPlainObject(principal) && listOf(principal.AWS).includes('*');
}

function openStatements(policy: Value): Statement[] | UnknownValue {
  const statements = statementsOf(policy);
  return statements instanceof UnknownValue ? statements : statements.filter(isOpenStatement);
}

function isSymmetric(spec: Value): Answer {
  if (spec === undefined) return true;
  return isOneOf('SYMMETRIC_DEFAULT')(spec);
}

function rotation(resource: IndexedResource): RuleResult {
  const specs = resource.get('KeySpec').map((b) => isSymmetric(b.value));
  const enabled = expectProperty(resource, 'EnableKeyRotation', isTrue,
    (v) => `EnableKeyRotation ${was(v)}${v === undefined ? ' (CloudFormation default false)' : ''}: the symmetric key that protects AI assets is never rotated`);
  const period = expectProperty(resource, 'RotationPeriodInDays', (v) => v === undefined || isAtMostYear(v),
    (v) => `RotationPeriodInDays ${was(v)}: the key is rotated less often than once a year`);
  if (specs.includes(true)) return combine(enabled, period);
  const unknown = specs.find((a): a is UnknownValue => a instanceof UnknownValue);
  // Asymmetric and HMAC keys cannot rotate automatically; an unknown spec matters only when rotation is off.
  if (unknown && enabled.verdict !== Verdict.COMPLIANT) return unverifiable(`KeySpec cannot be verified at synth time (${unknown.reason}), so whether rotation is required is unknown`, 'Properties.KeySpec');
  return NOT_APPLICABLE;
}

function isAtMostYear(value: Value): Answer {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && !Number.isNaN(n) && n <= 365;
}

export const keyManagement: RuleDefinition = {
  title: 'Keys of AI assets rotate, are not open to everyone, and wait 30 days before deletion',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Protect your model continuously',
  quote: 'good key management is essential',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::KMS::Key'],
  compliantWhen: 'for keys of AI assets (referenced by an AI resource, encrypting an AI-asset bucket or log group, or tagged '
    + '`ai:asset=true`): `EnableKeyRotation: true` with `RotationPeriodInDays` ≤ 365 for symmetric keys (absent `KeySpec` is '
    + '`SYMMETRIC_DEFAULT`); no `KeyPolicy` statement allowing `Principal: "*"` / `{AWS: "*"}` (or using `NotPrincipal`) without a '
    + '`Condition`; `PendingWindowInDays` absent (CloudFormation default 30) or 30. Other keys are not applicable',
  explanation: 'The keys of model artifacts, training data and AI logs decide who can read them. A key that never rotates '
    + 'keeps every past ciphertext exposed to one compromised key version; a key policy open to every principal makes the '
    + 'encryption meaningless; a short deletion window leaves little time to notice and cancel a malicious ScheduleKeyDeletion, '
    + 'which would make every model and backup encrypted with the key unrecoverable.',
  fix: 'Set EnableKeyRotation: true (kms.Key enableKeyRotation: true, rotationPeriod of at most 365 days), restrict KeyPolicy principals '
    + 'to named roles or add a Condition (for example aws:PrincipalOrgID or kms:CallerAccount), and leave PendingWindowInDays at 30 '
    + '(pendingWindow: Duration.days(30)).',
  peers: 'NAG AwsSolutions-KMS5, NIST KMSBackingKeyRotationEnabled; CKV_AWS_7, CKV_AWS_33; CT.KMS.PR.1, PR.3; '
    + 'GRR CMK_BACKING_KEY_ROTATION_ENABLED, KMS_NO_WILDCARD_PRINCIPAL; CFG cmk-backing-key-rotation-enabled; SH KMS.4, KMS.5 (all unscoped)',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    const why = aiKeyReason(context.index, resource);
    if (!why) return NOT_APPLICABLE;
    const result = combine(
      rotation(resource),
      judge(resource.get('KeyPolicy'), 'Properties.KeyPolicy', (v) => {
        const open = openStatements(v);
        return open instanceof UnknownValue ? open : open.length === 0;
      }, (v) => {
        const all = statementsOf(v);
        const sids = Array.isArray(all) ? all.map((s, i) => (isOpenStatement(s) ? (typeof s.Sid === 'string' ? s.Sid : `#${i + 1}`) : undefined))
          .filter((sid) => sid !== undefined).join(', ') : '';
        return `KeyPolicy statement ${sids} allows Principal "*" without a Condition: any AWS principal can use the key that protects AI assets`;
      }, 'KeyPolicy'),
      expectProperty(resource, 'PendingWindowInDays', (v) => v === undefined || isAtLeast(30)(v),
        (v) => `PendingWindowInDays ${was(v)}: a scheduled deletion of the key, and of every AI asset it encrypts, can complete before anyone notices`),
    );
    return result.message ? { ...result, message: `${result.message} (the key is an AI-asset key: ${why})` } : result;
  },
};
