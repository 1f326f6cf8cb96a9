import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { EnvironmentBoundary } from '../../src/environment/environment-boundary';

describe('EnvironmentBoundary', () => {
  const stack = new Stack(new App(), 'B', { env: { account: '111111111111', region: 'us-east-1' } });
  new EnvironmentBoundary(stack, 'Boundary', { subnetIds: ['subnet-1', 'subnet-2'] });
  const t = Template.fromStack(stack);
  const deny = (sid: string, condition: object) => t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: sid, Effect: 'Deny', Condition: condition })]) },
  });

  test('denies SageMaker work outside the subnets, without isolation, keys or inter-container encryption', () => {
    deny('DenySageMakerWithoutEnvironmentSubnets', { Null: { 'sagemaker:VpcSubnets': 'true' } });
    deny('DenySageMakerInOtherSubnets', { 'ForAnyValue:StringNotEquals': { 'sagemaker:VpcSubnets': Match.arrayWith(['subnet-1', 'subnet-2']) } });
    deny('DenySageMakerWithoutNetworkIsolation', { BoolIfExists: { 'sagemaker:NetworkIsolation': 'false' } });
    deny('DenySageMakerWithoutVolumeKey', { Null: { 'sagemaker:VolumeKmsKey': 'true' } });
    deny('DenySageMakerWithoutOutputKey', { Null: { 'sagemaker:OutputKmsKey': 'true' } });
    deny('DenySageMakerWithoutInterContainerEncryption', { BoolIfExists: { 'sagemaker:InterContainerTrafficEncryption': 'false' } });
  });

  test('denies turning off encryption or logging and escaping the boundary', () => {
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'DenyTurningOffEncryptionAndLogging', Effect: 'Deny', Action: Match.arrayWith(['kms:DisableKey', 'cloudtrail:StopLogging', 'ec2:DeleteFlowLogs']) }),
          Match.objectLike({ Sid: 'DenyEscapingTheBoundary', Effect: 'Deny', Action: Match.arrayWith(['iam:DeleteRolePermissionsBoundary']) }),
        ]),
      },
    });
  });

  test('denies versioning changes to every role but AWS Backup\'s restore role, whose tag no role may claim', () => {
    deny('DenySuspendingVersioning', { StringNotEquals: { 'aws:PrincipalTag/ai:service-role': 'aws-backup-restore' } });
    deny('DenyClaimingTheRestoreRoleTag', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['ai:service-role'] } });
    const statements = Object.values(t.findResources('AWS::IAM::ManagedPolicy'))[0].Properties.PolicyDocument.Statement as Array<{ Sid: string; Action: string | string[] }>;
    expect(statements.filter((st) => ([] as string[]).concat(st.Action).includes('s3:PutBucketVersioning')).map((st) => st.Sid)).toEqual(['DenySuspendingVersioning']);
  });

  test('empty subnetIds throws', () => {
    expect(() => new EnvironmentBoundary(new Stack(new App(), 'X'), 'B', { subnetIds: [] })).toThrow(/subnetIds is empty.*Fix/);
  });

  test('allowHardwareEncryptedStorage: one exemption for local-storage instance types, every reason recorded, none empty', () => {
    const other = new Stack(new App(), 'H');
    const boundary = new EnvironmentBoundary(other, 'Boundary', { subnetIds: ['subnet-1'] });
    expect(() => boundary.allowHardwareEncryptedStorage('gpu')).toThrow(/EnvironmentBoundary Boundary: reason is too short/);
    boundary.allowHardwareEncryptedStorage('Training/Llm: fine-tuning needs the GPUs of ml.p4d');
    boundary.allowHardwareEncryptedStorage('Training/Vision: the detector trains on ml.g5');
    const policy = Object.values(Template.fromStack(other).findResources('AWS::IAM::ManagedPolicy'))[0];
    const volumeKeyDeny = policy.Properties.PolicyDocument.Statement.find((st: { Sid: string }) => st.Sid === 'DenySageMakerWithoutVolumeKey');
    expect(Object.keys(volumeKeyDeny.Condition)).toEqual(['Null', 'ForAllValues:StringNotLike']);
    expect(volumeKeyDeny.Condition['ForAllValues:StringNotLike']['sagemaker:InstanceTypes']).toEqual(expect.arrayContaining(['ml.p4d.*', 'ml.g5.*']));
    expect(policy.Metadata['cdk-secure-ai:allowHardwareEncryptedStorage']).toEqual([
      'Training/Llm: fine-tuning needs the GPUs of ml.p4d', 'Training/Vision: the detector trains on ml.g5',
    ]);
  });
});

describe('EnvironmentBoundaryAspect', () => {
  test('sets the boundary on L2, L1 and raw roles; a role with another boundary is an error', () => {
    const stack = new Stack(new App(), 'A', { env: { account: '111111111111', region: 'us-east-1' } });
    new AiEnvironment(stack, 'Env', { owner: 'ml' });
    new iam.CfnRole(stack, 'L1', { assumeRolePolicyDocument: {} });
    new CfnResource(stack, 'Raw', { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: {} } });
    new iam.CfnRole(stack, 'Other', { assumeRolePolicyDocument: {}, permissionsBoundary: 'arn:aws:iam::111111111111:policy/other' });
    const t = Template.fromStack(stack);
    for (const id of ['L1', 'Raw']) expect(t.toJSON().Resources[id].Properties.PermissionsBoundary).toEqual({ Ref: expect.stringMatching(/^EnvBoundaryPolicy/) });
    expect(t.toJSON().Resources.Other.Properties.PermissionsBoundary).toBe('arn:aws:iam::111111111111:policy/other');
    Annotations.fromStack(stack).hasError('/A/Other', Match.stringLikeRegexp('already has a permissions boundary'));
  });
});
