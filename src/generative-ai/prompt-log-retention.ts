// The retention check of the log groups that receive prompts and completions. Internal: not exported from the library.
import * as logs from 'aws-cdk-lib/aws-logs';
import { EnvironmentStage } from '../construct-kit/environment-stage';

/** Retention of prompt logs: a set number of days (never infinite), a year or more in production. */
export function validatePromptLogRetention(owner: string, retention: logs.RetentionDays, stage: EnvironmentStage): logs.RetentionDays {
  if (!Number.isInteger(retention) || retention < 1 || retention === logs.RetentionDays.INFINITE) {
    throw new Error(`${owner}: retention must be a logs.RetentionDays value of a set number of days, got ${retention}. Fix: give `
      + 'logs.RetentionDays.ONE_YEAR or longer; prompts are users\' data and are not kept for ever (SecureAI-V14, V16).');
  }
  if (stage === EnvironmentStage.PRODUCTION && retention < 365) {
    throw new Error(`${owner}: retention of ${retention} days is too short for production, where prompt logs are evidence for incident `
      + 'response. Fix: give logs.RetentionDays.ONE_YEAR or longer.');
  }
  return retention;
}
