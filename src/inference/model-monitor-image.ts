// The image that runs SageMaker Model Monitor's data-quality jobs: the prebuilt `sagemaker-model-monitor-analyzer`,
// which AWS publishes in an ECR registry of its own in each Region ("Amazon SageMaker Model Monitor prebuilt container",
// SageMaker Developer Guide). The registry accounts below are those the SageMaker Python SDK resolves the image to
// (image_uri_config/model-monitor.json) and the AWS MLOps Workload Orchestrator pins, one per Region.
//
// How it meets the image rules: it is not a third-party image. It comes from an AWS service account that only AWS
// can push to, SageMaker runs it (never a model of yours), and AWS patches it under the same name, which is why it is
// referenced by name like the SDK does and not pinned to a digest that would freeze out its security fixes. The
// monitoring job runs it with network isolation, so even a compromised analyzer cannot send captured data anywhere.
import { Aws, CfnMapping, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The registry account of the analyzer image, per Region. */
const ANALYZER_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '875698925577',
  'ap-east-1': '001633400207',
  'ap-northeast-1': '574779866223',
  'ap-northeast-2': '709848358524',
  'ap-south-1': '126357580389',
  'ap-southeast-1': '245545462676',
  'ap-southeast-2': '563025443158',
  'ca-central-1': '536280801234',
  'cn-north-1': '453000072557',
  'cn-northwest-1': '453252182341',
  'eu-central-1': '048819808253',
  'eu-north-1': '895015795356',
  'eu-south-1': '933208885752',
  'eu-west-1': '468650794304',
  'eu-west-2': '749857270468',
  'eu-west-3': '680080141114',
  'me-south-1': '607024016150',
  'sa-east-1': '539772159869',
  'us-east-1': '156813124566',
  'us-east-2': '777275614652',
  'us-gov-west-1': '362178532790',
  'us-west-1': '890145073186',
  'us-west-2': '159807026194',
};

const REPOSITORY = 'sagemaker-model-monitor-analyzer';
const MAPPING_ID = 'SageMakerModelMonitorAnalyzerAccounts';

/** The reason recorded in the template metadata of every job that runs the analyzer. */
export const MODEL_MONITOR_IMAGE_REASON = 'SageMaker Model Monitor\'s prebuilt analyzer, published by AWS in its own regional ECR '
  + 'registry (only AWS can push to it) and patched by AWS under the same name; the job runs it with network isolation.';

/** The SageMaker Model Monitor analyzer image of the stack's Region. */
export class ModelMonitorImage {
  /** The Regions whose analyzer registry is known. */
  public static readonly REGIONS: readonly string[] = Object.keys(ANALYZER_ACCOUNTS);

  /**
   * The analyzer image URI for the stack of `scope`: resolved at synth time when the stack's Region is known (throws
   * for a Region without a known registry), otherwise looked up at deploy time from a Region map in the template.
   * @param user the construct and id, for the error message
   */
  public static uriFor(scope: IConstruct, user: string): string {
    const stack = Stack.of(scope);
    const region = stack.region;
    if (!Token.isUnresolved(region)) {
      const account = ANALYZER_ACCOUNTS[region];
      if (account === undefined) {
        throw new Error(`${user}: the SageMaker Model Monitor analyzer image is not known for Region ${region}. Fix: deploy to one of `
          + `${ModelMonitorImage.REGIONS.join(', ')}, or add the Region's registry account to src/inference/model-monitor-image.ts `
          + '(see "Amazon SageMaker Model Monitor prebuilt container" in the SageMaker Developer Guide).');
      }
      return `${account}.dkr.ecr.${region}.${stack.urlSuffix}/${REPOSITORY}`;
    }
    const existing = stack.node.tryFindChild(MAPPING_ID) as CfnMapping | undefined;
    const mapping = existing ?? new CfnMapping(stack, MAPPING_ID, {
      mapping: Object.fromEntries(Object.entries(ANALYZER_ACCOUNTS).map(([r, a]) => [r, { account: a }])),
    });
    return `${mapping.findInMap(Aws.REGION, 'account')}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}/${REPOSITORY}`;
  }
}
