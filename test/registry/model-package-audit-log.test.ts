import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ModelPackageAuditLog } from '../../src/registry/model-package-audit-log';

describe('ModelPackageAuditLog', () => {
  const stack = new Stack(new App(), 'Audit', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
  const audit = new ModelPackageAuditLog(stack, 'Audit', { modelPackageGroupName: 'churn', encryptionKey: key, retention: logs.RetentionDays.TWO_YEARS });
  const t = Template.fromStack(stack);
  const logGroupId = stack.getLogicalId(audit.logGroup.node.defaultChild as logs.CfnLogGroup);
  const ruleId = stack.getLogicalId(audit.rule.node.defaultChild as logs.CfnLogGroup);

  test('a log group under /aws/events/ (where EventBridge delivers), encrypted, retained, an AI asset', () => {
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/aws/events/sagemaker/model-packages/churn',
        KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
        RetentionInDays: 731,
        Tags: [{ Key: 'ai:asset', Value: 'true' }],
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('the rule matches the state changes of this group only and targets the log group', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      Description: 'Model package state changes of group churn, recorded for audit',
      EventPattern: { 'source': ['aws.sagemaker'], 'detail-type': ['SageMaker Model Package State Change'], 'detail': { ModelPackageGroupName: ['churn'] } },
      Targets: [{ Id: 'Target0', Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111111111111:log-group:', { Ref: logGroupId }]] } }],
    });
  });

  test('the resource policy lets EventBridge write for this rule only', () => {
    const policy = Object.values<any>(t.findResources('AWS::Logs::ResourcePolicy'))[0];
    const parts: unknown[] = stack.resolve(policy.Properties.PolicyDocument)['Fn::Join'][1];
    const document = JSON.parse(parts.map((p: any) => (typeof p === 'string' ? p : `<${p['Fn::GetAtt'][0]}>`)).join(''));
    expect(document.Statement).toEqual([{
      Sid: 'StateChangesFromThisRule',
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `<${logGroupId}>`,
      Condition: { ArnEquals: { 'aws:SourceArn': `<${ruleId}>` } },
    }]);
  });
});
