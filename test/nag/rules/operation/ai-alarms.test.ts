import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const TOPIC = { Type: 'AWS::SNS::Topic', Properties: {} };
const endpoint = (extra: Record<string, unknown> = {}) => ({ Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'cfg', ...extra } });
const guardrail = () => ({ Type: 'AWS::Bedrock::Guardrail', Properties: { Name: 'g', BlockedInputMessaging: 'no', BlockedOutputsMessaging: 'no' } });
const alarm = (props: Record<string, unknown>) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: { ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, Threshold: 1, Statistic: 'Sum', Period: 60, AlarmActions: [{ Ref: 'Topic' }], ...props },
});
const endpointAlarm = (extra: Record<string, unknown> = {}, value: unknown = { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] }) => alarm({
  Namespace: 'AWS/SageMaker', MetricName: 'Invocation5XXErrors', Dimensions: [{ Name: 'EndpointName', Value: value }, { Name: 'VariantName', Value: 'v1' }], ...extra,
});
const guardrailAlarm = (extra: Record<string, unknown> = {}) => alarm({
  Namespace: 'AWS/Bedrock/Guardrails',
  MetricName: 'InvocationsIntervened',
  Dimensions: [{ Name: 'GuardrailArn', Value: { 'Fn::GetAtt': ['Guardrail', 'GuardrailArn'] } }],
  ...extra,
});

/** A bucket of AI assets, backed up by a plan into `Vault`. */
const backedUp = (vault: Record<string, unknown>, target: unknown = { Ref: 'Vault' }): Resources => ({
  Bucket: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'ai:asset', Value: 'true' }] } },
  Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'ai-vault', ...vault } },
  Plan: {
    Type: 'AWS::Backup::BackupPlan',
    Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: [{ RuleName: 'daily', TargetBackupVault: target, ScheduleExpression: 'cron(0 5 * * ? *)' }] } },
  },
  Selection: {
    Type: 'AWS::Backup::BackupSelection',
    Properties: {
      BackupPlanId: { Ref: 'Plan' },
      BackupSelection: { SelectionName: 's', IamRoleArn: 'arn:aws:iam::111122223333:role/backup', Resources: [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }] },
    },
  },
});
const NOTIFICATIONS = { SNSTopicArn: { Ref: 'Topic' }, BackupVaultEvents: ['BACKUP_JOB_FAILED', 'RECOVERY_POINT_MODIFIED'] };

describe('O4 alarms on AI resources', () => {
  describe('endpoints', () => {
    test('compliant: an alarm with actions on the endpoint\'s 5XX errors or latency', () => {
      for (const metric of ['Invocation5XXErrors', 'ModelLatency']) {
        const run = validate({ Resources: { Topic: TOPIC, Endpoint: endpoint(), Alarm: endpointAlarm({ MetricName: metric }) } });
        expect(verdictOf(run, 'O4', 'Endpoint')).toBe('none');
        expect(run.tally('O4')).toMatchObject({ evaluated: 1, compliant: 1 });
      }
    });

    test('compliant: the endpoint named by its literal name; a metric-math alarm whose metric stat names it', () => {
      const literal = validate({ Resources: { Topic: TOPIC, Endpoint: endpoint({ EndpointName: 'fraud' }), Alarm: endpointAlarm({}, 'fraud') } });
      expect(verdictOf(literal, 'O4', 'Endpoint')).toBe('none');
      const math = alarm({
        Metrics: [
          { Id: 'e', Expression: 'errors / 60', ReturnData: true },
          { Id: 'errors', ReturnData: false, MetricStat: { Stat: 'Sum', Period: 60, Metric: { Namespace: 'AWS/SageMaker', MetricName: 'Invocation5XXErrors', Dimensions: [{ Name: 'EndpointName', Value: { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] } }] } } },
        ],
        Statistic: undefined,
        Period: undefined,
      });
      expect(verdictOf(validate({ Resources: { Topic: TOPIC, Endpoint: endpoint(), Alarm: math } }), 'O4', 'Endpoint')).toBe('none');
    });

    test('compliant: an alarm without actions that a composite alarm with actions is built on', () => {
      const composite = {
        Type: 'AWS::CloudWatch::CompositeAlarm',
        Properties: { AlarmRule: { 'Fn::Join': ['', ['ALARM("', { 'Fn::GetAtt': ['Alarm', 'Arn'] }, '")']] }, AlarmActions: [{ Ref: 'Topic' }] },
      };
      const silentAlarm = endpointAlarm({ AlarmActions: undefined });
      const run = validate({ Resources: { Topic: TOPIC, Endpoint: endpoint(), Alarm: silentAlarm, Composite: composite } });
      expect(verdictOf(run, 'O4', 'Endpoint')).toBe('none');
    });

    test('non-compliant: no alarm at all', () => {
      const run = validate({ Resources: { Endpoint: endpoint() } });
      expect(verdictOf(run, 'O4', 'Endpoint')).toBe('non-compliant');
      expect(run.of('O4')[0]).toMatchObject({ ruleName: 'SecureAI-O4', level: 'warning' });
      expect(run.of('O4')[0].message).toMatch(/no CloudWatch alarm with actions watches the errors or latency of this endpoint/);
    });

    test('non-compliant: the alarm has no actions, or its actions are disabled', () => {
      const silent = validate({ Resources: { Endpoint: endpoint(), Alarm: endpointAlarm({ AlarmActions: undefined }) } });
      expect(verdictOf(silent, 'O4', 'Endpoint')).toBe('non-compliant');
      expect(silent.of('O4')[0].message).toMatch(/alarm Alarm \(it has no AlarmActions\) does not notify anyone/);
      for (const flag of [false, 'false']) {
        const disabled = validate({ Resources: { Topic: TOPIC, Endpoint: endpoint(), Alarm: endpointAlarm({ ActionsEnabled: flag }) } });
        expect(disabled.of('O4')[0].message).toMatch(/ActionsEnabled is false/);
      }
    });

    test('non-compliant: an alarm on another metric, namespace or endpoint', () => {
      const cases = [
        endpointAlarm({ MetricName: 'CPUUtilization' }),
        endpointAlarm({ Namespace: '/aws/sagemaker/Endpoints' }),
        endpointAlarm({}, { 'Fn::GetAtt': ['Other', 'EndpointName'] }),
      ];
      for (const a of cases) {
        const run = validate({ Resources: { Topic: TOPIC, Endpoint: endpoint(), Other: endpoint(), Alarm: a } });
        expect(verdictOf(run, 'O4', 'Endpoint')).toBe('non-compliant');
      }
    });

    test('intrinsic: Fn::If that drops the actions or the metric in one form is a finding', () => {
      const actionsIf = validate({ Resources: { Topic: TOPIC, Endpoint: endpoint(), Alarm: endpointAlarm({ AlarmActions: ifElse([{ Ref: 'Topic' }], NO_VALUE) }) } });
      expect(verdictOf(actionsIf, 'O4', 'Endpoint')).toBe('non-compliant');
      const metricIf = validate({ Resources: { Topic: TOPIC, Endpoint: endpoint(), Alarm: endpointAlarm({ MetricName: ifElse('ModelLatency', 'CPUUtilization') }) } });
      expect(verdictOf(metricIf, 'O4', 'Endpoint')).toBe('non-compliant');
    });

    test('intrinsic: ActionsEnabled from a parameter, judged by default and allowed values', () => {
      const parameter = (Default: string, AllowedValues?: string[]) => validate({
        Parameters: { Alerting: { Default, AllowedValues } },
        Resources: { Topic: TOPIC, Endpoint: endpoint(), Alarm: endpointAlarm({ ActionsEnabled: { Ref: 'Alerting' } }) },
      });
      expect(verdictOf(parameter('true'), 'O4', 'Endpoint')).toBe('none');
      expect(verdictOf(parameter('true', ['true', 'false']), 'O4', 'Endpoint')).toBe('parameter');
    });

    test('an imported topic counts as an action; an alarm whose endpoint dimension is imported makes the verdict unverifiable', () => {
      const topic = validate({ Resources: { Endpoint: endpoint(), Alarm: endpointAlarm({ AlarmActions: [imported('ops-topic')] }) } });
      expect(verdictOf(topic, 'O4', 'Endpoint')).toBe('none');
      const dimension = validate({ Resources: { Topic: TOPIC, Endpoint: endpoint(), Alarm: endpointAlarm({}, imported('endpoint-name')) } });
      expect(verdictOf(dimension, 'O4', 'Endpoint')).toBe('unverifiable');
      expect(dimension.of('O4')[0]).toMatchObject({ ruleName: 'SecureAI-O4[unverifiable]', level: 'warning' });
    });

    test('non-compliant, not unverifiable: the only alarm whose endpoint cannot be read can never notify', () => {
      const disabled = validate({ Resources: { Topic: TOPIC, Endpoint: endpoint(), Alarm: endpointAlarm({ ActionsEnabled: false }, imported('endpoint-name')) } });
      expect(verdictOf(disabled, 'O4', 'Endpoint')).toBe('non-compliant');
      const silent = validate({ Resources: { Endpoint: endpoint(), Alarm: endpointAlarm({ AlarmActions: undefined }, imported('endpoint-name')) } });
      expect(verdictOf(silent, 'O4', 'Endpoint')).toBe('non-compliant');
      const guarded = validate({ Resources: { Topic: TOPIC, Guardrail: guardrail(), Alarm: guardrailAlarm({ ActionsEnabled: 'false', Dimensions: [{ Name: 'GuardrailArn', Value: imported('g') }] }) } });
      expect(verdictOf(guarded, 'O4', 'Guardrail')).toBe('non-compliant');
    });
  });

  describe('guardrails', () => {
    test('compliant: an alarm on the guardrail\'s interventions, or an account-wide one', () => {
      expect(verdictOf(validate({ Resources: { Topic: TOPIC, Guardrail: guardrail(), Alarm: guardrailAlarm() } }), 'O4', 'Guardrail')).toBe('none');
      const wide = guardrailAlarm({ Dimensions: [{ Name: 'Operation', Value: 'ApplyGuardrail' }] });
      expect(verdictOf(validate({ Resources: { Topic: TOPIC, Guardrail: guardrail(), Alarm: wide } }), 'O4', 'Guardrail')).toBe('none');
    });

    test('non-compliant: no alarm, an alarm on another metric, or one naming another guardrail', () => {
      expect(verdictOf(validate({ Resources: { Guardrail: guardrail() } }), 'O4', 'Guardrail')).toBe('non-compliant');
      const latency = validate({ Resources: { Topic: TOPIC, Guardrail: guardrail(), Alarm: guardrailAlarm({ MetricName: 'InvocationLatency' }) } });
      expect(verdictOf(latency, 'O4', 'Guardrail')).toBe('non-compliant');
      expect(latency.of('O4')[0].message).toMatch(/InvocationsIntervened/);
      const other = guardrailAlarm({ Dimensions: [{ Name: 'GuardrailArn', Value: 'arn:aws:bedrock:eu-west-2:111122223333:guardrail/other' }] });
      expect(verdictOf(validate({ Resources: { Topic: TOPIC, Guardrail: guardrail(), Alarm: other } }), 'O4', 'Guardrail')).toBe('non-compliant');
    });
  });

  describe('backup vaults', () => {
    test('compliant: the vault that receives AI backups notifies failures and modifications', () => {
      const run = validate({ Resources: { Topic: TOPIC, ...backedUp({ Notifications: NOTIFICATIONS }) } });
      expect(verdictOf(run, 'O4', 'Vault')).toBe('none');
      expect(run.tally('O4')).toMatchObject({ compliant: 1 });
    });

    test('compliant: an EventBridge rule routes aws.backup events', () => {
      const rule = { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['aws.backup'] }, Targets: [{ Id: 't', Arn: { Ref: 'Topic' } }] } };
      expect(verdictOf(validate({ Resources: { Topic: TOPIC, Rule: rule, ...backedUp({}) } }), 'O4', 'Vault')).toBe('none');
      // The pattern as JSON text, as a template may write it; text that is not JSON routes nothing known.
      const asText = (pattern: string) => ({ ...rule, Properties: { ...rule.Properties, EventPattern: pattern } });
      expect(verdictOf(validate({ Resources: { Topic: TOPIC, Rule: asText('{"source":["aws.backup"]}'), ...backedUp({}) } }), 'O4', 'Vault')).toBe('none');
      expect(verdictOf(validate({ Resources: { Topic: TOPIC, Rule: asText('{"source":'), ...backedUp({}) } }), 'O4', 'Vault')).toBe('non-compliant');
      const disabled = { ...rule, Properties: { ...rule.Properties, State: 'DISABLED' } };
      expect(verdictOf(validate({ Resources: { Topic: TOPIC, Rule: disabled, ...backedUp({}) } }), 'O4', 'Vault')).toBe('non-compliant');
    });

    test('non-compliant: no notifications, no topic, or only start/success events', () => {
      const none = validate({ Resources: backedUp({}) });
      expect(verdictOf(none, 'O4', 'Vault')).toBe('non-compliant');
      expect(none.of('O4')[0].message).toMatch(/this vault receives backups of AI assets \(plan Plan\) and Notifications is absent/);
      const noTopic = validate({ Resources: backedUp({ Notifications: { BackupVaultEvents: ['BACKUP_JOB_FAILED'] } }) });
      expect(noTopic.of('O4')[0].locations).toEqual(['Properties.Notifications.SNSTopicArn']);
      const quiet = validate({ Resources: { Topic: TOPIC, ...backedUp({ Notifications: { SNSTopicArn: { Ref: 'Topic' }, BackupVaultEvents: ['BACKUP_JOB_STARTED', 'BACKUP_JOB_COMPLETED'] } }) } });
      expect(quiet.of('O4')[0].message).toMatch(/no failure or modification event/);
    });

    test('the vault named by its literal name in the plan is found', () => {
      expect(verdictOf(validate({ Resources: backedUp({}, 'ai-vault') }), 'O4', 'Vault')).toBe('non-compliant');
    });

    test('not applicable: a vault that receives no AI backups', () => {
      const run = validate({ Resources: { Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'other' } } } });
      expect(run.tally('O4')).toMatchObject({ evaluated: 1, notApplicable: 1 });
    });

    test('intrinsic and unverifiable: Fn::If dropping the notifications; imported notifications', () => {
      expect(verdictOf(validate({ Resources: { Topic: TOPIC, ...backedUp({ Notifications: ifElse(NOTIFICATIONS, NO_VALUE) }) } }), 'O4', 'Vault'))
        .toBe('non-compliant');
      expect(verdictOf(validate({ Resources: backedUp({ Notifications: imported('notifications') }) }), 'O4', 'Vault')).toBe('unverifiable');
      expect(verdictOf(validate({ Resources: backedUp({ Notifications: { SNSTopicArn: imported('topic'), BackupVaultEvents: ['BACKUP_JOB_FAILED'] } }) }), 'O4', 'Vault'))
        .toBe('none');
    });
  });

  describe('what is not created notifies no one', () => {
    const under = (Default: string, resources: Resources) => validate({
      Parameters: { Alarms: { Default, AllowedValues: ['on', 'off'] } },
      Conditions: { AlarmsOn: { 'Fn::Equals': [{ Ref: 'Alarms' }, 'on'] } },
      Resources: resources,
    });
    const off = <T extends object>(resource: T) => ({ ...resource, Condition: 'AlarmsOn' });

    test('an alarm, or the composite alarm with actions built on a silent one, under a false condition; its parameter warns', () => {
      expect(verdictOf(under('off', { Topic: TOPIC, Endpoint: endpoint(), Alarm: off(endpointAlarm()) }), 'O4', 'Endpoint')).toBe('non-compliant');
      const on = under('on', { Topic: TOPIC, Endpoint: endpoint(), Alarm: off(endpointAlarm()) });
      expect(on.of('O4').map((f) => [f.ruleName, f.logicalId])).toEqual([['SecureAI-O4[parameter]', 'Endpoint']]);
      expect(on.of('O4')[0].message).toMatch(/parameter Alarms defaults to "on", but also allows "off"/);
      const composite = off({
        Type: 'AWS::CloudWatch::CompositeAlarm',
        Properties: { AlarmRule: { 'Fn::Join': ['', ['ALARM("', { 'Fn::GetAtt': ['Alarm', 'Arn'] }, '")']] }, AlarmActions: [{ Ref: 'Topic' }] },
      });
      const silent = under('off', { Topic: TOPIC, Endpoint: endpoint(), Alarm: endpointAlarm({ AlarmActions: undefined }), Composite: composite });
      expect(silent.of('O4')[0].message).toMatch(/alarm Alarm \(it has no AlarmActions\) does not notify anyone/);
      const account = under('off', { Topic: TOPIC, Guardrail: guardrail(), Alarm: off(guardrailAlarm({ Dimensions: [] })), Named: guardrailAlarm() });
      expect(verdictOf(account, 'O4', 'Guardrail')).toBe('none');
    });

    test('an alarm whose endpoint cannot be read, under a false condition, leaves the finding certain', () => {
      const run = under('off', { Topic: TOPIC, Endpoint: endpoint(), Alarm: off(endpointAlarm({}, imported('endpoint'))) });
      expect(verdictOf(run, 'O4', 'Endpoint')).toBe('non-compliant');
    });

    test('an EventBridge rule routing aws.backup events under a false condition routes nothing', () => {
      const rule = { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['aws.backup'] }, Targets: [{ Id: 't', Arn: { Ref: 'Topic' } }] } };
      expect(verdictOf(under('off', { Topic: TOPIC, Rule: off(rule), ...backedUp({}) }), 'O4', 'Vault')).toBe('non-compliant');
      expect(verdictOf(under('on', { Topic: TOPIC, Rule: off(rule), ...backedUp({}) }), 'O4', 'Vault')).toBe('parameter');
    });

    test('a plan, its selection or the AI store it backs up, under a false condition, sends the vault no AI backups; its parameter warns', () => {
      const resources = backedUp({});
      for (const id of ['Plan', 'Selection', 'Bucket']) {
        const guarded = { ...resources, [id]: off(resources[id]) };
        expect(verdictOf(under('on', guarded), 'O4', 'Vault')).toBe('non-compliant');
        const left = under('off', guarded);
        expect(left.of('O4').map((f) => [f.ruleName, f.logicalId])).toEqual([['SecureAI-O4[parameter]', 'Vault']]);
        expect(left.of('O4')[0].message).toMatch(/parameter Alarms defaults to "off", but also allows "on".*this vault receives backups of AI assets \(plan Plan\)/);
      }
    });

    test('a plan that names the vault by its literal name sends to the last vault with that name that is created', () => {
      const resources = { ...backedUp({}, 'ai-vault'), Later: off({ Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'ai-vault' } }) };
      const left = under('off', resources);
      expect(verdictOf(left, 'O4', 'Vault')).toBe('non-compliant');
      expect(verdictOf(left, 'O4', 'Later')).toBe('parameter');
      const created = under('on', resources);
      expect(verdictOf(created, 'O4', 'Later')).toBe('non-compliant');
      expect(verdictOf(created, 'O4', 'Vault')).toBe('parameter');
    });
  });

  test('the plans that send a vault AI backups are named in the order their selections are declared', () => {
    const { Plan: plan, Selection: selection, ...rest } = backedUp({});
    const selectionOf = (planId: string) => ({ ...selection, Properties: { ...(selection.Properties as object), BackupPlanId: { Ref: planId } } });
    const run = validate({ Resources: { ...rest, First: plan, Second: plan, SecondSelection: selectionOf('Second'), FirstSelection: selectionOf('First') } });
    expect(run.of('O4')[0].message).toMatch(/this vault receives backups of AI assets \(plan Second, First\)/);
  });

  test('reads what the CDK L2 alarm renders', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const ep = new sagemaker.CfnEndpoint(stack, 'Endpoint', { endpointConfigName: 'cfg' });
    const topic = new sns.Topic(stack, 'Topic');
    const metric = new cloudwatch.Metric({ namespace: 'AWS/SageMaker', metricName: 'ModelLatency', dimensionsMap: { EndpointName: ep.attrEndpointName, VariantName: 'v1' } });
    metric.createAlarm(stack, 'Latency', { threshold: 1000, evaluationPeriods: 3 }).addAlarmAction(new actions.SnsAction(topic));
    const run = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(run.tally('O4')).toMatchObject({ evaluated: 1, compliant: 1 });
  });
});
