// The checks of a DriftMonitor's props, made when the app is synthesized: each throws an Error naming the construct, the
// prop, the bad value and the fix, and returns the value the monitor uses. Internal: not exported from the library.
import { Duration, Token } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { DriftMonitoringOptions } from './drift-monitor';
import { DriftWindow } from './drift-window';
import { validateInstanceType } from '../construct-kit/instance-type';
import { requireWholeNumber } from '../construct-kit/validation';

/** How much traffic one run reads, in seconds. */
export const WINDOW_SECONDS: Readonly<Record<string, number>> = { [DriftWindow.HOUR]: 3600, [DriftWindow.DAY]: 86400 };

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
// No quote or asterisk: the prefix is written into the state machine's JSONata string literals.
const PREFIX = /^[A-Za-z0-9!_.()-]+(\/[A-Za-z0-9!_.()-]+)*$/;
const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { minute: 60, hour: 3600, day: 86400 };

export function validateEndpointName(owner: string, name: string): string {
  if (Token.isUnresolved(name) || !NAME.test(name)) {
    throw new Error(`${owner}: \`endpointName\` '${name}' is not a SageMaker endpoint name. Fix: give the endpoint's literal name, 1 to `
      + '63 letters, digits and hyphens: the monitor reads the captures under <capturePrefix>/<endpointName>/<variantName>/.');
  }
  return name;
}

export function validateVariantName(owner: string, name: string): string {
  if (Token.isUnresolved(name) || !NAME.test(name)) {
    throw new Error(`${owner}: \`variantName\` '${name}' is not a production variant name. Fix: give the variant's literal name, such `
      + 'as \'AllTraffic\'.');
  }
  return name;
}

export function validateCapturePrefix(owner: string, prefix: string): string {
  if (Token.isUnresolved(prefix) || prefix.length > 200 || !PREFIX.test(prefix)) {
    throw new Error(`${owner}: \`capturePrefix\` '${prefix}' is not the key prefix of a capture destination. Fix: give the key part of `
      + 'the endpoint configuration\'s DataCaptureConfig.DestinationS3Uri: letters, digits and !_.()- separated by single slashes, without a slash at '
      + 'either end (for example \'captures\').');
  }
  return prefix;
}

/**
 * The baseline's object key: literal, or built at deploy time from a folder (with a model package, the folder of the
 * artifact the signature gate verified) and a literal file name, which the job needs to find the file it downloads.
 */
export function validateBaselineKey(owner: string, prop: string, key: string | undefined): { key: string; fileName: string } {
  if (key === undefined) {
    throw new Error(`${owner}: \`${prop}\` is missing, so the monitor has nothing to compare traffic with. Fix: give the key, in the `
      + 'registry\'s artifact bucket, of the reference dataset (a CSV whose header names the features), for example \'fraud/baseline/reference.csv\'.');
  }
  const fileName = key.slice(key.lastIndexOf('/') + 1);
  const literal = !Token.isUnresolved(key);
  if (fileName === '' || Token.isUnresolved(fileName) || /[*?]/.test(key) || key.startsWith('/') || (literal && key.length > 1000)) {
    throw new Error(`${owner}: \`${prop}\` '${key}' is not the key of one object. Fix: give the key of the reference dataset without a `
      + 'leading or trailing slash or wildcards, ending in a literal file name (for example \'fraud/baseline/reference.csv\').');
  }
  return { key, fileName };
}

function validateThreshold(owner: string, prop: string, threshold: number): number {
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 10)) {
    throw new Error(`${owner}: \`${prop}\` is ${threshold}, but it must be a population stability index above 0 and at most 10. `
      + 'Fix: leave it unset (0.2, the usual mark of a significant shift) or give for example 0.1 to be warned of moderate shifts.');
  }
  return threshold;
}

function validateMinimumRecords(owner: string, prop: string, minimum: number): number {
  return requireWholeNumber(owner, prop, minimum, { min: 1, max: 1_000_000_000 },
    'give the fewest requests in a window that say something about drift, for example 100');
}

function validateMaxRuntime(owner: string, prop: string, maxRuntime: Duration): number {
  const seconds = maxRuntime.isUnresolved() ? NaN : maxRuntime.toSeconds({ integral: false });
  if (!(Number.isInteger(seconds) && seconds >= 60 && seconds <= 86400)) {
    throw new Error(`${owner}: \`${prop}\` is ${maxRuntime.isUnresolved() ? 'a token' : maxRuntime.toHumanString()}, but it must be whole `
      + 'seconds from one minute to one day. Fix: give the longest a run should take, '
      + 'for example Duration.hours(1); a run that takes longer is stopped and alarms.');
  }
  return seconds;
}

/** A recurring schedule that does not run more often than the window it reads. */
function validateSchedule(owner: string, prop: string, schedule: scheduler.ScheduleExpression, window: string): scheduler.ScheduleExpression {
  const expression = schedule.expressionString;
  if (Token.isUnresolved(expression) || expression.startsWith('at(')) {
    throw new Error(`${owner}: \`${prop}\` '${expression}' does not recur, so the endpoint would be watched once at most. Fix: give a `
      + 'recurring schedule, such as ScheduleExpression.cron({ minute: \'15\' }) (hourly) or ScheduleExpression.rate(Duration.hours(1)).');
  }
  const rate = RATE.exec(expression);
  if (rate !== null) {
    const seconds = Number(rate[1]) * UNIT_SECONDS[rate[2].replace(/s$/, '')];
    if (seconds < WINDOW_SECONDS[window]) {
      throw new Error(`${owner}: \`${prop}\` '${expression}' runs more often than the window each run reads (${window.toLowerCase()}), so `
        + 'every run would read the same captures again. Fix: run once per window, or choose a shorter window.');
    }
  }
  return schedule;
}

/** The monitoring options, validated, with their defaults. */
export interface DriftSettings {
  readonly window: DriftWindow;
  readonly schedule: scheduler.ScheduleExpression;
  readonly threshold: number;
  readonly minimumRecords: number;
  readonly instanceType: string;
  readonly maxRuntimeInSeconds: number;
}

const DEFAULT_SCHEDULES: Readonly<Record<string, string>> = { [DriftWindow.HOUR]: 'cron(15 * * * ? *)', [DriftWindow.DAY]: 'cron(30 0 * * ? *)' };

/**
 * Checks the drift monitoring options of a construct: a DriftMonitor (`prefix` empty) or the construct that creates
 * one, which names them as its own prop (`driftMonitoring.`).
 */
export function validateDriftOptions(owner: string, prefix: string, options: DriftMonitoringOptions): DriftSettings {
  const window = options.window ?? DriftWindow.HOUR;
  if (WINDOW_SECONDS[window] === undefined) {
    throw new Error(`${owner}: \`${prefix}window\` is '${window}', which is not a DriftWindow. Fix: give DriftWindow.HOUR or DriftWindow.DAY.`);
  }
  return {
    window,
    schedule: validateSchedule(owner, `${prefix}schedule`, options.schedule ?? scheduler.ScheduleExpression.expression(DEFAULT_SCHEDULES[window]), window),
    threshold: validateThreshold(owner, `${prefix}driftThreshold`, options.driftThreshold ?? 0.2),
    minimumRecords: validateMinimumRecords(owner, `${prefix}minimumRecords`, options.minimumRecords ?? 100),
    instanceType: validateInstanceType(owner, `${prefix}instanceType`, options.instanceType ?? 'ml.m5.xlarge'),
    maxRuntimeInSeconds: validateMaxRuntime(owner, `${prefix}maxRuntime`, options.maxRuntime ?? Duration.hours(1)),
  };
}
