import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { EnvironmentBoundary } from '../../src/environment/environment-boundary';
import { TemplateRenderer } from '../iam/template-policies';

describe('EnvironmentBoundary', () => {
  const stack = new Stack(new App(), 'B', { env: { account: '111111111111', region: 'us-east-1' } });
  new EnvironmentBoundary(stack, 'Boundary', { subnetIds: ['subnet-1', 'subnet-2'] });
  const t = Template.fromStack(stack);
  const deny = (condition: object) => t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: condition })]) },
  });
  type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };
  const statements = () => Object.values(t.findResources('AWS::IAM::ManagedPolicy'))[0].Properties.PolicyDocument.Statement as Statement[];
  const withAction = (action: string) => statements().filter((st) => ([] as string[]).concat(st.Action).includes(action));

  test('denies SageMaker work outside the VPC, in other subnets, without isolation, encryption or current key names', () => {
    deny({ Null: { 'sagemaker:VpcSubnets': 'true' } });
    deny({ 'ForAnyValue:StringNotEquals': { 'sagemaker:VpcSubnets': Match.arrayWith(['subnet-1', 'subnet-2']) } });
    deny({ BoolIfExists: { 'sagemaker:NetworkIsolation': 'false' } });
    deny({ Bool: { 'sagemaker:NetworkIsolation': 'false' } });
    deny({ Null: { 'sagemaker:VolumeKmsKeyArn': 'true' } });
    deny({ Null: { 'sagemaker:OutputKmsKeyArn': 'true' } });
    deny({ BoolIfExists: { 'sagemaker:InterContainerTrafficEncryption': 'false' } });
    deny({ Null: { 'sagemaker:InstanceTypes': 'false' } }); // monitoring schedules name a job definition, never an inline one
    deny({ StringNotEquals: { 'sagemaker:DirectInternetAccess': 'Disabled' } });
    deny({ StringNotEquals: { 'sagemaker:AppNetworkAccessType': 'VpcOnly' } });
    expect(JSON.stringify(t.toJSON())).not.toMatch(/sagemaker:(VolumeKmsKey|OutputKmsKey)"/);
  });

  test('denies tampering, editing the boundary, identities without it, escaping it', () => {
    const [tampering] = withAction('kms:DisableKey');
    expect(tampering.Action).toEqual(expect.arrayContaining(['cloudtrail:StopLogging', 'logs:PutRetentionPolicy', 's3:PutBucketPolicy',
      's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration', 'ec2:CreateRoute', 'ec2:AttachInternetGateway', 'ec2:ModifyVpcEndpoint',
      'events:DisableRule', 'backup:DeleteBackupPlan', 'backup:DeleteBackupSelection']));
    expect(tampering.Condition).toBeUndefined();
    const [escaping] = withAction('iam:DeleteRolePermissionsBoundary');
    expect(escaping.Action).toEqual(expect.arrayContaining(['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy']));
    const policyArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:policy/B-Boundary-19544064']] };
    expect(t.toJSON().Resources[Object.keys(t.findResources('AWS::IAM::ManagedPolicy'))[0]].Properties.ManagedPolicyName).toBe('B-Boundary-19544064');
    expect(withAction('iam:CreateRole').map((st) => st.Condition)).toEqual(expect.arrayContaining([{ StringNotEquals: { 'iam:PermissionsBoundary': policyArn } }]));
  });

  test('denies versioning changes to every role but AWS Backup\'s restore role; no role may claim a service-role tag', () => {
    deny({ StringNotEquals: { 'aws:PrincipalTag/ai:service-role': 'aws-backup-restore' } });
    deny({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['ai:service-role', 'ai:hardware-encrypted-storage'] } });
    expect(withAction('s3:PutBucketVersioning').map((st) => st.Condition)).toEqual([{ StringNotEquals: { 'aws:PrincipalTag/ai:service-role': 'aws-backup-restore' } }]);
  });

  test('fits the 6,144 characters IAM allows a managed policy, whitespace excluded', () => {
    // As IAM stores it: intrinsics resolved, on an environment that opted in (the larger form) across three AZs.
    const app = new App();
    const opted = new Stack(app, 'Opted', { env: { account: '111111111111', region: 'eu-west-2' } });
    const subnetIds = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1', 'subnet-0123456789abcdef2'];
    const boundary = new EnvironmentBoundary(opted, 'Boundary', { subnetIds });
    boundary.allowHardwareEncryptedStorage(new iam.Role(opted, 'Gpu', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') }), 'Vision: trains on the GPUs of ml.g5');
    const template = Template.fromStack(opted).toJSON();
    const [id, policy] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy')!;
    const rendered = JSON.stringify(new TemplateRenderer(template).render(policy.Properties.PolicyDocument));
    expect(id).toMatch(/^BoundaryPolicy/);
    expect(rendered.length).toBeLessThan(6144);
  });

  test('empty subnetIds throws', () => {
    expect(() => new EnvironmentBoundary(new Stack(new App(), 'X'), 'B', { subnetIds: [] })).toThrow(/subnetIds is empty.*Fix/);
  });

  test('allowHardwareEncryptedStorage: tags the role, exempts only it and only local-storage types, records every reason', () => {
    const other = new Stack(new App(), 'H');
    const boundary = new EnvironmentBoundary(other, 'Boundary', { subnetIds: ['subnet-1'] });
    const llm = new iam.Role(other, 'Llm', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    const vision = new iam.Role(other, 'Vision', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    expect(() => boundary.allowHardwareEncryptedStorage(llm, 'gpu')).toThrow(/EnvironmentBoundary Boundary: reason is too short/);
    const imported = iam.Role.fromRoleArn(other, 'Imported', 'arn:aws:iam::111111111111:role/x');
    expect(() => boundary.allowHardwareEncryptedStorage(imported, 'Training/Llm: fine-tuning needs the GPUs of ml.p4d'))
      .toThrow(/allowHardwareEncryptedStorage needs a role created in the environment's stack.*Fix:/);
    boundary.allowHardwareEncryptedStorage(llm, 'Training/Llm: fine-tuning needs the GPUs of ml.p4d');
    boundary.allowHardwareEncryptedStorage(vision, 'Training/Vision: the detector trains on ml.g5');
    const h = Template.fromStack(other);
    const policy = Object.values(h.findResources('AWS::IAM::ManagedPolicy'))[0];
    const volumeKeyDenies = (policy.Properties.PolicyDocument.Statement as Statement[]).filter((st) => st.Condition?.Null?.['sagemaker:VolumeKmsKeyArn'] === 'true');
    expect(volumeKeyDenies.map((st) => st.Condition)).toEqual([
      // Everyone but the tagged roles, on work with instance types: no exemption at all.
      { Null: { 'sagemaker:VolumeKmsKeyArn': 'true' }, StringNotEquals: { 'aws:PrincipalTag/ai:hardware-encrypted-storage': 'allowed' } },
      // The tagged roles: exempt only when there are instance types and every one has local storage.
      {
        'Null': { 'sagemaker:VolumeKmsKeyArn': 'true' },
        'StringEquals': { 'aws:PrincipalTag/ai:hardware-encrypted-storage': 'allowed' },
        'ForAnyValue:StringNotLikeIfExists': { 'sagemaker:InstanceTypes': expect.arrayContaining(['ml.p4d.*', 'ml.g5.*']) },
      },
      // Work that names no instance types (AutoML): everyone.
      { Null: { 'sagemaker:VolumeKmsKeyArn': 'true' } },
    ]);
    for (const role of [llm, vision]) {
      const id = other.getLogicalId(role.node.defaultChild as iam.CfnRole);
      expect(h.toJSON().Resources[id].Properties.Tags).toEqual([{ Key: 'ai:hardware-encrypted-storage', Value: 'allowed' }]);
    }
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
