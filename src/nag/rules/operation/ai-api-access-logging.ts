import { combine, COMPLIANT, isSet, judge, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable, Verdict, was } from '../../engine/checks';
import { DeclaredAnswers } from '../../engine/declared-answers';
import { addToList } from '../../engine/lists';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { unknownOf, Value } from '../../engine/values';
import {
  ACCESS_LOG_SETTINGS, aiBackendOf, apiOf, associationsAttaching, declaredDistributionsInFrontOf, declaredWebAclAssociations,
  isStagelessDeployment, STAGE_TYPES,
} from '../../knowledge/ai-apis';
import { namesOf } from '../../knowledge/ai-assets';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const WEB_ACL = 'AWS::WAFv2::WebACL';
const LOGGING = 'AWS::WAFv2::LoggingConfiguration';

/** Why a web ACL is in front of an AI API, or undefined where it is not after all: found when a rule asks. */
type Reason = () => string | undefined;

/**
 * The web ACLs and logging configurations of the app as the templates declare them, created or not, found once per run:
 * each reason rests on the stage, association or distribution that makes it so, and a rule asks about one web ACL whether
 * they are created, so that it depends on their conditions alone.
 */
interface Lookup {
  /** Web ACLs in front of AI APIs, with why. */
  readonly aiAcls: DeclaredAnswers<IndexedResource, Reason>;
  /** The logging configurations that name each web ACL. */
  readonly logging: Map<IndexedResource, IndexedResource[]>;
  /** Logging configurations whose web ACL cannot be read: any of them may log any web ACL. */
  readonly unresolvedLogging: IndexedResource[];
}

function lookupFor(index: ResourceIndex): Lookup {
  return index.memo(lookupFor, () => {
    const found: Lookup = { aiAcls: new DeclaredAnswers(), logging: new Map(), unresolvedLogging: [] };
    const mark = (value: Value, why: Reason, ...restsOn: IndexedResource[]): void => {
      const acl = index.resolve(value);
      if (acl && acl.type === WEB_ACL) found.aiAcls.add(acl, why, ...restsOn);
    };
    for (const type of STAGE_TYPES) {
      for (const stage of index.declaredOfType(type)) {
        if (isStagelessDeployment(stage)) continue;
        const fronting = (what: (backend: string) => string): Reason => () => {
          const backend = aiBackendOf(index, stage);
          return backend && what(backend.why);
        };
        for (const declared of declaredWebAclAssociations(index).get(stage) ?? []) {
          // An association that names the stage by name attaches to the stage of that name that is created.
          const attached = fronting((why) => `it is attached to stage ${stage.logicalId}, which fronts an AI backend (${why})`);
          const reason: Reason = () => (associationsAttaching(index, [declared], stage).length > 0 ? attached() : undefined);
          declared.association.get('WebACLArn').forEach((b) => mark(b.value, reason, stage, declared.association));
        }
        // The distributions in front of the stage's API, worded with the first stage of the API that fronts an AI backend:
        // the answers of its earlier stages that are not created, or front none, give no reason.
        const api = apiOf(stage).api;
        if (!api) continue;
        for (const distribution of declaredDistributionsInFrontOf(index, api)) {
          distribution.get('DistributionConfig.WebACLId').forEach((b) => mark(b.value, fronting((why) =>
            `it protects CloudFront distribution ${distribution.logicalId} in front of ${api.logicalId}, which fronts an AI backend (${why})`),
          stage, api, distribution));
        }
      }
    }
    for (const config of index.declaredOfType(LOGGING)) {
      const acls = new Set<IndexedResource>();
      let unknown = false;
      for (const b of config.get('ResourceArn')) {
        const acl = index.resolve(b.value);
        if (acl && acl.type === WEB_ACL) acls.add(acl);
        else if (unknownOf(b.value)) unknown = true;
      }
      for (const acl of acls) addToList(found.logging, acl, config);
      if (unknown && acls.size === 0) found.unresolvedLogging.push(config);
    }
    return found;
  });
}

function checkStage(index: ResourceIndex, stage: IndexedResource): RuleResult {
  if (isStagelessDeployment(stage)) return NOT_APPLICABLE;
  const backend = aiBackendOf(index, stage);
  if (!backend) return NOT_APPLICABLE;
  const block = ACCESS_LOG_SETTINGS[stage.type];
  const why = `this stage fronts an AI backend (${backend.why}) and`;
  const consequence = 'the requests callers sent to the model (who, when, from where, with what result) are not recorded for audit, '
    + 'investigation and remediation';
  if (stage.get(block).every((b) => b.value === undefined)) {
    return nonCompliant(`${why} has no ${block}: ${consequence}`, `Properties.${block}`);
  }
  return combine(
    judge(stage.get(`${block}.DestinationArn`), `Properties.${block}.DestinationArn`, isSet,
      (v) => `${why} ${block}.DestinationArn ${was(v)}: ${consequence}`, `${block}.DestinationArn`),
    judge(stage.get(`${block}.Format`), `Properties.${block}.Format`, isSet,
      (v) => `${why} ${block}.Format ${was(v)}: ${consequence}`, `${block}.Format`),
  );
}

function checkWebAcl(index: ResourceIndex, acl: IndexedResource): RuleResult {
  const lookup = lookupFor(index);
  // The first reason whose resources are created and which holds.
  const why = lookup.aiAcls.pick(index, acl, (reason) => reason());
  if (!why) return NOT_APPLICABLE;
  const configs = index.keepCreated(lookup.logging.get(acl) ?? [], (config) => config);
  const results = configs.map((config) => judge(config.get('LogDestinationConfigs'), 'Properties.LogDestinationConfigs', isSet,
    (v) => `logging configuration ${config.logicalId} has LogDestinationConfigs ${was(v)}`, `LogDestinationConfigs of ${config.logicalId}`));
  if (results.some((r) => r.verdict === Verdict.COMPLIANT)) return COMPLIANT;
  const context = `this web ACL is in front of an AI API (${why})`;
  const consequence = 'the requests it allowed and blocked, the evidence of probing and extraction attempts, are not kept';
  if (results.length > 0) {
    const result = combine(...results);
    return { ...result, message: `${context}; ${result.message}: ${consequence}` };
  }
  const unresolved = index.keepCreated(lookup.unresolvedLogging, (config) => config);
  if (unresolved.length > 0) {
    return unverifiable(`${context}; no AWS::WAFv2::LoggingConfiguration names it, but the ResourceArn of `
      + `${namesOf(unresolved)} cannot be read at synth time and may`);
  }
  return nonCompliant(`${context}; no AWS::WAFv2::LoggingConfiguration names it: ${consequence}`);
}

export const aiApiAccessLogging: RuleDefinition = {
  title: 'Inference APIs and their web ACLs keep access logs',
  section: GuidelineSection.OPERATION,
  guideline: "Monitor your system's inputs",
  quote: 'to enable compliance obligations, audit, investigation and remediation',
  level: RuleLevel.ERROR,
  resourceTypes: [...STAGE_TYPES, WEB_ACL],
  compliantWhen: 'every API Gateway stage that fronts an AI backend (as P14 decides: SageMaker/Bedrock/AgentCore or third-party model '
    + 'integrations, AI Lambdas, `ai:asset=true`) has `AccessLogSetting.DestinationArn` and `Format` (HTTP/WebSocket: '
    + '`AccessLogSettings`; a deployment creating the stage: `StageDescription.AccessLogSetting`); every web ACL attached to such a '
    + 'stage, or to a CloudFront distribution in front of its API, is named by an `AWS::WAFv2::LoggingConfiguration` with '
    + '`LogDestinationConfigs`. Stages and web ACLs in front of no AI backend are not applicable',
  explanation: 'Access logs of an inference API and the log of its web ACL are the record of who queried the model, how often and '
    + 'with what result: what an investigation of misuse, extraction or compromise starts from, and what compliance obligations require.',
  fix: 'Set accessLogSetting (DestinationArn of a log group, Format, e.g. apigateway.AccessLogFormat.jsonWithStandardFields()) on the '
    + 'stage (deployOptions.accessLogDestination in RestApi), accessLogSettings on HTTP API stages, and add a '
    + 'wafv2.CfnLoggingConfiguration (ResourceArn: webAcl.attrArn, LogDestinationConfigs: [aws-waf-logs-* log group ARN]).',
  peers: 'NAG AwsSolutions-APIG1, APIG6, NIST/HIPAA WAFv2LoggingEnabled; CKV_AWS_76, 95; CT.APIGATEWAY.PR.1, PR.4; '
    + 'GRR API_GW_STAGE_ACCESS_LOGGING_RULE, API_GWV2_ACCESS_LOGS_ENABLED; CFG api-gwv2-access-logs-enabled, wafv2-logging-enabled; '
    + 'SH APIGateway.1, .9, WAF.11 (all unscoped)',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    return resource.type === WEB_ACL ? checkWebAcl(context.index, resource) : checkStage(context.index, resource);
  },
};
