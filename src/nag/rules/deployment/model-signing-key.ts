import { Answer, COMPLIANT, isOneOf, nonCompliant, NOT_APPLICABLE, unverifiable } from '../../engine/checks';
import { firstOf, listOf } from '../../engine/lists';
import { grantsAction, isAllow, matchesPattern, namesServiceAction, statementsOf } from '../../engine/readers/policy-documents';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, Expression, isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiAssetReason, isAiAsset, isAiResource, namesOf } from '../../knowledge/ai-assets';
import { roleOf, roleStatements } from '../../knowledge/role-permissions';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** Key specs that sign: RSA, the NIST elliptic curves, and ML-DSA (post-quantum). */
const SIGNING_KEY_SPEC = /^(?:RSA_\d+|ECC_NIST_P\d+|ML_DSA_\d+)$/i;
const NOTATION_PLATFORM = 'Notation-OCI-SHA384-ECDSA';
/** Actions that show a CodeBuild project trains, registers or imports models. */
const MODEL_BUILDING_ACTIONS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['sagemaker', ['CreateTrainingJob', 'CreateModelPackage', 'CreateModel', 'StartPipelineExecution', 'CreateProcessingJob',
    'CreateHyperParameterTuningJob', 'CreateAutoMLJob', 'CreateAutoMLJobV2']],
  ['bedrock', ['CreateModelCustomizationJob', 'CreateModelImportJob', 'CreateCustomModel']],
];

type State = 'signing' | 'other' | 'unknown';

interface Candidate {
  readonly resource: IndexedResource;
  readonly state: State;
  readonly detail: string;
}

/**
 * The signing keys and Notation signing profiles the app declares, created or not, found once per run: the rule keeps
 * those that are created, so that it depends on their conditions alone, not on every resource's.
 */
interface SigningMaterial {
  readonly keys: Candidate[];
  readonly profiles: Candidate[];
}

function signingMaterial(index: ResourceIndex): SigningMaterial {
  return index.memo(signingMaterial, (): SigningMaterial => ({
    keys: index.declaredOfType('AWS::KMS::Key').map(keyCandidate),
    profiles: index.declaredOfType('AWS::Signer::SigningProfile').map(profileCandidate),
  }));
}

/** Every form of a property passes `test`: yes, no, or unknown. */
function allForms(resource: IndexedResource, path: string, test: (v: Value) => boolean | UnknownValue): State {
  let state: State = 'signing';
  for (const b of resource.get(path)) {
    const answer = test(b.value);
    if (answer === false) return 'other';
    if (answer instanceof UnknownValue) state = 'unknown';
  }
  return state;
}

function keyCandidate(key: IndexedResource): Candidate {
  const usage = allForms(key, 'KeyUsage', isOneOf('SIGN_VERIFY'));
  const spec = allForms(key, 'KeySpec', (v) => unknownOf(v) ?? (typeof v === 'string' && SIGNING_KEY_SPEC.test(v)));
  const enabled = allForms(key, 'Enabled', (v) => v !== false && v !== 'false');
  const states = [usage, spec, enabled];
  const state: State = states.includes('other') ? 'other' : states.includes('unknown') ? 'unknown' : 'signing';
  const forms = (path: string) => key.get(path).map((b) => describe(b.value)).join(' or ');
  return { resource: key, state, detail: `KMS key ${key.logicalId} (KeyUsage ${forms('KeyUsage')}, KeySpec ${forms('KeySpec')})` };
}

function profileCandidate(profile: IndexedResource): Candidate {
  const state = allForms(profile, 'PlatformId', isOneOf(NOTATION_PLATFORM));
  return { resource: profile, state, detail: `signing profile ${profile.logicalId} (PlatformId ${profile.get('PlatformId').map((b) => describe(b.value)).join(' or ')})` };
}

/** Whether `role` may call `action` on `target`: through the target's resource policy, or through its own policies. */
function mayUse(index: ResourceIndex, role: IndexedResource, target: IndexedResource, action: string, resourcePolicyPath?: string): Answer {
  let delegates = resourcePolicyPath === undefined;
  let unknown: UnknownValue | undefined;
  if (resourcePolicyPath !== undefined) {
    for (const branch of target.get(resourcePolicyPath)) {
      if (branch.value === undefined) {
        delegates = true; // the default key policy gives the account, and so IAM policies, full use of the key
        continue;
      }
      const statements = statementsOf(branch.value);
      if (statements instanceof UnknownValue) {
        unknown = unknown ?? statements;
        continue;
      }
      for (const s of statements) {
        if (!isAllow(s) || !grantsAction(s, action) || (!isPlainObject(s.Principal) && s.Principal !== '*')) continue;
        const principals = s.Principal === '*' ? ['*'] : listOf((s.Principal as Record<string, Value>).AWS);
        for (const p of principals) {
          if (p === '*' || index.resolve(p) === role) return true;
          if (isAccountRoot(p)) delegates = true;
        }
      }
    }
  }
  if (!delegates) return unknown ?? false;
  const held = roleStatements(index, role);
  const granted = held.statements.some(({ statement }) => isAllow(statement) && grantsAction(statement, action)
    && listOf(statement.Resource).some((r) => r === '*' || index.resolve(r) === target
      || (typeof r === 'string' && r.includes('*') && matchesPattern(r, arnPatternOf(target)))));
  if (granted) return true;
  return unknown ?? (held.unknown !== undefined ? new UnknownValue(held.unknown) : false);
}

/** A stand-in ARN for a target, to test wildcard resources such as `arn:aws:kms:*:*:key/*`. */
function arnPatternOf(target: IndexedResource): string {
  return target.type === 'AWS::KMS::Key' ? 'arn:aws:kms:region:000000000000:key/id' : 'arn:aws:signer:region:000000000000:/signing-profiles/name';
}

function isAccountRoot(principal: Value): boolean {
  const text = typeof principal === 'string' ? principal : principal instanceof Expression ? principal.pattern : undefined;
  return text !== undefined && (/:root$/.test(text) || /^\d{12}$/.test(text));
}

/** Why a CodeBuild project builds models, if it does. */
function modelBuildingReason(index: ResourceIndex, project: IndexedResource): string | undefined {
  if (isAiAsset(index, project)) return `it is ${aiAssetReason(index, project)}`;
  const ai = index.referencesFrom(project).find((r) => isAiResource(r.target));
  if (ai) return `it references ${ai.target.type} ${ai.target.logicalId}`;
  const role = roleOf(project, 'ServiceRole');
  if (role) {
    for (const { statement } of roleStatements(index, role).statements) {
      if (!isAllow(statement)) continue;
      for (const [service, actions] of MODEL_BUILDING_ACTIONS) {
        if (namesServiceAction(statement, service, actions)) return `its role ${role.logicalId} may call ${service} model-building actions`;
      }
    }
  }
  const buildSpec = project.get('Source.BuildSpec').find((b) => typeof b.value === 'string' && /sagemaker|bedrock/i.test(b.value));
  return buildSpec ? 'its buildspec calls SageMaker or Bedrock' : undefined;
}

export const modelSigningKey: RuleDefinition = {
  title: 'Model pipelines have a signing key to sign what they produce',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Protect your model continuously',
  quote: 'compute and share cryptographic hashes and/or signatures of model files',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::Pipeline', 'AWS::SageMaker::ModelPackageGroup', 'AWS::CodeBuild::Project'],
  compliantWhen: 'the app holds an `AWS::KMS::Key` with `KeyUsage: SIGN_VERIFY` and an `RSA_*`, `ECC_NIST_*` or `ML_DSA_*` `KeySpec` '
    + '(for a model-building CodeBuild project, alternatively an `AWS::Signer::SigningProfile` with `PlatformId: Notation-OCI-SHA384-ECDSA`), '
    + 'and the pipeline\'s or project\'s role may use it (`kms:Sign` through the key policy, or through its own policies when the '
    + 'key policy delegates to the account); model package groups need only the key. CodeBuild projects that build no models are not applicable',
  explanation: 'Consumers can verify a model only against a signature made when it was trained. Without an asymmetric '
    + 'signing key the pipeline cannot sign model artifacts or datasets, so a tampered model.tar.gz or a swapped image '
    + 'is indistinguishable from the real one at deployment.',
  fix: 'Add a kms.Key with keySpec: KeySpec.ECC_NIST_P384 (or RSA_3072) and keyUsage: KeyUsage.SIGN_VERIFY, grant the pipeline or '
    + 'build role kms:Sign (key.grant(role, "kms:Sign")), sign artifact digests in a pipeline step and record them in the model package; '
    + 'for images, a signer.SigningProfile with platform NOTATION_OCI_SHA384_ECDSA.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    const index = context.index;
    let what: string;
    let rolePath: string | undefined;
    const isProject = resource.type === 'AWS::CodeBuild::Project';
    if (isProject) {
      const why = modelBuildingReason(index, resource);
      if (!why) return NOT_APPLICABLE;
      what = `CodeBuild project ${resource.logicalId} builds models (${why})`;
      rolePath = 'ServiceRole';
    } else if (resource.type === 'AWS::SageMaker::Pipeline') {
      what = `SageMaker pipeline ${resource.logicalId} produces models`;
      rolePath = 'RoleArn';
    } else {
      what = `model package group ${resource.logicalId} registers models`;
    }

    const found = signingMaterial(index);
    const declared = isProject ? [...found.keys, ...found.profiles] : found.keys;
    // The conditions of the other keys are read only when no signer is created.
    const signers = index.keepCreated(declared.filter((c) => c.state === 'signing'), (c) => c.resource);
    if (signers.length === 0) {
      const candidates = index.keepCreated(declared, (c) => c.resource);
      const open = candidates.find((c) => c.state === 'unknown');
      if (open) return unverifiable(`${what}; whether ${open.detail} can sign cannot be verified at synth time`);
      const others = candidates.length > 0 ? ` (the app's keys: ${firstOf(candidates.map((c) => c.detail))})` : '';
      return nonCompliant(`${what}, but the app holds no asymmetric signing key (AWS::KMS::Key with KeyUsage SIGN_VERIFY and an RSA_*, `
        + `ECC_NIST_* or ML_DSA_* KeySpec)${isProject ? ' or Notation signing profile' : ''}${others}: model files cannot be signed, `
        + 'so consumers cannot verify that the model they deploy is the one that was trained');
    }
    if (rolePath === undefined) return COMPLIANT;

    const role = roleOf(resource, rolePath);
    if (!role) {
      const value = resource.get(rolePath).map((b) => describe(b.value)).join(' or ');
      return unverifiable(`${what}; its role (${rolePath} ${value}) is not in the app, so whether it may sign with `
        + `${namesOf(signers.map((c) => c.resource))} cannot be verified`, `Properties.${rolePath}`);
    }
    const grants = signers.map((c) => (c.resource.type === 'AWS::KMS::Key'
      ? mayUse(index, role, c.resource, 'kms:Sign', 'KeyPolicy')
      : mayUse(index, role, c.resource, 'signer:SignPayload')));
    if (grants.includes(true)) return COMPLIANT;
    const names = namesOf(signers.map((c) => c.resource));
    if (grants.some((g) => g instanceof UnknownValue)) {
      return unverifiable(`${what}; whether role ${role.logicalId} may sign with ${names} cannot be verified: a policy cannot be read at synth time`);
    }
    return nonCompliant(`${what}; the app has signing material (${names}) but role ${role.logicalId} may not use it (kms:Sign, or `
      + 'signer:SignPayload for a signing profile, in the key policy or the role\'s policies): the models it produces go unsigned', `Properties.${rolePath}`);
  },
};
