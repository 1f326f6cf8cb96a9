import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { AiEnvironmentStage } from '../../src/environment/ai-environment-stage';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../../src/storage/environment-key';

describe('EnvironmentKey', () => {
  test('rotates yearly, waits 30 days before deletion, is retained, and allows KMS grants only for AWS resources', () => {
    const stack = new Stack(new App(), 'K');
    new EnvironmentKey(stack, 'Key', { purpose: EnvironmentKeyPurpose.DATA });
    Template.fromStack(stack).hasResource('AWS::KMS::Key', {
      Properties: {
        EnableKeyRotation: true,
        RotationPeriodInDays: 365,
        PendingWindowInDays: 30,
        KeyPolicy: {
          Statement: Match.arrayWith([Match.objectLike({
            Effect: 'Deny',
            Action: 'kms:CreateGrant',
            Principal: { AWS: '*' },
            Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
          })]),
        },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('a data key lets in no AWS service by key policy; a log key lets in CloudWatch Logs and CloudTrail', () => {
    const stack = new Stack(new App(), 'K');
    new EnvironmentKey(stack, 'Data', { purpose: EnvironmentKeyPurpose.DATA });
    new EnvironmentKey(stack, 'Log', { purpose: EnvironmentKeyPurpose.LOG });
    const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
    const services = (id: string) => JSON.stringify(Object.entries(keys).find(([k]) => k.startsWith(id))![1].Properties.KeyPolicy.Statement
      .map((s: any) => s.Principal?.Service).filter(Boolean));
    expect(services('Data')).toBe('[]');
    expect(services('Log')).toMatch(/logs\..*cloudtrail\.amazonaws\.com/);
  });

  test('grants to a principal of another stage throw; within the stage they are made', () => {
    const app = new App();
    const test = new AiEnvironmentStage(app, 'Test', { environmentStage: EnvironmentStage.TEST, env: { account: '333333333333', region: 'eu-west-1' } });
    const prod = new AiEnvironmentStage(app, 'Prod', { environmentStage: EnvironmentStage.PRODUCTION, env: { account: '444444444444', region: 'eu-west-1' } });
    const testStack = new Stack(test, 'S');
    const env = new AiEnvironment(testStack, 'Env', { owner: 'ml' });
    const prodRole = new iam.Role(new Stack(prod, 'S'), 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const testRole = new iam.Role(testStack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    for (const grant of [() => env.dataKey.grantDecrypt(prodRole), () => env.dataKey.grantEncrypt(prodRole),
      () => env.dataKey.grantEncryptDecrypt(prodRole), () => env.dataKey.grant(prodRole, 'kms:DescribeKey'), () => env.dataKey.grantAdmin(prodRole)]) {
      expect(grant).toThrow(/Key Test\/S\/Env\/DataKey belongs to the test environment.*production environment.*promotion step/);
    }
    expect(() => env.dataKey.grantDecrypt(testRole)).not.toThrow();
  });
});
