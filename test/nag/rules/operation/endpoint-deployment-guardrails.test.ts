import { App, Stack } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, validate, ValidationRun, verdictOf } from '../../harness';

const ROLLBACK = { Alarms: [{ AlarmName: 'fraud-5xx' }] };
const canary = (type = 'CANARY') => ({
  TrafficRoutingConfiguration: { Type: type, CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 600 },
});
const ROLLING = { MaximumBatchSize: { Type: 'CAPACITY_PERCENT', Value: 25 }, WaitIntervalInSeconds: 300 };
const endpoint = (deployment: unknown) => validate({
  Resources: { Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'cfg', DeploymentConfig: deployment } } },
});
const component = (deployment: unknown) => validate({
  Resources: { Component: { Type: 'AWS::SageMaker::InferenceComponent', Properties: { EndpointName: 'e', Specification: { ModelName: 'm' }, DeploymentConfig: deployment } } },
});

describe('O8 endpoint deployment guardrails', () => {
  test('compliant: canary or linear blue/green, or a rolling update, with rollback alarms', () => {
    for (const deployment of [
      { BlueGreenUpdatePolicy: canary(), AutoRollbackConfiguration: ROLLBACK },
      { BlueGreenUpdatePolicy: canary('LINEAR'), AutoRollbackConfiguration: ROLLBACK },
      { RollingUpdatePolicy: ROLLING, AutoRollbackConfiguration: ROLLBACK },
    ]) {
      const run = endpoint(deployment);
      expect(verdictOf(run, 'O8', 'Endpoint')).toBe('none');
      expect(run.tally('O8')).toMatchObject({ evaluated: 1, compliant: 1 });
    }
    expect(verdictOf(component({ RollingUpdatePolicy: ROLLING, AutoRollbackConfiguration: ROLLBACK }), 'O8', 'Component')).toBe('none');
  });

  test('non-compliant: no DeploymentConfig (all at once, no rollback)', () => {
    const run = endpoint(undefined);
    expect(verdictOf(run, 'O8', 'Endpoint')).toBe('non-compliant');
    expect(run.of('O8')[0]).toMatchObject({ ruleName: 'SecureAI-O8', level: 'warning', locations: ['Properties.DeploymentConfig'] });
    expect(run.of('O8')[0].message).toMatch(/DeploymentConfig is absent: an update replaces the model for all traffic at once/);
    expect(verdictOf(component(undefined), 'O8', 'Component')).toBe('non-compliant');
  });

  test('non-compliant: all-at-once traffic shifting', () => {
    const run = endpoint({ BlueGreenUpdatePolicy: canary('ALL_AT_ONCE'), AutoRollbackConfiguration: ROLLBACK });
    expect(verdictOf(run, 'O8', 'Endpoint')).toBe('non-compliant');
    expect(run.of('O8')[0].message).toMatch(/TrafficRoutingConfiguration\.Type is "ALL_AT_ONCE" and there is no RollingUpdatePolicy/);
  });

  test('non-compliant: no rollback alarms, or an empty list', () => {
    for (const rollback of [undefined, {}, { Alarms: [] }]) {
      const run = endpoint({ BlueGreenUpdatePolicy: canary(), AutoRollbackConfiguration: rollback });
      expect(verdictOf(run, 'O8', 'Endpoint')).toBe('non-compliant');
      expect(run.of('O8')[0].locations).toEqual(['Properties.DeploymentConfig.AutoRollbackConfiguration.Alarms']);
    }
    expect(verdictOf(component({ RollingUpdatePolicy: ROLLING }), 'O8', 'Component')).toBe('non-compliant');
  });

  test('non-compliant: an inference component without a rolling policy', () => {
    const run = component({ AutoRollbackConfiguration: ROLLBACK });
    expect(run.of('O8')[0].locations).toEqual(['Properties.DeploymentConfig.RollingUpdatePolicy']);
  });

  test('intrinsic: Fn::If with an all-at-once form; the routing type from a parameter', () => {
    const conditional = endpoint({ BlueGreenUpdatePolicy: canary(ifElse('CANARY', 'ALL_AT_ONCE') as string), AutoRollbackConfiguration: ROLLBACK });
    expect(verdictOf(conditional, 'O8', 'Endpoint')).toBe('non-compliant');
    expect(conditional.of('O8')[0].message).toMatch(/in one of its 2 possible forms/);
    expect(verdictOf(endpoint(ifElse({ RollingUpdatePolicy: ROLLING, AutoRollbackConfiguration: ROLLBACK }, NO_VALUE)), 'O8', 'Endpoint')).toBe('non-compliant');
    const parameter = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { Routing: { Default, AllowedValues } },
      Resources: {
        Endpoint: {
          Type: 'AWS::SageMaker::Endpoint',
          Properties: { EndpointConfigName: 'cfg', DeploymentConfig: { BlueGreenUpdatePolicy: canary({ Ref: 'Routing' } as unknown as string), AutoRollbackConfiguration: ROLLBACK } },
        },
      },
    });
    expect(verdictOf(parameter('LINEAR'), 'O8', 'Endpoint')).toBe('none');
    expect(verdictOf(parameter('LINEAR', ['LINEAR', 'ALL_AT_ONCE']), 'O8', 'Endpoint')).toBe('parameter');
    expect(parameter('LINEAR', ['LINEAR', 'ALL_AT_ONCE']).of('O8')[0].message).toMatch(/parameter Routing/);
  });

  test('unverifiable: imported rollback alarms or deployment configuration; an imported alarm name counts', () => {
    expect(verdictOf(endpoint({ BlueGreenUpdatePolicy: canary(), AutoRollbackConfiguration: { Alarms: imported('alarms') } }), 'O8', 'Endpoint'))
      .toBe('unverifiable');
    const whole = endpoint(imported('deployment'));
    expect(verdictOf(whole, 'O8', 'Endpoint')).toBe('unverifiable');
    expect(whole.of('O8')[0]).toMatchObject({ ruleName: 'SecureAI-O8[unverifiable]', level: 'warning' });
    expect(verdictOf(endpoint({ BlueGreenUpdatePolicy: canary(), AutoRollbackConfiguration: { Alarms: [{ AlarmName: imported('alarm') }] } }), 'O8', 'Endpoint'))
      .toBe('none');
  });

  test('reads what CfnEndpoint renders', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new sagemaker.CfnEndpoint(stack, 'Endpoint', {
      endpointConfigName: 'cfg',
      deploymentConfig: {
        blueGreenUpdatePolicy: { trafficRoutingConfiguration: { type: 'LINEAR', linearStepSize: { type: 'CAPACITY_PERCENT', value: 20 }, waitIntervalInSeconds: 300 } },
        autoRollbackConfiguration: { alarms: [{ alarmName: 'fraud-5xx' }] },
      },
    });
    expect(new ValidationRun(new SecureAiChecks().validateScope(app)).tally('O8')).toMatchObject({ compliant: 1 });
  });
});
