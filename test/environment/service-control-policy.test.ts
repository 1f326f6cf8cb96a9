import { AiEnvironment } from '../../src/environment/ai-environment';
import { PolicyDocument } from '../iam/policy-evaluator';
import { checkAgainstReference } from '../iam/service-reference';

const render = (document: ReturnType<typeof AiEnvironment.serviceControlPolicy>) => document.toJSON() as PolicyDocument;
const asTemplatePolicy = (document: PolicyDocument) => [{
  template: 'scp', logicalId: 'Scp', resourceType: 'AWS::Organizations::Policy', propertyPath: 'Content', kind: 'resource' as const, document,
}];

describe('AiEnvironment.serviceControlPolicy', () => {
  test.each([false, true])('fits the 5,120 characters of an SCP and matches the Service Authorization Reference (hardware storage: %s)', (hardware) => {
    const document = render(AiEnvironment.serviceControlPolicy({ allowHardwareEncryptedStorage: hardware }));
    expect(JSON.stringify(document).length).toBeLessThanOrEqual(5120);
    expect(checkAgainstReference(asTemplatePolicy(document)).findings).toEqual([]);
  });

  test('tampering is left to the deployment role; SageMaker denies bind everyone; no environment\'s subnets', () => {
    const document = render(AiEnvironment.serviceControlPolicy());
    const statements = ([] as any[]).concat(document.Statement);
    const tampering = statements.find((s) => s.Action.includes('cloudtrail:StopLogging'));
    expect(tampering.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': ['arn:*:iam::*:role/cdk-*-cfn-exec-role-*'] } });
    const sagemaker = statements.filter((s) => JSON.stringify(s.Action).includes('sagemaker:'));
    expect(sagemaker.length).toBeGreaterThan(8);
    expect(JSON.stringify(sagemaker)).not.toContain('aws:PrincipalArn');
    expect(JSON.stringify(document)).not.toMatch(/subnet-|ForAnyValue:StringNotEquals/);
    const custom = render(AiEnvironment.serviceControlPolicy({ deploymentPrincipalArns: ['arn:aws:iam::*:role/platform-deployer'] }));
    expect(JSON.stringify(custom)).toContain('arn:aws:iam::*:role/platform-deployer');
  });

  test('deployment principals must be role ARNs', () => {
    expect(() => AiEnvironment.serviceControlPolicy({ deploymentPrincipalArns: [] })).toThrow(/deploymentPrincipalArns must name IAM roles.*got none.*Fix/);
    expect(() => AiEnvironment.serviceControlPolicy({ deploymentPrincipalArns: ['deployer'] })).toThrow(/got deployer.*Fix/);
  });
});
