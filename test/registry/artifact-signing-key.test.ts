import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ArtifactSigningKey } from '../../src/registry/artifact-signing-key';

function build() {
  const stack = new Stack(new App(), 'Keys', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = new ArtifactSigningKey(stack, 'Key');
  const keyId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
  const statements = (): Array<Record<string, any>> =>
    stack.resolve(Template.fromStack(stack).toJSON().Resources[keyId].Properties.KeyPolicy.Statement);
  const signDeny = () => statements().find((s) => s.Sid === 'SignOnlyByPublishers')!;
  return { stack, key, statements, signDeny };
}

const ROOT = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] };

describe('ArtifactSigningKey', () => {
  test('an ECC_NIST_P256 signing key, RETAINed, 30-day window, described', () => {
    const { stack } = build();
    Template.fromStack(stack).hasResource('AWS::KMS::Key', {
      Properties: {
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        EnableKeyRotation: false,
        PendingWindowInDays: 30,
        Description: 'Signs the digests of trained model artifacts (ECDSA_SHA_256)',
      },
      DeletionPolicy: 'Retain',
    });
    expect(ArtifactSigningKey.SIGNING_ALGORITHM).toBe('ECDSA_SHA_256');
  });

  test('with no signer, only the root (which can rewrite the policy anyway) escapes the signing deny', () => {
    const { signDeny } = build();
    expect(signDeny()).toEqual({
      Sid: 'SignOnlyByPublishers',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:Sign',
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [ROOT] } },
    });
  });

  test('signing, grants and key administration are denied: administration to all but the CloudFormation execution role', () => {
    const { statements } = build();
    const denied = statements().filter((s) => s.Effect === 'Deny').flatMap((s) => [s.Action].flat());
    expect(denied.sort()).toEqual(['kms:CreateGrant', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:Sign']);
    expect(statements()).toContainEqual({
      Sid: 'KeyAdministrationOnlyByAdministrator',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey'],
      Resource: '*',
      // Substituted by CloudFormation: a literal `${AWS::Partition}` would match no caller and lock the key.
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1' }] } },
    });
    expect(statements()).toContainEqual(expect.objectContaining({
      Sid: 'GrantsOnlyForAwsResources',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }));
  });

  test('every signer is exempted, whatever way it was granted, and named in an Allow of the key policy', () => {
    const { stack, key, statements, signDeny } = build();
    const role = new iam.Role(stack, 'Signer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const imported = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/release-signer');
    const user = new iam.User(stack, 'BreakGlass');
    key.grantSign(role);
    key.grant(imported, 'kms:Sign', 'kms:GetPublicKey');
    key.grant(user, 'kms:Sign');
    const roleArn = { 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as iam.CfnRole), 'Arn'] };
    const userArn = { 'Fn::GetAtt': [stack.getLogicalId(user.node.defaultChild as iam.CfnUser), 'Arn'] };
    expect(signDeny().Condition.ArnNotEquals['aws:PrincipalArn']).toEqual([ROOT, roleArn, 'arn:aws:iam::111111111111:role/release-signer', userArn]);
    expect(statements()).toContainEqual({ Effect: 'Allow', Principal: { AWS: roleArn }, Action: ['kms:Sign', 'kms:GetPublicKey'], Resource: '*' });
    expect(statements()).toContainEqual({ Effect: 'Allow', Principal: { AWS: userArn }, Action: 'kms:Sign', Resource: '*' });
  });

  test('grantVerify allows Verify and GetPublicKey without exempting from the signing deny', () => {
    const { stack, key, signDeny } = build();
    const role = new iam.Role(stack, 'Gate', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    key.grantVerify(role);
    expect(signDeny().Condition.ArnNotEquals['aws:PrincipalArn']).toEqual([ROOT]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: ['kms:Verify', 'kms:GetPublicKey'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } }] },
    });
  });

  test('signing is refused to principals that are not an IAM role or user; encryption grants are refused', () => {
    const { key } = build();
    expect(() => key.grantSign(new iam.ServicePrincipal('sagemaker.amazonaws.com')))
      .toThrow(/ArtifactSigningKey Keys\/Key: kms:Sign can only be granted to an IAM role or user, not to .*\. Fix: grant the role that runs the step \(for a Lambda function, the function itself or its role\)/);
    expect(() => key.grantSign(new iam.AccountPrincipal('111111111111'))).toThrow(/kms:Sign can only be granted to an IAM role or user/);
    const role = iam.Role.fromRoleArn(key, 'R', 'arn:aws:iam::111111111111:role/r');
    expect(() => key.grantDecrypt(role)).toThrow(/grantDecrypt is not available; this key only signs and verifies \(SIGN_VERIFY\)\. Fix: use grantSign or grantVerify/);
  });

  test('a given description', () => {
    const stack = new Stack(new App(), 'Keys');
    new ArtifactSigningKey(stack, 'Key', { description: 'Release signing' });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', { Description: 'Release signing', KeySpec: Match.anyValue() });
  });
});

describe('ArtifactSigningKey across stacks', () => {
  test('a role of another stack is refused (the stacks would reference each other); the same role imported by ARN is granted', () => {
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    const keyStack = new Stack(app, 'Keys', { env });
    const key = new ArtifactSigningKey(keyStack, 'Key');
    const role = new iam.Role(new Stack(app, 'Pipeline', { env }), 'Signer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(() => key.grantSign(role)).toThrow(/Pipeline\/Signer is in stack Pipeline, not in the stack Keys; .*across stacks\. Fix: create the principal in that stack, or import it there by ARN/);
    expect(() => key.grantSign(iam.Role.fromRoleArn(keyStack, 'Imported', 'arn:aws:iam::111111111111:role/signer'))).not.toThrow();
  });
});
