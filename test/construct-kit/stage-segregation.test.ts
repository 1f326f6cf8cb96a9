import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { assertSameEnvironment, environmentOf, markEnvironment } from '../../src/construct-kit/stage-segregation';

describe('stage segregation', () => {
  test('the nearest marked ancestor decides; unmarked constructs belong to no environment', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const other = new Stack(app, 'O');
    markEnvironment(stack, { stage: EnvironmentStage.TEST, declaredAt: 'S/Env' });
    expect(environmentOf(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }))?.stage).toBe(EnvironmentStage.TEST);
    expect(environmentOf(other)).toBeUndefined();
  });

  test('two stages cannot share an account, nor one scope', () => {
    const app = new App();
    markEnvironment(new Stack(app, 'A'), { stage: EnvironmentStage.DEVELOPMENT, account: '111111111111', declaredAt: 'A' });
    expect(() => markEnvironment(new Stack(app, 'B'), { stage: EnvironmentStage.PRODUCTION, account: '111111111111', declaredAt: 'B' }))
      .toThrow(/account 111111111111 is already the development account.*Fix: give each stage its own AWS account/);
    const c = new Stack(app, 'C');
    markEnvironment(c, { stage: EnvironmentStage.TEST, declaredAt: 'C' });
    expect(() => markEnvironment(c, { stage: EnvironmentStage.PRODUCTION, declaredAt: 'C2' })).toThrow(/already belongs to the test environment/);
  });

  test('service principals and unknown accounts are not refused', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    markEnvironment(stack, { stage: EnvironmentStage.PRODUCTION, declaredAt: 'S' });
    const resource = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => assertSameEnvironment(resource, new iam.ServicePrincipal('sagemaker.amazonaws.com'), 'Bucket')).not.toThrow();
    expect(() => assertSameEnvironment(resource, new iam.AccountPrincipal('999999999999'), 'Bucket')).not.toThrow();
  });
});
