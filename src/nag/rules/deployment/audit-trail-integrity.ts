import { combine, expectProperty, isSet, isTrue, NOT_APPLICABLE, was } from '../../engine/checks';
import { Value } from '../../engine/values';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const defaultFalse = (v: Value): string => (v === undefined ? ' (CloudFormation default false)' : '');

export const auditTrailIntegrity: RuleDefinition = {
  title: 'The audit trail is logging, multi-Region, encrypted, validated and streamed to CloudWatch Logs',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Develop incident management procedures',
  quote: 'high-quality audit logs',
  level: RuleLevel.ERROR,
  resourceTypes: ['AWS::CloudTrail::Trail'],
  compliantWhen: '`IsLogging: true`, `EnableLogFileValidation: true`, `KMSKeyId` set, `CloudWatchLogsLogGroupArn` set and '
    + '`IsMultiRegionTrail: true`; not applicable when the pack\'s orgManaged.auditTrail (or context ai:org-trail=org-managed) says an '
    + 'organisation trail records the account',
  explanation: 'Investigating an AI incident (who invoked the model, who changed the endpoint, who read the training data) depends on '
    + 'a trail that is on, covers every Region an attacker could use, cannot be silently edited (digest validation), is '
    + 'encrypted under a key you control and reaches CloudWatch Logs where alarms and responders can act on it.',
  fix: 'Configure the cloudtrail.Trail with enableFileValidation: true, isMultiRegionTrail: true, encryptionKey, '
    + 'sendToCloudWatchLogs: true (CFN EnableLogFileValidation, IsMultiRegionTrail, KMSKeyId, CloudWatchLogsLogGroupArn and '
    + 'CloudWatchLogsRoleArn, IsLogging: true), or declare the organisation trail with orgManaged.auditTrail.',
  peers: 'NAG NIST/HIPAA CloudTrailLogFileValidationEnabled, CloudTrailEncryptionEnabled, CloudTrailCloudWatchLogsEnabled; CKV_AWS_35, 36, 67; '
    + 'CT.CLOUDTRAIL.PR.1/2/3; GRR CLOUD_TRAIL_*; SH CloudTrail.1/2/4/5',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    if (context.parameters.orgManaged.has('auditTrail')) return NOT_APPLICABLE;
    return combine(
      expectProperty(resource, 'IsLogging', isTrue,
        (v) => `IsLogging ${was(v)}: the trail records nothing`),
      expectProperty(resource, 'EnableLogFileValidation', isTrue,
        (v) => `EnableLogFileValidation ${was(v)}${defaultFalse(v)}: log files can be altered or deleted without detection`),
      expectProperty(resource, 'KMSKeyId', isSet,
        (v) => `KMSKeyId ${was(v)}: the audit logs are not encrypted with a customer-managed key whose policy you control`),
      expectProperty(resource, 'CloudWatchLogsLogGroupArn', isSet,
        (v) => `CloudWatchLogsLogGroupArn ${was(v)}: the events never reach CloudWatch Logs, so no metric filter or alarm can act on them`),
      expectProperty(resource, 'IsMultiRegionTrail', isTrue,
        (v) => `IsMultiRegionTrail ${was(v)}${defaultFalse(v)}: activity in other Regions (a model or endpoint stood up there) goes unrecorded`),
    );
  },
};
