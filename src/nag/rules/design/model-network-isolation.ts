import { combine, COMPLIANT, decidingParameters, expectProperty, isTrue, nonCompliant, qualifier, RuleResult, unverifiable, was } from '../../engine/checks';
import { IndexedResource } from '../../engine/resource-index';
import { describe, Expression, isPlainObject, readPath, ResourceReference, UnknownValue, unknownOf, Value } from '../../engine/values';
import { servedOnlyServerless } from '../../knowledge/serverless-inference';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/**
 * Environment variables by which model servers are told to run the Python code shipped with a model repository:
 * `HF_TRUST_REMOTE_CODE` (Hugging Face containers), `TRUST_REMOTE_CODE` (TGI), `OPTION_TRUST_REMOTE_CODE` (DJL/LMI), and any
 * other `*_TRUST_REMOTE_CODE`; and launcher arguments (`--trust-remote-code`, `trust_remote_code=True`) in any variable.
 */
const TRUST_KEY = /(?:^|_)TRUST_REMOTE_CODE$/i;
const TRUST_ARGUMENT = /--trust[-_]remote[-_]code(?![-\w]|=(?:false|0)\b)|trust_remote_code["']?\s*[=:]\s*["']?true/i;
const TRUTHY = /^(?:true|1|yes|on)$/i;

/** The environment variables that trust remote code in one container environment, or why the environment cannot be read. */
function trustingVariables(environment: Value): { found: string[]; open?: string } {
  if (environment === undefined) return { found: [] };
  const unknown = unknownOf(environment);
  if (unknown || environment instanceof ResourceReference) return { found: [], open: `the Environment is ${describe(environment)}` };
  if (!isPlainObject(environment)) return { found: [] };
  const found: string[] = [];
  let open: string | undefined;
  for (const [key, value] of Object.entries(environment)) {
    const text = typeof value === 'string' ? value : typeof value === 'boolean' || typeof value === 'number' ? String(value) : undefined;
    if (TRUST_KEY.test(key)) {
      const deployTime = value instanceof UnknownValue || value instanceof Expression || value instanceof ResourceReference;
      if (text !== undefined && TRUTHY.test(text.trim())) found.push(`${key}=${text}`);
      else if (deployTime) open = open ?? `${key} is ${describe(value)}`;
    } else if (text !== undefined && text.length < 10_000 && TRUST_ARGUMENT.test(text)) {
      found.push(`${key}="${text.length > 60 ? text.slice(0, 57) + '...' : text}"`);
    }
  }
  return { found, open };
}

/** The container environments of one form of a model (`PrimaryContainer`, every `Containers[]` entry). */
interface ContainerEnvironment {
  /** The parameters a finding on this environment rests on (see `decidingParameters`), asked only for a finding. */
  readonly parameters: () => readonly string[];
  /** How many forms the property this environment was read from can take. */
  readonly forms: number;
  readonly where: string;
  readonly environment: Value;
}

/** What a finding on one environment says of it: the variables that trust remote code. */
function trustedIn(environment: Value): string | undefined {
  return trustingVariables(environment).found.join(', ') || undefined;
}

function environmentsOf(resource: IndexedResource): ContainerEnvironment[] {
  const out: ContainerEnvironment[] = [];
  const direct = (path: string) => {
    const branches = resource.get(path);
    for (const b of branches) {
      const parameters = () => decidingParameters(resource, path, branches, b, (f) => trustedIn(f.value));
      out.push({ parameters, forms: branches.length, where: path, environment: b.value });
    }
  };
  if (resource.type === 'AWS::SageMaker::InferenceComponent') {
    direct('Specification.Container.Environment');
    return out;
  }
  direct('PrimaryContainer.Environment');
  const containers = resource.get('Containers');
  for (const b of containers) {
    if (unknownOf(b.value)) {
      out.push({ parameters: () => b.parameters, forms: containers.length, where: 'Containers', environment: b.value });
      continue;
    }
    if (!Array.isArray(b.value)) continue;
    b.value.forEach((container, i) => out.push({
      parameters: () => decidingParameters(resource, 'Containers', containers, b,
        (f) => trustedIn(Array.isArray(f.value) ? readPath(f.value[i], ['Environment']) : undefined)),
      forms: containers.length,
      where: `Containers[${i}].Environment`,
      environment: readPath(container, ['Environment']),
    }));
  }
  return out;
}

function remoteCode(resource: IndexedResource): RuleResult {
  const found: string[] = [];
  const locations = new Set<string>();
  let open: string | undefined;
  for (const { parameters, forms, where, environment } of environmentsOf(resource)) {
    const read = trustingVariables(environment);
    if (read.found.length > 0) {
      found.push(`${where} sets ${read.found.join(', ')}${qualifier(parameters(), forms)}`);
      locations.add(`Properties.${where}`);
    }
    if (read.open) open = open ?? `${where}: ${read.open}`;
  }
  if (found.length > 0) {
    return nonCompliant(`${found.join('; ')}: the model server runs the Python code shipped with the model repository, untrusted `
      + 'third-party code inside the container that holds the model and serves its requests', ...locations);
  }
  if (open) return unverifiable(`whether the model container is told to trust remote code cannot be verified at synth time: ${open}`);
  return COMPLIANT;
}

export const modelNetworkIsolation: RuleDefinition = {
  title: 'Model containers are network-isolated and do not run code shipped with the model',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'implement scanning and isolation/sandboxing when importing third-party models or serialised weights',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::SageMaker::Model', 'AWS::SageMaker::InferenceComponent'],
  compliantWhen: '`AWS::SageMaker::Model` `EnableNetworkIsolation` is true (CloudFormation default false) in every form of the template; '
    + 'and no container environment (`PrimaryContainer.Environment`, `Containers[].Environment`, and an '
    + '`AWS::SageMaker::InferenceComponent`\'s `Specification.Container.Environment`) tells the model server to trust remote code: '
    + '`HF_TRUST_REMOTE_CODE`, `TRUST_REMOTE_CODE`, `OPTION_TRUST_REMOTE_CODE` or any `*_TRUST_REMOTE_CODE` set to true/1/yes, or '
    + '`--trust-remote-code` / `trust_remote_code=True` in any variable. Trusting remote code makes the container execute the model '
    + 'repository\'s Python code, the "serialised weights ... untrusted third-party code" the guideline warns of, so it is a finding '
    + 'even with isolation on. A model served only by serverless variants (`ServerlessConfig` in every endpoint configuration of the '
    + 'app that names it), which support no network isolation, is judged on remote code only. (Inference components have no isolation switch of their own: D12 judges their endpoint configuration.)',
  explanation: 'Model weights and the code that comes with them are untrusted third-party code: pickled weights and custom modelling '
    + 'code execute when the model loads. Network isolation is the sandbox that stops such code from calling out, exfiltrating the '
    + 'model or data, or pulling a second stage; telling the server to trust remote code invites that code in.',
  fix: 'Set enableNetworkIsolation: true on the CfnModel (loading artifacts from S3 and images from ECR still works), and remove '
    + 'HF_TRUST_REMOTE_CODE / TRUST_REMOTE_CODE / --trust-remote-code from the container environment: use a model whose architecture '
    + 'the serving container supports natively, or vendor and review the modelling code into your own image.',
  peers: 'CKV_AWS_370 (CFN); CFG sagemaker-model-isolation-enabled; SH SageMaker.5',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    if (resource.type === 'AWS::SageMaker::InferenceComponent') return remoteCode(resource);
    // Serverless Inference supports no network isolation: only the container's trust of remote code is judged there.
    if (servedOnlyServerless(context.index, resource)) return remoteCode(resource);
    const isolation = expectProperty(resource, 'EnableNetworkIsolation', isTrue,
      (v) => `EnableNetworkIsolation ${was(v)}${v === undefined ? ' (CloudFormation default false)' : ''}: the model container, which runs `
        + 'third-party weights and code, can reach the network to exfiltrate the model and its data or fetch further code');
    return combine(isolation, remoteCode(resource));
  },
};
