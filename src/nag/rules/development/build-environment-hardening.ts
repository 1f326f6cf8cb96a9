import { combine, COMPLIANT, decidingParameters, expectProperty, isOneOf, isTrue, judge, nonCompliant, NOT_APPLICABLE, qualifier, RuleResult, unverifiable, Verdict, was } from '../../engine/checks';
import { listOf } from '../../engine/lists';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { Branch, isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { isAiAsset } from '../../knowledge/ai-assets';
import { workflowFunctionReason } from '../../knowledge/ai-workflows';
import { isCustomerManagedKey, keyProblem } from '../../knowledge/customer-managed-key';
import { aiFunctionReason } from '../../knowledge/model-access';
import { containersOf, judgeContainerForm } from '../../knowledge/model-containers';
import { environmentEntries, environmentSecret, secretIn } from '../../knowledge/secret-literals';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const AI_PREFIXES = ['AWS::SageMaker::', 'AWS::Bedrock::', 'AWS::BedrockAgentCore::'];
const isPlaintext = isOneOf('PLAINTEXT');
const isEnabled = isOneOf('ENABLED');
const isDisabled = isOneOf('DISABLED');

const SECRET_WHY = 'anyone who can read the resource\'s configuration (describe calls, the console, the template, CloudTrail) reads the '
  + 'credential; keep it in Secrets Manager or SSM Parameter Store (SecureString) and pass its name instead';

/**
 * Findings for plain-text variables that hold credentials.
 * @param note what a finding adds about the form it is in (the parameters it rests on), asked only when one is made
 */
function secretFindings(
  entries: ReadonlyArray<readonly [string, Value]>, where: string, location: string, note: () => string,
): RuleResult[] {
  const results: RuleResult[] = [];
  for (const [name, value] of entries) {
    const verdict = environmentSecret(name, value);
    if (verdict?.state === 'secret') results.push(nonCompliant(`${where} variable ${name} ${verdict.what} in plain text${note()}: ${SECRET_WHY}`, location));
    if (verdict?.state === 'unknown') {
      results.push(unverifiable(`${where} variable ${name} is named as a credential and its value is not known at synth time (${verdict.reason}): `
        + 'whether a secret is written into the environment in plain text cannot be verified', location));
    }
  }
  return results;
}

/** The variables of one form that hold a credential, as a finding on it would name them; undefined where none does. */
function secretsOf(entries: ReadonlyArray<readonly [string, Value]> | UnknownValue): string | undefined {
  if (entries instanceof UnknownValue) return undefined;
  const found = entries.map(([name, value]) => {
    const verdict = environmentSecret(name, value);
    return verdict?.state === 'secret' ? `${name} ${verdict.what}` : undefined;
  });
  return found.filter((f) => f !== undefined).join('; ') || undefined;
}

/**
 * Findings for an environment map (`{NAME: value}`) in every form the resource can take.
 * @param parametersOf the parameters a finding on a form names
 */
function environmentFindings(branches: readonly Branch[], where: string, location: string,
  parametersOf: (branch: Branch) => readonly string[] = (branch) => branch.parameters): RuleResult[] {
  const results: RuleResult[] = [];
  for (const branch of branches) {
    const entries = environmentEntries(branch.value);
    if (entries instanceof UnknownValue) {
      if (!entries.insideUnknown) {
        results.push(unverifiable(`${where} cannot be read at synth time (${entries.reason}): plain-text secrets in it cannot be ruled out`, location));
      }
      continue;
    }
    results.push(...secretFindings(entries, where, location, () => qualifier(parametersOf(branch), branches.length)));
  }
  return results;
}

/**
 * {@link environmentFindings} on the environment map a resource holds at `path`: a finding names only the parameters
 * its secrets rest on, not those of the other variables (see `decidingParameters`).
 */
function environmentFindingsAt(resource: IndexedResource, path: string): RuleResult[] {
  const branches = resource.get(path);
  return environmentFindings(branches, path, `Properties.${path}`,
    (branch) => decidingParameters(resource, path, branches, branch, (b) => secretsOf(environmentEntries(b.value))));
}

/** The plain-text variables of one form of a CodeBuild project's `Environment.EnvironmentVariables`. */
function codeBuildVariables(value: Value): { entries: Array<readonly [string, Value]>; unknownType: string[] } | UnknownValue {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  const entries: Array<readonly [string, Value]> = [];
  const unknownType: string[] = [];
  for (const variable of listOf(value)) {
    if (!isPlainObject(variable) || typeof variable.Name !== 'string') continue;
    const plain = variable.Type === undefined ? true : isPlaintext(variable.Type);
    if (plain === true) entries.push([variable.Name, variable.Value]);
    else if (plain instanceof UnknownValue && environmentSecret(variable.Name, variable.Value)) unknownType.push(variable.Name);
  }
  return { entries, unknownType };
}

function checkProject(resource: IndexedResource, index: ResourceIndex): RuleResult {
  if (!isAiAsset(index, resource) && !AI_PREFIXES.some((p) => index.hasTypePrefix(p))) return NOT_APPLICABLE;
  const results: RuleResult[] = [
    expectProperty(resource, 'Environment.PrivilegedMode', (v) => {
      const privileged = isTrue(v);
      return privileged instanceof UnknownValue ? privileged : !privileged;
    },
    (v) => `Environment.PrivilegedMode ${was(v)}: the build runs with root on the host's Docker daemon, so a compromised dependency can escape `
        + 'the build container; acknowledge this finding with a reason if the project builds container images'),
    expectProperty(resource, 'EncryptionKey', isCustomerManagedKey,
      (v) => `${keyProblem('EncryptionKey', v)}${v === undefined ? ' (CodeBuild uses the AWS-managed aws/s3 key)' : ''}: the build artifacts `
        + '(model images, packaged code, weights) are not encrypted with a key you control'),
  ];

  const logs = resource.get('LogsConfig');
  results.push(judge(logs, 'Properties.LogsConfig', (v) => {
    if (v === undefined || !isPlainObject(v)) return unknownOf(v) ?? true; // CloudWatch Logs are on by default
    const cw = isPlainObject(v.CloudWatchLogs) ? v.CloudWatchLogs.Status : unknownOf(v.CloudWatchLogs);
    if (cw === undefined) return true;
    const disabled = isDisabled(cw);
    if (disabled === false) return true;
    const s3 = isPlainObject(v.S3Logs) ? isEnabled(v.S3Logs.Status) : unknownOf(v.S3Logs) ?? false;
    if (s3 === true) return true;
    return disabled instanceof UnknownValue ? disabled : s3;
  }, () => 'LogsConfig.CloudWatchLogs.Status is DISABLED and S3Logs is not ENABLED: the build leaves no log of what it ran and fetched', 'LogsConfig'));

  const variables = resource.get('Environment.EnvironmentVariables');
  for (const branch of variables) {
    const read = codeBuildVariables(branch.value);
    if (read instanceof UnknownValue) {
      if (!read.insideUnknown) results.push(unverifiable(`Environment.EnvironmentVariables cannot be read at synth time (${read.reason})`, 'Properties.Environment.EnvironmentVariables'));
      continue;
    }
    results.push(...secretFindings(read.entries, 'Environment.EnvironmentVariables', 'Properties.Environment.EnvironmentVariables',
      () => qualifier(decidingParameters(resource, 'Environment.EnvironmentVariables', variables, branch, (b) => {
        const other = codeBuildVariables(b.value);
        return secretsOf(other instanceof UnknownValue ? other : other.entries);
      }), variables.length)));
    for (const name of read.unknownType) {
      results.push(unverifiable(`Environment.EnvironmentVariables variable ${name} looks like a credential and its Type is not known at synth time`,
        'Properties.Environment.EnvironmentVariables'));
    }
  }

  for (const branch of resource.get('Source.BuildSpec')) {
    const text = typeof branch.value === 'string' ? branch.value : undefined;
    const found = text === undefined ? undefined : secretIn(text);
    if (found) results.push(nonCompliant(`Source.BuildSpec holds ${found} in plain text: ${SECRET_WHY}`, 'Properties.Source.BuildSpec'));
  }
  return combine(COMPLIANT, ...results);
}

function checkWorkload(resource: IndexedResource, index: ResourceIndex): RuleResult {
  switch (resource.type) {
    case 'AWS::Lambda::Function': {
      const why = aiFunctionReason(index, resource) ?? workflowFunctionReason(index, resource);
      if (!why) return NOT_APPLICABLE;
      const result = combine(COMPLIANT, ...environmentFindingsAt(resource, 'Environment.Variables'));
      return result.verdict === Verdict.COMPLIANT ? result : { ...result, message: `${result.message} (the function is an AI workload: ${why})` };
    }
    case 'AWS::BedrockAgentCore::Runtime':
      return combine(COMPLIANT, ...environmentFindingsAt(resource, 'EnvironmentVariables'));
    default: {
      const { containers } = containersOf(resource);
      const results = containers.map((c) => judgeContainerForm(c, (container, note) => {
        const property = `${c.location.replace(/^Properties\./, '')}.Environment`;
        const findings = environmentFindings([{ value: container.Environment, parameters: [] }], property, `${c.location}.Environment`);
        return combine(COMPLIANT, ...findings.map((f) => (f.verdict === Verdict.NON_COMPLIANT && note ? { ...f, message: `${f.message}${note}` } : f)));
      }));
      return combine(...results);
    }
  }
}

const CONTAINER_FIX = 'Remove the secret from the container\'s environment: store it in Secrets Manager, pass its ARN as the variable '
  + 'and let the execution role read it at run time (secret.grantRead(role)).';

export const buildEnvironmentHardening: RuleDefinition = {
  title: 'Build projects are hardened, and no build, model or function environment holds plain-text secrets',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'all elements of the AI system are written in appropriate environments',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::CodeBuild::Project', 'AWS::SageMaker::Model', 'AWS::SageMaker::InferenceComponent', 'AWS::SageMaker::ModelPackage',
    'AWS::Lambda::Function', 'AWS::BedrockAgentCore::Runtime'],
  compliantWhen: 'CodeBuild projects (of apps with AI resources): `Environment.PrivilegedMode` not true (acknowledge the finding for image '
    + 'builds), `EncryptionKey` a customer-managed key, logs not switched off (`LogsConfig.CloudWatchLogs.Status` absent or `ENABLED`, or '
    + '`S3Logs.Status: ENABLED`), no `PLAINTEXT` (or untyped) `Environment.EnvironmentVariables[]` holding a credential and no credential in an '
    + 'inline `Source.BuildSpec`. The same plain-text-secret check applies to the environment of SageMaker model, inference-component and '
    + 'model-package containers (`Environment`), of AgentCore runtimes (`EnvironmentVariables`) and of AI Lambda functions '
    + '(`Environment.Variables` of functions agents, gateways, pipelines or state machines that run SageMaker or Bedrock tasks invoke, that '
    + 'reference AI resources or that may invoke models): a variable holds a credential '
    + 'when its value contains one (an AWS key AKIA…, a private key, a bearer/JWT/GitHub/Hugging Face/provider token, an HTTP Basic '
    + 'credential, a URL with a password, a `{{resolve:secretsmanager:…}}` or `{{resolve:ssm-secure:…}}` dynamic reference, which '
    + 'CloudFormation writes into the configuration as plain text) or its name says so (*PASSWORD*, *SECRET*, *TOKEN*, *API_KEY*, '
    + '*ACCESS_KEY*, *_PASS… but not '
    + '*_ARN, *_NAME, *_ID…) and its value is a literal; such a name with a value not known at synth time is unverifiable',
  explanation: 'The build environment produces the images and packages the AI system runs: a privileged build lets a compromised '
    + 'dependency take over the host, unencrypted artifacts and missing logs hide tampering. A secret written in plain text into a build '
    + 'project, a model container or a function is stored in its configuration, readable by anyone who can describe the resource, and '
    + 'cannot be rotated without a redeploy: these are not appropriate environments for credentials.',
  fix: 'Set privileged: false unless the project builds images, encryptionKey to a kms.Key and leave logging on (codebuild.Project); pass '
    + 'secrets as BuildEnvironmentVariableType.SECRETS_MANAGER / PARAMETER_STORE variables, and give containers and functions the secret\'s '
    + 'ARN or name (read at run time with the role\'s permission) instead of its value.',
  fixByType: {
    'AWS::CodeBuild::Project': 'Set privileged: false unless the project builds images, encryptionKey to a kms.Key and leave logging on '
      + '(codebuild.Project); pass secrets as BuildEnvironmentVariableType.SECRETS_MANAGER or PARAMETER_STORE variables, never in the buildspec.',
    'AWS::SageMaker::Model': CONTAINER_FIX,
    'AWS::SageMaker::InferenceComponent': CONTAINER_FIX,
    'AWS::SageMaker::ModelPackage': CONTAINER_FIX,
    'AWS::Lambda::Function': 'Remove the secret from the function\'s environment: store it in Secrets Manager, pass its ARN '
      + '(secret.secretArn) as the variable and read it at run time with secret.grantRead(fn); or use the Parameters and Secrets extension.',
    'AWS::BedrockAgentCore::Runtime': 'Remove the secret from the runtime\'s environmentVariables: pass the ARN of a Secrets Manager secret '
      + 'and grant the runtime\'s role secretsmanager:GetSecretValue on it, or use an AgentCore identity credential provider for outbound '
      + 'authentication.',
  },
  peers: 'NAG AwsSolutions-CB4, CB5; CKV_AWS_78; CT.CODEBUILD.PR.2/3/4/5; GRR CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK, CODEBUILD_ENCRYPTION_KEY_RULE; '
    + 'CFG codebuild-project-environment-privileged-check, codebuild-project-envvar-awscred-check; SH CodeBuild.2/4/5 (CodeBuild only)',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    return resource.type === 'AWS::CodeBuild::Project' ? checkProject(resource, context.index) : checkWorkload(resource, context.index);
  },
};
