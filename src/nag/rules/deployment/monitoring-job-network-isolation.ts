import { expectProperty, isTrue, was } from '../../engine/checks';
import { isLayout, MONITORING_JOB_TYPES, monitoringJobLayout } from '../../knowledge/monitoring-jobs';
import { judgeMonitoringJobs, STATE_MACHINE } from '../../knowledge/monitoring-workflows';
import { processingJobChecks } from '../../knowledge/workflow-jobs';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

export const monitoringJobNetworkIsolation: RuleDefinition = {
  title: 'Monitoring and processing jobs run with network isolation',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Secure your infrastructure',
  quote: 'to their training and processing pipelines',
  level: RuleLevel.WARNING,
  resourceTypes: [...MONITORING_JOB_TYPES, STATE_MACHINE],
  compliantWhen: '`NetworkConfig.EnableNetworkIsolation` is `true` on processing jobs, on every processing task of a Step Functions '
    + 'state machine that reads an endpoint\'s data capture (the drift monitoring that replaces SageMaker Model Monitor), and on Model '
    + 'Monitor\'s job definitions and a monitoring schedule\'s inline `MonitoringJobDefinition` (absent counts as the default `false`); '
    + 'a schedule naming a job definition of the app is judged on that definition',
  explanation: 'Monitoring and processing jobs run containers over captured inference data, baselines and ground truth. '
    + 'Without network isolation the container can call out to the internet, so a compromised or malicious image can '
    + 'exfiltrate that data or pull in code that poisons the results the pipeline relies on.',
  fix: 'Set NetworkConfig.EnableNetworkIsolation to true: in the Arguments (or Parameters) of the state machine\'s '
    + 'sagemaker:createProcessingJob task that reads the captures (cdk-secure-ai\'s DriftMonitor sets it), networkConfig.'
    + 'enableNetworkIsolation on CfnProcessingJob, and for Model Monitor on CfnDataQualityJobDefinition, CfnModelQualityJobDefinition, '
    + 'CfnModelBiasJobDefinition, CfnModelExplainabilityJobDefinition and monitoringScheduleConfig.monitoringJobDefinition.networkConfig '
    + 'on CfnMonitoringSchedule.',
  peers: 'CFG sagemaker-data-quality-job-isolation, sagemaker-model-bias-job-isolation, sagemaker-model-quality-job-definition-isolation, '
    + 'sagemaker-model-explainability-job-network-isolation; SH SageMaker.11, .12, .14',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource, context) {
    if (resource.type === STATE_MACHINE) {
      return judgeMonitoringJobs(context.index, resource, (job) => processingJobChecks(job, {
        isolation: 'the monitoring job\'s container can reach the network, so it can send the captured requests and responses out or '
          + 'load code that tampers with the drift it reports',
      }));
    }
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
