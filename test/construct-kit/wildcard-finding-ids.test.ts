import { App, Aws, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { WildcardFindingIds } from '../../src/construct-kit/pack-acknowledgments';

describe('WildcardFindingIds', () => {
  test('actions are reported as Action::<action>', () => {
    expect(WildcardFindingIds.action('s3:GetObject*')).toBe('AwsSolutions-IAM5[Action::s3:GetObject*]');
  });

  test('resources are rendered exactly as cdk-nag renders them', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = new s3.Bucket(stack, 'Data');
    const arns = [
      '*',
      bucket.arnForObjects('prefix/*'),
      stack.formatArn({ service: 'sagemaker', resource: 'training-job', resourceName: 'fraud-*' }),
      Fn.sub('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/sagemaker/*'),
      `arn:${Aws.PARTITION}:s3:::${Fn.importValue('SharedBucket')}/*`,
    ];
    for (const arn of arns) {
      expect(WildcardFindingIds.resource(stack, arn)).toBe(`AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(arn))}]`);
    }
    expect(WildcardFindingIds.resource(stack, bucket.arnForObjects('prefix/*'))).toMatch(/^AwsSolutions-IAM5\[Resource::<Data[0-9A-F]{8}\.Arn>\/prefix\/\*\]$/);
  });

  test('an acknowledgment made with the ID silences exactly that wildcard, and no other', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const bucket = new s3.Bucket(stack, 'Data');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('acknowledged/*')] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('other/*')] }));
    Validations.of(role).acknowledge({ id: WildcardFindingIds.resource(stack, bucket.arnForObjects('acknowledged/*')), reason: 'The test acknowledges this prefix only.' });
    const iam5 = new AwsSolutionsChecks().validateScope(app).violations.filter((v) => v.ruleName.startsWith('AwsSolutions-IAM5'));
    expect(iam5.map((v) => v.ruleName)).toEqual([expect.stringMatching(/Resource::<Data[0-9A-F]{8}\.Arn>\/other\/\*\]$/)]);
  });
});
