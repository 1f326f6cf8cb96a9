// The reference check itself: what it finds in hand-written statements, that the environment's SageMaker denies cover
// every action the reference lists with their keys, and that it fails on the boundary when a deprecated key is put back.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PolicyDocument, Statement } from './policy-evaluator';
import { actionsWithConditionKey, checkAgainstReference } from './service-reference';
import { TemplatePolicy, policiesOfTemplate } from './template-policies';
import { EnvironmentBoundary } from '../../src/environment/environment-boundary';
import { SAGEMAKER_KEY_ACTIONS } from '../../src/environment/environment-guardrails';

const policy = (...statements: Statement[]): TemplatePolicy[] => [{
  template: 't.json',
  logicalId: 'P',
  resourceType: 'AWS::IAM::Policy',
  propertyPath: 'PolicyDocument',
  kind: 'identity',
  document: { Statement: statements } as PolicyDocument,
}];
const findings = (...statements: Statement[]) => checkAgainstReference(policy(...statements)).findings;
const allow = (Action: string | string[], Resource: string | string[] = '*', Condition?: Statement['Condition']): Statement => ({ Effect: 'Allow', Action, Resource, Condition });

describe('checkAgainstReference', () => {
  test('current statements pass: actions, keys with variables, resource types of the actions', () => {
    expect(findings(
      allow(['s3:GetObject', 's3:GetObjectVersion'], 'arn:aws:s3:::models/*'),
      allow('s3:ListBucket', 'arn:aws:s3:::models', { StringLike: { 's3:prefix': 'fraud/*' } }),
      allow('kms:Decrypt', 'arn:aws:kms:eu-west-2:111111111111:key/k', { StringEquals: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::models' } }),
      allow('logs:PutLogEvents', 'arn:aws:logs:eu-west-2:111111111111:log-group:/aws/sagemaker/TrainingJobs:*'),
      allow('sagemaker:CreateTrainingJob', 'arn:aws:sagemaker:eu-west-2:111111111111:training-job/fraud-*', { Null: { 'sagemaker:VolumeKmsKeyArn': 'false' } }),
      allow('cloudwatch:PutMetricData', '*', { StringEquals: { 'aws:PrincipalTag/team': 'ml', 'cloudwatch:namespace': 'x' } }),
    )).toEqual([]);
  });

  test('an unknown action, a wildcard that matches nothing, an unknown service', () => {
    expect(findings(allow(['s3:GetObjects', 'sagemaker:Frobnicate*', 'nosuchservice:Get']))).toEqual([
      't.json P PolicyDocument statement 0: action s3:GetObjects does not exist in the reference',
      't.json P PolicyDocument statement 0: wildcard sagemaker:Frobnicate* matches no action in the reference',
      't.json P PolicyDocument statement 0: action nosuchservice:Get names no service of the reference',
    ]);
  });

  test('a deprecated key, an unknown key, a key another action does not support, an unknown global key', () => {
    expect(findings(
      { Effect: 'Deny', Action: 'sagemaker:CreateTrainingJob', Resource: '*', Condition: { Null: { 'sagemaker:VolumeKmsKey': 'true' } } },
      allow('sagemaker:CreateModel', '*', { StringEquals: { 'sagemaker:NoSuchKey': 'x', 'aws:NoSuchGlobal': 'y' } }),
      allow(['sagemaker:CreateModel', 'sagemaker:CreateTrainingJob'], '*', { Null: { 'sagemaker:VolumeKmsKeyArn': 'true' } }),
    )).toEqual([
      't.json P PolicyDocument statement 0: condition key sagemaker:VolumeKmsKey is deprecated (This key has been deprecated. It has been replaced by sagemaker:VolumeKmsKeyArn)',
      't.json P PolicyDocument statement 0: condition key sagemaker:VolumeKmsKey is not supported by sagemaker:CreateTrainingJob',
      't.json P PolicyDocument statement 1: condition key sagemaker:NoSuchKey does not exist in the reference',
      't.json P PolicyDocument statement 1: aws:NoSuchGlobal is not a global condition key of the reference',
      't.json P PolicyDocument statement 2: condition key sagemaker:VolumeKmsKeyArn is not supported by sagemaker:CreateModel',
    ]);
  });

  test('a wildcard with a key that holds when absent must have the key on every action it matches', () => {
    expect(findings({ Effect: 'Deny', Action: 'sagemaker:Create*JobDefinition', Resource: '*', Condition: { Null: { 'sagemaker:VpcSubnets': 'true' } } })).toEqual([]);
    const [finding] = findings({ Effect: 'Deny', Action: 'sagemaker:Create*Job', Resource: '*', Condition: { Null: { 'sagemaker:VpcSubnets': 'true' } } });
    expect(finding).toMatch(/condition key sagemaker:VpcSubnets is not supported by .*sagemaker:CreateCompilationJob.* \(matched by sagemaker:Create\*Job\)/);
    // Present-only operators need the key on one matched action: the others never match.
    expect(findings({ Effect: 'Deny', Action: 'sagemaker:*', Resource: '*', Condition: { Bool: { 'sagemaker:NetworkIsolation': 'false' } } })).toEqual([]);
  });

  test('a resource of no type of its actions, an action on none of the resources, an ARN for a wildcard-only action', () => {
    expect(findings(
      allow('s3:GetObject', 'arn:aws:s3:::models'),
      allow('ec2:DescribeSubnets', 'arn:aws:ec2:eu-west-2:111111111111:subnet/subnet-1'),
    )).toEqual([
      't.json P PolicyDocument statement 0: resource arn:aws:s3:::models is of no resource type of the statement\'s actions',
      't.json P PolicyDocument statement 0: s3:GetObject applies to none of the statement\'s resources',
      't.json P PolicyDocument statement 1: resource arn:aws:ec2:eu-west-2:111111111111:subnet/subnet-1 is of no resource type of the statement\'s actions',
      't.json P PolicyDocument statement 1: ec2:DescribeSubnets supports no resource-level permission, so its resource must be "*"',
    ]);
  });

  test('wildcard actions are expanded and listed; unresolved resources are counted, not judged', () => {
    const report = checkAgainstReference(policy(allow('kms:GenerateDataKey*', '{{unresolved}}'), allow('s3:*', 'arn:aws:s3:::{{unresolved}}/*')));
    expect(report.findings).toEqual([]);
    expect(report.expansions['kms:GenerateDataKey*']).toEqual(expect.arrayContaining(['kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKeyPair']));
    expect(report.expansions['s3:*'].length).toBeGreaterThan(100);
    expect(report.unverifiedResources).toEqual(['t.json P PolicyDocument statement 0: {{unresolved}}']);
  });
});

describe('the environment\'s SageMaker denies', () => {
  test.each(Object.keys(SAGEMAKER_KEY_ACTIONS))('sagemaker:%s: the list is every action the reference lists with the key', (key) => {
    expect([...SAGEMAKER_KEY_ACTIONS[key]].map((a) => `sagemaker:${a}`).sort()).toEqual(actionsWithConditionKey(`sagemaker:${key}`));
  });

  test('the boundary passes, and fails as soon as the deprecated sagemaker:VolumeKmsKey is put back', () => {
    const findingsOfBoundary = (putBack: boolean) => {
      const stack = new Stack(new App(), 'B', { env: { account: '111111111111', region: 'eu-west-2' } });
      const boundary = new EnvironmentBoundary(stack, 'Boundary', { subnetIds: ['subnet-1', 'subnet-2'] });
      if (putBack) {
        boundary.policy.addStatements(new iam.PolicyStatement({
          effect: iam.Effect.DENY, actions: ['sagemaker:CreateTrainingJob'], resources: ['*'], conditions: { Null: { 'sagemaker:VolumeKmsKey': 'true' } },
        }));
      }
      return checkAgainstReference(policiesOfTemplate(Template.fromStack(stack).toJSON(), 'B.template.json')).findings;
    };
    expect(findingsOfBoundary(false)).toEqual([]);
    expect(findingsOfBoundary(true)).toEqual([
      expect.stringMatching(/BoundaryPolicy.* condition key sagemaker:VolumeKmsKey is deprecated \(This key has been deprecated. It has been replaced by sagemaker:VolumeKmsKeyArn\)$/),
      expect.stringMatching(/BoundaryPolicy.* condition key sagemaker:VolumeKmsKey is not supported by sagemaker:CreateTrainingJob$/),
    ]);
  });
});
