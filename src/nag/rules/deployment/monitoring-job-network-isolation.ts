import { expectProperty, isTrue, was } from '../../engine/checks';
import { isLayout, MONITORING_JOB_TYPES, monitoringJobLayout } from '../../knowledge/monitoring-jobs';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

export const monitoringJobNetworkIsolation: RuleDefinition = {
  title: 'Monitoring and processing jobs run with network isolation',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Secure your infrastructure',
  quote: 'to their training and processing pipelines',
  level: RuleLevel.WARNING,
  resourceTypes: [...MONITORING_JOB_TYPES],
  compliantWhen: '`NetworkConfig.EnableNetworkIsolation` is `true` on monitoring job definitions, on a monitoring schedule\'s '
    + 'inline `MonitoringJobDefinition` and on processing jobs (absent counts as the default `false`); a schedule naming a job '
    + 'definition of the app is judged on that definition',
  explanation: 'Monitoring and processing jobs run containers over captured inference data, baselines and ground truth. '
    + 'Without network isolation the container can call out to the internet, so a compromised or malicious image can '
    + 'exfiltrate that data or pull in code that poisons the results the pipeline relies on.',
  fix: 'Set NetworkConfig.EnableNetworkIsolation to true (networkConfig.enableNetworkIsolation on CfnDataQualityJobDefinition, '
    + 'CfnModelQualityJobDefinition, CfnModelBiasJobDefinition, CfnModelExplainabilityJobDefinition, CfnProcessingJob, and '
    + 'monitoringScheduleConfig.monitoringJobDefinition.networkConfig on CfnMonitoringSchedule).',
  peers: 'CFG sagemaker-data-quality-job-isolation, sagemaker-model-bias-job-isolation, sagemaker-model-quality-job-definition-isolation, '
    + 'sagemaker-model-explainability-job-network-isolation; SH SageMaker.11, .12, .14',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource, context) {
    const layout = monitoringJobLayout(resource, context.index);
    if (!isLayout(layout)) return layout;
    const path = `${layout.network}.EnableNetworkIsolation`;
    return expectProperty(resource, path, isTrue, (v) => {
      const shown = v === undefined ? 'is absent (default false)' : was(v);
      return `${path} ${shown}: ${layout.what}'s container can reach the network, so it can send the data it processes `
        + 'out or load code that tampers with the results';
    });
  },
};
