import { Answer, combine, expectProperty, isOneOf, isSet, isTrue, judge, NOT_APPLICABLE, RuleResult, unverifiable, was } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, isPlainObject, UnknownValue, unknownOf, Value } from '../../engine/values';
import { isAiWorkflow } from '../../knowledge/ai-workflows';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const LOG_GROUP = 'AWS::Logs::LogGroup';

/** The log group ARNs of a `LoggingConfiguration.Destinations` list, or why they cannot be read. */
function destinationArns(value: Value): Value[] | UnknownValue {
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (!Array.isArray(value)) return [];
  return value.map((d) => (isPlainObject(d) && isPlainObject(d.CloudWatchLogsLogGroup) ? d.CloudWatchLogsLogGroup.LogGroupArn : d));
}

/** Judges that every destination is a log group of the app encrypted with a key you control. */
function judgeDestinations(machine: IndexedResource, index: ResourceIndex): RuleResult {
  const results: RuleResult[] = [];
  const location = 'Properties.LoggingConfiguration.Destinations';
  for (const branch of machine.get('LoggingConfiguration.Destinations')) {
    const arns = destinationArns(branch.value);
    if (arns instanceof UnknownValue) {
      results.push(unverifiable(`LoggingConfiguration.Destinations cannot be verified at synth time: ${arns.reason}`, location));
      continue;
    }
    for (const arn of arns) {
      const group = index.resolveAs(LOG_GROUP, arn);
      if (!group) {
        results.push(unverifiable(`the execution logs go to ${describe(arn)}, a log group that is not in the app: whether it is encrypted `
          + 'with a key you control cannot be verified', location));
        continue;
      }
      results.push(judge(group.get('KmsKeyId'), location, isSet,
        (v) => `the execution logs, with the data of every execution, go to log group ${group.logicalId}, whose KmsKeyId ${was(v)}: `
          + 'the prompts, documents and model outputs passed between states are encrypted only with a service key', 'KmsKeyId'));
    }
  }
  return combine(...results);
}

const isAll: (value: Value) => Answer = isOneOf('ALL');

export const aiWorkflowLogging: RuleDefinition = {
  title: 'State machines that run SageMaker or Bedrock tasks log every execution with its data, encrypted',
  section: GuidelineSection.OPERATION,
  guideline: "Monitor your system's inputs",
  quote: 'to enable compliance obligations, audit, investigation and remediation',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::StepFunctions::StateMachine'],
  compliantWhen: 'a state machine with a task that calls SageMaker or Bedrock (optimised or SDK integration) sets '
    + '`LoggingConfiguration.Level` to `ALL` and `IncludeExecutionData` to `true`, and every `Destinations[].CloudWatchLogsLogGroup.'
    + 'LogGroupArn` is a log group of the app with `KmsKeyId` set (one outside the app is unverifiable); other state machines '
    + 'are not applicable',
  explanation: 'A state machine that trains, evaluates or deploys models, or passes prompts and retrieved documents to '
    + 'Bedrock, is part of the AI system\'s pipeline. Without a log of every execution and the data passed between its '
    + 'states, a poisoned training input, a tampered model or a misused agent call cannot be traced after the fact; the '
    + 'data in those logs is as sensitive as the inputs, so it belongs in a log group under your key.',
  fix: 'On sfn.StateMachine set logs: { destination: a logs.LogGroup with encryptionKey, level: sfn.LogLevel.ALL, '
    + 'includeExecutionData: true }; on CfnStateMachine set LoggingConfiguration.Level to ALL, IncludeExecutionData to true '
    + 'and Destinations[].CloudWatchLogsLogGroup.LogGroupArn to a log group whose KmsKeyId is a customer-managed key.',
  peers: 'CFG step-functions-state-machine-logging-enabled; SH StepFunctions.1 (logging on, any level; unscoped)',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource, context) {
    if (!isAiWorkflow(context.index, resource)) return NOT_APPLICABLE;
    const level = expectProperty(resource, 'LoggingConfiguration.Level', isAll,
      (v) => `LoggingConfiguration.Level ${was(v)}${v === undefined ? ' (default OFF)' : ''}: not every execution of this AI pipeline is logged`);
    const data = expectProperty(resource, 'LoggingConfiguration.IncludeExecutionData', isTrue,
      (v) => `LoggingConfiguration.IncludeExecutionData ${was(v)}: the logs leave out the inputs and outputs of each state, the data an investigation needs`);
    const hasDestination = expectProperty(resource, 'LoggingConfiguration.Destinations', isSet,
      (v) => `LoggingConfiguration.Destinations ${was(v)}: the executions are logged nowhere`);
    return combine(level, data, hasDestination, judgeDestinations(resource, context.index));
  },
};
