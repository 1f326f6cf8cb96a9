import { Answer, COMPLIANT, decidingParameters, expectProperty, nonCompliant, normaliseEnum, NOT_APPLICABLE, NOT_KNOWN, qualifier, RuleResult, unverifiable, was } from '../../engine/checks';
import { listOf } from '../../engine/lists';
import { IndexedResource } from '../../engine/resource-index';
import { describe, Expression, isPlainObject, readPath, ResourceReference, UnknownValue, unknownOf, Value } from '../../engine/values';
import { aiBackendOf, isStagelessDeployment } from '../../knowledge/ai-apis';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** The settings blocks in one form of a stage property that may switch on data tracing, with where they are. */
function settingsOf(property: string, value: Value): Array<{ where: string; settings: Value }> {
  const out: Array<{ where: string; settings: Value }> = [];
  const list = (prefix: string, items: Value) => {
    if (unknownOf(items)) out.push({ where: prefix, settings: items });
    else listOf(items).forEach((s, i) => out.push({ where: `${prefix}[${i}]`, settings: s }));
  };
  if (property === 'MethodSettings') {
    list('MethodSettings', value);
  } else if (property === 'StageDescription') {
    out.push({ where: 'StageDescription', settings: value });
    list('StageDescription.MethodSettings', readPath(value, ['MethodSettings']));
  } else if (property === 'RouteSettings' && isPlainObject(value)) {
    Object.entries(value).forEach(([key, settings]) => out.push({ where: `RouteSettings["${key}"]`, settings }));
  } else {
    out.push({ where: property, settings: value });
  }
  return out;
}

/** Whether a settings block switches data tracing on: yes, no, or maybe when it cannot be read. */
function traces(settings: Value): Answer {
  if (settings === undefined) return false;
  if (!isPlainObject(settings)) return unknownOf(settings) || settings instanceof ResourceReference ? NOT_KNOWN : false;
  const flag = settings.DataTraceEnabled;
  if (flag === true || (typeof flag === 'string' && flag.trim().toLowerCase() === 'true')) return true;
  return flag instanceof UnknownValue || flag instanceof Expression || flag instanceof ResourceReference ? NOT_KNOWN : false;
}

const TRACE_PROPERTIES: Record<string, string[]> = {
  'AWS::ApiGateway::Stage': ['MethodSettings'],
  'AWS::ApiGateway::Deployment': ['StageDescription'],
  'AWS::ApiGatewayV2::Stage': ['DefaultRouteSettings', 'RouteSettings'],
};

/** The method settings of one form of a stage property that trace data, and the first whose flag cannot be read. */
function tracingIn(property: string, value: Value): { tracing: string[]; open?: string } {
  const tracing: string[] = [];
  let open: string | undefined;
  for (const { where, settings } of settingsOf(property, value)) {
    const answer = traces(settings);
    if (answer === true) tracing.push(where);
    else if (answer instanceof UnknownValue) open = open ?? `${where} is ${describe(isPlainObject(settings) ? settings.DataTraceEnabled : settings)}`;
  }
  return { tracing, open };
}

function stage(resource: IndexedResource): RuleResult {
  let open: string | undefined;
  for (const property of TRACE_PROPERTIES[resource.type] ?? []) {
    const forms = resource.get(property);
    for (const form of forms) {
      const found = tracingIn(property, form.value);
      open = open ?? found.open;
      if (found.tracing.length > 0) {
        const parameters = decidingParameters(resource, property, forms, form, (f) => tracingIn(property, f.value).tracing.join(', ') || undefined);
        return nonCompliant(`DataTraceEnabled is true in ${found.tracing.join(', ')}${qualifier(parameters, forms.length)}: API Gateway writes `
          + 'full requests and responses, prompts and model completions included, to its execution logs, where everyone who can read the '
          + 'logs sees them', `Properties.${property}`);
      }
    }
  }
  return open ? unverifiable(`whether the stage traces request and response data cannot be verified at synth time: ${open}`) : COMPLIANT;
}

export const errorDetailExposure: RuleDefinition = {
  title: 'AI gateways and APIs do not expose debug errors or log full prompts and completions',
  section: GuidelineSection.DESIGN,
  guideline: 'Design your system for security as well as functionality and performance',
  quote: 'usable outputs without revealing unnecessary levels of detail to a potential attacker',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::BedrockAgentCore::Gateway', 'AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment', 'AWS::ApiGatewayV2::Stage'],
  compliantWhen: '`AWS::BedrockAgentCore::Gateway` `ExceptionLevel` is absent or not DEBUG; on stages of APIs that front an AI backend '
    + '(see D14), no `AWS::ApiGateway::Stage` `MethodSettings[]` entry, `AWS::ApiGateway::Deployment` `StageDescription` (or its '
    + '`MethodSettings[]`), or `AWS::ApiGatewayV2::Stage` `DefaultRouteSettings` / `RouteSettings` entry has `DataTraceEnabled: true`, '
    + 'in every form of the template',
  explanation: 'A gateway in DEBUG exception level returns internal error detail (tool names, stack traces, downstream messages) '
    + 'to callers, which helps an attacker map the system and tune prompt injections. Data tracing writes every request and '
    + 'response body, full prompts and model completions, to execution logs, exposing user data and system prompts to anyone who '
    + 'can read the logs.',
  fix: 'Leave exceptionLevel unset on the AgentCore gateway (or not DEBUG) in production; set dataTraceEnabled: false in the RestApi '
    + 'deployOptions / stage method settings and in HTTP API route settings, using access logs (which record metadata only) instead.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource, context) {
    if (resource.type === 'AWS::BedrockAgentCore::Gateway') {
      return expectProperty(resource, 'ExceptionLevel', (v) => {
        const unknown = unknownOf(v);
        if (unknown) return unknown;
        return !(typeof v === 'string' && normaliseEnum(v) === 'debug');
      }, (v) => `ExceptionLevel ${was(v)}: the gateway returns debugging detail of its tools and targets to any caller`);
    }
    if (isStagelessDeployment(resource) || !aiBackendOf(context.index, resource)) return NOT_APPLICABLE;
    return stage(resource);
  },
};
