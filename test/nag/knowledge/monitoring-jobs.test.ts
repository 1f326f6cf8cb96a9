import { Verdict } from '../../../src/nag/engine/checks';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { isLayout, MONITORING_JOB_TYPES, monitoringJobLayout } from '../../../src/nag/knowledge/monitoring-jobs';
import { stackOf, TemplateFixture } from '../harness';

function layoutOf(fixture: TemplateFixture, logicalId: string) {
  const index = ResourceIndex.fromScope(stackOf(fixture));
  const resource = index.resources.find((r) => r.logicalId === logicalId)!;
  return monitoringJobLayout(resource, index);
}

describe('monitoring job layouts', () => {
  test('the six resource types', () => {
    expect(MONITORING_JOB_TYPES).toHaveLength(6);
  });

  test('job definitions read their own output block; processing jobs may have none', () => {
    const layout = layoutOf({ Resources: { J: { Type: 'AWS::SageMaker::ModelBiasJobDefinition', Properties: {} } } }, 'J');
    expect(layout).toMatchObject({ network: 'NetworkConfig', output: 'ModelBiasJobOutputConfig', cluster: 'JobResources.ClusterConfig', outputOptional: false });
    expect(layoutOf({ Resources: { P: { Type: 'AWS::SageMaker::ProcessingJob', Properties: {} } } }, 'P'))
      .toMatchObject({ output: 'ProcessingOutputConfig', cluster: 'ProcessingResources.ClusterConfig', outputOptional: true });
  });

  test('a schedule with an inline job reads below MonitoringJobDefinition', () => {
    const layout = layoutOf({
      Resources: { S: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleConfig: { MonitoringJobDefinition: { RoleArn: 'r' } } } } },
    }, 'S');
    expect(isLayout(layout)).toBe(true);
    expect(layout).toMatchObject({ network: 'MonitoringScheduleConfig.MonitoringJobDefinition.NetworkConfig' });
  });

  test('a schedule naming a definition: not applicable in the app, unverifiable outside it', () => {
    const inApp = layoutOf({
      Resources: {
        D: { Type: 'AWS::SageMaker::DataQualityJobDefinition', Properties: { JobDefinitionName: 'dq' } },
        S: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleConfig: { MonitoringJobDefinitionName: 'dq' } } },
      },
    }, 'S');
    expect(inApp).toMatchObject({ verdict: Verdict.NOT_APPLICABLE });
    const outside = layoutOf({
      Resources: { S: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleConfig: { MonitoringJobDefinitionName: 'elsewhere' } } } },
    }, 'S');
    expect(outside).toMatchObject({ verdict: Verdict.UNVERIFIABLE, locations: ['Properties.MonitoringScheduleConfig.MonitoringJobDefinitionName'] });
  });
});
