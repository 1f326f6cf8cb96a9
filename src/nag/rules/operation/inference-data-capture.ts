import { combine, COMPLIANT, isAtLeast, isOneOf, isSet, judge, judgeForms, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable, was } from '../../engine/checks';
import { listOf } from '../../engine/lists';
import { Branch, describe, isPlainObject, readPath, UnknownValue, unknownOf, Value } from '../../engine/values';
import { isServerlessConfig } from '../../knowledge/serverless-inference';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const WHY = 'inference requests and responses are not recorded, so misuse, prompt injection and adversarial inputs cannot be investigated';

/** `EnableCapture` absent means enabled (the API's default); false or "false" switches capture off. */
function captureOn(value: Value): boolean | UnknownValue {
  if (value === undefined) return true;
  const unknown = unknownOf(value);
  if (unknown) return unknown;
  if (value === false || (typeof value === 'string' && value.trim().toLowerCase() === 'false')) return false;
  if (value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true')) return true;
  return new UnknownValue(`EnableCapture is ${describe(value)}, which is not a boolean`);
}

const isInput = isOneOf('Input', 'InputAndOutput');
const isOutput = isOneOf('Output', 'InputAndOutput');

/** Which of Input and Output the capture options record: both needed. */
function capturesBoth(options: Value): boolean | UnknownValue {
  const unknown = unknownOf(options);
  if (unknown) return unknown;
  if (!Array.isArray(options) || options.length === 0) return false;
  let input: boolean | UnknownValue = false;
  let output: boolean | UnknownValue = false;
  for (const option of options) {
    const mode = isPlainObject(option) ? option.CaptureMode : option;
    const unknownMode = unknownOf(mode) ?? (isPlainObject(option) ? undefined : unknownOf(option));
    if (unknownMode) {
      if (input !== true) input = unknownMode;
      if (output !== true) output = unknownMode;
      continue;
    }
    if (isInput(mode) === true) input = true;
    if (isOutput(mode) === true) output = true;
  }
  if (input === true && output === true) return true;
  if (input === false || output === false) return false;
  return input instanceof UnknownValue ? input : output;
}

function modesOf(options: Value): string {
  return listOf(options).map((o) => (isPlainObject(o) ? describe(o.CaptureMode) : describe(o))).join(', ') || 'none';
}

/** Judges one form of `DataCaptureConfig`. */
function judgeCapture(block: Value): RuleResult {
  const location = 'Properties.DataCaptureConfig';
  const form = (value: Value): Branch[] => [{ value, parameters: [] }];
  if (block === undefined) {
    return nonCompliant(`DataCaptureConfig is absent: ${WHY}`, location);
  }
  if (block instanceof UnknownValue) {
    return unverifiable(`DataCaptureConfig cannot be verified at synth time: ${block.reason}`, location);
  }
  if (!isPlainObject(block)) return nonCompliant(`DataCaptureConfig is ${describe(block)}, not a capture configuration: ${WHY}`, location);
  const on = captureOn(readPath(block, ['EnableCapture']));
  if (on === false) return nonCompliant(`DataCaptureConfig.EnableCapture is ${describe(block.EnableCapture)}: ${WHY}`, `${location}.EnableCapture`);
  return combine(
    on instanceof UnknownValue ? unverifiable(`DataCaptureConfig.EnableCapture cannot be verified at synth time: ${on.reason}`, `${location}.EnableCapture`) : COMPLIANT,
    judge(form(readPath(block, ['InitialSamplingPercentage'])), `${location}.InitialSamplingPercentage`, isAtLeast(Number.MIN_VALUE),
      (v) => `DataCaptureConfig.InitialSamplingPercentage ${was(v)}: no request is sampled, so ${WHY}`, 'DataCaptureConfig.InitialSamplingPercentage'),
    judge(form(readPath(block, ['DestinationS3Uri'])), `${location}.DestinationS3Uri`, isSet,
      (v) => `DataCaptureConfig.DestinationS3Uri ${was(v)}: captured data has nowhere to go, so ${WHY}`, 'DataCaptureConfig.DestinationS3Uri'),
    judge(form(readPath(block, ['CaptureOptions'])), `${location}.CaptureOptions`, capturesBoth,
      (v) => `DataCaptureConfig.CaptureOptions records ${modesOf(v)}, not both Input and Output: a capture without the request loses the `
        + 'prompt or query an attacker sent, one without the response loses what the model disclosed', 'DataCaptureConfig.CaptureOptions'),
  );
}

export const inferenceDataCapture: RuleDefinition = {
  title: 'Endpoints capture inference requests and responses',
  section: GuidelineSection.OPERATION,
  guideline: "Monitor your system's inputs",
  quote: 'monitor and log inputs to your system (such as inference requests, queries or prompts)',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  compliantWhen: '`DataCaptureConfig` is present with `EnableCapture` not false (absent means enabled), `InitialSamplingPercentage` > 0, '
    + '`DestinationS3Uri` set, and `CaptureOptions[].CaptureMode` recording both `Input` and `Output` (or `InputAndOutput`), in every '
    + 'form of the configuration. Configurations whose variants are all serverless (`ServerlessConfig`), which cannot capture data, are not applicable',
  explanation: 'Without data capture there is no record of the requests an endpoint served or of what it answered: a misuse, an '
    + 'adversarial or out-of-distribution input, or a leak through the model cannot be detected, audited or investigated, and '
    + 'Model Monitor has no data to compare with its baseline.',
  fix: 'Set DataCaptureConfig on the endpoint configuration (dataCaptureConfig on CfnEndpointConfig): EnableCapture true, '
    + 'InitialSamplingPercentage > 0, DestinationS3Uri to an encrypted bucket, KmsKeyId, and CaptureOptions '
    + '[{CaptureMode: Input}, {CaptureMode: Output}].',
  peers: 'CP aiml-sagemaker-endpoint-data-capture',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource) {
    if (isServerlessConfig(resource)) return NOT_APPLICABLE;
    return judgeForms(resource, 'DataCaptureConfig', judgeCapture);
  },
};
