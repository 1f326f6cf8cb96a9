// What the DriftMonitor's processing job runs by default: AWS's SageMaker scikit-learn processing container (a framework
// image AWS maintains and patches, published in an ECR registry of AWS's own in each Region) running the library's drift
// script, and the contract between the state machine and whatever image computes drift: where the inputs are, what the
// settings are called and how drift is told apart from a failure. Internal: not exported from the library.
//
// The registry accounts are those the SageMaker Python SDK resolves the `sagemaker-scikit-learn` image to
// (src/sagemaker/image_uri_config/sklearn.json), one per Region; every version of the image is in the same account.
import * as path from 'path';
import { Aws, CfnMapping, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The registry account of the scikit-learn framework image, per Region. */
const SKLEARN_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '510948584623',
  'ap-east-1': '651117190479',
  'ap-northeast-1': '354813040037',
  'ap-northeast-2': '366743142698',
  'ap-northeast-3': '867004704886',
  'ap-south-1': '720646828776',
  'ap-south-2': '628508329040',
  'ap-southeast-1': '121021644041',
  'ap-southeast-2': '783357654285',
  'ap-southeast-3': '951798379941',
  'ap-southeast-4': '106583098589',
  'ca-central-1': '341280168497',
  'ca-west-1': '190319476487',
  'cn-north-1': '450853457545',
  'cn-northwest-1': '451049120500',
  'eu-central-1': '492215442770',
  'eu-central-2': '680994064768',
  'eu-north-1': '662702820516',
  'eu-south-1': '978288397137',
  'eu-south-2': '104374241257',
  'eu-west-1': '141502667606',
  'eu-west-2': '764974769150',
  'eu-west-3': '659782779980',
  'il-central-1': '898809789911',
  'me-central-1': '272398656194',
  'me-south-1': '801668240914',
  'sa-east-1': '737474898029',
  'us-east-1': '683313688378',
  'us-east-2': '257758044811',
  'us-gov-east-1': '237065988967',
  'us-gov-west-1': '414596584902',
  'us-west-1': '746614075791',
  'us-west-2': '246618743249',
};

/** The newest scikit-learn version the SDK lists for every Region above; its python3 runs the script (3.7 or later). */
const SKLEARN_IMAGE = 'sagemaker-scikit-learn:1.2-1-cpu-py3';
const MAPPING_ID = 'SageMakerScikitLearnAccounts';

/** The drift script shipped with the library (Python standard library only). */
export const DRIFT_SCRIPT_PATH = path.join(__dirname, '..', '..', 'resources', 'drift-monitor', 'drift_monitor.py');

/** Where the processing job puts what it reads and writes: the script's defaults, and a custom image's contract. */
export const DRIFT_PATHS = {
  code: '/opt/ml/processing/input/code',
  capture: '/opt/ml/processing/input/capture',
  baseline: '/opt/ml/processing/input/baseline',
  output: '/opt/ml/processing/output',
} as const;

/**
 * The text a drift image writes at the start of `/opt/ml/output/message` (SageMaker's ExitMessage) when it exits
 * non-zero because it found drift; any other failure is a failure of the monitor.
 */
export const DRIFT_DETECTED = 'DRIFT_DETECTED';

/** The reason recorded in the template metadata of the state machine that runs the scikit-learn image. */
export const SKLEARN_IMAGE_REASON = 'AWS\'s SageMaker scikit-learn processing container, a framework image AWS maintains and patches '
  + 'under the same tag in its own regional ECR registry (only AWS can push to it); it runs the library\'s drift script, given as '
  + 'an input, with network isolation, so even a compromised image cannot send the captured data anywhere.';

/** The image of the default drift detector. */
export class DriftDetectorImage {
  /** The Regions whose scikit-learn registry is known. */
  public static readonly REGIONS: readonly string[] = Object.keys(SKLEARN_ACCOUNTS);

  /**
   * The scikit-learn processing image URI for the stack of `scope`: resolved at synth time when the stack's Region is
   * known (throws for a Region without a known registry), otherwise looked up at deploy time from a Region map.
   * @param user the construct and id, for the error message
   */
  public static uriFor(scope: IConstruct, user: string): string {
    const stack = Stack.of(scope);
    const region = stack.region;
    if (!Token.isUnresolved(region)) {
      const account = SKLEARN_ACCOUNTS[region];
      if (account === undefined) {
        throw new Error(`${user}: the SageMaker scikit-learn image that runs the drift script is not known for Region ${region}. Fix: `
          + `deploy to one of ${DriftDetectorImage.REGIONS.join(', ')}; or give driftMonitoring.image, an image of your own with `
          + 'python3 or a drift detector that keeps the DriftMonitor\'s contract.');
      }
      return `${account}.dkr.ecr.${region}.${stack.urlSuffix}/${SKLEARN_IMAGE}`;
    }
    const existing = stack.node.tryFindChild(MAPPING_ID) as CfnMapping | undefined;
    const mapping = existing ?? new CfnMapping(stack, MAPPING_ID, {
      mapping: Object.fromEntries(Object.entries(SKLEARN_ACCOUNTS).map(([r, a]) => [r, { account: a }])),
    });
    return `${mapping.findInMap(Aws.REGION, 'account')}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}/${SKLEARN_IMAGE}`;
  }
}
