import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { InferenceApiWebAcl, InferenceApiWebAclProps } from '../../src/inference/inference-api-web-acl';

const STAGE_ARN = 'arn:aws:apigateway:eu-west-2::/restapis/abc123/stages/production';

function build(props: Partial<InferenceApiWebAclProps> = {}, before?: (stack: Stack) => void) {
  const stack = new Stack(new App(), 'Waf', { env: { account: '111111111111', region: 'eu-west-2' } });
  before?.(stack);
  const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
  const acl = new InferenceApiWebAcl(stack, 'Acl', { stageArn: STAGE_ARN, rateLimit: 300, maxRequestBodyBytes: 8192, logKey: key, logRetention: logs.RetentionDays.ONE_YEAR, ...props });
  return { stack, acl, t: Template.fromStack(stack) };
}

describe('InferenceApiWebAcl', () => {
  test('rules in order: rate limit, body size, known bad inputs, common rule set; no sampled requests', () => {
    const { t } = build();
    const acl = Object.values(t.findResources('AWS::WAFv2::WebACL'))[0].Properties;
    expect(acl.Rules.map((r: { Name: string; Priority: number }) => [r.Priority, r.Name])).toEqual([
      [0, 'RateLimitPerIp'], [1, 'MaxRequestBodySize'], [2, 'AWSManagedRulesKnownBadInputsRuleSet'], [3, 'AWSManagedRulesCommonRuleSet'],
    ]);
    expect(acl.Rules[0].Statement.RateBasedStatement.Limit).toBe(300);
    for (const config of [acl.VisibilityConfig, ...acl.Rules.map((r: { VisibilityConfig: unknown }) => r.VisibilityConfig)]) {
      expect(config).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: false, MetricName: expect.stringMatching(/^[\w-]{1,128}$/) });
    }
  });

  test('attaches to the given stage ARN', () => {
    build().t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: STAGE_ARN, WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Acl'), 'Arn'] } });
  });

  test('logs to an aws-waf-logs- group with the given key and retention, by its ARN without the trailing :*', () => {
    const { t, acl } = build({ logRetention: logs.RetentionDays.TWO_YEARS });
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-Waf-Acl-'), KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogKey'), 'Arn'] }, RetentionInDays: 731 },
      DeletionPolicy: 'Retain',
    });
    const config = Object.values(t.findResources('AWS::WAFv2::LoggingConfiguration'))[0].Properties;
    const arn = JSON.stringify(config.LogDestinationConfigs);
    expect(arn).toContain(':log-group:aws-waf-logs-');
    expect(arn).not.toContain(':*');
    expect(acl.logGroup).toBeInstanceOf(logs.LogGroup);
  });

  test('reuses the stack\'s log-delivery resource policy when aws-cdk-lib already made one', () => {
    const { t } = build({}, (stack) => {
      const shared = new logs.ResourcePolicy(stack, 'CdkLogGroupLogsDeliveryPolicy');
      shared.document.addStatements(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')], actions: ['logs:PutLogEvents'], resources: ['*'] }));
    });
    t.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    const text = JSON.stringify(Object.values(t.findResources('AWS::Logs::ResourcePolicy'))[0].Properties.PolicyDocument);
    expect(text.match(/delivery\.logs\.amazonaws\.com/g)).toHaveLength(2);
  });

  test('uses a policy of its own when the stack holds something else under aws-cdk-lib\'s id', () => {
    const { t } = build({}, (stack) => new Construct(stack, 'CdkLogGroupLogsDeliveryPolicy'));
    t.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    t.hasResourceProperties('AWS::Logs::ResourcePolicy', { PolicyName: Match.stringLikeRegexp('ForWebAcls') });
  });
});
