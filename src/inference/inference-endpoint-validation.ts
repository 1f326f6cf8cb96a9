// The checks of an InferenceEndpoint's props, made when the app is synthesized: each throws an Error naming the prop,
// the bad value and the fix, and returns the value the endpoint uses. Internal: not exported from the library.
import { Duration, Token } from 'aws-cdk-lib';
import { validateModelPackageArn, validateVerifiedKey } from './artifact-signature-gate-source';
import type { InferenceEndpointProps } from './inference-endpoint';
import { EnvironmentStage } from '../construct-kit/environment-stage';
import { requireWholeNumber } from '../construct-kit/validation';
import type { AiEnvironment } from '../environment/ai-environment';

const ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Where the model comes from: exactly one of the two. */
export interface ModelSource {
  readonly artifactKey?: string;
  readonly packageArn?: string;
}

export function validateModelSource(owner: string, props: InferenceEndpointProps): ModelSource {
  const { modelArtifactKey: key, modelPackageArn: arn } = props;
  if (key !== undefined && arn !== undefined) {
    throw new Error(`${owner}: both \`modelPackageArn\` and \`modelArtifactKey\` are given, but the model comes from exactly one. `
      + 'Fix: keep modelPackageArn (the approved, versioned package of the registry) and remove modelArtifactKey.');
  }
  if (key === undefined && arn === undefined) {
    throw new Error(`${owner}: neither \`modelPackageArn\` nor \`modelArtifactKey\` is given, so there is no model to deploy. Fix: pass `
      + 'modelPackageArn, the ARN of an approved package the TrainingPipeline registered (arn:...:model-package/<group>/<version>).');
  }
  if (key !== undefined) {
    if (props.environment.stage === EnvironmentStage.PRODUCTION) {
      throw new Error(`${owner}: \`modelArtifactKey\` '${key}' is refused in a production environment: production deploys only approved `
        + 'model packages. Fix: register the model with TrainingPipeline and pass modelPackageArn (the versioned package ARN, '
        + 'after a reviewer approves it) instead of modelArtifactKey.');
    }
    return { artifactKey: validateVerifiedKey(owner, 'modelArtifactKey', key) };
  }
  return { packageArn: validateModelPackageArn(owner, arn!, props.registry) };
}

export function validateObjectKey(owner: string, prop: string, key: string): string {
  if (Token.isUnresolved(key)) {
    throw new Error(`${owner}: ${prop} is a deploy-time value. Fix: give the object key as text, for example 'fraud/model.tar.gz': `
      + 'the execution role is granted that one object.');
  }
  if (key.length === 0 || key.startsWith('/') || key.endsWith('/') || /[*?]/.test(key) || key.length > 1000) {
    throw new Error(`${owner}: ${prop} '${key}' is not an object key. Fix: give the key of one object in the registry's artifact `
      + 'bucket, without a leading or trailing slash or wildcards, for example \'fraud/job-1/output/model.tar.gz\'.');
  }
  return key;
}

export function validateInstanceCount(owner: string, count: number, env: AiEnvironment): number {
  requireWholeNumber(owner, 'instanceCount', count, { min: 1 }, `set instanceCount to ${env.minimumInstanceCount} or more`);
  if (count < env.minimumInstanceCount) {
    throw new Error(`${owner}: \`instanceCount\` is ${count}, but a ${env.stage} environment needs at least ${env.minimumInstanceCount} `
      + '(SageMaker spreads instances across Availability Zones only from two, so one instance is an outage waiting to happen). '
      + `Fix: set instanceCount >= ${env.minimumInstanceCount}.`);
  }
  return count;
}

export function validateSampling(owner: string, percentage: number): number {
  return requireWholeNumber(owner, 'dataCaptureSamplingPercentage', percentage, { min: 1, max: 100 },
    'leave it unset to capture every request (100), or give the share of requests to record (0 would capture nothing)');
}

export function validateRetention(owner: string, days: number): number {
  return requireWholeNumber(owner, 'captureRetentionDays', days, { min: 1, unit: 'days' },
    'give how long captured requests and responses are kept, for example 90');
}

export function validateLatency(owner: string, latency: Duration): Duration {
  if (latency.isUnresolved() || latency.toMilliseconds() <= 0) {
    throw new Error(`${owner}: \`maxModelLatency\` must be a positive duration. Fix: give the latency your users tolerate, for example `
      + 'Duration.seconds(1).');
  }
  return latency;
}

export function validateBakeTime(owner: string, bake: Duration): number {
  const seconds = bake.isUnresolved() ? NaN : bake.toSeconds();
  if (!(seconds >= 60 && seconds <= 3600)) {
    throw new Error(`${owner}: \`canaryBakeTime\` must be between 1 and 60 minutes (SageMaker waits at most 3600 seconds between `
      + 'traffic shifts). Fix: give for example Duration.minutes(10).');
  }
  return seconds;
}

export function validateBandWidth(owner: string, width: number): number {
  if (!(width > 0 && width <= 10)) {
    throw new Error(`${owner}: \`invocationAnomalyBandWidth\` is ${width}, but it must be a number of standard deviations above 0 and `
      + 'at most 10. Fix: leave it unset (3) or give for example 2 for a tighter band.');
  }
  return width;
}

export function validateEndpointName(owner: string, name: string): string {
  if (Token.isUnresolved(name) || !ENDPOINT_NAME.test(name)) {
    throw new Error(`${owner}: \`endpointName\` '${name}' is not a SageMaker endpoint name. Fix: use 1 to 63 letters, digits and `
      + 'hyphens, starting and ending with a letter or digit, as text (alarms and the log group are named after it).');
  }
  return name;
}
