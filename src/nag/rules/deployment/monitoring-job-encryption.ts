import { combine, expectProperty, isTrue, NOT_APPLICABLE, RuleResult, was } from '../../engine/checks';
import { IndexedResource } from '../../engine/resource-index';
import { expectCustomerManagedKey, hasOnlyLocalNvmeStorage } from '../../knowledge/customer-managed-key';
import { isLayout, MONITORING_JOB_TYPES, MonitoringJobLayout, monitoringJobLayout } from '../../knowledge/monitoring-jobs';
import { judgeMonitoringJobs, STATE_MACHINE } from '../../knowledge/monitoring-workflows';
import { processingJobChecks } from '../../knowledge/workflow-jobs';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

/** Why each encryption setting of a state machine's monitoring job matters. */
const WORKFLOW_WHY = {
  traffic: 'the captured requests and responses the monitoring job exchanges between its instances travel unencrypted',
  output: 'the drift reports the monitoring job writes to S3 describe the model\'s traffic, and are not encrypted with a key you control',
  volume: 'the ML storage volume of the monitoring job, which holds the captured data it reads, is not encrypted with a key you control',
};

function outputKey(resource: IndexedResource, layout: MonitoringJobLayout): RuleResult {
  if (layout.outputOptional && resource.get(layout.output).every((b) => b.value === undefined)) return NOT_APPLICABLE;
  return expectCustomerManagedKey(resource, `${layout.output}.KmsKeyId`,
    `the reports, statistics and violations ${layout.what} writes to S3 describe the model and its data, and are not encrypted with a key you control`);
}

function volumeKey(resource: IndexedResource, layout: MonitoringJobLayout): RuleResult {
  // Instance types with only local NVMe storage encrypt it in hardware; SageMaker refuses a volume key for them.
  if (resource.get(`${layout.cluster}.InstanceType`).every((b) => hasOnlyLocalNvmeStorage(b.value))) return NOT_APPLICABLE;
  return expectCustomerManagedKey(resource, `${layout.cluster}.VolumeKmsKeyId`,
    `the ML storage volume of ${layout.what}, which holds the captured data it processes, is not encrypted with a key you control`);
}

export const monitoringJobEncryption: RuleDefinition = {
  title: 'Monitoring and processing jobs encrypt traffic, outputs and volumes',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Secure your infrastructure',
  quote: 'to their training and processing pipelines',
  level: RuleLevel.ERROR,
  resourceTypes: [...MONITORING_JOB_TYPES, STATE_MACHINE],
  compliantWhen: '`NetworkConfig.EnableInterContainerTrafficEncryption` is `true`; the output block\'s `KmsKeyId` '
    + '(`<Kind>JobOutputConfig`, `MonitoringOutputConfig`, `ProcessingOutputConfig` when present) and the cluster\'s '
    + '`VolumeKmsKeyId` are customer-managed keys (no volume key on instance types with only local NVMe storage); on processing jobs, on '
    + 'every processing task of a Step Functions state machine that reads an endpoint\'s data capture (the drift monitoring that '
    + 'replaces SageMaker Model Monitor), and on Model Monitor\'s job definitions and schedules',
  explanation: 'Monitoring and processing jobs read captured inference requests and responses, ground truth and '
    + 'baselines, and write statistics and reports about the model. Unencrypted traffic between their instances, and '
    + 'volumes and outputs without a customer-managed key, leave that data outside the access controls you set.',
  fix: 'Set NetworkConfig.EnableInterContainerTrafficEncryption to true, and KmsKeyId on the job output configuration and '
    + 'VolumeKmsKeyId on the cluster configuration to customer-managed KMS keys: NetworkConfig, ProcessingOutputConfig and '
    + 'ProcessingResources.ClusterConfig in the Arguments (or Parameters) of the state machine\'s sagemaker:createProcessingJob task '
    + '(cdk-secure-ai\'s DriftMonitor sets them) and on CfnProcessingJob; for Model Monitor networkConfig, <kind>JobOutputConfig and '
    + "jobResources.clusterConfig on the job definitions, monitoringOutputConfig and monitoringResources.clusterConfig in a schedule's "
    + 'monitoringJobDefinition.',
  peers: 'CKV_AWS_367, 368, 369 (DataQualityJobDefinition only, CFN); CFG sagemaker-model-explainability-job-encrypt-in-transit '
    + 'and sibling rules behind SH SageMaker.9, .10, .13, .15',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    if (resource.type === STATE_MACHINE) {
      return judgeMonitoringJobs(context.index, resource, (job) => processingJobChecks(job, WORKFLOW_WHY));
    }
    const layout = monitoringJobLayout(resource, context.index);
    if (!isLayout(layout)) return layout;
    const traffic = `${layout.network}.EnableInterContainerTrafficEncryption`;
    return combine(
      expectProperty(resource, traffic, isTrue, (v) => {
        const shown = v === undefined ? 'is absent (default false)' : was(v);
        return `${traffic} ${shown}: data exchanged between the instances of ${layout.what} travels unencrypted`;
      }),
      outputKey(resource, layout),
      volumeKey(resource, layout),
    );
  },
};
