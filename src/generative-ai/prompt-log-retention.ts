// The retention check of the log groups that receive prompts and completions. Internal: not exported from the library.
import * as logs from 'aws-cdk-lib/aws-logs';
import { EnvironmentStage } from '../construct-kit/environment-stage';
import { PropOwner, requireLogRetention } from '../construct-kit/validation';

/** Retention of prompt logs: a set number of days (never infinite), a year or more in production. */
export function requirePromptLogRetention(owner: PropOwner, prop: string, retention: logs.RetentionDays,
  stage: EnvironmentStage): logs.RetentionDays {
  return requireLogRetention(owner, prop, retention, stage,
    { evidence: 'the record of prompts and completions', notForEver: 'prompts are users\' data (SecureAI-V14, V16)' });
}
