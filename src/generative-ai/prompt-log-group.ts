import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { requirePromptLogRetention } from './prompt-log-retention';
import type { AiEnvironment } from '../environment/ai-environment';

/**
 * Personal data and secrets a prompt or a completion may carry, which the log group's data protection policy audits
 * and masks: contact details, payment cards, national and health identifiers, keys.
 */
const PROMPT_DATA_IDENTIFIERS: readonly logs.DataIdentifier[] = [
  logs.DataIdentifier.NAME, logs.DataIdentifier.EMAILADDRESS, logs.DataIdentifier.ADDRESS, logs.DataIdentifier.IPADDRESS,
  logs.DataIdentifier.LATLONG, logs.DataIdentifier.PHONENUMBER_GB, logs.DataIdentifier.PHONENUMBER_US,
  logs.DataIdentifier.CREDITCARDNUMBER, logs.DataIdentifier.CREDITCARDSECURITYCODE, logs.DataIdentifier.CREDITCARDEXPIRATION,
  logs.DataIdentifier.BANKACCOUNTNUMBER_GB, logs.DataIdentifier.BANKACCOUNTNUMBER_US, logs.DataIdentifier.SSN_US,
  logs.DataIdentifier.NATIONALINSURANCENUMBER_GB, logs.DataIdentifier.NHSNUMBER_GB, logs.DataIdentifier.PASSPORTNUMBER_GB,
  logs.DataIdentifier.PASSPORTNUMBER_US, logs.DataIdentifier.DRIVERSLICENSE_GB, logs.DataIdentifier.DRIVERSLICENSE_US,
  logs.DataIdentifier.AWSSECRETKEY, logs.DataIdentifier.OPENSSHPRIVATEKEY, logs.DataIdentifier.PGPPRIVATEKEY,
  logs.DataIdentifier.PKCSPRIVATEKEY, logs.DataIdentifier.PUTTYPRIVATEKEY,
];

/** Properties of a {@link PromptLogGroup}. */
export interface PromptLogGroupProps {
  /** The environment whose log key encrypts the group and whose stage sets the shortest retention. */
  readonly environment: AiEnvironment;
  /**
   * The log group's name.
   * @default - generated
   */
  readonly logGroupName?: string;
  /**
   * How long log events are kept: at least a year in production.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;
  /**
   * What the group holds, for error messages (`ModelInvocationLogging Logging`).
   * @default - the construct path
   */
  readonly owner?: string;
}

/**
 * A log group that receives prompts and completions: encrypted with the environment's log key, kept for its
 * retention, RETAINed, and with a data protection policy that audits and masks personal data and secrets
 * (SecureAI-V14, O6). Readers with `logs:Unmask` still see the original text.
 */
export class PromptLogGroup extends logs.LogGroup {
  public constructor(scope: Construct, id: string, props: PromptLogGroupProps) {
    const retention = requirePromptLogRetention(props.owner ?? `PromptLogGroup ${id}`, 'retention', props.retention ?? logs.RetentionDays.ONE_YEAR,
      props.environment.stage);
    super(scope, id, {
      logGroupName: props.logGroupName,
      encryptionKey: props.environment.logKey,
      retention,
      removalPolicy: RemovalPolicy.RETAIN,
      dataProtectionPolicy: new logs.DataProtectionPolicy({
        name: 'Mask personal data and secrets in prompts and completions',
        identifiers: [...PROMPT_DATA_IDENTIFIERS],
      }),
    });
  }
}
