import { combine, COMPLIANT, isOneOf, judgeForms, nonCompliant, RuleResult, unverifiable, Verdict } from '../../engine/checks';
import { describe, isPlainObject, readPath, UnknownValue, unknownOf, Value } from '../../engine/values';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const ENDPOINT = 'AWS::SageMaker::Endpoint';
const COMPONENT = 'AWS::SageMaker::InferenceComponent';
const isGradual = isOneOf('CANARY', 'LINEAR');

/** A non-empty object (a rolling policy), or unknown. */
function isPolicy(value: Value): boolean | UnknownValue {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  return isPlainObject(value) && Object.keys(value).length > 0;
}

/** Whether the rollback alarms are a non-empty list of alarms. */
function hasAlarms(value: Value): boolean | UnknownValue {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (!Array.isArray(value) || value.length === 0) return false;
  return value.some((a) => (isPlainObject(a) && a.AlarmName !== undefined && a.AlarmName !== '') || a instanceof UnknownValue);
}

/** Judges one form of `DeploymentConfig`. */
function judgeConfig(type: string, config: Value): RuleResult {
  const location = 'Properties.DeploymentConfig';
  if (config instanceof UnknownValue) return unverifiable(`DeploymentConfig cannot be verified at synth time: ${config.reason}`, location);
  if (!isPlainObject(config)) {
    return nonCompliant(`DeploymentConfig is ${describe(config)}: an update replaces the model for all traffic at once, with no `
      + 'alarm to stop it and roll it back', location);
  }
  const results: RuleResult[] = [];
  const alarms = hasAlarms(readPath(config, ['AutoRollbackConfiguration', 'Alarms']));
  if (alarms instanceof UnknownValue) {
    results.push(unverifiable(`DeploymentConfig.AutoRollbackConfiguration.Alarms cannot be verified at synth time: ${alarms.reason}`,
      `${location}.AutoRollbackConfiguration.Alarms`));
  } else if (!alarms) {
    results.push(nonCompliant('DeploymentConfig.AutoRollbackConfiguration.Alarms is empty or absent: a model update that raises errors or '
      + 'changes behaviour is not rolled back automatically', `${location}.AutoRollbackConfiguration.Alarms`));
  }
  const rolling = isPolicy(readPath(config, ['RollingUpdatePolicy']));
  if (rolling === true) return combine(...results);
  if (type === COMPONENT) {
    results.push(rolling instanceof UnknownValue
      ? unverifiable(`DeploymentConfig.RollingUpdatePolicy cannot be verified at synth time: ${rolling.reason}`, `${location}.RollingUpdatePolicy`)
      : nonCompliant('DeploymentConfig.RollingUpdatePolicy is absent: a new model copy replaces the old one for all traffic at once',
        `${location}.RollingUpdatePolicy`));
    return combine(...results);
  }
  const routing = readPath(config, ['BlueGreenUpdatePolicy', 'TrafficRoutingConfiguration', 'Type']);
  const gradual = isGradual(routing);
  if (gradual instanceof UnknownValue || rolling instanceof UnknownValue) {
    results.push(unverifiable('whether DeploymentConfig shifts traffic gradually cannot be verified at synth time',
      `${location}.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type`));
  } else if (!gradual) {
    results.push(nonCompliant(`DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type is ${describe(routing)} and there is `
      + 'no RollingUpdatePolicy: the new model takes all traffic at once instead of a canary or linear share first',
    `${location}.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type`));
  }
  return combine(...results);
}

export const endpointDeploymentGuardrails: RuleDefinition = {
  title: 'Endpoint updates shift traffic gradually and roll back on alarms',
  section: GuidelineSection.OPERATION,
  guideline: 'Follow a secure by design approach to updates',
  quote: 'changes to data, models or prompts can lead to changes in system behaviour … you treat major updates like new versions',
  level: RuleLevel.WARNING,
  resourceTypes: [ENDPOINT, COMPONENT],
  compliantWhen: '`AWS::SageMaker::Endpoint`: `DeploymentConfig.AutoRollbackConfiguration.Alarms` non-empty, and '
    + '`BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type` `CANARY` or `LINEAR` or a `RollingUpdatePolicy`; '
    + '`AWS::SageMaker::InferenceComponent`: `DeploymentConfig.RollingUpdatePolicy` and `AutoRollbackConfiguration.Alarms` '
    + 'non-empty; in every form. An absent `DeploymentConfig` (all-at-once, no rollback) is non-compliant',
  explanation: 'A new model, new weights or a new prompt can change what an endpoint does. Shifting a canary or linear share of '
    + 'traffic first, watched by alarms that roll the update back, treats the change like a new version: a regression or a '
    + 'tampered model is caught on a fraction of requests instead of all of them.',
  fix: 'Set DeploymentConfig on the endpoint: BlueGreenUpdatePolicy.TrafficRoutingConfiguration { Type: CANARY (CanarySize) or LINEAR '
    + '(LinearStepSize), WaitIntervalInSeconds } or RollingUpdatePolicy, and AutoRollbackConfiguration.Alarms [{ AlarmName }] naming '
    + 'alarms on the endpoint\'s errors and latency; on inference components set DeploymentConfig.RollingUpdatePolicy and '
    + 'AutoRollbackConfiguration.',
  peers: '',
  coverage: PeerCoverage.NONE,
  check(resource) {
    const result = judgeForms(resource, 'DeploymentConfig', (config) => judgeConfig(resource.type, config));
    return result.verdict === Verdict.NOT_APPLICABLE ? COMPLIANT : result;
  },
};
