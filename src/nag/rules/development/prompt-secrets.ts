import { combine, COMPLIANT, decidingParameters, expectProperty, isSet, nonCompliant, NOT_APPLICABLE, qualifier, RuleResult, unverifiable, was } from '../../engine/checks';
import { DeclaredAnswers } from '../../engine/declared-answers';
import { parseEmbeddedJson } from '../../engine/readers/embedded-json';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { Expression, isPlainObject, UnknownValue, Value } from '../../engine/values';
import { secretIn } from '../../knowledge/secret-literals';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** Past this many values a prompt block is not walked further. */
const MAX_VALUES = 10_000;

interface Scan {
  secret?: { readonly path: string; readonly what: string };
  unknown?: { readonly path: string; readonly reason: string };
  seen: number;
}

/** Looks for a secret in every string of a value (prompt text, templates, flow definitions). */
function scan(value: Value, path: string, found: Scan): void {
  if (found.secret || ++found.seen > MAX_VALUES) return;
  if (typeof value === 'string' || value instanceof Expression) {
    const what = secretIn(typeof value === 'string' ? value : value.pattern);
    if (what) found.secret = { path, what };
    return;
  }
  if (value instanceof UnknownValue) {
    if (!value.insideUnknown) found.unknown = found.unknown ?? { path, reason: value.reason };
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => scan(v, `${path}[${i}]`, found));
    return;
  }
  if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) scan(v, path === '' ? k : `${path}.${k}`, found);
}

/** Scans one form of a property that holds prompt text (a flow's `DefinitionString` parsed as JSON). */
function scanForm(path: string, form: Value): Scan {
  let value = form;
  if (path === 'DefinitionString' && value !== undefined) {
    const parsed = parseEmbeddedJson(value);
    if (!('failure' in parsed)) value = parsed.json;
  }
  const found: Scan = { seen: 0 };
  scan(value, path, found);
  return found;
}

/** Judges the properties that hold prompt text, in every form the resource can take. */
function judgeText(resource: IndexedResource, paths: readonly string[], what: string): RuleResult {
  const results: RuleResult[] = [];
  for (const path of paths) {
    const branches = resource.get(path);
    for (const branch of branches) {
      const found = scanForm(path, branch.value);
      if (found.secret) {
        // A finding names the parameters of the text that holds the secret, not those of the prompt's other variants.
        const parameters = decidingParameters(resource, path, branches, branch, (b) => {
          const other = scanForm(path, b.value).secret;
          return other && `${other.path} ${other.what}`;
        });
        results.push(nonCompliant(`${found.secret.path} holds ${found.secret.what}${qualifier(parameters, branches.length)}: ${what} is `
          + 'readable by anyone who can read the resource, and the model can be talked into repeating it to a user', `Properties.${path}`));
      } else if (found.unknown) {
        results.push(unverifiable(`${found.unknown.path} is not known at synth time (${found.unknown.reason}): whether it holds a secret cannot be verified`,
          `Properties.${path}`));
      }
    }
  }
  return combine(COMPLIANT, ...results);
}

/**
 * The versions of a prompt that are created. Every version the app declares is kept with the prompts it publishes, found
 * once per run; only the conditions of this prompt's versions are read, so that a prompt is not judged again for the
 * parameters of every stack.
 */
function versionsOf(index: ResourceIndex, prompt: IndexedResource): readonly IndexedResource[] {
  const lookup = index.memo(versionsOf, () => {
    const found = new DeclaredAnswers<IndexedResource, IndexedResource>();
    for (const version of index.declaredOfType('AWS::Bedrock::PromptVersion')) {
      const prompts = new Set(version.get('PromptArn').map((b) => index.resolveAs('AWS::Bedrock::Prompt', b.value)));
      for (const target of prompts) if (target) found.add(target, version, version);
    }
    return found;
  });
  return lookup.created(index, prompt);
}

/** What each missing piece of a reusable prompt's documentation loses: a finding names only the pieces it lacks. */
const NO_DESCRIPTION = 'nothing records what this reusable system prompt is for';
const NO_VERSION = 'an application cannot pin an immutable version of this reusable system prompt, so which text it uses cannot be traced';

function checkPrompt(resource: IndexedResource, index: ResourceIndex): RuleResult {
  const versions = versionsOf(index, resource);
  const storedInS3 = resource.get('Variants').some((b) => Array.isArray(b.value) && b.value.some((v) =>
    isPlainObject(v) && isPlainObject(v.TemplateConfiguration) && isPlainObject(v.TemplateConfiguration.Text)
    && v.TemplateConfiguration.Text.TextS3Location !== undefined));
  return combine(
    judgeText(resource, ['Variants'], 'a secret in a prompt template'),
    storedInS3 ? unverifiable('a variant\'s template is in S3 (TemplateConfiguration.Text.TextS3Location): whether it holds a secret cannot be '
      + 'checked at synth time', 'Properties.Variants') : COMPLIANT,
    expectProperty(resource, 'Description', isSet, (v) => `Description ${was(v)}: ${NO_DESCRIPTION}`),
    versions.length > 0 ? COMPLIANT : nonCompliant(`no AWS::Bedrock::PromptVersion of the app publishes this prompt: ${NO_VERSION}`, 'Properties'),
  );
}

export const promptSecrets: RuleDefinition = {
  title: 'System prompts hold no secrets, and reusable prompts are described and versioned',
  section: GuidelineSection.DEVELOPMENT,
  guideline: 'Document your data, models and prompts',
  quote: 'meta- or system-prompts',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::Bedrock::Agent', 'AWS::Bedrock::Prompt', 'AWS::Bedrock::PromptVersion', 'AWS::Bedrock::Flow'],
  compliantWhen: 'no secret-like literal (an AWS access key AKIA…, a private key -----BEGIN … PRIVATE KEY-----, a `password=`/`api_key=` '
    + 'assignment with a digit in its value, a bearer token, a JWT, GitHub/Hugging Face/provider tokens, an HTTP Basic credential, a URL with a password, a '
    + '`{{resolve:secretsmanager:…}}` or `{{resolve:ssm-secure:…}}` reference) in an agent\'s `Instruction` or `PromptOverrideConfiguration` (base prompt templates), a '
    + 'prompt\'s `Variants` (text and chat templates, system messages), or a flow\'s `Definition`/`DefinitionString` (inline prompt nodes); '
    + 'text not known at synth time (or a template in S3) is unverifiable. Each `AWS::Bedrock::Prompt` has a `Description` and is published '
    + 'by an `AWS::Bedrock::PromptVersion` of the app, and each version has a `Description`',
  explanation: 'System prompts are not a secure store: prompt extraction attacks make models repeat them, and anyone who can read the agent or '
    + 'prompt reads them too. Prompts are also part of the system\'s behaviour and must be documented like models: a description of what '
    + 'each prompt is for and published, immutable versions that applications pin.',
  fix: 'Remove credentials from prompts and give tools their own credentials through the action group\'s role or Secrets Manager; define '
    + 'reusable prompts as bedrock.CfnPrompt with a description and publish them with bedrock.CfnPromptVersion (with a description of the change).',
  peers: 'none (PRW bedrock_prompt_management_in_use only checks that the feature is used)',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    switch (resource.type) {
      case 'AWS::Bedrock::Agent':
        return judgeText(resource, ['Instruction', 'PromptOverrideConfiguration'], 'a secret in the agent\'s instructions');
      case 'AWS::Bedrock::Prompt':
        return checkPrompt(resource, context.index);
      case 'AWS::Bedrock::PromptVersion':
        return expectProperty(resource, 'Description', isSet, (v) => `Description ${was(v)}: nothing records what changed in this prompt version or why`);
      case 'AWS::Bedrock::Flow':
        return judgeText(resource, ['Definition', 'DefinitionString'], 'a secret in the flow\'s prompts');
      default:
        return NOT_APPLICABLE;
    }
  },
};
